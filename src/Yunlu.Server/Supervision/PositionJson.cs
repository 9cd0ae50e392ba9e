using System.Globalization;
using System.Text;
using System.Text.Json;
using Yunlu.Formats.Telemetry;
using Yunlu.Geo;
using Yunlu.Supervision;

namespace Yunlu.Server.Supervision;

/// <summary>
/// Reads positions in the platform's JSON shape (<see cref="PositionDto"/>) straight from UTF-8 into
/// <see cref="PositionReport"/>s with a <see cref="Utf8JsonReader"/>: no DTO per item, aircraft ids interned per
/// reader. Every rule broken names the field (e.g. <c>positions[3].latDeg</c>) and a stable rule code.
/// </summary>
public sealed class PositionJson
{
    /// <summary>Longest aircraft id, characters.</summary>
    public const int MaxIdLength = 64;

    /// <summary>How far in the future a position time may be, seconds (receiver clocks drift).</summary>
    public const double MaxFutureS = 300;

    /// <summary>Largest speed component accepted, m/s.</summary>
    public const double MaxSpeedMps = 400;

    private const int MaxInterned = 1 << 18;
    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates a reader.</summary>
    /// <param name="time">The clock the future-time rule uses.</param>
    public PositionJson(TimeProvider time) => _time = time;

    /// <summary>Maps a wire source name to a source kind.</summary>
    /// <param name="name">http, ws, network, simulator, mavlink, remoteid-astm, remoteid-gb, adsb or gpx.</param>
    /// <param name="kind">The kind.</param>
    /// <returns>False for an unknown name.</returns>
    public static bool TryParseSource(ReadOnlySpan<byte> name, out PositionSourceKind kind)
    {
        kind = name switch
        {
            _ when name.SequenceEqual("http"u8) || name.SequenceEqual("ws"u8) || name.SequenceEqual("network"u8) => PositionSourceKind.Network,
            _ when name.SequenceEqual("simulator"u8) => PositionSourceKind.Simulator,
            _ when name.SequenceEqual("mavlink"u8) => PositionSourceKind.Mavlink,
            _ when name.SequenceEqual("remoteid-astm"u8) => PositionSourceKind.AstmRemoteId,
            _ when name.SequenceEqual("remoteid-gb"u8) => PositionSourceKind.GbRemoteId,
            _ when name.SequenceEqual("adsb"u8) => PositionSourceKind.AdsB,
            _ when name.SequenceEqual("gpx"u8) => PositionSourceKind.Gpx,
            _ => (PositionSourceKind)(-1),
        };
        return (int)kind >= 0;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> MaskNames = new();

    /// <summary>The '+'-joined wire names of the sources in a bit mask (bit = <see cref="PositionSourceKind"/>).</summary>
    public static string SourceNames(int mask) => MaskNames.GetOrAdd(mask, static m =>
    {
        var sb = new StringBuilder();
        for (int b = 0; b < 31; b++)
        {
            if ((m & (1 << b)) != 0)
            {
                if (sb.Length > 0)
                {
                    sb.Append('+');
                }

                sb.Append(SourceName((PositionSourceKind)b));
            }
        }

        return sb.Length == 0 ? "unknown" : sb.ToString();
    });

    /// <summary>The wire name of a source kind.</summary>
    public static string SourceName(PositionSourceKind kind) => kind switch
    {
        PositionSourceKind.Network => "http",
        PositionSourceKind.Simulator => "simulator",
        PositionSourceKind.Mavlink => "mavlink",
        PositionSourceKind.AstmRemoteId => "remoteid-astm",
        PositionSourceKind.GbRemoteId => "remoteid-gb",
        PositionSourceKind.AdsB => "adsb",
        PositionSourceKind.Gpx => "gpx",
        _ => "unknown",
    };

    /// <summary>Reads one position object; the reader is on its <see cref="JsonTokenType.StartObject"/> and is left on
    /// its <see cref="JsonTokenType.EndObject"/> even when a rule is broken.</summary>
    /// <param name="reader">The reader (over a complete document).</param>
    /// <param name="prefix">The field prefix for errors, e.g. <c>positions[3]</c>.</param>
    /// <param name="index">The item index for errors.</param>
    /// <param name="defaultSource">The source when the item names none.</param>
    /// <param name="report">The report when valid.</param>
    /// <param name="error">The first broken rule, or null.</param>
    /// <returns>True when valid.</returns>
    /// <exception cref="JsonException">The JSON itself is malformed.</exception>
    public bool TryRead(ref Utf8JsonReader reader, string prefix, int index, PositionSourceKind defaultSource, out PositionReport report, out ItemErrorDto? error)
    {
        report = default;
        error = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = new ItemErrorDto(index, prefix, "type", $"{prefix}: a position must be a JSON object");
            reader.Skip();
            return false;
        }

        string? id = null;
        DateTimeOffset? time = null;
        double? lat = null, lon = null, alt = null, vn = null, ve = null, vu = null, heading = null, link = null;
        AltitudeReference? altRef = null;
        PositionSourceKind source = defaultSource;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            // Property name, then its value.
            int property = PropertyOf(ref reader);
            reader.Read();
            if (error is not null)
            {
                reader.Skip();
                continue;
            }

            switch (property)
            {
                case 0:
                    id = ReadId(ref reader, prefix, index, ref error);
                    break;
                case 1:
                    time = ReadTime(ref reader, prefix, index, ref error);
                    break;
                case 2:
                    lat = Number(ref reader, prefix, "latDeg", index, ref error);
                    break;
                case 3:
                    lon = Number(ref reader, prefix, "lonDeg", index, ref error);
                    break;
                case 4:
                    alt = Number(ref reader, prefix, "altM", index, ref error);
                    break;
                case 5:
                    altRef = ReadAltRef(ref reader, prefix, index, ref error);
                    break;
                case 6:
                    vn = Number(ref reader, prefix, "vnMps", index, ref error);
                    break;
                case 7:
                    ve = Number(ref reader, prefix, "veMps", index, ref error);
                    break;
                case 8:
                    vu = Number(ref reader, prefix, "vuMps", index, ref error);
                    break;
                case 9:
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        if (reader.ValueIsEscaped || !TryParseSource(reader.ValueSpan, out source))
                        {
                            error = new ItemErrorDto(index, prefix + ".source", "source-unknown",
                                $"{prefix}.source: '{reader.GetString()}' is not one of http, ws, simulator, mavlink, remoteid-astm, remoteid-gb, adsb, gpx");
                        }
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        error = new ItemErrorDto(index, prefix + ".source", "type", $"{prefix}.source: must be a string");
                    }

                    break;
                case 10:
                    heading = Number(ref reader, prefix, "headingDeg", index, ref error);
                    break;
                case 11:
                    link = Number(ref reader, prefix, "linkQuality", index, ref error);
                    break;
                default:
                    reader.Skip();
                    break;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        if (error is not null)
        {
            return false;
        }

        error = Check(prefix, index, id, time, lat, lon, alt, altRef, vn, ve, vu, heading, link);
        if (error is not null)
        {
            return false;
        }

        VelocityNed? velocity = vn is { } n && ve is { } e && vu is { } u ? new VelocityNed(n, e, -u) : null;
        report = new PositionReport(time!.Value, new AircraftIdentity(IdentityKind.Platform, id!), source,
            new GeoPoint(lon!.Value, lat!.Value), new Altitude(alt!.Value, altRef!.Value), velocity, heading, link);
        return true;
    }

