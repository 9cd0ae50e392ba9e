using System.Text.Json;
using CsCheck;

namespace Yunlu.Geo.Tests;

public sealed class GeodesicTests
{
    public static TheoryData<string, double, double, double, double, double, double, double> Reference()
    {
        var data = new TheoryData<string, double, double, double, double, double, double, double>();
        using JsonDocument doc = TestData.Load("geodesic-reference.json");
        foreach (JsonElement e in doc.RootElement.GetProperty("lines").EnumerateArray())
        {
            data.Add(
                e.GetProperty("note").GetString()!,
                e.GetProperty("lat1").GetDouble(), e.GetProperty("lon1").GetDouble(),
                e.GetProperty("lat2").GetDouble(), e.GetProperty("lon2").GetDouble(),
                e.GetProperty("s12").GetDouble(), e.GetProperty("azi1").GetDouble(), e.GetProperty("azi2").GetDouble());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Reference))]
    public void Inverse_GeographicLibLines_AgreeWithinTolerance(string note, double lat1, double lon1, double lat2, double lon2, double s12, double azi1, double azi2)
    {
        GeodesicInverseResult r = Geodesic.Wgs84.Inverse(new GeoPoint(lon1, lat1), new GeoPoint(lon2, lat2));

        if (!r.Converged)
        {
            // The documented fallback for nearly antipodal points: within 0.2 % (flagged, not exact).
            Assert.True(note.Contains("antipodal", StringComparison.Ordinal) || note.Contains("pole to pole", StringComparison.Ordinal), note);
            Assert.InRange(Math.Abs(r.DistanceM - s12), 0, 2e-3 * s12);
            return;
        }

        Assert.InRange(Math.Abs(r.DistanceM - s12), 0, 1e-3);
        if (s12 > 1 && !note.Contains("antipodal", StringComparison.Ordinal))
        {
            Assert.InRange(AngleDiff(r.InitialAzimuthDeg, azi1), 0, 1e-6);
            Assert.InRange(AngleDiff(r.FinalAzimuthDeg, azi2), 0, 1e-6);
        }
    }

    [Theory]
    [MemberData(nameof(Reference))]
    public void Direct_GeographicLibLines_ReachTheSecondPoint(string note, double lat1, double lon1, double lat2, double lon2, double s12, double azi1, double azi2)
    {
        if (note.Contains("antipodal", StringComparison.Ordinal) || Math.Abs(lat1) > 89)
        {
            return; // azimuth there is ill-conditioned: tiny azimuth errors move the end point far
        }

        GeodesicDirectResult r = Geodesic.Wgs84.Direct(new GeoPoint(lon1, lat1), azi1, s12);

        double miss = Geodesic.Wgs84.Inverse(r.Destination, new GeoPoint(lon2, lat2)).DistanceM;
        Assert.InRange(miss, 0, 1e-3);
        if (s12 > 1)
        {
            Assert.InRange(AngleDiff(r.FinalAzimuthDeg, azi2), 0, 1e-6);
        }
    }

    [Fact]
    public void Inverse_FlindersPeakToBuninyong_MatchesPublishedValues()
    {
        // Geoscience Australia's worked example (GRS80; WGS84 differs by < 0.1 mm here):
        // s = 54 972.271 m, α12 = 306°52′05.37″, α21 = 127°10′25.07″ (reverse azimuth = final + 180°).
        var flinders = new GeoPoint(144 + (25 / 60.0) + (29.52440 / 3600), -(37 + (57 / 60.0) + (3.72030 / 3600)));
        var buninyong = new GeoPoint(143 + (55 / 60.0) + (35.38390 / 3600), -(37 + (39 / 60.0) + (10.15610 / 3600)));

        GeodesicInverseResult r = Geodesic.Wgs84.Inverse(flinders, buninyong);

        Assert.Equal(54_972.271, r.DistanceM, 0.001);
        Assert.Equal(306 + (52 / 60.0) + (5.37 / 3600), r.InitialAzimuthDeg, 0.00001);
        Assert.Equal(127 + (10 / 60.0) + (25.07 / 3600), GeoMath.NormalizeAzimuthDeg(r.FinalAzimuthDeg + 180), 0.00001);
    }

    [Fact]
    public void Inverse_VincentyTestLineA_MatchesPaper()
    {
        // Vincenty (1975) line (a) on the Bessel ellipsoid: φ1 = 55°45′, φ2 = −33°26′, L = 108°13′,
        // s = 14 110 526.170 m, α1 = 96°36′08.79960″, α2 = 137°52′22.01454″.
        var bessel = new Geodesic(new Ellipsoid(6_377_397.155, 1 / 299.1528128));
        GeodesicInverseResult r = bessel.Inverse(new GeoPoint(0, 55.75), new GeoPoint(108 + (13 / 60.0), -(33 + (26 / 60.0))));

        Assert.Equal(14_110_526.170, r.DistanceM, 0.002);
        Assert.Equal(96 + (36 / 60.0) + (8.79960 / 3600), r.InitialAzimuthDeg, 0.000001);
        Assert.Equal(137 + (52 / 60.0) + (22.01454 / 3600), r.FinalAzimuthDeg, 0.000001);
    }

    [Fact]
    public void Inverse_RandomLines_WithinFlatteningOfHaversine()
    {
        Gen.Select(Gen.Double[-180, 180], Gen.Double[-85, 85], Gen.Double[-180, 180], Gen.Double[-85, 85]).Sample((lon1, lat1, lon2, lat2) =>
        {
            var p1 = new GeoPoint(lon1, lat1);
            var p2 = new GeoPoint(lon2, lat2);
            GeodesicInverseResult r = Geodesic.Wgs84.Inverse(p1, p2);
            double h = Geodesic.HaversineM(p1, p2);

            // Sphere vs ellipsoid differ by at most about the flattening (0.34 %); allow 0.6 %.
            Assert.InRange(Math.Abs(r.DistanceM - h), 0, (0.006 * h) + 1e-6);
            GeodesicInverseResult back = Geodesic.Wgs84.Inverse(p2, p1);
            Assert.Equal(r.DistanceM, back.DistanceM, 1e-6);
        }, iter: 5_000);
    }

    [Fact]
    public void DirectInverse_RandomShortLines_RoundTrip()
    {
        Gen.Select(Gen.Double[-180, 180], Gen.Double[-80, 80], Gen.Double[0, 360], Gen.Double[0.01, 200_000]).Sample((lon, lat, az, s) =>
        {
            var start = new GeoPoint(lon, lat);
            GeodesicDirectResult d = Geodesic.Wgs84.Direct(start, az, s);
            GeodesicInverseResult r = Geodesic.Wgs84.Inverse(start, d.Destination);

            Assert.True(r.Converged);
            Assert.Equal(s, r.DistanceM, 1e-4);
            if (s > 1)
            {
                // Vincenty's 1e-12 rad stopping rule leaves micrometres of position, i.e. ~1e-5 m / s of azimuth.
                Assert.InRange(AngleDiff(r.InitialAzimuthDeg, az), 0, (5e-5 / s * 180 / Math.PI) + 1e-9);
            }
        }, iter: 5_000);
    }

    [Fact]
    public void Inverse_CoincidentPoints_ZeroDistance()
    {
        GeodesicInverseResult r = Geodesic.Wgs84.Inverse(new GeoPoint(106.7, 26.5), new GeoPoint(106.7, 26.5));
        Assert.Equal(0, r.DistanceM);
        Assert.True(r.Converged);
    }

    [Fact]
    public void Inverse_InvalidPoint_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Geodesic.Wgs84.Inverse(new GeoPoint(0, 91), new GeoPoint(0, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Geodesic.Wgs84.Direct(new GeoPoint(0, 0), double.NaN, 1));
    }

    private static double AngleDiff(double a, double b)
    {
        double d = Math.Abs(GeoMath.NormalizeLonDeg(a - b));
        return d;
    }
}
