using System.Text.Json.Serialization;
using Yunlu.Server.Operations;

namespace Yunlu.Server.Routing;

/// <summary>A position in a route request.</summary>
/// <param name="LonDeg">Longitude, degrees.</param>
/// <param name="LatDeg">Latitude, degrees.</param>
public sealed record RoutePointDto(double? LonDeg, double? LatDeg);

/// <summary>POST /api/v1/routes/plan body.</summary>
/// <param name="From">Take-off.</param>
/// <param name="To">Landing (for loops: last drop or point of interest; for training: circuit centre; optional then).</param>
/// <param name="Via">Pass-through points.</param>
/// <param name="DepartureUtc">Departure time (ISO-8601); now when omitted.</param>
/// <param name="Template">point-to-point (default), logistics, sightseeing, inspection, training.</param>
/// <param name="AircraftId">A registered aircraft (operations registry): its class, cruise speed and rated wind are used
/// (422 naming <c>aircraftId</c> when unknown); the request's airspeed and wind limit may only lower them.</param>
/// <param name="CruiseAltitudeAglM">Cruise true height, metres (default 80).</param>
/// <param name="ClearanceM">Least height above terrain and buildings, metres (default 30).</param>
/// <param name="Deconflict">Deconflict against approved flights (default true).</param>
/// <param name="AircraftClass">micro, light, small, medium, large (default light).</param>
/// <param name="AirspeedMps">Cruise airspeed, m/s (default 15).</param>
/// <param name="WindLimitMps">Rated sustained wind, m/s (default 12).</param>
/// <param name="ZoneAuthorisations">Zones the operator holds an authorisation for.</param>
/// <param name="TrainingSideM">Side of the training circuit, metres (default 400).</param>
public sealed record RoutePlanRequestDto(
    RoutePointDto? From,
    RoutePointDto? To,
    IReadOnlyList<RoutePointDto>? Via,
    DateTimeOffset? DepartureUtc,
    string? Template,
    string? AircraftId,
    double? CruiseAltitudeAglM,
    double? ClearanceM,
    bool? Deconflict,
    string? AircraftClass = null,
    double? AirspeedMps = null,
    double? WindLimitMps = null,
    IReadOnlyList<string>? ZoneAuthorisations = null,
    double? TrainingSideM = null);

/// <summary>A waypoint with its altitude in the three references.</summary>
public sealed record RouteWaypointDto(double LonDeg, double LatDeg, double AltW84M, double AltAmslM, double AltAglM, DateTimeOffset EtaUtc);

/// <summary>A leg between waypoints <c>from</c> and <c>to</c>.</summary>
public sealed record RouteLegDto(int From, int To, double LengthM, double DurationS, double GroundSpeedMps, double HeadingDeg);

/// <summary>A vertical-profile sample.</summary>
public sealed record RouteProfileDto(double DistanceM, double GroundAmslM, double SurfaceAmslM, double AltAmslM);

/// <summary>What deconfliction did.</summary>
public sealed record RouteDeconflictionDto(bool Checked, double ShiftS, double LayerChangeM, bool Detoured, int ConflictsRemaining);

/// <summary>The planned route.</summary>
/// <param name="RouteId">The route's identifier (use it as an intent's routeRef).</param>
/// <param name="LengthM">3-D length, metres.</param>
/// <param name="DurationS">Flight time with the wind, seconds.</param>
/// <param name="Waypoints">Waypoints from take-off to landing.</param>
/// <param name="Legs">Legs.</param>
/// <param name="Profile">Vertical profile.</param>
/// <param name="Volumes">4-D volumes in the operations API's shape, ready to submit.</param>
/// <param name="Deconfliction">Deconfliction outcome.</param>
/// <param name="Template">The template used.</param>
/// <param name="Expansions">Search nodes expanded.</param>
public sealed record RoutePlanDto(
    string RouteId,
    double LengthM,
    double DurationS,
    IReadOnlyList<RouteWaypointDto> Waypoints,
    IReadOnlyList<RouteLegDto> Legs,
    IReadOnlyList<RouteProfileDto> Profile,
    IReadOnlyList<VolumeDto> Volumes,
    RouteDeconflictionDto Deconfliction,
    string Template,
    long Expansions);

/// <summary>Source-generated JSON metadata for the routing API (camelCase, like the rest of the API).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RoutePlanRequestDto))]
[JsonSerializable(typeof(RoutePlanDto))]
public sealed partial class RoutingJsonContext : JsonSerializerContext;
