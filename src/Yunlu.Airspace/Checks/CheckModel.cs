using NetTopologySuite.Geometries;
using Yunlu.Airspace.Corridors;
using Yunlu.Airspace.Grid;
using Yunlu.Airspace.Rules;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Terrain.Weather;

namespace Yunlu.Airspace.Checks;

/// <summary>What is being asked about: a point, a route, an area or a volume.</summary>
public abstract record CheckGeometry;

/// <summary>A single position at an altitude.</summary>
/// <param name="Point">Position.</param>
/// <param name="Altitude">Altitude with its reference (the caller's reference: answers are given in it).</param>
public sealed record PointCheck(GeoPoint Point, Altitude Altitude) : CheckGeometry;

/// <summary>One vertex of a route.</summary>
/// <param name="Point">Position.</param>
/// <param name="Altitude">Altitude; all vertices of a route use the same reference.</param>
public readonly record struct RoutePoint(GeoPoint Point, Altitude Altitude);

/// <summary>A route: a polyline whose legs are lon/lat-straight with altitude varying linearly along each leg.</summary>
/// <param name="Points">At least two vertices, one altitude reference.</param>
public sealed record RouteCheck(IReadOnlyList<RoutePoint> Points) : CheckGeometry;

/// <summary>An area flown between two altitudes.</summary>
/// <param name="Polygon">The area (lon/lat).</param>
/// <param name="Lower">Lowest altitude flown.</param>
/// <param name="Upper">Highest altitude flown (same reference as <paramref name="Lower"/>).</param>
public sealed record AreaCheck(Polygon Polygon, Altitude Lower, Altitude Upper) : CheckGeometry;

/// <summary>An ASTM-style volume (the request's time window applies; see <see cref="CheckRequest.ForVolume"/>).</summary>
/// <param name="Volume">The volume.</param>
public sealed record VolumeCheck(Volume3D Volume) : CheckGeometry;

/// <summary>A "can I fly here?" question.</summary>
/// <param name="Geometry">Where.</param>
/// <param name="Time">When: half-open [start, end).</param>
/// <param name="Aircraft">With what.</param>
/// <param name="Now">When the question is asked (to tell whether the application deadline passed); null to skip.</param>
public sealed record CheckRequest(CheckGeometry Geometry, TimeWindow Time, Aircraft Aircraft, DateTimeOffset? Now = null)
{
    /// <summary>A request for an ASTM Volume4D.</summary>
    /// <param name="volume">The volume and its time window.</param>
    /// <param name="aircraft">The aircraft.</param>
    /// <param name="now">When asked.</param>
    public static CheckRequest ForVolume(Volume4D volume, Aircraft aircraft, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return new CheckRequest(new VolumeCheck(volume.Volume), volume.Time, aircraft, now);
    }
}

/// <summary>Which part of the check produced a reason.</summary>
public enum ReasonKind
{
    /// <summary>A zone crossed.</summary>
    Zone,

    /// <summary>A corridor crossed.</summary>
    Corridor,

    /// <summary>A grid cell's status or capacity.</summary>
    Grid,

    /// <summary>The regulations (class, 适飞空域, application).</summary>
    Rule,

    /// <summary>Forecast wind against the aircraft's limit.</summary>
    Wind,

    /// <summary>Clearance above terrain and buildings.</summary>
    Terrain,
}

/// <summary>One reason behind a verdict.</summary>
/// <param name="Kind">Which part of the check.</param>
/// <param name="Verdict">How it grades the flight (Green for information).</param>
/// <param name="Code">Stable code, e.g. <c>zone-prohibited</c>, <c>open-airspace</c>, <c>wind-above-limit</c>.</param>
/// <param name="Message">Readable explanation.</param>
/// <param name="SubjectId">The zone, corridor or cell concerned, if any.</param>
public sealed record CheckReason(ReasonKind Kind, Verdict Verdict, string Code, string Message, string? SubjectId = null);

