using System.Numerics;
using System.Runtime.CompilerServices;

namespace Yunlu.Routing.Grid;

/// <summary>
/// The monotone radix heap of <see cref="RadixHeap"/> (Ahuja, Mehlhorn, Orlin &amp; Tarjan 1990; 65 buckets by the
/// highest bit differing from the last popped key) with its buckets stored as linked chunks of 1024 entries drawn
/// from one shared free list. A bucket that empties returns its chunks, so the memory held is the number of live
/// entries (plus one partly filled chunk per bucket), not the sum of every bucket's peak size; growing never copies.
/// Keys must not fall below the last popped key; a smaller key is raised to it. Keys pushed equal to the last popped
/// key pop last-in first-out.
/// </summary>
internal sealed class ChunkedRadixHeap
{
    private const int ChunkShift = 10;
    private const int ChunkSize = 1 << ChunkShift;
    private const int None = -1;

    private ulong[][] _chunkKeys = new ulong[64][];
    private int[][] _chunkItems = new int[64][];
    private int[] _next = new int[64];
    private int _chunks;
    private int _free = None;

    private readonly int[] _head = new int[65];
    private readonly int[] _fill = new int[65];
    private ulong _last;
    private long _count;

    public ChunkedRadixHeap()
    {
        Array.Fill(_head, None);
    }

    public long Count => _count;

    /// <summary>Chunks allocated (each 12 KiB), for memory reports and tests.</summary>
    public int AllocatedChunks => _chunks;

    /// <summary>Empties the queue (keeping every chunk for reuse) and resets the monotone floor to 0.</summary>
    public void Clear()
    {
        for (int b = 0; b < 65; b++)
        {
            int c = _head[b];
            while (c != None)
            {
                int n = _next[c];
                Release(c);
                c = n;
            }

            _head[b] = None;
            _fill[b] = 0;
        }

        _last = 0;
        _count = 0;
    }

    /// <summary>Empties the queue and drops all but <paramref name="keptChunks"/> chunks.</summary>
    public void Trim(int keptChunks)
    {
        Clear();
        if (_chunks <= keptChunks) return;
        for (int c = keptChunks; c < _chunks; c++)
        {
            _chunkKeys[c] = null!;
            _chunkItems[c] = null!;
        }

        _chunks = keptChunks;
        _free = None;
        for (int c = keptChunks - 1; c >= 0; c--)
        {
            _next[c] = _free;
            _free = c;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(ulong key, int item)
    {
        if (key < _last) key = _last;
        int b = key == _last ? 0 : 64 - BitOperations.LeadingZeroCount(key ^ _last);
        Add(b, key, item);
        _count++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Add(int b, ulong key, int item)
    {
        int f = _fill[b];
        int c = _head[b];
        if (f == ChunkSize || c == None)
        {
            int n = Take();
            _next[n] = c;
            _head[b] = c = n;
            f = 0;
        }

        _chunkKeys[c][f] = key;
        _chunkItems[c][f] = item;
        _fill[b] = f + 1;
    }

    /// <summary>Removes an item with the smallest key; the queue must not be empty.</summary>
    public int Pop()
    {
        if (_head[0] == None) Refill();
        int c = _head[0];
        int f = _fill[0] - 1;
        int item = _chunkItems[c][f];
        if (f == 0)
        {
            _head[0] = _next[c];
            _fill[0] = ChunkSize;
            Release(c);
        }
        else
        {
            _fill[0] = f;
        }

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
        int[] heads = (int[])_head.Clone();
        int[] fills = (int[])_fill.Clone();
        Array.Fill(_head, None);
        Array.Clear(_fill);
        for (int b = 0; b < 65; b++)
        {
            int fill = fills[b];
            int chunk = heads[b];
            while (chunk != None)
            {
                ulong[] keys = _chunkKeys[chunk];
                int[] items = _chunkItems[chunk];
                for (int i = 0; i < fill; i++)
                {
                    ulong key = keys[i];
                    Add(key == floor ? 0 : 64 - BitOperations.LeadingZeroCount(key ^ floor), key, items[i]);
                }

                int next = _next[chunk];
                Release(chunk);
                chunk = next;
                fill = ChunkSize;
            }
        }
    }

    /// <summary>The smallest key in the queue (entries deleted lazily by the caller included), or
    /// <see cref="ulong.MaxValue"/> when the queue is empty. Moves the smallest keys into the pop bucket.</summary>
    public ulong PeekKey()
    {
        if (_count == 0) return ulong.MaxValue;
        if (_head[0] == None) Refill();
        return _last;
    }

    /// <summary>Copies every item (in no particular order) into <paramref name="items"/>, growing it when needed,
    /// empties the queue and resets the monotone floor to 0; returns the number of items.</summary>
    public int Drain(ref int[] items)
    {
        if (items.Length < _count) items = new int[Math.Max(_count, items.Length * 2L)];
        int n = 0;
        for (int b = 0; b < 65; b++)
        {
            int fill = _fill[b];
            for (int c = _head[b]; c != None; c = _next[c], fill = ChunkSize)
            {
                _chunkItems[c].AsSpan(0, fill).CopyTo(items.AsSpan(n));
                n += fill;
            }
        }

        Clear();
        return n;
    }

    private void Refill()
    {
        int b = 1;
        while (_head[b] == None) b++;
        int first = _head[b];
        int headFill = _fill[b];
        _head[b] = None;
        _fill[b] = 0;

        ulong min = ulong.MaxValue;
        int fill = headFill;
        for (int c = first; c != None; c = _next[c], fill = ChunkSize)
        {
            ulong[] keys = _chunkKeys[c];
            for (int i = 0; i < fill; i++)
            {
                if (keys[i] < min) min = keys[i];
            }
        }

        _last = min;
        fill = headFill;
        int chunk = first;
        while (chunk != None)
        {
            ulong[] keys = _chunkKeys[chunk];
            int[] items = _chunkItems[chunk];
            for (int i = 0; i < fill; i++)
            {
                ulong key = keys[i];
                int t = key == min ? 0 : 64 - BitOperations.LeadingZeroCount(key ^ min);
                Add(t, key, items[i]);
            }

            int next = _next[chunk];
            Release(chunk);
            chunk = next;
            fill = ChunkSize;
        }
    }

    private int Take()
    {
        if (_free != None)
        {
            int c = _free;
            _free = _next[c];
            return c;
        }

        if (_chunks == _next.Length)
        {
            Array.Resize(ref _chunkKeys, _chunks * 2);
            Array.Resize(ref _chunkItems, _chunks * 2);
            Array.Resize(ref _next, _chunks * 2);
        }

        int n = _chunks++;
        _chunkKeys[n] = new ulong[ChunkSize];
        _chunkItems[n] = new int[ChunkSize];
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Release(int c)
    {
        _next[c] = _free;
        _free = c;
    }
}
