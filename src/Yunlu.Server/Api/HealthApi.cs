using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Yunlu.Server.Contracts;
using Yunlu.Server.Hosting;
using Yunlu.Storage;

namespace Yunlu.Server.Api;

/// <summary><c>/health/live</c> and <c>/health/ready</c> (anonymous).</summary>
public static class HealthApi
{
    /// <summary>Maps the health endpoints.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        group.MapGet("/live", () => TypedResults.Ok(new HealthDto("live", null, null)))
            .WithName("GetLive").WithSummary("The process is up.");
        group.MapGet("/ready", ReadyAsync)
            .WithName("GetReady").WithSummary("The store answers and the demo data is loaded.");
        return app;
    }

    private static async Task<Results<Ok<HealthDto>, JsonHttpResult<HealthDto>>> ReadyAsync(StartupState state, CancellationToken cancellationToken)
    {
        if (!state.IsReady)
        {
            return TypedResults.Json(new HealthDto("starting", state.StoreKind, "store opening or demo data loading"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        try
        {
            _ = await state.Store.ListZonesAsync(new ZoneQuery(null, 1, 0), cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new HealthDto("ready", state.StoreKind, null));
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException or IOException)
        {
            return TypedResults.Json(new HealthDto("unavailable", state.StoreKind, ex.Message), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
