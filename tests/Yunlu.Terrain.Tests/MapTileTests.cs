using System.Buffers.Binary;
using System.IO.Compression;
using CsCheck;
using Yunlu.Geo;
using Yunlu.Terrain;

namespace Yunlu.Terrain.Tests;

/// <summary>An independent PNG decoder (8-bit RGBA only) written from the PNG specification, used to check the encoder.</summary>
internal static class TestPngDecoder
{
    public static (int Width, int Height, byte[] Rgba) Decode(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var pos = 8;
        int width = 0, height = 0;
        using var idat = new MemoryStream();
        var sawEnd = false;
        while (pos < png.Length)
        {
            var len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, len);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + len));
            Assert.Equal(ReferenceCrc(png.AsSpan(pos + 4, len + 4)), crc);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                Assert.Equal(6, data[9]);
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            else if (type == "IEND")
            {
                sawEnd = true;
            }

            pos += 12 + len;
        }

        Assert.True(sawEnd);
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var stride = width * 4;
        var raw = new byte[(stride + 1) * height];
        z.ReadExactly(raw);
        var rgba = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            for (var i = 0; i < stride; i++)
            {
                int a = i >= 4 ? rgba[(y * stride) + i - 4] : 0;
                int b = y > 0 ? rgba[((y - 1) * stride) + i] : 0;
                int c = i >= 4 && y > 0 ? rgba[((y - 1) * stride) + i - 4] : 0;
                int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                var predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => pa <= pb && pa <= pc ? a : pb <= pc ? b : c,
                    _ => throw new InvalidDataException("bad filter"),
                };
                rgba[(y * stride) + i] = (byte)(raw[(y * (stride + 1)) + 1 + i] + predictor);
            }
        }

        return (width, height, rgba);
    }

    private static uint ReferenceCrc(ReadOnlySpan<byte> data)
    {
        // Bit-by-bit CRC-32 (no table), independent of the encoder's table.
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}

public sealed class PngEncoderTests
{
    [Fact]
    public void EncodeRgba_RandomImages_DecodeToSamePixels()
    {
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 40], Gen.Int[0, int.MaxValue], Gen.Bool).Sample((w, h, seed, smooth) =>
        {
            var rng = new Random(seed);
            var rgba = new byte[w * h * 4];
            for (var i = 0; i < rgba.Length; i++)
            {
                rgba[i] = smooth ? (byte)((i / 4 % w) + (i / 4 / w) + (i % 4 * 30)) : (byte)rng.Next(256);
            }

            var (dw, dh, back) = TestPngDecoder.Decode(PngEncoder.EncodeRgba(rgba, w, h));
            Assert.Equal((w, h), (dw, dh));
            Assert.Equal(rgba, back);
        }, iter: 200);
    }

    [Fact]
    public void Crc32_KnownVector_Matches()
    {
        Assert.Equal(0xCBF43926u, PngEncoder.Crc32("123456789"u8));
    }
}

public sealed class HillshadeTests
{
    private sealed class PlaneGround(double slopeEast, double slopeNorth, GeoPoint origin, double? westLimitDeg = null) : IGroundElevation
    {
        public bool TryGetGroundAmslM(GeoPoint p, out double groundAmslM)
        {
            var plane = new LocalTangentPlane(origin);
            var q = plane.Forward(p);
            groundAmslM = 500 + (slopeEast * q.EastM) + (slopeNorth * q.NorthM);
            return westLimitDeg is not { } w || p.LonDeg >= w;
        }
    }

    private static (int X, int Y) TileOf(int z, GeoPoint p)
    {
        var n = 1 << z;
        var x = (int)((p.LonDeg + 180) / 360 * n);
        var latRad = p.LatDeg * Math.PI / 180;
        var y = (int)((1 - (Math.Log(Math.Tan(latRad) + (1 / Math.Cos(latRad))) / Math.PI)) / 2 * n);
        return (x, y);
    }

    [Fact]
    public void Render_FlatGround_UniformSinAltitude()
    {
        var origin = new GeoPoint(106.7, 26.6);
        var (x, y) = TileOf(12, origin);
        var (_, _, rgba) = TestPngDecoder.Decode(new HillshadeRenderer(new PlaneGround(0, 0, origin)).RenderPng(12, x, y));
        var expected = (byte)Math.Round(255 * Math.Sin(Math.PI / 4));
        for (var i = 0; i < rgba.Length; i += 4)
        {
            Assert.Equal(expected, rgba[i]);
            Assert.Equal(255, rgba[i + 3]);
        }
    }

