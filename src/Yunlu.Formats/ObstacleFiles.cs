using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using Yunlu.Formats.Internal;
using Yunlu.Formats.Zones;
using Yunlu.Terrain;

namespace Yunlu.Formats;

/// <summary>
/// Buildings and other obstacles from GeoJSON (e.g. an OpenStreetMap or Overture export): Polygon and MultiPolygon
/// footprints (one obstacle per polygon) with a height.
/// </summary>
public static class ObstacleFiles
{
    /// <summary>Assumed storey height when only <c>building:levels</c> is known (metres per level), the usual
    /// OpenStreetMap-3D rule of thumb.</summary>
    public const double MetresPerLevel = 3.0;

    private static readonly string[] ManMadeKinds = ["tower", "mast", "chimney"];
    private static readonly string[] Kinds = ["building", "tower", "mast", "chimney", "power_line", "other"];

    /// <summary>
    /// Reads obstacles. Height (m above ground): <c>height</c> (a number, or an OSM-style string such as "12.5" or
    /// "12.5 m"); else <c>building:levels</c> × <see cref="MetresPerLevel"/>. <c>min_height</c> (the bottom of a
    /// building part) is ignored: the obstacle stands from the ground, which is the conservative reading. Id: the
    /// feature's <c>id</c>, else properties <c>@id</c> or <c>id</c>, else <c>obstacle-N</c> (N = feature index); a
    /// MultiPolygon's parts get <c>/1</c>, <c>/2</c>, ... Kind: <c>building</c> when a building tag is present (not
    /// "no"), else man_made tower/mast/chimney, else properties <c>kind</c> when it is one of building, tower, mast,
    /// chimney, power_line, other, else other.
    /// </summary>
    /// <param name="stream">The GeoJSON content.</param>
    /// <param name="fileName">The file name, for messages.</param>
    /// <param name="limits">Limits; <see cref="ImportLimits.Default"/> when null.</param>
    /// <returns>The obstacles that passed validation and every error found.</returns>
    public static ImportResult<Obstacle> Read(Stream stream, string fileName, ImportLimits? limits = null)
    {
        return FeatureWalker.ReadFile<Obstacle>(stream, fileName, limits, static (f, i, e, s) => ReadFeature(f, i, e, s.Seen, s.Items));
    }

    private static void ReadFeature(JsonElement f, int index, ImportErrors errors, HashSet<string> seen, List<Obstacle> into)
    {
        int before = errors.Count;
        JsonElement props = JsonInput.TryGet(f, "properties", out JsonElement p) ? p : default;
        if (props.ValueKind is not JsonValueKind.Object and not JsonValueKind.Undefined)
        {
            errors.Add("properties", ImportRules.TypeMismatch, $"expected an object, found {JsonInput.Describe(props.ValueKind)}");
            return;
        }

        string id = ReadId(f, props) ?? string.Create(CultureInfo.InvariantCulture, $"obstacle-{index}");
        errors.FeatureId = id;
        double? height = ReadHeight(props, errors);
        string kind = ReadKind(props);
        string? name = props.ValueKind == JsonValueKind.Object ? JsonInput.GetString(props, "name", "properties", errors, required: false) : null;

        List<Polygon>? polygons = null;
        JsonElement? geometry = JsonInput.GetObject(f, "geometry", "", errors, required: true);
        if (geometry is not null)
        {
            string? type = GeoJsonFootprints.ReadType(geometry.Value, "geometry", errors);
            if (type is "Polygon" or "MultiPolygon")
            {
                polygons = GeoJsonFootprints.ReadPolygons(type, geometry.Value, "geometry", errors);
            }
            else if (type is not null)
            {
                errors.Add("geometry.type", ImportRules.GeometryTypeUnsupported, $"an obstacle footprint must be a Polygon or MultiPolygon, found '{type}'");
            }
        }

        if (polygons is not null)
        {
            for (int i = 0; i < polygons.Count; i++)
            {
                string partId = polygons.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $"{id}/{i + 1}") : id;
                if (!seen.Add(partId))
                {
                    errors.Add("id", ImportRules.IdentifierDuplicate, $"id '{partId}' is used by an earlier feature of this file");
                }
            }
        }

