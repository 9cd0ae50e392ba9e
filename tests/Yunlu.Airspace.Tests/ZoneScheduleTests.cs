using CsCheck;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;

namespace Yunlu.Airspace.Tests;

public sealed class ZoneScheduleTests
{
    // 2025-06-09 is a Monday.
    private static readonly DateTimeOffset Mon = new(2025, 6, 9, 0, 0, 0, TimeSpan.Zero);

    private static ZoneApplicability Weekly(DateTimeOffset? start, DateTimeOffset? end, params WeeklyPeriod[] periods) => new(false, start, end, periods);

    [Fact]
    public void IsActiveAt_Permanent_AlwaysTrue()
    {
        Assert.True(ZoneApplicability.Always.IsActiveAt(DateTimeOffset.MinValue));
        Assert.True(ZoneApplicability.Always.IsActiveAt(Mon));
    }

    [Fact]
    public void IsActiveAt_StartEnd_IsHalfOpen()
    {
        var a = new ZoneApplicability(false, Mon, Mon.AddHours(2), []);
        Assert.False(a.IsActiveAt(Mon.AddTicks(-1)));
        Assert.True(a.IsActiveAt(Mon));
        Assert.True(a.IsActiveAt(Mon.AddHours(2).AddTicks(-1)));
        Assert.False(a.IsActiveAt(Mon.AddHours(2)));
    }

    [Fact]
    public void IsActiveAt_WeeklySchoolHours_OnlyWeekdaysInUtc()
    {
        ZoneApplicability a = Weekly(null, null, new WeeklyPeriod(WeekDays.Mon | WeekDays.Fri, new TimeOnly(0, 30), new TimeOnly(9, 0)));
        Assert.True(a.IsActiveAt(Mon.AddHours(1)));
        Assert.False(a.IsActiveAt(Mon.AddHours(9)));
        Assert.False(a.IsActiveAt(Mon.AddDays(1).AddHours(1)));
        Assert.True(a.IsActiveAt(Mon.AddDays(4).AddHours(8)));

        // The same instant expressed in UTC+8 gives the same answer.
        Assert.True(a.IsActiveAt(Mon.AddHours(1).ToOffset(TimeSpan.FromHours(8))));
    }

    [Fact]
    public void IsActiveAt_PeriodAcrossMidnight_ContinuesNextDay()
    {
        ZoneApplicability a = Weekly(null, null, new WeeklyPeriod(WeekDays.Sun, new TimeOnly(22, 0), new TimeOnly(2, 0)));
        DateTimeOffset sun = Mon.AddDays(-1);
        Assert.True(a.IsActiveAt(sun.AddHours(23)));
        Assert.True(a.IsActiveAt(Mon.AddHours(1)));
        Assert.False(a.IsActiveAt(Mon.AddHours(2)));
        Assert.False(a.IsActiveAt(Mon.AddHours(23))); // Monday 23:00 is not covered (period starts Sundays)
    }

    [Fact]
    public void ActiveIntervals_WeeklyOverTwoWeeks_MergedAndClipped()
    {
        ZoneApplicability a = Weekly(Mon.AddHours(12), Mon.AddDays(14), new WeeklyPeriod(WeekDays.Mon | WeekDays.Tue, new TimeOnly(8, 0), new TimeOnly(18, 0)));
        IReadOnlyList<TimeWindow> got = a.ActiveIntervals(new TimeWindow(Mon, Mon.AddDays(14)));
        Assert.Equal(
            [
                new TimeWindow(Mon.AddHours(12), Mon.AddHours(18)),
                new TimeWindow(Mon.AddDays(1).AddHours(8), Mon.AddDays(1).AddHours(18)),
                new TimeWindow(Mon.AddDays(7).AddHours(8), Mon.AddDays(7).AddHours(18)),
                new TimeWindow(Mon.AddDays(8).AddHours(8), Mon.AddDays(8).AddHours(18)),
            ],
            got);
    }

