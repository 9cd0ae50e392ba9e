using System.Buffers.Binary;
using Yunlu.Geo;
using Yunlu.Supervision;

namespace Yunlu.Formats.Telemetry;

/// <summary>Counters of a telemetry decoder: what was taken and what was dropped.</summary>
public sealed class DecoderStats
{
    /// <summary>Frames or messages that passed their checks.</summary>
    public long Frames { get; internal set; }

    /// <summary>Frames dropped for a bad checksum, a bad length, bad values or an unsupported layout.</summary>
    public long BadFrames { get; internal set; }

    /// <summary>Well-formed frames of messages this decoder does not read (skipped whole).</summary>
    public long Unknown { get; internal set; }

    /// <summary>Bytes skipped while looking for the next frame start.</summary>
    public long SkippedBytes { get; internal set; }

    /// <summary>Position reports produced.</summary>
    public long Reports { get; internal set; }
}

/// <summary>A MAVLink HEARTBEAT as last seen from a system.</summary>
/// <param name="MavType">MAV_TYPE (e.g. 2 quadrotor, 1 fixed wing).</param>
/// <param name="Autopilot">MAV_AUTOPILOT.</param>
/// <param name="BaseMode">MAV_MODE_FLAG bits.</param>
/// <param name="SystemStatus">MAV_STATE.</param>
/// <param name="ReceivedAt">When it arrived.</param>
public readonly record struct MavlinkHeartbeat(byte MavType, byte Autopilot, byte BaseMode, byte SystemStatus, DateTimeOffset ReceivedAt);

/// <summary>
/// MAVLink v1/v2 framing: v2 <c>FD len incompat compat seq sys comp msgid(3, LE) payload crc16 [signature 13]</c>, v1
/// <c>FE len seq sys comp msgid payload crc16</c>. The checksum is CRC-16/MCRF4XX (X.25) over everything after the
/// magic byte, then the message's CRC_EXTRA byte. v2 payloads are zero-trimmed on the wire and padded back here.
/// Source: mavlink.io "Serialization" and the common.xml message set.
/// </summary>
public static class MavlinkFrame
{
    /// <summary>v1 magic.</summary>
    public const byte MagicV1 = 0xFE;

    /// <summary>v2 magic.</summary>
    public const byte MagicV2 = 0xFD;

    /// <summary>HEARTBEAT.</summary>
    public const int Heartbeat = 0;

    /// <summary>GPS_RAW_INT.</summary>
    public const int GpsRawInt = 24;

    /// <summary>GLOBAL_POSITION_INT.</summary>
    public const int GlobalPositionInt = 33;

    /// <summary>ADSB_VEHICLE.</summary>
    public const int AdsbVehicle = 246;

    /// <summary>The longest frame: v2 header 10 + payload 255 + CRC 2 + signature 13.</summary>
    public const int MaxFrameBytes = 280;

    /// <summary>The outcome of looking at the bytes at a position.</summary>
    public enum Status
    {
        /// <summary>A valid frame.</summary>
        Ok,

        /// <summary>The bytes may start a frame but more are needed.</summary>
        NeedMore,

        /// <summary>Not a valid frame here (bad magic, checksum or flags): skip one byte.</summary>
        Bad,

        /// <summary>A frame of a message without a known CRC_EXTRA: cannot be verified, skipped whole.</summary>
        Unknown,
    }

    /// <summary>CRC_EXTRA of a message id, or -1 when this decoder does not know the message.</summary>
    public static int CrcExtra(int msgId) => msgId switch
    {
        Heartbeat => 50,
        GpsRawInt => 24,
        GlobalPositionInt => 104,
        AdsbVehicle => 184,
        _ => -1,
    };

    /// <summary>The full (untrimmed) payload length of a known message (v2 with extensions), or -1.</summary>
    public static int PayloadLength(int msgId) => msgId switch
    {
        Heartbeat => 9,
        GpsRawInt => 52,
        GlobalPositionInt => 28,
        AdsbVehicle => 38,
        _ => -1,
    };