        if (errors.Count != before || polygons is null || height is null)
        {
            return;
        }

        for (int i = 0; i < polygons.Count; i++)
        {
            string partId = polygons.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $"{id}/{i + 1}") : id;
            into.Add(new Obstacle(partId, polygons[i], height.Value, kind, name));
        }
    }

    private static string? ReadId(JsonElement f, JsonElement props)
    {
        if (JsonInput.TryGet(f, "id", out JsonElement id) && IdText(id) is { } a)
        {
            return a;
        }

        if (JsonInput.TryGet(props, "@id", out id) && IdText(id) is { } b)
        {
            return b;
        }

        return JsonInput.TryGet(props, "id", out id) ? IdText(id) : null;
    }

    private static string? IdText(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String when e.GetString() is { Length: > 0 } s => s,
        JsonValueKind.Number => e.GetRawText(),
        _ => null,
    };

    private static double? ReadHeight(JsonElement props, ImportErrors errors)
    {
        double? height = null;
        if (JsonInput.TryGet(props, "height", out JsonElement h))
        {
            height = LenientNumber(h, "properties.height", errors);
            if (height is null)
            {
                return null;
            }
        }
        else if (JsonInput.TryGet(props, "building:levels", out JsonElement levels))
        {
            double? n = LenientNumber(levels, "properties.building:levels", errors);
            if (n is null)
            {
                return null;
            }

            height = n.Value * MetresPerLevel;
        }
        else
        {
            errors.Add("properties.height", ImportRules.HeightMissing, "an obstacle needs 'height' (m) or 'building:levels'");
            return null;
        }

        if (height.Value <= 0)
        {
            errors.Add("properties.height", ImportRules.HeightNonPositive, string.Create(CultureInfo.InvariantCulture, $"the height must be > 0 m, found {height.Value}"));
            return null;
        }

        return height;
    }

    /// <summary>A number, or (OSM tags are strings) a string holding one, optionally followed by "m".</summary>
    private static double? LenientNumber(JsonElement v, string field, ImportErrors errors)
    {
        if (v.ValueKind == JsonValueKind.String)
        {
            string text = v.GetString()!.Trim();
            if (text.EndsWith('m'))
            {
                text = text[..^1].TrimEnd();
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
            {
                if (!double.IsFinite(d))
                {
                    errors.Add(field, ImportRules.NotFinite, $"'{v.GetString()}' is not a finite number");
                    return null;
                }

                return d;
            }

            errors.Add(field, ImportRules.TypeMismatch, $"expected a number of metres, found '{v.GetString()}'");
            return null;
        }

        return JsonInput.ReadNumber(v, field, errors);
    }

    private static string ReadKind(JsonElement props)
    {
        if (JsonInput.TryGet(props, "building", out JsonElement b) &&
            !(b.ValueKind == JsonValueKind.String && string.Equals(b.GetString(), "no", StringComparison.Ordinal)) && b.ValueKind != JsonValueKind.False)
        {
            return "building";
        }

        if (JsonInput.TryGet(props, "man_made", out JsonElement m) && m.ValueKind == JsonValueKind.String)
        {
            foreach (string k in ManMadeKinds)
            {
                if (string.Equals(k, m.GetString(), StringComparison.Ordinal))
                {
                    return k;
                }
            }
        }

        if (JsonInput.TryGet(props, "kind", out JsonElement kind) && kind.ValueKind == JsonValueKind.String)
        {
            foreach (string k in Kinds)
            {
                if (string.Equals(k, kind.GetString(), StringComparison.Ordinal))
                {
                    return k;
                }
            }
        }

        return "other";
    }
}
