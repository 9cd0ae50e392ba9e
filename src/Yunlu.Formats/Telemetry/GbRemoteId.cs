using System.Buffers.Binary;
using System.Text;
using Yunlu.Geo;
using Yunlu.Supervision;

namespace Yunlu.Formats.Telemetry;

/// <summary>The fields of one GB 46750-2025 broadcast Remote ID message (null = absent).</summary>
/// <param name="Version">Protocol version byte.</param>
/// <param name="UniqueId">Unique product identifier (field 1).</param>
/// <param name="RegistrationId">Real-name registration id (field 2).</param>
/// <param name="UaType">UA type / class (field 3).</param>
/// <param name="Cgcs2000">True when the coordinates are CGCS2000 rather than WGS-84 (field 4).</param>
/// <param name="Position">Lon/lat (fields 5 lon and 6 lat).</param>
/// <param name="GeodeticAltitudeM">Geodetic altitude, m (field 7).</param>
/// <param name="HeightM">Height, m (field 8).</param>
/// <param name="HeightAboveGround">Height type (field 9): true above ground, false above take-off.</param>
/// <param name="GroundSpeedMps">Ground speed, m/s (field 10).</param>
/// <param name="VerticalSpeedMps">Vertical speed (up positive), m/s (field 11).</param>
/// <param name="TrackDeg">Track over ground, degrees (field 12).</param>
/// <param name="Timestamp">Time (field 13).</param>
/// <param name="Status">Operational status (field 17).</param>
/// <param name="OperatorPosition">Control station lon/lat (fields 18, 19).</param>
public sealed record GbRemoteIdMessage(
    byte Version,
    string? UniqueId,
    string? RegistrationId,
    byte? UaType,
    bool? Cgcs2000,
    GeoPoint? Position,
    double? GeodeticAltitudeM,
    double? HeightM,
    bool? HeightAboveGround,
    double? GroundSpeedMps,
    double? VerticalSpeedMps,
    double? TrackDeg,
    DateTimeOffset? Timestamp,
    byte? Status,
    GeoPoint? OperatorPosition);

/// <summary>
/// GB 46750-2025 broadcast Remote ID codec, kept isolated because its exact layout is not public: what is known
/// (STANDARDS.md §5, from open receivers) is the frame <c>0xFF, version, length, 3 presence-flag bytes, fields</c>
/// with up to 21 fields, longitude before latitude as little-endian int32 × 1e-7, and a WGS-84 / CGCS2000 flag.
/// The field table below (order, sizes, scales) is Yunlu's documented assumption and must be checked against the
/// standard text or a captured frame before relying on it; the tests pin this assumption, not the standard.
/// </summary>
/// <remarks>
/// Fields in presence-bit order (bit 0 = least significant bit of the first flag byte): 0 unique id (20 B ASCII),
/// 1 registration id (20 B ASCII), 2 UA type (1 B), 3 coordinate system (1 B: 0 WGS-84, 1 CGCS2000), 4 longitude
/// (int32 × 1e-7), 5 latitude (int32 × 1e-7), 6 geodetic altitude (uint16, (m + 1000) × 2), 7 height (uint16, same),
/// 8 height type (1 B: 0 take-off, 1 ground), 9 ground speed (uint16 × 0.01 m/s), 10 vertical speed
/// (int16 × 0.01 m/s), 11 track (uint16 × 0.01°), 12 timestamp (uint64 Unix ms), 13–15 horizontal / vertical / speed
/// accuracy (1 B each), 16 status (1 B), 17 operator longitude, 18 operator latitude (int32 × 1e-7), 19 operator
/// altitude (uint16), 20 emergency (1 B). The length byte counts the bytes after it. CGCS2000 and WGS-84 agree to a
/// few centimetres, below this layer's resolution, so CGCS2000 positions are used as WGS-84.
/// </remarks>
public sealed class GbRemoteIdDecoder
{
    /// <summary>The data type byte.</summary>
    public const byte DataType = 0xFF;

    private static readonly int[] FieldBytes = [20, 20, 1, 1, 4, 4, 2, 2, 1, 2, 2, 2, 8, 1, 1, 1, 1, 4, 4, 2, 1];

    /// <summary>Counters.</summary>
    public DecoderStats Stats { get; } = new();

