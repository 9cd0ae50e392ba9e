using System.Text.Json;

namespace Yunlu.Formats.Internal;

/// <summary>Reads one feature of a JSON feature list; only called for features that are JSON objects.</summary>
/// <typeparam name="TState">What the reader writes into (its item list, the identifiers seen so far, ...).</typeparam>
/// <param name="feature">The feature object.</param>
/// <param name="index">The feature's 0-based position in the file.</param>
/// <param name="errors">The file's error collector, already begun on this feature.</param>
/// <param name="state">The caller's state.</param>
internal delegate void FeatureReader<in TState>(JsonElement feature, int index, ImportErrors errors, TState state);

/// <summary>
/// The feature loop shared by the JSON readers (zone GeoJSON, ED-269, ED-318, sites, obstacles): the document's
/// <c>features</c> array (or a bare array at the root), at most <see cref="ImportLimits.MaxFeatures"/> features (one
/// file-level <see cref="ImportRules.FeatureLimit"/> error beyond that), each begun on the error collector, a
/// non-object reported as <see cref="ImportRules.TypeMismatch"/>, and the loop stopped once the errors are full.
/// </summary>
internal static class FeatureWalker
{
    /// <summary>Calls <paramref name="read"/> for every feature object of <paramref name="root"/>.</summary>
    /// <param name="root">The document root.</param>
    /// <param name="errors">The file's error collector (its limits bound the feature count).</param>
    /// <param name="noun">How a message names one feature, e.g. "a feature" or "a UASZoneVersion".</param>
    /// <param name="state">Passed to <paramref name="read"/>.</param>
    /// <param name="read">Reads one feature object.</param>
    public static void Walk<TState>(JsonElement root, ImportErrors errors, string noun, TState state, FeatureReader<TState> read)
    {
        JsonElement features = JsonInput.Features(root);
        int index = 0;
        foreach (JsonElement feature in features.EnumerateArray())
        {
            if (index >= errors.Limits.MaxFeatures)
            {
                ZoneFiles.FeatureLimit(features.GetArrayLength(), errors);
                break;
            }

            errors.BeginFeature(index);
            if (feature.ValueKind == JsonValueKind.Object)
            {
                read(feature, index, errors, state);
            }
            else
            {
                errors.Add("", ImportRules.TypeMismatch, $"{noun} must be an object, found {JsonInput.Describe(feature.ValueKind)}");
            }

            index++;
            if (errors.IsFull)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Reads a whole JSON feature file into items: the bytes (at most <see cref="ImportLimits.MaxBytes"/>), the
    /// document, then <see cref="Walk"/> with the item list and the set of identifiers seen so far (for duplicate checks).
    /// </summary>
    /// <param name="stream">The file content.</param>
    /// <param name="fileName">The file name, for messages.</param>
    /// <param name="limits">Limits; <see cref="ImportLimits.Default"/> when null.</param>
    /// <param name="read">Reads one feature object into the items.</param>
    /// <returns>The items that passed validation and every error found.</returns>
    public static ImportResult<T> ReadFile<T>(Stream stream, string fileName, ImportLimits? limits, FeatureReader<(HashSet<string> Seen, List<T> Items)> read)
    {
        limits ??= ImportLimits.Default;
        byte[] bytes = BoundedInput.ReadAll(stream, limits.MaxBytes, $"'{fileName}'");
        using JsonDocument doc = JsonInput.Parse(bytes);
        var errors = new ImportErrors(limits);
        var items = new List<T>();
        Walk(doc.RootElement, errors, "a feature", (new HashSet<string>(StringComparer.Ordinal), items), read);
        return new ImportResult<T>(items, errors.Finish());
    }

    /// <summary>
    /// A GeoJSON feature's <c>properties</c> and <c>geometry</c> members, both required objects (an error for each
    /// one missing or of another type).
    /// </summary>
    /// <returns>False when there are no usable properties, so there is nothing more to read.</returns>
    public static bool TryGetParts(JsonElement feature, ImportErrors errors, out JsonElement properties, out JsonElement? geometry)
    {
        JsonElement? props = JsonInput.GetObject(feature, "properties", "", errors, required: true);
        geometry = JsonInput.GetObject(feature, "geometry", "", errors, required: true);
        properties = props.GetValueOrDefault();
        return props is not null;
    }
}
