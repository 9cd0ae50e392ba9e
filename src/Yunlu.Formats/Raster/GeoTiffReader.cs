using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using Yunlu.Terrain;

namespace Yunlu.Formats.Raster;

/// <summary>
/// Reads a GeoTIFF in EPSG:4326 into a <see cref="GeoRaster"/>. Own code (no LibTiff), written from the TIFF 6.0
/// specification, the TIFF Technical Note 3 (floating-point predictor), the BigTIFF proposal and the OGC GeoTIFF 1.1
/// standard (19-008r4).
/// <para>Accepted: classic TIFF and BigTIFF, little- and big-endian; striped or tiled; compression none (1),
/// LZW (5), Deflate (8 and 32946), PackBits (32773); predictor 1, 2 (horizontal) and 3 (floating point);
/// PlanarConfiguration 1; 1 to 4 samples per pixel of uint8, int16, uint16, int32, float32 or float64.
/// Georeferencing from ModelPixelScale + ModelTiepoint or an unrotated ModelTransformation; the GeoKeyDirectory must
/// say geographic WGS 84 (EPSG:4326); RasterPixelIsPoint is moved half a pixel to the pixel-is-area convention as GDAL
/// does; GDAL_NODATA (tag 42113) gives the no-data value. Only the first image (IFD) is read (overviews are ignored).</para>
/// <para>A file that cannot be read throws <see cref="InvalidFileException"/> with a stable rule code:
/// <c>tiff-truncated</c>, <c>tiff-bad-magic</c>, <c>tiff-bad-structure</c>, <c>tiff-too-large</c>, <c>tiff-missing-tag</c>,
/// <c>tiff-unsupported-compression</c>, <c>tiff-unsupported-sample-format</c>, <c>tiff-unsupported-layout</c>,
/// <c>tiff-unsupported-predictor</c>, <c>tiff-corrupt-data</c>, <c>tiff-lzw-corrupt</c>, <c>geotiff-no-georeference</c>,
/// <c>geotiff-crs-missing</c>, <c>geotiff-crs-unsupported</c>, <c>geotiff-rotation-unsupported</c>,
/// <c>geotiff-bounds-out-of-range</c>, <c>geotiff-bad-nodata</c>.</para>
/// </summary>
public static class GeoTiffReader
{
    /// <summary>Default largest file accepted, bytes (1 GiB).</summary>
    public const long DefaultMaxBytes = 1L << 30;

    /// <summary>Largest raster accepted, in samples (width × height × bands).</summary>
    public const long MaxSamples = 1L << 28;

    // Deflate cannot expand data by more than ~1032:1 and TIFF LZW by ~2700:1 (12-bit codes of up to 4094 bytes);
    // a header claiming more than this is corrupt and is refused before any large buffer is allocated.
    internal const long MaxExpansion = 4096;

    /// <summary>Reads the whole stream (at most <paramref name="maxBytes"/>) and decodes the first image.</summary>
    /// <param name="stream">The GeoTIFF bytes.</param>
    /// <param name="maxBytes">Largest input accepted.</param>
    /// <returns>The raster; its sample values are converted to <see cref="float"/>.</returns>
    /// <exception cref="InvalidFileException">The file is truncated, corrupt, unsupported or not in EPSG:4326.</exception>
    public static GeoRaster Read(Stream stream, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(RasterIo.ReadAll(stream, maxBytes, "tiff-too-large"));
    }

    /// <summary>Decodes a GeoTIFF held in memory.</summary>
    /// <exception cref="InvalidFileException">The file is truncated, corrupt, unsupported or not in EPSG:4326.</exception>
    public static GeoRaster Read(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var tiff = TiffImage.Parse(data);
        var transform = ReadGeoreference(tiff, out var noData);
        var bands = tiff.DecodeBands();
        return new GeoRaster(tiff.Width, tiff.Height, tiff.SampleType, transform, noData, bands);
    }

