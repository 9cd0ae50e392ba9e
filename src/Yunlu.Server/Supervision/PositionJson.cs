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

    /// <summary>
    /// Reads one WebSocket message — a position object or an array of them — into <paramref name="batch"/> in one pass
    /// over the UTF-8 bytes (no allocation per position once the aircraft ids are interned). Invalid positions are
    /// skipped and counted; malformed JSON throws and the caller must discard the whole batch, so a corrupt message
    /// queues nothing.
    /// </summary>
    /// <param name="message">The message bytes.</param>
    /// <param name="batch">Receives the valid positions.</param>
    /// <param name="maxPositions">Most positions in one message; more is a malformed message.</param>
    /// <returns>The number of invalid positions (each broke a rule of <see cref="TryRead"/>).</returns>
    /// <exception cref="JsonException">The message is not JSON, is empty, is neither an object nor an array, holds
    /// trailing data, or holds more than <paramref name="maxPositions"/> positions.</exception>
    public int ReadMessage(ReadOnlySpan<byte> message, PositionBatch batch, int maxPositions)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var reader = new Utf8JsonReader(message, new JsonReaderOptions { MaxDepth = 16 });
        if (!reader.Read())
        {
            throw new JsonException("message: empty");
        }

        try
        {
            return ReadItems(ref reader, batch, maxPositions);
        }
        catch (InvalidOperationException ex)
        {
            // Text that is not valid UTF-8 inside an escaped string: as malformed as broken JSON.
            throw new JsonException("message: text is not valid UTF-8", ex);
        }
    }

    private int ReadItems(ref Utf8JsonReader reader, PositionBatch batch, int maxPositions)
    {
        int rejected = 0;
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            int i = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (i >= maxPositions)
                {
                    throw new JsonException(string.Create(CultureInfo.InvariantCulture, $"message: more than {maxPositions} positions"));
                }

                rejected += ReadInto(ref reader, i++, batch);
            }
        }
        else if (reader.TokenType == JsonTokenType.StartObject)
        {
            rejected += ReadInto(ref reader, 0, batch);
        }
        else
        {
            throw new JsonException("message: must be a position object or an array of them");
        }

        if (reader.Read())
        {
            throw new JsonException("message: data after the first JSON value");
        }

        return rejected;
    }

    private int ReadInto(ref Utf8JsonReader reader, int index, PositionBatch batch)
    {
        if (TryRead(ref reader, "message", index, PositionSourceKind.Network, out PositionReport r, out _))
        {
            batch.Add(r);
            return 0;
        }

        return 1;
    }

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
                                $"{prefix}.source: '{(reader.ValueIsEscaped ? "(escaped)" : Encoding.UTF8.GetString(reader.ValueSpan))}' is not one of http, ws, simulator, mavlink, remoteid-astm, remoteid-gb, adsb, gpx");
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

    /// <summary>The property's number (see <see cref="TryRead"/>), or -1: one dispatch on the name's length and a
    /// distinguishing byte, then a single comparison; escaped names take the general path.</summary>
    private static int PropertyOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return PropertyOfEscaped(ref reader);
        }

        ReadOnlySpan<byte> n = reader.ValueSpan;
        switch (n.Length)
        {
            case 4:
                return n.SequenceEqual("altM"u8) ? 4 : -1;
            case 5:
                return n[1] switch
                {
                    (byte)'n' => n.SequenceEqual("vnMps"u8) ? 6 : -1,
                    (byte)'e' => n.SequenceEqual("veMps"u8) ? 7 : -1,
                    (byte)'u' => n.SequenceEqual("vuMps"u8) ? 8 : -1,
                    _ => -1,
                };
            case 6:
                return n[0] switch
                {
                    (byte)'l' when n[1] == (byte)'a' => n.SequenceEqual("latDeg"u8) ? 2 : -1,
                    (byte)'l' => n.SequenceEqual("lonDeg"u8) ? 3 : -1,
                    (byte)'a' => n.SequenceEqual("altRef"u8) ? 5 : -1,
                    (byte)'s' => n.SequenceEqual("source"u8) ? 9 : -1,
                    _ => -1,
                };
            case 7:
                return n.SequenceEqual("timeUtc"u8) ? 1 : -1;
            case 10:
                return n[0] == (byte)'a' ? (n.SequenceEqual("aircraftId"u8) ? 0 : -1) : (n.SequenceEqual("headingDeg"u8) ? 10 : -1);
            case 11:
                return n.SequenceEqual("linkQuality"u8) ? 11 : -1;
            default:
                return -1;
        }
    }

    private static int PropertyOfEscaped(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<string> names = PropertyNames;
        for (int i = 0; i < names.Length; i++)
        {
            if (reader.ValueTextEquals(names[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static readonly string[] PropertyNames =
        ["aircraftId", "timeUtc", "latDeg", "lonDeg", "altM", "altRef", "vnMps", "veMps", "vuMps", "source", "headingDeg", "linkQuality"];

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

        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence && TryParseIsoFast(reader.ValueSpan, out DateTimeOffset fast))
        {
            return fast;
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

    /// <summary>
    /// The common shape of a time, <c>yyyy-MM-ddTHH:mm:ss[.f{1,7}](Z|±HH:MM)</c>, parsed straight from UTF-8 into UTC;
    /// anything else (other shapes, leap seconds, more than 7 decimals, out-of-range fields) returns false and is left to
    /// the general parser, which decides. Where both accept, the instants are identical.
    /// </summary>
    public static bool TryParseIsoFast(ReadOnlySpan<byte> s, out DateTimeOffset t)
    {
        t = default;
        if (s.Length < 20 || s[4] != (byte)'-' || s[7] != (byte)'-' || s[10] != (byte)'T' || s[13] != (byte)':' || s[16] != (byte)':')
        {
            return false;
        }

        if (!Digits(s, 0, 4, out int year) || !Digits(s, 5, 2, out int month) || !Digits(s, 8, 2, out int day) ||
            !Digits(s, 11, 2, out int hour) || !Digits(s, 14, 2, out int minute) || !Digits(s, 17, 2, out int second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        int i = 19;
        long fraction = 0;
        if (s[i] == (byte)'.')
        {
            int start = ++i;
            while (i < s.Length && (uint)(s[i] - '0') <= 9)
            {
                fraction = (fraction * 10) + (s[i] - '0');
                i++;
            }

            int digits = i - start;
            if (digits is 0 or > 7)
            {
                return false;
            }

            for (int d = digits; d < 7; d++)
            {
                fraction *= 10;
            }
        }

        long offsetTicks;
        if (i == s.Length - 1 && s[i] == (byte)'Z')
        {
            offsetTicks = 0;
        }
        else if (i == s.Length - 6 && (s[i] == (byte)'+' || s[i] == (byte)'-') && s[i + 3] == (byte)':' &&
            Digits(s, i + 1, 2, out int oh) && Digits(s, i + 4, 2, out int om) && oh <= 14 && om <= 59 && (oh < 14 || om == 0))
        {
            offsetTicks = ((oh * 60L) + om) * TimeSpan.TicksPerMinute * (s[i] == (byte)'-' ? -1 : 1);
        }
        else
        {
            return false;
        }

        long ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fraction - offsetTicks;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        t = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> s, int at, int count, out int value)
    {
        value = 0;
        for (int k = at; k < at + count; k++)
        {
            uint d = (uint)(s[k] - '0');
            if (d > 9)
            {
                return false;
            }

            value = (value * 10) + (int)d;
        }

        return true;
    }

    private static readonly double[] Pow10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    /// <summary>
    /// A JSON number without exponent and with at most 15 significant digits: the integer of its digits and the power of
    /// ten are both exact doubles, so one division gives the correctly rounded value — the same double as the general
    /// parser (Clinger's fast path). Anything else returns false and is left to the general parser.
    /// </summary>
    public static bool TryParseDecimalFast(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (s.Length > 0 && s[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }

        long mantissa = 0;
        int digits = 0, significant = 0, fractionDigits = 0;
        bool dot = false;
        for (; i < s.Length; i++)
        {
            byte c = s[i];
            uint d = (uint)(c - '0');
            if (d <= 9)
            {
                digits++;
                if ((significant > 0 || d != 0) && ++significant > 15)
                {
                    return false;
                }

                mantissa = (mantissa * 10) + d;
                if (dot)
                {
                    fractionDigits++;
                }
            }
            else if (c == (byte)'.' && !dot)
            {
                dot = true;
            }
            else
            {
                return false;
            }
        }

        if (digits == 0 || fractionDigits >= Pow10.Length)
        {
            return false;
        }

        double v = fractionDigits == 0 ? mantissa : mantissa / Pow10[fractionDigits];
        value = negative ? -v : v;
        return true;
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

        if (reader.TokenType == JsonTokenType.Number)
        {
            if (!reader.HasValueSequence && TryParseDecimalFast(reader.ValueSpan, out double fast))
            {
                return fast;
            }

            if (reader.TryGetDouble(out double v) && double.IsFinite(v))
            {
                return v;
            }
        }

        error = new ItemErrorDto(index, prefix + "." + field, "number-invalid", $"{prefix}.{field}: must be a finite JSON number");
        return null;
    }
}
