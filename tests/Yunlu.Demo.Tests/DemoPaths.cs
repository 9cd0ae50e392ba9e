namespace Yunlu.Demo.Tests;

/// <summary>Locates the repository's committed demo data (data/demo) from the test's output folder.</summary>
internal static class DemoPaths
{
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Yunlu.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Yunlu.slnx not found above " + AppContext.BaseDirectory);
    }

    public static string Demo(string fileName) => Path.Combine(RepoRoot(), "data", "demo", fileName);

    public static FileStream Open(string fileName) => File.OpenRead(Demo(fileName));
}
