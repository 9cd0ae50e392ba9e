using Yunlu.Formats.Telemetry;
using Yunlu.Supervision.Checks;

namespace Yunlu.Supervision.Tests;

/// <summary>
/// Golden scenarios with closed-form answers (data/scenarios/README.md): the replay must write exactly the expected
/// alert lines, raised and cleared at the expected seconds.
/// </summary>
public sealed class ScenarioTests
{
    public static TheoryData<string, bool> Scenarios() => new()
    {
        { "head-on", false },
        { "crossing", false },
        { "overtaking", false },
        { "climbing-through", false },
        { "zone-entry", false },
        { "leave-intent", true },
        { "leave-intent-lands", true },
        { "silent", false },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Replay_Scenario_WritesExactlyTheExpectedAlerts(string name, bool withIntents)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "data", "scenarios");
        string output = Path.Combine(Path.GetTempPath(), $"yunlu-{name}-{Guid.NewGuid():N}.jsonl");
        try
        {
            ReplayResult r = SupervisionReplay.Run(
                Path.Combine(dir, "zones.geojson"),
                withIntents ? Path.Combine(dir, name + ".intents.json") : null,
                Path.Combine(dir, name + ".csv"),
                output,
                cancellationToken: TestContext.Current.CancellationToken);
            Assert.True(r.Ok, string.Join("\n", r.Errors));
            string[] expected = File.ReadAllLines(Path.Combine(dir, name + ".expected.jsonl"));
            string[] actual = File.ReadAllLines(output);
            Assert.Equal(expected, actual);
            Assert.Equal(expected.Length, r.EventsWritten);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void Replay_LeaveIntent_IntentEndsContingent()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "data", "scenarios");
        using FileStream zs = File.OpenRead(Path.Combine(dir, "zones.geojson"));
        using FileStream its = File.OpenRead(Path.Combine(dir, "leave-intent.intents.json"));
        using FileStream ts = File.OpenRead(Path.Combine(dir, "leave-intent.csv"));
        var zones = Yunlu.Formats.ZoneFiles.Read(zs, "zones.geojson").Items;
        var intents = IntentFiles.Read(its).Items;
        var reports = TelemetryCsv.Read(ts).Items;
        var store = new Tracks.TrackStore(reports[0].Position, Yunlu.Geo.AltitudeConverter.Egm96Only);
        var engine = new SupervisionEngine(store, zones, intents, new SupervisionOptions { RequireIntent = true });
        Replay.ReplayRunner.Run(engine, reports, _ => { }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(SupervisedIntentState.Contingent, engine.IntentState("I6"));
    }

    [Fact]
    public void Replay_BadTelemetry_WritesNothingAndNamesTheLine()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "data", "scenarios");
        string bad = Path.Combine(Path.GetTempPath(), $"yunlu-bad-{Guid.NewGuid():N}.csv");
        string output = Path.Combine(Path.GetTempPath(), $"yunlu-bad-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(bad, TelemetryCsv.Header + "\n2025-06-01T08:00:00Z,X,91,106.7,100,AMSL,,,\n");
        try
        {
            ReplayResult r = SupervisionReplay.Run(Path.Combine(dir, "zones.geojson"), null, bad, output, cancellationToken: TestContext.Current.CancellationToken);
            Assert.False(r.Ok);
            Assert.Contains(r.Errors, e => e.Contains("lat_deg", StringComparison.Ordinal) && e.Contains("lat-range", StringComparison.Ordinal));
            Assert.False(File.Exists(output));
        }
        finally
        {
            File.Delete(bad);
        }
    }
}
