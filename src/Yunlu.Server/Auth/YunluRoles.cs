using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Yunlu.Server.Auth;

/// <summary>The roles a Yunlu token may carry (claim <c>roles</c>) and the authorization policies built on them.</summary>
public static class YunluRoles
{
    /// <summary>Flies: files plans, reads the map.</summary>
    public const string Operator = "operator";

    /// <summary>Manages airspace data: zones, imports.</summary>
    public const string Manager = "manager";

    /// <summary>Watches live traffic and approves plans.</summary>
    public const string Supervisor = "supervisor";

    /// <summary>Everything.</summary>
    public const string Admin = "admin";

    /// <summary>The claim type that carries roles.</summary>
    public const string RoleClaim = "roles";

    /// <summary>The known roles.</summary>
    public static IReadOnlyList<string> All { get; } = [Operator, Manager, Supervisor, Admin];

    /// <summary>Policy: any authenticated caller.</summary>
    public const string AnyUserPolicy = "any-user";

    /// <summary>Policy: manager or admin (airspace data writes, imports).</summary>
    public const string ManagePolicy = "manage";

    /// <summary>Policy: supervisor or admin.</summary>
    public const string SupervisePolicy = "supervise";

    /// <summary>Policy: operator, manager, supervisor or admin.</summary>
    public const string OperatePolicy = "operate";

    /// <summary>Policy: admin only.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>ASTM F3548 / F3411 scopes and the role each one implies (scope claim, space-separated).</summary>
    public static IReadOnlyDictionary<string, string> ScopeRoles { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["utm.strategic_coordination"] = Operator,
        ["utm.constraint_management"] = Manager,
        ["utm.constraint_processing"] = Operator,
        ["utm.conformance_monitoring_sa"] = Supervisor,
        ["utm.availability_arbitration"] = Admin,
        ["rid.service_provider"] = Operator,
        ["rid.display_provider"] = Supervisor,
    };
}

/// <summary>Adds the roles implied by ASTM scopes (<c>scope</c> claim) to the caller's identity, so a token from a USS
/// ecosystem issuer that carries only scopes is authorized like one with roles.</summary>
internal sealed class ScopeRoleClaimsTransformation : IClaimsTransformation
{
    public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true } identity)
        {
            return Task.FromResult(principal);
        }

        var scopes = identity.FindAll("scope").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        foreach (var scope in scopes)
        {
            if (YunluRoles.ScopeRoles.TryGetValue(scope, out var role) && !identity.HasClaim(YunluRoles.RoleClaim, role))
            {
                identity.AddClaim(new Claim(YunluRoles.RoleClaim, role, ClaimValueTypes.String, "yunlu-scope-mapping"));
            }
        }

        return Task.FromResult(principal);
    }
}
