using System.Text.Json;
using System.Text.Json.Serialization;

namespace Yunlu.Server.Operations;

/// <summary>Source-generated JSON metadata for the operations API (web defaults, numbers strict).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict, UseStringEnumConverter = true)]
[JsonSerializable(typeof(IntentRequestDto))]
[JsonSerializable(typeof(VolumesUpdateDto))]
[JsonSerializable(typeof(TransitionDto))]
[JsonSerializable(typeof(IntentDto))]
[JsonSerializable(typeof(IntentOutcomeDto))]
[JsonSerializable(typeof(IntentPage))]
[JsonSerializable(typeof(WebhookDto))]
[JsonSerializable(typeof(OperationsNotification))]
[JsonSerializable(typeof(OperatorDto))]
[JsonSerializable(typeof(AircraftDto))]
[JsonSerializable(typeof(PilotDto))]
[JsonSerializable(typeof(RegistryEntryDto<OperatorDto>))]
[JsonSerializable(typeof(RegistryEntryDto<AircraftDto>))]
[JsonSerializable(typeof(RegistryEntryDto<PilotDto>))]
[JsonSerializable(typeof(RegistryEntryDto<WebhookDto>))]
public sealed partial class OperationsJsonContext : JsonSerializerContext;
