using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Yunlu.Server.Auth;
using Yunlu.Server.Contracts;
using Yunlu.Server.Problems;

namespace Yunlu.Server.Api;

/// <summary><c>POST /api/v1/auth/token</c>: the local development issuer (only when enabled).</summary>
public static partial class AuthApi
{
    /// <summary>Maps the token endpoint when the development issuer is enabled.</summary>
    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder v1)
    {
        var options = ((IEndpointRouteBuilder)v1).ServiceProvider.GetRequiredService<YunluServerOptions>();
        if (options.Auth.DevIssuerEnabled)
        {
            v1.MapPost("/auth/token", IssueToken).WithTags("Auth").WithName("IssueDevToken")
                .WithSummary("Issues an RS256 development token (sub, roles, scope, ≤ 1 h). Off in production.")
                .AllowAnonymous();
        }

        return v1;
    }

    [GeneratedRegex("^[A-Za-z0-9._@:-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex SubjectPattern();

    private static Results<Ok<TokenResponse>, ValidationProblem> IssueToken(TokenRequest request, DevTokenIssuer issuer)
    {
        var violations = new Violations();
        if (string.IsNullOrWhiteSpace(request.Subject))
        {
            violations.Add("subject", "field-missing", "the token's subject (who) is required");
        }
        else if (!SubjectPattern().IsMatch(request.Subject))
        {
            violations.Add("subject", "subject-format", "1–128 characters of A-Z a-z 0-9 . _ @ : -");
        }

        var roles = request.Roles ?? [];
        for (var i = 0; i < roles.Count; i++)
        {
            if (!YunluRoles.All.Contains(roles[i], StringComparer.Ordinal))
            {
                violations.Add($"roles[{i}]", "value-unknown", $"'{roles[i]}' is not one of {string.Join(", ", YunluRoles.All)}");
            }
        }

        var scopes = request.Scopes ?? [];
        for (var i = 0; i < scopes.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(scopes[i]) || scopes[i].Contains(' ', StringComparison.Ordinal))
            {
                violations.Add($"scopes[{i}]", "scope-format", "a scope is one word without spaces");
            }
        }

        if (request.LifetimeS is { } life && (life <= 0 || life > 3600))
        {
            violations.Add("lifetimeS", "lifetime-range", "the lifetime is 1–3600 seconds");
        }

        if (!violations.IsEmpty)
        {
            return violations.ToProblem();
        }

        var token = issuer.Issue(request.Subject!, roles, scopes, request.LifetimeS is { } s ? TimeSpan.FromSeconds(s) : null);
        return TypedResults.Ok(new TokenResponse(token.AccessToken, "Bearer", token.ExpiresInS, token.ExpiresAt));
    }
}
