using Microsoft.Extensions.Logging;
using Yunlu.Server.Imports;

namespace Yunlu.Server.Hosting;

/// <summary>Loads demo data into an empty store on first start.</summary>
public interface IDemoSeeder
{
    /// <summary>Imports the demo data. Called once, when the store has no import record yet.</summary>
    Task SeedAsync(CancellationToken cancellationToken);
}

/// <summary>Imports every recognised file of the demo folder (default: the repository's <c>data/demo</c>, or
/// <c>demo</c> beside the binaries) through <see cref="ImportService"/> — the same path as the API. The kind comes from
/// the file name and extension (<see cref="KindOf"/>); files with errors are logged and skipped.</summary>
public sealed class FolderDemoSeeder(YunluServerOptions options, ImportService imports, ILogger<FolderDemoSeeder> logger) : IDemoSeeder
{
    /// <summary>The actor recorded on demo imports.</summary>
    public const string Actor = "demo-seeder";

    /// <summary>The demo folder in use, or null when there is none.</summary>
    public string? Folder => ResolveFolder(options);

    /// <inheritdoc />
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (Folder is not { } folder)
        {
            return;
        }

        // Rasters first (terrain under everything), then zones, buildings, sites; by name within a kind.
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => (File: f, Kind: KindOf(Path.GetRelativePath(folder, f))))
            .OrderBy(x => x.Kind is null ? int.MaxValue : OrderOf(x.Kind.Value))
            .ThenBy(x => x.File, StringComparer.Ordinal)
            .ToList();
        foreach (var (file, kind) in files)
        {
            var name = Path.GetFileName(file);
            if (kind is null)
            {
                Log.DemoSkipped(logger, name);
                continue;
            }

            var content = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            var outcome = await imports.ImportAsync(kind.Value, name, content, Actor, dryRun: false, cancellationToken).ConfigureAwait(false);
            if (outcome.Errors.Count > 0)
            {
                Log.DemoRejected(logger, name, outcome.Errors[0].ToString());
            }
            else
            {
                Log.DemoImported(logger, outcome.Kind, name, outcome.FeatureCount);
            }
        }
    }

    /// <summary>The kind a demo file is imported as, from its path: <c>.tif/.tiff</c> → dem (orthophoto when the name
    /// says <c>ortho</c>), <c>.hgt</c> → dem; JSON/GeoJSON/KML/KMZ named <c>*building*</c>/<c>*obstacle*</c> → buildings,
    /// <c>*site*</c>/<c>*vertiport*</c> → sites, <c>*zone*</c> or any KML/KMZ → zones; anything else → null.</summary>
    public static ImportKind? KindOf(string relativePath)
    {
        var lower = relativePath.Replace('\\', '/').ToLowerInvariant();
        var name = Path.GetFileName(lower);
        var ext = Path.GetExtension(name);
        if (ext is ".tif" or ".tiff")
        {
            return lower.Contains("ortho", StringComparison.Ordinal) ? ImportKind.Orthophoto : ImportKind.Dem;
        }

        if (ext == ".hgt")
        {
            return ImportKind.Dem;
        }

        if (ext is not (".json" or ".geojson" or ".kml" or ".kmz"))
        {
            return null;
        }

        if (lower.Contains("building", StringComparison.Ordinal) || lower.Contains("obstacle", StringComparison.Ordinal))
        {
            return ImportKind.Buildings;
        }

        if (lower.Contains("site", StringComparison.Ordinal) || lower.Contains("vertiport", StringComparison.Ordinal))
        {
            return ImportKind.Sites;
        }

        if (lower.Contains("zone", StringComparison.Ordinal) || ext is ".kml" or ".kmz")
        {
            return ImportKind.Zones;
        }

        return null;
    }

    /// <summary>The demo folder for <paramref name="options"/>, or null when none exists.</summary>
    public static string? ResolveFolder(YunluServerOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.DemoFolder))
        {
            return Directory.Exists(options.DemoFolder) ? Path.GetFullPath(options.DemoFolder) : null;
        }

        var local = Path.Combine(AppContext.BaseDirectory, "demo");
        if (Directory.Exists(local))
        {
            return local;
        }

        return RepoPaths.FindRepoRoot() is { } root && Directory.Exists(Path.Combine(root, "data", "demo"))
            ? Path.Combine(root, "data", "demo")
            : null;
    }

    private static int OrderOf(ImportKind kind) => kind switch
    {
        ImportKind.Dem => 0,
        ImportKind.Orthophoto => 1,
        ImportKind.Zones => 2,
        ImportKind.Buildings => 3,
        _ => 4,
    };
}
