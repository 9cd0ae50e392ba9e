using System.Text.Json;
using System.Text.Json.Serialization;

namespace Yunlu.Server.Supervision;

/// <summary>Source-generated JSON metadata for the supervision API and hub (web defaults, numbers strict).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(PositionDto))]
[JsonSerializable(typeof(PositionDto[]))]
[JsonSerializable(typeof(PositionBatchDto))]
[JsonSerializable(typeof(IngestResultDto))]
[JsonSerializable(typeof(RemoteIdBatchDto))]
[JsonSerializable(typeof(TrackDto))]
[JsonSerializable(typeof(TrackDto[]))]
[JsonSerializable(typeof(List<TrackDto>))]
[JsonSerializable(typeof(TracksDto))]
[JsonSerializable(typeof(TrackHistoryDto))]
[JsonSerializable(typeof(AlertDto))]
[JsonSerializable(typeof(AlertsDto))]
[JsonSerializable(typeof(StatusDto))]
[JsonSerializable(typeof(SimulationRequestDto))]
[JsonSerializable(typeof(SimulationDto))]
[JsonSerializable(typeof(PreSerializedJson))]
public sealed partial class SupervisionJsonContext : JsonSerializerContext;
