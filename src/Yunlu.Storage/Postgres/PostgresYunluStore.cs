using System.Globalization;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using Yunlu.Airspace.Sites;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Storage.Serialization;
using Yunlu.Terrain;

namespace Yunlu.Storage;

/// <summary>
/// The scale-out store: PostgreSQL + PostGIS through one pooled <see cref="NpgsqlDataSource"/> (NetTopologySuite
/// mapping). Several Yunlu servers may share the database: every optimistic version check is done inside the SQL
/// statement (<c>UPDATE … WHERE version = @expected</c>, <c>INSERT … ON CONFLICT</c>), so two processes can never
/// both win; migrations are serialised with a transaction-scoped advisory lock. Footprints are stored as
/// <c>geometry(…, 4326)</c> with GiST indexes (circles as PostGIS geodesic buffers); bounding-box queries use a
/// GiST expression index on the stored lon/lat box, refined by exact double comparisons so results equal SQLite's.
/// </summary>
public sealed class PostgresYunluStore : IYunluStore
{
    private const string ZoneValues = """
        (@id, @name, @restriction, @lower_m, @lower_ref, @upper_m, @upper_ref, @min_lon, @min_lat, @max_lon, @max_lat,
         CASE WHEN @is_circle THEN ST_Buffer(ST_SetSRID(ST_MakePoint(@c_lon, @c_lat), 4326)::geography, @radius_m)::geometry
              ELSE ST_SetSRID(@poly, 4326) END,
         @json, 1, @at, @by)
        """;

    private const string ZoneInsertColumns = """
        INSERT INTO zones (identifier, name, restriction, lower_m, lower_ref, upper_m, upper_ref,
                           min_lon, min_lat, max_lon, max_lat, footprint, zone_json, version, updated_at, updated_by)
        """;

    private const string HistoryFromZ = """
        INSERT INTO zone_history (identifier, version, deleted, zone_json, actor, changed_at)
        SELECT @id, z.version, false, @json, @by, @at FROM z
        RETURNING version;
        """;

    private const string UpsertZoneSql = "WITH z AS (" + ZoneInsertColumns + " VALUES " + ZoneValues + """
        ON CONFLICT (identifier) DO UPDATE SET
            name = excluded.name, restriction = excluded.restriction,
            lower_m = excluded.lower_m, lower_ref = excluded.lower_ref, upper_m = excluded.upper_m, upper_ref = excluded.upper_ref,
            min_lon = excluded.min_lon, min_lat = excluded.min_lat, max_lon = excluded.max_lon, max_lat = excluded.max_lat,
            footprint = excluded.footprint, zone_json = excluded.zone_json, version = zones.version + 1,
            updated_at = excluded.updated_at, updated_by = excluded.updated_by
        RETURNING version)
        """ + HistoryFromZ;

    private const string InsertZoneSql = "WITH z AS (" + ZoneInsertColumns + " VALUES " + ZoneValues + """
        ON CONFLICT (identifier) DO NOTHING
        RETURNING version)
        """ + HistoryFromZ;

    private const string UpdateZoneSql = """
        WITH z AS (UPDATE zones SET
            name = @name, restriction = @restriction,
            lower_m = @lower_m, lower_ref = @lower_ref, upper_m = @upper_m, upper_ref = @upper_ref,
            min_lon = @min_lon, min_lat = @min_lat, max_lon = @max_lon, max_lat = @max_lat,
            footprint = CASE WHEN @is_circle THEN ST_Buffer(ST_SetSRID(ST_MakePoint(@c_lon, @c_lat), 4326)::geography, @radius_m)::geometry
                             ELSE ST_SetSRID(@poly, 4326) END,
            zone_json = @json, version = version + 1, updated_at = @at, updated_by = @by
        WHERE identifier = @id AND version = @expected
        RETURNING version)
        """ + HistoryFromZ;

    private const string ZoneColumns = "zone_json::text, version, updated_at, updated_by";

    private const string BoxFilter = """
        ST_MakeEnvelope(min_lon, min_lat, max_lon, max_lat, 4326) && ST_MakeEnvelope(@w, @s, @e, @n, 4326)
        AND max_lon >= @w AND min_lon <= @e AND max_lat >= @s AND min_lat <= @n
        """;

    /// <summary>Rows per <c>unnest</c> statement when importing obstacles and sites.</summary>
    private const int ImportChunk = 2_000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly YunluStoreOptions _options;

