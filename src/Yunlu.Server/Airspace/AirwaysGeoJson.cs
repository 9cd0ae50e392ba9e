using System.Globalization;
using System.Text.Json;
using Yunlu.Airspace.Corridors;
using Yunlu.Airspace.Validation;
using Yunlu.Geo;
using Yunlu.Server.Contracts;

namespace Yunlu.Server.Airspace;

/// <summary>
/// Reads an airway network from GeoJSON (the demo's <c>data/demo/corridors.geojson</c>): a FeatureCollection whose Point
/// features are nodes (<c>properties: {"type":"airway-node","id","name","kind":"VERTIPORT"|"JUNCTION"}</c>) and whose
/// LineString features are corridors (<c>properties: {"type":"corridor","id","name","from","to","widthM",
/// "floor":{"value","reference"},"ceiling":{…},"direction":"ONE_WAY"|"TWO_WAY","minSpeedMps","maxSpeedMps",
/// "capacityPerHour"}</c>), coordinates [lon, lat]. The network is then validated as a whole with
/// <see cref="AirwayGraph.Validate"/>.
/// </summary>
public static class AirwaysGeoJson
{
    /// <summary>Parses and validates; errors name the feature and the field.</summary>
    /// <param name="utf8">The file.</param>
    /// <param name="nodes">The nodes read.</param>
    /// <param name="corridors">The corridors read.</param>
    /// <returns>Every error (empty when the network is valid).</returns>
    public static IReadOnlyList<ValidationError> Read(ReadOnlySpan<byte> utf8, out List<AirwayNode> nodes, out List<Corridor> corridors)
    {
        nodes = [];
        corridors = [];
        var errors = new List<ValidationError>();
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 32 });
            doc = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            errors.Add(new ValidationError("$", ValidationRules.Syntax, ex.Message));
            return errors;
        }

        using (doc)
        {
            if (!doc.RootElement.TryGetProperty("features", out JsonElement features) || features.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new ValidationError("$.features", ValidationRules.Required, "a FeatureCollection with a features array is required"));
                return errors;
            }

            int i = 0;
            foreach (JsonElement f in features.EnumerateArray())
            {
                string at = $"$.features[{i++}]";
                if (!f.TryGetProperty("properties", out JsonElement p) || p.ValueKind != JsonValueKind.Object ||
                    !f.TryGetProperty("geometry", out JsonElement g) || !g.TryGetProperty("coordinates", out JsonElement coords))
                {
                    errors.Add(new ValidationError(at, ValidationRules.Required, "a feature needs properties and a geometry"));
                    continue;
                }

                string type = Text(p, "type") ?? "";
                try
                {
                    if (string.Equals(type, "airway-node", StringComparison.Ordinal))
                    {
                        _ = WireNames.TryParse(Text(p, "kind"), out AirwayNodeKind kind);
                        nodes.Add(new AirwayNode(Text(p, "id") ?? "", Text(p, "name") ?? "", kind, Point(coords)));
                    }
                    else if (string.Equals(type, "corridor", StringComparison.Ordinal))
                    {
                        var line = coords.EnumerateArray().Select(Point).ToList();
                        _ = WireNames.TryParse(Text(p, "direction") ?? "TWO_WAY", out CorridorDirection direction);
                        corridors.Add(new Corridor(
                            Text(p, "id") ?? "", Text(p, "name") ?? "", Text(p, "from") ?? "", Text(p, "to") ?? "", line,
                            p.GetProperty("widthM").GetDouble(), Alt(p.GetProperty("floor")), Alt(p.GetProperty("ceiling")), direction,
                            new SpeedBand(p.GetProperty("minSpeedMps").GetDouble(), p.GetProperty("maxSpeedMps").GetDouble()),
                            p.GetProperty("capacityPerHour").GetInt32()));
                    }
                    else
                    {
                        errors.Add(new ValidationError(at + ".properties.type", ValidationRules.UnknownValue, $"'{type}' is not airway-node or corridor"));
                    }
                }
                catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
                {
                    errors.Add(new ValidationError(at, ValidationRules.Syntax, ex.Message));
                }
            }
        }

        if (errors.Count == 0)
        {
            errors.AddRange(AirwayGraph.Validate(nodes, corridors));
        }

        return errors;

        static string? Text(JsonElement o, string name) => o.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        static GeoPoint Point(JsonElement c) => new(c[0].GetDouble(), c[1].GetDouble());

        static Altitude Alt(JsonElement a)
        {
            if (!WireNames.TryParse(a.GetProperty("reference").GetString(), out AltitudeReference r))
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"altitude reference '{a.GetProperty("reference").GetString()}' is not AGL, AMSL or W84"));
            }

            return new Altitude(a.GetProperty("value").GetDouble(), r);
        }
    }
}
