using Yunlu.Server.Contracts;

namespace Yunlu.Server.Operations;

/// <summary>One 4D volume on the wire: footprint (polygon rings or circle, lon/lat degrees) × altitude band in metres
/// above the WGS84 ellipsoid (floor inclusive, ceiling exclusive) × half-open time window.</summary>
/// <param name="Footprint">The footprint (as in zones).</param>
/// <param name="LowerW84M">Floor, metres above the WGS84 ellipsoid.</param>
/// <param name="UpperW84M">Ceiling, metres above the WGS84 ellipsoid.</param>
/// <param name="Start">Start (inclusive).</param>
/// <param name="End">End (exclusive).</param>
public sealed record VolumeDto(FootprintDto? Footprint, double? LowerW84M, double? UpperW84M, DateTimeOffset? Start, DateTimeOffset? End);

/// <summary>A new operational intent.</summary>
/// <param name="Id">The id (a new GUID when absent).</param>
/// <param name="Priority">NORMAL (default), PUBLIC_SERVICE or EMERGENCY.</param>
/// <param name="OperatorId">The registered operator.</param>
/// <param name="AircraftId">The registered aircraft (belonging to the operator).</param>
/// <param name="PilotId">The registered remote pilot.</param>
/// <param name="Volumes">The volumes in flight order.</param>
/// <param name="RouteRef">The route the volumes came from, if any.</param>
/// <param name="ZoneAuthorisations">Zones the operator holds an authorisation for.</param>
/// <param name="Submit">True (default): submit for deconfliction and approval now; false: keep as a draft.</param>
public sealed record IntentRequestDto(
    Guid? Id,
    string? Priority,
    string? OperatorId,
    string? AircraftId,
    string? PilotId,
    IReadOnlyList<VolumeDto>? Volumes,
    string? RouteRef,
    IReadOnlyList<string>? ZoneAuthorisations,
    bool? Submit);

/// <summary>New volumes for an intent (Draft, Rejected, Submitted or Accepted); the OVN here or in <c>If-Match</c>.</summary>
/// <param name="Volumes">The new volumes.</param>
/// <param name="Ovn">The version the change is based on.</param>
public sealed record VolumesUpdateDto(IReadOnlyList<VolumeDto>? Volumes, string? Ovn);

/// <summary>A state change request; the OVN here or in <c>If-Match</c>.</summary>
/// <param name="Ovn">The version the change is based on.</param>
/// <param name="Reason">Why (kept for rejections and cancellations).</param>
public sealed record TransitionDto(string? Ovn, string? Reason);

/// <summary>An operational intent as stored.</summary>
/// <param name="Id">Id.</param>
/// <param name="State">DRAFT, SUBMITTED, ACCEPTED, REJECTED, ACTIVATED, NONCONFORMING, CONTINGENT, ENDED, WITHDRAWN, CANCELLED.</param>
/// <param name="Ovn">The opaque version (also the ETag); updates must name it.</param>
/// <param name="Version">Counts changes (1 when created).</param>
/// <param name="Priority">NORMAL, PUBLIC_SERVICE or EMERGENCY.</param>
/// <param name="OwnerId">The owner (token subject) who receives notifications.</param>
/// <param name="OperatorId">Operator.</param>
/// <param name="AircraftId">Aircraft.</param>
/// <param name="PilotId">Pilot.</param>
/// <param name="Volumes">Volumes.</param>
/// <param name="RouteRef">Route reference.</param>
/// <param name="ZoneAuthorisations">Zone authorisations.</param>
/// <param name="Reasons">Why it was rejected or cancelled.</param>
/// <param name="UpdatedAt">When this version was made.</param>
public sealed record IntentDto(
    Guid Id,
    string State,
    string Ovn,
    long Version,
    string Priority,
    string OwnerId,
    string OperatorId,
    string AircraftId,
    string PilotId,
    IReadOnlyList<VolumeDto> Volumes,
    string? RouteRef,
    IReadOnlyList<string> ZoneAuthorisations,
    IReadOnlyList<string> Reasons,
    DateTimeOffset UpdatedAt);