    /// <summary>Accumulates bytes into a CRC-16/MCRF4XX (X.25) value.</summary>
    public static ushort Crc(ReadOnlySpan<byte> data, ushort crc = 0xFFFF)
    {
        foreach (byte b in data)
        {
            int tmp = b ^ (crc & 0xFF);
            tmp = (tmp ^ (tmp << 4)) & 0xFF;
            crc = (ushort)((crc >> 8) ^ (tmp << 8) ^ (tmp << 3) ^ (tmp >> 4));
        }

        return crc;
    }

    /// <summary>Looks for a frame at the start of <paramref name="buf"/>.</summary>
    /// <param name="buf">Bytes starting with a candidate magic byte.</param>
    /// <param name="length">The frame length (Ok, Unknown).</param>
    /// <param name="msgId">The message id (Ok, Unknown).</param>
    /// <param name="payloadOffset">Offset of the payload within the frame.</param>
    /// <param name="payloadLength">Payload length on the wire.</param>
    /// <param name="sysId">System id.</param>
    public static Status TryParse(ReadOnlySpan<byte> buf, out int length, out int msgId, out int payloadOffset, out int payloadLength, out byte sysId)
    {
        length = msgId = payloadOffset = payloadLength = 0;
        sysId = 0;
        if (buf.IsEmpty)
        {
            return Status.NeedMore;
        }

        byte magic = buf[0];
        int header;
        if (magic == MagicV2)
        {
            header = 10;
        }
        else if (magic == MagicV1)
        {
            header = 6;
        }
        else
        {
            return Status.Bad;
        }

        if (buf.Length < header)
        {
            return Status.NeedMore;
        }

        int len = buf[1];
        int sig = 0;
        if (magic == MagicV2)
        {
            byte incompat = buf[2];
            if ((incompat & ~0x01) != 0)
            {
                return Status.Bad;
            }

            sig = (incompat & 0x01) != 0 ? 13 : 0;
            sysId = buf[5];
            msgId = buf[7] | (buf[8] << 8) | (buf[9] << 16);
        }
        else
        {
            sysId = buf[3];
            msgId = buf[5];
        }

        length = header + len + 2 + sig;
        if (buf.Length < length)
        {
            return Status.NeedMore;
        }

        payloadOffset = header;
        payloadLength = len;
        int extra = CrcExtra(msgId);
        if (extra < 0)
        {
            return Status.Unknown;
        }

        int full = PayloadLength(msgId);
        if (len > full)
        {
            return Status.Bad;
        }

        ushort crc = Crc(buf.Slice(1, header - 1 + len));
        crc = Crc([(byte)extra], crc);
        ushort wire = BinaryPrimitives.ReadUInt16LittleEndian(buf.Slice(header + len, 2));
        return crc == wire ? Status.Ok : Status.Bad;
    }

    /// <summary>Writes a v2 frame (unsigned; payload zero-trimmed as the protocol requires, at least one byte kept).</summary>
    /// <param name="msgId">Message id (must have a known CRC_EXTRA).</param>
    /// <param name="payload">The full payload.</param>
    /// <param name="seq">Sequence number.</param>
    /// <param name="sysId">System id.</param>
    /// <param name="compId">Component id.</param>
    /// <returns>The frame bytes.</returns>
    public static byte[] WriteV2(int msgId, ReadOnlySpan<byte> payload, byte seq, byte sysId, byte compId)
    {
        int extra = CrcExtra(msgId);
        if (extra < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(msgId), "no CRC_EXTRA known for this message id");
        }

        int len = payload.Length;
        while (len > 1 && payload[len - 1] == 0)
        {
            len--;
        }

