using System.Globalization;
using System.Text;
using System.Text.Json;
using Yunlu.Geo;

namespace Yunlu.DemoGen;

/// <summary>A weekly period of a demo zone (UTC times of day, "HH:mm:ss").</summary>
internal sealed record DemoSchedule(string[] Days, string StartTime, string EndTime);

/// <summary>When a demo zone applies.</summary>
internal sealed record DemoApplicability(bool Permanent, string? Start, string? End, DemoSchedule[] Schedule)
{
    public static DemoApplicability Always { get; } = new(true, null, null, []);
}

/// <summary>
/// One demo zone, described once and written in ED-269, ED-318 or KML. Either <see cref="Ring"/> (anticlockwise,
/// open) or <see cref="CircleCenter"/> + <see cref="CircleRadius"/> (in <see cref="Uom"/>) is set.
/// </summary>
internal sealed record DemoZone(
    string Id,
    string Name,
    string Restriction,
    string[] Reasons,
    string[] YunluReasons,
    string? OtherReasonInfo,
    string Message,
    IReadOnlyList<GeoPoint>? Ring,
    GeoPoint? CircleCenter,
    double CircleRadius,
    string Uom,
    double Lower,
    string LowerReference,
    double Upper,
    string UpperReference,
    DemoApplicability Applicability);

/// <summary>The demo's zones and their writers (ED-269 JSON, ED-318 GeoJSON, KML).</summary>
internal static class ZoneFiles
{
    private const string Country = "CHN";
    private const string AuthorityName = "贵阳市低空飞行服务中心（示例） Guiyang Low-altitude Flight Service Centre (demo)";
    private const string AuthorityEmail = "demo-airspace@example.org";
    private const string AuthoritySite = "https://example.org/yunlu-demo";

    private static readonly string[] Weekdays = ["MON", "TUE", "WED", "THU", "FRI"];

