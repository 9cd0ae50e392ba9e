using System.Globalization;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Checks;
using Yunlu.Airspace.Corridors;
using Yunlu.Airspace.Grid;
using Yunlu.Airspace.Rules;
using Yunlu.Geo;
using Yunlu.Geo.Grid;
using Yunlu.Server.Contracts;
using Yunlu.Server.Problems;
using Yunlu.Storage;
using Yunlu.Storage.Airspace;

namespace Yunlu.Server.Airspace;

/// <summary>Converts the airspace DTOs to and from the domain, naming the field and the rule of every problem.</summary>
public static class AirspaceMapping
{
    /// <summary>Most vertices of a polygon, centre-line or route accepted.</summary>
    public const int MaxVertices = 10_000;

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>The wire name of a verdict: <c>green</c>, <c>needs_authorisation</c>, <c>prohibited</c>.</summary>
    public static string VerdictName(Verdict v) => v switch
    {
        Verdict.Green => "green",
        Verdict.NeedsAuthorisation => "needs_authorisation",
        _ => "prohibited",
    };

    /// <summary>The wire name of a cell status: <c>open</c>, <c>restricted</c>, <c>closed</c>.</summary>
    public static string StatusName(GridCellStatus s) => s switch
    {
        GridCellStatus.Open => "open",
        GridCellStatus.Restricted => "restricted",
        _ => "closed",
    };

    /// <summary>Parses a cell status (case-insensitive).</summary>
    public static bool TryParseStatus(string? text, out GridCellStatus status) =>
        WireNames.TryParse(text, out status);

    /// <summary>The DTO of a grid cell.</summary>
    public static GridCellDto ToDto(BeiDouGridCell c) => new(
        c.Level, c.Code, c.WestLonDeg, c.SouthLatDeg, c.EastLonDeg, c.NorthLatDeg,
        c.HasHeight ? c.LowerHeightW84M : null, c.HasHeight ? c.UpperHeightW84M : null, c.Center.LonDeg, c.Center.LatDeg);

    /// <summary>The DTO of a stored override.</summary>
    public static GridOverrideDto ToDto(StoredGridOverride o) => new(o.Code, o.Level, o.Status, o.CapacityPerHour, o.Note, o.UpdatedAt, o.UpdatedBy);

    /// <summary>The domain override of a stored one.</summary>
    public static GridCellOverride ToDomain(StoredGridOverride o) => GridCellOverride.ForCode(
        o.Code, o.Status is { } s && TryParseStatus(s, out GridCellStatus st) ? st : null, o.CapacityPerHour, o.UpdatedBy, o.Note);

    /// <summary>The DTO of an airway node.</summary>
    public static AirwayNodeDto ToDto(AirwayNode n) => new(n.Id, n.Name, WireNames.ToWire(n.Kind), n.Position.LonDeg, n.Position.LatDeg);

    /// <summary>The DTO of a corridor.</summary>
    public static CorridorDto ToDto(Corridor c) => new(
        c.Id, c.Name, c.FromNodeId, c.ToNodeId, c.CentreLine.Select(p => (IReadOnlyList<double>)[p.LonDeg, p.LatDeg]).ToArray(), c.WidthM,
        ZoneMapping.ToDto(c.Floor), ZoneMapping.ToDto(c.Ceiling), WireNames.ToWire(c.Direction), c.Speed.MinMps, c.Speed.MaxMps, c.CapacityPerHour);

    /// <summary>The DTO of a stored corridor.</summary>
    public static StoredCorridorDto ToDto(StoredCorridor s) => new(ToDto(s.Corridor), s.Version, s.UpdatedAt, s.UpdatedBy);

    /// <summary>Converts a node DTO (the route's id wins).</summary>
    public static AirwayNode? ToDomain(AirwayNodeDto? dto, string id, Violations violations)
    {
        if (dto is null)
        {
            violations.Add("$", "field-missing", "the body must be an airway node object");
            return null;
        }

        if (!ZoneMapping.IsValidIdentifier(id))
        {
            violations.Add("id", "identifier-invalid", "the id must be 1–64 characters of A-Z a-z 0-9 . _ -");
        }

        if (dto.Id is not null && !string.Equals(dto.Id, id, StringComparison.Ordinal))
        {
            violations.Add("id", "identifier-mismatch", $"the body's id '{dto.Id}' differs from the URL's '{id}'");
        }

        if (string.IsNullOrWhiteSpace(dto.Name))
        {
            violations.Add("name", "field-missing", "a node needs a name");
        }

        AirwayNodeKind kind = AirwayNodeKind.Vertiport;
        if (dto.Kind is not null && !WireNames.TryParse(dto.Kind, out kind))
        {
            violations.Add("kind", "kind-unknown", $"'{dto.Kind}' is not one of {WireNames.List<AirwayNodeKind>()}");
        }

        bool ok = ZoneMapping.TryPosition(dto.LonDeg is { } lon && dto.LatDeg is { } lat ? [lon, lat] : null, "lonDeg", violations, out GeoPoint p);
        return ok && violations.IsEmpty ? new AirwayNode(id, dto.Name!, kind, p) : null;
    }

