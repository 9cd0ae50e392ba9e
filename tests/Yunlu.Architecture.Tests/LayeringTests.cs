using System.Xml.Linq;

namespace Yunlu.Architecture.Tests;

/// <summary>Dependencies point inward only: a project may reference only projects of a lower layer.</summary>
public sealed class LayeringTests
{
    // Lower number = inner layer. Same-layer references are not allowed either (they would hide a cycle risk).
    private static readonly Dictionary<string, int> Layers = new(StringComparer.Ordinal)
    {
        ["Yunlu.Geo"] = 0,
        ["Yunlu.Terrain"] = 1,
        ["Yunlu.Airspace"] = 2,
        ["Yunlu.Routing"] = 3,
        ["Yunlu.Supervision"] = 3,
        ["Yunlu.Formats"] = 4,
        ["Yunlu.Storage"] = 5,
        ["Yunlu.Server"] = 6,
        ["Yunlu.Cli"] = 7,
    };

    public static TheoryData<string> SourceProjects()
    {
        var data = new TheoryData<string>();
        foreach (var name in Layers.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void ProjectReferences_PointInwardOnly(string project)
    {
        foreach (var reference in ReferencesOf(project))
        {
            Assert.True(Layers.ContainsKey(reference), $"{project} references {reference}, which has no layer assigned");
            Assert.True(
                Layers[reference] < Layers[project],
                $"{project} (layer {Layers[project]}) must not reference {reference} (layer {Layers[reference]}): dependencies point inward");
        }
    }

    [Fact]
    public void EverySourceProject_HasALayer()
    {
        var dirs = Directory.GetDirectories(Path.Combine(RepoRoot(), "src")).Select(Path.GetFileName).ToList();
        foreach (var dir in dirs)
        {
            Assert.True(Layers.ContainsKey(dir!), $"src/{dir} has no layer in {nameof(LayeringTests)}");
        }
    }

    [Fact]
    public void Geo_ReferencesNoIoPackages()
    {
        var csproj = XDocument.Load(Path.Combine(RepoRoot(), "src", "Yunlu.Geo", "Yunlu.Geo.csproj"));
        var packages = csproj.Descendants("PackageReference").Select(p => (string?)p.Attribute("Include")).ToList();
        Assert.DoesNotContain(packages, p => p is not null && (p.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) ||
            p.Contains("Npgsql", StringComparison.OrdinalIgnoreCase) || p.Contains("AspNetCore", StringComparison.OrdinalIgnoreCase)));
        Assert.Empty(csproj.Descendants("FrameworkReference"));
    }

    [Fact]
    public void Checker_DetectsAnOuterReference()
    {
        // The rule itself must be able to fail: a synthetic Geo → Server reference is flagged.
        Assert.False(Layers["Yunlu.Server"] < Layers["Yunlu.Geo"]);
    }

    internal static IEnumerable<string> ReferencesOf(string project)
    {
        var path = Path.Combine(RepoRoot(), "src", project, project + ".csproj");
        var doc = XDocument.Load(path);
        return doc.Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension((string)r.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToList();
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Yunlu.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Yunlu.slnx not found above " + AppContext.BaseDirectory);
    }
}
