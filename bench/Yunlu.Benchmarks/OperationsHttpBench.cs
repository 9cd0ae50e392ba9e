using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Yunlu.Server;

namespace Yunlu.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Yunlu.Benchmarks -- ops-http [--n 4000] [--clients 32]</c>: HTTP submissions
/// of operational intents to a real in-process server (Kestrel on loopback, SQLite with synchronous=FULL) from parallel
/// clients. Scenarios: (a) non-overlapping intents, (b) every intent inside the same 1 km² (many conflicts). Baseline in
/// the same run: the same requests to the dry-run endpoint <c>/api/v1/operations/check</c> (parse, validate, registry,
/// deconfliction; no locks, no store write), which bounds what the booking path adds.
/// </summary>
internal static class OperationsHttpBench
{
    public static int Run(string[] args)
    {
        int n = Arg(args, "--n", 4000), clients = Arg(args, "--clients", 32);
        return RunAsync(n, clients).GetAwaiter().GetResult();
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static async Task<int> RunAsync(int n, int clients)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ops-http: {n} submissions per scenario, {clients} parallel clients, {Environment.ProcessorCount} cores"));
        foreach (var (name, sameKm2) in new[] { ("non-overlapping", false), ("same 1 km²", true) })
        {
            foreach (bool baseline in new[] { true, false })
            {
                var data = Path.Combine(Path.GetTempPath(), "yunlu-ops-bench-" + Guid.NewGuid().ToString("N"));
                try
                {
                    await ScenarioAsync(name, sameKm2, baseline, data, n, clients).ConfigureAwait(false);
                }
                finally
                {
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    try
                    {
                        Directory.Delete(data, recursive: true);
                    }
                    catch (IOException)
                    {
                    }
                }
            }
        }

        return 0;
    }

    private static async Task ScenarioAsync(string name, bool sameKm2, bool baseline, string data, int n, int clients)
    {
        var options = new YunluServerOptions { DataFolder = data, LoadDemo = false };
        options.Urls.Add("http://127.0.0.1:0");
        options.Limits.RatePermits = 10_000_000;
        var builder = YunluServer.CreateBuilder(options);
        builder.Logging.ClearProviders();
        await using var app = YunluServer.BuildApp(builder);
        await app.StartAsync().ConfigureAwait(false);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = new Uri(app.Urls.First()) };
        using (var tokenResponse = await http.PostAsJsonAsync("/api/v1/auth/token", new { subject = "bench", roles = new[] { "operator" } }).ConfigureAwait(false))
        {
            var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false)).GetProperty("accessToken").GetString();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        await PutAsync(http, "/api/v1/registry/operators/OP1", """{"name":"bench","category":"OPEN"}""").ConfigureAwait(false);
        await PutAsync(http, "/api/v1/registry/aircraft/AC1", """{"operatorId":"OP1","registrationNumber":"UAS-B-1","remoteIdSerial":"RID-B-1","emptyMassKg":3,"maxTakeOffMassKg":6,"maxSpeedKmh":70}""").ConfigureAwait(false);
        await PutAsync(http, "/api/v1/registry/pilots/P1", """{"name":"bench"}""").ConfigureAwait(false);

        var t0 = DateTimeOffset.UtcNow.AddHours(1);
        var random = new Random(7);
        var bodies = new string[n];
        for (int i = 0; i < n; i++)
        {
            double w, s, size;
            DateTimeOffset start;
            int layer;
            if (sameKm2)
            {
                // Inside one 0.009° × 0.009° (≈ 0.9 × 1.0 km) square: 100 m squares, 4 layers, 5–30 min over 24 h.
                size = 0.0009;
                w = 106.70 + (random.NextDouble() * (0.009 - size));
                s = 26.55 + (random.NextDouble() * (0.009 - size));
                start = t0.AddMinutes(random.Next(0, 24 * 60));
                layer = random.Next(0, 4);
            }
            else
            {
                // Disjoint 100 m squares on a 0.002° lattice over ≈ 13 × 13 km.
                size = 0.0009;
                w = 106.60 + ((i % 64) * 0.002);
                s = 26.50 + ((i / 64 % 64) * 0.002);
                start = t0.AddMinutes(i / 4096 * 40);
                layer = 0;
            }

            var end = start.AddMinutes(sameKm2 ? random.Next(5, 31) : 30);
            bodies[i] = string.Create(CultureInfo.InvariantCulture,
                $$"""{"operatorId":"OP1","aircraftId":"AC1","pilotId":"P1","volumes":[{"footprint":{"polygon":[[[{{w}},{{s}}],[{{w + size}},{{s}}],[{{w + size}},{{s + size}}],[{{w}},{{s + size}}],[{{w}},{{s}}]]]},"lowerW84M":{{1000 + (layer * 30)}},"upperW84M":{{1030 + (layer * 30)}},"start":"{{start:O}}","end":"{{end:O}}"}]}""");
        }

        string path = baseline ? "/api/v1/operations/check" : "/api/v1/operations";
        var latencies = new double[n];
        int accepted = 0, failed = 0, next = -1;
        var wall = Stopwatch.StartNew();
        var workers = new Task[clients];
        for (int c = 0; c < clients; c++)
        {
            workers[c] = Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < n)
                {
                    long begin = Stopwatch.GetTimestamp();
                    using var response = await http.PostAsync(path, new StringContent(bodies[i], Encoding.UTF8, "application/json")).ConfigureAwait(false);
                    var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    latencies[i] = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failed);
                    }
                    else if (text.Contains("\"outcome\":\"ACCEPTED\"", StringComparison.Ordinal) || text.Contains("\"outcome\":\"CLEAR\"", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref accepted);
                    }
                }
            });
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        wall.Stop();
        Array.Sort(latencies);
        double seconds = wall.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-16} {(baseline ? "baseline /check" : "submit"),-16} {n / seconds,8:0} req/s  {accepted / seconds,8:0} accepted/s  accepted {accepted}/{n}  errors {failed}  p50 {latencies[n / 2]:0.0} ms  p95 {latencies[(int)(n * 0.95)]:0.0} ms  p99 {latencies[(int)(n * 0.99)]:0.0} ms"));
        await app.StopAsync().ConfigureAwait(false);
    }

    private static async Task PutAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json")).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }
}
