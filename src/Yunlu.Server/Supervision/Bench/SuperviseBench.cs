using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yunlu.Geo.Diagnostics;
using Yunlu.Geo;
using Yunlu.Supervision;
using Yunlu.Supervision.Simulation;

namespace Yunlu.Server.Supervision.Bench;

/// <summary>Settings of <see cref="SuperviseBench"/>.</summary>
/// <param name="Drones">Simulated drones (plus converging pairs and incursion drones, 1 per 200 each).</param>
/// <param name="Hz">Positions per drone per second.</param>
/// <param name="Seconds">Duration of the WebSocket phase, s.</param>
/// <param name="BaselineSeconds">Duration of the HTTP batch baseline phase, s (0 = skip).</param>
/// <param name="MessagePositions">Positions per WebSocket message / HTTP request.</param>
/// <param name="SampleSeconds">Memory sampling interval, s.</param>
/// <param name="WarmupSeconds">Alerts on positions sent in a phase's first this many seconds (at most half the phase)
/// are reported apart and left out of the latency percentiles: at the start every drone appears at once with the
/// conflicts it already has (thousands of alerts in the first 0.5 s) while the code is still being compiled.</param>
public sealed record SuperviseBenchOptions(int Drones = 10_000, int Hz = 2, int Seconds = 120, int BaselineSeconds = 45, int MessagePositions = 1000, int SampleSeconds = 10,
    int WarmupSeconds = 10)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (Drones is < 10 or > 1_000_000)
        {
            throw new ArgumentException("--drones: must be within [10, 1 000 000] [drones-range]");
        }

        if (Hz is < 1 or > 50)
        {
            throw new ArgumentException("--hz: must be within [1, 50] [hz-range]");
        }

        if (Seconds is < 5 or > 86_400)
        {
            throw new ArgumentException("--seconds: must be within [5, 86 400] [seconds-range]");
        }

        if (BaselineSeconds is < 0 or > 86_400)
        {
            throw new ArgumentException("--baseline-seconds: must be within [0, 86 400] [baseline-seconds-range]");
        }

        if (WarmupSeconds is < 0 or > 3_600)
        {
            throw new ArgumentException("--warmup-seconds: must be within [0, 3 600] [warmup-seconds-range]");
        }

        if (MessagePositions is < 1 or > 10_000)
        {
            throw new ArgumentException("--message-positions: must be within [1, 10 000] [message-positions-range]");
        }
    }
}

/// <summary>The figures of one phase of <see cref="SuperviseBench"/>.</summary>
/// <param name="Name">websocket or http-batch (baseline).</param>
/// <param name="Seconds">Wall time of the sending, s.</param>
/// <param name="Offered">Positions sent.</param>
/// <param name="Received">Positions queued by the server.</param>
/// <param name="Dropped">Positions dropped (queue full) plus bad frames.</param>
/// <param name="Rejected">Positions rejected (a rule broken).</param>
/// <param name="DrainSeconds">Time after the last send until everything was taken in and checked, s.</param>
/// <param name="LatencyMs">Sorted alert latencies after the warm-up, ms.</param>
/// <param name="MemoryStartMiB">GC heap after the warm-up sample, MiB.</param>
/// <param name="MemoryEndMiB">GC heap at the last sample, MiB.</param>
/// <param name="ProcessCpuS">CPU time of the whole process during the phase, s.</param>
/// <param name="ClientCpuS">CPU time of the simulator client (step, JSON from templates, send calls), s.</param>
/// <param name="SubscriberCpuS">CPU time of the SignalR subscriber's message handling, s.</param>
public sealed record SuperviseBenchPhase(string Name, double Seconds, long Offered, long Received, long Dropped, long Rejected, double DrainSeconds,
    double[] LatencyMs, double MemoryStartMiB, double MemoryEndMiB, double ProcessCpuS, double ClientCpuS, double SubscriberCpuS)
{
    /// <summary>Positions taken in per second of the phase (including the drain).</summary>
    public double PositionsPerSecond => Received / (Seconds + DrainSeconds);

    /// <summary>Nearest-rank percentile of the latencies (NaN when none).</summary>
    public double Percentile(double p) => SuperviseBench.Nearest(LatencyMs, p);
}

