using CsCheck;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Storage.Serialization;
using static Yunlu.Storage.Tests.TestData;

namespace Yunlu.Storage.Tests;

public sealed class ZoneJsonTests
{
    [Fact]
    public void Serialize_Zone_UsesGeoJsonCoordinatesAndStringEnums()
    {
        var json = ZoneJson.Serialize(Zone("Z1", new PolygonFootprint(Rect(106.7, 26.5, 106.8, 26.6))));
        Assert.Contains("\"footprint\":{\"type\":\"Polygon\",\"coordinates\":[[[106.7,26.5],[106.8,26.5],[106.8,26.6],[106.7,26.6],[106.7,26.5]]]}", json, StringComparison.Ordinal);
        Assert.Contains("\"restriction\":\"ReqAuthorisation\"", json, StringComparison.Ordinal);
        Assert.Contains("\"lower\":{\"valueM\":0,\"reference\":\"Agl\"}", json, StringComparison.Ordinal);
        Assert.Contains("\"days\":\"Mon, Fri\"", json, StringComparison.Ordinal);

        var circle = ZoneJson.Serialize(Circle("C", 106.5, 26.25, 150));
        Assert.Contains("\"footprint\":{\"type\":\"Circle\",\"center\":[106.5,26.25],\"radiusM\":150}", circle, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_SerializedZone_RoundTripsExactly()
    {
        GenFootprint.Select(Gen.Double[-100, 3000], Gen.String).Sample((fp, floor, name) =>
        {
            var zone = Zone("P", fp, name) with { Lower = Altitude.W84(floor), Upper = Altitude.W84(floor + 0.1) };
            var back = ZoneJson.Deserialize(ZoneJson.Serialize(zone));
            Assert.Equal(ZoneJson.Serialize(zone), ZoneJson.Serialize(back));
            Assert.Equal(zone.Lower, back.Lower);
            Assert.Equal(name, back.Name);
            if (fp is PolygonFootprint p)
            {
                Assert.True(p.Polygon.EqualsExact(((PolygonFootprint)back.Footprint).Polygon));
            }
            else
            {
                Assert.Equal(fp, back.Footprint);
            }
        }, iter: 300);
    }

    [Fact]
    public void Deserialize_PolygonWithHole_KeepsHole()
    {
        var zone = Zone("H");
        var back = ZoneJson.Deserialize(ZoneJson.Serialize(zone));
        var polygon = ((PolygonFootprint)back.Footprint).Polygon;
        Assert.Equal(1, polygon.NumInteriorRings);
        Assert.Equal(4326, polygon.SRID);
        Assert.True(((PolygonFootprint)zone.Footprint).Polygon.EqualsExact(polygon));
    }

    [Fact]
    public void Deserialize_UnknownFootprintType_Throws()
    {
        var json = ZoneJson.Serialize(Zone("X")).Replace("\"type\":\"Polygon\"", "\"type\":\"Blob\"", StringComparison.Ordinal);
        Assert.Throws<System.Text.Json.JsonException>(() => ZoneJson.Deserialize(json));
    }
}

public sealed class GeoBoundsTests
{
    private const double WgsA = 6_378_137.0;
    private const double WgsF = 1 / 298.257223563;

    [Fact]
    public void Of_Circle_ContainsEveryPointOfTheGeodesicCircle()
    {
        // Reference: boundary points by Vincenty's direct formula on the WGS84 ellipsoid, independent of GeoBounds.
        Gen.Select(Gen.Double[-179, 179], Gen.Double[-85, 85], Gen.Double[1, 200_000]).Sample((lon, lat, r) =>
        {
            var box = GeoBounds.Of(new CircleFootprint(new GeoPoint(lon, lat), r));
            for (var az = 0; az < 360; az += 5)
            {
                var (plon, plat) = Direct(lon, lat, az, r);
                if (box.WestDeg > -180 || box.EastDeg < 180)
                {
                    Assert.InRange(plon, box.WestDeg, box.EastDeg);
                }

                Assert.InRange(plat, box.SouthDeg, box.NorthDeg);
            }
        }, iter: 300);
    }

    [Fact]
    public void Of_SmallCircleNearGuiyang_IsTight()
    {
        var box = GeoBounds.Of(new CircleFootprint(new GeoPoint(106.7, 26.5), 1_000));
        // 1 km ≈ 0.00904° of latitude and ≈ 0.01006° of longitude at 26.5° N; the box may exceed that by under 1 %.
        Assert.InRange(box.NorthDeg - 26.5, 0.00900, 0.00910);
        Assert.InRange(box.EastDeg - 106.7, 0.01000, 0.01015);
    }

    [Fact]
    public void Of_CircleOverPole_SpansAllLongitudes()
    {
        var box = GeoBounds.Of(new CircleFootprint(new GeoPoint(10, 89.9), 50_000));
        Assert.Equal(-180, box.WestDeg);
        Assert.Equal(180, box.EastDeg);
        Assert.Equal(90, box.NorthDeg);
    }

    [Fact]
    public void Intersects_TouchingBoxes_Intersect()
    {
        Assert.True(GeoBounds.Intersects(new BoundingBox(0, 0, 1, 1), new BoundingBox(1, 1, 2, 2)));
        Assert.False(GeoBounds.Intersects(new BoundingBox(0, 0, 1, 1), new BoundingBox(1.0000001, 0, 2, 1)));
    }

    /// <summary>Vincenty (1975) direct problem: the point <paramref name="distanceM"/> from (lon, lat) along azimuth.</summary>
    private static (double LonDeg, double LatDeg) Direct(double lonDeg, double latDeg, double azimuthDeg, double distanceM)
    {
        var b = WgsA * (1 - WgsF);
        var alpha1 = azimuthDeg * Math.PI / 180;
        var tanU1 = (1 - WgsF) * Math.Tan(latDeg * Math.PI / 180);
        var cosU1 = 1 / Math.Sqrt(1 + (tanU1 * tanU1));
        var sinU1 = tanU1 * cosU1;
        var sigma1 = Math.Atan2(tanU1, Math.Cos(alpha1));
        var sinAlpha = cosU1 * Math.Sin(alpha1);
        var cos2Alpha = 1 - (sinAlpha * sinAlpha);
        var uSq = cos2Alpha * ((WgsA * WgsA) - (b * b)) / (b * b);
        var bigA = 1 + (uSq / 16384 * (4096 + (uSq * (-768 + (uSq * (320 - (175 * uSq)))))));
        var bigB = uSq / 1024 * (256 + (uSq * (-128 + (uSq * (74 - (47 * uSq))))));
        var sigma = distanceM / (b * bigA);
        double cos2SigmaM, sinSigma, cosSigma, sigmaP;
        do
        {
            cos2SigmaM = Math.Cos((2 * sigma1) + sigma);
            sinSigma = Math.Sin(sigma);
            cosSigma = Math.Cos(sigma);
            var deltaSigma = bigB * sinSigma * (cos2SigmaM + (bigB / 4 * ((cosSigma * (-1 + (2 * cos2SigmaM * cos2SigmaM))) -
                (bigB / 6 * cos2SigmaM * (-3 + (4 * sinSigma * sinSigma)) * (-3 + (4 * cos2SigmaM * cos2SigmaM))))));
            sigmaP = sigma;
            sigma = (distanceM / (b * bigA)) + deltaSigma;
        }
        while (Math.Abs(sigma - sigmaP) > 1e-12);

        var tmp = (sinU1 * sinSigma) - (cosU1 * cosSigma * Math.Cos(alpha1));
        var lat2 = Math.Atan2((sinU1 * cosSigma) + (cosU1 * sinSigma * Math.Cos(alpha1)), (1 - WgsF) * Math.Sqrt((sinAlpha * sinAlpha) + (tmp * tmp)));
        var lambda = Math.Atan2(sinSigma * Math.Sin(alpha1), (cosU1 * cosSigma) - (sinU1 * sinSigma * Math.Cos(alpha1)));
        var c = WgsF / 16 * cos2Alpha * (4 + (WgsF * (4 - (3 * cos2Alpha))));
        var l = lambda - ((1 - c) * WgsF * sinAlpha * (sigma + (c * sinSigma * (cos2SigmaM + (c * cosSigma * (-1 + (2 * cos2SigmaM * cos2SigmaM)))))));
        var lon2 = lonDeg + (l * 180 / Math.PI);
        return (lon2, lat2 * 180 / Math.PI);
    }
}

public sealed class YunluStoreFactoryTests
{
    [Theory]
    [InlineData("Host=db;Username=yunlu;Database=yunlu", YunluStoreKind.Postgres)]
    [InlineData("Server=db;Database=yunlu", YunluStoreKind.Postgres)]
    [InlineData("Data Source=/var/lib/yunlu/yunlu.db", YunluStoreKind.Sqlite)]
    [InlineData(".yunlu-data/yunlu.db", YunluStoreKind.Sqlite)]
    [InlineData("/tmp/some folder/", YunluStoreKind.Sqlite)]
    public void Detect_ConnectionStringOrPath_PicksStore(string input, YunluStoreKind expected) =>
        Assert.Equal(expected, YunluStoreFactory.Detect(input));

    [Theory]
    [InlineData("")]
    [InlineData("postgresql://user@host/db")]
    [InlineData("Foo=bar")]
    public void Detect_Unusable_ThrowsNamingArgument(string input) =>
        Assert.Equal("connectionStringOrPath", Assert.Throws<ArgumentException>(() => YunluStoreFactory.Detect(input)).ParamName);

    [Fact]
    public void Create_InMemorySqlite_Refused() =>
        Assert.Throws<ArgumentException>(() => YunluStoreFactory.Create("Data Source=:memory:"));
}
