using Yunlu.Geo;

namespace Yunlu.Airspace.Operations;

/// <summary>
/// How much way an operational intent is given. Higher values win: a lower-priority intent never blocks a
/// higher-priority one, and an emergency intent is never blocked by another intent (see <see cref="StrategicChecker"/>).
/// </summary>
public enum IntentPriority
{
    /// <summary>Ordinary commercial or private flight.</summary>
    Normal = 0,

    /// <summary>Public-service flight (police, inspection of infrastructure, surveying for the state).</summary>
    PublicService = 1,

    /// <summary>Emergency flight (medical, rescue, firefighting).</summary>
    Emergency = 2,
}

/// <summary>The life-cycle state of an operational intent (ASTM F3548 states plus the approval outcomes).</summary>
public enum IntentState
{
    /// <summary>Being prepared by its owner; not checked, blocks nobody.</summary>
    Draft,

    /// <summary>Handed in for strategic deconfliction and approval; blocks nobody yet.</summary>
    Submitted,

    /// <summary>Approved: conflict-free when accepted; blocks later intents.</summary>
    Accepted,

    /// <summary>Refused, with reasons; may be resubmitted (e.g. with a resolution applied).</summary>
    Rejected,

    /// <summary>The flight is under way inside its volumes.</summary>
    Activated,

    /// <summary>The flight left its volumes (telemetry outside them); still blocks others.</summary>
    Nonconforming,

    /// <summary>The flight lost control of its position or link; its volumes are no longer reliable.</summary>
    Contingent,

    /// <summary>The flight is over (terminal).</summary>
    Ended,

    /// <summary>The owner withdrew it before the flight (terminal).</summary>
    Withdrawn,

    /// <summary>A manager or authority cancelled it (terminal).</summary>
    Cancelled,
}

/// <summary>
/// A flight as the platform books it: a sequence of 4D volumes (polygon or circle footprint × W84 altitude band ×
/// half-open time window) plus who flies it, with a state and an opaque version (OVN) that changes on every change.
/// Immutable: every change returns a new instance (see <see cref="IntentChanges"/>).
/// </summary>
public sealed record OperationalIntent
{
    /// <summary>The intent's identifier.</summary>
    public required Guid Id { get; init; }

    /// <summary>The user (subject) that owns it and receives its notifications.</summary>
    public required string OwnerId { get; init; }

    /// <summary>The airspace manager responsible for approving it, or null for automatic approval.</summary>
    public string? ManagerId { get; init; }

    /// <summary>The priority.</summary>
    public IntentPriority Priority { get; init; }

    /// <summary>The operator (company or person) flying.</summary>
    public required string OperatorId { get; init; }

    /// <summary>The aircraft (registration).</summary>
    public required string AircraftId { get; init; }

    /// <summary>The remote pilot.</summary>
    public required string PilotId { get; init; }

    /// <summary>The volumes, in flight order. All altitudes W84 (ASTM F3548).</summary>
    public required IReadOnlyList<Volume4D> Volumes { get; init; }

    /// <summary>The route the volumes were generated from (an identifier in the routing module), if any.</summary>
    public string? RouteRef { get; init; }

    /// <summary>Zone identifiers for which the operator holds an authorisation (lifts REQ_AUTHORISATION zones).</summary>
    public IReadOnlyList<string> ZoneAuthorisations { get; init; } = [];

    /// <summary>The state.</summary>
    public IntentState State { get; init; }

    /// <summary>The opaque version: 16–128 URL-safe characters, new on every change (see <see cref="Ovn"/>).</summary>
    public required string Ovn { get; init; }

    /// <summary>Counts changes (1 for a new intent).</summary>
    public long Version { get; init; } = 1;

    /// <summary>Why it was rejected (empty unless <see cref="State"/> is <see cref="IntentState.Rejected"/>).</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>When the current version was made.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The window from the earliest volume start to the latest volume end.</summary>
    public TimeWindow Span
    {
        get
        {
            DateTimeOffset start = DateTimeOffset.MaxValue, end = DateTimeOffset.MinValue;
            foreach (Volume4D v in Volumes)
            {
                if (v.Time.Start < start)
                {
                    start = v.Time.Start;
                }

                if (v.Time.End > end)
                {
                    end = v.Time.End;
                }
            }

            return new TimeWindow(start, end);
        }
    }

    /// <summary>True in the states in which the intent occupies its volumes and blocks others.</summary>
    public bool IsBlocking => IntentStateMachine.IsBlocking(State);
}
