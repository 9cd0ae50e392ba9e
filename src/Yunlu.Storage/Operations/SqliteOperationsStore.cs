using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Yunlu.Airspace.Operations;
using Yunlu.Geo;

namespace Yunlu.Storage.Operations;

/// <summary>
/// Operations on the embedded SQLite file (the same <c>yunlu.db</c> as <see cref="SqliteYunluStore"/>, tables of
/// schema migration 5). One server owns the file, and <see cref="IntentBook"/> already serialises conflicting
/// decisions in memory, so the committer only has to write durably and guard each update by the previous OVN.
/// Intent writes use <b>group commit</b>: a single writer connection drains the queue of pending versions and
/// commits them in one <c>BEGIN IMMEDIATE</c> transaction (<c>synchronous=FULL</c>: fsynced before any of them is
/// acknowledged), so concurrent submissions share one fsync instead of queuing for one each.
/// </summary>
public sealed class SqliteOperationsStore : IOperationsStore, IOrderedIntentCommitter
{
    private const int MaxBatch = 512;

    private const string InsertIntentSql = """
        INSERT INTO op_intents (id, ovn, version, state, priority, owner_id, manager_id, operator_id, aircraft_id, pilot_id,
                                start_us, end_us, doc, updated_at_us)
        VALUES (@id, @ovn, @version, @state, @priority, @owner, @manager, @operator, @aircraft, @pilot, @start, @end, @doc, @at)
        ON CONFLICT (id) DO NOTHING;
        """;

    private const string UpdateIntentSql = """
        UPDATE op_intents SET ovn = @ovn, version = @version, state = @state, priority = @priority, manager_id = @manager,
            start_us = @start, end_us = @end, doc = @doc, updated_at_us = @at
        WHERE id = @id AND ovn = @previous;
        """;

    private const string IntentColumns = "doc";

    private readonly string _connectionString;
    private readonly YunluStoreOptions _options;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _registryLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lazy<Task> _writerLoop;
    private SqliteConnection? _writer;

    /// <summary>Creates the store on a SQLite file (no connection opened yet).</summary>
    /// <param name="pathOrConnectionString">A file path or <c>Data Source=…</c> connection string.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    public SqliteOperationsStore(string pathOrConnectionString, YunluStoreOptions? options = null)
    {
        _options = options ?? YunluStoreOptions.Default;
        _connectionString = SqliteFile.Builder(pathOrConnectionString, _options.SqliteBusyTimeoutMs, "the operations store").ToString();
        _writerLoop = new Lazy<Task>(() => Task.Run(() => WriterLoopAsync(_stopping.Token)), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <inheritdoc />
    public string Kind => "sqlite";

    /// <inheritdoc />
    public async ValueTask<CommitOutcome> CommitAsync(OperationalIntent next, OperationalIntent? previous, IReadOnlyList<long> lockKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        _ = _writerLoop.Value;
        var write = new PendingWrite(next, previous, IntentJson.Serialize(next));
        await _queue.Writer.WriteAsync(write, cancellationToken).ConfigureAwait(false);

        // Not cancellable once queued: the write may already be committed, and the book must learn the outcome.
        return await write.Done.Task.ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>The single writer loop drains the queue in FIFO order into group-commit batches, so writes become
    /// durable in queue order.</remarks>
    public Task<CommitOutcome> EnqueueNew(OperationalIntent next, IReadOnlyList<long> lockKeys)
    {
        ArgumentNullException.ThrowIfNull(next);
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        _ = _writerLoop.Value;
        var write = new PendingWrite(next, null, IntentJson.Serialize(next));
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(SqliteOperationsStore));
        }

        return write.Done.Task;
    }

    /// <inheritdoc />
    public async Task<RegistryEntry?> GetRegistryAsync(string kind, string id, CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, "SELECT doc, version, updated_at_us, updated_by FROM op_registry WHERE kind = @kind AND id = @id;");
        cmd.Parameters.AddWithValue("@kind", kind);
        cmd.Parameters.AddWithValue("@id", id);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new RegistryEntry(kind, id, reader.GetString(0), reader.GetInt64(1), StoreRows.FromUnixMicroseconds(reader.GetInt64(2)), reader.GetString(3))
            : null;
    }

