using System.Text.Json;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Zones;
using Yunlu.Formats.Internal;
using Yunlu.Geo;

namespace Yunlu.Formats.Zones;

/// <summary>
/// EUROCAE ED-318 zones: a GeoJSON FeatureCollection whose features carry UASZone properties (identifier, country,
/// name, type = the restriction with the REQ_AUTHORIZATION spelling, variant, reason[], otherReasonInfo, message,
/// limitedApplicability[], zoneAuthority[], extendedProperties) and LayeredGeoJSON geometries: Polygon,
/// MultiPolygon, Point + extent {subType Circle, radius m} or a GeometryCollection of them, each with
/// layer {upper, upperReference, lower, lowerReference, uom}. Each shape becomes one zone.
/// </summary>
internal static class Ed318Zones
{
    public static void Read(JsonElement root, ImportErrors errors, List<Zone> into)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        FeatureWalker.Walk(root, errors, "a feature", (seen, into), static (f, _, e, s) => ReadFeature(f, e, s.seen, s.into));
    }

    private static void ReadFeature(JsonElement f, ImportErrors errors, HashSet<string> seen, List<Zone> into)
    {
        int before = errors.Count;
        if (!FeatureWalker.TryGetParts(f, errors, out JsonElement p, out JsonElement? geometry))
        {
            return;
        }

        const string P = "properties";
        var a = new ZoneAttributes();
        ZoneCommon.ReadEdIdentity(p, P, errors, a);
        a.Name = JsonInput.GetText(p, "name", P, errors);

        // ED-318 moved the restriction into 'type' (ED-269's COMMON/CUSTOMIZED became 'variant'); some producers keep 'restriction'.
        string restrictionField = JsonInput.TryGet(p, "restriction", out _) ? "restriction" : "type";
        ZoneCommon.ReadRestriction(JsonInput.GetString(p, restrictionField, P, errors, required: true), "properties." + restrictionField, errors, a);
        if (JsonInput.TryGet(p, "reason", out JsonElement reasons) || JsonInput.TryGet(p, "reasons", out reasons))
        {
            ZoneCommon.ReadReasons(reasons, "properties.reason", errors, a.Reasons);
        }

        ZoneCommon.ReadExtendedReasons(p, P, errors, a);
        a.Message = JsonInput.GetText(p, "message", P, errors);
        if (JsonInput.TryGet(p, "limitedApplicability", out JsonElement appl))
        {
            a.Applicability = ZoneCommon.ReadApplicability(appl, "properties.limitedApplicability", errors);
        }

        ZoneCommon.ReadEdAuthority(p, P, errors, a);

        var volumes = new List<ZoneVolume>(1);
        if (geometry is not null)
        {
            long vertices = CountVertices(geometry.Value, 0);
            if (vertices > errors.Limits.MaxVerticesPerFeature)
            {
                PolygonBuilder.VertexLimit(vertices, "geometry", errors);
            }
            else
            {
                ReadGeometry(geometry.Value, "geometry", errors, volumes, allowCollection: true);
            }
        }

        ZoneCommon.Emit(a, volumes, before, errors, seen, into);
    }

    private static long CountVertices(JsonElement g, int depth)
    {
        if (g.ValueKind != JsonValueKind.Object || depth > 1 ||
            !g.TryGetProperty("type", out JsonElement type) || type.ValueKind != JsonValueKind.String)
        {
            return 0;
        }

        if (type.ValueEquals("GeometryCollection"u8))
        {
            long n = 0;
            if (g.TryGetProperty("geometries", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement member in list.EnumerateArray())
                {
                    n += CountVertices(member, depth + 1);
                }
            }

            return n;
        }

        if (!g.TryGetProperty("coordinates", out JsonElement c))
        {
            return 0;
        }

        return type.ValueEquals("MultiPolygon"u8) ? JsonGeometry.CountMultiPolygon(c)
            : type.ValueEquals("Polygon"u8) ? JsonGeometry.CountPolygon(c)
            : 0;
    }

    private static void ReadGeometry(JsonElement g, string field, ImportErrors errors, List<ZoneVolume> into, bool allowCollection)
    {
        string? type = GeoJsonFootprints.ReadType(g, field, errors);
        if (type is null)
        {
            return;
        }

        if (type == "GeometryCollection" && allowCollection)
        {
            JsonElement? members = JsonInput.GetArray(g, "geometries", field, errors, required: true);
            if (members is null)
            {
                return;
            }

            int i = 0;
            foreach (JsonElement member in members.Value.EnumerateArray())
            {
                string mf = JsonInput.Index(JsonInput.Path(field, "geometries"), i++);
                if (member.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(mf, ImportRules.TypeMismatch, $"expected a geometry object, found {JsonInput.Describe(member.ValueKind)}");
                    continue;
                }

                ReadGeometry(member, mf, errors, into, allowCollection: false);
            }

            return;
        }

        (Altitude Lower, Altitude Upper)? band = ReadLayer(g, field, errors);
        var footprints = new List<Footprint>(1);
        switch (type)
        {
            case "Polygon":
            case "MultiPolygon":
                List<Polygon>? polygons = GeoJsonFootprints.ReadPolygons(type, g, field, errors);
                if (polygons is not null)
                {
                    foreach (Polygon polygon in polygons)
                    {
                        footprints.Add(new PolygonFootprint(polygon));
                    }
                }

                break;
            case "Point":
                GeoPoint? center = GeoJsonFootprints.ReadPoint(g, field, errors);
                string ef = JsonInput.Path(field, "extent");
                JsonElement? extent = JsonInput.GetObject(g, "extent", field, errors, required: true);
                if (extent is null)
                {
                    break;
                }

                string? subType = JsonInput.GetString(extent.Value, "subType", ef, errors, required: true);
                if (subType is not null && !string.Equals(subType, "Circle", StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add(JsonInput.Path(ef, "subType"), ImportRules.GeometryTypeUnsupported, $"extent subType must be Circle, found '{subType}'");
                }

                double? radius = JsonInput.GetNumber(extent.Value, "radius", ef, errors, required: true);
                if (center is not null && radius is not null)
                {
                    CircleFootprint? circle = PolygonBuilder.Circle(center.Value.LonDeg, center.Value.LatDeg, radius.Value, JsonInput.Path(field, "coordinates"), JsonInput.Path(ef, "radius"), errors);
                    if (circle is not null)
                    {
                        footprints.Add(circle);
                    }
                }

                break;
            default:
                errors.Add(JsonInput.Path(field, "type"), ImportRules.GeometryTypeUnsupported, $"a zone geometry must be Polygon, MultiPolygon, Point with extent or GeometryCollection, found '{type}'");
                return;
        }

        if (band is null)
        {
            return;
        }

        foreach (Footprint fp in footprints)
        {
            into.Add(new ZoneVolume(fp, band.Value.Lower, band.Value.Upper));
        }
    }

    private static (Altitude Lower, Altitude Upper)? ReadLayer(JsonElement g, string field, ImportErrors errors)
    {
        JsonElement? layer = JsonInput.GetObject(g, "layer", field, errors, required: true);
        if (layer is null)
        {
            return null;
        }

        string lf = JsonInput.Path(field, "layer");
        JsonElement l = layer.Value;
        double? perUnit = ZoneCommon.ReadUom(l, "uom", lf, errors, required: false);
        double? upper = JsonInput.GetNumber(l, "upper", lf, errors, required: true);
        double? lower = JsonInput.GetNumber(l, "lower", lf, errors, required: true);
        AltitudeReference? upperRef = ZoneCommon.ReadReference(l, "upperReference", lf, errors);
        AltitudeReference? lowerRef = ZoneCommon.ReadReference(l, "lowerReference", lf, errors);
        return ZoneCommon.Band(perUnit, lower, lowerRef, upper, upperRef, JsonInput.Path(lf, "upper"), errors);
    }

    public static void Write(Utf8JsonWriter w, IEnumerable<Zone> zones)
    {
        w.WriteStartObject();
        w.WriteString("type", "FeatureCollection");
        w.WriteString("name", "Yunlu UAS geographical zones");
        w.WriteStartArray("features");
        foreach (Zone z in zones)
        {
            w.WriteStartObject();
            w.WriteString("type", "Feature");
            w.WriteString("id", z.Identifier);
            w.WriteStartObject("geometry");
            GeoJsonFootprints.WriteGeometryMembers(w, z.Footprint);
            if (z.Footprint is CircleFootprint cf)
            {
                w.WriteStartObject("extent");
                w.WriteString("subType", "Circle");
                w.WriteNumber("radius", cf.RadiusM);
                w.WriteEndObject();
            }

            w.WriteStartObject("layer");
            w.WriteNumber("upper", z.Upper.ValueM);
            w.WriteString("upperReference", ZoneCodes.ReferenceCodeEd(z.Upper.Reference));
            w.WriteNumber("lower", z.Lower.ValueM);
            w.WriteString("lowerReference", ZoneCodes.ReferenceCodeEd(z.Lower.Reference));
            w.WriteString("uom", "m");
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject("properties");
            w.WriteString("identifier", z.Identifier);
            w.WriteString("country", z.Country);
            ZoneCommon.WriteText(w, "name", z.Name, asList: true);
            w.WriteString("type", ZoneCodes.RestrictionCode(z.Restriction, americanSpelling: true));
            w.WriteString("variant", "COMMON");
            w.WriteStartArray("reason");
            foreach (string code in ZoneCommon.StandardReasonCodes(z))
            {
                w.WriteStringValue(code);
            }

            w.WriteEndArray();
            string? other = ZoneCommon.OtherReasonInfo(z);
            if (other is not null)
            {
                ZoneCommon.WriteText(w, "otherReasonInfo", other, asList: true);
            }

            if (z.Message is not null)
            {
                ZoneCommon.WriteText(w, "message", z.Message, asList: true);
            }

            bool permanent = false;
            foreach (ZoneApplicability ap in z.Applicability)
            {
                permanent |= ap.Permanent;
            }

            if (!permanent)
            {
                w.WritePropertyName("limitedApplicability");
                ZoneCommon.WriteApplicability(w, z.Applicability, ZoneCommon.PermanentStyle.None, timeZ: true);
            }

            w.WriteStartArray("zoneAuthority");
            if (z.Authority is not null)
            {
                ZoneCommon.WriteAuthority(w, z.Authority, textLists: true);
            }

            w.WriteEndArray();
            ZoneCommon.WriteExtendedReasons(w, z);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
