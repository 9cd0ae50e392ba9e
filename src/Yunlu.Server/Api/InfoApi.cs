using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Yunlu.Server.Contracts;
using Yunlu.Server.Hosting;
using Yunlu.Storage;

namespace Yunlu.Server.Api;

/// <summary><c>GET /api/v1/info</c>.</summary>
public static class InfoApi
{
    /// <summary>Maps the info endpoint.</summary>
    public static RouteGroupBuilder MapInfoApi(this RouteGroupBuilder v1)
    {
        var options = ((IEndpointRouteBuilder)v1).ServiceProvider.GetRequiredService<YunluServerOptions>();
        v1.MapGet("/info", GetInfoAsync).WithTags("Info").WithName("GetInfo")
            .WithSummary("Version, store kind and counts of zones, obstacles, sites and datasets.")
            .PublicRead(options);
        return v1;
    }

    private static async Task<Ok<InfoDto>> GetInfoAsync(StartupState state, IYunluStore store, YunluServerOptions options, CancellationToken cancellationToken)
    {
        var info = await InfoOf(store, state.StoreKind, state.SchemaVersion, options, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(info);
    }

    /// <summary>Counts what the store holds (shared with <c>yunlu info</c>).</summary>
    public static async Task<InfoDto> InfoOf(IYunluStore store, string storeKind, int schemaVersion, YunluServerOptions options, CancellationToken cancellationToken)
    {
        var zones = await ApiSupport.AllZonesAsync(store, null, cancellationToken).ConfigureAwait(false);
        var obstacles = await store.ListObstaclesAsync(null, cancellationToken).ConfigureAwait(false);
        var sites = await store.ListSitesAsync(cancellationToken).ConfigureAwait(false);
        var datasets = await store.ListRasterDatasetsAsync(cancellationToken).ConfigureAwait(false);
        var imports = await store.ListImportsAsync(cancellationToken).ConfigureAwait(false);
        return new InfoDto("yunlu", ApiSupport.Version, storeKind, schemaVersion, zones.Count, obstacles.Count, sites.Count, datasets.Count, imports.Count,
            options.PublicReads, options.Auth.DevIssuerEnabled);
    }
}