    /// <summary>Parses one message.</summary>
    /// <returns>The message, or null when malformed (wrong type, length, flags beyond field 21, truncated, bad values).</returns>
    public static GbRemoteIdMessage? Parse(ReadOnlySpan<byte> b)
    {
        if (b.Length < 6 || b[0] != DataType || b[2] != b.Length - 3)
        {
            return null;
        }

        int flags = b[3] | (b[4] << 8) | (b[5] << 16);
        if ((flags >> FieldBytes.Length) != 0)
        {
            return null;
        }

        int pos = 6;
        Span<int> at = stackalloc int[FieldBytes.Length];
        for (int f = 0; f < FieldBytes.Length; f++)
        {
            at[f] = -1;
            if ((flags & (1 << f)) != 0)
            {
                at[f] = pos;
                pos += FieldBytes[f];
            }
        }

        if (pos != b.Length)
        {
            return null;
        }

        GeoPoint? p = Point(b, at[4], at[5]);
        GeoPoint? op = Point(b, at[17], at[18]);
        if (p is { IsValid: false } || op is { IsValid: false } || (at[4] >= 0) != (at[5] >= 0))
        {
            return null;
        }

        double? track = at[11] < 0 ? null : BinaryPrimitives.ReadUInt16LittleEndian(b[at[11]..]) * 0.01;
        if (track >= 360)
        {
            return null;
        }

        DateTimeOffset? ts = null;
        if (at[12] >= 0)
        {
            ulong ms = BinaryPrimitives.ReadUInt64LittleEndian(b[at[12]..]);
            if (ms > 4_102_444_800_000UL)
            {
                return null;
            }

            ts = DateTimeOffset.FromUnixTimeMilliseconds((long)ms);
        }

        return new GbRemoteIdMessage(
            b[1],
            at[0] < 0 ? null : Text(b.Slice(at[0], 20)),
            at[1] < 0 ? null : Text(b.Slice(at[1], 20)),
            at[2] < 0 ? null : b[at[2]],
            at[3] < 0 ? null : b[at[3]] == 1,
            p,
            Alt(b, at[6]),
            Alt(b, at[7]),
            at[8] < 0 ? null : b[at[8]] == 1,
            at[9] < 0 ? null : BinaryPrimitives.ReadUInt16LittleEndian(b[at[9]..]) * 0.01,
            at[10] < 0 ? null : BinaryPrimitives.ReadInt16LittleEndian(b[at[10]..]) * 0.01,
            track,
            ts,
            at[16] < 0 ? null : b[at[16]],
            op);
    }

    /// <summary>Encodes a message with the fields that are not null (the inverse of <see cref="Parse"/>).</summary>
    public static byte[] Encode(GbRemoteIdMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var body = new List<byte>();
        int flags = 0;
        void Field(int f, ReadOnlySpan<byte> bytes)
        {
            flags |= 1 << f;
            body.AddRange(bytes.ToArray());
        }

        Span<byte> tmp = stackalloc byte[20];
        if (m.UniqueId is { } u)
        {
            Field(0, Ascii20(u));
        }

        if (m.RegistrationId is { } r)
        {
            Field(1, Ascii20(r));
        }

        if (m.UaType is { } ua)
        {
            Field(2, [ua]);
        }

        if (m.Cgcs2000 is { } c)
        {
            Field(3, [(byte)(c ? 1 : 0)]);
        }

        if (m.Position is { } p)
        {
            BinaryPrimitives.WriteInt32LittleEndian(tmp, (int)Math.Round(p.LonDeg * 1e7));
            Field(4, tmp[..4]);
            BinaryPrimitives.WriteInt32LittleEndian(tmp, (int)Math.Round(p.LatDeg * 1e7));
            Field(5, tmp[..4]);
        }

        if (m.GeodeticAltitudeM is { } g)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(tmp, EncAlt(g));
            Field(6, tmp[..2]);
        }

