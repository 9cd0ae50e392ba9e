using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using Yunlu.Formats.Internal;
using Yunlu.Geo;
using Yunlu.Supervision.Checks;

namespace Yunlu.Formats.Telemetry;

/// <summary>
/// The replay's intents file: a JSON array (or an object with an <c>intents</c> array) of
/// <c>{"id", "aircraft", "state": "Accepted|Activated|Nonconforming|Contingent", "volumes": [Volume4D…]}</c> where each
/// Volume4D has the ASTM F3548 shape: <c>{"volume": {"outline_polygon": {"vertices": [{"lat", "lng"}…]} |
/// "outline_circle": {"center": {"lat", "lng"}, "radius": {"value", "units": "M"}}, "altitude_lower": {"value",
/// "reference": "W84|AMSL|AGL", "units": "M|FT"}, "altitude_upper": {…}}, "time_start": {"value": RFC 3339} | "…",
/// "time_end": …}</c>.
/// </summary>
public static class IntentFiles
{
    private const double FeetToMetres = 0.3048;

    /// <summary>Reads and validates an intents file; every problem is a <see cref="FeatureError"/> (index = intent).</summary>
    /// <param name="stream">The JSON.</param>
    /// <param name="limits">Limits; default when null.</param>
    /// <returns>The intents that passed and every error.</returns>
    /// <exception cref="InvalidFileException">The JSON is malformed or has no intents array.</exception>
    public static ImportResult<SupervisedIntent> Read(Stream stream, ImportLimits? limits = null)
    {
        limits ??= ImportLimits.Default;
        byte[] bytes = BoundedInput.ReadAll(stream, limits.MaxBytes, "the intents file");
        using JsonDocument doc = JsonInput.Parse(bytes);
        JsonElement root = doc.RootElement;
        JsonElement list = root.ValueKind == JsonValueKind.Array ? root
            : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("intents", out JsonElement l) && l.ValueKind == JsonValueKind.Array ? l
            : throw new InvalidFileException(ImportRules.StructureInvalid, "an intents file is a JSON array of intents or an object with an 'intents' array");
        var items = new List<SupervisedIntent>();
        var errors = new List<FeatureError>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        int index = 0;
        foreach (JsonElement e in list.EnumerateArray())
        {
            if (errors.Count >= limits.MaxErrors)
            {
                break;
            }

            var ctx = new Ctx(index, errors);
            SupervisedIntent? intent = ReadIntent(e, ctx);
            if (intent is not null && !ids.Add(intent.Id))
            {
                ctx.Error("id", TelemetryRules.DuplicateId, $"intent id '{intent.Id}' appears twice");
                intent = null;
            }

            if (intent is not null && !ctx.Failed)
            {
                items.Add(intent);
            }

            index++;
        }

        return new ImportResult<SupervisedIntent>(items, errors);
    }