    [Fact]
    public void Render_SlopeFacingNorthWest_BrighterThanFacingSouthEast()
    {
        var origin = new GeoPoint(106.7, 26.6);
        var (x, y) = TileOf(13, origin);
        // Ground rising to the south-east faces north-west (towards the 315° sun).
        var facingNw = new HillshadeRenderer(new PlaneGround(0.3, -0.3, origin)).RenderRgba(13, x, y);
        var facingSe = new HillshadeRenderer(new PlaneGround(-0.3, 0.3, origin)).RenderRgba(13, x, y);
        var i = ((128 * 256) + 128) * 4;
        Assert.True(facingNw[i] > 220, $"NW-facing {facingNw[i]}");
        Assert.True(facingSe[i] < 120, $"SE-facing {facingSe[i]}");
        // Lambert: slope s along the sun's azimuth gives (sin alt + s cos alt)/sqrt(1+s²+...) — check the exact value.
        var s = Math.Sqrt(0.18);
        var expectedNw = 255 * ((Math.Sin(Math.PI / 4) + (s * Math.Cos(Math.PI / 4))) / Math.Sqrt(1 + (s * s)));
        Assert.InRange(facingNw[i], expectedNw - 3, expectedNw + 3);
    }

    [Fact]
    public void Render_OutsideData_Transparent()
    {
        var origin = new GeoPoint(106.7, 26.6);
        var (x, y) = TileOf(10, origin);
        var tileWest = (x / 1024.0 * 360) - 180;
        var tileEast = ((x + 1) / 1024.0 * 360) - 180;
        var mid = (tileWest + tileEast) / 2;
        var rgba = new HillshadeRenderer(new PlaneGround(0, 0, origin, mid), new HillshadeOptions(HypsometricTint: true)).RenderRgba(10, x, y);
        Assert.Equal(0, rgba[((100 * 256) + 10) * 4 + 3]);
        Assert.Equal(255, rgba[((100 * 256) + 250) * 4 + 3]);
    }
}

public sealed class OrthophotoAndFolderTests
{
    [Fact]
    public void RenderRgba_TwoColourImage_ColoursOnTheRightSidesAndTransparentOutside()
    {
        // 100 × 100 RGB image over 106.70..106.71 E, 26.60..26.61 N: west half red, east half blue.
        const int n = 100;
        var r = new float[n * n];
        var g = new float[n * n];
        var b = new float[n * n];
        for (var row = 0; row < n; row++)
        {
            for (var col = 0; col < n; col++)
            {
                (col < n / 2 ? r : b)[(row * n) + col] = 255;
            }
        }

        var image = new GeoRaster(n, n, RasterSampleType.UInt8, new GeoTransform(106.70, 26.61, 0.0001, 0.0001), null, r, g, b);
        var renderer = new OrthophotoTileRenderer(image);
        const int z = 15;
        var x = (int)((106.705 + 180) / 360 * (1 << z));
        var latRad = 26.605 * Math.PI / 180;
        var y = (int)((1 - (Math.Log(Math.Tan(latRad) + (1 / Math.Cos(latRad))) / Math.PI)) / 2 * (1 << z));
        var png = renderer.RenderPng(z, x, y);
        Assert.NotNull(png);
        var (_, _, rgba) = TestPngDecoder.Decode(png);
        var sawRed = false;
        var sawBlue = false;
        var sawTransparent = false;
        for (var j = 0; j < 256; j++)
        {
            for (var i = 0; i < 256; i++)
            {
                var o = ((j * 256) + i) * 4;
                var p = WebMercator.PixelToGeo(z, (x * 256.0) + i + 0.5, (y * 256.0) + j + 0.5);
                var inside = p.LonDeg >= 106.70 && p.LonDeg < 106.71 && p.LatDeg > 26.60 && p.LatDeg <= 26.61;
                if (!inside)
                {
                    Assert.Equal(0, rgba[o + 3]);
                    sawTransparent = true;
                }
                else if (p.LonDeg < 106.7049)
                {
                    Assert.Equal((255, 0, 255), (rgba[o], rgba[o + 2], rgba[o + 3]));
                    sawRed = true;
                }
                else if (p.LonDeg > 106.7051)
                {
                    Assert.Equal((0, 255, 255), (rgba[o], rgba[o + 2], rgba[o + 3]));
                    sawBlue = true;
                }
            }
        }

        Assert.True(sawRed && sawBlue && sawTransparent);
        Assert.Null(renderer.RenderPng(z, 0, 0));
    }

