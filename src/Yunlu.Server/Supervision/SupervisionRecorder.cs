using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Yunlu.Storage.Supervision;

namespace Yunlu.Server.Supervision;

/// <summary>
/// Writes the recording in the background: the cycle loop adds positions to a buffer that is sealed into batches of
/// <see cref="BatchRows"/> rows (one transaction or COPY each); alert events are written in the order they happened.
/// When the store falls behind by more than <see cref="MaxQueuedRows"/> rows, new position batches are dropped and
/// counted, so recording never slows ingestion; alert events are never dropped.
/// </summary>
public sealed partial class SupervisionRecorder : IAsyncDisposable
{
    /// <summary>Most rows per position batch (one transaction or COPY); the runtime seals a batch every
    /// <see cref="SupervisionServerOptions.RecordBatchInterval"/> before it is full.</summary>
    public const int BatchRows = 131_072;

    /// <summary>Rows that may wait for the store before new batches are dropped.</summary>
    public const int MaxQueuedRows = 1 << 20;

    private static readonly TimeSpan PurgeEvery = TimeSpan.FromMinutes(10);
    private readonly ISupervisionStore _store;
    private readonly TimeSpan _retention;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Batch> _queue = Channel.CreateUnbounded<Batch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly Task _writer;
    private RecordedPosition[] _buffer = ArrayPool<RecordedPosition>.Shared.Rent(BatchRows);
    private int _count;
    private long _queuedRows;
    private long _recorded;
    private long _dropped;
    private long _failed;

    /// <summary>Starts the writer.</summary>
    public SupervisionRecorder(ISupervisionStore store, TimeSpan retention, TimeProvider time, ILogger logger)
    {
        _store = store;
        _retention = retention;
        _time = time;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Where the writer adds its cost (the synchronous part of each store write), or null.</summary>
    public SupervisionStages? Stages { get; init; }

    /// <summary>Positions written.</summary>
    public long Recorded => Interlocked.Read(ref _recorded);

    /// <summary>Positions dropped (store behind, or a failed write).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Adds a position (cycle loop only).</summary>
    public void Add(in RecordedPosition row)
    {
        _buffer[_count++] = row;
        if (_count == BatchRows)
        {
            Seal();
        }
    }

    /// <summary>Queues alert events (cycle loop only). They do not seal the position buffer (the per-batch checks
    /// raise alerts many times a second; sealing each time would write many small position batches): the positions
    /// around an alert follow within a cycle.</summary>
    public void AddAlertEvents(List<RecordedAlertEvent> events)
    {
        if (events.Count > 0)
        {
            _queue.Writer.TryWrite(new Batch(null, 0, [.. events], null));
        }
    }

    /// <summary>Queues an acknowledgement event (any thread).</summary>
    public void AddAcknowledgement(RecordedAlertEvent e) => _queue.Writer.TryWrite(new Batch(null, 0, [e], null));

    /// <summary>Seals the buffer (cycle loop only); called every <see cref="SupervisionServerOptions.RecordBatchInterval"/>
    /// so the recording lags by at most that.</summary>
    public void Seal()
    {
        if (_count == 0)
        {
            return;
        }

        if (Interlocked.Read(ref _queuedRows) + _count > MaxQueuedRows)
        {
            Interlocked.Add(ref _dropped, _count);
            _count = 0;
            return;
        }

        Interlocked.Add(ref _queuedRows, _count);
        _queue.Writer.TryWrite(new Batch(_buffer, _count, null, null));
        _buffer = ArrayPool<RecordedPosition>.Shared.Rent(BatchRows);
        _count = 0;
    }

    /// <summary>Seals the buffer and completes when everything queued so far is written (cycle loop only).</summary>
    public Task FlushAsync()
    {
        Seal();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Writer.TryWrite(new Batch(null, 0, null, done));
        return done.Task;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        DateTimeOffset nextPurge = _time.GetUtcNow() + TimeSpan.FromSeconds(30);
        await foreach (Batch b in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (b.Rows is { } rows)
                {
                    SupervisionStages.Mark mark = SupervisionStages.Begin();
                    Task write = _store.AppendPositionsAsync(rows.AsMemory(0, b.Count), CancellationToken.None);
                    Stages?.End(SupervisionStage.Recorder, mark, b.Count);
                    await write.ConfigureAwait(false);
                    Interlocked.Add(ref _recorded, b.Count);
                }
                else if (b.Events is { } events)
                {
                    await _store.AppendAlertEventsAsync(events, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (b.Rows is not null)
                {
                    Interlocked.Add(ref _dropped, b.Count);
                }

                if (Interlocked.Increment(ref _failed) % 100 == 1)
                {
                    LogWriteFailed(_logger, ex);
                }
            }
            finally
            {
                if (b.Rows is { } rows)
                {
                    Interlocked.Add(ref _queuedRows, -b.Count);
                    ArrayPool<RecordedPosition>.Shared.Return(rows);
                }

                b.Done?.TrySetResult();
            }

            DateTimeOffset now = _time.GetUtcNow();
            if (_retention > TimeSpan.Zero && now >= nextPurge)
            {
                nextPurge = now + PurgeEvery;
                try
                {
                    long purged = await _store.PurgeAsync(Micros.From(now - _retention), CancellationToken.None).ConfigureAwait(false);
                    if (purged > 0)
                    {
                        LogPurged(_logger, purged);
                    }
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    LogWriteFailed(_logger, ex);
                }
            }
        }
    }

    [LoggerMessage(1300, LogLevel.Warning, "Supervision recording: a write failed")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(1301, LogLevel.Information, "Supervision recording: {Rows} rows older than the retention deleted")]
    private static partial void LogPurged(ILogger logger, long rows);

    private sealed record Batch(RecordedPosition[]? Rows, int Count, RecordedAlertEvent[]? Events, TaskCompletionSource? Done);
}
