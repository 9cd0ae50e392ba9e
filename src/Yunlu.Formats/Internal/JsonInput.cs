using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Yunlu.Formats.Internal;

/// <summary>Parses JSON input into a <see cref="JsonDocument"/>, turning every malformation into a file-level error.</summary>
internal static class JsonInput
{
    /// <summary>Nesting deeper than this is refused (GeoJSON MultiPolygons need 6 levels inside a feature collection).</summary>
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions Options = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
    };

    public static JsonDocument Parse(byte[] bytes)
    {
        ReadOnlyMemory<byte> memory = bytes;
        if (bytes.AsSpan().StartsWith("\uFEFF"u8))
        {
            memory = memory[3..];
        }

        // Invalid UTF-8 inside a string would otherwise surface later as InvalidOperationException from GetString.
        if (!System.Text.Unicode.Utf8.IsValid(memory.Span))
        {
            int at = FirstInvalidUtf8(memory.Span);
            throw new InvalidFileException(
                ImportRules.JsonMalformed,
                string.Create(CultureInfo.InvariantCulture, $"the file is not valid UTF-8 (first bad byte at offset {at})"));
        }

        try
        {
            return JsonDocument.Parse(memory, Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidFileException(
                ImportRules.JsonMalformed,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"JSON is not well formed at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}: {FirstSentence(ex.Message)}"));
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> span)
    {
        char[] scratch = ArrayPool<char>.Shared.Rent(4096);
        try
        {
            int offset = 0;
            while (offset < span.Length)
            {
                OperationStatus status = System.Text.Unicode.Utf8.ToUtf16(span[offset..], scratch, out int read, out _, replaceInvalidSequences: false, isFinalBlock: true);
                offset += read;
                if (status is OperationStatus.InvalidData or OperationStatus.NeedMoreData)
                {
                    return offset;
                }

                if (status == OperationStatus.Done)
                {
                    break;
                }
            }

            return offset;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(scratch);
        }
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    public static string Path(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    public static string Index(string prefix, int i) => string.Create(CultureInfo.InvariantCulture, $"{prefix}[{i}]");

    /// <summary>The property, or false when it is absent or JSON null.</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    public static string? GetString(JsonElement obj, string name, string prefix, ImportErrors errors, bool required) =>
        GetOfKind(obj, name, prefix, errors, required, JsonValueKind.String, "a string")?.GetString();

    /// <summary>
    /// A present member (not null) of the wanted JSON kind, or null: missing is <see cref="ImportRules.FieldMissing"/>
    /// when <paramref name="required"/>, another kind is <see cref="ImportRules.TypeMismatch"/> ("expected
    /// <paramref name="expected"/>").
    /// </summary>
    private static JsonElement? GetOfKind(JsonElement obj, string name, string prefix, ImportErrors errors, bool required, JsonValueKind kind, string expected)
    {
        if (!TryGetRequired(obj, name, prefix, errors, required, out JsonElement v))
        {
            return null;
        }

        if (v.ValueKind != kind)
        {
            errors.Add(Path(prefix, name), ImportRules.TypeMismatch, $"expected {expected}, found {Describe(v.ValueKind)}");
            return null;
        }

        return v;
    }

    /// <summary>A present member (not null); when absent and <paramref name="required"/>, a
    /// <see cref="ImportRules.FieldMissing"/> error.</summary>
    private static bool TryGetRequired(JsonElement obj, string name, string prefix, ImportErrors errors, bool required, out JsonElement value)
    {
        if (TryGet(obj, name, out value))
        {
            return true;
        }

        if (required)
        {
            errors.Add(Path(prefix, name), ImportRules.FieldMissing, $"'{name}' is required");
        }

        return false;
    }

    /// <summary>A finite number. A string holding a number is a type mismatch (strict), except "NaN"/"Infinity",
    /// which are reported as not finite.</summary>
    public static double? GetNumber(JsonElement obj, string name, string prefix, ImportErrors errors, bool required) =>
        TryGetRequired(obj, name, prefix, errors, required, out JsonElement v) ? ReadNumber(v, Path(prefix, name), errors) : null;

    public static double? ReadNumber(JsonElement v, string field, ImportErrors errors)
    {
        if (v.ValueKind == JsonValueKind.Number)
        {
            if (v.TryGetDouble(out double d) && double.IsFinite(d))
            {
                return d;
            }

            errors.Add(field, ImportRules.NotFinite, "the number is not finite or too large for a double");
            return null;
        }

        if (v.ValueKind == JsonValueKind.String && IsNamedNonFinite(v.GetString()))
        {
            errors.Add(field, ImportRules.NotFinite, $"'{v.GetString()}' is not a finite number");
            return null;
        }

        errors.Add(field, ImportRules.TypeMismatch, $"expected a number, found {Describe(v.ValueKind)}");
        return null;
    }

    public static bool IsNamedNonFinite(string? s) =>
        s is not null && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && !double.IsFinite(d);

    /// <summary>An array property, or null (with an error when present but not an array).</summary>
    public static JsonElement? GetArray(JsonElement obj, string name, string prefix, ImportErrors errors, bool required) =>
        GetOfKind(obj, name, prefix, errors, required, JsonValueKind.Array, "an array");

    public static JsonElement? GetObject(JsonElement obj, string name, string prefix, ImportErrors errors, bool required) =>
        GetOfKind(obj, name, prefix, errors, required, JsonValueKind.Object, "an object");

    /// <summary>A feature collection's <c>features</c> array (or a bare array at the root).</summary>
    public static JsonElement Features(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            return root;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidFileException(ImportRules.StructureInvalid, $"the document must be an object with a 'features' array, found {Describe(root.ValueKind)}");
        }

        if (!root.TryGetProperty("features", out JsonElement features) || features.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidFileException(ImportRules.StructureInvalid, "the document has no 'features' array");
        }

        return features;
    }

    /// <summary>Text for a field that may be a string, an array of strings or an array of {lang, text} objects
    /// (ED-318 TextShortType lists); the first entry wins.</summary>
    public static string? GetText(JsonElement obj, string name, string prefix, ImportErrors errors)
    {
        if (!TryGet(obj, name, out JsonElement v))
        {
            return null;
        }

        switch (v.ValueKind)
        {
            case JsonValueKind.String:
                return v.GetString();
            case JsonValueKind.Array:
                if (v.GetArrayLength() == 0)
                {
                    return null;
                }

                JsonElement first = v[0];
                if (first.ValueKind == JsonValueKind.String)
                {
                    return first.GetString();
                }

                if (first.ValueKind == JsonValueKind.Object)
                {
                    return GetString(first, "text", Index(Path(prefix, name), 0), errors, required: true);
                }

                errors.Add(Index(Path(prefix, name), 0), ImportRules.TypeMismatch, $"expected a string or {{lang, text}}, found {Describe(first.ValueKind)}");
                return null;
            default:
                errors.Add(Path(prefix, name), ImportRules.TypeMismatch, $"expected a string or a list of texts, found {Describe(v.ValueKind)}");
                return null;
        }
    }

    public static string Utf8String(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
