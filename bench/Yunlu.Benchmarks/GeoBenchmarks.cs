using BenchmarkDotNet.Attributes;
using NetTopologySuite.Geometries;
using Yunlu.Geo;

namespace Yunlu.Benchmarks;

/// <summary>WGS84 geodesic inverse (Vincenty) against the spherical haversine baseline, on lines within ~100 km of Guiyang.</summary>
[MemoryDiagnoser]
public class GeoGeodesicBenchmarks
{
    private const int N = 1024;
    private readonly GeoPoint[] _a = new GeoPoint[N];
    private readonly GeoPoint[] _b = new GeoPoint[N];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(7);
        for (int i = 0; i < N; i++)
        {
            _a[i] = new GeoPoint(106 + rng.NextDouble(), 26 + rng.NextDouble());
            _b[i] = new GeoPoint(106 + rng.NextDouble(), 26 + rng.NextDouble());
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public double Haversine()
    {
        double s = 0;
        for (int i = 0; i < N; i++)
        {
            s += Geodesic.HaversineM(_a[i], _b[i]);
        }

        return s;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public double VincentyInverse()
    {
        double s = 0;
        Geodesic g = Geodesic.Wgs84;
        for (int i = 0; i < N; i++)
        {
            s += g.Inverse(_a[i], _b[i]).DistanceM;
        }

        return s;
    }
}

/// <summary>
/// Volume3D intersection tests on random pairs near Guiyang (about half of them intersecting); baseline: the naive
/// route of turning every circle into a polygon and asking NetTopologySuite, without bounding boxes or preparation.
/// </summary>
[MemoryDiagnoser]
public class GeoVolumeBenchmarks
{
    private const int N = 256;
    private readonly Volume3D[] _polys = new Volume3D[N];
    private readonly Volume3D[] _circles = new Volume3D[N];
    private readonly Polygon[] _circlePolys = new Polygon[N];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(11);
        GeometryFactory f = FootprintGeometry.Factory;
        for (int i = 0; i < N; i++)
        {
            double cx = 106.7 + (rng.NextDouble() * 0.05), cy = 26.5 + (rng.NextDouble() * 0.05);
            int n = 12;
            var coords = new Coordinate[n + 1];
            for (int k = 0; k < n; k++)
            {
                double t = 2 * Math.PI * k / n;
                double r = 0.005 * (0.5 + rng.NextDouble());
                coords[k] = new Coordinate(cx + (r * Math.Cos(t)), cy + (r * Math.Sin(t)));
            }

            coords[n] = coords[0].Copy();
            _polys[i] = new Volume3D(new PolygonFootprint(f.CreatePolygon(coords)), Altitude.Agl(0), Altitude.Agl(120));
            var circle = new CircleFootprint(new GeoPoint(106.7 + (rng.NextDouble() * 0.05), 26.5 + (rng.NextDouble() * 0.05)), 200 + (rng.NextDouble() * 800));
            _circles[i] = new Volume3D(circle, Altitude.Agl(50), Altitude.Agl(150));
            _circlePolys[i] = circle.ToPolygon(1.0);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public int NaiveCircleAsPolygonNts()
    {
        int hits = 0;
        for (int i = 0; i < N; i++)
        {
            Polygon p = ((PolygonFootprint)_polys[i].Footprint).Polygon;
            hits += p.Intersects(_circlePolys[(i * 7) % N]) ? 1 : 0;
        }

        return hits;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public int PolygonCircle()
    {
        int hits = 0;
        for (int i = 0; i < N; i++)
        {
            hits += _polys[i].Intersects(_circles[(i * 7) % N]) ? 1 : 0;
        }

        return hits;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public int PolygonPolygon()
    {
        int hits = 0;
        for (int i = 0; i < N; i++)
        {
            hits += _polys[i].Intersects(_polys[(i * 7) % N]) ? 1 : 0;
        }

        return hits;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public int CircleCircle()
    {
        int hits = 0;
        for (int i = 0; i < N; i++)
        {
            hits += _circles[i].Intersects(_circles[(i * 7) % N]) ? 1 : 0;
        }

        return hits;
    }
}
