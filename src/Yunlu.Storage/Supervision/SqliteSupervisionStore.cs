using System.Buffers;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Yunlu.Storage.Supervision;

/// <summary>
/// The supervision recording in the embedded SQLite file (tables <c>sup_positions</c> and <c>sup_alert_events</c> of
/// schema migration 6, <c>sup_conformance</c> of migration 7). Appends run on one pooled connection per call in one transaction, as one prepared INSERT re-bound per row,
/// rows in (aircraft, time) order, with a 64 MiB page cache; the connection uses <c>synchronous=NORMAL</c> (in WAL mode a power loss may lose the last batches of
/// the recording, never corrupt it; the intent and zone stores keep <c>FULL</c>).
/// </summary>
public sealed class SqliteSupervisionStore : ISupervisionStore
{
    private const string PositionColumns = "aircraft_id, t_us, lat, lon, alt_w84, alt_amsl, alt_agl, vn, ve, vu, sources, flags";
    /// <summary>Page cache of a recording connection, KiB (SQLite's default is 2 000): holds the hot index pages of
    /// tens of thousands of aircraft between commits.</summary>
    private const int CacheKiB = 65_536;

    private readonly string _connectionString;
    private readonly YunluStoreOptions _options;

    /// <summary>Creates the store on a SQLite file (no connection opened yet).</summary>
    /// <param name="pathOrConnectionString">A file path or <c>Data Source=…</c> connection string.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    public SqliteSupervisionStore(string pathOrConnectionString, YunluStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pathOrConnectionString);
        _options = options ?? YunluStoreOptions.Default;
        var builder = pathOrConnectionString.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(pathOrConnectionString)
            : new SqliteConnectionStringBuilder { DataSource = pathOrConnectionString };
        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.Mode == SqliteOpenMode.Memory)
        {
            throw new ArgumentException("the supervision store needs a SQLite file (Data Source=<path>)", nameof(pathOrConnectionString));
        }

        builder.DataSource = Path.GetFullPath(builder.DataSource);
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        builder.Pooling = true;

        // A connection string of its own (private cache = the default behaviour), so that this store's pooled
        // connections, which run synchronous=NORMAL, are never handed to the stores that need FULL.
        builder.Cache = SqliteCacheMode.Private;
        builder.DefaultTimeout = Math.Max(1, _options.SqliteBusyTimeoutMs / 1000);
        _connectionString = builder.ToString();
    }

    /// <inheritdoc />
    public string Kind => "sqlite";

    /// <inheritdoc />
    public async Task AppendPositionsAsync(ReadOnlyMemory<RecordedPosition> rows, CancellationToken cancellationToken)
    {
        if (rows.IsEmpty)
        {
            return;
        }

        // In (aircraft, time) order: consecutive rows land next to each other in the (aircraft_id, t_us) index, whose
        // pages are the recording's main cost (one hot leaf per aircraft).
        int[] order = ArrayPool<int>.Shared.Rent(rows.Length);
        try
        {
            for (int i = 0; i < rows.Length; i++)
            {
                order[i] = i;
            }

            RecordedPosition[] sortKeys = ArrayPool<RecordedPosition>.Shared.Rent(rows.Length);
            try
            {
                rows.Span.CopyTo(sortKeys);
                Array.Sort(sortKeys, order, 0, rows.Length, ByAircraftThenTime.Instance);
            }
            finally
            {
                ArrayPool<RecordedPosition>.Shared.Return(sortKeys, clearArray: true);
            }

            await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var insert = PositionInsert(conn, tx, out SqliteParameter[] p);
            await insert.PrepareAsync(cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < rows.Length; i++)
            {
                Bind(p, rows.Span[order[i]]);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
        }
    }

    /// <summary>The single-row <c>INSERT</c> with its parameters in column order. (Multi-row INSERTs are slower
    /// here: Microsoft.Data.Sqlite looks each named parameter up by a linear scan of the statement's names, so binding
    /// k rows of 12 parameters costs O((12k)²).)</summary>
    private static SqliteCommand PositionInsert(SqliteConnection conn, SqliteTransaction tx, out SqliteParameter[] parameters)
    {
        SqliteCommand cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"INSERT INTO sup_positions ({PositionColumns}) VALUES (@id, @t, @lat, @lon, @w84, @amsl, @agl, @vn, @ve, @vu, @src, @flags);";
        parameters =
        [
            cmd.Parameters.Add("@id", SqliteType.Text), cmd.Parameters.Add("@t", SqliteType.Integer), cmd.Parameters.Add("@lat", SqliteType.Real),
            cmd.Parameters.Add("@lon", SqliteType.Real), cmd.Parameters.Add("@w84", SqliteType.Real), cmd.Parameters.Add("@amsl", SqliteType.Real),
            cmd.Parameters.Add("@agl", SqliteType.Real), cmd.Parameters.Add("@vn", SqliteType.Real), cmd.Parameters.Add("@ve", SqliteType.Real),
            cmd.Parameters.Add("@vu", SqliteType.Real), cmd.Parameters.Add("@src", SqliteType.Integer), cmd.Parameters.Add("@flags", SqliteType.Integer),
        ];
        return cmd;
    }

    private static void Bind(SqliteParameter[] p, in RecordedPosition r)
    {
        p[0].Value = r.AircraftId;
        p[1].Value = r.TimeUs;
        p[2].Value = r.LatDeg;
        p[3].Value = r.LonDeg;
        p[4].Value = Nullable(r.AltW84M);
        p[5].Value = Nullable(r.AltAmslM);
        p[6].Value = Nullable(r.AltAglM);
        p[7].Value = r.VnMps;
        p[8].Value = r.VeMps;
        p[9].Value = r.VuMps;
        p[10].Value = r.Sources;
        p[11].Value = r.Flags;
    }

    /// <summary>Orders rows by aircraft id (ordinal), then time.</summary>
    private sealed class ByAircraftThenTime : IComparer<RecordedPosition>
    {
        public static readonly ByAircraftThenTime Instance = new();

        public int Compare(RecordedPosition x, RecordedPosition y)
        {
            int c = string.CompareOrdinal(x.AircraftId, y.AircraftId);
            return c != 0 ? c : x.TimeUs.CompareTo(y.TimeUs);
        }
    }

    /// <inheritdoc />
    public async Task AppendAlertEventsAsync(IReadOnlyList<RecordedAlertEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO sup_alert_events (alert_id, t_us, kind, event, severity, aircraft, other, zone, intent, lat, lon, advisory, acknowledged_by, message)
            VALUES (@a, @t, @kind, @event, @sev, @ac, @other, @zone, @intent, @lat, @lon, @adv, @ack, @msg);
            """;
        foreach (RecordedAlertEvent e in events)
        {
            cmd.Parameters.Clear();
            cmd.Parameters.AddWithValue("@a", e.AlertId);
            cmd.Parameters.AddWithValue("@t", e.TimeUs);
            cmd.Parameters.AddWithValue("@kind", e.Kind);
            cmd.Parameters.AddWithValue("@event", e.Event);
            cmd.Parameters.AddWithValue("@sev", e.Severity);
            cmd.Parameters.AddWithValue("@ac", e.Aircraft);
            cmd.Parameters.AddWithValue("@other", (object?)e.Other ?? DBNull.Value);
            cmd.Parameters.AddWithValue("@zone", (object?)e.Zone ?? DBNull.Value);
            cmd.Parameters.AddWithValue("@intent", (object?)e.Intent ?? DBNull.Value);
            cmd.Parameters.AddWithValue("@lat", e.LatDeg);
            cmd.Parameters.AddWithValue("@lon", e.LonDeg);
            cmd.Parameters.AddWithValue("@adv", (object?)e.Advisory ?? DBNull.Value);
            cmd.Parameters.AddWithValue("@ack", (object?)e.AcknowledgedBy ?? DBNull.Value);
            cmd.Parameters.AddWithValue("@msg", e.Message);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RecordedPosition>> PictureAsync(long atUs, long fromUs, int limit, CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = conn.CreateCommand();

        // SQLite returns the bare columns of the row holding MAX(t_us) in each group.
        cmd.CommandText = """
            SELECT aircraft_id, MAX(t_us), lat, lon, alt_w84, alt_amsl, alt_agl, vn, ve, vu, sources, flags
            FROM sup_positions WHERE t_us > @from AND t_us <= @at GROUP BY aircraft_id ORDER BY aircraft_id LIMIT @limit;
            """;
        cmd.Parameters.AddWithValue("@from", fromUs);
        cmd.Parameters.AddWithValue("@at", atUs);
        cmd.Parameters.AddWithValue("@limit", limit);
        return await ReadPositionsAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RecordedPosition>> HistoryAsync(string aircraftId, long fromUs, long toUs, int limit, CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT {PositionColumns} FROM sup_positions WHERE aircraft_id = @id AND t_us >= @from AND t_us <= @to ORDER BY t_us LIMIT @limit;";
        cmd.Parameters.AddWithValue("@id", aircraftId);
        cmd.Parameters.AddWithValue("@from", fromUs);
        cmd.Parameters.AddWithValue("@to", toUs);
        cmd.Parameters.AddWithValue("@limit", limit);
        return await ReadPositionsAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RecordedAlertEvent>> AlertEventsAsync(long fromUs, long toUs, int limit, CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = """
            SELECT alert_id, t_us, kind, event, severity, aircraft, other, zone, intent, lat, lon, advisory, acknowledged_by, message
            FROM sup_alert_events WHERE t_us >= @from AND t_us <= @to ORDER BY t_us, seq LIMIT @limit;
            """;
        cmd.Parameters.AddWithValue("@from", fromUs);
        cmd.Parameters.AddWithValue("@to", toUs);
        cmd.Parameters.AddWithValue("@limit", limit);
        var list = new List<RecordedAlertEvent>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(ReadAlertEvent(reader));
        }

        return list;
    }

    /// <inheritdoc />
    public async Task<long> MaxAlertIdAsync(CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT COALESCE(MAX(alert_id), 0) FROM sup_alert_events;";
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task SetNonconformingSinceAsync(string intentId, long? sinceUs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(intentId);
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sinceUs is null
            ? "DELETE FROM sup_conformance WHERE intent_id = @id;"
            : "INSERT INTO sup_conformance (intent_id, since_us) VALUES (@id, @since) ON CONFLICT (intent_id) DO UPDATE SET since_us = excluded.since_us;";
        cmd.Parameters.AddWithValue("@id", intentId);
        if (sinceUs is { } since)
        {
            cmd.Parameters.AddWithValue("@since", since);
        }

        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, long>> NonconformingSinceAsync(CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT intent_id, since_us FROM sup_conformance;";
        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            map[reader.GetString(0)] = reader.GetInt64(1);
        }

        return map;
    }

    /// <inheritdoc />
    public async Task<long> PurgeAsync(long beforeUs, CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "DELETE FROM sup_positions WHERE t_us < @before; DELETE FROM sup_alert_events WHERE t_us < @before;";
        cmd.Parameters.AddWithValue("@before", beforeUs);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }

    private static object Nullable(double v) => double.IsNaN(v) ? DBNull.Value : v;

    private static async Task<IReadOnlyList<RecordedPosition>> ReadPositionsAsync(SqliteCommand cmd, CancellationToken cancellationToken)
    {
        var list = new List<RecordedPosition>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(ReadPosition(reader));
        }

        return list;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var conn = new SqliteConnection(_connectionString);
        try
        {
            await conn.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragma = conn.CreateCommand();
            pragma.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={_options.SqliteBusyTimeoutMs}; PRAGMA cache_size=-{CacheKiB};");
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return conn;
        }
        catch
        {
            await conn.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static RecordedPosition ReadPosition(System.Data.Common.DbDataReader reader) =>
        new(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3),
            reader.IsDBNull(4) ? double.NaN : reader.GetDouble(4), reader.IsDBNull(5) ? double.NaN : reader.GetDouble(5), reader.IsDBNull(6) ? double.NaN : reader.GetDouble(6),
            reader.GetDouble(7), reader.GetDouble(8), reader.GetDouble(9), reader.GetInt32(10), reader.GetInt32(11));

    private static RecordedAlertEvent ReadAlertEvent(System.Data.Common.DbDataReader reader) =>
        new(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.GetDouble(9), reader.GetDouble(10), reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12), reader.GetString(13));
}
