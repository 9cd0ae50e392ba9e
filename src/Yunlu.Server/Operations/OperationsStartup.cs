using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yunlu.Airspace.Operations;
using Yunlu.Server.Api;
using Yunlu.Server.Hosting;
using Yunlu.Server.Imports;
using Yunlu.Storage;
using Yunlu.Storage.Operations;

namespace Yunlu.Server.Operations;

/// <summary>
/// Starts the operations area after the store is open and migrated: builds the zone snapshot, rebuilds the book and
/// index from the live intents in the store, then runs three loops until the server stops: eviction of ended intents,
/// the zone poll (rebuild and notify on change), and on PostgreSQL the <c>LISTEN op_intents</c> feed that brings
/// intents committed by other servers into this server's index.
/// </summary>
internal sealed partial class OperationsStartup(
    OperationsRuntime runtime,
    OperationsNotifier notifier,
    StartupState state,
    TimeProvider time,
    YunluServerOptions serverOptions,
    ILogger<OperationsStartup> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshZonesAsync(notify: false, cancellationToken).ConfigureAwait(false);
        int loaded = await runtime.LoadAsync(cancellationToken).ConfigureAwait(false);
        LogLoaded(logger, loaded, runtime.Index.IntentCount, runtime.Store.Kind);
        CancellationToken stop = _stopping.Token;
        _loops.Add(Task.Run(() => EvictLoopAsync(stop), CancellationToken.None));
        _loops.Add(Task.Run(() => ZoneLoopAsync(stop), CancellationToken.None));
        if (serverOptions.LoadDemo)
        {
            _loops.Add(Task.Run(() => SeedDemoDayAsync(stop), CancellationToken.None));
        }
        else
        {
            runtime.CompleteDemoDay(null, null);
        }
        if (runtime.Store is PostgresOperationsStore pg)
        {
            var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _loops.Add(Task.Run(() => ListenLoopAsync(pg, listening, stop), CancellationToken.None));
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task EvictLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(runtime.Options.EvictionInterval, time);
        while (await Wait(timer, stop).ConfigureAwait(false))
        {
            int removed = runtime.Book.EvictEnded(runtime.Options.EndedRetention);
            if (removed > 0)
            {
                LogEvicted(logger, removed);
            }
        }
    }

    private async Task ZoneLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(runtime.Options.ZonePollInterval, time);
        while (await Wait(timer, stop).ConfigureAwait(false))
        {
            try
            {
                await RefreshZonesAsync(notify: true, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogZoneRefreshFailed(logger, ex);
            }
        }
    }

    private async Task ListenLoopAsync(PostgresOperationsStore pg, TaskCompletionSource listening, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await pg.ListenAsync(runtime.RefreshFromStoreAsync, listening, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The connection dropped: correctness does not depend on the feed (the commit re-checks the database);
                // reconnect after a pause.
                LogListenFailed(logger, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>After the demo folder is imported (zones included), loads the demo day of flights once.</summary>
    private async Task SeedDemoDayAsync(CancellationToken stop)
    {
        try
        {
            await state.Seeded.WaitAsync(stop).ConfigureAwait(false);
            await RefreshZonesAsync(notify: false, stop).ConfigureAwait(false);
            DemoDaySeedResult? result = FolderDemoSeeder.ResolveFolder(serverOptions) is { } folder
                ? await OperationsDemoSeeder.SeedAsync(folder, runtime, notifier, time, stop).ConfigureAwait(false)
                : null;
            if (result is { ContestedId: not null })
            {
                LogDemoDay(logger, result.Accepted, result.Refused, result.ContestedRejected, result.ResolutionKind ?? "none");
            }

            runtime.CompleteDemoDay(result, null);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            runtime.CompleteDemoDay(null, null);
        }
        catch (Exception ex)
        {
            LogDemoDayFailed(logger, ex);
            runtime.CompleteDemoDay(null, ex);
        }
    }

    private Task RefreshZonesAsync(bool notify, CancellationToken cancellationToken) =>
        runtime.RefreshZonesAsync(state.Store, notify ? notifier : null, cancellationToken);

    private static async Task<bool> Wait(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(1110, LogLevel.Information, "Operations: {Loaded} live intents loaded ({Indexed} blocking in the index) from {StoreKind}")]
    private static partial void LogLoaded(ILogger logger, int loaded, int indexed, string storeKind);

    [LoggerMessage(1111, LogLevel.Debug, "Operations: {Removed} ended intents left the index")]
    private static partial void LogEvicted(ILogger logger, int removed);

    [LoggerMessage(1112, LogLevel.Warning, "Operations: zone refresh failed")]
    private static partial void LogZoneRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(1114, LogLevel.Information, "Operations demo day: {Accepted} flights accepted, {Refused} refused; contested flight refused first: {Rejected}, then accepted with resolution: {Resolution}")]
    private static partial void LogDemoDay(ILogger logger, int accepted, int refused, bool rejected, string resolution);

    [LoggerMessage(1115, LogLevel.Warning, "Operations demo day: seeding failed")]
    private static partial void LogDemoDayFailed(ILogger logger, Exception exception);

    [LoggerMessage(1113, LogLevel.Warning, "Operations: LISTEN op_intents failed; reconnecting")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);
}
