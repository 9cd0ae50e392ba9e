using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Yunlu.Airspace.Checks;
using Yunlu.Server.Api;
using Yunlu.Server.Problems;

namespace Yunlu.Server.Airspace;

/// <summary>"Can I fly here?": a point, route, area or volume over a time window for an aircraft.</summary>
public static class CheckApi
{
    internal static void Map(RouteGroupBuilder v1, YunluServerOptions options)
    {
        v1.MapPost("/airspace/check", CheckAsync).WithTags("Airspace").WithName("CheckAirspace")
            .WithSummary("Verdict green / needs_authorisation / prohibited with every reason: zones and corridors entered (floors and ceilings in the caller's reference), grid cells and capacity, the rules, wind against the aircraft's limit, terrain clearance.")
            .PublicRead(options);
    }

    private static async Task<Results<Ok<CheckResultDto>, ValidationProblem>> CheckAsync(
        CheckRequestDto request, AirspaceService service, TimeProvider clock, CancellationToken cancellationToken)
    {
        var violations = new Violations();
        CheckRequest? domain = AirspaceMapping.ToDomain(request, clock.GetUtcNow(), violations);
        if (domain is null)
        {
            return violations.ToProblem();
        }

        try
        {
            CheckResult result = await service.CheckAsync(domain, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(AirspaceMapping.ToDto(result));
        }
        catch (ArgumentException ex)
        {
            return Violations.Single(ex.ParamName ?? "$", "check-invalid", ex.Message);
        }
    }
}
