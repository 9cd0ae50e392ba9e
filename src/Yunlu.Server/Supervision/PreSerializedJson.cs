using System.Text.Json;
using System.Text.Json.Serialization;

namespace Yunlu.Server.Supervision;

/// <summary>
/// A JSON value serialised ahead of sending (UTF-8), written into a message as is. The <c>tracks</c> picture (several
/// MB for 20 000 aircraft) is serialised once on the broadcaster's own thread with the hub protocol's options, so a
/// connection's write lock is held only for a copy, not for the serialisation, and alerts queued behind it wait less.
/// </summary>
[JsonConverter(typeof(PreSerializedJsonConverter))]
public sealed class PreSerializedJson
{
    /// <summary>Wraps UTF-8 JSON text (one complete value; not validated).</summary>
    public PreSerializedJson(byte[] utf8) => Utf8 = utf8 ?? throw new ArgumentNullException(nameof(utf8));

    /// <summary>The UTF-8 JSON text.</summary>
    public byte[] Utf8 { get; }
}

/// <summary>Writes a <see cref="PreSerializedJson"/> raw; reading one is not supported (it is sent only).</summary>
public sealed class PreSerializedJsonConverter : JsonConverter<PreSerializedJson>
{
    /// <inheritdoc />
    public override PreSerializedJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("PreSerializedJson is written only");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, PreSerializedJson value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteRawValue(value.Utf8, skipInputValidation: true);
    }
}
