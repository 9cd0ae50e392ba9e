using Yunlu.Airspace.Operations;
using Yunlu.Geo;

namespace Yunlu.Operations.Tests;

public sealed class StrategicCheckerTests
{
    [Fact]
    public void Check_OverlappingIntent_ReportsWhichWhereWhen()
    {
        using var index = new IntentIndex();
        var other = Guid.NewGuid();
        index.Add(other, IntentPriority.Normal, [TestData.Box(106.70, 26.60, 106.72, 26.62, 1000, 1030, 0, 20)]);
        var checker = new StrategicChecker(index);
        OperationalIntent ours = TestData.Intent(Guid.NewGuid(), IntentPriority.Normal,
            TestData.Box(106.80, 26.60, 106.81, 26.61, 1000, 1030, 0, 10),
            TestData.Box(106.71, 26.61, 106.73, 26.63, 1010, 1040, 10, 30));
        DeconflictionReport report = ours.Check(checker);
        Conflict c = Assert.Single(report.Conflicts);
        Assert.False(report.IsClear);
        Assert.Equal((ConflictKind.Intent, 1, other, 0), (c.Kind, c.VolumeIndex, c.IntentId!.Value, c.OtherVolumeIndex!.Value));
        Assert.Equal(new GeoBounds(106.71, 26.61, 106.72, 26.62), c.Where);
        Assert.Equal(new TimeWindow(TestData.T0.AddMinutes(10), TestData.T0.AddMinutes(20)), c.When);
    }

    [Fact]
    public void Check_LowerPriorityIntent_NeverBlocksEmergency()
    {
        using var index = new IntentIndex();
        index.Add(Guid.NewGuid(), IntentPriority.PublicService, [TestData.Box(106.70, 26.60, 106.72, 26.62, 1000, 1030, 0, 20)]);
        var checker = new StrategicChecker(index);
        Volume4D v = TestData.Box(106.71, 26.61, 106.73, 26.63, 1000, 1030, 0, 20);
        DeconflictionReport emergency = TestData.Intent(Guid.NewGuid(), IntentPriority.Emergency, v).Check(checker);
        DeconflictionReport normal = TestData.Intent(Guid.NewGuid(), IntentPriority.Normal, v).Check(checker);
        DeconflictionReport publicService = TestData.Intent(Guid.NewGuid(), IntentPriority.PublicService, v).Check(checker);
        Assert.True(emergency.IsClear);
        Assert.False(Assert.Single(emergency.Conflicts).Blocking);
        Assert.False(normal.IsClear);
        Assert.False(publicService.IsClear);
    }

    [Fact]
    public void FindEarliestStartShift_ChainOfConflicts_EndOfLastOne()
    {
        // Blocked by A in [0, 20) and, once shifted past A, by B in [25, 50): with a 10 min flight the first clear
        // start is 50 (starting at 20 would overlap B from 25; 50 − 0 = 50 min shift).
        using var index = new IntentIndex();
        index.Add(Guid.NewGuid(), IntentPriority.Normal, [TestData.Box(106.70, 26.60, 106.72, 26.62, 1000, 1030, 0, 20)]);
        index.Add(Guid.NewGuid(), IntentPriority.Normal, [TestData.Box(106.70, 26.60, 106.72, 26.62, 1000, 1030, 25, 50)]);
        index.Add(Guid.NewGuid(), IntentPriority.Normal, [TestData.Box(106.70, 26.60, 106.72, 26.62, 1000, 1030, 60, 70)]);
        var checker = new StrategicChecker(index);
        OperationalIntent ours = TestData.Intent(Guid.NewGuid(), IntentPriority.Normal, TestData.Box(106.71, 26.61, 106.73, 26.63, 1000, 1030, 5, 15));
        Resolution r = Assert.IsType<Resolution>(checker.FindEarliestStartShift(ours, TimeSpan.FromHours(2)));
        Assert.Equal(TimeSpan.FromMinutes(45), r.StartShift);
        Assert.Equal(TestData.T0.AddMinutes(50), r.Volumes[0].Time.Start);
        Assert.True((ours with { Volumes = r.Volumes }).Check(checker).IsClear);
    }

    [Fact]
    public void FindEarliestStartShift_MatchesMinuteByMinuteSearch()
    {
        var rnd = new Random(7);
        for (int round = 0; round < 20; round++)
        {
            using var index = new IntentIndex();
            for (int i = 0; i < 30; i++)
            {
                index.Add(Guid.NewGuid(), IntentPriority.Normal, [TestData.RandomVolume(rnd)]);
            }

            var checker = new StrategicChecker(index);
            OperationalIntent ours = TestData.Intent(Guid.NewGuid(), IntentPriority.Normal, TestData.RandomVolume(rnd), TestData.RandomVolume(rnd));
            Resolution? r = checker.FindEarliestStartShift(ours, TimeSpan.FromHours(4));
            // Every conflict end lies on the 5-minute lattice, so the brute force over whole minutes is exact.
            int brute = Enumerable.Range(0, 241).First(m => Shifted(ours, m).Check(checker).IsClear);
            Assert.Equal(TimeSpan.FromMinutes(brute), r!.StartShift);
        }
    }

