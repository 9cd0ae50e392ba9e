using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Yunlu.Storage.Serialization;

namespace Yunlu.Storage.Airspace;

/// <summary>The airspace additions on the SQLite file of <see cref="SqliteYunluStore"/>: pooled connections with the same
/// pragmas (WAL, <c>synchronous=FULL</c>, busy timeout); each write is a <c>BEGIN IMMEDIATE</c> transaction, so it
/// serialises with the main store's writer through SQLite's own lock.</summary>
public sealed class SqliteAirspaceStore : AdoAirspaceStore
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;

    /// <summary>Creates the store on a SQLite file (path or <c>Data Source=</c> string); nothing is opened yet.</summary>
    /// <param name="pathOrConnectionString">The database file.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    public SqliteAirspaceStore(string pathOrConnectionString, YunluStoreOptions? options = null)
        : base(options)
    {
        _busyTimeoutMs = (options ?? YunluStoreOptions.Default).SqliteBusyTimeoutMs;
        var builder = SqliteFile.Builder(pathOrConnectionString, _busyTimeoutMs, "the airspace store");
        builder.ForeignKeys = true;
        _connectionString = builder.ToString();
    }

    private protected override string ZonesAsOfSql => """
        SELECT h.zone_json, h.version, h.deleted, h.changed_at_us, h.actor FROM zone_history h
        JOIN (SELECT identifier, max(history_id) AS hid FROM zone_history WHERE changed_at_us <= @t GROUP BY identifier) m
          ON h.history_id = m.hid
        WHERE h.deleted = 0 ORDER BY h.identifier;
        """;

    private protected override object AsOfParameter(DateTimeOffset asOf) => StoreRows.ToUnixMicroseconds(asOf);

    private protected override ZoneHistoryEntry ReadHistory(DbDataReader reader) => SqliteYunluStore.ReadHistory(reader);

    private protected override string ParameterName(string name) => "@" + name;

    private protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await SqliteFile.OpenAsync(_connectionString, SqliteFile.DurablePragmas(_busyTimeoutMs, foreignKeys: true), cancellationToken)
            .ConfigureAwait(false);

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        using var conn = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(conn);
        return ValueTask.CompletedTask;
    }
}
