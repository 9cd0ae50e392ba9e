using CsCheck;
using Yunlu.Airspace.Zones;

namespace Yunlu.Formats.Tests;

public sealed class RoundTripTests
{
    private static IReadOnlyList<Zone> RoundTrip(IReadOnlyList<Zone> zones, ZoneFileFormat format)
    {
        using var buffer = new MemoryStream();
        ZoneFiles.Write(buffer, zones, format);
        buffer.Position = 0;
        ImportResult<Zone> r = ZoneFiles.Read(buffer, "roundtrip", format: null);
        Assert.True(r.Ok, TestData.Describe(r));
        return r.Items;
    }

    private static string WriteText(IReadOnlyList<Zone> zones, ZoneFileFormat format)
    {
        using var buffer = new MemoryStream();
        ZoneFiles.Write(buffer, zones, format);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Theory]
    [InlineData(ZoneFileFormat.GeoJson)]
    [InlineData(ZoneFileFormat.Ed269)]
    [InlineData(ZoneFileFormat.Ed318)]
    [InlineData(ZoneFileFormat.Kml)]
    [InlineData(ZoneFileFormat.Kmz)]
    public void ReadWrite_RandomValidZones_SameZones(ZoneFileFormat format)
    {
        ZoneGen.Zones.Sample(zones =>
        {
            IReadOnlyList<Zone> back = RoundTrip(zones, format);
            Assert.Equal(zones.Length, back.Count);
            for (int i = 0; i < zones.Length; i++)
            {
                ZoneGen.AssertSame(zones[i], back[i]);
            }
        }, iter: 150, threads: 1);
    }

    [Theory]
    [InlineData("guiyang-ed269.json")]
    [InlineData("guiyang-ed318.json")]
    [InlineData("guiyang-zones.geojson")]
    [InlineData("guiyang-zones.kml")]
    public void Write_GoldenZonesToEveryFormat_ReadsBackEqual(string golden)
    {
        ImportResult<Zone> original = TestData.ReadZones(golden);
        Assert.True(original.Ok);
        foreach (ZoneFileFormat format in Enum.GetValues<ZoneFileFormat>())
        {
            IReadOnlyList<Zone> back = RoundTrip(original.Items, format);
            Assert.Equal(original.Items.Count, back.Count);
            for (int i = 0; i < back.Count; i++)
            {
                ZoneGen.AssertSame(original.Items[i], back[i]);
            }
        }
    }

    [Fact]
    public void Write_Ed269_ChineseNamesStayReadable()
    {
        string text = WriteText(TestData.ReadZones("guiyang-ed269.json").Items, ZoneFileFormat.Ed269);
        Assert.Contains("贵阳龙洞堡国际机场净空保护区", text, StringComparison.Ordinal);
        Assert.Contains("\"REQ_AUTHORISATION\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Ed318_UsesAmericanSpellingAndLayers()
    {
        string text = WriteText(TestData.ReadZones("guiyang-ed269.json").Items, ZoneFileFormat.Ed318);
        Assert.Contains("\"REQ_AUTHORIZATION\"", text, StringComparison.Ordinal);
        Assert.Contains("\"upperReference\"", text, StringComparison.Ordinal);
        Assert.Contains("\"subType\": \"Circle\"", text, StringComparison.Ordinal);
    }
}
