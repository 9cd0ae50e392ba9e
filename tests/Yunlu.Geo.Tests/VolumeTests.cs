using System.Text.Json;
using CsCheck;
using NetTopologySuite.Geometries;

namespace Yunlu.Geo.Tests;

public sealed class VolumeTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly GeometryFactory F = FootprintGeometry.Factory;

    public static TheoryData<string> GoldenNames()
    {
        var data = new TheoryData<string>();
        using JsonDocument doc = TestData.Load("volume-intersections.json");
        foreach (JsonElement e in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(e.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenNames))]
    public void Intersects_GoldenCase_MatchesExpected(string name)
    {
        using JsonDocument doc = TestData.Load("volume-intersections.json");
        JsonElement c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        Volume4D a = ReadVolume(c.GetProperty("a"));
        Volume4D b = ReadVolume(c.GetProperty("b"));
        bool expected = c.GetProperty("expected").GetBoolean();

        Assert.Equal(expected, a.Intersects(b));
        Assert.Equal(expected, b.Intersects(a));
    }

    [Fact]
    public void Intersects_RandomVolumes_AgreeWithBruteForceSampler()
    {
        var gen = Gen.Select(RandomVolume, RandomVolume, Gen.Int[0, int.MaxValue]);
        gen.Sample((a, b, seed) =>
        {
            bool fast = a.Intersects(b);
            Assert.Equal(fast, b.Intersects(a));

            // One-way check: any sampled point inside both proves an intersection.
            var rng = new Random(seed);
            GeoBounds box = a.Bounds;
            for (int i = 0; i < 400; i++)
            {
                var p = new GeoPoint(
                    box.WestLonDeg + (rng.NextDouble() * (box.EastLonDeg - box.WestLonDeg)),
                    box.SouthLatDeg + (rng.NextDouble() * (box.NorthLatDeg - box.SouthLatDeg)));
                var alt = Altitude.Agl(a.Lower.ValueM + (rng.NextDouble() * (a.Upper.ValueM - a.Lower.ValueM)));
                if (a.Contains(p, alt) && b.Contains(p, alt) && !NearCircleEdge(a, p) && !NearCircleEdge(b, p))
                {
                    Assert.True(fast, $"sampled common point {p} {alt}");
                    break;
                }
            }

            // Clearly separated cases must be false.
            if (!a.AltitudesOverlap(b) || Separated(a.Bounds, b.Bounds))
            {
                Assert.False(fast);
            }
        }, iter: 3_000);
    }

    [Fact]
    public void PolygonCircle_RandomCases_MatchesDenseBoundarySampling()
    {
        // Reference distance: dense sampling of the polygon edges with geodesic distances.
        Gen.Select(RandomPolygon, Gen.Double[-0.03, 0.03], Gen.Double[-0.03, 0.03], Gen.Double[10, 1500]).Sample((poly, dx, dy, r) =>
        {
            var center = new GeoPoint(106.7 + dx, 26.5 + dy);
            double fast = Volume3D.DistanceToPolygonM(poly, center);
            bool inside = new PolygonFootprint(poly).Contains(center);
            if (inside)
            {
                Assert.Equal(0, fast);
                return;
            }

            double reference = double.PositiveInfinity;
            Coordinate[] cs = poly.Shell.Coordinates;
            for (int i = 0; i + 1 < cs.Length; i++)
            {
                for (int k = 0; k <= 200; k++)
                {
                    double t = k / 200.0;
                    var q = new GeoPoint(cs[i].X + ((cs[i + 1].X - cs[i].X) * t), cs[i].Y + ((cs[i + 1].Y - cs[i].Y) * t));
                    reference = Math.Min(reference, Geodesic.DistanceM(center, q));
                }
            }

            // Sampling overestimates by at most half a sample spacing; the plane metric is good to ~1e-4.
            double spacing = 0;
            for (int i = 0; i + 1 < cs.Length; i++)
            {
                spacing = Math.Max(spacing, Geodesic.DistanceM(new GeoPoint(cs[i].X, cs[i].Y), new GeoPoint(cs[i + 1].X, cs[i + 1].Y)) / 200);
            }

            Assert.InRange(fast, reference - spacing - (reference * 2e-4) - 0.01, reference + (reference * 2e-4) + 0.01);
        }, iter: 500);
    }

    [Fact]
    public void Constructor_BadInput_ThrowsNamingTheRule()
    {
        var circle = new CircleFootprint(new GeoPoint(106.7, 26.5), 100);
        Assert.Contains("above the lower", Assert.Throws<ArgumentException>(() => new Volume3D(circle, Altitude.Agl(100), Altitude.Agl(100))).Message, StringComparison.Ordinal);
        Assert.Contains("same reference", Assert.Throws<ArgumentException>(() => new Volume3D(circle, Altitude.Agl(0), Altitude.Amsl(100))).Message, StringComparison.Ordinal);
        Assert.Contains("radius", Assert.Throws<ArgumentException>(() => new Volume3D(new CircleFootprint(new GeoPoint(106.7, 26.5), 0), Altitude.Agl(0), Altitude.Agl(10))).Message, StringComparison.Ordinal);
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => new Volume3D(circle, Altitude.Agl(double.NaN), Altitude.Agl(10))).Message, StringComparison.Ordinal);

        var a = new Volume3D(circle, Altitude.Agl(0), Altitude.Agl(10));
        var b = new Volume3D(circle, Altitude.W84(0), Altitude.W84(10));
        Assert.Throws<ArgumentException>(() => a.Intersects(b));
        Assert.Throws<ArgumentException>(() => new TimeWindow(T0, T0));
    }

    [Fact]
    public void Validate_BadPolygons_ReturnReadableErrors()
    {
        Polygon bowtie = Poly([(106.70, 26.50), (106.71, 26.51), (106.71, 26.50), (106.70, 26.51), (106.70, 26.50)]);
        Assert.Contains(new PolygonFootprint(bowtie).Validate(), e => e.Contains("Self-intersection", StringComparison.OrdinalIgnoreCase));

        Polygon swapped = Poly([(26.50, 106.70), (26.51, 106.70), (26.51, 106.71), (26.50, 106.70)]);
        Assert.Contains(new PolygonFootprint(swapped).Validate(), e => e.Contains("(lat, lon)", StringComparison.Ordinal));

        Polygon swappedChina = Poly([(26.50, 106.70), (26.51, 106.70), (26.51, 89.71), (26.50, 106.70)]);
        Assert.Contains(new PolygonFootprint(swappedChina).Validate(), e => e.Contains("(lat, lon)", StringComparison.Ordinal));

        Polygon wide = Poly([(-170, 0), (170, 0), (170, 1), (-170, 0)]);
        Assert.Contains(new PolygonFootprint(wide).Validate(), e => e.Contains("antimeridian", StringComparison.Ordinal));

        var many = new Coordinate[10_002];
        for (int i = 0; i < 10_001; i++)
        {
            double t = 2 * Math.PI * i / 10_001;
            many[i] = new Coordinate(106.7 + (0.01 * Math.Cos(t)), 26.5 + (0.01 * Math.Sin(t)));
        }

        many[^1] = many[0].Copy();
        Assert.Contains(new PolygonFootprint(F.CreatePolygon(many)).Validate(), e => e.Contains("10001 vertices", StringComparison.Ordinal));

        Polygon ok = Poly([(106.70, 26.50), (106.71, 26.50), (106.71, 26.51), (106.70, 26.50)]);
        Assert.Empty(new PolygonFootprint(ok).Validate());
        Assert.Contains(new CircleFootprint(new GeoPoint(200, 0), 5).Validate(), e => e.Contains("centre", StringComparison.Ordinal));
    }

    [Fact]
    public void AreaM2_LonLatRectangle_MatchesClosedForm()
    {
        // Area of a lon/lat rectangle = Δλ·(G(φ2) − G(φ1)); check against the planar area for a small one and the
        // ellipsoid's total surface (510 065 621.7 km², WGS84) for the band −90…90 split in two.
        Polygon small = Poly([(106.70, 26.50), (106.71, 26.50), (106.71, 26.51), (106.70, 26.51), (106.70, 26.50)]);
        var plane = new LocalTangentPlane(new GeoPoint(106.705, 26.505));
        double planar = 0.01 * plane.MetresPerDegreeLon * 0.01 * plane.MetresPerDegreeLat;
        Assert.Equal(planar, new PolygonFootprint(small).AreaM2(), planar * 1e-6);

        Polygon east = Poly([(0, -90), (180, -90), (180, 90), (0, 90), (0, -90)]);
        Assert.Equal(510_065_621.7e6 / 2, new PolygonFootprint(east).AreaM2(), 1e6);
    }

    [Fact]
    public void AreaM2_PolygonWithHoleAndCircle_AreConsistent()
    {
        Polygon withHole = F.CreatePolygon(
            F.CreateLinearRing([new(106.70, 26.50), new(106.72, 26.50), new(106.72, 26.52), new(106.70, 26.52), new(106.70, 26.50)]),
            [F.CreateLinearRing([new(106.705, 26.505), new(106.705, 26.515), new(106.715, 26.515), new(106.715, 26.505), new(106.705, 26.505)])]);
        Polygon shell = Poly([(106.70, 26.50), (106.72, 26.50), (106.72, 26.52), (106.70, 26.52), (106.70, 26.50)]);
        Assert.Equal(new PolygonFootprint(shell).AreaM2() * 0.75, new PolygonFootprint(withHole).AreaM2(), 1e3);

        var circle = new CircleFootprint(new GeoPoint(106.7, 26.5), 1000);
        Assert.Equal(Math.PI * 1e6, circle.AreaM2(), tolerance: 0.5);
        Polygon approx = circle.ToPolygon(0.5);
        double polyArea = new PolygonFootprint(approx).AreaM2();
        Assert.InRange(polyArea, circle.AreaM2(), circle.AreaM2() + (2 * Math.PI * 1000 * 0.5));
    }

    [Fact]
    public void ToPolygon_RandomCircles_EnclosesCircleWithinStatedError()
    {
        Gen.Select(Gen.Double[100, 120], Gen.Double[-60, 60], Gen.Double[5, 20_000], Gen.Double[0.05, 20]).Sample((lon, lat, r, err) =>
        {
            var circle = new CircleFootprint(new GeoPoint(lon, lat), r);
            Polygon poly = circle.ToPolygon(err);
            var fp = new PolygonFootprint(poly);

            Assert.Empty(fp.Validate());
            foreach (Coordinate c in poly.Coordinates)
            {
                double d = Geodesic.DistanceM(circle.Center, new GeoPoint(c.X, c.Y));
                Assert.True(d >= r - 1e-4 && d <= r + err + 1e-4, $"r={r} err={err} d={d}");
            }

            // Points on the circle are inside the polygon (0.1 mm numerical allowance).
            for (int k = 0; k < 64; k++)
            {
                GeoPoint onCircle = Geodesic.Wgs84.Direct(circle.Center, k * 360.0 / 64 + 0.37, r * (1 - 1e-9)).Destination;
                Assert.True(fp.Contains(onCircle) || Volume3D.DistanceToPolygonM(poly, onCircle) < 1e-4, $"{onCircle} outside {circle} err {err}");
            }
        }, iter: 300);
    }

    [Fact]
    public void BoundingBox_Circle_ContainsBoundarySamples()
    {
        Gen.Select(Gen.Double[-179, 179], Gen.Double[-85, 85], Gen.Double[1, 200_000]).Sample((lon, lat, r) =>
        {
            var circle = new CircleFootprint(new GeoPoint(lon, lat), r);
            GeoBounds box = circle.BoundingBox();
            for (int k = 0; k < 36; k++)
            {
                GeoPoint q = Geodesic.Wgs84.Direct(circle.Center, k * 10 + 3, r).Destination;
                Assert.True(box.Contains(q), $"{q} outside {box} for {circle}");
            }
        }, iter: 1_000);
    }

    private static readonly Gen<Polygon> RandomPolygon =
        Gen.Select(Gen.Int[3, 12], Gen.Double[-0.02, 0.02], Gen.Double[-0.02, 0.02], Gen.Double[0.001, 0.02], Gen.Int[0, int.MaxValue]).Select((n, cx, cy, size, seed) =>
        {
            // A random star-shaped (so simple) polygon around (106.7 + cx, 26.5 + cy).
            var rng = new Random(seed);
            var coords = new Coordinate[n + 1];
            for (int i = 0; i < n; i++)
            {
                double t = 2 * Math.PI * (i + (rng.NextDouble() * 0.8)) / n;
                double rad = size * (0.3 + (0.7 * rng.NextDouble()));
                coords[i] = new Coordinate(106.7 + cx + (rad * Math.Cos(t)), 26.5 + cy + (rad * Math.Sin(t)));
            }

            coords[n] = coords[0].Copy();
            return F.CreatePolygon(coords);
        });

    private static readonly Gen<Volume3D> RandomVolume =
        Gen.Select(Gen.Bool, RandomPolygon, Gen.Double[-0.02, 0.02], Gen.Double[-0.02, 0.02], Gen.Double[20, 2500], Gen.Double[0, 200], Gen.Double[1, 150]).Select((circle, poly, cx, cy, r, lower, height) =>
        {
            Footprint fp = circle ? new CircleFootprint(new GeoPoint(106.7 + cx, 26.5 + cy), r) : new PolygonFootprint(poly);
            return new Volume3D(fp, Altitude.Agl(lower), Altitude.Agl(lower + height));
        });

    private static bool NearCircleEdge(Volume3D v, GeoPoint p) =>
        v.Footprint is CircleFootprint c && Math.Abs(Geodesic.DistanceM(c.Center, p) - c.RadiusM) < 0.05;

    private static bool Separated(GeoBounds a, GeoBounds b) =>
        a.WestLonDeg > b.EastLonDeg + 1e-5 || b.WestLonDeg > a.EastLonDeg + 1e-5 ||
        a.SouthLatDeg > b.NorthLatDeg + 1e-5 || b.SouthLatDeg > a.NorthLatDeg + 1e-5;

    private static Polygon Poly((double Lon, double Lat)[] pts) =>
        F.CreatePolygon(pts.Select(p => new Coordinate(p.Lon, p.Lat)).ToArray());

    private static Volume4D ReadVolume(JsonElement e)
    {
        Footprint fp;
        if (e.TryGetProperty("circle", out JsonElement c))
        {
            fp = new CircleFootprint(new GeoPoint(c.GetProperty("lon").GetDouble(), c.GetProperty("lat").GetDouble()), c.GetProperty("radiusM").GetDouble());
        }
        else
        {
            LinearRing[] rings = e.GetProperty("polygon").EnumerateArray()
                .Select(r => F.CreateLinearRing(r.EnumerateArray().Select(p => new Coordinate(p[0].GetDouble(), p[1].GetDouble())).ToArray()))
                .ToArray();
            fp = new PolygonFootprint(F.CreatePolygon(rings[0], rings[1..]));
        }

        var v = new Volume3D(fp, Altitude.Agl(e.GetProperty("lower").GetDouble()), Altitude.Agl(e.GetProperty("upper").GetDouble()));
        var t = new TimeWindow(T0.AddMinutes(e.GetProperty("start").GetDouble()), T0.AddMinutes(e.GetProperty("end").GetDouble()));
        return new Volume4D(v, t);
    }
}
