using Yunlu.Geo;

namespace Yunlu.Supervision;

/// <summary>What an aircraft identity string is.</summary>
public enum IdentityKind
{
    /// <summary>A platform or operator-chosen id (CSV telemetry, the platform's own feeds, the simulator).</summary>
    Platform,

    /// <summary>A Remote ID serial number (ANSI/CTA-2063-A) or a GB 46750 unique product identifier.</summary>
    SerialNumber,

    /// <summary>A 24-bit ICAO address, six upper-case hex digits (ADS-B).</summary>
    IcaoAddress,

    /// <summary>A civil registration / CAA-assigned registration id.</summary>
    Registration,

    /// <summary>A UTM-assigned or session id (F3411 id types 3 and 4).</summary>
    SessionId,

    /// <summary>A MAVLink system id, written "mav:&lt;sysid&gt;".</summary>
    MavlinkSystem,

    /// <summary>A flight callsign.</summary>
    Callsign,
}

/// <summary>Where a position report came from.</summary>
public enum PositionSourceKind
{
    /// <summary>The platform's own network feed (HTTP/WebSocket), the simulator or CSV telemetry.</summary>
    Network,

    /// <summary>MAVLink (UDP or a .tlog file).</summary>
    Mavlink,

    /// <summary>ASTM F3411 / ASD-STAN broadcast Remote ID.</summary>
    AstmRemoteId,

    /// <summary>GB 46750-2025 broadcast Remote ID.</summary>
    GbRemoteId,

    /// <summary>ADS-B (SBS-1 BaseStation feed): manned traffic.</summary>
    AdsB,

    /// <summary>A GPX track file.</summary>
    Gpx,

    /// <summary>The traffic simulator.</summary>
    Simulator,
}

/// <summary>An aircraft identity: a value and what kind of identifier it is.</summary>
/// <param name="Kind">The kind of identifier.</param>
/// <param name="Value">The identifier (case-sensitive, compared ordinally).</param>
public readonly record struct AircraftIdentity(IdentityKind Kind, string Value)
{
    /// <inheritdoc />
    public override string ToString() => Kind + ":" + Value;
}

/// <summary>A velocity in the local north-east-down frame, metres per second (MAVLink's convention).</summary>
/// <param name="NorthMps">North component, m/s.</param>
/// <param name="EastMps">East component, m/s.</param>
/// <param name="DownMps">Down component, m/s (positive = descending).</param>
public readonly record struct VelocityNed(double NorthMps, double EastMps, double DownMps)
{
    /// <summary>Horizontal speed, m/s.</summary>
    public double GroundSpeedMps => Math.Sqrt((NorthMps * NorthMps) + (EastMps * EastMps));

    /// <summary>True when every component is a finite number.</summary>
    public bool IsFinite => double.IsFinite(NorthMps) && double.IsFinite(EastMps) && double.IsFinite(DownMps);
}

/// <summary>
/// One position of one aircraft from one source: every ingestion path (MAVLink, Remote ID, ADS-B, CSV, GPX, the
/// platform feed, the simulator) produces these. The altitude always carries its reference.
/// </summary>
/// <param name="Time">When the position was valid (UTC).</param>
/// <param name="Aircraft">Who.</param>
/// <param name="Source">Which kind of source delivered it.</param>
/// <param name="Position">WGS84 lon/lat, degrees.</param>
/// <param name="Altitude">Altitude with its reference (AGL, AMSL or W84).</param>
/// <param name="Velocity">Velocity NED in m/s, or null when the source gives none.</param>
/// <param name="HeadingDeg">Heading (or track over ground), degrees clockwise from true north in [0, 360), or null.</param>
/// <param name="LinkQuality">Link quality in [0, 1] when the source knows it (e.g. a receiver's RSSI mapped), else null.</param>
public readonly record struct PositionReport(
    DateTimeOffset Time,
    AircraftIdentity Aircraft,
    PositionSourceKind Source,
    GeoPoint Position,
    Altitude Altitude,
    VelocityNed? Velocity = null,
    double? HeadingDeg = null,
    double? LinkQuality = null)
{
    /// <summary>True for manned traffic (ADS-B), which never gives way to a drone and is not checked for intents.</summary>
    public bool IsManned => Source == PositionSourceKind.AdsB;

    /// <summary>
    /// Checks the report's values: a valid position, a finite altitude, a finite velocity when present, a heading in
    /// [0, 360) and a link quality in [0, 1] when present, a non-empty identity.
    /// </summary>
    /// <returns>Null when valid, else the name of the first offending field and the rule it breaks.</returns>
    public string? Validate()
    {
        if (string.IsNullOrEmpty(Aircraft.Value))
        {
            return "aircraft: an identity is required";
        }

        if (!Position.IsValid)
        {
            return "position: lon must be in [-180, 180] and lat in [-90, 90], finite";
        }

        if (!double.IsFinite(Altitude.ValueM))
        {
            return "altitude: must be a finite number of metres";
        }

        if (Velocity is { } v && !v.IsFinite)
        {
            return "velocity: components must be finite";
        }

        if (HeadingDeg is { } h && !(h >= 0 && h < 360))
        {
            return "heading: must be in [0, 360)";
        }

        if (LinkQuality is { } q && !(q >= 0 && q <= 1))
        {
            return "link_quality: must be in [0, 1]";
        }

        return null;
    }
}
