using System.Text.Json;
using Yunlu.Supervision.Alerts;

namespace Yunlu.Formats.Telemetry;

/// <summary>
/// The replay's alert output: one JSON object per line and per raised or cleared alert event,
/// <c>{"time_utc", "kind", "event", "aircraft", "other", "zone", "intent"}</c> (absent values are null).
/// </summary>
public static class AlertJsonl
{
    /// <summary>True for the events the JSONL carries (raised and cleared).</summary>
    public static bool IsWritten(AlertEvent e) => e is { Event: AlertEventType.Raised or AlertEventType.Cleared };

    /// <summary>Writes one event as one line (no check of <see cref="IsWritten"/>).</summary>
    /// <param name="output">Where to write (UTF-8).</param>
    /// <param name="e">The event.</param>
    public static void WriteLine(Stream output, AlertEvent e)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(e);
        using (var w = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("time_utc", TimeText.Format(e.Time));
            w.WriteString("kind", e.Kind.WireName());
            w.WriteString("event", e.Event.WireName());
            w.WriteString("aircraft", e.Aircraft);
            Nullable(w, "other", e.Other);
            Nullable(w, "zone", e.Zone);
            Nullable(w, "intent", e.Intent);
            w.WriteEndObject();
        }

        output.WriteByte((byte)'\n');
    }

    private static void Nullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
