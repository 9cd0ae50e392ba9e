using System.Text.Json;
using System.Text.Json.Serialization;
using Yunlu.Airspace.Corridors;
using Yunlu.Geo;

namespace Yunlu.Storage.Airspace;

/// <summary>The stored JSON form of a <see cref="Corridor"/>: camelCase, centre-line as <c>[[lon, lat], …]</c>,
/// altitudes as <c>{"valueM":v,"reference":"Agl"}</c>, enums as names. Doubles round-trip exactly.</summary>
internal static class AirwayJson
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static string Serialize(Corridor c) => JsonSerializer.Serialize(
        new CorridorRow(
            c.Id,
            c.Name,
            c.FromNodeId,
            c.ToNodeId,
            c.CentreLine.Select(p => new[] { p.LonDeg, p.LatDeg }).ToArray(),
            c.WidthM,
            new AltitudeRow(c.Floor.ValueM, c.Floor.Reference),
            new AltitudeRow(c.Ceiling.ValueM, c.Ceiling.Reference),
            c.Direction,
            c.Speed.MinMps,
            c.Speed.MaxMps,
            c.CapacityPerHour),
        Options);

    public static Corridor Deserialize(string json)
    {
        CorridorRow r = JsonSerializer.Deserialize<CorridorRow>(json, Options) ?? throw new JsonException("stored corridor JSON is null");
        return new Corridor(
            r.Id,
            r.Name,
            r.FromNodeId,
            r.ToNodeId,
            r.CentreLine.Select(p => new GeoPoint(p[0], p[1])).ToArray(),
            r.WidthM,
            new Altitude(r.Floor.ValueM, r.Floor.Reference),
            new Altitude(r.Ceiling.ValueM, r.Ceiling.Reference),
            r.Direction,
            new SpeedBand(r.MinSpeedMps, r.MaxSpeedMps),
            r.CapacityPerHour);
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.Strict };
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed record AltitudeRow(double ValueM, AltitudeReference Reference);

    private sealed record CorridorRow(
        string Id,
        string Name,
        string FromNodeId,
        string ToNodeId,
        double[][] CentreLine,
        double WidthM,
        AltitudeRow Floor,
        AltitudeRow Ceiling,
        CorridorDirection Direction,
        double MinSpeedMps,
        double MaxSpeedMps,
        int CapacityPerHour);
}
