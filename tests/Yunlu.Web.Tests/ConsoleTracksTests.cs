using System.Globalization;
using System.Text.Json;

namespace Yunlu.Web.Tests;

/// <summary>The live picture at scale and through time: 10 000 tracks posted to the supervision API all present in the
/// scene after an update, the time slider moving tracks back to where the recording had them, and the per-update
/// script time of 10 000 tracks recorded (a figure for docs/benchmarks/console.md, never asserted). A server of its
/// own: 10 000 tracks would crowd the other classes' alert lists.</summary>
public sealed class ConsoleTracksTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private const int SmallWidthPx = 800;
    private const int SmallHeightPx = 450;
    private const int Fleet = 10_000;

    [Fact]
    public async Task LiveTracks_10000Posted_AllPresentInTheSceneAfterAnUpdate()
    {
        Assert.SkipUnless(await TestApi.HasSupervisionAsync(fixture.Api), "the server has no supervision API (/api/v1/supervision)");
        await using var console = await fixture.OpenAsync(SmallWidthPx, SmallHeightPx);
        await console.LoadAsync();

        // 100 × 100 drones over the west of the city, 100 m apart, 80–120 m AGL, outside the zones of the airport.
        var token = await TestApi.TokenAsync(fixture.Api, "fleet", "operator");
        var now = DateTimeOffset.UtcNow;
        var positions = new List<object>(Fleet);
        for (var i = 0; i < Fleet; i++)
        {
            positions.Add(TestApi.Position($"F{i:D5}", now, 106.55 + ((i % 100) * 0.001), 26.50 + ((i / 100) * 0.001), 80 + (i % 41), veMps: 5));
        }

        Assert.Equal(Fleet, await TestApi.PostPositionsAsync(fixture.Api, token, positions));

        // Every one of the fleet is a point with its aircraft id, showing (other tests' aircraft may be there too).
        const string Fleet10k = """
            () => {
              const y = window.yunlu;
              const st = y.layers.tracks.store;
              let fleet = 0;
              for (let s = 0; s < st.size; s++) if (st.ids[s] !== null && st.ids[s].startsWith('F')) fleet++;
              return { fleet, ...y.trackState() };
            }
            """;
        // The scene state right after an update (the refresh and the count in one task, so no other poll interleaves).
        var handle = await console.Page.WaitForFunctionAsync(
            $"() => {{ window.yunlu.refreshTracks(); const s = ({Fleet10k})(); return s.fleet === {Fleet} ? s : null; }}",
            null, new Microsoft.Playwright.PageWaitForFunctionOptions { Timeout = ConsoleSession.LoadTimeoutMs, PollingInterval = 500 });
        var state = await handle.JsonValueAsync<JsonElement>();
        Assert.Equal(Fleet, state.GetProperty("fleet").GetInt32());
        var count = state.GetProperty("count").GetInt32();
        Assert.Equal(count, state.GetProperty("withId").GetInt32());
        Assert.Equal(count, state.GetProperty("showing").GetInt32());
        Assert.True(state.GetProperty("points").GetInt32() >= count);
        // Labels only for a few (selected or nearest the view centre), never one per track.
        Assert.InRange(state.GetProperty("labels").GetInt32(), 0, 24);
        var ids = await console.EvalAsync<string[]>("() => ['F00000', 'F05050', 'F09999'].filter((id) => window.yunlu.layers.tracks.store.record(id) !== null)");
        Assert.Equal(["F00000", "F05050", "F09999"], ids);
        Assert.Equal(count.ToString(CultureInfo.InvariantCulture), await console.EvalAsync<string>("() => document.getElementById('count-tracks').textContent"));

        // The altitude band hides the tracks outside it.
        await console.Page.FillAsync("#band-min", "100");
        await console.Page.FillAsync("#band-max", "200");
        await console.Page.DispatchEventAsync("#band-max", "change");
        await console.WaitForAsync("() => { window.yunlu.refreshTracks(); const s = window.yunlu.trackState(); return s.count >= 10000 && s.showing > 0 && s.showing < s.count; }");
        Assert.Empty(console.PageErrors);
    }

    [Fact]
    public async Task TimeSlider_MovedBack_TracksShowTheirRecordedEarlierPositions()
    {
        Assert.SkipUnless(await TestApi.HasSupervisionAsync(fixture.Api), "the server has no supervision API (/api/v1/supervision)");
        await using var console = await fixture.OpenAsync(SmallWidthPx, SmallHeightPx);
        await console.LoadAsync();

        // One drone flying east at 10 m/s for the last 10 minutes, a fix every 5 s.
        var token = await TestApi.TokenAsync(fixture.Api, "replay", "operator");
        var now = DateTimeOffset.UtcNow;
        const double StartLonDeg = 106.60;
        var mPerDegLon = 111_320 * Math.Cos(26.45 * Math.PI / 180);
        var positions = new List<object>();
        for (var s = -600; s <= 0; s += 5)
        {
            positions.Add(TestApi.Position("REPLAY-1", now.AddSeconds(s), StartLonDeg + ((s + 600) * 10 / mPerDegLon), 26.45, 100, veMps: 10));
        }

        await TestApi.PostPositionsAsync(fixture.Api, token, positions);
        await console.WaitForAsync("() => { window.yunlu.refreshTracks(); return window.yunlu.layers.tracks.store.record('REPLAY-1') !== null; }");
        var liveLon = await console.EvalAsync<double>("() => window.yunlu.layers.tracks.store.record('REPLAY-1').lonDeg");
        Assert.True(liveLon > StartLonDeg + 0.05, $"live at {liveLon}");

        // The slider three minutes back (it counts minutes from when the console opened).
        var slider = console.Page.Locator("#time-slider");
        await slider.EvaluateAsync("(el) => { el.value = '-3'; el.dispatchEvent(new Event('input', { bubbles: true })); }");
        await console.WaitForAsync("() => window.yunlu.time !== null && document.getElementById('timebar').classList.contains('replaying')");
        await console.WaitForAsync($"() => {{ const r = window.yunlu.layers.tracks.store.record('REPLAY-1'); return r !== null && r.lonDeg < {liveLon.ToString(CultureInfo.InvariantCulture)} - 0.01; }}");
        var replay = await console.EvalAsync<JsonElement>("() => ({ at: window.yunlu.time, lon: window.yunlu.layers.tracks.store.record('REPLAY-1').lonDeg })");
        var at = DateTimeOffset.Parse(replay.GetProperty("at").GetString()!, CultureInfo.InvariantCulture);
        // Where the recording had it then (within the 5 s between fixes and the picture's window).
        var expectedLon = StartLonDeg + (Math.Clamp((at - now).TotalSeconds + 600, 0, 600) * 10 / mPerDegLon);
        Assert.True(Math.Abs(replay.GetProperty("lon").GetDouble() - expectedLon) < 70 * 10 / mPerDegLon, $"replayed at {replay}, expected lon {expectedLon}");

        // Live again: back to the latest position.
        await console.Page.ClickAsync("#time-live");
        await console.WaitForAsync($"() => {{ window.yunlu.refreshTracks(); return window.yunlu.time === null && window.yunlu.layers.tracks.store.record('REPLAY-1').lonDeg >= {liveLon.ToString(CultureInfo.InvariantCulture)} - 1e-6; }}");
        Assert.Empty(console.PageErrors);
    }

    /// <summary>Per-update script time of 10 000 moving tracks in the page (TrackStore + the point loop + labels;
    /// performance.now around the update, rendering excluded): 60 updates after 5 warm-ups, written to
    /// track-update.json among the artifacts with the CPU profile's heaviest functions over the timed run (Chrome
    /// DevTools protocol, self time). Recorded, not asserted (software GL on shared cores).</summary>
    [Fact]
    public async Task TrackUpdate_10000Synthetic_ScriptTimeRecorded()
    {
        await using var console = await fixture.OpenAsync(SmallWidthPx, SmallHeightPx);
        await console.LoadAsync();
        // Stop live polling from replacing the synthetic picture: the tracks layer reads the server only while shown.
        await console.Page.ClickAsync("#layer-tracks");
        await console.WaitForAsync("() => window.yunlu.visible.tracks === false");
        var cdp = await console.Context.NewCDPSessionAsync(console.Page);
        await cdp.SendAsync("Profiler.enable");
        await cdp.SendAsync("Profiler.setSamplingInterval", new Dictionary<string, object> { ["interval"] = 200 });
        await cdp.SendAsync("Profiler.start");
        var result = await console.EvalAsync<JsonElement>("""
            () => {
              const y = window.yunlu;
              const n = 10000;
              const picture = (k) => {
                const a = new Array(n);
                for (let i = 0; i < n; i++) {
                  a[i] = { aircraftId: `S${i}`, lonDeg: 106.5 + (i % 100) * 0.003 + k * 1e-5, latDeg: 26.4 + Math.floor(i / 100) * 0.003, altW84M: 1200 + (i % 50),
                    altAglM: 100 + (i % 50), altAmslM: 1170, groundSpeedMps: 10, vnMps: 0, veMps: 10, vuMps: 0, conformance: i % 13 ? 'conforming' : 'nonconforming' };
                }
                return a;
              };
              const pictures = Array.from({ length: 65 }, (_, k) => picture(k));
              const ms = pictures.map((p) => y.updateTracks(p)).slice(5);
              const sorted = [...ms].sort((a, b) => a - b);
              const q = (f) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))];
              return { tracks: y.trackState().count, updates: ms.length, minMs: sorted[0], medianMs: q(0.5), p95Ms: q(0.95), maxMs: sorted[sorted.length - 1], userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency };
            }
            """);
        var profile = (await cdp.SendAsync("Profiler.stop"))!.Value.GetProperty("profile");
        Assert.Equal(Fleet, result.GetProperty("tracks").GetInt32());
        var path = Path.Combine(fixture.ArtifactsFolder, "track-update.json");
        var report = JsonSerializer.Serialize(new { times = result, profileSelfMs = SelfTimes(profile, 12) }, new JsonSerializerOptions { WriteIndented = true });
        await File.WriteAllTextAsync(path, report, TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine($"10 000-track update script time: {report} ({path})");
    }

    /// <summary>The <paramref name="top"/> functions by self time (ms) in a CDP CPU profile: each sample's time delta
    /// charged to the node it hit, summed by function name and script position.</summary>
    private static Dictionary<string, double> SelfTimes(JsonElement profile, int top)
    {
        var names = new Dictionary<int, string>();
        foreach (var node in profile.GetProperty("nodes").EnumerateArray())
        {
            var frame = node.GetProperty("callFrame");
            var url = frame.GetProperty("url").GetString() ?? "";
            var name = frame.GetProperty("functionName").GetString() is { Length: > 0 } f ? f : "(anonymous)";
            names[node.GetProperty("id").GetInt32()] = $"{name} {url[(url.LastIndexOf('/') + 1)..]}:{frame.GetProperty("lineNumber").GetInt32() + 1}";
        }

        var self = new Dictionary<string, double>(StringComparer.Ordinal);
        var samples = profile.GetProperty("samples").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var deltas = profile.GetProperty("timeDeltas").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (var i = 0; i < samples.Length && i < deltas.Length; i++)
        {
            var key = names[samples[i]];
            self[key] = self.GetValueOrDefault(key) + (deltas[i] / 1000);
        }

        return self.OrderByDescending(kv => kv.Value).Take(top).ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 1), StringComparer.Ordinal);
    }
}
