using Yunlu.Airspace.Sites;
using Yunlu.Airspace.Zones;
using Yunlu.Terrain;

namespace Yunlu.Storage;

/// <summary>
/// The one store contract. Implemented by <c>SqliteYunluStore</c> (embedded default, WAL, durable) and
/// <c>PostgresYunluStore</c> (PostgreSQL + PostGIS, scale-out). Both pass the same contract test suite.
/// Every write method is atomic: it either commits everything it was given or nothing, and when it returns the data
/// is durable (survives kill -9 of the process).
/// </summary>
public interface IYunluStore : IAsyncDisposable
{
    /// <summary>Applies pending schema migrations (idempotent). Returns the schema version after migrating.</summary>
    Task<int> MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Commits an import (zones, obstacles, sites and the import record) in one transaction.</summary>
    Task<ImportRecord> CommitImportAsync(ImportBatch batch, CancellationToken cancellationToken);

    /// <summary>Creates or replaces a zone; the stored version increments. When <paramref name="expectedVersion"/> is
    /// given and differs from the stored one, throws <see cref="ConcurrencyConflictException"/>.</summary>
    Task<StoredZone> UpsertZoneAsync(Zone zone, string actor, long? expectedVersion, CancellationToken cancellationToken);

    /// <summary>The zone with this identifier, or null.</summary>
    Task<StoredZone?> GetZoneAsync(string identifier, CancellationToken cancellationToken);

    /// <summary>Zones whose footprint bounding box intersects <paramref name="query"/>'s box (all when null), ordered by identifier.</summary>
    Task<IReadOnlyList<StoredZone>> ListZonesAsync(ZoneQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes a zone. Returns false when it does not exist. Version check as in <see cref="UpsertZoneAsync"/>.</summary>
    Task<bool> DeleteZoneAsync(string identifier, string actor, long? expectedVersion, CancellationToken cancellationToken);

    /// <summary>Obstacles whose footprint bounding box intersects the box (all when null).</summary>
    Task<IReadOnlyList<Obstacle>> ListObstaclesAsync(BoundingBox? box, CancellationToken cancellationToken);

    /// <summary>All sites, ordered by id.</summary>
    Task<IReadOnlyList<Site>> ListSitesAsync(CancellationToken cancellationToken);

    /// <summary>Stores a raster dataset (DEM or orthophoto) with all its tiles in one transaction, replacing any
    /// dataset with the same id.</summary>
    Task SaveRasterDatasetAsync(RasterDataset dataset, IEnumerable<RasterTileBlob> tiles, CancellationToken cancellationToken);

    /// <summary>All raster datasets' metadata.</summary>
    Task<IReadOnlyList<RasterDataset>> ListRasterDatasetsAsync(CancellationToken cancellationToken);

    /// <summary>One tile's bytes, or null.</summary>
    Task<byte[]?> GetRasterTileAsync(string datasetId, int row, int col, CancellationToken cancellationToken);

    /// <summary>Import records, newest first.</summary>
    Task<IReadOnlyList<ImportRecord>> ListImportsAsync(CancellationToken cancellationToken);

    /// <summary>Every stored version of a zone, oldest first, including deletions (a deletion entry carries the last
    /// state of the zone). Empty when the identifier was never stored. The history is append-only.</summary>
    Task<IReadOnlyList<ZoneHistoryEntry>> ListZoneHistoryAsync(string identifier, CancellationToken cancellationToken);
}

/// <summary>One entry of a zone's history: a full snapshot of the zone as of that change.</summary>
/// <param name="Zone">The zone as it was after the change (for a deletion: as it was when deleted).</param>
/// <param name="Version">The version the change produced (a deletion gets the deleted version + 1).</param>
/// <param name="Deleted">True when this change deleted the zone.</param>
/// <param name="ChangedAt">When the change was committed (UTC, microsecond precision).</param>
/// <param name="Actor">Who made the change.</param>
public sealed record ZoneHistoryEntry(Zone Zone, long Version, bool Deleted, DateTimeOffset ChangedAt, string Actor);

/// <summary>A lon/lat box in degrees.</summary>
public readonly record struct BoundingBox(double WestDeg, double SouthDeg, double EastDeg, double NorthDeg);

/// <summary>Filter for <see cref="IYunluStore.ListZonesAsync"/>.</summary>
public sealed record ZoneQuery(BoundingBox? Box = null, int Limit = 1000, int Offset = 0);

/// <summary>A zone as stored: with its version (1 on creation, +1 per change) and who changed it last, when.</summary>
public sealed record StoredZone(Zone Zone, long Version, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>Everything one imported file contributes, committed atomically.</summary>
public sealed record ImportBatch(
    ImportRecord Record,
    IReadOnlyList<Zone> Zones,
    IReadOnlyList<Obstacle> Obstacles,
    IReadOnlyList<Site> Sites);

/// <summary>The record of one import.</summary>
public sealed record ImportRecord(Guid Id, string Kind, string FileName, string Sha256Hex, int FeatureCount, string Actor, DateTimeOffset ImportedAt);

/// <summary>A tiled raster's metadata. Tiles are <see cref="TileSize"/>² samples, row 0 at the north edge.</summary>
public sealed record RasterDataset(
    string Id,
    string Kind,
    string Name,
    BoundingBox Bounds,
    int Width,
    int Height,
    int TileSize,
    string SampleType,
    double? NoData,
    DateTimeOffset ImportedAt);

/// <summary>One raster tile's encoded bytes.</summary>
public readonly record struct RasterTileBlob(int Row, int Col, ReadOnlyMemory<byte> Bytes);

/// <summary>Thrown when an expected version does not match the stored one.</summary>
public sealed class ConcurrencyConflictException(string message) : Exception(message);

/// <summary>Thrown when a write breaks a database rule that input checks cannot see in advance (e.g. an import whose
/// id is already committed, a duplicate raster tile). The whole write was rolled back: nothing of it is stored.</summary>
public sealed class StoreConstraintException(string message, Exception innerException) : Exception(message, innerException);