    private static SupervisedIntent? ReadIntent(JsonElement e, Ctx ctx)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            ctx.Error("", TelemetryRules.IntentInvalid, "an intent must be a JSON object");
            return null;
        }

        string? id = Str(e, "id", ctx);
        ctx.Id = id;
        string? aircraft = Str(e, "aircraft", ctx);
        string? stateText = Str(e, "state", ctx);
        SupervisedIntentState state = SupervisedIntentState.Activated;
        if (stateText is not null && !Enum.TryParse(stateText, ignoreCase: false, out state))
        {
            ctx.Error("state", TelemetryRules.IntentInvalid, $"state '{stateText}' must be Accepted, Activated, Nonconforming or Contingent");
        }

        var volumes = new List<Volume4D>();
        if (!e.TryGetProperty("volumes", out JsonElement vs) || vs.ValueKind != JsonValueKind.Array || vs.GetArrayLength() == 0)
        {
            ctx.Error("volumes", TelemetryRules.IntentInvalid, "'volumes' must be a non-empty array of Volume4D");
        }
        else
        {
            int i = 0;
            foreach (JsonElement v in vs.EnumerateArray())
            {
                Volume4D? vol = ReadVolume4D(v, string.Create(CultureInfo.InvariantCulture, $"volumes[{i}]"), ctx);
                if (vol is not null)
                {
                    volumes.Add(vol);
                }

                i++;
            }
        }

        return ctx.Failed || id is null || aircraft is null ? null : new SupervisedIntent(id, aircraft, state, volumes);
    }

    private static Volume4D? ReadVolume4D(JsonElement v, string path, Ctx ctx)
    {
        if (v.ValueKind != JsonValueKind.Object || !v.TryGetProperty("volume", out JsonElement vol) || vol.ValueKind != JsonValueKind.Object)
        {
            ctx.Error(path + ".volume", TelemetryRules.VolumeInvalid, "a Volume4D needs a 'volume' object");
            return null;
        }

        DateTimeOffset? start = Time(v, "time_start", path, ctx);
        DateTimeOffset? end = Time(v, "time_end", path, ctx);
        Footprint? fp = ReadFootprint(vol, path + ".volume", ctx);
        Altitude? lower = Alt(vol, "altitude_lower", path + ".volume", ctx);
        Altitude? upper = Alt(vol, "altitude_upper", path + ".volume", ctx);
        if (start is null || end is null || fp is null || lower is null || upper is null)
        {
            return null;
        }

        if (end <= start)
        {
            ctx.Error(path + ".time_end", TelemetryRules.VolumeInvalid, "time_end must be after time_start");
            return null;
        }

        try
        {
            return new Volume4D(new Volume3D(fp, lower.Value, upper.Value), new TimeWindow(start.Value, end.Value));
        }
        catch (ArgumentException ex)
        {
            ctx.Error(path + ".volume", TelemetryRules.VolumeInvalid, ex.Message);
            return null;
        }
    }

    private static Footprint? ReadFootprint(JsonElement vol, string path, Ctx ctx)
    {
        bool hasPoly = vol.TryGetProperty("outline_polygon", out JsonElement poly) && poly.ValueKind == JsonValueKind.Object;
        bool hasCircle = vol.TryGetProperty("outline_circle", out JsonElement circle) && circle.ValueKind == JsonValueKind.Object;
        if (hasPoly == hasCircle)
        {
            ctx.Error(path, TelemetryRules.VolumeInvalid, "exactly one of outline_polygon and outline_circle is required");
            return null;
        }

        if (hasCircle)
        {
            GeoPoint? c = circle.TryGetProperty("center", out JsonElement ce) ? LatLng(ce, path + ".outline_circle.center", ctx) : null;
            if (c is null)
            {
                ctx.Error(path + ".outline_circle.center", TelemetryRules.VolumeInvalid, "a circle needs a center {lat, lng}");
                return null;
            }

            if (!circle.TryGetProperty("radius", out JsonElement r) || r.ValueKind != JsonValueKind.Object ||
                !r.TryGetProperty("value", out JsonElement rv) || rv.ValueKind != JsonValueKind.Number || !(rv.GetDouble() > 0))
            {
                ctx.Error(path + ".outline_circle.radius", TelemetryRules.VolumeInvalid, "a circle needs radius {value > 0, units M}");
                return null;
            }

            double scale = Units(r, path + ".outline_circle.radius", ctx);
            return new CircleFootprint(c.Value, rv.GetDouble() * scale);
        }

        if (!poly.TryGetProperty("vertices", out JsonElement vertices) || vertices.ValueKind != JsonValueKind.Array || vertices.GetArrayLength() < 3)
        {
            ctx.Error(path + ".outline_polygon.vertices", TelemetryRules.VolumeInvalid, "a polygon needs at least 3 vertices {lat, lng}");
            return null;
        }

        var coords = new List<Coordinate>();
        int i = 0;
        foreach (JsonElement p in vertices.EnumerateArray())
        {
            GeoPoint? g = LatLng(p, string.Create(CultureInfo.InvariantCulture, $"{path}.outline_polygon.vertices[{i}]"), ctx);
            if (g is null)
            {
                return null;
            }

            coords.Add(new Coordinate(g.Value.LonDeg, g.Value.LatDeg));
            i++;
        }

        if (!coords[0].Equals2D(coords[^1]))
        {
            coords.Add(coords[0].Copy());
        }

        if (coords.Count < 4)
        {
            ctx.Error(path + ".outline_polygon.vertices", TelemetryRules.VolumeInvalid, "a polygon needs at least 3 distinct vertices");
            return null;
        }

        return new PolygonFootprint(FootprintGeometry.Factory.CreatePolygon([.. coords]));
    }

    private static GeoPoint? LatLng(JsonElement p, string path, Ctx ctx)
    {
        if (p.ValueKind != JsonValueKind.Object ||
            !p.TryGetProperty("lat", out JsonElement la) || la.ValueKind != JsonValueKind.Number ||
            !p.TryGetProperty("lng", out JsonElement lo) || lo.ValueKind != JsonValueKind.Number)
        {
            ctx.Error(path, TelemetryRules.VolumeInvalid, "a point is {\"lat\": number, \"lng\": number}");
            return null;
        }

        var g = new GeoPoint(lo.GetDouble(), la.GetDouble());
        if (!g.IsValid)
        {
            ctx.Error(path, g.LatDeg is < -90 or > 90 ? TelemetryRules.LatRange : TelemetryRules.LonRange, $"point {g} is out of range");
            return null;
        }

        return g;
    }

    private static Altitude? Alt(JsonElement vol, string name, string path, Ctx ctx)
    {
        if (!vol.TryGetProperty(name, out JsonElement a) || a.ValueKind != JsonValueKind.Object ||
            !a.TryGetProperty("value", out JsonElement v) || v.ValueKind != JsonValueKind.Number)
        {
            ctx.Error(path + "." + name, TelemetryRules.VolumeInvalid, $"'{name}' must be {{value, reference, units}}");
            return null;
        }

        string? r = a.TryGetProperty("reference", out JsonElement re) && re.ValueKind == JsonValueKind.String ? re.GetString() : null;
        AltitudeReference? reference = r switch
        {
            "W84" or "WGS84" => AltitudeReference.W84,
            "AMSL" => AltitudeReference.Amsl,
            "AGL" => AltitudeReference.Agl,
            _ => null,
        };
        if (reference is null)
        {
            ctx.Error(path + "." + name + ".reference", TelemetryRules.AltitudeReferenceUnknown, $"reference '{r}' must be W84, AMSL or AGL");
            return null;
        }

        return new Altitude(v.GetDouble() * Units(a, path + "." + name, ctx), reference.Value);
    }

    private static double Units(JsonElement obj, string path, Ctx ctx)
    {
        if (!obj.TryGetProperty("units", out JsonElement u) || u.ValueKind == JsonValueKind.Null)
        {
            return 1;
        }

        string? s = u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        switch (s)
        {
            case "M":
                return 1;
            case "FT":
                return FeetToMetres;
            default:
                ctx.Error(path + ".units", TelemetryRules.VolumeInvalid, $"units '{s}' must be M or FT");
                return double.NaN;
        }
    }

    private static DateTimeOffset? Time(JsonElement v, string name, string path, Ctx ctx)
    {
        JsonElement t = default;
        bool ok = v.TryGetProperty(name, out JsonElement raw);
        if (ok && raw.ValueKind == JsonValueKind.Object)
        {
            ok = raw.TryGetProperty("value", out t);
        }
        else
        {
            t = raw;
        }

        if (ok && t.ValueKind == JsonValueKind.String && TimeText.TryParse(t.GetString(), out DateTimeOffset time))
        {
            return time;
        }

        ctx.Error(path + "." + name, TelemetryRules.TimeInvalid, $"'{name}' must be an RFC 3339 time ending in Z (or {{\"value\": …}})");
        return null;
    }

    private static string? Str(JsonElement e, string name, Ctx ctx)
    {
        if (e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s)
        {
            return s;
        }

        ctx.Error(name, TelemetryRules.FieldMissing, $"'{name}' must be a non-empty string");
        return null;
    }

    private sealed class Ctx(int index, List<FeatureError> errors)
    {
        public string? Id { get; set; }

        public bool Failed { get; private set; }

        public void Error(string field, string rule, string message)
        {
            Failed = true;
            errors.Add(new FeatureError(index, Id, field, rule, message));
        }
    }
}
