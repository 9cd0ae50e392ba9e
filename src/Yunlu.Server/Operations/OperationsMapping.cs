using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Operations;
using Yunlu.Geo;
using Yunlu.Server.Contracts;
using Yunlu.Server.Problems;
using Conflict = Yunlu.Airspace.Operations.Conflict;

namespace Yunlu.Server.Operations;

/// <summary>Wire ↔ domain for the operations API, and the problem answers for booking outcomes.</summary>
public static class OperationsMapping
{
    /// <summary>409: the OVN named is not the current one.</summary>
    public const string OvnStaleType = "https://yunlu.dev/problems/ovn-stale";

    /// <summary>409: the state does not allow the change.</summary>
    public const string InvalidTransitionType = "https://yunlu.dev/problems/invalid-transition";

    /// <summary>409: an intent with this id exists already.</summary>
    public const string DuplicateType = "https://yunlu.dev/problems/duplicate";

    /// <summary>The domain volumes of <paramref name="dtos"/>, or null with violations (field + rule) added.</summary>
    public static IReadOnlyList<Volume4D>? ToVolumes(IReadOnlyList<VolumeDto>? dtos, Violations violations)
    {
        if (dtos is null || dtos.Count == 0)
        {
            violations.Add("volumes", IntentRules.Required, "an intent needs at least one volume");
            return null;
        }

        var errors = new List<IntentError>();
        var volumes = new List<Volume4D>(dtos.Count);
        long vertices = 0;
        for (int i = 0; i < dtos.Count; i++)
        {
            string field = $"volumes[{i}]";
            VolumeDto? d = dtos[i];
            if (d is null)
            {
                violations.Add(field, IntentRules.Required, "volume is missing");
                continue;
            }

            Footprint? footprint = ToFootprint(d.Footprint, field + ".footprint", violations, ref vertices);
            if (d.LowerW84M is null)
            {
                violations.Add(field + ".lowerW84M", IntentRules.Required, "floor (metres above the WGS84 ellipsoid) is required");
            }

            if (d.UpperW84M is null)
            {
                violations.Add(field + ".upperW84M", IntentRules.Required, "ceiling (metres above the WGS84 ellipsoid) is required");
            }

            if (d.Start is null)
            {
                violations.Add(field + ".start", IntentRules.Required, "start is required");
            }

            if (d.End is null)
            {
                violations.Add(field + ".end", IntentRules.Required, "end is required");
            }

            if (footprint is null || d.LowerW84M is null || d.UpperW84M is null || d.Start is null || d.End is null)
            {
                continue;
            }

            if (IntentValidator.TryCreateVolume(footprint, d.LowerW84M.Value, d.UpperW84M.Value, d.Start.Value, d.End.Value, field, errors) is { } v)
            {
                volumes.Add(v);
            }
        }

        if (vertices > FootprintGeometry.MaxPolygonVertices)
        {
            violations.Add("volumes", IntentRules.TooManyVertices, $"the volumes have {vertices} polygon vertices in total, at most {FootprintGeometry.MaxPolygonVertices} are allowed");
        }

        foreach (IntentError e in errors)
        {
            violations.Add(Rename(e.Field), e.Rule, e.Message);
        }

        return violations.IsEmpty ? volumes : null;
    }

    /// <summary>Adds intent errors as violations (field names as on the wire).</summary>
    public static void Add(Violations violations, IEnumerable<IntentError> errors)
    {
        foreach (IntentError e in errors)
        {
            violations.Add(Rename(e.Field), e.Rule, e.Message);
        }
    }

    /// <summary>The wire form of an intent.</summary>
    public static IntentDto ToDto(OperationalIntent i)
    {
        var volumes = new VolumeDto[i.Volumes.Count];
        for (int k = 0; k < volumes.Length; k++)
        {
            volumes[k] = ToDto(i.Volumes[k]);
        }

        return new IntentDto(i.Id, WireNames.ToWire(i.State), i.Ovn, i.Version, WireNames.ToWire(i.Priority), i.OwnerId, i.OperatorId, i.AircraftId, i.PilotId,
            volumes, i.RouteRef, i.ZoneAuthorisations, i.Reasons, i.UpdatedAt);
    }

    /// <summary>The wire form of a volume.</summary>
    public static VolumeDto ToDto(Volume4D v)
    {
        FootprintDto f = v.Volume.Footprint switch
        {
            PolygonFootprint p => new FootprintDto(Rings(p.Polygon), null),
            CircleFootprint c => new FootprintDto(null, new CircleDto([c.Center.LonDeg, c.Center.LatDeg], c.RadiusM)),
            _ => throw new ArgumentException("unsupported footprint", nameof(v)),
        };
        return new VolumeDto(f, v.Volume.Lower.ValueM, v.Volume.Upper.ValueM, v.Time.Start, v.Time.End);
    }

    /// <summary>The wire form of a conflict.</summary>
    public static ConflictDto ToDto(Conflict c) =>
        new(WireNames.ToWire(c.Kind), c.VolumeIndex, c.Blocking, c.IntentId, c.OtherVolumeIndex, c.ZoneId, c.CellCode,
            [c.Where.WestLonDeg, c.Where.SouthLatDeg, c.Where.EastLonDeg, c.Where.NorthLatDeg], c.When.Start, c.When.End, c.Reason);

    /// <summary>The wire form of a resolution.</summary>
    public static ResolutionDto ToDto(Resolution r)
    {
        var volumes = new VolumeDto[r.Volumes.Count];
        for (int k = 0; k < volumes.Length; k++)
        {
            volumes[k] = ToDto(r.Volumes[k]);
        }

        return new ResolutionDto(WireNames.ToWire(r.Kind), r.Description, r.StartShift?.TotalSeconds, r.AltitudeLayer, r.RouteRef, volumes);
    }

