using System.Numerics;
using System.Runtime.CompilerServices;

namespace Yunlu.Routing.Grid;

/// <summary>
/// The monotone radix heap of <see cref="RadixHeap"/> (Ahuja, Mehlhorn, Orlin &amp; Tarjan 1990; 65 buckets by the
/// highest bit differing from the last popped key) with its buckets stored as linked chunks of 1024 entries drawn
/// from one shared free list (<see cref="ChunkBuckets"/>). A bucket that empties returns its chunks, so the memory held
/// is the number of live entries (plus one partly filled chunk per bucket), not the sum of every bucket's peak size;
/// growing never copies.
/// Keys must not fall below the last popped key; a smaller key is raised to it. Keys pushed equal to the last popped
/// key pop last-in first-out.
/// </summary>
internal sealed class ChunkedRadixHeap
{
    private const int ChunkSize = 1 << 10;
    private const int Buckets = 65;

    // Not readonly: a mutable struct, used in place.
    private ChunkBuckets _buckets = new(Buckets, ChunkSize, withKeys: true);
    private ulong _last;
    private long _count;

    public long Count => _count;

    /// <summary>Chunks allocated (each 12 KiB), for memory reports and tests.</summary>
    public int AllocatedChunks => _buckets.AllocatedChunks;

    /// <summary>Empties the queue (keeping every chunk for reuse) and resets the monotone floor to 0.</summary>
    public void Clear()
    {
        _buckets.Clear();
        _last = 0;
        _count = 0;
    }

    /// <summary>Empties the queue and drops all but <paramref name="keptChunks"/> chunks.</summary>
    public void Trim(int keptChunks)
    {
        Clear();
        _buckets.Trim(keptChunks);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(ulong key, int item)
    {
        if (key < _last) key = _last;
        int b = key == _last ? 0 : 64 - BitOperations.LeadingZeroCount(key ^ _last);
        _buckets.Push(b, key, item);
        _count++;
    }

    /// <summary>Removes an item with the smallest key; the queue must not be empty.</summary>
    public int Pop()
    {
        if (_buckets.Head(0) == ChunkBuckets.None) Refill();
        int item = _buckets.Pop(0);
        _count--;
        return item;
    }

    /// <summary>The monotone floor: the smallest key at the last <see cref="Pop"/> or <see cref="PeekKey"/>.</summary>
    public ulong Floor => _last;

    /// <summary>Lowers the floor to <paramref name="floor"/> (every queued key is at or above the old floor, so the
    /// bucket invariant is rebuilt by one redistribution), so that keys down to it may be pushed again unraised.</summary>
    public void LowerFloor(ulong floor)
    {
        if (floor >= _last) return;
        _last = floor;
        Span<int> heads = stackalloc int[Buckets];
        Span<int> fills = stackalloc int[Buckets];
        _buckets.DetachAll(heads, fills);
        for (int b = 0; b < Buckets; b++) Redistribute(heads[b], fills[b]);
    }

    /// <summary>The smallest key in the queue (entries deleted lazily by the caller included), or
    /// <see cref="ulong.MaxValue"/> when the queue is empty. Moves the smallest keys into the pop bucket.</summary>
    public ulong PeekKey()
    {
        if (_count == 0) return ulong.MaxValue;
        if (_buckets.Head(0) == ChunkBuckets.None) Refill();
        return _last;
    }

    /// <summary>Copies every item (in no particular order) into <paramref name="items"/>, growing it when needed,
    /// empties the queue and resets the monotone floor to 0; returns the number of items.</summary>
    public int Drain(ref int[] items)
    {
        if (items.Length < _count) items = new int[Math.Max(_count, items.Length * 2L)];
        int n = _buckets.CopyItemsTo(items);
        Clear();
        return n;
    }

    private void Refill()
    {
        int b = 1;
        while (_buckets.Head(b) == ChunkBuckets.None) b++;
        int first = _buckets.Detach(b, out int headFill);

        ulong min = ulong.MaxValue;
        int fill = headFill;
        for (int c = first; c != ChunkBuckets.None; c = _buckets.Next(c), fill = ChunkSize)
        {
            ulong[] keys = _buckets.Keys(c);
            for (int i = 0; i < fill; i++)
            {
                if (keys[i] < min) min = keys[i];
            }
        }

        _last = min;
        Redistribute(first, headFill);
    }

    /// <summary>Pushes the entries of the detached chunk list starting at <paramref name="chunk"/> (whose head chunk
    /// holds <paramref name="fill"/> entries) into the buckets by their highest bit differing from the floor, releasing
    /// each chunk once read.</summary>
    private void Redistribute(int chunk, int fill)
    {
        ulong floor = _last;
        while (chunk != ChunkBuckets.None)
        {
            ulong[] keys = _buckets.Keys(chunk);
            int[] items = _buckets.Items(chunk);
            for (int i = 0; i < fill; i++)
            {
                ulong key = keys[i];
                _buckets.Push(key == floor ? 0 : 64 - BitOperations.LeadingZeroCount(key ^ floor), key, items[i]);
            }

            chunk = _buckets.ReleaseAndNext(chunk);
            fill = ChunkSize;
        }
    }
}
