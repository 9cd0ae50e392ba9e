using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Yunlu.Terrain;

namespace Yunlu.Formats.Raster;

/// <summary>Compression of written strips or tiles (TIFF tag 259).</summary>
public enum TiffCompression
{
    /// <summary>Uncompressed (1).</summary>
    None = 1,

    /// <summary>TIFF LZW with early change (5).</summary>
    Lzw = 5,

    /// <summary>zlib/Deflate (8, "Adobe Deflate").</summary>
    Deflate = 8,
}

/// <summary>Predictor applied before compression (TIFF tag 317).</summary>
public enum TiffPredictor
{
    /// <summary>No prediction (1).</summary>
    None = 1,

    /// <summary>Horizontal differencing of sample values (2).</summary>
    Horizontal = 2,

    /// <summary>Floating-point byte-plane differencing, TIFF Technical Note 3 (3); float32/float64 only.</summary>
    FloatingPoint = 3,
}

/// <summary>How <see cref="GeoTiffWriter"/> lays out a file.</summary>
/// <param name="Tiled">Tiles (true) or strips (false).</param>
/// <param name="TileSize">Tile edge in pixels, a multiple of 16 (TIFF 6.0 §15).</param>
/// <param name="Compression">Compression of every strip/tile.</param>
/// <param name="Predictor">Predictor; <see cref="TiffPredictor.FloatingPoint"/> needs a float sample type.</param>
/// <param name="RowsPerStrip">Rows per strip when striped; 0 picks strips of about 8 KiB as GDAL does.</param>
public sealed record GeoTiffWriteOptions(
    bool Tiled = false,
    int TileSize = 256,
    TiffCompression Compression = TiffCompression.Deflate,
    TiffPredictor Predictor = TiffPredictor.None,
    int RowsPerStrip = 0);

/// <summary>
/// Writes a <see cref="GeoRaster"/> as a little-endian classic GeoTIFF laid out as GDAL lays it out: the header,
/// the one IFD at offset 8 with its tags in ascending order, the out-of-line tag values, then the strips or tiles.
/// Georeferencing is ModelPixelScale + ModelTiepoint (pixel-is-area) with a GeoKeyDirectory for EPSG:4326
/// (GTModelType 2, GTRasterType 1, GeographicType 4326, GeogCitation "WGS 84", angular unit degree 9102), and
/// GDAL_NODATA (42113) when the raster has a no-data value. Samples are written as the raster's
/// <see cref="GeoRaster.SampleType"/>; integer types are rounded and clamped to their range.
/// </summary>
public static class GeoTiffWriter
{
    /// <summary>Writes <paramref name="raster"/> to <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentException">Bad options (tile size, predictor for the sample type) or the file would pass 4 GiB.</exception>
    public static void Write(Stream stream, GeoRaster raster, GeoTiffWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(raster);
        options ??= new GeoTiffWriteOptions();
        var isFloat = raster.SampleType is RasterSampleType.Float32 or RasterSampleType.Float64;
        if (options.Predictor == TiffPredictor.FloatingPoint && !isFloat)
        {
            throw new ArgumentException($"the floating-point predictor needs float samples, not {raster.SampleType}", nameof(options));
        }

        if (options.Tiled && (options.TileSize < 16 || options.TileSize % 16 != 0 || options.TileSize > 4096))
        {
            throw new ArgumentException($"TileSize must be a multiple of 16 between 16 and 4096, not {options.TileSize}", nameof(options));
        }

        var spp = raster.BandCount;
        var bps = BytesPerSample(raster.SampleType);
        int segW, segH, across, down;
        if (options.Tiled)
        {
            segW = segH = options.TileSize;
            across = (raster.Width + segW - 1) / segW;
            down = (raster.Height + segH - 1) / segH;
        }
        else
        {
            segW = raster.Width;
            segH = options.RowsPerStrip > 0
                ? Math.Min(options.RowsPerStrip, raster.Height)
                : Math.Clamp(8192 / Math.Max(1, raster.Width * spp * bps), 1, raster.Height);
            across = 1;
            down = (raster.Height + segH - 1) / segH;
        }

        var rowBytes = segW * spp * bps;
        var segments = new byte[across * down][];
        var scratch = new byte[rowBytes * segH];
        for (var s = 0; s < segments.Length; s++)
        {
            var x0 = (s % across) * segW;
            var y0 = (s / across) * segH;
            var rows = options.Tiled ? segH : Math.Min(segH, raster.Height - y0);
            var seg = scratch.AsSpan(0, rows * rowBytes);
            seg.Clear();
            for (var r = 0; r < rows; r++)
            {
                var row = seg.Slice(r * rowBytes, rowBytes);
                if (y0 + r < raster.Height)
                {
                    EncodeRow(raster, row, x0, y0 + r, Math.Min(segW, raster.Width - x0), bps);
                }

                if (options.Predictor == TiffPredictor.Horizontal)
                {
                    ApplyHorizontal(row, spp, bps);
                }
                else if (options.Predictor == TiffPredictor.FloatingPoint)
                {
                    ApplyFloatingPoint(row, spp, bps);
                }
            }

            segments[s] = Compress(seg, options.Compression);
        }

        var tags = BuildTags(raster, options, segW, segH, segments);
        WriteFile(stream, tags, segments);
    }

