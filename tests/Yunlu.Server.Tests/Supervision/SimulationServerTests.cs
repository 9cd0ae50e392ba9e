using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Yunlu.Server.Supervision;
using Yunlu.Storage.Supervision;

namespace Yunlu.Server.Tests.Supervision;

/// <summary>
/// The server-side simulation's happy path: <c>POST /api/v1/supervision/simulation</c> starts the deterministic
/// simulator over the stored sites, its reports go through the same ingestion, each injected fault raises its alert
/// kind, and <c>DELETE</c> stops it. The test drives the clock: the simulator's timer is off (an hour) and each second
/// of data time is one step plus one cycle.
/// </summary>
public sealed class SimulationServerTests : IDisposable
{
    private const string Sites = """
        {"type":"FeatureCollection","features":[
          {"type":"Feature","geometry":{"type":"Point","coordinates":[106.620,26.600]},"properties":{"id":"HUB","name":"hub","kind":"logistics_hub"}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":[106.630,26.600]},"properties":{"id":"DP1","name":"drop 1","kind":"drop_point"}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":[106.620,26.610]},"properties":{"id":"DP2","name":"drop 2","kind":"drop_point"}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":[106.640,26.600]},"properties":{"id":"VP","name":"pad","kind":"vertiport"}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":[106.640,26.610]},"properties":{"id":"POI","name":"view","kind":"poi"}}
        ]}
        """;

    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Simulation_200DronesWithFaults_TracksAppearEachFaultRaisesItsAlert_DeleteStopsIt()
    {
        var clock = new ManualClock(ManualClock.StartOfTest());
        await using var host = await ClockedHost.StartAsync(_data.Path, clock, new Dictionary<string, string?> { ["SimulationStepInterval"] = "01:00:00" });
        using var manager = await host.AuthorizedAsync("manager");
        using (var multipart = new MultipartFormDataContent())
        {
            multipart.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(Sites)), "file", "sites.geojson");
            using var imported = await manager.PostAsync("/api/v1/imports/sites", multipart, SupervisionHost.Ct);
            Assert.True(imported.StatusCode == HttpStatusCode.OK, await imported.Content.ReadAsStringAsync(SupervisionHost.Ct));
        }

        string zoneId = await SupervisionTestKit.PutZoneAsync(manager, host.Runtime, 106.625, 26.603);
        using var supervisor = await host.AuthorizedAsync("supervisor");
        DateTimeOffset start = clock.Now;
        using (var started = await supervisor.PostAsync("/api/v1/supervision/simulation", SupervisionHost.Json("""{"drones":200,"faults":true,"seconds":600,"seed":5}"""), SupervisionHost.Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            JsonElement sim = await started.Content.ReadFromJsonAsync<JsonElement>(SupervisionHost.Ct);
            Assert.Equal(210, sim.GetProperty("drones").GetInt32());
        }

        // 300 s of data time (faults start within 120 s; the zone is at most 1.5 km from any route): a step and a
        // cycle per second.
        for (int s = 1; s <= 300; s++)
        {
            clock.Set(start.AddSeconds(s));
            Assert.True(host.Simulation.StepNow() > 0);
            await host.Runtime.SyncAsync(runCycle: true, flushRecording: s == 300, SupervisionHost.Ct);
        }

        JsonElement tracks = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/supervision/tracks", SupervisionHost.Ct);
        Assert.Equal(210, tracks.GetProperty("tracks").GetArrayLength());
        Assert.All(tracks.GetProperty("tracks").EnumerateArray(), t => Assert.Equal("simulator", t.GetProperty("source").GetString()));
        JsonElement status = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/supervision/status", SupervisionHost.Ct);
        Assert.Equal(0, status.GetProperty("droppedFrames").GetInt64());

        ISupervisionStore recording = host.Runtime.Recording!;
        IReadOnlyList<RecordedAlertEvent> events = await recording.AlertEventsAsync(Micros.From(start), Micros.From(clock.Now), 1_000_000, SupervisionHost.Ct);
        bool Raised(string kind, string aircraft, string? other = null) => events.Any(e => e.Event == "raised" && e.Kind == kind &&
            ((e.Aircraft == aircraft && (other is null || e.Other == other)) || (other is not null && e.Aircraft == other && e.Other == aircraft)));

        // Faulty drones by the simulator's numbering: 10 off-plan, 10 incursions, 10 lost links (drones / 20 each), then 5 converging pairs.
        for (int i = 0; i < 10; i++)
        {
            string offPlan = $"SIM{i:D6}", incursion = $"SIM{i + 10:D6}", silent = $"SIM{i + 20:D6}";
            Assert.True(Raised("nonconforming", offPlan), offPlan + " off-plan: nonconforming");
            Assert.True(Raised("zone_incursion", incursion), incursion + " incursion: zone_incursion");
            Assert.True(Raised("lost_link", silent), silent + " silent: lost_link");
            Assert.Contains(events, e => e.Kind == "lost_link" && e.Aircraft == silent && e.Event == "cleared");
        }

        for (int k = 0; k < 5; k++)
        {
            Assert.True(Raised("separation_loss", $"CNV{k:D4}A", $"CNV{k:D4}B"), $"converging pair {k}: separation_loss");
        }

        // While it runs, only the silent drones lose their link.
        Assert.Equal(Enumerable.Range(20, 10).Select(i => $"SIM{i:D6}"),
            events.Where(e => e.Kind == "lost_link" && e.Event == "raised").Select(e => e.Aircraft).Distinct().Order(StringComparer.Ordinal));

        // DELETE stops it: no more reports, every track is silent and raises lost link 15 s later.
        using (var stopped = await supervisor.DeleteAsync("/api/v1/supervision/simulation", SupervisionHost.Ct))
        {
            Assert.True(stopped.IsSuccessStatusCode, await stopped.Content.ReadAsStringAsync(SupervisionHost.Ct));
        }

        clock.Set(start.AddSeconds(301));
        Assert.Equal(-1, host.Simulation.StepNow());
        clock.Set(start.AddSeconds(316));
        await host.Runtime.SyncAsync(runCycle: true, flushRecording: false, SupervisionHost.Ct);
        List<JsonElement> open = await host.AlertsAsync(openOnly: true);
        Assert.Equal(210, open.Count(a => a.GetProperty("kind").GetString() == "lost_link"));
        using var gone = await supervisor.GetAsync("/api/v1/supervision/simulation", SupervisionHost.Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }
}
