using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Yunlu.Web.Tests;

/// <summary>The manager's planning views in a real browser against a real server: the timeline (Gantt) of the demo
/// day's operations with a bar selecting its intent, airway network generation from the demo's vertiports with its
/// report, and a zone's schedule edited in the form (stored, and a bad value answered at the field). State only.</summary>
public sealed class ConsoleManagerTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private static async Task SignInManagerAsync(ConsoleSession console, string subject)
    {
        await console.Page.FillAsync("#login-subject", subject);
        await console.Page.SelectOptionAsync("#login-role", "manager");
        await console.Page.ClickAsync("#login-button");
        await console.WaitForAsync("() => window.yunlu.auth && window.yunlu.auth.role === 'manager' && !document.getElementById('view-manager').hidden");
    }

    [Fact]
    public async Task Gantt_DemoDay_ShowsOperationsAndBarClickSelectsIntent()
    {
        await using var console = await fixture.OpenAsync();
        await console.LoadAsync();
        await SignInManagerAsync(console, "mgr-gantt");

        await console.Page.ClickAsync("#gt-toggle");
        await console.WaitForAsync("() => window.yunlu.manager.gantt && window.yunlu.manager.gantt.shown && window.yunlu.manager.gantt.bars > 0");
        var gantt = await console.EvalAsync<JsonElement>("() => window.yunlu.manager.gantt");

        // Every intent of the loaded window (12 h back, 48 h ahead: the demo day is the next local day) has a row.
        var token = await TestApi.TokenAsync(fixture.Api, "mgr-check", "manager");
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-11).ToString("O", CultureInfo.InvariantCulture));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(47).ToString("O", CultureInfo.InvariantCulture));
        var (status, page) = await TestApi.SendAsync(fixture.Api, HttpMethod.Get, $"api/v1/operations?from={from}&to={to}&limit=10000", token);
        Assert.Equal(HttpStatusCode.OK, status);
        var apiIntents = page.GetProperty("items").GetArrayLength();
        Assert.True(apiIntents >= 60, $"the demo day's operations ({apiIntents})");
        Assert.InRange(gantt.GetProperty("intents").GetInt32(), apiIntents, apiIntents + 5);
        Assert.Equal(gantt.GetProperty("intents").GetInt32(), gantt.GetProperty("rows").GetInt32());
        Assert.True(gantt.GetProperty("bars").GetInt32() >= gantt.GetProperty("rows").GetInt32(), "at least one bar per intent (one per volume window)");

        // A bar of an accepted demo flight: clicking it selects the intent (outlined and picked on the globe) and moves
        // the picture's time into that volume's window.
        var bar = await console.EvalAsync<JsonElement>("""
            () => {
              const r = [...document.querySelectorAll('#gt-svg rect.bar')].find((b) => b.getAttribute('width') > 3);
              return { id: r.dataset.intent, volume: Number(r.dataset.volume) };
            }
            """);
        var id = bar.GetProperty("id").GetString()!;
        var volume = bar.GetProperty("volume").GetInt32();
        await console.Page.Locator($"#gt-svg rect.bar[data-intent='{id}'][data-volume='{volume}']").ClickAsync();
        await console.WaitForAsync($$"""
            () => {
              const y = window.yunlu;
              const s = y.manager.selectedIntent;
              return s && s.id === '{{id}}' && s.volumes > 0 && y.viewer.selectedEntity && y.viewer.selectedEntity.id.startsWith('sel:{{id}}:')
                && document.querySelector("#gt-svg rect.bar.selected[data-intent='{{id}}']") !== null && y.time !== null;
            }
            """);
        var (intentStatus, intent) = await TestApi.SendAsync(fixture.Api, HttpMethod.Get, $"api/v1/operations/{id}", token);
        Assert.Equal(HttpStatusCode.OK, intentStatus);
        var v = intent.GetProperty("volumes")[volume];
        var time = DateTimeOffset.Parse(await console.EvalAsync<string>("() => window.yunlu.time"), CultureInfo.InvariantCulture);
        Assert.InRange(time, v.GetProperty("start").GetDateTimeOffset(), v.GetProperty("end").GetDateTimeOffset());
        Assert.Equal(intent.GetProperty("volumes").GetArrayLength(), await console.EvalAsync<int>("() => window.yunlu.manager.selectedIntent.volumes"));

        // The other way round: the picture's time moved (as the slider does) moves the timeline's cursor.
        var before = await console.EvalAsync<double>("() => window.yunlu.manager.gantt.cursorX");
        await console.EvalAsync<bool>("""
            async () => {
              const g = window.yunlu.manager.gantt;
              const mid = (Date.parse(g.view.start) * 3 + Date.parse(g.view.end)) / 4;
              await window.yunlu.setTime(mid);
              return true;
            }
            """);
        await console.WaitForAsync($"() => window.yunlu.manager.gantt.cursorX !== null && Math.abs(window.yunlu.manager.gantt.cursorX - {before.ToString(CultureInfo.InvariantCulture)}) > 5");
        Assert.Empty(await console.EvalAsync<string[]>("() => window.yunlu.errors"));
        Assert.Empty(console.PageErrors);

        await console.TrySettleAsync(30_000);
        var shot = await console.ScreenshotAsync("console-gantt");
        TestApi.RefreshDocsImage(shot, "console-gantt");
    }

    [Fact]
    public async Task NetworkGeneration_DemoVertiports_ShowsNetworkReportAndStoresCorridors()
    {
        await using var console = await fixture.OpenAsync();
        await console.LoadAsync();
        await SignInManagerAsync(console, "mgr-network");

        // The demo's vertiports and logistics hubs (seven), a prefix of our own, generate.
        await console.Page.ClickAsync("#nw-all");
        await console.WaitForAsync("() => window.yunlu.manager.vertiports.length >= 4");
        var picked = await console.EvalAsync<string[]>("() => window.yunlu.manager.vertiports");
        Assert.Contains("VP-HT01", picked);
        await console.Page.FillAsync("#nw-idPrefix", "WEBNET");
        // Some demo vertiports stand next to tall buildings (inside their clearance): the server names them, the
        // console shows its problem, and the manager takes those out and generates again.
        for (var attempt = 0; ; attempt++)
        {
            await console.Page.ClickAsync("#nw-generate");
            await console.WaitForAsync("() => document.getElementById('nw-report') !== null || document.querySelector('#nw-result .field-error') !== null", ConsoleSession.LoadTimeoutMs);
            var refused = await console.EvalAsync<string[]>("""
                () => {
                  const notes = [...document.querySelectorAll('#nw-result .field-error')].map((n) => n.textContent);
                  return window.yunlu.manager.vertiports.filter((id) => notes.some((m) => m.includes(`'${id}'`)));
                }
                """);
            if (refused.Length == 0)
            {
                break;
            }

            Assert.True(attempt < 2, $"still refused after {attempt + 1} attempts: {string.Join(", ", refused)}");
            foreach (var id in refused)
            {
                await console.Page.ClickAsync($"#nw-vertiports li[data-id='{id}'] button");
            }

            picked = await console.EvalAsync<string[]>("() => window.yunlu.manager.vertiports");
            Assert.True(picked.Length >= 4, $"at least four vertiports left: {string.Join(", ", picked)}");
        }

        await console.WaitForAsync("() => window.yunlu.manager.network !== null && document.getElementById('nw-report') !== null", ConsoleSession.LoadTimeoutMs);
        var net = await console.EvalAsync<JsonElement>("""
            () => {
              const n = window.yunlu.manager.network;
              const drawn = window.yunlu.layers.manager.entities.values.filter((e) => e.id.startsWith('nw:'));
              return {
                ...n,
                lines: drawn.filter((e) => e.polyline).length,
                points: drawn.filter((e) => e.point).length,
                rows: document.querySelectorAll('#nw-report tr').length,
                reportText: document.getElementById('nw-report').textContent,
              };
            }
            """);
        var report = net.GetProperty("report");
        Assert.Equal(picked.Length, report.GetProperty("vertiports").GetInt32());
        Assert.True(net.GetProperty("corridors").GetInt32() >= 2 * (picked.Length - 1), "a connected network: two one-way corridors per tree edge at least");
        Assert.Equal(net.GetProperty("corridors").GetInt32(), net.GetProperty("lines").GetInt32());
        Assert.Equal(net.GetProperty("nodes").GetInt32(), net.GetProperty("points").GetInt32());
        Assert.Equal(0, report.GetProperty("sameLayerCrossings").GetInt32());
        Assert.True(report.GetProperty("lengthVsMst").GetDouble() >= 1 - 1e-9);
        Assert.True(report.GetProperty("p95Detour").GetDouble() >= 1 - 1e-9);
        Assert.Equal(13, net.GetProperty("rows").GetInt32());
        Assert.Contains("km", net.GetProperty("reportText").GetString(), StringComparison.Ordinal);
        Assert.False(net.GetProperty("stored").GetBoolean());

        // Store as corridors: the same request with store=true; every corridor is then in the corridors API.
        await console.Page.ClickAsync("#nw-store");
        await console.WaitForAsync("() => window.yunlu.manager.network.stored === true", ConsoleSession.LoadTimeoutMs);
        var ids = await console.EvalAsync<string[]>("() => window.yunlu.manager.network.corridorIds");
        var (status, corridors) = await TestApi.SendAsync(fixture.Api, HttpMethod.Get, "api/v1/corridors", null);
        Assert.Equal(HttpStatusCode.OK, status);
        var stored = corridors.EnumerateArray().Select(c => c.GetProperty("corridor").GetProperty("id").GetString()).ToHashSet(StringComparer.Ordinal);
        Assert.All(ids, i => Assert.Contains(i, stored));
        Assert.All(ids, i => Assert.StartsWith("WEBNET", i, StringComparison.Ordinal));

        // Managers edit them afterwards like any corridor: one of them in the corridor editor, a width of 0 refused
        // at the field, then 120 m stored.
        var edited = ids[0];
        var (_, before) = await TestApi.SendAsync(fixture.Api, HttpMethod.Get, $"api/v1/corridors/{edited}", null);
        var versionBefore = before.GetProperty("version").GetInt64();
        await console.Page.FocusAsync("#cr-select");
        await console.WaitForAsync($"() => [...document.querySelectorAll('#cr-select option')].some((o) => o.value === '{edited}')");
        await console.Page.SelectOptionAsync("#cr-select", edited);
        await console.WaitForAsync($"() => document.getElementById('cr-id').value === '{edited}' && document.getElementById('cr-line').value.length > 0");
        await console.Page.FillAsync("#cr-width", "0");
        await console.Page.ClickAsync("#cr-save");
        await console.WaitForAsync("() => document.querySelector(\"#cr-form .field-error[data-for='widthM']\") !== null && document.getElementById('cr-width').classList.contains('invalid')");
        await console.Page.FillAsync("#cr-width", "120");
        await console.Page.ClickAsync("#cr-save");
        await console.WaitForAsync($"() => window.yunlu.manager.lastCorridor && window.yunlu.manager.lastCorridor.id === '{edited}'");
        var (corridorStatus, corridor) = await TestApi.SendAsync(fixture.Api, HttpMethod.Get, $"api/v1/corridors/{edited}", null);
        Assert.Equal(HttpStatusCode.OK, corridorStatus);
        Assert.Equal(120, corridor.GetProperty("corridor").GetProperty("widthM").GetDouble());
        Assert.Equal(versionBefore + 1, corridor.GetProperty("version").GetInt64());
        Assert.All(await console.EvalAsync<string[]>("() => window.yunlu.errors"), e => Assert.Matches("^/(airways/generate|corridors/[^:]+): HTTP 400", e));
        Assert.Empty(console.PageErrors);

        await console.EvalAsync<bool>("""
            () => {
              const c = window.yunlu.viewer.camera;
              c.cancelFlight();
              c.setView({ destination: Cesium.Cartesian3.fromDegrees(106.58, 26.30, 30000), orientation: { heading: 0, pitch: Cesium.Math.toRadians(-55), roll: 0 } });
              return true;
            }
            """);
        await console.TrySettleAsync(30_000);
        var shot = await console.ScreenshotAsync("console-network");
        TestApi.RefreshDocsImage(shot, "console-network");
    }

    [Fact]
    public async Task ZoneSchedule_EditedInForm_StoredAndBadTimeShownAtField()
    {
        // A zone of this test's own (stored before the console loads, so the zones layer lists it).
        const string ZoneId = "GY-WEB-SCHED";
        var token = await TestApi.TokenAsync(fixture.Api, "mgr-zone-setup", "manager");
        var zone = new
        {
            identifier = ZoneId,
            name = "时段测试 Schedule test",
            country = "CHN",
            restriction = "REQ_AUTHORISATION",
            reasons = new[] { "OTHER" },
            footprint = new { polygon = new[] { new[] { new[] { 106.420, 26.660 }, new[] { 106.430, 26.660 }, new[] { 106.430, 26.668 }, new[] { 106.420, 26.668 }, new[] { 106.420, 26.660 } } } },
            lower = new { value = 0, reference = "AGL" },
            upper = new { value = 120, reference = "AGL" },
        };
        var (created, body) = await TestApi.SendAsync(fixture.Api, HttpMethod.Put, $"api/v1/zones/{ZoneId}", token, zone);
        Assert.True(created is HttpStatusCode.Created or HttpStatusCode.OK, $"PUT zone: {(int)created} {body}");

        await using var console = await fixture.OpenAsync();
        await console.LoadAsync();
        await SignInManagerAsync(console, "mgr-zone");
        await console.Page.FocusAsync("#zs-zone");
        await console.Page.SelectOptionAsync("#zs-zone", ZoneId);
        await console.WaitForAsync("() => document.getElementById('zs-version').textContent === 'v1'");

        // Weekdays 07:30–18:00 UTC in December, ceiling 150 m AGL.
        await console.Page.Locator("#zs-permanent").UncheckAsync();
        await console.Page.FillAsync("#zs-start", "2026-12-01T00:00");
        await console.Page.FillAsync("#zs-end", "2027-01-01T00:00");
        await console.Page.ClickAsync("#zs-add");
        await console.Page.FillAsync("[data-field='applicability[0].weekly[0].startTime']", "07:30");
        await console.Page.Locator("#zs-weekly [data-day='FRI']").UncheckAsync();
        await console.Page.FillAsync("#zs-ceiling", "150");
        await console.Page.ClickAsync("#zs-save");
        await console.WaitForAsync("() => window.yunlu.manager.lastSchedule && window.yunlu.manager.lastSchedule.version === 2");

        var (status, stored) = await TestApi.SendAsync(fixture.Api, HttpMethod.Get, $"api/v1/zones/{ZoneId}", null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, stored.GetProperty("version").GetInt64());
        var z = stored.GetProperty("zone");
        Assert.Equal(150, z.GetProperty("upper").GetProperty("value").GetDouble());
        var a = z.GetProperty("applicability")[0];
        Assert.False(a.GetProperty("permanent").GetBoolean());
        Assert.Equal(DateTimeOffset.Parse("2026-12-01T00:00:00Z", CultureInfo.InvariantCulture), a.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse("2027-01-01T00:00:00Z", CultureInfo.InvariantCulture), a.GetProperty("end").GetDateTimeOffset());
        var w = a.GetProperty("weekly")[0];
        Assert.Equal("07:30", w.GetProperty("startTime").GetString());
        Assert.Equal("18:00", w.GetProperty("endTime").GetString());
        Assert.Equal(["MON", "TUE", "WED", "THU"], w.GetProperty("days").EnumerateArray().Select(d => d.GetString()!).ToArray());

        // A time of day that does not exist: the server's problem is shown under that very field, nothing is stored.
        await console.Page.FillAsync("[data-field='applicability[0].weekly[0].startTime']", "25:00");
        await console.Page.ClickAsync("#zs-save");
        const string Field = "applicability[0].weekly[0].startTime";
        await console.WaitForAsync($"() => window.yunlu.manager.lastSchedule.errors.length > 0 && document.querySelector(\".field-error[data-for='{Field}']\") !== null");
        var shown = await console.EvalAsync<JsonElement>($$"""
            () => {
              const note = document.querySelector(".field-error[data-for='{{Field}}']");
              const input = document.querySelector("[data-field='{{Field}}']");
              return { text: note.textContent, nextToField: note.previousElementSibling.contains(input), invalid: input.classList.contains('invalid'), at: window.yunlu.manager.lastSchedule.errors[0].at };
            }
            """);
        Assert.Contains("HH:mm", shown.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.True(shown.GetProperty("nextToField").GetBoolean());
        Assert.True(shown.GetProperty("invalid").GetBoolean());
        Assert.Equal(Field, shown.GetProperty("at").GetString());
        var (_, after) = await TestApi.SendAsync(fixture.Api, HttpMethod.Get, $"api/v1/zones/{ZoneId}", null);
        Assert.Equal(2, after.GetProperty("version").GetInt64());
        Assert.Empty(console.PageErrors);

        var shot = await console.ScreenshotAsync("console-zone-schedule");
        TestApi.RefreshDocsImage(shot, "console-zone-schedule");
    }
}
