using Yunlu.Airspace.Operations;
using Yunlu.Airspace.Rules;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Terrain.Weather;

namespace Yunlu.Routing.City;

/// <summary>What the planner needs to know about the aircraft.</summary>
/// <param name="AirspeedMps">Cruise airspeed (speed through the air), m/s.</param>
/// <param name="ClimbRateMps">Climb rate, m/s.</param>
/// <param name="DescentRateMps">Descent rate, m/s.</param>
/// <param name="WindLimitMps">Sustained wind the aircraft is rated for, m/s; gusts are allowed up to
/// <see cref="Yunlu.Airspace.Checks.AirspaceChecker.GustAllowance"/> times this.</param>
/// <param name="Class">The class under the 2024 regulations (sets the true-height ceiling of 适飞空域).</param>
public sealed record AircraftPerformance(
    double AirspeedMps = 15,
    double ClimbRateMps = 3,
    double DescentRateMps = 2,
    double WindLimitMps = 12,
    AircraftClass Class = AircraftClass.Light);

/// <summary>How the grid search runs.</summary>
public enum CitySearchMode
{
    /// <summary>Weighted A* (Pohl 1970) on the straight-line time in the mean wind: f = g + ε·h₀, h₀ the time to fly the
    /// remaining displacement straight at the airspeed in the mean wind (tight, not admissible). Since
    /// h₀ ≤ r·h for the admissible bound h of <see cref="Exact"/> with r = max over directions of their ratio, the grid
    /// path costs at most ε·r times the optimum (<see cref="CityFlightGrid.FastModeBound"/>); in practice the search
    /// stays in a narrow band around the route.</summary>
    Fast,

    /// <summary>A* with the wind-aware admissible heuristic and larger-g tie-breaking: the exact optimum on the grid.</summary>
    Exact,

    /// <summary>The baseline: A* with the plain bound distance / (airspeed + strongest wind), no tie-breaking (exact on
    /// the grid, more expansions).</summary>
    Plain,

    /// <summary>Coarse-to-fine (the default): weighted A* on the 40 m free-space pyramid of the area (a coarse cell is
    /// wholly blocked, partly free or wholly free per layer; partly free cells cost more), then the <see cref="Fast"/>
    /// search at full resolution restricted to a corridor of coarse cells around the coarse path, widened once and
    /// finally dropped (the full <see cref="Fast"/> search) when the corridor holds no path, so feasibility is never
    /// lost. Every fine move obeys the same rules as in the other modes; smoothing keeps exact line of sight.</summary>
    Hierarchical,
}

/// <summary>A city route request: stops, departure, the airspace and the aircraft.</summary>
public sealed record CityRouteRequest
{
    /// <summary>Take-off, pass-through waypoints, landing (at least two; a loop repeats the first at the end).</summary>
    public required IReadOnlyList<GeoPoint> Stops { get; init; }

    /// <summary>Departure (take-off) time.</summary>
    public required DateTimeOffset DepartureUtc { get; init; }

    /// <summary>Zone definitions; those active at some time of the flight's window apply.</summary>
    public IReadOnlyList<Zone> Zones { get; init; } = [];

    /// <summary>Zones the operator holds an authorisation for (lifts REQ_AUTHORISATION; never PROHIBITED).</summary>
    public IReadOnlyList<string> ZoneAuthorisations { get; init; } = [];

    /// <summary>Further footprints to keep out of during the whole flight (e.g. other flights' volumes for a detour).</summary>
    public IReadOnlyList<Footprint> ExtraBlocked { get; init; } = [];

    /// <summary>The wind forecast, or null for still air.</summary>
    public IWindForecast? Wind { get; init; }

    /// <summary>The aircraft.</summary>
    public AircraftPerformance Aircraft { get; init; } = new();

    /// <summary>The regulations (zone verdicts, 120 m true-height ceiling, class limits).</summary>
    public RuleSet Rules { get; init; } = RuleSet.China2024;

    /// <summary>Preferred cruise height above ground (true height), metres. Default 80.</summary>
    public double CruiseAltitudeAglM { get; init; } = 80;

    /// <summary>The altitude layers (true heights, metres) the search may use; null for the cruise height plus up to
    /// two layers 20 and 40 m above it (capped 1 m under the ceiling) to climb over obstacles.</summary>
    public IReadOnlyList<double>? LayersAglM { get; init; }

    /// <summary>Least height above the surface (terrain + buildings) while cruising, metres. Default 30.</summary>
    public double ClearanceM { get; init; } = 30;

