using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Yunlu.Formats.Telemetry;
using Yunlu.Geo;
using Yunlu.Server.Supervision;
using static Yunlu.Server.Tests.Supervision.SupervisionHost;

namespace Yunlu.Server.Tests.Supervision;

/// <summary>The live supervision API on a real server, once per store (SQLite, PostgreSQL).</summary>
public abstract class SupervisionApiTests : IDisposable
{
    private readonly TempFolder _data = new();

    protected abstract string? Postgres { get; }

    public void Dispose()
    {
        _data.Dispose();
        GC.SuppressFinalize(this);
    }

    private Task<SupervisionHost> StartAsync(IDictionary<string, string?>? settings = null, bool publicReads = true) =>
        SupervisionHost.StartAsync(_data.Path, Postgres, settings, publicReads);

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return doc.RootElement.Clone();
    }

    private static JsonElement? FindTrack(JsonElement tracks, string id)
    {
        foreach (JsonElement t in tracks.GetProperty("tracks").EnumerateArray())
        {
            if (t.GetProperty("aircraftId").GetString() == id)
            {
                return t;
            }
        }

        return null;
    }

    [Fact]
    public async Task PostPositions_ValidBatch_TracksCarryAllAltitudeReferencesAndVelocity()
    {
        await using var host = await StartAsync();
        using var op = host.Authorized(await host.TokenAsync("operator"));
        DateTimeOffset t = DateTimeOffset.UtcNow;
        using var response = await op.PostAsync("/api/v1/supervision/positions",
            Json(Batch(Position("D1", t, extra: ",\"vnMps\":3,\"veMps\":4,\"vuMps\":0.5"), Position("D2", t, lat: 26.61, alt: 1300, altRef: "AMSL"))), Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        JsonElement result = await ReadAsync(response);
        Assert.Equal(2, result.GetProperty("accepted").GetInt32());
        Assert.Equal(0, result.GetProperty("rejected").GetInt32());

        await host.CycleAsync();
        JsonElement tracks = await ReadAsync(await host.Client.GetAsync("/api/v1/supervision/tracks", Ct));
        JsonElement d1 = FindTrack(tracks, "D1")!.Value;
        Assert.Equal(5.0, d1.GetProperty("groundSpeedMps").GetDouble(), 6);
        Assert.Equal(0.5, d1.GetProperty("vuMps").GetDouble(), 6);
        Assert.Equal("http", d1.GetProperty("source").GetString());
        Assert.Equal("none", d1.GetProperty("conformance").GetString());
        Assert.False(d1.GetProperty("manned").GetBoolean());
        JsonElement d2 = FindTrack(tracks, "D2")!.Value;
        Assert.Equal(1300, d2.GetProperty("altAmslM").GetDouble(), 6);
        Assert.True(d2.GetProperty("altW84M").GetDouble() is > 1250 and < 1300, "W84 = AMSL + geoid undulation (about −29 m at Guiyang)");

        JsonElement inside = await ReadAsync(await host.Client.GetAsync("/api/v1/supervision/tracks?bbox=106.69,26.59,106.71,26.605", Ct));
        Assert.NotNull(FindTrack(inside, "D1"));
        Assert.Null(FindTrack(inside, "D2"));

        JsonElement status = await ReadAsync(await host.Client.GetAsync("/api/v1/supervision/status", Ct));
        Assert.Equal(2, status.GetProperty("tracks").GetInt32());
        Assert.Equal(2, status.GetProperty("sources").GetProperty("http").GetProperty("received").GetInt64());
    }

    [Fact]
    public async Task PostPositions_SomeInvalid_AcceptsTheRestAndNamesEachField()
    {
        await using var host = await StartAsync();
        using var op = host.Authorized(await host.TokenAsync("operator"));
        DateTimeOffset t = DateTimeOffset.UtcNow;
        using var response = await op.PostAsync("/api/v1/supervision/positions", Json(Batch(
            Position("OK", t),
            Position("BADLAT", t, lat: 95),
            Position("BADREF", t, altRef: "QNH"),
            Position("PARTIAL", t, extra: ",\"vnMps\":1"),
            """{"aircraftId":"NOTIME","latDeg":26.6,"lonDeg":106.7,"altM":50,"altRef":"AGL"}""",
            Position("FUTURE", t.AddHours(1)))), Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        JsonElement result = await ReadAsync(response);
        Assert.Equal(1, result.GetProperty("accepted").GetInt32());
        Assert.Equal(5, result.GetProperty("rejected").GetInt32());
        var fields = result.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("field").GetString(), e.GetProperty("rule").GetString())).ToList();
        Assert.Equal(
            [("positions[1].latDeg", "lat-range"), ("positions[2].altRef", "alt-ref-unknown"), ("positions[3].veMps", "velocity-partial"),
             ("positions[4].timeUtc", "required"), ("positions[5].timeUtc", "time-future")],
            fields);
    }

    [Fact]
    public async Task PostPositions_BadRequests_400And413And422NameTheField()
    {
        await using var host = await StartAsync(new Dictionary<string, string?> { ["MaxBatchPositions"] = "2", ["MaxBatchBytes"] = "2000" });
        using var op = host.Authorized(await host.TokenAsync("operator"));
        DateTimeOffset t = DateTimeOffset.UtcNow;

        using var malformed = await op.PostAsync("/api/v1/supervision/positions", Json("{\"positions\":[{\"aircraftId\":"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("body", (await ReadAsync(malformed)).GetProperty("errors").EnumerateObject().Select(p => p.Name));

        using var missing = await op.PostAsync("/api/v1/supervision/positions", Json("{\"items\":[]}"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("positions", (await ReadAsync(missing)).GetProperty("errors").EnumerateObject().Select(p => p.Name));

        using var tooMany = await op.PostAsync("/api/v1/supervision/positions", Json(Batch(Position("A", t), Position("B", t), Position("C", t))), Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.StatusCode);
        Assert.Contains("positions", (await ReadAsync(tooMany)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var tooBig = await op.PostAsync("/api/v1/supervision/positions", Json(Batch(Position(new string('X', 3000), t))), Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);

        using var allBad = await op.PostAsync("/api/v1/supervision/positions", Json(Batch(Position("A", t, lon: 200))), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, allBad.StatusCode);
        JsonElement problem = await ReadAsync(allBad);
        Assert.True(problem.GetProperty("errors").TryGetProperty("positions[0].lonDeg", out _));

        await host.CycleAsync();
        JsonElement tracks = await ReadAsync(await host.Client.GetAsync("/api/v1/supervision/tracks", Ct));
        Assert.Empty(tracks.GetProperty("tracks").EnumerateArray());
    }

    [Fact]
    public async Task Roles_IngestNeedsOperatorAckNeedsSupervisor()
    {
        await using var host = await StartAsync(publicReads: false);
        DateTimeOffset t = DateTimeOffset.UtcNow;
        using var anonymous = await host.Client.PostAsync("/api/v1/supervision/positions", Json(Batch(Position("A", t))), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var anonymousRead = await host.Client.GetAsync("/api/v1/supervision/tracks", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousRead.StatusCode);

        using var op = host.Authorized(await host.TokenAsync("operator"));
        using var ackByOperator = await op.PostAsync("/api/v1/supervision/alerts/1/ack", null, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, ackByOperator.StatusCode);
        using var simByOperator = await op.PostAsync("/api/v1/supervision/simulation", Json("{}"), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, simByOperator.StatusCode);

        using var supervisor = host.Authorized(await host.TokenAsync("supervisor"));
        using var unknown = await supervisor.PostAsync("/api/v1/supervision/alerts/987654/ack", null, Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var read = await op.GetAsync("/api/v1/supervision/alerts?open=true", Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task Incursion_AlertPushedOverSignalRWithinTheCycle_AckedAndCleared()
    {
        await using var host = await StartAsync();
        using var manager = host.Authorized(await host.TokenAsync("manager"));
        string zoneId = await SupervisionTestKit.PutZoneAsync(manager, host.Runtime, 106.70, 26.57);

        var raised = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cleared = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tracksPushed = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(host.BaseAddress, "/hubs/supervision")).Build();
        hub.On<JsonElement>("alert", a =>
        {
            if (a.GetProperty("kind").GetString() == "zone_incursion")
            {
                (a.GetProperty("state").GetString() == "cleared" ? cleared : raised).TrySetResult(a);
            }
        });
        hub.On<JsonElement>("tracks", t =>
        {
            if (t.GetArrayLength() > 0)
            {
                tracksPushed.TrySetResult(t);
            }
        });
        await hub.StartAsync(Ct);
        await hub.InvokeAsync("Subscribe", 106.6, 26.5, 106.8, 26.7, Ct);

        using var op = host.Authorized(await host.TokenAsync("operator"));
        DateTimeOffset t = DateTimeOffset.UtcNow;
        using (var post = await op.PostAsync("/api/v1/supervision/positions", Json(Batch(Position("INTRUDER", t, lat: 26.575, lon: 106.705, alt: 50))), Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        }

        await host.CycleAsync();
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(TimeSpan.FromSeconds(30));
        JsonElement alert = await raised.Task.WaitAsync(guard.Token);
        Assert.Equal("INTRUDER", alert.GetProperty("aircraft").GetString());
        Assert.Equal(zoneId, alert.GetProperty("zone").GetString());
        Assert.Equal("warning", alert.GetProperty("severity").GetString());
        Assert.Equal("raised", alert.GetProperty("state").GetString());
        JsonElement pushedTracks = await tracksPushed.Task.WaitAsync(guard.Token);
        Assert.Equal("INTRUDER", pushedTracks[0].GetProperty("aircraftId").GetString());

        long id = alert.GetProperty("id").GetInt64();
        using var supervisor = host.Authorized(await host.TokenAsync("supervisor"));
        using (var ack = await supervisor.PostAsync($"/api/v1/supervision/alerts/{id}/ack", null, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
            JsonElement acked = await ReadAsync(ack);
            Assert.Equal("tester", acked.GetProperty("acknowledgedBy").GetString());
            Assert.Equal(JsonValueKind.String, acked.GetProperty("acknowledgedUtc").ValueKind);
        }

        JsonElement open = await ReadAsync(await host.Client.GetAsync("/api/v1/supervision/alerts?open=true", Ct));
        Assert.Contains(open.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("id").GetInt64() == id && a.GetProperty("acknowledgedBy").GetString() == "tester");

        // The aircraft leaves the zone: the alert clears, keeps its id.
        using (var post = await op.PostAsync("/api/v1/supervision/positions", Json(Batch(Position("INTRUDER", t.AddSeconds(1), lat: 26.50, lon: 106.60, alt: 50))), Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        }

        await host.CycleAsync(flush: true);
        JsonElement gone = await cleared.Task.WaitAsync(guard.Token);
        Assert.Equal(id, gone.GetProperty("id").GetInt64());
        JsonElement stillOpen = await ReadAsync(await host.Client.GetAsync("/api/v1/supervision/alerts?open=true", Ct));
        Assert.DoesNotContain(stillOpen.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("id").GetInt64() == id);

        JsonElement history = await ReadAsync(await host.Client.GetAsync("/api/v1/supervision/alerts/history", Ct));
        var events = history.GetProperty("alerts").EnumerateArray().Where(a => a.GetProperty("id").GetInt64() == id).Select(a => a.GetProperty("state").GetString()).ToList();
        Assert.Equal(["raised", "acknowledged", "cleared"], events);
    }

    [Fact]
    public async Task Picture_AfterRecording_GivesTheLastStateBeforeAtAndTheHistory()
    {
        await using var host = await StartAsync();
        using var op = host.Authorized(await host.TokenAsync("operator"));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        DateTimeOffset t0 = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero).AddSeconds(-30);
        var positions = new List<string>();
        for (int s = 0; s < 10; s++)
        {
            positions.Add(Position("REC1", t0.AddSeconds(s), lat: 26.60 + (s * 0.001), extra: ",\"vnMps\":11,\"veMps\":0,\"vuMps\":0"));
        }

        positions.Add(Position("REC2", t0.AddSeconds(2), lat: 26.65));
        using (var post = await op.PostAsync("/api/v1/supervision/positions", Json(Batch([.. positions])), Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        }

        await host.CycleAsync(flush: true);
        string at = (t0.AddSeconds(5.5)).ToString("O", CultureInfo.InvariantCulture);
        JsonElement picture = await ReadAsync(await host.Client.GetAsync($"/api/v1/supervision/picture?at={Uri.EscapeDataString(at)}", Ct));
        JsonElement rec1 = FindTrack(picture, "REC1")!.Value;
        Assert.Equal(26.605, rec1.GetProperty("latDeg").GetDouble(), 9);
        Assert.Equal(0.5, rec1.GetProperty("ageS").GetDouble(), 3);
        Assert.Equal(11, rec1.GetProperty("vnMps").GetDouble(), 9);
        Assert.NotNull(FindTrack(picture, "REC2"));

        JsonElement narrow = await ReadAsync(await host.Client.GetAsync($"/api/v1/supervision/picture?at={Uri.EscapeDataString(at)}&windowS=2", Ct));
        Assert.NotNull(FindTrack(narrow, "REC1"));
        Assert.Null(FindTrack(narrow, "REC2"));

        string from = t0.AddSeconds(2).ToString("O", CultureInfo.InvariantCulture), to = t0.AddSeconds(4).ToString("O", CultureInfo.InvariantCulture);
        JsonElement history = await ReadAsync(await host.Client.GetAsync($"/api/v1/supervision/tracks/REC1/history?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}", Ct));
        Assert.Equal([26.602, 26.603, 26.604], history.GetProperty("points").EnumerateArray().Select(p => Math.Round(p.GetProperty("latDeg").GetDouble(), 6)));

        using var badAt = await host.Client.GetAsync("/api/v1/supervision/picture?at=yesterday", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badAt.StatusCode);
        Assert.True((await ReadAsync(badAt)).GetProperty("errors").TryGetProperty("at", out _));
        using var reversed = await host.Client.GetAsync($"/api/v1/supervision/tracks/REC1/history?from={Uri.EscapeDataString(to)}&to={Uri.EscapeDataString(from)}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
    }

    [Fact]
    public async Task WebSocket_ObjectsAndArrays_IngestedGarbageCounted()
    {
        await using var host = await StartAsync();
        using ClientWebSocket ws = await SupervisionTestKit.ConnectIngestAsync(host.BaseAddress, await host.TokenAsync("operator"));
        DateTimeOffset t = DateTimeOffset.UtcNow;
        foreach (string message in new[] { "[" + Position("W1", t) + "," + Position("W2", t) + "]", "{not json", Position("W3", t), Position("BAD", t, lat: 100) })
        {
            await ws.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, Ct);
        }

        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", Ct);
        await host.CycleAsync();
        JsonElement tracks = await ReadAsync(await host.Client.GetAsync("/api/v1/supervision/tracks", Ct));
        Assert.Equal(["W1", "W2", "W3"], tracks.GetProperty("tracks").EnumerateArray().Select(x => x.GetProperty("aircraftId").GetString()).Order(StringComparer.Ordinal));
        JsonElement wsStatus = (await ReadAsync(await host.Client.GetAsync("/api/v1/supervision/status", Ct))).GetProperty("sources").GetProperty("ws");
        Assert.Equal(3, wsStatus.GetProperty("received").GetInt64());
        Assert.Equal(1, wsStatus.GetProperty("badFrames").GetInt64());
        Assert.Equal(1, wsStatus.GetProperty("rejected").GetInt64());
    }

    [Fact]
    public async Task WebSocket_WithoutToken_Rejected()
    {
        await using var host = await StartAsync();
        using var ws = new ClientWebSocket();
        var uri = new UriBuilder(host.BaseAddress) { Scheme = "ws", Path = "/api/v1/supervision/ws" }.Uri;
        await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(uri, Ct));
    }

    [Fact]
    public async Task MavlinkUdp_RealFramesAndRandomGarbage_PositionsIngestedGarbageCounted()
    {
        await using var host = await StartAsync(new Dictionary<string, string?> { ["MavlinkUdp:Port"] = "0", ["MavlinkUdp:Address"] = "127.0.0.1" });
        int port = host.Listeners.MavlinkUdpPort!.Value;
        using var udp = new UdpClient();
        udp.Connect(IPAddress.Loopback, port);
        var random = new Random(6);
        for (int i = 0; i < 200; i++)
        {
            byte[] junk = new byte[random.Next(1, 300)];
            random.NextBytes(junk);
            junk[0] = i % 2 == 0 ? MavlinkFrame.MagicV2 : junk[0];
            await udp.SendAsync(junk, Ct);
        }

        byte[] payload = MavlinkFrame.GlobalPositionIntPayload(1000, 266_000_000, 1_067_000_000, 1_300_000, 80_000, 500, 0, 0, 9000);
        await udp.SendAsync(MavlinkFrame.WriteV2(MavlinkFrame.GlobalPositionInt, payload, 0, 7, 1), Ct);
        await udp.SendAsync(MavlinkFrame.WriteV1(MavlinkFrame.GlobalPositionInt, payload, 1, 8, 1), Ct);
        byte[] corrupted = MavlinkFrame.WriteV2(MavlinkFrame.GlobalPositionInt, payload, 2, 9, 1);
        corrupted[^1] ^= 0xFF;
        await udp.SendAsync(corrupted, Ct);

        await WaitUntilAsync(() => host.Runtime.Counters.ReceivedOf(IngestSource.Mavlink) >= 2, "two MAVLink positions");
        await host.CycleAsync();
        JsonElement tracks = await ReadAsync(await host.Client.GetAsync("/api/v1/supervision/tracks", Ct));
        JsonElement mav7 = FindTrack(tracks, "mav:7")!.Value;
        Assert.Equal(26.6, mav7.GetProperty("latDeg").GetDouble(), 6);
        Assert.Equal(106.7, mav7.GetProperty("lonDeg").GetDouble(), 6);
        Assert.Equal("mavlink", mav7.GetProperty("source").GetString());
        Assert.NotNull(FindTrack(tracks, "mav:8"));
        Assert.Null(FindTrack(tracks, "mav:9"));
        Assert.True(host.Runtime.Counters.BadFramesOf(IngestSource.Mavlink) >= 1);
    }

    [Fact]
    public async Task SbsListener_PositionLinesAndGarbage_MannedTrackAndBadLinesCounted()
    {
        await using var host = await StartAsync(new Dictionary<string, string?> { ["Sbs:ListenPort"] = "0", ["Sbs:ListenAddress"] = "127.0.0.1" });
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, host.Listeners.SbsListenPort!.Value, Ct);
            NetworkStream stream = tcp.GetStream();
            string now = DateTime.UtcNow.ToString("yyyy/MM/dd,HH:mm:ss.fff", CultureInfo.InvariantCulture);
            string lines =
                "garbage line\r\n" + new string('Z', 5000) + "\n" +
                $"MSG,4,1,1,780A1B,1,{now},{now},,,120,90,,,0,,,,,\n" +
                $"MSG,3,1,1,780A1B,1,{now},{now},,1500,,,26.60000,106.70000,,,0,0,0,0\n" +
                "MSG,3,1,1,NOTHEX,1,,,,,,1500,,,26.6,106.7,,,,,,\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(lines), Ct);
        }

        await WaitUntilAsync(() => host.Runtime.Counters.ReceivedOf(IngestSource.Adsb) >= 1 && host.Runtime.Counters.BadFramesOf(IngestSource.Adsb) >= 3, "the SBS-1 lines");
        await host.CycleAsync();
        JsonElement tracks = await ReadAsync(await host.Client.GetAsync("/api/v1/supervision/tracks", Ct));
        JsonElement plane = FindTrack(tracks, "780A1B")!.Value;
        Assert.True(plane.GetProperty("manned").GetBoolean());
        Assert.Equal(1500 * 0.3048, plane.GetProperty("altAmslM").GetDouble(), 3);
        Assert.Equal("adsb", plane.GetProperty("source").GetString());
        Assert.Equal(3, host.Runtime.Counters.BadFramesOf(IngestSource.Adsb));
    }

    [Fact]
    public async Task SbsClient_ConnectsToAFeed_TakesItsPositions()
    {
        using var feed = new TcpListener(IPAddress.Loopback, 0);
        feed.Start();
        int port = ((IPEndPoint)feed.LocalEndpoint).Port;
        await using var host = await StartAsync(new Dictionary<string, string?> { ["Sbs:Host"] = "127.0.0.1", ["Sbs:Port"] = port.ToString(CultureInfo.InvariantCulture) });
        using (TcpClient peer = await feed.AcceptTcpClientAsync(Ct))
        {
            string now = DateTime.UtcNow.ToString("yyyy/MM/dd,HH:mm:ss.fff", CultureInfo.InvariantCulture);
            await peer.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"MSG,3,1,1,ABC123,1,{now},{now},,2000,,,26.61,106.71,,,0,0,0,0\n"), Ct);
            await WaitUntilAsync(() => host.Runtime.Counters.ReceivedOf(IngestSource.Adsb) >= 1, "the feed's position");
        }

        await host.CycleAsync();
        JsonElement tracks = await ReadAsync(await host.Client.GetAsync("/api/v1/supervision/tracks", Ct));
        Assert.NotNull(FindTrack(tracks, "ABC123"));
    }

    [Fact]
    public async Task RemoteId_AstmPackAndGarbage_PositionFromSerialAndBadPayloadNamed()
    {
        await using var host = await StartAsync();
        using var op = host.Authorized(await host.TokenAsync("operator"));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        int tenths = (int)((now - new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero)).TotalSeconds * 10);
        byte[] pack = AstmRemoteIdDecoder.EncodePack(2,
            AstmRemoteIdDecoder.EncodeBasicId(2, 1, 2, "1596F3Y7TESTSER"),
            AstmRemoteIdDecoder.EncodeLocation(2, 2, 90, 10, 0, new GeoPoint(106.72, 26.62), 1320, 80, true, tenths));
        var body = new
        {
            messages = new object[]
            {
                new { format = "astm", payload = Convert.ToBase64String(pack), receivedUtc = now, transmitter = "AA:BB:CC:DD:EE:FF" },
                new { format = "astm", payload = Convert.ToBase64String(new byte[10]), receivedUtc = now, transmitter = "x" },
                new { format = "gb", payload = Convert.ToBase64String([1, 2, 3]), receivedUtc = now, transmitter = "y" },
                new { format = "other", payload = "AA==", receivedUtc = now, transmitter = "z" },
            },
        };
        using var response = await op.PostAsJsonAsync("/api/v1/supervision/remoteid", body, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        JsonElement result = await ReadAsync(response);
        Assert.Equal(1, result.GetProperty("accepted").GetInt32());
        Assert.Equal(3, result.GetProperty("rejected").GetInt32());
        Assert.Equal(["messages[1].payload", "messages[2].payload", "messages[3].format"],
            result.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));

        await host.CycleAsync();
        JsonElement tracks = await ReadAsync(await host.Client.GetAsync("/api/v1/supervision/tracks", Ct));
        JsonElement drone = FindTrack(tracks, "1596F3Y7TESTSER")!.Value;
        Assert.Equal(26.62, drone.GetProperty("latDeg").GetDouble(), 5);
        Assert.Equal("remoteid-astm", drone.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Simulation_InvalidOrWithoutSites_400And422NameTheField()
    {
        await using var host = await StartAsync();
        using var supervisor = host.Authorized(await host.TokenAsync("supervisor"));
        using var bad = await supervisor.PostAsync("/api/v1/supervision/simulation", Json("{\"drones\":0}"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await ReadAsync(bad)).GetProperty("errors").TryGetProperty("drones", out _));

        using var noSites = await supervisor.PostAsync("/api/v1/supervision/simulation", Json("{\"drones\":10}"), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noSites.StatusCode);
        Assert.Contains("routes-none", await noSites.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var stop = await supervisor.DeleteAsync("/api/v1/supervision/simulation", Ct);
        Assert.Equal(HttpStatusCode.NotFound, stop.StatusCode);
    }
}

/// <summary>The supervision API on SQLite.</summary>
public sealed class SqliteSupervisionApiTests : SupervisionApiTests
{
    protected override string? Postgres => null;
}

/// <summary>The supervision API on PostgreSQL + PostGIS, a fresh database per test.</summary>
public sealed class PostgresSupervisionApiTests : SupervisionApiTests, IAsyncLifetime
{
    private readonly PgDatabase _database = new();

    protected override string? Postgres => _database.ConnectionString;

    public ValueTask InitializeAsync() => _database.InitializeAsync();

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
