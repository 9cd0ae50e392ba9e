using NetTopologySuite.Geometries;
using Yunlu.Airspace.Sites;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Terrain;

namespace Yunlu.Formats.Tests;

public sealed class GoldenFileTests
{
    private static Zone Single(ImportResult<Zone> r, string id) => Assert.Single(r.Items, z => z.Identifier == id);

    [Fact]
    public void Read_Ed269Golden_MapsCircleFeetAndSchedule()
    {
        ImportResult<Zone> r = TestData.ReadZones("guiyang-ed269.json");
        Assert.True(r.Ok, TestData.Describe(r));
        Assert.Equal(["ZUGY01", "GYQSH", "GYHUB/1", "GYHUB/2"], r.Items.Select(z => z.Identifier));

        Zone airport = Single(r, "ZUGY01");
        Assert.Equal("贵阳龙洞堡国际机场净空保护区", airport.Name);
        Assert.Equal(ZoneRestriction.Prohibited, airport.Restriction);
        Assert.Equal([ZoneReason.AirTraffic], airport.Reasons);
        var circle = Assert.IsType<CircleFootprint>(airport.Footprint);
        Assert.Equal(new GeoPoint(106.8008, 26.5385), circle.Center);
        Assert.Equal(5000, circle.RadiusM);
        Assert.Equal(Altitude.Agl(0), airport.Lower);
        Assert.Equal(Altitude.Amsl(1500), airport.Upper);
        Assert.True(Assert.Single(airport.Applicability).Permanent);
        Assert.Equal("民航西南地区管理局贵州监管局", airport.Authority!.Name);
        Assert.Equal("https://example.org/zugy", airport.Authority.SiteUrl);

        Zone park = Single(r, "GYQSH");
        Assert.Equal(ZoneRestriction.ReqAuthorisation, park.Restriction);
        Assert.Equal(400 * 0.3048, park.Upper.ValueM, 9);
        Assert.Equal(AltitudeReference.Agl, park.Upper.Reference);
        ZoneApplicability a = Assert.Single(park.Applicability);
        Assert.False(a.Permanent);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), a.Start);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), a.End);
        WeeklyPeriod w = Assert.Single(a.Weekly);
        Assert.Equal(WeekDays.Mon | WeekDays.Tue | WeekDays.Wed | WeekDays.Thu | WeekDays.Fri, w.Days);
        Assert.Equal(new TimeOnly(0, 0), w.StartTime);
        Assert.Equal(new TimeOnly(10, 0), w.EndTime);
        var polygon = Assert.IsType<PolygonFootprint>(park.Footprint).Polygon;
        Assert.Equal(106.6960, polygon.ExteriorRing.Coordinates[0].X);
        Assert.Equal(26.5930, polygon.ExteriorRing.Coordinates[0].Y);

        Zone hub = Single(r, "GYHUB/1");
        Assert.Equal(1, Assert.IsType<PolygonFootprint>(hub.Footprint).Polygon.NumInteriorRings);
        Assert.Equal(Altitude.W84(1300), Single(r, "GYHUB/2").Upper);
    }

    [Fact]
    public void Read_Ed318Golden_MapsExtentLayersAndCollections()
    {
        ImportResult<Zone> r = TestData.ReadZones("guiyang-ed318.json");
        Assert.True(r.Ok, TestData.Describe(r));
        Assert.Equal(["ZUGY01", "GYQSH", "GYTMP/1", "GYTMP/2"], r.Items.Select(z => z.Identifier));
        Zone airport = Single(r, "ZUGY01");
        Assert.Equal("贵阳龙洞堡国际机场净空保护区", airport.Name);
        Assert.Equal(5000, Assert.IsType<CircleFootprint>(airport.Footprint).RadiusM);
        Assert.Equal("民航贵州监管局", airport.Authority!.Name);
        Zone park = Single(r, "GYQSH");
        Assert.Equal(ZoneRestriction.ReqAuthorisation, park.Restriction);
        Assert.Equal(121.92, park.Upper.ValueM, 9);
        Assert.Equal(WeekDays.Sat | WeekDays.Sun, park.Applicability[0].Weekly[0].Days);
        Assert.Equal(new TimeOnly(9, 30), park.Applicability[0].Weekly[0].EndTime);
        Zone upperLayer = Single(r, "GYTMP/2");
        Assert.Equal([ZoneReason.Temporary, ZoneReason.Emergency], upperLayer.Reasons);
        Assert.Equal(Altitude.Agl(150), upperLayer.Lower);
        Assert.Equal(Altitude.W84(1600), upperLayer.Upper);
    }

    [Fact]
    public void Read_YunluGeoJsonGolden_MapsCircleMultiPolygonAndEndOfDay()
    {
        ImportResult<Zone> r = TestData.ReadZones("guiyang-zones.geojson");
        Assert.True(r.Ok, TestData.Describe(r));
        Assert.Equal(["ZUGY01", "GYPWR/1", "GYPWR/2"], r.Items.Select(z => z.Identifier));
        Assert.Equal([ZoneReason.Airport, ZoneReason.AirTraffic], Single(r, "ZUGY01").Reasons);
        Zone power = Single(r, "GYPWR/2");
        Assert.Equal("CHN", power.Country);
        Assert.Equal(328 * 0.3048, power.Upper.ValueM, 9);
        WeeklyPeriod w = power.Applicability[0].Weekly[0];
        Assert.Equal(WeekDays.Any, w.Days);
        Assert.Equal(TimeOnly.MaxValue, w.EndTime);
        Assert.Null(power.Applicability[0].End);
    }

    [Fact]
    public void Read_KmlGolden_MapsFoldersAltitudeModesAndMultiGeometry()
    {
        ImportResult<Zone> r = TestData.ReadZones("guiyang-zones.kml");
        Assert.True(r.Ok, TestData.Describe(r));
        Assert.Equal(["ZUGY02", "GYNMH/1", "GYNMH/2"], r.Items.Select(z => z.Identifier));
        Zone runway = Single(r, "ZUGY02");
        Assert.Equal(Altitude.Agl(0), runway.Lower);
        Assert.Equal(Altitude.Agl(120), runway.Upper);
        Assert.Equal("跑道端保护区", runway.Message);
        Zone river = Single(r, "GYNMH/1");
        Assert.Equal(Altitude.Agl(30), river.Lower);
        Assert.Equal(Altitude.Amsl(1310), river.Upper);
        Assert.Equal([ZoneReason.Population, ZoneReason.Privacy], river.Reasons);
        Assert.Equal(new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero), river.Applicability[0].End);
    }

    [Fact]
    public void Read_KmzOfGoldenKml_SameZones()
    {
        byte[] kml = File.ReadAllBytes(TestData.PathOf("guiyang-zones.kml"));
        using var zipped = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(zipped, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using Stream e = zip.CreateEntry("doc.kml").Open();
            e.Write(kml);
        }

        zipped.Position = 0;
        ImportResult<Zone> r = ZoneFiles.Read(zipped, "zones.kmz");
        Assert.True(r.Ok, TestData.Describe(r));
        Assert.Equal(3, r.Items.Count);
    }

    [Fact]
    public void Read_BadEd269_ReportsEveryExpectedError()
    {
        ImportResult<Zone> r = TestData.ReadZones("bad-ed269.json");
        string[] expected = File.ReadAllLines(TestData.PathOf("bad-ed269.expected.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToArray();
        string[] actual = r.Errors.Select(e => $"{e.FeatureIndex} {e.Rule} {e.Field}").ToArray();
        Assert.False(r.Ok);
        Assert.Equal(expected, actual);
        Assert.Empty(r.Items);
    }

    [Fact]
    public void Read_BuildingsGolden_HeightsLevelsKindsAndIds()
    {
        using FileStream s = File.OpenRead(TestData.PathOf("guiyang-buildings.geojson"));
        ImportResult<Obstacle> r = ObstacleFiles.Read(s, "guiyang-buildings.geojson");
        Assert.True(r.Ok, TestData.Describe(r));
        Assert.Equal(["way/101", "way/102", "obstacle-2/1", "obstacle-2/2"], r.Items.Select(o => o.Id));
        Assert.Equal(45.5, r.Items[0].HeightM);
        Assert.Equal("贵阳国际金融中心 T1", r.Items[0].Name);
        Assert.Equal("building", r.Items[0].Kind);
        Assert.Equal(18 * ObstacleFiles.MetresPerLevel, r.Items[1].HeightM);
        Assert.Equal(62, r.Items[2].HeightM);
        Assert.Equal("tower", r.Items[2].Kind);
        Assert.True(r.Items[0].Footprint.IsValid);
    }

    [Fact]
    public void Read_SitesGolden_KindsAndIds()
    {
        using FileStream s = File.OpenRead(TestData.PathOf("guiyang-sites.geojson"));
        ImportResult<Site> r = SiteFiles.Read(s, "guiyang-sites.geojson");
        Assert.True(r.Ok, TestData.Describe(r));
        Assert.Equal(["VP-GSH-01", "HUB-SW", "ZUGY"], r.Items.Select(x => x.Id));
        Assert.Equal([SiteKind.Vertiport, SiteKind.LogisticsHub, SiteKind.Airport], r.Items.Select(x => x.Kind));
        Assert.Equal("屋顶起降平台", r.Items[0].Description);
        Assert.Equal(new GeoPoint(106.63, 26.646), r.Items[0].Position);
    }

    [Theory]
    [InlineData("guiyang-ed269.json", ZoneFileFormat.Ed269)]
    [InlineData("guiyang-ed318.json", ZoneFileFormat.Ed318)]
    [InlineData("guiyang-zones.geojson", ZoneFileFormat.GeoJson)]
    [InlineData("guiyang-zones.kml", ZoneFileFormat.Kml)]
    public void Detect_GoldenFiles_RecognisesFormat(string name, ZoneFileFormat expected)
    {
        byte[] bytes = File.ReadAllBytes(TestData.PathOf(name));
        Assert.Equal(expected, ZoneFiles.Detect(bytes, "upload.dat" + (expected == ZoneFileFormat.Kml ? "" : "")));
    }

    [Fact]
    public void Detect_ZipMagic_IsKmz()
    {
        Assert.Equal(ZoneFileFormat.Kmz, ZoneFiles.Detect("PK\u0003\u0004rest"u8, "x.bin"));
        Assert.Null(ZoneFiles.Detect("hello"u8, "x.txt"));
    }
}
