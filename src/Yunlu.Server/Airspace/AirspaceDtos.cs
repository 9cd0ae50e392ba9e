using Yunlu.Server.Contracts;

namespace Yunlu.Server.Airspace;

/// <summary>A BeiDou grid cell (GB/T 39409-2020): bounds in WGS84/CGCS2000 degrees and, for 3-D codes, the ellipsoidal height band.</summary>
/// <param name="Level">Level 1–10.</param>
/// <param name="Code">The code (2-D, or the 32-character interleaved 3-D form).</param>
/// <param name="WestDeg">West bound, degrees.</param>
/// <param name="SouthDeg">South bound, degrees.</param>
/// <param name="EastDeg">East bound, degrees.</param>
/// <param name="NorthDeg">North bound, degrees.</param>
/// <param name="HeightFloorW84M">3-D only: lower bound of the height band, metres above the WGS84 ellipsoid (inclusive).</param>
/// <param name="HeightCeilingW84M">3-D only: upper bound, metres above the ellipsoid (exclusive).</param>
/// <param name="CentreLonDeg">Centre longitude, degrees.</param>
/// <param name="CentreLatDeg">Centre latitude, degrees.</param>
public sealed record GridCellDto(int Level, string Code, double WestDeg, double SouthDeg, double EastDeg, double NorthDeg, double? HeightFloorW84M, double? HeightCeilingW84M, double CentreLonDeg, double CentreLatDeg);

/// <summary>A shape to cover with grid cells: exactly one of <paramref name="Footprint"/>, <paramref name="Corridor"/> or <paramref name="Volume"/>.</summary>
/// <param name="Level">Grid level 1–10.</param>
/// <param name="MaxCells">Most cells accepted in the answer (default 10 000, at most 100 000); more is an error.</param>
/// <param name="Footprint">A polygon or circle (2-D cover).</param>
/// <param name="Corridor">A corridor: centre-line and width (2-D cover of its footprint).</param>
/// <param name="Volume">A footprint between two altitudes (AMSL or W84): 3-D cells.</param>
public sealed record GridCoverRequest(int? Level, int? MaxCells, FootprintDto? Footprint, CorridorShapeDto? Corridor, VolumeDto? Volume);

/// <summary>A corridor's shape.</summary>
/// <param name="CentreLine">[lon, lat] positions, at least two.</param>
/// <param name="WidthM">Full width, metres, &gt; 0.</param>
public sealed record CorridorShapeDto(IReadOnlyList<IReadOnlyList<double>>? CentreLine, double? WidthM);

/// <summary>A volume: a footprint between a lower and an upper altitude with one reference.</summary>
/// <param name="Footprint">Polygon or circle.</param>
/// <param name="Lower">Lower altitude.</param>
/// <param name="Upper">Upper altitude (same reference).</param>
public sealed record VolumeDto(FootprintDto? Footprint, AltitudeDto? Lower, AltitudeDto? Upper);

/// <summary>The cells covering a shape.</summary>
/// <param name="Level">Level.</param>
/// <param name="ThreeD">True for 3-D codes (volumes).</param>
/// <param name="CellCount">Number of cells.</param>
/// <param name="Codes">The codes, row by row from south to north, west to east.</param>
public sealed record GridCoverDto(int Level, bool ThreeD, long CellCount, IReadOnlyList<string> Codes);

/// <summary>A cell of the gridded airspace.</summary>
/// <param name="Code">2-D code.</param>
/// <param name="Status">open, restricted or closed.</param>
/// <param name="CapacityPerHour">Flights per hour.</param>
/// <param name="ZoneIds">Zones active at the instant that meet the cell.</param>
/// <param name="CorridorIds">Corridors that meet the cell.</param>
/// <param name="Override">The manager's override, if any.</param>
public sealed record GridCellStateDto(string Code, string Status, int CapacityPerHour, IReadOnlyList<string> ZoneIds, IReadOnlyList<string> CorridorIds, GridOverrideDto? Override);

