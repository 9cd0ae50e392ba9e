using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Server.Problems;
using Yunlu.Storage;

namespace Yunlu.Server.Contracts;

/// <summary>Converts zones between the wire DTOs and the domain, checking every rule and naming the field that broke it.</summary>
public static class ZoneMapping
{
    /// <summary>Longest identifier accepted.</summary>
    public const int MaxIdentifierLength = 64;

    /// <summary>Longest name and message accepted.</summary>
    public const int MaxTextLength = 4000;

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>The DTO of a stored zone.</summary>
    public static StoredZoneDto ToDto(StoredZone stored) => new(ToDto(stored.Zone), stored.Version, stored.UpdatedAt, stored.UpdatedBy);

    /// <summary>The DTO of a zone.</summary>
    public static ZoneDto ToDto(Zone zone)
    {
        FootprintDto footprint = zone.Footprint switch
        {
            PolygonFootprint p => new FootprintDto(PolygonRings(p.Polygon), null),
            CircleFootprint c => new FootprintDto(null, new CircleDto([c.Center.LonDeg, c.Center.LatDeg], c.RadiusM)),
            _ => throw new InvalidOperationException("unknown footprint kind"),
        };

        return new ZoneDto(
            zone.Identifier,
            zone.Name,
            zone.Country,
            WireNames.ToWire(zone.Restriction),
            zone.Reasons.Select(r => WireNames.ToWire(r)).ToArray(),
            footprint,
            ToDto(zone.Lower),
            ToDto(zone.Upper),
            zone.Applicability.Select(ToDto).ToArray(),
            zone.Authority is null
                ? null
                : new AuthorityDto(zone.Authority.Name, zone.Authority.Service, zone.Authority.Email, zone.Authority.Phone, zone.Authority.SiteUrl, zone.Authority.Purpose),
            zone.Message);
    }

    /// <summary>The wire form of an altitude.</summary>
    public static AltitudeDto ToDto(Altitude a) => new(a.ValueM, WireNames.ToWire(a.Reference));

    /// <summary>The rings of a polygon as [lon, lat] arrays, shell first.</summary>
    public static IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>> PolygonRings(Polygon polygon)
    {
        var rings = new List<IReadOnlyList<IReadOnlyList<double>>>(1 + polygon.NumInteriorRings) { Ring(polygon.ExteriorRing) };
        for (var i = 0; i < polygon.NumInteriorRings; i++)
        {
            rings.Add(Ring(polygon.GetInteriorRingN(i)));
        }

        return rings;

        static IReadOnlyList<IReadOnlyList<double>> Ring(LineString ring)
        {
            var list = new List<IReadOnlyList<double>>(ring.NumPoints);
            foreach (var c in ring.Coordinates)
            {
                list.Add([c.X, c.Y]);
            }

            return list;
        }
    }

    private static ApplicabilityDto ToDto(ZoneApplicability a) =>
        new(a.Permanent, a.Start, a.End, a.Weekly.Select(w => new WeeklyPeriodDto(Days(w.Days), Time(w.StartTime), Time(w.EndTime))).ToArray());

