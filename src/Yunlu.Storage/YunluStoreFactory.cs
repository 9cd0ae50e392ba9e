using System.Data.Common;

namespace Yunlu.Storage;

/// <summary>Which store implementation a connection string selects.</summary>
public enum YunluStoreKind
{
    /// <summary>The embedded SQLite file (<see cref="SqliteYunluStore"/>).</summary>
    Sqlite,

    /// <summary>PostgreSQL + PostGIS (<see cref="PostgresYunluStore"/>).</summary>
    Postgres,
}

/// <summary>Opens the right store for a connection string or path and migrates it.</summary>
public static class YunluStoreFactory
{
    /// <summary>The file name used when a folder is given instead of a database file.</summary>
    public const string DefaultSqliteFileName = "yunlu.db";

    /// <summary>
    /// Decides which store a string selects: a key=value connection string with <c>Host</c> or <c>Server</c> is
    /// PostgreSQL; one with <c>Data Source</c> / <c>DataSource</c> / <c>Filename</c> is SQLite; anything without
    /// <c>=</c> is a SQLite file path (or a folder, which gets <see cref="DefaultSqliteFileName"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The string is empty, a URI, or a connection string naming neither.</exception>
    public static YunluStoreKind Detect(string connectionStringOrPath)
    {
        if (string.IsNullOrWhiteSpace(connectionStringOrPath))
        {
            throw new ArgumentException("connectionStringOrPath: must not be empty", nameof(connectionStringOrPath));
        }

        var s = connectionStringOrPath.Trim();
        if (s.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                "connectionStringOrPath: PostgreSQL URIs are not supported; use a key=value string such as Host=…;Username=…;Database=…",
                nameof(connectionStringOrPath));
        }

        if (!s.Contains('=', StringComparison.Ordinal))
        {
            return YunluStoreKind.Sqlite;
        }

        var builder = new DbConnectionStringBuilder { ConnectionString = s };
        if (builder.ContainsKey("Host") || builder.ContainsKey("Server"))
        {
            return YunluStoreKind.Postgres;
        }

        if (builder.ContainsKey("Data Source") || builder.ContainsKey("DataSource") || builder.ContainsKey("Filename"))
        {
            return YunluStoreKind.Sqlite;
        }

        throw new ArgumentException(
            "connectionStringOrPath: a connection string must name either Host= (PostgreSQL) or Data Source= (SQLite)",
            nameof(connectionStringOrPath));
    }

    /// <summary>Creates the store without touching the database (no connection is opened, nothing is migrated).</summary>
    public static IYunluStore Create(string connectionStringOrPath, YunluStoreOptions? options = null)
    {
        var kind = Detect(connectionStringOrPath);
        if (kind == YunluStoreKind.Postgres)
        {
            return new PostgresYunluStore(connectionStringOrPath, options);
        }

        var s = connectionStringOrPath.Trim();
        if (!s.Contains('=', StringComparison.Ordinal) &&
            (Directory.Exists(s) || s.EndsWith(Path.DirectorySeparatorChar) || s.EndsWith(Path.AltDirectorySeparatorChar)))
        {
            s = Path.Combine(s, DefaultSqliteFileName);
        }

        return new SqliteYunluStore(s, options);
    }

    /// <summary>
    /// Opens the store selected by <paramref name="connectionStringOrPath"/> (see <see cref="Detect"/>) and, unless
    /// <see cref="YunluStoreOptions.Migrate"/> is false, applies pending migrations before returning it. Safe to call
    /// from several processes at once: migrations are serialised (SQLite write lock, PostgreSQL advisory lock).
    /// </summary>
    /// <param name="connectionStringOrPath">A SQLite path / <c>Data Source=</c> string or an Npgsql <c>Host=</c> string.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    /// <param name="cancellationToken">Cancels opening and migrating.</param>
    /// <returns>The open store; the caller disposes it.</returns>
    public static async Task<IYunluStore> OpenAsync(string connectionStringOrPath, YunluStoreOptions? options, CancellationToken cancellationToken)
    {
        options ??= YunluStoreOptions.Default;
        var store = Create(connectionStringOrPath, options);
        if (!options.Migrate)
        {
            return store;
        }

        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