/// <summary>One conflict found by strategic deconfliction: which volume, with what, where and when.</summary>
/// <param name="Kind">INTENT, ZONE or CELL_CAPACITY.</param>
/// <param name="VolumeIndex">Which of the intent's volumes.</param>
/// <param name="Blocking">True when it prevents acceptance (false: information, e.g. a lower-priority intent that must give way).</param>
/// <param name="IntentId">The other intent.</param>
/// <param name="OtherVolumeIndex">The other intent's volume.</param>
/// <param name="ZoneId">The zone.</param>
/// <param name="CellCode">The BeiDou grid cell.</param>
/// <param name="Where">West, south, east, north (degrees): a box containing the shared region.</param>
/// <param name="From">Start of the overlap.</param>
/// <param name="To">End of the overlap.</param>
/// <param name="Reason">A readable explanation.</param>
public sealed record ConflictDto(
    string Kind,
    int VolumeIndex,
    bool Blocking,
    Guid? IntentId,
    int? OtherVolumeIndex,
    string? ZoneId,
    string? CellCode,
    IReadOnlyList<double> Where,
    DateTimeOffset From,
    DateTimeOffset To,
    string Reason);

/// <summary>A change that removes every blocking conflict; resubmit its volumes with <c>PUT /api/v1/operations/{id}</c>.</summary>
/// <param name="Kind">START_TIME_SHIFT, ALTITUDE_LAYER or REROUTE.</param>
/// <param name="Description">A readable summary.</param>
/// <param name="StartShiftS">For a time shift: seconds later.</param>
/// <param name="AltitudeLayer">For a layer: its index (0 = lowest, 30 m each above ground).</param>
/// <param name="RouteRef">For a re-route: the new route.</param>
/// <param name="Volumes">The changed volumes.</param>
public sealed record ResolutionDto(string Kind, string Description, double? StartShiftS, int? AltitudeLayer, string? RouteRef, IReadOnlyList<VolumeDto> Volumes);

/// <summary>The answer to a submission or change.</summary>
/// <param name="Outcome">ACCEPTED, REJECTED, PENDING_APPROVAL, DRAFT or UNCHANGED (an accepted intent whose change conflicted keeps its volumes).</param>
/// <param name="Intent">The intent after the request.</param>
/// <param name="Conflicts">Every conflict found (blocking or not).</param>
/// <param name="Resolutions">With <c>?resolve=true</c> after a rejection: changes that clear the conflicts.</param>
public sealed record IntentOutcomeDto(string Outcome, IntentDto Intent, IReadOnlyList<ConflictDto> Conflicts, IReadOnlyList<ResolutionDto>? Resolutions);

/// <summary>A page of intents.</summary>
/// <param name="Items">The intents.</param>
/// <param name="Limit">The limit applied.</param>
/// <param name="Offset">The offset applied.</param>
public sealed record IntentPage(IReadOnlyList<IntentDto> Items, int Limit, int Offset);

/// <summary>A webhook subscription: notifications for the caller's intents are POSTed there.</summary>
/// <param name="Url">An absolute http(s) URL.</param>
public sealed record WebhookDto(string? Url);

/// <summary>A push notification to the owner of an intent (SignalR method <c>notification</c> on
/// <c>/hubs/operations</c>, and the body POSTed to the owner's webhook).</summary>
/// <param name="Kind">INTENT_CHANGED (your intent changed state or volumes), INTENT_AFFECTED (an intent of equal or
/// higher priority now overlaps yours: give way), ZONE_CHANGED (a zone was created, changed or deleted over your intent).</param>
/// <param name="IntentId">Your intent.</param>
/// <param name="State">Its state.</param>
/// <param name="CausedBy">The intent or zone that caused the notification.</param>
/// <param name="Detail">A readable explanation.</param>
/// <param name="At">When.</param>
public sealed record OperationsNotification(string Kind, Guid IntentId, string State, string? CausedBy, string Detail, DateTimeOffset At);