    private static GeoTransform ReadGeoreference(TiffImage tiff, out double? noData)
    {
        var keys = tiff.GeoKeys();
        if (keys is null)
        {
            throw new InvalidFileException("geotiff-crs-missing", "the file has no GeoKeyDirectory (tag 34735): its coordinate reference system is unknown; EPSG:4326 is required");
        }

        keys.TryGetValue(1024, out var modelType);
        if (modelType == 1)
        {
            var code = keys.TryGetValue(3072, out var pcs) ? pcs : 0;
            throw new InvalidFileException("geotiff-crs-unsupported", code is > 0 and < 32767
                ? $"the raster is in the projected CRS EPSG:{code}; only geographic WGS 84 (EPSG:4326) is accepted (reproject with gdalwarp -t_srs EPSG:4326)"
                : "the raster is in a user-defined projected CRS; only geographic WGS 84 (EPSG:4326) is accepted (reproject with gdalwarp -t_srs EPSG:4326)");
        }

        if (modelType != 2)
        {
            throw new InvalidFileException("geotiff-crs-unsupported", $"GTModelTypeGeoKey is {modelType.ToString(CultureInfo.InvariantCulture)}; only 2 (geographic, EPSG:4326) is accepted");
        }

        var geographic = keys.TryGetValue(2048, out var g) ? g : 0;
        var datum = keys.TryGetValue(2050, out var d) ? d : 0;
        var isWgs84 = geographic == 4326 || (geographic == 32767 && datum == 6326);
        if (!isWgs84)
        {
            throw new InvalidFileException("geotiff-crs-unsupported", geographic switch
            {
                0 => "GeographicTypeGeoKey (2048) is missing; only WGS 84 (EPSG:4326) is accepted",
                32767 => $"the geographic CRS is user-defined with datum EPSG:{datum.ToString(CultureInfo.InvariantCulture)}; only WGS 84 (EPSG:4326, datum 6326) is accepted",
                _ => $"the raster is in EPSG:{geographic.ToString(CultureInfo.InvariantCulture)}; only WGS 84 (EPSG:4326) is accepted (reproject with gdalwarp -t_srs EPSG:4326)",
            });
        }

        if (keys.TryGetValue(2054, out var angular) && angular != 9102)
        {
            throw new InvalidFileException("geotiff-crs-unsupported", $"GeogAngularUnitsGeoKey is EPSG:{angular.ToString(CultureInfo.InvariantCulture)}; only degrees (9102) are accepted");
        }

        var pixelIsPoint = keys.TryGetValue(1025, out var rasterType) && rasterType == 2;

        double west, north, dx, dy;
        var matrix = tiff.Doubles(34264);
        if (matrix is not null)
        {
            if (matrix.Length < 16)
            {
                throw new InvalidFileException("tiff-bad-structure", "ModelTransformationTag (34264) must hold 16 values");
            }

            if (matrix[1] != 0 || matrix[4] != 0)
            {
                throw new InvalidFileException("geotiff-rotation-unsupported", "ModelTransformationTag has rotation or shear terms; only north-up rasters are accepted");
            }

            dx = matrix[0];
            dy = -matrix[5];
            west = matrix[3];
            north = matrix[7];
        }
        else
        {
            var scale = tiff.Doubles(33550);
            var tie = tiff.Doubles(33922);
            if (scale is null || tie is null)
            {
                throw new InvalidFileException("geotiff-no-georeference", "the file has neither ModelTransformation (34264) nor ModelPixelScale (33550) + ModelTiepoint (33922)");
            }

            if (scale.Length < 2 || tie.Length < 6)
            {
                throw new InvalidFileException("tiff-bad-structure", "ModelPixelScale needs 3 values and ModelTiepoint 6");
            }

            dx = scale[0];
            dy = scale[1];
            west = tie[3] - (tie[0] * dx);
            north = tie[4] + (tie[1] * dy);
        }

        if (!(dx > 0) || !(dy > 0) || !double.IsFinite(dx) || !double.IsFinite(dy) || !double.IsFinite(west) || !double.IsFinite(north))
        {
            throw new InvalidFileException("geotiff-rotation-unsupported", "the pixel size must be finite and positive with rows going south (north-up)");
        }

        if (pixelIsPoint)
        {
            // GeoTIFF 1.1 §B.3: with RasterPixelIsPoint the raster coordinate (0, 0) is the centre of the first pixel.
            west -= dx / 2;
            north += dy / 2;
        }

        var east = west + (tiff.Width * dx);
        var south = north - (tiff.Height * dy);
        if (west < -180 - dx || east > 180 + dx || south < -90 - dy || north > 90 + dy)
        {
            throw new InvalidFileException("geotiff-bounds-out-of-range", string.Create(CultureInfo.InvariantCulture,
                $"the raster's extent (W {west}, S {south}, E {east}, N {north}) lies outside lon ±180 / lat ±90; is it really in degrees?"));
        }

        noData = null;
        var noDataText = tiff.Ascii(42113);
        if (noDataText is not null)
        {
            var text = noDataText.Trim().TrimEnd('\0').Trim();
            if (string.Equals(text, "nan", StringComparison.OrdinalIgnoreCase))
            {
                noData = double.NaN;
            }
            else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var nd))
            {
                noData = nd;
            }
            else
            {
                throw new InvalidFileException("geotiff-bad-nodata", $"GDAL_NODATA (tag 42113) '{text}' is not a number");
            }
        }

        return new GeoTransform(west, north, dx, dy);
    }
}