    /// <summary>The zones written to zones-ed269.json.</summary>
    public static IReadOnlyList<DemoZone> Ed269Zones()
    {
        var airport = Guiyang.Airport;
        return
        [
            new(
                "GY-AP01",
                "龙洞堡机场净空保护区（核心区） Longdongbao Airport protection zone (core)",
                "PROHIBITED",
                ["AIR_TRAFFIC"],
                ["AIR_TRAFFIC", "AIRPORT"],
                "机场净空保护区 aerodrome obstacle-limitation and protection area",
                "禁止无人机飞行。No UAS flight within 3 km of runway 02/20 and its extensions without the airport's clearance.",
                Shapes.Capsule(airport, Guiyang.RunwayDirEast, Guiyang.RunwayDirNorth, (Guiyang.RunwayLengthM / 2) + 2000, 3000),
                null, 0, "M", 0, "AGL", 2000, "AMSL",
                DemoApplicability.Always),
            new(
                "GY-AP02",
                "龙洞堡机场周边管制空域 Longdongbao Airport surroundings",
                "REQ_AUTHORISATION",
                ["AIR_TRAFFIC"],
                ["AIR_TRAFFIC", "AIRPORT"],
                "机场周边 airport surroundings (管制空域)",
                "需经空管部门批准。Flights need an authorisation from the air traffic service; apply one day ahead.",
                null, airport, 8000, "M", 0, "AGL", 1800, "AMSL",
                DemoApplicability.Always),
            new(
                "GY-MI01",
                "军事管理区（虚构示例） Military area (fictional example)",
                "PROHIBITED",
                ["SENSITIVE"],
                ["SENSITIVE", "MILITARY"],
                "军事设施 military installation (fictional, for the demo only)",
                "禁止飞行。No UAS flight. This area is invented for the demo data set.",
                Shapes.Rectangle(new GeoPoint(106.955, 26.695), 1200, 800, Rotation.Deg20),
                null, 0, "FT", 0, "AGL", 6000, "AMSL",
                DemoApplicability.Always),
            new(
                "GY-PW01",
                "220 kV 变电站（示例） 220 kV substation (example)",
                "REQ_AUTHORISATION",
                ["SENSITIVE"],
                ["SENSITIVE", "INFRASTRUCTURE"],
                "重要基础设施 critical infrastructure: power",
                "需经运营单位同意。Authorisation of the grid operator required; keep 300 m clear of the switchyard.",
                null, new GeoPoint(106.560, 26.520), 300, "M", 0, "AGL", 150, "AGL",
                DemoApplicability.Always),
            new(
                "GY-PW02",
                "热电厂（示例） Thermal power plant (example)",
                "REQ_AUTHORISATION",
                ["SENSITIVE"],
                ["SENSITIVE", "INFRASTRUCTURE"],
                "重要基础设施 critical infrastructure: power plant",
                "需经运营单位同意。Authorisation of the plant operator required (stacks up to 210 m).",
                Shapes.Rectangle(new GeoPoint(106.872, 26.468), 420, 260, Rotation.Deg10),
                null, 0, "M", 0, "AGL", 300, "AGL",
                DemoApplicability.Always),
            new(
                "GY-RS01",
                "广播电视发射台（示例） Broadcast transmitting station (example)",
                "REQ_AUTHORISATION",
                ["SENSITIVE"],
                ["SENSITIVE", "RADIO_STATION"],
                "无线电台站 radio station",
                "需经台站管理单位同意。Radio interference risk: authorisation required within 500 m.",
                null, new GeoPoint(106.665, 26.690), 1640, "FT", 0, "AGL", 500, "AGL",
                DemoApplicability.Always),
            new(
                "GY-HE01",
                "甲秀楼文物保护区 Jiaxiu Pavilion heritage site",
                "CONDITIONAL",
                ["POPULATION"],
                ["HERITAGE", "POPULATION"],
                "文物保护单位 protected heritage site",
                "有条件飞行：禁止起降，距楼体不少于 50 m，真高 50 m 以下不得悬停。Conditional: no take-off or landing, keep 50 m from the pavilion, no hovering below 50 m AGL.",
                Shapes.Offsets(Guiyang.JiaxiuPavilion, (-230, -110), (0, -150), (230, -90), (240, 100), (0, 150), (-220, 120)),
                null, 0, "M", 0, "AGL", 100, "AGL",
                DemoApplicability.Always),
            new(
                "GY-TE01",
                "数博会临时管制区 Big Data Expo temporary controlled zone",
                "PROHIBITED",
                ["POPULATION"],
                ["TEMPORARY", "POPULATION"],
                "临时管制空域 temporary controlled airspace for a public event",
                "活动期间禁止无人机飞行（公安、应急除外）。No UAS flight during the event except police and emergency services.",
                null, new GeoPoint(106.6445, 26.6215), 5000, "FT", 0, "AGL", 1000, "AGL",
                new DemoApplicability(false, "2026-05-26T00:00:00Z", "2026-05-29T10:00:00Z", [])),
            new(
                "GY-SC01",
                "学校上课时段限制区 School zone (school hours)",
                "REQ_AUTHORISATION",
                ["POPULATION"],
                ["POPULATION"],
                null,
                "周一至周五 08:00–18:00（北京时间）需经许可。Mon–Fri 08:00–18:00 China time (00:00–10:00 UTC): authorisation required.",
                Shapes.Rectangle(new GeoPoint(106.7205, 26.5885), 130, 100, Rotation.DegMinus8),
                null, 0, "M", 0, "AGL", 60, "AGL",
                new DemoApplicability(false, "2025-09-01T00:00:00Z", "2026-07-15T00:00:00Z", [new DemoSchedule(Weekdays, "00:00:00", "10:00:00")])),
            new(
                "GY-NA01",
                "黔灵山公园野生动物保护区 Qianling Park wildlife area",
                "CONDITIONAL",
                ["NATURE"],
                ["NATURE"],
                null,
                "猕猴栖息地：真高 120 m 以下请沿观光航线飞行。Macaque habitat: below 120 m AGL fly only on the published sightseeing routes.",
                Shapes.Offsets(Guiyang.QianlingPeak, (-900, -800), (300, -950), (1050, -300), (900, 700), (-100, 1000), (-1000, 400)),
                null, 0, "M", 0, "AGL", 120, "AGL",
                DemoApplicability.Always),
        ];
    }

