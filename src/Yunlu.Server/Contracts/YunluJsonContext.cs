using System.Text.Json;
using System.Text.Json.Serialization;
using Yunlu.Formats;
using Yunlu.Server.Problems;
using Yunlu.Storage;

namespace Yunlu.Server.Contracts;

/// <summary>Source-generated JSON metadata for the API's DTOs (web defaults: camelCase, numbers strict).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ZoneDto))]
[JsonSerializable(typeof(StoredZoneDto))]
[JsonSerializable(typeof(ZonePage))]
[JsonSerializable(typeof(HealthDto))]
[JsonSerializable(typeof(InfoDto))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(ImportOutcomeDto))]
[JsonSerializable(typeof(IReadOnlyList<ImportRecord>))]
[JsonSerializable(typeof(IReadOnlyList<SiteDto>))]
[JsonSerializable(typeof(IReadOnlyList<DatasetDto>))]
[JsonSerializable(typeof(TerrainHeightDto))]
[JsonSerializable(typeof(AltitudeConversionDto))]
[JsonSerializable(typeof(FeatureError))]
[JsonSerializable(typeof(Violation))]
[JsonSerializable(typeof(Violation[]))]
[JsonSerializable(typeof(IReadOnlyList<Violation>))]
[JsonSerializable(typeof(FeatureError[]))]
[JsonSerializable(typeof(IReadOnlyList<FeatureError>))]
public sealed partial class YunluJsonContext : JsonSerializerContext;
