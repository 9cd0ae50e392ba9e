using System.Text.Json;
using System.Text.Json.Serialization;

namespace Yunlu.Server.Network;

/// <summary>A vertiport given by position.</summary>
/// <param name="Id">Identifier (kept as the airway node id).</param>
/// <param name="Name">Display name (defaults to the id).</param>
/// <param name="Lon">Longitude, WGS84 degrees.</param>
/// <param name="Lat">Latitude, WGS84 degrees.</param>
public sealed record NetworkPointDto(string Id, string? Name, double Lon, double Lat);

/// <summary>Origin–destination demand.</summary>
/// <param name="Origin">Origin vertiport id.</param>
/// <param name="Destination">Destination vertiport id.</param>
/// <param name="Flights">Flights per period, ≥ 0.</param>
public sealed record NetworkDemandDto(string Origin, string Destination, double Flights);

/// <summary>Generator settings; every field optional (defaults in <c>NetworkOptions</c>).</summary>
/// <param name="DetourTarget">Stretch wanted for every pair (1–10, default 1.2).</param>
/// <param name="DemandDetourTarget">Stretch wanted for pairs with demand (default 1.05).</param>
/// <param name="LateralSeparationM">Same-layer lateral separation, m (default 150).</param>
/// <param name="VerticalSeparationM">Gap between layers, m (default 10).</param>
/// <param name="LateralClearanceM">Clearance from prohibited zones and tall obstacles, m (default 100).</param>
/// <param name="VerticalClearanceM">Clearance above obstacles, m (default 20).</param>
/// <param name="HeadingLayers">Heading layers, even 2–8 (default 2: east-bound / west-bound).</param>
/// <param name="LowestFloorAglM">Floor of the lowest layer, m true height (default 60).</param>
/// <param name="LayerThicknessM">Layer thickness, m (default 20).</param>
/// <param name="CeilingAglM">True-height ceiling, m (default 120).</param>
/// <param name="CorridorWidthM">Corridor width, m (default 100).</param>
/// <param name="CruiseSpeedMps">Cruise speed, m/s (default 15).</param>
/// <param name="LongitudinalSeparationM">Along-track spacing, m (default 300).</param>
/// <param name="IdPrefix">Prefix of generated ids (default GEN).</param>
public sealed record NetworkOptionsDto(
    double? DetourTarget = null,
    double? DemandDetourTarget = null,
    double? LateralSeparationM = null,
    double? VerticalSeparationM = null,
    double? LateralClearanceM = null,
    double? VerticalClearanceM = null,
    int? HeadingLayers = null,
    double? LowestFloorAglM = null,
    double? LayerThicknessM = null,
    double? CeilingAglM = null,
    double? CorridorWidthM = null,
    double? CruiseSpeedMps = null,
    double? LongitudinalSeparationM = null,
    string? IdPrefix = null);

/// <summary>POST /api/v1/airways/generate: which vertiports, what to avoid, and whether to store the result.</summary>
/// <param name="SiteIds">Stored site ids to join (any kind).</param>
/// <param name="Points">Vertiports given by position (joined with <paramref name="SiteIds"/>).</param>
/// <param name="Demand">Optional origin–destination demand.</param>
/// <param name="Options">Generator settings.</param>
/// <param name="AvoidStoredZones">Keep out of the stored prohibited zones (default true).</param>
/// <param name="AvoidStoredObstacles">Keep out of stored obstacles too tall for the lowest layer (default true).</param>
/// <param name="Store">Store the network as airway nodes and corridors (default false).</param>
public sealed record NetworkGenerateRequestDto(
    IReadOnlyList<string>? SiteIds = null,
    IReadOnlyList<NetworkPointDto>? Points = null,
    IReadOnlyList<NetworkDemandDto>? Demand = null,
    NetworkOptionsDto? Options = null,
    bool? AvoidStoredZones = null,
    bool? AvoidStoredObstacles = null,
    bool? Store = null);

/// <summary>Source-generated JSON metadata for the network API (web defaults, numbers strict).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict, UseStringEnumConverter = true)]
[JsonSerializable(typeof(NetworkGenerateRequestDto))]
public sealed partial class NetworkJsonContext : JsonSerializerContext;
