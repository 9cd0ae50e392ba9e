using System.Text.Json;
using Yunlu.Airspace.Zones;
using Yunlu.Formats.Internal;
using Yunlu.Geo;

namespace Yunlu.Formats.Zones;

/// <summary>
/// EUROCAE ED-269 zone JSON: <c>{"title", "description", "features": [UASZoneVersion...]}</c> (a bare array is also
/// accepted). Each UASZoneVersion has identifier, country, name, type, restriction, reason[], otherReasonInfo,
/// message, applicability[], zoneAuthority[], geometry[] {uomDimensions, lowerLimit, lowerVerticalReference,
/// upperLimit, upperVerticalReference, horizontalProjection Polygon{coordinates [lon, lat]} | Circle{center [lon, lat],
/// radius (in uomDimensions)}}. Each geometry component becomes one zone.
/// </summary>
internal static class Ed269Zones
{
    public static void Read(JsonElement root, ImportErrors errors, List<Zone> into)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        FeatureWalker.Walk(root, errors, "a UASZoneVersion", (seen, into), static (f, _, e, s) => ReadFeature(f, e, s.seen, s.into));
    }

    private static void ReadFeature(JsonElement f, ImportErrors errors, HashSet<string> seen, List<Zone> into)
    {
        int before = errors.Count;
        var a = new ZoneAttributes();
        ZoneCommon.ReadEdIdentity(f, "", errors, a);
        a.Name = JsonInput.GetString(f, "name", "", errors, required: false);
        ZoneCommon.ReadRestriction(JsonInput.GetString(f, "restriction", "", errors, required: true), "restriction", errors, a);
        if (JsonInput.TryGet(f, "reason", out JsonElement reasons))
        {
            ZoneCommon.ReadReasons(reasons, "reason", errors, a.Reasons);
        }

        ZoneCommon.ReadExtendedReasons(f, "", errors, a);
        a.Message = JsonInput.GetString(f, "message", "", errors, required: false);
        if (JsonInput.TryGet(f, "applicability", out JsonElement appl))
        {
            a.Applicability = ZoneCommon.ReadApplicability(appl, "applicability", errors);
        }

        ZoneCommon.ReadEdAuthority(f, "", errors, a);

        var volumes = new List<ZoneVolume>(1);
        JsonElement? geometry = JsonInput.GetArray(f, "geometry", "", errors, required: true);
        if (geometry is not null)
        {
            if (geometry.Value.GetArrayLength() == 0)
            {
                errors.Add("geometry", ImportRules.FieldMissing, "a UASZoneVersion needs at least one geometry component");
            }

            long vertices = 0;
            int i = 0;
            foreach (JsonElement g in geometry.Value.EnumerateArray())
            {
                string field = JsonInput.Index("geometry", i++);
                if (JsonInput.TryGet(g, "horizontalProjection", out JsonElement hp) && JsonInput.TryGet(hp, "coordinates", out JsonElement c))
                {
                    vertices += JsonGeometry.CountPolygon(c);
                }

                if (vertices > errors.Limits.MaxVerticesPerFeature)
                {
                    PolygonBuilder.VertexLimit(vertices, "geometry", errors);
                    break;
                }

                ReadComponent(g, field, errors, volumes);
            }
        }

        ZoneCommon.Emit(a, volumes, before, errors, seen, into);
    }

    private static void ReadComponent(JsonElement g, string field, ImportErrors errors, List<ZoneVolume> into)
    {
        if (g.ValueKind != JsonValueKind.Object)
        {
            errors.Add(field, ImportRules.TypeMismatch, $"a geometry component must be an object, found {JsonInput.Describe(g.ValueKind)}");
            return;
        }

        double? perUnit = ZoneCommon.ReadUom(g, "uomDimensions", field, errors, required: true);
        double? lower = JsonInput.GetNumber(g, "lowerLimit", field, errors, required: true);
        double? upper = JsonInput.GetNumber(g, "upperLimit", field, errors, required: true);
        AltitudeReference? lowerRef = ZoneCommon.ReadReference(g, "lowerVerticalReference", field, errors);
        AltitudeReference? upperRef = ZoneCommon.ReadReference(g, "upperVerticalReference", field, errors);
        JsonElement? hp = JsonInput.GetObject(g, "horizontalProjection", field, errors, required: true);
        Footprint? footprint = null;
        string hpField = JsonInput.Path(field, "horizontalProjection");
        if (hp is not null)
        {
            string? type = JsonInput.GetString(hp.Value, "type", hpField, errors, required: true);
            switch (type)
            {
                case null:
                    break;
                case "Polygon":
                    List<NetTopologySuite.Geometries.Polygon>? polygons = GeoJsonFootprints.ReadPolygons(type, hp.Value, hpField, errors);
                    if (polygons is not null)
                    {
                        footprint = new PolygonFootprint(polygons[0]);
                    }

                    break;
                case "Circle":
                    footprint = ReadCircle(hp.Value, hpField, perUnit ?? 1, errors);
                    break;
                default:
                    errors.Add(JsonInput.Path(hpField, "type"), ImportRules.GeometryTypeUnsupported, $"horizontalProjection must be Polygon or Circle, found '{type}'");
                    break;
            }
        }

        (Altitude Lower, Altitude Upper)? band = ZoneCommon.Band(perUnit, lower, lowerRef, upper, upperRef, JsonInput.Path(field, "upperLimit"), errors);
        if (band is not null && footprint is not null)
        {
            into.Add(new ZoneVolume(footprint, band.Value.Lower, band.Value.Upper));
        }
    }

    private static CircleFootprint? ReadCircle(JsonElement hp, string field, double perUnit, ImportErrors errors)
    {
        if (!JsonInput.TryGet(hp, "center", out JsonElement center))
        {
            errors.Add(JsonInput.Path(field, "center"), ImportRules.FieldMissing, "'center' is required");
            return null;
        }

        double? radius = JsonInput.GetNumber(hp, "radius", field, errors, required: true);
        if (!JsonGeometry.TryReadPosition(center, JsonInput.Path(field, "center"), errors, out double lon, out double lat) || radius is null)
        {
            return null;
        }

        return PolygonBuilder.Circle(lon, lat, radius.Value * perUnit, JsonInput.Path(field, "center"), JsonInput.Path(field, "radius"), errors);
    }

    public static void Write(Utf8JsonWriter w, IEnumerable<Zone> zones)
    {
        w.WriteStartObject();
        w.WriteString("title", "Yunlu UAS geographical zones");
        w.WriteString("description", "ED-269 UASZoneVersion features written by Yunlu");
        w.WriteStartArray("features");
        foreach (Zone z in zones)
        {
            w.WriteStartObject();
            w.WriteString("identifier", z.Identifier);
            w.WriteString("country", z.Country);
            w.WriteString("name", z.Name);
            w.WriteString("type", "COMMON");
            w.WriteString("restriction", ZoneCodes.RestrictionCode(z.Restriction, americanSpelling: false));
            w.WriteStartArray("reason");
            foreach (string code in ZoneCommon.StandardReasonCodes(z))
            {
                w.WriteStringValue(code);
            }

            w.WriteEndArray();
            ZoneCommon.WriteOptional(w, "otherReasonInfo", ZoneCommon.OtherReasonInfo(z));
            ZoneCommon.WriteOptional(w, "message", z.Message);
            w.WritePropertyName("applicability");
            ZoneCommon.WriteApplicability(w, z.Applicability, ZoneCommon.PermanentStyle.YesNo, timeZ: true);
            w.WriteStartArray("zoneAuthority");
            if (z.Authority is not null)
            {
                ZoneCommon.WriteAuthority(w, z.Authority, textLists: false);
            }

            w.WriteEndArray();
            w.WriteStartArray("geometry");
            w.WriteStartObject();
            w.WriteString("uomDimensions", "M");
            w.WriteNumber("lowerLimit", z.Lower.ValueM);
            w.WriteString("lowerVerticalReference", ZoneCodes.ReferenceCodeEd(z.Lower.Reference));
            w.WriteNumber("upperLimit", z.Upper.ValueM);
            w.WriteString("upperVerticalReference", ZoneCodes.ReferenceCodeEd(z.Upper.Reference));
            w.WriteStartObject("horizontalProjection");
            switch (z.Footprint)
            {
                case PolygonFootprint pf:
                    w.WriteString("type", "Polygon");
                    w.WritePropertyName("coordinates");
                    GeoJsonFootprints.WritePolygonCoordinates(w, pf.Polygon);
                    break;
                case CircleFootprint cf:
                    w.WriteString("type", "Circle");
                    w.WritePropertyName("center");
                    GeoJsonFootprints.WritePosition(w, cf.Center);
                    w.WriteNumber("radius", cf.RadiusM);
                    break;
            }

            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            ZoneCommon.WriteExtendedReasons(w, z);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
