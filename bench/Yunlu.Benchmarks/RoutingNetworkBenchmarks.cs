using BenchmarkDotNet.Attributes;
using Yunlu.Routing.Network;

namespace Yunlu.Benchmarks;

/// <summary>
/// Airway network generation on the scenario: 100 seeded random vertiports over 30 × 30 km with 10 prohibited
/// areas (<see cref="NetworkScenario.Random"/>). Baseline: the minimum-spanning-tree network (same free routes, clean-up
/// and layering, no detour targets). The quality figures (detours, crossings, length vs MST) come from
/// <c>yunlu network bench</c>; see docs/benchmarks/routing-network.md.
/// </summary>
[MemoryDiagnoser]
public class RoutingNetworkBenchmarks
{
    private NetworkInput _input = null!;
    private readonly NetworkOptions _options = new();

    [Params(100)]
    public int Vertiports { get; set; }

    [GlobalSetup]
    public void Setup() => _input = NetworkScenario.Random(Vertiports, 30_000, 10, seed: 1, _options.LateralClearanceM);

    [Benchmark(Baseline = true)]
    public double MinimumSpanningTreeNetwork() =>
        AirwayNetworkGenerator.GenerateMinimumSpanningTree(_input, _options, CancellationToken.None).Report.NetworkLengthM;

    [Benchmark]
    public double GreedySpannerNetwork() =>
        AirwayNetworkGenerator.Generate(_input, _options, null, CancellationToken.None).Report.MeanDetour;
}
