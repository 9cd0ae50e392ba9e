using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Rules;
using Yunlu.Airspace.Validation;
using Yunlu.Geo;

namespace Yunlu.Airspace.Checks;

/// <summary>
/// Reads a "can I fly here?" request from JSON (the body of <c>POST /api/v1/airspace/check</c> and the file of
/// <c>yunlu check</c>), reporting every problem with its JSON path and rule.
/// </summary>
/// <remarks>
/// <code>
/// {
///   "point":  { "lon": 106.8, "lat": 26.54, "altitude": { "value": 40, "reference": "AGL" } },   // exactly one of
///   "route":  [ { "lon": …, "lat": …, "altitude": { "value": …, "reference": "AMSL" } }, … ],    // point, route,
///   "area":   { "polygon": [[lon, lat], …], "lower": {…}, "upper": {…} },                           // area
///   "timeStart": "2025-06-10T09:00:00+08:00", "timeEnd": "2025-06-10T10:00:00+08:00",
///   "aircraft": { "class": "micro" }   or   { "emptyMassKg": 0.2, "maxTakeOffMassKg": 0.24, "maxSpeedKmh": 36, "windLimitMps": 8 }
/// }
/// </code>
/// References: AGL, AMSL, W84 (case-insensitive). The polygon ring may be given closed or open.
/// </remarks>
public static class CheckRequestJson
{
    /// <summary>Most route points or polygon vertices accepted.</summary>
    public const int MaxPoints = FootprintGeometry.MaxPolygonVertices;

