using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yunlu.Server.Operations;
using Yunlu.Storage.Operations;

using Yunlu.Server.Hosting;

namespace Yunlu.Server.Supervision;

/// <summary>A subscriber's area: lon/lat degrees, or everything.</summary>
/// <param name="MinLon">West.</param>
/// <param name="MinLat">South.</param>
/// <param name="MaxLon">East.</param>
/// <param name="MaxLat">North.</param>
public sealed record SubscriptionArea(double MinLon, double MinLat, double MaxLon, double MaxLat)
{
    /// <summary>True when the point is inside (edges included).</summary>
    public bool Contains(double lonDeg, double latDeg) => lonDeg >= MinLon && lonDeg <= MaxLon && latDeg >= MinLat && latDeg <= MaxLat;
}

/// <summary>The connected subscribers of <c>/hubs/supervision</c> and their areas (null = everything).</summary>
public sealed class SupervisionSubscriptions
{
    private readonly ConcurrentDictionary<string, SubscriptionArea?> _areas = new(StringComparer.Ordinal);

    /// <summary>The subscribers now.</summary>
    public IReadOnlyCollection<KeyValuePair<string, SubscriptionArea?>> All => _areas;

    /// <summary>Number of subscribers.</summary>
    public int Count => _areas.Count;

    /// <summary>Sets a subscriber's area.</summary>
    public void Set(string connectionId, SubscriptionArea? area) => _areas[connectionId] = area;

    /// <summary>Removes a subscriber.</summary>
    public void Remove(string connectionId) => _areas.TryRemove(connectionId, out _);
}

