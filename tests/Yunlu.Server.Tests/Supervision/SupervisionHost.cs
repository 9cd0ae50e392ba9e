using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yunlu.Server.Supervision;

namespace Yunlu.Server.Tests.Supervision;

/// <summary>A real server (Kestrel on 127.0.0.1, port 0) with supervision settings, plus helpers.</summary>
public sealed class SupervisionHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SupervisionHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public SupervisionRuntime Runtime => _app.Services.GetRequiredService<SupervisionRuntime>();

    public SupervisionListeners Listeners => _app.Services.GetRequiredService<SupervisionListeners>();

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<SupervisionHost> StartAsync(string dataFolder, string? postgres, IDictionary<string, string?>? settings = null, bool publicReads = true)
    {
        var options = new YunluServerOptions { DataFolder = dataFolder, PostgresConnectionString = postgres, LoadDemo = false, PublicReads = publicReads };
        options.Urls.Add("http://127.0.0.1:0");
        var builder = YunluServer.CreateBuilder(options);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var all = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            // Cycles are driven by the tests (SyncAsync); the timer only backs them up.
            ["Yunlu:Supervision:CycleInterval"] = "00:00:01",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all["Yunlu:Supervision:" + k] = v;
        }

        builder.Configuration.AddInMemoryCollection(all);
        var app = YunluServer.BuildApp(builder);
        await app.StartAsync(Ct);
        return new SupervisionHost(app, new Uri(app.Urls.First()));
    }

    public async Task<string> TokenAsync(params string[] roles)
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/auth/token", new { subject = "tester", roles }, Ct);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return doc.RootElement.GetProperty("accessToken").GetString()!;
    }

    public HttpClient Authorized(string token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Takes everything queued into tracks and runs one cycle (and flushes the recording when asked).</summary>
    public Task CycleAsync(bool flush = false) => Runtime.SyncAsync(runCycle: true, flushRecording: flush, Ct);

    /// <summary>Waits (polling, with a 30 s guard) until <paramref name="done"/> holds: for transports without an
    /// acknowledgement (UDP, TCP lines).</summary>
    public static async Task WaitUntilAsync(Func<bool> done, string what)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(TimeSpan.FromSeconds(30));
        while (!done())
        {
            if (guard.IsCancellationRequested)
            {
                Assert.Fail("timed out waiting for " + what);
            }

            await Task.Delay(10, Ct);
        }
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static string Position(string id, DateTimeOffset t, double lat = 26.60, double lon = 106.70, double alt = 50, string altRef = "AGL", string extra = "") =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""{"aircraftId":"{{id}}","timeUtc":"{{t.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}}","latDeg":{{lat}},"lonDeg":{{lon}},"altM":{{alt}},"altRef":"{{altRef}}"{{extra}}}""");

    public static string Batch(params string[] positions) => "{\"positions\":[" + string.Join(',', positions) + "]}";

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
