namespace Yunlu.Server.Supervision;

/// <summary>One position on the wire (HTTP batch, WebSocket). Required: <c>aircraftId</c>, <c>timeUtc</c> (ISO 8601 with
/// Z or an offset), <c>latDeg</c>, <c>lonDeg</c>, <c>altM</c> and <c>altRef</c> (AGL, AMSL or W84); the three velocity
/// components (m/s, north/east/up) all or none.</summary>
/// <param name="AircraftId">The aircraft (track) id, 1–64 characters.</param>
/// <param name="TimeUtc">When the position was valid.</param>
/// <param name="LatDeg">WGS84 latitude, degrees.</param>
/// <param name="LonDeg">WGS84 longitude, degrees.</param>
/// <param name="AltM">Altitude, metres, in <paramref name="AltRef"/>.</param>
/// <param name="AltRef">AGL, AMSL (EGM96) or W84 (ellipsoid).</param>
/// <param name="VnMps">North speed, m/s.</param>
/// <param name="VeMps">East speed, m/s.</param>
/// <param name="VuMps">Up speed, m/s (positive = climbing).</param>
/// <param name="Source">http (default for POST), ws (default for the WebSocket), simulator, mavlink, remoteid-astm, remoteid-gb, adsb (manned traffic) or gpx.</param>
/// <param name="HeadingDeg">Heading, degrees clockwise from true north in [0, 360).</param>
/// <param name="LinkQuality">Link quality in [0, 1].</param>
public sealed record PositionDto(
    string? AircraftId,
    DateTimeOffset? TimeUtc,
    double? LatDeg,
    double? LonDeg,
    double? AltM,
    string? AltRef,
    double? VnMps,
    double? VeMps,
    double? VuMps,
    string? Source,
    double? HeadingDeg,
    double? LinkQuality);

/// <summary>A batch of positions.</summary>
/// <param name="Positions">The positions (at most the configured batch size).</param>
public sealed record PositionBatchDto(IReadOnlyList<PositionDto>? Positions);

/// <summary>Why one item of a batch was rejected.</summary>
/// <param name="Index">The item's index in the batch.</param>
/// <param name="Field">The field, e.g. <c>positions[3].latDeg</c>.</param>
/// <param name="Rule">A stable rule code, e.g. <c>lat-range</c>.</param>
/// <param name="Message">A readable explanation.</param>
public sealed record ItemErrorDto(int Index, string Field, string Rule, string Message);

/// <summary>The answer to a batch: how many items were queued for supervision and why the others were not.</summary>
/// <param name="Accepted">Items queued.</param>
/// <param name="Rejected">Items rejected (invalid; see <paramref name="Errors"/>) or dropped (ingestion queue full).</param>
/// <param name="Errors">The first errors (at most 100).</param>
/// <param name="Dropped">Of the rejected, how many were valid but dropped because the ingestion queue was full.</param>
public sealed record IngestResultDto(int Accepted, int Rejected, IReadOnlyList<ItemErrorDto> Errors, int Dropped);

/// <summary>One broadcast Remote ID payload as a receiver heard it.</summary>
/// <param name="Format">astm (ASTM F3411 / ASD-STAN: one 25-byte message or a message pack) or gb (GB 46750-2025).</param>
/// <param name="Payload">The payload bytes, base64.</param>
/// <param name="ReceivedUtc">When the receiver heard it (the F3411 tenths-of-an-hour timestamp is resolved against it).</param>
/// <param name="Transmitter">The transmitter key (e.g. its MAC address) that ties Basic ID and Location messages together.</param>
public sealed record RemoteIdPayloadDto(string? Format, string? Payload, DateTimeOffset? ReceivedUtc, string? Transmitter);

/// <summary>A batch of Remote ID payloads.</summary>
/// <param name="Messages">The payloads.</param>
public sealed record RemoteIdBatchDto(IReadOnlyList<RemoteIdPayloadDto>? Messages);

