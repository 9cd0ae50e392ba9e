using Yunlu.Storage.Supervision;

namespace Yunlu.Storage.Tests.Supervision;

/// <summary>The contingent clocks of the supervision store (migration 7), on SQLite and PostgreSQL, a fresh database each test.</summary>
public abstract class ConformanceClockStoreTests(TestDatabaseKind kind) : FreshStoreTest(kind)
{

    [Fact]
    public async Task NonconformingSince_SetReplaceForget_SurvivesANewStoreObject()
    {
        await using (ISupervisionStore store = SupervisionStoreFactory.Create(Connection))
        {
            Assert.Empty(await store.NonconformingSinceAsync(Ct));
            await store.SetNonconformingSinceAsync("I1", 1_764_000_000_000_000, Ct);
            await store.SetNonconformingSinceAsync("I2", 1_764_000_010_000_000, Ct);
            await store.SetNonconformingSinceAsync("I1", 1_764_000_020_000_000, Ct);
            await store.SetNonconformingSinceAsync("I2", null, Ct);
            await store.SetNonconformingSinceAsync("never-stored", null, Ct);
        }

        await using (ISupervisionStore again = SupervisionStoreFactory.Create(Connection))
        {
            IReadOnlyDictionary<string, long> clocks = await again.NonconformingSinceAsync(Ct);
            Assert.Equal(new Dictionary<string, long>(StringComparer.Ordinal) { ["I1"] = 1_764_000_020_000_000 }, clocks);
            await Assert.ThrowsAsync<ArgumentException>(() => again.SetNonconformingSinceAsync("", 1, Ct));
        }
    }
}

public sealed class SqliteConformanceClockStoreTests() : ConformanceClockStoreTests(TestDatabaseKind.Sqlite);

public sealed class PostgresConformanceClockStoreTests() : ConformanceClockStoreTests(TestDatabaseKind.Postgres);