    private ItemErrorDto? Check(string prefix, int index, string? id, DateTimeOffset? time, double? lat, double? lon, double? alt, AltitudeReference? altRef,
        double? vn, double? ve, double? vu, double? heading, double? link)
    {
        if (id is null)
        {
            return Missing(prefix, index, "aircraftId");
        }

        if (time is null)
        {
            return Missing(prefix, index, "timeUtc");
        }

        if (lat is null)
        {
            return Missing(prefix, index, "latDeg");
        }

        if (lon is null)
        {
            return Missing(prefix, index, "lonDeg");
        }

        if (alt is null)
        {
            return Missing(prefix, index, "altM");
        }

        if (altRef is null)
        {
            return Missing(prefix, index, "altRef");
        }

        if (lat.Value is < -90 or > 90)
        {
            return Rule(prefix, index, "latDeg", "lat-range", string.Create(CultureInfo.InvariantCulture, $"{lat.Value} is outside [-90, 90]"));
        }

        if (lon.Value is < -180 or > 180)
        {
            return Rule(prefix, index, "lonDeg", "lon-range", string.Create(CultureInfo.InvariantCulture, $"{lon.Value} is outside [-180, 180]"));
        }

        if (alt.Value is < -1000 or > 20000)
        {
            return Rule(prefix, index, "altM", "alt-range", string.Create(CultureInfo.InvariantCulture, $"{alt.Value} m is outside [-1000, 20000]"));
        }

        int given = (vn is null ? 0 : 1) + (ve is null ? 0 : 1) + (vu is null ? 0 : 1);
        if (given is 1 or 2)
        {
            return Rule(prefix, index, vn is null ? "vnMps" : ve is null ? "veMps" : "vuMps", "velocity-partial", "give all three of vnMps, veMps, vuMps or none");
        }

        if (given == 3 && (Math.Abs(vn!.Value) > MaxSpeedMps || Math.Abs(ve!.Value) > MaxSpeedMps || Math.Abs(vu!.Value) > MaxSpeedMps))
        {
            return Rule(prefix, index, Math.Abs(vn!.Value) > MaxSpeedMps ? "vnMps" : Math.Abs(ve!.Value) > MaxSpeedMps ? "veMps" : "vuMps", "speed-range",
                string.Create(CultureInfo.InvariantCulture, $"each component must be within ±{MaxSpeedMps} m/s"));
        }

        if (heading is { } h && !(h >= 0 && h < 360))
        {
            return Rule(prefix, index, "headingDeg", "heading-range", string.Create(CultureInfo.InvariantCulture, $"{h} is outside [0, 360)"));
        }

        if (link is { } q && !(q >= 0 && q <= 1))
        {
            return Rule(prefix, index, "linkQuality", "link-quality-range", string.Create(CultureInfo.InvariantCulture, $"{q} is outside [0, 1]"));
        }

        DateTimeOffset now = _time.GetUtcNow();
        if ((time.Value - now).TotalSeconds > MaxFutureS)
        {
            return Rule(prefix, index, "timeUtc", "time-future", string.Create(CultureInfo.InvariantCulture, $"{TimeText.Format(time.Value)} is more than {MaxFutureS} s after the server's clock ({TimeText.Format(now)})"));
        }

        return null;
    }

