using System.Buffers.Binary;
using System.Text;
using Yunlu.Geo;
using Yunlu.Supervision;

namespace Yunlu.Formats.Telemetry;

/// <summary>A decoded ASTM F3411 / ASD-STAN prEN 4709-002 broadcast Remote ID message.</summary>
public abstract record RemoteIdMessage(int ProtocolVersion);

/// <summary>Basic ID (type 0).</summary>
/// <param name="ProtocolVersion">Protocol version (low nibble of byte 0).</param>
/// <param name="IdType">0 none, 1 serial number (ANSI/CTA-2063-A), 2 CAA registration, 3 UTM UUID, 4 specific session id.</param>
/// <param name="UaType">UA type (0 none, 1 aeroplane, 2 helicopter/multirotor, …).</param>
/// <param name="UasId">The id text (up to 20 characters, NUL padding removed).</param>
public sealed record RemoteIdBasicId(int ProtocolVersion, int IdType, int UaType, string UasId) : RemoteIdMessage(ProtocolVersion);

/// <summary>Location/vector (type 1), in SI units; null where the message says "unknown".</summary>
/// <param name="ProtocolVersion">Protocol version.</param>
/// <param name="Status">Operational status (0 undeclared, 1 ground, 2 airborne, 3 emergency, 4 system failure).</param>
/// <param name="DirectionDeg">Track over ground, degrees [0, 360), or null.</param>
/// <param name="SpeedMps">Horizontal speed, m/s, or null.</param>
/// <param name="VerticalSpeedMps">Vertical speed (up positive), m/s, or null.</param>
/// <param name="Position">Lon/lat, or null when unknown (0, 0).</param>
/// <param name="PressureAltitudeM">Pressure altitude, m, or null.</param>
/// <param name="GeodeticAltitudeM">Geodetic (WGS84 ellipsoid) altitude, m, or null.</param>
/// <param name="HeightM">Height, m, or null.</param>
/// <param name="HeightAboveGround">True when <paramref name="HeightM"/> is above ground, false when above take-off.</param>
/// <param name="TenthsSinceHour">Timestamp in tenths of a second since the full hour, or null.</param>
public sealed record RemoteIdLocation(int ProtocolVersion, int Status, double? DirectionDeg, double? SpeedMps, double? VerticalSpeedMps,
    GeoPoint? Position, double? PressureAltitudeM, double? GeodeticAltitudeM, double? HeightM, bool HeightAboveGround, int? TenthsSinceHour)
    : RemoteIdMessage(ProtocolVersion);

/// <summary>Self ID (type 3).</summary>
/// <param name="ProtocolVersion">Protocol version.</param>
/// <param name="DescriptionType">0 text, 1 emergency, 2 extended status.</param>
/// <param name="Description">Up to 23 characters.</param>
public sealed record RemoteIdSelfId(int ProtocolVersion, int DescriptionType, string Description) : RemoteIdMessage(ProtocolVersion);

/// <summary>System (type 4).</summary>
/// <param name="ProtocolVersion">Protocol version.</param>
/// <param name="OperatorLocationType">0 take-off, 1 live GNSS, 2 fixed.</param>
/// <param name="OperatorPosition">Operator (remote pilot) position, or null.</param>
/// <param name="AreaCount">Number of aircraft in the area.</param>
/// <param name="AreaRadiusM">Area radius, m.</param>
/// <param name="AreaCeilingM">Area ceiling (geodetic), m, or null.</param>
/// <param name="AreaFloorM">Area floor (geodetic), m, or null.</param>
/// <param name="OperatorAltitudeM">Operator geodetic altitude, m, or null.</param>
/// <param name="Timestamp">Time of the message, or null.</param>
public sealed record RemoteIdSystem(int ProtocolVersion, int OperatorLocationType, GeoPoint? OperatorPosition, int AreaCount, double AreaRadiusM,
    double? AreaCeilingM, double? AreaFloorM, double? OperatorAltitudeM, DateTimeOffset? Timestamp) : RemoteIdMessage(ProtocolVersion);

