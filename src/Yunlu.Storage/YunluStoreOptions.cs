namespace Yunlu.Storage;

/// <summary>Options for opening a store.</summary>
public sealed record YunluStoreOptions
{
    /// <summary>The defaults: migrate on open, system clock, 5 s busy timeout.</summary>
    public static YunluStoreOptions Default { get; } = new();

    /// <summary>Apply pending schema migrations when the store is opened by <see cref="YunluStoreFactory"/> (default true).</summary>
    public bool Migrate { get; init; } = true;

    /// <summary>Clock for updated_at / changed_at stamps (tests may pin it).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>SQLite: how long a writer waits for another process's write lock before failing, in milliseconds.</summary>
    public int SqliteBusyTimeoutMs { get; init; } = 5_000;

    /// <summary>PostgreSQL: the largest number of pooled connections this store opens (Npgsql Maximum Pool Size).
    /// Null keeps the connection string's value (Npgsql default 100).</summary>
    public int? PostgresMaxPoolSize { get; init; }
}
