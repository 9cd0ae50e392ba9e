using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Yunlu.Airspace.Operations;
using Yunlu.Geo;
using Yunlu.Server.Api;
using Yunlu.Server.Auth;
using Yunlu.Server.Contracts;
using Yunlu.Server.Problems;
using Yunlu.Storage.Operations;

namespace Yunlu.Server.Operations;

/// <summary>
/// <c>/api/v1/operations</c>: submit (or draft), read, list, change volumes (OVN in <c>If-Match</c> or the body; stale →
/// 409), transitions, the manager's approval queue, dry-run checks with resolutions, webhook subscriptions.
/// </summary>
public static class OperationsApi
{
    /// <summary>Largest page.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>Policy: manager, supervisor or admin (approvals, cancellations, the queue).</summary>
    public const string ApprovePolicy = "approve-intents";

    internal static RouteGroupBuilder MapOperationsEndpoints(this RouteGroupBuilder v1)
    {
        var ops = v1.MapGroup("/operations").WithTags("Operations");
        ops.MapPost("", SubmitAsync).WithName("SubmitIntent")
            .WithSummary("Creates an operational intent and (unless submit=false) deconflicts it: ACCEPTED, REJECTED with the exact conflicts (and with ?resolve=true resolutions), or PENDING_APPROVAL when the rules need a manager.")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(YunluRoles.OperatePolicy);
        ops.MapPost("/check", CheckAsync).WithName("CheckIntent")
            .WithSummary("Dry run: the conflicts (and with ?resolve=true resolutions) an intent would meet now; nothing is stored.")
            .RequireAuthorization(YunluRoles.OperatePolicy);
        ops.MapGet("", ListAsync).WithName("ListIntents")
            .WithSummary("Intents by state, owner, operator and window (from/to); operators see only their own.")
            .RequireAuthorization(YunluRoles.OperatePolicy);
        ops.MapGet("/queue", QueueAsync).WithName("ApprovalQueue")
            .WithSummary("Submitted intents waiting for a manager's decision, earliest start first.")
            .RequireAuthorization(ApprovePolicy);
        ops.MapGet("/{id:guid}", GetAsync).WithName("GetIntent").WithSummary("One intent; the ETag is its OVN.")
            .ProducesProblem(StatusCodes.Status404NotFound).RequireAuthorization(YunluRoles.OperatePolicy);
        ops.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateIntent")
            .WithSummary("Replaces the volumes (If-Match: \"<ovn>\" or body ovn). Draft stays Draft; Rejected/Submitted are re-checked; Accepted stays Accepted when clear, else keeps its volumes (UNCHANGED).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(YunluRoles.OperatePolicy);
        foreach (var (verb, state) in new[] { ("activate", IntentState.Activated), ("end", IntentState.Ended), ("withdraw", IntentState.Withdrawn) })
        {
            ops.MapPost("/{id:guid}/" + verb, (Guid id, TransitionDto? body, HttpRequest request, ClaimsPrincipal user, OperationsRuntime runtime, OperationsNotifier notifier, CancellationToken ct) =>
                    TransitionAsync(id, body, state, request, user, runtime, notifier, managerAction: false, ct))
                .WithName(char.ToUpperInvariant(verb[0]) + verb[1..] + "Intent")
                .WithSummary($"Moves the intent to {WireNames.ToWire(state)} (owner; OVN in If-Match or the body).")
                .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(YunluRoles.OperatePolicy);
        }

        ops.MapPost("/{id:guid}/submit", SubmitDraftAsync).WithName("SubmitDraft")
            .WithSummary("Submits a draft for deconfliction and approval.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(YunluRoles.OperatePolicy);
        ops.MapPost("/{id:guid}/cancel", (Guid id, TransitionDto? body, HttpRequest request, ClaimsPrincipal user, OperationsRuntime runtime, OperationsNotifier notifier, CancellationToken ct) =>
                TransitionAsync(id, body, IntentState.Cancelled, request, user, runtime, notifier, managerAction: true, ct))
            .WithName("CancelIntent").WithSummary("A manager cancels a submitted or accepted intent (reason kept).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(ApprovePolicy);
        ops.MapPost("/{id:guid}/reject", (Guid id, TransitionDto? body, HttpRequest request, ClaimsPrincipal user, OperationsRuntime runtime, OperationsNotifier notifier, CancellationToken ct) =>
                TransitionAsync(id, body, IntentState.Rejected, request, user, runtime, notifier, managerAction: true, ct))
            .WithName("RejectIntent").WithSummary("A manager rejects a submitted intent (reason required).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(ApprovePolicy);
        ops.MapPost("/{id:guid}/approve", ApproveAsync).WithName("ApproveIntent")
            .WithSummary("A manager approves a submitted intent: re-checked under the booking locks, then ACCEPTED or REJECTED.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(ApprovePolicy);
        ops.MapPut("/webhook", PutWebhookAsync).WithName("PutWebhook")
            .WithSummary("Registers the URL notifications for the caller's intents are POSTed to (retried on failure).")
            .RequireAuthorization(YunluRoles.AnyUserPolicy);
        return v1;
    }

    private static bool IsManager(ClaimsPrincipal user) =>
        user.IsInRole(YunluRoles.Manager) || user.IsInRole(YunluRoles.Supervisor) || user.IsInRole(YunluRoles.Admin);

    private static bool MayChange(ClaimsPrincipal user, OperationalIntent intent) =>
        string.Equals(intent.OwnerId, ApiSupport.Actor(user), StringComparison.Ordinal) || IsManager(user);

    private static ProblemHttpResult Forbidden(Guid id) =>
        TypedResults.Problem(detail: $"Intent {id} belongs to another owner; only its owner or a manager may change it.", statusCode: StatusCodes.Status403Forbidden,
            title: "Not your intent.", type: ProblemTypes.Forbidden);

    private static async Task<(OperationalIntent? Intent, bool NeedsApproval, Violations Violations)> ParseAsync(
        IntentRequestDto? body, ClaimsPrincipal user, OperationsRuntime runtime, TimeProvider time, CancellationToken ct)
    {
        var violations = new Violations();
        if (body is null)
        {
            violations.Add("$", IntentRules.Required, "the body is an intent object");
            return (null, false, violations);
        }

        IntentPriority priority = IntentPriority.Normal;
        if (body.Priority is not null && !WireNames.TryParse(body.Priority, out priority))
        {
            violations.Add("priority", "value-unknown", $"priority is one of {WireNames.List<IntentPriority>()}");
        }

        if (priority != IntentPriority.Normal && !IsManager(user) && !user.IsInRole(YunluRoles.Operator))
        {
            violations.Add("priority", "priority-not-allowed", "only operators and managers may file PUBLIC_SERVICE or EMERGENCY intents");
        }

        foreach (var (value, field) in new[] { (body.OperatorId, "operatorId"), (body.AircraftId, "aircraftId"), (body.PilotId, "pilotId") })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                violations.Add(field, IntentRules.Required, $"{field} is required");
            }
        }

        if (body.Id == Guid.Empty)
        {
            violations.Add("id", "id-format", "id must not be the empty GUID");
        }

        IReadOnlyList<Volume4D>? volumes = OperationsMapping.ToVolumes(body.Volumes, violations);
        if (volumes is not null)
        {
            OperationsMapping.Add(violations, IntentValidator.Validate(volumes, time.GetUtcNow()));
        }

        var intent = new OperationalIntent
        {
            Id = body.Id ?? Guid.NewGuid(),
            OwnerId = ApiSupport.Actor(user),
            Priority = priority,
            OperatorId = body.OperatorId ?? "",
            AircraftId = body.AircraftId ?? "",
            PilotId = body.PilotId ?? "",
            Volumes = volumes ?? [],
            RouteRef = body.RouteRef,
            ZoneAuthorisations = body.ZoneAuthorisations ?? [],
            Ovn = Ovn.New(),
            UpdatedAt = time.GetUtcNow(),
        };
        bool needsApproval = false;
        if (!string.IsNullOrWhiteSpace(body.OperatorId) && !string.IsNullOrWhiteSpace(body.AircraftId) && !string.IsNullOrWhiteSpace(body.PilotId))
        {
            needsApproval = await runtime.CheckReferencesAsync(intent, violations, ct).ConfigureAwait(false);
        }

        return (violations.IsEmpty ? intent : null, needsApproval, violations);
    }

    internal static async Task<Results<Created<IntentOutcomeDto>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        IntentRequestDto? body, bool? resolve, ClaimsPrincipal user, OperationsRuntime runtime, OperationsNotifier notifier, TimeProvider time, CancellationToken ct)
    {
        var (intent, needsApproval, violations) = await ParseAsync(body, user, runtime, time, ct).ConfigureAwait(false);
        if (intent is null)
        {
            return violations.ToProblem("The intent is invalid; nothing was stored.");
        }

        string location = "/api/v1/operations/" + intent.Id.ToString("D");
        if (body!.Submit == false)
        {
            IntentChangeResult draft = IntentChanges.CreateDraft(intent, time.GetUtcNow());
            if (!draft.IsOk)
            {
                OperationsMapping.Add(violations, draft.Errors);
                return violations.ToProblem("The intent is invalid; nothing was stored.");
            }

            if (runtime.Book.Get(intent.Id) is not null || await runtime.Store.GetIntentAsync(intent.Id, ct).ConfigureAwait(false) is not null)
            {
                return OperationsMapping.Conflict(OperationsMapping.DuplicateType, "The intent exists already.", [new IntentError("id", "duplicate", $"intent {intent.Id} exists already")], null);
            }

            CommitOutcome stored = await runtime.Store.CommitAsync(draft.Intent!, null, [], ct).ConfigureAwait(false);
            if (!stored.Committed)
            {
                return OperationsMapping.Conflict(OperationsMapping.DuplicateType, "The intent exists already.", [new IntentError("id", "duplicate", stored.Reasons[0])], null);
            }

            runtime.Book.Load(draft.Intent!);
            notifier.IntentCommitted(draft.Intent!, null);
            return TypedResults.Created(location, OperationsMapping.Outcome("DRAFT", draft.Intent!, null, null));
        }

        BookingResult result = await runtime.Book.SubmitAsync(intent, autoApprove: !needsApproval, runtime.Store, ct).ConfigureAwait(false);
        return await AnswerAsync(result, resolve == true, created: true, location, runtime, notifier, ct).ConfigureAwait(false);
    }

    private static async Task<Results<Created<IntentOutcomeDto>, ValidationProblem, ProblemHttpResult>> AnswerAsync(
        BookingResult result, bool resolve, bool created, string location, OperationsRuntime runtime, OperationsNotifier notifier, CancellationToken ct)
    {
        switch (result.Status)
        {
            case BookingStatus.Invalid:
                var v = new Violations();
                OperationsMapping.Add(v, result.Errors);
                return v.ToProblem("The intent is invalid; nothing was stored.");
            case BookingStatus.NotFound:
                return OperationsMapping.NotFound(Guid.Empty);
            case BookingStatus.Stale:
                return OperationsMapping.Conflict(OperationsMapping.OvnStaleType, "The OVN is stale; nothing changed.", result.Errors, result.Intent);
            case BookingStatus.InvalidTransition:
                return OperationsMapping.Conflict(OperationsMapping.InvalidTransitionType, "The state does not allow this change.", result.Errors, result.Intent);
            case BookingStatus.Duplicate:
                return OperationsMapping.Conflict(OperationsMapping.DuplicateType, "The intent exists already.", result.Errors, result.Intent);
        }

        OperationalIntent intent = result.Intent!;
        string outcome = result.Status switch
        {
            BookingStatus.Accepted => "ACCEPTED",
            BookingStatus.PendingApproval => "PENDING_APPROVAL",
            _ => intent.State == IntentState.Rejected ? "REJECTED" : "UNCHANGED",
        };
        IReadOnlyList<Resolution>? resolutions = null;
        if (resolve && result.Status == BookingStatus.Rejected)
        {
            resolutions = await runtime.ResolveAsync(intent, ct).ConfigureAwait(false);
        }

        if (outcome != "UNCHANGED")
        {
            notifier.IntentCommitted(intent, result.Report);
        }

        var dto = OperationsMapping.Outcome(outcome, intent, result.Report, resolutions);
        _ = created;
        return TypedResults.Created(location, dto);
    }

    private static async Task<Results<Ok<IntentOutcomeDto>, ValidationProblem>> CheckAsync(
        IntentRequestDto? body, bool? resolve, ClaimsPrincipal user, OperationsRuntime runtime, TimeProvider time, CancellationToken ct)
    {
        var (intent, _, violations) = await ParseAsync(body, user, runtime, time, ct).ConfigureAwait(false);
        if (intent is null)
        {
            return violations.ToProblem();
        }

        DeconflictionReport report = runtime.Checker.Check(intent);
        IReadOnlyList<Resolution>? resolutions = resolve == true && !report.IsClear ? await runtime.ResolveAsync(intent, ct).ConfigureAwait(false) : null;
        return TypedResults.Ok(OperationsMapping.Outcome(report.IsClear ? "CLEAR" : "CONFLICTS", intent with { State = IntentState.Draft }, report, resolutions));
    }

    private static async Task<Results<Ok<IntentPage>, ValidationProblem>> ListAsync(
        string? state, string? owner, string? operatorId, DateTimeOffset? from, DateTimeOffset? to, int? limit, int? offset,
        ClaimsPrincipal user, OperationsRuntime runtime, CancellationToken ct)
    {
        var violations = new Violations();
        IntentState? s = null;
        if (state is not null)
        {
            if (WireNames.TryParse<IntentState>(state, out var parsed))
            {
                s = parsed;
            }
            else
            {
                violations.Add("state", "value-unknown", $"state is one of {WireNames.List<IntentState>()}");
            }
        }

        if (limit is { } l && (l < 1 || l > MaxLimit))
        {
            violations.Add("limit", "limit-range", $"limit is 1–{MaxLimit}");
        }

        if (offset is < 0)
        {
            violations.Add("offset", "offset-range", "offset is ≥ 0");
        }

        if (from is { } f && to is { } t && t <= f)
        {
            violations.Add("to", "window-inverted", "to must be after from");
        }

        if (!IsManager(user))
        {
            string me = ApiSupport.Actor(user);
            if (owner is not null && !string.Equals(owner, me, StringComparison.Ordinal))
            {
                violations.Add("owner", "owner-not-allowed", "operators list only their own intents");
            }

            owner = me;
        }

        if (!violations.IsEmpty)
        {
            return violations.ToProblem();
        }

        var query = new IntentQuery(s, owner, operatorId, from, to, limit ?? 1000, offset ?? 0);
        var list = await runtime.Store.ListIntentsAsync(query, ct).ConfigureAwait(false);
        return TypedResults.Ok(new IntentPage(list.Select(OperationsMapping.ToDto).ToList(), query.Limit, query.Offset));
    }

    private static async Task<Ok<IntentPage>> QueueAsync(int? limit, OperationsRuntime runtime, CancellationToken ct)
    {
        var query = new IntentQuery(IntentState.Submitted, Limit: Math.Clamp(limit ?? 1000, 1, MaxLimit));
        var list = await runtime.Store.ListIntentsAsync(query, ct).ConfigureAwait(false);
        return TypedResults.Ok(new IntentPage(list.Select(OperationsMapping.ToDto).ToList(), query.Limit, 0));
    }

    private static async Task<Results<Ok<IntentDto>, ProblemHttpResult>> GetAsync(Guid id, ClaimsPrincipal user, HttpResponse response, OperationsRuntime runtime, CancellationToken ct)
    {
        OperationalIntent? intent = await runtime.GetAsync(id, ct).ConfigureAwait(false);
        if (intent is null)
        {
            return OperationsMapping.NotFound(id);
        }

        if (!MayChange(user, intent))
        {
            return Forbidden(id);
        }

        response.Headers.ETag = "\"" + intent.Ovn + "\"";
        return TypedResults.Ok(OperationsMapping.ToDto(intent));
    }

    internal static async Task<Results<Created<IntentOutcomeDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, VolumesUpdateDto? body, bool? resolve, HttpRequest request, ClaimsPrincipal user, OperationsRuntime runtime, OperationsNotifier notifier, TimeProvider time, CancellationToken ct)
    {
        OperationalIntent? current = await runtime.GetAsync(id, ct).ConfigureAwait(false);
        if (current is null)
        {
            return OperationsMapping.NotFound(id);
        }

        if (!MayChange(user, current))
        {
            return Forbidden(id);
        }

        var violations = new Violations();
        string? ovn = OperationsMapping.OvnOf(request, body?.Ovn);
        if (ovn is null)
        {
            violations.Add("ovn", IntentRules.Required, "name the version you change: If-Match: \"<ovn>\" or ovn in the body");
        }

        IReadOnlyList<Volume4D>? volumes = OperationsMapping.ToVolumes(body?.Volumes, violations);
        if (!violations.IsEmpty)
        {
            return violations.ToProblem("The change is invalid; nothing changed.");
        }

        var check = current with { Volumes = volumes! };
        await runtime.CheckReferencesAsync(check, violations, ct).ConfigureAwait(false);
        if (!violations.IsEmpty)
        {
            return violations.ToProblem("The change is invalid; nothing changed.");
        }

        string location = "/api/v1/operations/" + id.ToString("D");
        if (current.State == IntentState.Draft)
        {
            IntentChangeResult changed = IntentChanges.ReplaceVolumes(current, ovn, volumes!, time.GetUtcNow());
            if (!changed.IsOk)
            {
                return changed.Status switch
                {
                    IntentChangeStatus.Stale => OperationsMapping.Conflict(OperationsMapping.OvnStaleType, "The OVN is stale; nothing changed.", changed.Errors, current),
                    IntentChangeStatus.InvalidTransition => OperationsMapping.Conflict(OperationsMapping.InvalidTransitionType, "The state does not allow this change.", changed.Errors, current),
                    _ => Invalid(changed.Errors),
                };
            }

            CommitOutcome stored = await runtime.Store.CommitAsync(changed.Intent!, current, [], ct).ConfigureAwait(false);
            if (!stored.Committed)
            {
                return OperationsMapping.Conflict(OperationsMapping.OvnStaleType, "The OVN is stale; nothing changed.", [new IntentError("ovn", IntentRules.OvnStale, stored.Reasons[0])], current);
            }

            runtime.Book.Load(changed.Intent!);
            notifier.IntentCommitted(changed.Intent!, null);
            return TypedResults.Created(location, OperationsMapping.Outcome("DRAFT", changed.Intent!, null, null));
        }

        bool needsApproval = await runtime.CheckReferencesAsync(check, new Violations(), ct).ConfigureAwait(false);
        BookingResult result = await runtime.Book.ModifyAsync(id, ovn!, volumes!, autoApprove: !needsApproval, runtime.Store, ct).ConfigureAwait(false);
        return await AnswerAsync(result, resolve == true, created: false, location, runtime, notifier, ct).ConfigureAwait(false);
    }

    private static ValidationProblem MissingOvn() =>
        Violations.Single("ovn", IntentRules.Required, "name the version you change: If-Match: \"<ovn>\" or ovn in the body");

    private static ValidationProblem Invalid(IReadOnlyList<IntentError> errors)
    {
        var v = new Violations();
        OperationsMapping.Add(v, errors);
        return v.ToProblem("The change is invalid; nothing changed.");
    }

    private static async Task<Results<Created<IntentOutcomeDto>, ValidationProblem, ProblemHttpResult>> SubmitDraftAsync(
        Guid id, TransitionDto? body, bool? resolve, HttpRequest request, ClaimsPrincipal user, OperationsRuntime runtime, OperationsNotifier notifier, CancellationToken ct)
    {
        OperationalIntent? current = await runtime.GetAsync(id, ct).ConfigureAwait(false);
        if (current is null)
        {
            return OperationsMapping.NotFound(id);
        }

        if (!MayChange(user, current))
        {
            return Forbidden(id);
        }

        string? ovn = OperationsMapping.OvnOf(request, body?.Ovn);
        if (ovn is null)
        {
            return MissingOvn();
        }

        var violations = new Violations();
        bool needsApproval = await runtime.CheckReferencesAsync(current, violations, ct).ConfigureAwait(false);
        if (!violations.IsEmpty)
        {
            return violations.ToProblem("The intent is invalid; nothing changed.");
        }

        IntentChangeResult moved = await runtime.Book.TransitionAsync(id, ovn, IntentState.Submitted, null, runtime.Store, ct).ConfigureAwait(false);
        if (!moved.IsOk)
        {
            return ChangeProblem(id, moved);
        }

        BookingResult result = await runtime.Book.ModifyAsync(id, moved.Intent!.Ovn, moved.Intent.Volumes, autoApprove: !needsApproval, runtime.Store, ct).ConfigureAwait(false);
        return await AnswerAsync(result, resolve == true, created: false, "/api/v1/operations/" + id.ToString("D"), runtime, notifier, ct).ConfigureAwait(false);
    }

    private static async Task<Results<Created<IntentOutcomeDto>, ValidationProblem, ProblemHttpResult>> ApproveAsync(
        Guid id, TransitionDto? body, HttpRequest request, OperationsRuntime runtime, OperationsNotifier notifier, CancellationToken ct)
    {
        if (await runtime.GetAsync(id, ct).ConfigureAwait(false) is null)
        {
            return OperationsMapping.NotFound(id);
        }

        string? ovn = OperationsMapping.OvnOf(request, body?.Ovn);
        if (ovn is null)
        {
            return MissingOvn();
        }

        BookingResult result = await runtime.Book.ApproveAsync(id, ovn, runtime.Store, ct).ConfigureAwait(false);
        return await AnswerAsync(result, resolve: false, created: false, "/api/v1/operations/" + id.ToString("D"), runtime, notifier, ct).ConfigureAwait(false);
    }

    private static async Task<Results<Ok<IntentDto>, ValidationProblem, ProblemHttpResult>> TransitionAsync(
        Guid id, TransitionDto? body, IntentState to, HttpRequest request, ClaimsPrincipal user, OperationsRuntime runtime, OperationsNotifier notifier, bool managerAction, CancellationToken ct)
    {
        OperationalIntent? current = await runtime.GetAsync(id, ct).ConfigureAwait(false);
        if (current is null)
        {
            return OperationsMapping.NotFound(id);
        }

        if (!managerAction && !MayChange(user, current))
        {
            return Forbidden(id);
        }

        if (to == IntentState.Rejected && string.IsNullOrWhiteSpace(body?.Reason))
        {
            return Violations.Single("reason", IntentRules.Required, "a rejection needs a reason");
        }

        if (runtime.Book.Get(id) is null)
        {
            // Terminal or past: held only by the store; no transition leads anywhere from there.
            return OperationsMapping.Conflict(OperationsMapping.InvalidTransitionType, "The state does not allow this change.",
                [new IntentError("state", IntentRules.InvalidTransition, $"state: intent {id} is {WireNames.ToWire(current.State)} and no longer live")], current);
        }

        string? ovn = OperationsMapping.OvnOf(request, body?.Ovn);
        if (ovn is null)
        {
            return MissingOvn();
        }

        IReadOnlyList<string>? reasons = string.IsNullOrWhiteSpace(body?.Reason) ? null : [string.Create(CultureInfo.InvariantCulture, $"{ApiSupport.Actor(user)}: {body!.Reason}")];
        IntentChangeResult result = await runtime.Book.TransitionAsync(id, ovn, to, reasons, runtime.Store, ct).ConfigureAwait(false);
        if (!result.IsOk)
        {
            return ChangeProblem(id, result);
        }

        notifier.IntentCommitted(result.Intent!, null);
        return TypedResults.Ok(OperationsMapping.ToDto(result.Intent!));
    }

    private static ProblemHttpResult ChangeProblem(Guid id, IntentChangeResult result) => result.Status switch
    {
        IntentChangeStatus.NotFound => OperationsMapping.NotFound(id),
        IntentChangeStatus.Stale => OperationsMapping.Conflict(OperationsMapping.OvnStaleType, "The OVN is stale; nothing changed.", result.Errors, result.Intent),
        IntentChangeStatus.Invalid => OperationsMapping.Conflict(OperationsMapping.OvnStaleType, "The OVN is malformed, so it cannot be the current one; nothing changed.", result.Errors, result.Intent),
        _ => OperationsMapping.Conflict(OperationsMapping.InvalidTransitionType, "The state does not allow this change.", result.Errors, result.Intent),
    };

    private static async Task<Results<Ok<RegistryEntryDto<WebhookDto>>, ValidationProblem>> PutWebhookAsync(
        WebhookDto? body, ClaimsPrincipal user, OperationsRuntime runtime, CancellationToken ct)
    {
        var violations = new Violations();
        WebhookDto? hook = RegistryService.Validate(body, violations);
        if (hook is null)
        {
            return violations.ToProblem();
        }

        string me = ApiSupport.Actor(user);
        RegistryEntry e = await runtime.Registry.PutAsync(RegistryKinds.Webhook, me, RegistryService.Write(hook), me, null, ct).ConfigureAwait(false);
        return TypedResults.Ok(new RegistryEntryDto<WebhookDto>(e.Id, hook, e.Version, e.UpdatedAt, e.UpdatedBy));
    }
}
