using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Xml;
using NetTopologySuite.Geometries;
using Yunlu.Geo;

namespace Yunlu.Formats.Routes;

/// <summary>The altitude frame of a QGroundControl plan's mission items.</summary>
public enum QgcAltitudeFrame
{
    /// <summary>MAV_FRAME_GLOBAL (0): altitudes above mean sea level.</summary>
    Amsl,

    /// <summary>MAV_FRAME_GLOBAL_RELATIVE_ALT (3): altitudes relative to the take-off (home) point.</summary>
    RelativeToHome,
}

/// <summary>
/// Writes routes as GeoJSON, KML, QGroundControl <c>.plan</c> and DJI WPML KMZ. Coordinates are WGS84 lon/lat; every
/// file states its altitude reference: GeoJSON and KML carry AMSL in the coordinates (KML altitudeMode absolute) and all
/// three references as properties; QGC uses MAV_FRAME_GLOBAL (AMSL) or GLOBAL_RELATIVE_ALT (relative to home), given in
/// each item's <c>frame</c>; WPML uses ellipsoid heights (executeHeightMode WGS84) in waylines.wpml and EGM96 heights in
/// template.kml.
/// </summary>
/// <remarks>Formats: RFC 7946 (GeoJSON), OGC KML 2.2, the QGroundControl plan file format (version 1, mission
/// version 2, MAV_CMD_NAV_TAKEOFF 22, MAV_CMD_NAV_WAYPOINT 16, MAV_CMD_NAV_LAND 21), DJI WPML 1.0.2 (a ZIP archive with
/// wpmz/template.kml and wpmz/waylines.wpml).</remarks>
public static class RouteWriters
{
    /// <summary>The WPML namespace.</summary>
    public const string WpmlNamespace = "http://www.dji.com/wpmz/1.0.2";

    /// <summary>The KML namespace.</summary>
    public const string KmlNamespace = "http://www.opengis.net/kml/2.2";

    /// <summary>MAV_CMD_NAV_WAYPOINT.</summary>
    public const int MavCmdNavWaypoint = 16;

    /// <summary>MAV_CMD_NAV_LAND.</summary>
    public const int MavCmdNavLand = 21;

