using System.Text.Json;
using NetTopologySuite.Geometries;
using Yunlu.Formats.Internal;
using Yunlu.Geo;

namespace Yunlu.Formats.Zones;

/// <summary>GeoJSON geometry objects to footprints: Polygon, MultiPolygon (one footprint per part) and Point with a
/// radius (a circle).</summary>
internal static class GeoJsonFootprints
{
    /// <summary>Reads the polygons of a Polygon or MultiPolygon geometry; refuses more vertices than the limit
    /// before reading any coordinate.</summary>
    public static List<Polygon>? ReadPolygons(string type, JsonElement geometry, string field, ImportErrors errors)
    {
        if (!JsonInput.TryGet(geometry, "coordinates", out JsonElement coords))
        {
            errors.Add(JsonInput.Path(field, "coordinates"), ImportRules.FieldMissing, "'coordinates' is required");
            return null;
        }

        string cf = JsonInput.Path(field, "coordinates");
        bool multi = string.Equals(type, "MultiPolygon", StringComparison.Ordinal);
        long count = multi ? JsonGeometry.CountMultiPolygon(coords) : JsonGeometry.CountPolygon(coords);
        if (count > errors.Limits.MaxVerticesPerFeature)
        {
            PolygonBuilder.VertexLimit(count, cf, errors);
            return null;
        }

        if (!multi)
        {
            Polygon? p = JsonGeometry.ReadPolygon(coords, cf, errors);
            return p is null ? null : [p];
        }

        if (coords.ValueKind != JsonValueKind.Array)
        {
            errors.Add(cf, ImportRules.TypeMismatch, $"MultiPolygon coordinates must be an array of polygons, found {JsonInput.Describe(coords.ValueKind)}");
            return null;
        }

        var list = new List<Polygon>(coords.GetArrayLength());
        int i = 0;
        bool ok = true;
        foreach (JsonElement part in coords.EnumerateArray())
        {
            Polygon? p = JsonGeometry.ReadPolygon(part, JsonInput.Index(cf, i++), errors);
            if (p is null)
            {
                ok = false;
            }
            else
            {
                list.Add(p);
            }
        }

        if (ok && list.Count == 0)
        {
            errors.Add(cf, ImportRules.RingTooShort, "a MultiPolygon needs at least one polygon");
            return null;
        }

        return ok ? list : null;
    }

    /// <summary>Reads a Point's centre.</summary>
    public static GeoPoint? ReadPoint(JsonElement geometry, string field, ImportErrors errors)
    {
        if (!JsonInput.TryGet(geometry, "coordinates", out JsonElement coords))
        {
            errors.Add(JsonInput.Path(field, "coordinates"), ImportRules.FieldMissing, "'coordinates' is required");
            return null;
        }

        return JsonGeometry.TryReadPosition(coords, JsonInput.Path(field, "coordinates"), errors, out double lon, out double lat)
            ? new GeoPoint(lon, lat)
            : null;
    }

    /// <summary>The geometry's type string, with an error when missing or not a string.</summary>
    public static string? ReadType(JsonElement geometry, string field, ImportErrors errors) =>
        JsonInput.GetString(geometry, "type", field, errors, required: true);

    public static void WritePolygonCoordinates(Utf8JsonWriter w, Polygon polygon, double? altitude = null)
    {
        w.WriteStartArray();
        WriteRing(w, polygon.ExteriorRing.Coordinates, altitude);
        foreach (LineString hole in polygon.InteriorRings)
        {
            WriteRing(w, hole.Coordinates, altitude);
        }

        w.WriteEndArray();
    }

    private static void WriteRing(Utf8JsonWriter w, Coordinate[] ring, double? altitude)
    {
        w.WriteStartArray();
        foreach (Coordinate c in ring)
        {
            w.WriteStartArray();
            w.WriteNumberValue(c.X);
            w.WriteNumberValue(c.Y);
            if (altitude is { } a)
            {
                w.WriteNumberValue(a);
            }

            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    /// <summary>
    /// Writes the members of a footprint's GeoJSON geometry into an open object: <c>type</c> Polygon with its rings,
    /// or a circle's centre as <c>type</c> Point (the radius is the caller's to write: a property or an extent).
    /// </summary>
    public static void WriteGeometryMembers(Utf8JsonWriter w, Footprint footprint)
    {
        switch (footprint)
        {
            case PolygonFootprint pf:
                w.WriteString("type", "Polygon");
                w.WritePropertyName("coordinates");
                WritePolygonCoordinates(w, pf.Polygon);
                break;
            case CircleFootprint cf:
                w.WriteString("type", "Point");
                w.WritePropertyName("coordinates");
                WritePosition(w, cf.Center);
                break;
        }
    }

    public static void WritePosition(Utf8JsonWriter w, GeoPoint p)
    {
        w.WriteStartArray();
        w.WriteNumberValue(p.LonDeg);
        w.WriteNumberValue(p.LatDeg);
        w.WriteEndArray();
    }
}