        if (m.HeightM is { } h)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(tmp, EncAlt(h));
            Field(7, tmp[..2]);
        }

        if (m.HeightAboveGround is { } hag)
        {
            Field(8, [(byte)(hag ? 1 : 0)]);
        }

        if (m.GroundSpeedMps is { } gs)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(tmp, (ushort)Math.Clamp(Math.Round(gs * 100), 0, 65535));
            Field(9, tmp[..2]);
        }

        if (m.VerticalSpeedMps is { } vs)
        {
            BinaryPrimitives.WriteInt16LittleEndian(tmp, (short)Math.Clamp(Math.Round(vs * 100), short.MinValue, short.MaxValue));
            Field(10, tmp[..2]);
        }

        if (m.TrackDeg is { } tr)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(tmp, (ushort)(Math.Round(tr * 100) % 36000));
            Field(11, tmp[..2]);
        }

        if (m.Timestamp is { } ts)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(tmp, (ulong)ts.ToUnixTimeMilliseconds());
            Field(12, tmp[..8]);
        }

        if (m.Status is { } st)
        {
            Field(16, [st]);
        }

        if (m.OperatorPosition is { } op)
        {
            BinaryPrimitives.WriteInt32LittleEndian(tmp, (int)Math.Round(op.LonDeg * 1e7));
            Field(17, tmp[..4]);
            BinaryPrimitives.WriteInt32LittleEndian(tmp, (int)Math.Round(op.LatDeg * 1e7));
            Field(18, tmp[..4]);
        }

        if (body.Count + 3 > 255)
        {
            throw new ArgumentException("the message is longer than a length byte can say", nameof(m));
        }

        var result = new byte[6 + body.Count];
        result[0] = DataType;
        result[1] = m.Version;
        result[2] = (byte)(3 + body.Count);
        result[3] = (byte)flags;
        result[4] = (byte)(flags >> 8);
        result[5] = (byte)(flags >> 16);
        body.CopyTo(result, 6);
        return result;
    }

    /// <summary>Decodes one message into a position report when it has an id, a position and an altitude. Never throws.</summary>
    /// <param name="data">The message bytes.</param>
    /// <param name="receivedAt">Receive time, used when the message has no timestamp.</param>
    /// <param name="output">Receives the report.</param>
    /// <returns>The parsed message, or null when malformed (counted).</returns>
    public GbRemoteIdMessage? Decode(ReadOnlySpan<byte> data, DateTimeOffset receivedAt, List<PositionReport> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        GbRemoteIdMessage? m = Parse(data);
        if (m is null)
        {
            Stats.BadFrames++;
            return null;
        }

        Stats.Frames++;
        string? id = m.UniqueId is { Length: > 0 } u ? u : m.RegistrationId is { Length: > 0 } r ? r : null;
        Altitude? alt = m.GeodeticAltitudeM is { } g ? Altitude.W84(g) : m.HeightAboveGround == true && m.HeightM is { } h ? Altitude.Agl(h) : null;
        if (id is null || m.Position is not { } p || alt is null)
        {
            return m;
        }

        VelocityNed? v = null;
        if (m.GroundSpeedMps is { } gs && m.TrackDeg is { } tr)
        {
            double rad = tr * Math.PI / 180;
            v = new VelocityNed(gs * Math.Cos(rad), gs * Math.Sin(rad), -(m.VerticalSpeedMps ?? 0));
        }

        var report = new PositionReport(m.Timestamp ?? receivedAt,
            new AircraftIdentity(m.UniqueId is { Length: > 0 } ? IdentityKind.SerialNumber : IdentityKind.Registration, id),
            PositionSourceKind.GbRemoteId, p, alt.Value, v, m.TrackDeg);
        if (report.Validate() is null)
        {
            Stats.Reports++;
            output.Add(report);
        }

        return m;
    }

    private static GeoPoint? Point(ReadOnlySpan<byte> b, int lonAt, int latAt) =>
        lonAt < 0 || latAt < 0 ? null : new GeoPoint(BinaryPrimitives.ReadInt32LittleEndian(b[lonAt..]) * 1e-7, BinaryPrimitives.ReadInt32LittleEndian(b[latAt..]) * 1e-7);

    private static double? Alt(ReadOnlySpan<byte> b, int at)
    {
        if (at < 0)
        {
            return null;
        }

        ushort v = BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);
        return v == 0 ? null : (v * 0.5) - 1000;
    }

    private static ushort EncAlt(double m) => (ushort)Math.Clamp(Math.Round((m + 1000) / 0.5), 1, 65535);

    private static byte[] Ascii20(string s)
    {
        var b = new byte[20];
        Encoding.ASCII.GetBytes(s.Length > 20 ? s[..20] : s, b);
        return b;
    }

    private static string Text(ReadOnlySpan<byte> b)
    {
        int n = b.IndexOf((byte)0);
        ReadOnlySpan<byte> s = n < 0 ? b : b[..n];
        var sb = new StringBuilder(s.Length);
        foreach (byte c in s)
        {
            sb.Append(c is >= 0x20 and < 0x7F ? (char)c : '?');
        }

        return sb.ToString();
    }
}