    /// <summary>Converts a corridor DTO (the route's id wins). Graph rules (known nodes, ends near them) are checked by
    /// the caller with <see cref="AirwayGraph.Validate"/>.</summary>
    public static Corridor? ToDomain(CorridorDto? dto, string id, Violations violations)
    {
        if (dto is null)
        {
            violations.Add("$", "field-missing", "the body must be a corridor object");
            return null;
        }

        if (!ZoneMapping.IsValidIdentifier(id))
        {
            violations.Add("id", "identifier-invalid", "the id must be 1–64 characters of A-Z a-z 0-9 . _ -");
        }

        if (dto.Id is not null && !string.Equals(dto.Id, id, StringComparison.Ordinal))
        {
            violations.Add("id", "identifier-mismatch", $"the body's id '{dto.Id}' differs from the URL's '{id}'");
        }

        if (string.IsNullOrWhiteSpace(dto.Name))
        {
            violations.Add("name", "field-missing", "a corridor needs a name");
        }

        if (string.IsNullOrWhiteSpace(dto.FromNodeId))
        {
            violations.Add("fromNodeId", "field-missing", "the start node is required");
        }

        if (string.IsNullOrWhiteSpace(dto.ToNodeId))
        {
            violations.Add("toNodeId", "field-missing", "the end node is required");
        }

        List<GeoPoint>? line = ToLine(dto.CentreLine, "centreLine", 2, violations);
        if (dto.WidthM is not { } width || !double.IsFinite(width) || width <= 0)
        {
            violations.Add("widthM", "width-not-positive", "the width must be a finite number of metres above 0");
            width = 0;
        }

        Altitude? floor = ZoneMapping.ToAltitude(dto.Floor, "floor", violations);
        Altitude? ceiling = ZoneMapping.ToAltitude(dto.Ceiling, "ceiling", violations);
        if (floor is { } f && ceiling is { } c && f.Reference == c.Reference && c.ValueM <= f.ValueM)
        {
            violations.Add("ceiling", "ceiling-below-floor", $"the ceiling ({c}) must be above the floor ({f})");
        }

        CorridorDirection direction = CorridorDirection.TwoWay;
        if (dto.Direction is not null && !WireNames.TryParse(dto.Direction, out direction))
        {
            violations.Add("direction", "direction-unknown", $"'{dto.Direction}' is not one of {WireNames.List<CorridorDirection>()}");
        }

        double min = dto.MinSpeedMps ?? 0, max = dto.MaxSpeedMps ?? 30;
        if (!double.IsFinite(min) || !double.IsFinite(max) || min < 0 || max < min)
        {
            violations.Add("maxSpeedMps", "speed-band-invalid", "the speed band needs 0 ≤ minSpeedMps ≤ maxSpeedMps");
        }

        int capacity = dto.CapacityPerHour ?? 30;
        if (capacity < 0)
        {
            violations.Add("capacityPerHour", "capacity-negative", "the capacity must be ≥ 0 flights per hour");
        }

        if (!violations.IsEmpty || line is null || floor is null || ceiling is null)
        {
            return null;
        }

        return new Corridor(id, dto.Name!, dto.FromNodeId!, dto.ToNodeId!, line, width, floor.Value, ceiling.Value, direction, new SpeedBand(min, max), capacity);
    }

    /// <summary>Reads a list of [lon, lat] positions.</summary>
    public static List<GeoPoint>? ToLine(IReadOnlyList<IReadOnlyList<double>>? positions, string field, int minCount, Violations violations)
    {
        if (positions is null || positions.Count < minCount || positions.Count > MaxVertices)
        {
            violations.Add(field, "vertex-count", $"{field} needs {minCount}–{MaxVertices} [lon, lat] positions");
            return null;
        }

        var list = new List<GeoPoint>(positions.Count);
        bool ok = true;
        for (int i = 0; i < positions.Count; i++)
        {
            ok &= ZoneMapping.TryPosition(positions[i], $"{field}[{i}]", violations, out GeoPoint p);
            list.Add(p);
        }

        return ok ? list : null;
    }