/// <summary>Operator ID (type 5).</summary>
/// <param name="ProtocolVersion">Protocol version.</param>
/// <param name="OperatorIdType">0 = CAA-issued operator id.</param>
/// <param name="OperatorId">Up to 20 characters.</param>
public sealed record RemoteIdOperatorId(int ProtocolVersion, int OperatorIdType, string OperatorId) : RemoteIdMessage(ProtocolVersion);

/// <summary>A message type this decoder does not interpret (Authentication, type 2), kept as counted.</summary>
/// <param name="ProtocolVersion">Protocol version.</param>
/// <param name="Type">The message type.</param>
public sealed record RemoteIdOther(int ProtocolVersion, int Type) : RemoteIdMessage(ProtocolVersion);

/// <summary>
/// ASTM F3411-22a / ASD-STAN broadcast Remote ID: 25-byte messages (byte 0 = type &lt;&lt; 4 | protocol version) and
/// message packs (type 0xF: size 25, count ≤ 9, then the messages). Layouts and encodings as in the open reference
/// implementation opendroneid-core-c: lat/lon int32 × 1e-7, altitudes uint16 (m + 1000) / 0.5, speed × 0.25 (or
/// 63.75 + × 0.75 with the multiplier bit), vertical speed int8 × 0.5, direction 0–179 plus the east/west bit,
/// timestamp tenths of a second since the hour.
/// </summary>
/// <remarks>
/// Receivers post what they heard from one transmitter; <see cref="Decode"/> keeps the last Basic ID per transmitter so
/// a Location without an id in the same pack still gets one (else the transmitter key, as a session id). The
/// position's altitude is the geodetic one (W84); without it, the height above ground when the message says so.
/// </remarks>
public sealed class AstmRemoteIdDecoder
{
    /// <summary>Bytes per message.</summary>
    public const int MessageBytes = 25;

    private readonly Dictionary<string, RemoteIdBasicId> _ids = new(StringComparer.Ordinal);

    /// <summary>Counters.</summary>
    public DecoderStats Stats { get; } = new();

    /// <summary>Parses one 25-byte message (not a pack).</summary>
    /// <returns>The message, or null when it is malformed.</returns>
    public static RemoteIdMessage? Parse(ReadOnlySpan<byte> m)
    {
        if (m.Length < MessageBytes)
        {
            return null;
        }

        int type = m[0] >> 4, ver = m[0] & 0x0F;
        switch (type)
        {
            case 0:
                return new RemoteIdBasicId(ver, m[1] >> 4, m[1] & 0x0F, Text(m.Slice(2, 20)));
            case 1:
            {
                int flags = m[1];
                int status = flags >> 4;
                bool heightAgl = (flags & 0x04) != 0;
                bool ew = (flags & 0x02) != 0;
                bool mult = (flags & 0x01) != 0;
                double? dir = m[2] > 179 ? null : m[2] + (ew ? 180 : 0);
                double? speed = m[3] == 255 ? null : mult ? (m[3] * 0.75) + (255 * 0.25) : m[3] * 0.25;
                double? vs = (sbyte)m[4] == 63 ? null : (sbyte)m[4] * 0.5;
                int lat = BinaryPrimitives.ReadInt32LittleEndian(m[5..]);
                int lon = BinaryPrimitives.ReadInt32LittleEndian(m[9..]);
                GeoPoint? pos = lat == 0 && lon == 0 ? null : new GeoPoint(lon * 1e-7, lat * 1e-7);
                if (pos is { IsValid: false } || dir >= 360)
                {
                    return null;
                }

                ushort ts = BinaryPrimitives.ReadUInt16LittleEndian(m[21..]);
                return new RemoteIdLocation(ver, status, dir, speed, vs, pos, Alt(m[13..]), Alt(m[15..]), Alt(m[17..]), heightAgl, ts == 0xFFFF || ts > 36000 ? null : ts);
            }

            case 2:
                return new RemoteIdOther(ver, type);
            case 3:
                return new RemoteIdSelfId(ver, m[1], Text(m.Slice(2, 23)));
            case 4:
            {
                int lat = BinaryPrimitives.ReadInt32LittleEndian(m[2..]);
                int lon = BinaryPrimitives.ReadInt32LittleEndian(m[6..]);
                GeoPoint? op = lat == 0 && lon == 0 ? null : new GeoPoint(lon * 1e-7, lat * 1e-7);
                if (op is { IsValid: false })
                {
                    return null;
                }

                uint ts = BinaryPrimitives.ReadUInt32LittleEndian(m[20..]);
                DateTimeOffset? t = ts == 0 ? null : new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(ts);
                return new RemoteIdSystem(ver, m[1] & 0x03, op, BinaryPrimitives.ReadUInt16LittleEndian(m[10..]), m[12] * 10.0,
                    Alt(m[13..]), Alt(m[15..]), Alt(m[18..]), t);
            }

            case 5:
                return new RemoteIdOperatorId(ver, m[1], Text(m.Slice(2, 20)));
            default:
                return null;
        }
    }

