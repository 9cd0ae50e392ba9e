using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yunlu.Server.Auth;
using Yunlu.Server.Contracts;
using Yunlu.Server.Hosting;
using Yunlu.Server.Problems;
using Yunlu.Storage;

namespace Yunlu.Server.Api;

/// <summary>Zones: list, get, create/replace (with optimistic concurrency through <c>If-Match</c>), delete, GeoJSON layer.</summary>
public static class ZonesApi
{
    /// <summary>Largest page.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>Maps the zone endpoints.</summary>
    public static RouteGroupBuilder MapZonesApi(this RouteGroupBuilder v1)
    {
        var options = ((IEndpointRouteBuilder)v1).ServiceProvider.GetRequiredService<YunluServerOptions>();
        var zones = v1.MapGroup("/zones").WithTags("Zones");
        zones.MapGet("", ListAsync).WithName("ListZones")
            .WithSummary("Zones whose bounding box meets bbox=w,s,e,n (all when absent), ordered by identifier; asOf=<RFC 3339> gives them as recorded then.").PublicRead(options);
        v1.MapGet("/zones.geojson", GeoJsonAsync).WithTags("Zones").WithName("ZonesGeoJson")
            .WithSummary("Zones as a GeoJSON FeatureCollection for map layers (circles as 64-gons).")
            .Produces(StatusCodes.Status200OK, contentType: "application/geo+json").PublicRead(options);
        zones.MapGet("/{identifier}", GetAsync).WithName("GetZone").WithSummary("One zone with its version (also the ETag).")
            .ProducesProblem(StatusCodes.Status404NotFound).PublicRead(options);
        zones.MapPut("/{identifier}", PutAsync).WithName("PutZone")
            .WithSummary("Creates or replaces a zone. If-Match: \"<version>\" makes it conditional (412 when stale).")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization(YunluRoles.ManagePolicy);
        zones.MapDelete("/{identifier}", DeleteAsync).WithName("DeleteZone")
            .WithSummary("Deletes a zone. If-Match: \"<version>\" makes it conditional (412 when stale).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .RequireAuthorization(YunluRoles.ManagePolicy);
        return v1;
    }

    private static async Task<Results<Ok<ZonePage>, ValidationProblem>> ListAsync(IYunluStore store, string? bbox, int? limit, int? offset, string? asOf, HttpContext http, CancellationToken cancellationToken)
    {
        if (!ApiSupport.TryParseBbox(bbox, out var box, out var rule, out var message))
        {
            return Violations.Single("bbox", rule, message);
        }

        var violations = new Violations();
        if (limit is { } l && (l < 1 || l > MaxLimit))
        {
            violations.Add("limit", "limit-range", $"limit is 1–{MaxLimit}");
        }

        if (offset is < 0)
        {
            violations.Add("offset", "offset-range", "offset is ≥ 0");
        }

        if (!violations.IsEmpty)
        {
            return violations.ToProblem();
        }

        if (asOf is not null)
        {
            return await Airspace.ZoneHistoryApi.ListAsOfAsync(http, asOf, box, limit ?? 1000, offset ?? 0, cancellationToken).ConfigureAwait(false);
        }

        var query = new ZoneQuery(box, limit ?? 1000, offset ?? 0);
        var list = await store.ListZonesAsync(query, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ZonePage(list.Select(ZoneMapping.ToDto).ToList(), query.Limit, query.Offset));
    }

    private static async Task<Results<Ok<StoredZoneDto>, ProblemHttpResult>> GetAsync(string identifier, IYunluStore store, HttpResponse response, CancellationToken cancellationToken)
    {
        var stored = await store.GetZoneAsync(identifier, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return NotFoundZone(identifier);
        }

        response.Headers.ETag = ETagOf(stored.Version);
        return TypedResults.Ok(ZoneMapping.ToDto(stored));
    }

    private static async Task<Results<Ok<StoredZoneDto>, Created<StoredZoneDto>, ValidationProblem, ProblemHttpResult>> PutAsync(
        string identifier,
        ZoneDto zone,
        HttpRequest request,
        HttpResponse response,
        ClaimsPrincipal user,
        IYunluStore store,
        YunluServerOptions options,
        ILogger<ZoneMarker> logger,
        CancellationToken cancellationToken)
    {
        var violations = new Violations();
        var expected = ParseIfMatch(request, violations);
        var domain = ZoneMapping.ToDomain(zone, identifier, options.Limits.MaxVertices, violations);
        if (domain is null || !violations.IsEmpty)
        {
            return violations.ToProblem("The zone is invalid; nothing was stored.");
        }

        StoredZone stored;
        try
        {
            stored = await store.UpsertZoneAsync(domain, ApiSupport.Actor(user), expected, cancellationToken).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException ex)
        {
            return VersionConflict(identifier, expected, ex.Message);
        }

        Log.ZoneChanged(logger, identifier, stored.Version == 1 ? "created" : "updated", ApiSupport.Actor(user), stored.Version);
        response.Headers.ETag = ETagOf(stored.Version);
        var dto = ZoneMapping.ToDto(stored);
        return stored.Version == 1
            ? TypedResults.Created($"/api/v1/zones/{Uri.EscapeDataString(identifier)}", dto)
            : TypedResults.Ok(dto);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        string identifier, HttpRequest request, ClaimsPrincipal user, IYunluStore store, ILogger<ZoneMarker> logger, CancellationToken cancellationToken)
    {
        var violations = new Violations();
        var expected = ParseIfMatch(request, violations);
        if (!violations.IsEmpty)
        {
            return violations.ToProblem();
        }

        try
        {
            if (!await store.DeleteZoneAsync(identifier, ApiSupport.Actor(user), expected, cancellationToken).ConfigureAwait(false))
            {
                return NotFoundZone(identifier);
            }
        }
        catch (ConcurrencyConflictException ex)
        {
            return VersionConflict(identifier, expected, ex.Message);
        }

        Log.ZoneChanged(logger, identifier, "deleted", ApiSupport.Actor(user), expected ?? 0);
        return TypedResults.NoContent();
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem>> GeoJsonAsync(IYunluStore store, string? bbox, CancellationToken cancellationToken)
    {
        if (!ApiSupport.TryParseBbox(bbox, out var box, out var rule, out var message))
        {
            return Violations.Single("bbox", rule, message);
        }

        var list = await ApiSupport.AllZonesAsync(store, box, cancellationToken).ConfigureAwait(false);
        return TypedResults.File(GeoJsonLayers.Zones(list), "application/geo+json");
    }

    private static long? ParseIfMatch(HttpRequest request, Violations violations)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var text = header.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        text = text.Trim('"');
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
        {
            violations.Add("If-Match", "etag-format", "If-Match is the zone's version in quotes, e.g. \"3\"");
            return null;
        }

        return version;
    }

    private static string ETagOf(long version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    private static ProblemHttpResult NotFoundZone(string identifier) =>
        TypedResults.Problem(detail: $"There is no zone '{identifier}'.", statusCode: StatusCodes.Status404NotFound, title: "No such zone.", type: ProblemTypes.NotFound);

    private static ProblemHttpResult VersionConflict(string identifier, long? expected, string message) =>
        TypedResults.Problem(
            detail: $"Zone '{identifier}': If-Match named version {expected?.ToString(CultureInfo.InvariantCulture) ?? "?"}, but {message}",
            statusCode: StatusCodes.Status412PreconditionFailed,
            title: "The stored version differs from If-Match.",
            type: ProblemTypes.VersionConflict);

    /// <summary>Logger category for zone changes.</summary>
    internal sealed class ZoneMarker;
}
