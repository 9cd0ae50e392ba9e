using System.Buffers.Binary;
using System.IO.Compression;
using Yunlu.Geo;

namespace Yunlu.Terrain;

/// <summary>
/// How a DEM is cut into tiles: tile (row, col) starts at sample (row·TileSize, col·TileSize) and holds
/// TileSize + 1 samples each way (one sample of overlap with its east and south neighbours, fewer at the raster's
/// edge), so bilinear interpolation never needs a second tile. Row 0 is at the north edge.
/// It maps one-to-one onto the store's <c>RasterDataset</c>: Bounds = (West, South, East, North), Width, Height,
/// TileSize, SampleType, NoData.
/// </summary>
/// <param name="Transform">The source raster's georeferencing (pixel-is-area).</param>
/// <param name="Width">Samples west–east.</param>
/// <param name="Height">Samples north–south.</param>
/// <param name="TileSize">Tile stride in samples.</param>
/// <param name="NoData">The source's no-data value (informational; tiles carry voids as NaN).</param>
public sealed record DemTileLayout(GeoTransform Transform, int Width, int Height, int TileSize, double? NoData)
{
    /// <summary>Tile rows.</summary>
    public int TileRows => (Height + TileSize - 1) / TileSize;

    /// <summary>Tile columns.</summary>
    public int TileCols => (Width + TileSize - 1) / TileSize;

    /// <summary>West edge, degrees.</summary>
    public double WestDeg => Transform.WestDeg;

    /// <summary>North edge, degrees.</summary>
    public double NorthDeg => Transform.NorthDeg;

    /// <summary>East edge, degrees.</summary>
    public double EastDeg => Transform.EastDeg(Width);

    /// <summary>South edge, degrees.</summary>
    public double SouthDeg => Transform.SouthDeg(Height);

    /// <summary>Rebuilds a layout from stored metadata (the store's <c>RasterDataset</c> fields): the bounds are the
    /// pixel-is-area extent, so the pixel size is (east − west) / width by (north − south) / height.</summary>
    public static DemTileLayout FromBounds(double westDeg, double southDeg, double eastDeg, double northDeg, int width, int height, int tileSize, double? noData)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tileSize, 2);
        if (!(eastDeg > westDeg) || !(northDeg > southDeg))
        {
            throw new ArgumentException("bounds must have east > west and north > south", nameof(eastDeg));
        }

        return new DemTileLayout(
            new GeoTransform(westDeg, northDeg, (eastDeg - westDeg) / width, (northDeg - southDeg) / height),
            width, height, tileSize, noData);
    }
}

/// <summary>One encoded DEM tile (stored as the store's <c>RasterTileBlob(Row, Col, Bytes)</c>).</summary>
/// <param name="Row">Tile row, 0 at the north.</param>
/// <param name="Col">Tile column, 0 at the west.</param>
/// <param name="Bytes">The encoded tile (<see cref="DemTiler.DecodeTile"/>).</param>
public readonly record struct DemTile(int Row, int Col, byte[] Bytes);

/// <summary>
/// Cuts a DEM into overlapping tiles and encodes each compactly:
/// a 12-byte header (<c>"YDT1"</c>, encoding byte, reserved byte, uint16 width, uint16 height, uint16 reserved,
/// little-endian) then a zlib stream. Encoding 1: int16 heights (used when every valid sample is a whole number in
/// ±32767), horizontally differenced per row, void = −32768. Encoding 2: float32 heights, void = NaN.
/// </summary>
public static class DemTiler
{
    /// <summary>The default tile stride (samples).</summary>
    public const int DefaultTileSize = 256;

    private const int HeaderSize = 12;
    private const byte EncodingInt16 = 1;
    private const byte EncodingFloat32 = 2;
    private const short Int16Void = short.MinValue;

    /// <summary>The layout <see cref="Tile"/> uses for <paramref name="raster"/>.</summary>
    public static DemTileLayout Layout(GeoRaster raster, int tileSize = DefaultTileSize)
    {
        ArgumentNullException.ThrowIfNull(raster);
        if (tileSize is < 2 or > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(tileSize), "tile size must be 2 to 4096 samples");
        }

