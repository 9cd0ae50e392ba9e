using System.Text.Json;
using Yunlu.Geo.Grid;

namespace Yunlu.Geo.Tests;

public sealed class BeiDouGridVectorTests
{
    private static readonly int[] HeightPositions = [1, 5, 6, 9, 11, 14, 17, 19, 22, 25, 28, 31];

    public static TheoryData<string, string, int, string> Encode2DVectors()
    {
        var data = new TheoryData<string, string, int, string>();
        using JsonDocument doc = TestData.Load("beidou-grid-vectors.json");
        foreach (JsonElement e in doc.RootElement.GetProperty("encode2D").EnumerateArray())
        {
            data.Add(e.GetProperty("lon").GetString()!, e.GetProperty("lat").GetString()!, e.GetProperty("level").GetInt32(), e.GetProperty("code").GetString()!);
        }

        return data;
    }

    public static TheoryData<double, long, string> HeightVectors()
    {
        var data = new TheoryData<double, long, string>();
        using JsonDocument doc = TestData.Load("beidou-grid-vectors.json");
        foreach (JsonElement e in doc.RootElement.GetProperty("heights").EnumerateArray())
        {
            data.Add(e.GetProperty("heightM").GetDouble(), e.GetProperty("n").GetInt64(), e.GetProperty("code").GetString()!);
        }

        return data;
    }

    public static TheoryData<string, string> Pairs()
    {
        var data = new TheoryData<string, string>();
        using JsonDocument doc = TestData.Load("beidou-grid-vectors.json");
        foreach (JsonElement e in doc.RootElement.GetProperty("pairs2D3D").EnumerateArray())
        {
            data.Add(e.GetProperty("code2D").GetString()!, e.GetProperty("code3D").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Encode2DVectors))]
    public void Encode_StandardVector_GivesStandardCode(string lon, string lat, int level, string expected)
    {
        var p = new GeoPoint(TestData.Dms(lon), TestData.Dms(lat));

        Assert.Equal(expected, BeiDouGrid.Encode(p, level));
        Span<char> buf = stackalloc char[20];
        Assert.True(BeiDouGrid.TryEncode(p, level, buf, out int n));
        Assert.Equal(expected, buf[..n].ToString());
    }

    [Theory]
    [MemberData(nameof(Encode2DVectors))]
    public void Decode_StandardVector_ContainsThePoint(string lon, string lat, int level, string code)
    {
        var p = new GeoPoint(TestData.Dms(lon), TestData.Dms(lat));

        BeiDouGridCell cell = BeiDouGrid.Decode(code);

        Assert.Equal(level, cell.Level);
        Assert.False(cell.HasHeight);
        Assert.True(cell.Contains(p));
        Assert.InRange(p.LonDeg, cell.WestLonDeg, cell.EastLonDeg);
        Assert.InRange(p.LatDeg, cell.SouthLatDeg, cell.NorthLatDeg);
        Assert.Equal(code, cell.Code);
    }

    [Theory]
    [MemberData(nameof(HeightVectors))]
    public void HeightLayer_StandardVector_GivesLayerAndCode(double heightM, long n, string expected)
    {
        Assert.Equal(n, BeiDouGrid.HeightLayer(heightM));

        string code3D = BeiDouGrid.Encode3D(new GeoPoint(106.7, 26.5), heightM);
        Assert.Equal(32, code3D.Length);
        string heightChars = string.Concat(HeightPositions.Select(i => code3D[i]));
        Assert.Equal(expected, heightChars);
        BeiDouGridCell cell = BeiDouGrid.Decode(code3D);
        Assert.InRange(heightM, cell.LowerHeightW84M, cell.UpperHeightW84M);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Decode_3DAnd2DPair_SameFootprint(string code2D, string code3D)
    {
        BeiDouGridCell c3 = BeiDouGrid.Decode(code3D);
        BeiDouGridCell c2 = BeiDouGrid.Decode(code2D);

        Assert.True(c3.HasHeight);
        Assert.Equal(c2, c3.As2D());
        Assert.Equal(code3D, c3.Code);
        Assert.Equal(code2D, c2.Code);

        // The appended (20 + 12) form decodes to the same cell but is never emitted.
        string appended = code2D + string.Concat(HeightPositions.Select(i => code3D[i]));
        BeiDouGridCell fromAppended = BeiDouGrid.Decode(appended);
        Assert.Equal(c3, fromAppended);
        Assert.Equal(code3D, fromAppended.Code);
    }

    [Fact]
    public void Encode3D_PrefixLengths_FollowTheStandard()
    {
        var p = new GeoPoint(TestData.Dms("116 18 45.37 E"), TestData.Dms("39 59 35.38 N"));
        int[] expected = [7, 10, 12, 15, 18, 20, 23, 26, 29, 32];
        string full = BeiDouGrid.Encode3D(p, 1900, 10);

        for (int level = 1; level <= 10; level++)
        {
            string code = BeiDouGrid.Encode3D(p, 1900, level);
            Assert.Equal(expected[level - 1], code.Length);
            Assert.StartsWith(code, full, StringComparison.Ordinal);
            Assert.Equal(level, BeiDouGrid.Decode(code).Level);
        }
    }
}
