using System.Text.Json;
using Yunlu.Cli;

namespace Yunlu.Server.Tests;

/// <summary><c>yunlu network</c> and <c>yunlu network bench</c> in process.</summary>
public sealed class NetworkCliTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await YunluCli.RunAsync(args, stdout, stderr, Ct);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Network_DemoSites_WritesGeoJsonWithZeroCrossingsAndStores()
    {
        string file = Path.Combine(_temp.Path, "net.geojson");
        var (code, output, err) = await RunAsync("network", "--sites", "demo", "--out", file, "--store", "--data", Path.Combine(_temp.Path, "data"));
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("same-layer crossings 0", output, StringComparison.Ordinal);
        Assert.Contains("stored", output, StringComparison.Ordinal);
        using JsonDocument doc = JsonDocument.Parse(await File.ReadAllBytesAsync(file, Ct));
        JsonElement report = doc.RootElement.GetProperty("report");
        Assert.Equal(0, report.GetProperty("sameLayerCrossings").GetInt32());
        Assert.True(report.GetProperty("keepOuts").GetInt32() > 0, "the demo's prohibited zones are avoided");
        Assert.True(report.GetProperty("vertiports").GetInt32() >= 5);
        Assert.Contains(doc.RootElement.GetProperty("features").EnumerateArray(), f => f.GetProperty("properties").GetProperty("id").GetString() == "VP-HT01");
    }

    [Theory]
    [InlineData("--layers", "3", "headingLayers")]
    [InlineData("--detour", "0.5", "detourTarget")]
    [InlineData("--kinds", "rocket", "--kinds")]
    public async Task Network_BadOption_ExitsInvalidInputNamingIt(string option, string value, string named)
    {
        var (code, _, err) = await RunAsync("network", "--sites", "demo", option, value);
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains(named, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Network_MissingSitesFile_ExitsInvalidInput()
    {
        var (code, _, err) = await RunAsync("network", "--sites", Path.Combine(_temp.Path, "nope.geojson"));
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("[file-missing]", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NetworkBench_SmallScenario_PrintsRunAndSummaryWithBaseline()
    {
        var (code, output, err) = await RunAsync("network", "bench", "--vertiports", "15", "--side-km", "6", "--zones", "2", "--seed", "3");
        Assert.True(code == ExitCodes.Ok, err);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using JsonDocument run = JsonDocument.Parse(lines[0]);
        Assert.Equal(0, run.RootElement.GetProperty("crossings").GetInt32());
        Assert.Equal("mst", run.RootElement.GetProperty("baseline").GetProperty("kind").GetString());
        Assert.True(run.RootElement.GetProperty("baseline").GetProperty("meanDetour").GetDouble() >= run.RootElement.GetProperty("meanDetour").GetDouble());
        using JsonDocument summary = JsonDocument.Parse(lines[1]);
        Assert.Equal(1, summary.RootElement.GetProperty("runs").GetInt32());
    }
}
