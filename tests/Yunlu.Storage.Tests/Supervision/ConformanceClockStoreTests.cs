using Yunlu.Storage.Supervision;

namespace Yunlu.Storage.Tests.Supervision;

/// <summary>The contingent clocks of the supervision store (migration 7), on SQLite and PostgreSQL, a fresh database each test.</summary>
public abstract class ConformanceClockStoreTests : IAsyncLifetime
{
    private string? _connection;
    private IYunluStore? _store;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<string> CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync(string connection);

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

public sealed class SqliteConformanceClockStoreTests : ConformanceClockStoreTests
{
    protected override Task<string> CreateDatabaseAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "yunlu-store-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return Task.FromResult(Path.Combine(folder, "yunlu.db"));
    }

    protected override Task DropDatabaseAsync(string connection)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(connection)!, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class PostgresConformanceClockStoreTests : ConformanceClockStoreTests
{
    protected override Task<string> CreateDatabaseAsync() => PostgresTestServer.CreateDatabaseAsync(Ct);

    protected override Task DropDatabaseAsync(string connection)
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        return PostgresTestServer.DropDatabaseAsync(connection, CancellationToken.None);
    }
}