    private static ItemErrorDto Missing(string prefix, int index, string field) =>
        new(index, prefix + "." + field, "required", $"{prefix}.{field}: required");

    private static ItemErrorDto Rule(string prefix, int index, string field, string rule, string message) =>
        new(index, prefix + "." + field, rule, $"{prefix}.{field}: {message}");

    private static int PropertyOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("aircraftId"u8))
        {
            return 0;
        }

        if (reader.ValueTextEquals("timeUtc"u8))
        {
            return 1;
        }

        if (reader.ValueTextEquals("latDeg"u8))
        {
            return 2;
        }

        if (reader.ValueTextEquals("lonDeg"u8))
        {
            return 3;
        }

        if (reader.ValueTextEquals("altM"u8))
        {
            return 4;
        }

        if (reader.ValueTextEquals("altRef"u8))
        {
            return 5;
        }

        if (reader.ValueTextEquals("vnMps"u8))
        {
            return 6;
        }

        if (reader.ValueTextEquals("veMps"u8))
        {
            return 7;
        }

        if (reader.ValueTextEquals("vuMps"u8))
        {
            return 8;
        }

        if (reader.ValueTextEquals("source"u8))
        {
            return 9;
        }

        if (reader.ValueTextEquals("headingDeg"u8))
        {
            return 10;
        }

        return reader.ValueTextEquals("linkQuality"u8) ? 11 : -1;
    }

    private string? ReadId(ref Utf8JsonReader reader, string prefix, int index, ref ItemErrorDto? error)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            error = new ItemErrorDto(index, prefix + ".aircraftId", "type", $"{prefix}.aircraftId: must be a string");
            return null;
        }

        int max = reader.ValueSpan.Length;
        if (reader.ValueIsEscaped || max > MaxIdLength * 3)
        {
            string s = reader.GetString()!;
            return CheckId(s, prefix, index, ref error);
        }

        Span<char> chars = stackalloc char[MaxIdLength * 3];
        int n = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
        ReadOnlySpan<char> text = chars[..n];
        Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(text, out string? interned))
        {
            return interned;
        }

        string id = CheckId(text.ToString(), prefix, index, ref error)!;
        if (error is null)
        {
            if (_ids.Count >= MaxInterned)
            {
                _ids.Clear();
            }

            _ids[id] = id;
        }

        return id;
    }

    private static string? CheckId(string id, string prefix, int index, ref ItemErrorDto? error)
    {
        if (id.Length is 0 or > MaxIdLength || string.IsNullOrWhiteSpace(id))
        {
            error = new ItemErrorDto(index, prefix + ".aircraftId", "id-length", $"{prefix}.aircraftId: must be 1–{MaxIdLength} characters, not blank");
        }

        return id;
    }

    private static DateTimeOffset? ReadTime(ref Utf8JsonReader reader, string prefix, int index, ref ItemErrorDto? error)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && reader.ValueSpan.Length <= 40)
        {
            Span<char> chars = stackalloc char[40];
            int n = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
            if (TimeText.TryParse(chars[..n], out DateTimeOffset t))
            {
                return t;
            }
        }

        error = new ItemErrorDto(index, prefix + ".timeUtc", "time-invalid", $"{prefix}.timeUtc: must be an ISO 8601 time with Z or an offset, e.g. 2025-06-01T08:00:00Z");
        return null;
    }

    private static AltitudeReference? ReadAltRef(ref Utf8JsonReader reader, string prefix, int index, ref ItemErrorDto? error)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("AGL"u8))
            {
                return AltitudeReference.Agl;
            }

            if (reader.ValueTextEquals("AMSL"u8))
            {
                return AltitudeReference.Amsl;
            }

            if (reader.ValueTextEquals("W84"u8))
            {
                return AltitudeReference.W84;
            }
        }

        error = new ItemErrorDto(index, prefix + ".altRef", "alt-ref-unknown", $"{prefix}.altRef: must be AGL, AMSL or W84");
        return null;
    }

    private static double? Number(ref Utf8JsonReader reader, string prefix, string field, int index, ref ItemErrorDto? error)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double v) && double.IsFinite(v))
        {
            return v;
        }

        error = new ItemErrorDto(index, prefix + "." + field, "number-invalid", $"{prefix}.{field}: must be a finite JSON number");
        return null;
    }
}
