using System.Text.Json;
using System.Text.Json.Serialization;

namespace Yunlu.Server.Airspace;

/// <summary>Source-generated JSON metadata for the airspace DTOs (web defaults, numbers strict).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict, UseStringEnumConverter = true)]
[JsonSerializable(typeof(GridCellDto))]
[JsonSerializable(typeof(GridCoverRequest))]
[JsonSerializable(typeof(GridCoverDto))]
[JsonSerializable(typeof(GridCellsDto))]
[JsonSerializable(typeof(GridOverrideRequest))]
[JsonSerializable(typeof(GridOverrideDto))]
[JsonSerializable(typeof(IReadOnlyList<GridOverrideDto>))]
[JsonSerializable(typeof(AirwayNodeDto))]
[JsonSerializable(typeof(IReadOnlyList<AirwayNodeDto>))]
[JsonSerializable(typeof(CorridorDto))]
[JsonSerializable(typeof(StoredCorridorDto))]
[JsonSerializable(typeof(IReadOnlyList<StoredCorridorDto>))]
[JsonSerializable(typeof(IReadOnlyList<ZoneHistoryEntryDto>))]
[JsonSerializable(typeof(RuleSetDto))]
[JsonSerializable(typeof(ClassifyRequest))]
[JsonSerializable(typeof(ClassificationDto))]
[JsonSerializable(typeof(WeatherIngestDto))]
[JsonSerializable(typeof(WeatherRowErrorDto[]))]
[JsonSerializable(typeof(WindDto))]
[JsonSerializable(typeof(WindLimitsDto))]
[JsonSerializable(typeof(CheckRequestDto))]
[JsonSerializable(typeof(CheckResultDto))]
public sealed partial class AirspaceJsonContext : JsonSerializerContext;
