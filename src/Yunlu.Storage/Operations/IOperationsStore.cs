using Yunlu.Airspace.Operations;

namespace Yunlu.Storage.Operations;

/// <summary>
/// The durable half of flight operations, beside <see cref="IYunluStore"/> on the same database (SQLite file or
/// PostgreSQL): the registry (operators, aircraft, pilots, webhooks) as versioned JSON documents, and operational
/// intents. As an <see cref="IIntentCommitter"/> it stores the versions <see cref="IntentBook"/> decides, guarded by the
/// previous OVN; the PostgreSQL implementation also takes the ADR 0006 advisory locks and re-checks accepted intents
/// against the database, so two servers never both accept conflicting intents.
/// </summary>
public interface IOperationsStore : IIntentCommitter, IAsyncDisposable
{
    /// <summary>"sqlite" or "postgres".</summary>
    string Kind { get; }

    /// <summary>One registry document, or null.</summary>
    /// <param name="kind">The registry kind (<see cref="RegistryKinds"/>).</param>
    /// <param name="id">The identifier.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<RegistryEntry?> GetRegistryAsync(string kind, string id, CancellationToken cancellationToken);

    /// <summary>Creates or replaces a registry document; its version increments. When <paramref name="expectedVersion"/>
    /// is given and differs from the stored one (0 = must not exist), throws <see cref="ConcurrencyConflictException"/>.</summary>
    /// <param name="kind">The registry kind.</param>
    /// <param name="id">The identifier (1–128 characters).</param>
    /// <param name="json">The document (JSON text, validated by the caller).</param>
    /// <param name="actor">Who writes.</param>
    /// <param name="expectedVersion">The version the caller read, or null for an unconditional write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task<RegistryEntry> PutRegistryAsync(string kind, string id, string json, string actor, long? expectedVersion, CancellationToken cancellationToken);

    /// <summary>The current version of an intent, or null.</summary>
    /// <param name="id">The intent.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<OperationalIntent?> GetIntentAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Intents matching <paramref name="query"/>, ordered by start then id.</summary>
    /// <param name="query">The filter.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<OperationalIntent>> ListIntentsAsync(IntentQuery query, CancellationToken cancellationToken);

    /// <summary>Every intent that is not terminal and whose last volume ends after <paramref name="now"/> (the
    /// in-memory book and index are rebuilt from these at start-up).</summary>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<OperationalIntent>> LoadLiveAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>Registry kinds.</summary>
public static class RegistryKinds
{
    /// <summary>Operators (companies or persons flying).</summary>
    public const string Operator = "operator";

    /// <summary>Aircraft.</summary>
    public const string Aircraft = "aircraft";

    /// <summary>Remote pilots.</summary>
    public const string Pilot = "pilot";

    /// <summary>Webhook subscriptions (id = owner subject).</summary>
    public const string Webhook = "webhook";

    /// <summary>Every kind.</summary>
    public static IReadOnlyList<string> All { get; } = [Operator, Aircraft, Pilot, Webhook];
}

/// <summary>One registry document as stored.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Id">The identifier.</param>
/// <param name="Json">The document.</param>
/// <param name="Version">1 on creation, +1 per change.</param>
/// <param name="UpdatedAt">When it was last written.</param>
/// <param name="UpdatedBy">Who wrote it last.</param>
public sealed record RegistryEntry(string Kind, string Id, string Json, long Version, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>Filter for <see cref="IOperationsStore.ListIntentsAsync"/>. Null members do not filter.</summary>
/// <param name="State">Only this state.</param>
/// <param name="OwnerId">Only this owner.</param>
/// <param name="OperatorId">Only this operator.</param>
/// <param name="From">Only intents ending after this instant.</param>
/// <param name="To">Only intents starting before this instant.</param>
/// <param name="Limit">At most this many (1–10 000).</param>
/// <param name="Offset">Skip this many.</param>
public sealed record IntentQuery(
    IntentState? State = null,
    string? OwnerId = null,
    string? OperatorId = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Limit = 1000,
    int Offset = 0);

/// <summary>Opens the operations store that goes with a <see cref="YunluStoreFactory"/> connection string or path.</summary>
public static class OperationsStoreFactory
{
    /// <summary>Creates the store (no connection opened; the schema comes with <see cref="IYunluStore.MigrateAsync"/>).</summary>
    /// <param name="connectionStringOrPath">The same string the main store was opened with.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    public static IOperationsStore Create(string connectionStringOrPath, YunluStoreOptions? options = null)
    {
        if (YunluStoreFactory.Detect(connectionStringOrPath) == YunluStoreKind.Postgres)
        {
            return new PostgresOperationsStore(connectionStringOrPath, options);
        }

        var s = connectionStringOrPath.Trim();
        if (!s.Contains('=', StringComparison.Ordinal) && Directory.Exists(s))
        {
            s = Path.Combine(s, YunluStoreFactory.DefaultSqliteFileName);
        }

        return new SqliteOperationsStore(s, options);
    }
}
