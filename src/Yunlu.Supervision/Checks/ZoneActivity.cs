using Yunlu.Airspace.Zones;

namespace Yunlu.Supervision.Checks;

/// <summary>Whether a zone applies at an instant (ED-269 applicability: permanent, or Start/End with optional weekly UTC periods).</summary>
internal static class ZoneActivity
{
    public static bool IsActive(Zone zone, DateTimeOffset t)
    {
        if (zone.Applicability is null || zone.Applicability.Count == 0)
        {
            return true;
        }

        foreach (ZoneApplicability a in zone.Applicability)
        {
            if (a is not null && IsActive(a, t))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsActive(ZoneApplicability a, DateTimeOffset t)
    {
        if (a.Permanent)
        {
            return true;
        }

        if ((a.Start is { } s && t < s) || (a.End is { } e && t >= e))
        {
            return false;
        }

        if (a.Weekly is null || a.Weekly.Count == 0)
        {
            return true;
        }

        DateTime utc = t.UtcDateTime;
        TimeOnly tod = TimeOnly.FromDateTime(utc);
        foreach (WeeklyPeriod p in a.Weekly)
        {
            if (p is null)
            {
                continue;
            }

            if (p.StartTime == p.EndTime)
            {
                if (Has(p.Days, utc.DayOfWeek))
                {
                    return true;
                }
            }
            else if (p.StartTime < p.EndTime)
            {
                if (Has(p.Days, utc.DayOfWeek) && tod >= p.StartTime && tod < p.EndTime)
                {
                    return true;
                }
            }
            else if ((Has(p.Days, utc.DayOfWeek) && tod >= p.StartTime) ||
                     (Has(p.Days, utc.AddDays(-1).DayOfWeek) && tod < p.EndTime))
            {
                // A period that crosses midnight: today's evening part, or the morning part of yesterday's period.
                return true;
            }
        }

        return false;
    }

    private static bool Has(WeekDays days, DayOfWeek d) => d switch
    {
        DayOfWeek.Monday => (days & WeekDays.Mon) != 0,
        DayOfWeek.Tuesday => (days & WeekDays.Tue) != 0,
        DayOfWeek.Wednesday => (days & WeekDays.Wed) != 0,
        DayOfWeek.Thursday => (days & WeekDays.Thu) != 0,
        DayOfWeek.Friday => (days & WeekDays.Fri) != 0,
        DayOfWeek.Saturday => (days & WeekDays.Sat) != 0,
        _ => (days & WeekDays.Sun) != 0,
    };
}
