using System.Globalization;
using System.Text.Json;
using Yunlu.Airspace.Zones;
using Yunlu.Formats.Internal;
using Yunlu.Formats.Kml;
using Yunlu.Formats.Zones;

namespace Yunlu.Formats;

/// <summary>The zone file formats Yunlu reads and writes.</summary>
public enum ZoneFileFormat
{
    /// <summary>Yunlu's zone GeoJSON (RFC 7946 FeatureCollection with Yunlu properties).</summary>
    GeoJson,

    /// <summary>EUROCAE ED-269 JSON (UASZoneVersion features).</summary>
    Ed269,

    /// <summary>EUROCAE ED-318 (GeoJSON FeatureCollection of UASZone features with LayeredGeoJSON geometries).</summary>
    Ed318,

    /// <summary>OGC KML 2.2.</summary>
    Kml,

    /// <summary>KMZ: a zip archive holding doc.kml.</summary>
    Kmz,
}

/// <summary>
/// The one entry point for zone files: detect the format, read with validation (every error of every feature, up to
/// <see cref="ImportLimits.MaxErrors"/>), write. A result with any error must not be stored (<see cref="ImportResult{T}.Ok"/>).
/// Formats, fields and rule codes: docs/guide/import-formats.md.
/// </summary>
public static class ZoneFiles
{
    /// <summary>Bytes of the file's start that <see cref="Detect"/> looks at.</summary>
    public const int DetectHeadBytes = 64 * 1024;

    /// <summary>
    /// Guesses the format from the first bytes (up to <see cref="DetectHeadBytes"/>) and the file name: a zip is KMZ,
    /// XML with &lt;kml is KML; JSON with horizontalProjection/uomDimensions is ED-269, with layer/upperReference/extent/
    /// limitedApplicability/variant is ED-318, other GeoJSON is Yunlu's. Null when it cannot tell.
    /// </summary>
    /// <param name="head">The file's first bytes.</param>
    /// <param name="fileName">The file name (its extension is a hint).</param>
    public static ZoneFileFormat? Detect(ReadOnlySpan<byte> head, string fileName)
    {
        string ext = Path.GetExtension(fileName ?? "").ToUpperInvariant();
        if (head.StartsWith("PK\u0003\u0004"u8) || ext == ".KMZ")
        {
            return ZoneFileFormat.Kmz;
        }

        if (head.Length > DetectHeadBytes)
        {
            head = head[..DetectHeadBytes];
        }

        ReadOnlySpan<byte> body = SkipBomAndSpace(head);
        if (ext == ".KML" || (body.Length > 0 && body[0] == (byte)'<' && head.IndexOf("<kml"u8) >= 0))
        {
            return ZoneFileFormat.Kml;
        }

        if (body.Length == 0 || (body[0] != (byte)'{' && body[0] != (byte)'['))
        {
            return null;
        }

        if (head.IndexOf("\"horizontalProjection\""u8) >= 0 || head.IndexOf("\"uomDimensions\""u8) >= 0 || head.IndexOf("VerticalReference\""u8) >= 0)
        {
            return ZoneFileFormat.Ed269;
        }

        if (head.IndexOf("\"layer\""u8) >= 0 || head.IndexOf("\"upperReference\""u8) >= 0 || head.IndexOf("\"limitedApplicability\""u8) >= 0 ||
            head.IndexOf("\"extent\""u8) >= 0 || head.IndexOf("\"variant\""u8) >= 0)
        {
            return ZoneFileFormat.Ed318;
        }

        string name = (fileName ?? "").ToUpperInvariant();
        if (name.Contains("ED269", StringComparison.Ordinal) || name.Contains("ED-269", StringComparison.Ordinal))
        {
            return ZoneFileFormat.Ed269;
        }

        if (name.Contains("ED318", StringComparison.Ordinal) || name.Contains("ED-318", StringComparison.Ordinal))
        {
            return ZoneFileFormat.Ed318;
        }

        if (head.IndexOf("\"properties\""u8) >= 0 || head.IndexOf("\"FeatureCollection\""u8) >= 0 || ext == ".GEOJSON")
        {
            return ZoneFileFormat.GeoJson;
        }

        return null;
    }

