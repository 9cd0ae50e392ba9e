using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Yunlu.Airspace.Sites;
using Yunlu.Airspace.Zones;
using Yunlu.Formats;
using Yunlu.Formats.Raster;
using Yunlu.Server.Contracts;
using Yunlu.Server.Hosting;
using Yunlu.Storage;
using Yunlu.Terrain;

namespace Yunlu.Server.Imports;

/// <summary>What an import file holds.</summary>
public enum ImportKind
{
    /// <summary>Zones: ED-269 JSON, ED-318, Yunlu GeoJSON, KML, KMZ.</summary>
    Zones,

    /// <summary>Buildings and other obstacles (GeoJSON with heights).</summary>
    Buildings,

    /// <summary>Sites (GeoJSON points).</summary>
    Sites,

    /// <summary>A DEM: GeoTIFF or SRTM .hgt.</summary>
    Dem,

    /// <summary>An orthophoto (GeoTIFF, RGB).</summary>
    Orthophoto,
}

/// <summary>
/// The one import path the API, the CLI and the demo loader share: read the file with the real importer, collect every
/// error, and store everything in one transaction only when there is none (<c>dryRun</c> stores nothing).
/// </summary>
public sealed class ImportService(IYunluStore store, TimeProvider time, ILogger<ImportService> logger)
{
    /// <summary>The kind names accepted on the wire and the command line.</summary>
    public static IReadOnlyList<string> KindNames { get; } = ["zones", "buildings", "sites", "dem", "orthophoto"];

    /// <summary>Importer limits (vertices, features, errors, bytes).</summary>
    public ImportLimits Limits { get; init; } = ImportLimits.Default;

    /// <summary>Parses a kind name (lower case as in <see cref="KindNames"/>).</summary>
    public static bool TryParseKind(string? name, out ImportKind kind)
    {
        kind = default;
        var index = name is null ? -1 : KindNames.ToList().IndexOf(name);
        if (index < 0)
        {
            return false;
        }

        kind = (ImportKind)index;
        return true;
    }

    /// <summary>The wire name of a kind.</summary>
    public static string NameOf(ImportKind kind) => KindNames[(int)kind];

    /// <summary>Reads <paramref name="content"/> as <paramref name="kind"/> and stores it unless it has errors or
    /// <paramref name="dryRun"/> is set.</summary>
    /// <param name="kind">What the file holds.</param>
    /// <param name="fileName">The file name (format detection, messages, the import record).</param>
    /// <param name="content">The whole file.</param>
    /// <param name="actor">Who imports (token subject or CLI user).</param>
    /// <param name="dryRun">Check only.</param>
    /// <param name="cancellationToken">Cancels reading and storing (a cancelled store rolls back).</param>
    public async Task<ImportOutcomeDto> ImportAsync(ImportKind kind, string fileName, ReadOnlyMemory<byte> content, string actor, bool dryRun, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var outcome = kind switch
        {
            ImportKind.Zones => await ImportFeaturesAsync(kind, fileName, content, actor, dryRun, ReadZones, cancellationToken).ConfigureAwait(false),
            ImportKind.Buildings => await ImportFeaturesAsync(kind, fileName, content, actor, dryRun, ReadObstacles, cancellationToken).ConfigureAwait(false),
            ImportKind.Sites => await ImportFeaturesAsync(kind, fileName, content, actor, dryRun, ReadSites, cancellationToken).ConfigureAwait(false),
            ImportKind.Dem => await ImportDemAsync(fileName, content, actor, dryRun, cancellationToken).ConfigureAwait(false),
            _ => await ImportOrthophotoAsync(fileName, content, actor, dryRun, cancellationToken).ConfigureAwait(false),
        };
        Log.Imported(logger, NameOf(kind), fileName, actor, outcome.FeatureCount, outcome.Stored, outcome.Errors.Count);
        return outcome;
    }

    private ImportBatch ReadZones(string fileName, ReadOnlyMemory<byte> content, ImportRecord record, out IReadOnlyList<FeatureError> errors)
    {
        using var stream = AsStream(content);
        var result = ZoneFiles.Read(stream, fileName, null, Limits);
        errors = result.Errors;
        return new ImportBatch(record with { FeatureCount = result.Items.Count }, result.Items, [], []);
    }

    private ImportBatch ReadObstacles(string fileName, ReadOnlyMemory<byte> content, ImportRecord record, out IReadOnlyList<FeatureError> errors)
    {
        using var stream = AsStream(content);
        var result = ObstacleFiles.Read(stream, fileName, Limits);
        errors = result.Errors;
        return new ImportBatch(record with { FeatureCount = result.Items.Count }, [], result.Items, []);
    }

    private ImportBatch ReadSites(string fileName, ReadOnlyMemory<byte> content, ImportRecord record, out IReadOnlyList<FeatureError> errors)
    {
        using var stream = AsStream(content);
        var result = SiteFiles.Read(stream, fileName, Limits);
        errors = result.Errors;
        return new ImportBatch(record with { FeatureCount = result.Items.Count }, [], [], result.Items);
    }

    private delegate ImportBatch BatchReader(string fileName, ReadOnlyMemory<byte> content, ImportRecord record, out IReadOnlyList<FeatureError> errors);

