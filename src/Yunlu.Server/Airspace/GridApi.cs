using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Yunlu.Airspace.Grid;
using Yunlu.Geo;
using Yunlu.Geo.Grid;
using Yunlu.Server.Api;
using Yunlu.Server.Auth;
using Yunlu.Server.Contracts;
using Yunlu.Server.Problems;
using Yunlu.Storage.Airspace;

namespace Yunlu.Server.Airspace;

/// <summary>The BeiDou grid (GB/T 39409-2020): encode, decode, cover, and the gridded airspace with managers' overrides.</summary>
public static class GridApi
{
    /// <summary>Default most cells in a cover or cell listing.</summary>
    public const int DefaultMaxCells = 10_000;

    /// <summary>Largest max-cells accepted.</summary>
    public const int MaxCellsLimit = 100_000;

    internal static void Map(RouteGroupBuilder v1, YunluServerOptions options)
    {
        var grid = v1.MapGroup("/grid").WithTags("Grid");
        grid.MapGet("/encode", Encode).WithName("GridEncode")
            .WithSummary("The BeiDou grid cell of a point at a level (3-D with height = metres above the WGS84 ellipsoid).").PublicRead(options);
        grid.MapGet("/decode/{code}", Decode).WithName("GridDecode")
            .WithSummary("Decodes a 2-D or 3-D grid code: level, bounds, height band, centre.").PublicRead(options);
        grid.MapPost("/cover", Cover).WithName("GridCover")
            .WithSummary("The cells covering a footprint (polygon/circle), a corridor, or a volume (3-D) at a level, up to maxCells.").PublicRead(options);
        grid.MapGet("/cells", CellsAsync).WithName("GridCells")
            .WithSummary("The gridded airspace over bbox=w,s,e,n at a level and time: status (open/restricted/closed) and capacity per cell.").PublicRead(options);
        grid.MapGet("/overrides", OverridesAsync).WithName("GridOverrides").WithSummary("Managers' cell overrides (all levels or one).").PublicRead(options);
        grid.MapPut("/cells/{code}", PutOverrideAsync).WithName("PutGridCell")
            .WithSummary("Overrides one cell's status and/or capacity (manager).").ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).RequireAuthorization(YunluRoles.ManagePolicy);
        grid.MapDelete("/cells/{code}", DeleteOverrideAsync).WithName("DeleteGridCell")
            .WithSummary("Removes a cell's override (manager).").ProducesProblem(StatusCodes.Status404NotFound).RequireAuthorization(YunluRoles.ManagePolicy);
    }

    /// <summary>Checks a code; null with the violation (field <paramref name="field"/>, the codec's rule and position) when invalid.</summary>
    public static BeiDouGridCell? ParseCode(string? code, string field, Violations violations)
    {
        if (string.IsNullOrEmpty(code))
        {
            violations.Add(field, "field-missing", "a grid code is required");
            return null;
        }

        try
        {
            return BeiDouGrid.Decode(code);
        }
        catch (GridCodeFormatException ex)
        {
            violations.Add(field, "grid-code-invalid", ex.Position >= 0 ? $"position {ex.Position}: {ex.Rule}" : ex.Rule);
            return null;
        }
    }

    private static Results<Ok<GridCellDto>, ValidationProblem> Encode(double? lat, double? lon, double? height, int? level)
    {
        var violations = new Violations();
        if (lat is not { } la || !double.IsFinite(la) || Math.Abs(la) >= BeiDouGrid.MaxAbsLatDeg)
        {
            violations.Add("lat", "lat-range", "lat is required, in degrees, |lat| < 88 (the non-polar grid)");
        }

        if (lon is not { } lo || !double.IsFinite(lo) || lo < -180 || lo > 180)
        {
            violations.Add("lon", "lon-range", "lon is required, in degrees, within [-180, 180]");
        }

        if (level is not { } lv || lv < BeiDouGrid.MinLevel || lv > BeiDouGrid.MaxLevel)
        {
            violations.Add("level", "level-range", "level is 1–10");
        }

        if (height is { } h && (!double.IsFinite(h) || h <= -BeiDouGrid.HeightR0M || h > 1e8))
        {
            violations.Add("height", "height-range", "height is metres above the WGS84 ellipsoid, above -6378137 and at most 1e8");
        }

        if (!violations.IsEmpty)
        {
            return violations.ToProblem();
        }

        var p = new GeoPoint(lon!.Value, lat!.Value);
        BeiDouGridCell cell = height is { } hh ? BeiDouGrid.Locate3D(p, hh, level!.Value) : BeiDouGrid.Locate(p, level!.Value);
        return TypedResults.Ok(AirspaceMapping.ToDto(cell));
    }

    private static Results<Ok<GridCellDto>, ValidationProblem> Decode(string code)
    {
        var violations = new Violations();
        return ParseCode(code, "code", violations) is { } cell ? TypedResults.Ok(AirspaceMapping.ToDto(cell)) : violations.ToProblem();
    }

    private static Results<Ok<GridCoverDto>, ValidationProblem> Cover(GridCoverRequest request)
    {
        var violations = new Violations();
        if (request is null)
        {
            return Violations.Single("$", "field-missing", "the body must be a cover request");
        }

        if (request.Level is not { } level || level < 1 || level > 10)
        {
            violations.Add("level", "level-range", "level is 1–10");
            level = 0;
        }

        int max = request.MaxCells ?? DefaultMaxCells;
        if (max < 1 || max > MaxCellsLimit)
        {
            violations.Add("maxCells", "max-cells-range", $"maxCells is 1–{MaxCellsLimit}");
        }

        int shapes = (request.Footprint is null ? 0 : 1) + (request.Corridor is null ? 0 : 1) + (request.Volume is null ? 0 : 1);
        if (shapes != 1)
        {
            violations.Add("$", "one-of", "give exactly one of footprint, corridor or volume");
        }

        if (!violations.IsEmpty)
        {
            return violations.ToProblem();
        }

        try
        {
            if (request.Volume is not null)
            {
                Volume3D? volume = AirspaceMapping.ToVolume(request.Volume, "volume", violations);
                if (volume is null)
                {
                    return violations.ToProblem();
                }

                if (volume.Reference == AltitudeReference.Agl)
                {
                    return Violations.Single("volume.lower.reference", "agl-not-coverable", "3-D cells are in ellipsoidal height: give the volume in AMSL or W84");
                }

                GridCover flat = GridCovering.CoverFootprint(volume.Footprint, level);
                if (flat.CellCount > max)
                {
                    return TooMany(flat.CellCount, max, level);
                }

                IReadOnlyList<BeiDouGridCell> cells = GridCovering.CoverVolume(volume, level);
                if (cells.Count > max)
                {
                    return TooMany(cells.Count, max, level);
                }

                return TypedResults.Ok(new GridCoverDto(level, true, cells.Count, cells.Select(c => c.Code).ToArray()));
            }

            GridCover cover;
            if (request.Footprint is not null)
            {
                Footprint? footprint = AirspaceMapping.ToFootprint(request.Footprint, "", violations);
                if (footprint is null)
                {
                    return violations.ToProblem();
                }

                cover = GridCovering.CoverFootprint(footprint, level);
            }
            else
            {
                List<GeoPoint>? line = AirspaceMapping.ToLine(request.Corridor!.CentreLine, "corridor.centreLine", 2, violations);
                if (request.Corridor.WidthM is not { } width || !double.IsFinite(width) || width <= 0 || width > 100_000)
                {
                    violations.Add("corridor.widthM", "width-not-positive", "the width is metres, above 0 and at most 100 km");
                    width = 0;
                }

                if (line is null || !violations.IsEmpty)
                {
                    return violations.ToProblem();
                }

                var corridor = new Yunlu.Airspace.Corridors.Corridor("cover", "cover", "a", "b", line, width, Altitude.Agl(0), Altitude.Agl(1),
                    Yunlu.Airspace.Corridors.CorridorDirection.TwoWay, new Yunlu.Airspace.Corridors.SpeedBand(0, 1), 0);
                cover = GridCovering.CoverCorridor(corridor, level);
            }

            if (cover.CellCount > max)
            {
                return TooMany(cover.CellCount, max, level);
            }

            return TypedResults.Ok(new GridCoverDto(level, false, cover.CellCount, cover.Codes().ToArray()));
        }
        catch (ArgumentException ex) when (string.Equals(ex.ParamName, "level", StringComparison.Ordinal))
        {
            return Violations.Single("maxCells", "too-many-cells", ex.Message);
        }
        catch (ArgumentException ex)
        {
            return Violations.Single("$", "shape-invalid", ex.Message);
        }
    }

    private static async Task<Results<Ok<GridCellsDto>, ValidationProblem>> CellsAsync(
        string? bbox, int? level, string? time, AirspaceService service, TimeProvider clock, CancellationToken cancellationToken)
    {
        var violations = new Violations();
        if (!ApiSupport.TryParseBbox(bbox, out var box, out string rule, out string message))
        {
            violations.Add("bbox", rule, message);
        }
        else if (box is null)
        {
            violations.Add("bbox", "field-missing", "bbox=w,s,e,n is required");
        }

        if (level is not { } lv || lv < 1 || lv > 10)
        {
            violations.Add("level", "level-range", "level is 1–10");
            lv = 0;
        }

        DateTimeOffset at = ParseTime(time, "time", clock, violations);
        if (!violations.IsEmpty)
        {
            return violations.ToProblem();
        }

        var b = box!.Value;
        if (Math.Abs(b.SouthDeg) >= 88 || Math.Abs(b.NorthDeg) >= 88)
        {
            return Violations.Single("bbox", "lat-range", "the grid covers |lat| < 88");
        }

        // Cells meeting the box: the box's edges are cell boundaries at most, so count rows × columns first.
        BeiDouGridCell sw = BeiDouGrid.Locate(new GeoPoint(b.WestDeg, b.SouthDeg), lv);
        BeiDouGridCell ne = BeiDouGrid.Locate(new GeoPoint(b.EastDeg, b.NorthDeg), lv);
        long count = (long)(ne.LonIndex - sw.LonIndex + 1) * (ne.LatIndex - sw.LatIndex + 1);
        if (count > DefaultMaxCells)
        {
            return Violations.Single("bbox", "too-many-cells",
                string.Create(CultureInfo.InvariantCulture, $"the box holds {count} cells at level {lv}, more than {DefaultMaxCells}; use a smaller box or a coarser level"));
        }

        GriddedAirspace grid = await service.GridAsync(lv, at, cancellationToken).ConfigureAwait(false);
        var cells = new List<GridCellStateDto>((int)count);
        for (int j = sw.LatIndex; j <= ne.LatIndex; j++)
        {
            for (int i = sw.LonIndex; i <= ne.LonIndex; i++)
            {
                BeiDouGridCell cell = GridMath.Cell(lv, i, j);
                GridCellInfo info = grid.Describe(cell);
                cells.Add(new GridCellStateDto(cell.Code, AirspaceMapping.StatusName(info.Status), info.CapacityPerHour, info.ZoneIds, info.CorridorIds,
                    info.Override is { } o ? new GridOverrideDto(cell.Code, lv, o.Status is { } s ? AirspaceMapping.StatusName(s) : null, o.CapacityPerHour, o.Note, default, o.Actor) : null));
            }
        }

        return TypedResults.Ok(new GridCellsDto(lv, at, cells.Count, cells));
    }

    private static async Task<Results<Ok<IReadOnlyList<GridOverrideDto>>, ValidationProblem>> OverridesAsync(int? level, IAirspaceStore store, CancellationToken cancellationToken)
    {
        if (level is < 1 or > 10)
        {
            return Violations.Single("level", "level-range", "level is 1–10");
        }

        var list = await store.ListGridOverridesAsync(level, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<GridOverrideDto>>(list.Select(AirspaceMapping.ToDto).ToArray());
    }

    private static async Task<Results<Ok<GridOverrideDto>, ValidationProblem>> PutOverrideAsync(
        string code, GridOverrideRequest body, ClaimsPrincipal user, IAirspaceStore store, CancellationToken cancellationToken)
    {
        var violations = new Violations();
        BeiDouGridCell? cell = ParseCode(code, "code", violations);
        if (cell is { HasHeight: true })
        {
            violations.Add("code", "code-3d", "overrides are per 2-D cell (the status covers the whole column); give the 2-D code");
        }

        string? status = null;
        if (body?.Status is { } s)
        {
            if (AirspaceMapping.TryParseStatus(s, out GridCellStatus st))
            {
                status = AirspaceMapping.StatusName(st);
            }
            else
            {
                violations.Add("status", "status-unknown", $"'{s}' is not one of open, restricted, closed");
            }
        }

        if (body?.CapacityPerHour is < 0)
        {
            violations.Add("capacityPerHour", "capacity-negative", "the capacity must be ≥ 0 flights per hour");
        }

        if (body is null || (body.Status is null && body.CapacityPerHour is null))
        {
            violations.Add("$", "field-missing", "give a status, a capacityPerHour or both");
        }

        if (body?.Note is { Length: > 4000 })
        {
            violations.Add("note", "too-long", "at most 4000 characters");
        }

        if (!violations.IsEmpty || cell is null)
        {
            return violations.ToProblem("The override is invalid; nothing was stored.");
        }

        var stored = await store.UpsertGridOverrideAsync(
            new StoredGridOverride(cell.Value.Code, cell.Value.Level, status, body!.CapacityPerHour, body.Note, default, ApiSupport.Actor(user)), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(AirspaceMapping.ToDto(stored));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteOverrideAsync(string code, IAirspaceStore store, CancellationToken cancellationToken)
    {
        var violations = new Violations();
        if (ParseCode(code, "code", violations) is not { } cell)
        {
            return violations.ToProblem();
        }

        return await store.DeleteGridOverrideAsync(cell.Code, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : TypedResults.Problem(detail: $"Cell {cell.Code} has no override.", statusCode: StatusCodes.Status404NotFound, title: "No such override.", type: ProblemTypes.NotFound);
    }

    /// <summary>Parses an RFC 3339 time (default: now).</summary>
    internal static DateTimeOffset ParseTime(string? text, string field, TimeProvider clock, Violations violations)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return clock.GetUtcNow();
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset t) ||
            !text.Contains('T', StringComparison.OrdinalIgnoreCase))
        {
            violations.Add(field, "time-format", $"'{text}' is not an RFC 3339 date-time such as 2026-06-10T09:00:00+08:00");
            return default;
        }

        return t;
    }

    private static ValidationProblem TooMany(long count, int max, int level) => Violations.Single("maxCells", "too-many-cells",
        string.Create(CultureInfo.InvariantCulture, $"the shape needs {count} cells at level {level}, more than maxCells = {max}; raise maxCells (≤ {MaxCellsLimit}) or choose a coarser level"));
}
