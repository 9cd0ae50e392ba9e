using System.Buffers.Binary;
using System.Text;
using Yunlu.Formats.Raster;
using Yunlu.Terrain;

namespace Yunlu.DemoGen;

/// <summary>Samples the synthetic terrain onto grids and writes them as GeoTIFF and SRTM .hgt.</summary>
internal static class DemFiles
{
    /// <summary>Samples per degree of the demo GeoTIFF (1 arc-second).</summary>
    public const int SamplesPerDegree = 3600;

    /// <summary>The ImageDescription written into the GeoTIFF (TIFF tag 270; ASCII only).</summary>
    public static string Description(ulong seed) =>
        "SYNTHETIC demo DEM for the Guiyang region (Yunlu): procedurally generated karst terrain, NOT real elevation " +
        $"data. Heights in metres above mean sea level (EGM96), int16, 1 arc-second, pixel-is-area. " +
        $"Generator tools/Yunlu.DemoGen, seed {seed.ToString(System.Globalization.CultureInfo.InvariantCulture)}. CC0-1.0.";

    /// <summary>The demo DEM over <see cref="Guiyang"/>'s bounds: pixel centres at 1″ spacing, row 0 north.</summary>
    public static GeoRaster SampleRegion(KarstTerrain terrain, CancellationToken cancellationToken)
    {
        var width = (int)Math.Round((Guiyang.EastDeg - Guiyang.WestDeg) * SamplesPerDegree);
        var height = (int)Math.Round((Guiyang.NorthDeg - Guiyang.SouthDeg) * SamplesPerDegree);
        var step = 1.0 / SamplesPerDegree;
        var transform = new GeoTransform(Guiyang.WestDeg, Guiyang.NorthDeg, step, step);
        var data = new float[width * height];
        Parallel.For(0, height, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = 2 }, row =>
        {
            var lat = Guiyang.NorthDeg - ((row + 0.5) * step);
            for (var col = 0; col < width; col++)
            {
                var lon = Guiyang.WestDeg + ((col + 0.5) * step);
                data[(row * width) + col] = (float)Math.Round(terrain.HeightM(lon, lat), MidpointRounding.AwayFromZero);
            }
        });
        return new GeoRaster(width, height, RasterSampleType.Int16, transform, null, data);
    }

    /// <summary>Writes the DEM as a tiled (256²), Deflate + horizontal-predictor int16 GeoTIFF with an ImageDescription.</summary>
    public static void WriteGeoTiff(string path, GeoRaster raster, string description)
    {
        using var ms = new MemoryStream();
        GeoTiffWriter.Write(ms, raster, new GeoTiffWriteOptions(Tiled: true, TileSize: 256, Compression: TiffCompression.Deflate, Predictor: TiffPredictor.Horizontal));
        File.WriteAllBytes(path, TiffDescription.Add(ms.ToArray(), description));
    }

    /// <summary>
    /// Writes an SRTM3 tile (1201 × 1201 big-endian int16, pixel-is-point, rows north to south) for the 1° square whose
    /// south-west corner is (<paramref name="lonDeg"/>, <paramref name="latDeg"/>).
    /// </summary>
    public static void WriteHgt(string path, KarstTerrain terrain, int lonDeg, int latDeg, CancellationToken cancellationToken)
    {
        const int N = 1201;
        var bytes = new byte[N * N * 2];
        Parallel.For(0, N, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = 2 }, row =>
        {
            var lat = latDeg + 1 - (row / 1200.0);
            for (var col = 0; col < N; col++)
            {
                var lon = lonDeg + (col / 1200.0);
                var h = (short)Math.Round(terrain.HeightM(lon, lat), MidpointRounding.AwayFromZero);
                BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(((row * N) + col) * 2), h);
            }
        });
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>The SRTM file name of the square with south-west corner (<paramref name="lonDeg"/>, <paramref name="latDeg"/>).</summary>
    public static string HgtName(int lonDeg, int latDeg) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(latDeg >= 0 ? 'N' : 'S')}{Math.Abs(latDeg):00}{(lonDeg >= 0 ? 'E' : 'W')}{Math.Abs(lonDeg):000}.hgt");
}

/// <summary>
/// Adds an ImageDescription (tag 270) to a little-endian classic TIFF without touching its strips or tiles:
/// appends the text and a copy of the first IFD with the new entry in tag order, then points the header at the copy.
/// (The writer in Yunlu.Formats has no description option; the old IFD stays behind as a few unreferenced bytes.)
/// </summary>
internal static class TiffDescription
{
    private const int ImageDescriptionTag = 270;

    public static byte[] Add(byte[] tiff, string description)
    {
        if (tiff.Length < 8 || tiff[0] != (byte)'I' || tiff[1] != (byte)'I' || BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(2)) != 42)
        {
            throw new ArgumentException("expected a little-endian classic TIFF", nameof(tiff));
        }

        foreach (var c in description)
        {
            if (c is < ' ' or > '~')
            {
                throw new ArgumentException("a TIFF ASCII description must be printable 7-bit ASCII", nameof(description));
            }
        }

        var ifd = (int)BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(4));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(ifd));
        var entries = new List<byte[]>(count + 1);
        for (var i = 0; i < count; i++)
        {
            var entry = tiff.AsSpan(ifd + 2 + (i * 12), 12).ToArray();
            if (BinaryPrimitives.ReadUInt16LittleEndian(entry) == ImageDescriptionTag)
            {
                throw new ArgumentException("the TIFF already has an ImageDescription", nameof(tiff));
            }

            entries.Add(entry);
        }

        var text = Encoding.ASCII.GetBytes(description + "\0");
        var textOffset = Align(tiff.Length);
        var newIfd = Align(textOffset + text.Length);
        var entry270 = new byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(entry270, ImageDescriptionTag);
        BinaryPrimitives.WriteUInt16LittleEndian(entry270.AsSpan(2), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(entry270.AsSpan(4), (uint)text.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(entry270.AsSpan(8), (uint)textOffset);
        var at = entries.FindIndex(e => BinaryPrimitives.ReadUInt16LittleEndian(e) > ImageDescriptionTag);
        entries.Insert(at < 0 ? entries.Count : at, entry270);

        var result = new byte[newIfd + 2 + (entries.Count * 12) + 4];
        tiff.CopyTo(result, 0);
        text.CopyTo(result, textOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(newIfd), (ushort)entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            entries[i].CopyTo(result, newIfd + 2 + (i * 12));
        }

        // Next-IFD offset: 0 (a single image).
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)newIfd);
        return result;
    }

    /// <summary>Reads the ImageDescription of a little-endian classic TIFF, or null.</summary>
    public static string? Read(byte[] tiff)
    {
        var ifd = (int)BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(4));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(ifd));
        for (var i = 0; i < count; i++)
        {
            var e = tiff.AsSpan(ifd + 2 + (i * 12), 12);
            if (BinaryPrimitives.ReadUInt16LittleEndian(e) == ImageDescriptionTag)
            {
                var n = (int)BinaryPrimitives.ReadUInt32LittleEndian(e[4..]);
                var span = n <= 4 ? e.Slice(8, n) : tiff.AsSpan((int)BinaryPrimitives.ReadUInt32LittleEndian(e[8..]), n);
                return Encoding.ASCII.GetString(span).TrimEnd('\0');
            }
        }

        return null;
    }

    private static int Align(int offset) => (offset + 1) & ~1;
}
