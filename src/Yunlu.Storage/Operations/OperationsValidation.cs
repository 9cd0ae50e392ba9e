using System.Text.Json;

namespace Yunlu.Storage.Operations;

/// <summary>Argument checks shared by both operations stores (messages name the argument and the rule).</summary>
internal static class OperationsValidation
{
    public const int MaxIdLength = 128;

    public static void Registry(string kind, string id, string json, string actor)
    {
        if (!RegistryKinds.All.Contains(kind, StringComparer.Ordinal))
        {
            throw new ArgumentException($"kind: '{kind}' is not one of {string.Join(", ", RegistryKinds.All)}", nameof(kind));
        }

        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength)
        {
            throw new ArgumentException($"id: must be 1–{MaxIdLength} characters", nameof(id));
        }

        if (string.IsNullOrWhiteSpace(actor))
        {
            throw new ArgumentException("actor: is required", nameof(actor));
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("json: a registry document must be a JSON object", nameof(json));
            }
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("json: not valid JSON: " + ex.Message, nameof(json), ex);
        }
    }

    public static void Query(IntentQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(query), "query.Limit: must be 1–10000");
        }

        if (query.Offset < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(query), "query.Offset: must be ≥ 0");
        }
    }
}