    /// <summary>Reads a footprint, prefixing the fields reported with <paramref name="prefix"/>.</summary>
    public static Footprint? ToFootprint(FootprintDto? dto, string prefix, Violations violations)
    {
        var inner = new Violations();
        Footprint? f = ZoneMapping.ToFootprint(dto, MaxVertices, inner);
        Merge(inner, prefix, violations);
        return f;
    }

    /// <summary>Reads an altitude, with the field <paramref name="field"/>.</summary>
    public static Altitude? ToAltitude(AltitudeDto? dto, string field, Violations violations) => ZoneMapping.ToAltitude(dto, field, violations);

    /// <summary>Reads a volume (footprint + band in one reference).</summary>
    public static Volume3D? ToVolume(VolumeDto? dto, string field, Violations violations)
    {
        if (dto is null)
        {
            violations.Add(field, "field-missing", "a volume {footprint, lower, upper} is required");
            return null;
        }

        Footprint? footprint = ToFootprint(dto.Footprint, field + ".", violations);
        Altitude? lower = ToAltitude(dto.Lower, field + ".lower", violations);
        Altitude? upper = ToAltitude(dto.Upper, field + ".upper", violations);
        if (lower is { } lo && upper is { } up)
        {
            if (lo.Reference != up.Reference)
            {
                violations.Add(field + ".upper.reference", "reference-mismatch", "lower and upper must use the same reference");
                return null;
            }

            if (up.ValueM <= lo.ValueM)
            {
                violations.Add(field + ".upper", "ceiling-below-floor", $"the upper altitude ({up}) must be above the lower ({lo})");
                return null;
            }
        }

        if (footprint is null || lower is null || upper is null)
        {
            return null;
        }

        try
        {
            return new Volume3D(footprint, lower.Value, upper.Value);
        }
        catch (ArgumentException ex)
        {
            violations.Add(field, "volume-invalid", ex.Message);
            return null;
        }
    }

    /// <summary>Reads an aircraft.</summary>
    public static Aircraft? ToAircraft(AircraftDto? dto, string field, Violations violations)
    {
        if (dto is null)
        {
            violations.Add(field, "field-missing", "an aircraft {class} or {emptyMassKg, maxTakeOffMassKg, maxSpeedKmh} is required");
            return null;
        }

        AircraftClass? declared = null;
        if (dto.Class is not null)
        {
            if (WireNames.TryParse(dto.Class, out AircraftClass c))
            {
                declared = c;
            }
            else
            {
                violations.Add(field + ".class", "class-unknown", $"'{dto.Class}' is not one of micro, light, small, medium, large");
                return null;
            }
        }

        bool ok = Positive(dto.EmptyMassKg, field + ".emptyMassKg", violations) & Positive(dto.MaxTakeOffMassKg, field + ".maxTakeOffMassKg", violations) &
                  Positive(dto.MaxSpeedKmh, field + ".maxSpeedKmh", violations) & Positive(dto.WindLimitMps, field + ".windLimitMps", violations);
        if (declared is null && dto.EmptyMassKg is null && dto.MaxTakeOffMassKg is null)
        {
            violations.Add(field, "field-missing", "give the class or at least one mass");
            return null;
        }

        return ok ? new Aircraft(dto.EmptyMassKg, dto.MaxTakeOffMassKg, dto.MaxSpeedKmh, declared, dto.WindLimitMps) : null;

        static bool Positive(double? v, string f, Violations violations)
        {
            if (v is { } x && (!double.IsFinite(x) || x <= 0))
            {
                violations.Add(f, "not-positive", "must be a finite number above 0");
                return false;
            }

            return true;
        }
    }