/// <summary>Small I/O helpers shared by the raster readers.</summary>
internal static class RasterIo
{
    public static byte[] ReadAll(Stream stream, long maxBytes, string tooLargeRule)
    {
        if (stream.CanSeek)
        {
            var remaining = stream.Length - stream.Position;
            if (remaining > maxBytes)
            {
                throw new InvalidFileException(tooLargeRule, $"the file is {remaining} bytes; at most {maxBytes} are accepted");
            }

            var buffer = new byte[remaining];
            stream.ReadExactly(buffer);
            return buffer;
        }

        using var copy = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            copy.Write(chunk, 0, n);
            if (copy.Length > maxBytes)
            {
                throw new InvalidFileException(tooLargeRule, $"the file is larger than the {maxBytes} bytes accepted");
            }
        }

        return copy.ToArray();
    }
}

/// <summary>The first image of a TIFF file: its tags and the decoding of its strips or tiles.</summary>
internal sealed class TiffImage
{
    private readonly byte[] _data;
    private readonly bool _bigEndian;
    private readonly Dictionary<int, Entry> _tags = [];

    private int _samplesPerPixel;
    private int _bytesPerSample;
    private int _sampleFormat;
    private int _compression;
    private int _predictor;
    private bool _tiled;
    private int _segmentWidth;
    private int _segmentHeight;
    private long[] _offsets = [];
    private long[] _byteCounts = [];

    private TiffImage(byte[] data, bool bigEndian)
    {
        _data = data;
        _bigEndian = bigEndian;
    }

    public int Width { get; private set; }

    public int Height { get; private set; }

    public RasterSampleType SampleType { get; private set; }

    private readonly record struct Entry(int Tag, int Type, long Count, long ValueOffset);

    public static TiffImage Parse(byte[] data)
    {
        if (data.Length < 8)
        {
            throw new InvalidFileException("tiff-truncated", $"a TIFF file has at least an 8-byte header; this one has {data.Length} bytes");
        }

        bool bigEndian;
        if (data[0] == (byte)'I' && data[1] == (byte)'I')
        {
            bigEndian = false;
        }
        else if (data[0] == (byte)'M' && data[1] == (byte)'M')
        {
            bigEndian = true;
        }
        else
        {
            throw new InvalidFileException("tiff-bad-magic", "the file does not start with 'II' or 'MM': it is not a TIFF file");
        }

        var image = new TiffImage(data, bigEndian);
        var version = image.U16(2);
        bool bigTiff;
        long ifdOffset;
        if (version == 42)
        {
            bigTiff = false;
            ifdOffset = image.U32(4);
        }
        else if (version == 43)
        {
            bigTiff = true;
            if (data.Length < 16)
            {
                throw new InvalidFileException("tiff-truncated", "a BigTIFF file has a 16-byte header");
            }

            if (image.U16(4) != 8 || image.U16(6) != 0)
            {
                throw new InvalidFileException("tiff-bad-magic", "the BigTIFF header does not declare 8-byte offsets");
            }

            ifdOffset = image.I64(8);
        }
        else
        {
            throw new InvalidFileException("tiff-bad-magic", $"the TIFF version is {version}; 42 (TIFF) or 43 (BigTIFF) was expected");
        }

        image.ReadIfd(ifdOffset, bigTiff);
        image.ReadLayout();
        return image;
    }

