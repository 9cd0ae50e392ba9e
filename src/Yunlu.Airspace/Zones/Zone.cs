using Yunlu.Geo;

namespace Yunlu.Airspace.Zones;

/// <summary>How a zone restricts UAS flight (ED-269 / ED-318 semantics).</summary>
public enum ZoneRestriction
{
    /// <summary>No UAS flight (禁飞).</summary>
    Prohibited,

    /// <summary>Flight needs an authorisation from the zone authority (ED-269 REQ_AUTHORISATION, ED-318 REQ_AUTHORIZATION).</summary>
    ReqAuthorisation,

    /// <summary>Flight allowed under conditions stated in the zone's message.</summary>
    Conditional,

    /// <summary>Information only.</summary>
    NoRestriction,
}

/// <summary>
/// Why a zone exists: the ED-269 reasons followed by the Chinese controlled-airspace reasons (管制空域 categories).
/// </summary>
public enum ZoneReason
{
    /// <summary>ED-269 AIR_TRAFFIC.</summary>
    AirTraffic,

    /// <summary>ED-269 SENSITIVE.</summary>
    Sensitive,

    /// <summary>ED-269 PRIVACY.</summary>
    Privacy,

    /// <summary>ED-269 POPULATION.</summary>
    Population,

    /// <summary>ED-269 NATURE.</summary>
    Nature,

    /// <summary>ED-269 NOISE.</summary>
    Noise,

    /// <summary>ED-269 FOREIGN_TERRITORY.</summary>
    ForeignTerritory,

    /// <summary>ED-269 EMERGENCY.</summary>
    Emergency,

    /// <summary>ED-269 OTHER.</summary>
    Other,

    /// <summary>Airport and its surroundings (机场).</summary>
    Airport,

    /// <summary>Military site (军事).</summary>
    Military,

    /// <summary>National border (边境).</summary>
    Border,

    /// <summary>Critical infrastructure: power, fuel, water, transport hubs, ports, expressways, electrified rail (重要基础设施).</summary>
    Infrastructure,

    /// <summary>Radio and navigation stations (无线电台站).</summary>
    RadioStation,

    /// <summary>Protected heritage site (文物保护).</summary>
    Heritage,

    /// <summary>Temporary controlled airspace (临时管制空域).</summary>
    Temporary,
}

/// <summary>The day of the week set used by weekly schedules.</summary>
[Flags]
public enum WeekDays
{
    /// <summary>No day.</summary>
    None = 0,

    /// <summary>Monday.</summary>
    Mon = 1,

    /// <summary>Tuesday.</summary>
    Tue = 2,

    /// <summary>Wednesday.</summary>
    Wed = 4,

    /// <summary>Thursday.</summary>
    Thu = 8,

    /// <summary>Friday.</summary>
    Fri = 16,

    /// <summary>Saturday.</summary>
    Sat = 32,

    /// <summary>Sunday.</summary>
    Sun = 64,

    /// <summary>Every day.</summary>
    Any = 127,
}

/// <summary>A weekly period during which a zone applies, in UTC times of day (ED-269 DailyPeriod).</summary>
/// <param name="Days">The days it applies.</param>
/// <param name="StartTime">Start time of day (inclusive), UTC.</param>
/// <param name="EndTime">End time of day (exclusive), UTC; equal to <paramref name="StartTime"/> means all day.</param>
public sealed record WeeklyPeriod(WeekDays Days, TimeOnly StartTime, TimeOnly EndTime);

/// <summary>
/// When a zone applies: permanently, or from <see cref="Start"/> to <see cref="End"/> (either open), optionally only
/// during the weekly periods listed.
/// </summary>
/// <param name="Permanent">True for a permanent zone (then Start/End are null).</param>
/// <param name="Start">Inclusive start, or null for "since ever".</param>
/// <param name="End">Exclusive end, or null for "until further notice".</param>
/// <param name="Weekly">Weekly periods; empty means all the time within Start/End.</param>
public sealed partial record ZoneApplicability(bool Permanent, DateTimeOffset? Start, DateTimeOffset? End, IReadOnlyList<WeeklyPeriod> Weekly)
{
    /// <summary>A permanent zone, always active.</summary>
    public static ZoneApplicability Always { get; } = new(true, null, null, []);
}

/// <summary>Who is responsible for a zone and how to reach them (ED-269 Authority).</summary>
/// <param name="Name">The authority's name.</param>
/// <param name="Service">The service or office.</param>
/// <param name="Email">Contact e-mail.</param>
/// <param name="Phone">Contact phone.</param>
/// <param name="SiteUrl">Web site.</param>
/// <param name="Purpose">AUTHORIZATION, NOTIFICATION or INFORMATION.</param>
public sealed record ZoneAuthority(string Name, string? Service, string? Email, string? Phone, string? SiteUrl, string? Purpose);

/// <summary>
/// A geographical zone for UAS (ED-269 UASZoneVersion with one geometry component): a footprint between a floor and
/// a ceiling, each with its altitude reference.
/// </summary>
/// <param name="Identifier">Unique identifier (ED-269: up to 7 characters; Yunlu accepts up to 64).</param>
/// <param name="Name">Human-readable name.</param>
/// <param name="Country">ISO 3166-1 alpha-3 country code, e.g. CHN.</param>
/// <param name="Restriction">The restriction.</param>
/// <param name="Reasons">Why the zone exists (at least one).</param>
/// <param name="Footprint">Horizontal shape.</param>
/// <param name="Lower">Floor, with its reference.</param>
/// <param name="Upper">Ceiling, with its reference; above the floor.</param>
/// <param name="Applicability">When it applies (at least one entry).</param>
/// <param name="Authority">The responsible authority, if known.</param>
/// <param name="Message">Message to pilots.</param>
public sealed partial record Zone(
    string Identifier,
    string Name,
    string Country,
    ZoneRestriction Restriction,
    IReadOnlyList<ZoneReason> Reasons,
    Footprint Footprint,
    Altitude Lower,
    Altitude Upper,
    IReadOnlyList<ZoneApplicability> Applicability,
    ZoneAuthority? Authority,
    string? Message);