    /// <summary>Creates the store (no connection is opened until first use; nothing is migrated).</summary>
    /// <param name="connectionString">An Npgsql connection string (<c>Host=…;Username=…;Database=…</c>).</param>
    /// <param name="options">Options, or null for <see cref="YunluStoreOptions.Default"/>.</param>
    public PostgresYunluStore(string connectionString, YunluStoreOptions? options = null)
    {
        _options = options ?? YunluStoreOptions.Default;
        _dataSource = PostgresDataSources.Build(connectionString, _options, geometry: true);
    }

    /// <inheritdoc />
    public Task<int> MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(null, cancellationToken);

    /// <summary>Applies migrations up to <paramref name="targetVersion"/> (all when null). Used by tests to build a
    /// database at an older schema version.</summary>
    internal async Task<int> MigrateAsync(int? targetVersion, CancellationToken cancellationToken)
    {
        var all = PostgresMigrations.All;
        var target = targetVersion ?? all[^1].Version;
        int current;
        await using (var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            // Several servers may start at once: the advisory lock (released at commit) lets one migrate at a time.
            await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@k);", conn, tx))
            {
                lockCmd.Parameters.AddWithValue("k", PostgresMigrations.MigrationLockKey);
                await lockCmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var create = new NpgsqlCommand(PostgresMigrations.CreateMigrationsTable, conn, tx))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var max = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_migrations;", conn, tx))
            {
                current = (int)(await max.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            if (current > all[^1].Version)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"the database has schema version {current}, newer than this build supports ({all[^1].Version})"));
            }