    /// <summary>The zones written to zones-ed318.geojson (ED-318 shape, REQ_AUTHORIZATION spelling).</summary>
    public static IReadOnlyList<DemoZone> Ed318Zones() =>
    [
        new(
            "GY-RL01",
            "贵阳北站铁路枢纽 Guiyang North railway hub",
            "REQ_AUTHORIZATION",
            ["SENSITIVE"],
            ["SENSITIVE", "INFRASTRUCTURE"],
            "重要基础设施 transport hub and electrified railway",
            "需经铁路部门同意。Authorisation of the railway operator required.",
            null, new GeoPoint(106.6830, 26.6210), 600, "M", 0, "AGL", 1400, "AMSL",
            DemoApplicability.Always),
        new(
            "GY-PK01",
            "观山湖公园 Guanshanhu Park",
            "CONDITIONAL",
            ["POPULATION"],
            ["POPULATION"],
            null,
            "周末人流密集：真高 80 m 以下避开人群。Busy at weekends: below 80 m AGL keep clear of crowds.",
            Shapes.Rectangle(new GeoPoint(106.6175, 26.6060), 620, 460, Rotation.None),
            null, 0, "M", 0, "AGL", 80, "AGL",
            new DemoApplicability(false, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", [new DemoSchedule(["SAT", "SUN"], "01:00:00", "12:00:00")])),
    ];

    /// <summary>The zones written to zones.kml (polygons only; the ceiling is the placemark's altitude).</summary>
    public static IReadOnlyList<DemoZone> KmlZones() =>
    [
        new(
            "GY-KM01",
            "花溪湿地公园 Huaxi Wetland Park",
            "CONDITIONAL",
            ["NATURE"],
            ["NATURE"],
            null,
            "鸟类栖息地：真高 100 m 以下有条件飞行。Bird habitat: conditional below 100 m AGL.",
            Shapes.Rectangle(new GeoPoint(106.668, 26.445), 700, 420, Rotation.Deg20),
            null, 0, "M", 0, "AGL", 100, "AGL",
            DemoApplicability.Always),
        new(
            "GY-KM02",
            "贵阳东站高架段（示例） Guiyang East station viaduct (example)",
            "REQ_AUTHORISATION",
            ["SENSITIVE"],
            ["SENSITIVE", "INFRASTRUCTURE"],
            null,
            "电气化铁路：需经许可。Electrified railway: authorisation required.",
            Shapes.Rectangle(new GeoPoint(106.800, 26.616), 900, 120, Rotation.Deg20),
            null, 0, "M", 0, "AGL", 1250, "AMSL",
            DemoApplicability.Always),
    ];

    /// <summary>Writes the ED-269 JSON document.</summary>
    public static void WriteEd269(string path, IReadOnlyList<DemoZone> zones)
    {
        using var file = new FeatureFileWriter(path, w =>
        {
            w.WriteString("title", "Yunlu Guiyang demo UAS geographical zones (SYNTHETIC)");
            w.WriteString("description", "ED-269 UASZoneVersion features for the Yunlu demo. Illustrative only: not an official publication. Generated by tools/Yunlu.DemoGen; CC0-1.0.");
        });
        foreach (var z in zones)
        {
            file.Feature(w =>
            {
                w.WriteStartObject();
                w.WriteString("identifier", z.Id);
                w.WriteString("country", Country);
                w.WriteString("name", z.Name);
                w.WriteString("type", "COMMON");
                w.WriteString("restriction", z.Restriction);
                Strings(w, "reason", z.Reasons);
                if (z.OtherReasonInfo is not null)
                {
                    w.WriteString("otherReasonInfo", z.OtherReasonInfo);
                }

                w.WriteString("regulationExemption", "NO");
                w.WriteString("message", z.Message);
                w.WriteStartArray("applicability");
                Applicability(w, z.Applicability, ed318: false);
                w.WriteEndArray();
                w.WriteStartArray("zoneAuthority");
                Authority(w, z.Restriction);
                w.WriteEndArray();
                w.WriteStartArray("geometry");
                w.WriteStartObject();
                w.WriteString("uomDimensions", z.Uom);
                w.WriteNumber("lowerLimit", z.Lower);
                w.WriteString("lowerVerticalReference", z.LowerReference);
                w.WriteNumber("upperLimit", z.Upper);
                w.WriteString("upperVerticalReference", z.UpperReference);
                w.WriteStartObject("horizontalProjection");
                if (z.Ring is not null)
                {
                    w.WriteString("type", "Polygon");
                    w.WritePropertyName("coordinates");
                    w.WriteStartArray();
                    FeatureFileWriter.Ring(w, z.Ring);
                    w.WriteEndArray();
                }
                else
                {
                    w.WriteString("type", "Circle");
                    w.WritePropertyName("center");
                    FeatureFileWriter.Position(w, z.CircleCenter!.Value);
                    w.WriteNumber("radius", z.CircleRadius);
                }

                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
                ExtendedReasons(w, z);
                w.WriteEndObject();
            });
        }
    }

    /// <summary>Writes the ED-318 GeoJSON FeatureCollection (LayeredGeoJSON geometries).</summary>
    public static void WriteEd318(string path, IReadOnlyList<DemoZone> zones)
    {
        using var file = new FeatureFileWriter(path, w =>
        {
            w.WriteString("type", "FeatureCollection");
            w.WriteString("name", "Yunlu Guiyang demo UAS geographical zones, ED-318 (SYNTHETIC)");
            w.WriteStartObject("metadata");
            w.WriteString("provider", "Yunlu demo data (tools/Yunlu.DemoGen), CC0-1.0");
            w.WriteString("description", "Illustrative only: not an official publication.");
            w.WriteEndObject();
        });
        foreach (var z in zones)
        {
            file.Feature(w =>
            {
                w.WriteStartObject();
                w.WriteString("type", "Feature");
                w.WriteString("id", z.Id);
                w.WriteStartObject("geometry");
                if (z.Ring is not null)
                {
                    w.WriteString("type", "Polygon");
                    w.WritePropertyName("coordinates");
                    w.WriteStartArray();
                    FeatureFileWriter.Ring(w, z.Ring);
                    w.WriteEndArray();
                }
                else
                {
                    w.WriteString("type", "Point");
                    w.WritePropertyName("coordinates");
                    FeatureFileWriter.Position(w, z.CircleCenter!.Value);
                    w.WriteStartObject("extent");
                    w.WriteString("subType", "Circle");
                    w.WriteNumber("radius", z.CircleRadius * (z.Uom == "FT" ? 0.3048 : 1));
                    w.WriteEndObject();
                }

                w.WriteStartObject("layer");
                w.WriteNumber("upper", z.Upper);
                w.WriteString("upperReference", z.UpperReference);
                w.WriteNumber("lower", z.Lower);
                w.WriteString("lowerReference", z.LowerReference);
                w.WriteString("uom", z.Uom == "FT" ? "ft" : "m");
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteStartObject("properties");
                w.WriteString("identifier", z.Id);
                w.WriteString("country", Country);
                LocalText(w, "name", z.Name);
                w.WriteString("type", z.Restriction);
                w.WriteString("variant", "COMMON");
                Strings(w, "reason", z.Reasons);
                if (z.OtherReasonInfo is not null)
                {
                    LocalText(w, "otherReasonInfo", z.OtherReasonInfo);
                }

                LocalText(w, "message", z.Message);
                if (!z.Applicability.Permanent)
                {
                    w.WriteStartArray("limitedApplicability");
                    Applicability(w, z.Applicability, ed318: true);
                    w.WriteEndArray();
                }

                w.WriteStartArray("zoneAuthority");
                Authority(w, z.Restriction);
                w.WriteEndArray();
                ExtendedReasons(w, z);
                w.WriteEndObject();
                w.WriteEndObject();
            });
        }
    }

    /// <summary>Writes a KML 2.2 document: one Placemark per zone, an extruded Polygon whose coordinate altitude is the
    /// ceiling (altitudeMode relativeToGround for AGL ceilings, absolute for AMSL), the zone's attributes as ExtendedData
    /// (the band explicitly only for AMSL ceilings, so both ways of giving heights are exercised).</summary>
    public static void WriteKml(string path, IReadOnlyList<DemoZone> zones)
    {
        var sb = new StringBuilder();
        sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.Append("<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n");
        sb.Append("  <name>Yunlu Guiyang demo zones (SYNTHETIC)</name>\n");
        sb.Append("  <description>Illustrative only: not an official publication. Generated by tools/Yunlu.DemoGen; CC0-1.0.</description>\n");
        foreach (var z in zones)
        {
            if (z.Ring is null || z.Uom != "M")
            {
                throw new InvalidOperationException($"KML demo zone {z.Id} must be a polygon in metres");
            }

            var mode = z.UpperReference == "AGL" ? "relativeToGround" : "absolute";
            sb.Append("  <Placemark id=\"").Append(Xml(z.Id)).Append("\">\n");
            sb.Append("    <name>").Append(Xml(z.Name)).Append("</name>\n");
            sb.Append("    <description>").Append(Xml(z.Message)).Append("</description>\n");
            sb.Append("    <ExtendedData>\n");
            Data(sb, "identifier", z.Id);
            Data(sb, "restriction", z.Restriction);
            Data(sb, "reasons", string.Join(',', z.YunluReasons));
            if (z.UpperReference != "AGL")
            {
                // Explicit band; the other placemark relies on its coordinates' altitudes and altitudeMode alone.
                Data(sb, "lower", Num(z.Lower));
                Data(sb, "lower_reference", z.LowerReference);
                Data(sb, "upper", Num(z.Upper));
                Data(sb, "upper_reference", z.UpperReference);
                Data(sb, "uom", "M");
            }

            Data(sb, "authority_name", AuthorityName);
            Data(sb, "authority_email", AuthorityEmail);
            sb.Append("    </ExtendedData>\n");
            sb.Append("    <Polygon>\n      <extrude>1</extrude>\n      <altitudeMode>").Append(mode).Append("</altitudeMode>\n");
            sb.Append("      <outerBoundaryIs><LinearRing><coordinates>\n        ");
            for (var i = 0; i <= z.Ring.Count; i++)
            {
                var p = z.Ring[i % z.Ring.Count];
                sb.Append(Num(FeatureFileWriter.Coord(p.LonDeg))).Append(',').Append(Num(FeatureFileWriter.Coord(p.LatDeg))).Append(',').Append(Num(z.Upper));
                sb.Append(i == z.Ring.Count ? "\n" : " ");
            }

            sb.Append("      </coordinates></LinearRing></outerBoundaryIs>\n    </Polygon>\n  </Placemark>\n");
        }

        sb.Append("</Document>\n</kml>\n");
        File.WriteAllBytes(path, new UTF8Encoding(false).GetBytes(sb.ToString()));
    }

    private static void Data(StringBuilder sb, string name, string value) =>
        sb.Append("      <Data name=\"").Append(name).Append("\"><value>").Append(Xml(value)).Append("</value></Data>\n");

    private static string Xml(string s) => System.Security.SecurityElement.Escape(s);

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static void Strings(Utf8JsonWriter w, string name, string[] values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static void LocalText(Utf8JsonWriter w, string name, string text)
    {
        w.WriteStartArray(name);
        w.WriteStartObject();
        w.WriteString("text", text);
        w.WriteString("lang", "zh-CN");
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void Applicability(Utf8JsonWriter w, DemoApplicability a, bool ed318)
    {
        w.WriteStartObject();
        if (!ed318)
        {
            w.WriteString("permanent", a.Permanent ? "YES" : "NO");
        }

        if (a.Start is not null)
        {
            w.WriteString("startDateTime", a.Start);
        }

        if (a.End is not null)
        {
            w.WriteString("endDateTime", a.End);
        }

        if (a.Schedule.Length > 0)
        {
            w.WriteStartArray("schedule");
            foreach (var s in a.Schedule)
            {
                w.WriteStartObject();
                Strings(w, "day", s.Days);
                w.WriteString("startTime", s.StartTime);
                w.WriteString("endTime", s.EndTime);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void Authority(Utf8JsonWriter w, string restriction)
    {
        w.WriteStartObject();
        w.WriteString("name", AuthorityName);
        w.WriteString("service", "空域管理 airspace management");
        w.WriteString("email", AuthorityEmail);
        w.WriteString("siteURL", AuthoritySite);
        w.WriteString("purpose", restriction is "REQ_AUTHORISATION" or "REQ_AUTHORIZATION" ? "AUTHORIZATION" : "INFORMATION");
        if (restriction is "REQ_AUTHORISATION" or "REQ_AUTHORIZATION")
        {
            w.WriteString("intervalBefore", "P1D");
        }

        w.WriteEndObject();
    }

    /// <summary>The Chinese controlled-airspace categories (机场, 军事, 重要基础设施…) beyond ED-269's reason list, in the
    /// extension Yunlu.Formats reads: extendedProperties.yunlu.reasons.</summary>
    private static void ExtendedReasons(Utf8JsonWriter w, DemoZone z)
    {
        w.WriteStartObject("extendedProperties");
        w.WriteStartObject("yunlu");
        Strings(w, "reasons", z.YunluReasons);
        w.WriteString("dataset", "SYNTHETIC Guiyang demo");
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
