using Yunlu.Geo;

namespace Yunlu.Airspace.Operations;

/// <summary>The outcome kind of a change request.</summary>
public enum IntentChangeStatus
{
    /// <summary>The change was made; <see cref="IntentChangeResult.Intent"/> is the new version.</summary>
    Ok,

    /// <summary>The input broke a rule (HTTP 400/422); nothing changed.</summary>
    Invalid,

    /// <summary>The OVN given is not the current one (HTTP 409); nothing changed.</summary>
    Stale,

    /// <summary>The state change is not allowed from the current state (HTTP 409); nothing changed.</summary>
    InvalidTransition,

    /// <summary>No such intent (HTTP 404).</summary>
    NotFound,
}

/// <summary>The result of a change request on an operational intent.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Intent">The new version when <see cref="Status"/> is <see cref="IntentChangeStatus.Ok"/>, else the
/// current version (null when not found).</param>
/// <param name="Errors">The problems (empty on success).</param>
public sealed record IntentChangeResult(IntentChangeStatus Status, OperationalIntent? Intent, IReadOnlyList<IntentError> Errors)
{
    /// <summary>True on success.</summary>
    public bool IsOk => Status == IntentChangeStatus.Ok;
}

/// <summary>
/// Pure changes on <see cref="OperationalIntent"/>: each checks the OVN the caller read, the state machine and the
/// input, then returns a new version with a new OVN (or the reason it did not).
/// </summary>
public static class IntentChanges
{
    /// <summary>Creates a new intent in <see cref="IntentState.Draft"/> after validating its volumes.</summary>
    /// <param name="template">The intent's content; <see cref="OperationalIntent.State"/>, OVN, version and reasons are replaced.</param>
    /// <param name="now">The current time.</param>
    /// <param name="limits">Limits, or null for the defaults.</param>
    public static IntentChangeResult CreateDraft(OperationalIntent template, DateTimeOffset now, IntentLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        IReadOnlyList<IntentError> errors = ValidateAll(template, now, limits);
        if (errors.Count > 0)
        {
            return new IntentChangeResult(IntentChangeStatus.Invalid, null, errors);
        }

        return Ok(template with { State = IntentState.Draft, Ovn = Ovn.New(), Version = 1, Reasons = [], UpdatedAt = now });
    }

    /// <summary>Moves an intent to <paramref name="to"/> when <paramref name="expectedOvn"/> is current and the state
    /// machine allows it.</summary>
    /// <param name="current">The current version.</param>
    /// <param name="expectedOvn">The OVN the caller read.</param>
    /// <param name="to">The wanted state.</param>
    /// <param name="now">The current time.</param>
    /// <param name="reasons">Reasons (kept for <see cref="IntentState.Rejected"/> and <see cref="IntentState.Cancelled"/>).</param>
    public static IntentChangeResult Transition(OperationalIntent current, string? expectedOvn, IntentState to, DateTimeOffset now, IReadOnlyList<string>? reasons = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        IntentChangeResult? bad = CheckOvn(current, expectedOvn);
        if (bad is not null)
        {
            return bad;
        }

        if (!IntentStateMachine.CanTransition(current.State, to))
        {
            return new IntentChangeResult(IntentChangeStatus.InvalidTransition, current,
                [new IntentError("state", IntentRules.InvalidTransition, IntentStateMachine.Describe(current.State, to))]);
        }

        return Ok(Next(current, now) with { State = to, Reasons = reasons ?? [] });
    }

    /// <summary>Replaces the volumes of a Draft or Rejected intent (which then stays in its state; a Rejected one is
    /// resubmitted with <see cref="Transition"/>). Accepted intents change through <see cref="IntentBook.ModifyAsync"/>,
    /// which re-checks them for conflicts first.</summary>
    /// <param name="current">The current version.</param>
    /// <param name="expectedOvn">The OVN the caller read.</param>
    /// <param name="volumes">The new volumes.</param>
    /// <param name="now">The current time.</param>
    /// <param name="limits">Limits, or null for the defaults.</param>
    public static IntentChangeResult ReplaceVolumes(OperationalIntent current, string? expectedOvn, IReadOnlyList<Volume4D> volumes, DateTimeOffset now, IntentLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        IntentChangeResult? bad = CheckOvn(current, expectedOvn);
        if (bad is not null)
        {
            return bad;
        }

        if (current.State is not (IntentState.Draft or IntentState.Rejected))
        {
            return new IntentChangeResult(IntentChangeStatus.InvalidTransition, current,
                [new IntentError("state", IntentRules.InvalidTransition, $"state: volumes of a {current.State} intent cannot be replaced here; only Draft or Rejected intents (Accepted ones through the intent book)")]);
        }

        IReadOnlyList<IntentError> errors = IntentValidator.Validate(volumes, now, limits);
        if (errors.Count > 0)
        {
            return new IntentChangeResult(IntentChangeStatus.Invalid, current, errors);
        }

        return Ok(Next(current, now) with { Volumes = volumes });
    }

    /// <summary>Checks the OVN the caller read: null when it is the current one, else a Stale or Invalid result.</summary>
    /// <param name="current">The current version.</param>
    /// <param name="expectedOvn">The OVN the caller read.</param>
    public static IntentChangeResult? CheckOvn(OperationalIntent current, string? expectedOvn)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (!Ovn.IsWellFormed(expectedOvn))
        {
            return new IntentChangeResult(IntentChangeStatus.Invalid, current,
                [new IntentError("ovn", IntentRules.OvnMalformed, $"ovn must be {Ovn.MinLength}-{Ovn.MaxLength} URL-safe characters")]);
        }

        if (!string.Equals(expectedOvn, current.Ovn, StringComparison.Ordinal))
        {
            return new IntentChangeResult(IntentChangeStatus.Stale, current,
                [new IntentError("ovn", IntentRules.OvnStale, $"ovn {expectedOvn} is stale: the intent was changed since (current version {current.Version})")]);
        }

        return null;
    }

    internal static OperationalIntent Next(OperationalIntent current, DateTimeOffset now) =>
        current with { Ovn = Ovn.New(), Version = current.Version + 1, UpdatedAt = now };

    private static IReadOnlyList<IntentError> ValidateAll(OperationalIntent t, DateTimeOffset now, IntentLimits? limits)
    {
        var errors = new List<IntentError>(IntentValidator.Validate(t.Volumes, now, limits));
        if (string.IsNullOrWhiteSpace(t.OwnerId))
        {
            errors.Add(new IntentError("ownerId", IntentRules.Required, "owner is required"));
        }

        if (string.IsNullOrWhiteSpace(t.OperatorId))
        {
            errors.Add(new IntentError("operatorId", IntentRules.Required, "operator is required"));
        }

        if (string.IsNullOrWhiteSpace(t.AircraftId))
        {
            errors.Add(new IntentError("aircraftId", IntentRules.Required, "aircraft is required"));
        }

        if (string.IsNullOrWhiteSpace(t.PilotId))
        {
            errors.Add(new IntentError("pilotId", IntentRules.Required, "pilot is required"));
        }

        if (t.Id == Guid.Empty)
        {
            errors.Add(new IntentError("id", IntentRules.Required, "id must not be the empty GUID"));
        }

        return errors;
    }

    private static IntentChangeResult Ok(OperationalIntent intent) => new(IntentChangeStatus.Ok, intent, []);
}
