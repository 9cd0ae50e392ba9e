using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Yunlu.Airspace.Sites;
using Yunlu.Server.Contracts;
using Yunlu.Server.Problems;
using Yunlu.Storage;

namespace Yunlu.Server.Api;

/// <summary>Obstacles (buildings, towers) and sites as map layers.</summary>
public static class ObstaclesApi
{
    /// <summary>Maps <c>GET /obstacles.geojson</c>.</summary>
    public static RouteGroupBuilder MapObstaclesApi(this RouteGroupBuilder v1)
    {
        var options = ((IEndpointRouteBuilder)v1).ServiceProvider.GetRequiredService<YunluServerOptions>();
        v1.MapGet("/obstacles.geojson", ObstaclesAsync).WithTags("Obstacles").WithName("ObstaclesGeoJson")
            .WithSummary("Buildings and other obstacles whose bounding box meets bbox=w,s,e,n, as GeoJSON (heightM above ground).")
            .Produces(StatusCodes.Status200OK, contentType: "application/geo+json").PublicRead(options);
        return v1;
    }

    /// <summary>Maps <c>GET /sites</c> and <c>GET /sites.geojson</c>.</summary>
    public static RouteGroupBuilder MapSitesApi(this RouteGroupBuilder v1)
    {
        var options = ((IEndpointRouteBuilder)v1).ServiceProvider.GetRequiredService<YunluServerOptions>();
        v1.MapGet("/sites", SitesAsync).WithTags("Sites").WithName("ListSites")
            .WithSummary("Vertiports, hubs, drop points and points of interest.").PublicRead(options);
        v1.MapGet("/sites.geojson", SitesGeoJsonAsync).WithTags("Sites").WithName("SitesGeoJson")
            .WithSummary("Sites as GeoJSON points.")
            .Produces(StatusCodes.Status200OK, contentType: "application/geo+json").PublicRead(options);
        return v1;
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem>> ObstaclesAsync(IYunluStore store, string? bbox, CancellationToken cancellationToken)
    {
        if (!ApiSupport.TryParseBbox(bbox, out var box, out var rule, out var message))
        {
            return Violations.Single("bbox", rule, message);
        }

        var list = await store.ListObstaclesAsync(box, cancellationToken).ConfigureAwait(false);
        return TypedResults.File(GeoJsonLayers.Obstacles(list), "application/geo+json");
    }

    private static async Task<Ok<IReadOnlyList<SiteDto>>> SitesAsync(IYunluStore store, CancellationToken cancellationToken)
    {
        var sites = await store.ListSitesAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<SiteDto> dtos = sites.Select(ToDto).ToList();
        return TypedResults.Ok(dtos);
    }

    private static async Task<FileContentHttpResult> SitesGeoJsonAsync(IYunluStore store, CancellationToken cancellationToken)
    {
        var sites = await store.ListSitesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.File(GeoJsonLayers.Sites(sites), "application/geo+json");
    }

    private static SiteDto ToDto(Site s) => new(s.Id, s.Name, WireNames.ToWire(s.Kind), s.Position.LonDeg, s.Position.LatDeg, s.Description);
}
