using System.Text.Json;
using Yunlu.Cli;

namespace Yunlu.Server.Tests.Cli;

/// <summary><c>yunlu supervise replay</c> and <c>yunlu simulate</c>, run in-process with captured output.</summary>
public sealed class SuperviseCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Root => RepoPaths.FindRepoRoot() ?? throw new InvalidOperationException("tests run inside the repository");

    private static string Scenario(string name) => Path.Combine(Root, "tests", "Yunlu.Supervision.Tests", "data", "scenarios", name);

    private static string DemoZones => Path.Combine(Root, "data", "demo", "zones-ed269.json");

    public void Dispose() => _dir.Dispose();

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await YunluCli.RunAsync(args, stdout, stderr, Ct);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Theory]
    [InlineData("supervise", "--help")]
    [InlineData("supervise", "replay", "--help")]
    [InlineData("simulate", "--help")]
    public async Task Help_SuperviseCommands_ExitsZeroAndDescribes(params string[] args)
    {
        var (code, output, _) = await RunAsync(args);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("supervise", "replay", "--zones", "z.geojson", "--out", "a.jsonl")]
    [InlineData("simulate", "--drones", "3")]
    public async Task MissingRequiredOption_ExitsTwo(params string[] args)
    {
        var (code, _, err) = await RunAsync(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.False(string.IsNullOrWhiteSpace(err));
    }

    [Theory]
    [InlineData("zone-entry", false)]
    [InlineData("head-on", false)]
    [InlineData("silent", false)]
    [InlineData("leave-intent", true)]
    public async Task Replay_GoldenScenario_WritesExactlyTheExpectedJsonl(string name, bool withIntents)
    {
        string output = Path.Combine(_dir.Path, name + ".jsonl");
        List<string> args = ["supervise", "replay", "--zones", Scenario("zones.geojson"), "--telemetry", Scenario(name + ".csv"), "--out", output];
        if (withIntents)
        {
            args.AddRange(["--intents", Scenario(name + ".intents.json")]);
        }

        var (code, _, err) = await RunAsync([.. args]);

        Assert.Equal(ExitCodes.Ok, code);
        string[] expected = await File.ReadAllLinesAsync(Scenario(name + ".expected.jsonl"), Ct);
        Assert.Equal(expected, await File.ReadAllLinesAsync(output, Ct));
        string summary = Assert.Single(Lines(err));
        Assert.Contains($"{expected.Length} alert events", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_BadCsv_ExitsOneWithOneLineNamingLineAndField_WritesNothing()
    {
        string csv = Path.Combine(_dir.Path, "bad.csv");
        await File.WriteAllTextAsync(csv,
            "time_utc,aircraft_id,lat_deg,lon_deg,alt_m,alt_ref,vn_mps,ve_mps,vu_mps\n" +
            "2025-06-01T08:00:00Z,A1,26.6,106.7,1200,AMSL,0,10,0\n" +
            "2025-06-01T08:00:01Z,A1,26.6,106.7001,1200,FLIGHTLEVEL,0,10,0\n", Ct);
        string output = Path.Combine(_dir.Path, "alerts.jsonl");

        var (code, _, err) = await RunAsync("supervise", "replay", "--zones", Scenario("zones.geojson"), "--telemetry", csv, "--out", output);

        Assert.Equal(ExitCodes.InvalidInput, code);
        string line = Assert.Single(Lines(err));
        Assert.Contains("bad.csv", line, StringComparison.Ordinal);
        Assert.Contains("alt_ref", line, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Simulate_UnknownFault_ExitsOneNamingTheOption()
    {
        var (code, _, err) = await RunAsync("simulate", "--faults", "off-plan,meteor", "--out", Path.Combine(_dir.Path, "t.csv"));

        Assert.Equal(ExitCodes.InvalidInput, code);
        string line = Assert.Single(Lines(err));
        Assert.Contains("--faults", line, StringComparison.Ordinal);
        Assert.Contains("meteor", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "t.csv")));
    }

    [Fact]
    public async Task Simulate_SameSeed_SameFile_OtherSeed_Differs()
    {
        string a = Path.Combine(_dir.Path, "a.csv"), b = Path.Combine(_dir.Path, "b.csv"), c = Path.Combine(_dir.Path, "c.csv");
        Assert.Equal(ExitCodes.Ok, (await RunAsync("simulate", "--drones", "10", "--seed", "5", "--duration", "20", "--out", a)).Code);
        Assert.Equal(ExitCodes.Ok, (await RunAsync("simulate", "--drones", "10", "--seed", "5", "--duration", "20", "--out", b)).Code);
        Assert.Equal(ExitCodes.Ok, (await RunAsync("simulate", "--drones", "10", "--seed", "6", "--duration", "20", "--out", c)).Code);

        string ta = await File.ReadAllTextAsync(a, Ct);
        Assert.Equal(ta, await File.ReadAllTextAsync(b, Ct));
        Assert.NotEqual(ta, await File.ReadAllTextAsync(c, Ct));
        // Header plus 10 drones × 21 seconds (0 … 20).
        Assert.Equal(1 + (10 * 21), Lines(ta).Length);
    }

    [Fact]
    public async Task SimulateThenReplay_InjectedFaults_RaiseTheirAlerts()
    {
        string csv = Path.Combine(_dir.Path, "traffic.csv"), intents = Path.Combine(_dir.Path, "intents.json"), alerts = Path.Combine(_dir.Path, "alerts.jsonl");

        var sim = await RunAsync("simulate", "--drones", "40", "--seed", "7", "--duration", "900", "--faults", "off-plan,incursion,lost-link,converging",
            "--out", csv, "--intents-out", intents, "--zones", DemoZones);
        Assert.Equal(ExitCodes.Ok, sim.Code);
        var replay = await RunAsync("supervise", "replay", "--zones", DemoZones, "--intents", intents, "--telemetry", csv, "--out", alerts);
        Assert.Equal(ExitCodes.Ok, replay.Code);

        var raised = new List<(string Kind, string Aircraft, string? Other)>();
        foreach (string line in await File.ReadAllLinesAsync(alerts, Ct))
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement e = doc.RootElement;
            if (e.GetProperty("event").GetString() == "raised")
            {
                raised.Add((e.GetProperty("kind").GetString()!, e.GetProperty("aircraft").GetString()!, e.GetProperty("other").GetString()));
            }
        }

        HashSet<string> Raised(string kind) => raised.Where(r => r.Kind == kind).Select(r => r.Aircraft).ToHashSet(StringComparer.Ordinal);

        // 40 drones: max(1, 40/20) = 2 per fault, assigned in order: off-plan SIM000000–01, incursion 02–03, lost link 04–05;
        // converging: max(1, 40/40) = 1 extra pair CNV0000A/B (no intent).
        Assert.Equal(["SIM000004", "SIM000005"], Raised("lost_link").Order(StringComparer.Ordinal));
        Assert.Superset(new HashSet<string>(["SIM000000", "SIM000001"], StringComparer.Ordinal), Raised("nonconforming"));
        Assert.Subset(new HashSet<string>(["SIM000002", "SIM000003"], StringComparer.Ordinal), Raised("zone_incursion"));
        Assert.Equal(["CNV0000A", "CNV0000B"], Raised("no_intent").Order(StringComparer.Ordinal));
        Assert.Contains(raised, r => r is { Kind: "separation_loss", Aircraft: "CNV0000A", Other: "CNV0000B" });
        Assert.NotEmpty(Raised("zone_incursion"));
    }
}