            foreach (var migration in all)
            {
                if (migration.Version <= current || migration.Version > target)
                {
                    continue;
                }

                await using (var apply = new NpgsqlCommand(migration.Sql, conn, tx))
                {
                    await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using (var record = new NpgsqlCommand(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @at);", conn, tx))
                {
                    record.Parameters.AddWithValue("v", migration.Version);
                    record.Parameters.AddWithValue("n", migration.Name);
                    record.Parameters.AddWithValue("at", StoreRows.Normalize(_options.TimeProvider.GetUtcNow()));
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                current = migration.Version;
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        // The first connection may have loaded the type catalogue before PostGIS existed (here or in another server):
        // reload it so geometry parameters map.
        await _dataSource.ReloadTypesAsync(cancellationToken).ConfigureAwait(false);
        return current;
    }

    /// <inheritdoc />
    public async Task<StoredZone> UpsertZoneAsync(Zone zone, string actor, long? expectedVersion, CancellationToken cancellationToken)
    {
        StoreValidation.Zone(zone, nameof(zone));
        StoreValidation.Actor(actor, nameof(actor));
        var row = ZoneRow.Of(zone);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var at = StoreRows.Normalize(_options.TimeProvider.GetUtcNow());
        var version = await UpsertZoneCoreAsync(conn, tx, row, actor, expectedVersion, at, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new StoredZone(zone, version, at, actor);
    }

    private static async Task<long> UpsertZoneCoreAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, ZoneRow row, string actor, long? expected, DateTimeOffset at, CancellationToken ct)
    {
        var sql = expected switch
        {
            null => UpsertZoneSql,
            0 => InsertZoneSql,
            _ => UpdateZoneSql,
        };
        object? version;
        await using (var cmd = new NpgsqlCommand(sql, conn, tx))
        {
            var p = cmd.Parameters;
            p.AddWithValue("id", row.Zone.Identifier);
            p.AddWithValue("name", row.Zone.Name);
            p.AddWithValue("restriction", row.Restriction);
            p.AddWithValue("lower_m", row.Zone.Lower.ValueM);
            p.AddWithValue("lower_ref", row.LowerRef);
            p.AddWithValue("upper_m", row.Zone.Upper.ValueM);
            p.AddWithValue("upper_ref", row.UpperRef);
            p.AddWithValue("min_lon", row.Box.WestDeg);
            p.AddWithValue("min_lat", row.Box.SouthDeg);
            p.AddWithValue("max_lon", row.Box.EastDeg);
            p.AddWithValue("max_lat", row.Box.NorthDeg);
            var circle = row.Circle;
            p.AddWithValue("is_circle", circle is not null);
            p.AddWithValue("c_lon", circle?.Center.LonDeg ?? 0.0);
            p.AddWithValue("c_lat", circle?.Center.LatDeg ?? 0.0);
            p.AddWithValue("radius_m", circle?.RadiusM ?? 0.0);
            p.Add(new NpgsqlParameter("poly", NpgsqlDbType.Geometry)
            {
                Value = row.Zone.Footprint is PolygonFootprint pf ? pf.Polygon : DBNull.Value,
            });
            p.Add(new NpgsqlParameter("json", NpgsqlDbType.Jsonb) { Value = row.Json });
            p.AddWithValue("at", at);
            p.AddWithValue("by", actor);
            if (expected is > 0)
            {
                p.AddWithValue("expected", expected.Value);
            }

            version = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        }

        if (version is not long v)
        {
            var stored = await StoredVersionAsync(conn, tx, row.Zone.Identifier, ct).ConfigureAwait(false);
            throw new ConcurrencyConflictException(StoreRows.ConflictMessage(row.Zone.Identifier, expected!.Value, stored));
        }

        return v;
    }

    private static async Task<long?> StoredVersionAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string identifier, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT version FROM zones WHERE identifier = @id;", conn, tx);
        cmd.Parameters.AddWithValue("id", identifier);
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as long?;
    }

    /// <inheritdoc />
    public async Task<StoredZone?> GetZoneAsync(string identifier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        await using var cmd = _dataSource.CreateCommand($"SELECT {ZoneColumns} FROM zones WHERE identifier = @id;");
        cmd.Parameters.AddWithValue("id", identifier);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadZone(reader) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredZone>> ListZonesAsync(ZoneQuery query, CancellationToken cancellationToken)
    {
        StoreValidation.Query(query, nameof(query));
        var sql = query.Box is null
            ? $"SELECT {ZoneColumns} FROM zones ORDER BY identifier LIMIT @limit OFFSET @offset;"
            : $"SELECT {ZoneColumns} FROM zones WHERE {BoxFilter} ORDER BY identifier LIMIT @limit OFFSET @offset;";
        await using var cmd = _dataSource.CreateCommand(sql);
        cmd.Parameters.AddWithValue("limit", query.Limit);
        cmd.Parameters.AddWithValue("offset", query.Offset);
        DbRows.AddBox(cmd, query.Box);
        var result = new List<StoredZone>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(ReadZone(reader));
        }

        return result;
    }

    private static StoredZone ReadZone(NpgsqlDataReader reader) => new(
        ZoneJson.Deserialize(reader.GetString(0)),
        reader.GetInt64(1),
        ReadTime(reader, 2),
        reader.GetString(3));

    /// <summary>A row of <c>(zone_json, version, deleted, changed_at, actor)</c>.</summary>
    internal static ZoneHistoryEntry ReadHistory(System.Data.Common.DbDataReader r) =>
        DbRows.ReadZoneHistory(r, r.GetBoolean(2), ReadTime(r, 3));

    private static DateTimeOffset ReadTime(System.Data.Common.DbDataReader reader, int ordinal) =>
        new(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));

    /// <inheritdoc />
    public async Task<bool> DeleteZoneAsync(string identifier, string actor, long? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        StoreValidation.Actor(actor, nameof(actor));
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        object? deleted;
        await using (var cmd = new NpgsqlCommand("""
            WITH d AS (DELETE FROM zones WHERE identifier = @id AND (@expected IS NULL OR version = @expected)
                       RETURNING version, zone_json)
            INSERT INTO zone_history (identifier, version, deleted, zone_json, actor, changed_at)
            SELECT @id, d.version + 1, true, d.zone_json, @by, @at FROM d
            RETURNING version;
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", identifier);
            cmd.Parameters.Add(new NpgsqlParameter("expected", NpgsqlDbType.Bigint) { Value = (object?)expectedVersion ?? DBNull.Value });
            cmd.Parameters.AddWithValue("by", actor);
            cmd.Parameters.AddWithValue("at", StoreRows.Normalize(_options.TimeProvider.GetUtcNow()));
            deleted = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }

        if (deleted is long)
        {
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }

        var stored = await StoredVersionAsync(conn, tx, identifier, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return false;
        }

        throw new ConcurrencyConflictException(StoreRows.ConflictMessage(identifier, expectedVersion!.Value, stored));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ZoneHistoryEntry>> ListZoneHistoryAsync(string identifier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        await using var cmd = _dataSource.CreateCommand("""
            SELECT zone_json::text, version, deleted, changed_at, actor FROM zone_history
            WHERE identifier = @id ORDER BY history_id;
            """);
        cmd.Parameters.AddWithValue("id", identifier);
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
            await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var at = StoreRows.Normalize(_options.TimeProvider.GetUtcNow());
            foreach (var row in rows)
            {
                await UpsertZoneCoreAsync(conn, tx, row, record.Actor, null, at, cancellationToken).ConfigureAwait(false);
            }

            await UpsertObstaclesAsync(conn, tx, batch.Obstacles, cancellationToken).ConfigureAwait(false);
            await UpsertSitesAsync(conn, tx, batch.Sites, cancellationToken).ConfigureAwait(false);
            await using (var cmd = new NpgsqlCommand("""
                INSERT INTO imports (id, kind, file_name, sha256_hex, feature_count, actor, imported_at)
                VALUES (@id, @kind, @file, @sha, @count, @actor, @at);
                """, conn, tx))
            {
                cmd.Parameters.AddWithValue("id", record.Id);
                cmd.Parameters.AddWithValue("kind", record.Kind);
                cmd.Parameters.AddWithValue("file", record.FileName);
                cmd.Parameters.AddWithValue("sha", record.Sha256Hex);
                cmd.Parameters.AddWithValue("count", record.FeatureCount);
                cmd.Parameters.AddWithValue("actor", record.Actor);
                cmd.Parameters.AddWithValue("at", record.ImportedAt);
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return record;
        }
        catch (PostgresException ex) when (IsConstraintViolation(ex))
        {
            throw new StoreConstraintException($"import {record.Id} ({record.FileName}) was not stored: {ex.MessageText}", ex);
        }
    }

    private static bool IsConstraintViolation(PostgresException ex) => ex.SqlState.StartsWith("23", StringComparison.Ordinal);

    private static async Task UpsertObstaclesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<Obstacle> obstacles, CancellationToken ct)
    {
        for (var start = 0; start < obstacles.Count; start += ImportChunk)
        {
            var n = Math.Min(ImportChunk, obstacles.Count - start);
            var ids = new string[n];
            var kinds = new string[n];
            var names = new string?[n];
            var heights = new double[n];
            var footprints = new Geometry[n];
            var minLon = new double[n];
            var minLat = new double[n];
            var maxLon = new double[n];
            var maxLat = new double[n];
            for (var i = 0; i < n; i++)
            {
                var o = obstacles[start + i];
                var box = GeoBounds.Of(o.Footprint);
                ids[i] = o.Id;
                kinds[i] = o.Kind;
                names[i] = o.Name;
                heights[i] = o.HeightM;
                footprints[i] = o.Footprint;
                minLon[i] = box.WestDeg;
                minLat[i] = box.SouthDeg;
                maxLon[i] = box.EastDeg;
                maxLat[i] = box.NorthDeg;
            }

            await using var cmd = new NpgsqlCommand("""
                INSERT INTO obstacles (id, kind, name, height_m, footprint, min_lon, min_lat, max_lon, max_lat)
                SELECT u.id, u.kind, u.name, u.height_m, ST_SetSRID(u.footprint, 4326), u.min_lon, u.min_lat, u.max_lon, u.max_lat
                FROM unnest(@ids, @kinds, @names, @heights, @footprints, @min_lon, @min_lat, @max_lon, @max_lat)
                     AS u (id, kind, name, height_m, footprint, min_lon, min_lat, max_lon, max_lat)
                ON CONFLICT (id) DO UPDATE SET
                    kind = excluded.kind, name = excluded.name, height_m = excluded.height_m, footprint = excluded.footprint,
                    min_lon = excluded.min_lon, min_lat = excluded.min_lat, max_lon = excluded.max_lon, max_lat = excluded.max_lat;
                """, conn, tx);
            cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = ids });
            cmd.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = kinds });
            cmd.Parameters.Add(new NpgsqlParameter("names", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = names });
            cmd.Parameters.Add(new NpgsqlParameter("heights", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = heights });
            cmd.Parameters.Add(new NpgsqlParameter("footprints", NpgsqlDbType.Array | NpgsqlDbType.Geometry) { Value = footprints });
            cmd.Parameters.Add(new NpgsqlParameter("min_lon", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = minLon });
            cmd.Parameters.Add(new NpgsqlParameter("min_lat", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = minLat });
            cmd.Parameters.Add(new NpgsqlParameter("max_lon", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = maxLon });
            cmd.Parameters.Add(new NpgsqlParameter("max_lat", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = maxLat });
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private static async Task UpsertSitesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<Site> sites, CancellationToken ct)
    {
        for (var start = 0; start < sites.Count; start += ImportChunk)
        {
            var n = Math.Min(ImportChunk, sites.Count - start);
            var ids = new string[n];
            var names = new string[n];
            var kinds = new string[n];
            var lons = new double[n];
            var lats = new double[n];
            var descriptions = new string?[n];
            for (var i = 0; i < n; i++)
            {
                var s = sites[start + i];
                ids[i] = s.Id;
                names[i] = s.Name;
                kinds[i] = s.Kind.ToString();
                lons[i] = s.Position.LonDeg;
                lats[i] = s.Position.LatDeg;
                descriptions[i] = s.Description;
            }

            await using var cmd = new NpgsqlCommand("""
                INSERT INTO sites (id, name, kind, lon, lat, position, description)
                SELECT u.id, u.name, u.kind, u.lon, u.lat, ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326), u.description
                FROM unnest(@ids, @names, @kinds, @lons, @lats, @descriptions) AS u (id, name, kind, lon, lat, description)
                ON CONFLICT (id) DO UPDATE SET
                    name = excluded.name, kind = excluded.kind, lon = excluded.lon, lat = excluded.lat,
                    position = excluded.position, description = excluded.description;
                """, conn, tx);
            cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = ids });
            cmd.Parameters.Add(new NpgsqlParameter("names", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = names });
            cmd.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = kinds });
            cmd.Parameters.Add(new NpgsqlParameter("lons", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = lons });
            cmd.Parameters.Add(new NpgsqlParameter("lats", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = lats });
            cmd.Parameters.Add(new NpgsqlParameter("descriptions", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = descriptions });
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

        var sql = box is null
            ? "SELECT id, kind, name, height_m, footprint FROM obstacles ORDER BY id;"
            : """
              SELECT id, kind, name, height_m, footprint FROM obstacles
              WHERE footprint && ST_MakeEnvelope(@w, @s, @e, @n, 4326)
                AND max_lon >= @w AND min_lon <= @e AND max_lat >= @s AND min_lat <= @n
              ORDER BY id;
              """;
        await using var cmd = _dataSource.CreateCommand(sql);
        DbRows.AddBox(cmd, box);
        var result = new List<Obstacle>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new Obstacle(
                reader.GetString(0), (Polygon)reader.GetValue(4), reader.GetDouble(3), reader.GetString(1), reader.GetValue(2) as string));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Site>> ListSitesAsync(CancellationToken cancellationToken)
    {
        await using var cmd = _dataSource.CreateCommand($"SELECT {DbRows.SiteColumns} FROM sites ORDER BY id;");
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
            await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var cmd = new NpgsqlCommand("""
                DELETE FROM raster_datasets WHERE id = @id;
                INSERT INTO raster_datasets (id, kind, name, west, south, east, north, width, height, tile_size, sample_type, no_data, imported_at)
                VALUES (@id, @kind, @name, @w, @s, @e, @n, @width, @height, @tile, @sample, @nodata, @at);
                """, conn, tx))
            {
                DbRows.AddRasterDataset(cmd, stored, stored.NoData, stored.ImportedAt);
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var importer = await conn.BeginBinaryImportAsync(
                "COPY raster_tiles (dataset_id, row, col, bytes) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
            {
                foreach (var t in tileList)
                {
                    await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(stored.Id, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(t.Row, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(t.Col, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(t.Bytes, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                }

                await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (IsConstraintViolation(ex))
        {
            throw new StoreConstraintException($"raster dataset '{stored.Id}' was not stored: {ex.MessageText}", ex);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RasterDataset>> ListRasterDatasetsAsync(CancellationToken cancellationToken)
    {
        await using var cmd = _dataSource.CreateCommand(
            $"SELECT {DbRows.RasterDatasetColumns}, no_data, imported_at FROM raster_datasets ORDER BY id;");
        return await DbRows.ReadAllAsync(cmd, static r => DbRows.ReadRasterDataset(r, r.GetValue(11) as double?, ReadTime(r, 12)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetRasterTileAsync(string datasetId, int row, int col, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(datasetId);
        await using var cmd = _dataSource.CreateCommand("SELECT bytes FROM raster_tiles WHERE dataset_id = @id AND row = @row AND col = @col;");
        cmd.Parameters.AddWithValue("id", datasetId);
        cmd.Parameters.AddWithValue("row", row);
        cmd.Parameters.AddWithValue("col", col);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ImportRecord>> ListImportsAsync(CancellationToken cancellationToken)
    {
        await using var cmd = _dataSource.CreateCommand("""
            SELECT id, kind, file_name, sha256_hex, feature_count, actor, imported_at FROM imports
            ORDER BY imported_at DESC, seq DESC;
            """);
        return await DbRows.ReadAllAsync(cmd, static r => DbRows.ReadImport(r, r.GetGuid(0), ReadTime(r, 6)), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