        return new DemTileLayout(raster.Transform, raster.Width, raster.Height, tileSize, raster.NoData);
    }

    /// <summary>Encodes every tile of band <paramref name="band"/>, row by row from the north-west.</summary>
    public static IReadOnlyList<DemTile> Tile(GeoRaster raster, int tileSize = DefaultTileSize, int band = 0)
    {
        var layout = Layout(raster, tileSize);
        var tiles = new List<DemTile>(layout.TileRows * layout.TileCols);
        var source = raster.Bands[band];
        var buffer = new float[(tileSize + 1) * (tileSize + 1)];
        var hasNoData = raster.NoData.HasValue;
        var noData = (float)raster.NoData.GetValueOrDefault();
        for (var r = 0; r < layout.TileRows; r++)
        {
            for (var c = 0; c < layout.TileCols; c++)
            {
                var x0 = c * tileSize;
                var y0 = r * tileSize;
                var w = Math.Min(tileSize + 1, raster.Width - x0);
                var h = Math.Min(tileSize + 1, raster.Height - y0);
                for (var y = 0; y < h; y++)
                {
                    for (var x = 0; x < w; x++)
                    {
                        var v = source[((y0 + y) * raster.Width) + x0 + x];
                        buffer[(y * w) + x] = hasNoData && v == noData ? float.NaN : v;
                    }
                }

                tiles.Add(new DemTile(r, c, EncodeTile(buffer.AsSpan(0, w * h), w, h)));
            }
        }

        return tiles;
    }

    /// <summary>Encodes <paramref name="width"/>×<paramref name="height"/> samples (NaN = void).</summary>
    public static byte[] EncodeTile(ReadOnlySpan<float> samples, int width, int height)
    {
        if (width is < 1 or > ushort.MaxValue || height is < 1 or > ushort.MaxValue || samples.Length != width * height)
        {
            throw new ArgumentException("samples must hold width × height values (1 to 65535 each)", nameof(samples));
        }

        var integral = true;
        foreach (var v in samples)
        {
            if (!float.IsNaN(v) && (v != MathF.Round(v) || v < -32767 || v > 32767))
            {
                integral = false;
                break;
            }
        }

        using var ms = new MemoryStream();
        Span<byte> header = stackalloc byte[HeaderSize];
        header.Clear();
        "YDT1"u8.CopyTo(header);
        header[4] = integral ? EncodingInt16 : EncodingFloat32;
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], (ushort)height);
        ms.Write(header);
        using (var z = new ZLibStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            if (integral)
            {
                var payload = new byte[samples.Length * 2];
                for (var y = 0; y < height; y++)
                {
                    short prev = 0;
                    for (var x = 0; x < width; x++)
                    {
                        var v = samples[(y * width) + x];
                        var s = float.IsNaN(v) ? Int16Void : (short)v;
                        BinaryPrimitives.WriteInt16LittleEndian(payload.AsSpan(((y * width) + x) * 2), (short)(s - prev));
                        prev = s;
                    }
                }

                z.Write(payload);
            }
            else
            {
                var payload = new byte[samples.Length * 4];
                for (var i = 0; i < samples.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(payload.AsSpan(i * 4), samples[i]);
                }

                z.Write(payload);
            }
        }

        return ms.ToArray();
    }

    /// <summary>Decodes a tile made by <see cref="EncodeTile"/>: width·height samples, row-major, NaN = void.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid tile.</exception>
    public static float[] DecodeTile(ReadOnlySpan<byte> bytes, out int width, out int height)
    {
        if (bytes.Length < HeaderSize || !bytes[..4].SequenceEqual("YDT1"u8))
        {
            throw new InvalidDataException("not a Yunlu DEM tile (missing YDT1 header)");
        }

        var encoding = bytes[4];
        width = BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]);
        height = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]);
        if (width == 0 || height == 0 || encoding is not (EncodingInt16 or EncodingFloat32))
        {
            throw new InvalidDataException("DEM tile header is corrupt");
        }

        var count = width * height;
        var payload = new byte[count * (encoding == EncodingInt16 ? 2 : 4)];
        using (var input = new MemoryStream(bytes[HeaderSize..].ToArray(), writable: false))
        using (var z = new ZLibStream(input, CompressionMode.Decompress))
        {
            z.ReadExactly(payload);
        }

        var values = new float[count];
        if (encoding == EncodingInt16)
        {
            for (var y = 0; y < height; y++)
            {
                short acc = 0;
                for (var x = 0; x < width; x++)
                {
                    var i = (y * width) + x;
                    acc = (short)(acc + BinaryPrimitives.ReadInt16LittleEndian(payload.AsSpan(i * 2)));
                    values[i] = acc == Int16Void ? float.NaN : acc;
                }
            }
        }
        else
        {
            for (var i = 0; i < count; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(payload.AsSpan(i * 4));
            }
        }

        return values;
    }
}
