using System.Data.Common;
using Yunlu.Airspace.Corridors;
using Yunlu.Geo;
using Yunlu.Terrain.Weather;

namespace Yunlu.Storage.Airspace;

/// <summary>
/// The SQL both airspace stores share. The migration-4 tables use the same column types on both databases (times as
/// microseconds since the Unix epoch), so only connections, the zone-history columns and parameter naming differ.
/// Every write runs in one transaction that also increments <c>airspace_revision</c>.
/// </summary>
public abstract class AdoAirspaceStore : IAirspaceStore
{
    private const string CorridorColumns = "corridor_json, version, updated_at_us, updated_by";
    private const string OverrideColumns = "code, level, status, capacity_per_hour, note, updated_at_us, updated_by";

    private readonly YunluStoreOptions _options;

    /// <summary>Creates the store.</summary>
    /// <param name="options">Options, or null for the defaults.</param>
    private protected AdoAirspaceStore(YunluStoreOptions? options) => _options = options ?? YunluStoreOptions.Default;

    /// <summary>SQL selecting (zone_json text, version, deleted, changed-at, actor) of the zones as of <c>@t</c>.</summary>
    private protected abstract string ZonesAsOfSql { get; }

    /// <summary>Opens a configured connection.</summary>
    private protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>The value bound to <c>@t</c> in <see cref="ZonesAsOfSql"/>.</summary>
    private protected abstract object AsOfParameter(DateTimeOffset asOf);

    /// <summary>Reads one row of <see cref="ZonesAsOfSql"/>.</summary>
    private protected abstract ZoneHistoryEntry ReadHistory(DbDataReader reader);

