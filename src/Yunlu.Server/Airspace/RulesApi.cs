using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Yunlu.Airspace.Rules;
using Yunlu.Server.Api;
using Yunlu.Server.Problems;

namespace Yunlu.Server.Airspace;

/// <summary>The Chinese UAS rules as data (data/rules/cn-2024.json): the active rule set and classification.</summary>
public static class RulesApi
{
    internal static void Map(RouteGroupBuilder v1, YunluServerOptions options)
    {
        var rules = v1.MapGroup("/rules").WithTags("Rules");
        rules.MapGet("", () => TypedResults.Ok(AirspaceMapping.ToDto(AirspaceService.Rules))).WithName("GetRules")
            .WithSummary("The active rule set: classes, 适飞空域 heights, application deadlines, how checks grade findings.").PublicRead(options);
        rules.MapPost("/classify", Classify).WithName("ClassifyAircraft")
            .WithSummary("The class of an aircraft (masses/speed or class), licence and approval rules; with maxTrueHeightM and plannedStart also whether the flight needs an application and by when.")
            .PublicRead(options);
    }

    private static Results<Ok<ClassificationDto>, ValidationProblem> Classify(ClassifyRequest request)
    {
        var violations = new Violations();
        if (request is null)
        {
            return Violations.Single("$", "field-missing", "the body must be a classify request");
        }

        Aircraft? aircraft = AirspaceMapping.ToAircraft(request.Aircraft, "aircraft", violations);
        if (request.MaxTrueHeightM is { } h && (!double.IsFinite(h) || h < 0 || h > 100_000))
        {
            violations.Add("maxTrueHeightM", "height-range", "a true height is metres above the ground, 0–100 000");
        }

        if (!violations.IsEmpty || aircraft is null)
        {
            return violations.ToProblem();
        }

        var engine = new RuleEngine(AirspaceService.Rules);
        Classification c = engine.Classify(aircraft);
        ClassRule rule = AirspaceService.Rules.RuleFor(c.Class);
        RuleFindingsDto? flight = null;
        if (request.PlannedStart is { } start)
        {
            RuleFindings f = engine.Evaluate(aircraft, new FlightFacts(request.MaxTrueHeightM, Verdict.Green, start));
            flight = AirspaceMapping.ToDto(f);
        }

        return TypedResults.Ok(new ClassificationDto(c.Class.ToString().ToLowerInvariant(), c.Label, c.Explanation, rule.PilotLicenceRequired,
            rule.AlwaysNeedsApproval, rule.OpenAirspaceMaxTrueHeightM, flight));
    }
}
