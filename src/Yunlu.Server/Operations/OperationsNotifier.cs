using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yunlu.Airspace.Operations;
using Yunlu.Server.Auth;
using Yunlu.Server.Contracts;
using Yunlu.Storage.Operations;

using Yunlu.Server.Hosting;

namespace Yunlu.Server.Operations;

/// <summary>The SignalR hub <c>/hubs/operations</c>: each connection joins the group of its token's subject and receives
/// <see cref="OperationsNotification"/>s for the intents it owns (client method <c>notification</c>). Browsers pass the
/// token as <c>?access_token=</c>.</summary>
[Authorize(Policy = YunluRoles.AnyUserPolicy)]
public sealed class OperationsHub : Hub
{
    /// <summary>The group of an owner.</summary>
    public static string GroupOf(string ownerId) => "owner:" + ownerId;

    /// <inheritdoc />
    public override async Task OnConnectedAsync()
    {
        if (Context.User?.FindFirst("sub")?.Value is { } sub)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(sub), Context.ConnectionAborted).ConfigureAwait(false);
        }

        await base.OnConnectedAsync().ConfigureAwait(false);
    }
}

/// <summary>
/// Pushes <see cref="OperationsNotification"/>s to intent owners: to their SignalR group at once, and to their
/// registered webhook by POST (JSON), retried with doubling delays until a 2xx or the attempts run out. Delivery runs
/// in the background, in order per notification; a slow webhook never holds up a booking.
/// </summary>
public sealed partial class OperationsNotifier(
    IHubContext<OperationsHub> hub,
    OperationsRuntime runtime,
    TimeProvider time,
    ILogger<OperationsNotifier> logger) : BackgroundService
{
    private readonly Channel<(string Owner, OperationsNotification Note)> _queue =
        Channel.CreateUnbounded<(string, OperationsNotification)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Queues a notification for <paramref name="ownerId"/>.</summary>
    public void Publish(string ownerId, OperationsNotification note) => _queue.Writer.TryWrite((ownerId, note));

    /// <summary>After a committed change of <paramref name="intent"/>: tells its owner, and the owners of the intents
    /// it now overlaps without being blocked by them (lower priority: they must give way).</summary>
    public void IntentCommitted(OperationalIntent intent, DeconflictionReport? report)
    {
        DateTimeOffset at = time.GetUtcNow();
        Publish(intent.OwnerId, new OperationsNotification("INTENT_CHANGED", intent.Id, WireNames.ToWire(intent.State), intent.Id.ToString("D"),
            $"intent {intent.Id} is {WireNames.ToWire(intent.State)} (version {intent.Version})", at));
        if (report is null || !intent.IsBlocking)
        {
            return;
        }

        var told = new HashSet<Guid>();
        foreach (Conflict c in report.Conflicts)
        {
            if (c.Kind == ConflictKind.Intent && !c.Blocking && c.IntentId is { } other && told.Add(other) && runtime.Book.Get(other) is { } affected)
            {
                Publish(affected.OwnerId, new OperationsNotification("INTENT_AFFECTED", other, WireNames.ToWire(affected.State), intent.Id.ToString("D"),
                    $"{WireNames.ToWire(intent.Priority)} intent {intent.Id} now overlaps your intent {other}: give way ({c.Reason})", at));
            }
        }
    }

    /// <summary>After a zone changed: tells the owners of the intents that meet it.</summary>
    public void ZoneChanged(string zoneId, string change, IEnumerable<ZoneConstraint> constraints)
    {
        DateTimeOffset at = time.GetUtcNow();
        var hits = new List<IndexHit>();
        var told = new HashSet<Guid>();
        foreach (ZoneConstraint z in constraints)
        {
            hits.Clear();
            runtime.Index.Query(z.Volume, hits);
            foreach (IndexHit h in hits)
            {
                if (told.Add(h.IntentId) && runtime.Book.Get(h.IntentId) is { } affected)
                {
                    Publish(affected.OwnerId, new OperationsNotification("ZONE_CHANGED", h.IntentId, WireNames.ToWire(affected.State), zoneId,
                        $"zone {zoneId} ({z.Name}, {z.Effect}) was {change}; it meets your intent {h.IntentId}", at));
                }
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (owner, note) in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await hub.Clients.Group(OperationsHub.GroupOf(owner)).SendAsync("notification", note, stoppingToken).ConfigureAwait(false);
                RegistryEntry? hook = await runtime.Registry.GetAsync(RegistryKinds.Webhook, owner, stoppingToken).ConfigureAwait(false);
                if (hook is not null && RegistryService.Read<WebhookDto>(hook).Url is { } url)
                {
                    _ = DeliverAsync(url, note, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogDeliveryFailed(logger, ex, owner, note.Kind);
            }
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    private Task DeliverAsync(string url, OperationsNotification note, CancellationToken cancellationToken) =>
        WebhookDelivery.PostAsync(_http, url, note, OperationsJsonContext.Default.OperationsNotification,
            runtime.Options.WebhookAttempts, runtime.Options.WebhookFirstRetry, time, logger, cancellationToken);

    [LoggerMessage(1100, LogLevel.Warning, "Notification {Kind} for {Owner} could not be delivered")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string owner, string kind);
}
