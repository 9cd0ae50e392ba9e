namespace Yunlu.Server.Contracts;

/// <summary>A zone as sent to <c>PUT /api/v1/zones/{identifier}</c> and returned by the zone endpoints.
/// Coordinates are WGS84 degrees, longitude first; altitudes are metres with their reference.</summary>
/// <param name="Identifier">The identifier (1–64 of <c>A-Z a-z 0-9 . _ -</c>); optional in a PUT body, where the route's wins
/// and a different one is an error.</param>
/// <param name="Name">Display name.</param>
/// <param name="Country">ISO 3166-1 alpha-3 code, default <c>CHN</c>.</param>
/// <param name="Restriction">PROHIBITED, REQ_AUTHORISATION, CONDITIONAL or NO_RESTRICTION.</param>
/// <param name="Reasons">At least one of the ED-269 reasons or the Chinese categories (AIRPORT, MILITARY, …).</param>
/// <param name="Footprint">Exactly one of a polygon or a circle.</param>
/// <param name="Lower">Floor.</param>
/// <param name="Upper">Ceiling, above the floor.</param>
/// <param name="Applicability">When the zone applies; empty or missing means permanently.</param>
/// <param name="Authority">The responsible authority.</param>
/// <param name="Message">Message to pilots.</param>
public sealed record ZoneDto(
    string? Identifier,
    string? Name,
    string? Country,
    string? Restriction,
    IReadOnlyList<string>? Reasons,
    FootprintDto? Footprint,
    AltitudeDto? Lower,
    AltitudeDto? Upper,
    IReadOnlyList<ApplicabilityDto>? Applicability,
    AuthorityDto? Authority,
    string? Message);

/// <summary>A zone footprint: exactly one of <paramref name="Polygon"/> (GeoJSON polygon rings of [lon, lat]; the first
/// ring is the shell, closed or not) or <paramref name="Circle"/>.</summary>
/// <param name="Polygon">Rings of [lon, lat] positions in degrees.</param>
/// <param name="Circle">A circle.</param>
public sealed record FootprintDto(IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>>? Polygon, CircleDto? Circle);

/// <summary>A circle footprint.</summary>
/// <param name="Center">[lon, lat] in degrees.</param>
/// <param name="RadiusM">Radius in metres, &gt; 0.</param>
public sealed record CircleDto(IReadOnlyList<double>? Center, double? RadiusM);

/// <summary>An altitude: metres above a reference.</summary>
/// <param name="Value">Metres.</param>
/// <param name="Reference">AGL (true height), AMSL (EGM96) or W84 (ellipsoid).</param>
public sealed record AltitudeDto(double? Value, string? Reference);

/// <summary>When a zone applies.</summary>
/// <param name="Permanent">True for always (then no start/end).</param>
/// <param name="Start">Inclusive start (RFC 3339).</param>
/// <param name="End">Exclusive end (RFC 3339).</param>
/// <param name="Weekly">Weekly periods in UTC.</param>
public sealed record ApplicabilityDto(bool? Permanent, DateTimeOffset? Start, DateTimeOffset? End, IReadOnlyList<WeeklyPeriodDto>? Weekly);

/// <summary>A weekly period: days (MON … SUN or ANY) and UTC times of day <c>HH:mm</c>.</summary>
/// <param name="Days">Days of the week.</param>
/// <param name="StartTime">Start, inclusive, <c>HH:mm</c>.</param>
/// <param name="EndTime">End, exclusive, <c>HH:mm</c>; equal to the start means all day.</param>
public sealed record WeeklyPeriodDto(IReadOnlyList<string>? Days, string? StartTime, string? EndTime);

/// <summary>The authority responsible for a zone.</summary>
/// <param name="Name">Name.</param>
/// <param name="Service">Service or office.</param>
/// <param name="Email">E-mail.</param>
/// <param name="Phone">Phone.</param>
/// <param name="SiteUrl">Web site.</param>
/// <param name="Purpose">AUTHORIZATION, NOTIFICATION or INFORMATION.</param>
public sealed record AuthorityDto(string? Name, string? Service, string? Email, string? Phone, string? SiteUrl, string? Purpose);

/// <summary>A stored zone with its version and last change.</summary>
/// <param name="Zone">The zone.</param>
/// <param name="Version">The stored version (1 on creation, +1 per change); also the <c>ETag</c>.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="UpdatedBy">Who changed it last (token subject).</param>
public sealed record StoredZoneDto(ZoneDto Zone, long Version, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>A page of zones.</summary>
/// <param name="Items">The zones.</param>
/// <param name="Limit">The limit applied.</param>
/// <param name="Offset">The offset applied.</param>
public sealed record ZonePage(IReadOnlyList<StoredZoneDto> Items, int Limit, int Offset);