    private async Task<ImportOutcomeDto> ImportFeaturesAsync(ImportKind kind, string fileName, ReadOnlyMemory<byte> content, string actor, bool dryRun, BatchReader read, CancellationToken cancellationToken)
    {
        var record = NewRecord(kind, fileName, content, actor, 0);
        ImportBatch batch;
        IReadOnlyList<FeatureError> errors;
        try
        {
            batch = read(fileName, content, record, out errors);
        }
        catch (InvalidFileException ex)
        {
            return Failed(kind, fileName, dryRun, ex);
        }

        var count = batch.Record.FeatureCount;
        if (errors.Count > 0)
        {
            return new ImportOutcomeDto(NameOf(kind), fileName, dryRun, false, count, errors, null, null);
        }

        if (dryRun)
        {
            return new ImportOutcomeDto(NameOf(kind), fileName, true, false, count, [], null, null);
        }

        var stored = await store.CommitImportAsync(batch, cancellationToken).ConfigureAwait(false);
        return new ImportOutcomeDto(NameOf(kind), fileName, false, true, count, [], stored, null);
    }

    private async Task<ImportOutcomeDto> ImportDemAsync(string fileName, ReadOnlyMemory<byte> content, string actor, bool dryRun, CancellationToken cancellationToken)
    {
        GeoRaster raster;
        try
        {
            using var stream = AsStream(content);
            raster = string.Equals(Path.GetExtension(fileName), ".hgt", StringComparison.OrdinalIgnoreCase)
                ? HgtReader.Read(stream, fileName)
                : GeoTiffReader.Read(stream, Limits.MaxBytes);
        }
        catch (InvalidFileException ex)
        {
            return Failed(ImportKind.Dem, fileName, dryRun, ex);
        }

        var tiles = DemTiler.Tile(raster);
        if (dryRun)
        {
            return new ImportOutcomeDto("dem", fileName, true, false, tiles.Count, [], null, DatasetIdOf("dem", fileName));
        }

        var id = DatasetIdOf("dem", fileName);
        var layout = DemTiler.Layout(raster);
        var dataset = new RasterDataset(id, "dem", fileName,
            new BoundingBox(raster.WestDeg, raster.SouthDeg, raster.EastDeg, raster.NorthDeg),
            raster.Width, raster.Height, layout.TileSize, "float32", raster.NoData, time.GetUtcNow());
        await store.SaveRasterDatasetAsync(dataset, tiles.Select(t => new RasterTileBlob(t.Row, t.Col, t.Bytes)), cancellationToken).ConfigureAwait(false);
        var record = await store.CommitImportAsync(new ImportBatch(NewRecord(ImportKind.Dem, fileName, content, actor, tiles.Count), [], [], []), cancellationToken)
            .ConfigureAwait(false);
        return new ImportOutcomeDto("dem", fileName, false, true, tiles.Count, [], record, id);
    }

    /// <summary>The dataset kind of orthophotos. Stored as one blob (tile 0,0) holding the validated GeoTIFF.</summary>
    public const string OrthophotoKind = "orthophoto";

    private async Task<ImportOutcomeDto> ImportOrthophotoAsync(string fileName, ReadOnlyMemory<byte> content, string actor, bool dryRun, CancellationToken cancellationToken)
    {
        GeoRaster raster;
        try
        {
            using var stream = AsStream(content);
            raster = GeoTiffReader.Read(stream, Limits.MaxBytes);
        }
        catch (InvalidFileException ex)
        {
            return Failed(ImportKind.Orthophoto, fileName, dryRun, ex);
        }

        var id = DatasetIdOf("ortho", fileName);
        if (raster.BandCount < 3)
        {
            return new ImportOutcomeDto(OrthophotoKind, fileName, dryRun, false, 0,
                [new FeatureError(-1, null, "file", "bands", string.Create(CultureInfo.InvariantCulture, $"an orthophoto needs 3 (RGB) or 4 (RGBA) bands, the file has {raster.BandCount}"))], null, null);
        }

        if (dryRun)
        {
            return new ImportOutcomeDto(OrthophotoKind, fileName, true, false, 1, [], null, id);
        }

        var dataset = new RasterDataset(id, OrthophotoKind, fileName,
            new BoundingBox(raster.WestDeg, raster.SouthDeg, raster.EastDeg, raster.NorthDeg),
            raster.Width, raster.Height, Math.Max(raster.Width, raster.Height), "geotiff", raster.NoData, time.GetUtcNow());
        await store.SaveRasterDatasetAsync(dataset, [new RasterTileBlob(0, 0, content)], cancellationToken).ConfigureAwait(false);
        var record = await store.CommitImportAsync(new ImportBatch(NewRecord(ImportKind.Orthophoto, fileName, content, actor, 1), [], [], []), cancellationToken)
            .ConfigureAwait(false);
        return new ImportOutcomeDto(OrthophotoKind, fileName, false, true, 1, [], record, id);
    }

    /// <summary>The dataset id a raster file gets: kind, then the file name without extension, lower-case, [a-z0-9-].</summary>
    public static string DatasetIdOf(string kind, string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName).ToLowerInvariant();
        var chars = stem.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var clean = new string(chars).Trim('-');
        return $"{kind}-{(clean.Length == 0 ? "unnamed" : clean)}";
    }

    private static ImportOutcomeDto Failed(ImportKind kind, string fileName, bool dryRun, InvalidFileException ex) =>
        new(NameOf(kind), fileName, dryRun, false, 0, [new FeatureError(-1, null, "file", ex.Rule, ex.Message)], null, null);

    private ImportRecord NewRecord(ImportKind kind, string fileName, ReadOnlyMemory<byte> content, string actor, int count) =>
        new(Guid.NewGuid(), NameOf(kind), fileName, Convert.ToHexStringLower(SHA256.HashData(content.Span)), count, actor, time.GetUtcNow());

    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
