using Yunlu.Airspace.Zones;
using Yunlu.Formats;

namespace Yunlu.Server.Imports;

/// <summary>Zone export formats by wire name (geojson, ed269, ed318, kml, kmz), written by <see cref="ZoneFiles"/>.</summary>
public static class ZoneExport
{
    /// <summary>The accepted format names.</summary>
    public static IReadOnlyList<string> FormatNames { get; } = ["geojson", "ed269", "ed318", "kml", "kmz"];

    /// <summary>Parses a format name.</summary>
    public static bool TryParse(string? name, out ZoneFileFormat format)
    {
        format = name switch
        {
            "geojson" => ZoneFileFormat.GeoJson,
            "ed269" => ZoneFileFormat.Ed269,
            "ed318" => ZoneFileFormat.Ed318,
            "kml" => ZoneFileFormat.Kml,
            "kmz" => ZoneFileFormat.Kmz,
            _ => (ZoneFileFormat)(-1),
        };
        return Enum.IsDefined(format);
    }

    /// <summary>The media type and file extension of a format.</summary>
    public static (string ContentType, string Extension) MediaOf(ZoneFileFormat format) => format switch
    {
        ZoneFileFormat.GeoJson => ("application/geo+json", ".geojson"),
        ZoneFileFormat.Ed318 => ("application/geo+json", ".ed318.json"),
        ZoneFileFormat.Ed269 => ("application/json", ".ed269.json"),
        ZoneFileFormat.Kml => ("application/vnd.google-earth.kml+xml", ".kml"),
        _ => ("application/vnd.google-earth.kmz", ".kmz"),
    };

    /// <summary>Writes <paramref name="zones"/> in the named format.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unknown format name.</exception>
    public static byte[] Write(IReadOnlyList<Zone> zones, string formatName)
    {
        if (!TryParse(formatName, out var format))
        {
            throw new ArgumentOutOfRangeException(nameof(formatName), formatName, "unknown zone export format");
        }

        using var buffer = new MemoryStream();
        ZoneFiles.Write(buffer, zones, format);
        return buffer.ToArray();
    }
}
