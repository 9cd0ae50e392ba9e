using System.Data.Common;
using Npgsql;
using Yunlu.Storage.Serialization;

namespace Yunlu.Storage.Airspace;

/// <summary>The airspace additions on the PostgreSQL database of <see cref="PostgresYunluStore"/> through its own pooled
/// <see cref="NpgsqlDataSource"/>. Writes are read-committed transactions; corridor versions are incremented inside the
/// upsert statement, so concurrent servers never lose an increment.</summary>
public sealed class PostgresAirspaceStore : AdoAirspaceStore
{
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates the store (no connection is opened until first use).</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    public PostgresAirspaceStore(string connectionString, YunluStoreOptions? options = null)
        : base(options)
    {
        _dataSource = PostgresDataSources.Build(connectionString, options, geometry: false);
    }

    private protected override string ZonesAsOfSql => """
        SELECT h.zone_json::text, h.version, h.deleted, h.changed_at, h.actor FROM zone_history h
        JOIN (SELECT identifier, max(history_id) AS hid FROM zone_history WHERE changed_at <= @t GROUP BY identifier) m
          ON h.history_id = m.hid
        WHERE NOT h.deleted ORDER BY h.identifier;
        """;

    private protected override object AsOfParameter(DateTimeOffset asOf) => asOf.ToUniversalTime();

    private protected override ZoneHistoryEntry ReadHistory(DbDataReader reader) => PostgresYunluStore.ReadHistory(reader);

    private protected override string ParameterName(string name) => name;

    private protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