    /// <inheritdoc />
    public async Task<RegistryEntry> PutRegistryAsync(string kind, string id, string json, string actor, long? expectedVersion, CancellationToken cancellationToken)
    {
        OperationsValidation.Registry(kind, id, json, actor);
        await _registryLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
            long? stored;
            await using (var read = Command(conn, tx, "SELECT version FROM op_registry WHERE kind = @kind AND id = @id;"))
            {
                read.Parameters.AddWithValue("@kind", kind);
                read.Parameters.AddWithValue("@id", id);
                stored = (long?)await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }

            if (expectedVersion is { } expected && expected != (stored ?? 0))
            {
                throw new ConcurrencyConflictException(StoreRows.ConflictMessage($"{kind}/{id}", expected, stored));
            }

            var at = StoreRows.Normalize(_options.TimeProvider.GetUtcNow());
            long version = (stored ?? 0) + 1;
            await using (var write = Command(conn, tx, """
                INSERT INTO op_registry (kind, id, doc, version, updated_at_us, updated_by) VALUES (@kind, @id, @doc, @version, @at, @by)
                ON CONFLICT (kind, id) DO UPDATE SET doc = excluded.doc, version = excluded.version,
                    updated_at_us = excluded.updated_at_us, updated_by = excluded.updated_by;
                """))
            {
                write.Parameters.AddWithValue("@kind", kind);
                write.Parameters.AddWithValue("@id", id);
                write.Parameters.AddWithValue("@doc", json);
                write.Parameters.AddWithValue("@version", version);
                write.Parameters.AddWithValue("@at", StoreRows.ToUnixMicroseconds(at));
                write.Parameters.AddWithValue("@by", actor);
                await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new RegistryEntry(kind, id, json, version, at, actor);
        }
        finally
        {
            _registryLock.Release();
        }
    }

