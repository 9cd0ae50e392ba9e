using Npgsql;

namespace Yunlu.Storage;

/// <summary>How every PostgreSQL store builds its pooled data source: the pool size from the options and, when the
/// store reads or writes geometry columns, NetTopologySuite's type mapping.</summary>
internal static class PostgresDataSources
{
    /// <summary>Builds a data source for <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">An Npgsql connection string (<c>Host=…;Username=…;Database=…</c>).</param>
    /// <param name="options">Options, or null for <see cref="YunluStoreOptions.Default"/>.</param>
    /// <param name="geometry">Map PostGIS geometry to NetTopologySuite types.</param>
    public static NpgsqlDataSource Build(string connectionString, YunluStoreOptions? options, bool geometry)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if ((options ?? YunluStoreOptions.Default).PostgresMaxPoolSize is { } max)
        {
            builder.ConnectionStringBuilder.MaxPoolSize = max;
        }

        if (geometry)
        {
            builder.UseNetTopologySuite();
        }

        return builder.Build();
    }
}