/// <summary>The gridded airspace over a box at one instant.</summary>
/// <param name="Level">Level.</param>
/// <param name="At">The instant zone schedules were evaluated at.</param>
/// <param name="CellCount">Cells listed.</param>
/// <param name="Cells">The cells.</param>
public sealed record GridCellsDto(int Level, DateTimeOffset At, int CellCount, IReadOnlyList<GridCellStateDto> Cells);

/// <summary>A manager's override of one cell: a status, a capacity or both.</summary>
/// <param name="Status">open, restricted or closed; null keeps the derived status.</param>
/// <param name="CapacityPerHour">Flights per hour (≥ 0); null keeps the derived capacity.</param>
/// <param name="Note">Why.</param>
public sealed record GridOverrideRequest(string? Status, int? CapacityPerHour, string? Note);

/// <summary>A stored override.</summary>
/// <param name="Code">2-D cell code.</param>
/// <param name="Level">Level.</param>
/// <param name="Status">open, restricted, closed or null.</param>
/// <param name="CapacityPerHour">Capacity or null.</param>
/// <param name="Note">Why.</param>
/// <param name="UpdatedAt">When.</param>
/// <param name="UpdatedBy">Who.</param>
public sealed record GridOverrideDto(string Code, int Level, string? Status, int? CapacityPerHour, string? Note, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>A node of the airway graph.</summary>
/// <param name="Id">Identifier.</param>
/// <param name="Name">Name.</param>
/// <param name="Kind">VERTIPORT or JUNCTION.</param>
/// <param name="LonDeg">Longitude, degrees.</param>
/// <param name="LatDeg">Latitude, degrees.</param>
public sealed record AirwayNodeDto(string? Id, string? Name, string? Kind, double? LonDeg, double? LatDeg);

/// <summary>A corridor (airway segment) between two airway nodes.</summary>
/// <param name="Id">Identifier (optional in a PUT body; the route's wins).</param>
/// <param name="Name">Name.</param>
/// <param name="FromNodeId">Start node.</param>
/// <param name="ToNodeId">End node.</param>
/// <param name="CentreLine">[lon, lat] positions from the start node to the end node (ends within 50 m of the nodes).</param>
/// <param name="WidthM">Full width, metres.</param>
/// <param name="Floor">Floor.</param>
/// <param name="Ceiling">Ceiling.</param>
/// <param name="Direction">ONE_WAY or TWO_WAY.</param>
/// <param name="MinSpeedMps">Least ground speed, m/s.</param>
/// <param name="MaxSpeedMps">Greatest ground speed, m/s.</param>
/// <param name="CapacityPerHour">Flights per hour.</param>
public sealed record CorridorDto(
    string? Id,
    string? Name,
    string? FromNodeId,
    string? ToNodeId,
    IReadOnlyList<IReadOnlyList<double>>? CentreLine,
    double? WidthM,
    AltitudeDto? Floor,
    AltitudeDto? Ceiling,
    string? Direction,
    double? MinSpeedMps,
    double? MaxSpeedMps,
    int? CapacityPerHour);

/// <summary>A stored corridor.</summary>
/// <param name="Corridor">The corridor.</param>
/// <param name="Version">1 on creation, +1 per change.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="UpdatedBy">Who changed it.</param>
public sealed record StoredCorridorDto(CorridorDto Corridor, long Version, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>One version of a zone.</summary>
/// <param name="Version">The version this change produced.</param>
/// <param name="Deleted">True when the change deleted the zone.</param>
/// <param name="ChangedAt">When.</param>
/// <param name="Actor">Who.</param>
/// <param name="Changed">Which top-level fields differ from the previous version (all on creation).</param>
/// <param name="Zone">The zone after the change (as deleted, for a deletion).</param>
public sealed record ZoneHistoryEntryDto(long Version, bool Deleted, DateTimeOffset ChangedAt, string Actor, IReadOnlyList<string> Changed, ZoneDto Zone);

/// <summary>The active rule set.</summary>
/// <param name="Id">Rule set id (e.g. cn-2024).</param>
/// <param name="Title">Title.</param>
/// <param name="LocalUtcOffset">Local time offset for deadlines, ±hh:mm.</param>
/// <param name="ControlledAboveTrueHeightM">Controlled airspace above this true height, metres.</param>
/// <param name="Classes">Aircraft classes, tried in order.</param>
/// <param name="Application">Application deadlines.</param>
/// <param name="ZoneRestrictionVerdicts">Verdict per zone restriction.</param>
/// <param name="Checks">How checks grade findings.</param>
public sealed record RuleSetDto(string Id, string Title, string LocalUtcOffset, double ControlledAboveTrueHeightM, IReadOnlyList<ClassRuleDto> Classes,
    ApplicationRuleDto Application, IReadOnlyDictionary<string, string> ZoneRestrictionVerdicts, CheckPolicyDto Checks);

/// <summary>A class rule.</summary>
/// <param name="Class">micro, light, small, medium or large.</param>
/// <param name="Label">Label.</param>
/// <param name="EmptyMassKgLessThan">Empty mass strictly below, kg.</param>
/// <param name="EmptyMassKgAtMost">Empty mass at most, kg.</param>
/// <param name="MtomKgAtMost">MTOM at most, kg.</param>
/// <param name="MaxSpeedKmhAtMost">Speed at most, km/h.</param>
/// <param name="OpenAirspaceMaxTrueHeightM">Top of 适飞空域 for the class, metres true height.</param>
/// <param name="PilotLicenceRequired">Licence needed.</param>
/// <param name="AlwaysNeedsApproval">Every flight needs approval.</param>
public sealed record ClassRuleDto(string Class, string Label, double? EmptyMassKgLessThan, double? EmptyMassKgAtMost, double? MtomKgAtMost, double? MaxSpeedKmhAtMost,
    double? OpenAirspaceMaxTrueHeightM, bool PilotLicenceRequired, bool AlwaysNeedsApproval);

/// <summary>Application deadlines.</summary>
/// <param name="DaysBefore">Days before the flight.</param>
/// <param name="DeadlineLocalTime">HH:mm local.</param>
/// <param name="DecisionLocalTime">HH:mm local, or null.</param>
/// <param name="TakeoffConfirmationMinutesBefore">Minutes before take-off.</param>
public sealed record ApplicationRuleDto(int DaysBefore, string DeadlineLocalTime, string? DecisionLocalTime, int TakeoffConfirmationMinutesBefore);

/// <summary>How the check grades findings (verdicts green, needs_authorisation, prohibited).</summary>
/// <param name="DefaultWindLimitMps">Default wind limit, m/s.</param>
/// <param name="WindAboveLimit">Verdict for wind above the limit.</param>
/// <param name="MinTerrainClearanceM">Wanted clearance, metres.</param>
/// <param name="ClearanceBelowMinimum">Verdict below the clearance.</param>
/// <param name="BelowSurface">Verdict below the surface.</param>
/// <param name="GridClosed">Verdict for closed cells.</param>
/// <param name="GridRestricted">Verdict for restricted cells.</param>
/// <param name="TrueHeightUnknown">Verdict without ground data.</param>
public sealed record CheckPolicyDto(double DefaultWindLimitMps, string WindAboveLimit, double MinTerrainClearanceM, string ClearanceBelowMinimum, string BelowSurface,
    string GridClosed, string GridRestricted, string TrueHeightUnknown);

/// <summary>An aircraft: its class, or the masses and speed it is classified from.</summary>
/// <param name="Class">micro, light, small, medium or large (instead of masses).</param>
/// <param name="EmptyMassKg">Empty mass, kg.</param>
/// <param name="MaxTakeOffMassKg">Maximum take-off mass, kg.</param>
/// <param name="MaxSpeedKmh">Maximum level speed, km/h.</param>
/// <param name="WindLimitMps">Rated sustained wind, m/s.</param>
public sealed record AircraftDto(string? Class, double? EmptyMassKg, double? MaxTakeOffMassKg, double? MaxSpeedKmh, double? WindLimitMps);

/// <summary>A classification question; with a height and a take-off time also the application rule.</summary>
/// <param name="Aircraft">The aircraft.</param>
/// <param name="MaxTrueHeightM">Highest true height of the flight, metres (optional).</param>
/// <param name="PlannedStart">Planned take-off (optional).</param>
public sealed record ClassifyRequest(AircraftDto? Aircraft, double? MaxTrueHeightM, DateTimeOffset? PlannedStart);

/// <summary>The class of an aircraft and what it implies.</summary>
/// <param name="Class">The class.</param>
/// <param name="Label">Label.</param>
/// <param name="Explanation">Which limits decided it.</param>
/// <param name="PilotLicenceRequired">Licence needed.</param>
/// <param name="AlwaysNeedsApproval">Every flight needs approval.</param>
/// <param name="OpenAirspaceMaxTrueHeightM">Top of 适飞空域, metres true height.</param>
/// <param name="Flight">The application rule for the flight, when a height and a take-off time were given.</param>
public sealed record ClassificationDto(string Class, string Label, string Explanation, bool PilotLicenceRequired, bool AlwaysNeedsApproval, double? OpenAirspaceMaxTrueHeightM, RuleFindingsDto? Flight);

/// <summary>What the regulations say about one flight.</summary>
/// <param name="Class">Class.</param>
/// <param name="Label">Label.</param>
/// <param name="PilotLicenceRequired">Licence needed.</param>
/// <param name="InOpenAirspace">The flight stays in 适飞空域.</param>
/// <param name="OpenAirspaceMaxTrueHeightM">Top of 适飞空域.</param>
/// <param name="NeedsApplication">An application is needed.</param>
/// <param name="ApplicationDeadline">When it is due.</param>
/// <param name="DecisionExpectedBy">When a decision is expected.</param>
/// <param name="TakeoffConfirmationBy">When take-off must be confirmed.</param>
/// <param name="DeadlinePassed">The deadline has passed.</param>
/// <param name="Verdict">green, needs_authorisation or prohibited.</param>
/// <param name="Findings">Readable findings.</param>
public sealed record RuleFindingsDto(string Class, string Label, bool PilotLicenceRequired, bool InOpenAirspace, double? OpenAirspaceMaxTrueHeightM, bool NeedsApplication,
    DateTimeOffset? ApplicationDeadline, DateTimeOffset? DecisionExpectedBy, DateTimeOffset? TakeoffConfirmationBy, bool DeadlinePassed, string Verdict, IReadOnlyList<string> Findings);

/// <summary>The outcome of storing weather observations.</summary>
/// <param name="Stored">Observations stored.</param>
public sealed record WeatherIngestDto(int Stored);

/// <summary>A problem with one row of a weather file.</summary>
/// <param name="Row">1-based row (CSV line / JSON element); 0 for the whole file.</param>
/// <param name="Field">Field.</param>
/// <param name="Rule">Rule code.</param>
/// <param name="Message">Message.</param>
public sealed record WeatherRowErrorDto(int Row, string Field, string Rule, string Message);

/// <summary>The wind at a 4-D point.</summary>
/// <param name="LonDeg">Longitude.</param>
/// <param name="LatDeg">Latitude.</param>
/// <param name="HeightAglM">Height above ground, metres.</param>
/// <param name="Time">Time.</param>
/// <param name="EastMps">Eastward component, m/s.</param>
/// <param name="NorthMps">Northward component, m/s.</param>
/// <param name="SpeedMps">Mean speed, m/s.</param>
/// <param name="FromDeg">Direction the wind blows from, degrees.</param>
/// <param name="GustMps">Gust, m/s.</param>
public sealed record WindDto(double LonDeg, double LatDeg, double HeightAglM, DateTimeOffset Time, double EastMps, double NorthMps, double SpeedMps, double FromDeg, double GustMps);

/// <summary>A cell whose wind exceeds the limit.</summary>
/// <param name="Code">2-D cell code.</param>
/// <param name="LonDeg">Centre longitude.</param>
/// <param name="LatDeg">Centre latitude.</param>
/// <param name="SpeedMps">Mean wind, m/s.</param>
/// <param name="GustMps">Gust, m/s.</param>
/// <param name="FromDeg">Direction from, degrees.</param>
public sealed record WindLimitCellDto(string Code, double LonDeg, double LatDeg, double SpeedMps, double GustMps, double FromDeg);

/// <summary>Cells above a wind limit.</summary>
/// <param name="Level">Grid level.</param>
/// <param name="Time">Time.</param>
/// <param name="HeightAglM">Height, metres AGL.</param>
/// <param name="LimitMps">Limit (gusts compared with 1.5 × limit).</param>
/// <param name="CellsChecked">Cells in the box.</param>
/// <param name="Cells">Cells above the limit.</param>
public sealed record WindLimitsDto(int Level, DateTimeOffset Time, double HeightAglM, double LimitMps, long CellsChecked, IReadOnlyList<WindLimitCellDto> Cells);

/// <summary>A position with an altitude (the caller's reference).</summary>
/// <param name="Lon">Longitude, degrees.</param>
/// <param name="Lat">Latitude, degrees.</param>
/// <param name="Altitude">Altitude.</param>
public sealed record CheckPointDto(double? Lon, double? Lat, AltitudeDto? Altitude);

/// <summary>An area flown between two altitudes.</summary>
/// <param name="Polygon">[lon, lat] ring, closed or not.</param>
/// <param name="Lower">Lowest altitude.</param>
/// <param name="Upper">Highest altitude (same reference).</param>
public sealed record CheckAreaDto(IReadOnlyList<IReadOnlyList<double>>? Polygon, AltitudeDto? Lower, AltitudeDto? Upper);

/// <summary>"Can I fly here?": exactly one of point, route, area or volume; a time window; an aircraft.</summary>
/// <param name="Point">A point.</param>
/// <param name="Route">A route (≥ 2 points, one altitude reference).</param>
/// <param name="Area">An area.</param>
/// <param name="Volume">A volume (polygon or circle).</param>
/// <param name="TimeStart">Start (RFC 3339).</param>
/// <param name="TimeEnd">End, after the start.</param>
/// <param name="Aircraft">The aircraft.</param>
public sealed record CheckRequestDto(CheckPointDto? Point, IReadOnlyList<CheckPointDto>? Route, CheckAreaDto? Area, VolumeDto? Volume, DateTimeOffset? TimeStart, DateTimeOffset? TimeEnd, AircraftDto? Aircraft);

/// <summary>The answer to "can I fly here?".</summary>
/// <param name="Verdict">green, needs_authorisation or prohibited.</param>
/// <param name="Reasons">Every reason, most restrictive first.</param>
/// <param name="Zones">Zones entered.</param>
/// <param name="Corridors">Corridors entered.</param>
/// <param name="Grid">Grid cells met.</param>
/// <param name="Rules">What the regulations say.</param>
/// <param name="Wind">Forecast wind.</param>
/// <param name="Terrain">Clearance.</param>
public sealed record CheckResultDto(string Verdict, IReadOnlyList<CheckReasonDto> Reasons, IReadOnlyList<ZoneCrossingDto> Zones, IReadOnlyList<CorridorCrossingDto> Corridors,
    GridSummaryDto? Grid, RuleFindingsDto Rules, WindSummaryDto? Wind, TerrainSummaryDto? Terrain);

/// <summary>One reason.</summary>
/// <param name="Kind">zone, corridor, grid, rule, wind or terrain.</param>
/// <param name="Verdict">green, needs_authorisation or prohibited.</param>
/// <param name="Code">Stable code.</param>
/// <param name="Message">Readable.</param>
/// <param name="SubjectId">Zone, corridor or cell.</param>
public sealed record CheckReasonDto(string Kind, string Verdict, string Code, string Message, string? SubjectId);

/// <summary>A zone entered.</summary>
/// <param name="ZoneId">Identifier.</param>
/// <param name="Name">Name.</param>
/// <param name="Restriction">Restriction.</param>
/// <param name="Reasons">Reasons.</param>
/// <param name="Floor">Floor as published.</param>
/// <param name="Ceiling">Ceiling as published.</param>
/// <param name="FloorInCallerReference">Floor in the caller's reference at first contact (null without ground data).</param>
/// <param name="CeilingInCallerReference">Ceiling likewise.</param>
/// <param name="FirstContact">[lon, lat] of first contact.</param>
/// <param name="ActiveDuring">When it applies within the window.</param>
/// <param name="Verdict">Verdict.</param>
/// <param name="Message">Message to pilots.</param>
/// <param name="Authority">Authority name.</param>
public sealed record ZoneCrossingDto(string ZoneId, string Name, string Restriction, IReadOnlyList<string> Reasons, AltitudeDto Floor, AltitudeDto Ceiling,
    AltitudeDto? FloorInCallerReference, AltitudeDto? CeilingInCallerReference, IReadOnlyList<double> FirstContact, IReadOnlyList<TimeWindowDto> ActiveDuring,
    string Verdict, string? Message, string? Authority);

/// <summary>A half-open time window.</summary>
/// <param name="Start">Start.</param>
/// <param name="End">End (exclusive).</param>
public sealed record TimeWindowDto(DateTimeOffset Start, DateTimeOffset End);

/// <summary>A corridor entered.</summary>
/// <param name="CorridorId">Identifier.</param>
/// <param name="Name">Name.</param>
/// <param name="Floor">Floor.</param>
/// <param name="Ceiling">Ceiling.</param>
/// <param name="FloorInCallerReference">Floor in the caller's reference.</param>
/// <param name="CeilingInCallerReference">Ceiling in the caller's reference.</param>
/// <param name="Direction">ONE_WAY or TWO_WAY.</param>
/// <param name="MinSpeedMps">Least speed.</param>
/// <param name="MaxSpeedMps">Greatest speed.</param>
/// <param name="CapacityPerHour">Capacity.</param>
/// <param name="FirstContact">[lon, lat].</param>
public sealed record CorridorCrossingDto(string CorridorId, string Name, AltitudeDto Floor, AltitudeDto Ceiling, AltitudeDto? FloorInCallerReference, AltitudeDto? CeilingInCallerReference,
    string Direction, double MinSpeedMps, double MaxSpeedMps, int CapacityPerHour, IReadOnlyList<double> FirstContact);

/// <summary>Grid summary.</summary>
/// <param name="Level">Level.</param>
/// <param name="CellsMet">Cells met.</param>
/// <param name="MinCapacityPerHour">Least capacity.</param>
/// <param name="NotOpen">Restricted or closed cells (up to 200).</param>
/// <param name="NotOpenCount">How many are restricted or closed.</param>
public sealed record GridSummaryDto(int Level, long CellsMet, int MinCapacityPerHour, IReadOnlyList<GridCellFindingDto> NotOpen, long NotOpenCount);

/// <summary>A cell that is not open.</summary>
/// <param name="Code">Code.</param>
/// <param name="Status">restricted or closed.</param>
/// <param name="CapacityPerHour">Capacity.</param>
public sealed record GridCellFindingDto(string Code, string Status, int CapacityPerHour);

/// <summary>Wind along the flight.</summary>
/// <param name="MaxSpeedMps">Highest mean wind.</param>
/// <param name="MaxGustMps">Highest gust.</param>
/// <param name="LimitMps">The aircraft's limit.</param>
/// <param name="WorstAt">[lon, lat] of the highest mean wind.</param>
/// <param name="WorstFromDeg">Its direction (from).</param>
public sealed record WindSummaryDto(double MaxSpeedMps, double MaxGustMps, double LimitMps, IReadOnlyList<double> WorstAt, double WorstFromDeg);

/// <summary>Clearance along the flight.</summary>
/// <param name="MinClearanceM">Least height above terrain + buildings, metres.</param>
/// <param name="At">[lon, lat] where.</param>
/// <param name="MaxTrueHeightM">Highest true height, metres.</param>
public sealed record TerrainSummaryDto(double MinClearanceM, IReadOnlyList<double> At, double MaxTrueHeightM);
