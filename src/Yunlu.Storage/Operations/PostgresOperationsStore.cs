using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Operations;
using Yunlu.Geo;

namespace Yunlu.Storage.Operations;

/// <summary>
/// Operations on PostgreSQL + PostGIS, shared by several stateless servers. <see cref="CommitAsync"/> implements the
/// cross-server half of "no double booking" (ADR 0006): in ONE READ COMMITTED transaction it takes
/// <c>pg_advisory_xact_lock_shared(GlobalKey)</c> (exclusive when the intent needs the global key), then the intent's
/// cell keys in ascending order (the same keys <see cref="IntentBook"/> stripes on), re-checks an Accepted version
/// against the blocking volumes in the database (<see cref="BookingSql.FindConflicts"/>: GiST on footprint × numrange ×
/// tstzrange, half-open), writes the intent guarded by the previous OVN, replaces its volumes, and sends
/// <c>NOTIFY op_intents</c>; COMMIT releases the locks. Two servers accepting conflicting intents lock a shared key, so
/// the second re-checks after the first committed and sees it.
/// </summary>
public sealed class PostgresOperationsStore : IOperationsStore
{
    /// <summary>The notification channel carrying the id of every committed intent version.</summary>
    public const string Channel = "op_intents";

    private const string InsertIntentSql = """
        INSERT INTO op_intents (id, ovn, version, state, priority, owner_id, manager_id, operator_id, aircraft_id, pilot_id,
                                route_ref, reasons, doc, updated_at, start_at, end_at)
        VALUES (@id, @ovn, @version, @state, @priority, @owner, @manager, @operator, @aircraft, @pilot, @route, @reasons::jsonb, @doc::jsonb, @at, @start, @end)
        ON CONFLICT (id) DO NOTHING
        """;