    /// <summary>The true-height ceiling, metres; null for the rules' (120 m, lower for classes whose 适飞空域 is lower).</summary>
    public double? CeilingTrueHeightM { get; init; }

    /// <summary>Horizontal navigation accuracy (95 %), metres: the volumes' buffer and the distance kept from zones. Default 20.</summary>
    public double NavigationAccuracyM { get; init; } = 20;

    /// <summary>Vertical navigation accuracy (95 %), metres: the volumes' vertical buffer. Default 10.</summary>
    public double VerticalAccuracyM { get; init; } = 10;

    /// <summary>Time uncertainty, seconds: each volume starts this much earlier and ends this much later. Default 60.</summary>
    public double TimeUncertaintyS { get; init; } = 60;

    /// <summary>Cost factor inside corridors (in the layers within their floor and ceiling), in (0, 1]. Default 0.8.</summary>
    public double CorridorDiscount { get; init; } = 0.8;

    /// <summary>Cost weight of the ground-risk layer: a cell costs (1 + weight × risk) times its flight time. Default 0.</summary>
    public double RiskWeight { get; init; }

    /// <summary>Cost factor of the layers other than the cruise layer (≥ 1). Default 1.1.</summary>
    public double OffCruiseLayerFactor { get; init; } = 1.1;

    /// <summary>How far the profile may leave the nominal terrain-following height, metres. Default 5.</summary>
    public double ProfileToleranceM { get; init; } = 5;

    /// <summary>Longest route piece per 4D volume, metres. Default 1000.</summary>
    public double VolumeMaxLengthM { get; init; } = 1000;

    /// <summary>Any-angle smoothing with exact line of sight (true) or the raw 8-connected grid path (false).</summary>
    public bool Smooth { get; init; } = true;

    /// <summary>With a wind forecast, also plan the wind-agnostic route (shortest in still air) and keep it when it is
    /// faster in the wind after smoothing, so the route is never slower than the wind-agnostic one. Default true.</summary>
    public bool CompareWindAgnostic { get; init; } = true;

    /// <summary>The search's heuristic (the baseline for benchmarks is <see cref="CitySearchMode.Plain"/>).</summary>
    public CitySearchMode SearchMode { get; init; } = CitySearchMode.Hierarchical;

    /// <summary>The heuristic weight ε of <see cref="CitySearchMode.Fast"/> (≥ 1). Default 1.2.</summary>
    public double SearchWeight { get; init; } = 1.2;

    /// <summary>Most nodes a leg's search may expand before it gives up with a clear error. Default 30 million.</summary>
    public long MaxExpansions { get; init; } = 30_000_000;

    /// <summary>Approved flights to deconflict against, or null to skip strategic deconfliction.</summary>
    public StrategicChecker? Deconfliction { get; init; }

    /// <summary>Largest start-time shift tried by deconfliction. Default 30 min.</summary>
    public TimeSpan MaxStartShift { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Priority of the planned flight (for deconfliction).</summary>
    public IntentPriority Priority { get; init; } = IntentPriority.Normal;
}

/// <summary>A planning request that cannot be met, with the field and the rule it breaks.</summary>
public sealed class CityPlanningException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="field">The request field (e.g. <c>to</c>, <c>via[1]</c>, <c>departureUtc</c>).</param>
    /// <param name="rule">A stable rule code (e.g. <c>no-feasible-route</c>, <c>inside-prohibited-zone</c>).</param>
    /// <param name="message">A readable explanation.</param>
    public CityPlanningException(string field, string rule, string message)
        : base(message)
    {
        Field = field;
        Rule = rule;
    }

    /// <summary>Creates an exception (for serializers; prefer the three-argument constructor).</summary>
    public CityPlanningException()
        : this("$", "planning-failed", "planning failed")
    {
    }

    /// <summary>Creates an exception (for serializers; prefer the three-argument constructor).</summary>
    /// <param name="message">The message.</param>
    public CityPlanningException(string message)
        : this("$", "planning-failed", message)
    {
    }

    /// <summary>Creates an exception (for serializers; prefer the three-argument constructor).</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CityPlanningException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "$";
        Rule = "planning-failed";
    }

    /// <summary>The request field concerned.</summary>
    public string Field { get; }

    /// <summary>The rule code.</summary>
    public string Rule { get; }
}

/// <summary>One waypoint of a planned route, its altitude in all three references and its ETA.</summary>
/// <param name="Point">Position.</param>
/// <param name="AltitudeW84M">Height above the WGS84 ellipsoid, metres.</param>
/// <param name="AltitudeAmslM">Height above mean sea level (EGM96), metres.</param>
/// <param name="AltitudeAglM">True height (above the bare ground below), metres.</param>
/// <param name="Eta">Estimated time over the waypoint.</param>
public readonly record struct CityWaypoint(GeoPoint Point, double AltitudeW84M, double AltitudeAmslM, double AltitudeAglM, DateTimeOffset Eta);

