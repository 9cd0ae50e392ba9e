using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yunlu.Server.Supervision;
using static Yunlu.Server.Tests.Operations.OpsClient;

namespace Yunlu.Server.Tests.Supervision;

/// <summary>A clock the test sets: the server's time follows the data time of the positions the test posts.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public DateTimeOffset Now => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Set(DateTimeOffset t) => Interlocked.Exchange(ref _ticks, t.UtcTicks);

    public override DateTimeOffset GetUtcNow() => Now;

    /// <summary>A whole second ten minutes before the real time: a test moves its clock a few minutes forward, and the
    /// tokens it is issued (validated against the real time) must not be from the future.</summary>
    public static DateTimeOffset StartOfTest()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow.AddMinutes(-10);
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero);
    }
}

/// <summary>
/// A real server (Kestrel on loopback) whose clock is a <see cref="ManualClock"/>, with the cycle timer effectively off
/// (an hour): the test posts positions stamped with data time, sets the clock to it and runs one cycle.
/// </summary>
public sealed class ClockedHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ClockedHost(WebApplication app, ManualClock clock)
    {
        _app = app;
        Clock = clock;
        BaseAddress = new Uri(app.Urls.First());
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    public ManualClock Clock { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public SupervisionRuntime Runtime => _app.Services.GetRequiredService<SupervisionRuntime>();

    public SupervisionSimulation Simulation => _app.Services.GetRequiredService<SupervisionSimulation>();

    public Yunlu.Server.Operations.OperationsRuntime Operations => _app.Services.GetRequiredService<Yunlu.Server.Operations.OperationsRuntime>();

    public static async Task<ClockedHost> StartAsync(string dataFolder, ManualClock clock, IDictionary<string, string?>? settings = null, ILoggerProvider? logs = null)
    {
        var options = new YunluServerOptions { DataFolder = dataFolder, LoadDemo = false, PublicReads = true };
        options.Urls.Add("http://127.0.0.1:0");
        var builder = YunluServer.CreateBuilder(options);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        var all = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Yunlu:Supervision:CycleInterval"] = "01:00:00",
            ["Yunlu:Supervision:CheckInterval"] = "01:00:00",
            ["Yunlu:Supervision:ZonePollInterval"] = "01:00:00",
            ["Yunlu:Operations:EvictionInterval"] = "01:00:00",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all[k.StartsWith("Yunlu:", StringComparison.Ordinal) ? k : "Yunlu:Supervision:" + k] = v;
        }

        builder.Configuration.AddInMemoryCollection(all);
        var app = YunluServer.BuildApp(builder);
        await app.StartAsync(SupervisionHost.Ct);
        return new ClockedHost(app, clock);
    }

    public async Task<HttpClient> AuthorizedAsync(params string[] roles)
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/auth/token", new { subject = "tester", roles }, SupervisionHost.Ct);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(SupervisionHost.Ct));
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", doc.RootElement.GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>Sets the clock to <paramref name="t"/>, posts the positions (stamped <paramref name="t"/>) and runs one cycle.</summary>
    public async Task StepAsync(HttpClient op, DateTimeOffset t, params (string Id, double Lat, double Lon, double AltW84)[] positions)
    {
        Clock.Set(t);
        if (positions.Length > 0)
        {
            string[] json = [.. positions.Select(p => SupervisionHost.Position(p.Id, t, lat: p.Lat, lon: p.Lon, alt: p.AltW84, altRef: "W84"))];
            using var post = await op.PostAsync("/api/v1/supervision/positions", SupervisionHost.Json(SupervisionHost.Batch(json)), SupervisionHost.Ct);
            Assert.Equal(System.Net.HttpStatusCode.Accepted, post.StatusCode);
        }

        await Runtime.SyncAsync(runCycle: true, flushRecording: false, SupervisionHost.Ct);
    }

    /// <summary>Submits an intent for AC-LIGHT over the lattice cells (0,0)–(10,10), layer 0 (1000–1030 m W84) and activates it.</summary>
    /// <returns>The id and the OVN after activation.</returns>
    public static async Task<(Guid Id, string Ovn)> ActivatedIntentAsync(HttpClient op, DateTimeOffset start, DateTimeOffset end)
    {
        var (status, accepted) = await PostAsync(op, "/api/v1/operations", Intent(Volume(0, 0, 10, 10, 0, start, end)));
        Assert.True(status == 201, accepted.ToString());
        Assert.Equal("ACCEPTED", accepted.GetProperty("outcome").GetString());
        Guid id = accepted.GetProperty("intent").GetProperty("id").GetGuid();
        var (sa, active) = await PostAsync(op, $"/api/v1/operations/{id}/activate", new JsonObject { ["ovn"] = accepted.GetProperty("intent").GetProperty("ovn").GetString() });
        Assert.True(sa == 200, active.ToString());
        return (id, active.GetProperty("ovn").GetString()!);
    }

    /// <summary>Polls the operations API (30 s guard) until the intent is in <paramref name="state"/>; returns it.</summary>
    public static async Task<JsonElement> IntentInStateAsync(HttpClient op, Guid id, string state)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(SupervisionHost.Ct);
        guard.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            JsonElement intent = await op.GetFromJsonAsync<JsonElement>($"/api/v1/operations/{id}", SupervisionHost.Ct);
            if (intent.GetProperty("state").GetString() == state)
            {
                return intent;
            }

            if (guard.IsCancellationRequested)
            {
                Assert.Fail($"intent {id} never reached {state}; it is {intent.GetProperty("state").GetString()}");
            }

            await Task.Delay(20, SupervisionHost.Ct);
        }
    }

    /// <summary>The alerts (open only, or with the recently cleared).</summary>
    public async Task<List<JsonElement>> AlertsAsync(bool openOnly)
    {
        JsonElement body = await Client.GetFromJsonAsync<JsonElement>("/api/v1/supervision/alerts?open=" + (openOnly ? "true" : "false"), SupervisionHost.Ct);
        return [.. body.GetProperty("alerts").EnumerateArray().Select(a => a.Clone())];
    }

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
