using Yunlu.Formats;
using Yunlu.Storage;

namespace Yunlu.Server.Contracts;

/// <summary>Liveness/readiness answer.</summary>
/// <param name="Status"><c>live</c>, <c>ready</c> or <c>starting</c>/<c>unavailable</c>.</param>
/// <param name="StoreKind">sqlite or postgres, when known.</param>
/// <param name="Detail">Why it is not ready.</param>
public sealed record HealthDto(string Status, string? StoreKind, string? Detail);

/// <summary>What this server is and holds.</summary>
/// <param name="Name">Always <c>yunlu</c>.</param>
/// <param name="Version">The server's informational version.</param>
/// <param name="StoreKind">sqlite or postgres.</param>
/// <param name="SchemaVersion">The store's schema version.</param>
/// <param name="Zones">Number of zones.</param>
/// <param name="Obstacles">Number of obstacles (buildings, towers, …).</param>
/// <param name="Sites">Number of sites.</param>
/// <param name="Datasets">Number of raster datasets (DEM, orthophotos).</param>
/// <param name="Imports">Number of import records.</param>
/// <param name="PublicReads">True when map reads need no token.</param>
/// <param name="DevIssuer">True when <c>POST /api/v1/auth/token</c> issues development tokens.</param>
public sealed record InfoDto(string Name, string Version, string StoreKind, int SchemaVersion, int Zones, int Obstacles, int Sites, int Datasets, int Imports, bool PublicReads, bool DevIssuer);

/// <summary>A request for a development token.</summary>
/// <param name="Subject">The <c>sub</c> claim (who).</param>
/// <param name="Roles">Roles: operator, manager, supervisor, admin.</param>
/// <param name="Scopes">Optional ASTM scopes (e.g. utm.strategic_coordination).</param>
/// <param name="LifetimeS">Optional lifetime in seconds (capped at the configured lifetime, ≤ 3600).</param>
public sealed record TokenRequest(string? Subject, IReadOnlyList<string>? Roles, IReadOnlyList<string>? Scopes, int? LifetimeS);

/// <summary>A signed RS256 token (OAuth 2.0 token response shape).</summary>
/// <param name="AccessToken">The JWT.</param>
/// <param name="TokenType">Always <c>Bearer</c>.</param>
/// <param name="ExpiresIn">Seconds until expiry.</param>
/// <param name="ExpiresAt">Expiry instant.</param>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, DateTimeOffset ExpiresAt);

/// <summary>The outcome of an import (or its dry run).</summary>
/// <param name="Kind">zones, buildings, sites, dem or orthophoto.</param>
/// <param name="FileName">The file name given.</param>
/// <param name="DryRun">True when nothing was meant to be stored.</param>
/// <param name="Stored">True when the data was committed.</param>
/// <param name="FeatureCount">Features (or raster tiles) read without error.</param>
/// <param name="Errors">Every error found; any error means nothing was stored.</param>
/// <param name="Record">The import record when stored.</param>
/// <param name="DatasetId">The raster dataset id for dem/orthophoto imports.</param>
public sealed record ImportOutcomeDto(string Kind, string FileName, bool DryRun, bool Stored, int FeatureCount, IReadOnlyList<FeatureError> Errors, ImportRecord? Record, string? DatasetId);

/// <summary>A site (vertiport, hub, drop point, point of interest).</summary>
/// <param name="Id">Identifier.</param>
/// <param name="Name">Name.</param>
/// <param name="Kind">VERTIPORT, LOGISTICS_HUB, DROP_POINT, POINT_OF_INTEREST, TRAINING_AREA, AIRPORT.</param>
/// <param name="LonDeg">Longitude, degrees.</param>
/// <param name="LatDeg">Latitude, degrees.</param>
/// <param name="Description">Description.</param>
public sealed record SiteDto(string Id, string Name, string Kind, double LonDeg, double LatDeg, string? Description);

/// <summary>Heights at one point.</summary>
/// <param name="Lon">Longitude, degrees.</param>
/// <param name="Lat">Latitude, degrees.</param>
/// <param name="GroundAmslM">Bare-earth height, metres above mean sea level (EGM96); null without DEM coverage.</param>
/// <param name="GeoidUndulationM">EGM96 geoid undulation N, metres (W84 = AMSL + N).</param>
/// <param name="GroundW84M">Ground height above the WGS84 ellipsoid, metres; null without DEM coverage.</param>
/// <param name="ObstacleHeightM">Height of the tallest obstacle standing on the point, metres above ground (0 when none).</param>
/// <param name="SurfaceAmslM">Ground plus obstacles, metres AMSL; null without DEM coverage.</param>
public sealed record TerrainHeightDto(double Lon, double Lat, double? GroundAmslM, double GeoidUndulationM, double? GroundW84M, double ObstacleHeightM, double? SurfaceAmslM);

/// <summary>An altitude converted between references at one point.</summary>
/// <param name="Lon">Longitude, degrees.</param>
/// <param name="Lat">Latitude, degrees.</param>
/// <param name="Value">The input, metres.</param>
/// <param name="From">The input's reference.</param>
/// <param name="To">The output's reference.</param>
/// <param name="Result">The same height in <paramref name="To"/>, metres.</param>
/// <param name="GeoidUndulationM">EGM96 undulation used, metres.</param>
/// <param name="GroundAmslM">Ground height used (AGL conversions), metres AMSL.</param>
public sealed record AltitudeConversionDto(double Lon, double Lat, double Value, string From, string To, double Result, double GeoidUndulationM, double? GroundAmslM);

/// <summary>A raster dataset's metadata.</summary>
/// <param name="Id">Identifier.</param>
/// <param name="Kind">dem or orthophoto.</param>
/// <param name="Name">Name (file name).</param>
/// <param name="WestDeg">West bound.</param>
/// <param name="SouthDeg">South bound.</param>
/// <param name="EastDeg">East bound.</param>
/// <param name="NorthDeg">North bound.</param>
/// <param name="Width">Width in samples.</param>
/// <param name="Height">Height in samples.</param>
/// <param name="ImportedAt">When it was imported.</param>
public sealed record DatasetDto(string Id, string Kind, string Name, double WestDeg, double SouthDeg, double EastDeg, double NorthDeg, int Width, int Height, DateTimeOffset ImportedAt);