    /// <summary>The parameter name as the provider expects it for the placeholder <c>@name</c>.</summary>
    private protected abstract string ParameterName(string name);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <inheritdoc />
    public async Task<IReadOnlyList<ZoneHistoryEntry>> ListZonesAsOfAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        await using DbConnection conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbCommand cmd = Command(conn, null, ZonesAsOfSql);
        Add(cmd, "t", AsOfParameter(asOf));
        var result = new List<ZoneHistoryEntry>();
        await using DbDataReader reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(ReadHistory(reader));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<AirspaceStamp> GetStampAsync(CancellationToken cancellationToken)
    {
        await using DbConnection conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbCommand cmd = Command(conn, null,
            "SELECT (SELECT coalesce(max(history_id), 0) FROM zone_history), (SELECT revision FROM airspace_revision WHERE id = 1);");
        await using DbDataReader reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new AirspaceStamp(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AirwayNode>> ListAirwayNodesAsync(CancellationToken cancellationToken)
    {
        await using DbConnection conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbCommand cmd = Command(conn, null, "SELECT id, name, kind, lon, lat FROM airway_nodes ORDER BY id;");
        var result = new List<AirwayNode>();
        await using DbDataReader reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new AirwayNode(reader.GetString(0), reader.GetString(1), Enum.Parse<AirwayNodeKind>(reader.GetString(2)),
                new GeoPoint(reader.GetDouble(3), reader.GetDouble(4))));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredCorridor>> ListCorridorsAsync(CancellationToken cancellationToken)
    {
        await using DbConnection conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbCommand cmd = Command(conn, null, $"SELECT {CorridorColumns} FROM corridors ORDER BY id;");
        var result = new List<StoredCorridor>();
        await using DbDataReader reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(ReadCorridor(reader));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<StoredCorridor?> GetCorridorAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using DbConnection conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbCommand cmd = Command(conn, null, $"SELECT {CorridorColumns} FROM corridors WHERE id = @id;");
        Add(cmd, "id", id);
        await using DbDataReader reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadCorridor(reader) : null;
    }

    /// <inheritdoc />
    public Task<StoredCorridor> UpsertCorridorAsync(Corridor corridor, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(corridor);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        return WriteAsync(async (conn, tx, at, ct) =>
        {
            long version = await UpsertCorridorCoreAsync(conn, tx, corridor, actor, at, ct).ConfigureAwait(false);
            return new StoredCorridor(corridor, version, at, actor);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteCorridorAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return WriteAsync(async (conn, tx, _, ct) =>
        {
            await using DbCommand cmd = Command(conn, tx, "DELETE FROM corridors WHERE id = @id;");
            Add(cmd, "id", id);
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task ImportAirwaysAsync(IReadOnlyList<AirwayNode> nodes, IReadOnlyList<Corridor> corridors, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(corridors);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        return WriteAsync(async (conn, tx, at, ct) =>
        {
            foreach (AirwayNode n in nodes)
            {
                await using DbCommand cmd = Command(conn, tx, """
                    INSERT INTO airway_nodes (id, name, kind, lon, lat, updated_at_us, updated_by)
                    VALUES (@id, @name, @kind, @lon, @lat, @at, @by)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, lon = excluded.lon, lat = excluded.lat,
                        updated_at_us = excluded.updated_at_us, updated_by = excluded.updated_by;
                    """);
                Add(cmd, "id", n.Id);
                Add(cmd, "name", n.Name);
                Add(cmd, "kind", n.Kind.ToString());
                Add(cmd, "lon", n.Position.LonDeg);
                Add(cmd, "lat", n.Position.LatDeg);
                Add(cmd, "at", StoreRows.ToUnixMicroseconds(at));
                Add(cmd, "by", actor);
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            foreach (Corridor c in corridors)
            {
                await UpsertCorridorCoreAsync(conn, tx, c, actor, at, ct).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredGridOverride>> ListGridOverridesAsync(int? level, CancellationToken cancellationToken)
    {
        await using DbConnection conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbCommand cmd = Command(conn, null, level is null
            ? $"SELECT {OverrideColumns} FROM grid_overrides ORDER BY code;"
            : $"SELECT {OverrideColumns} FROM grid_overrides WHERE level = @level ORDER BY code;");
        if (level is { } l)
        {
            Add(cmd, "level", l);
        }

        var result = new List<StoredGridOverride>();
        await using DbDataReader reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new StoredGridOverride(
                reader.GetString(0),
                ToInt(reader.GetValue(1)),
                NullableString(reader, 2),
                NullableInt(reader, 3),
                NullableString(reader, 4),
                StoreRows.FromUnixMicroseconds(reader.GetInt64(5)),
                reader.GetString(6)));
        }

        return result;
    }

    /// <inheritdoc />
    public Task<StoredGridOverride> UpsertGridOverrideAsync(StoredGridOverride value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentException.ThrowIfNullOrWhiteSpace(value.Code);
        ArgumentException.ThrowIfNullOrWhiteSpace(value.UpdatedBy);
        if (value.Status is null && value.CapacityPerHour is null)
        {
            throw new ArgumentException("an override sets a status, a capacity or both", nameof(value));
        }

        return WriteAsync(async (conn, tx, at, ct) =>
        {
            await using DbCommand cmd = Command(conn, tx, """
                INSERT INTO grid_overrides (code, level, status, capacity_per_hour, note, updated_at_us, updated_by)
                VALUES (@code, @level, @status, @cap, @note, @at, @by)
                ON CONFLICT (code) DO UPDATE SET level = excluded.level, status = excluded.status,
                    capacity_per_hour = excluded.capacity_per_hour, note = excluded.note,
                    updated_at_us = excluded.updated_at_us, updated_by = excluded.updated_by;
                """);
            Add(cmd, "code", value.Code);
            Add(cmd, "level", value.Level);
            Add(cmd, "status", value.Status);
            Add(cmd, "cap", value.CapacityPerHour);
            Add(cmd, "note", value.Note);
            Add(cmd, "at", StoreRows.ToUnixMicroseconds(at));
            Add(cmd, "by", value.UpdatedBy);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return value with { UpdatedAt = at };
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteGridOverrideAsync(string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        return WriteAsync(async (conn, tx, _, ct) =>
        {
            await using DbCommand cmd = Command(conn, tx, "DELETE FROM grid_overrides WHERE code = @code;");
            Add(cmd, "code", code);
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> AddWeatherObservationsAsync(IReadOnlyList<WeatherObservation> observations, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        string batch = Guid.NewGuid().ToString("N");
        return WriteAsync(async (conn, tx, at, ct) =>
        {
            await using DbCommand cmd = Command(conn, tx, """
                INSERT INTO weather_observations (station_id, time_us, lon, lat, height_agl_m, wind_speed_mps, wind_from_deg,
                    gust_mps, temperature_c, visibility_m, precipitation_mm_h, batch_id, actor, received_at_us)
                VALUES (@st, @t, @lon, @lat, @h, @ws, @wd, @g, @tc, @vis, @pr, @batch, @by, @at);
                """);
            foreach (WeatherObservation o in observations)
            {
                cmd.Parameters.Clear();
                Add(cmd, "st", o.StationId);
                Add(cmd, "t", StoreRows.ToUnixMicroseconds(o.Time));
                Add(cmd, "lon", o.Position.LonDeg);
                Add(cmd, "lat", o.Position.LatDeg);
                Add(cmd, "h", o.AnemometerHeightAglM);
                Add(cmd, "ws", o.WindSpeedMps);
                Add(cmd, "wd", o.WindFromDeg);
                Add(cmd, "g", o.GustMps);
                Add(cmd, "tc", o.TemperatureC);
                Add(cmd, "vis", o.VisibilityM);
                Add(cmd, "pr", o.PrecipitationMmPerH);
                Add(cmd, "batch", batch);
                Add(cmd, "by", actor);
                Add(cmd, "at", StoreRows.ToUnixMicroseconds(at));
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            return observations.Count;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WeatherObservation>> ListWeatherObservationsAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        await using DbConnection conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbCommand cmd = Command(conn, null, """
            SELECT station_id, time_us, lon, lat, height_agl_m, wind_speed_mps, wind_from_deg, gust_mps, temperature_c, visibility_m, precipitation_mm_h
            FROM weather_observations WHERE time_us >= @from AND time_us <= @to ORDER BY station_id, time_us, obs_key;
            """);
        Add(cmd, "from", from is { } f ? StoreRows.ToUnixMicroseconds(f) : long.MinValue);
        Add(cmd, "to", to is { } t ? StoreRows.ToUnixMicroseconds(t) : long.MaxValue);
        var result = new List<WeatherObservation>();
        await using DbDataReader reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new WeatherObservation(
                reader.GetString(0),
                StoreRows.FromUnixMicroseconds(reader.GetInt64(1)),
                new GeoPoint(reader.GetDouble(2), reader.GetDouble(3)),
                reader.GetDouble(4),
                reader.GetDouble(5),
                reader.GetDouble(6),
                NullableDouble(reader, 7),
                NullableDouble(reader, 8),
                NullableDouble(reader, 9),
                NullableDouble(reader, 10)));
        }

        return result;
    }

    /// <summary>Creates a command.</summary>
    private protected static DbCommand Command(DbConnection conn, DbTransaction? tx, string sql)
    {
        DbCommand cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd;
    }

    /// <summary>Binds <paramref name="value"/> (null → SQL NULL) to the placeholder <c>@name</c>.</summary>
    private protected void Add(DbCommand cmd, string name, object? value)
    {
        DbParameter p = cmd.CreateParameter();
        p.ParameterName = ParameterName(name);
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }

    private static int ToInt(object value) => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);

    private static string? NullableString(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static int? NullableInt(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : ToInt(reader.GetValue(i));

    private static double? NullableDouble(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);

    private static StoredCorridor ReadCorridor(DbDataReader reader) => new(
        AirwayJson.Deserialize(reader.GetString(0)),
        reader.GetInt64(1),
        StoreRows.FromUnixMicroseconds(reader.GetInt64(2)),
        reader.GetString(3));

    private async Task<long> UpsertCorridorCoreAsync(DbConnection conn, DbTransaction tx, Corridor c, string actor, DateTimeOffset at, CancellationToken ct)
    {
        double w = double.PositiveInfinity, s = double.PositiveInfinity, e = double.NegativeInfinity, n = double.NegativeInfinity;
        foreach (GeoPoint p in c.CentreLine)
        {
            (w, s, e, n) = (Math.Min(w, p.LonDeg), Math.Min(s, p.LatDeg), Math.Max(e, p.LonDeg), Math.Max(n, p.LatDeg));
        }

        await using DbCommand cmd = Command(conn, tx, """
            INSERT INTO corridors (id, name, from_node, to_node, min_lon, min_lat, max_lon, max_lat, corridor_json, version, updated_at_us, updated_by)
            VALUES (@id, @name, @from, @to, @w, @s, @e, @n, @json, 1, @at, @by)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, from_node = excluded.from_node, to_node = excluded.to_node,
                min_lon = excluded.min_lon, min_lat = excluded.min_lat, max_lon = excluded.max_lon, max_lat = excluded.max_lat,
                corridor_json = excluded.corridor_json, version = corridors.version + 1,
                updated_at_us = excluded.updated_at_us, updated_by = excluded.updated_by
            RETURNING version;
            """);
        Add(cmd, "id", c.Id);
        Add(cmd, "name", c.Name);
        Add(cmd, "from", c.FromNodeId);
        Add(cmd, "to", c.ToNodeId);
        Add(cmd, "w", w);
        Add(cmd, "s", s);
        Add(cmd, "e", e);
        Add(cmd, "n", n);
        Add(cmd, "json", AirwayJson.Serialize(c));
        Add(cmd, "at", StoreRows.ToUnixMicroseconds(at));
        Add(cmd, "by", actor);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, DateTimeOffset, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using DbConnection conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbTransaction tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset at = StoreRows.Normalize(_options.TimeProvider.GetUtcNow());
        T result = await work(conn, tx, at, cancellationToken).ConfigureAwait(false);
        await using (DbCommand bump = Command(conn, tx, "UPDATE airspace_revision SET revision = revision + 1 WHERE id = 1;"))
        {
            await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }
}