    /// <inheritdoc />
    public async Task<OperationalIntent?> GetIntentAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, $"SELECT {IntentColumns} FROM op_intents WHERE id = @id;");
        cmd.Parameters.AddWithValue("@id", id.ToString("D"));
        var json = (string?)await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return json is null ? null : IntentJson.Deserialize(json);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OperationalIntent>> ListIntentsAsync(IntentQuery query, CancellationToken cancellationToken)
    {
        OperationsValidation.Query(query);
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, "");
        string tail = DbRows.IntentFilter(cmd, query, "start_us", "end_us", static t => StoreRows.ToUnixMicroseconds(t));
        cmd.CommandText = $"SELECT {IntentColumns} FROM op_intents {tail};";
        return await ReadIntentsAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OperationalIntent>> LoadLiveAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null,
            $"SELECT {IntentColumns} FROM op_intents WHERE end_us > @now AND state NOT IN ('Ended', 'Withdrawn', 'Cancelled');");
        cmd.Parameters.AddWithValue("@now", StoreRows.ToUnixMicroseconds(now));
        return await ReadIntentsAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _queue.Writer.TryComplete();
        if (_writerLoop.IsValueCreated)
        {
            await _writerLoop.Value.ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
        _registryLock.Dispose();
    }

    private static async Task<IReadOnlyList<OperationalIntent>> ReadIntentsAsync(SqliteCommand cmd, CancellationToken cancellationToken) =>
        await DbRows.ReadAllAsync(cmd, static r => IntentJson.Deserialize(r.GetString(0)), cancellationToken).ConfigureAwait(false);

    private async Task WriterLoopAsync(CancellationToken stopping)
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out PendingWrite? w))
            {
                batch.Add(w);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                _writer ??= await OpenWriterAsync(stopping).ConfigureAwait(false);
                var outcomes = await WriteBatchAsync(_writer, batch, CancellationToken.None).ConfigureAwait(false);
                for (int i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(outcomes[i]);
                }
            }
            catch (Exception ex)
            {
                // Nothing of the batch is committed (the transaction rolled back): every caller learns it failed.
                if (_writer is not null)
                {
                    await _writer.DisposeAsync().ConfigureAwait(false);
                    _writer = null;
                }

                foreach (PendingWrite w in batch)
                {
                    w.Done.TrySetException(ex);
                }
            }
        }
    }

    private async Task<CommitOutcome[]> WriteBatchAsync(SqliteConnection conn, List<PendingWrite> batch, CancellationToken ct)
    {
        var outcomes = new CommitOutcome[batch.Count];
        await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct).ConfigureAwait(false);
        await using var insert = Command(conn, tx, InsertIntentSql);
        await using var update = Command(conn, tx, UpdateIntentSql);
        foreach (var p in new[] { "@id", "@ovn", "@version", "@state", "@priority", "@owner", "@manager", "@operator", "@aircraft", "@pilot", "@start", "@end", "@doc", "@at" })
        {
            insert.Parameters.Add(new SqliteParameter(p, null));
        }

        foreach (var p in new[] { "@id", "@ovn", "@version", "@state", "@priority", "@manager", "@start", "@end", "@doc", "@at", "@previous" })
        {
            update.Parameters.Add(new SqliteParameter(p, null));
        }

        for (int i = 0; i < batch.Count; i++)
        {
            PendingWrite w = batch[i];
            OperationalIntent n = w.Next;
            TimeWindow span = n.Span;
            SqliteCommand cmd = w.Previous is null ? insert : update;
            var p = cmd.Parameters;
            p["@id"].Value = n.Id.ToString("D");
            p["@ovn"].Value = n.Ovn;
            p["@version"].Value = n.Version;
            p["@state"].Value = n.State.ToString();
            p["@priority"].Value = (int)n.Priority;
            p["@manager"].Value = (object?)n.ManagerId ?? DBNull.Value;
            p["@start"].Value = StoreRows.ToUnixMicroseconds(span.Start);
            p["@end"].Value = StoreRows.ToUnixMicroseconds(span.End);
            p["@doc"].Value = w.Json;
            p["@at"].Value = StoreRows.ToUnixMicroseconds(n.UpdatedAt);
            if (w.Previous is null)
            {
                p["@owner"].Value = n.OwnerId;
                p["@operator"].Value = n.OperatorId;
                p["@aircraft"].Value = n.AircraftId;
                p["@pilot"].Value = n.PilotId;
            }
            else
            {
                p["@previous"].Value = w.Previous.Ovn;
            }

            int rows = await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            outcomes[i] = rows == 1
                ? CommitOutcome.Ok
                : new CommitOutcome(false, [w.Previous is null
                    ? string.Create(CultureInfo.InvariantCulture, $"intent {n.Id} exists already")
                    : string.Create(CultureInfo.InvariantCulture, $"intent {n.Id} was changed by someone else (stored OVN is not {w.Previous.Ovn})")]);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return outcomes;
    }

    // synchronous=FULL: a commit is fsynced before it is acknowledged (WAL mode is set by the main store).
    private string Pragmas => SqliteFile.DurablePragmas(_options.SqliteBusyTimeoutMs, foreignKeys: false);

    private Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken) =>
        SqliteFile.OpenAsync(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString(), Pragmas, cancellationToken);

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) =>
        SqliteFile.OpenAsync(_connectionString, Pragmas, cancellationToken);

    private static SqliteCommand Command(SqliteConnection conn, SqliteTransaction? tx, string sql) => SqliteFile.Command(conn, tx, sql);

    private sealed class PendingWrite(OperationalIntent next, OperationalIntent? previous, string json)
    {
        public OperationalIntent Next { get; } = next;

        public OperationalIntent? Previous { get; } = previous;

        public string Json { get; } = json;

        public TaskCompletionSource<CommitOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
