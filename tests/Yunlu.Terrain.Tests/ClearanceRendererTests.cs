using NetTopologySuite;
using NetTopologySuite.Geometries;
using Yunlu.Geo;
using Yunlu.Terrain;

namespace Yunlu.Terrain.Tests;

public sealed class ClearanceRendererTests
{
    private static readonly GeometryFactory Factory = NtsGeometryServices.Instance.CreateGeometryFactory(4326);

    /// <summary>A slope rising 0.25 m per metre eastwards with ripples, unknown west of <paramref name="westLimitDeg"/>.</summary>
    private sealed class SlopedGround(double westLimitDeg) : IGroundElevation
    {
        public bool TryGetGroundAmslM(GeoPoint p, out double groundAmslM)
        {
            if (p.LonDeg < westLimitDeg)
            {
                groundAmslM = 0;
                return false;
            }

            double eastM = (p.LonDeg - 106.70) * 99_600;
            double northM = (p.LatDeg - 26.57) * 110_800;
            groundAmslM = 1000 + (0.25 * eastM) + (6 * Math.Sin(northM / 37.0));
            return true;
        }
    }

    private sealed class FlatGround(double heightM) : IGroundElevation
    {
        public bool TryGetGroundAmslM(GeoPoint p, out double groundAmslM)
        {
            groundAmslM = heightM;
            return true;
        }
    }

    private static Obstacle Box(string id, double lon, double lat, double halfDeg, double heightM)
    {
        Coordinate[] ring =
        [
            new(lon - halfDeg, lat - halfDeg), new(lon + halfDeg, lat - halfDeg), new(lon + halfDeg, lat + halfDeg),
            new(lon - halfDeg, lat + halfDeg), new(lon - halfDeg, lat - halfDeg),
        ];
        return new Obstacle(id, Factory.CreatePolygon(ring), heightM, "building", null);
    }

    private static (int X, int Y) TileAt(int z, double lonDeg, double latDeg)
    {
        double n = 1L << z;
        double latRad = latDeg * Math.PI / 180;
        return ((int)Math.Floor((lonDeg + 180) / 360 * n), (int)Math.Floor((1 - (Math.Log(Math.Tan(latRad) + (1 / Math.Cos(latRad))) / Math.PI)) / 2 * n));
    }

    [Theory]
    [InlineData(1, 16, 30.0)]
    [InlineData(2, 16, 12.0)]
    [InlineData(3, 15, 45.0)]
    public void BandM_RandomBuildingsOnASlope_EqualsBruteForceOverTheWindow(int seed, int z, double horizontalM)
    {
        var rng = new Random(seed);
        var (x, y) = TileAt(z, 106.705, 26.575);
        GeoPoint nw = WebMercator.PixelToGeo(z, x * 256.0, y * 256.0);
        GeoPoint se = WebMercator.PixelToGeo(z, (x + 1) * 256.0, (y + 1) * 256.0);
        var buildings = new List<Obstacle>();
        for (int i = 0; i < 40; i++)
        {
            double lon = nw.LonDeg + (rng.NextDouble() * (se.LonDeg - nw.LonDeg));
            double lat = se.LatDeg + (rng.NextDouble() * (nw.LatDeg - se.LatDeg));
            buildings.Add(Box($"b{i}", lon, lat, 0.00003 + (rng.NextDouble() * 0.0002), 5 + (rng.NextDouble() * 140)));
        }

        // The west tenth of the tile has no ground (outside the DEM).
        var ground = new SlopedGround(nw.LonDeg + ((se.LonDeg - nw.LonDeg) * 0.1));
        var surface = new SurfaceModel(ground, buildings, 2);
        var options = new ClearanceOptions(120, 10, horizontalM);
        var renderer = new ClearanceRenderer(ground, surface, options);
        float[] band = renderer.BandM(z, x, y);
        int r = renderer.RadiusPx(z, y);
        double pixelM = WebMercator.PixelSizeM(z, WebMercator.PixelToGeo(z, 0, (y + 0.5) * 256).LatDeg);
        Assert.InRange(r * pixelM, horizontalM, horizontalM + pixelM);

        int checkedPixels = 0, zero = 0, partly = 0;
        for (int j = 0; j < 256; j += 5)
        {
            for (int i = 0; i < 256; i += 5)
            {
                double expected = BruteForceBand(ground, surface, options, z, (x * 256) + i, (y * 256) + j, r);
                float actual = band[(j * 256) + i];
                if (double.IsNaN(expected))
                {
                    Assert.True(float.IsNaN(actual), $"pixel {i},{j}: unknown ground is NaN");
                    continue;
                }

                Assert.Equal(expected, actual, 0.01);
                checkedPixels++;
                zero += expected == 0 ? 1 : 0;
                partly += expected > 0 && expected < options.FullBandM ? 1 : 0;
            }
        }

        // The case exercises both regimes: blocked by a building, and a band narrowed by the slope and the buildings
        // around (the uphill side of the window is higher, so on this slope no band is full).
        Assert.True(checkedPixels > 2000, $"{checkedPixels} pixels");
        Assert.True(zero > 0 && partly > 0, $"zero {zero}, partly {partly} of {checkedPixels}");
    }