        var f = new byte[10 + len + 2];
        f[0] = MagicV2;
        f[1] = (byte)len;
        f[4] = seq;
        f[5] = sysId;
        f[6] = compId;
        f[7] = (byte)msgId;
        f[8] = (byte)(msgId >> 8);
        f[9] = (byte)(msgId >> 16);
        payload[..len].CopyTo(f.AsSpan(10));
        ushort crc = Crc([(byte)extra], Crc(f.AsSpan(1, 9 + len)));
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(10 + len), crc);
        return f;
    }

    /// <summary>Writes a v1 frame.</summary>
    public static byte[] WriteV1(int msgId, ReadOnlySpan<byte> payload, byte seq, byte sysId, byte compId)
    {
        int extra = CrcExtra(msgId);
        if (extra < 0 || msgId > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(msgId), "a v1 frame needs a known message id below 256");
        }

        var f = new byte[6 + payload.Length + 2];
        f[0] = MagicV1;
        f[1] = (byte)payload.Length;
        f[2] = seq;
        f[3] = sysId;
        f[4] = compId;
        f[5] = (byte)msgId;
        payload.CopyTo(f.AsSpan(6));
        ushort crc = Crc([(byte)extra], Crc(f.AsSpan(1, 5 + payload.Length)));
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(6 + payload.Length), crc);
        return f;
    }

    /// <summary>The GLOBAL_POSITION_INT payload (28 bytes) for the given values (MAVLink units).</summary>
    public static byte[] GlobalPositionIntPayload(uint timeBootMs, int latE7, int lonE7, int altMm, int relAltMm, short vxCmS, short vyCmS, short vzCmS, ushort hdgCdeg)
    {
        var p = new byte[28];
        BinaryPrimitives.WriteUInt32LittleEndian(p, timeBootMs);
        BinaryPrimitives.WriteInt32LittleEndian(p.AsSpan(4), latE7);
        BinaryPrimitives.WriteInt32LittleEndian(p.AsSpan(8), lonE7);
        BinaryPrimitives.WriteInt32LittleEndian(p.AsSpan(12), altMm);
        BinaryPrimitives.WriteInt32LittleEndian(p.AsSpan(16), relAltMm);
        BinaryPrimitives.WriteInt16LittleEndian(p.AsSpan(20), vxCmS);
        BinaryPrimitives.WriteInt16LittleEndian(p.AsSpan(22), vyCmS);
        BinaryPrimitives.WriteInt16LittleEndian(p.AsSpan(24), vzCmS);
        BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(26), hdgCdeg);
        return p;
    }
}

/// <summary>
/// Decodes a MAVLink byte stream (UDP datagrams, a serial link or a file) into position reports: GLOBAL_POSITION_INT
/// (AMSL altitude, NED velocity, heading), GPS_RAW_INT (AMSL, with a 2D/3D fix), ADSB_VEHICLE (manned traffic unless
/// the emitter type is UAV; geometric altitude as W84, barometric as AMSL) and HEARTBEAT (kept per system).
/// Streaming: partial frames wait for more bytes; garbage is skipped byte by byte to the next valid frame; bad frames
/// are counted and dropped; nothing throws for any input.
/// </summary>
/// <remarks>
/// MAVLink positions carry no wall-clock time (time_boot_ms is since boot), so the caller gives the receive time
/// (or the .tlog timestamp). The aircraft identity is <c>mav:&lt;sysid&gt;</c> (<see cref="IdentityKind.MavlinkSystem"/>);
/// ADSB_VEHICLE gives the ICAO address. Not thread-safe: one decoder per link.
/// </remarks>
public sealed class MavlinkDecoder
{
    private const int AdsbEmitterUav = 14;
    private readonly Dictionary<byte, MavlinkHeartbeat> _heartbeats = [];
    private byte[] _buf = new byte[4096];
    private int _start;
    private int _end;

    /// <summary>Counters.</summary>
    public DecoderStats Stats { get; } = new();

    /// <summary>Bytes buffered while waiting for the rest of a frame.</summary>
    public int PendingBytes => _end - _start;

    /// <summary>The last HEARTBEAT of each system id.</summary>
    public IReadOnlyDictionary<byte, MavlinkHeartbeat> Heartbeats => _heartbeats;

