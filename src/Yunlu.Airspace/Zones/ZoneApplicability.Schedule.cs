using Yunlu.Geo;

namespace Yunlu.Airspace.Zones;

/// <summary>Schedule evaluation for one applicability entry.</summary>
/// <remarks>
/// Semantics (ED-269 applicability, all times UTC): a permanent entry is always active. Otherwise the entry is active
/// in the half-open range [Start, End) (an open side is unbounded) and, when <see cref="Weekly"/> is not empty, only
/// during one of its weekly periods. A weekly period on day d runs [d + StartTime, d + EndTime): EndTime equal to
/// StartTime means the whole day (00:00–24:00), <see cref="TimeOnly.MaxValue"/> means up to midnight (24:00), and EndTime before
/// StartTime crosses midnight into the next day (the day flag names the day the period starts).
/// </remarks>
public sealed partial record ZoneApplicability
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>True when this entry applies at the instant <paramref name="t"/>. Allocation-free.</summary>
    /// <param name="t">The instant (any offset; evaluated in UTC).</param>
    public bool IsActiveAt(DateTimeOffset t)
    {
        if (Permanent)
        {
            return true;
        }

        if ((Start is { } s && t < s) || (End is { } e && t >= e))
        {
            return false;
        }

        if (Weekly is null || Weekly.Count == 0)
        {
            return true;
        }

        DateTime utc = t.UtcDateTime;
        DateTime date = utc.Date;
        TimeSpan tod = utc - date;
        for (int i = 0; i < Weekly.Count; i++)
        {
            WeeklyPeriod p = Weekly[i];

            // Today's period, then yesterday's when it crosses midnight.
            (TimeSpan from, TimeSpan to) = PeriodSpan(p);
            if (HasDay(p.Days, date.DayOfWeek) && tod >= from && tod < to)
            {
                return true;
            }

            if (to > Day && HasDay(p.Days, date.AddDays(-1).DayOfWeek) && tod + Day >= from && tod + Day < to)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The half-open intervals within <paramref name="window"/> during which this entry applies, sorted and merged
    /// (touching intervals are joined). Empty when it never applies in the window.
    /// </summary>
    /// <param name="window">The window to look in.</param>
    public IReadOnlyList<TimeWindow> ActiveIntervals(TimeWindow window)
    {
        var result = new List<TimeWindow>();
        AppendActiveIntervals(window, result);
        return ZoneSchedule.Merge(result);
    }

    /// <summary>True when the entry can never apply: an empty [Start, End) range, weekly periods naming no day, or a
    /// bounded range in which none of the weekly periods falls.</summary>
    public bool NeverApplies
    {
        get
        {
            if (Permanent)
            {
                return false;
            }

            if (Start is { } s && End is { } e && e <= s)
            {
                return true;
            }

            if (Weekly is null || Weekly.Count == 0)
            {
                return false;
            }

            bool anyDay = false;
            foreach (WeeklyPeriod p in Weekly)
            {
                anyDay |= p is not null && (p.Days & WeekDays.Any) != WeekDays.None;
            }

            if (!anyDay)
            {
                return true;
            }

            if (Start is { } s2 && End is { } e2)
            {
                var found = new List<TimeWindow>();
                AppendActiveIntervals(new TimeWindow(s2, e2), found);
                return found.Count == 0;
            }

            return false;
        }
    }

    /// <summary>Appends (unsorted, unmerged) the active intervals within <paramref name="window"/>.</summary>
    internal void AppendActiveIntervals(TimeWindow window, List<TimeWindow> into)
    {
        DateTimeOffset lo = window.Start.ToUniversalTime();
        DateTimeOffset hi = window.End.ToUniversalTime();
        if (!Permanent)
        {
            if (Start is { } s && s > lo)
            {
                lo = s.ToUniversalTime();
            }

            if (End is { } e && e < hi)
            {
                hi = e.ToUniversalTime();
            }
        }

        if (hi <= lo)
        {
            return;
        }

        if (Permanent || Weekly is null || Weekly.Count == 0)
        {
            into.Add(new TimeWindow(lo, hi));
            return;
        }

        // Periods may start the day before lo (crossing midnight) and run up to 2 days; walk whole UTC days.
        var firstDay = new DateTimeOffset(lo.UtcDateTime.Date, TimeSpan.Zero).AddDays(-1);
        for (DateTimeOffset day = firstDay; day < hi; day = day.AddDays(1))
        {
            foreach (WeeklyPeriod p in Weekly)
            {
                if (p is null || !HasDay(p.Days, day.DayOfWeek))
                {
                    continue;
                }

                (TimeSpan from, TimeSpan to) = PeriodSpan(p);
                DateTimeOffset a = day + from, b = day + to;
                if (a < lo)
                {
                    a = lo;
                }

                if (b > hi)
                {
                    b = hi;
                }

                if (a < b)
                {
                    into.Add(new TimeWindow(a, b));
                }
            }
        }
    }

    /// <summary>Offsets from the start of the period's day: [from, to), to ≤ 2 days.</summary>
    private static (TimeSpan From, TimeSpan To) PeriodSpan(WeeklyPeriod p)
    {
        if (p.EndTime == p.StartTime)
        {
            return (TimeSpan.Zero, Day);
        }

        TimeSpan from = p.StartTime.ToTimeSpan();

        if (p.EndTime == TimeOnly.MaxValue)
        {
            return (from, Day);
        }

        TimeSpan to = p.EndTime.ToTimeSpan();
        return to < from ? (from, to + Day) : (from, to);
    }

    private static bool HasDay(WeekDays days, DayOfWeek d)
    {
        WeekDays flag = d switch
        {
            DayOfWeek.Monday => WeekDays.Mon,
            DayOfWeek.Tuesday => WeekDays.Tue,
            DayOfWeek.Wednesday => WeekDays.Wed,
            DayOfWeek.Thursday => WeekDays.Thu,
            DayOfWeek.Friday => WeekDays.Fri,
            DayOfWeek.Saturday => WeekDays.Sat,
            _ => WeekDays.Sun,
        };
        return (days & flag) != 0;
    }
}
