using System.Globalization;
using System.Text;

namespace Yunlu.Server.Tests;

/// <summary>Zone bodies for the API.</summary>
public static class Zones
{
    public static string NewId() => "Z" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A valid square polygon zone near Guiyang.</summary>
    public static string Json(string id, double lower = 0, double upper = 120, string reference = "AGL", double lon = 106.70, double lat = 26.57, string name = "Test zone") =>
        string.Create(CultureInfo.InvariantCulture, $$"""
        {
          "identifier": "{{id}}",
          "name": "{{name}}",
          "country": "CHN",
          "restriction": "PROHIBITED",
          "reasons": ["AIR_TRAFFIC", "AIRPORT"],
          "footprint": { "polygon": [[[{{lon}}, {{lat}}], [{{lon + 0.01}}, {{lat}}], [{{lon + 0.01}}, {{lat + 0.01}}], [{{lon}}, {{lat + 0.01}}], [{{lon}}, {{lat}}]]] },
          "lower": { "value": {{lower}}, "reference": "{{reference}}" },
          "upper": { "value": {{upper}}, "reference": "{{reference}}" },
          "message": "No flights"
        }
        """);

    public static string WithPolygon(string id, string ringJson) => $$"""
        {
          "name": "bad", "restriction": "PROHIBITED", "reasons": ["OTHER"],
          "footprint": { "polygon": [{{ringJson}}] },
          "lower": { "value": 0, "reference": "AGL" }, "upper": { "value": 100, "reference": "AGL" }
        }
        """;

    /// <summary>A ring with <paramref name="n"/> vertices on a small circle.</summary>
    public static string Ring(int n)
    {
        var sb = new StringBuilder("[");
        for (var i = 0; i <= n; i++)
        {
            var a = 2 * Math.PI * (i % n) / n;
            sb.Append(CultureInfo.InvariantCulture, $"[{106.7 + (0.01 * Math.Cos(a)):R}, {26.5 + (0.01 * Math.Sin(a)):R}]");
            sb.Append(i < n ? "," : "]");
        }

        return sb.ToString();
    }

    /// <summary>A Yunlu zone GeoJSON file with the given zones (valid unless <paramref name="badSecond"/>).</summary>
    public static string GeoJsonFile(string id1, string id2, bool badSecond)
    {
        var lat2 = badSecond ? "126.55" : "26.55";
        return $$"""
        { "type": "FeatureCollection", "features": [
          { "type": "Feature", "id": "{{id1}}",
            "geometry": { "type": "Polygon", "coordinates": [[[106.6, 26.5], [106.61, 26.5], [106.61, 26.51], [106.6, 26.51], [106.6, 26.5]]] },
            "properties": { "identifier": "{{id1}}", "name": "One", "country": "CHN", "restriction": "PROHIBITED", "reason": ["AIR_TRAFFIC"],
              "lower": 0, "lowerReference": "AGL", "upper": 120, "upperReference": "AGL" } },
          { "type": "Feature", "id": "{{id2}}",
            "geometry": { "type": "Polygon", "coordinates": [[[106.7, {{lat2}}], [106.71, 26.55], [106.71, 26.56], [106.7, 26.56], [106.7, 26.55]]] },
            "properties": { "identifier": "{{id2}}", "name": "Two", "country": "CHN", "restriction": "REQ_AUTHORISATION", "reason": ["SENSITIVE"],
              "lower": 0, "lowerReference": "AGL", "upper": 300, "upperReference": "AMSL" } }
        ] }
        """;
    }
}
