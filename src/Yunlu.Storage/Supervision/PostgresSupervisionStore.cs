using Npgsql;
using NpgsqlTypes;

namespace Yunlu.Storage.Supervision;

/// <summary>
/// The supervision recording on PostgreSQL (tables <c>sup_positions</c> and <c>sup_alert_events</c> of schema
/// migration 6, <c>sup_conformance</c> of migration 7). Positions are appended with binary <c>COPY</c>; the picture query is one <c>DISTINCT ON</c> over the
/// time index.
/// </summary>
public sealed class PostgresSupervisionStore : ISupervisionStore
{
    private const string PositionColumns = "aircraft_id, t_us, lat, lon, alt_w84, alt_amsl, alt_agl, vn, ve, vu, sources, flags";
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates the store (no connection opened yet).</summary>
    /// <param name="connectionString">The PostgreSQL connection string.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    public PostgresSupervisionStore(string connectionString, YunluStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if ((options ?? YunluStoreOptions.Default).PostgresMaxPoolSize is { } max)
        {
            builder.ConnectionStringBuilder.MaxPoolSize = max;
        }

        _dataSource = builder.Build();
    }

    /// <inheritdoc />
    public string Kind => "postgres";

    /// <inheritdoc />
    public async Task AppendPositionsAsync(ReadOnlyMemory<RecordedPosition> rows, CancellationToken cancellationToken)
    {
        if (rows.IsEmpty)
        {
            return;
        }

        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var copy = await conn.BeginBinaryImportAsync($"COPY sup_positions ({PositionColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            for (int i = 0; i < rows.Length; i++)
            {
                RecordedPosition r = rows.Span[i];
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(r.AircraftId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(r.TimeUs, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(r.LatDeg, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(r.LonDeg, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(copy, r.AltW84M, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(copy, r.AltAmslM, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(copy, r.AltAglM, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(r.VnMps, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(r.VeMps, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(r.VuMps, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(r.Sources, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync((short)r.Flags, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
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

        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(conn);
        foreach (RecordedAlertEvent e in events)
        {
            var cmd = new NpgsqlBatchCommand("""
                INSERT INTO sup_alert_events (alert_id, t_us, kind, event, severity, aircraft, other, zone, intent, lat, lon, advisory, acknowledged_by, message)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                """);
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.AlertId });
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.TimeUs });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Kind });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Event });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Severity });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Aircraft });
            cmd.Parameters.Add(Text(e.Other));
            cmd.Parameters.Add(Text(e.Zone));
            cmd.Parameters.Add(Text(e.Intent));
            cmd.Parameters.Add(new NpgsqlParameter<double> { TypedValue = e.LatDeg });
            cmd.Parameters.Add(new NpgsqlParameter<double> { TypedValue = e.LonDeg });
            cmd.Parameters.Add(Text(e.Advisory));
            cmd.Parameters.Add(Text(e.AcknowledgedBy));
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Message });
            batch.BatchCommands.Add(cmd);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RecordedPosition>> PictureAsync(long atUs, long fromUs, int limit, CancellationToken cancellationToken)
    {
        await using var cmd = _dataSource.CreateCommand($"""
            SELECT DISTINCT ON (aircraft_id) {PositionColumns}
            FROM sup_positions WHERE t_us > $1 AND t_us <= $2 ORDER BY aircraft_id, t_us DESC LIMIT $3
            """);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = fromUs });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = atUs });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadPositionsAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RecordedPosition>> HistoryAsync(string aircraftId, long fromUs, long toUs, int limit, CancellationToken cancellationToken)
    {
        await using var cmd = _dataSource.CreateCommand($"SELECT {PositionColumns} FROM sup_positions WHERE aircraft_id = $1 AND t_us >= $2 AND t_us <= $3 ORDER BY t_us LIMIT $4");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = aircraftId });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = fromUs });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = toUs });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadPositionsAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RecordedAlertEvent>> AlertEventsAsync(long fromUs, long toUs, int limit, CancellationToken cancellationToken)
    {
        await using var cmd = _dataSource.CreateCommand("""
            SELECT alert_id, t_us, kind, event, severity, aircraft, other, zone, intent, lat, lon, advisory, acknowledged_by, message
            FROM sup_alert_events WHERE t_us >= $1 AND t_us <= $2 ORDER BY t_us, seq LIMIT $3
            """);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = fromUs });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = toUs });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
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
        await using var cmd = _dataSource.CreateCommand("SELECT COALESCE(MAX(alert_id), 0) FROM sup_alert_events");
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task SetNonconformingSinceAsync(string intentId, long? sinceUs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(intentId);
        await using var cmd = sinceUs is { } since
            ? _dataSource.CreateCommand("INSERT INTO sup_conformance (intent_id, since_us) VALUES ($1, $2) ON CONFLICT (intent_id) DO UPDATE SET since_us = EXCLUDED.since_us")
            : _dataSource.CreateCommand("DELETE FROM sup_conformance WHERE intent_id = $1");
        cmd.Parameters.Add(Text(intentId));
        if (sinceUs is { } value)
        {
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = value });
        }

        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, long>> NonconformingSinceAsync(CancellationToken cancellationToken)
    {
        await using var cmd = _dataSource.CreateCommand("SELECT intent_id, since_us FROM sup_conformance");
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
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("DELETE FROM sup_positions WHERE t_us < $1") { Parameters = { new NpgsqlParameter<long> { TypedValue = beforeUs } } },
                new NpgsqlBatchCommand("DELETE FROM sup_alert_events WHERE t_us < $1") { Parameters = { new NpgsqlParameter<long> { TypedValue = beforeUs } } },
            },
        };
        return await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, double v, CancellationToken cancellationToken)
    {
        if (double.IsNaN(v))
        {
            await copy.WriteNullAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await copy.WriteAsync(v, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<IReadOnlyList<RecordedPosition>> ReadPositionsAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        var list = new List<RecordedPosition>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(ReadPosition(reader));
        }

        return list;
    }

    private static RecordedPosition ReadPosition(System.Data.Common.DbDataReader reader) =>
        new(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3),
            reader.IsDBNull(4) ? double.NaN : reader.GetDouble(4), reader.IsDBNull(5) ? double.NaN : reader.GetDouble(5), reader.IsDBNull(6) ? double.NaN : reader.GetDouble(6),
            reader.GetDouble(7), reader.GetDouble(8), reader.GetDouble(9), reader.GetInt32(10), reader.GetInt16(11));

    private static RecordedAlertEvent ReadAlertEvent(System.Data.Common.DbDataReader reader) =>
        new(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.GetDouble(9), reader.GetDouble(10), reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12), reader.GetString(13));
}
