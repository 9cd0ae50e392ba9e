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
using Yunlu.Server.Problems;
using Yunlu.Storage.Airspace;
using Yunlu.Terrain.Weather;

namespace Yunlu.Server.Airspace;

/// <summary>Micro-weather: station observations in, wind at a 4-D point and cells above a wind limit out.</summary>
public static class WeatherApi
{
    /// <summary>Most cells checked by one limits query.</summary>
    public const int MaxLimitCells = 50_000;

    internal static void Map(RouteGroupBuilder v1, YunluServerOptions options)
    {
        var weather = v1.MapGroup("/weather").WithTags("Weather");
        weather.MapPost("/observations", IngestAsync).WithName("PostWeatherObservations")
            .WithSummary("Stores weather-station observations from a CSV (text/csv) or JSON (application/json) body; any bad row → 422 listing every row error, nothing stored.")
            .Accepts<string>("text/csv", "application/json")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(YunluRoles.ManagePolicy);
        weather.MapGet("/wind", WindAsync).WithName("GetWind")
            .WithSummary("The wind at lon, lat, heightAgl (m) and time, interpolated from the stations (IDW, log profile, linear in time).")
            .ProducesProblem(StatusCodes.Status404NotFound).PublicRead(options);
        weather.MapGet("/limits", LimitsAsync).WithName("GetWindLimits")
            .WithSummary("Grid cells over bbox whose wind at heightAgl and time exceeds limitMps (or gusts above 1.5 × limitMps).").PublicRead(options);
    }

    private static async Task<Results<Created<WeatherIngestDto>, ProblemHttpResult, ValidationProblem>> IngestAsync(
        HttpRequest request, ClaimsPrincipal user, IAirspaceStore store, YunluServerOptions options, CancellationToken cancellationToken)
    {
        string mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant() ?? "";
        bool csv = mediaType is "text/csv" or "text/plain";
        if (!csv && mediaType != "application/json")
        {
            return TypedResults.Problem(detail: $"Content-Type '{request.ContentType}' is not text/csv or application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type.", type: ProblemTypes.UnsupportedMediaType);
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (buffer.Length > options.Limits.MaxImportBytes)
        {
            return TypedResults.Problem(detail: "The body is too large.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large.", type: ProblemTypes.PayloadTooLarge);
        }

        buffer.Position = 0;
        WeatherReadResult read = csv ? WeatherObservationReader.ReadCsv(buffer) : WeatherObservationReader.ReadJson(buffer);
        if (!read.Ok || read.Observations.Count == 0)
        {
            WeatherRowErrorDto[] errors = read.Ok
                ? [new WeatherRowErrorDto(0, "file", "empty", "the file holds no observation")]
                : read.Errors.Select(e => new WeatherRowErrorDto(e.Row, e.Field, e.Rule, e.Message)).ToArray();
            return TypedResults.Problem(
                detail: string.Create(CultureInfo.InvariantCulture, $"{errors.Length} row error(s), first: {(errors[0].Row == 0 ? "file" : "row " + errors[0].Row.ToString(CultureInfo.InvariantCulture))}: {errors[0].Field}: {errors[0].Message} [{errors[0].Rule}]; nothing was stored."),
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The observations have errors; nothing was stored.",
                type: ProblemTypes.ImportFailed,
                extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["rowErrors"] = errors });
        }

        int stored = await store.AddWeatherObservationsAsync(read.Observations, ApiSupport.Actor(user), cancellationToken).ConfigureAwait(false);
        return TypedResults.Created("/api/v1/weather/wind", new WeatherIngestDto(stored));
    }

