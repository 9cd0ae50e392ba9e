using CsCheck;

namespace Yunlu.Geo.Tests;

public sealed class FrameTests
{
    [Fact]
    public void Ecef_KnownPoints_MatchClosedForm()
    {
        Ecef e = EnuFrame.ToEcef(new GeoPoint(0, 0), 0);
        Assert.Equal(6_378_137.0, e.XM, 1e-6);
        Assert.Equal(0, e.YM, 1e-6);
        Assert.Equal(0, e.ZM, 1e-6);

        Ecef n = EnuFrame.ToEcef(new GeoPoint(0, 90), 0);
        Assert.Equal(6_356_752.314245, n.ZM, 1e-5); // WGS84 polar radius b
        Assert.Equal(0, n.XM, 1e-6);
    }

    [Fact]
    public void GeodeticEcef_RandomPoints_RoundTrip()
    {
        Gen.Select(Gen.Double[-180, 180], Gen.Double[-90, 90], Gen.Double[-1_000, 100_000]).Sample((lon, lat, h) =>
        {
            GeodeticPosition g = EnuFrame.ToGeodetic(EnuFrame.ToEcef(new GeoPoint(lon, lat), h));

            Assert.InRange(Math.Abs(g.HeightW84M - h), 0, 1e-6);
            Assert.InRange(Math.Abs(g.Point.LatDeg - lat), 0, 1e-11);
            if (Math.Abs(lat) < 89.999)
            {
                Assert.InRange(Math.Abs(GeoMath.NormalizeLonDeg(g.Point.LonDeg - lon)), 0, 1e-11);
            }
        }, iter: 10_000);
    }

    [Fact]
    public void Enu_RandomPointsAroundOrigin_RoundTripAndAxesPointRight()
    {
        Gen.Select(Gen.Double[-179, 179], Gen.Double[-85, 85], Gen.Double[-20_000, 20_000], Gen.Double[-20_000, 20_000], Gen.Double[-500, 5_000]).Sample((lon, lat, e, n, u) =>
        {
            var frame = new EnuFrame(new GeoPoint(lon, lat), 100);
            GeodeticPosition g = frame.ToGeodetic(new Enu(e, n, u));
            Enu back = frame.ToEnu(g.Point, g.HeightW84M);

            Assert.InRange(Math.Abs(back.EastM - e), 0, 1e-6);
            Assert.InRange(Math.Abs(back.NorthM - n), 0, 1e-6);
            Assert.InRange(Math.Abs(back.UpM - u), 0, 1e-6);
        }, iter: 5_000);

        var f = new EnuFrame(new GeoPoint(106.7, 26.5), 0);
        Enu east = f.ToEnu(new GeoPoint(106.701, 26.5), 0);
        Enu north = f.ToEnu(new GeoPoint(106.7, 26.501), 0);
        Assert.True(east.EastM > 99 && Math.Abs(east.NorthM) < 0.01);
        Assert.True(north.NorthM > 110 && Math.Abs(north.EastM) < 1e-6);
        Assert.Equal(0, f.ToEnu(new GeoPoint(106.7, 26.5), 0).UpM, 1e-6);
        Assert.Equal(50, f.ToEnu(new GeoPoint(106.7, 26.5), 50).UpM, 1e-6);
    }

    [Fact]
    public void LocalTangentPlane_RoundTripAndAgreesWithGeodesicNearOrigin()
    {
        Gen.Select(Gen.Double[-179.9, 179.9], Gen.Double[-80, 80], Gen.Double[-0.02, 0.02], Gen.Double[-0.02, 0.02]).Sample((lon, lat, dLon, dLat) =>
        {
            var plane = new LocalTangentPlane(new GeoPoint(lon, lat));
            var p = new GeoPoint(GeoMath.NormalizeLonDeg(lon + dLon), lat + dLat);
            PlanarPoint q = plane.Forward(p);
            GeoPoint back = plane.Inverse(q);

            Assert.InRange(Math.Abs(GeoMath.NormalizeLonDeg(back.LonDeg - p.LonDeg)), 0, 1e-9);
            Assert.InRange(Math.Abs(back.LatDeg - p.LatDeg), 0, 1e-9);

            // Within ~2 km the planar distance matches the geodesic to the documented relative error (d·tan φ / R).
            double planar = Math.Sqrt((q.EastM * q.EastM) + (q.NorthM * q.NorthM));
            double geodesic = Geodesic.DistanceM(plane.Origin, p);
            double tol = (geodesic * geodesic * Math.Tan(Math.Abs(lat) * Math.PI / 180) / 6_371_000) + (geodesic * 1e-5) + 1e-5;
            Assert.InRange(Math.Abs(planar - geodesic), 0, tol);
        }, iter: 5_000);
    }

    [Fact]
    public void LocalTangentPlane_AcrossAntimeridian_WrapsLongitude()
    {
        var plane = new LocalTangentPlane(new GeoPoint(179.999, 0));
        PlanarPoint q = plane.Forward(new GeoPoint(-179.999, 0));
        Assert.Equal(222.6, q.EastM, 0.1);
        Assert.Equal(-179.999, plane.Inverse(q).LonDeg, 1e-9);
    }
}
