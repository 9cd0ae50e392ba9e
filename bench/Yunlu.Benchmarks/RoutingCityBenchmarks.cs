using BenchmarkDotNet.Attributes;
using Yunlu.Geo;
using Yunlu.Routing.City;

namespace Yunlu.Benchmarks;

/// <summary>
/// City routing on a generated 8 × 8 km city at 5 m (terrain, ~4 300 buildings, 5 zones, corridors, wind): three
/// ~5 km routes per operation. Baseline: the previous planner (flat weighted A* at 5 m, <see cref="CitySearchMode.Fast"/>);
/// measured: the coarse-to-fine planner (<see cref="CitySearchMode.Hierarchical"/>, the default). The 30 × 30 km figures
/// and the ratios to the Exact reference come from <c>yunlu bench city</c> (docs/benchmarks/routing-city.md).
/// </summary>
[MemoryDiagnoser]
public class RoutingCityBenchmarks
{
    private static readonly DateTimeOffset Departure = new(2026, 6, 10, 2, 0, 0, TimeSpan.Zero);
    private SyntheticCity _city = null!;
    private CityPlanner _planner = null!;
    private IReadOnlyList<(GeoPoint From, GeoPoint To)> _pairs = [];

    [GlobalSetup]
    public void Setup()
    {
        _city = SyntheticCity.Generate(1, 8_000, 5, 4_300);
        _planner = new CityPlanner(_city.BuildArea(5));
        _pairs = _city.RoutePairs(2, 3, 5_000);
    }

    [Benchmark(Baseline = true)]
    public double FlatFast() => PlanAll(CitySearchMode.Fast);

    [Benchmark]
    public double Hierarchical() => PlanAll(CitySearchMode.Hierarchical);

    private double PlanAll(CitySearchMode mode)
    {
        double total = 0;
        foreach ((GeoPoint from, GeoPoint to) in _pairs)
        {
            var request = new CityRouteRequest { Stops = [from, to], DepartureUtc = Departure, Zones = _city.Zones, Wind = _city.Wind, SearchMode = mode };
            try
            {
                total += _planner.Plan(request, CancellationToken.None).DurationS;
            }
            catch (CityPlanningException)
            {
                total += 1e6;
            }
        }

        return total;
    }
}