    private const string UpdateIntentSql = """
        UPDATE op_intents SET ovn = @ovn, version = @version, state = @state, priority = @priority, manager_id = @manager,
            route_ref = @route, reasons = @reasons::jsonb, doc = @doc::jsonb, updated_at = @at, start_at = @start, end_at = @end
        WHERE id = @id AND ovn = @previous
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly YunluStoreOptions _options;

    /// <summary>Creates the store (no connection opened).</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    public PostgresOperationsStore(string connectionString, YunluStoreOptions? options = null)
    {
        _options = options ?? YunluStoreOptions.Default;
        _dataSource = PostgresDataSources.Build(connectionString, _options, geometry: true);
        ConnectionString = connectionString;
    }

    /// <summary>The connection string (for the listener connection).</summary>
    public string ConnectionString { get; }

    /// <inheritdoc />
    public string Kind => "postgres";

    /// <inheritdoc />
    public async ValueTask<CommitOutcome> CommitAsync(OperationalIntent next, OperationalIntent? previous, IReadOnlyList<long> lockKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(lockKeys);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        bool global = false;
        var cells = new List<long>(lockKeys.Count);
        foreach (long k in lockKeys)
        {
            if (k == LockKeys.GlobalKey)
            {
                global = true;
            }
            else
            {
                cells.Add(k);
            }
        }

        cells.Sort();
        await using (var lockGlobal = new NpgsqlCommand(global ? BookingSql.LockGlobalExclusive : BookingSql.LockGlobalShared, conn, tx))
        {
            lockGlobal.Parameters.Add(new NpgsqlParameter { Value = LockKeys.GlobalKey, NpgsqlDbType = NpgsqlDbType.Bigint });
            await lockGlobal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (cells.Count > 0)
        {
            await using var lockCells = new NpgsqlCommand(BookingSql.LockCells, conn, tx);
            lockCells.Parameters.Add(new NpgsqlParameter { Value = cells.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            await lockCells.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (next.State == IntentState.Accepted)
        {
            string? conflict = await FindConflictAsync(conn, tx, next, cancellationToken).ConfigureAwait(false);
            if (conflict is not null)
            {
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return new CommitOutcome(false, [conflict]);
            }
        }

        TimeWindow span = next.Span;
        int rows;
        await using (var write = new NpgsqlCommand(previous is null ? InsertIntentSql : UpdateIntentSql, conn, tx))
        {
            var p = write.Parameters;
            p.AddWithValue("id", next.Id);
            p.AddWithValue("ovn", next.Ovn);
            p.AddWithValue("version", next.Version);
            p.AddWithValue("state", next.State.ToString());
            p.AddWithValue("priority", (short)next.Priority);
            p.AddWithValue("manager", (object?)next.ManagerId ?? DBNull.Value);
            p.AddWithValue("route", (object?)next.RouteRef ?? DBNull.Value);
            p.AddWithValue("reasons", System.Text.Json.JsonSerializer.Serialize(next.Reasons));
            p.AddWithValue("doc", IntentJson.Serialize(next));
            p.AddWithValue("at", StoreRows.Normalize(next.UpdatedAt));
            p.AddWithValue("start", span.Start.ToUniversalTime());
            p.AddWithValue("end", span.End.ToUniversalTime());
            if (previous is null)
            {
                p.AddWithValue("owner", next.OwnerId);
                p.AddWithValue("operator", next.OperatorId);
                p.AddWithValue("aircraft", next.AircraftId);
                p.AddWithValue("pilot", next.PilotId);
            }
            else
            {
                p.AddWithValue("previous", previous.Ovn);
            }

            rows = await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (rows != 1)
        {
            await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return new CommitOutcome(false, [previous is null
                ? string.Create(CultureInfo.InvariantCulture, $"intent {next.Id} exists already")
                : string.Create(CultureInfo.InvariantCulture, $"intent {next.Id} was changed by someone else (stored OVN is not {previous.Ovn})")]);
        }

        await using (var batch = new NpgsqlBatch(conn, tx))
        {
            var delete = new NpgsqlBatchCommand(BookingSql.DeleteVolumes);
            delete.Parameters.Add(new NpgsqlParameter { Value = next.Id });
            batch.BatchCommands.Add(delete);
            for (int i = 0; i < next.Volumes.Count; i++)
            {
                Volume4D v = next.Volumes[i];
                var insert = new NpgsqlBatchCommand(BookingSql.UpsertVolumes);
                insert.Parameters.Add(new NpgsqlParameter { Value = next.Id });
                insert.Parameters.Add(new NpgsqlParameter { Value = i });
                insert.Parameters.Add(new NpgsqlParameter { Value = PolygonOf(v.Volume.Footprint) });
                insert.Parameters.Add(new NpgsqlParameter { Value = (decimal)v.Volume.Lower.ValueM });
                insert.Parameters.Add(new NpgsqlParameter { Value = (decimal)v.Volume.Upper.ValueM });
                insert.Parameters.Add(new NpgsqlParameter { Value = v.Time.Start.ToUniversalTime() });
                insert.Parameters.Add(new NpgsqlParameter { Value = v.Time.End.ToUniversalTime() });
                insert.Parameters.Add(new NpgsqlParameter { Value = next.IsBlocking });
                insert.Parameters.Add(new NpgsqlParameter { Value = (short)next.Priority });
                batch.BatchCommands.Add(insert);
            }

            var notify = new NpgsqlBatchCommand("SELECT pg_notify($1, $2)");
            notify.Parameters.Add(new NpgsqlParameter { Value = Channel });
            notify.Parameters.Add(new NpgsqlParameter { Value = next.Id.ToString("D") });
            batch.BatchCommands.Add(notify);
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return CommitOutcome.Ok;
    }

    /// <summary>Listens on <see cref="Channel"/> and calls <paramref name="onIntent"/> with the id of every intent
    /// version committed (by any server) until cancelled.</summary>
    /// <param name="onIntent">Called per notification (serially).</param>
    /// <param name="listening">Completed once LISTEN is active.</param>
    /// <param name="cancellationToken">Stops listening.</param>
    public async Task ListenAsync(Func<Guid, CancellationToken, Task> onIntent, TaskCompletionSource? listening, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onIntent);
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, KeepAlive = 30 };
        await using var conn = new NpgsqlConnection(builder.ConnectionString);
        await conn.OpenAsync(cancellationToken).ConfigureAwait(false);
        var received = System.Threading.Channels.Channel.CreateUnbounded<Guid>();
        conn.Notification += (_, e) =>
        {
            if (Guid.TryParse(e.Payload, out Guid id))
            {
                received.Writer.TryWrite(id);
            }
        };
        await using (var listen = new NpgsqlCommand("LISTEN " + Channel, conn))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        listening?.TrySetResult();
        Task pump = Task.Run(async () =>
        {
            await foreach (Guid id in received.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await onIntent(id, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await conn.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            received.Writer.TryComplete();
            try
            {
                await pump.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }
    }

    /// <inheritdoc />
    public async Task<RegistryEntry?> GetRegistryAsync(string kind, string id, CancellationToken cancellationToken)
    {
        await using var cmd = _dataSource.CreateCommand("SELECT doc::text, version, updated_at, updated_by FROM op_registry WHERE kind = @kind AND id = @id");
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.AddWithValue("id", id);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new RegistryEntry(kind, id, reader.GetString(0), reader.GetInt64(1), await reader.GetFieldValueAsync<DateTimeOffset>(2, cancellationToken).ConfigureAwait(false), reader.GetString(3))
            : null;
    }

    /// <inheritdoc />
    public async Task<RegistryEntry> PutRegistryAsync(string kind, string id, string json, string actor, long? expectedVersion, CancellationToken cancellationToken)
    {
        OperationsValidation.Registry(kind, id, json, actor);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lk = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@k, 7))", conn, tx))
        {
            lk.Parameters.AddWithValue("k", kind + "/" + id);
            await lk.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        long? stored;
        await using (var read = new NpgsqlCommand("SELECT version FROM op_registry WHERE kind = @kind AND id = @id", conn, tx))
        {
            read.Parameters.AddWithValue("kind", kind);
            read.Parameters.AddWithValue("id", id);
            stored = (long?)await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }

        if (expectedVersion is { } expected && expected != (stored ?? 0))
        {
            throw new ConcurrencyConflictException(StoreRows.ConflictMessage($"{kind}/{id}", expected, stored));
        }

        var at = StoreRows.Normalize(_options.TimeProvider.GetUtcNow());
        long version = (stored ?? 0) + 1;
        await using (var write = new NpgsqlCommand("""
            INSERT INTO op_registry (kind, id, doc, version, updated_at, updated_by) VALUES (@kind, @id, @doc::jsonb, @version, @at, @by)
            ON CONFLICT (kind, id) DO UPDATE SET doc = EXCLUDED.doc, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
            """, conn, tx))
        {
            write.Parameters.AddWithValue("kind", kind);
            write.Parameters.AddWithValue("id", id);
            write.Parameters.AddWithValue("doc", json);
            write.Parameters.AddWithValue("version", version);
            write.Parameters.AddWithValue("at", at);
            write.Parameters.AddWithValue("by", actor);
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new RegistryEntry(kind, id, json, version, at, actor);
    }

    /// <inheritdoc />
    public async Task<OperationalIntent?> GetIntentAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var cmd = _dataSource.CreateCommand("SELECT doc::text FROM op_intents WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        var json = (string?)await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return json is null ? null : IntentJson.Deserialize(json);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OperationalIntent>> ListIntentsAsync(IntentQuery query, CancellationToken cancellationToken)
    {
        OperationsValidation.Query(query);
        await using var cmd = _dataSource.CreateCommand();
        string tail = DbRows.IntentFilter(cmd, query, "start_at", "end_at", static t => t.ToUniversalTime());
        cmd.CommandText = $"SELECT doc::text FROM op_intents {tail};";
        return await ReadAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OperationalIntent>> LoadLiveAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var cmd = _dataSource.CreateCommand(
            "SELECT doc::text FROM op_intents WHERE end_at > @now AND state NOT IN ('Ended', 'Withdrawn', 'Cancelled')");
        cmd.Parameters.AddWithValue("now", now.ToUniversalTime());
        return await ReadAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static async Task<IReadOnlyList<OperationalIntent>> ReadAsync(NpgsqlCommand cmd, CancellationToken cancellationToken) =>
        await DbRows.ReadAllAsync(cmd, static r => IntentJson.Deserialize(r.GetString(0)), cancellationToken).ConfigureAwait(false);

    private static async Task<string?> FindConflictAsync(NpgsqlConnection conn, NpgsqlTransaction tx, OperationalIntent next, CancellationToken ct)
    {
        for (int i = 0; i < next.Volumes.Count; i++)
        {
            Volume4D v = next.Volumes[i];
            await using var cmd = new NpgsqlCommand(BookingSql.FindConflicts, conn, tx);
            cmd.Parameters.Add(new NpgsqlParameter { Value = next.Id });
            cmd.Parameters.Add(new NpgsqlParameter { Value = PolygonOf(v.Volume.Footprint) });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (decimal)v.Volume.Lower.ValueM });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (decimal)v.Volume.Upper.ValueM });
            cmd.Parameters.Add(new NpgsqlParameter { Value = v.Time.Start.ToUniversalTime() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = v.Time.End.ToUniversalTime() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (short)next.Priority, NpgsqlDbType = NpgsqlDbType.Smallint });
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"volumes[{i}] conflicts with intent {reader.GetGuid(0)} volume {reader.GetInt32(1)}, booked meanwhile by another server");
            }
        }

        return null;
    }

    private static Polygon PolygonOf(Footprint footprint)
    {
        Polygon p = footprint switch
        {
            PolygonFootprint pf => (Polygon)pf.Polygon.Copy(),
            CircleFootprint cf => cf.ToPolygon(1.0),
            _ => throw new ArgumentException($"footprint type {footprint.GetType().Name} is not supported", nameof(footprint)),
        };
        p.SRID = 4326;
        return p;
    }
}
