using BenchmarkDotNet.Attributes;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Supervision;
using Yunlu.Supervision.Alerts;
using Yunlu.Supervision.Checks;
using Yunlu.Supervision.Tracks;

namespace Yunlu.Benchmarks;

/// <summary>
/// One supervision check cycle (conformance to a corridor intent per drone + 20 zones now and 30 s ahead + separation
/// with a 30 s look-ahead) over N drones around Guiyang at a density of about 25 per km², each with a velocity
/// (0–20 m/s). Baseline: the same cycle with the O(n²) all-pairs separation reference. The setup checks that both
/// produce the identical conflict set.
/// </summary>
[MemoryDiagnoser]
public class SupervisionChecksBenchmarks
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly List<AlertEvent> _events = [];
    private SupervisionEngine _grid = null!;
    private SupervisionEngine _allPairs = null!;

    [Params(10_000, 100_000)]
    public int Drones { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var origin = new GeoPoint(106.70, 26.60);
        var plane = new LocalTangentPlane(origin);
        double sideM = Math.Sqrt(Drones / 25.0) * 1000;
        var rng = new Random(42);
        var zones = new List<Zone>();
        for (int z = 0; z < 20; z++)
        {
            GeoPoint c = plane.Inverse(new PlanarPoint((rng.NextDouble() - 0.5) * sideM, (rng.NextDouble() - 0.5) * sideM));
            Footprint fp = z % 2 == 0
                ? new CircleFootprint(c, 300 + (rng.NextDouble() * 700))
                : new PolygonFootprint(FootprintGeometry.Factory.CreatePolygon(
                [
                    new Coordinate(c.LonDeg - 0.005, c.LatDeg - 0.004), new Coordinate(c.LonDeg + 0.005, c.LatDeg - 0.004),
                    new Coordinate(c.LonDeg + 0.006, c.LatDeg + 0.004), new Coordinate(c.LonDeg - 0.004, c.LatDeg + 0.005),
                    new Coordinate(c.LonDeg - 0.005, c.LatDeg - 0.004),
                ]));
            zones.Add(new Zone("BZ" + z, "bench zone", "CHN", ZoneRestriction.Prohibited, [ZoneReason.Sensitive], fp,
                Altitude.Amsl(0), Altitude.Amsl(3000), [ZoneApplicability.Always], null, null));
        }

        var reports = new PositionReport[Drones];
        var intents = new SupervisedIntent[Drones];
        var window = new TimeWindow(T0.AddHours(-1), T0.AddHours(1));
        for (int i = 0; i < Drones; i++)
        {
            string id = "D" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var p = new PlanarPoint((rng.NextDouble() - 0.5) * sideM, (rng.NextDouble() - 0.5) * sideM);
            double h = rng.NextDouble() * 2 * Math.PI, s = rng.NextDouble() * 20;
            GeoPoint g = plane.Inverse(p);
            reports[i] = new PositionReport(T0, new AircraftIdentity(IdentityKind.Platform, id), PositionSourceKind.Simulator, g,
                Altitude.Amsl(1100 + (rng.NextDouble() * 120)), new VelocityNed(s * Math.Cos(h), s * Math.Sin(h), (rng.NextDouble() - 0.5) * 2));
            intents[i] = new SupervisedIntent("OI" + id, id, SupervisedIntentState.Activated,
                [new Volume4D(new Volume3D(new CircleFootprint(g, 400), Altitude.Amsl(1000), Altitude.Amsl(1300)), window)]);
        }

        _grid = Build(zones, intents, reports, allPairs: false);
        _allPairs = Build(zones, intents, reports, allPairs: true);
        _grid.RunCycle(T0, _events);
        _allPairs.RunCycle(T0, _events);
        if (!_grid.LastConflicts.Select(c => (c.A, c.B)).SequenceEqual(_allPairs.LastConflicts.Select(c => (c.A, c.B))))
        {
            throw new InvalidOperationException("the grid and the all-pairs reference found different conflict sets");
        }

        Console.WriteLine($"// {Drones} drones in {sideM / 1000:0.0} km square: {_grid.LastConflicts.Count} conflicts (identical to all-pairs), {_grid.Alerts.Count} active alerts");
    }

    [Benchmark(Baseline = true)]
    public int CycleAllPairsReference()
    {
        _events.Clear();
        _allPairs.RunCycle(T0, _events);
        return _allPairs.LastConflicts.Count;
    }

    [Benchmark]
    public int CycleSpatialHash()
    {
        _events.Clear();
        _grid.RunCycle(T0, _events);
        return _grid.LastConflicts.Count;
    }

    private static SupervisionEngine Build(List<Zone> zones, SupervisedIntent[] intents, PositionReport[] reports, bool allPairs)
    {
        var e = new SupervisionEngine(new TrackStore(new GeoPoint(106.70, 26.60), AltitudeConverter.Egm96Only), zones, intents,
            new SupervisionOptions { SeparationAllPairs = allPairs, RequireIntent = true });
        foreach (PositionReport r in reports)
        {
            e.Ingest(r);
        }

        return e;
    }
}
