using Npgsql;

namespace Yunlu.Storage.Tests;

/// <summary>
/// The PostgreSQL the tests use: <c>YUNLU_TEST_PG</c> (set by scripts/test.sh) names a server where the user may
/// CREATE DATABASE. Each test gets its own database <c>yunlu_test_&lt;guid&gt;</c>, dropped afterwards. A missing or
/// unreachable server FAILS the tests with a message saying how to provide one (it never skips them).
/// </summary>
internal static class PostgresTestServer
{
    public const string EnvironmentVariable = "YUNLU_TEST_PG";

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. The PostgreSQL store tests need a PostgreSQL 15+ server with PostGIS 3: " +
                "run `bash scripts/test.sh` (it starts one), or export " +
                $"{EnvironmentVariable}=\"Host=127.0.0.1;Port=<port>;Username=postgres;Database=postgres\".");

    public static async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var admin = AdminConnectionString;
        var name = "yunlu_test_" + Guid.NewGuid().ToString("N");
        try
        {
            await using var conn = new NpgsqlConnection(admin);
            await conn.OpenAsync(cancellationToken);
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name};", conn);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"the PostgreSQL server named by {EnvironmentVariable} ({Redact(admin)}) is unreachable or refused CREATE DATABASE: {ex.Message}", ex);
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString, CancellationToken cancellationToken)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var conn = new NpgsqlConnection(AdminConnectionString);
        await conn.OpenAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE);", conn);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Redact(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(b.Password))
        {
            b.Password = "***";
        }

        return b.ConnectionString;
    }
}
