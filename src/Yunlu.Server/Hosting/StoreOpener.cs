using Yunlu.Storage;

namespace Yunlu.Server.Hosting;

/// <summary>Opens the store the options name: SQLite <c>&lt;data&gt;/yunlu.db</c> by default, PostgreSQL when a connection
/// string is given (through <see cref="YunluStoreFactory"/>).</summary>
public static class StoreOpener
{
    /// <summary>Creates (without migrating; the caller migrates) the store for <paramref name="options"/>.</summary>
    public static Task<IYunluStore> OpenAsync(YunluServerOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Directory.CreateDirectory(Path.GetFullPath(options.DataFolder));
        var target = string.IsNullOrWhiteSpace(options.PostgresConnectionString) ? options.SqlitePath : options.PostgresConnectionString;
        return Task.FromResult(YunluStoreFactory.Create(target, YunluStoreOptions.Default with { Migrate = false }));
    }
}
