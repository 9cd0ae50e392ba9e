using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;

namespace Yunlu.Web.Tests;

/// <summary>One browser context and page on the console, with every request and response the context saw.</summary>
public sealed class ConsoleSession : IAsyncDisposable
{
    /// <summary>How long the console may take to load its layers on software GL (two shared cores).</summary>
    public const float LoadTimeoutMs = 150_000;

    /// <summary>How long a state change driven by the render loop (a morph, tiles) may take.</summary>
    public const float StateTimeoutMs = 90_000;

    private readonly ConsoleFixture _fixture;
    private int _proxyMark;
    private readonly ConcurrentQueue<(string Url, int Status)> _responses = new();
    private readonly ConcurrentQueue<string> _pageErrors = new();
    private readonly List<(Func<IResponse, bool> Match, TaskCompletionSource<IResponse> Done)> _waiters = [];
    private readonly List<IResponse> _seen = [];

    internal ConsoleSession(ConsoleFixture fixture, IBrowserContext context)
    {
        _fixture = fixture;
        Context = context;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; private set; } = null!;

    /// <summary>Every request the browser sent (through the proxy) since this session opened: pages, workers, the
    /// browser process.</summary>
    public IReadOnlyList<ProxiedRequest> Requests => _fixture.ContextProxy.Since(_proxyMark);

    /// <summary>Every response (URL, status) the context received.</summary>
    public IReadOnlyList<(string Url, int Status)> Responses => [.. _responses];

    /// <summary>Uncaught page errors.</summary>
    public IReadOnlyList<string> PageErrors => [.. _pageErrors];

    internal async Task StartAsync()
    {
        _proxyMark = _fixture.ContextProxy.Count;
        // Software GL keeps the page's main thread busy for seconds per frame: clicks and screenshots wait longer.
        Context.SetDefaultTimeout(StateTimeoutMs);
        Context.Response += (_, response) => OnResponse(response);
        Page = await Context.NewPageAsync();
        Page.PageError += (_, error) => _pageErrors.Enqueue(error);
    }

    private void OnResponse(IResponse response)
    {
        _responses.Enqueue((response.Url, response.Status));
        lock (_waiters)
        {
            _seen.Add(response);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(response))
                {
                    _waiters[i].Done.TrySetResult(response);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>The first response (already received or still to come) that <paramref name="match"/> accepts.</summary>
    public async Task<IResponse> WaitForResponseAsync(Func<IResponse, bool> match, string what, float timeoutMs = LoadTimeoutMs)
    {
        var done = new TaskCompletionSource<IResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (_seen.Find(r => match(r)) is { } seen)
            {
                return seen;
            }

            _waiters.Add((match, done));
        }

        try
        {
            return await done.Task.WaitAsync(TimeSpan.FromMilliseconds(timeoutMs));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"no response {what} within {timeoutMs / 1000:0} s; console state: {await DescribeAsync()}", e);
        }
    }

    /// <summary>Loads the console and waits for <c>window.yunlu.ready</c>; returns what it resolved to.</summary>
    public async Task<JsonElement> LoadAsync()
    {
        await Page.GotoAsync(_fixture.BaseAddress.ToString(), new PageGotoOptions { Timeout = LoadTimeoutMs, WaitUntil = WaitUntilState.Load });
        await Page.WaitForFunctionAsync("() => window.yunlu && window.yunlu.ready", null, new PageWaitForFunctionOptions { Timeout = LoadTimeoutMs, PollingInterval = 200 });
        // Keep what `ready` resolved to on the window, then poll for it: a wait with a timeout instead of an unbounded await.
        await Page.EvaluateAsync("() => { window.yunlu.ready.then((r) => { window.__yunluReady = r; }); }");
        var handle = await Page.WaitForFunctionAsync("() => window.__yunluReady", null, new PageWaitForFunctionOptions { Timeout = LoadTimeoutMs, PollingInterval = 250 });
        return await handle.JsonValueAsync<JsonElement>();
    }

    /// <summary>Waits until a JavaScript predicate over the page holds.</summary>
    public async Task WaitForAsync(string predicate, float timeoutMs = StateTimeoutMs)
    {
        try
        {
            await Page.WaitForFunctionAsync(predicate, null, new PageWaitForFunctionOptions { Timeout = timeoutMs, PollingInterval = 250 });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nwaiting for: {predicate}\nconsole state: {await DescribeAsync()}", e);
        }
    }

    /// <summary>What the console is doing (for failure messages).</summary>
    public async Task<string> DescribeAsync()
    {
        try
        {
            return await Page.EvaluateAsync<string>("""
                () => {
                  const y = window.yunlu;
                  if (!y) return 'no window.yunlu';
                  const v = y.viewer;
                  const s = v && v.scene;
                  return JSON.stringify({
                    counts: y.counts, errors: y.errors, visible: y.visible, lang: y.lang,
                    mode: s && s.mode, tilesLoaded: s && s.globe.tilesLoaded,
                    buildingsReady: y.layers.buildings ? y.layers.buildings.ready : null,
                    camera: v ? Cesium.Cartographic.fromCartesian(v.camera.positionWC) : null,
                  });
                }
                """);
        }
        catch (PlaywrightException e)
        {
            return "unavailable: " + e.Message;
        }
    }

    /// <summary>Evaluates a JavaScript expression or function in the page.</summary>
    public Task<T> EvalAsync<T>(string script) => Page.EvaluateAsync<T>(script);

    /// <summary>Waits until the globe's visible tiles and the buildings primitive are loaded and the camera is still,
    /// so a screenshot shows the finished picture.</summary>
    public Task WaitForSceneSettledAsync(float timeoutMs = StateTimeoutMs) => WaitForAsync("""
        () => {
          const y = window.yunlu;
          const v = y && y.viewer;
          if (!v || !v.scene.globe.tilesLoaded) return false;
          if (y.layers.buildings && y.visible.buildings && !y.layers.buildings.ready) return false;
          const p = v.camera.positionWC;
          const key = `${p.x.toFixed(1)},${p.y.toFixed(1)},${p.z.toFixed(1)},${v.scene.mode}`;
          const still = window.__yunluCamera === key;
          window.__yunluCamera = key;
          return still;
        }
        """, timeoutMs);

    /// <summary>Waits for <see cref="WaitForSceneSettledAsync"/> at most <paramref name="timeoutMs"/>; false when the scene
    /// was still loading then.</summary>
    public async Task<bool> TrySettleAsync(float timeoutMs)
    {
        try
        {
            await WaitForSceneSettledAsync(timeoutMs);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Saves a PNG of the page under the fixture's artifacts folder; returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(_fixture.ArtifactsFolder, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, Type = ScreenshotType.Png, Timeout = StateTimeoutMs });
        return path;
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