/// <summary>
/// The end-to-end supervision benchmark (<c>yunlu bench supervise</c>), all in one process: a real Yunlu server
/// (Kestrel on 127.0.0.1, SQLite, recording on) with one Prohibited zone; the <see cref="TrafficSimulator"/> (1 route
/// per 10 drones over 0.6° × 0.6° around Guiyang on 10 layers, incursion drones and converging pairs injected); the
/// positions sent over loopback as WebSocket messages written from pre-serialised per-aircraft templates (only the
/// numbers are formatted, fixed point); the checks run by the server after new positions; one SignalR subscriber (raw
/// WebSocket, JSON hub protocol) counting <c>tracks</c> and timing every raised zone / separation <c>alert</c>.
/// Baseline in the same run: the same load by HTTP batch (POST /positions, one request at a time).
/// </summary>
/// <remarks>
/// Alert latency = arrival of the raised alert at the subscriber − send time of the position that made the alert
/// possible: for each aircraft of the alert, its latest position sent before the alert's <c>raisedUtc</c> (the check's
/// time; client and server share the clock), and of those the later one. CPU: the client's and the subscriber's
/// synchronous work are measured with the thread CPU clock; the server's CPU is the process CPU minus both.
/// </remarks>
public static class SuperviseBench
{
    private const double ZoneLon = 106.80, ZoneLat = 26.70;
    private const int Ring = 4;

