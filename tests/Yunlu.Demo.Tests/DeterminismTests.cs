using System.Security.Cryptography;
using Yunlu.DemoGen;

namespace Yunlu.Demo.Tests;

public sealed class DeterminismTests
{
    [Fact]
    public void Generate_IntoTempFolder_ReproducesCommittedFilesByteForByte()
    {
        var dir = Directory.CreateTempSubdirectory("yunlu-demo-");
        try
        {
            var written = DemoGenerator.Generate(dir.FullName, DemoGenerator.DefaultSeed, TestContext.Current.CancellationToken);

            Assert.Equal(DemoGenerator.FileNames, written.Select(p => Path.GetFileName(p)).ToArray());
            foreach (var name in DemoGenerator.FileNames)
            {
                var committed = DemoPaths.Demo(name);
                Assert.True(File.Exists(committed), $"data/demo/{name} is missing: run dotnet run --project tools/Yunlu.DemoGen -- --out data/demo");
                Assert.True(
                    Hash(committed) == Hash(Path.Combine(dir.FullName, name)),
                    $"data/demo/{name} differs from a fresh generation: regenerate with dotnet run --project tools/Yunlu.DemoGen -- --out data/demo");
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Terrain_SameSeed_SameHeights_OtherSeed_OtherHeights()
    {
        var a = new KarstTerrain(DemoGenerator.DefaultSeed);
        var b = new KarstTerrain(DemoGenerator.DefaultSeed);
        var c = new KarstTerrain(DemoGenerator.DefaultSeed + 1);
        var differ = 0;
        for (var i = 0; i < 200; i++)
        {
            var lon = 106.45 + (i * 0.003);
            var lat = 26.32 + (i * 0.002);
            Assert.Equal(a.HeightM(lon, lat), b.HeightM(lon, lat));
            differ += a.HeightM(lon, lat) != c.HeightM(lon, lat) ? 1 : 0;
        }

        Assert.True(differ > 150, $"only {differ} of 200 heights changed with the seed");
    }

    [Fact]
    public void Pcg32_ReferenceSeed_MatchesPublishedSequence()
    {
        // pcg32-demo (pcg-random.org, pcg-c-basic): pcg32_srandom_r(&rng, 42, 54) then pcg32_random_r.
        var rng = new Pcg32(42, 54);
        uint[] expected = [0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e];
        foreach (var e in expected)
        {
            Assert.Equal(e, rng.NextUInt());
        }
    }

    [Fact]
    public void GradientNoise_StaysInRange_AndIsZeroOnLatticePoints()
    {
        var noise = new GradientNoise(7, 1);
        for (var i = 0; i < 5000; i++)
        {
            var x = (i * 0.137) - 300;
            var y = (i * 0.291) - 700;
            var v = noise.At(x, y);
            Assert.InRange(v, -1.0001, 1.0001);
        }

        Assert.Equal(0.0, noise.At(3, -5));
    }

    private static string Hash(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(s));
    }
}
