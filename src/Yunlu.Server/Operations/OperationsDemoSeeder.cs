using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Yunlu.Server.Auth;
using Yunlu.Server.Problems;
using Yunlu.Storage.Operations;

namespace Yunlu.Server.Operations;

/// <summary>What seeding the demo day did.</summary>
/// <param name="Accepted">Flights of the day accepted.</param>
/// <param name="Refused">Flights of the day not accepted (0 when the file matches the zones).</param>
/// <param name="ContestedId">The contested flight's id, or null when the day was seeded before (or there is no file).</param>
/// <param name="ContestedRejected">True when the contested flight was first refused.</param>
/// <param name="ResolutionKind">The kind of the resolution it was then accepted with, or null.</param>
public sealed record DemoDaySeedResult(int Accepted, int Refused, Guid? ContestedId, bool ContestedRejected, string? ResolutionKind);

/// <summary>Loads <see cref="OperationsDemoDay.FileName"/> through the same code paths as the HTTP API (registry
/// validation, intent parsing, deconfliction, booking), as the demo operator <see cref="OperationsDemoDay.Actor"/>:
/// registry entries (expiries one year ahead), the day's flights, then the contested flight with resolutions and,
/// when refused, its first resolution as a volume update of the same intent.</summary>
internal static class OperationsDemoSeeder
{
    public static async Task<DemoDaySeedResult> SeedAsync(string folder, OperationsRuntime runtime, OperationsNotifier notifier, TimeProvider time, CancellationToken ct)
    {
        string path = Path.Combine(folder, OperationsDemoDay.FileName);
        if (!File.Exists(path))
        {
            return new DemoDaySeedResult(0, 0, null, false, null);
        }

        DemoDay day = OperationsDemoDay.Read(await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false));
        IReadOnlyList<Yunlu.Airspace.Operations.OperationalIntent> existing =
            await runtime.Store.ListIntentsAsync(new IntentQuery(OwnerId: OperationsDemoDay.Actor, Limit: 1), ct).ConfigureAwait(false);
        if (existing.Count > 0)
        {
            return new DemoDaySeedResult(0, 0, null, false, null);
        }

        DateTimeOffset now = time.GetUtcNow(), until = now.AddYears(1);
        foreach (var (id, dto) in day.Operators)
        {
            OperatorDto d = dto with { Insurance = dto.Insurance is { } ins ? ins with { ValidUntil = until } : null };
            await PutAsync(runtime, RegistryKinds.Operator, id, RegistryService.Validate(d, new Violations()), ct).ConfigureAwait(false);
        }

        foreach (var (id, dto) in day.Aircraft)
        {
            await PutAsync(runtime, RegistryKinds.Aircraft, id, RegistryService.Validate(dto, new Violations()), ct).ConfigureAwait(false);
        }

        foreach (var (id, dto) in day.Pilots)
        {
            await PutAsync(runtime, RegistryKinds.Pilot, id, RegistryService.Validate(dto with { LicenceValidUntil = until }, new Violations()), ct).ConfigureAwait(false);
        }

        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", OperationsDemoDay.Actor), new Claim(ClaimTypes.Role, YunluRoles.Operator)], "demo", "sub", ClaimTypes.Role));
        DateTimeOffset dayStart = OperationsDemoDay.DemoDayStart(now);
        int accepted = 0, refused = 0;
        foreach (DemoFlight f in day.Flights)
        {
            IntentOutcomeDto? o = Outcome(await OperationsApi.SubmitAsync(OperationsDemoDay.ToRequest(f, dayStart), false, user, runtime, notifier, time, ct).ConfigureAwait(false));
            if (o?.Outcome == "ACCEPTED")
            {
                accepted++;
            }
            else
            {
                refused++;
            }
        }

        IntentOutcomeDto? first = Outcome(await OperationsApi.SubmitAsync(OperationsDemoDay.ToRequest(day.Contested, dayStart), true, user, runtime, notifier, time, ct).ConfigureAwait(false));
        bool rejected = first?.Outcome == "REJECTED";
        string? kind = null;
        if (rejected && first!.Resolutions is [var resolution, ..])
        {
            var http = new DefaultHttpContext();
            IntentOutcomeDto? second = Outcome(await OperationsApi.UpdateAsync(day.Contested.Id, new VolumesUpdateDto(resolution.Volumes.ToList(), first.Intent.Ovn), false, http.Request, user, runtime, notifier, time, ct).ConfigureAwait(false));
            kind = second?.Outcome == "ACCEPTED" ? resolution.Kind : null;
        }

        return new DemoDaySeedResult(accepted, refused, day.Contested.Id, rejected, kind);
    }

    private static IntentOutcomeDto? Outcome(Results<Created<IntentOutcomeDto>, ValidationProblem, ProblemHttpResult> result) =>
        result.Result is Created<IntentOutcomeDto> created ? created.Value : null;

    private static async Task PutAsync<T>(OperationsRuntime runtime, string kind, string id, T? dto, CancellationToken ct)
        where T : class
    {
        if (dto is not null)
        {
            await runtime.Registry.PutAsync(kind, id, RegistryService.Write(dto), OperationsDemoDay.Actor, null, ct).ConfigureAwait(false);
        }
    }
}
