using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Yunlu.Airspace.Sites;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Storage.Migrations;
using Yunlu.Storage.Serialization;
using Yunlu.Terrain;

namespace Yunlu.Storage;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode with <c>synchronous=FULL</c> (a commit is fsynced before
/// it is acknowledged, so it survives kill -9 and power loss), foreign keys on and a busy timeout. Writes go through
/// one dedicated connection, serialised by a semaphore, each in a <c>BEGIN IMMEDIATE</c> transaction (which also
/// serialises against other processes on the same file). Reads use pooled connections and run concurrently with the
/// writer (WAL readers see the last committed state). Bounding-box queries use SQLite R*Tree tables whose 32-bit
/// boxes are rounded outward, refined by exact double comparisons on the bbox columns.
/// </summary>
public sealed class SqliteYunluStore : IYunluStore
{
    private const string ZoneColumns = "zone_json, version, updated_at_us, updated_by";

    private const string UpsertZoneSql = """
        INSERT INTO zones (identifier, name, restriction, lower_m, lower_ref, upper_m, upper_ref,
                           min_lon, min_lat, max_lon, max_lat, zone_json, version, updated_at_us, updated_by)
        VALUES (@id, @name, @restriction, @lower_m, @lower_ref, @upper_m, @upper_ref,
                @min_lon, @min_lat, @max_lon, @max_lat, @json, 1, @at, @by)
        ON CONFLICT (identifier) DO UPDATE SET
            name = excluded.name, restriction = excluded.restriction,
            lower_m = excluded.lower_m, lower_ref = excluded.lower_ref, upper_m = excluded.upper_m, upper_ref = excluded.upper_ref,
            min_lon = excluded.min_lon, min_lat = excluded.min_lat, max_lon = excluded.max_lon, max_lat = excluded.max_lat,
            zone_json = excluded.zone_json, version = zones.version + 1,
            updated_at_us = excluded.updated_at_us, updated_by = excluded.updated_by
        RETURNING version;
        """;

    private const string InsertZoneSql = """
        INSERT INTO zones (identifier, name, restriction, lower_m, lower_ref, upper_m, upper_ref,
                           min_lon, min_lat, max_lon, max_lat, zone_json, version, updated_at_us, updated_by)
        VALUES (@id, @name, @restriction, @lower_m, @lower_ref, @upper_m, @upper_ref,
                @min_lon, @min_lat, @max_lon, @max_lat, @json, 1, @at, @by)
        ON CONFLICT (identifier) DO NOTHING
        RETURNING version;
        """;

    private const string UpdateZoneSql = """
        UPDATE zones SET
            name = @name, restriction = @restriction,
            lower_m = @lower_m, lower_ref = @lower_ref, upper_m = @upper_m, upper_ref = @upper_ref,
            min_lon = @min_lon, min_lat = @min_lat, max_lon = @max_lon, max_lat = @max_lat,
            zone_json = @json, version = version + 1, updated_at_us = @at, updated_by = @by
        WHERE identifier = @id AND version = @expected
        RETURNING version;
        """;

    private const string InsertHistorySql = """
        INSERT INTO zone_history (identifier, version, deleted, zone_json, actor, changed_at_us)
        VALUES (@id, @version, @deleted, @json, @by, @at);
        """;

    private readonly string _connectionString;
    private readonly YunluStoreOptions _options;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SqliteConnection? _writer;
    private bool _disposed;

    /// <summary>Opens (without migrating) the store on a SQLite file.</summary>
    /// <param name="pathOrConnectionString">A file path, or a Microsoft.Data.Sqlite connection string
    /// (<c>Data Source=…</c>). The folder is created when missing. In-memory databases are refused: per-operation
    /// connections would each see a different database.</param>
    /// <param name="options">Options, or null for <see cref="YunluStoreOptions.Default"/>.</param>
    public SqliteYunluStore(string pathOrConnectionString, YunluStoreOptions? options = null)
    {
        _options = options ?? YunluStoreOptions.Default;
        var builder = SqliteFile.Builder(pathOrConnectionString, _options.SqliteBusyTimeoutMs, "a SQLite store");
        builder.ForeignKeys = true;
        var folder = Path.GetDirectoryName(builder.DataSource);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        FilePath = builder.DataSource;
        _connectionString = builder.ToString();
    }

    /// <summary>The absolute path of the database file.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public Task<int> MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(null, cancellationToken);

    /// <summary>Applies migrations up to <paramref name="targetVersion"/> (all when null). Used by tests to build a
    /// database at an older schema version.</summary>
    internal async Task<int> MigrateAsync(int? targetVersion, CancellationToken cancellationToken)
    {
        var all = SqliteMigrations.All;
        var target = targetVersion ?? all[^1].Version;
        return await WriteAsync(async (conn, tx, ct) =>
        {
            await ExecuteAsync(conn, tx, SqliteMigrations.CreateMigrationsTable, ct).ConfigureAwait(false);
            long current;
            await using (var cmd = Command(conn, tx, "SELECT coalesce(max(version), 0) FROM schema_migrations;"))
            {
                current = (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            }

            if (current > all[^1].Version)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"the database {FilePath} has schema version {current}, newer than this build supports ({all[^1].Version})"));
            }

            foreach (var migration in all)
            {
                if (migration.Version <= current || migration.Version > target)
                {
                    continue;
                }

                await ApplyAsync(conn, tx, migration, ct).ConfigureAwait(false);
                current = migration.Version;
            }

            return (int)current;
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task ApplyAsync(SqliteConnection conn, SqliteTransaction tx, Migration migration, CancellationToken ct)
    {
        await ExecuteAsync(conn, tx, migration.Sql, ct).ConfigureAwait(false);
        await using var cmd = Command(conn, tx, "INSERT INTO schema_migrations (version, name, applied_at_us) VALUES (@v, @n, @at);");
        cmd.Parameters.AddWithValue("@v", migration.Version);
        cmd.Parameters.AddWithValue("@n", migration.Name);
        cmd.Parameters.AddWithValue("@at", StoreRows.ToUnixMicroseconds(_options.TimeProvider.GetUtcNow()));
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<StoredZone> UpsertZoneAsync(Zone zone, string actor, long? expectedVersion, CancellationToken cancellationToken)
    {
        StoreValidation.Zone(zone, nameof(zone));
        StoreValidation.Actor(actor, nameof(actor));
        var row = ZoneRow.Of(zone);
        return await WriteAsync(async (conn, tx, ct) =>
        {
            var at = StoreRows.Normalize(_options.TimeProvider.GetUtcNow());
            var version = await UpsertZoneCoreAsync(conn, tx, row, actor, expectedVersion, at, ct).ConfigureAwait(false);
            return new StoredZone(zone, version, at, actor);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<long> UpsertZoneCoreAsync(
        SqliteConnection conn, SqliteTransaction tx, ZoneRow row, string actor, long? expected, DateTimeOffset at, CancellationToken ct)
    {
        var sql = expected switch
        {
            null => UpsertZoneSql,
            0 => InsertZoneSql,
            _ => UpdateZoneSql,
        };
        long? version;
        await using (var cmd = Command(conn, tx, sql))
        {
            var p = cmd.Parameters;
            p.AddWithValue("@id", row.Zone.Identifier);
            p.AddWithValue("@name", row.Zone.Name);
            p.AddWithValue("@restriction", row.Restriction);
            p.AddWithValue("@lower_m", row.Zone.Lower.ValueM);
            p.AddWithValue("@lower_ref", row.LowerRef);
            p.AddWithValue("@upper_m", row.Zone.Upper.ValueM);
            p.AddWithValue("@upper_ref", row.UpperRef);
            p.AddWithValue("@min_lon", row.Box.WestDeg);
            p.AddWithValue("@min_lat", row.Box.SouthDeg);
            p.AddWithValue("@max_lon", row.Box.EastDeg);
            p.AddWithValue("@max_lat", row.Box.NorthDeg);
            p.AddWithValue("@json", row.Json);
            p.AddWithValue("@at", StoreRows.ToUnixMicroseconds(at));
            p.AddWithValue("@by", actor);
            if (expected is > 0)
            {
                p.AddWithValue("@expected", expected.Value);
            }

            version = (long?)await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        }

        if (version is null)
        {
            var stored = await StoredVersionAsync(conn, tx, row.Zone.Identifier, ct).ConfigureAwait(false);
            throw new ConcurrencyConflictException(StoreRows.ConflictMessage(row.Zone.Identifier, expected!.Value, stored));
        }

        await InsertHistoryAsync(conn, tx, row.Zone.Identifier, version.Value, deleted: false, row.Json, actor, at, ct).ConfigureAwait(false);
        return version.Value;
    }

    private static async Task<long?> StoredVersionAsync(SqliteConnection conn, SqliteTransaction tx, string identifier, CancellationToken ct)
    {
        await using var cmd = Command(conn, tx, "SELECT version FROM zones WHERE identifier = @id;");
        cmd.Parameters.AddWithValue("@id", identifier);
        return (long?)await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }

    private static async Task InsertHistoryAsync(
        SqliteConnection conn, SqliteTransaction tx, string identifier, long version, bool deleted, string json, string actor,
        DateTimeOffset at, CancellationToken ct)
    {
        await using var cmd = Command(conn, tx, InsertHistorySql);
        cmd.Parameters.AddWithValue("@id", identifier);
        cmd.Parameters.AddWithValue("@version", version);
        cmd.Parameters.AddWithValue("@deleted", deleted ? 1 : 0);
        cmd.Parameters.AddWithValue("@json", json);
        cmd.Parameters.AddWithValue("@by", actor);
        cmd.Parameters.AddWithValue("@at", StoreRows.ToUnixMicroseconds(at));
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<StoredZone?> GetZoneAsync(string identifier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        await using var conn = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, $"SELECT {ZoneColumns} FROM zones WHERE identifier = @id;");
        cmd.Parameters.AddWithValue("@id", identifier);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadZone(reader) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredZone>> ListZonesAsync(ZoneQuery query, CancellationToken cancellationToken)
    {
        StoreValidation.Query(query, nameof(query));
        await using var conn = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        var sql = query.Box is null
            ? $"SELECT {ZoneColumns} FROM zones ORDER BY identifier LIMIT @limit OFFSET @offset;"
            : $"""
               SELECT {ZoneColumns} FROM zones
               WHERE zone_key IN (SELECT id FROM zones_rtree
                                  WHERE max_lon >= @w AND min_lon <= @e AND max_lat >= @s AND min_lat <= @n)
                 AND max_lon >= @w AND min_lon <= @e AND max_lat >= @s AND min_lat <= @n
               ORDER BY identifier LIMIT @limit OFFSET @offset;
               """;
        await using var cmd = Command(conn, null, sql);
        cmd.Parameters.AddWithValue("@limit", query.Limit);
        cmd.Parameters.AddWithValue("@offset", query.Offset);
        DbRows.AddBox(cmd, query.Box);
        var result = new List<StoredZone>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(ReadZone(reader));
        }

        return result;
    }

    private static StoredZone ReadZone(SqliteDataReader reader) => new(
        ZoneJson.Deserialize(reader.GetString(0)),
        reader.GetInt64(1),
        StoreRows.FromUnixMicroseconds(reader.GetInt64(2)),
        reader.GetString(3));

    /// <inheritdoc />
    public async Task<bool> DeleteZoneAsync(string identifier, string actor, long? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        StoreValidation.Actor(actor, nameof(actor));
        return await WriteAsync(async (conn, tx, ct) =>
        {
            string? json = null;
            long version = 0;
            await using (var cmd = Command(conn, tx, "SELECT zone_json, version FROM zones WHERE identifier = @id;"))
            {
                cmd.Parameters.AddWithValue("@id", identifier);
                await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                if (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    json = reader.GetString(0);
                    version = reader.GetInt64(1);
                }
            }

            if (json is null)
            {
                return false;
            }

            if (expectedVersion is { } expected && expected != version)
            {
                throw new ConcurrencyConflictException(StoreRows.ConflictMessage(identifier, expected, version));
            }

            await using (var cmd = Command(conn, tx, "DELETE FROM zones WHERE identifier = @id;"))
            {
                cmd.Parameters.AddWithValue("@id", identifier);
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            var at = StoreRows.Normalize(_options.TimeProvider.GetUtcNow());
            await InsertHistoryAsync(conn, tx, identifier, version + 1, deleted: true, json, actor, at, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ZoneHistoryEntry>> ListZoneHistoryAsync(string identifier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        await using var conn = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, """
            SELECT zone_json, version, deleted, changed_at_us, actor FROM zone_history
            WHERE identifier = @id ORDER BY history_id;
            """);
        cmd.Parameters.AddWithValue("@id", identifier);
        return await DbRows.ReadAllAsync(cmd, ReadHistory, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ImportRecord> CommitImportAsync(ImportBatch batch, CancellationToken cancellationToken)
    {
        StoreValidation.Batch(batch);
        var rows = new ZoneRow[batch.Zones.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = ZoneRow.Of(batch.Zones[i]);
        }

        var record = batch.Record with { ImportedAt = StoreRows.Normalize(batch.Record.ImportedAt) };
        try
        {
            return await WriteAsync(async (conn, tx, ct) =>
            {
                var at = StoreRows.Normalize(_options.TimeProvider.GetUtcNow());
                foreach (var row in rows)
                {
                    await UpsertZoneCoreAsync(conn, tx, row, record.Actor, null, at, ct).ConfigureAwait(false);
                }

                await UpsertObstaclesAsync(conn, tx, batch.Obstacles, ct).ConfigureAwait(false);
                await UpsertSitesAsync(conn, tx, batch.Sites, ct).ConfigureAwait(false);
                await using var cmd = Command(conn, tx, """
                    INSERT INTO imports (id, kind, file_name, sha256_hex, feature_count, actor, imported_at_us)
                    VALUES (@id, @kind, @file, @sha, @count, @actor, @at);
                    """);
                cmd.Parameters.AddWithValue("@id", record.Id.ToString("D", CultureInfo.InvariantCulture));
                cmd.Parameters.AddWithValue("@kind", record.Kind);
                cmd.Parameters.AddWithValue("@file", record.FileName);
                cmd.Parameters.AddWithValue("@sha", record.Sha256Hex);
                cmd.Parameters.AddWithValue("@count", record.FeatureCount);
                cmd.Parameters.AddWithValue("@actor", record.Actor);
                cmd.Parameters.AddWithValue("@at", StoreRows.ToUnixMicroseconds(record.ImportedAt));
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                return record;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SQLitePCL.raw.SQLITE_CONSTRAINT)
        {
            throw new StoreConstraintException(
                $"import {record.Id} ({record.FileName}) was not stored: {ex.Message}", ex);
        }
    }

    private static async Task UpsertObstaclesAsync(SqliteConnection conn, SqliteTransaction tx, IReadOnlyList<Obstacle> obstacles, CancellationToken ct)
    {
        if (obstacles.Count == 0)
        {
            return;
        }

        await using var cmd = Command(conn, tx, """
            INSERT INTO obstacles (id, kind, name, height_m, footprint_wkb, min_lon, min_lat, max_lon, max_lat)
            VALUES (@id, @kind, @name, @height, @wkb, @min_lon, @min_lat, @max_lon, @max_lat)
            ON CONFLICT (id) DO UPDATE SET
                kind = excluded.kind, name = excluded.name, height_m = excluded.height_m, footprint_wkb = excluded.footprint_wkb,
                min_lon = excluded.min_lon, min_lat = excluded.min_lat, max_lon = excluded.max_lon, max_lat = excluded.max_lat;
            """);
        var id = cmd.Parameters.Add("@id", SqliteType.Text);
        var kind = cmd.Parameters.Add("@kind", SqliteType.Text);
        var name = cmd.Parameters.Add("@name", SqliteType.Text);
        var height = cmd.Parameters.Add("@height", SqliteType.Real);
        var wkb = cmd.Parameters.Add("@wkb", SqliteType.Blob);
        var minLon = cmd.Parameters.Add("@min_lon", SqliteType.Real);
        var minLat = cmd.Parameters.Add("@min_lat", SqliteType.Real);
        var maxLon = cmd.Parameters.Add("@max_lon", SqliteType.Real);
        var maxLat = cmd.Parameters.Add("@max_lat", SqliteType.Real);
        var writer = new WKBWriter();
        foreach (var o in obstacles)
        {
            var box = GeoBounds.Of(o.Footprint);
            id.Value = o.Id;
            kind.Value = o.Kind;
            name.Value = (object?)o.Name ?? DBNull.Value;
            height.Value = o.HeightM;
            wkb.Value = writer.Write(o.Footprint);
            minLon.Value = box.WestDeg;
            minLat.Value = box.SouthDeg;
            maxLon.Value = box.EastDeg;
            maxLat.Value = box.NorthDeg;
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private static async Task UpsertSitesAsync(SqliteConnection conn, SqliteTransaction tx, IReadOnlyList<Site> sites, CancellationToken ct)
    {
        if (sites.Count == 0)
        {
            return;
        }

        await using var cmd = Command(conn, tx, """
            INSERT INTO sites (id, name, kind, lon, lat, description) VALUES (@id, @name, @kind, @lon, @lat, @description)
            ON CONFLICT (id) DO UPDATE SET
                name = excluded.name, kind = excluded.kind, lon = excluded.lon, lat = excluded.lat, description = excluded.description;
            """);
        var id = cmd.Parameters.Add("@id", SqliteType.Text);
        var name = cmd.Parameters.Add("@name", SqliteType.Text);
        var kind = cmd.Parameters.Add("@kind", SqliteType.Text);
        var lon = cmd.Parameters.Add("@lon", SqliteType.Real);
        var lat = cmd.Parameters.Add("@lat", SqliteType.Real);
        var description = cmd.Parameters.Add("@description", SqliteType.Text);
        foreach (var s in sites)
        {
            id.Value = s.Id;
            name.Value = s.Name;
            kind.Value = s.Kind.ToString();
            lon.Value = s.Position.LonDeg;
            lat.Value = s.Position.LatDeg;
            description.Value = (object?)s.Description ?? DBNull.Value;
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Obstacle>> ListObstaclesAsync(BoundingBox? box, CancellationToken cancellationToken)
    {
        if (box is { } b)
        {
            StoreValidation.Box(b, nameof(box));
        }

        await using var conn = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        var sql = box is null
            ? "SELECT id, kind, name, height_m, footprint_wkb FROM obstacles ORDER BY id;"
            : """
              SELECT id, kind, name, height_m, footprint_wkb FROM obstacles
              WHERE obstacle_key IN (SELECT id FROM obstacles_rtree
                                     WHERE max_lon >= @w AND min_lon <= @e AND max_lat >= @s AND min_lat <= @n)
                AND max_lon >= @w AND min_lon <= @e AND max_lat >= @s AND min_lat <= @n
              ORDER BY id;
              """;
        await using var cmd = Command(conn, null, sql);
        DbRows.AddBox(cmd, box);
        var reader = new WKBReader(new NetTopologySuite.NtsGeometryServices(ZoneJson.Factory.PrecisionModel, ZoneJson.Srid));
        var result = new List<Obstacle>();
        await using var rows = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var polygon = (Polygon)reader.Read((byte[])rows.GetValue(4));
            polygon.SRID = ZoneJson.Srid;
            result.Add(new Obstacle(rows.GetString(0), polygon, rows.GetDouble(3), rows.GetString(1), rows.GetValue(2) as string));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Site>> ListSitesAsync(CancellationToken cancellationToken)
    {
        await using var conn = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, $"SELECT {DbRows.SiteColumns} FROM sites ORDER BY id;");
        return await DbRows.ReadAllAsync(cmd, DbRows.ReadSite, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SaveRasterDatasetAsync(RasterDataset dataset, IEnumerable<RasterTileBlob> tiles, CancellationToken cancellationToken)
    {
        StoreValidation.Dataset(dataset, nameof(dataset));
        ArgumentNullException.ThrowIfNull(tiles);
        var tileList = tiles as IReadOnlyList<RasterTileBlob> ?? tiles.ToList();
        for (var i = 0; i < tileList.Count; i++)
        {
            StoreValidation.Tile(dataset, tileList[i], i);
        }

        var stored = dataset with { ImportedAt = StoreRows.Normalize(dataset.ImportedAt) };
        try
        {
            await WriteAsync(async (conn, tx, ct) =>
            {
                await using (var del = Command(conn, tx, "DELETE FROM raster_datasets WHERE id = @id;"))
                {
                    del.Parameters.AddWithValue("@id", stored.Id);
                    await del.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                await using (var ins = Command(conn, tx, """
                    INSERT INTO raster_datasets (id, kind, name, west, south, east, north, width, height, tile_size, sample_type, no_data, imported_at_us)
                    VALUES (@id, @kind, @name, @w, @s, @e, @n, @width, @height, @tile, @sample, @nodata, @at);
                    """))
                {
                    DbRows.AddRasterDataset(ins, stored,
                        stored.NoData is { } nd ? StoreRows.FormatDouble(nd) : null, StoreRows.ToUnixMicroseconds(stored.ImportedAt));
                    await ins.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                await using var tile = Command(conn, tx, "INSERT INTO raster_tiles (dataset_id, row, col, bytes) VALUES (@id, @row, @col, @bytes);");
                tile.Parameters.AddWithValue("@id", stored.Id);
                var row = tile.Parameters.Add("@row", SqliteType.Integer);
                var col = tile.Parameters.Add("@col", SqliteType.Integer);
                var bytes = tile.Parameters.Add("@bytes", SqliteType.Blob);
                foreach (var t in tileList)
                {
                    row.Value = t.Row;
                    col.Value = t.Col;
                    bytes.Value = ToArray(t.Bytes);
                    await tile.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                return 0;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SQLitePCL.raw.SQLITE_CONSTRAINT)
        {
            throw new StoreConstraintException($"raster dataset '{stored.Id}' was not stored: {ex.Message}", ex);
        }
    }

    private static byte[] ToArray(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();

    /// <inheritdoc />
    public async Task<IReadOnlyList<RasterDataset>> ListRasterDatasetsAsync(CancellationToken cancellationToken)
    {
        await using var conn = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null,
            $"SELECT {DbRows.RasterDatasetColumns}, no_data, imported_at_us FROM raster_datasets ORDER BY id;");
        return await DbRows.ReadAllAsync(cmd, static r => DbRows.ReadRasterDataset(r,
            r.GetValue(11) is string nd ? StoreRows.ParseDouble(nd) : null,
            StoreRows.FromUnixMicroseconds(r.GetInt64(12))), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetRasterTileAsync(string datasetId, int row, int col, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(datasetId);
        await using var conn = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, "SELECT bytes FROM raster_tiles WHERE dataset_id = @id AND row = @row AND col = @col;");
        cmd.Parameters.AddWithValue("@id", datasetId);
        cmd.Parameters.AddWithValue("@row", row);
        cmd.Parameters.AddWithValue("@col", col);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (byte[])reader.GetValue(0) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ImportRecord>> ListImportsAsync(CancellationToken cancellationToken)
    {
        await using var conn = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, """
            SELECT id, kind, file_name, sha256_hex, feature_count, actor, imported_at_us FROM imports
            ORDER BY imported_at_us DESC, seq DESC;
            """);
        return await DbRows.ReadAllAsync(cmd, static r => DbRows.ReadImport(r,
            Guid.Parse(r.GetString(0)), StoreRows.FromUnixMicroseconds(r.GetInt64(6))), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_writer is not null)
            {
                await _writer.DisposeAsync().ConfigureAwait(false);
                _writer = null;
            }

            await using var conn = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(conn);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<T> WriteAsync<T>(
        Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _writer ??= await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
            // Microsoft.Data.Sqlite starts non-deferred transactions with BEGIN IMMEDIATE: the write lock is taken up
            // front, so a concurrent writer in another process waits (busy timeout) instead of failing at commit.
            await using var tx = (SqliteTransaction)await _writer.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var result = await work(_writer, tx, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        // A dedicated, unpooled connection: it lives as long as the store.
        var builder = new SqliteConnectionStringBuilder(_connectionString) { Pooling = false };
        var conn = new SqliteConnection(builder.ToString());
        try
        {
            await conn.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (var cmd = Command(conn, null, "PRAGMA journal_mode=WAL;"))
            {
                var mode = (string?)await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException($"SQLite refused WAL journal mode on {FilePath} (got '{mode}')");
                }
            }

            await ConfigureAsync(conn, cancellationToken).ConfigureAwait(false);
            return conn;
        }
        catch
        {
            await conn.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return SqliteFile.OpenAsync(_connectionString, Pragmas, cancellationToken);
    }

    private async Task ConfigureAsync(SqliteConnection conn, CancellationToken cancellationToken) =>
        await ExecuteAsync(conn, null, Pragmas, cancellationToken).ConfigureAwait(false);

    private string Pragmas => SqliteFile.DurablePragmas(_options.SqliteBusyTimeoutMs, foreignKeys: true);

    /// <summary>A row of <c>(zone_json, version, deleted, changed_at_us, actor)</c>.</summary>
    internal static ZoneHistoryEntry ReadHistory(System.Data.Common.DbDataReader r) =>
        DbRows.ReadZoneHistory(r, r.GetInt64(2) != 0, StoreRows.FromUnixMicroseconds(r.GetInt64(3)));

    private static SqliteCommand Command(SqliteConnection conn, SqliteTransaction? tx, string sql) => SqliteFile.Command(conn, tx, sql);

    private static async Task ExecuteAsync(SqliteConnection conn, SqliteTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = Command(conn, tx, sql);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
