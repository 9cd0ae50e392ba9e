namespace Yunlu.Supervision.Alerts;

/// <summary>What an alert is about. The replay's JSONL <c>kind</c> is <see cref="AlertKinds.WireName(AlertKind)"/>.</summary>
public enum AlertKind
{
    /// <summary>The aircraft is inside an active restricting zone now.</summary>
    ZoneIncursion,

    /// <summary>The aircraft will enter an active restricting zone within the look-ahead on its current velocity.</summary>
    ZoneIncursionPredicted,

    /// <summary>Two aircraft are closer than the minima now (horizontally and vertically at once).</summary>
    SeparationLoss,

    /// <summary>Two aircraft will lose separation within the look-ahead (linear extrapolation).</summary>
    SeparationPredicted,

    /// <summary>The aircraft is outside its Activated intent's 4D volumes.</summary>
    Nonconforming,

    /// <summary>The aircraft has been nonconforming for the contingent time (60 s) or more.</summary>
    Contingent,

    /// <summary>No data from the aircraft for the lost-link time (15 s).</summary>
    LostLink,

    /// <summary>The aircraft is above the true-height ceiling (120 m AGL).</summary>
    Ceiling,

    /// <summary>The wind at the aircraft's position exceeds its limit.</summary>
    WindLimit,

    /// <summary>The aircraft flies without an Activated intent.</summary>
    NoIntent,
}

/// <summary>Where an alert is in its lifecycle.</summary>
public enum AlertEventType
{
    /// <summary>First detected.</summary>
    Raised,

    /// <summary>Still present, with a changed level or advisory.</summary>
    Updated,

    /// <summary>No longer present.</summary>
    Cleared,

    /// <summary>A person acknowledged it (it stays active until cleared).</summary>
    Acknowledged,
}

/// <summary>How urgent an alert is.</summary>
public enum AlertLevel
{
    /// <summary>Something to watch (e.g. a predicted conflict more than the caution time ahead).</summary>
    Advisory,

    /// <summary>Act soon (e.g. a predicted conflict within the caution time, a predicted incursion).</summary>
    Caution,

    /// <summary>Act now (a loss of separation, an incursion, nonconformance, lost link).</summary>
    Warning,
}

/// <summary>The manoeuvre a resolution advisory asks of the aircraft that gives way.</summary>
public enum AdvisoryManeuver
{
    /// <summary>Climb away (the give-way aircraft is above or level with the other).</summary>
    Climb,

    /// <summary>Descend away (the give-way aircraft is below the other, or the other is manned).</summary>
    Descend,

    /// <summary>Turn right (head-on encounters).</summary>
    TurnRight,

    /// <summary>Stop and hold position (crossing, overtaking and climbing-through encounters).</summary>
    Hold,
}

/// <summary>A resolution advisory for one aircraft of a separation conflict.</summary>
/// <param name="Aircraft">The aircraft that should give way.</param>
/// <param name="Maneuver">What it should do.</param>
/// <param name="Reason">Which priority rule decided (for the supervisor).</param>
public sealed record ResolutionAdvisory(string Aircraft, AdvisoryManeuver Maneuver, string Reason);

/// <summary>One lifecycle event of an alert.</summary>
/// <param name="AlertId">Stable id of the alert (the same for all its events).</param>
/// <param name="Time">When (the supervision cycle's time, UTC).</param>
/// <param name="Kind">What.</param>
/// <param name="Event">Which lifecycle step.</param>
/// <param name="Level">Urgency at this step.</param>
/// <param name="Aircraft">The aircraft (for pairs: the ordinally smaller id).</param>
/// <param name="Other">The other aircraft of a separation alert, else null.</param>
/// <param name="Zone">The zone identifier of a zone alert, else null.</param>
/// <param name="Intent">The intent id of a conformance alert, else null.</param>
/// <param name="TimeToEventS">Seconds until the predicted loss or incursion (0 when it is now), else null.</param>
/// <param name="Advisory">The resolution advisory of a separation alert, else null.</param>
/// <param name="AcknowledgedBy">Who acknowledged (acknowledged events), else null.</param>
public sealed record AlertEvent(
    long AlertId,
    DateTimeOffset Time,
    AlertKind Kind,
    AlertEventType Event,
    AlertLevel Level,
    string Aircraft,
    string? Other,
    string? Zone,
    string? Intent,
    double? TimeToEventS,
    ResolutionAdvisory? Advisory,
    string? AcknowledgedBy = null);

/// <summary>An active alert as the supervisor sees it.</summary>
/// <param name="AlertId">Stable id.</param>
/// <param name="Kind">What.</param>
/// <param name="Level">Current level.</param>
/// <param name="Aircraft">The aircraft.</param>
/// <param name="Other">The other aircraft, for separation alerts.</param>
/// <param name="Zone">The zone, for zone alerts.</param>
/// <param name="Intent">The intent, for conformance alerts.</param>
/// <param name="RaisedAt">When it was raised.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="TimeToEventS">Seconds to the predicted event (0 = now), when applicable.</param>
/// <param name="Advisory">The resolution advisory, when applicable.</param>
/// <param name="AcknowledgedBy">Who acknowledged it, or null.</param>
public sealed record ActiveAlert(
    long AlertId,
    AlertKind Kind,
    AlertLevel Level,
    string Aircraft,
    string? Other,
    string? Zone,
    string? Intent,
    DateTimeOffset RaisedAt,
    DateTimeOffset UpdatedAt,
    double? TimeToEventS,
    ResolutionAdvisory? Advisory,
    string? AcknowledgedBy);

/// <summary>Wire names of alert kinds and events.</summary>
public static class AlertKinds
{
    /// <summary>The snake_case name used in JSONL and JSON (e.g. <c>zone_incursion_predicted</c>).</summary>
    public static string WireName(this AlertKind kind) => kind switch
    {
        AlertKind.ZoneIncursion => "zone_incursion",
        AlertKind.ZoneIncursionPredicted => "zone_incursion_predicted",
        AlertKind.SeparationLoss => "separation_loss",
        AlertKind.SeparationPredicted => "separation_predicted",
        AlertKind.Nonconforming => "nonconforming",
        AlertKind.Contingent => "contingent",
        AlertKind.LostLink => "lost_link",
        AlertKind.Ceiling => "ceiling",
        AlertKind.WindLimit => "wind_limit",
        AlertKind.NoIntent => "no_intent",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown alert kind"),
    };

    /// <summary>The lower-case name of an event type (raised, updated, cleared, acknowledged).</summary>
    public static string WireName(this AlertEventType type) => type switch
    {
        AlertEventType.Raised => "raised",
        AlertEventType.Updated => "updated",
        AlertEventType.Cleared => "cleared",
        AlertEventType.Acknowledged => "acknowledged",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown alert event type"),
    };
}