    /// <summary>MAV_CMD_NAV_TAKEOFF.</summary>
    public const int MavCmdNavTakeoff = 22;

    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true };

    /// <summary>A GeoJSON FeatureCollection: the track as a LineString ([lon, lat, AMSL m]), one Point per route point
    /// with its altitudes and ETA, and the volumes as Polygons with their W84 band and time window.</summary>
    /// <param name="route">The route.</param>
    /// <param name="output">Where to write (UTF-8).</param>
    public static void WriteGeoJson(RouteDocument route, Stream output)
    {
        ArgumentNullException.ThrowIfNull(route);
        route.Validate();
        using var w = new Utf8JsonWriter(output, JsonOptions);
        w.WriteStartObject();
        w.WriteString("type", "FeatureCollection");
        w.WriteStartObject("properties");
        w.WriteString("name", route.Name);
        w.WriteString("altitudeReference", "coordinates: metres AMSL (EGM96); properties give W84 and AGL too");
        w.WriteEndObject();
        w.WriteStartArray("features");

        w.WriteStartObject();
        w.WriteString("type", "Feature");
        w.WriteStartObject("properties");
        w.WriteString("kind", "track");
        w.WriteString("name", route.Name);
        w.WriteNumber("cruiseSpeedMps", route.CruiseSpeedMps);
        w.WriteString("departureUtc", Iso(route.Points[0].Eta));
        w.WriteString("arrivalUtc", Iso(route.Points[^1].Eta));
        w.WriteEndObject();
        w.WriteStartObject("geometry");
        w.WriteString("type", "LineString");
        w.WriteStartArray("coordinates");
        foreach (RouteFilePoint p in route.Points)
        {
            w.WriteStartArray();
            w.WriteNumberValue(Math.Round(p.Point.LonDeg, 8));
            w.WriteNumberValue(Math.Round(p.Point.LatDeg, 8));
            w.WriteNumberValue(Math.Round(p.AltitudeAmslM, 3));
            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();

        for (int i = 0; i < route.Points.Count; i++)
        {
            RouteFilePoint p = route.Points[i];
            w.WriteStartObject();
            w.WriteString("type", "Feature");
            w.WriteStartObject("properties");
            w.WriteString("kind", Kind(p.Kind));
            w.WriteNumber("index", i);
            w.WriteNumber("altW84M", Math.Round(p.AltitudeW84M, 3));
            w.WriteNumber("altAmslM", Math.Round(p.AltitudeAmslM, 3));
            w.WriteNumber("altAglM", Math.Round(p.AltitudeAglM, 3));
            w.WriteString("etaUtc", Iso(p.Eta));
            w.WriteEndObject();
            w.WriteStartObject("geometry");
            w.WriteString("type", "Point");
            w.WriteStartArray("coordinates");
            w.WriteNumberValue(Math.Round(p.Point.LonDeg, 8));
            w.WriteNumberValue(Math.Round(p.Point.LatDeg, 8));
            w.WriteNumberValue(Math.Round(p.AltitudeAmslM, 3));
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        if (route.Volumes is { } volumes)
        {
            for (int i = 0; i < volumes.Count; i++)
            {
                Volume4D v = volumes[i];
                w.WriteStartObject();
                w.WriteString("type", "Feature");
                w.WriteStartObject("properties");
                w.WriteString("kind", "volume");
                w.WriteNumber("index", i);
                w.WriteNumber("lowerW84M", Math.Round(v.Volume.Lower.ValueM, 3));
                w.WriteNumber("upperW84M", Math.Round(v.Volume.Upper.ValueM, 3));
                w.WriteString("startUtc", Iso(v.Time.Start));
                w.WriteString("endUtc", Iso(v.Time.End));
                w.WriteEndObject();
                w.WriteStartObject("geometry");
                w.WriteString("type", "Polygon");
                w.WriteStartArray("coordinates");
                Polygon polygon = v.Volume.Footprint is PolygonFootprint pf ? pf.Polygon : ((CircleFootprint)v.Volume.Footprint).ToPolygon();
                WriteRing(w, polygon.Shell.Coordinates);
                foreach (LinearRing hole in polygon.Holes)
                {
                    WriteRing(w, hole.Coordinates);
                }

                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A KML 2.2 document: the track as a LineString (altitudeMode absolute: AMSL metres) and one Placemark per
    /// route point with its altitudes and ETA in ExtendedData.</summary>
    /// <param name="route">The route.</param>
    /// <param name="output">Where to write (UTF-8).</param>
    public static void WriteKml(RouteDocument route, Stream output)
    {
        ArgumentNullException.ThrowIfNull(route);
        route.Validate();
        using XmlWriter x = XmlWriter.Create(output, XmlSettings());
        x.WriteStartDocument();
        x.WriteStartElement("kml", KmlNamespace);
        x.WriteStartElement("Document", KmlNamespace);
        x.WriteElementString("name", KmlNamespace, route.Name);
        x.WriteElementString("description", KmlNamespace, "Yunlu route; altitudes are metres above mean sea level (EGM96), altitudeMode absolute");
        x.WriteStartElement("Placemark", KmlNamespace);
        x.WriteElementString("name", KmlNamespace, route.Name);
        x.WriteStartElement("LineString", KmlNamespace);
        x.WriteElementString("altitudeMode", KmlNamespace, "absolute");
        var sb = new StringBuilder();
        foreach (RouteFilePoint p in route.Points)
        {
            sb.Append(Coord(p.Point, p.AltitudeAmslM)).Append(' ');
        }

        x.WriteElementString("coordinates", KmlNamespace, sb.ToString().TrimEnd());
        x.WriteEndElement();
        x.WriteEndElement();
        for (int i = 0; i < route.Points.Count; i++)
        {
            RouteFilePoint p = route.Points[i];
            x.WriteStartElement("Placemark", KmlNamespace);
            x.WriteElementString("name", KmlNamespace, string.Create(CultureInfo.InvariantCulture, $"{Kind(p.Kind)} {i}"));
            x.WriteStartElement("ExtendedData", KmlNamespace);
            Data(x, "altW84M", F(p.AltitudeW84M));
            Data(x, "altAmslM", F(p.AltitudeAmslM));
            Data(x, "altAglM", F(p.AltitudeAglM));
            Data(x, "etaUtc", Iso(p.Eta));
            x.WriteEndElement();
            x.WriteStartElement("Point", KmlNamespace);
            x.WriteElementString("altitudeMode", KmlNamespace, "absolute");
            x.WriteElementString("coordinates", KmlNamespace, Coord(p.Point, p.AltitudeAmslM));
            x.WriteEndElement();
            x.WriteEndElement();
        }

        x.WriteEndElement();
        x.WriteEndElement();
        x.WriteEndDocument();
    }

    /// <summary>
    /// A QGroundControl plan: mission items MAV_CMD_NAV_TAKEOFF at the first airborne point, MAV_CMD_NAV_WAYPOINT for the
    /// others, MAV_CMD_NAV_LAND at the landing point; params [5..7] are lat, lon, altitude in <paramref name="frame"/>
    /// (AMSL, or relative to the take-off point). The planned home position is the take-off point (AMSL).
    /// </summary>
    /// <param name="route">The route.</param>
    /// <param name="output">Where to write (UTF-8 JSON).</param>
    /// <param name="frame">The altitude frame.</param>
    public static void WriteQgcPlan(RouteDocument route, Stream output, QgcAltitudeFrame frame = QgcAltitudeFrame.Amsl)
    {
        ArgumentNullException.ThrowIfNull(route);
        route.Validate();
        RouteFilePoint home = route.Points[0];
        int mavFrame = frame == QgcAltitudeFrame.Amsl ? 0 : 3;
        using var w = new Utf8JsonWriter(output, JsonOptions);
        w.WriteStartObject();
        w.WriteString("fileType", "Plan");
        w.WriteNumber("version", 1);
        w.WriteString("groundStation", "Yunlu");
        w.WriteStartObject("mission");
        w.WriteNumber("version", 2);
        w.WriteNumber("firmwareType", 0);
        w.WriteNumber("vehicleType", 2);
        w.WriteNumber("cruiseSpeed", Math.Round(route.CruiseSpeedMps, 2));
        w.WriteNumber("hoverSpeed", 5);
        w.WriteStartArray("plannedHomePosition");
        w.WriteNumberValue(Math.Round(home.Point.LatDeg, 8));
        w.WriteNumberValue(Math.Round(home.Point.LonDeg, 8));
        w.WriteNumberValue(Math.Round(home.AltitudeAmslM, 3));
        w.WriteEndArray();
        w.WriteStartArray("items");
        int id = 1;
        for (int i = 1; i < route.Points.Count; i++)
        {
            RouteFilePoint p = route.Points[i];
            int command = i == 1 ? MavCmdNavTakeoff : p.Kind == RoutePointKind.Landing ? MavCmdNavLand : MavCmdNavWaypoint;
            double alt = frame == QgcAltitudeFrame.Amsl ? p.AltitudeAmslM : p.AltitudeAmslM - home.AltitudeAmslM;
            w.WriteStartObject();
            w.WriteString("type", "SimpleItem");
            w.WriteBoolean("autoContinue", true);
            w.WriteNumber("command", command);
            w.WriteNumber("doJumpId", id++);
            w.WriteNumber("frame", mavFrame);
            w.WriteString("altitudeReference", frame == QgcAltitudeFrame.Amsl ? "AMSL" : "relative to home");
            w.WriteStartArray("params");
            w.WriteNumberValue(0);
            w.WriteNumberValue(0);
            w.WriteNumberValue(0);
            w.WriteNullValue();
            w.WriteNumberValue(Math.Round(p.Point.LatDeg, 8));
            w.WriteNumberValue(Math.Round(p.Point.LonDeg, 8));
            w.WriteNumberValue(Math.Round(alt, 3));
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("geoFence");
        w.WriteStartArray("circles");
        w.WriteEndArray();
        w.WriteStartArray("polygons");
        w.WriteEndArray();
        w.WriteNumber("version", 2);
        w.WriteEndObject();
        w.WriteStartObject("rallyPoints");
        w.WriteStartArray("points");
        w.WriteEndArray();
        w.WriteNumber("version", 2);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>
    /// A DJI WPML KMZ: a ZIP archive with wpmz/template.kml (waypoint template, heights EGM96) and wpmz/waylines.wpml
    /// (one wayline, executeHeightMode WGS84, executeHeight the ellipsoid height). The take-off and landing points are
    /// left out (the aircraft takes off and lands by itself); every airborne point is a waypoint.
    /// </summary>
    /// <param name="route">The route.</param>
    /// <param name="output">Where to write the archive.</param>
    /// <param name="createdUtc">Creation time written to the template.</param>
    public static void WriteWpmlKmz(RouteDocument route, Stream output, DateTimeOffset createdUtc)
    {
        ArgumentNullException.ThrowIfNull(route);
        route.Validate();
        var airborne = new List<RouteFilePoint>(route.Points.Count);
        for (int i = 1; i + 1 < route.Points.Count; i++)
        {
            airborne.Add(route.Points[i]);
        }

        if (airborne.Count < 2)
        {
            throw new ArgumentException("a WPML wayline needs at least two airborne points", nameof(route));
        }

        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        using (Stream s = zip.CreateEntry("wpmz/template.kml", CompressionLevel.Optimal).Open())
        {
            WriteWpml(s, route, airborne, createdUtc, template: true);
        }

        using (Stream s = zip.CreateEntry("wpmz/waylines.wpml", CompressionLevel.Optimal).Open())
        {
            WriteWpml(s, route, airborne, createdUtc, template: false);
        }
    }

    private static void WriteWpml(Stream output, RouteDocument route, List<RouteFilePoint> points, DateTimeOffset createdUtc, bool template)
    {
        using XmlWriter x = XmlWriter.Create(output, XmlSettings());
        x.WriteStartDocument();
        x.WriteStartElement("kml", KmlNamespace);
        x.WriteAttributeString("xmlns", "wpml", null, WpmlNamespace);
        x.WriteStartElement("Document", KmlNamespace);
        if (template)
        {
            W(x, "author", "Yunlu");
            W(x, "createTime", createdUtc.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
            W(x, "updateTime", createdUtc.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        }

        x.WriteStartElement("wpml", "missionConfig", WpmlNamespace);
        W(x, "flyToWaylineMode", "safely");
        W(x, "finishAction", "goHome");
        W(x, "exitOnRCLost", "executeLostAction");
        W(x, "executeRCLostAction", "goBack");
        W(x, "takeOffSecurityHeight", F(Math.Clamp(points[0].AltitudeAglM, 1.2, 1500)));
        W(x, "globalTransitionalSpeed", F(route.CruiseSpeedMps));
        x.WriteEndElement();

        x.WriteStartElement("Folder", KmlNamespace);
        if (template)
        {
            W(x, "templateType", "waypoint");
        }

        W(x, "templateId", "0");
        if (template)
        {
            x.WriteStartElement("wpml", "waylineCoordinateSysParam", WpmlNamespace);
            W(x, "coordinateMode", "WGS84");
            W(x, "heightMode", "EGM96");
            x.WriteEndElement();
        }
        else
        {
            W(x, "executeHeightMode", "WGS84");
            W(x, "waylineId", "0");
        }

        W(x, "autoFlightSpeed", F(route.CruiseSpeedMps));
        for (int i = 0; i < points.Count; i++)
        {
            RouteFilePoint p = points[i];
            x.WriteStartElement("Placemark", KmlNamespace);
            x.WriteStartElement("Point", KmlNamespace);
            x.WriteElementString("coordinates", KmlNamespace, string.Create(CultureInfo.InvariantCulture, $"{p.Point.LonDeg:0.########},{p.Point.LatDeg:0.########}"));
            x.WriteEndElement();
            W(x, "index", i.ToString(CultureInfo.InvariantCulture));
            if (template)
            {
                W(x, "useGlobalHeight", "0");
                W(x, "height", F(p.AltitudeAmslM));
                W(x, "ellipsoidHeight", F(p.AltitudeW84M));
                W(x, "useGlobalSpeed", "1");
            }
            else
            {
                W(x, "executeHeight", F(p.AltitudeW84M));
                W(x, "waypointSpeed", F(route.CruiseSpeedMps));
                x.WriteStartElement("wpml", "waypointHeadingParam", WpmlNamespace);
                W(x, "waypointHeadingMode", "followWayline");
                x.WriteEndElement();
                x.WriteStartElement("wpml", "waypointTurnParam", WpmlNamespace);
                W(x, "waypointTurnMode", "toPointAndStopWithDiscontinuityCurvature");
                W(x, "waypointTurnDampingDist", "0");
                x.WriteEndElement();
            }

            x.WriteEndElement();
        }

        x.WriteEndElement();
        x.WriteEndElement();
        x.WriteEndElement();
        x.WriteEndDocument();
    }

    private static void W(XmlWriter x, string name, string value) => x.WriteElementString("wpml", name, WpmlNamespace, value);

    private static void Data(XmlWriter x, string name, string value)
    {
        x.WriteStartElement("Data", KmlNamespace);
        x.WriteAttributeString("name", name);
        x.WriteElementString("value", KmlNamespace, value);
        x.WriteEndElement();
    }

    private static XmlWriterSettings XmlSettings() => new() { Encoding = new UTF8Encoding(false), Indent = true, CloseOutput = false };

    private static void WriteRing(Utf8JsonWriter w, Coordinate[] ring)
    {
        w.WriteStartArray();
        foreach (Coordinate c in ring)
        {
            w.WriteStartArray();
            w.WriteNumberValue(Math.Round(c.X, 8));
            w.WriteNumberValue(Math.Round(c.Y, 8));
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    private static string Coord(GeoPoint p, double altM) => string.Create(CultureInfo.InvariantCulture, $"{p.LonDeg:0.########},{p.LatDeg:0.########},{altM:0.###}");

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Kind(RoutePointKind k) => k switch
    {
        RoutePointKind.Takeoff => "takeoff",
        RoutePointKind.Landing => "landing",
        _ => "waypoint",
    };
}