/// <summary>A zone the flight enters.</summary>
/// <param name="ZoneId">Identifier.</param>
/// <param name="Name">Name.</param>
/// <param name="Restriction">Restriction.</param>
/// <param name="Reasons">Why the zone exists.</param>
/// <param name="Floor">Floor as published.</param>
/// <param name="Ceiling">Ceiling as published.</param>
/// <param name="FloorInCallerReference">Floor in the caller's reference where the flight enters (null when it cannot be converted, e.g. no ground data).</param>
/// <param name="CeilingInCallerReference">Ceiling likewise.</param>
/// <param name="FirstContact">Where the flight first enters the zone volume.</param>
/// <param name="ActiveDuring">When the zone applies within the request's window.</param>
/// <param name="Verdict">How the rule set grades entering it.</param>
/// <param name="Message">The zone's message to pilots.</param>
/// <param name="Authority">The responsible authority.</param>
public sealed record ZoneCrossing(
    string ZoneId,
    string Name,
    ZoneRestriction Restriction,
    IReadOnlyList<ZoneReason> Reasons,
    Altitude Floor,
    Altitude Ceiling,
    Altitude? FloorInCallerReference,
    Altitude? CeilingInCallerReference,
    GeoPoint FirstContact,
    IReadOnlyList<TimeWindow> ActiveDuring,
    Verdict Verdict,
    string? Message,
    ZoneAuthority? Authority);

/// <summary>A corridor the flight enters.</summary>
/// <param name="CorridorId">Identifier.</param>
/// <param name="Name">Name.</param>
/// <param name="Floor">Floor as published.</param>
/// <param name="Ceiling">Ceiling as published.</param>
/// <param name="FloorInCallerReference">Floor in the caller's reference at first contact.</param>
/// <param name="CeilingInCallerReference">Ceiling likewise.</param>
/// <param name="Direction">One-way or two-way.</param>
/// <param name="Speed">Speed band.</param>
/// <param name="CapacityPerHour">Capacity.</param>
/// <param name="FirstContact">Where the flight first enters it.</param>
public sealed record CorridorCrossing(
    string CorridorId,
    string Name,
    Altitude Floor,
    Altitude Ceiling,
    Altitude? FloorInCallerReference,
    Altitude? CeilingInCallerReference,
    CorridorDirection Direction,
    SpeedBand Speed,
    int CapacityPerHour,
    GeoPoint FirstContact);

/// <summary>A grid cell met by the flight whose status is not open.</summary>
/// <param name="Code">2-D cell code.</param>
/// <param name="Status">Status.</param>
/// <param name="CapacityPerHour">Capacity.</param>
public sealed record GridCellFinding(string Code, GridCellStatus Status, int CapacityPerHour);

/// <summary>Grid summary for the flight.</summary>
/// <param name="Level">Grid level.</param>
/// <param name="CellsMet">Cells the flight's footprint meets.</param>
/// <param name="MinCapacityPerHour">Smallest capacity among them.</param>
/// <param name="NotOpen">Cells that are restricted or closed (at most <see cref="AirspaceChecker.MaxListedCells"/>).</param>
/// <param name="NotOpenCount">How many cells are restricted or closed.</param>
public sealed record GridSummary(int Level, long CellsMet, int MinCapacityPerHour, IReadOnlyList<GridCellFinding> NotOpen, long NotOpenCount);

/// <summary>Forecast wind along the flight.</summary>
/// <param name="MaxSpeedMps">Highest mean wind, m/s.</param>
/// <param name="MaxGustMps">Highest gust, m/s.</param>
/// <param name="LimitMps">The aircraft's sustained-wind limit, m/s.</param>
/// <param name="WorstAt">Where the highest mean wind is.</param>
/// <param name="WorstWind">The wind there.</param>
public sealed record WindSummary(double MaxSpeedMps, double MaxGustMps, double LimitMps, GeoPoint WorstAt, WindVector WorstWind);

/// <summary>Clearance along the flight.</summary>
/// <param name="MinClearanceM">Least height above the surface (terrain + buildings), metres.</param>
/// <param name="At">Where.</param>
/// <param name="MaxTrueHeightM">Highest true height (above the bare terrain), metres.</param>
public sealed record TerrainSummary(double MinClearanceM, GeoPoint At, double MaxTrueHeightM);

/// <summary>The answer: a verdict and every reason behind it.</summary>
/// <param name="Verdict">The most restrictive verdict of all reasons.</param>
/// <param name="Reasons">All reasons, most restrictive first.</param>
/// <param name="Zones">Zones entered, by identifier.</param>
/// <param name="Corridors">Corridors entered, by identifier.</param>
/// <param name="Grid">Grid summary, when a gridded airspace is configured.</param>
/// <param name="Rules">What the regulations say.</param>
/// <param name="Wind">Wind summary, when a forecast covers the flight.</param>
/// <param name="Terrain">Terrain summary, when ground data covers the flight.</param>
public sealed record CheckResult(
    Verdict Verdict,
    IReadOnlyList<CheckReason> Reasons,
    IReadOnlyList<ZoneCrossing> Zones,
    IReadOnlyList<CorridorCrossing> Corridors,
    GridSummary? Grid,
    RuleFindings Rules,
    WindSummary? Wind,
    TerrainSummary? Terrain);