    [Fact]
    public void FindAltitudeLayer_LowerLayersTaken_NearestFreeLayer()
    {
        using var index = new IntentIndex();
        const double ground = 1000;
        index.Add(Guid.NewGuid(), IntentPriority.Normal, [TestData.Box(106.70, 26.60, 106.72, 26.62, ground + 30, ground + 90, 0, 30)]);
        var checker = new StrategicChecker(index);
        OperationalIntent ours = TestData.Intent(Guid.NewGuid(), IntentPriority.Normal, TestData.Box(106.71, 26.61, 106.73, 26.63, ground + 30, ground + 60, 0, 10));
        Resolution r = Assert.IsType<Resolution>(checker.FindAltitudeLayer(ours, _ => ground));
        Assert.Equal(0, r.AltitudeLayer);
        Assert.Equal(Altitude.W84(ground), r.Volumes[0].Volume.Lower);
        Assert.Equal(Altitude.W84(ground + 30), r.Volumes[0].Volume.Upper);
    }

    [Fact]
    public void Check_ZoneEffects_BlockUnlessAuthorisedOrAdvisory()
    {
        using var index = new IntentIndex();
        var zones = new ZoneConstraintList(
        [
            new ZoneConstraint("GY-P1", "prohibited", TestData.Box(106.70, 26.60, 106.72, 26.62, 0, 5000, 0, 60), ZoneEffect.Blocks),
            new ZoneConstraint("GY-R1", "authorisation", TestData.Box(106.80, 26.60, 106.82, 26.62, 0, 5000, 0, 60), ZoneEffect.RequiresAuthorisation),
            new ZoneConstraint("GY-I1", "info", TestData.Box(106.90, 26.60, 106.92, 26.62, 0, 5000, 0, 60), ZoneEffect.Advisory),
        ]);
        var checker = new StrategicChecker(index, zones);
        OperationalIntent ours = TestData.Intent(Guid.NewGuid(), IntentPriority.Normal,
            TestData.Box(106.71, 26.61, 106.711, 26.611, 1000, 1030, 0, 10),
            TestData.Box(106.81, 26.61, 106.811, 26.611, 1000, 1030, 10, 20),
            TestData.Box(106.91, 26.61, 106.911, 26.611, 1000, 1030, 20, 30));
        DeconflictionReport report = ours.Check(checker);
        Assert.Equal(["GY-P1", "GY-R1"], report.Blocking.Select(c => c.ZoneId!).Order(StringComparer.Ordinal));
        Assert.Equal(3, report.Conflicts.Count);
        DeconflictionReport authorised = (ours with { ZoneAuthorisations = ["GY-R1"] }).Check(checker);
        Assert.Equal("GY-P1", Assert.Single(authorised.Blocking).ZoneId);
        // The zone is active [0, 60): the earliest shift moves the first volume to minute 60.
        Assert.Equal(TimeSpan.FromMinutes(60), checker.FindEarliestStartShift(ours, TimeSpan.FromHours(3))!.StartShift);
    }

    [Fact]
    public void Check_CellFull_CapacityConflictForOverlapOnly()
    {
        using var index = new IntentIndex();
        // Two intents in one 1' cell (level 4) around 106.705E 26.605N, at [0, 20) and [10, 30); capacity 2.
        index.Add(Guid.NewGuid(), IntentPriority.Normal, [TestData.Box(106.7010, 26.6010, 106.7020, 26.6020, 1000, 1030, 0, 20)]);
        index.Add(Guid.NewGuid(), IntentPriority.Normal, [TestData.Box(106.7030, 26.6030, 106.7040, 26.6040, 1060, 1090, 10, 30)]);
        var checker = new StrategicChecker(index, capacity: new UniformCellCapacity(4, 2));
        OperationalIntent ours = TestData.Intent(Guid.NewGuid(), IntentPriority.Normal, TestData.Box(106.7050, 26.6050, 106.7060, 26.6060, 1030, 1060, 0, 40));
        Conflict c = Assert.Single(ours.Check(checker).Conflicts);
        Assert.Equal(ConflictKind.CellCapacity, c.Kind);
        Assert.Equal(new TimeWindow(TestData.T0.AddMinutes(10), TestData.T0.AddMinutes(20)), c.When);
        Assert.NotNull(c.CellCode);
        Assert.True(TestData.Intent(Guid.NewGuid(), IntentPriority.Emergency, ours.Volumes[0]).Check(checker).IsClear);
        Assert.Equal(TimeSpan.FromMinutes(20), checker.FindEarliestStartShift(ours, TimeSpan.FromHours(1))!.StartShift);
    }

