using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Yunlu.Server.Api;
using Yunlu.Server.Auth;
using Yunlu.Server.Problems;
using Yunlu.Storage;
using Yunlu.Storage.Operations;

namespace Yunlu.Server.Operations;

/// <summary><c>/api/v1/registry/{operators|aircraft|pilots}/{id}</c>: read and create/replace (If-Match: "&lt;version&gt;"
/// makes a write conditional; 412 when stale). Validation errors name the field and the rule.</summary>
public static class RegistryApi
{
    internal static RouteGroupBuilder MapRegistryEndpoints(this RouteGroupBuilder v1)
    {
        var registry = v1.MapGroup("/registry").WithTags("Registry");
        Map<OperatorDto>(registry, "operators", RegistryKinds.Operator, "Operator", RegistryService.Validate);
        Map<AircraftDto>(registry, "aircraft", RegistryKinds.Aircraft, "Aircraft", RegistryService.Validate);
        Map<PilotDto>(registry, "pilots", RegistryKinds.Pilot, "Pilot", RegistryService.Validate);
        return v1;
    }

    private static void Map<T>(RouteGroupBuilder registry, string path, string kind, string name, Func<T?, Violations, T?> validate)
        where T : class
    {
        registry.MapGet("/" + path + "/{id}", async Task<Results<Ok<RegistryEntryDto<T>>, ProblemHttpResult>> (string id, HttpResponse response, OperationsRuntime runtime, CancellationToken ct) =>
            {
                RegistryEntry? e = await runtime.Registry.GetAsync(kind, id, ct).ConfigureAwait(false);
                if (e is null)
                {
                    return TypedResults.Problem(detail: $"There is no {kind} '{id}'.", statusCode: StatusCodes.Status404NotFound, title: $"No such {kind}.", type: ProblemTypes.NotFound);
                }

                response.Headers.ETag = string.Create(CultureInfo.InvariantCulture, $"\"{e.Version}\"");
                return TypedResults.Ok(new RegistryEntryDto<T>(e.Id, RegistryService.Read<T>(e), e.Version, e.UpdatedAt, e.UpdatedBy));
            })
            .WithName("Get" + name).WithSummary($"One registered {kind} with its version (also the ETag).")
            .ProducesProblem(StatusCodes.Status404NotFound).RequireAuthorization(YunluRoles.AnyUserPolicy);

        registry.MapPut("/" + path + "/{id}", async Task<Results<Ok<RegistryEntryDto<T>>, Created<RegistryEntryDto<T>>, ValidationProblem, ProblemHttpResult>> (
                string id, T? body, HttpRequest request, HttpResponse response, ClaimsPrincipal user, OperationsRuntime runtime, CancellationToken ct) =>
            {
                var violations = new Violations();
                RegistryService.CheckId(id, violations);
                long? expected = null;
                var ifMatch = request.Headers.IfMatch.ToString();
                if (!string.IsNullOrWhiteSpace(ifMatch))
                {
                    if (long.TryParse(ifMatch.Trim().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out long v) && v >= 0)
                    {
                        expected = v;
                    }
                    else
                    {
                        violations.Add("If-Match", "etag-format", "If-Match is the entry's version in quotes, e.g. \"3\" (\"0\": must not exist yet)");
                    }
                }

                T? valid = validate(body, violations);
                if (valid is null || !violations.IsEmpty)
                {
                    return violations.ToProblem($"The {kind} is invalid; nothing was stored.");
                }

                RegistryEntry e;
                try
                {
                    e = await runtime.Registry.PutAsync(kind, id, RegistryService.Write(valid), ApiSupport.Actor(user), expected, ct).ConfigureAwait(false);
                }
                catch (ConcurrencyConflictException ex)
                {
                    return TypedResults.Problem(detail: ex.Message, statusCode: StatusCodes.Status412PreconditionFailed, title: "The stored version differs from If-Match.", type: ProblemTypes.VersionConflict);
                }

                response.Headers.ETag = string.Create(CultureInfo.InvariantCulture, $"\"{e.Version}\"");
                var dto = new RegistryEntryDto<T>(e.Id, valid, e.Version, e.UpdatedAt, e.UpdatedBy);
                return e.Version == 1 ? TypedResults.Created($"/api/v1/registry/{path}/{Uri.EscapeDataString(id)}", dto) : TypedResults.Ok(dto);
            })
            .WithName("Put" + name).WithSummary($"Creates or replaces a {kind}. If-Match: \"<version>\" makes it conditional (412 when stale).")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).RequireAuthorization(YunluRoles.OperatePolicy);
    }
}
