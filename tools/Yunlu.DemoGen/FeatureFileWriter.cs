using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Yunlu.Geo;

namespace Yunlu.DemoGen;

/// <summary>
/// Writes a JSON document of the form <c>{ header members…, "features": [ … ] }</c> with one compact feature per line
/// (small diffs, readable Chinese text: UTF-8 without \u escapes, LF line ends, no BOM).
/// </summary>
internal sealed class FeatureFileWriter : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    private readonly FileStream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private bool _first = true;

    /// <summary>Opens <paramref name="path"/> and writes the header members (written by <paramref name="header"/>
    /// into an object whose braces are dropped).</summary>
    public FeatureFileWriter(string path, Action<Utf8JsonWriter> header)
    {
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        using (var w = new Utf8JsonWriter(_buffer, Options))
        {
            w.WriteStartObject();
            header(w);
            w.WriteEndObject();
        }

        var bytes = _buffer.WrittenSpan;
        Raw("{");
        // Drop the object's own braces: the header members, then the features array.
        var inner = bytes[1..^1];
        _stream.Write(inner);
        Raw(inner.Length > 0 ? ",\n\"features\":[\n" : "\n\"features\":[\n");
    }

    /// <summary>Writes one feature (an object) on its own line.</summary>
    public void Feature(Action<Utf8JsonWriter> write)
    {
        _buffer.Clear();
        using (var w = new Utf8JsonWriter(_buffer, Options))
        {
            write(w);
        }

        if (!_first)
        {
            Raw(",\n");
        }

        _first = false;
        _stream.Write(_buffer.WrittenSpan);
    }

    public void Dispose()
    {
        Raw("\n]}\n");
        _stream.Dispose();
    }

    private void Raw(string s) => _stream.Write(Encoding.UTF8.GetBytes(s));

    /// <summary>A coordinate rounded to 1e-7° (about 1 cm), as GeoJSON writers customarily do.</summary>
    public static double Coord(double deg) => Math.Round(deg, 7, MidpointRounding.AwayFromZero);

    /// <summary>Writes <c>[lon, lat]</c>.</summary>
    public static void Position(Utf8JsonWriter w, GeoPoint p)
    {
        w.WriteStartArray();
        w.WriteNumberValue(Coord(p.LonDeg));
        w.WriteNumberValue(Coord(p.LatDeg));
        w.WriteEndArray();
    }

    /// <summary>Writes a closed ring (the first position repeated at the end).</summary>
    public static void Ring(Utf8JsonWriter w, IReadOnlyList<GeoPoint> ring)
    {
        w.WriteStartArray();
        foreach (var p in ring)
        {
            Position(w, p);
        }

        Position(w, ring[0]);
        w.WriteEndArray();
    }

    /// <summary>Writes a GeoJSON Polygon geometry object with one exterior ring (given open, anticlockwise).</summary>
    public static void PolygonGeometry(Utf8JsonWriter w, IReadOnlyList<GeoPoint> ring)
    {
        w.WriteStartObject();
        w.WriteString("type", "Polygon");
        w.WritePropertyName("coordinates");
        w.WriteStartArray();
        Ring(w, ring);
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
