using System.Text;
using Yunlu.Formats.Telemetry;
using Yunlu.Geo;
using Yunlu.Supervision;

namespace Yunlu.Formats.Tests;

public sealed class TelemetryCsvTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Write_NegativeZeroValues_WritesPlainZero()
    {
        var report = new PositionReport(T0, new AircraftIdentity(IdentityKind.Platform, "D1"), PositionSourceKind.Network,
            new GeoPoint(-0.0, -0.0), Altitude.Agl(-0.0), new VelocityNed(-0.0, -0.0, 0.0));
        using var writer = new StringWriter();

        TelemetryCsv.Write(writer, [report]);

        string row = writer.ToString().Split('\n')[1];
        Assert.Equal("2025-06-01T08:00:00Z,D1,0,0,0,AGL,0,0,0", row);
    }

    [Fact]
    public void Write_NegativeValues_KeepTheirSign()
    {
        var report = new PositionReport(T0, new AircraftIdentity(IdentityKind.Platform, "D2"), PositionSourceKind.Network,
            new GeoPoint(-70.5, -33.25), Altitude.Amsl(-12.5), new VelocityNed(-1.5, -2, 3));
        using var writer = new StringWriter();

        TelemetryCsv.Write(writer, [report]);

        Assert.Equal("2025-06-01T08:00:00Z,D2,-33.25,-70.5,-12.5,AMSL,-1.5,-2,-3", writer.ToString().Split('\n')[1]);
    }

    [Fact]
    public void WriteThenRead_LevelFlight_RoundTripsWithoutNegativeZero()
    {
        var report = new PositionReport(T0, new AircraftIdentity(IdentityKind.Platform, "D3"), PositionSourceKind.Network,
            new GeoPoint(106.7, 26.6), Altitude.W84(1250), new VelocityNed(3, 4, 0));
        using var writer = new StringWriter();
        TelemetryCsv.Write(writer, [report]);

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(writer.ToString()));
        ImportResult<PositionReport> read = TelemetryCsv.Read(stream);

        Assert.Empty(read.Errors);
        PositionReport back = Assert.Single(read.Items);
        Assert.Equal(0.0, back.Velocity!.Value.DownMps);
        Assert.DoesNotContain(",-0", writer.ToString(), StringComparison.Ordinal);
    }
}