    private void ReadIfd(long offset, bool bigTiff)
    {
        var countSize = bigTiff ? 8 : 2;
        var entrySize = bigTiff ? 20 : 12;
        var inlineSize = bigTiff ? 8 : 4;
        Need(offset, countSize, "the first IFD");
        var count = bigTiff ? I64(offset) : U16(offset);
        if (count <= 0 || count > 4096)
        {
            throw new InvalidFileException("tiff-bad-structure", $"the first IFD declares {count} entries");
        }

        Need(offset + countSize, count * entrySize, "the first IFD's entries");
        for (var i = 0L; i < count; i++)
        {
            var p = offset + countSize + (i * entrySize);
            var tag = U16(p);
            var type = U16(p + 2);
            var n = bigTiff ? I64(p + 4) : U32(p + 4);
            var size = TypeSize(type);
            if (size == 0)
            {
                continue; // Unknown field types are skipped, as TIFF 6.0 §2 asks readers to do.
            }

            if (n < 0 || n > _data.Length)
            {
                throw new InvalidFileException("tiff-bad-structure", $"tag {tag} declares {n} values, more than the file could hold");
            }

            var bytes = n * size;
            var valuePos = p + 4 + (bigTiff ? 8 : 4);
            var valueOffset = bytes <= inlineSize ? valuePos : (bigTiff ? I64(valuePos) : U32(valuePos));
            Need(valueOffset, bytes, $"the values of tag {tag}");
            _tags[tag] = new Entry(tag, type, n, valueOffset);
        }
    }

    private void ReadLayout()
    {
        // Clamped, not cast: a LONG8 or signed tag can hold any 64-bit value; out-of-range ones are refused just below.
        Width = (int)Math.Clamp(RequiredScalar(256, "ImageWidth"), 0, int.MaxValue);
        Height = (int)Math.Clamp(RequiredScalar(257, "ImageLength"), 0, int.MaxValue);
        if (Width <= 0 || Height <= 0)
        {
            throw new InvalidFileException("tiff-bad-structure", $"the image is {Width} × {Height} pixels");
        }

        _samplesPerPixel = IntScalar(277, 1);
        if (_samplesPerPixel is < 1 or > 4)
        {
            throw new InvalidFileException("tiff-unsupported-sample-format", $"SamplesPerPixel is {_samplesPerPixel}; 1 to 4 are supported");
        }

        if ((long)Width * Height * _samplesPerPixel > GeoTiffReader.MaxSamples)
        {
            throw new InvalidFileException("tiff-too-large", $"the image is {Width} × {Height} × {_samplesPerPixel} samples; at most {GeoTiffReader.MaxSamples} are accepted");
        }

        var bits = NonEmpty(258) ?? [1];
        foreach (var b in bits)
        {
            if (b != bits[0])
            {
                throw new InvalidFileException("tiff-unsupported-sample-format", "samples of different bit depths are not supported");
            }
        }

        var formats = NonEmpty(339) ?? [1];
        _sampleFormat = (int)formats[0];
        SampleType = (bits[0], _sampleFormat) switch
        {
            (8, 1) => RasterSampleType.UInt8,
            (16, 2) => RasterSampleType.Int16,
            (16, 1) => RasterSampleType.UInt16,
            (32, 2) => RasterSampleType.Int32,
            (32, 3) => RasterSampleType.Float32,
            (64, 3) => RasterSampleType.Float64,
            _ => throw new InvalidFileException("tiff-unsupported-sample-format",
                $"{bits[0]}-bit samples of SampleFormat {_sampleFormat} are not supported (uint8, int16, uint16, int32, float32, float64 are)"),
        };
        _bytesPerSample = (int)bits[0] / 8;

        var planar = Scalar(284, 1);
        if (planar != 1 && !(planar == 2 && _samplesPerPixel == 1))
        {
            throw new InvalidFileException("tiff-unsupported-layout", $"PlanarConfiguration {planar} is not supported; only 1 (chunky) is");
        }

        _compression = IntScalar(259, 1);
        if (_compression is not (1 or 5 or 8 or 32946 or 32773))
        {
            throw new InvalidFileException("tiff-unsupported-compression", $"compression {_compression} is not supported (none 1, LZW 5, Deflate 8/32946 and PackBits 32773 are)");
        }

        _predictor = IntScalar(317, 1);
        if (_predictor is not (1 or 2 or 3) || (_predictor == 3 && _sampleFormat != 3))
        {
            throw new InvalidFileException("tiff-unsupported-predictor", $"predictor {_predictor} is not supported for SampleFormat {_sampleFormat} (1, 2, and 3 for floating point are)");
        }

        _tiled = _tags.ContainsKey(322);
        long segmentsAcross, segmentsDown;
        if (_tiled)
        {
            var tw = RequiredScalar(322, "TileWidth");
            var th = RequiredScalar(323, "TileLength");
            if (tw <= 0 || th <= 0 || tw > 65536 || th > 65536)
            {
                throw new InvalidFileException("tiff-bad-structure", $"tiles of {tw} × {th} pixels");
            }

            _segmentWidth = (int)tw;
            _segmentHeight = (int)th;
            segmentsAcross = (Width + tw - 1) / tw;
            segmentsDown = (Height + th - 1) / th;
            _offsets = Longs(324) ?? throw Missing(324, "TileOffsets");
            _byteCounts = Longs(325) ?? (_compression == 1 ? [] : throw Missing(325, "TileByteCounts"));
        }
        else
        {
            var rps = Scalar(278, Height);
            if (rps <= 0)
            {
                throw new InvalidFileException("tiff-bad-structure", $"RowsPerStrip is {rps}");
            }

            _segmentWidth = Width;
            _segmentHeight = (int)Math.Min(rps, Height);
            segmentsAcross = 1;
            segmentsDown = (Height + _segmentHeight - 1) / _segmentHeight;
            _offsets = Longs(273) ?? throw Missing(273, "StripOffsets");
            _byteCounts = Longs(279) ?? (_compression == 1 ? [] : throw Missing(279, "StripByteCounts"));
        }

        var segments = segmentsAcross * segmentsDown;
        var segmentBytes = (long)_segmentWidth * _segmentHeight * _samplesPerPixel * _bytesPerSample;
        if (_byteCounts.Length == 0)
        {
            // Uncompressed files may omit the byte counts: every segment is then exactly full-size.
            _byteCounts = new long[_offsets.Length];
            Array.Fill(_byteCounts, segmentBytes);
        }

        if (_offsets.Length != segments || _byteCounts.Length != segments)
        {
            throw new InvalidFileException("tiff-bad-structure", $"the image needs {segments} {(_tiled ? "tiles" : "strips")} but the file lists {_offsets.Length} offsets and {_byteCounts.Length} byte counts");
        }

        if (segmentBytes > int.MaxValue / 2)
        {
            throw new InvalidFileException("tiff-too-large", $"a single {(_tiled ? "tile" : "strip")} of {segmentBytes} bytes is too large");
        }

        long compressedTotal = 0;
        for (var i = 0; i < segments; i++)
        {
            if (_byteCounts[i] < 0 || _offsets[i] < 0)
            {
                throw new InvalidFileException("tiff-bad-structure", $"segment {i} has a negative offset or size");
            }

            if (_byteCounts[i] > 0)
            {
                Need(_offsets[i], _byteCounts[i], $"{(_tiled ? "tile" : "strip")} {i}");
            }

            compressedTotal += _byteCounts[i];
        }

        var expected = (long)Width * Height * _samplesPerPixel * _bytesPerSample;
        if (expected > (compressedTotal + 1024) * GeoTiffReader.MaxExpansion)
        {
            throw new InvalidFileException("tiff-corrupt-data", $"the image claims {expected} bytes of samples but its data is only {compressedTotal} bytes");
        }
    }

