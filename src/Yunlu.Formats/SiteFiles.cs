using System.Text.Json;
using Yunlu.Airspace.Sites;
using Yunlu.Formats.Internal;
using Yunlu.Formats.Zones;
using Yunlu.Geo;

namespace Yunlu.Formats;

/// <summary>Named sites (vertiports, hubs, drop points, points of interest) from GeoJSON Points.</summary>
public static class SiteFiles
{
    private static readonly (string Code, SiteKind Kind)[] KindCodes =
    [
        ("vertiport", SiteKind.Vertiport),
        ("logistics_hub", SiteKind.LogisticsHub),
        ("drop_point", SiteKind.DropPoint),
        ("poi", SiteKind.PointOfInterest),
        ("training_area", SiteKind.TrainingArea),
        ("airport", SiteKind.Airport),
    ];

    /// <summary>The text code of a site kind (vertiport, logistics_hub, drop_point, poi, training_area, airport).</summary>
    public static string KindCode(SiteKind kind)
    {
        foreach ((string code, SiteKind k) in KindCodes)
        {
            if (k == kind)
            {
                return code;
            }
        }

        return "poi";
    }

    /// <summary>
    /// Reads sites: a GeoJSON FeatureCollection of Points ([lon, lat]) with properties id (or the feature's id), name,
    /// kind (vertiport, logistics_hub, drop_point, poi, training_area, airport) and an optional description.
    /// </summary>
    /// <param name="stream">The GeoJSON content.</param>
    /// <param name="fileName">The file name, for messages.</param>
    /// <param name="limits">Limits; <see cref="ImportLimits.Default"/> when null.</param>
    /// <returns>The sites that passed validation and every error found.</returns>
    public static ImportResult<Site> Read(Stream stream, string fileName, ImportLimits? limits = null)
    {
        return FeatureWalker.ReadFile<Site>(stream, fileName, limits, static (f, _, e, s) => ReadFeature(f, e, s.Seen, s.Items));
    }

    private static void ReadFeature(JsonElement f, ImportErrors errors, HashSet<string> seen, List<Site> into)
    {
        int before = errors.Count;
        if (!FeatureWalker.TryGetParts(f, errors, out JsonElement p, out JsonElement? geometry))
        {
            return;
        }

        string? id = JsonInput.GetString(p, "id", "properties", errors, required: false);
        if (id is null && JsonInput.TryGet(f, "id", out JsonElement fid))
        {
            id = fid.ValueKind == JsonValueKind.String ? fid.GetString() : fid.ValueKind == JsonValueKind.Number ? fid.GetRawText() : null;
        }

        if (id is null)
        {
            errors.Add("properties.id", ImportRules.FieldMissing, "'id' is required");
        }
        else
        {
            errors.FeatureId = id;
            ZoneCommon.CheckIdentifier(id, "properties.id", errors);
            if (!seen.Add(id))
            {
                errors.Add("properties.id", ImportRules.IdentifierDuplicate, $"id '{id}' is used by an earlier feature of this file");
            }
        }

        string? name = JsonInput.GetString(p, "name", "properties", errors, required: true);
        string? kindText = JsonInput.GetString(p, "kind", "properties", errors, required: true);
        SiteKind? kind = null;
        if (kindText is not null)
        {
            foreach ((string code, SiteKind k) in KindCodes)
            {
                if (string.Equals(code, kindText, StringComparison.Ordinal))
                {
                    kind = k;
                }
            }

            if (kind is null)
            {
                errors.Add("properties.kind", ImportRules.KindUnknown, $"unknown site kind '{kindText}' (vertiport, logistics_hub, drop_point, poi, training_area, airport)");
            }
        }

        string? description = JsonInput.GetString(p, "description", "properties", errors, required: false);
        GeoPoint? position = null;
        if (geometry is not null)
        {
            string? type = GeoJsonFootprints.ReadType(geometry.Value, "geometry", errors);
            if (type == "Point")
            {
                position = GeoJsonFootprints.ReadPoint(geometry.Value, "geometry", errors);
            }
            else if (type is not null)
            {
                errors.Add("geometry.type", ImportRules.GeometryTypeUnsupported, $"a site must be a Point, found '{type}'");
            }
        }

        if (errors.Count == before && id is not null && name is not null && kind is not null && position is not null)
        {
            into.Add(new Site(id, name, kind.Value, position.Value, description));
        }
    }
}