    private static async Task<Results<Ok<WindDto>, ValidationProblem, ProblemHttpResult>> WindAsync(
        double? lon, double? lat, double? heightAgl, string? time, AirspaceService service, TimeProvider clock, CancellationToken cancellationToken)
    {
        var violations = new Violations();
        if (lon is not { } lo || !double.IsFinite(lo) || lo < -180 || lo > 180)
        {
            violations.Add("lon", "lon-range", "lon is required, within [-180, 180]");
        }

        if (lat is not { } la || !double.IsFinite(la) || la < -90 || la > 90)
        {
            violations.Add("lat", "lat-range", "lat is required, within [-90, 90]");
        }

        double h = heightAgl ?? 10;
        if (!double.IsFinite(h) || h <= 0 || h > 10_000)
        {
            violations.Add("heightAgl", "height-range", "heightAgl is metres above ground, in (0, 10 000]");
        }

        DateTimeOffset t = GridApi.ParseTime(time, "time", clock, violations);
        if (!violations.IsEmpty)
        {
            return violations.ToProblem();
        }

        var data = await service.GetDataAsync(cancellationToken).ConfigureAwait(false);
        var p = new GeoPoint(lon!.Value, lat!.Value);
        if (data.Wind is not { } wind || !wind.TryQuery(p, h, t, out WindVector w))
        {
            return TypedResults.Problem(detail: "No weather observations cover this position and time.", statusCode: StatusCodes.Status404NotFound,
                title: "No wind data here.", type: ProblemTypes.NotFound);
        }

        return TypedResults.Ok(new WindDto(p.LonDeg, p.LatDeg, h, t, w.EastMps, w.NorthMps, w.SpeedMps, w.FromDeg, w.GustMps));
    }

    private static async Task<Results<Ok<WindLimitsDto>, ValidationProblem>> LimitsAsync(
        string? bbox, double? limitMps, double? heightAgl, int? level, string? time, AirspaceService service, TimeProvider clock, CancellationToken cancellationToken)
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

        if (limitMps is not { } limit || !double.IsFinite(limit) || limit <= 0 || limit > 150)
        {
            violations.Add("limitMps", "limit-range", "limitMps is required, in (0, 150] m/s");
            limit = 0;
        }

        double h = heightAgl ?? 10;
        if (!double.IsFinite(h) || h <= 0 || h > 10_000)
        {
            violations.Add("heightAgl", "height-range", "heightAgl is metres above ground, in (0, 10 000]");
        }

        int lv = level ?? 5;
        if (lv is < 1 or > 10)
        {
            violations.Add("level", "level-range", "level is 1–10");
        }

        DateTimeOffset t = GridApi.ParseTime(time, "time", clock, violations);
        if (!violations.IsEmpty)
        {
            return violations.ToProblem();
        }

        var b = box!.Value;
        if (Math.Abs(b.SouthDeg) >= BeiDouGrid.MaxAbsLatDeg || Math.Abs(b.NorthDeg) >= BeiDouGrid.MaxAbsLatDeg)
        {
            return Violations.Single("bbox", "lat-range", "the grid covers |lat| < 88");
        }

        var ring = new NetTopologySuite.Geometries.GeometryFactory().ToGeometry(new NetTopologySuite.Geometries.Envelope(b.WestDeg, b.EastDeg, b.SouthDeg, b.NorthDeg));
        if (ring is not NetTopologySuite.Geometries.Polygon poly)
        {
            return Violations.Single("bbox", "bbox-empty", "the box has no area");
        }

        GridCover cover = GridCovering.CoverPolygon(poly, lv);
        if (cover.CellCount > MaxLimitCells)
        {
            return Violations.Single("bbox", "too-many-cells",
                string.Create(CultureInfo.InvariantCulture, $"the box holds {cover.CellCount} cells at level {lv}, more than {MaxLimitCells}; use a smaller box or a coarser level"));
        }

        var data = await service.GetDataAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<WindCellFlag> flags = data.Wind is { } wind ? GridWind.CellsAboveLimit(cover, wind, h, t, limit) : [];
        return TypedResults.Ok(new WindLimitsDto(lv, t, h, limit, cover.CellCount,
            flags.Select(f => new WindLimitCellDto(f.Code, f.Centre.LonDeg, f.Centre.LatDeg, f.Wind.SpeedMps, f.Wind.GustMps, f.Wind.FromDeg)).ToArray()));
    }
}