    /// <summary>Feeds bytes; complete frames are decoded at once, a trailing partial frame waits for the next call.</summary>
    /// <param name="data">The bytes received.</param>
    /// <param name="receivedAt">When they arrived (the reports' time).</param>
    /// <param name="output">Receives the reports.</param>
    public void Push(ReadOnlySpan<byte> data, DateTimeOffset receivedAt, List<PositionReport> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_end + data.Length > _buf.Length)
        {
            Compact();
            if (_end + data.Length > _buf.Length)
            {
                Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _end + data.Length));
            }
        }

        data.CopyTo(_buf.AsSpan(_end));
        _end += data.Length;
        while (_start < _end)
        {
            ReadOnlySpan<byte> rest = _buf.AsSpan(_start, _end - _start);
            int magic = rest.IndexOfAny(MavlinkFrame.MagicV1, MavlinkFrame.MagicV2);
            if (magic < 0)
            {
                Stats.SkippedBytes += rest.Length;
                _start = _end;
                break;
            }

            Stats.SkippedBytes += magic;
            _start += magic;
            rest = rest[magic..];
            MavlinkFrame.Status st = MavlinkFrame.TryParse(rest, out int len, out int msgId, out int po, out int pl, out byte sys);
            if (st == MavlinkFrame.Status.NeedMore)
            {
                break;
            }

            if (st == MavlinkFrame.Status.Bad)
            {
                Stats.BadFrames++;
                _start++;
                continue;
            }

            if (st == MavlinkFrame.Status.Unknown)
            {
                Stats.Unknown++;
                _start += len;
                continue;
            }

            Decode(msgId, sys, rest.Slice(po, pl), receivedAt, output);
            _start += len;
        }

        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    /// <summary>Decodes one verified payload (zero-trimmed allowed).</summary>
    internal void Decode(int msgId, byte sysId, ReadOnlySpan<byte> wire, DateTimeOffset at, List<PositionReport> output)
    {
        Span<byte> p = stackalloc byte[255];
        p.Clear();
        wire.CopyTo(p);
        switch (msgId)
        {
            case MavlinkFrame.Heartbeat:
                _heartbeats[sysId] = new MavlinkHeartbeat(p[4], p[5], p[6], p[7], at);
                Stats.Frames++;
                return;
            case MavlinkFrame.GlobalPositionInt:
            {
                int lat = BinaryPrimitives.ReadInt32LittleEndian(p[4..]);
                int lon = BinaryPrimitives.ReadInt32LittleEndian(p[8..]);
                int alt = BinaryPrimitives.ReadInt32LittleEndian(p[12..]);
                short vx = BinaryPrimitives.ReadInt16LittleEndian(p[20..]);
                short vy = BinaryPrimitives.ReadInt16LittleEndian(p[22..]);
                short vz = BinaryPrimitives.ReadInt16LittleEndian(p[24..]);
                ushort hdg = BinaryPrimitives.ReadUInt16LittleEndian(p[26..]);
                double? heading = hdg == ushort.MaxValue ? null : hdg / 100.0 % 360.0;
                Emit(new PositionReport(at, Mav(sysId), PositionSourceKind.Mavlink, new GeoPoint(lon * 1e-7, lat * 1e-7),
                    Altitude.Amsl(alt / 1000.0), new VelocityNed(vx / 100.0, vy / 100.0, vz / 100.0), heading), output);
                return;
            }

            case MavlinkFrame.GpsRawInt:
            {
                int lat = BinaryPrimitives.ReadInt32LittleEndian(p[8..]);
                int lon = BinaryPrimitives.ReadInt32LittleEndian(p[12..]);
                int alt = BinaryPrimitives.ReadInt32LittleEndian(p[16..]);
                ushort cog = BinaryPrimitives.ReadUInt16LittleEndian(p[26..]);
                byte fix = p[28];
                if (fix < 2)
                {
                    // No fix: a well-formed frame without a position.
                    Stats.Frames++;
                    return;
                }

                double? heading = cog == ushort.MaxValue ? null : cog / 100.0 % 360.0;
                Emit(new PositionReport(at, Mav(sysId), PositionSourceKind.Mavlink, new GeoPoint(lon * 1e-7, lat * 1e-7),
                    Altitude.Amsl(alt / 1000.0), null, heading), output);
                return;
            }

            case MavlinkFrame.AdsbVehicle:
            {
                uint icao = BinaryPrimitives.ReadUInt32LittleEndian(p);
                int lat = BinaryPrimitives.ReadInt32LittleEndian(p[4..]);
                int lon = BinaryPrimitives.ReadInt32LittleEndian(p[8..]);
                int alt = BinaryPrimitives.ReadInt32LittleEndian(p[12..]);
                ushort hdg = BinaryPrimitives.ReadUInt16LittleEndian(p[16..]);
                ushort hv = BinaryPrimitives.ReadUInt16LittleEndian(p[18..]);
                short vv = BinaryPrimitives.ReadInt16LittleEndian(p[20..]);
                ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(p[22..]);
                byte altType = p[26];
                byte emitter = p[36];
                if ((flags & 0x03) != 0x03)
                {
                    // Coordinates or altitude not valid.
                    Stats.Frames++;
                    return;
                }

                VelocityNed? v = null;
                double? heading = (flags & 0x04) != 0 ? hdg / 100.0 % 360.0 : null;
                if ((flags & 0x08) != 0 && heading is { } h)
                {
                    double rad = h * Math.PI / 180;
                    v = new VelocityNed(hv / 100.0 * Math.Cos(rad), hv / 100.0 * Math.Sin(rad), -vv / 100.0);
                }

                Altitude a = altType == 1 ? Altitude.W84(alt / 1000.0) : Altitude.Amsl(alt / 1000.0);
                PositionSourceKind src = emitter == AdsbEmitterUav ? PositionSourceKind.Mavlink : PositionSourceKind.AdsB;
                Emit(new PositionReport(at, new AircraftIdentity(IdentityKind.IcaoAddress, icao.ToString("X6", System.Globalization.CultureInfo.InvariantCulture)),
                    src, new GeoPoint(lon * 1e-7, lat * 1e-7), a, v, heading), output);
                return;
            }

            default:
                Stats.Unknown++;
                return;
        }
    }

    private static AircraftIdentity Mav(byte sysId) =>
        new(IdentityKind.MavlinkSystem, "mav:" + sysId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private void Emit(in PositionReport r, List<PositionReport> output)
    {
        if (r.Validate() is not null)
        {
            Stats.BadFrames++;
            return;
        }

        Stats.Frames++;
        Stats.Reports++;
        output.Add(r);
    }

    private void Compact()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buf, _start, _buf, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
    }
}

