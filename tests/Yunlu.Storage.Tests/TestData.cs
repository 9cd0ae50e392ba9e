using CsCheck;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Sites;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Storage.Serialization;
using Yunlu.Terrain;

namespace Yunlu.Storage.Tests;

/// <summary>Zones, obstacles and sites around Guiyang for the tests, and generators for property tests.</summary>
internal static class TestData
{
    public static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static Polygon Rect(double west, double south, double east, double north) => Factory.CreatePolygon(
    [
        new Coordinate(west, south), new Coordinate(east, south), new Coordinate(east, north),
        new Coordinate(west, north), new Coordinate(west, south),
    ]);

    public static Polygon RectWithHole(double west, double south, double east, double north)
    {
        var dx = (east - west) / 4;
        var dy = (north - south) / 4;
        var shell = Factory.CreateLinearRing(Rect(west, south, east, north).Shell.Coordinates);
        var hole = Factory.CreateLinearRing(Rect(west + dx, south + dy, east - dx, north - dy).Shell.Coordinates.Reverse().ToArray());
        return Factory.CreatePolygon(shell, [hole]);
    }

    public static Zone Zone(string identifier, Footprint? footprint = null, string name = "龙洞堡机场净空区") => new(
        identifier,
        name,
        "CHN",
        ZoneRestriction.ReqAuthorisation,
        [ZoneReason.Airport, ZoneReason.Infrastructure],
        footprint ?? new PolygonFootprint(RectWithHole(106.78, 26.52, 106.83, 26.56)),
        Altitude.Agl(0),
        Altitude.Amsl(1_260.5),
        [
            ZoneApplicability.Always,
            new ZoneApplicability(false, T0, T0.AddDays(30), [new WeeklyPeriod(WeekDays.Mon | WeekDays.Fri, new TimeOnly(8, 0), new TimeOnly(18, 30))]),
        ],
        new ZoneAuthority("贵州省民航管理局", "空管处", "atc@example.cn", "+86 851 0000", "https://example.cn", "AUTHORIZATION"),
        "未经批准禁止无人机飞行 🚁");

    public static Zone Circle(string identifier, double lonDeg, double latDeg, double radiusM) =>
        Zone(identifier, new CircleFootprint(new GeoPoint(lonDeg, latDeg), radiusM), "观山湖公园");

    public static Obstacle Obstacle(string id, double west, double south, double heightM = 80) =>
        new(id, Rect(west, south, west + 0.001, south + 0.0008), heightM, "building", "贵阳国际金融中心 " + id);

    public static Site Site(string id, double lonDeg, double latDeg) =>
        new(id, "花溪起降场 " + id, SiteKind.Vertiport, new GeoPoint(lonDeg, latDeg), "屋顶停机坪");

    public static ImportRecord Record(Guid id, DateTimeOffset at, int count = 1) =>
        new(id, "geojson", "贵阳-zones.geojson", new string('a', 64), count, "导入员", at);

    /// <summary>Zones compare by their stored JSON form (records holding lists compare lists by reference).</summary>
    public static void AssertSameZone(Zone expected, Zone actual) =>
        Assert.Equal(ZoneJson.Serialize(expected), ZoneJson.Serialize(actual));

    public static void AssertSameObstacle(Obstacle expected, Obstacle actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.HeightM, actual.HeightM);
        Assert.True(expected.Footprint.EqualsExact(actual.Footprint), $"footprint of {expected.Id} changed: {actual.Footprint}");
    }

    /// <summary>A footprint near Guiyang: a rectangle (0.0001°–0.2° wide) or a circle (10 m – 20 km).</summary>
    public static readonly Gen<Footprint> GenFootprint = Gen.OneOf(
        Gen.Select(Gen.Double[106.3, 107.3], Gen.Double[26.2, 27.0], Gen.Double[0.0001, 0.2], Gen.Double[0.0001, 0.2])
            .Select(t => (Footprint)new PolygonFootprint(Rect(t.Item1, t.Item2, t.Item1 + t.Item3, t.Item2 + t.Item4))),
        Gen.Select(Gen.Double[106.3, 107.3], Gen.Double[26.2, 27.0], Gen.Double[10, 20_000])
            .Select(t => (Footprint)new CircleFootprint(new GeoPoint(t.Item1, t.Item2), t.Item3)));

    /// <summary>A query box near Guiyang, 0 (a point) to 0.5° wide.</summary>
    public static readonly Gen<BoundingBox> GenBox =
        Gen.Select(Gen.Double[106.2, 107.4], Gen.Double[26.1, 27.1], Gen.Double[0, 0.5], Gen.Double[0, 0.5])
            .Select(t => new BoundingBox(t.Item1, t.Item2, Math.Min(180, t.Item1 + t.Item3), Math.Min(90, t.Item2 + t.Item4)));
}