    /// <summary>Decodes every strip or tile into one float array per band.</summary>
    public float[][] DecodeBands()
    {
        var spp = _samplesPerPixel;
        var bands = new float[spp][];
        for (var b = 0; b < spp; b++)
        {
            bands[b] = new float[(long)Width * Height];
        }

        var rowBytes = _segmentWidth * spp * _bytesPerSample;
        var scratch = new byte[rowBytes * _segmentHeight];
        var across = _tiled ? (Width + _segmentWidth - 1) / _segmentWidth : 1;
        for (var s = 0; s < _offsets.Length; s++)
        {
            var x0 = (s % across) * _segmentWidth;
            var y0 = (s / across) * _segmentHeight;
            var rows = _tiled ? _segmentHeight : Math.Min(_segmentHeight, Height - y0);
            var segLength = rowBytes * rows;
            var target = scratch.AsSpan(0, segLength);
            if (_byteCounts[s] == 0)
            {
                // A sparse (empty) segment, as GDAL writes with SPARSE_OK: no data there.
                FillEmpty(bands, x0, y0, rows);
                continue;
            }

            var src = _data.AsSpan((int)_offsets[s], (int)_byteCounts[s]);
            var produced = Decompress(src, target, s);
            if (produced < segLength)
            {
                throw new InvalidFileException("tiff-corrupt-data", $"{(_tiled ? "tile" : "strip")} {s} decodes to {produced} bytes; {segLength} were expected");
            }

            for (var r = 0; r < rows; r++)
            {
                var row = target.Slice(r * rowBytes, rowBytes);
                if (_predictor == 2)
                {
                    UndoHorizontal(row);
                }
                else if (_predictor == 3)
                {
                    UndoFloatingPoint(row);
                }

                var y = y0 + r;
                if (y >= Height)
                {
                    break;
                }

                var cols = Math.Min(_segmentWidth, Width - x0);
                ConvertRow(row, bands, (y * Width) + x0, cols);
            }
        }

        return bands;
    }

