namespace Yunlu.Storage.Tests;

/// <summary>The database engine a contract test runs against.</summary>
public enum TestDatabaseKind
{
    /// <summary>A fresh SQLite file in a fresh temp folder.</summary>
    Sqlite,

    /// <summary>A fresh PostgreSQL + PostGIS database on the server in YUNLU_TEST_PG (fails when it is missing).</summary>
    Postgres,
}

/// <summary>
/// Base of the store contract tests: one fresh, empty database per test on the given engine, dropped afterwards. The
/// contract classes are abstract over it and each engine is one line (<c>: XxxTests(TestDatabaseKind.Sqlite)</c>).
/// </summary>
/// <param name="kind">The engine.</param>
public abstract class FreshDatabaseTest(TestDatabaseKind kind)
{
    /// <summary>The engine this test class runs against.</summary>
    protected TestDatabaseKind Kind { get; } = kind;

    /// <summary>The test's cancellation token.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates a fresh empty database and returns its connection string (PostgreSQL) or file path (SQLite).</summary>
    protected Task<string> CreateDatabaseAsync() => Kind switch
    {
        TestDatabaseKind.Sqlite => Task.FromResult(NewSqliteFile()),
        TestDatabaseKind.Postgres => PostgresTestServer.CreateDatabaseAsync(Ct),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown database kind"),
    };

    /// <summary>Removes the database after the test (pools cleared first so no connection holds it).</summary>
    protected Task DropDatabaseAsync(string connection)
    {
        switch (Kind)
        {
            case TestDatabaseKind.Sqlite:
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(Path.GetDirectoryName(connection)!, recursive: true);
                return Task.CompletedTask;
            case TestDatabaseKind.Postgres:
                Npgsql.NpgsqlConnection.ClearAllPools();
                return PostgresTestServer.DropDatabaseAsync(connection, CancellationToken.None);
            default:
                throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown database kind");
        }
    }

    private static string NewSqliteFile()
    {
        var folder = Path.Combine(Path.GetTempPath(), "yunlu-store-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, "yunlu.db");
    }
}

/// <summary>
/// A <see cref="FreshDatabaseTest"/> whose database is created and migrated (opened once as an <see cref="IYunluStore"/>)
/// before each test and dropped after it.
/// </summary>
/// <param name="kind">The engine.</param>
public abstract class FreshStoreTest(TestDatabaseKind kind) : FreshDatabaseTest(kind), IAsyncLifetime
{
    private string? _connection;
    private IYunluStore? _store;

    /// <summary>The connection string or path of this test's database.</summary>
    protected string Connection => _connection ?? throw new InvalidOperationException("not initialised");

    /// <summary>The store opened on it.</summary>
    protected IYunluStore Store => _store ?? throw new InvalidOperationException("not initialised");

    /// <inheritdoc />
    public virtual async ValueTask InitializeAsync()
    {
        _connection = await CreateDatabaseAsync();
        _store = await YunluStoreFactory.OpenAsync(_connection, null, Ct);
    }

    /// <inheritdoc />
    public virtual async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_connection is not null)
        {
            await DropDatabaseAsync(_connection);
        }

        GC.SuppressFinalize(this);
    }
}