    /// <summary>
    /// Reads and validates a zone file. Never throws for bad content other than <see cref="InvalidFileException"/>
    /// (file-level: malformed JSON/XML/zip, too large, unknown format); every feature-level problem is a
    /// <see cref="FeatureError"/> in the result.
    /// </summary>
    /// <param name="stream">The file content (read to its end, at most <see cref="ImportLimits.MaxBytes"/>).</param>
    /// <param name="fileName">The file name, for format detection and messages.</param>
    /// <param name="format">The format, or null to detect it.</param>
    /// <param name="limits">Limits; <see cref="ImportLimits.Default"/> when null.</param>
    /// <returns>The zones that passed validation and every error found.</returns>
    public static ImportResult<Zone> Read(Stream stream, string fileName, ZoneFileFormat? format = null, ImportLimits? limits = null)
    {
        limits ??= ImportLimits.Default;
        byte[] bytes = BoundedInput.ReadAll(stream, limits.MaxBytes, "the file");
        ZoneFileFormat? detected = format ?? Detect(bytes, fileName);
        if (detected == ZoneFileFormat.Kmz)
        {
            bytes = KmlZones.ExtractKmz(bytes, limits);
            detected = ZoneFileFormat.Kml;
        }

        var errors = new ImportErrors(limits);
        var zones = new List<Zone>();
        if (detected == ZoneFileFormat.Kml)
        {
            KmlZones.Read(bytes, errors, zones);
            return new ImportResult<Zone>(zones, errors.Finish());
        }

        if (detected is null && !LooksLikeJson(bytes))
        {
            throw new InvalidFileException(ImportRules.FormatUnknown, $"cannot tell the format of '{fileName}' (GeoJSON, ED-269, ED-318, KML or KMZ)");
        }

        using JsonDocument doc = JsonInput.Parse(bytes);
        detected ??= DetectFromDocument(doc.RootElement)
            ?? throw new InvalidFileException(ImportRules.FormatUnknown, $"cannot tell which zone JSON format '{fileName}' is (GeoJSON, ED-269, ED-318)");
        switch (detected)
        {
            case ZoneFileFormat.Ed269:
                Ed269Zones.Read(doc.RootElement, errors, zones);
                break;
            case ZoneFileFormat.Ed318:
                Ed318Zones.Read(doc.RootElement, errors, zones);
                break;
            default:
                YunluGeoJsonZones.Read(doc.RootElement, errors, zones);
                break;
        }

        return new ImportResult<Zone>(zones, errors.Finish());
    }

    /// <summary>Writes zones in a format (UTF-8; JSON indented, Chinese text unescaped). Altitudes are written in
    /// metres with their own reference; circles stay circles.</summary>
    /// <param name="stream">Where to write (left open).</param>
    /// <param name="zones">The zones.</param>
    /// <param name="format">The format.</param>
    public static void Write(Stream stream, IEnumerable<Zone> zones, ZoneFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(zones);
        switch (format)
        {
            case ZoneFileFormat.Kml:
                KmlZones.Write(stream, zones);
                return;
            case ZoneFileFormat.Kmz:
                KmlZones.WriteKmz(stream, zones);
                return;
        }

        using var w = new Utf8JsonWriter(stream, ZoneCommon.WriterOptions);
        switch (format)
        {
            case ZoneFileFormat.Ed269:
                Ed269Zones.Write(w, zones);
                break;
            case ZoneFileFormat.Ed318:
                Ed318Zones.Write(w, zones);
                break;
            case ZoneFileFormat.GeoJson:
                YunluGeoJsonZones.Write(w, zones);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "unknown zone file format");
        }
    }

    internal static void FeatureLimit(int total, ImportErrors errors) =>
        errors.AddFileError(
            "features",
            ImportRules.FeatureLimit,
            string.Create(CultureInfo.InvariantCulture, $"the file has {total} features, over the limit of {errors.Limits.MaxFeatures}"));

    private static ZoneFileFormat? DetectFromDocument(JsonElement root)
    {
        JsonElement features;
        if (root.ValueKind == JsonValueKind.Array)
        {
            features = root;
        }
        else if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("features", out features) || features.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (JsonElement f in features.EnumerateArray())
        {
            if (f.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (f.TryGetProperty("geometry", out JsonElement g) && g.ValueKind == JsonValueKind.Array)
            {
                return ZoneFileFormat.Ed269;
            }

            if (g.ValueKind == JsonValueKind.Object && g.TryGetProperty("layer", out _))
            {
                return ZoneFileFormat.Ed318;
            }

            if (f.TryGetProperty("properties", out JsonElement p) && p.ValueKind == JsonValueKind.Object)
            {
                return p.TryGetProperty("variant", out _) || p.TryGetProperty("zoneAuthority", out _) ? ZoneFileFormat.Ed318 : ZoneFileFormat.GeoJson;
            }
        }

        return ZoneFileFormat.GeoJson;
    }

    private static bool LooksLikeJson(ReadOnlySpan<byte> bytes)
    {
        ReadOnlySpan<byte> body = SkipBomAndSpace(bytes.Length > DetectHeadBytes ? bytes[..DetectHeadBytes] : bytes);
        return body.Length > 0 && (body[0] == (byte)'{' || body[0] == (byte)'[');
    }

    private static ReadOnlySpan<byte> SkipBomAndSpace(ReadOnlySpan<byte> s)
    {
        if (s.StartsWith("\uFEFF"u8))
        {
            s = s[3..];
        }

        int i = 0;
        while (i < s.Length && (s[i] == (byte)' ' || s[i] == (byte)'\t' || s[i] == (byte)'\r' || s[i] == (byte)'\n'))
        {
            i++;
        }

        return s[i..];
    }
}
