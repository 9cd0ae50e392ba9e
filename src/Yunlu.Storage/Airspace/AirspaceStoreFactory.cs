namespace Yunlu.Storage.Airspace;

/// <summary>Creates the <see cref="IAirspaceStore"/> over the same database as the main store.</summary>
public static class AirspaceStoreFactory
{
    /// <summary>Creates the store for a connection string or path, as <see cref="YunluStoreFactory.Create"/> does (no
    /// connection is opened; the main store's <see cref="IYunluStore.MigrateAsync"/> creates the tables).</summary>
    /// <param name="connectionStringOrPath">A SQLite path / <c>Data Source=</c> string or an Npgsql <c>Host=</c> string.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    public static IAirspaceStore Create(string connectionStringOrPath, YunluStoreOptions? options = null)
    {
        if (YunluStoreFactory.Detect(connectionStringOrPath) == YunluStoreKind.Postgres)
        {
            return new PostgresAirspaceStore(connectionStringOrPath, options);
        }

        var s = connectionStringOrPath.Trim();
        if (!s.Contains('=', StringComparison.Ordinal) &&
            (Directory.Exists(s) || s.EndsWith(Path.DirectorySeparatorChar) || s.EndsWith(Path.AltDirectorySeparatorChar)))
        {
            s = Path.Combine(s, YunluStoreFactory.DefaultSqliteFileName);
        }

        return new SqliteAirspaceStore(s, options);
    }
}