    private void FillEmpty(float[][] bands, int x0, int y0, int rows)
    {
        var fill = NoDataOrZero();
        var cols = Math.Min(_segmentWidth, Width - x0);
        for (var r = 0; r < rows && y0 + r < Height; r++)
        {
            foreach (var band in bands)
            {
                band.AsSpan(((y0 + r) * Width) + x0, cols).Fill(fill);
            }
        }
    }

    private float NoDataOrZero()
    {
        var text = Ascii(42113);
        return text is not null && double.TryParse(text.Trim().TrimEnd('\0'), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? (float)v : 0f;
    }

    private int Decompress(ReadOnlySpan<byte> src, Span<byte> dst, int segment)
    {
        switch (_compression)
        {
            case 1:
                var n = Math.Min(src.Length, dst.Length);
                src[..n].CopyTo(dst);
                return n;
            case 5:
                return TiffLzw.Decode(src, dst);
            case 32773:
                return TiffPackBits.Decode(src, dst);
            default:
                try
                {
                    using var input = new MemoryStream(_data, (int)_offsets[segment], (int)_byteCounts[segment], writable: false);
                    using var z = new ZLibStream(input, CompressionMode.Decompress);
                    var total = 0;
                    while (total < dst.Length)
                    {
                        var read = z.Read(dst[total..]);
                        if (read == 0)
                        {
                            break;
                        }

                        total += read;
                    }

                    return total;
                }
                catch (Exception ex) when (ex is InvalidDataException or IOException)
                {
                    // zlib reports some corruptions as InvalidDataException and others as ZLibException, an IOException
                    // ("unexpected error code"); the stream is in memory, so an IOException here can only be bad data.
                    throw new InvalidFileException("tiff-corrupt-data", $"Deflate data of {(_tiled ? "tile" : "strip")} {segment} is corrupt: {ex.Message}");
                }
        }
    }

    private void UndoHorizontal(Span<byte> row)
    {
        var spp = _samplesPerPixel;
        var count = row.Length / _bytesPerSample;
        switch (_bytesPerSample)
        {
            case 1:
                for (var i = spp; i < count; i++)
                {
                    row[i] = (byte)(row[i] + row[i - spp]);
                }

                break;
            case 2:
                for (var i = spp; i < count; i++)
                {
                    var v = (ushort)(Get16(row, i) + Get16(row, i - spp));
                    Set16(row, i, v);
                }

                break;
            case 4:
                for (var i = spp; i < count; i++)
                {
                    var v = Get32(row, i) + Get32(row, i - spp);
                    Set32(row, i, v);
                }

                break;
            default:
                for (var i = spp; i < count; i++)
                {
                    var v = Get64(row, i) + Get64(row, i - spp);
                    Set64(row, i, v);
                }

                break;
        }
    }

    /// <summary>TIFF Technical Note 3 (Adobe, 2005): bytes are differenced across the row, then split into byte
    /// planes, most significant first, whatever the file's byte order.</summary>
    private void UndoFloatingPoint(Span<byte> row)
    {
        var spp = _samplesPerPixel;
        for (var i = spp; i < row.Length; i++)
        {
            row[i] = (byte)(row[i] + row[i - spp]);
        }

        var bps = _bytesPerSample;
        var wc = row.Length / bps;
        Span<byte> tmp = row.Length <= 4096 ? stackalloc byte[row.Length] : new byte[row.Length];
        row.CopyTo(tmp);
        for (var i = 0; i < wc; i++)
        {
            for (var b = 0; b < bps; b++)
            {
                // Plane b holds byte b counted from the most significant end.
                var target = _bigEndian ? b : bps - 1 - b;
                row[(i * bps) + target] = tmp[(b * wc) + i];
            }
        }
    }

    private void ConvertRow(ReadOnlySpan<byte> row, float[][] bands, int start, int cols)
    {
        var spp = _samplesPerPixel;
        if (spp == 1)
        {
            // The common DEM case: one band, one tight loop per sample type.
            var dst = bands[0].AsSpan(start, cols);
            ConvertSamples(row, dst, SampleType, _bigEndian);
            return;
        }

        Span<float> pixel = stackalloc float[4];
        var bps = _bytesPerSample;
        for (var c = 0; c < cols; c++)
        {
            ConvertSamples(row.Slice(c * spp * bps, spp * bps), pixel[..spp], SampleType, _bigEndian);
            for (var b = 0; b < spp; b++)
            {
                bands[b][start + c] = pixel[b];
            }
        }
    }

    private static void ConvertSamples(ReadOnlySpan<byte> src, Span<float> dst, RasterSampleType type, bool be)
    {
        switch (type)
        {
            case RasterSampleType.UInt8:
                for (var i = 0; i < dst.Length; i++)
                {
                    dst[i] = src[i];
                }

                break;
            case RasterSampleType.Int16:
                for (var i = 0; i < dst.Length; i++)
                {
                    var s = src.Slice(i * 2, 2);
                    dst[i] = be ? BinaryPrimitives.ReadInt16BigEndian(s) : BinaryPrimitives.ReadInt16LittleEndian(s);
                }

                break;
            case RasterSampleType.UInt16:
                for (var i = 0; i < dst.Length; i++)
                {
                    var s = src.Slice(i * 2, 2);
                    dst[i] = be ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);
                }

                break;
            case RasterSampleType.Int32:
                for (var i = 0; i < dst.Length; i++)
                {
                    var s = src.Slice(i * 4, 4);
                    dst[i] = be ? BinaryPrimitives.ReadInt32BigEndian(s) : BinaryPrimitives.ReadInt32LittleEndian(s);
                }

                break;
            case RasterSampleType.Float32:
                for (var i = 0; i < dst.Length; i++)
                {
                    var s = src.Slice(i * 4, 4);
                    dst[i] = be ? BinaryPrimitives.ReadSingleBigEndian(s) : BinaryPrimitives.ReadSingleLittleEndian(s);
                }

                break;
            default:
                for (var i = 0; i < dst.Length; i++)
                {
                    var s = src.Slice(i * 8, 8);
                    dst[i] = (float)(be ? BinaryPrimitives.ReadDoubleBigEndian(s) : BinaryPrimitives.ReadDoubleLittleEndian(s));
                }

                break;
        }
    }