    /// <summary>The outcome body.</summary>
    public static IntentOutcomeDto Outcome(string outcome, OperationalIntent intent, DeconflictionReport? report, IReadOnlyList<Resolution>? resolutions)
    {
        var conflicts = new List<ConflictDto>();
        if (report is not null)
        {
            foreach (Conflict c in report.Conflicts)
            {
                conflicts.Add(ToDto(c));
            }
        }

        return new IntentOutcomeDto(outcome, ToDto(intent), conflicts, resolutions?.Select(ToDto).ToList());
    }

    /// <summary>404 for an unknown intent.</summary>
    public static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(detail: $"There is no intent {id}.", statusCode: StatusCodes.Status404NotFound, title: "No such intent.", type: ProblemTypes.NotFound);

    /// <summary>409 for a stale OVN, a forbidden state change or a duplicate id; the current OVN and state are in the extensions.</summary>
    public static ProblemHttpResult Conflict(string type, string title, IReadOnlyList<IntentError> errors, OperationalIntent? current) =>
        TypedResults.Problem(
            detail: errors.Count > 0 ? string.Join("; ", errors.Select(e => e.Message)) : title,
            statusCode: StatusCodes.Status409Conflict,
            title: title,
            type: type,
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["currentOvn"] = current?.Ovn,
                ["currentState"] = current is null ? null : WireNames.ToWire(current.State),
                ["violations"] = errors.Select(e => new Violation(Rename(e.Field), e.Rule, e.Message)).ToList(),
            });

    /// <summary>The OVN from <c>If-Match</c> (quotes stripped), else <paramref name="bodyOvn"/>.</summary>
    public static string? OvnOf(HttpRequest request, string? bodyOvn)
    {
        var header = request.Headers.IfMatch.ToString();
        if (!string.IsNullOrWhiteSpace(header))
        {
            var text = header.Trim();
            if (text.StartsWith("W/", StringComparison.Ordinal))
            {
                text = text[2..];
            }

            return text.Trim('"');
        }

        return bodyOvn;
    }

    private static string Rename(string field) => field
        .Replace(".time.start", ".start", StringComparison.Ordinal)
        .Replace(".time.end", ".end", StringComparison.Ordinal);

    private static Footprint? ToFootprint(FootprintDto? dto, string field, Violations violations, ref long vertices)
    {
        if (dto is null || (dto.Polygon is null) == (dto.Circle is null))
        {
            violations.Add(field, IntentRules.Required, "a footprint has exactly one of polygon (rings of [lon, lat]) or circle");
            return null;
        }

        if (dto.Circle is { } c)
        {
            if (c.Center is not { Count: 2 } || c.RadiusM is null)
            {
                violations.Add(field + ".circle", IntentRules.Required, "a circle needs center [lon, lat] and radiusM");
                return null;
            }

            return new CircleFootprint(new GeoPoint(c.Center[0], c.Center[1]), c.RadiusM.Value);
        }

        var rings = dto.Polygon!;
        if (rings.Count == 0)
        {
            violations.Add(field + ".polygon", IntentRules.Required, "a polygon needs an outer ring");
            return null;
        }

        var linear = new LinearRing[rings.Count];
        for (int r = 0; r < rings.Count; r++)
        {
            var ring = rings[r];
            if (ring is null || ring.Count < 3)
            {
                violations.Add($"{field}.polygon[{r}]", IntentRules.FootprintInvalid, "a ring needs at least 3 positions");
                return null;
            }

            bool closed = ring[0] is { Count: 2 } first && ring[^1] is { Count: 2 } last && first[0] == last[0] && first[1] == last[1];
            vertices += closed ? ring.Count - 1 : ring.Count;
            if (vertices > FootprintGeometry.MaxPolygonVertices)
            {
                // Stop building: the count alone is reported (the rule, not a huge geometry).
                return null;
            }

            var coords = new Coordinate[closed ? ring.Count : ring.Count + 1];
            for (int k = 0; k < ring.Count; k++)
            {
                if (ring[k] is not { Count: 2 } pos)
                {
                    violations.Add($"{field}.polygon[{r}][{k}]", IntentRules.FootprintInvalid, "a position is [lon, lat]");
                    return null;
                }

                coords[k] = new Coordinate(pos[0], pos[1]);
            }

            if (!closed)
            {
                coords[^1] = coords[0].Copy();
            }

            if (coords.Length < 4)
            {
                violations.Add($"{field}.polygon[{r}]", IntentRules.FootprintInvalid, "a ring needs at least 3 distinct positions");
                return null;
            }

            linear[r] = FootprintGeometry.Factory.CreateLinearRing(coords);
        }

        return new PolygonFootprint(FootprintGeometry.Factory.CreatePolygon(linear[0], linear[1..]));
    }

    private static List<IReadOnlyList<IReadOnlyList<double>>> Rings(Polygon p)
    {
        var rings = new List<IReadOnlyList<IReadOnlyList<double>>>(1 + p.NumInteriorRings) { Ring(p.Shell) };
        for (int r = 0; r < p.NumInteriorRings; r++)
        {
            rings.Add(Ring(p.GetInteriorRingN(r)));
        }

        return rings;
    }

    private static List<IReadOnlyList<double>> Ring(LineString ring)
    {
        var list = new List<IReadOnlyList<double>>(ring.NumPoints);
        foreach (Coordinate c in ring.Coordinates)
        {
            list.Add([c.X, c.Y]);
        }

        return list;
    }
}
