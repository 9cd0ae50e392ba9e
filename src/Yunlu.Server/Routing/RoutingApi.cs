using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Yunlu.Airspace.Operations;
using Yunlu.Routing.City;
using Yunlu.Server.Auth;
using Yunlu.Server.Problems;

namespace Yunlu.Server.Routing;

/// <summary>City routing: <c>POST /api/v1/routes/plan</c> (operator, manager, admin) and the re-route hook for
/// strategic deconfliction.</summary>
public static class RoutingApi
{
    /// <summary>The policy of the routing endpoints: operator, manager or admin.</summary>
    public const string PlanPolicy = "yunlu-routing-plan";

    /// <summary>Registers the routing services, the JSON metadata, the policy and the <see cref="IIntentRerouter"/>.</summary>
    /// <param name="services">The services.</param>
    public static IServiceCollection AddYunluRouting(this IServiceCollection services)
    {
        services.AddSingleton<CityRouteRegistry>();
        services.AddSingleton<RoutingService>();
        services.AddSingleton<IIntentRerouter>(sp =>
        {
            RoutingService routing = sp.GetRequiredService<RoutingService>();
            return new CityRerouter(routing.RerouteContextAsync, routing.Registry);
        });
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, RoutingJsonContext.Default));
        services.AddAuthorizationBuilder().AddPolicy(PlanPolicy, p => p.RequireRole(YunluRoles.Operator, YunluRoles.Manager, YunluRoles.Admin));
        return services;
    }

    /// <summary>Maps <c>POST /routes/plan</c> under <paramref name="v1"/> (<c>/api/v1</c>).</summary>
    /// <param name="v1">The API group.</param>
    public static RouteGroupBuilder MapRoutingApi(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapPost("/routes/plan", PlanAsync).WithTags("Routing").WithName("PlanRoute")
            .WithSummary("Plans a route from take-off to landing (via points, templates) over terrain and buildings with a clearance, around the zones active in the flight's window, under the 120 m true-height ceiling and class limits, preferring corridors, fastest in the forecast wind; returns waypoints in W84/AMSL/AGL, legs, the vertical profile, 4-D volumes ready to submit and the deconfliction against approved flights.")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .RequireAuthorization(PlanPolicy);
        return v1;
    }

    private static async Task<Results<Ok<RoutePlanDto>, ProblemHttpResult>> PlanAsync(
        RoutePlanRequestDto request, RoutingService routing, TimeProvider clock, CancellationToken cancellationToken)
    {
        try
        {
            (CityRoute route, string id, RouteTemplate template) = await routing.PlanAsync(request, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(RoutingService.ToDto(route, id, template));
        }
        catch (CityPlanningException ex)
        {
            var violation = new Violation(ex.Field, ex.Rule, ex.Message);
            return TypedResults.Problem(
                detail: $"{ex.Field}: {ex.Message} [{ex.Rule}]",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "No route can be planned for this request.",
                type: ProblemTypes.Validation,
                extensions: new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["errors"] = new Dictionary<string, string[]>(StringComparer.Ordinal) { [ex.Field] = [$"{ex.Rule}: {ex.Message}"] },
                    ["violations"] = new[] { violation },
                });
        }
    }
}
