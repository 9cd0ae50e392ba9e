using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Yunlu.Airspace.Zones;

namespace Yunlu.Formats.Tests;

/// <summary>Whatever the bytes, readers return a result or throw <see cref="InvalidFileException"/>; nothing else.</summary>
public sealed class FuzzTests
{
    private static readonly string[] Goldens = ["guiyang-ed269.json", "guiyang-ed318.json", "guiyang-zones.geojson", "guiyang-zones.kml", "bad-ed269.json"];

    private static void ReadAnyway(byte[] bytes, string fileName, ZoneFileFormat? format = null)
    {
        try
        {
            using var s = new MemoryStream(bytes);
            ImportResult<Zone> r = ZoneFiles.Read(s, fileName, format, new ImportLimits(MaxVerticesPerFeature: 1000, MaxBytes: 1 << 20));
            Assert.All(r.Errors, e => Assert.False(string.IsNullOrEmpty(e.Rule)));
            if (r.Ok)
            {
                Assert.All(r.Items, z => Assert.False(string.IsNullOrEmpty(z.Identifier)));
            }
        }
        catch (InvalidFileException ex)
        {
            Assert.False(string.IsNullOrEmpty(ex.Rule));
        }
    }

    private static void ReadObstaclesAnyway(byte[] bytes)
    {
        try
        {
            using var s = new MemoryStream(bytes);
            ObstacleFiles.Read(s, "b.geojson");
            s.Position = 0;
            SiteFiles.Read(s, "s.geojson");
        }
        catch (InvalidFileException)
        {
        }
    }

    [Fact]
    public void Read_ByteMutationsOfGoldenFiles_OnlyResultsOrInvalidFile()
    {
        Gen.Select(Gen.Int[0, Goldens.Length - 1], Gen.Int[0, 3], Gen.Int, Gen.Int, Gen.Byte).Sample(t =>
        {
            (int g, int kind, int a, int b, byte value) = t;
            byte[] bytes = File.ReadAllBytes(TestData.PathOf(Goldens[g]));
            int i = (int)((uint)a % bytes.Length), j = (int)((uint)b % bytes.Length);
            (i, j) = (Math.Min(i, j), Math.Max(i, j));
            byte[] mutated = kind switch
            {
                0 => bytes[..i],                                   // truncation
                1 => [.. bytes[..i], .. bytes[j..]],              // deletion of a range
                2 => [.. bytes[..i], value, .. bytes[i..]],       // insertion
                _ => Flip(bytes, i, value),                        // overwrite
            };
            ReadAnyway(mutated, Goldens[g]);
            ReadAnyway(mutated, Goldens[g], ZoneFileFormat.Ed269);
            ReadObstaclesAnyway(mutated);
        }, iter: 1500, threads: 1);
    }

