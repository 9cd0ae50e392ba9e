using System.Net;
using System.Text.Json;
using Microsoft.Playwright;

namespace Yunlu.Web.Tests;

/// <summary>The role views and the new layers in a real browser against a real server: sign-in with a role, the
/// layer switches, a zone drawn by clicks stored through the zones API, a route planned by clicks shown with its
/// profile and submitted, an incursion alert listed and acknowledged. State only, never frame rates.</summary>
public sealed class ConsoleViewsTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private const int SmallWidthPx = 960;
    private const int SmallHeightPx = 600;

    /// <summary>A top-down view over the old city, so clicks on the map land on known ground.</summary>
    private const string TopDown = """
        () => {
          const c = window.yunlu.viewer.camera;
          c.cancelFlight();
          c.setView({ destination: Cesium.Cartesian3.fromDegrees(106.66, 26.58, 9000), orientation: { heading: 0, pitch: Cesium.Math.toRadians(-90), roll: 0 } });
          return true;
        }
        """;

    private static async Task SignInAsync(ConsoleSession console, string subject, string role)
    {
        await console.Page.FillAsync("#login-subject", subject);
        await console.Page.SelectOptionAsync("#login-role", role);
        await console.Page.ClickAsync("#login-button");
        await console.WaitForAsync($"() => window.yunlu.auth && window.yunlu.auth.role === '{role}' && !document.getElementById('whoami').hidden");
    }

    [Fact]
    public async Task LayerCheckboxes_NewLayers_ToggleTheirPrimitivesAndSources()
    {
        await using var console = await fixture.OpenAsync(SmallWidthPx, SmallHeightPx);
        var ready = await console.LoadAsync();
        Assert.Empty(ready.GetProperty("errors").EnumerateArray());
        Assert.True(ready.GetProperty("corridors").GetInt32() > 0, "the demo's corridors are drawn");

        const string Shown = """
            () => {
              const y = window.yunlu;
              return {
                corridors: y.layers.corridors.show, intents: y.layers.intents.show, alerts: y.layers.alerts.show, weather: y.layers.weather.show,
                grid: y.layers.grid !== null && y.layers.grid.show, tracks: y.layers.tracks.points.show,
                gridCells: y.counts.grid, windCells: y.counts.weather,
              };
            }
            """;
        var before = await console.EvalAsync<JsonElement>(Shown);
        Assert.True(before.GetProperty("corridors").GetBoolean());
        Assert.False(before.GetProperty("grid").GetBoolean());
        Assert.False(before.GetProperty("weather").GetBoolean());

        // Grid on: the cells of the demo region at level 4, every one a coloured instance.
        await console.Page.ClickAsync("#layer-grid");
        await console.WaitForAsync("() => window.yunlu.layers.grid !== null && window.yunlu.layers.grid.show && window.yunlu.counts.grid > 0");
        var cells = await console.EvalAsync<JsonElement>("""
            async () => {
              const r = await fetch('/api/v1/grid/cells?bbox=106.4,26.38,106.9,26.7&level=4');
              const j = await r.json();
              return { api: j.cellCount, drawn: window.yunlu.counts.grid };
            }
            """);
        Assert.Equal(cells.GetProperty("api").GetInt32(), cells.GetProperty("drawn").GetInt32());
        // Off again before the next heavy layer: software GL draws classification primitives slowly.
        await console.Page.ClickAsync("#layer-grid");
        await console.WaitForAsync("() => window.yunlu.visible.grid === false && !window.yunlu.layers.grid.show");

        // Wind on at a time the demo stations cover: arrows from /weather/limits; then off.
        await console.Page.FillAsync("#weather-time", "2026-06-10T06:00");
        await console.Page.ClickAsync("#layer-weather");
        await console.WaitForAsync("() => window.yunlu.layers.weather.show && window.yunlu.counts.weather > 0 && window.yunlu.layers.weatherArrows.length > 0 && window.yunlu.layers.weatherArrows.show");
        await console.Page.ClickAsync("#layer-weather");
        await console.WaitForAsync("() => window.yunlu.visible.weather === false && !window.yunlu.layers.weatherArrows.show");

        foreach (var layer in new[] { "corridors", "intents", "alerts", "tracks" })
        {
            await console.Page.ClickAsync($"#layer-{layer}");
            await console.WaitForAsync($"() => window.yunlu.visible['{layer}'] === false");
        }

        var after = await console.EvalAsync<JsonElement>(Shown);
        foreach (var layer in new[] { "corridors", "intents", "alerts", "tracks", "grid", "weather" })
        {
            Assert.False(after.GetProperty(layer).GetBoolean(), layer);
        }

        // The altitude band hides what is outside it: corridors of 60–110 m AGL vanish for 300–500 m.
        await console.Page.ClickAsync("#layer-corridors");
        await console.Page.FillAsync("#band-min", "300");
        await console.Page.FillAsync("#band-max", "500");
        await console.Page.DispatchEventAsync("#band-max", "change");
        await console.WaitForAsync("() => window.yunlu.band && window.yunlu.band.minM === 300 && window.yunlu.layers.corridors.entities.values.every((e) => !e.show)");
        await console.Page.FillAsync("#band-min", "");
        await console.Page.FillAsync("#band-max", "");
        await console.Page.DispatchEventAsync("#band-max", "change");
        await console.WaitForAsync("() => window.yunlu.band === null && window.yunlu.layers.corridors.entities.values.every((e) => e.show)");
        Assert.Empty(await console.EvalAsync<string[]>("() => window.yunlu.errors"));
        Assert.Empty(console.PageErrors);
    }

    [Fact]
    public async Task Sites_2DMode_DrawnAtAbsoluteHeights()
    {
        await using var console = await fixture.OpenAsync(SmallWidthPx, SmallHeightPx);
        await console.LoadAsync();
        await console.Page.ClickAsync("#mode");
        await console.WaitForAsync("() => window.yunlu.viewer.scene.mode === Cesium.SceneMode.SCENE2D");
        // Clamped points and labels are not drawn in 2D; every site must be positioned absolutely and showing.
        var sites = await console.EvalAsync<JsonElement>("""
            () => {
              const es = window.yunlu.layers.sites.entities.values;
              const now = Cesium.JulianDate.now();
              return {
                n: es.length,
                showing: es.filter((e) => e.isShowing && (e.point.show === undefined || e.point.show.getValue(now) !== false)).length,
                clamped: es.filter((e) => e.point.heightReference.getValue(now) !== Cesium.HeightReference.NONE
                  || e.label.heightReference.getValue(now) !== Cesium.HeightReference.NONE).length,
                positioned: es.filter((e) => e.position.getValue(now) !== undefined).length,
              };
            }
            """);
        Assert.Equal(fixture.ApiCounts.Sites, sites.GetProperty("n").GetInt32());
        Assert.Equal(fixture.ApiCounts.Sites, sites.GetProperty("showing").GetInt32());
        Assert.Equal(fixture.ApiCounts.Sites, sites.GetProperty("positioned").GetInt32());
        Assert.Equal(0, sites.GetProperty("clamped").GetInt32());
    }

    [Fact]
    public async Task ManagerDrawsPolygon_ThreeClicksAndSave_ZoneStoredInTheApi()
    {
        await using var console = await fixture.OpenAsync();
        await console.LoadAsync();
        await SignInAsync(console, "mgr-draw", "manager");
        await console.EvalAsync<bool>(TopDown);

        await console.Page.ClickAsync("#mg-polygon");
        foreach (var (x, y) in new[] { (480, 250), (640, 250), (560, 400) })
        {
            await console.Page.Mouse.ClickAsync(x, y);
        }

        await console.WaitForAsync("() => document.getElementById('mg-draw-info').textContent === '3 pts'");
        await console.Page.ClickAsync("#mg-finish");
        await console.Page.FillAsync("#mg-id", "GY-WEB-DRAWN");
        await console.Page.FillAsync("#mg-name", "网页绘制 Drawn in the console");
        await console.Page.SelectOptionAsync("#mg-restriction", "PROHIBITED");
        await console.Page.FillAsync("#mg-floor", "0");
        await console.Page.FillAsync("#mg-ceiling", "150");
        await console.Page.ClickAsync("#mg-save");
        await console.WaitForAsync("() => window.yunlu.lastZone && window.yunlu.lastZone.zone.identifier === 'GY-WEB-DRAWN'");
        await console.WaitForAsync("() => window.yunlu.layers.zones.entities.getById('zone:GY-WEB-DRAWN:0') !== undefined");

        var (status, stored) = await TestApi.SendAsync(fixture.Api, HttpMethod.Get, "api/v1/zones/GY-WEB-DRAWN", null);
        Assert.Equal(HttpStatusCode.OK, status);
        var zone = stored.GetProperty("zone");
        Assert.Equal("PROHIBITED", zone.GetProperty("restriction").GetString());
        Assert.Equal(150, zone.GetProperty("upper").GetProperty("value").GetDouble());
        Assert.Equal("AGL", zone.GetProperty("upper").GetProperty("reference").GetString());
        var ring = zone.GetProperty("footprint").GetProperty("polygon")[0].EnumerateArray().Select(p => (Lon: p[0].GetDouble(), Lat: p[1].GetDouble())).ToList();
        Assert.InRange(ring.Distinct().Count(), 3, 4);
        // The clicks landed under the top-down camera: within a few km of its nadir.
        Assert.All(ring, p => Assert.True(Math.Abs(p.Lon - 106.66) < 0.05 && Math.Abs(p.Lat - 26.58) < 0.05, $"{p}"));
        Assert.Empty(await console.EvalAsync<string[]>("() => window.yunlu.errors"));

        await console.TrySettleAsync(30_000);
        var shot = await console.ScreenshotAsync("console-manager");
        TestApi.RefreshDocsImage(shot, "console-manager");
    }

    [Fact]
    public async Task OperatorPlansRoute_TwoClicks_ShowsRouteProfileAndSubmittedState()
    {
        await using var console = await fixture.OpenAsync();
        await console.LoadAsync();
        await SignInAsync(console, "op-plan", "operator");
        await console.EvalAsync<bool>(TopDown.Replace("106.66, 26.58", "106.60, 26.47", StringComparison.Ordinal));

        // "Can I fly here?" by a click: a verdict with reasons.
        await console.Page.ClickAsync("#op-check");
        await console.Page.Mouse.ClickAsync(560, 330);
        await console.WaitForAsync("() => window.yunlu.lastCheck && document.querySelector('#op-result .verdict') !== null");
        var verdict = await console.EvalAsync<string>("() => window.yunlu.lastCheck.verdict");
        Assert.Contains(verdict, new[] { "green", "needs_authorisation", "prohibited" });
        await console.Page.ClickAsync("#op-check");

        await console.Page.ClickAsync("#op-plan");
        await console.Page.Mouse.ClickAsync(470, 300);
        await console.Page.Mouse.ClickAsync(600, 360);
        await console.WaitForAsync("() => window.yunlu.plan && window.yunlu.layers.sketch.entities.getById('plan') !== undefined && document.getElementById('op-profile') !== null");
        var plan = await console.EvalAsync<JsonElement>("() => ({ n: window.yunlu.plan.waypoints.length, lengthM: window.yunlu.plan.lengthM, volumes: window.yunlu.plan.volumes.length, source: window.yunlu.plan.source })");
        Assert.True(plan.GetProperty("n").GetInt32() >= 2);
        Assert.True(plan.GetProperty("lengthM").GetDouble() > 100);
        Assert.True(plan.GetProperty("volumes").GetInt32() >= 1);
        TestContext.Current.TestOutputHelper?.WriteLine($"plan from {plan.GetProperty("source").GetString()}: {plan}");

        // Register the demo fleet, submit, and see the intent's state in the view and in the intents layer.
        await console.Page.ClickAsync("#op-register");
        await console.WaitForAsync("() => document.getElementById('op-outcome').textContent.includes('✓')");
        await console.Page.ClickAsync("#op-submit");
        await console.WaitForAsync("() => window.yunlu.lastOutcome && document.getElementById('op-state') !== null");
        var outcome = await console.EvalAsync<JsonElement>("() => ({ id: window.yunlu.lastOutcome.intent.id, state: window.yunlu.lastOutcome.intent.state, shown: document.getElementById('op-state').textContent })");
        Assert.Equal(outcome.GetProperty("state").GetString(), outcome.GetProperty("shown").GetString());
        var id = outcome.GetProperty("id").GetString()!;
        await console.WaitForAsync($"() => window.yunlu.intents.some((i) => i.id === '{id}') && window.yunlu.layers.intents.entities.values.some((e) => e.id.startsWith('intent:{id}:'))");
        Assert.Empty(await console.EvalAsync<string[]>("() => window.yunlu.errors"));

        await console.TrySettleAsync(30_000);
        var shot = await console.ScreenshotAsync("console-operator");
        TestApi.RefreshDocsImage(shot, "console-operator");
    }

    [Fact]
    public async Task Incursion_PositionsIntoProhibitedZone_AlertListedAndAcknowledged()
    {
        Assert.SkipUnless(await TestApi.HasSupervisionAsync(fixture.Api), "the server has no supervision API (/api/v1/supervision)");
        await using var console = await fixture.OpenAsync();
        await console.LoadAsync();
        await SignInAsync(console, "sup-ack", "supervisor");

        // A drone inside the airport's prohibited core zone (GY-AP01) at 100 m AGL for three seconds.
        var token = await TestApi.TokenAsync(fixture.Api, "feeder", "operator");
        var now = DateTimeOffset.UtcNow;
        var positions = Enumerable.Range(0, 3).Select(i => TestApi.Position("INC-1", now.AddSeconds(i - 2), 106.812, 26.575 + (i * 0.0002), 100, vnMps: 2)).ToList();
        Assert.Equal(3, await TestApi.PostPositionsAsync(fixture.Api, token, positions));

        // The drone keeps reporting at 1 Hz (hovering inside the zone) until the end of the test, as a real one would:
        // otherwise, on a slow machine, the lost-link check ends the incursion before the supervisor gets to it.
        using var feeding = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var feeder = Task.Run(async () =>
        {
            using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await tick.WaitForNextTickAsync(feeding.Token))
            {
                var hover = TestApi.Position("INC-1", DateTimeOffset.UtcNow, 106.812, 26.5754, 100);
                await TestApi.PostPositionsAsync(fixture.Api, token, [hover]);
            }
        }, feeding.Token);

        const string Listed = "() => [...document.querySelectorAll('#alert-list li.alert')].find((li) => li.textContent.includes('INC-1') && li.textContent.includes('GY-AP01') && li.querySelector('button.ack'))";
        await console.WaitForAsync($"() => {{ window.yunlu.refreshAlerts(); return !!({Listed})(); }}");
        var alert = await console.EvalAsync<JsonElement>("() => window.yunlu.alerts.find((a) => a.aircraft === 'INC-1' && a.kind === 'zone_incursion' && a.zone === 'GY-AP01')");
        Assert.Equal("GY-AP01", alert.GetProperty("zone").GetString());
        var alertId = alert.GetProperty("id").ToString();

        var item = console.Page.Locator($"#alert-list li.alert[data-id='{alertId}']");
        // Jump-to flies to it; the track drawer shows the aircraft.
        await item.Locator("button.jump").ClickAsync();
        await console.WaitForAsync("() => !document.getElementById('drawer').hidden && document.getElementById('drawer-body').textContent.includes('INC-1')");
        await item.Locator("button.ack").ClickAsync();
        // The acknowledgement's answer (the alert may leave the open list soon after: lost link clears the incursion).
        var ack = await console.WaitForResponseAsync(r => r.Url.EndsWith($"/api/v1/supervision/alerts/{alertId}/ack", StringComparison.Ordinal), "for the acknowledgement");
        Assert.Equal(200, ack.Status);

        var (status, body) = await TestApi.SendAsync(fixture.Api, HttpMethod.Get, "api/v1/supervision/alerts", null);
        Assert.Equal(HttpStatusCode.OK, status);
        var stored = body.GetProperty("alerts").EnumerateArray().Single(a => a.GetProperty("id").ToString() == alertId);
        Assert.Equal("sup-ack", stored.GetProperty("acknowledgedBy").GetString());

        await feeding.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => feeder);
        Assert.Empty(console.PageErrors);
    }

    [Fact]
    public async Task Supervisor_SimulatedTraffic_FullScreenPictureCountersAndExport()
    {
        Assert.SkipUnless(await TestApi.HasSupervisionAsync(fixture.Api), "the server has no supervision API (/api/v1/supervision)");
        var token = await TestApi.TokenAsync(fixture.Api, "sim", "supervisor");
        var (simStatus, sim) = await TestApi.SendAsync(fixture.Api, HttpMethod.Post, "api/v1/supervision/simulation", token, new { drones = 300, faults = true, seconds = 600 });
        Assert.True(simStatus == HttpStatusCode.Accepted, $"simulation: {(int)simStatus} {sim}");
        try
        {
            await using var console = await fixture.OpenAsync();
            await console.LoadAsync();
            await SignInAsync(console, "sup-view", "supervisor");
            await console.WaitForAsync("() => { window.yunlu.refreshTracks(); return window.yunlu.trackState().count >= 100; }");
            await console.Page.ClickAsync("#sv-fullscreen");
            await console.WaitForAsync("() => document.body.classList.contains('fullscreen') && getComputedStyle(document.getElementById('panel')).display === 'none'");
            await console.WaitForAsync("() => Number(document.getElementById('counter-tracks').textContent) === window.yunlu.trackState().count");

            var exports = await console.EvalAsync<JsonElement>("""
                async () => {
                  const n = window.yunlu.trackState().count;
                  const gj = JSON.parse(await window.yunlu.exportTracks('geojson'));
                  const csv = (await window.yunlu.exportTracks('csv')).trim().split('\r\n');
                  const kml = await window.yunlu.exportTracks('kml');
                  const czml = JSON.parse(await window.yunlu.exportTracks('czml'));
                  return { n, geojson: gj.features.length, csv: csv.length - 1, kml: (kml.match(/<Placemark>/g) || []).length, czml: czml.length - 1 };
                }
                """);
            var n = exports.GetProperty("n").GetInt32();
            Assert.Equal(n, exports.GetProperty("geojson").GetInt32());
            Assert.Equal(n, exports.GetProperty("csv").GetInt32());
            Assert.Equal(n, exports.GetProperty("kml").GetInt32());
            Assert.Equal(n, exports.GetProperty("czml").GetInt32());

            // The picture over the city for the docs.
            await console.EvalAsync<bool>("""
                () => {
                  const c = window.yunlu.viewer.camera;
                  c.cancelFlight();
                  c.setView({ destination: Cesium.Cartesian3.fromDegrees(106.64, 26.40, 26000), orientation: { heading: Cesium.Math.toRadians(10), pitch: Cesium.Math.toRadians(-50), roll: 0 } });
                  return true;
                }
                """);
            await console.TrySettleAsync(30_000);
            var shot = await console.ScreenshotAsync("console-supervisor");
            TestApi.RefreshDocsImage(shot, "console-supervisor");
            Assert.Empty(console.PageErrors);
        }
        finally
        {
            await TestApi.SendAsync(fixture.Api, HttpMethod.Delete, "api/v1/supervision/simulation", token);
        }
    }
}
