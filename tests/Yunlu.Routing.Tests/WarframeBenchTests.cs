using System.Text.Json;
using Yunlu.Routing.Grid;

namespace Yunlu.Routing.Tests;

public sealed class WarframeBenchTests
{
    private static (List<JsonElement> Lines, WarframeBenchSummary Summary) RunSimple(WarframeBenchOptions options)
    {
        using var output = new StringWriter();
        WarframeBenchSummary summary = WarframeBench.Run(Reference.DataPath("Simple.3dmap"), Reference.DataPath("Simple.3dmap.3dscen"),
            options, output, TestContext.Current.CancellationToken);
        var lines = new List<JsonElement>();
        foreach (string line in output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            lines.Add(doc.RootElement.Clone());
        }

        return (lines, summary);
    }

    private static string[] Names(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public void Run_DefaultOptions_WritesIssueFormatOnly()
    {
        (List<JsonElement> lines, WarframeBenchSummary summary) = RunSimple(new WarframeBenchOptions(Limit: 12));
        Assert.Equal(13, lines.Count);
        for (int i = 0; i < 12; i++)
        {
            Assert.Equal(["problem", "optimal", "length", "ms"], Names(lines[i]));
            Assert.Equal(i, lines[i].GetProperty("problem").GetInt32());
        }

        Assert.Equal(["problems", "mismatches", "p50_ms", "p95_ms", "max_ms"], Names(lines[12]));
        Assert.Equal(12, summary.Problems);
        Assert.Equal(0, summary.Mismatches);
        Assert.True(summary.MapLoadMs >= 0);
        Assert.True(summary.GridBytes > 0);
    }

    [Fact]
    public void Run_ForwardOnlyAndBothWays_SameLengths()
    {
        (List<JsonElement> both, _) = RunSimple(new WarframeBenchOptions(Limit: 20));
        (List<JsonElement> forward, _) = RunSimple(new WarframeBenchOptions(Limit: 20, ForwardOnly: true));
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(both[i].GetProperty("length").GetDouble(), forward[i].GetProperty("length").GetDouble(), 9);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Run_SelectedProblemsAndThreads_RunsOnlyThoseExactly(int threads)
    {
        (List<JsonElement> lines, WarframeBenchSummary summary) = RunSimple(
            new WarframeBenchOptions(Threads: threads, MeetAfterExpansions: 3, Problems: new HashSet<int> { 2, 7, 31 }));
        Assert.Equal(3, summary.Problems);
        Assert.Equal(0, summary.Mismatches);
        Assert.Equal([2, 7, 31], lines.Take(3).Select(l => l.GetProperty("problem").GetInt32()));
    }

    [Fact]
    public void Run_ThreadCpuTime_AddsCpuFields()
    {
        (List<JsonElement> lines, _) = RunSimple(new WarframeBenchOptions(Limit: 5, ThreadCpuTime: true));
        Assert.Contains("cpu_ms", Names(lines[0]));
        Assert.Contains("cpu_p95_ms", Names(lines[^1]));
        Assert.True(lines[0].GetProperty("expansions").GetInt64() > 0);
        if (OperatingSystem.IsLinux()) Assert.True(lines[0].GetProperty("cpu_ms").GetDouble() >= 0);
    }
}