    /// <summary>The definition, pixel by pixel: the highest ground + obstacle over the (2r+1)² pixel centres around,
    /// each looked up on its own.</summary>
    private static double BruteForceBand(IGroundElevation ground, SurfaceModel surface, ClearanceOptions o, int z, int px, int py, int r)
    {
        if (!ground.TryGetGroundAmslM(WebMercator.PixelToGeo(z, px + 0.5, py + 0.5), out double g))
        {
            return double.NaN;
        }

        double highest = double.NegativeInfinity;
        for (int dj = -r; dj <= r; dj++)
        {
            for (int di = -r; di <= r; di++)
            {
                GeoPoint q = WebMercator.PixelToGeo(z, px + di + 0.5, py + dj + 0.5);
                if (surface.SurfaceAmslM(q) is { } s && s > highest)
                {
                    highest = s;
                }
            }
        }

        double free = g + o.CeilingAglM - (highest + o.VerticalMarginM);
        return free < 0 ? 0 : free > o.FullBandM ? o.FullBandM : free;
    }

    [Fact]
    public void RenderRgba_TowerOnFlatGround_RedAtTheTowerGreenFarAwayYellowBetween()
    {
        const int Z = 17;
        var (x, y) = TileAt(Z, 106.705, 26.575);
        GeoPoint centre = WebMercator.PixelToGeo(Z, (x * 256) + 128.5, (y * 256) + 128.5);
        var ground = new FlatGround(1100);
        // A 200 m tower and a 60 m block 60 m east of it (band 120 − 60 − 10 = 50 m within 30 m of the block).
        double mPerDegLon = 111_320 * Math.Cos(centre.LatDeg * Math.PI / 180);
        var tower = Box("tower", centre.LonDeg, centre.LatDeg, 0.00005, 200);
        var block = Box("block", centre.LonDeg + (60 / mPerDegLon), centre.LatDeg, 0.00005, 60);
        var renderer = new ClearanceRenderer(ground, new SurfaceModel(ground, [tower, block], 1));
        byte[] rgba = renderer.RenderRgba(Z, x, y);
        float[] band = renderer.BandM(Z, x, y);

        Assert.Equal(0f, band[(128 * 256) + 128]);
        Assert.Equal(ClearanceRenderer.Colour(0), Pixel(rgba, 128, 128));
        Assert.Equal(110f, band[5]);
        Assert.Equal(ClearanceRenderer.Colour(1), Pixel(rgba, 5, 0));
        double pixelM = WebMercator.PixelSizeM(Z, centre.LatDeg);
        int blockPx = 128 + (int)Math.Round(60 / pixelM);
        Assert.Equal(50f, band[(128 * 256) + blockPx], 0.001);
        Assert.Equal(ClearanceRenderer.Alpha, rgba[(((128 * 256) + blockPx) * 4) + 3]);
    }

    private static (byte R, byte G, byte B) Pixel(byte[] rgba, int i, int j)
    {
        int o = ((j * 256) + i) * 4;
        return (rgba[o], rgba[o + 1], rgba[o + 2]);
    }

    [Fact]
    public void RenderPng_OutsideTheDem_TransparentAndDecodesToTheRgba()
    {
        var ground = new SlopedGround(200); // no ground anywhere on Earth's longitudes
        var renderer = new ClearanceRenderer(ground, new SurfaceModel(ground, [], 5));
        var (width, height, decoded) = TestPngDecoder.Decode(renderer.RenderPng(14, 13_050, 6_950));
        Assert.Equal((256, 256), (width, height));
        Assert.All(Enumerable.Range(0, 256 * 256), k => Assert.Equal(0, decoded[(k * 4) + 3]));
    }

    [Fact]
    public void Colour_RedYellowGreenAndClamped()
    {
        Assert.Equal(((byte)220, (byte)40, (byte)30), ClearanceRenderer.Colour(0));
        Assert.Equal(((byte)245, (byte)210, (byte)40), ClearanceRenderer.Colour(0.5));
        Assert.Equal(((byte)40, (byte)170, (byte)70), ClearanceRenderer.Colour(1));
        Assert.Equal(ClearanceRenderer.Colour(0), ClearanceRenderer.Colour(-3));
        Assert.Equal(ClearanceRenderer.Colour(1), ClearanceRenderer.Colour(7));
        Assert.Equal(ClearanceRenderer.Colour(0), ClearanceRenderer.Colour(double.NaN));
        // Red falls and green rises along the upper half.
        for (double f = 0.5; f < 1; f += 0.05)
        {
            Assert.True(ClearanceRenderer.Colour(f + 0.05).R <= ClearanceRenderer.Colour(f).R);
        }
    }

    [Theory]
    [InlineData(0, 10, 30, "ceilingAglM")]
    [InlineData(120, 120, 30, "verticalMarginM")]
    [InlineData(120, -1, 30, "verticalMarginM")]
    [InlineData(120, 10, 501, "horizontalMarginM")]
    [InlineData(120, 10, double.NaN, "horizontalMarginM")]
    public void Constructor_BadOptions_ThrowsNamingTheField(double ceiling, double vertical, double horizontal, string field)
    {
        var ground = new FlatGround(0);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ClearanceRenderer(ground, new SurfaceModel(ground, [], 5), new ClearanceOptions(ceiling, vertical, horizontal)));
        Assert.StartsWith(field + ":", e.Message, StringComparison.Ordinal);
    }
}