    private static byte[] Flip(byte[] bytes, int i, byte value)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[i] = value;
        return copy;
    }

    [Fact]
    public void Read_JsonTreeMutations_OnlyResultsOrInvalidFile()
    {
        JsonNode[] replacements = [JsonValue.Create("x")!, JsonValue.Create(-1e308)!, JsonValue.Create(true)!, new JsonArray(), new JsonObject(), JsonValue.Create(0)!];
        string[] jsonGoldens = ["guiyang-ed269.json", "guiyang-ed318.json", "guiyang-zones.geojson", "guiyang-buildings.geojson", "guiyang-sites.geojson"];
        Gen.Select(Gen.Int[0, jsonGoldens.Length - 1], Gen.Int[0, 10_000], Gen.Int[0, replacements.Length], Gen.Int[1, 3]).Sample(t =>
        {
            (int g, int pick, int rep, int count) = t;
            JsonNode root = JsonNode.Parse(File.ReadAllText(TestData.PathOf(jsonGoldens[g])))!;
            for (int k = 0; k < count; k++)
            {
                List<JsonNode> nodes = [];
                Collect(root, nodes);
                JsonNode target = nodes[(pick + k * 7919) % nodes.Count];
                JsonNode? parent = target.Parent;
                if (parent is null)
                {
                    continue;
                }

                JsonNode? replacement = rep == replacements.Length ? null : replacements[rep].DeepClone();
                if (parent is JsonObject o)
                {
                    string name = target.GetPropertyName();
                    if (replacement is null)
                    {
                        o.Remove(name);
                    }
                    else
                    {
                        o[name] = replacement;
                    }
                }
                else if (parent is JsonArray arr)
                {
                    int index = target.GetElementIndex();
                    if (replacement is null)
                    {
                        arr.RemoveAt(index);
                    }
                    else
                    {
                        arr[index] = replacement;
                    }
                }
            }

            byte[] bytes = Encoding.UTF8.GetBytes(root.ToJsonString());
            ReadAnyway(bytes, jsonGoldens[g]);
            foreach (ZoneFileFormat f in new[] { ZoneFileFormat.GeoJson, ZoneFileFormat.Ed269, ZoneFileFormat.Ed318 })
            {
                ReadAnyway(bytes, "x.json", f);
            }

            ReadObstaclesAnyway(bytes);
        }, iter: 1500, threads: 1);
    }

    private static void Collect(JsonNode? node, List<JsonNode> into)
    {
        if (node is null)
        {
            return;
        }

        into.Add(node);
        if (node is JsonObject o)
        {
            foreach (KeyValuePair<string, JsonNode?> p in o)
            {
                Collect(p.Value, into);
            }
        }
        else if (node is JsonArray a)
        {
            foreach (JsonNode? n in a)
            {
                Collect(n, into);
            }
        }
    }

    [Fact]
    public void Read_RandomBytes_OnlyResultsOrInvalidFile()
    {
        Gen.Byte.Array[0, 2000].Sample(bytes =>
        {
            ReadAnyway(bytes, "random.json");
            ReadAnyway(bytes, "random.kml");
            ReadAnyway(bytes, "random.kmz");
            ReadAnyway(bytes, "random.bin", ZoneFileFormat.Ed318);
            ReadObstaclesAnyway(bytes);
        }, iter: 1000, threads: 1);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(100_000)]
    public void Read_DeepJsonNesting_JsonMalformed(int depth)
    {
        string json = "{\"features\":" + new string('[', depth) + new string(']', depth) + "}";
        var ex = Assert.Throws<InvalidFileException>(() => TestData.ReadZonesText(json, "deep.json", ZoneFileFormat.Ed269));
        Assert.Equal("json-malformed", ex.Rule);
    }

    [Fact]
    public void Read_DeepKmlNesting_NoCrash()
    {
        const int Depth = 50_000;
        var sb = new StringBuilder("<kml>");
        for (int i = 0; i < Depth; i++)
        {
            sb.Append("<Folder>");
        }

        sb.Append("<Placemark/>");
        for (int i = 0; i < Depth; i++)
        {
            sb.Append("</Folder>");
        }

        sb.Append("</kml>");
        ImportResult<Zone> r = TestData.ReadZonesText(sb.ToString(), "deep.kml");
        Assert.False(r.Ok);
        Assert.Contains(r.Errors, e => e.Rule == "field-missing");
    }

    [Fact]
    public void Read_TypeSwapsInEveryEd269Field_FeatureErrorsOnly()
    {
        string[] fields = ["identifier", "country", "name", "restriction", "reason", "message", "applicability", "zoneAuthority", "geometry"];
        foreach (string field in fields)
        {
            foreach (string value in new[] { "1", "\"s\"", "[]", "{}", "null", "true" })
            {
                JsonNode root = JsonNode.Parse(File.ReadAllText(TestData.PathOf("guiyang-ed269.json")))!;
                root["features"]![1]![field] = JsonNode.Parse(value);
                ReadAnyway(Encoding.UTF8.GetBytes(root.ToJsonString()), "t.json", ZoneFileFormat.Ed269);
            }
        }
    }
}