    /// <summary>Parses a request.</summary>
    /// <param name="root">The JSON object.</param>
    /// <param name="request">The request, or null when there are errors.</param>
    /// <returns>Every error found (empty on success).</returns>
    public static IReadOnlyList<ValidationError> Parse(JsonElement root, out CheckRequest? request)
    {
        request = null;
        var errors = new List<ValidationError>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ValidationError("$", ValidationRules.Syntax, "the request must be a JSON object"));
            return errors;
        }

        int shapes = (root.TryGetProperty("point", out _) ? 1 : 0) + (root.TryGetProperty("route", out _) ? 1 : 0) + (root.TryGetProperty("area", out _) ? 1 : 0);
        if (shapes != 1)
        {
            errors.Add(new ValidationError("$", ValidationRules.Required, "give exactly one of 'point', 'route' or 'area'"));
        }

        CheckGeometry? geometry = null;
        if (root.TryGetProperty("point", out JsonElement pe))
        {
            RoutePoint? p = ReadRoutePoint(pe, "$.point", errors);
            geometry = p is { } rp ? new PointCheck(rp.Point, rp.Altitude) : null;
        }
        else if (root.TryGetProperty("route", out JsonElement re))
        {
            if (re.ValueKind != JsonValueKind.Array || re.GetArrayLength() < 2 || re.GetArrayLength() > MaxPoints)
            {
                errors.Add(new ValidationError("$.route", ValidationRules.OutOfRange, $"'route' must be an array of 2–{MaxPoints} points"));
            }
            else
            {
                var pts = new List<RoutePoint>();
                int i = 0;
                foreach (JsonElement e in re.EnumerateArray())
                {
                    if (ReadRoutePoint(e, $"$.route[{i}]", errors) is { } rp)
                    {
                        if (pts.Count > 0 && rp.Altitude.Reference != pts[0].Altitude.Reference)
                        {
                            errors.Add(new ValidationError($"$.route[{i}].altitude.reference", ValidationRules.UnknownReference, "every route point must use the reference of the first point"));
                        }

                        pts.Add(rp);
                    }

                    i++;
                }

                geometry = new RouteCheck(pts);
            }
        }
        else if (root.TryGetProperty("area", out JsonElement ae))
        {
            geometry = ReadArea(ae, errors);
        }

        DateTimeOffset? start = ReadTime(root, "timeStart", errors), end = ReadTime(root, "timeEnd", errors);
        if (start is { } s && end is { } en && en <= s)
        {
            errors.Add(new ValidationError("$.timeEnd", ValidationRules.OutOfRange, "timeEnd must be after timeStart"));
        }

        Aircraft? aircraft = ReadAircraft(root, errors);
        if (errors.Count == 0 && geometry is not null && aircraft is not null)
        {
            request = new CheckRequest(geometry, new TimeWindow(start!.Value, end!.Value), aircraft);
        }

        return errors;
    }

    private static CheckGeometry? ReadArea(JsonElement ae, List<ValidationError> errors)
    {
        if (ae.ValueKind != JsonValueKind.Object || !ae.TryGetProperty("polygon", out JsonElement poly) || poly.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new ValidationError("$.area.polygon", ValidationRules.Required, "'area.polygon' must be an array of [lon, lat] pairs"));
            return null;
        }

        var coords = new List<Coordinate>();
        int i = 0;
        foreach (JsonElement c in poly.EnumerateArray())
        {
            if (c.ValueKind != JsonValueKind.Array || c.GetArrayLength() < 2 || c[0].ValueKind != JsonValueKind.Number || c[1].ValueKind != JsonValueKind.Number)
            {
                errors.Add(new ValidationError($"$.area.polygon[{i}]", ValidationRules.Syntax, "each vertex must be [lon, lat]"));
            }
            else
            {
                coords.Add(new Coordinate(c[0].GetDouble(), c[1].GetDouble()));
            }

            i++;
        }

        if (coords.Count > 0 && !coords[0].Equals2D(coords[^1]))
        {
            coords.Add(coords[0].Copy());
        }

        if (coords.Count < 4 || coords.Count > MaxPoints + 1)
        {
            errors.Add(new ValidationError("$.area.polygon", ValidationRules.OutOfRange, $"a polygon needs 3–{MaxPoints} distinct vertices"));
            return null;
        }

        Altitude? lower = ReadAltitude(ae, "lower", "$.area", errors), upper = ReadAltitude(ae, "upper", "$.area", errors);
        Polygon polygon = FootprintGeometry.Factory.CreatePolygon([.. coords]);
        foreach (string m in new PolygonFootprint(polygon).Validate())
        {
            errors.Add(new ValidationError("$.area.polygon", ValidationRules.FootprintInvalid, m));
        }

        if (lower is { } lo && upper is { } up)
        {
            if (lo.Reference != up.Reference)
            {
                errors.Add(new ValidationError("$.area.upper.reference", ValidationRules.UnknownReference, "lower and upper must use the same reference"));
            }
            else if (!(up.ValueM > lo.ValueM))
            {
                errors.Add(new ValidationError("$.area.upper", ValidationRules.CeilingBelowFloor, $"upper {up} must be above lower {lo}"));
            }

            return new AreaCheck(polygon, lo, up);
        }

        return null;
    }

    private static RoutePoint? ReadRoutePoint(JsonElement e, string path, List<ValidationError> errors)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ValidationError(path, ValidationRules.Syntax, "expected an object with lon, lat and altitude"));
            return null;
        }

        double? lon = Num(e, "lon", path, errors), lat = Num(e, "lat", path, errors);
        Altitude? alt = ReadAltitude(e, "altitude", path, errors);
        if (lon is null || lat is null || alt is null)
        {
            return null;
        }

        var p = new GeoPoint(lon.Value, lat.Value);
        if (!p.IsValid)
        {
            errors.Add(new ValidationError(path, ValidationRules.PositionInvalid, $"{p}: lon must be in [-180, 180] and lat in [-90, 90]"));
            return null;
        }

        return new RoutePoint(p, alt.Value);
    }

    private static Altitude? ReadAltitude(JsonElement obj, string name, string prefix, List<ValidationError> errors)
    {
        string path = prefix + "." + name;
        if (!obj.TryGetProperty(name, out JsonElement a) || a.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ValidationError(path, ValidationRules.Required, $"'{name}' must be an object {{\"value\": metres, \"reference\": \"AGL\"|\"AMSL\"|\"W84\"}}"));
            return null;
        }

        double? v = Num(a, "value", path, errors);
        AltitudeReference? r = null;
        if (!a.TryGetProperty("reference", out JsonElement re) || re.ValueKind != JsonValueKind.String)
        {
            errors.Add(new ValidationError(path + ".reference", ValidationRules.Required, "the altitude reference is required (AGL, AMSL or W84)"));
        }
        else
        {
            r = re.GetString()!.ToUpperInvariant() switch
            {
                "AGL" => AltitudeReference.Agl,
                "AMSL" => AltitudeReference.Amsl,
                "W84" or "WGS84" => AltitudeReference.W84,
                _ => null,
            };
            if (r is null)
            {
                errors.Add(new ValidationError(path + ".reference", ValidationRules.UnknownReference, $"'{re.GetString()}' is not AGL, AMSL or W84"));
            }
        }

        if (v is { } val && (val < -1000 || val > 100_000))
        {
            errors.Add(new ValidationError(path + ".value", ValidationRules.OutOfRange, "altitude must be between -1000 m and 100000 m"));
            return null;
        }

        return v is not null && r is not null ? new Altitude(v.Value, r.Value) : null;
    }

    private static Aircraft? ReadAircraft(JsonElement root, List<ValidationError> errors)
    {
        if (!root.TryGetProperty("aircraft", out JsonElement a) || a.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ValidationError("$.aircraft", ValidationRules.Required, "'aircraft' is required: {\"class\": \"micro\"} or masses"));
            return null;
        }

        double? wind = Opt(a, "windLimitMps", "$.aircraft", errors, 0.1, 100);
        if (a.TryGetProperty("class", out JsonElement c))
        {
            if (c.ValueKind == JsonValueKind.String && RuleSetReader.TryParseClass(c.GetString()!, out AircraftClass ac))
            {
                return Aircraft.OfClass(ac, wind);
            }

            errors.Add(new ValidationError("$.aircraft.class", ValidationRules.UnknownValue, "class must be micro, light, small, medium or large"));
            return null;
        }

        double? empty = Opt(a, "emptyMassKg", "$.aircraft", errors, 0, 100_000);
        double? mtom = Opt(a, "maxTakeOffMassKg", "$.aircraft", errors, 0, 100_000);
        double? speed = Opt(a, "maxSpeedKmh", "$.aircraft", errors, 0, 2_000);
        if (empty is null && mtom is null)
        {
            errors.Add(new ValidationError("$.aircraft", ValidationRules.Required, "give 'class' or at least 'emptyMassKg' or 'maxTakeOffMassKg'"));
            return null;
        }

        if (empty is { } e && mtom is { } m && m < e)
        {
            errors.Add(new ValidationError("$.aircraft.maxTakeOffMassKg", ValidationRules.OutOfRange, "the maximum take-off mass cannot be below the empty mass"));
            return null;
        }

        return new Aircraft(empty, mtom, speed, null, wind);
    }

    private static DateTimeOffset? ReadTime(JsonElement root, string name, List<ValidationError> errors)
    {
        if (!root.TryGetProperty(name, out JsonElement t) || t.ValueKind != JsonValueKind.String)
        {
            errors.Add(new ValidationError("$." + name, ValidationRules.Required, $"'{name}' (ISO 8601 with offset) is required"));
            return null;
        }

        string s = t.GetString()!;
        bool offset = s.EndsWith('Z') || s.EndsWith('z') || (s.Length > 6 && (s[^6] == '+' || s[^6] == '-'));
        if (!offset || !DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset v))
        {
            errors.Add(new ValidationError("$." + name, ValidationRules.Syntax, $"'{s}' is not an ISO 8601 time with an offset, e.g. 2025-06-10T09:00:00+08:00"));
            return null;
        }

        return v;
    }

    private static double? Num(JsonElement obj, string name, string prefix, List<ValidationError> errors)
    {
        if (!obj.TryGetProperty(name, out JsonElement v) || v.ValueKind != JsonValueKind.Number || !double.IsFinite(v.GetDouble()))
        {
            errors.Add(new ValidationError(prefix + "." + name, ValidationRules.Required, $"'{name}' must be a finite number"));
            return null;
        }

        return v.GetDouble();
    }

    private static double? Opt(JsonElement obj, string name, string prefix, List<ValidationError> errors, double min, double max)
    {
        if (!obj.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Number || !double.IsFinite(v.GetDouble()) || v.GetDouble() < min || v.GetDouble() > max)
        {
            errors.Add(new ValidationError(prefix + "." + name, ValidationRules.OutOfRange, $"'{name}' must be a number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]"));
            return null;
        }

        return v.GetDouble();
    }
}