    /// <summary>Encodes a Location message (for tests, the simulator and receivers' test tools).</summary>
    public static byte[] EncodeLocation(int version, int status, double directionDeg, double speedMps, double verticalSpeedMps, GeoPoint p,
        double geodeticAltitudeM, double heightM, bool heightAboveGround, int tenthsSinceHour)
    {
        var m = new byte[MessageBytes];
        m[0] = (byte)((1 << 4) | (version & 0x0F));
        int dir = (int)Math.Round(directionDeg) % 360;
        bool ew = dir >= 180;
        bool mult = speedMps > 63.75;
        int sp = mult ? (int)Math.Round((speedMps - 63.75) / 0.75) : (int)Math.Round(speedMps / 0.25);
        m[1] = (byte)((status << 4) | (heightAboveGround ? 0x04 : 0) | (ew ? 0x02 : 0) | (mult ? 0x01 : 0));
        m[2] = (byte)(ew ? dir - 180 : dir);
        m[3] = (byte)Math.Clamp(sp, 0, 254);
        m[4] = (byte)(sbyte)Math.Clamp((int)Math.Round(verticalSpeedMps / 0.5), -62, 62);
        BinaryPrimitives.WriteInt32LittleEndian(m.AsSpan(5), (int)Math.Round(p.LatDeg * 1e7));
        BinaryPrimitives.WriteInt32LittleEndian(m.AsSpan(9), (int)Math.Round(p.LonDeg * 1e7));
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(13), 0);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(15), EncAlt(geodeticAltitudeM));
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(17), EncAlt(heightM));
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(21), (ushort)tenthsSinceHour);
        return m;
    }

    /// <summary>Encodes a Basic ID message.</summary>
    public static byte[] EncodeBasicId(int version, int idType, int uaType, string uasId)
    {
        ArgumentNullException.ThrowIfNull(uasId);
        var m = new byte[MessageBytes];
        m[0] = (byte)(version & 0x0F);
        m[1] = (byte)((idType << 4) | (uaType & 0x0F));
        Encoding.ASCII.GetBytes(uasId.Length > 20 ? uasId[..20] : uasId, m.AsSpan(2));
        return m;
    }

    /// <summary>Encodes a message pack.</summary>
    public static byte[] EncodePack(int version, params byte[][] messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var m = new byte[3 + (messages.Length * MessageBytes)];
        m[0] = (byte)((0xF << 4) | (version & 0x0F));
        m[1] = MessageBytes;
        m[2] = (byte)messages.Length;
        for (int i = 0; i < messages.Length; i++)
        {
            messages[i].AsSpan(0, MessageBytes).CopyTo(m.AsSpan(3 + (i * MessageBytes)));
        }

        return m;
    }

    /// <summary>
    /// Decodes what a receiver heard from one transmitter: a single message or a message pack. Bad input is counted and
    /// dropped; nothing throws.
    /// </summary>
    /// <param name="data">The payload.</param>
    /// <param name="transmitter">A key for the transmitter (e.g. its MAC address), used to keep its last Basic ID.</param>
    /// <param name="receivedAt">When it was received (the hour for the tenths-since-hour timestamp is taken from it).</param>
    /// <param name="output">Receives position reports (one per Location message with a position and an altitude).</param>
    /// <param name="messages">Receives every decoded message when not null.</param>
    public void Decode(ReadOnlySpan<byte> data, string transmitter, DateTimeOffset receivedAt, List<PositionReport> output, List<RemoteIdMessage>? messages = null)
    {
        ArgumentNullException.ThrowIfNull(transmitter);
        ArgumentNullException.ThrowIfNull(output);
        if (data.Length >= 3 && data[0] >> 4 == 0xF)
        {
            int size = data[1], count = data[2];
            if (size != MessageBytes || count > 9 || data.Length < 3 + (count * size))
            {
                Stats.BadFrames++;
                return;
            }

            // Basic IDs first, so a Location in the same pack gets the id.
            for (int pass = 0; pass < 2; pass++)
            {
                for (int i = 0; i < count; i++)
                {
                    ReadOnlySpan<byte> m = data.Slice(3 + (i * size), size);
                    if ((m[0] >> 4 == 0) == (pass == 0))
                    {
                        One(m, transmitter, receivedAt, output, messages);
                    }
                }
            }

            return;
        }

        if (data.Length != MessageBytes)
        {
            Stats.BadFrames++;
            return;
        }

        One(data, transmitter, receivedAt, output, messages);
    }

    private void One(ReadOnlySpan<byte> m, string transmitter, DateTimeOffset receivedAt, List<PositionReport> output, List<RemoteIdMessage>? messages)
    {
        RemoteIdMessage? msg = Parse(m);
        if (msg is null)
        {
            Stats.BadFrames++;
            return;
        }

        Stats.Frames++;
        messages?.Add(msg);
        switch (msg)
        {
            case RemoteIdBasicId b when b.UasId.Length > 0:
                _ids[transmitter] = b;
                break;
            case RemoteIdLocation l when l.Position is { } p:
            {
                Altitude? alt = l.GeodeticAltitudeM is { } g ? Altitude.W84(g) : l.HeightAboveGround && l.HeightM is { } h ? Altitude.Agl(h) : null;
                if (alt is null)
                {
                    return;
                }

                AircraftIdentity id = _ids.TryGetValue(transmitter, out RemoteIdBasicId? b)
                    ? new AircraftIdentity(b.IdType switch { 1 => IdentityKind.SerialNumber, 2 => IdentityKind.Registration, _ => IdentityKind.SessionId }, b.UasId)
                    : new AircraftIdentity(IdentityKind.SessionId, transmitter);
                VelocityNed? v = null;
                if (l.DirectionDeg is { } d && l.SpeedMps is { } s)
                {
                    double rad = d * Math.PI / 180;
                    v = new VelocityNed(s * Math.Cos(rad), s * Math.Sin(rad), -(l.VerticalSpeedMps ?? 0));
                }

                var r = new PositionReport(TimeFromTenths(l.TenthsSinceHour, receivedAt), id, PositionSourceKind.AstmRemoteId, p, alt.Value, v, l.DirectionDeg);
                if (r.Validate() is null)
                {
                    Stats.Reports++;
                    output.Add(r);
                }
                else
                {
                    Stats.BadFrames++;
                }

                break;
            }
        }
    }

    /// <summary>The instant nearest to <paramref name="receivedAt"/> whose tenths since the hour are as given.</summary>
    /// <param name="tenths">Tenths of a second since the hour, or null (then the receive time).</param>
    /// <param name="receivedAt">The receive time.</param>
    public static DateTimeOffset TimeFromTenths(int? tenths, DateTimeOffset receivedAt)
    {
        if (tenths is not { } t)
        {
            return receivedAt;
        }

        DateTimeOffset hour = new(receivedAt.UtcDateTime.Year, receivedAt.UtcDateTime.Month, receivedAt.UtcDateTime.Day, receivedAt.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);
        DateTimeOffset c = hour.AddMilliseconds(t * 100.0);
        if (c - receivedAt > TimeSpan.FromMinutes(30))
        {
            c = c.AddHours(-1);
        }
        else if (receivedAt - c > TimeSpan.FromMinutes(30))
        {
            c = c.AddHours(1);
        }

        return c;
    }

    private static double? Alt(ReadOnlySpan<byte> b)
    {
        ushort v = BinaryPrimitives.ReadUInt16LittleEndian(b);
        return v == 0 ? null : (v * 0.5) - 1000;
    }

    private static ushort EncAlt(double m) => double.IsNaN(m) ? (ushort)0 : (ushort)Math.Clamp(Math.Round((m + 1000) / 0.5), 1, 65535);

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
