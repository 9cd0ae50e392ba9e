using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yunlu.Geo;
using Yunlu.Server;
using Yunlu.Server.Supervision;
using Yunlu.Supervision;
using Yunlu.Supervision.Simulation;

namespace Yunlu.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Yunlu.Benchmarks -- supervise-e2e [--drones 20000] [--hz 5] [--seconds 120] [--baseline-seconds 45]</c>:
/// end to end on one machine — the <see cref="TrafficSimulator"/> (converging pairs and zone incursions injected)
/// → WebSocket ingestion over loopback (messages of 1 000 positions) → the live checks at 1 Hz (zones, separation with
/// 30 s look-ahead, lost link) → SignalR out to one subscriber (every track once a second, every alert event) and the
/// recording (SQLite). Reports positions/s offered and taken in, drops, memory over time, and the alert latency: from
/// sending the aircraft's latest position to the <c>alert</c> arriving at the subscriber (zone and separation alerts).
/// Baseline in the same run: the same load by HTTP batch (POST /positions, 1 000 per request).
/// </summary>
internal static class SupervisionE2e
{
    public static int Run(string[] args)
    {
        int drones = Arg(args, "--drones", 20_000), hz = Arg(args, "--hz", 5), seconds = Arg(args, "--seconds", 120), baseline = Arg(args, "--baseline-seconds", 45);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"supervise-e2e: {drones} drones at {hz} Hz = {drones * hz} positions/s offered; WebSocket {seconds} s, HTTP batch baseline {baseline} s; {Environment.ProcessorCount} cores"));
        RunPhaseAsync("websocket", drones, hz, seconds).GetAwaiter().GetResult();
        RunPhaseAsync("http-batch (baseline)", drones, hz, baseline).GetAwaiter().GetResult();
        return 0;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static async Task RunPhaseAsync(string name, int drones, int hz, int seconds)
    {
        string data = Path.Combine(Path.GetTempPath(), "yunlu-sup-e2e-" + Guid.NewGuid().ToString("N"));
        var options = new YunluServerOptions { DataFolder = data, LoadDemo = false };
        options.Urls.Add("http://127.0.0.1:0");
        options.Limits.RatePermits = 100_000_000;
        var builder = YunluServer.CreateBuilder(options);
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Yunlu:Supervision:QueueCapacity"] = "1000000",
        });
        WebApplication app = YunluServer.BuildApp(builder);
        await app.StartAsync().ConfigureAwait(false);
        try
        {
            await PhaseAsync(name, app, drones, hz, seconds).ConfigureAwait(false);
        }
        finally
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
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

    private static async Task PhaseAsync(string name, WebApplication app, int drones, int hz, int seconds)
    {
        var baseUri = new Uri(app.Urls.First());
        using var http = new HttpClient { BaseAddress = baseUri };
        string token;
        using (var r = await http.PostAsJsonAsync("/api/v1/auth/token", new { subject = "bench", roles = new[] { "admin" } }).ConfigureAwait(false))
        {
            token = (await r.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false)).GetProperty("accessToken").GetString()!;
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        // A prohibited zone for the incursion drones.
        const double zoneLon = 106.80, zoneLat = 26.70;
        string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        string ring = $"[[{F(zoneLon)},{F(zoneLat)}],[{F(zoneLon + 0.01)},{F(zoneLat)}],[{F(zoneLon + 0.01)},{F(zoneLat + 0.01)}],[{F(zoneLon)},{F(zoneLat + 0.01)}],[{F(zoneLon)},{F(zoneLat)}]]";
        string zone = "{\"identifier\":\"ZB1\",\"name\":\"bench\",\"country\":\"CHN\",\"restriction\":\"PROHIBITED\",\"reasons\":[\"OTHER\"]," +
            "\"footprint\":{\"polygon\":[" + ring + "]},\"lower\":{\"value\":0,\"reference\":\"AMSL\"},\"upper\":{\"value\":5000,\"reference\":\"AMSL\"}}";
        using (var put = await http.PutAsync("/api/v1/zones/ZB1", new StringContent(zone, Encoding.UTF8, "application/json")).ConfigureAwait(false))
        {
            put.EnsureSuccessStatusCode();
        }

        SupervisionRuntime runtime = app.Services.GetRequiredService<SupervisionRuntime>();
        await runtime.RefreshZonesAsync(CancellationToken.None).ConfigureAwait(false);

        // Routes: one straight line per 10 drones across a 0.6° × 0.6° area around Guiyang, on 10 cruise layers 40 m apart.
        var rng = new Random(42);
        var routes = new List<SimRoute>();
        for (int i = 0; i < Math.Max(10, drones / 10); i++)
        {
            var a = new GeoPoint(106.35 + (rng.NextDouble() * 0.6), 26.35 + (rng.NextDouble() * 0.6));
            var b = new GeoPoint(106.35 + (rng.NextDouble() * 0.6), 26.35 + (rng.NextDouble() * 0.6));
            routes.Add(new SimRoute("r" + i.ToString(CultureInfo.InvariantCulture), [a, b], Altitude.Amsl(1300 + (i % 10 * 40))));
        }

        DateTimeOffset start = DateTimeOffset.UtcNow;
        var sim = new TrafficSimulator(routes, new SimulatorOptions
        {
            Drones = drones,
            Seed = 7,
            Start = start,
            Incursions = Math.Max(1, drones / 200),
            IncursionTargets = [new GeoPoint(zoneLon + 0.005, zoneLat + 0.005)],
            ConvergingPairs = Math.Max(1, drones / 200),
            FaultWindowS = Math.Max(10, seconds - 40),
        });

        // The subscriber.
        var lastSent = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var latenciesMs = new ConcurrentBag<double>();
        long trackMessages = 0, tracksReceived = 0, alertsReceived = 0;
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUri, "/hubs/supervision"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        hub.On<JsonElement>("tracks", t =>
        {
            Interlocked.Increment(ref trackMessages);
            Interlocked.Add(ref tracksReceived, t.GetArrayLength());
        });
        hub.On<JsonElement>("alert", a =>
        {
            long now = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref alertsReceived);
            string kind = a.GetProperty("kind").GetString()!;
            if (a.GetProperty("state").GetString() == "raised" && kind is "zone_incursion" or "separation_loss" or "separation_predicted" &&
                lastSent.TryGetValue(a.GetProperty("aircraft").GetString()!, out long sent))
            {
                latenciesMs.Add(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
            }
        });
        hub.ServerTimeout = TimeSpan.FromMinutes(2);
        await hub.StartAsync().ConfigureAwait(false);

        using var ws = new ClientWebSocket();
        bool useWs = name.StartsWith("websocket", StringComparison.Ordinal);
        if (useWs)
        {
            await ws.ConnectAsync(new UriBuilder(baseUri) { Scheme = "ws", Path = "/api/v1/supervision/ws", Query = "access_token=" + token }.Uri, CancellationToken.None).ConfigureAwait(false);
        }

        var batch = new List<PositionReport>(drones);
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        long offered = 0;
        var memory = new List<string>();
        var sw = Stopwatch.StartNew();
        TimeSpan step = TimeSpan.FromSeconds(1.0 / hz);
        long nextSample = 0;
        for (long k = 0; sw.Elapsed < TimeSpan.FromSeconds(seconds); k++)
        {
            TimeSpan due = step * k;
            if (sw.Elapsed < due)
            {
                await Task.Delay(due - sw.Elapsed).ConfigureAwait(false);
            }

            DateTimeOffset t = DateTimeOffset.UtcNow;
            batch.Clear();
            sim.Step(t, batch);
            for (int from = 0; from < batch.Count; from += 1000)
            {
                int to = Math.Min(batch.Count, from + 1000);
                buffer.Clear();
                Write(buffer, batch, from, to, useWs);
                long sentAt = Stopwatch.GetTimestamp();
                if (useWs)
                {
                    await ws.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    using var content = new ByteArrayContent(buffer.WrittenMemory.ToArray());
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    using var response = await http.PostAsync("/api/v1/supervision/positions", content).ConfigureAwait(false);
                    response.EnsureSuccessStatusCode();
                }

                for (int i = from; i < to; i++)
                {
                    lastSent[batch[i].Aircraft.Value] = sentAt;
                }

                offered += to - from;
            }

            if (sw.Elapsed.TotalSeconds >= nextSample)
            {
                nextSample += 10;
                using var p = Process.GetCurrentProcess();
                memory.Add(string.Create(CultureInfo.InvariantCulture, $"{sw.Elapsed.TotalSeconds:0}s: heap {GC.GetTotalMemory(false) / 1048576.0:0} MiB, working set {p.WorkingSet64 / 1048576.0:0} MiB"));
            }
        }

        double elapsed = sw.Elapsed.TotalSeconds;
        if (useWs)
        {
            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).ConfigureAwait(false);
        }

        await runtime.SyncAsync(runCycle: true, flushRecording: false, CancellationToken.None).ConfigureAwait(false);
        double drainS = sw.Elapsed.TotalSeconds - elapsed;
        JsonElement status = await http.GetFromJsonAsync<JsonElement>("/api/v1/supervision/status").ConfigureAwait(false);
        long received = 0, dropped = 0, rejected = 0;
        foreach (JsonProperty s in status.GetProperty("sources").EnumerateObject())
        {
            received += s.Value.GetProperty("received").GetInt64();
            dropped += s.Value.GetProperty("dropped").GetInt64();
            rejected += s.Value.GetProperty("rejected").GetInt64();
        }

        double[] lat = [.. latenciesMs.Order()];
        Console.WriteLine($"== {name} ==");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"offered {offered} positions in {elapsed:0.0} s = {offered / elapsed:0} /s; queued {received}, dropped {dropped}, rejected {rejected}; taken in within {elapsed + drainS:0.0} s = {received / (elapsed + drainS):0} /s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tracks {status.GetProperty("tracks").GetInt32()}, cycles {status.GetProperty("cycles").GetInt64()}, last cycle {status.GetProperty("lastCycleMs").GetDouble():0.0} ms, recorded {status.GetProperty("recorded").GetInt64()}, recording dropped {status.GetProperty("recordingDropped").GetInt64()}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"subscriber: {trackMessages} tracks messages ({tracksReceived} tracks), {alertsReceived} alert events; alert latency n={lat.Length} p50 {Pct(lat, 0.5):0} ms, p99 {Pct(lat, 0.99):0} ms, max {(lat.Length > 0 ? lat[^1] : double.NaN):0} ms"));
        foreach (string m in memory)
        {
            Console.WriteLine("  " + m);
        }
    }

    private static double Pct(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static void Write(ArrayBufferWriter<byte> buffer, List<PositionReport> batch, int from, int to, bool bareArray)
    {
        using var w = new Utf8JsonWriter(buffer);
        if (!bareArray)
        {
            w.WriteStartObject();
            w.WritePropertyName("positions");
        }

        w.WriteStartArray();
        for (int i = from; i < to; i++)
        {
            PositionReport r = batch[i];
            w.WriteStartObject();
            w.WriteString("aircraftId", r.Aircraft.Value);
            w.WriteString("timeUtc", r.Time);
            w.WriteNumber("latDeg", r.Position.LatDeg);
            w.WriteNumber("lonDeg", r.Position.LonDeg);
            w.WriteNumber("altM", r.Altitude.ValueM);
            w.WriteString("altRef", r.Altitude.Reference switch { AltitudeReference.Agl => "AGL", AltitudeReference.Amsl => "AMSL", _ => "W84" });
            if (r.Velocity is { } v)
            {
                w.WriteNumber("vnMps", v.NorthMps);
                w.WriteNumber("veMps", v.EastMps);
                w.WriteNumber("vuMps", -v.DownMps);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (!bareArray)
        {
            w.WriteEndObject();
        }
    }
}