    private ushort Get16(ReadOnlySpan<byte> row, int i) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(row[(i * 2)..]) : BinaryPrimitives.ReadUInt16LittleEndian(row[(i * 2)..]);

    private void Set16(Span<byte> row, int i, ushort v)
    {
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(row[(i * 2)..], v);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(row[(i * 2)..], v);
        }
    }

    private uint Get32(ReadOnlySpan<byte> row, int i) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(row[(i * 4)..]) : BinaryPrimitives.ReadUInt32LittleEndian(row[(i * 4)..]);

    private void Set32(Span<byte> row, int i, uint v)
    {
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(row[(i * 4)..], v);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(row[(i * 4)..], v);
        }
    }

    private ulong Get64(ReadOnlySpan<byte> row, int i) =>
        _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(row[(i * 8)..]) : BinaryPrimitives.ReadUInt64LittleEndian(row[(i * 8)..]);

    private void Set64(Span<byte> row, int i, ulong v)
    {
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt64BigEndian(row[(i * 8)..], v);
        }
        else
        {
            BinaryPrimitives.WriteUInt64LittleEndian(row[(i * 8)..], v);
        }
    }

    // ---- GeoTIFF keys ----

    /// <summary>The GeoKeyDirectory's SHORT-valued keys (values stored in other tags are skipped), or null.</summary>
    public Dictionary<int, int>? GeoKeys()
    {
        var dir = Longs(34735);
        if (dir is null)
        {
            return null;
        }

        if (dir.Length < 4)
        {
            throw new InvalidFileException("tiff-bad-structure", "the GeoKeyDirectory (34735) is shorter than its 4-value header");
        }

        var count = dir[3];
        if (count < 0 || count > (dir.Length - 4) / 4) // divided, not multiplied: a LONG8 count can overflow
        {
            throw new InvalidFileException("tiff-bad-structure", $"the GeoKeyDirectory declares {count} keys but holds {(dir.Length - 4) / 4}");
        }

        var keys = new Dictionary<int, int>();
        for (var k = 0; k < count; k++)
        {
            var p = 4 + (k * 4);
            if (dir[p + 1] == 0 && dir[p + 2] == 1)
            {
                keys[(int)dir[p]] = (int)dir[p + 3];
            }
        }

        return keys;
    }

    // ---- tag access ----

    private InvalidFileException Missing(int tag, string name) =>
        new("tiff-missing-tag", $"the required tag {name} ({tag}) is missing");

    // Every scalar and list read goes through NonEmpty: a tag present with no values is a broken file, whatever the tag.
    private long RequiredScalar(int tag, string name) => (NonEmpty(tag) ?? throw Missing(tag, name))[0];

    private long Scalar(int tag, long fallback) => NonEmpty(tag)?[0] ?? fallback;

    /// <summary>A scalar tag as an int; 64-bit values are clamped, not wrapped, so none can alias a valid code.</summary>
    private int IntScalar(int tag, int fallback) => (int)Math.Clamp(Scalar(tag, fallback), int.MinValue, int.MaxValue);

    /// <summary>A tag's values, or null when it is absent.</summary>
    private long[]? NonEmpty(int tag) => Longs(tag) switch
    {
        { Length: 0 } => throw new InvalidFileException("tiff-bad-structure", $"tag {tag} is present with no values"),
        var values => values,
    };

    public long[]? Longs(int tag)
    {
        if (!_tags.TryGetValue(tag, out var e))
        {
            return null;
        }

        var result = new long[e.Count];
        var size = TypeSize(e.Type);
        for (var i = 0; i < e.Count; i++)
        {
            var p = e.ValueOffset + (i * size);
            result[i] = e.Type switch
            {
                1 or 7 => _data[p],
                6 => (sbyte)_data[p],
                3 => U16(p),
                8 => (short)U16(p),
                4 or 13 => U32(p),
                9 => (int)U32(p),
                16 or 17 or 18 => I64(p),
                _ => throw new InvalidFileException("tiff-bad-structure", $"tag {tag} has field type {e.Type}; an integer type was expected"),
            };
        }

        return result;
    }

    public double[]? Doubles(int tag)
    {
        if (!_tags.TryGetValue(tag, out var e))
        {
            return null;
        }

        var result = new double[e.Count];
        var size = TypeSize(e.Type);
        for (var i = 0; i < e.Count; i++)
        {
            var p = e.ValueOffset + (i * size);
            result[i] = e.Type switch
            {
                12 => BitConverter.Int64BitsToDouble(I64(p)),
                11 => BitConverter.Int32BitsToSingle((int)U32(p)),
                5 => U32(p + 4) == 0 ? double.NaN : (double)U32(p) / U32(p + 4),
                10 => (int)U32(p + 4) == 0 ? double.NaN : (double)(int)U32(p) / (int)U32(p + 4),
                _ => throw new InvalidFileException("tiff-bad-structure", $"tag {tag} has field type {e.Type}; a floating-point type was expected"),
            };
        }

        return result;
    }

    public string? Ascii(int tag)
    {
        if (!_tags.TryGetValue(tag, out var e))
        {
            return null;
        }

        if (e.Type != 2 || e.Count > 4096)
        {
            throw new InvalidFileException("tiff-bad-structure", $"tag {tag} should be a short ASCII string");
        }

        return System.Text.Encoding.ASCII.GetString(_data, (int)e.ValueOffset, (int)e.Count).TrimEnd('\0');
    }

    private static int TypeSize(int type) => type switch
    {
        1 or 2 or 6 or 7 => 1,
        3 or 8 => 2,
        4 or 9 or 11 or 13 => 4,
        5 or 10 or 12 or 16 or 17 or 18 => 8,
        _ => 0,
    };

    private void Need(long offset, long length, string what)
    {
        if (offset < 0 || length < 0 || offset > _data.Length || length > _data.Length - offset)
        {
            throw new InvalidFileException("tiff-truncated", $"{what} (bytes {offset}..{offset + length}) lies beyond the end of the {_data.Length}-byte file");
        }
    }

    private ushort U16(long p)
    {
        Need(p, 2, "a value");
        return _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(_data.AsSpan((int)p)) : BinaryPrimitives.ReadUInt16LittleEndian(_data.AsSpan((int)p));
    }

    private uint U32(long p)
    {
        Need(p, 4, "a value");
        return _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(_data.AsSpan((int)p)) : BinaryPrimitives.ReadUInt32LittleEndian(_data.AsSpan((int)p));
    }

    private long I64(long p)
    {
        Need(p, 8, "a value");
        return _bigEndian ? BinaryPrimitives.ReadInt64BigEndian(_data.AsSpan((int)p)) : BinaryPrimitives.ReadInt64LittleEndian(_data.AsSpan((int)p));
    }
}