    private static int BytesPerSample(RasterSampleType type) => type switch
    {
        RasterSampleType.UInt8 => 1,
        RasterSampleType.Int16 or RasterSampleType.UInt16 => 2,
        RasterSampleType.Int32 or RasterSampleType.Float32 => 4,
        _ => 8,
    };

    private static void EncodeRow(GeoRaster raster, Span<byte> row, int x0, int y, int cols, int bps)
    {
        var spp = raster.BandCount;
        var start = (y * raster.Width) + x0;
        for (var b = 0; b < spp; b++)
        {
            var band = raster.Bands[b];
            for (var c = 0; c < cols; c++)
            {
                var v = band[start + c];
                var dst = row[((((c * spp) + b)) * bps)..];
                switch (raster.SampleType)
                {
                    case RasterSampleType.UInt8:
                        dst[0] = (byte)Math.Clamp(MathF.Round(v), 0, 255);
                        break;
                    case RasterSampleType.Int16:
                        BinaryPrimitives.WriteInt16LittleEndian(dst, (short)Math.Clamp(MathF.Round(v), short.MinValue, short.MaxValue));
                        break;
                    case RasterSampleType.UInt16:
                        BinaryPrimitives.WriteUInt16LittleEndian(dst, (ushort)Math.Clamp(MathF.Round(v), 0, ushort.MaxValue));
                        break;
                    case RasterSampleType.Int32:
                        BinaryPrimitives.WriteInt32LittleEndian(dst, (int)Math.Clamp(Math.Round((double)v), int.MinValue, int.MaxValue));
                        break;
                    case RasterSampleType.Float32:
                        BinaryPrimitives.WriteSingleLittleEndian(dst, v);
                        break;
                    default:
                        BinaryPrimitives.WriteDoubleLittleEndian(dst, v);
                        break;
                }
            }
        }
    }

    private static void ApplyHorizontal(Span<byte> row, int spp, int bps)
    {
        var count = row.Length / bps;
        for (var i = count - 1; i >= spp; i--)
        {
            switch (bps)
            {
                case 1:
                    row[i] = (byte)(row[i] - row[i - spp]);
                    break;
                case 2:
                    BinaryPrimitives.WriteUInt16LittleEndian(row[(i * 2)..], (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(row[(i * 2)..]) - BinaryPrimitives.ReadUInt16LittleEndian(row[((i - spp) * 2)..])));
                    break;
                case 4:
                    BinaryPrimitives.WriteUInt32LittleEndian(row[(i * 4)..], BinaryPrimitives.ReadUInt32LittleEndian(row[(i * 4)..]) - BinaryPrimitives.ReadUInt32LittleEndian(row[((i - spp) * 4)..]));
                    break;
                default:
                    BinaryPrimitives.WriteUInt64LittleEndian(row[(i * 8)..], BinaryPrimitives.ReadUInt64LittleEndian(row[(i * 8)..]) - BinaryPrimitives.ReadUInt64LittleEndian(row[((i - spp) * 8)..]));
                    break;
            }
        }
    }

