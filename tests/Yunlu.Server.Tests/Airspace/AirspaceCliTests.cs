using Yunlu.Cli;
using Yunlu.Cli.Commands;

namespace Yunlu.Server.Tests.Airspace;

/// <summary><c>yunlu grid</c>, <c>yunlu bench plan</c> and <c>yunlu check</c>, run in-process.</summary>
public sealed class AirspaceCliTests : IDisposable
{
    private readonly TempFolder _data = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _data.Dispose();

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await YunluCli.RunAsync(args, stdout, stderr, Ct);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string Repo(params string[] parts) => Path.Combine([RepoPaths.FindRepoRoot()!, .. parts]);

    [Fact]
    public async Task GridEncodeDecode_StandardVector_JsonOut_BadCodeExitsOneWithOneLine()
    {
        var (code, output, _) = await RunAsync("grid", "encode", "--lat", "39.99316111", "--lon", "116.31260278", "--level", "8");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("\"code\":\"N50J47539B825534\"", output, StringComparison.Ordinal);
        (code, output, _) = await RunAsync("grid", "encode", "--lat", "26.5", "--lon", "106.8", "--height", "120", "--level", "10");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("\"heightFloorW84M\":", output, StringComparison.Ordinal);
        (code, output, _) = await RunAsync("grid", "decode", "N50J475493E");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("\"level\":5", output, StringComparison.Ordinal);

        var (bad, _, err) = await RunAsync("grid", "decode", "N50J4753ZB82");
        Assert.Equal(ExitCodes.InvalidInput, bad);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("position 8", line, StringComparison.Ordinal);
        Assert.Contains("latitude digit must be 0-9", line, StringComparison.Ordinal);
        (bad, _, _) = await RunAsync("grid", "encode", "--lat", "26.5", "--lon", "106.8", "--level", "0");
        Assert.Equal(ExitCodes.InvalidInput, bad);
    }

    [Fact]
    public async Task BenchPlan_SimpleMap_WritesOneLinePerProblemAndSummary()
    {
        var map = Repo("tests", "Yunlu.Routing.Tests", "data", "Simple.3dmap");
        var (code, output, err) = await RunAsync("bench", "plan", "--map", map, "--scen", map + ".3dscen", "--limit", "5");
        Assert.Equal(ExitCodes.Ok, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        Assert.StartsWith("{\"problem\":0,\"optimal\":", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("{\"problems\":5,\"mismatches\":0,\"p50_ms\":", lines[5], StringComparison.Ordinal);
        Assert.Contains("bench plan:", err, StringComparison.Ordinal);
        var (missing, _, _) = await RunAsync("bench", "plan", "--map", map + ".nope", "--scen", map + ".3dscen");
        Assert.Equal(ExitCodes.IoError, missing);
    }

    [Fact]
    public async Task Check_DemoZones_ExitCodesFollowVerdict()
    {
        var (imported, _, _) = await RunAsync("import", "zones", Repo("data", "demo", "zones-ed269.json"), "--data", _data.Path);
        Assert.Equal(ExitCodes.Ok, imported);
        string[] window = ["--from", "2026-06-10T09:00:00+08:00", "--to", "2026-06-10T10:00:00+08:00", "--data", _data.Path];
        var (code, output, _) = await RunAsync(["check", "--lon", "106.8008", "--lat", "26.5385", "--alt", "50", "--ref", "AGL", "--class", "micro", .. window]);
        Assert.Equal(AirspaceCommands.Prohibited, code);
        Assert.StartsWith("verdict: prohibited", output, StringComparison.Ordinal);
        Assert.Contains("GY-AP01", output, StringComparison.Ordinal);

        // Far from every zone, 40 m true height, light: 适飞空域, green.
        (code, output, _) = await RunAsync(["check", "--lon", "106.95", "--lat", "26.95", "--alt", "40", "--ref", "AGL", "--class", "light", .. window]);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("open-airspace", output, StringComparison.Ordinal);

        // The same point in AMSL with no terrain in the store: the true height is unknown, so an application is needed.
        (code, output, _) = await RunAsync(["check", "--lon", "106.95", "--lat", "26.95", "--alt", "1300", "--ref", "AMSL", "--class", "light", .. window]);
        Assert.Equal(AirspaceCommands.NeedsAuthorisation, code);
        Assert.Contains("true-height-unknown", output, StringComparison.Ordinal);

        // A route across the airport.
        var route = Path.Combine(_data.Path, "route.geojson");
        await File.WriteAllTextAsync(route, """{ "type": "LineString", "coordinates": [[106.79, 26.53, 60], [106.81, 26.55, 60]] }""", Ct);
        (code, output, _) = await RunAsync(["check", "--route", route, "--ref", "AGL", "--class", "small", "--json", .. window]);
        Assert.Equal(AirspaceCommands.Prohibited, code);
        Assert.Contains("\"zoneId\":\"GY-AP01\"", output, StringComparison.Ordinal);

        var (bad, _, err) = await RunAsync(["check", "--lon", "106.8", "--lat", "126.5", "--alt", "50", "--class", "micro", .. window]);
        Assert.Equal(ExitCodes.InvalidInput, bad);
        Assert.Contains("[lat-range]", Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        (bad, _, err) = await RunAsync(["check", "--lon", "106.8", "--lat", "26.5", "--alt", "50", "--class", "jumbo", .. window]);
        Assert.Equal(ExitCodes.InvalidInput, bad);
        Assert.Contains("--class", err, StringComparison.Ordinal);
    }
}