/// <summary>One live track.</summary>
/// <param name="AircraftId">The track id.</param>
/// <param name="Source">The sources that fed it, joined by '+' (e.g. <c>mavlink+remoteid-astm</c>).</param>
/// <param name="LatDeg">Latitude, degrees.</param>
/// <param name="LonDeg">Longitude, degrees.</param>
/// <param name="AltW84M">Height above the WGS84 ellipsoid, metres, or null.</param>
/// <param name="AltAmslM">Height above mean sea level (EGM96), metres, or null.</param>
/// <param name="AltAglM">Height above the ground, metres, or null without ground data.</param>
/// <param name="VnMps">North speed, m/s.</param>
/// <param name="VeMps">East speed, m/s.</param>
/// <param name="VuMps">Up speed, m/s.</param>
/// <param name="GroundSpeedMps">Horizontal speed, m/s.</param>
/// <param name="TrackDeg">Heading or track over ground, degrees from true north, or null when unknown.</param>
/// <param name="AgeS">Seconds since the last report at <c>timeUtc</c> of the answer.</param>
/// <param name="IntentId">The intent it flies, or null.</param>
/// <param name="Conformance">conforming, nonconforming, contingent or none.</param>
/// <param name="Manned">True for manned traffic (ADS-B).</param>
/// <param name="LastUtc">Time of the last report.</param>
/// <param name="LinkQuality">Link quality in [0, 1].</param>
public sealed record TrackDto(
    string AircraftId,
    string Source,
    double LatDeg,
    double LonDeg,
    double? AltW84M,
    double? AltAmslM,
    double? AltAglM,
    double VnMps,
    double VeMps,
    double VuMps,
    double GroundSpeedMps,
    double? TrackDeg,
    double AgeS,
    string? IntentId,
    string Conformance,
    bool Manned,
    DateTimeOffset LastUtc,
    double? LinkQuality);

/// <summary>The tracks at one time (live or recorded).</summary>
/// <param name="TimeUtc">The time of the picture.</param>
/// <param name="Tracks">The tracks.</param>
public sealed record TracksDto(DateTimeOffset TimeUtc, IReadOnlyList<TrackDto> Tracks);

/// <summary>One recorded position of a track.</summary>
/// <param name="TimeUtc">When.</param>
/// <param name="LatDeg">Latitude, degrees.</param>
/// <param name="LonDeg">Longitude, degrees.</param>
/// <param name="AltW84M">Ellipsoidal height, metres, or null.</param>
/// <param name="AltAmslM">Height above mean sea level, metres, or null.</param>
/// <param name="AltAglM">Height above ground, metres, or null.</param>
/// <param name="VnMps">North speed, m/s.</param>
/// <param name="VeMps">East speed, m/s.</param>
/// <param name="VuMps">Up speed, m/s.</param>
/// <param name="Source">The sources of the track at that time, joined by '+'.</param>
/// <param name="Conformance">conforming, nonconforming, contingent or none.</param>
public sealed record HistoryPointDto(
    DateTimeOffset TimeUtc,
    double LatDeg,
    double LonDeg,
    double? AltW84M,
    double? AltAmslM,
    double? AltAglM,
    double VnMps,
    double VeMps,
    double VuMps,
    string Source,
    string Conformance);

/// <summary>A recorded track between two times.</summary>
/// <param name="AircraftId">The track id.</param>
/// <param name="Points">The recorded positions, oldest first.</param>
public sealed record TrackHistoryDto(string AircraftId, IReadOnlyList<HistoryPointDto> Points);

/// <summary>One alert.</summary>
/// <param name="Id">Stable id (the same for every lifecycle event of the alert).</param>
/// <param name="Kind">zone_incursion, zone_incursion_predicted, separation_loss, separation_predicted, nonconforming, contingent, lost_link, ceiling, wind_limit or no_intent.</param>
/// <param name="Severity">advisory, caution or warning.</param>
/// <param name="State">raised, updated or cleared.</param>
/// <param name="Aircraft">The aircraft (for pairs the ordinally smaller id).</param>
/// <param name="Other">The other aircraft of a separation alert.</param>
/// <param name="Zone">The zone of a zone alert.</param>
/// <param name="Intent">The intent of a conformance alert.</param>
/// <param name="LatDeg">Where the aircraft was at the last event, degrees.</param>
/// <param name="LonDeg">Where the aircraft was at the last event, degrees.</param>
/// <param name="RaisedUtc">When raised.</param>
/// <param name="UpdatedUtc">When last changed.</param>
/// <param name="ClearedUtc">When cleared, or null while active.</param>
/// <param name="AcknowledgedBy">Who acknowledged it, or null.</param>
/// <param name="AcknowledgedUtc">When acknowledged, or null.</param>
/// <param name="Advisory">The resolution advisory manoeuvre (climb, descend, turn_right, hold) for a separation alert.</param>
/// <param name="Message">A readable summary.</param>
/// <param name="AdvisoryAircraft">The aircraft that should follow the advisory (gives way).</param>
/// <param name="TimeToEventS">Seconds to the predicted loss or incursion (0 = now).</param>
public sealed record AlertDto(
    long Id,
    string Kind,
    string Severity,
    string State,
    string Aircraft,
    string? Other,
    string? Zone,
    string? Intent,
    double LatDeg,
    double LonDeg,
    DateTimeOffset RaisedUtc,
    DateTimeOffset UpdatedUtc,
    DateTimeOffset? ClearedUtc,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedUtc,
    string? Advisory,
    string Message,
    string? AdvisoryAircraft,
    double? TimeToEventS);