    private static void ApplyFloatingPoint(Span<byte> row, int spp, int bps)
    {
        var wc = row.Length / bps;
        var tmp = row.ToArray();
        for (var i = 0; i < wc; i++)
        {
            for (var b = 0; b < bps; b++)
            {
                // Plane b = byte b from the most significant end; samples here are little-endian.
                row[(b * wc) + i] = tmp[(i * bps) + (bps - 1 - b)];
            }
        }

        for (var i = row.Length - 1; i >= spp; i--)
        {
            row[i] = (byte)(row[i] - row[i - spp]);
        }
    }

    private static byte[] Compress(ReadOnlySpan<byte> data, TiffCompression compression)
    {
        switch (compression)
        {
            case TiffCompression.None:
                return data.ToArray();
            case TiffCompression.Lzw:
                return TiffLzw.Encode(data);
            default:
                using (var ms = new MemoryStream())
                {
                    using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true))
                    {
                        z.Write(data);
                    }

                    return ms.ToArray();
                }
        }
    }

    private sealed record Tag(int Id, int Type, int Count, byte[] Value);

    private static Tag Shorts(int id, params int[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), checked((ushort)values[i]));
        }

        return new Tag(id, 3, values.Length, bytes);
    }

    private static Tag ShortOrLong(int id, int value) =>
        value <= ushort.MaxValue ? Shorts(id, value) : Longs(id, [value]);

    private static Tag Longs(int id, long[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), checked((uint)values[i]));
        }

        return new Tag(id, 4, values.Length, bytes);
    }

    private static Tag Doubles(int id, params double[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
        }

        return new Tag(id, 12, values.Length, bytes);
    }

    private static Tag Ascii(int id, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text + "\0");
        return new Tag(id, 2, bytes.Length, bytes);
    }

    private static List<Tag> BuildTags(GeoRaster raster, GeoTiffWriteOptions options, int segW, int segH, byte[][] segments)
    {
        var spp = raster.BandCount;
        var bits = BytesPerSample(raster.SampleType) * 8;
        var format = raster.SampleType switch
        {
            RasterSampleType.UInt8 or RasterSampleType.UInt16 => 1,
            RasterSampleType.Int16 or RasterSampleType.Int32 => 2,
            _ => 3,
        };
        var counts = new long[segments.Length];
        for (var i = 0; i < segments.Length; i++)
        {
            counts[i] = segments[i].Length;
        }

        var placeholderOffsets = new long[segments.Length];
        var tags = new List<Tag>
        {
            ShortOrLong(256, raster.Width),
            ShortOrLong(257, raster.Height),
            Shorts(258, Enumerable.Repeat(bits, spp).ToArray()),
            Shorts(259, (int)options.Compression),
            Shorts(262, spp >= 3 ? 2 : 1),
            Shorts(277, spp),
            Shorts(284, 1),
            Shorts(339, Enumerable.Repeat(format, spp).ToArray()),
            Doubles(33550, raster.Transform.PixelSizeLonDeg, raster.Transform.PixelSizeLatDeg, 0),
            Doubles(33922, 0, 0, 0, raster.Transform.WestDeg, raster.Transform.NorthDeg, 0),
            Shorts(34735,
                1, 1, 0, 5,
                1024, 0, 1, 2, // GTModelTypeGeoKey = geographic
                1025, 0, 1, 1, // GTRasterTypeGeoKey = PixelIsArea
                2048, 0, 1, 4326, // GeographicTypeGeoKey = WGS 84
                2049, 34737, 7, 0, // GeogCitationGeoKey → "WGS 84|"
                2054, 0, 1, 9102), // GeogAngularUnitsGeoKey = degree
            Ascii(34737, "WGS 84|"),
        };
        if (options.Tiled)
        {
            tags.Add(ShortOrLong(322, segW));
            tags.Add(ShortOrLong(323, segH));
            tags.Add(Longs(324, placeholderOffsets));
            tags.Add(Longs(325, counts));
        }
        else
        {
            tags.Add(Longs(273, placeholderOffsets));
            tags.Add(ShortOrLong(278, segH));
            tags.Add(Longs(279, counts));
        }

        if (options.Predictor != TiffPredictor.None)
        {
            tags.Add(Shorts(317, (int)options.Predictor));
        }

        if (spp is 2 or 4)
        {
            tags.Add(Shorts(338, 2)); // unassociated alpha
        }

        if (raster.NoData is { } nd)
        {
            tags.Add(Ascii(42113, double.IsNaN(nd) ? "nan" : nd.ToString("R", CultureInfo.InvariantCulture)));
        }

        tags.Sort((a, b) => a.Id.CompareTo(b.Id));
        return tags;
    }

    private static void WriteFile(Stream stream, List<Tag> tags, byte[][] segments)
    {
        var ifdSize = 2 + (tags.Count * 12) + 4;
        long cursor = 8 + ifdSize;
        var valueOffsets = new long[tags.Count];
        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i].Value.Length > 4)
            {
                cursor += cursor & 1; // word alignment (TIFF 6.0 §2)
                valueOffsets[i] = cursor;
                cursor += tags[i].Value.Length;
            }
        }

        var dataOffsets = new long[segments.Length];
        for (var s = 0; s < segments.Length; s++)
        {
            cursor += cursor & 1;
            dataOffsets[s] = cursor;
            cursor += segments[s].Length;
        }

        if (cursor > uint.MaxValue)
        {
            throw new ArgumentException($"the file would be {cursor} bytes; classic TIFF stops at 4 GiB (split the raster)", nameof(segments));
        }

        // Now that the data offsets are known, fill the strip/tile offsets tag.
        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i].Id is 273 or 324)
            {
                for (var s = 0; s < segments.Length; s++)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(tags[i].Value.AsSpan(s * 4), (uint)dataOffsets[s]);
                }
            }
        }

        var header = new byte[8 + ifdSize];
        header[0] = (byte)'I';
        header[1] = (byte)'I';
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)tags.Count);
        for (var i = 0; i < tags.Count; i++)
        {
            var p = header.AsSpan(10 + (i * 12));
            BinaryPrimitives.WriteUInt16LittleEndian(p, (ushort)tags[i].Id);
            BinaryPrimitives.WriteUInt16LittleEndian(p[2..], (ushort)tags[i].Type);
            BinaryPrimitives.WriteUInt32LittleEndian(p[4..], (uint)tags[i].Count);
            if (tags[i].Value.Length <= 4)
            {
                tags[i].Value.CopyTo(p[8..]);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(p[8..], (uint)valueOffsets[i]);
            }
        }

        // Next-IFD offset (0) is already zero.
        stream.Write(header);
        long written = header.Length;
        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i].Value.Length > 4)
            {
                written = Pad(stream, written, valueOffsets[i]);
                stream.Write(tags[i].Value);
                written += tags[i].Value.Length;
            }
        }

        for (var s = 0; s < segments.Length; s++)
        {
            written = Pad(stream, written, dataOffsets[s]);
            stream.Write(segments[s]);
            written += segments[s].Length;
        }
    }

    private static long Pad(Stream stream, long written, long target)
    {
        while (written < target)
        {
            stream.WriteByte(0);
            written++;
        }

        return written;
    }
}
