using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using Yunlu.Formats.Routes;
using Yunlu.Geo;

namespace Yunlu.Formats.Tests.Routes;

public sealed class RouteWritersTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);
    private static readonly XNamespace Kml = RouteWriters.KmlNamespace;
    private static readonly XNamespace Wpml = RouteWriters.WpmlNamespace;

    private static RouteDocument Sample(int airborne = 3)
    {
        var points = new List<RouteFilePoint> { new(new GeoPoint(106.70, 26.58), 1130, 1100, 0, T0, RoutePointKind.Takeoff) };
        for (int i = 0; i < airborne; i++)
        {
            points.Add(new RouteFilePoint(new GeoPoint(106.70 + (i * 0.01), 26.58 + (i * 0.005)), 1210 + i, 1180 + i, 80 + i, T0.AddSeconds(20 + (i * 60)), RoutePointKind.Waypoint));
        }

        GeoPoint last = points[^1].Point;
        points.Add(new RouteFilePoint(last, 1135, 1105, 0, T0.AddSeconds(400), RoutePointKind.Landing));
        return new RouteDocument("test route", points, 14.5);
    }

    [Fact]
    public void WriteQgcPlan_Amsl_MissionItemsParseBack()
    {
        RouteDocument route = Sample();
        using var ms = new MemoryStream();
        RouteWriters.WriteQgcPlan(route, ms);
        using JsonDocument doc = JsonDocument.Parse(ms.ToArray());
        JsonElement root = doc.RootElement;
        Assert.Equal("Plan", root.GetProperty("fileType").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        JsonElement mission = root.GetProperty("mission");
        Assert.Equal(26.58, mission.GetProperty("plannedHomePosition")[0].GetDouble(), 8);
        Assert.Equal(106.70, mission.GetProperty("plannedHomePosition")[1].GetDouble(), 8);
        JsonElement[] items = [.. mission.GetProperty("items").EnumerateArray()];
        Assert.Equal(route.Points.Count - 1, items.Length);
        Assert.Equal(RouteWriters.MavCmdNavTakeoff, items[0].GetProperty("command").GetInt32());
        Assert.Equal(RouteWriters.MavCmdNavWaypoint, items[1].GetProperty("command").GetInt32());
        Assert.Equal(RouteWriters.MavCmdNavLand, items[^1].GetProperty("command").GetInt32());
        for (int i = 0; i < items.Length; i++)
        {
            JsonElement it = items[i];
            Assert.Equal("SimpleItem", it.GetProperty("type").GetString());
            Assert.Equal(0, it.GetProperty("frame").GetInt32());
            Assert.Equal(i + 1, it.GetProperty("doJumpId").GetInt32());
            JsonElement p = it.GetProperty("params");
            Assert.Equal(7, p.GetArrayLength());
            Assert.Equal(route.Points[i + 1].Point.LatDeg, p[4].GetDouble(), 8);
            Assert.Equal(route.Points[i + 1].Point.LonDeg, p[5].GetDouble(), 8);
            Assert.Equal(route.Points[i + 1].AltitudeAmslM, p[6].GetDouble(), 3);
        }
    }

    [Fact]
    public void WriteQgcPlan_RelativeFrame_AltitudesAboveHome()
    {
        RouteDocument route = Sample();
        using var ms = new MemoryStream();
        RouteWriters.WriteQgcPlan(route, ms, QgcAltitudeFrame.RelativeToHome);
        using JsonDocument doc = JsonDocument.Parse(ms.ToArray());
        JsonElement first = doc.RootElement.GetProperty("mission").GetProperty("items")[0];
        Assert.Equal(3, first.GetProperty("frame").GetInt32());
        Assert.Equal(route.Points[1].AltitudeAmslM - route.Points[0].AltitudeAmslM, first.GetProperty("params")[6].GetDouble(), 3);
    }

    [Fact]
    public void WriteWpmlKmz_ZipWithTemplateAndWaylines_InWpmlNamespace()
    {
        RouteDocument route = Sample(4);
        using var ms = new MemoryStream();
        RouteWriters.WriteWpmlKmz(route, ms, T0);
        ms.Position = 0;
        using var zip = new ZipArchive(ms, ZipArchiveMode.Read);
        Assert.Equal(["wpmz/template.kml", "wpmz/waylines.wpml"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToArray());
        XDocument waylines = XDocument.Load(zip.GetEntry("wpmz/waylines.wpml")!.Open());
        XDocument template = XDocument.Load(zip.GetEntry("wpmz/template.kml")!.Open());
        Assert.Equal(Kml + "kml", waylines.Root!.Name);
        XElement folder = waylines.Root.Element(Kml + "Document")!.Element(Kml + "Folder")!;
        Assert.Equal("WGS84", folder.Element(Wpml + "executeHeightMode")!.Value);
        XElement[] marks = [.. folder.Elements(Kml + "Placemark")];
        Assert.Equal(4, marks.Length);
        for (int i = 0; i < marks.Length; i++)
        {
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), marks[i].Element(Wpml + "index")!.Value);
            string[] lonLat = marks[i].Element(Kml + "Point")!.Element(Kml + "coordinates")!.Value.Split(',');
            Assert.Equal(route.Points[i + 1].Point.LonDeg, double.Parse(lonLat[0], System.Globalization.CultureInfo.InvariantCulture), 8);
            Assert.Equal(route.Points[i + 1].AltitudeW84M, double.Parse(marks[i].Element(Wpml + "executeHeight")!.Value, System.Globalization.CultureInfo.InvariantCulture), 3);
        }

        XElement tFolder = template.Root!.Element(Kml + "Document")!.Element(Kml + "Folder")!;
        Assert.Equal("waypoint", tFolder.Element(Wpml + "templateType")!.Value);
        Assert.Equal("EGM96", tFolder.Element(Wpml + "waylineCoordinateSysParam")!.Element(Wpml + "heightMode")!.Value);
        Assert.Equal(4, tFolder.Elements(Kml + "Placemark").Count());
        Assert.NotNull(template.Root.Element(Kml + "Document")!.Element(Wpml + "missionConfig"));
    }

    [Fact]
    public void WriteKml_LineStringAbsoluteAmsl_ParsesBack()
    {
        RouteDocument route = Sample();
        using var ms = new MemoryStream();
        RouteWriters.WriteKml(route, ms);
        ms.Position = 0;
        XDocument doc = XDocument.Load(ms);
        XElement line = doc.Descendants(Kml + "LineString").Single();
        Assert.Equal("absolute", line.Element(Kml + "altitudeMode")!.Value);
        string[] coords = line.Element(Kml + "coordinates")!.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(route.Points.Count, coords.Length);
        Assert.Equal(route.Points[2].AltitudeAmslM, double.Parse(coords[2].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture), 3);
        Assert.Equal(route.Points.Count + 1, doc.Descendants(Kml + "Placemark").Count());
    }

    [Fact]
    public void WriteGeoJson_TrackPointsAndVolumes_ParseBack()
    {
        RouteDocument route = Sample();
        var volume = new Volume4D(new Volume3D(new CircleFootprint(new GeoPoint(106.70, 26.58), 50), Altitude.W84(1100), Altitude.W84(1250)), new TimeWindow(T0, T0.AddMinutes(5)));
        using var ms = new MemoryStream();
        RouteWriters.WriteGeoJson(route with { Volumes = [volume] }, ms);
        using JsonDocument doc = JsonDocument.Parse(ms.ToArray());
        JsonElement[] features = [.. doc.RootElement.GetProperty("features").EnumerateArray()];
        Assert.Equal(1 + route.Points.Count + 1, features.Length);
        Assert.Equal("LineString", features[0].GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal(route.Points.Count, features[0].GetProperty("geometry").GetProperty("coordinates").GetArrayLength());
        Assert.Equal(80, features[2].GetProperty("properties").GetProperty("altAglM").GetDouble(), 3);
        Assert.Equal("volume", features[^1].GetProperty("properties").GetProperty("kind").GetString());
        Assert.Equal(1250, features[^1].GetProperty("properties").GetProperty("upperW84M").GetDouble(), 3);
    }

    [Fact]
    public void WriteQgcPlan_OnePoint_ClearError()
    {
        var bad = new RouteDocument("x", [new RouteFilePoint(new GeoPoint(106.7, 26.5), 0, 0, 0, T0, RoutePointKind.Takeoff)], 10);
        ArgumentException ex = Assert.Throws<ArgumentException>(() => RouteWriters.WriteQgcPlan(bad, new MemoryStream()));
        Assert.Contains("at least two", ex.Message, StringComparison.Ordinal);
    }
}