/// <summary>
/// The SignalR hub <c>/hubs/supervision</c>. A connection receives everything until it calls <c>Subscribe</c> with a
/// bounding box (west, south, east, north in degrees; four nulls or <c>SubscribeAll</c> = everything again). The server
/// sends <c>tracks</c> (an array of <see cref="TrackDto"/> inside the area, about once per second) and <c>alert</c> (one
/// <see cref="AlertDto"/> per lifecycle event of an alert whose aircraft is inside the area). Browsers pass the token as
/// <c>?access_token=</c>; with public reads on, no token is needed.
/// </summary>
[AllowAnonymous]
public sealed class SupervisionHub(SupervisionSubscriptions subscriptions, YunluServerOptions options) : Hub
{
    /// <inheritdoc />
    public override async Task OnConnectedAsync()
    {
        if (!options.PublicReads && Context.User?.Identity?.IsAuthenticated != true)
        {
            Context.Abort();
            return;
        }

        subscriptions.Set(Context.ConnectionId, null);
        await base.OnConnectedAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Limits this connection's tracks and alerts to a box; all four null = everything.</summary>
    /// <exception cref="HubException">The box is invalid (the message names the rule).</exception>
    public void Subscribe(double? minLon, double? minLat, double? maxLon, double? maxLat)
    {
        if (minLon is null && minLat is null && maxLon is null && maxLat is null)
        {
            subscriptions.Set(Context.ConnectionId, null);
            return;
        }

        if (minLon is not { } w || minLat is not { } s || maxLon is not { } e || maxLat is not { } n)
        {
            throw new HubException("bbox: give all four of minLon, minLat, maxLon, maxLat, or none [bbox-format]");
        }

        if (!(w >= -180 && e <= 180 && s >= -90 && n <= 90 && w <= e && s <= n))
        {
            throw new HubException("bbox: minLon ≤ maxLon within [-180, 180] and minLat ≤ maxLat within [-90, 90] [bbox-range]");
        }

        subscriptions.Set(Context.ConnectionId, new SubscriptionArea(w, s, e, n));
    }

    /// <summary>Receive everything again.</summary>
    public void SubscribeAll() => subscriptions.Set(Context.ConnectionId, null);
}

/// <summary>
/// Pushes the live picture: <c>tracks</c> to each subscriber at most every <see cref="SupervisionServerOptions.TrackPushInterval"/>
/// (filtered by its area; subscribers without an area share one message), each alert event at once as <c>alert</c>, and
/// raised/cleared alerts by webhook (POST JSON <see cref="AlertDto"/>, retried with doubling delays) to the configured
/// supervisor hooks and to the webhook the owner of the aircraft's intent registered (as for operations notifications).
/// </summary>
public sealed partial class SupervisionBroadcast(
    IHubContext<SupervisionHub> hub,
    IOptions<JsonHubProtocolOptions> hubJson,
    SupervisionSubscriptions subscriptions,
    SupervisionServerOptions options,
    IServiceProvider services,
    TimeProvider time,
    ILogger<SupervisionBroadcast> logger) : BackgroundService
{
    private readonly Channel<(AlertDto Alert, string? Owner)> _alerts = Channel.CreateUnbounded<(AlertDto, string?)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<SupervisionSnapshot> _tracks = Channel.CreateBounded<SupervisionSnapshot>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private long _lastTracksPush;

    /// <summary>Per-stage cost counters of the live pipeline (shared with the runtime).</summary>
    public SupervisionStages Stages { get; } = new();

    /// <summary>Alert events pushed so far.</summary>
    public long AlertsPushed { get; private set; }

    /// <summary>Queues one alert event.</summary>
    public void Alert(AlertDto alert, string? owner) => _alerts.Writer.TryWrite((alert, owner));

    /// <summary>Offers a new picture (only the newest waiting one is pushed).</summary>
    public void Tracks(SupervisionSnapshot snapshot) => _tracks.Writer.TryWrite(snapshot);

    /// <inheritdoc />
    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task tracks = Task.Run(() => TracksLoopAsync(stoppingToken), CancellationToken.None);
        try
        {
            await foreach (var (alert, owner) in _alerts.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await PushAlertAsync(alert, stoppingToken).ConfigureAwait(false);
                    AlertsPushed++;
                    if (alert.State is "raised" or "cleared")
                    {
                        await WebhooksAsync(alert, owner, stoppingToken).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    LogPushFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        await tracks.ConfigureAwait(false);
    }

    private async Task PushAlertAsync(AlertDto alert, CancellationToken cancellationToken)
    {
        List<string>? to = null;
        foreach (var (id, area) in subscriptions.All)
        {
            if (area is null || area.Contains(alert.LonDeg, alert.LatDeg))
            {
                (to ??= []).Add(id);
            }
        }

        if (to is not null)
        {
            SupervisionStages.Mark mark = SupervisionStages.Begin();
            Task send = hub.Clients.Clients(to).SendAsync("alert", alert, cancellationToken);
            Stages.End(SupervisionStage.PushAlerts, mark, to.Count);
            await send.ConfigureAwait(false);
        }
    }

    private async Task WebhooksAsync(AlertDto alert, string? owner, CancellationToken cancellationToken)
    {
        foreach (string url in options.Webhooks)
        {
            _ = DeliverAsync(url, alert, cancellationToken);
        }

        if (owner is not null && services.GetService<OperationsRuntime>() is { } ops)
        {
            RegistryEntry? hook = await ops.Registry.GetAsync(RegistryKinds.Webhook, owner, cancellationToken).ConfigureAwait(false);
            if (hook is not null && RegistryService.Read<WebhookDto>(hook).Url is { } url)
            {
                _ = DeliverAsync(url, alert, cancellationToken);
            }
        }
    }

    private Task DeliverAsync(string url, AlertDto alert, CancellationToken cancellationToken) =>
        WebhookDelivery.PostAsync(_http, url, alert, SupervisionJsonContext.Default.AlertDto, options.WebhookAttempts,
            options.WebhookFirstRetry, time, logger, cancellationToken, "supervision.alert." + alert.State, options.WebhookSecret);

    private async Task TracksLoopAsync(CancellationToken stop)
    {
        try
        {
            await foreach (SupervisionSnapshot snapshot in _tracks.Reader.ReadAllAsync(stop).ConfigureAwait(false))
            {
                // Push at most every TrackPushInterval (with 10 % slack for timer jitter).
                long now = time.GetTimestamp();
                if (_lastTracksPush != 0 && time.GetElapsedTime(_lastTracksPush, now) < options.TrackPushInterval * 0.9)
                {
                    continue;
                }

                _lastTracksPush = now;
                try
                {
                    await PushTracksAsync(snapshot, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    LogPushFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task PushTracksAsync(SupervisionSnapshot snapshot, CancellationToken cancellationToken)
    {
        List<string>? everything = null;
        foreach (var (id, area) in subscriptions.All)
        {
            if (area is null)
            {
                (everything ??= []).Add(id);
                continue;
            }

            var inside = new List<TrackDto>();
            foreach (TrackDto t in snapshot.Tracks)
            {
                if (area.Contains(t.LonDeg, t.LatDeg))
                {
                    inside.Add(t);
                }
            }

            SupervisionStages.Mark one = SupervisionStages.Begin();
            Task sendOne = hub.Clients.Client(id).SendAsync("tracks", Serialize(inside), cancellationToken);
            Stages.End(SupervisionStage.PushTracks, one, inside.Count);
            await sendOne.ConfigureAwait(false);
        }

        if (everything is not null)
        {
            SupervisionStages.Mark all = SupervisionStages.Begin();
            Task sendAll = hub.Clients.Clients(everything).SendAsync("tracks", Serialize(snapshot.Tracks), cancellationToken);
            Stages.End(SupervisionStage.PushTracks, all, snapshot.Tracks.Length * (long)everything.Count);
            await sendAll.ConfigureAwait(false);
        }
    }

    /// <summary>The tracks as the hub protocol would write them, serialised here (see <see cref="PreSerializedJson"/>).</summary>
    private PreSerializedJson Serialize<T>(T tracks)
        where T : IEnumerable<TrackDto>
    {
        var info = (JsonTypeInfo<T>)hubJson.Value.PayloadSerializerOptions.GetTypeInfo(typeof(T));
        return new PreSerializedJson(JsonSerializer.SerializeToUtf8Bytes(tracks, info));
    }

    [LoggerMessage(1320, LogLevel.Warning, "Supervision: push failed")]
    private static partial void LogPushFailed(ILogger logger, Exception exception);
}