    [Fact]
    public void ActiveIntervals_AllDayPeriodsOnConsecutiveDays_AreJoined()
    {
        ZoneApplicability a = Weekly(null, null, new WeeklyPeriod(WeekDays.Sat | WeekDays.Sun, TimeOnly.MinValue, TimeOnly.MinValue));
        IReadOnlyList<TimeWindow> got = a.ActiveIntervals(new TimeWindow(Mon, Mon.AddDays(7)));
        Assert.Equal([new TimeWindow(Mon.AddDays(5), Mon.AddDays(7))], got);
    }

    [Fact]
    public void NeverApplies_WeekdayMissingInRange_True()
    {
        // Tuesday-only period in a range covering Wednesday to Friday.
        ZoneApplicability a = Weekly(Mon.AddDays(2), Mon.AddDays(5), new WeeklyPeriod(WeekDays.Tue, new TimeOnly(8, 0), new TimeOnly(9, 0)));
        Assert.True(a.NeverApplies);
        Assert.False(Weekly(Mon, Mon.AddDays(5), new WeeklyPeriod(WeekDays.Tue, new TimeOnly(8, 0), new TimeOnly(9, 0))).NeverApplies);
        Assert.True(new ZoneApplicability(false, Mon, Mon, []).NeverApplies);
        Assert.True(Weekly(null, null, new WeeklyPeriod(WeekDays.None, new TimeOnly(8, 0), new TimeOnly(9, 0))).NeverApplies);
    }

    [Fact]
    public void ActiveIntervals_RandomSchedules_AgreeWithIsActiveAtSampling()
    {
        Gen<WeeklyPeriod> period = Gen.Select(Gen.Int[1, 127], Gen.Int[0, 95], Gen.Int[0, 96],
            (d, s, e) => new WeeklyPeriod((WeekDays)d, TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(15 * s)),
                e == 96 ? TimeOnly.MaxValue : TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(15 * e))));
        Gen<ZoneApplicability> app = Gen.Select(period.Array[0, 3], Gen.Int[0, 20 * 96], Gen.Int[1, 20 * 96],
            (p, s, len) => new ZoneApplicability(false, Mon.AddMinutes(15 * s), Mon.AddMinutes(15 * (s + len)), p));

        app.Sample(a =>
        {
            var window = new TimeWindow(Mon.AddDays(-1), Mon.AddDays(30));
            IReadOnlyList<TimeWindow> intervals = a.ActiveIntervals(window);
            for (DateTimeOffset t = window.Start; t < window.End; t = t.AddMinutes(15))
            {
                bool inAny = intervals.Any(w => w.Contains(t));
                if (inAny != a.IsActiveAt(t))
                {
                    return false;
                }
            }

            for (int i = 1; i < intervals.Count; i++)
            {
                if (intervals[i].Start <= intervals[i - 1].End)
                {
                    return false;
                }
            }

            return a.NeverApplies == (a.ActiveIntervals(new TimeWindow(a.Start!.Value, a.End!.Value)).Count == 0);
        }, iter: 300);
    }

    [Fact]
    public void ZoneActiveIntervals_TwoEntries_Union()
    {
        Zone z = ZoneTestData.Zone("Z", new CircleFootprint(new GeoPoint(106.7, 26.6), 500), applicability:
        [
            new ZoneApplicability(false, Mon, Mon.AddHours(2), []),
            new ZoneApplicability(false, Mon.AddHours(1), Mon.AddHours(3), []),
        ]);
        Assert.Equal([new TimeWindow(Mon, Mon.AddHours(3))], z.ActiveIntervals(new TimeWindow(Mon.AddDays(-1), Mon.AddDays(1))));
        Assert.True(z.IsActiveDuring(new TimeWindow(Mon.AddHours(2.5), Mon.AddHours(4))));
        Assert.False(z.IsActiveDuring(new TimeWindow(Mon.AddHours(3), Mon.AddHours(4))));
    }
}
