using Yunlu.Storage.Supervision;

namespace Yunlu.Storage.Tests.Supervision;

/// <summary>The contingent clocks of the supervision store (migration 7), on SQLite and PostgreSQL, a fresh database each test.</summary>
public abstract class ConformanceClockStoreTests(TestDatabaseKind kind) : FreshDatabaseTest(kind), IAsyncLifetime
{
    private string? _connection;
    private IYunluStore? _store;

    public async ValueTask InitializeAsync()
    {
        _connection = await CreateDatabaseAsync();
        _store = await YunluStoreFactory.OpenAsync(_connection, null, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _store!.DisposeAsync();
        await DropDatabaseAsync(_connection!);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task NonconformingSince_SetReplaceForget_SurvivesANewStoreObject()
    {
        await using (ISupervisionStore store = SupervisionStoreFactory.Create(_connection!))
        {
            Assert.Empty(await store.NonconformingSinceAsync(Ct));
            await store.SetNonconformingSinceAsync("I1", 1_764_000_000_000_000, Ct);
            await store.SetNonconformingSinceAsync("I2", 1_764_000_010_000_000, Ct);
            await store.SetNonconformingSinceAsync("I1", 1_764_000_020_000_000, Ct);
            await store.SetNonconformingSinceAsync("I2", null, Ct);
            await store.SetNonconformingSinceAsync("never-stored", null, Ct);
        }

        await using (ISupervisionStore again = SupervisionStoreFactory.Create(_connection!))
        {
            IReadOnlyDictionary<string, long> clocks = await again.NonconformingSinceAsync(Ct);
            Assert.Equal(new Dictionary<string, long>(StringComparer.Ordinal) { ["I1"] = 1_764_000_020_000_000 }, clocks);
            await Assert.ThrowsAsync<ArgumentException>(() => again.SetNonconformingSinceAsync("", 1, Ct));
        }
    }
}

public sealed class SqliteConformanceClockStoreTests() : ConformanceClockStoreTests(TestDatabaseKind.Sqlite);

public sealed class PostgresConformanceClockStoreTests() : ConformanceClockStoreTests(TestDatabaseKind.Postgres);
