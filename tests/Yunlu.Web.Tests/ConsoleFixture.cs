using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Yunlu.Server.Hosting;

namespace Yunlu.Web.Tests;

/// <summary>
/// One Yunlu server (127.0.0.1, port 0, a temp data folder, the Guiyang demo, the built console in <c>web/dist</c>) and
/// one headless Debian Chromium driven by Playwright, shared by the tests of a class. Each test opens its own
/// browser context (<see cref="OpenAsync"/>), so no page state is shared.
/// </summary>
/// <remarks>Playwright never downloads a browser here: the executable is <c>YUNLU_CHROMIUM</c> or
/// <c>/usr/bin/chromium</c>, and only the driver bundled in the NuGet package (its own node and playwright-core under
/// <c>.playwright/</c> beside the test binaries) runs. Playwright starts Chromium with a fresh temporary profile
/// (user-data dir) and deletes it on close.</remarks>
public sealed class ConsoleFixture : IAsyncLifetime
{
    /// <summary>Flags for Debian's Chromium: headless, no sandbox (root in CI), software rendering, nothing that
    /// phones home. <c>--enable-unsafe-swiftshader</c> lets WebGL fall back to SwiftShader (software GL) with the GPU
    /// disabled; without it recent Chromium refuses WebGL and Cesium cannot start.</summary>
    public static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run",
        "--disable-component-update", "--disable-sync", "--enable-unsafe-swiftshader",
        // Form fields make Chromium ask its autofill server for field types; that is the browser's, not the console's.
        "--disable-features=AutofillServerCommunication,OptimizationHints,MediaRouter", "--disable-client-side-phishing-detection",
    ];

    /// <summary>The viewport of every page (the README's screenshot size).</summary>
    public const int ViewportWidth = 1280;

    /// <inheritdoc cref="ViewportWidth"/>
    public const int ViewportHeight = 720;

    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "yunlu-web-test-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;
    private RecordingProxy? _proxy;
    private RecordingProxy? _browserProxy;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The server's <c>host:port</c> authority: the only one the console may ask.</summary>
    public string Authority => BaseAddress.Authority;

    /// <summary>A client of the API (for the counts the console must match).</summary>
    public HttpClient Api { get; private set; } = null!;

    /// <summary>The proxy every request of the console's browser contexts goes through (pages and workers).</summary>
    public RecordingProxy ContextProxy => _proxy ?? throw new InvalidOperationException("the proxy is not started");

    /// <summary>The proxy of the browser process itself: Chromium's own background requests (sign-in, component
    /// updates) come here and are refused, so nothing leaves the machine; they are not the console's.</summary>
    public RecordingProxy BrowserProxy => _browserProxy ?? throw new InvalidOperationException("the proxy is not started");

    /// <summary>The shared browser.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser is not started");

    /// <summary>Where screenshots go: <c>YUNLU_WEB_ARTIFACTS</c>, else <c>TestResults/console</c> beside the binaries.</summary>
    public string ArtifactsFolder { get; } = Environment.GetEnvironmentVariable("YUNLU_WEB_ARTIFACTS") is { Length: > 0 } dir
        ? Path.GetFullPath(dir)
        : Path.Combine(AppContext.BaseDirectory, "TestResults", "console");

    /// <summary>Feature counts of the API's GeoJSON endpoints: zones, obstacles (buildings), sites.</summary>
    public (int Zones, int Buildings, int Sites) ApiCounts { get; private set; }

    /// <summary>Zone identifiers (<c>properties.identifier</c>) of <c>/api/v1/zones.geojson</c>, sorted.</summary>
    public IReadOnlyList<string> ZoneIds { get; private set; } = [];

    /// <summary>Site ids (<c>properties.id</c>) of <c>/api/v1/sites.geojson</c>, sorted.</summary>
    public IReadOnlyList<string> SiteIds { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        var repo = Server.RepoPaths.FindRepoRoot()
            ?? throw new InvalidOperationException("the repository (Yunlu.slnx) was not found above " + AppContext.BaseDirectory);
        var webRoot = Path.Combine(repo, "web", "dist");
        if (!File.Exists(Path.Combine(webRoot, "index.html")))
        {
            throw new InvalidOperationException(
                $"The web console is not built: {Path.Combine(webRoot, "index.html")} is missing. Run `cd web && npm ci && npm run build` " +
                "(scripts/test.sh does this before `dotnet test`).");
        }

        var chromium = Environment.GetEnvironmentVariable("YUNLU_CHROMIUM") is { Length: > 0 } c ? c : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException(
                $"Chromium not found at {chromium}: install Debian's `chromium` (scripts/test.sh does) or set YUNLU_CHROMIUM. " +
                "The tests never download a browser.");
        }

        Directory.CreateDirectory(_dataFolder);
        var options = new Server.YunluServerOptions
        {
            DataFolder = _dataFolder,
            WebRootPath = webRoot,
            LoadDemo = true,
            DemoFolder = Path.Combine(repo, "data", "demo"),
        };
        options.Urls.Add("http://127.0.0.1:0");
        // A page load asks for hundreds of terrain and imagery tiles; the default per-address limit is for clients.
        options.Limits.RatePermits = 1_000_000;
        var builder = Server.YunluServer.CreateBuilder(options);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        _app = Server.YunluServer.BuildApp(builder);
        await _app.StartAsync(CancellationToken.None);
        await _app.Services.GetRequiredService<StartupState>().Seeded;
        BaseAddress = new Uri(_app.Urls.First().TrimEnd('/') + "/");
        Api = new HttpClient { BaseAddress = BaseAddress };
        var zones = await FeaturePropertyAsync("api/v1/zones.geojson", "identifier");
        var sites = await FeaturePropertyAsync("api/v1/sites.geojson", "id");
        ApiCounts = (zones.Count, (await FeaturePropertyAsync("api/v1/obstacles.geojson", "id")).Count, sites.Count);
        ZoneIds = [.. zones.Order(StringComparer.Ordinal)];
        SiteIds = [.. sites.Order(StringComparer.Ordinal)];

        // Every request of a console context, loopback included (Playwright adds <-loopback> to the bypass list), goes
        // through the context's recording proxy: workers' module imports too, which page-level routing does not see.
        // The browser process gets a proxy of its own, so its background traffic is kept apart (and refused).
        _proxy = new RecordingProxy(BaseAddress);
        _browserProxy = new RecordingProxy(upstream: null);

        // Belt and braces: the driver must never fetch a browser of its own.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ChromiumArgs,
            Proxy = new Proxy { Server = _browserProxy.Address },
            Timeout = 120_000,
        });
        Directory.CreateDirectory(ArtifactsFolder);
    }

    private async Task<List<string>> FeaturePropertyAsync(string path, string property)
    {
        using var doc = JsonDocument.Parse(await Api.GetStringAsync(new Uri(path, UriKind.Relative)));
        return [.. doc.RootElement.GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("properties").TryGetProperty(property, out var v) ? v.ToString() : "")];
    }

    /// <summary>Opens the console in a fresh context and page (1280×720 unless told). The session sees the requests the
    /// browser sent through the proxy from then on, and the context's responses.</summary>
    public async Task<ConsoleSession> OpenAsync(int widthPx = ViewportWidth, int heightPx = ViewportHeight)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = widthPx, Height = heightPx },
            DeviceScaleFactor = 1,
            Locale = "zh-CN",
            Proxy = new Proxy { Server = ContextProxy.Address },
        });
        var session = new ConsoleSession(this, context);
        await session.StartAsync();
        return session;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        if (_browserProxy is not null)
        {
            await _browserProxy.DisposeAsync();
        }

        Api?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held for a moment; the OS temp cleaner takes it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