    /// <summary>Converts a check request; null with violations when any rule is broken.</summary>
    public static CheckRequest? ToDomain(CheckRequestDto? dto, DateTimeOffset now, Violations violations)
    {
        if (dto is null)
        {
            violations.Add("$", "field-missing", "the body must be a check request object");
            return null;
        }

        int shapes = (dto.Point is null ? 0 : 1) + (dto.Route is null ? 0 : 1) + (dto.Area is null ? 0 : 1) + (dto.Volume is null ? 0 : 1);
        if (shapes != 1)
        {
            violations.Add("$", "one-of", "give exactly one of point, route, area or volume");
            return null;
        }

        CheckGeometry? geometry = null;
        if (dto.Point is { } pt)
        {
            geometry = ToRoutePoint(pt, "point", violations) is { } rp ? new PointCheck(rp.Point, rp.Altitude) : null;
        }
        else if (dto.Route is { } route)
        {
            if (route.Count < 2 || route.Count > MaxVertices)
            {
                violations.Add("route", "vertex-count", $"a route needs 2–{MaxVertices} points");
            }
            else
            {
                var pts = new List<RoutePoint>(route.Count);
                for (int i = 0; i < route.Count; i++)
                {
                    if (ToRoutePoint(route[i], $"route[{i}]", violations) is { } rp)
                    {
                        if (pts.Count > 0 && rp.Altitude.Reference != pts[0].Altitude.Reference)
                        {
                            violations.Add($"route[{i}].altitude.reference", "reference-mismatch", "every route point uses the reference of the first");
                        }

                        pts.Add(rp);
                    }
                }

                geometry = violations.IsEmpty ? new RouteCheck(pts) : null;
            }
        }
        else if (dto.Area is { } area)
        {
            List<GeoPoint>? ring = ToLine(area.Polygon, "area.polygon", 3, violations);
            Altitude? lower = ToAltitude(area.Lower, "area.lower", violations);
            Altitude? upper = ToAltitude(area.Upper, "area.upper", violations);
            if (ring is not null && lower is { } lo && upper is { } up)
            {
                if (lo.Reference != up.Reference || up.ValueM <= lo.ValueM)
                {
                    violations.Add("area.upper", "ceiling-below-floor", "upper must be above lower, in the same reference");
                }
                else if (ToPolygon(ring, "area.polygon", violations) is { } poly)
                {
                    geometry = new AreaCheck(poly, lo, up);
                }
            }
        }
        else if (ToVolume(dto.Volume, "volume", violations) is { } volume)
        {
            geometry = new VolumeCheck(volume);
        }

        if (dto.TimeStart is not { } start)
        {
            violations.Add("timeStart", "field-missing", "the start of the time window (RFC 3339) is required");
            start = default;
        }

        if (dto.TimeEnd is not { } end)
        {
            violations.Add("timeEnd", "field-missing", "the end of the time window (RFC 3339) is required");
            end = default;
        }
        else if (dto.TimeStart is not null && end <= start)
        {
            violations.Add("timeEnd", "time-window-inverted", "the end must be after the start");
        }

        Aircraft? aircraft = ToAircraft(dto.Aircraft, "aircraft", violations);
        if (!violations.IsEmpty || geometry is null || aircraft is null)
        {
            return null;
        }

        return new CheckRequest(geometry, new TimeWindow(start, end), aircraft, now);
    }

    /// <summary>Builds a valid polygon from a ring (closed or not).</summary>
    public static Polygon? ToPolygon(IReadOnlyList<GeoPoint> ring, string field, Violations violations)
    {
        var coords = new List<Coordinate>(ring.Count + 1);
        foreach (GeoPoint p in ring)
        {
            coords.Add(new Coordinate(p.LonDeg, p.LatDeg));
        }

        if (!coords[0].Equals2D(coords[^1]))
        {
            coords.Add(coords[0].Copy());
        }

        if (coords.Count < 4)
        {
            violations.Add(field, "ring-too-short", "a polygon needs at least three distinct vertices");
            return null;
        }

        Polygon poly = Factory.CreatePolygon([.. coords]);
        if (!poly.IsValid || poly.Area <= 0)
        {
            violations.Add(field, "polygon-invalid", "the polygon must be simple (no self-intersection) and have an area");
            return null;
        }

        return poly;
    }

