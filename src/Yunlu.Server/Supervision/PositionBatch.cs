using System.Collections.Concurrent;
using Yunlu.Supervision;

namespace Yunlu.Server.Supervision;

/// <summary>
/// A pooled, growable batch of positions from one transport: a WebSocket message or an HTTP batch is parsed into one
/// batch and queued to the engine loop as a single item (one queue operation per message, not per position). Rent with
/// <see cref="Rent"/>; whoever ends up holding it returns it with <see cref="Return"/> (the runtime does after taking
/// it in, or when it drops it).
/// </summary>
public sealed class PositionBatch
{
    /// <summary>Initial capacity of a new batch, positions.</summary>
    public const int InitialCapacity = 1024;

    /// <summary>Most batches kept in the pool.</summary>
    public const int MaxPooled = 256;

    /// <summary>Batches larger than this are not pooled (their arrays are let go), positions.</summary>
    public const int MaxPooledCapacity = 1 << 16;

    private static readonly ConcurrentQueue<PositionBatch> Pool = new();
    private static int _pooled;
    private PositionReport[] _items = new PositionReport[InitialCapacity];

    private PositionBatch()
    {
    }

    /// <summary>The transport the positions came by.</summary>
    public IngestSource Source { get; private set; }

    /// <summary>Number of positions.</summary>
    public int Count { get; private set; }

    /// <summary>Stopwatch timestamp when the batch was rented (the message had arrived).</summary>
    public long ArrivedTimestamp { get; private set; }

    /// <summary>The positions.</summary>
    public ReadOnlySpan<PositionReport> Items => _items.AsSpan(0, Count);

    /// <summary>Takes an empty batch from the pool (or a new one).</summary>
    /// <param name="source">The transport.</param>
    public static PositionBatch Rent(IngestSource source)
    {
        if (Pool.TryDequeue(out PositionBatch? b))
        {
            Interlocked.Decrement(ref _pooled);
        }
        else
        {
            b = new PositionBatch();
        }

        b.Source = source;
        b.Count = 0;
        b.ArrivedTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        return b;
    }

    /// <summary>Gives a batch back to the pool; it must not be used afterwards.</summary>
    /// <param name="batch">The batch.</param>
    public static void Return(PositionBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Clear();
        if (batch._items.Length <= MaxPooledCapacity && Interlocked.Increment(ref _pooled) <= MaxPooled)
        {
            Pool.Enqueue(batch);
        }
        else if (batch._items.Length <= MaxPooledCapacity)
        {
            Interlocked.Decrement(ref _pooled);
        }
    }

    /// <summary>Appends a position.</summary>
    public void Add(in PositionReport report)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = report;
    }

    /// <summary>Empties the batch (references cleared so pooled batches hold no ids).</summary>
    public void Clear()
    {
        Array.Clear(_items, 0, Count);
        Count = 0;
    }
}
