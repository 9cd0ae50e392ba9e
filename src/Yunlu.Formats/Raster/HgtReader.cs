using System.Buffers.Binary;
using System.Globalization;
using Yunlu.Terrain;

namespace Yunlu.Formats.Raster;

/// <summary>
/// Reads an SRTM .hgt tile: a square of big-endian int16 heights in metres above the EGM96 geoid, rows north to
/// south, −32768 = void. 3601² samples (1″, SRTM1) or 1201² (3″, SRTM3), told apart by the file size. The
/// south-west corner comes from the name (<c>N26E106.hgt</c>: the sample in the last row, first column lies exactly
/// at 26° N, 106° E); samples are pixel-is-point, so the raster's pixel-is-area corner is half a sample outside the
/// named degree square (as GDAL reports it).
/// Errors: <c>hgt-bad-size</c>, <c>hgt-bad-name</c> (<see cref="InvalidFileException"/>).
/// </summary>
public static class HgtReader
{
    /// <summary>The SRTM void value.</summary>
    public const short VoidValue = -32768;

    /// <summary>Reads a .hgt tile.</summary>
    /// <param name="stream">The file bytes (not gzipped).</param>
    /// <param name="fileName">The file name (a path is fine), e.g. <c>N26E106.hgt</c> or <c>N26E106.SRTMGL1.hgt</c>.</param>
    /// <exception cref="InvalidFileException">Wrong size or a name without the corner.</exception>
    public static GeoRaster Read(Stream stream, string fileName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        var (lonDeg, latDeg) = ParseName(fileName);
        var data = RasterIo.ReadAll(stream, (3601L * 3601 * 2) + 1, "hgt-bad-size");
        var n = data.Length switch
        {
            3601 * 3601 * 2 => 3601,
            1201 * 1201 * 2 => 1201,
            _ => throw new InvalidFileException("hgt-bad-size", $"a .hgt file holds 3601² (SRTM1) or 1201² (SRTM3) int16 samples; this one is {data.Length} bytes"),
        };
        var values = new float[n * n];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadInt16BigEndian(data.AsSpan(i * 2, 2));
        }

        var step = 1.0 / (n - 1);
        var transform = new GeoTransform(lonDeg - (step / 2), latDeg + 1 + (step / 2), step, step);
        return new GeoRaster(n, n, RasterSampleType.Int16, transform, VoidValue, values);
    }

    /// <summary>The south-west corner named by an SRTM file name.</summary>
    /// <exception cref="InvalidFileException">The name does not start with [NS]dd[EW]ddd.</exception>
    public static (int LonDeg, int LatDeg) ParseName(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var name = Path.GetFileName(fileName);
        if (name.Length >= 7 &&
            (name[0] is 'N' or 'S' or 'n' or 's') && (name[3] is 'E' or 'W' or 'e' or 'w') &&
            int.TryParse(name.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var lat) &&
            int.TryParse(name.AsSpan(4, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var lon) &&
            lat < 90 && lon <= 180)
        {
            var signedLat = name[0] is 'S' or 's' ? -lat : lat;
            var signedLon = name[3] is 'W' or 'w' ? -lon : lon;
            if (signedLon < 180)
            {
                return (signedLon, signedLat);
            }
        }

        throw new InvalidFileException("hgt-bad-name", $"'{name}' does not name an SRTM tile's south-west corner like N26E106.hgt");
    }
}
