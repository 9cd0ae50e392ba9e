using CsCheck;
using Yunlu.Geo;
using Yunlu.Terrain;

namespace Yunlu.Terrain.Tests;

public sealed class ElevationModelTests
{
    // 70 × 45 samples, tiles of 16: 5 × 3 tiles with partial ones at the east and south edges.
    private static GeoRaster Dem(bool floats, int seed = 3, double? noData = null)
    {
        var rng = new Random(seed);
        const int w = 70, h = 45;
        var data = new float[w * h];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = floats ? (float)(1000 + (rng.NextDouble() * 300)) : rng.Next(900, 1400);
        }

        return new GeoRaster(w, h, floats ? RasterSampleType.Float32 : RasterSampleType.Int16,
            new GeoTransform(106.5, 26.7, 0.001, 0.0008), noData, data);
    }

    private static double Bilinear(GeoRaster r, double lon, double lat)
    {
        var fx = Math.Clamp(r.Transform.ColumnOf(lon), 0, r.Width - 1);
        var fy = Math.Clamp(r.Transform.RowOf(lat), 0, r.Height - 1);
        var c0 = Math.Min((int)Math.Floor(fx), r.Width - 2);
        var r0 = Math.Min((int)Math.Floor(fy), r.Height - 2);
        var tx = fx - c0;
        var ty = fy - r0;
        double V(int c, int rr) => r.GetSample(0, c, rr);
        return (V(c0, r0) * (1 - tx) * (1 - ty)) + (V(c0 + 1, r0) * tx * (1 - ty)) + (V(c0, r0 + 1) * (1 - tx) * ty) + (V(c0 + 1, r0 + 1) * tx * ty);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HeightAmslM_AtEverySampleCentre_ExactSourceValue(bool floats)
    {
        var dem = Dem(floats);
        var model = ElevationModel.FromRaster(dem, tileSize: 16, cacheTiles: 4);
        for (var row = 0; row < dem.Height; row++)
        {
            for (var col = 0; col < dem.Width; col++)
            {
                var h = model.HeightAmslM(dem.Transform.PixelCenter(col, row));
                Assert.NotNull(h);
                Assert.Equal(dem.GetSample(0, col, row), h.Value, 3);
            }
        }

        Assert.True(model.CachedTiles <= 4);
    }

    [Fact]
    public void HeightAmslM_RandomPointsIncludingTileEdges_MatchesBilinearOnSource()
    {
        var dem = Dem(true);
        var model = ElevationModel.FromRaster(dem, tileSize: 16, cacheTiles: 2);
        Gen.Select(Gen.Double[dem.WestDeg, dem.EastDeg], Gen.Double[dem.SouthDeg, dem.NorthDeg]).Sample((lon, lat) =>
        {
            var h = model.HeightAmslM(new GeoPoint(lon, lat));
            Assert.NotNull(h);
            Assert.Equal(Bilinear(dem, lon, lat), h.Value, 3);
        }, iter: 5000);

        // Points exactly between the samples on either side of a tile seam (columns 15|16, rows 15|16).
        for (var k = 0; k < 45; k++)
        {
            var lon = dem.Transform.PixelCenter(15, 0).LonDeg + (0.5 * dem.Transform.PixelSizeLonDeg);
            var lat = dem.Transform.PixelCenter(0, k).LatDeg;
            Assert.Equal(Bilinear(dem, lon, lat), model.HeightAmslM(new GeoPoint(lon, lat))!.Value, 3);
        }
    }

    [Fact]
    public void HeightAmslM_OutsideBounds_Null()
    {
        var dem = Dem(false);
        var model = ElevationModel.FromRaster(dem, 16);
        Assert.Null(model.HeightAmslM(new GeoPoint(dem.WestDeg - 1e-6, dem.NorthDeg - 0.001)));
        Assert.Null(model.HeightAmslM(new GeoPoint(dem.EastDeg - 0.001, dem.SouthDeg - 1e-6)));
        Assert.False(model.TryGetGroundAmslM(new GeoPoint(0, 0), out _));
    }

    [Fact]
    public void HeightAmslM_NearVoid_NullAtVoidRenormalisedNextToIt()
    {
        var dem = Dem(false, noData: -32768);
        dem.Data[(10 * dem.Width) + 10] = -32768;
        var model = ElevationModel.FromRaster(dem, 16);
        Assert.Null(model.HeightAmslM(dem.Transform.PixelCenter(10, 10)));
        // A quarter of the way from (11,10) towards (10,10): the nearest sample (11,10) is valid; its valid neighbours
        // carry all the weight.
        var p = new GeoPoint(dem.Transform.PixelCenter(11, 10).LonDeg - (0.25 * dem.Transform.PixelSizeLonDeg), dem.Transform.PixelCenter(11, 10).LatDeg);
        var h = model.HeightAmslM(p);
        Assert.NotNull(h);
        Assert.Equal(dem.GetSample(0, 11, 10), h.Value, 3);
    }

    [Fact]
    public void Model_FromStoredMetadataAndTiles_SameAsInMemory()
    {
        var dem = Dem(true);
        var layout = DemTiler.Layout(dem, 16);
        var tiles = DemTiler.Tile(dem, 16).ToDictionary(t => (t.Row, t.Col), t => t.Bytes);
        var stored = DemTileLayout.FromBounds(layout.WestDeg, layout.SouthDeg, layout.EastDeg, layout.NorthDeg, layout.Width, layout.Height, 16, null);
        var loads = 0;
        var model = new ElevationModel(stored, (r, c) => { loads++; return tiles.GetValueOrDefault((r, c)); }, 64);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(dem.GetSample(0, 33, 20), model.HeightAmslM(dem.Transform.PixelCenter(33, 20))!.Value, 3);
        }

        Assert.Equal(1, loads);
        Assert.Equal(15, tiles.Count);
    }

    [Fact]
    public void Model_MissingTile_NoHeightThere()
    {
        var dem = Dem(true);
        var tiles = DemTiler.Tile(dem, 16).Where(t => !(t.Row == 1 && t.Col == 1)).ToDictionary(t => (t.Row, t.Col), t => t.Bytes);
        var model = new ElevationModel(DemTiler.Layout(dem, 16), (r, c) => tiles.GetValueOrDefault((r, c)));
        Assert.Null(model.HeightAmslM(dem.Transform.PixelCenter(20, 20)));
        Assert.NotNull(model.HeightAmslM(dem.Transform.PixelCenter(5, 5)));
    }

    [Fact]
    public void EncodeDecodeTile_IntegralAndFloat_RoundTrips()
    {
        float[] ints = [1, -5, 32767, -32767, float.NaN, 0];
        var back = DemTiler.DecodeTile(DemTiler.EncodeTile(ints, 3, 2), out var w, out var h);
        Assert.Equal((3, 2), (w, h));
        Assert.Equal(ints, back);
        float[] floats = [1.5f, float.NaN, 9000.25f, -1e-3f];
        Assert.Equal(floats, DemTiler.DecodeTile(DemTiler.EncodeTile(floats, 2, 2), out _, out _));
        Assert.Throws<InvalidDataException>(() => DemTiler.DecodeTile("nope-nope-nope"u8, out _, out _));
    }
}

