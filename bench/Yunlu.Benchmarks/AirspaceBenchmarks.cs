using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Checks;
using Yunlu.Airspace.Grid;
using Yunlu.Airspace.Rules;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;

namespace Yunlu.Benchmarks;

/// <summary>Flat ground for benchmarks (AGL zones need a ground height).</summary>
internal sealed class BenchFlatGround(double amslM) : IGroundElevation
{
    public bool TryGetGroundAmslM(GeoPoint p, out double groundAmslM)
    {
        groundAmslM = amslM;
        return true;
    }
}

/// <summary>"Can I fly here?" for a 20 km, 21-vertex route against 10 000 zones (circles and boxes, AGL and AMSL
/// bands, around Guiyang); baseline: the same checker testing every zone's bounding box instead of the R-tree.</summary>
[MemoryDiagnoser]
[Config(typeof(P95Config))]
public class AirspaceCheckBenchmarks
{
    private AirspaceChecker _indexed = null!;
    private AirspaceChecker _brute = null!;
    private CheckRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        var zones = new List<Zone>(10_000);
        for (int i = 0; i < 10_000; i++)
        {
            double lon = 106.5 + (rng.NextDouble() * 0.4), lat = 26.4 + (rng.NextDouble() * 0.4);
            Footprint fp = rng.Next(2) == 0
                ? new CircleFootprint(new GeoPoint(lon, lat), 100 + (rng.NextDouble() * 400))
                : new PolygonFootprint(Box(lon, lat, lon + 0.001 + (rng.NextDouble() * 0.005), lat + 0.001 + (rng.NextDouble() * 0.005)));
            Altitude lower = rng.Next(2) == 0 ? Altitude.Agl(rng.NextDouble() * 100) : Altitude.Amsl(1100 + (rng.NextDouble() * 100));
            Altitude upper = new(lower.ValueM + 50 + (rng.NextDouble() * 200), lower.Reference);
            zones.Add(new Zone($"Z{i:D5}", "bench", "CHN", (ZoneRestriction)rng.Next(4), [ZoneReason.Other], fp, lower, upper, [ZoneApplicability.Always], null, null));
        }

        // 20 km route: a gentle zig-zag from (106.6, 26.5) heading north-east, 1 km legs, 1150–1300 m AMSL.
        var pts = new List<RoutePoint>();
        var start = new GeoPoint(106.6, 26.5);
        for (int i = 0; i <= 20; i++)
        {
            GeoPoint p = Geodesic.Wgs84.Direct(start, 45, i * 1000).Destination;
            pts.Add(new RoutePoint(new GeoPoint(p.LonDeg + ((i % 2) * 0.002), p.LatDeg), Altitude.Amsl(1150 + (i * 7))));
        }

        var ctx = new CheckContext(Ground: new BenchFlatGround(1100));
        _indexed = new AirspaceChecker(zones, RuleSet.China2024, ctx);
        _brute = new AirspaceChecker(zones, RuleSet.China2024, ctx, useSpatialIndex: false);
        var t0 = new DateTimeOffset(2025, 6, 10, 1, 0, 0, TimeSpan.Zero);
        _request = new CheckRequest(new RouteCheck(pts), new TimeWindow(t0, t0.AddHours(1)), new Aircraft(10, 20, 90));
        if (_indexed.Check(_request).Zones.Count != _brute.Check(_request).Zones.Count)
        {
            throw new InvalidOperationException("index and brute force disagree");
        }
    }

    internal (AirspaceChecker Indexed, AirspaceChecker Brute) Checkers => (_indexed, _brute);

    [Benchmark(Baseline = true)]
    public int BruteForceRoute20Km10kZones() => _brute.Check(_request).Zones.Count;

    [Benchmark]
    public int IndexedRoute20Km10kZones() => _indexed.Check(_request).Zones.Count;

    internal static Polygon Box(double w, double s, double e, double n) =>
        FootprintGeometry.Factory.CreatePolygon([new(w, s), new(e, s), new(e, n), new(w, n), new(w, s)]);
}

/// <summary>Covering a 10 km² polygon (an irregular 12-gon near Guiyang) with level-7 BeiDou cells (~190 000 cells);
/// baseline: test every cell of the bounding box with NetTopologySuite's prepared Intersects.</summary>
[MemoryDiagnoser]
public class AirspaceGridCoverBenchmarks
{
    private Polygon _polygon = null!;

    [GlobalSetup]
    public void Setup()
    {
        // A 12-gon of radius ~1.8 km (area ≈ 10 km²) in a local plane, projected to lon/lat.
        var plane = new LocalTangentPlane(new GeoPoint(106.7, 26.6));
        var coords = new Coordinate[13];
        for (int i = 0; i < 12; i++)
        {
            double a = i * Math.PI / 6, r = 1800 * (i % 2 == 0 ? 1.05 : 0.95);
            GeoPoint p = plane.Inverse(new PlanarPoint(r * Math.Cos(a), r * Math.Sin(a)));
            coords[i] = new Coordinate(p.LonDeg, p.LatDeg);
        }

        coords[12] = coords[0].Copy();
        _polygon = FootprintGeometry.Factory.CreatePolygon(coords);
        double area = new PolygonFootprint(_polygon).AreaM2();
        if (area < 9.5e6 || area > 10.5e6)
        {
            throw new InvalidOperationException($"bench polygon area {area} m² is not ≈ 10 km²");
        }
    }

    [Benchmark(Baseline = true)]
    public long BruteForceCover10Km2Level7() => GridCovering.CoverPolygonBruteForce(_polygon, 7).CellCount;

    [Benchmark]
    public long ScanLineCover10Km2Level7() => GridCovering.CoverPolygon(_polygon, 7).CellCount;
}

/// <summary>Adds the P95 column.</summary>
internal sealed class P95Config : ManualConfig
{
    public P95Config() => AddColumn(StatisticColumn.P95);
}

/// <summary>256 different 20 km routes (random start and heading, random altitudes 1120–1320 m AMSL, ~86 zones entered
/// per route) through the 10 000 zones, one route per invocation, cycling; baseline: brute-force zone scan.</summary>
[Config(typeof(P95Config))]
public class AirspaceCheckLatencyBenchmarks
{
    private readonly List<CheckRequest> _requests = [];
    private AirspaceChecker _indexed = null!;
    private AirspaceChecker _brute = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var setup = new AirspaceCheckBenchmarks();
        setup.Setup();
        (_indexed, _brute) = setup.Checkers;
        var rng = new Random(7);
        var t0 = new DateTimeOffset(2025, 6, 10, 1, 0, 0, TimeSpan.Zero);
        for (int r = 0; r < 256; r++)
        {
            var start = new GeoPoint(106.52 + (rng.NextDouble() * 0.2), 26.42 + (rng.NextDouble() * 0.2));
            double heading = rng.NextDouble() * 90;
            var pts = new List<RoutePoint>();
            for (int i = 0; i <= 20; i++)
            {
                GeoPoint p = Geodesic.Wgs84.Direct(start, heading + ((i % 2) * 10), i * 1000).Destination;
                pts.Add(new RoutePoint(p, Altitude.Amsl(1120 + (rng.NextDouble() * 200))));
            }

            _requests.Add(new CheckRequest(new RouteCheck(pts), new TimeWindow(t0, t0.AddHours(1)), new Aircraft(10, 20, 90)));
        }
    }

    [Benchmark(Baseline = true)]
    public int BruteForceOneRequest() => _brute.Check(_requests[_next++ & 255]).Zones.Count;

    [Benchmark]
    public int IndexedOneRequest() => _indexed.Check(_requests[_next++ & 255]).Zones.Count;
}
