using System.Globalization;
using System.Text;
using Yunlu.Airspace.Zones;
using Yunlu.Terrain;

namespace Yunlu.Formats.Tests;

public sealed class RuleTests
{
    private const string Square = "[[[106.60, 26.50], [106.61, 26.50], [106.61, 26.51], [106.60, 26.51], [106.60, 26.50]]]";

    private static string Feature(string props = "", string geometry = $$"""{ "type": "Polygon", "coordinates": {{Square}} }""", string identifier = "Z1") => $$"""
        { "type": "Feature", "geometry": {{geometry}},
          "properties": { "identifier": "{{identifier}}", "restriction": "PROHIBITED",
            "lower": { "value": 0, "reference": "AGL" }, "upper": { "value": 120, "reference": "AGL" } {{props}} } }
        """;

    private static string Collection(params string[] features) => $$"""{ "type": "FeatureCollection", "features": [ {{string.Join(",", features)}} ] }""";

    private static ImportResult<Zone> Read(string json, ImportLimits? limits = null) =>
        TestData.ReadZonesText(json, "zones.geojson", ZoneFileFormat.GeoJson, limits);

    [Fact]
    public void Read_MinimalFeature_Ok()
    {
        ImportResult<Zone> r = Read(Collection(Feature()));
        Assert.True(r.Ok, TestData.Describe(r));
        Assert.Equal([ZoneReason.Other], r.Items[0].Reasons);
    }

    [Theory]
    [InlineData("""{ "identifier": "Z1", "restriction": "PROHIBITED", "lower": { "value": 0 }, "upper": { "value": 120, "reference": "AGL" } }""", "altitude-reference-missing", "properties.lower.reference")]
    [InlineData("""{ "identifier": "Z1", "restriction": "PROHIBITED", "lower": { "value": 0, "reference": "QFE" }, "upper": { "value": 120, "reference": "AGL" } }""", "altitude-reference-unknown", "properties.lower.reference")]
    [InlineData("""{ "identifier": "Z1", "restriction": "PROHIBITED", "lower": { "value": 120, "reference": "AGL" }, "upper": { "value": 120, "reference": "AGL" } }""", "altitude-band-inverted", "properties.upper")]
    [InlineData("""{ "identifier": "Z1", "restriction": "PROHIBITED", "lower": { "value": "0", "reference": "AGL" }, "upper": { "value": 120, "reference": "AGL" } }""", "type-mismatch", "properties.lower.value")]
    [InlineData("""{ "identifier": "Z1", "restriction": "PROHIBITED", "lower": { "value": "NaN", "reference": "AGL" }, "upper": { "value": 120, "reference": "AGL" } }""", "not-finite", "properties.lower.value")]
    [InlineData("""{ "identifier": "Z1", "restriction": "PROHIBITED", "lower": { "value": 1e999, "reference": "AGL" }, "upper": { "value": 120, "reference": "AGL" } }""", "not-finite", "properties.lower.value")]
    [InlineData("""{ "identifier": "Z1", "restriction": "BANNED", "lower": { "value": 0, "reference": "AGL" }, "upper": { "value": 120, "reference": "AGL" } }""", "restriction-unknown", "properties.restriction")]
    [InlineData("""{ "identifier": "Z1", "restriction": "PROHIBITED", "reasons": ["ALIENS"], "lower": { "value": 0, "reference": "AGL" }, "upper": { "value": 120, "reference": "AGL" } }""", "reason-unknown", "properties.reasons[0]")]
    [InlineData("""{ "identifier": "Z1", "restriction": "PROHIBITED", "lower": { "value": 0, "reference": "AGL", "uom": "furlong" }, "upper": { "value": 120, "reference": "AGL" } }""", "uom-unknown", "properties.lower.uom")]
    [InlineData("""{ "restriction": "PROHIBITED", "lower": { "value": 0, "reference": "AGL" }, "upper": { "value": 120, "reference": "AGL" } }""", "field-missing", "properties.identifier")]
    [InlineData("""{ "identifier": "Z1", "country": "cn", "restriction": "PROHIBITED", "lower": { "value": 0, "reference": "AGL" }, "upper": { "value": 120, "reference": "AGL" } }""", "country-invalid", "properties.country")]
    [InlineData("""{ "identifier": "Z1", "restriction": "PROHIBITED", "lower": { "value": 0, "reference": "AGL" }, "upper": { "value": 120, "reference": "AGL" }, "applicability": [{ "permanent": false, "startDateTime": "2025-01-02T00:00:00Z", "endDateTime": "2025-01-02T00:00:00Z" }] }""", "schedule-empty", "properties.applicability[0].endDateTime")]
    [InlineData("""{ "identifier": "Z1", "restriction": "PROHIBITED", "lower": { "value": 0, "reference": "AGL" }, "upper": { "value": 120, "reference": "AGL" }, "applicability": [{ "permanent": false, "schedule": [{ "day": [], "startTime": "08:00" }] }] }""", "schedule-empty", "properties.applicability[0].schedule[0].day")]
    [InlineData("""{ "identifier": "Z1", "restriction": "PROHIBITED", "lower": { "value": 0, "reference": "AGL" }, "upper": { "value": 120, "reference": "AGL" }, "applicability": [{ "permanent": false, "startDateTime": "next tuesday" }] }""", "time-format", "properties.applicability[0].startDateTime")]
    [InlineData("""{ "identifier": "Z1", "restriction": "PROHIBITED", "lower": { "value": 0, "reference": "AGL" }, "upper": { "value": 120, "reference": "AGL" }, "applicability": [{ "permanent": "MAYBE" }] }""", "value-unknown", "properties.applicability[0].permanent")]
    public void Read_PropertyProblem_ReportsRuleAndField(string properties, string rule, string field)
    {
        string json = Collection($$"""{ "type": "Feature", "geometry": { "type": "Polygon", "coordinates": {{Square}} }, "properties": {{properties}} }""");
        ImportResult<Zone> r = Read(json);
        Assert.False(r.Ok);
        Assert.Empty(r.Items);
        Assert.Contains(r.Errors, e => e.Rule == rule && e.Field == field && e.FeatureIndex == 0);
    }