    private static string Time(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string[] Days(WeekDays days)
    {
        if (days == WeekDays.Any)
        {
            return ["ANY"];
        }

        var list = new List<string>(7);
        foreach (var d in new[] { WeekDays.Mon, WeekDays.Tue, WeekDays.Wed, WeekDays.Thu, WeekDays.Fri, WeekDays.Sat, WeekDays.Sun })
        {
            if ((days & d) != 0)
            {
                list.Add(WireNames.ToWire(d));
            }
        }

        return [.. list];
    }

    /// <summary>True when <paramref name="identifier"/> is 1–64 of <c>A-Z a-z 0-9 . _ -</c>.</summary>
    public static bool IsValidIdentifier(string? identifier)
    {
        if (string.IsNullOrEmpty(identifier) || identifier.Length > MaxIdentifierLength)
        {
            return false;
        }

        foreach (var c in identifier)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Converts and checks a DTO. Returns null and fills <paramref name="violations"/> when any rule is broken.</summary>
    /// <param name="dto">The body.</param>
    /// <param name="routeIdentifier">The identifier from the route (wins; a different body identifier is an error).</param>
    /// <param name="maxVertices">Most vertices accepted in the footprint.</param>
    /// <param name="violations">Receives every broken rule.</param>
    public static Zone? ToDomain(ZoneDto? dto, string routeIdentifier, int maxVertices, Violations violations)
    {
        if (dto is null)
        {
            violations.Add("$", "field-missing", "the request body must be a zone object");
            return null;
        }

        if (!IsValidIdentifier(routeIdentifier))
        {
            violations.Add("identifier", "identifier-invalid", $"the identifier must be 1–{MaxIdentifierLength} characters of A-Z a-z 0-9 . _ -");
        }

        if (dto.Identifier is not null && !string.Equals(dto.Identifier, routeIdentifier, StringComparison.Ordinal))
        {
            violations.Add("identifier", "identifier-mismatch", $"the body's identifier '{dto.Identifier}' differs from the URL's '{routeIdentifier}'");
        }

        if (string.IsNullOrWhiteSpace(dto.Name))
        {
            violations.Add("name", "field-missing", "a zone needs a name");
        }
        else if (dto.Name.Length > MaxTextLength)
        {
            violations.Add("name", "too-long", $"at most {MaxTextLength} characters");
        }

        var country = dto.Country ?? "CHN";
        if (country.Length != 3 || !country.All(char.IsAsciiLetterUpper))
        {
            violations.Add("country", "country-invalid", "the country must be an ISO 3166-1 alpha-3 code in capitals, e.g. CHN");
        }

        var restriction = ZoneRestriction.Prohibited;
        if (dto.Restriction is null)
        {
            violations.Add("restriction", "field-missing", $"one of {WireNames.List<ZoneRestriction>()}");
        }
        else if (string.Equals(dto.Restriction, "REQ_AUTHORIZATION", StringComparison.OrdinalIgnoreCase))
        {
            restriction = ZoneRestriction.ReqAuthorisation;
        }
        else if (!WireNames.TryParse(dto.Restriction, out restriction))
        {
            violations.Add("restriction", "restriction-unknown", $"'{dto.Restriction}' is not one of {WireNames.List<ZoneRestriction>()}");
        }

        var reasons = new List<ZoneReason>();
        if (dto.Reasons is null || dto.Reasons.Count == 0)
        {
            violations.Add("reasons", "field-missing", "at least one reason");
        }
        else
        {
            for (var i = 0; i < dto.Reasons.Count; i++)
            {
                if (WireNames.TryParse<ZoneReason>(dto.Reasons[i], out var reason))
                {
                    reasons.Add(reason);
                }
                else
                {
                    violations.Add($"reasons[{i}]", "reason-unknown", $"'{dto.Reasons[i]}' is not one of {WireNames.List<ZoneReason>()}");
                }
            }
        }

        var footprint = ToFootprint(dto.Footprint, maxVertices, violations);
        var lower = ToAltitude(dto.Lower, "lower", violations);
        var upper = ToAltitude(dto.Upper, "upper", violations);
        if (lower is { } lo && upper is { } up && lo.Reference == up.Reference && up.ValueM <= lo.ValueM)
        {
            violations.Add("upper", "altitude-band-inverted", $"the ceiling ({up}) must be above the floor ({lo})");
        }

        var applicability = ToApplicability(dto.Applicability, violations);

        ZoneAuthority? authority = null;
        if (dto.Authority is not null)
        {
            if (string.IsNullOrWhiteSpace(dto.Authority.Name))
            {
                violations.Add("authority.name", "field-missing", "an authority needs a name");
            }
            else
            {
                authority = new ZoneAuthority(dto.Authority.Name, dto.Authority.Service, dto.Authority.Email, dto.Authority.Phone, dto.Authority.SiteUrl, dto.Authority.Purpose);
            }
        }

        if (dto.Message is { Length: > MaxTextLength })
        {
            violations.Add("message", "too-long", $"at most {MaxTextLength} characters");
        }

        if (!violations.IsEmpty || footprint is null || lower is null || upper is null || applicability is null)
        {
            return null;
        }

        var zone = new Zone(routeIdentifier, dto.Name!, country, restriction, reasons, footprint, lower.Value, upper.Value, applicability, authority, dto.Message);
        Airspace.ZoneRules.AddViolations(zone, violations);
        return violations.IsEmpty ? zone : null;
    }

    internal static Altitude? ToAltitude(AltitudeDto? dto, string field, Violations violations)
    {
        if (dto is null)
        {
            violations.Add(field, "field-missing", "an altitude {value, reference} is required");
            return null;
        }

        var ok = true;
        if (dto.Value is not { } value)
        {
            violations.Add($"{field}.value", "field-missing", "the altitude value in metres is required");
            ok = false;
            value = 0;
        }
        else if (!double.IsFinite(value))
        {
            violations.Add($"{field}.value", "not-finite", "the altitude must be a finite number");
            ok = false;
        }
        else if (Math.Abs(value) > 100_000)
        {
            violations.Add($"{field}.value", "altitude-range", "the altitude must be within ±100 000 m");
            ok = false;
        }

        if (!WireNames.TryParse<AltitudeReference>(dto.Reference, out var reference))
        {
            violations.Add($"{field}.reference", dto.Reference is null ? "altitude-reference-missing" : "altitude-reference-unknown", "the reference must be AGL, AMSL or W84");
            ok = false;
        }
        else if (reference == AltitudeReference.Agl && value < 0)
        {
            violations.Add($"{field}.value", "agl-negative", "a true height (AGL) cannot be below the ground");
            ok = false;
        }

        return ok ? new Altitude(value, reference) : null;
    }

    internal static Footprint? ToFootprint(FootprintDto? dto, int maxVertices, Violations violations)
    {
        if (dto is null || (dto.Polygon is null && dto.Circle is null))
        {
            violations.Add("footprint", "field-missing", "exactly one of footprint.polygon or footprint.circle is required");
            return null;
        }

        if (dto.Polygon is not null && dto.Circle is not null)
        {
            violations.Add("footprint", "one-of", "give either footprint.polygon or footprint.circle, not both");
            return null;
        }

        if (dto.Circle is { } circle)
        {
            var ok = TryPosition(circle.Center, "footprint.circle.center", violations, out var center);
            if (circle.RadiusM is not { } r || !double.IsFinite(r) || r <= 0)
            {
                violations.Add("footprint.circle.radiusM", "radius-non-positive", "the radius must be a finite number of metres above 0");
                ok = false;
            }
            else if (r > 1_000_000)
            {
                violations.Add("footprint.circle.radiusM", "radius-range", "the radius must be at most 1 000 km");
                ok = false;
            }

            return ok ? new CircleFootprint(center, circle.RadiusM!.Value) : null;
        }

        var rings = dto.Polygon!;
        if (rings.Count == 0)
        {
            violations.Add("footprint.polygon", "field-missing", "a polygon needs at least its outer ring");
            return null;
        }

        var total = 0;
        foreach (var ring in rings)
        {
            total += ring?.Count ?? 0;
        }

        if (total > maxVertices)
        {
            violations.Add("footprint.polygon", "vertex-limit", $"{total} vertices; at most {maxVertices.ToString(CultureInfo.InvariantCulture)} are accepted");
            return null;
        }

        var linearRings = new LinearRing[rings.Count];
        var valid = true;
        for (var r = 0; r < rings.Count; r++)
        {
            var field = $"footprint.polygon[{r}]";
            var ring = rings[r];
            if (ring is null)
            {
                violations.Add(field, "field-missing", "a ring must be a list of [lon, lat] positions");
                valid = false;
                continue;
            }

            var coords = new List<Coordinate>(ring.Count + 1);
            var ringOk = true;
            for (var i = 0; i < ring.Count; i++)
            {
                if (TryPosition(ring[i], $"{field}[{i}]", violations, out var p))
                {
                    coords.Add(new Coordinate(p.LonDeg, p.LatDeg));
                }
                else
                {
                    ringOk = false;
                }
            }

            if (!ringOk)
            {
                valid = false;
                continue;
            }

            if (coords.Count > 0 && !coords[0].Equals2D(coords[^1]))
            {
                coords.Add(coords[0].Copy());
            }

            if (coords.Count < 4)
            {
                violations.Add(field, "ring-too-short", "a ring needs at least 3 distinct positions");
                valid = false;
                continue;
            }

            linearRings[r] = Factory.CreateLinearRing([.. coords]);
        }

        if (!valid)
        {
            return null;
        }

        var polygon = Factory.CreatePolygon(linearRings[0], linearRings[1..]);
        var op = new IsValidOp(polygon);
        if (!op.IsValid)
        {
            var error = op.ValidationError;
            var rule = error.ErrorType switch
            {
                TopologyValidationErrors.SelfIntersection or TopologyValidationErrors.RingSelfIntersection => "self-intersection",
                TopologyValidationErrors.TooFewPoints => "ring-too-short",
                TopologyValidationErrors.HoleOutsideShell => "hole-outside-shell",
                TopologyValidationErrors.NestedHoles => "nested-holes",
                TopologyValidationErrors.DisconnectedInteriors => "disconnected-interior",
                _ => "polygon-invalid",
            };
            var at = error.Coordinate is { } c ? $" near ({WireNames.Num(c.X)}, {WireNames.Num(c.Y)})" : "";
            violations.Add("footprint.polygon", rule, $"{error.Message}{at}");
            return null;
        }

        if (polygon.Area <= 0)
        {
            violations.Add("footprint.polygon", "zero-area", "the polygon has no area");
            return null;
        }

        return new PolygonFootprint(polygon);
    }

    internal static bool TryPosition(IReadOnlyList<double>? position, string field, Violations violations, out GeoPoint point)
    {
        point = default;
        if (position is null || position.Count is < 2 or > 3)
        {
            violations.Add(field, "coordinate-invalid", "a position is [lon, lat] (optionally [lon, lat, alt])");
            return false;
        }

        var lon = position[0];
        var lat = position[1];
        var ok = true;
        if (!double.IsFinite(lon) || lon < -180 || lon > 180)
        {
            violations.Add(field, "lon-range", $"longitude {WireNames.Num(lon)} is outside [-180, 180]");
            ok = false;
        }

        if (!double.IsFinite(lat) || lat < -90 || lat > 90)
        {
            violations.Add(field, "lat-range", $"latitude {WireNames.Num(lat)} is outside [-90, 90]");
            ok = false;
        }

        point = new GeoPoint(lon, lat);
        return ok;
    }

    private static List<ZoneApplicability>? ToApplicability(IReadOnlyList<ApplicabilityDto>? list, Violations violations)
    {
        if (list is null || list.Count == 0)
        {
            return [ZoneApplicability.Always];
        }

        var result = new List<ZoneApplicability>(list.Count);
        var ok = true;
        for (var i = 0; i < list.Count; i++)
        {
            var a = list[i];
            var field = $"applicability[{i}]";
            if (a is null)
            {
                violations.Add(field, "field-missing", "an applicability entry is an object");
                ok = false;
                continue;
            }

            var permanent = a.Permanent ?? (a.Start is null && a.End is null);
            if (permanent && (a.Start is not null || a.End is not null))
            {
                violations.Add(field, "permanent-with-dates", "a permanent entry has no start or end");
                ok = false;
                continue;
            }

            if (a.Start is { } s && a.End is { } e && e <= s)
            {
                violations.Add($"{field}.end", "time-window-inverted", "the end must be after the start");
                ok = false;
                continue;
            }

            var weekly = new List<WeeklyPeriod>();
            for (var w = 0; w < (a.Weekly?.Count ?? 0); w++)
            {
                var period = a.Weekly![w];
                var wf = $"{field}.weekly[{w}]";
                var days = WeekDays.None;
                foreach (var d in period?.Days ?? [])
                {
                    if (string.Equals(d, "ANY", StringComparison.OrdinalIgnoreCase))
                    {
                        days = WeekDays.Any;
                    }
                    else if (WireNames.TryParse<WeekDays>(d, out var day) && day is not (WeekDays.None or WeekDays.Any))
                    {
                        days |= day;
                    }
                    else
                    {
                        violations.Add($"{wf}.days", "day-unknown", $"'{d}' is not one of MON … SUN, ANY");
                        ok = false;
                    }
                }

                if (days == WeekDays.None)
                {
                    violations.Add($"{wf}.days", "field-missing", "at least one day");
                    ok = false;
                }

                if (!TimeOnly.TryParseExact(period?.StartTime, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var st))
                {
                    violations.Add($"{wf}.startTime", "time-format", "a UTC time of day HH:mm");
                    ok = false;
                }

                if (!TimeOnly.TryParseExact(period?.EndTime, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var et))
                {
                    violations.Add($"{wf}.endTime", "time-format", "a UTC time of day HH:mm");
                    ok = false;
                }

                weekly.Add(new WeeklyPeriod(days, st, et));
            }

            result.Add(new ZoneApplicability(permanent, a.Start, a.End, weekly));
        }

        return ok ? result : null;
    }
}
