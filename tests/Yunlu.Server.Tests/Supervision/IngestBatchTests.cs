using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using Yunlu.Formats.Telemetry;
using Yunlu.Geo;
using Yunlu.Server.Supervision;
using Yunlu.Supervision;

namespace Yunlu.Server.Tests.Supervision;

/// <summary>The batched WebSocket parsing: one pass per message into a pooled batch, fast paths equal to the general parsers.</summary>
public sealed class IngestBatchTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    private static string Pos(string id, string time = "2026-11-27T08:00:00.250Z", string lat = "26.6123456", string lon = "106.7", string alt = "120.5", string altRef = "AMSL", string extra = "") =>
        $$"""{"aircraftId":"{{id}}","timeUtc":"{{time}}","latDeg":{{lat}},"lonDeg":{{lon}},"altM":{{alt}},"altRef":"{{altRef}}"{{extra}}}""";

    private static PositionJson Parser() => new(new FixedTime(T0));

    [Fact]
    public void ReadMessage_ArrayOfValidPositions_AllInBatchWithExactValues()
    {
        PositionBatch batch = PositionBatch.Rent(IngestSource.WebSocket);
        string json = "[" + Pos("A1") + "," + Pos("A2", lat: "-0.5", extra: ",\"vnMps\":1.25,\"veMps\":-2,\"vuMps\":0.5") + "," + Pos("A3", time: "2026-11-27T16:00:00+08:00") + "]";
        int rejected = Parser().ReadMessage(Encoding.UTF8.GetBytes(json), batch, 100);
        Assert.Equal(0, rejected);
        Assert.Equal(3, batch.Count);
        PositionReport a = batch.Items[0], b = batch.Items[1], c = batch.Items[2];
        Assert.Equal("A1", a.Aircraft.Value);
        Assert.Equal(T0.AddMilliseconds(250), a.Time);
        Assert.Equal(26.6123456, a.Position.LatDeg);
        Assert.Equal(106.7, a.Position.LonDeg);
        Assert.Equal(new Altitude(120.5, AltitudeReference.Amsl), a.Altitude);
        Assert.Null(a.Velocity);
        Assert.Equal(-0.5, b.Position.LatDeg);
        Assert.Equal(new VelocityNed(1.25, -2, -0.5), b.Velocity);
        Assert.Equal(T0, c.Time);
        Assert.Equal(TimeSpan.Zero, c.Time.Offset);
        PositionBatch.Return(batch);
    }

    [Fact]
    public void ReadMessage_SingleObjectAndEscapedNames_Read()
    {
        PositionBatch batch = PositionBatch.Rent(IngestSource.WebSocket);
        string json = """{"\u0061ircraftId":"E\u00e9","timeUtc":"2026-11-27T08:00:00Z","lat\u0044eg":1.5,"lonDeg":2,"altM":3,"altRef":"W84","unknown":{"x":[1,2]}}""";
        Assert.Equal(0, Parser().ReadMessage(Encoding.UTF8.GetBytes(json), batch, 100));
        Assert.Equal(1, batch.Count);
        Assert.Equal("Eé", batch.Items[0].Aircraft.Value);
        Assert.Equal(1.5, batch.Items[0].Position.LatDeg);
        PositionBatch.Return(batch);
    }

    [Fact]
    public void ReadMessage_InvalidPositions_SkippedAndCounted()
    {
        PositionBatch batch = PositionBatch.Rent(IngestSource.WebSocket);
        string json = "[" + Pos("OK1") + "," + Pos("BADLAT", lat: "91") + "," + Pos("BADREF", altRef: "FL") + ",17," + Pos("BADTIME", time: "yesterday") + "," + Pos("OK2") + "]";
        int rejected = Parser().ReadMessage(Encoding.UTF8.GetBytes(json), batch, 100);
        Assert.Equal(4, rejected);
        Assert.Equal(["OK1", "OK2"], [batch.Items[0].Aircraft.Value, batch.Items[1].Aircraft.Value]);
        PositionBatch.Return(batch);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("[")]
    [InlineData("[{\"aircraftId\":\"A\"")]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData("[] []")]
    [InlineData("{} x")]
    [InlineData("[{\"aircraftId\":\"A\",}]")]
    public void ReadMessage_CorruptJson_Throws(string json)
    {
        PositionBatch batch = PositionBatch.Rent(IngestSource.WebSocket);
        Assert.ThrowsAny<JsonException>(() => Parser().ReadMessage(Encoding.UTF8.GetBytes(json), batch, 100));
        PositionBatch.Return(batch);
    }

    [Fact]
    public void ReadMessage_MorePositionsThanTheLimit_Throws()
    {
        PositionBatch batch = PositionBatch.Rent(IngestSource.WebSocket);
        string json = "[" + string.Join(',', Enumerable.Range(0, 4).Select(i => Pos("L" + i.ToString(CultureInfo.InvariantCulture)))) + "]";
        JsonException e = Assert.ThrowsAny<JsonException>(() => Parser().ReadMessage(Encoding.UTF8.GetBytes(json), batch, 3));
        Assert.Contains("more than 3", e.Message, StringComparison.Ordinal);
        PositionBatch.Return(batch);
    }

    [Fact]
    public void ReadMessage_RandomCorruptionOfAValidMessage_ThrowsJsonExceptionOrReadsAtMostTheItems()
    {
        byte[] valid = Encoding.UTF8.GetBytes("[" + Pos("F1") + "," + Pos("F2", extra: ",\"vnMps\":1,\"veMps\":2,\"vuMps\":3,\"headingDeg\":10,\"linkQuality\":0.5,\"source\":\"mavlink\"") + "]");
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte, Gen.Int[0, 3], Gen.Int[1, valid.Length]).Sample(t =>
        {
            var (at, value, mode, cut) = t;
            byte[] bytes = (byte[])valid.Clone();
            switch (mode)
            {
                case 0:
                    bytes[at] = value;
                    break;
                case 1:
                    bytes = bytes[..cut];
                    break;
                case 2:
                    bytes = [.. bytes[..at], .. bytes[(at + 1)..]];
                    break;
                default:
                    bytes = [.. bytes[..at], value, .. bytes[at..]];
                    break;
            }

            PositionBatch batch = PositionBatch.Rent(IngestSource.WebSocket);
            try
            {
                int rejected = Parser().ReadMessage(bytes, batch, 100);
                Assert.True(batch.Count + rejected <= 3, "at most the array's items (a corrupted comma may split none)");
            }
            catch (JsonException)
            {
                // A malformed message: the caller discards the whole batch.
            }
            finally
            {
                PositionBatch.Return(batch);
            }
        }, iter: 3000);
    }

    [Fact]
    public void TryParseIsoFast_ValidTimes_SameInstantAsTheGeneralParser()
    {
        Gen.Select(Gen.Long[new DateTime(1990, 1, 1).Ticks, new DateTime(2090, 1, 1).Ticks], Gen.Int[0, 7], Gen.Int[-14 * 60, 14 * 60], Gen.Bool).Sample(t =>
        {
            var (ticks, decimals, offsetMin, zulu) = t;
            var offset = TimeSpan.FromMinutes(zulu ? 0 : offsetMin);
            var at = new DateTimeOffset(new DateTime(ticks, DateTimeKind.Unspecified), offset);
            string fraction = decimals == 0 ? "" : "." + at.ToString("fffffff", CultureInfo.InvariantCulture)[..decimals];
            string text = at.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + fraction + (zulu ? "Z" : at.ToString("zzz", CultureInfo.InvariantCulture));
            Assert.True(TimeText.TryParse(text, out DateTimeOffset slow), text);
            Assert.True(PositionJson.TryParseIsoFast(Encoding.ASCII.GetBytes(text), out DateTimeOffset fast), text);
            Assert.Equal(slow.UtcTicks, fast.UtcTicks);
            Assert.Equal(TimeSpan.Zero, fast.Offset);
        }, iter: 5000);
    }

    [Theory]
    [InlineData("2026-02-29T00:00:00Z")]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("2026-01-01T24:00:00Z")]
    [InlineData("2026-01-01T00:00:60Z")]
    [InlineData("2026-01-01T00:00:00.12345678Z")]
    [InlineData("2026-01-01T00:00:00.Z")]
    [InlineData("2026-01-01T00:00:00")]
    [InlineData("2026-01-01 00:00:00Z")]
    [InlineData("2026-01-01T00:00:00+15:00")]
    [InlineData("2026-01-01T00:00:00+0800")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    public void TryParseIsoFast_UnusualOrInvalid_LeftToTheGeneralParser(string text)
    {
        Assert.False(PositionJson.TryParseIsoFast(Encoding.ASCII.GetBytes(text), out _));
    }

    [Fact]
    public void TryParseIsoFast_RandomText_AcceptsOnlyWhatTheGeneralParserAcceptsIdentically()
    {
        Gen.String[Gen.Char["0123456789-:.TZ+ "], 18, 32].Sample(text =>
        {
            if (PositionJson.TryParseIsoFast(Encoding.ASCII.GetBytes(text), out DateTimeOffset fast))
            {
                Assert.True(TimeText.TryParse(text, out DateTimeOffset slow), text);
                Assert.Equal(slow.UtcTicks, fast.UtcTicks);
            }
        }, iter: 20_000);
    }

    [Fact]
    public void TryParseDecimalFast_DecimalTexts_SameDoubleAsTheGeneralParser()
    {
        Gen.Select(Gen.Long[-999_999_999_999_999, 999_999_999_999_999], Gen.Int[0, 15]).Sample(t =>
        {
            var (mantissa, scale) = t;
            string digits = Math.Abs(mantissa).ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
            string text = (mantissa < 0 ? "-" : "") + (scale == 0 ? digits : digits[..^scale] + "." + digits[^scale..]);
            if (digits.TrimStart('0').Length > 15)
            {
                return;
            }

            double expected = double.Parse(text, CultureInfo.InvariantCulture);
            Assert.True(PositionJson.TryParseDecimalFast(Encoding.ASCII.GetBytes(text), out double fast), text);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(fast));
        }, iter: 20_000);
    }

    [Theory]
    [InlineData("1e5")]
    [InlineData("1E-3")]
    [InlineData("1234567890123456")]
    [InlineData("0.1234567890123456")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    [InlineData("")]
    public void TryParseDecimalFast_ExponentOrTooManyDigits_LeftToTheGeneralParser(string text)
    {
        Assert.False(PositionJson.TryParseDecimalFast(Encoding.ASCII.GetBytes(text), out _));
    }

    [Fact]
    public void PositionBatch_GrowsBeyondItsInitialCapacity_ReturnedEmpty()
    {
        PositionBatch batch = PositionBatch.Rent(IngestSource.Http);
        var r = new PositionReport(T0, new AircraftIdentity(IdentityKind.Platform, "G"), PositionSourceKind.Network, new GeoPoint(106.7, 26.6), Altitude.Amsl(100), null);
        for (int i = 0; i < PositionBatch.InitialCapacity * 3 + 1; i++)
        {
            batch.Add(r with { Time = T0.AddSeconds(i) });
        }

        Assert.Equal(PositionBatch.InitialCapacity * 3 + 1, batch.Count);
        Assert.Equal(T0.AddSeconds(PositionBatch.InitialCapacity * 3), batch.Items[^1].Time);
        Assert.Equal(IngestSource.Http, batch.Source);
        PositionBatch.Return(batch);
        Assert.Equal(0, batch.Count);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