    [Theory]
    [InlineData("""{ "type": "Polygon", "coordinates": [[[106.60, 95.0], [106.61, 26.50], [106.61, 26.51], [106.60, 95.0]]] }""", "lat-range")]
    [InlineData("""{ "type": "Polygon", "coordinates": [[[-181, 26.50], [106.61, 26.50], [106.61, 26.51], [-181, 26.50]]] }""", "lon-range")]
    [InlineData("""{ "type": "Polygon", "coordinates": [[[106.60, 26.50], [106.61, 26.51], [106.61, 26.50], [106.60, 26.51], [106.60, 26.50]]] }""", "self-intersection")]
    [InlineData("""{ "type": "Polygon", "coordinates": [[[106.60, 26.50], [106.61, 26.50], [106.60, 26.50]]] }""", "ring-too-short")]
    [InlineData("""{ "type": "Polygon", "coordinates": [[[106.60, 26.50], [106.61, 26.50], [106.61, 26.51], [106.60, 26.51]]] }""", "ring-not-closed")]
    [InlineData("""{ "type": "Polygon", "coordinates": [[[106.60, 26.50], [106.61, 26.50], [106.61, 26.51], [106.60, 26.50]], [[107.0, 27.0], [107.01, 27.0], [107.01, 27.01], [107.0, 27.0]]] }""", "polygon-invalid")]
    [InlineData("""{ "type": "Polygon", "coordinates": [[["106.60", 26.50], [106.61, 26.50], [106.61, 26.51], [106.60, 26.50]]] }""", "type-mismatch")]
    [InlineData("""{ "type": "Polygon", "coordinates": [[[106.60], [106.61, 26.50], [106.61, 26.51], [106.60, 26.50]]] }""", "coordinate-invalid")]
    [InlineData("""{ "type": "LineString", "coordinates": [[106.60, 26.50], [106.61, 26.50]] }""", "geometry-type-unsupported")]
    public void Read_GeometryProblem_ReportsRule(string geometry, string rule)
    {
        ImportResult<Zone> r = Read(Collection(Feature(geometry: geometry)));
        Assert.False(r.Ok);
        Assert.Contains(r.Errors, e => e.Rule == rule);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public void Read_CircleRadiusNotPositive_RadiusNonPositive(string radius)
    {
        ImportResult<Zone> r = Read(Collection(Feature(props: $", \"radius_m\": {radius}", geometry: """{ "type": "Point", "coordinates": [106.8, 26.5] }""")));
        FeatureError e = Assert.Single(r.Errors);
        Assert.Equal("radius-non-positive", e.Rule);
        Assert.Equal("properties.radius_m", e.Field);
    }

    [Fact]
    public void Read_DuplicateIdentifiers_IdentifierDuplicateOnSecond()
    {
        ImportResult<Zone> r = Read(Collection(Feature(), Feature()));
        FeatureError e = Assert.Single(r.Errors);
        Assert.Equal(("identifier-duplicate", 1, "Z1"), (e.Rule, e.FeatureIndex, e.FeatureId));
        Assert.Single(r.Items);
        Assert.False(r.Ok);
    }

    [Fact]
    public void Read_EveryPairSwappedInChina_OneLatLonOrderErrorInsteadOfRangeErrors()
    {
        const string Swapped = "[[[26.50, 106.60], [26.50, 106.61], [26.51, 106.61], [26.51, 106.60], [26.50, 106.60]]]";
        string geometry = $$"""{ "type": "Polygon", "coordinates": {{Swapped}} }""";
        ImportResult<Zone> r = Read(Collection(Feature(geometry: geometry), Feature(geometry: geometry, identifier: "Z2")));
        FeatureError e = Assert.Single(r.Errors);
        Assert.Equal("lat-lon-order", e.Rule);
        Assert.Equal(-1, e.FeatureIndex);
        Assert.StartsWith("file: coordinates:", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SwappedLatLonInWesternChina_StillFlaggedAlthoughInRange()
    {
        // (40, 80) is a valid (lon, lat) in the Arctic, but as (lat, lon) it is Xinjiang: the heuristic flags it.
        string geometry = """{ "type": "Polygon", "coordinates": [[[40.0, 80.0], [40.1, 80.0], [40.1, 80.1], [40.0, 80.0]]] }""";
        ImportResult<Zone> r = Read(Collection(Feature(geometry: geometry)));
        Assert.Equal("lat-lon-order", Assert.Single(r.Errors).Rule);
    }

    [Fact]
    public void Read_MoreFeaturesThanLimit_FeatureLimit()
    {
        string[] features = Enumerable.Range(0, 5).Select(i => Feature(identifier: $"Z{i}")).ToArray();
        ImportResult<Zone> r = Read(Collection(features), new ImportLimits(MaxFeatures: 3));
        FeatureError e = Assert.Single(r.Errors);
        Assert.Equal(("feature-limit", -1), (e.Rule, e.FeatureIndex));
        Assert.Contains("5 features", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ManyBadFeatures_StopsAtMaxErrors()
    {
        string[] features = Enumerable.Range(0, 50).Select(i => Feature(props: ", \"reasons\": [\"X\"]", identifier: $"Z{i}")).ToArray();
        ImportResult<Zone> r = Read(Collection(features), new ImportLimits(MaxErrors: 7));
        Assert.Equal(7, r.Errors.Count);
    }

    [Fact]
    public void Read_MillionVertices_VertexLimitWithoutBuildingGeometry()
    {
        var sb = new StringBuilder("""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"identifier":"BIG","restriction":"PROHIBITED","lower":{"value":0,"reference":"AGL"},"upper":{"value":120,"reference":"AGL"}},"geometry":{"type":"Polygon","coordinates":[[""");
        const int N = 1_000_000;
        for (int i = 0; i < N; i++)
        {
            double a = 2 * Math.PI * i / N;
            sb.Append(CultureInfo.InvariantCulture, $"[{106.6 + 0.01 * Math.Cos(a):F7},{26.5 + 0.01 * Math.Sin(a):F7}],");
        }

        sb.Append("[106.61,26.5]]]}}]}");
        ImportResult<Zone> r = Read(sb.ToString());
        FeatureError e = Assert.Single(r.Errors);
        Assert.Equal("vertex-limit", e.Rule);
        Assert.Contains("1000001 vertices", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InputOverMaxBytes_FileTooLarge()
    {
        var ex = Assert.Throws<InvalidFileException>(() => Read(Collection(Feature()), new ImportLimits(MaxBytes: 100)));
        Assert.Equal("file-too-large", ex.Rule);
    }

    [Theory]
    [InlineData("{ \"features\": [ { \"type\": ", "json-malformed")]
    [InlineData("{ \"type\": \"FeatureCollection\" }", "structure-invalid")]
    [InlineData("42", "structure-invalid")]
    public void Read_BrokenJson_InvalidFileExceptionWithRule(string text, string rule)
    {
        var ex = Assert.Throws<InvalidFileException>(() => Read(text));
        Assert.Equal(rule, ex.Rule);
    }

    [Fact]
    public void Read_MalformedJson_MessageNamesLine()
    {
        var ex = Assert.Throws<InvalidFileException>(() => Read("{\n  \"features\": [\n    { \"type\": , }\n  ]\n}"));
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MalformedKml_MessageNamesLine()
    {
        var ex = Assert.Throws<InvalidFileException>(() => TestData.ReadZonesText("<kml>\n<Document>\n<Placemark></Document></kml>", "a.kml"));
        Assert.Equal("xml-malformed", ex.Rule);
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_KmlWithDoctype_Refused()
    {
        const string Xxe = "<?xml version=\"1.0\"?><!DOCTYPE kml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><kml><Document>&x;</Document></kml>";
        Assert.Equal("xml-malformed", Assert.Throws<InvalidFileException>(() => TestData.ReadZonesText(Xxe, "a.kml")).Rule);
    }

    [Theory]
    [InlineData("<altitudeMode>clampToGround</altitudeMode>", "field-missing")]
    [InlineData("<altitudeMode>relativeToSeaFloor</altitudeMode>", "altitude-reference-unknown")]
    public void Read_KmlPolygonWithoutUsableCeiling_Reports(string mode, string rule)
    {
        string kml = $"""
            <kml xmlns="http://www.opengis.net/kml/2.2"><Placemark id="K1"><ExtendedData><Data name="restriction"><value>PROHIBITED</value></Data></ExtendedData>
            <Polygon>{mode}<outerBoundaryIs><LinearRing><coordinates>106.6,26.5,100 106.61,26.5,100 106.61,26.51,100 106.6,26.5,100</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>
            """;
        ImportResult<Zone> r = TestData.ReadZonesText(kml, "a.kml");
        Assert.Contains(r.Errors, e => e.Rule == rule);
    }

    [Fact]
    public void Read_KmlUpperWithoutReference_AltitudeReferenceMissing()
    {
        string kml = """
            <kml><Placemark id="K1"><ExtendedData><Data name="restriction"><value>PROHIBITED</value></Data><Data name="upper"><value>120</value></Data></ExtendedData>
            <Polygon><outerBoundaryIs><LinearRing><coordinates>106.6,26.5 106.61,26.5 106.61,26.51 106.6,26.5</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>
            """;
        ImportResult<Zone> r = TestData.ReadZonesText(kml, "a.kml");
        FeatureError e = Assert.Single(r.Errors);
        Assert.Equal(("altitude-reference-missing", "ExtendedData.upper_reference"), (e.Rule, e.Field));
    }

    [Fact]
    public void Read_KmzWithoutKml_KmzNoKml()
    {
        using var ms = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(ms, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using Stream e = zip.CreateEntry("readme.txt").Open();
            e.Write("hi"u8);
        }

        ms.Position = 0;
        Assert.Equal("kmz-no-kml", Assert.Throws<InvalidFileException>(() => ZoneFiles.Read(ms, "a.kmz")).Rule);
    }

    [Fact]
    public void Read_KmzBomb_FileTooLargeBeforeInflating()
    {
        using var ms = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(ms, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using Stream e = zip.CreateEntry("doc.kml", System.IO.Compression.CompressionLevel.SmallestSize).Open();
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 20; i++)
            {
                e.Write(zeros);
            }
        }

        Assert.True(ms.Length < 1 << 20);
        ms.Position = 0;
        var ex = Assert.Throws<InvalidFileException>(() => ZoneFiles.Read(ms, "bomb.kmz", limits: new ImportLimits(MaxBytes: 4 << 20)));
        Assert.Equal("file-too-large", ex.Rule);
    }

    [Fact]
    public void Read_NotAZip_ZipMalformed()
    {
        using var ms = new MemoryStream("PK\u0003\u0004 this is not really a zip"u8.ToArray());
        Assert.Equal("zip-malformed", Assert.Throws<InvalidFileException>(() => ZoneFiles.Read(ms, "a.kmz")).Rule);
    }

    [Fact]
    public void Read_UnknownContent_FormatUnknown()
    {
        Assert.Equal("format-unknown", Assert.Throws<InvalidFileException>(() => TestData.ReadZonesText("hello world", "a.txt")).Rule);
    }

    [Theory]
    [InlineData("""{ "building": "yes" }""", "height-missing")]
    [InlineData("""{ "height": -3 }""", "height-non-positive")]
    [InlineData("""{ "height": "tall" }""", "type-mismatch")]
    [InlineData("""{ "building:levels": true }""", "type-mismatch")]
    public void ObstacleRead_BadHeight_Reports(string props, string rule)
    {
        string json = $$"""{ "type": "FeatureCollection", "features": [ { "type": "Feature", "properties": {{props}}, "geometry": { "type": "Polygon", "coordinates": {{Square}} } } ] }""";
        using var s = new MemoryStream(Encoding.UTF8.GetBytes(json));
        ImportResult<Obstacle> r = ObstacleFiles.Read(s, "b.geojson");
        Assert.Equal(rule, Assert.Single(r.Errors).Rule);
    }

    [Fact]
    public void SiteRead_UnknownKindAndPolygon_Reports()
    {
        string json = $$"""{ "type": "FeatureCollection", "features": [ { "type": "Feature", "properties": { "id": "S1", "name": "x", "kind": "spaceport" }, "geometry": { "type": "Polygon", "coordinates": {{Square}} } } ] }""";
        using var s = new MemoryStream(Encoding.UTF8.GetBytes(json));
        ImportResult<Airspace.Sites.Site> r = SiteFiles.Read(s, "s.geojson");
        Assert.Equal(["kind-unknown", "geometry-type-unsupported"], r.Errors.Select(e => e.Rule));
    }

    [Theory]
    [InlineData("zones", "a feature")]
    [InlineData("ed269", "a UASZoneVersion")]
    [InlineData("ed318", "a feature")]
    [InlineData("sites", "a feature")]
    [InlineData("obstacles", "a feature")]
    public void Read_FeatureNotAnObject_TypeMismatchAtItsIndex(string reader, string noun)
    {
        IReadOnlyList<FeatureError> errors = ReadErrors(reader, """{ "features": [ "x", 7 ] }""", ImportLimits.Default);
        Assert.Equal([("type-mismatch", 0, ""), ("type-mismatch", 1, "")], errors.Select(e => (e.Rule, e.FeatureIndex, e.Field)));
        Assert.Equal($"{noun} must be an object, found a string", errors[0].Message);
    }

    [Theory]
    [InlineData("ed269")]
    [InlineData("ed318")]
    [InlineData("sites")]
    [InlineData("obstacles")]
    public void Read_MoreFeaturesThanLimitInAnyJsonReader_FeatureLimitAfterTheLimit(string reader)
    {
        IReadOnlyList<FeatureError> errors = ReadErrors(reader, """[ 1, 2, 3, 4, 5 ]""", new ImportLimits(MaxFeatures: 3));
        Assert.Equal([0, 1, 2, -1], errors.Select(e => e.FeatureIndex));
        Assert.Equal("feature-limit", errors[3].Rule);
        Assert.Contains("5 features", errors[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ObstacleRead_NoIds_IdsFromFeatureIndex()
    {
        string feature = $$"""{ "type": "Feature", "properties": { "height": 10 }, "geometry": { "type": "Polygon", "coordinates": {{Square}} } }""";
        using var s = new MemoryStream(Encoding.UTF8.GetBytes($$"""{ "features": [ {{feature}}, {{feature}} ] }"""));
        ImportResult<Obstacle> r = ObstacleFiles.Read(s, "b.geojson");
        Assert.True(r.Ok, TestData.Describe(r));
        Assert.Equal(["obstacle-0", "obstacle-1"], r.Items.Select(o => o.Id));
    }

    private static IReadOnlyList<FeatureError> ReadErrors(string reader, string json, ImportLimits limits)
    {
        using var s = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return reader switch
        {
            "zones" => ZoneFiles.Read(s, "z.geojson", ZoneFileFormat.GeoJson, limits).Errors,
            "ed269" => ZoneFiles.Read(s, "z.json", ZoneFileFormat.Ed269, limits).Errors,
            "ed318" => ZoneFiles.Read(s, "z.json", ZoneFileFormat.Ed318, limits).Errors,
            "sites" => SiteFiles.Read(s, "s.geojson", limits).Errors,
            _ => ObstacleFiles.Read(s, "b.geojson", limits).Errors,
        };
    }
}
