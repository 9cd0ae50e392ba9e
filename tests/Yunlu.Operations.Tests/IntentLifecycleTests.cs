using Yunlu.Airspace.Operations;
using Yunlu.Geo;

namespace Yunlu.Operations.Tests;

public sealed class IntentLifecycleTests
{
    private static readonly DateTimeOffset Now = TestData.T0.AddMinutes(-10);

    [Theory]
    [InlineData(IntentState.Draft, IntentState.Submitted, true)]
    [InlineData(IntentState.Submitted, IntentState.Accepted, true)]
    [InlineData(IntentState.Accepted, IntentState.Activated, true)]
    [InlineData(IntentState.Activated, IntentState.Nonconforming, true)]
    [InlineData(IntentState.Nonconforming, IntentState.Activated, true)]
    [InlineData(IntentState.Contingent, IntentState.Ended, true)]
    [InlineData(IntentState.Rejected, IntentState.Submitted, true)]
    [InlineData(IntentState.Draft, IntentState.Accepted, false)]
    [InlineData(IntentState.Accepted, IntentState.Ended, false)]
    [InlineData(IntentState.Ended, IntentState.Activated, false)]
    [InlineData(IntentState.Contingent, IntentState.Activated, false)]
    public void CanTransition_Table_MatchesLifecycle(IntentState from, IntentState to, bool allowed) =>
        Assert.Equal(allowed, IntentStateMachine.CanTransition(from, to));

    [Fact]
    public void Transition_InvalidChange_NamesStatesAndAllowedOnes()
    {
        OperationalIntent draft = Draft();
        IntentChangeResult r = IntentChanges.Transition(draft, draft.Ovn, IntentState.Activated, Now);
        Assert.Equal(IntentChangeStatus.InvalidTransition, r.Status);
        IntentError e = Assert.Single(r.Errors);
        Assert.Equal("state", e.Field);
        Assert.Contains("Draft to Activated", e.Message, StringComparison.Ordinal);
        Assert.Contains("Submitted", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transition_EveryChange_NewOvnAndVersion()
    {
        OperationalIntent draft = Draft();
        IntentChangeResult r = IntentChanges.Transition(draft, draft.Ovn, IntentState.Submitted, Now);
        Assert.True(r.IsOk);
        Assert.NotEqual(draft.Ovn, r.Intent!.Ovn);
        Assert.True(Ovn.IsWellFormed(r.Intent.Ovn));
        Assert.Equal(draft.Version + 1, r.Intent.Version);
    }

    [Fact]
    public void Transition_StaleOvn_IsStaleAndUnchanged()
    {
        OperationalIntent draft = Draft();
        OperationalIntent submitted = IntentChanges.Transition(draft, draft.Ovn, IntentState.Submitted, Now).Intent!;
        IntentChangeResult r = IntentChanges.Transition(submitted, draft.Ovn, IntentState.Withdrawn, Now);
        Assert.Equal(IntentChangeStatus.Stale, r.Status);
        Assert.Same(submitted, r.Intent);
        Assert.Equal(IntentRules.OvnStale, Assert.Single(r.Errors).Rule);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("has space in it, long enough")]
    [InlineData(null)]
    public void IsWellFormed_BadOvn_False(string? ovn) => Assert.False(Ovn.IsWellFormed(ovn));

    [Fact]
    public void New_ManyOvns_DistinctAndUrlSafe()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 1000; i++)
        {
            string o = Ovn.New();
            Assert.True(Ovn.IsWellFormed(o), o);
            Assert.True(set.Add(o));
        }
    }

    [Fact]
    public void Validate_EmptyVolumes_Required()
    {
        IntentError e = Assert.Single(IntentValidator.Validate([], Now));
        Assert.Equal(("volumes", IntentRules.Required), (e.Field, e.Rule));
    }

    [Fact]
    public void Validate_PastAndTooFarAhead_FieldAndRule()
    {
        Volume4D past = TestData.Box(106.7, 26.6, 106.71, 26.61, 1000, 1030, -60, -30);
        Volume4D far = TestData.Box(106.7, 26.6, 106.71, 26.61, 1000, 1030, 60 * 24 * 31, (60 * 24 * 31) + 10);
        IReadOnlyList<IntentError> errors = IntentValidator.Validate([past, far], Now);
        Assert.Contains(errors, e => e.Field == "volumes[0].time.start" && e.Rule == IntentRules.InPast);
        Assert.Contains(errors, e => e.Field == "volumes[1].time.end" && e.Rule == IntentRules.TooFarAhead);
    }

    [Fact]
    public void Validate_AglAltitudes_AltitudeReference()
    {
        var agl = new Volume4D(new Volume3D(new CircleFootprint(new GeoPoint(106.7, 26.6), 100), Altitude.Agl(0), Altitude.Agl(30)), new TimeWindow(TestData.T0, TestData.T0.AddMinutes(5)));
        IntentError e = Assert.Single(IntentValidator.Validate([agl], Now));
        Assert.Equal(("volumes[0].altitude", IntentRules.AltitudeReference), (e.Field, e.Rule));
    }

    [Fact]
    public void Validate_MoreThan10000Vertices_TooManyVertices()
    {
        var poly = new CircleFootprint(new GeoPoint(106.7, 26.6), 1000).ToPolygon(0.01);
        int perVolume = IntentValidator.CountVertices(poly);
        int count = (10_000 / perVolume) + 1;
        var vols = Enumerable.Range(0, count).Select(_ => TestData.Vol(new PolygonFootprint(poly), 1000, 1030, TestData.T0, TestData.T0.AddMinutes(5))).ToList();
        Assert.Contains(IntentValidator.Validate(vols, Now), e => e.Rule == IntentRules.TooManyVertices);
    }

    [Fact]
    public void TryCreateVolume_EndBeforeStart_ErrorNoVolume()
    {
        var errors = new List<IntentError>();
        Volume4D? v = IntentValidator.TryCreateVolume(new CircleFootprint(new GeoPoint(106.7, 26.6), 100), 1000, 900, TestData.T0, TestData.T0, "volumes[0]", errors);
        Assert.Null(v);
        Assert.Contains(errors, e => e.Field == "volumes[0].time.end" && e.Rule == IntentRules.EndNotAfterStart);
        Assert.Contains(errors, e => e.Field == "volumes[0].upperW84M" && e.Rule == IntentRules.CeilingBelowFloor);
    }

    private static OperationalIntent Draft() =>
        IntentChanges.CreateDraft(TestData.Intent(Guid.NewGuid(), IntentPriority.Normal, TestData.Box(106.7, 26.6, 106.71, 26.61, 1000, 1030, 0, 10)), Now).Intent!;
}
