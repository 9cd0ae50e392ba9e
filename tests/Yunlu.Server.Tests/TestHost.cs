using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Yunlu.Server.Tests;

/// <summary>A real Yunlu server on 127.0.0.1 (Kestrel, port 0) over a temp data folder, with an HttpClient.</summary>
public sealed class YunluTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private YunluTestHost(WebApplication app, YunluServerOptions options, Uri baseAddress)
    {
        _app = app;
        Options = options;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public YunluServerOptions Options { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<YunluTestHost> StartAsync(string dataFolder, string? postgres, Action<YunluServerOptions>? configure = null)
    {
        var options = new YunluServerOptions { DataFolder = dataFolder, PostgresConnectionString = postgres, LoadDemo = false };
        options.Urls.Add("http://127.0.0.1:0");
        configure?.Invoke(options);
        var builder = YunluServer.CreateBuilder(options);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = YunluServer.BuildApp(builder);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new YunluTestHost(app, options, new Uri(app.Urls.First()));
    }

    /// <summary>A development token for <paramref name="roles"/>.</summary>
    public async Task<string> TokenAsync(params string[] roles)
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/auth/token", new { subject = "tester", roles }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return doc.RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>A client that sends <paramref name="token"/>.</summary>
    public HttpClient Authorized(string token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

/// <summary>A temp folder deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "yunlu-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that was killed may still hold a file for a moment; the OS temp cleaner takes it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>A fresh PostgreSQL database for one test class, on the server named by YUNLU_TEST_PG. Fails (does not
/// skip) when the variable is missing.</summary>
public sealed class PgDatabase : IAsyncLifetime
{
    private readonly string _admin;

    public PgDatabase()
    {
        _admin = Environment.GetEnvironmentVariable("YUNLU_TEST_PG") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException("YUNLU_TEST_PG is not set: the PostgreSQL tests need a PostgreSQL+PostGIS server (scripts/test.sh starts one).");
        Name = "yunlu_srv_" + Guid.NewGuid().ToString("N")[..16];
        ConnectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = Name, Pooling = true }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public async ValueTask InitializeAsync()
    {
        await using var conn = new NpgsqlConnection(_admin);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE {Name}", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(_admin);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