    /// <summary>The DTO of a check result.</summary>
    public static CheckResultDto ToDto(CheckResult r) => new(
        VerdictName(r.Verdict),
        r.Reasons.Select(x => new CheckReasonDto(x.Kind.ToString().ToLowerInvariant(), VerdictName(x.Verdict), x.Code, x.Message, x.SubjectId)).ToArray(),
        r.Zones.Select(z => new ZoneCrossingDto(
            z.ZoneId, z.Name, WireNames.ToWire(z.Restriction), z.Reasons.Select(x => WireNames.ToWire(x)).ToArray(),
            ZoneMapping.ToDto(z.Floor), ZoneMapping.ToDto(z.Ceiling),
            z.FloorInCallerReference is { } f ? ZoneMapping.ToDto(f) : null,
            z.CeilingInCallerReference is { } c ? ZoneMapping.ToDto(c) : null,
            [z.FirstContact.LonDeg, z.FirstContact.LatDeg],
            z.ActiveDuring.Select(w => new TimeWindowDto(w.Start, w.End)).ToArray(),
            VerdictName(z.Verdict), z.Message, z.Authority?.Name)).ToArray(),
        r.Corridors.Select(c => new CorridorCrossingDto(
            c.CorridorId, c.Name, ZoneMapping.ToDto(c.Floor), ZoneMapping.ToDto(c.Ceiling),
            c.FloorInCallerReference is { } f ? ZoneMapping.ToDto(f) : null,
            c.CeilingInCallerReference is { } ce ? ZoneMapping.ToDto(ce) : null,
            WireNames.ToWire(c.Direction), c.Speed.MinMps, c.Speed.MaxMps, c.CapacityPerHour, [c.FirstContact.LonDeg, c.FirstContact.LatDeg])).ToArray(),
        r.Grid is { } g
            ? new GridSummaryDto(g.Level, g.CellsMet, g.MinCapacityPerHour, g.NotOpen.Select(x => new GridCellFindingDto(x.Code, StatusName(x.Status), x.CapacityPerHour)).ToArray(), g.NotOpenCount)
            : null,
        ToDto(r.Rules),
        r.Wind is { } w ? new WindSummaryDto(w.MaxSpeedMps, w.MaxGustMps, w.LimitMps, [w.WorstAt.LonDeg, w.WorstAt.LatDeg], w.WorstWind.FromDeg) : null,
        r.Terrain is { } t ? new TerrainSummaryDto(t.MinClearanceM, [t.At.LonDeg, t.At.LatDeg], t.MaxTrueHeightM) : null);

    /// <summary>The DTO of rule findings.</summary>
    public static RuleFindingsDto ToDto(RuleFindings f) => new(
        f.Classification.Class.ToString().ToLowerInvariant(), f.Classification.Label, f.PilotLicenceRequired, f.InOpenAirspace, f.OpenAirspaceMaxTrueHeightM,
        f.NeedsApplication, f.ApplicationDeadline, f.DecisionExpectedBy, f.TakeoffConfirmationBy, f.DeadlinePassed, VerdictName(f.Verdict), f.Findings);

    /// <summary>The DTO of a rule set.</summary>
    public static RuleSetDto ToDto(RuleSet rules) => new(
        rules.Id,
        rules.Title,
        Offset(rules.LocalUtcOffset),
        rules.ControlledAboveTrueHeightM,
        rules.Classes.Select(c => new ClassRuleDto(c.Class.ToString().ToLowerInvariant(), c.Label, c.EmptyMassKgLessThan, c.EmptyMassKgAtMost, c.MtomKgAtMost,
            c.MaxSpeedKmhAtMost, c.OpenAirspaceMaxTrueHeightM, c.PilotLicenceRequired, c.AlwaysNeedsApproval)).ToArray(),
        new ApplicationRuleDto(rules.Application.DaysBefore, Time(rules.Application.DeadlineLocalTime),
            rules.Application.DecisionLocalTime is { } d ? Time(d) : null, rules.Application.TakeoffConfirmationMinutesBefore),
        rules.ZoneRestrictionVerdicts.OrderBy(kv => kv.Key).ToDictionary(kv => WireNames.ToWire(kv.Key), kv => VerdictName(kv.Value), StringComparer.Ordinal),
        new CheckPolicyDto(rules.Checks.DefaultWindLimitMps, VerdictName(rules.Checks.WindAboveLimit), rules.Checks.MinTerrainClearanceM,
            VerdictName(rules.Checks.ClearanceBelowMinimum), VerdictName(rules.Checks.BelowSurface), VerdictName(rules.Checks.GridClosed),
            VerdictName(rules.Checks.GridRestricted), VerdictName(rules.Checks.TrueHeightUnknown)));

    private static RoutePoint? ToRoutePoint(CheckPointDto? dto, string field, Violations violations)
    {
        if (dto is null)
        {
            violations.Add(field, "field-missing", "a point {lon, lat, altitude} is required");
            return null;
        }

        bool ok = ZoneMapping.TryPosition(dto.Lon is { } lon && dto.Lat is { } lat ? [lon, lat] : null, field, violations, out GeoPoint p);
        Altitude? alt = ToAltitude(dto.Altitude, field + ".altitude", violations);
        return ok && alt is { } a ? new RoutePoint(p, a) : null;
    }

    private static void Merge(Violations inner, string prefix, Violations into)
    {
        foreach (Violation v in inner.Items)
        {
            into.Add(prefix.Length == 0 ? v.Field : prefix + v.Field, v.Rule, v.Message);
        }
    }

    private static string Time(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string Offset(TimeSpan o) =>
        (o < TimeSpan.Zero ? "-" : "+") + o.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}