    [Fact]
    public async Task TryGetTileAsync_TmsFolder_FlipsYAndPrefersPng()
    {
        var root = Path.Combine(Path.GetTempPath(), "yunlu-xyz-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "3", "5"));
            await File.WriteAllBytesAsync(Path.Combine(root, "3", "5", "1.png"), [1, 2, 3], TestContext.Current.CancellationToken);
            await File.WriteAllBytesAsync(Path.Combine(root, "3", "5", "2.jpg"), [9], TestContext.Current.CancellationToken);
            var xyz = new XyzTileFolderSource(root);
            var tms = new XyzTileFolderSource(root, tms: true);
            var direct = await xyz.TryGetTileAsync(3, 5, 1, TestContext.Current.CancellationToken);
            Assert.Equal(new byte[] { 1, 2, 3 }, direct!.Bytes);
            Assert.Equal("image/png", direct.ContentType);
            var flipped = await tms.TryGetTileAsync(3, 5, 6, TestContext.Current.CancellationToken); // 2^3 - 1 - 6 = 1
            Assert.Equal(new byte[] { 1, 2, 3 }, flipped!.Bytes);
            Assert.Equal("image/jpeg", (await xyz.TryGetTileAsync(3, 5, 2, TestContext.Current.CancellationToken))!.ContentType);
            Assert.Null(await xyz.TryGetTileAsync(3, 5, 3, TestContext.Current.CancellationToken));
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => xyz.TryGetTileAsync(3, 8, 0, TestContext.Current.CancellationToken));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

public sealed class HeightmapTileBuilderTests
{
    private sealed class BoxGround(double west, double south, double east, double north, double heightM) : IGroundElevation
    {
        public bool TryGetGroundAmslM(GeoPoint p, out double groundAmslM)
        {
            groundAmslM = heightM;
            return p.LonDeg >= west && p.LonDeg <= east && p.LatDeg >= south && p.LatDeg <= north;
        }
    }

    [Fact]
    public void Bounds_Level0_TwoHemispheres()
    {
        Assert.Equal(new TileBounds(-180, -90, 0, 90), HeightmapTileBuilder.Bounds(0, 0, 0));
        Assert.Equal(new TileBounds(0, -90, 180, 90), HeightmapTileBuilder.Bounds(0, 1, 0));
        Assert.Equal(new TileBounds(90, 0, 135, 45), HeightmapTileBuilder.Bounds(2, 6, 1));
        Assert.Equal(2, HeightmapTileBuilder.FlipY(2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => HeightmapTileBuilder.Bounds(0, 0, 1));
    }

    [Fact]
    public void BuildTile_InsideAndOutsideData_AmslPlusUndulationOrUndulationOnly()
    {
        // Level 8 tile containing Guiyang; data covers only its western half.
        const int level = 8;
        var span = 180.0 / (1 << level);
        var x = (int)((106.7 + 180) / span);
        var y = (int)((90 - 26.6) / span);
        var b = HeightmapTileBuilder.Bounds(level, x, y);
        var mid = (b.WestDeg + b.EastDeg) / 2;
        var builder = new HeightmapTileBuilder(new BoxGround(b.WestDeg, b.SouthDeg, mid, b.NorthDeg, 1100), p => -30 + (0.1 * p.LatDeg), 65);
        var bytes = builder.BuildTile(level, x, y);
        Assert.Equal(65 * 65 * 4, bytes.Length);
        var step = (b.EastDeg - b.WestDeg) / 64;
        for (var j = 0; j < 65; j += 8)
        {
            for (var i = 0; i < 65; i += 4)
            {
                var h = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(((j * 65) + i) * 4));
                var lat = b.NorthDeg - (j * step);
                var n = -30 + (0.1 * lat);
                var expected = i <= 32 ? 1100 + n : n;
                Assert.Equal(expected, h, 3);
            }
        }
    }
}