    [Fact]
    public void Check_TwoVolumesInOneFullCell_OnlyTheVolumeInTheFullRunConflicts()
    {
        using var index = new IntentIndex();
        index.Add(Guid.NewGuid(), IntentPriority.Normal, [TestData.Box(106.7010, 26.6010, 106.7020, 26.6020, 1000, 1030, 0, 20)]);
        index.Add(Guid.NewGuid(), IntentPriority.Normal, [TestData.Box(106.7030, 26.6030, 106.7040, 26.6040, 1060, 1090, 10, 30)]);
        var checker = new StrategicChecker(index, capacity: new UniformCellCapacity(4, 2));
        // Both volumes in the same 1' cell: [0, 5) while only one intent is there, [12, 18) while both are.
        OperationalIntent ours = TestData.Intent(Guid.NewGuid(), IntentPriority.Normal,
            TestData.Box(106.7050, 26.6050, 106.7060, 26.6060, 1030, 1060, 0, 5),
            TestData.Box(106.7060, 26.6050, 106.7070, 26.6060, 1030, 1060, 12, 18));
        Conflict c = Assert.Single(ours.Check(checker).Conflicts);
        Assert.Equal((ConflictKind.CellCapacity, 1), (c.Kind, c.VolumeIndex));
        Assert.Equal(new TimeWindow(TestData.T0.AddMinutes(12), TestData.T0.AddMinutes(18)), c.When);
    }

    [Fact]
    public async Task ResolveAsync_RerouteHook_ProposalCheckedBeforeOffered()
    {
        using var index = new IntentIndex();
        index.Add(Guid.NewGuid(), IntentPriority.Normal, [TestData.Box(106.70, 26.60, 106.72, 26.62, 1000, 1030, 0, 600)]);
        var checker = new StrategicChecker(index);
        OperationalIntent ours = TestData.Intent(Guid.NewGuid(), IntentPriority.Normal, TestData.Box(106.71, 26.61, 106.73, 26.63, 1000, 1030, 0, 10));
        var router = new FixedRouter(TestData.Box(106.75, 26.61, 106.77, 26.63, 1000, 1030, 0, 10));
        IReadOnlyList<Resolution> rs = await checker.ResolveAsync(ours, new ResolutionOptions { MaxStartShift = TimeSpan.FromMinutes(30), Reroute = router }, TestContext.Current.CancellationToken);
        Resolution r = Assert.Single(rs);
        Assert.Equal((ResolutionKind.Reroute, "route-2"), (r.Kind, r.RouteRef));
        Assert.Single(router.SeenConflicts);
        Assert.Equal(ours.Span, router.SeenWindow);
    }

    [Fact]
    public async Task ResolveAsync_RerouteStillConflicting_NotOffered()
    {
        using var index = new IntentIndex();
        index.Add(Guid.NewGuid(), IntentPriority.Normal, [TestData.Box(106.70, 26.60, 106.72, 26.62, 1000, 1030, 0, 600)]);
        var checker = new StrategicChecker(index);
        OperationalIntent ours = TestData.Intent(Guid.NewGuid(), IntentPriority.Normal, TestData.Box(106.71, 26.61, 106.73, 26.63, 1000, 1030, 0, 10));
        // The proposal only moves east by 0.005°, still inside the booked box.
        var router = new FixedRouter(TestData.Box(106.715, 26.61, 106.735, 26.63, 1000, 1030, 0, 10));
        IReadOnlyList<Resolution> rs = await checker.ResolveAsync(ours, new ResolutionOptions { MaxStartShift = TimeSpan.Zero, Reroute = router }, TestContext.Current.CancellationToken);
        Assert.Empty(rs);
        Assert.Single(router.SeenConflicts);
    }

    private static OperationalIntent Shifted(OperationalIntent i, int minutes) => i with
    {
        Volumes = [.. i.Volumes.Select(v => new Volume4D(v.Volume, new TimeWindow(v.Time.Start.AddMinutes(minutes), v.Time.End.AddMinutes(minutes))))],
    };

    private sealed class FixedRouter(Volume4D volume) : IIntentRerouter
    {
        public IReadOnlyList<Conflict> SeenConflicts { get; private set; } = [];

        public TimeWindow? SeenWindow { get; private set; }

        public ValueTask<RerouteProposal?> RerouteAsync(IReadOnlyList<Volume4D> volumes, IReadOnlyList<Conflict> conflicts, TimeWindow window, CancellationToken cancellationToken)
        {
            SeenConflicts = conflicts;
            SeenWindow = window;
            return ValueTask.FromResult<RerouteProposal?>(new RerouteProposal([volume], "route-2", "east of the conflict"));
        }
    }
}

internal static class CheckerExtensions
{
    public static DeconflictionReport Check(this OperationalIntent intent, StrategicChecker checker) => checker.Check(intent);
}