/// <summary>
/// MAVLink telemetry logs (<c>.tlog</c>, as written by ground stations): repeated [8-byte big-endian µs since the Unix
/// epoch][one MAVLink frame]. A record whose timestamp is implausible (before 2000 or after 2100) or whose frame does
/// not verify is counted bad and the reader resynchronises byte by byte.
/// </summary>
public static class TlogReader
{
    private static readonly long MinUs = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;
    private static readonly long MaxUs = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;

    /// <summary>Reads a whole log.</summary>
    /// <param name="data">The file bytes.</param>
    /// <param name="output">Receives the reports (time = the record's timestamp).</param>
    /// <returns>The decoder's counters.</returns>
    public static DecoderStats Read(ReadOnlySpan<byte> data, List<PositionReport> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var dec = new MavlinkDecoder();
        int pos = 0;
        while (pos + 8 < data.Length)
        {
            ulong us = BinaryPrimitives.ReadUInt64BigEndian(data[pos..]);
            ReadOnlySpan<byte> frame = data[(pos + 8)..];
            if (us < (ulong)MinUs || us > (ulong)MaxUs)
            {
                dec.Stats.SkippedBytes++;
                pos++;
                continue;
            }

            MavlinkFrame.Status st = MavlinkFrame.TryParse(frame, out int len, out int msgId, out int po, out int pl, out byte sys);
            switch (st)
            {
                case MavlinkFrame.Status.Ok:
                    dec.Decode(msgId, sys, frame.Slice(po, pl), DateTimeOffset.FromUnixTimeMilliseconds((long)(us / 1000)).AddTicks((long)(us % 1000) * 10), output);
                    pos += 8 + len;
                    break;
                case MavlinkFrame.Status.Unknown:
                    dec.Stats.Unknown++;
                    pos += 8 + len;
                    break;
                case MavlinkFrame.Status.NeedMore:
                    dec.Stats.BadFrames++;
                    return dec.Stats;
                default:
                    dec.Stats.BadFrames++;
                    pos++;
                    break;
            }
        }

        return dec.Stats;
    }

    /// <summary>Writes one tlog record.</summary>
    public static void WriteRecord(Stream output, DateTimeOffset t, ReadOnlySpan<byte> frame)
    {
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> ts = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(ts, (ulong)((t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10));
        output.Write(ts);
        output.Write(frame);
    }
}
