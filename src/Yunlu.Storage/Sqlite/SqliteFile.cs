using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Yunlu.Storage;

/// <summary>
/// What every store on the embedded SQLite file does the same way: turn a path or connection string into a pooled
/// connection string for a file (never in-memory: per-operation connections would each see another database), and
/// open a connection with the per-connection pragmas applied before first use.
/// </summary>
internal static class SqliteFile
{
    /// <summary>A pooled, read-write-create connection string builder for the file.</summary>
    /// <param name="pathOrConnectionString">A file path, or a <c>Data Source=…</c> connection string.</param>
    /// <param name="busyTimeoutMs">How long a connection waits for another writer's lock.</param>
    /// <param name="store">The store's name for the error message.</param>
    /// <exception cref="ArgumentException">Empty, or an in-memory database.</exception>
    public static SqliteConnectionStringBuilder Builder(string pathOrConnectionString, int busyTimeoutMs, string store)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pathOrConnectionString);
        var builder = pathOrConnectionString.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(pathOrConnectionString)
            : new SqliteConnectionStringBuilder { DataSource = pathOrConnectionString };
        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.Mode == SqliteOpenMode.Memory ||
            string.Equals(builder.DataSource, ":memory:", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{store} needs a SQLite file (Data Source=<path>); in-memory databases are not supported",
                nameof(pathOrConnectionString));
        }

        builder.DataSource = Path.GetFullPath(builder.DataSource);
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        builder.Pooling = true;
        builder.DefaultTimeout = Math.Max(1, busyTimeoutMs / 1000);
        return builder;
    }

    /// <summary>The pragmas of a connection whose commits must be durable when acknowledged: <c>synchronous=FULL</c>
    /// (the WAL is fsynced at every commit), optionally foreign keys, and the busy timeout.</summary>
    public static string DurablePragmas(int busyTimeoutMs, bool foreignKeys) => string.Create(CultureInfo.InvariantCulture,
        $"PRAGMA synchronous=FULL; {(foreignKeys ? "PRAGMA foreign_keys=ON; " : "")}PRAGMA busy_timeout={busyTimeoutMs};");

    /// <summary>Opens a connection and runs <paramref name="pragmas"/> on it; the connection is disposed on failure.</summary>
    public static async Task<SqliteConnection> OpenAsync(string connectionString, string pragmas, CancellationToken cancellationToken)
    {
        var conn = new SqliteConnection(connectionString);
        try
        {
            await conn.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using SqliteCommand cmd = Command(conn, null, pragmas);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return conn;
        }
        catch
        {
            await conn.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A command on the connection, in the transaction when one is given.</summary>
    public static SqliteCommand Command(SqliteConnection conn, SqliteTransaction? tx, string sql)
    {
        SqliteCommand cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd;
    }
}