/// <summary>A list of alerts.</summary>
/// <param name="Alerts">The alerts, newest update first.</param>
public sealed record AlertsDto(IReadOnlyList<AlertDto> Alerts);

/// <summary>Counters of one ingestion source.</summary>
/// <param name="Received">Positions queued.</param>
/// <param name="Rejected">Positions rejected as invalid.</param>
/// <param name="Dropped">Valid positions dropped because the ingestion queue was full.</param>
/// <param name="BadFrames">Frames, lines or messages that could not be decoded.</param>
public sealed record SourceStatusDto(long Received, long Rejected, long Dropped, long BadFrames);

/// <summary>The supervision runtime's state.</summary>
/// <param name="Tracks">Live tracks.</param>
/// <param name="ActiveAlerts">Alerts not cleared.</param>
/// <param name="PositionsPerSecond">Positions taken into tracks per second over the last cycle interval.</param>
/// <param name="DroppedFrames">Bad frames plus positions dropped for a full queue, over every source.</param>
/// <param name="Sources">Counters by source (http, ws, remoteid, mavlink, adsb, simulator).</param>
/// <param name="Cycles">Supervision cycles run.</param>
/// <param name="LastCycleMs">Duration of the last cycle's checks, milliseconds.</param>
/// <param name="QueueDepth">Positions waiting in the ingestion queue.</param>
/// <param name="Recorded">Positions written to the recording.</param>
/// <param name="RecordingDropped">Positions not recorded because the recorder fell behind.</param>
/// <param name="Simulation">The running simulation, or null.</param>
/// <param name="MavlinkUdpPort">The bound MAVLink UDP port, or null when off.</param>
/// <param name="SbsListenPort">The bound SBS-1 listener port, or null when off.</param>
public sealed record StatusDto(
    int Tracks,
    int ActiveAlerts,
    double PositionsPerSecond,
    long DroppedFrames,
    IReadOnlyDictionary<string, SourceStatusDto> Sources,
    long Cycles,
    double LastCycleMs,
    int QueueDepth,
    long Recorded,
    long RecordingDropped,
    SimulationDto? Simulation,
    int? MavlinkUdpPort,
    int? SbsListenPort);

/// <summary>Starts a server-side traffic simulation.</summary>
/// <param name="Drones">Route drones, 1–100 000 (default 200).</param>
/// <param name="Faults">Inject faults (off-plan, incursion, lost link, converging pairs); default true.</param>
/// <param name="Seconds">How long to run, 1–86 400 s (default 600).</param>
/// <param name="Seed">Seed (default 1).</param>
public sealed record SimulationRequestDto(int? Drones, bool? Faults, int? Seconds, int? Seed);

/// <summary>A running simulation.</summary>
/// <param name="Running">True while it runs.</param>
/// <param name="Drones">Aircraft simulated (converging pairs included).</param>
/// <param name="Routes">Routes flown.</param>
/// <param name="Faults">True when faults are injected.</param>
/// <param name="Seconds">Planned duration.</param>
/// <param name="StartedUtc">When it started.</param>
/// <param name="Reports">Positions fed so far.</param>
public sealed record SimulationDto(bool Running, int Drones, int Routes, bool Faults, int Seconds, DateTimeOffset StartedUtc, long Reports);
