using System.Text.Json;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Sites;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Server.Contracts;
using Yunlu.Storage;
using Yunlu.Terrain;

namespace Yunlu.Server.Api;

/// <summary>Writes map layers as GeoJSON FeatureCollections (RFC 7946: lon/lat degrees, right-hand rule not enforced).
/// Circles become 64-gons on the sphere (WGS84 mean radius), because map clients draw polygons.</summary>
public static class GeoJsonLayers
{
    /// <summary>Vertices of the polygon that stands for a circle.</summary>
    public const int CircleSegments = 64;

    private const double MeanEarthRadiusM = 6_371_008.8;

    /// <summary>Zones as features with identifier, name, restriction, reasons, lower/upper and version.</summary>
    public static byte[] Zones(IReadOnlyList<StoredZone> zones)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "FeatureCollection");
            w.WriteStartArray("features");
            foreach (var stored in zones)
            {
                var z = stored.Zone;
                w.WriteStartObject();
                w.WriteString("type", "Feature");
                w.WriteString("id", z.Identifier);
                w.WritePropertyName("geometry");
                switch (z.Footprint)
                {
                    case PolygonFootprint p:
                        WritePolygon(w, p.Polygon);
                        break;
                    case CircleFootprint c:
                        WriteCircle(w, c.Center, c.RadiusM);
                        break;
                }

                w.WriteStartObject("properties");
                w.WriteString("identifier", z.Identifier);
                w.WriteString("name", z.Name);
                w.WriteString("country", z.Country);
                w.WriteString("restriction", WireNames.ToWire(z.Restriction));
                w.WriteStartArray("reasons");
                foreach (var r in z.Reasons)
                {
                    w.WriteStringValue(WireNames.ToWire(r));
                }

                w.WriteEndArray();
                WriteAltitude(w, "lower", z.Lower);
                WriteAltitude(w, "upper", z.Upper);
                if (z.Footprint is CircleFootprint circle)
                {
                    w.WriteStartObject("circle");
                    w.WriteStartArray("center");
                    w.WriteNumberValue(circle.Center.LonDeg);
                    w.WriteNumberValue(circle.Center.LatDeg);
                    w.WriteEndArray();
                    w.WriteNumber("radiusM", circle.RadiusM);
                    w.WriteEndObject();
                }

                if (z.Message is not null)
                {
                    w.WriteString("message", z.Message);
                }

                w.WriteNumber("version", stored.Version);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Obstacles as features with id, kind, name and heightM (above ground).</summary>
    public static byte[] Obstacles(IReadOnlyList<Obstacle> obstacles)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "FeatureCollection");
            w.WriteStartArray("features");
            foreach (var o in obstacles)
            {
                w.WriteStartObject();
                w.WriteString("type", "Feature");
                w.WriteString("id", o.Id);
                w.WritePropertyName("geometry");
                WritePolygon(w, o.Footprint);
                w.WriteStartObject("properties");
                w.WriteString("id", o.Id);
                w.WriteString("kind", o.Kind);
                if (o.Name is not null)
                {
                    w.WriteString("name", o.Name);
                }

                w.WriteNumber("heightM", o.HeightM);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Sites as point features with id, name, kind and description.</summary>
    public static byte[] Sites(IReadOnlyList<Site> sites)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "FeatureCollection");
            w.WriteStartArray("features");
            foreach (var s in sites)
            {
                w.WriteStartObject();
                w.WriteString("type", "Feature");
                w.WriteString("id", s.Id);
                w.WriteStartObject("geometry");
                w.WriteString("type", "Point");
                w.WriteStartArray("coordinates");
                w.WriteNumberValue(s.Position.LonDeg);
                w.WriteNumberValue(s.Position.LatDeg);
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteStartObject("properties");
                w.WriteString("id", s.Id);
                w.WriteString("name", s.Name);
                w.WriteString("kind", WireNames.ToWire(s.Kind));
                if (s.Description is not null)
                {
                    w.WriteString("description", s.Description);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteAltitude(Utf8JsonWriter w, string name, Altitude a)
    {
        w.WriteStartObject(name);
        w.WriteNumber("value", a.ValueM);
        w.WriteString("reference", WireNames.ToWire(a.Reference));
        w.WriteEndObject();
    }

    private static void WritePolygon(Utf8JsonWriter w, Polygon polygon)
    {
        w.WriteStartObject();
        w.WriteString("type", "Polygon");
        w.WriteStartArray("coordinates");
        WriteRing(w, polygon.ExteriorRing);
        for (var i = 0; i < polygon.NumInteriorRings; i++)
        {
            WriteRing(w, polygon.GetInteriorRingN(i));
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRing(Utf8JsonWriter w, LineString ring)
    {
        w.WriteStartArray();
        var seq = ring.CoordinateSequence;
        for (var i = 0; i < seq.Count; i++)
        {
            w.WriteStartArray();
            w.WriteNumberValue(seq.GetX(i));
            w.WriteNumberValue(seq.GetY(i));
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    private static double NormalizeLonDeg(double lonDeg)
    {
        var l = lonDeg % 360;
        return l > 180 ? l - 360 : l < -180 ? l + 360 : l;
    }

    private static void WriteCircle(Utf8JsonWriter w, GeoPoint center, double radiusM)
    {
        w.WriteStartObject();
        w.WriteString("type", "Polygon");
        w.WriteStartArray("coordinates");
        w.WriteStartArray();
        var lat1 = center.LatDeg * Math.PI / 180;
        var lon1 = center.LonDeg * Math.PI / 180;
        var d = radiusM / MeanEarthRadiusM;
        for (var i = 0; i <= CircleSegments; i++)
        {
            // Counter-clockwise (RFC 7946 exterior rings): bearings from north going west.
            var bearing = -2 * Math.PI * (i % CircleSegments) / CircleSegments;
            var lat2 = Math.Asin((Math.Sin(lat1) * Math.Cos(d)) + (Math.Cos(lat1) * Math.Sin(d) * Math.Cos(bearing)));
            var lon2 = lon1 + Math.Atan2(Math.Sin(bearing) * Math.Sin(d) * Math.Cos(lat1), Math.Cos(d) - (Math.Sin(lat1) * Math.Sin(lat2)));
            w.WriteStartArray();
            w.WriteNumberValue(NormalizeLonDeg(lon2 * 180 / Math.PI));
            w.WriteNumberValue(lat2 * 180 / Math.PI);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
