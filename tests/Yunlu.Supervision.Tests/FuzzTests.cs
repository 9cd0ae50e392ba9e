using CsCheck;
using Yunlu.Formats;
using Yunlu.Formats.Telemetry;

namespace Yunlu.Supervision.Tests;

/// <summary>Decoders survive random and corrupted input: bad frames are counted and dropped, nothing throws.</summary>
public sealed class FuzzTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly Gen<byte[]> Bytes = Gen.Byte.Array[0, 600];

    private static byte[] Mutate(byte[] src, int seed)
    {
        var rng = new Random(seed);
        byte[] b = (byte[])src.Clone();
        int flips = 1 + rng.Next(4);
        for (int i = 0; i < flips && b.Length > 0; i++)
        {
            b[rng.Next(b.Length)] ^= (byte)(1 << rng.Next(8));
        }

        return rng.Next(3) == 0 && b.Length > 1 ? b[..rng.Next(b.Length)] : b;
    }

    [Fact]
    public void Mavlink_RandomBytes_NeverThrowAndAccountForEveryByte()
    {
        Gen.Select(Bytes, Gen.Int[1, 64]).Sample(t =>
        {
            (byte[] data, int chunk) = t;
            var d = new MavlinkDecoder();
            var r = new List<PositionReport>();
            for (int i = 0; i < data.Length; i += chunk)
            {
                d.Push(data.AsSpan(i, Math.Min(chunk, data.Length - i)), T0, r);
            }

            Assert.All(r, p => Assert.Null(p.Validate()));
            Assert.True(d.Stats.SkippedBytes <= data.Length);
        }, iter: 500);
    }

    [Fact]
    public void Mavlink_CorruptedValidStream_GoodFramesSurviveBadOnesCounted()
    {
        byte[] one = DecoderTests.Vector("mavlink-v2-global-position-int");
        byte[] stream = [.. one, .. one, .. one, .. one];
        Gen.Int.Sample(seed =>
        {
            byte[] m = Mutate(stream, seed);
            var d = new MavlinkDecoder();
            var r = new List<PositionReport>();
            d.Push(m, T0, r);
            Assert.True(r.Count <= 4);
            Assert.True(r.Count == 4 || d.Stats.BadFrames + d.Stats.SkippedBytes + d.Stats.Unknown + d.PendingBytes > 0 || m.Length < stream.Length);
        }, iter: 500);
    }

    [Fact]
    public void Tlog_RandomAndCorruptBytes_NeverThrow()
    {
        using var ms = new MemoryStream();
        TlogReader.WriteRecord(ms, T0, DecoderTests.Vector("mavlink-v2-global-position-int"));
        TlogReader.WriteRecord(ms, T0.AddSeconds(1), DecoderTests.Vector("mavlink-v2-global-position-int"));
        byte[] good = ms.ToArray();
        Gen.Select(Bytes, Gen.Int).Sample(t =>
        {
            var r = new List<PositionReport>();
            TlogReader.Read(t.Item1, r);
            TlogReader.Read(Mutate(good, t.Item2), r);
            Assert.All(r, p => Assert.Null(p.Validate()));
        }, iter: 500);
    }

    [Fact]
    public void RemoteId_RandomAndCorruptBytes_NeverThrow()
    {
        byte[] pack = AstmRemoteIdDecoder.EncodePack(2,
            AstmRemoteIdDecoder.EncodeBasicId(2, 1, 2, "SERIAL"),
            AstmRemoteIdDecoder.EncodeLocation(2, 2, 90, 10, 0, new Geo.GeoPoint(106.7, 26.6), 1230, 100, true, 50));
        byte[] gb = GbRemoteIdDecoder.Encode(new GbRemoteIdMessage(1, "X", null, null, null, new Geo.GeoPoint(106.7, 26.6), 1200, null, null, null, null, 90, T0, null, null));
        var astm = new AstmRemoteIdDecoder();
        var gbd = new GbRemoteIdDecoder();
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Int).Sample(t =>
        {
            var r = new List<PositionReport>();
            astm.Decode(t.Item1, "tx", T0, r);
            astm.Decode(Mutate(pack, t.Item2), "tx", T0, r);
            gbd.Decode(t.Item1, T0, r);
            gbd.Decode(Mutate(gb, t.Item2), T0, r);
            Assert.All(r, p => Assert.Null(p.Validate()));
        }, iter: 1000);
        Assert.True(astm.Stats.BadFrames > 0);
        Assert.True(gbd.Stats.BadFrames > 0);
    }

    [Fact]
    public void Sbs1_RandomLines_NeverThrow()
    {
        var d = new Sbs1Decoder();
        Gen.String.Sample(s =>
        {
            var r = new List<PositionReport>();
            d.DecodeLine(s, T0, r);
            d.DecodeLine("MSG,3,1,1,780A5B,1,," + s, T0, r);
            Assert.All(r, p => Assert.Null(p.Validate()));
        }, iter: 1000);
    }

    [Fact]
    public void TextFormats_RandomBytes_OnlyResultsOrInvalidFile()
    {
        Gen.Byte.Array[0, 400].Sample(b =>
        {
            _ = TelemetryCsv.Read(new MemoryStream(b));
            _ = TelemetryCsv.Read(new MemoryStream([.. System.Text.Encoding.UTF8.GetBytes(TelemetryCsv.Header + "\n"), .. b]));
            try
            {
                _ = GpxTracks.Read(new MemoryStream(b), "x");
            }
            catch (InvalidFileException)
            {
            }

            try
            {
                _ = IntentFiles.Read(new MemoryStream(b));
            }
            catch (InvalidFileException)
            {
            }
        }, iter: 500);
    }
}