/// <summary>One leg between consecutive waypoints.</summary>
/// <param name="From">Index of the first waypoint.</param>
/// <param name="To">Index of the second waypoint.</param>
/// <param name="LengthM">3-D length, metres.</param>
/// <param name="DurationS">Flight time with the wind, seconds.</param>
/// <param name="GroundSpeedMps">Horizontal length / time (0 for vertical legs), m/s.</param>
/// <param name="HeadingDeg">Course over ground, degrees clockwise from north (0 for vertical legs).</param>
public readonly record struct CityLeg(int From, int To, double LengthM, double DurationS, double GroundSpeedMps, double HeadingDeg);

/// <summary>One sample of the vertical profile.</summary>
/// <param name="DistanceM">Horizontal distance from take-off, metres.</param>
/// <param name="GroundAmslM">Bare ground, metres AMSL.</param>
/// <param name="SurfaceAmslM">Ground plus obstacles, metres AMSL.</param>
/// <param name="AltitudeAmslM">The route's altitude, metres AMSL.</param>
public readonly record struct ProfileSample(double DistanceM, double GroundAmslM, double SurfaceAmslM, double AltitudeAmslM);

/// <summary>What strategic deconfliction did.</summary>
/// <param name="Checked">True when the route was checked against approved flights.</param>
/// <param name="ShiftS">Start-time shift applied, seconds (0 for none).</param>
/// <param name="LayerChangeM">Change of cruise height applied, metres (0 for none).</param>
/// <param name="Detoured">True when the route was re-planned around conflicting flights.</param>
/// <param name="ConflictsRemaining">Blocking conflicts left (0 when clear).</param>
public sealed record DeconflictionOutcome(bool Checked, double ShiftS, double LayerChangeM, bool Detoured, int ConflictsRemaining);

/// <summary>Wall time of the planning stages, milliseconds (summed over legs and the wind-agnostic candidate).</summary>
/// <param name="PrepareMs">Per-flight grid: zones stamped, wind sampled, coarse states.</param>
/// <param name="CoarseMs">Coarse search on the free-space pyramid.</param>
/// <param name="FineMs">Full-resolution search (in the corridor, or the fallbacks).</param>
/// <param name="SmoothMs">Any-angle smoothing with exact line of sight.</param>
/// <param name="BuildMs">Profile, waypoints, legs, volumes.</param>
/// <param name="Fallbacks">Legs whose corridor held no path (widened corridor or full search used).</param>
public sealed record CityPlanStages(double PrepareMs, double CoarseMs, double FineMs, double SmoothMs, double BuildMs, int Fallbacks)
{
    /// <summary>Coarse nodes expanded (included in the route's expansions).</summary>
    public long CoarseExpansions { get; init; }
}

/// <summary>A planned route.</summary>
/// <param name="Waypoints">Waypoints from take-off (on the surface) to landing.</param>
/// <param name="Legs">Legs between consecutive waypoints.</param>
/// <param name="Profile">The vertical profile along the route.</param>
/// <param name="Volumes">4-D volumes (W84) covering the route, buffered by navigation accuracy and time uncertainty.</param>
/// <param name="LengthM">3-D length, metres.</param>
/// <param name="DurationS">Flight time, seconds.</param>
/// <param name="SearchCost">The grid search's optimal cost (flight time weighted by corridor, layer and risk factors), seconds.</param>
/// <param name="Expansions">Nodes expanded by the searches.</param>
/// <param name="Deconfliction">What deconfliction did.</param>
public sealed record CityRoute(
    IReadOnlyList<CityWaypoint> Waypoints,
    IReadOnlyList<CityLeg> Legs,
    IReadOnlyList<ProfileSample> Profile,
    IReadOnlyList<Volume4D> Volumes,
    double LengthM,
    double DurationS,
    double SearchCost,
    long Expansions,
    DeconflictionOutcome Deconfliction)
{
    /// <summary>Where the planning time went (for benchmarks and logs); null when not recorded.</summary>
    public CityPlanStages? Stages { get; init; }

    /// <summary>The departure time (ETA of the first waypoint).</summary>
    public DateTimeOffset DepartureUtc => Waypoints[0].Eta;

    /// <summary>The arrival time (ETA of the last waypoint).</summary>
    public DateTimeOffset ArrivalUtc => Waypoints[^1].Eta;
}