public sealed class SurfaceModelTests
{
    private sealed class FlatGround(double heightM) : IGroundElevation
    {
        public bool TryGetGroundAmslM(GeoPoint p, out double groundAmslM)
        {
            groundAmslM = heightM;
            return true;
        }
    }

    private static Obstacle RandomBuilding(Random rng, int id)
    {
        var cx = 106.70 + (rng.NextDouble() * 0.01);
        var cy = 26.57 + (rng.NextDouble() * 0.01);
        var vertices = rng.Next(3, 9);
        var coords = new NetTopologySuite.Geometries.Coordinate[vertices + 1];
        for (var i = 0; i < vertices; i++)
        {
            var angle = 2 * Math.PI * i / vertices;
            var radius = 0.0001 + (rng.NextDouble() * 0.0006); // star-shaped: often concave
            coords[i] = new NetTopologySuite.Geometries.Coordinate(cx + (radius * Math.Cos(angle)), cy + (radius * Math.Sin(angle)));
        }

        coords[vertices] = coords[0];
        var factory = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(4326);
        return new Obstacle($"b{id}", factory.CreatePolygon(coords), 5 + (rng.NextDouble() * 100), "building", null);
    }

    [Fact]
    public void ObstacleHeightM_AtCellCentres_EqualsBruteForcePointInPolygonMax()
    {
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var rng = new Random(seed);
            var buildings = Enumerable.Range(0, 30).Select(i => RandomBuilding(rng, i)).ToList();
            var model = new SurfaceModel(new FlatGround(1000), buildings, 5);
            var factory = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(4326);
            for (var k = 0; k < 400; k++)
            {
                var centre = model.CellCenter(rng.Next(model.Columns), rng.Next(model.Rows));
                var point = factory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(centre.LonDeg, centre.LatDeg));
                var expected = 0.0;
                foreach (var b in buildings)
                {
                    if (b.Footprint.Contains(point))
                    {
                        expected = Math.Max(expected, (float)b.HeightM);
                    }
                }

                Assert.Equal(expected, model.ObstacleHeightM(centre), 4);
                Assert.Equal(1000 + expected, model.SurfaceAmslM(centre)!.Value, 4);
            }
        }, iter: 20);
    }

    [Fact]
    public void ObstacleHeightM_PolygonWithHole_HoleIsOpenGround()
    {
        var factory = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(4326);
        var shell = factory.CreateLinearRing([new(106.700, 26.500), new(106.702, 26.500), new(106.702, 26.502), new(106.700, 26.502), new(106.700, 26.500)]);
        var hole = factory.CreateLinearRing([new(106.7005, 26.5005), new(106.7015, 26.5005), new(106.7015, 26.5015), new(106.7005, 26.5015), new(106.7005, 26.5005)]);
        var model = new SurfaceModel(new FlatGround(0), [new Obstacle("c", factory.CreatePolygon(shell, [hole]), 30, "building", null)], 2);
        Assert.Equal(0, model.ObstacleHeightM(new GeoPoint(106.701, 26.501)));
        Assert.Equal(30, model.ObstacleHeightM(new GeoPoint(106.7002, 26.5002)), 4);
        Assert.Equal(0, model.ObstacleHeightM(new GeoPoint(106.71, 26.51)));
    }
}
