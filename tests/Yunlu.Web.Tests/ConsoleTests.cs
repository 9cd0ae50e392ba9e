using System.Buffers.Binary;
using System.Text.Json;

namespace Yunlu.Web.Tests;

/// <summary>The offline console in a real browser: Debian's Chromium, software GL, the Guiyang demo on a local server.
/// Every assertion is on state (<c>window.yunlu</c>, Cesium objects, the DOM, the requests), never on frame rates.
/// State tests use a smaller viewport than the screenshots: software GL rasterises fewer pixels per frame.</summary>
public sealed class ConsoleTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private const int SmallWidthPx = 800;
    private const int SmallHeightPx = 450;

    [Fact]
    public async Task Load_Demo_AsksOnlyTheTestServerAndDrawsWhatTheApiServes()
    {
        await using var console = await fixture.OpenAsync(SmallWidthPx, SmallHeightPx);
        var ready = await console.LoadAsync();
        // Let tile traffic start too, so the host check below covers terrain, imagery and the geometry workers.
        await console.WaitForResponseAsync(r => r.Url.Contains("/api/v1/terrain/heightmap/", StringComparison.Ordinal), "for a terrain tile");
        await console.WaitForResponseAsync(r => r.Url.Contains("/api/v1/tiles/hillshade/", StringComparison.Ordinal), "for a hillshade tile");
        await console.ScreenshotAsync("load");

        Assert.Empty(ready.GetProperty("errors").EnumerateArray());
        Assert.Equal(14, fixture.ApiCounts.Zones);
        Assert.True(fixture.ApiCounts.Buildings > 4000, $"the demo has {fixture.ApiCounts.Buildings} buildings");
        Assert.Equal(25, fixture.ApiCounts.Sites);
        Assert.Equal(fixture.ApiCounts.Zones, ready.GetProperty("zones").GetInt32());
        Assert.Equal(fixture.ApiCounts.Buildings, ready.GetProperty("buildings").GetInt32());
        Assert.Equal(fixture.ApiCounts.Sites, ready.GetProperty("sites").GetInt32());

        // The entities drawn are the API's features, one for one.
        await console.WaitForAsync("() => window.yunlu.layers.buildings !== null && window.yunlu.layers.buildings.ready");
        var drawn = await console.EvalAsync<JsonElement>("""
            () => {
              const y = window.yunlu;
              const zoneIds = [...new Set(y.layers.zones.entities.values.map((e) => e.properties.identifier.getValue()))].sort();
              const siteIds = y.layers.sites.entities.values.map((e) => e.id.slice('site:'.length)).sort();
              // The batched buildings primitive holds instances building:0 … building:n-1 and no more.
              const b = y.layers.buildings;
              const n = y.counts.buildings;
              const buildings = [0, n - 1, n].map((i) => b.getGeometryInstanceAttributes(`building:${i}`) !== undefined);
              return { zoneIds, siteIds, buildings };
            }
            """);
        Assert.Equal(fixture.ZoneIds, Strings(drawn.GetProperty("zoneIds")), StringComparer.Ordinal);
        Assert.Equal(fixture.SiteIds, Strings(drawn.GetProperty("siteIds")), StringComparer.Ordinal);
        Assert.Equal([true, true, false], drawn.GetProperty("buildings").EnumerateArray().Select(e => e.GetBoolean()));

        // No ion: our terrain and our imagery only, and no request anywhere else (workers included).
        var sources = await console.EvalAsync<JsonElement>("""
            () => {
              const v = window.yunlu.viewer;
              const layers = [];
              for (let i = 0; i < v.imageryLayers.length; i++) layers.push(String(v.imageryLayers.get(i).imageryProvider.url));
              return { customTerrain: v.terrainProvider instanceof Cesium.CustomHeightmapTerrainProvider, layers };
            }
            """);
        Assert.True(sources.GetProperty("customTerrain").GetBoolean());
        Assert.Equal(["/api/v1/tiles/hillshade/{z}/{x}/{y}.png"], Strings(sources.GetProperty("layers")));

        var requests = console.Requests;
        Assert.Equal([fixture.Authority], requests.Select(r => r.Authority).ToHashSet(StringComparer.Ordinal));
        Assert.All(requests, r => Assert.True(r.Forwarded, r.Url));
        Assert.DoesNotContain(requests, r => r.Url.Contains("access_token", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(requests, r => r.Url.Contains("/api/v1/terrain/heightmap/", StringComparison.Ordinal));
        // Cesium's workers run from blob: URLs (its IIFE build carries them inside Cesium.js); whatever they fetch goes
        // through the context's proxy too (see Monitor_WorkerAsksAnotherHost_RecordedAndRefused).
        Assert.NotEmpty(console.Page.Workers);
        Assert.Empty(console.PageErrors);
    }

    [Fact]
    public async Task Monitor_WorkerAsksAnotherHost_RecordedAndRefused()
    {
        // The harness's own check: a request from a worker to another host is seen by the context's proxy and never
        // leaves the machine (".invalid" never resolves, and the proxy answers 403 without connecting anywhere).
        await using var console = await fixture.OpenAsync(SmallWidthPx, SmallHeightPx);
        await console.Page.GotoAsync(new Uri(fixture.BaseAddress, "build-info.json").ToString());
        var statuses = await console.EvalAsync<int[]>($$"""
            () => new Promise((resolve) => {
              const code = `Promise.all(['http://outside.invalid/probe', '{{fixture.BaseAddress}}api/v1/info']
                .map((u) => fetch(u).then((r) => r.status, () => 0))).then((s) => postMessage(s));`;
              const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
              worker.onmessage = (e) => resolve(e.data);
            })
            """);

        Assert.NotEqual(200, statuses[0]);
        Assert.Equal(200, statuses[1]);
        var requests = console.Requests;
        Assert.Contains(requests, r => r.Authority == "outside.invalid" && !r.Forwarded);
        Assert.Contains(requests, r => r.Authority == fixture.Authority && r.Url.EndsWith("/api/v1/info", StringComparison.Ordinal) && r.Forwarded);
    }

    [Fact]
    public async Task LayerCheckboxes_OffThenOn_HideAndShowTheirEntities()
    {
        await using var console = await fixture.OpenAsync(SmallWidthPx, SmallHeightPx);
        await console.LoadAsync();
        const string Showing = """
            () => {
              const y = window.yunlu;
              const every = (ds) => ds.entities.values.length > 0 && ds.entities.values.every((e) => e.isShowing);
              const none = (ds) => ds.entities.values.length > 0 && ds.entities.values.every((e) => !e.isShowing);
              return {
                visible: y.visible,
                zones: { source: y.layers.zones.show, all: every(y.layers.zones), none: none(y.layers.zones) },
                sites: { source: y.layers.sites.show, all: every(y.layers.sites), none: none(y.layers.sites) },
                buildings: y.layers.buildings.show,
                hillshade: y.layers.hillshade.show,
                checked: Object.fromEntries(['hillshade', 'terrain', 'zones', 'buildings', 'sites'].map((n) => [n, document.getElementById(`layer-${n}`).checked])),
              };
            }
            """;

        foreach (var layer in new[] { "zones", "buildings", "sites", "hillshade" })
        {
            await console.Page.ClickAsync($"#layer-{layer}");
            await console.WaitForAsync($"() => window.yunlu.visible['{layer}'] === false");
            var off = await console.EvalAsync<JsonElement>(Showing);
            AssertLayer(off, layer, shown: false);
            foreach (var other in new[] { "zones", "buildings", "sites", "hillshade" }.Where(o => o != layer))
            {
                AssertLayer(off, other, shown: true);
            }

            await console.Page.ClickAsync($"#layer-{layer}");
            await console.WaitForAsync($"() => window.yunlu.visible['{layer}'] === true");
            AssertLayer(await console.EvalAsync<JsonElement>(Showing), layer, shown: true);
        }

        // Terrain off: a plain ellipsoid, and the buildings re-seated on it; on again: Yunlu's heightmaps.
        await console.Page.ClickAsync("#layer-terrain");
        await console.WaitForAsync("""
            () => { const y = window.yunlu; return !y.visible.terrain && y.viewer.terrainProvider instanceof Cesium.EllipsoidTerrainProvider
              && y.layers.buildings !== null && y.layers.buildings.show; }
            """);
        await console.Page.ClickAsync("#layer-terrain");
        await console.WaitForAsync("""
            () => { const y = window.yunlu; return y.visible.terrain && y.viewer.terrainProvider === y.layers.terrain
              && y.layers.buildings !== null && y.layers.buildings.show; }
            """, ConsoleSession.LoadTimeoutMs);
        await console.ScreenshotAsync("layers");
        Assert.Empty(await console.EvalAsync<string[]>("() => window.yunlu.errors"));
        Assert.Empty(console.PageErrors);
    }

    [Fact]
    public async Task ModeAndLanguageButtons_Toggle_ChangeSceneModeAndInterfaceText()
    {
        await using var console = await fixture.OpenAsync(SmallWidthPx, SmallHeightPx);
        await console.LoadAsync();
        const string Text = """
            () => ({
              lang: window.yunlu.lang,
              htmlLang: document.documentElement.lang,
              panel: document.getElementById('panel').innerText,
              langButton: document.getElementById('lang').textContent,
              modeButton: document.getElementById('mode').textContent,
              airport: window.yunlu.layers.sites.entities.getById('site:ZUGY').label.text.getValue(),
              zone: window.yunlu.layers.zones.entities.getById('zone:GY-AP01:0').name,
              mode: window.yunlu.viewer.scene.mode,
            })
            """;

        var zh = await console.EvalAsync<JsonElement>(Text);
        Assert.Equal("zh", zh.GetProperty("lang").GetString());
        Assert.Equal("zh-CN", zh.GetProperty("htmlLang").GetString());
        Assert.Contains("禁飞", zh.GetProperty("panel").GetString(), StringComparison.Ordinal);
        Assert.Contains("空域", zh.GetProperty("panel").GetString(), StringComparison.Ordinal);
        Assert.Equal("EN", zh.GetProperty("langButton").GetString());
        Assert.Equal("贵阳龙洞堡国际机场", zh.GetProperty("airport").GetString());
        Assert.Equal("龙洞堡机场净空保护区（核心区）", zh.GetProperty("zone").GetString());

        await console.Page.ClickAsync("#lang");
        await console.WaitForAsync("() => window.yunlu.lang === 'en'");
        var en = await console.EvalAsync<JsonElement>(Text);
        Assert.Equal("en", en.GetProperty("htmlLang").GetString());
        Assert.Contains("Prohibited", en.GetProperty("panel").GetString(), StringComparison.Ordinal);
        Assert.Contains("Zones", en.GetProperty("panel").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("禁飞", en.GetProperty("panel").GetString(), StringComparison.Ordinal);
        Assert.Equal("中文", en.GetProperty("langButton").GetString());
        Assert.Equal("Guiyang Longdongbao International Airport", en.GetProperty("airport").GetString());
        Assert.Equal("Longdongbao Airport protection zone (core)", en.GetProperty("zone").GetString());

        await console.Page.ClickAsync("#lang");
        await console.WaitForAsync("() => window.yunlu.lang === 'zh' && document.getElementById('panel').innerText.includes('禁飞')");

        Assert.Equal(3, zh.GetProperty("mode").GetInt32()); // Cesium.SceneMode.SCENE3D
        Assert.Equal("2D", zh.GetProperty("modeButton").GetString());
        await console.Page.ClickAsync("#mode");
        await console.WaitForAsync("() => window.yunlu.viewer.scene.mode === Cesium.SceneMode.SCENE2D && document.getElementById('mode').textContent === '3D'");
        await console.ScreenshotAsync("mode-2d");
        await console.Page.ClickAsync("#mode");
        await console.WaitForAsync("() => window.yunlu.viewer.scene.mode === Cesium.SceneMode.SCENE3D && document.getElementById('mode').textContent === '2D'");
        Assert.Empty(console.PageErrors);
    }

    [Fact]
    public async Task Globe_Load_UsesYunluTerrainAndHillshadeTiles()
    {
        await using var console = await fixture.OpenAsync(SmallWidthPx, SmallHeightPx);
        await console.LoadAsync();
        var terrain = await console.WaitForResponseAsync(r => r.Url.Contains("/api/v1/terrain/heightmap/", StringComparison.Ordinal) && r.Status == 200, "200 for a terrain tile");
        var hillshade = await console.WaitForResponseAsync(r => r.Url.Contains("/api/v1/tiles/hillshade/", StringComparison.Ordinal) && r.Status == 200, "200 for a hillshade tile");

        // 65 × 65 little-endian float32 heights above the ellipsoid, all finite.
        var heights = await terrain.BodyAsync();
        Assert.Equal(65 * 65 * sizeof(float), heights.Length);
        for (var i = 0; i < heights.Length; i += sizeof(float))
        {
            var h = BinaryPrimitives.ReadSingleLittleEndian(heights.AsSpan(i));
            Assert.True(float.IsFinite(h) && h is > -500 and < 9000, $"{terrain.Url}: height {h} at byte {i}");
        }

        Assert.Equal("image/png", (await hillshade.HeaderValueAsync("content-type"))?.Split(';')[0]);
        Assert.True(IsPng(await hillshade.BodyAsync(), out var w, out var h2) && w == 256 && h2 == 256, $"{hillshade.Url} is not a 256 px PNG");

        // The globe draws them: the terrain provider is Yunlu's and the only imagery layer is the hillshade.
        await console.WaitForAsync("() => { const v = window.yunlu.viewer; return v.terrainProvider === window.yunlu.layers.terrain && v.imageryLayers.length === 1 && v.imageryLayers.get(0) === window.yunlu.layers.hillshade && window.yunlu.layers.hillshade.ready; }");
        Assert.DoesNotContain(console.Responses, r => r.Url.Contains("/api/v1/", StringComparison.Ordinal) && r.Status >= 400);
    }

    [Fact]
    public async Task Screenshots_3DAnd2D_SavedAsArtifacts()
    {
        var settleMs = SettleSeconds() * 1000f;
        await using var console = await fixture.OpenAsync();
        await console.LoadAsync();

        // 3D: from the west over the old city towards the airport's zones.
        await console.EvalAsync<bool>($$"""
            () => {
              const c = window.yunlu.viewer.camera;
              c.cancelFlight();
              c.setView({
                destination: Cesium.Cartesian3.fromDegrees({{ThreeD.LonDeg}}, {{ThreeD.LatDeg}}, {{ThreeD.HeightM}}),
                orientation: { heading: Cesium.Math.toRadians({{ThreeD.HeadingDeg}}), pitch: Cesium.Math.toRadians({{ThreeD.PitchDeg}}), roll: 0 },
              });
              return true;
            }
            """);
        var settled3d = await console.TrySettleAsync(settleMs);
        var shot3d = await console.ScreenshotAsync("console-guiyang");

        // 2D: the whole demo region, through the panel's button.
        await console.Page.ClickAsync("#mode");
        await console.WaitForAsync("() => window.yunlu.viewer.scene.mode === Cesium.SceneMode.SCENE2D");
        await console.EvalAsync<bool>($$"""
            () => {
              window.yunlu.viewer.camera.setView({ destination: Cesium.Rectangle.fromDegrees({{TwoD.WestDeg}}, {{TwoD.SouthDeg}}, {{TwoD.EastDeg}}, {{TwoD.NorthDeg}}) });
              return true;
            }
            """);
        var settled2d = await console.TrySettleAsync(settleMs);
        var shot2d = await console.ScreenshotAsync("console-guiyang-2d");

        TestContext.Current.TestOutputHelper?.WriteLine($"screenshots in {fixture.ArtifactsFolder} (3D settled: {settled3d}, 2D settled: {settled2d})");
        foreach (var shot in new[] { shot3d, shot2d })
        {
            var bytes = await File.ReadAllBytesAsync(shot, TestContext.Current.CancellationToken);
            Assert.True(IsPng(bytes, out var w, out var h), $"{shot} is not a PNG");
            Assert.Equal((ConsoleFixture.ViewportWidth, ConsoleFixture.ViewportHeight), (w, h));
        }

        var state = await console.EvalAsync<JsonElement>("() => ({ mode: window.yunlu.viewer.scene.mode, visible: window.yunlu.visible, errors: window.yunlu.errors })");
        Assert.Equal(2, state.GetProperty("mode").GetInt32()); // Cesium.SceneMode.SCENE2D
        Assert.Empty(state.GetProperty("errors").EnumerateArray());
        Assert.Empty(console.PageErrors);
    }

    /// <summary>The README's 3D view: west of the old city, looking east over it to Longdongbao airport.</summary>
    private static class ThreeD
    {
        public const double LonDeg = 106.66;
        public const double LatDeg = 26.53;
        public const double HeightM = 5000;
        public const double HeadingDeg = 62;
        public const double PitchDeg = -30;
    }

    /// <summary>The docs' 2D view: the demo region from Gui'an to the airport.</summary>
    private static class TwoD
    {
        public const double WestDeg = 106.40;
        public const double SouthDeg = 26.38;
        public const double EastDeg = 106.90;
        public const double NorthDeg = 26.70;
    }

    /// <summary>How long a screenshot waits for the scene to settle (all tiles in view loaded): YUNLU_WEB_SETTLE_S, default
    /// 90 s. The screenshot is taken either way; it is an artifact, not an assertion.</summary>
    private static int SettleSeconds() =>
        int.TryParse(Environment.GetEnvironmentVariable("YUNLU_WEB_SETTLE_S"), out var s) && s > 0 ? s : 90;

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString() ?? "")];

    private static void AssertLayer(JsonElement state, string layer, bool shown)
    {
        Assert.Equal(shown, state.GetProperty("visible").GetProperty(layer).GetBoolean());
        Assert.Equal(shown, state.GetProperty("checked").GetProperty(layer).GetBoolean());
        switch (layer)
        {
            case "zones" or "sites":
                var ds = state.GetProperty(layer);
                Assert.Equal(shown, ds.GetProperty("source").GetBoolean());
                Assert.True(ds.GetProperty(shown ? "all" : "none").GetBoolean(), $"{layer}: not every entity is {(shown ? "showing" : "hidden")}");
                break;
            default:
                Assert.Equal(shown, state.GetProperty(layer).GetBoolean());
                break;
        }
    }

    private static bool IsPng(byte[] bytes, out int widthPx, out int heightPx)
    {
        ReadOnlySpan<byte> signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        widthPx = heightPx = 0;
        if (bytes.Length < 24 || !bytes.AsSpan(0, 8).SequenceEqual(signature) || !bytes.AsSpan(12, 4).SequenceEqual("IHDR"u8))
        {
            return false;
        }

        widthPx = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16));
        heightPx = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20));
        return true;
    }
}
