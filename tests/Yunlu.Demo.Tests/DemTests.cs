using Yunlu.DemoGen;
using Yunlu.Formats.Raster;
using Yunlu.Terrain;

namespace Yunlu.Demo.Tests;

public sealed class DemTests
{
    private static GeoRaster ReadDem()
    {
        using var s = DemoPaths.Open(DemoGenerator.DemFileName);
        return GeoTiffReader.Read(s);
    }

    [Fact]
    public void Dem_ReadBack_CoversGuiyangAtOneArcSecond()
    {
        var dem = ReadDem();

        Assert.Equal(RasterSampleType.Int16, dem.SampleType);
        Assert.Equal(2340, dem.Width);
        Assert.Equal(1620, dem.Height);
        Assert.Equal(106.40, dem.WestDeg, 9);
        Assert.Equal(26.75, dem.NorthDeg, 9);
        Assert.Equal(107.05, dem.EastDeg, 9);
        Assert.Equal(26.30, dem.SouthDeg, 9);
        Assert.Equal(1.0 / 3600, dem.Transform.PixelSizeLonDeg, 12);
    }

    [Fact]
    public void Dem_File_IsLabelledSyntheticAndSmall()
    {
        var bytes = File.ReadAllBytes(DemoPaths.Demo(DemoGenerator.DemFileName));

        var description = TiffDescription.Read(bytes);
        Assert.NotNull(description);
        Assert.Contains("SYNTHETIC", description, StringComparison.Ordinal);
        Assert.Contains("seed 1140", description, StringComparison.Ordinal);
        Assert.True(bytes.Length <= 8 * 1024 * 1024, $"the demo DEM is {bytes.Length} bytes, more than 8 MiB");
    }

    [Fact]
    public void Dem_Statistics_ArePlausibleForTheGuizhouKarstPlateau()
    {
        var data = ReadDem().Data;
        double min = double.MaxValue, max = double.MinValue, sum = 0;
        foreach (var v in data)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            sum += v;
        }

        var mean = sum / data.Length;
        Assert.InRange(min, 900, 1100);
        Assert.InRange(max, 1300, 1700);
        Assert.InRange(mean, 1050, 1300);
    }

    [Fact]
    public void Dem_KarstRelief_HasConesAndRoughness()
    {
        // Cone karst: within 1 km windows of open country the relief is tens to a couple of hundred metres.
        var dem = ReadDem();
        var reliefs = new List<double>();
        for (var wy = 0; wy + 33 < dem.Height; wy += 200)
        {
            for (var wx = 0; wx + 33 < dem.Width; wx += 200)
            {
                double lo = double.MaxValue, hi = double.MinValue;
                for (var r = wy; r < wy + 33; r++)
                {
                    for (var c = wx; c < wx + 33; c++)
                    {
                        var v = dem.Data[(r * dem.Width) + c];
                        lo = Math.Min(lo, v);
                        hi = Math.Max(hi, v);
                    }
                }

                reliefs.Add(hi - lo);
            }
        }

        reliefs.Sort();
        var median = reliefs[reliefs.Count / 2];
        Assert.InRange(median, 30, 250);
    }

    [Fact]
    public void Dem_Airfield_IsFlatAtAerodromeElevation()
    {
        var dem = ReadDem();
        var terrain = new KarstTerrain(DemoGenerator.DefaultSeed);
        var inside = 0;
        double lo = double.MaxValue, hi = double.MinValue;
        for (var row = 0; row < dem.Height; row++)
        {
            for (var col = 0; col < dem.Width; col++)
            {
                var p = dem.Transform.PixelCenter(col, row);
                if (terrain.AirfieldDistance(LocalFrame.X(p.LonDeg), LocalFrame.Y(p.LatDeg)) > 0)
                {
                    continue;
                }

                inside++;
                var v = dem.Data[(row * dem.Width) + col];
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
            }
        }

        // 4 000 m × 900 m at about 27.7 × 30.9 m per pixel: some 4 200 pixels.
        Assert.InRange(inside, 3500, 5000);
        Assert.True(hi - lo <= 3, $"airfield heights span {lo}..{hi} m");
        Assert.InRange(lo, 1137, 1143);
        var arp = Sample(dem, Guiyang.Airport.LonDeg, Guiyang.Airport.LatDeg);
        Assert.InRange(arp, 1138, 1142);
    }

    [Fact]
    public void Dem_Rivers_RunBelowTheirBanks()
    {
        // The Nanming River at Jiaxiu Pavilion lies in a valley: lower than the ground 1.5 km away on either bank.
        var dem = ReadDem();
        var river = Sample(dem, 106.7131, 26.5710);
        var north = Sample(dem, 106.7131, 26.5850);
        var south = Sample(dem, 106.7131, 26.5570);
        Assert.InRange(river, 1000, 1080);
        Assert.True(north > river + 5 && south > river + 5, $"river {river} m, banks {north} / {south} m");
    }

    [Fact]
    public void Hgt_ReadsAsSrtm3Tile_AndAgreesWithTheTerrainFunction()
    {
        GeoRaster hgt;
        using (var s = DemoPaths.Open(DemoGenerator.HgtFileName))
        {
            hgt = HgtReader.Read(s, DemoGenerator.HgtFileName);
        }

        Assert.Equal(1201, hgt.Width);
        Assert.Equal(1201, hgt.Height);
        var terrain = new KarstTerrain(DemoGenerator.DefaultSeed);
        // Sample (col, row) lies exactly at (106 + col/1200, 27 − row/1200).
        foreach (var (col, row) in new[] { (0, 0), (600, 600), (961, 555), (1200, 1200), (300, 900) })
        {
            var expected = Math.Round(terrain.HeightM(106 + (col / 1200.0), 27 - (row / 1200.0)), MidpointRounding.AwayFromZero);
            Assert.Equal(expected, hgt.GetSample(0, col, row));
        }
    }

    [Fact]
    public void TiffDescription_Add_KeepsTheImageReadable()
    {
        var raster = new GeoRaster(20, 10, RasterSampleType.Int16, new GeoTransform(106, 27, 0.1, 0.1), null, Enumerable.Range(0, 200).Select(i => (float)i).ToArray());
        using var ms = new MemoryStream();
        GeoTiffWriter.Write(ms, raster, new GeoTiffWriteOptions(Tiled: true, TileSize: 16));

        var tagged = TiffDescription.Add(ms.ToArray(), "SYNTHETIC test");
        var back = GeoTiffReader.Read(tagged);

        Assert.Equal("SYNTHETIC test", TiffDescription.Read(tagged));
        Assert.Null(TiffDescription.Read(ms.ToArray()));
        Assert.Equal(raster.Data, back.Data);
        Assert.Equal(raster.Transform, back.Transform);
        Assert.Throws<ArgumentException>(() => TiffDescription.Add(tagged, "again"));
        Assert.Throws<ArgumentException>(() => TiffDescription.Add(ms.ToArray(), "非 ASCII"));
    }

    private static float Sample(GeoRaster dem, double lonDeg, double latDeg)
    {
        var col = (int)Math.Round(dem.Transform.ColumnOf(lonDeg));
        var row = (int)Math.Round(dem.Transform.RowOf(latDeg));
        return dem.GetSample(0, col, row);
    }
}
