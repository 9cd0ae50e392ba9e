using System.Buffers.Binary;
using Yunlu.Formats;
using Yunlu.Formats.Telemetry;
using Yunlu.Geo;

namespace Yunlu.Supervision.Tests;

public sealed class DecoderTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);

    internal static byte[] Vector(string name)
    {
        foreach (string line in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "data", "vectors", "standards.txt")))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == name)
            {
                return Convert.FromHexString(parts[1]);
            }
        }

        throw new InvalidOperationException("no vector " + name);
    }

    [Fact]
    public void Mavlink_StandardsVector_DecodesToTheStatedValues()
    {
        var d = new MavlinkDecoder();
        var r = new List<PositionReport>();
        d.Push(Vector("mavlink-v2-global-position-int"), T0, r);
        PositionReport p = Assert.Single(r);
        Assert.Equal(new AircraftIdentity(IdentityKind.MavlinkSystem, "mav:1"), p.Aircraft);
        Assert.Equal(26.5385, p.Position.LatDeg, 9);
        Assert.Equal(106.8008, p.Position.LonDeg, 9);
        Assert.Equal(Altitude.Amsl(1200), p.Altitude);
        Assert.Equal(new VelocityNed(5, -2.5, -0.1), p.Velocity);
        Assert.Equal(90, p.HeadingDeg);
        Assert.Equal(0, d.Stats.BadFrames);
    }

    [Fact]
    public void Mavlink_EncodeStatedValues_ReproducesTheVectorBytes()
    {
        byte[] payload = MavlinkFrame.GlobalPositionIntPayload(123456, 265385000, 1068008000, 1_200_000, 120_000, 500, -250, -10, 9000);
        Assert.Equal(Vector("mavlink-v2-global-position-int"), MavlinkFrame.WriteV2(MavlinkFrame.GlobalPositionInt, payload, 0, 1, 1));
    }

    [Fact]
    public void Mavlink_ZeroTrimmedPayload_IsPaddedBeforeDecoding()
    {
        byte[] payload = MavlinkFrame.GlobalPositionIntPayload(1, 265385000, 1068008000, 1_200_000, 0, 100, 0, 0, 0);
        byte[] frame = MavlinkFrame.WriteV2(MavlinkFrame.GlobalPositionInt, payload, 3, 9, 1);
        Assert.True(frame[1] < 28);
        var r = new List<PositionReport>();
        new MavlinkDecoder().Push(frame, T0, r);
        Assert.Equal(new VelocityNed(1, 0, 0), Assert.Single(r).Velocity);
        Assert.Equal(0, r[0].HeadingDeg);
    }

    [Fact]
    public void Mavlink_ChunkedWithGarbageAndCorruptFrames_ResyncsAndCounts()
    {
        byte[] good = Vector("mavlink-v2-global-position-int");
        byte[] bad = (byte[])good.Clone();
        bad[20] ^= 0x40;
        byte[] v1 = MavlinkFrame.WriteV1(MavlinkFrame.GlobalPositionInt, MavlinkFrame.GlobalPositionIntPayload(5, 265000000, 1067000000, 1000, 0, 0, 0, 0, 0), 1, 2, 1);
        byte[] stream = [0x00, 0xFD, 0x13, .. good, 0x55, .. bad, .. v1, 0xFE, 0x01, .. good];
        var d = new MavlinkDecoder();
        var r = new List<PositionReport>();
        for (int i = 0; i < stream.Length; i += 7)
        {
            d.Push(stream.AsSpan(i, Math.Min(7, stream.Length - i)), T0, r);
        }

        Assert.Equal(["mav:1", "mav:2", "mav:1"], r.Select(x => x.Aircraft.Value));
        Assert.True(d.Stats.BadFrames >= 1);
        Assert.True(d.Stats.SkippedBytes >= 1);
    }

    [Fact]
    public void Mavlink_HeartbeatGpsRawAndAdsb_Decoded()
    {
        var hb = new byte[9];
        hb[4] = 2;
        hb[7] = 4;
        var gps = new byte[52];
        BinaryPrimitives.WriteInt32LittleEndian(gps.AsSpan(8), 265000000);
        BinaryPrimitives.WriteInt32LittleEndian(gps.AsSpan(12), 1067000000);
        BinaryPrimitives.WriteInt32LittleEndian(gps.AsSpan(16), 1150_000);
        BinaryPrimitives.WriteUInt16LittleEndian(gps.AsSpan(26), 18000);
        gps[28] = 3;
        var adsb = new byte[38];
        BinaryPrimitives.WriteUInt32LittleEndian(adsb, 0x780A5B);
        BinaryPrimitives.WriteInt32LittleEndian(adsb.AsSpan(4), 265400000);
        BinaryPrimitives.WriteInt32LittleEndian(adsb.AsSpan(8), 1067500000);
        BinaryPrimitives.WriteInt32LittleEndian(adsb.AsSpan(12), 1_500_000);
        BinaryPrimitives.WriteUInt16LittleEndian(adsb.AsSpan(16), 9000);
        BinaryPrimitives.WriteUInt16LittleEndian(adsb.AsSpan(18), 5000);
        BinaryPrimitives.WriteInt16LittleEndian(adsb.AsSpan(20), 100);
        BinaryPrimitives.WriteUInt16LittleEndian(adsb.AsSpan(22), 0x0F);
        adsb[26] = 1;
        byte[] stream = [.. MavlinkFrame.WriteV2(0, hb, 0, 5, 1), .. MavlinkFrame.WriteV2(24, gps, 1, 5, 1), .. MavlinkFrame.WriteV2(246, adsb, 2, 5, 1)];
        var d = new MavlinkDecoder();
        var r = new List<PositionReport>();
        d.Push(stream, T0, r);
        Assert.Equal(2, d.Heartbeats[5].MavType);
        Assert.Equal(2, r.Count);
        Assert.Equal(Altitude.Amsl(1150), r[0].Altitude);
        Assert.Equal(180, r[0].HeadingDeg);
        Assert.Equal(new AircraftIdentity(IdentityKind.IcaoAddress, "780A5B"), r[1].Aircraft);
        Assert.True(r[1].IsManned);
        Assert.Equal(Altitude.W84(1500), r[1].Altitude);
        Assert.Equal(50, r[1].Velocity!.Value.EastMps, 9);
        Assert.Equal(-1, r[1].Velocity!.Value.DownMps, 9);
    }

    [Fact]
    public void Tlog_RecordsWithGarbage_ReadWithTheirTimestamps()
    {
        using var ms = new MemoryStream();
        TlogReader.WriteRecord(ms, T0, Vector("mavlink-v2-global-position-int"));
        ms.Write([1, 2, 3]);
        TlogReader.WriteRecord(ms, T0.AddMilliseconds(1500), Vector("mavlink-v2-global-position-int"));
        var r = new List<PositionReport>();
        DecoderStats s = TlogReader.Read(ms.ToArray(), r);
        Assert.Equal([T0, T0.AddMilliseconds(1500)], r.Select(x => x.Time));
        Assert.True(s.SkippedBytes + s.BadFrames >= 1);
    }

    [Fact]
    public void AstmBasicId_StandardsVector()
    {
        var m = Assert.IsType<RemoteIdBasicId>(AstmRemoteIdDecoder.Parse(Vector("astm-basic-id")));
        Assert.Equal(2, m.ProtocolVersion);
        Assert.Equal(2, m.IdType);
        Assert.Equal(2, m.UaType);
        Assert.Equal("12345678901234567890", m.UasId);
    }

    [Fact]
    public void AstmSelfId_StandardsVector()
    {
        var m = Assert.IsType<RemoteIdSelfId>(AstmRemoteIdDecoder.Parse(Vector("astm-self-id")));
        Assert.Equal(0, m.DescriptionType);
        Assert.Equal("DronesRUS: Real Estate", m.Description);
    }

    [Fact]
    public void AstmOperatorId_StandardsVector()
    {
        var m = Assert.IsType<RemoteIdOperatorId>(AstmRemoteIdDecoder.Parse(Vector("astm-operator-id")));
        Assert.Equal(0, m.OperatorIdType);
        Assert.Equal("98765432100123456789", m.OperatorId);
    }

    [Fact]
    public void AstmLocation_RoundTripsThroughTheEncoding()
    {
        byte[] loc = AstmRemoteIdDecoder.EncodeLocation(2, 2, 225, 70, -1.5, new GeoPoint(106.8008, 26.5385), 1250.5, 110, true, 12345);
        var m = Assert.IsType<RemoteIdLocation>(AstmRemoteIdDecoder.Parse(loc));
        Assert.Equal(225, m.DirectionDeg);
        Assert.Equal(63.75 + (8 * 0.75), m.SpeedMps);
        Assert.Equal(-1.5, m.VerticalSpeedMps);
        Assert.Equal(1250.5, m.GeodeticAltitudeM);
        Assert.Equal(110, m.HeightM);
        Assert.True(m.HeightAboveGround);
        Assert.Equal(26.5385, m.Position!.Value.LatDeg, 7);
        Assert.Equal(12345, m.TenthsSinceHour);
    }

    [Fact]
    public void AstmPack_BasicIdAndLocation_GivesAnIdentifiedReport()
    {
        byte[] pack = AstmRemoteIdDecoder.EncodePack(2,
            AstmRemoteIdDecoder.EncodeLocation(2, 2, 90, 10, 0, new GeoPoint(106.7, 26.6), 1230, 100, true, 50),
            AstmRemoteIdDecoder.EncodeBasicId(2, 1, 2, "1596F35C9B12345"),
            Vector("astm-operator-id"));
        var dec = new AstmRemoteIdDecoder();
        var r = new List<PositionReport>();
        var msgs = new List<RemoteIdMessage>();
        dec.Decode(pack, "aa:bb:cc:dd:ee:ff", T0.AddSeconds(4), r, msgs);
        PositionReport p = Assert.Single(r);
        Assert.Equal(new AircraftIdentity(IdentityKind.SerialNumber, "1596F35C9B12345"), p.Aircraft);
        Assert.Equal(T0.AddSeconds(5), p.Time);
        Assert.Equal(Altitude.W84(1230), p.Altitude);
        Assert.Equal(10, p.Velocity!.Value.EastMps, 9);
        Assert.Equal(3, msgs.Count);
    }

    [Fact]
    public void AstmTimestamp_NearTheHourBoundary_TakesTheNearestHour()
    {
        DateTimeOffset rx = new(2025, 6, 1, 9, 0, 2, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 8, 59, 59, TimeSpan.Zero), AstmRemoteIdDecoder.TimeFromTenths(35990, rx));
    }

    [Fact]
    public void Gb46750_PinnedLayoutVector_Parses()
    {
        // Yunlu's assumed layout (GbRemoteIdDecoder remarks): flags = unique id, coordinate system, lon, lat, geodetic altitude.
        string hex = "FF01" + "22" + "790000" +
            Convert.ToHexString("GB12345678"u8) + "00000000000000000000" + "01" +
            "4082A83F" + "2874D10F" + "C44D";
        GbRemoteIdMessage m = GbRemoteIdDecoder.Parse(Convert.FromHexString(hex))!;
        Assert.NotNull(m);
        Assert.Equal("GB12345678", m.UniqueId);
        Assert.True(m.Cgcs2000);
        Assert.Equal(106.8008, m.Position!.Value.LonDeg, 9);
        Assert.Equal(26.5385, m.Position!.Value.LatDeg, 9);
        Assert.Equal(((0x4DC4) * 0.5) - 1000, m.GeodeticAltitudeM);
    }

    [Fact]
    public void Gb46750_EncodeThenDecode_RoundTripsAndReports()
    {
        var m = new GbRemoteIdMessage(1, "GBUAS0001", "REG-42", 2, false, new GeoPoint(106.7, 26.6), 1250, 120, true, 12.5, -0.5, 270, T0, 2, new GeoPoint(106.69, 26.59));
        byte[] b = GbRemoteIdDecoder.Encode(m);
        GbRemoteIdMessage back = GbRemoteIdDecoder.Parse(b)!;
        Assert.Equal(b, GbRemoteIdDecoder.Encode(back));
        Assert.Equal(m with { Position = null, OperatorPosition = null }, back with { Position = null, OperatorPosition = null });
        Assert.Equal(106.7, back.Position!.Value.LonDeg, 7);
        Assert.Equal(26.59, back.OperatorPosition!.Value.LatDeg, 7);
        var dec = new GbRemoteIdDecoder();
        var r = new List<PositionReport>();
        dec.Decode(b, T0.AddSeconds(9), r);
        PositionReport p = Assert.Single(r);
        Assert.Equal(T0, p.Time);
        Assert.Equal(PositionSourceKind.GbRemoteId, p.Source);
        Assert.Equal(-12.5, p.Velocity!.Value.EastMps, 9);
        b[2]++;
        Assert.Null(GbRemoteIdDecoder.Parse(b));
    }

    [Fact]
    public void Sbs1_Lines_CombineStatePerAircraftAndDropGarbage()
    {
        var d = new Sbs1Decoder();
        var r = new List<PositionReport>();
        foreach (string line in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "data", "vectors", "sbs1.txt")))
        {
            d.DecodeLine(line, T0, r);
        }

        Assert.Equal(2, r.Count);
        PositionReport p = r[0];
        Assert.Equal("780A5B", p.Aircraft.Value);
        Assert.True(p.IsManned);
        Assert.Equal(T0.AddSeconds(1), p.Time);
        Assert.Equal(4000 * 0.3048, p.Altitude.ValueM, 9);
        Assert.Equal(180 * 1852.0 / 3600, p.Velocity!.Value.EastMps, 6);
        Assert.Equal(640 * 0.3048 / 60, p.Velocity!.Value.DownMps, 6);
        Assert.Equal("CSS6741", d.Callsign("780A5B"));
        Assert.Equal(T0, r[1].Time);
        Assert.Equal(2, d.Stats.BadFrames);
    }

    [Fact]
    public void Gpx_Track_ReadsPointsWithNameAsId()
    {
        using FileStream s = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "data", "vectors", "track.gpx"));
        ImportResult<PositionReport> r = GpxTracks.Read(s, "fallback");
        Assert.True(r.Ok);
        Assert.Equal(2, r.Items.Count);
        Assert.Equal("GPX1", r.Items[0].Aircraft.Value);
        Assert.Equal(Altitude.Amsl(1200.5), r.Items[0].Altitude);
    }

    [Fact]
    public void TelemetryCsv_RoundTrip_AndRowErrorsNameTheField()
    {
        var reports = new[]
        {
            new PositionReport(T0, new AircraftIdentity(IdentityKind.Platform, "D1"), PositionSourceKind.Network, new GeoPoint(106.7, 26.6), Altitude.Agl(80), new VelocityNed(1, 2, -0.5)),
            new PositionReport(T0.AddMilliseconds(500), new AircraftIdentity(IdentityKind.Platform, "D2"), PositionSourceKind.Network, new GeoPoint(106.71, 26.61), Altitude.W84(1300)),
        };
        var sw = new StringWriter();
        TelemetryCsv.Write(sw, reports);
        ImportResult<PositionReport> back = TelemetryCsv.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sw.ToString())));
        Assert.True(back.Ok, string.Join("; ", back.Errors));
        Assert.Equal(reports, back.Items);

        string bad = TelemetryCsv.Header + "\n2025-06-01T08:00:00,D1,26.6,106.7,100,AMSL,,,\n2025-06-01T08:00:00Z,D1,26.6,106.7,100,MSL,,,\n2025-06-01T08:00:00Z,D1,26.6,106.7,100,AMSL,1,,\n";
        ImportResult<PositionReport> r = TelemetryCsv.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(bad)));
        Assert.Empty(r.Items);
        Assert.Equal(["time_utc", "alt_ref", "vn_mps"], r.Errors.Select(e => e.Field));
        Assert.Equal([TelemetryRules.TimeInvalid, TelemetryRules.AltitudeReferenceUnknown, TelemetryRules.VelocityPartial], r.Errors.Select(e => e.Rule));
    }

    [Fact]
    public void IntentFiles_BadVolume_ErrorNamesTheField()
    {
        const string json = """
            [{"id":"I1","aircraft":"D1","state":"Activated","volumes":[{"volume":{"outline_circle":{"center":{"lat":26.6,"lng":106.7},"radius":{"value":100,"units":"M"}},
              "altitude_lower":{"value":1300,"reference":"W84","units":"M"},"altitude_upper":{"value":1200,"reference":"W84","units":"M"}},
              "time_start":"2025-06-01T08:00:00Z","time_end":"2025-06-01T09:00:00Z"}]},
             {"id":"I2","aircraft":"D2","state":"Flying","volumes":[]}]
            """;
        ImportResult<Supervision.Checks.SupervisedIntent> r = IntentFiles.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.Empty(r.Items);
        Assert.Contains(r.Errors, e => e.FeatureIndex == 0 && e.Field == "volumes[0].volume" && e.Rule == TelemetryRules.VolumeInvalid);
        Assert.Contains(r.Errors, e => e.FeatureIndex == 1 && e.Field == "state");
        Assert.Contains(r.Errors, e => e.FeatureIndex == 1 && e.Field == "volumes");
    }
}
