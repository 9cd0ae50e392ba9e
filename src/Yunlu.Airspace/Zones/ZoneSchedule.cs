using Yunlu.Geo;

namespace Yunlu.Airspace.Zones;

/// <summary>Schedule evaluation for whole zones: a zone is active when any of its applicability entries is.</summary>
public static class ZoneSchedule
{
    /// <summary>True when the zone applies at <paramref name="t"/> (any applicability entry active). Allocation-free.</summary>
    /// <param name="zone">The zone.</param>
    /// <param name="t">The instant.</param>
    public static bool IsActiveAt(this Zone zone, DateTimeOffset t)
    {
        ArgumentNullException.ThrowIfNull(zone);
        IReadOnlyList<ZoneApplicability> list = zone.Applicability;
        if (list is null || list.Count == 0)
        {
            return true;
        }

        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].IsActiveAt(t))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The merged half-open intervals within <paramref name="window"/> during which the zone applies.</summary>
    /// <param name="zone">The zone.</param>
    /// <param name="window">The window.</param>
    public static IReadOnlyList<TimeWindow> ActiveIntervals(this Zone zone, TimeWindow window)
    {
        ArgumentNullException.ThrowIfNull(zone);
        IReadOnlyList<ZoneApplicability> list = zone.Applicability;
        if (list is null || list.Count == 0)
        {
            return [window];
        }

        var all = new List<TimeWindow>();
        foreach (ZoneApplicability a in list)
        {
            a.AppendActiveIntervals(window, all);
        }

        return Merge(all);
    }

    /// <summary>True when the zone applies at some instant of <paramref name="window"/>.</summary>
    /// <param name="zone">The zone.</param>
    /// <param name="window">The window.</param>
    public static bool IsActiveDuring(this Zone zone, TimeWindow window)
    {
        ArgumentNullException.ThrowIfNull(zone);
        IReadOnlyList<ZoneApplicability> list = zone.Applicability;
        if (list is null || list.Count == 0)
        {
            return true;
        }

        foreach (ZoneApplicability a in list)
        {
            if (a.Permanent || ((a.Weekly is null || a.Weekly.Count == 0) &&
                (a.Start is null || a.Start.Value < window.End) && (a.End is null || a.End.Value > window.Start)))
            {
                return true;
            }
        }

        return zone.ActiveIntervals(window).Count > 0;
    }

    /// <summary>Sorts intervals by start and joins overlapping or touching ones.</summary>
    internal static List<TimeWindow> Merge(List<TimeWindow> intervals)
    {
        if (intervals.Count <= 1)
        {
            return intervals;
        }

        intervals.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<TimeWindow>(intervals.Count) { intervals[0] };
        for (int i = 1; i < intervals.Count; i++)
        {
            TimeWindow last = merged[^1];
            TimeWindow cur = intervals[i];
            if (cur.Start <= last.End)
            {
                if (cur.End > last.End)
                {
                    merged[^1] = new TimeWindow(last.Start, cur.End);
                }
            }
            else
            {
                merged.Add(cur);
            }
        }

        return merged;
    }
}
