using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yunlu.Storage;

namespace Yunlu.Server.Hosting;

/// <summary>What the server knows about its own start: the opened store and whether the demo data is loaded.</summary>
public sealed class StartupState
{
    private volatile IYunluStore? _store;
    private readonly TaskCompletionSource _seeded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The store, once opened and migrated.</summary>
    /// <exception cref="InvalidOperationException">The store is not opened yet.</exception>
    public IYunluStore Store => _store ?? throw new InvalidOperationException("the store is not open yet");

    /// <summary>"sqlite" or "postgres".</summary>
    public string StoreKind { get; private set; } = "";

    /// <summary>The schema version after migrating.</summary>
    public int SchemaVersion { get; private set; }

    /// <summary>True when the store is open and the demo data (if any) is loaded.</summary>
    public bool IsReady => _store is not null && _seeded.Task.IsCompleted;

    /// <summary>Completes when demo loading has finished (or was not needed).</summary>
    public Task Seeded => _seeded.Task;

    internal bool TryGetStore([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IYunluStore? store)
    {
        store = _store;
        return store is not null;
    }

    internal void SetStore(IYunluStore store, string kind, int schemaVersion)
    {
        StoreKind = kind;
        SchemaVersion = schemaVersion;
        _store = store;
    }

    internal void MarkSeeded() => _seeded.TrySetResult();
}

/// <summary>Opens and migrates the store before the server accepts requests (a store that cannot be opened stops the
/// start), then loads the demo data in the background on first start.</summary>
internal sealed class StoreStartup(
    YunluServerOptions options,
    StartupState state,
    IServiceProvider services,
    ILogger<StoreStartup> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _seeding = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var kind = string.IsNullOrWhiteSpace(options.PostgresConnectionString) ? "sqlite" : "postgres";
        var store = await StoreOpener.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        var version = await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        state.SetStore(store, kind, version);
        Log.StoreReady(logger, kind, version);

        if (!options.LoadDemo)
        {
            state.MarkSeeded();
            return;
        }

        _seeding = Task.Run(() => SeedAsync(store, _stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _seeding.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: an unfinished demo import was rolled back by its transaction.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        if (state.TryGetStore(out var store))
        {
            await store.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task SeedAsync(IYunluStore store, CancellationToken cancellationToken)
    {
        try
        {
            var imports = await store.ListImportsAsync(cancellationToken).ConfigureAwait(false);
            if (imports.Count == 0)
            {
                // Resolved only now: the seeder's import path needs the store opened above.
                var seeder = (IDemoSeeder)services.GetService(typeof(IDemoSeeder))!;
                await seeder.SeedAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            Log.DemoFailed(logger, ex);
        }
        finally
        {
            state.MarkSeeded();
        }
    }
}
