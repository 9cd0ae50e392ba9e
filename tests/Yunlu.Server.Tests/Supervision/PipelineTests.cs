using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Yunlu.Server.Supervision;
using static Yunlu.Server.Tests.Supervision.SupervisionHost;

namespace Yunlu.Server.Tests.Supervision;

/// <summary>The live pipeline: WebSocket batches → engine loop → checks after new positions (no cycle timer needed).</summary>
public sealed class PipelineTests : IDisposable
{
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    private Task<SupervisionHost> StartAsync() => SupervisionHost.StartAsync(_data.Path, null, new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        // The cycle timer is far away: only new positions can trigger the checks.
        ["CycleInterval"] = "01:00:00",
        ["CheckInterval"] = "00:00:00",
    });

    [Fact]
    public async Task WebSocketBatch_DroneEntersZone_AlertRaisedByTheChecksAfterTheUpdateWithoutACycle()
    {
        await using var host = await StartAsync();
        using var manager = host.Authorized(await host.TokenAsync("manager"));
        await SupervisionTestKit.PutZoneAsync(manager, host.Runtime, 106.70, 26.57);
        using ClientWebSocket ws = await SupervisionTestKit.ConnectIngestAsync(host.BaseAddress, await host.TokenAsync("operator"));
        DateTimeOffset t = DateTimeOffset.UtcNow;
        string message = "[" + Position("OUTSIDE", t, lat: 26.40, lon: 106.40) + "," + Position("INTRUDER", t, lat: 26.575, lon: 106.705) + "]";
        await ws.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, Ct);

        await WaitUntilAsync(() => host.Runtime.Alerts.List(true).Exists(a => a.Kind == "zone_incursion" && a.Aircraft == "INTRUDER"), "the incursion alert");
        Assert.DoesNotContain(host.Runtime.Alerts.List(true), a => a.Aircraft == "OUTSIDE");
        // The step raised it; the full checks after new positions follow in the same loop pass.
        await WaitUntilAsync(() => host.Runtime.CheckRuns >= 1, "the full checks after new positions");
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", Ct);
    }

    [Fact]
    public async Task WebSocketBatch_FullChecksAnHourAway_StepRaisesIncursionAndConvergingPair()
    {
        await using var host = await SupervisionHost.StartAsync(_data.Path, null, new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            // Neither the cycle nor the full checks can run during the test: only the per-batch step can raise.
            ["CycleInterval"] = "01:00:00",
            ["CheckInterval"] = "01:00:00",
        });
        using var manager = host.Authorized(await host.TokenAsync("manager"));
        await SupervisionTestKit.PutZoneAsync(manager, host.Runtime, 106.70, 26.57);
        using ClientWebSocket ws = await SupervisionTestKit.ConnectIngestAsync(host.BaseAddress, await host.TokenAsync("operator"));
        DateTimeOffset t = DateTimeOffset.UtcNow;

        // The first positions ever run the full checks at once (nothing ran before); after that the next is an hour away.
        long before = host.Runtime.CheckRuns;
        await ws.SendAsync(Encoding.UTF8.GetBytes(Position("WARMUP", t, lat: 26.30, lon: 106.30)), WebSocketMessageType.Text, true, Ct);
        await WaitUntilAsync(() => host.Runtime.CheckRuns > before, "the first full checks");
        long fullChecks = host.Runtime.CheckRuns;

        // Two drones 30 m apart at the same height (loss of separation now), far from the zone, then the intruder.
        string pair = "[" + Position("PAIR-A", t, lat: 26.40, lon: 106.40) + "," + Position("PAIR-B", t, lat: 26.40027, lon: 106.40) + "]";
        await ws.SendAsync(Encoding.UTF8.GetBytes(pair), WebSocketMessageType.Text, true, Ct);
        await ws.SendAsync(Encoding.UTF8.GetBytes("[" + Position("INTRUDER", t, lat: 26.575, lon: 106.705) + "]"), WebSocketMessageType.Text, true, Ct);

        await WaitUntilAsync(() => host.Runtime.Alerts.List(true).Exists(a => a.Kind == "zone_incursion" && a.Aircraft == "INTRUDER"), "the incursion alert");
        await WaitUntilAsync(() => host.Runtime.Alerts.List(true).Exists(a => a.Kind == "separation_loss" && a.Aircraft == "PAIR-A" && a.Other == "PAIR-B"), "the separation alert");
        Assert.Equal(fullChecks, host.Runtime.CheckRuns);
        Assert.DoesNotContain(host.Runtime.Alerts.List(true), a => a.Aircraft == "INTRUDER" && a.Kind != "zone_incursion");
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", Ct);
    }

    [Fact]
    public async Task WebSocket_CorruptMessageInTheMiddle_NothingOfItQueuedOthersTaken()
    {
        await using var host = await StartAsync();
        using ClientWebSocket ws = await SupervisionTestKit.ConnectIngestAsync(host.BaseAddress, await host.TokenAsync("operator"));
        DateTimeOffset t = DateTimeOffset.UtcNow;
        string good = "[" + Position("G1", t) + "," + Position("G2", t) + "]";
        // Valid positions before the corruption must not be queued: the message is dropped whole.
        string corrupt = "[" + Position("C1", t) + "," + Position("C2", t) + ",{\"aircraftId\":";
        string trailing = Position("C3", t) + "garbage";
        foreach (string m in new[] { good, corrupt, trailing })
        {
            await ws.SendAsync(Encoding.UTF8.GetBytes(m), WebSocketMessageType.Text, true, Ct);
        }

        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", Ct);
        await host.CycleAsync();
        Assert.Equal(["G1", "G2"], host.Runtime.Snapshot.Tracks.Select(x => x.AircraftId).Order(StringComparer.Ordinal));
        Dictionary<string, SourceStatusDto> status = host.Runtime.Counters.Snapshot();
        Assert.Equal(2, status["ws"].Received);
        Assert.Equal(2, status["ws"].BadFrames);
        Assert.Equal(0, host.Runtime.QueueDepth);
    }

    [Fact]
    public async Task HttpBatch_QueuedAsOneBatch_AllTaken()
    {
        await using var host = await StartAsync();
        using var op = host.Authorized(await host.TokenAsync("operator"));
        DateTimeOffset t = DateTimeOffset.UtcNow;
        string[] positions = [.. Enumerable.Range(0, 2500).Select(i => Position("H" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), t, lat: 26.5 + (i * 1e-4)))];
        using (var post = await op.PostAsync("/api/v1/supervision/positions", Json(Batch(positions)), Ct))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, post.StatusCode);
            using JsonDocument doc = JsonDocument.Parse(await post.Content.ReadAsStringAsync(Ct));
            Assert.Equal(2500, doc.RootElement.GetProperty("accepted").GetInt32());
        }

        await host.CycleAsync();
        Assert.Equal(2500, host.Runtime.Snapshot.Tracks.Length);
    }
}
