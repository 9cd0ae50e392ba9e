using System.Text.Json;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Zones;
using Yunlu.Formats.Internal;
using Yunlu.Geo;

namespace Yunlu.Formats.Zones;

/// <summary>
/// Yunlu's own zone GeoJSON (RFC 7946 FeatureCollection, lon/lat). Feature properties: identifier, name, country,
/// restriction, reasons[], lower/upper {value, reference AGL|AMSL|W84, uom m|ft}, applicability[], authority{}, message.
/// Geometry: Polygon, MultiPolygon (one zone per part) or Point with properties.radius_m (a circle).
/// See docs/guide/import-formats.md.
/// </summary>
internal static class YunluGeoJsonZones
{
    public static void Read(JsonElement root, ImportErrors errors, List<Zone> into)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        FeatureWalker.Walk(root, errors, "a feature", (seen, into), static (f, _, e, s) => ReadFeature(f, e, s.seen, s.into));
    }

    private static void ReadFeature(JsonElement feature, ImportErrors errors, HashSet<string> seen, List<Zone> into)
    {
        int before = errors.Count;
        if (!FeatureWalker.TryGetParts(feature, errors, out JsonElement p, out JsonElement? geometry))
        {
            return;
        }

        var a = new ZoneAttributes();
        a.Identifier = JsonInput.GetString(p, "identifier", "properties", errors, required: false);
        if (a.Identifier is null && JsonInput.TryGet(feature, "id", out JsonElement fid) && fid.ValueKind == JsonValueKind.String)
        {
            a.Identifier = fid.GetString();
        }

        if (a.Identifier is null)
        {
            errors.Add("properties.identifier", ImportRules.FieldMissing, "'identifier' is required");
        }

        errors.FeatureId = a.Identifier;
        ZoneCommon.CheckIdentifier(a.Identifier, "properties.identifier", errors);
        a.Name = JsonInput.GetString(p, "name", "properties", errors, required: false);
        string? country = JsonInput.GetString(p, "country", "properties", errors, required: false);
        ZoneCommon.CheckCountry(country, "properties.country", errors);
        a.Country = country ?? "CHN";
        ZoneCommon.ReadRestriction(JsonInput.GetString(p, "restriction", "properties", errors, required: true), "properties.restriction", errors, a);
        if (JsonInput.TryGet(p, "reasons", out JsonElement reasons))
        {
            ZoneCommon.ReadReasons(reasons, "properties.reasons", errors, a.Reasons);
        }

        if (JsonInput.TryGet(p, "applicability", out JsonElement appl))
        {
            a.Applicability = ZoneCommon.ReadApplicability(appl, "properties.applicability", errors);
        }

        JsonElement? authority = JsonInput.GetObject(p, "authority", "properties", errors, required: false);
        if (authority is not null)
        {
            a.Authority = ZoneCommon.ReadAuthority(authority.Value, "properties.authority", errors);
        }

        a.Message = JsonInput.GetString(p, "message", "properties", errors, required: false);
        Altitude? lower = ReadAltitude(p, "lower", errors);
        Altitude? upper = ReadAltitude(p, "upper", errors);
        if (lower is not null && upper is not null)
        {
            ZoneCommon.CheckBand(lower.Value, upper.Value, "properties.upper", errors);
        }

        var volumes = new List<ZoneVolume>(1);
        if (geometry is not null)
        {
            List<Footprint>? footprints = ReadGeometry(geometry.Value, p, errors);
            if (footprints is not null && lower is not null && upper is not null)
            {
                foreach (Footprint f in footprints)
                {
                    volumes.Add(new ZoneVolume(f, lower.Value, upper.Value));
                }
            }
        }

        ZoneCommon.Emit(a, volumes, before, errors, seen, into);
    }

    private static Altitude? ReadAltitude(JsonElement props, string name, ImportErrors errors)
    {
        string prefix = "properties." + name;
        JsonElement? obj = JsonInput.GetObject(props, name, "properties", errors, required: true);
        if (obj is null)
        {
            return null;
        }

        double? value = JsonInput.GetNumber(obj.Value, "value", prefix, errors, required: true);
        AltitudeReference? reference = ZoneCommon.ReadReference(obj.Value, "reference", prefix, errors);
        double? perUnit = ZoneCommon.ReadUom(obj.Value, "uom", prefix, errors, required: false);
        return value is null || reference is null || perUnit is null ? null : new Altitude(value.Value * perUnit.Value, reference.Value);
    }

    private static List<Footprint>? ReadGeometry(JsonElement geometry, JsonElement props, ImportErrors errors)
    {
        string? type = GeoJsonFootprints.ReadType(geometry, "geometry", errors);
        switch (type)
        {
            case null:
                return null;
            case "Polygon":
            case "MultiPolygon":
                List<Polygon>? polygons = GeoJsonFootprints.ReadPolygons(type, geometry, "geometry", errors);
                if (polygons is null)
                {
                    return null;
                }

                var list = new List<Footprint>(polygons.Count);
                foreach (Polygon polygon in polygons)
                {
                    list.Add(new PolygonFootprint(polygon));
                }

                return list;
            case "Point":
                GeoPoint? center = GeoJsonFootprints.ReadPoint(geometry, "geometry", errors);
                double? radius = JsonInput.GetNumber(props, "radius_m", "properties", errors, required: true);
                if (center is null || radius is null)
                {
                    return null;
                }

                CircleFootprint? circle = PolygonBuilder.Circle(center.Value.LonDeg, center.Value.LatDeg, radius.Value, "geometry.coordinates", "properties.radius_m", errors);
                return circle is null ? null : [circle];
            default:
                errors.Add("geometry.type", ImportRules.GeometryTypeUnsupported, $"a zone must be a Polygon, MultiPolygon or Point with radius_m, found '{type}'");
                return null;
        }
    }

    public static void Write(Utf8JsonWriter w, IEnumerable<Zone> zones)
    {
        w.WriteStartObject();
        w.WriteString("type", "FeatureCollection");
        w.WriteStartArray("features");
        foreach (Zone z in zones)
        {
            w.WriteStartObject();
            w.WriteString("type", "Feature");
            w.WriteString("id", z.Identifier);
            w.WriteStartObject("geometry");
            GeoJsonFootprints.WriteGeometryMembers(w, z.Footprint);

            w.WriteEndObject();
            w.WriteStartObject("properties");
            w.WriteString("identifier", z.Identifier);
            w.WriteString("name", z.Name);
            w.WriteString("country", z.Country);
            w.WriteString("restriction", ZoneCodes.RestrictionCode(z.Restriction, americanSpelling: false));
            w.WriteStartArray("reasons");
            foreach (ZoneReason r in z.Reasons)
            {
                w.WriteStringValue(ZoneCodes.ReasonCode(r));
            }

            w.WriteEndArray();
            if (z.Footprint is CircleFootprint c)
            {
                w.WriteNumber("radius_m", c.RadiusM);
            }

            WriteAltitude(w, "lower", z.Lower);
            WriteAltitude(w, "upper", z.Upper);
            w.WritePropertyName("applicability");
            ZoneCommon.WriteApplicability(w, z.Applicability, ZoneCommon.PermanentStyle.Boolean, timeZ: false);
            if (z.Authority is not null)
            {
                w.WritePropertyName("authority");
                ZoneCommon.WriteAuthority(w, z.Authority, textLists: false);
            }

            ZoneCommon.WriteOptional(w, "message", z.Message);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteAltitude(Utf8JsonWriter w, string name, Altitude a)
    {
        w.WriteStartObject(name);
        w.WriteNumber("value", a.ValueM);
        w.WriteString("reference", ZoneCodes.ReferenceCodeYunlu(a.Reference));
        w.WriteString("uom", "m");
        w.WriteEndObject();
    }
}