    /// <summary>Runs the WebSocket phase and the HTTP batch baseline and writes the figures to <paramref name="output"/>.</summary>
    /// <returns>The phases.</returns>
    public static async Task<IReadOnlyList<SuperviseBenchPhase>> RunAsync(SuperviseBenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        options.Validate();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"bench supervise: {options.Drones} drones at {options.Hz} Hz = {options.Drones * options.Hz} positions/s offered; WebSocket {options.Seconds} s, HTTP batch baseline {options.BaselineSeconds} s; {options.MessagePositions} positions per message; {Environment.ProcessorCount} cores; thread CPU clock {(ThreadCpu.IsThreadCpu ? "on" : "off (wall time)")}").AsMemory(), cancellationToken).ConfigureAwait(false);
        var phases = new List<SuperviseBenchPhase>();
        phases.Add(await RunPhaseAsync(websocket: true, options, options.Seconds, output, cancellationToken).ConfigureAwait(false));
        if (options.BaselineSeconds > 0)
        {
            phases.Add(await RunPhaseAsync(websocket: false, options, options.BaselineSeconds, output, cancellationToken).ConfigureAwait(false));
        }

        await output.WriteLineAsync("== side by side ==".AsMemory(), cancellationToken).ConfigureAwait(false);
        foreach (SuperviseBenchPhase p in phases)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{p.Name}: {p.PositionsPerSecond:0} positions/s taken in, dropped {p.Dropped}, memory {p.MemoryStartMiB:0} → {p.MemoryEndMiB:0} MiB, alert latency p50 {p.Percentile(0.5):0.0} / p95 {p.Percentile(0.95):0.0} / p99 {p.Percentile(0.99):0.0} ms (n = {p.LatencyMs.Length}), server CPU {p.ProcessCpuS - p.ClientCpuS - p.SubscriberCpuS:0.0} s, client CPU {p.ClientCpuS:0.0} s").AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        return phases;
    }

    private static async Task<SuperviseBenchPhase> RunPhaseAsync(bool websocket, SuperviseBenchOptions o, int seconds, TextWriter output, CancellationToken ct)
    {
        string data = Path.Combine(Path.GetTempPath(), "yunlu-sup-bench-" + Guid.NewGuid().ToString("N"));
        var server = new YunluServerOptions { DataFolder = data, LoadDemo = false };
        server.Urls.Add("http://127.0.0.1:0");
        server.Limits.RatePermits = 100_000_000;
        WebApplicationBuilder builder = YunluServer.CreateBuilder(server);
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Yunlu:Supervision:QueueCapacity"] = "1000000",
        });
        WebApplication app = YunluServer.BuildApp(builder);
        await app.StartAsync(ct).ConfigureAwait(false);
        try
        {
            return await PhaseAsync(websocket, app, o, seconds, output, ct).ConfigureAwait(false);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open: left in the temporary folder.
            }
        }
    }

    private static async Task<SuperviseBenchPhase> PhaseAsync(bool websocket, WebApplication app, SuperviseBenchOptions o, int seconds, TextWriter output, CancellationToken ct)
    {
        string name = websocket ? "websocket" : "http-batch (baseline)";
        var baseUri = new Uri(app.Urls.First());
        using var http = new HttpClient { BaseAddress = baseUri };
        string token;
        using (var body = new StringContent("{\"subject\":\"bench\",\"roles\":[\"admin\"]}", Encoding.UTF8, "application/json"))
        using (HttpResponseMessage r = await http.PostAsync(new Uri("/api/v1/auth/token", UriKind.Relative), body, ct).ConfigureAwait(false))
        {
            r.EnsureSuccessStatusCode();
            using JsonDocument doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
            token = doc.RootElement.GetProperty("accessToken").GetString()!;
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (var put = await http.PutAsync(new Uri("/api/v1/zones/ZB1", UriKind.Relative), new StringContent(ZoneJson(), Encoding.UTF8, "application/json"), ct).ConfigureAwait(false))
        {
            put.EnsureSuccessStatusCode();
        }

        SupervisionRuntime runtime = app.Services.GetRequiredService<SupervisionRuntime>();
        await runtime.RefreshZonesAsync(ct).ConfigureAwait(false);

        DateTimeOffset start = DateTimeOffset.UtcNow;
        var sim = new TrafficSimulator(Routes(o.Drones), new SimulatorOptions
        {
            Drones = o.Drones,
            Seed = 7,
            Start = start,
            Incursions = Math.Max(1, o.Drones / 200),
            IncursionTargets = [new GeoPoint(ZoneLon + 0.005, ZoneLat + 0.005)],
            ConvergingPairs = Math.Max(1, o.Drones / 200),
            FaultWindowS = Math.Max(10, seconds - 40),
        });

        var client = new TemplateClient(sim.Count + 16);
        await using var subscriber = new Subscriber(client, DateTime.UtcNow.Ticks + (long)(Math.Min(o.WarmupSeconds, seconds / 2.0) * TimeSpan.TicksPerSecond));
        await subscriber.ConnectAsync(new UriBuilder(baseUri) { Scheme = "ws", Path = "/hubs/supervision", Query = "access_token=" + token }.Uri, ct).ConfigureAwait(false);

        using var ws = new ClientWebSocket();
        if (websocket)
        {
            await ws.ConnectAsync(new UriBuilder(baseUri) { Scheme = "ws", Path = "/api/v1/supervision/ws", Query = "access_token=" + token }.Uri, ct).ConfigureAwait(false);
        }

        var reports = new List<PositionReport>(sim.Count);
        byte[] buffer = new byte[(o.MessagePositions * TemplateClient.MaxPositionBytes) + 64];
        var samples = new List<(double S, double HeapMiB, double WorkingSetMiB, double AllocatedMiB)>();
        IReadOnlyList<StageTotals> stages0 = runtime.Stages.Snapshot();
        TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        long clientCpuNs = 0, offered = 0;
        var sw = Stopwatch.StartNew();
        TimeSpan step = TimeSpan.FromSeconds(1.0 / o.Hz);
        double nextSample = 0;
        for (long k = 0; sw.Elapsed < TimeSpan.FromSeconds(seconds); k++)
        {
            TimeSpan due = step * k;
            if (sw.Elapsed < due)
            {
                await Task.Delay(due - sw.Elapsed, ct).ConfigureAwait(false);
            }

            long c0 = ThreadCpu.NowNs();
            reports.Clear();
            sim.Step(DateTimeOffset.UtcNow, reports);
            clientCpuNs += ThreadCpu.NowNs() - c0;
            for (int from = 0; from < reports.Count; from += o.MessagePositions)
            {
                int to = Math.Min(reports.Count, from + o.MessagePositions);
                c0 = ThreadCpu.NowNs();
                int length = client.Write(buffer, reports, from, to, wrapInBatch: !websocket);
                if (websocket)
                {
                    ValueTask send = ws.SendAsync(buffer.AsMemory(0, length), WebSocketMessageType.Text, true, ct);
                    clientCpuNs += ThreadCpu.NowNs() - c0;
                    await send.ConfigureAwait(false);
                }
                else
                {
                    using var content = new ByteArrayContent(buffer, 0, length);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    Task<HttpResponseMessage> post = http.PostAsync(new Uri("/api/v1/supervision/positions", UriKind.Relative), content, ct);
                    clientCpuNs += ThreadCpu.NowNs() - c0;
                    using HttpResponseMessage response = await post.ConfigureAwait(false);
                    response.EnsureSuccessStatusCode();
                }

                offered += to - from;
            }

            if (sw.Elapsed.TotalSeconds >= nextSample)
            {
                nextSample += o.SampleSeconds;
                using var p = Process.GetCurrentProcess();
                samples.Add((sw.Elapsed.TotalSeconds, GC.GetTotalMemory(false) / 1048576.0, p.WorkingSet64 / 1048576.0, GC.GetTotalAllocatedBytes() / 1048576.0));
            }
        }

        double elapsed = sw.Elapsed.TotalSeconds;
        if (websocket)
        {
            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", ct).ConfigureAwait(false);
        }

        await runtime.SyncAsync(runCycle: true, flushRecording: false, ct).ConfigureAwait(false);
        double drain = sw.Elapsed.TotalSeconds - elapsed;
        double processCpuS = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        IReadOnlyList<StageTotals> stages1 = runtime.Stages.Snapshot();
        double subscriberCpuS = subscriber.CpuNs / 1e9;
        double clientCpuS = clientCpuNs / 1e9;

        long received = 0, dropped = 0, rejected = 0;
        foreach (SourceStatusDto s in runtime.Counters.Snapshot().Values)
        {
            received += s.Received;
            dropped += s.Dropped + s.BadFrames;
            rejected += s.Rejected;
        }

        double[] latency = subscriber.Latencies();
        double warm = samples.Count > 3 ? samples[3].HeapMiB : samples.Count > 0 ? samples[0].HeapMiB : 0;
        var phase = new SuperviseBenchPhase(name, elapsed, offered, received, dropped, rejected, drain, latency, warm, samples.Count > 0 ? samples[^1].HeapMiB : 0,
            processCpuS, clientCpuS, subscriberCpuS);

        var sb = new StringBuilder();
        IFormatProvider inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"== {name} ==");
        sb.AppendLine(inv, $"offered {offered} positions in {elapsed:0.0} s = {offered / elapsed:0} /s; queued {received}, dropped {dropped}, rejected {rejected}; drained in {drain:0.00} s; taken in {phase.PositionsPerSecond:0} positions/s");
        SupervisionSnapshot snap = runtime.Snapshot;
        sb.AppendLine(inv, $"tracks {snap.Tracks.Length}, check runs {runtime.CheckRuns} ({runtime.CheckRuns / (elapsed + drain):0.0}/s), last checks {snap.LastCycleMs:0.00} ms, recorded {runtime.Recorder?.Recorded ?? 0}, recording dropped {runtime.Recorder?.Dropped ?? 0}");
        sb.AppendLine(inv, $"subscriber: {subscriber.TrackMessages} tracks messages ({subscriber.Tracks} tracks), {subscriber.Alerts} alert events");
        sb.AppendLine(inv, $"alert latency after the warm-up (n = {latency.Length}): p50 {phase.Percentile(0.5):0.0} ms, p95 {phase.Percentile(0.95):0.0} ms, p99 {phase.Percentile(0.99):0.0} ms, max {(latency.Length > 0 ? latency[^1] : double.NaN):0.0} ms");
        double[] warmup = subscriber.Warmup();
        sb.AppendLine(inv, $"  left out: {warmup.Length} alerts on positions sent in the first {Math.Min(o.WarmupSeconds, seconds / 2.0):0.#} s (warm-up): p50 {Nearest(warmup, 0.5):0.0} / p99 {Nearest(warmup, 0.99):0.0} / max {(warmup.Length > 0 ? warmup[^1] : double.NaN):0.0} ms");
        (double[] serverPart, double[] pushPart) = subscriber.Parts();
        sb.AppendLine(inv, $"  of which server (raisedUtc − position sent): p50 {Nearest(serverPart, 0.5):0.0} / p95 {Nearest(serverPart, 0.95):0.0} / p99 {Nearest(serverPart, 0.99):0.0} ms; push (arrival − raisedUtc): p50 {Nearest(pushPart, 0.5):0.0} / p95 {Nearest(pushPart, 0.95):0.0} / p99 {Nearest(pushPart, 0.99):0.0} ms; by kind: {subscriber.KindSummary()}");
        sb.AppendLine(inv, $"CPU over {elapsed + drain:0.0} s wall: process {processCpuS:0.00} s ({processCpuS / (elapsed + drain) * 100:0} % of one core), client {clientCpuS:0.00} s, subscriber {subscriberCpuS:0.00} s, server {processCpuS - clientCpuS - subscriberCpuS:0.00} s = {(processCpuS - clientCpuS - subscriberCpuS) * 1e6 / Math.Max(1, received):0.0} µs per position");
        sb.AppendLine(inv, $"server stages ({(ThreadCpu.IsThreadCpu ? "thread CPU" : "wall")}; synchronous parts):");
        for (int i = 0; i < stages1.Count; i++)
        {
            StageTotals a = stages0[i], b = stages1[i];
            long items = b.Items - a.Items, calls = b.Calls - a.Calls;
            double cpu = b.CpuMs - a.CpuMs, wall = b.WallMs - a.WallMs;
            sb.AppendLine(inv, $"  {b.Stage,-11} calls {calls,9}  items {items,11}  CPU {cpu / 1000:0.000} s  wall {wall / 1000:0.000} s  {(items > 0 ? cpu * 1e3 / items : 0):0.000} µs CPU/item  {(calls > 0 ? cpu / calls : 0):0.000} ms CPU/call");
        }

        sb.AppendLine(inv, $"memory (GC heap / working set / allocated so far), every {o.SampleSeconds} s:");
        foreach (var (s, heap, set, alloc) in samples)
        {
            sb.AppendLine(inv, $"  {s,6:0}s  heap {heap,7:0} MiB  working set {set,7:0} MiB  allocated {alloc,9:0} MiB");
        }

        if (samples.Count > 4)
        {
            double allocRate = (samples[^1].AllocatedMiB - samples[3].AllocatedMiB) / Math.Max(1e-9, samples[^1].S - samples[3].S);
            double min = double.MaxValue, max = 0;
            for (int i = 3; i < samples.Count; i++)
            {
                min = Math.Min(min, samples[i].HeapMiB);
                max = Math.Max(max, samples[i].HeapMiB);
            }

            sb.AppendLine(inv, $"memory start {samples[3].HeapMiB:0} MiB (at {samples[3].S:0} s) → end {samples[^1].HeapMiB:0} MiB; heap range after warm-up {min:0}–{max:0} MiB; working set {samples[3].WorkingSetMiB:0} → {samples[^1].WorkingSetMiB:0} MiB; allocation {allocRate:0.0} MiB/s");
        }

        await output.WriteAsync(sb.ToString().AsMemory(), ct).ConfigureAwait(false);
        await output.FlushAsync(ct).ConfigureAwait(false);
        return phase;
    }

    /// <summary>Nearest-rank percentile of sorted values (NaN when none).</summary>
    internal static double Nearest(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string ZoneJson()
    {
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        string ring = $"[[{F(ZoneLon)},{F(ZoneLat)}],[{F(ZoneLon + 0.01)},{F(ZoneLat)}],[{F(ZoneLon + 0.01)},{F(ZoneLat + 0.01)}],[{F(ZoneLon)},{F(ZoneLat + 0.01)}],[{F(ZoneLon)},{F(ZoneLat)}]]";
        return "{\"identifier\":\"ZB1\",\"name\":\"bench\",\"country\":\"CHN\",\"restriction\":\"PROHIBITED\",\"reasons\":[\"OTHER\"]," +
            "\"footprint\":{\"polygon\":[" + ring + "]},\"lower\":{\"value\":0,\"reference\":\"AMSL\"},\"upper\":{\"value\":5000,\"reference\":\"AMSL\"}}";
    }

    private static List<SimRoute> Routes(int drones)
    {
        // One straight route per 10 drones across 0.6° × 0.6° around Guiyang, on 10 cruise layers 40 m apart.
        var rng = new Random(42);
        var routes = new List<SimRoute>();
        for (int i = 0; i < Math.Max(10, drones / 10); i++)
        {
            var a = new GeoPoint(106.35 + (rng.NextDouble() * 0.6), 26.35 + (rng.NextDouble() * 0.6));
            var b = new GeoPoint(106.35 + (rng.NextDouble() * 0.6), 26.35 + (rng.NextDouble() * 0.6));
            routes.Add(new SimRoute("r" + i.ToString(CultureInfo.InvariantCulture), [a, b], Altitude.Amsl(1300 + (i % 10 * 40))));
        }

        return routes;
    }

    /// <summary>
    /// Writes positions from pre-serialised per-aircraft templates (<c>{"aircraftId":"…","timeUtc":"</c>) with the time
    /// text formatted once per distinct time and the numbers written fixed point, and keeps each aircraft's last
    /// <see cref="Ring"/> send times for the latency.
    /// </summary>
    internal sealed class TemplateClient(int capacity)
    {
        /// <summary>Upper bound of one position's JSON, bytes (ids are at most 64 characters).</summary>
        public const int MaxPositionBytes = 400;

        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();
        private byte[][] _prefix = new byte[capacity][];
        private long[] _sentUtcTicks = new long[capacity * Ring];
        private int[] _slot = new int[capacity];
        private long _timeTicks = long.MinValue;
        private readonly byte[] _time = new byte[32];
        private int _timeLength;

        public int Write(byte[] buffer, List<PositionReport> reports, int from, int to, bool wrapInBatch)
        {
            Span<byte> dst = buffer;
            int p = 0;
            if (wrapInBatch)
            {
                p += Copy(dst, p, "{\"positions\":"u8);
            }

            dst[p++] = (byte)'[';
            long sentTicks = DateTime.UtcNow.Ticks;
            Span<char> chars = stackalloc char[32];
            for (int i = from; i < to; i++)
            {
                PositionReport r = reports[i];
                int k = IndexOf(r.Aircraft.Value);
                if (i > from)
                {
                    dst[p++] = (byte)',';
                }

                p += Copy(dst, p, _prefix[k]);
                if (r.Time.UtcTicks != _timeTicks)
                {
                    _timeTicks = r.Time.UtcTicks;
                    r.Time.UtcDateTime.TryFormat(chars, out int n, "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
                    _timeLength = Encoding.ASCII.GetBytes(chars[..n], _time);
                }

                p += Copy(dst, p, _time.AsSpan(0, _timeLength));
                p += Copy(dst, p, "\",\"latDeg\":"u8);
                p += Fixed(dst[p..], r.Position.LatDeg, 7);
                p += Copy(dst, p, ",\"lonDeg\":"u8);
                p += Fixed(dst[p..], r.Position.LonDeg, 7);
                p += Copy(dst, p, ",\"altM\":"u8);
                p += Fixed(dst[p..], r.Altitude.ValueM, 2);
                p += Copy(dst, p, r.Altitude.Reference switch
                {
                    AltitudeReference.Agl => ",\"altRef\":\"AGL\""u8,
                    AltitudeReference.Amsl => ",\"altRef\":\"AMSL\""u8,
                    _ => ",\"altRef\":\"W84\""u8,
                });
                if (r.Velocity is { } v)
                {
                    p += Copy(dst, p, ",\"vnMps\":"u8);
                    p += Fixed(dst[p..], v.NorthMps, 2);
                    p += Copy(dst, p, ",\"veMps\":"u8);
                    p += Fixed(dst[p..], v.EastMps, 2);
                    p += Copy(dst, p, ",\"vuMps\":"u8);
                    p += Fixed(dst[p..], -v.DownMps, 2);
                }

                dst[p++] = (byte)'}';
                int s = _slot[k];
                Volatile.Write(ref _sentUtcTicks[(k * Ring) + s], sentTicks);
                _slot[k] = (s + 1) % Ring;
            }

            dst[p++] = (byte)']';
            if (wrapInBatch)
            {
                dst[p++] = (byte)'}';
            }

            return p;
        }

        /// <summary>The latest send time (UTC ticks) of the aircraft at or before <paramref name="atUtcTicks"/>, or 0.</summary>
        public long SentBefore(string aircraft, long atUtcTicks)
        {
            int k;
            lock (_gate)
            {
                if (!_index.TryGetValue(aircraft, out k))
                {
                    return 0;
                }
            }

            long best = 0;
            for (int s = 0; s < Ring; s++)
            {
                long t = Volatile.Read(ref _sentUtcTicks[(k * Ring) + s]);
                if (t <= atUtcTicks && t > best)
                {
                    best = t;
                }
            }

            return best;
        }

        private int IndexOf(string id)
        {
            if (_index.TryGetValue(id, out int k))
            {
                return k;
            }

            lock (_gate)
            {
                k = _index.Count;
                if (k == _prefix.Length)
                {
                    Array.Resize(ref _prefix, k * 2);
                    Array.Resize(ref _slot, k * 2);
                    long[] sent = new long[k * 2 * Ring];
                    _sentUtcTicks.AsSpan().CopyTo(sent);
                    _sentUtcTicks = sent;
                }

                _prefix[k] = Encoding.UTF8.GetBytes("{\"aircraftId\":\"" + JsonEncodedText.Encode(id).Value + "\",\"timeUtc\":\"");
                _index[id] = k;
            }

            return k;
        }

        private static int Copy(Span<byte> dst, int at, ReadOnlySpan<byte> src)
        {
            src.CopyTo(dst[at..]);
            return src.Length;
        }

        /// <summary>Writes <paramref name="v"/> with exactly <paramref name="decimals"/> decimals (1–9), rounded.</summary>
        internal static int Fixed(Span<byte> dst, double v, int decimals)
        {
            long scale = 1;
            for (int d = 0; d < decimals; d++)
            {
                scale *= 10;
            }

            long x = (long)Math.Round(v * scale, MidpointRounding.AwayFromZero);
            int p = 0;
            if (x < 0)
            {
                dst[p++] = (byte)'-';
                x = -x;
            }

            Utf8Formatter.TryFormat(x / scale, dst[p..], out int w);
            p += w;
            dst[p++] = (byte)'.';
            long f = x % scale;
            for (int d = decimals - 1; d >= 0; d--)
            {
                dst[p + d] = (byte)('0' + (int)(f % 10));
                f /= 10;
            }

            return p + decimals;
        }
    }

    /// <summary>A SignalR subscriber over a raw WebSocket (JSON hub protocol, records separated by 0x1E).</summary>
    private sealed class Subscriber(TemplateClient client, long countFromTicks) : IAsyncDisposable
    {
        private readonly List<double> _warmup = [];

        private readonly ClientWebSocket _ws = new();
        private readonly List<double> _latencies = [];
        private readonly List<double> _serverPart = [];
        private readonly List<double> _pushPart = [];
        private readonly Dictionary<string, List<double>> _byKind = new(StringComparer.Ordinal);
        private readonly CancellationTokenSource _stop = new();
        private Task? _receive;
        private Task? _ping;
        private long _cpuNs;

        public long TrackMessages { get; private set; }

        public long Tracks { get; private set; }

        public long Alerts { get; private set; }

        public long CpuNs => Interlocked.Read(ref _cpuNs);

        public async Task ConnectAsync(Uri uri, CancellationToken ct)
        {
            await _ws.ConnectAsync(uri, ct).ConfigureAwait(false);
            await _ws.SendAsync("{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray(), WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
            _receive = Task.Run(() => ReceiveLoopAsync(_stop.Token), CancellationToken.None);
            await _ws.SendAsync("{\"type\":1,\"target\":\"SubscribeAll\",\"arguments\":[]}\u001e"u8.ToArray(), WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
            _ping = Task.Run(() => PingLoopAsync(_stop.Token), CancellationToken.None);
        }

        /// <summary>The latencies after the warm-up, sorted.</summary>
        public double[] Latencies() => Sorted(_latencies);

        /// <summary>The warm-up's latencies, sorted.</summary>
        public double[] Warmup() => Sorted(_warmup);

        /// <summary>The latencies split at the alert's <c>raisedUtc</c>, each sorted.</summary>
        public (double[] Server, double[] Push) Parts() => (Sorted(_serverPart), Sorted(_pushPart));

        /// <summary>Per alert kind: count and p99 of the latency.</summary>
        public string KindSummary()
        {
            lock (_latencies)
            {
                var parts = new List<string>();
                foreach (var (kind, list) in _byKind.OrderBy(k => k.Key, StringComparer.Ordinal))
                {
                    double[] a = Sorted(list);
                    parts.Add(string.Create(CultureInfo.InvariantCulture, $"{kind} n {a.Length} p99 {Nearest(a, 0.99):0.0} ms"));
                }

                return string.Join(", ", parts);
            }
        }

        /// <summary>A sorted copy of one of the lists (all guarded by the <see cref="_latencies"/> lock).</summary>
        private double[] Sorted(List<double> list)
        {
            lock (_latencies)
            {
                double[] a = [.. list];
                Array.Sort(a);
                return a;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_receive ?? Task.CompletedTask, _ping ?? Task.CompletedTask).ConfigureAwait(false);
            _ws.Dispose();
            _stop.Dispose();
        }

        private async Task PingLoopAsync(CancellationToken stop)
        {
            byte[] ping = "{\"type\":6}\u001e"u8.ToArray();
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromSeconds(10), stop).ConfigureAwait(false);
                    await _ws.SendAsync(ping, WebSocketMessageType.Text, true, stop).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                // Stopping.
            }
        }

        private async Task ReceiveLoopAsync(CancellationToken stop)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
            int length = 0;
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    if (length == buffer.Length)
                    {
                        byte[] bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    ValueWebSocketReceiveResult r = await _ws.ReceiveAsync(buffer.AsMemory(length), stop).ConfigureAwait(false);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    long arrivedTicks = DateTime.UtcNow.Ticks;
                    long c0 = ThreadCpu.NowNs();
                    int scanFrom = length;
                    length += r.Count;
                    int start = 0;
                    while (true)
                    {
                        int end = buffer.AsSpan(Math.Max(start, scanFrom), length - Math.Max(start, scanFrom)).IndexOf((byte)0x1E);
                        if (end < 0)
                        {
                            break;
                        }

                        end += Math.Max(start, scanFrom);
                        Handle(buffer.AsSpan(start, end - start), arrivedTicks);
                        start = end + 1;
                    }

                    if (start > 0)
                    {
                        buffer.AsSpan(start, length - start).CopyTo(buffer);
                        length -= start;
                    }

                    Interlocked.Add(ref _cpuNs, ThreadCpu.NowNs() - c0);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                // Stopping.
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private void Handle(ReadOnlySpan<byte> message, long arrivedTicks)
        {
            ReadOnlySpan<byte> head = message[..Math.Min(64, message.Length)];
            if (head.IndexOf("\"target\":\"tracks\""u8) >= 0)
            {
                TrackMessages++;
                long n = 0;
                ReadOnlySpan<byte> rest = message;
                int at;
                while ((at = rest.IndexOf("\"aircraftId\""u8)) >= 0)
                {
                    n++;
                    rest = rest[(at + 12)..];
                }

                Tracks += n;
                return;
            }

            if (head.IndexOf("\"target\":\"alert\""u8) < 0)
            {
                return;
            }

            Alerts++;
            var reader = new Utf8JsonReader(message);
            using JsonDocument doc = JsonDocument.ParseValue(ref reader);
            JsonElement a = doc.RootElement.GetProperty("arguments")[0];
            string kind = a.GetProperty("kind").GetString()!;
            if (a.GetProperty("state").GetString() != "raised" || kind is not ("zone_incursion" or "separation_loss" or "separation_predicted"))
            {
                return;
            }

            long raised = a.GetProperty("raisedUtc").GetDateTimeOffset().UtcTicks;
            long sent = client.SentBefore(a.GetProperty("aircraft").GetString()!, raised);
            if (a.TryGetProperty("other", out JsonElement other) && other.ValueKind == JsonValueKind.String)
            {
                sent = Math.Max(sent, client.SentBefore(other.GetString()!, raised));
            }

            if (sent > 0)
            {
                double ms = (arrivedTicks - sent) / (double)TimeSpan.TicksPerMillisecond;
                lock (_latencies)
                {
                    if (sent < countFromTicks)
                    {
                        _warmup.Add(ms);
                        return;
                    }

                    _latencies.Add(ms);
                    _serverPart.Add((raised - sent) / (double)TimeSpan.TicksPerMillisecond);
                    _pushPart.Add((arrivedTicks - raised) / (double)TimeSpan.TicksPerMillisecond);
                    if (!_byKind.TryGetValue(kind, out List<double>? list))
                    {
                        _byKind[kind] = list = [];
                    }

                    list.Add(ms);
                }
            }
        }
    }
}
