using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;

namespace Yunlu.Storage.Serialization;

/// <summary>
/// The JSON form of a <see cref="Zone"/> as stored (camelCase, enums as strings, footprint as GeoJSON-style
/// coordinates: a polygon as <c>{"type":"Polygon","coordinates":[[[lon,lat],…]]}</c>, a circle as
/// <c>{"type":"Circle","center":[lon,lat],"radiusM":r}</c>, an altitude as <c>{"valueM":v,"reference":"Agl"}</c>).
/// Doubles are written in their shortest round-trip form, so a stored zone reads back bit-identical.
/// </summary>
internal static class ZoneJson
{
    /// <summary>SRID of every geometry Yunlu stores: WGS84 lon/lat degrees.</summary>
    public const int Srid = 4326;

    public static readonly GeometryFactory Factory = new(new PrecisionModel(), Srid);

    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = false,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        options.Converters.Add(new AltitudeJsonConverter());
        options.Converters.Add(new FootprintJsonConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string Serialize(Zone zone) => JsonSerializer.Serialize(zone, Options);

    public static Zone Deserialize(string json) =>
        JsonSerializer.Deserialize<Zone>(json, Options)
        ?? throw new JsonException("stored zone JSON is null");

    /// <summary>Writes a polygon's rings as GeoJSON coordinates (<c>[[[lon,lat],…],…]</c>), shell first.</summary>
    public static void WritePolygonCoordinates(Utf8JsonWriter writer, Polygon polygon)
    {
        writer.WriteStartArray();
        WriteRing(writer, polygon.Shell);
        for (var i = 0; i < polygon.NumInteriorRings; i++)
        {
            WriteRing(writer, polygon.GetInteriorRingN(i));
        }

        writer.WriteEndArray();
    }

    private static void WriteRing(Utf8JsonWriter writer, LineString ring)
    {
        writer.WriteStartArray();
        var seq = ring.CoordinateSequence;
        for (var i = 0; i < seq.Count; i++)
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(seq.GetX(i));
            writer.WriteNumberValue(seq.GetY(i));
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    /// <summary>Reads GeoJSON polygon coordinates (<c>[[[lon,lat],…],…]</c>) into an SRID-4326 polygon.</summary>
    public static Polygon ReadPolygonCoordinates(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "polygon coordinates");
        var rings = new List<LinearRing>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException("a polygon ring must be an array of positions");
            }

            var coords = new List<Coordinate>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                coords.Add(ReadPosition(ref reader));
            }

            rings.Add(Factory.CreateLinearRing(coords.ToArray()));
        }

        if (rings.Count == 0)
        {
            throw new JsonException("a polygon needs at least its shell ring");
        }

        return Factory.CreatePolygon(rings[0], rings.Count > 1 ? rings.GetRange(1, rings.Count - 1).ToArray() : null);
    }

    public static Coordinate ReadPosition(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "position");
        reader.Read();
        var lon = reader.GetDouble();
        reader.Read();
        var lat = reader.GetDouble();
        // A third (height) ordinate is tolerated and ignored: footprints are horizontal.
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
        }

        return new Coordinate(lon, lat);
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException(string.Create(CultureInfo.InvariantCulture, $"{what}: expected {type}, found {reader.TokenType}"));
        }
    }
}

/// <summary><c>{"valueM":120,"reference":"Agl"}</c>.</summary>
internal sealed class AltitudeJsonConverter : JsonConverter<Altitude>
{
    public override Altitude Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("an altitude must be an object {valueM, reference}");
        }

        double? value = null;
        AltitudeReference? reference = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (string.Equals(name, "valueM", StringComparison.Ordinal))
            {
                value = reader.GetDouble();
            }
            else if (string.Equals(name, "reference", StringComparison.Ordinal))
            {
                reference = Enum.Parse<AltitudeReference>(reader.GetString() ?? string.Empty, ignoreCase: false);
            }
            else
            {
                reader.Skip();
            }
        }

        if (value is null || reference is null)
        {
            throw new JsonException("an altitude needs both valueM and reference");
        }

        return new Altitude(value.Value, reference.Value);
    }

    public override void Write(Utf8JsonWriter writer, Altitude value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("valueM", value.ValueM);
        writer.WriteString("reference", value.Reference.ToString());
        writer.WriteEndObject();
    }
}

/// <summary>Polygon as GeoJSON geometry; circle as <c>{"type":"Circle","center":[lon,lat],"radiusM":r}</c>.</summary>
internal sealed class FootprintJsonConverter : JsonConverter<Footprint>
{
    public override bool CanConvert(Type typeToConvert) => typeof(Footprint).IsAssignableFrom(typeToConvert);

    public override Footprint Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a footprint must be an object");
        }

        string? type = null;
        Polygon? polygon = null;
        Coordinate? center = null;
        double? radius = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "type":
                    type = reader.GetString();
                    break;
                case "coordinates":
                    polygon = ZoneJson.ReadPolygonCoordinates(ref reader);
                    break;
                case "center":
                    center = ZoneJson.ReadPosition(ref reader);
                    break;
                case "radiusM":
                    radius = reader.GetDouble();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return type switch
        {
            "Polygon" when polygon is not null => new PolygonFootprint(polygon),
            "Circle" when center is not null && radius is not null =>
                new CircleFootprint(new GeoPoint(center.X, center.Y), radius.Value),
            _ => throw new JsonException($"footprint: unsupported or incomplete type '{type}'"),
        };
    }

    public override void Write(Utf8JsonWriter writer, Footprint value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        switch (value)
        {
            case PolygonFootprint p:
                writer.WriteString("type", "Polygon");
                writer.WritePropertyName("coordinates");
                ZoneJson.WritePolygonCoordinates(writer, p.Polygon);
                break;
            case CircleFootprint c:
                writer.WriteString("type", "Circle");
                writer.WritePropertyName("center");
                writer.WriteStartArray();
                writer.WriteNumberValue(c.Center.LonDeg);
                writer.WriteNumberValue(c.Center.LatDeg);
                writer.WriteEndArray();
                writer.WriteNumber("radiusM", c.RadiusM);
                break;
            default:
                throw new JsonException($"footprint type {value.GetType().Name} is not supported");
        }

        writer.WriteEndObject();
    }
}
