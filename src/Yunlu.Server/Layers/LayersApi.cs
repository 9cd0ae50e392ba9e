using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Yunlu.Server.Api;
using Yunlu.Server.Imports;
using Yunlu.Server.Problems;
using Yunlu.Terrain;

namespace Yunlu.Server.Layers;

/// <summary>Computed map layers served as tiles: the terrain-clearance band (<see cref="ClearanceRenderer"/>).</summary>
public static class LayersApi
{
    /// <summary>Largest vertical margin accepted, metres (below the 120 m ceiling).</summary>
    public const double MaxVerticalMarginM = 100;

    /// <summary>Largest horizontal margin accepted, metres (larger windows make tiles slow at high zoom).</summary>
    public const double MaxHorizontalMarginM = 200;

    /// <summary>Maps <c>GET /layers/clearance/{z}/{x}/{y}.png</c> (public read like the other tile views).</summary>
    public static RouteGroupBuilder MapLayersApi(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var options = ((IEndpointRouteBuilder)v1).ServiceProvider.GetRequiredService<YunluServerOptions>();
        v1.MapGet("/layers/clearance/{z:int}/{x:int}/{y:int}.png", ClearanceAsync).WithTags("Tiles").WithName("ClearanceTile")
            .WithSummary("Terrain-clearance PNG tile (Web Mercator XYZ, 256 px): the free band between the highest ground or obstacle within " +
                "horizontalMarginM (default 30 m) plus verticalMarginM (default 10 m) and the 120 m AGL ceiling; red = no band, yellow = half, green = full.")
            .Produces(StatusCodes.Status200OK, contentType: "image/png").PublicRead(options);
        return v1;
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem>> ClearanceAsync(
        int z, int x, int y, double? verticalMarginM, double? horizontalMarginM, TerrainService terrain, HttpResponse response, CancellationToken cancellationToken)
    {
        if (z < 0 || z > WebMercator.MaxZoom || x < 0 || y < 0 || x >= (1L << z) || y >= (1L << z))
        {
            return Violations.Single("z/x/y", "tile-range", $"zoom 0–{WebMercator.MaxZoom}, x and y < 2^z (Web Mercator XYZ)");
        }

        double vertical = verticalMarginM ?? 10;
        if (!(vertical >= 0 && vertical <= MaxVerticalMarginM))
        {
            return Violations.Single("verticalMarginM", "range", string.Create(CultureInfo.InvariantCulture, $"verticalMarginM: 0 to {MaxVerticalMarginM} m"));
        }

        double horizontal = horizontalMarginM ?? 30;
        if (!(horizontal >= 0 && horizontal <= MaxHorizontalMarginM))
        {
            return Violations.Single("horizontalMarginM", "range", string.Create(CultureInfo.InvariantCulture, $"horizontalMarginM: 0 to {MaxHorizontalMarginM} m"));
        }

        TerrainSnapshot snapshot = await terrain.GetAsync(cancellationToken).ConfigureAwait(false);
        var renderer = new ClearanceRenderer(snapshot.Ground, snapshot.Surface, new ClearanceOptions(120, vertical, horizontal));
        response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.File(renderer.RenderPng(z, x, y), "image/png");
    }
}
