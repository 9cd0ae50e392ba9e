using System.Text.Json;
using NetTopologySuite.Geometries;

namespace Yunlu.Formats.Internal;

/// <summary>GeoJSON-style coordinate arrays ([lon, lat, (alt)]) to checked NTS polygons.</summary>
internal static class JsonGeometry
{
    /// <summary>Counts the positions of a Polygon coordinates array without reading them (O(rings)), so a huge
    /// geometry is refused before anything is built. Non-array parts count 0 (their type error comes later).</summary>
    public static long CountPolygon(JsonElement coordinates)
    {
        if (coordinates.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }

        long n = 0;
        foreach (JsonElement ring in coordinates.EnumerateArray())
        {
            if (ring.ValueKind == JsonValueKind.Array)
            {
                n += ring.GetArrayLength();
            }
        }

        return n;
    }

    public static long CountMultiPolygon(JsonElement coordinates)
    {
        if (coordinates.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }

        long n = 0;
        foreach (JsonElement polygon in coordinates.EnumerateArray())
        {
            n += CountPolygon(polygon);
        }

        return n;
    }

    /// <summary>Reads a [lon, lat, ...] position (checked).</summary>
    public static bool TryReadPosition(JsonElement position, string field, ImportErrors errors, out double lonDeg, out double latDeg)
    {
        lonDeg = 0;
        latDeg = 0;
        if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2)
        {
            errors.Add(field, ImportRules.CoordinateInvalid, $"a position must be an array [lon, lat] of numbers, found {JsonInput.Describe(position.ValueKind)}");
            return false;
        }

        double? lon = JsonInput.ReadNumber(position[0], field, errors);
        if (lon is null)
        {
            return false;
        }

        double? lat = JsonInput.ReadNumber(position[1], field, errors);
        if (lat is null)
        {
            return false;
        }

        lonDeg = lon.Value;
        latDeg = lat.Value;
        return PolygonBuilder.CheckPosition(lonDeg, latDeg, field, errors);
    }

    /// <summary>Reads a GeoJSON Polygon coordinates array into a checked polygon; the vertex count must already be
    /// within the limit.</summary>
    public static Polygon? ReadPolygon(JsonElement coordinates, string field, ImportErrors errors)
    {
        if (coordinates.ValueKind != JsonValueKind.Array)
        {
            errors.Add(field, ImportRules.TypeMismatch, $"polygon coordinates must be an array of rings, found {JsonInput.Describe(coordinates.ValueKind)}");
            return null;
        }

        var rings = new List<Coordinate[]>(coordinates.GetArrayLength());
        int r = 0;
        foreach (JsonElement ring in coordinates.EnumerateArray())
        {
            string ringField = JsonInput.Index(field, r);
            if (ring.ValueKind != JsonValueKind.Array)
            {
                errors.Add(ringField, ImportRules.TypeMismatch, $"a ring must be an array of positions, found {JsonInput.Describe(ring.ValueKind)}");
                return null;
            }

            var coords = new Coordinate[ring.GetArrayLength()];
            int i = 0;
            foreach (JsonElement position in ring.EnumerateArray())
            {
                if (!TryReadPosition(position, ringField, errors, out double lon, out double lat))
                {
                    return null;
                }

                coords[i++] = new Coordinate(lon, lat);
            }

            if (!PolygonBuilder.CheckRing(coords, ringField, errors))
            {
                return null;
            }

            rings.Add(coords);
            r++;
        }

        return PolygonBuilder.Build(rings, field, errors);
    }
}
