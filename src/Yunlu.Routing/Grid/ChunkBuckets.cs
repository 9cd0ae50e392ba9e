using System.Runtime.CompilerServices;

namespace Yunlu.Routing.Grid;

/// <summary>
/// The bucket storage shared by <see cref="MeetQueue"/> and <see cref="ChunkedRadixHeap"/>: a fixed number of
/// buckets, each a last-in first-out stack of entries kept in a linked list of fixed-size chunks, all chunks drawn
/// from one free list. A bucket that empties returns its chunks to the free list, so the memory held follows the live
/// entries (plus one partly filled chunk per bucket), and growing never copies an entry. Each entry is an
/// <see cref="int"/> item, optionally with a <see cref="ulong"/> key beside it (in a parallel chunk).
/// </summary>
/// <remarks>
/// A mutable struct so that the queue that holds it (as a non-readonly field, never copied) reaches the arrays
/// without an extra indirection on its hot path. Invariant: a bucket's fill (entries in its head chunk) is 0 when the
/// bucket is empty and 1 to the chunk size otherwise; every chunk after the head is full.
/// </remarks>
internal struct ChunkBuckets
{
    /// <summary>The end of a chunk list (no chunk).</summary>
    public const int None = -1;

    private readonly int _chunkSize;
    private readonly bool _withKeys;
    private readonly int[] _head;
    private readonly int[] _fill;
    private int[][] _items;
    private ulong[][] _keys;
    private int[] _next;
    private int _chunks;
    private int _used;
    private int _free;

    /// <summary>Empty buckets, no chunks allocated yet.</summary>
    /// <param name="buckets">Number of buckets (≥ 1).</param>
    /// <param name="chunkSize">Entries per chunk (≥ 1).</param>
    /// <param name="withKeys">Whether each entry carries a <see cref="ulong"/> key beside its item.</param>
    public ChunkBuckets(int buckets, int chunkSize, bool withKeys)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        _chunkSize = chunkSize;
        _withKeys = withKeys;
        _head = new int[buckets];
        _fill = new int[buckets];
        Array.Fill(_head, None);
        _items = new int[64][];
        _keys = withKeys ? new ulong[64][] : [];
        _next = new int[64];
        _chunks = 0;
        _used = 0;
        _free = None;
    }

    /// <summary>Chunks allocated (free or in use).</summary>
    public readonly int AllocatedChunks => _chunks;

    /// <summary>Chunks taken from the free list and not yet released (in buckets or detached).</summary>
    public readonly int ChunksInUse => _used;

    /// <summary>Number of buckets.</summary>
    public readonly int BucketCount => _head.Length;

    /// <summary>Entries per chunk.</summary>
    public readonly int ChunkSize => _chunkSize;

    /// <summary>The head (most recently started) chunk of bucket <paramref name="bucket"/>, or <see cref="None"/>
    /// when the bucket is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int Head(int bucket) => _head[bucket];

    /// <summary>Entries in the head chunk of bucket <paramref name="bucket"/> (0 when empty).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int Fill(int bucket) => _fill[bucket];

    /// <summary>The chunk after <paramref name="chunk"/> in its bucket (every later chunk is full).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int Next(int chunk) => _next[chunk];

    /// <summary>The items of chunk <paramref name="chunk"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int[] Items(int chunk) => _items[chunk];

    /// <summary>The keys of chunk <paramref name="chunk"/> (only with keys).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ulong[] Keys(int chunk) => _keys[chunk];

    /// <summary>Pushes <paramref name="item"/> onto bucket <paramref name="bucket"/> (buckets without keys).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(int bucket, int item)
    {
        int c = Reserve(bucket, out int slot);
        _items[c][slot] = item;
    }

    /// <summary>Pushes <paramref name="item"/> with <paramref name="key"/> onto bucket <paramref name="bucket"/>
    /// (buckets with keys).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(int bucket, ulong key, int item)
    {
        int c = Reserve(bucket, out int slot);
        _keys[c][slot] = key;
        _items[c][slot] = item;
    }

    /// <summary>Removes and returns the item last pushed onto bucket <paramref name="bucket"/>, which must not be
    /// empty; an emptied head chunk goes back to the free list.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Pop(int bucket)
    {
        int c = _head[bucket];
        int f = _fill[bucket] - 1;
        int item = _items[c][f];
        if (f == 0)
        {
            int n = _next[c];
            _head[bucket] = n;
            _fill[bucket] = n == None ? 0 : _chunkSize;
            Release(c);
        }
        else
        {
            _fill[bucket] = f;
        }

        return item;
    }

    /// <summary>Takes the whole chunk list of bucket <paramref name="bucket"/> out (the bucket is left empty);
    /// returns its head chunk and sets <paramref name="fill"/> to the head chunk's entries. The caller walks the list
    /// with <see cref="ReleaseAndNext"/>.</summary>
    public int Detach(int bucket, out int fill)
    {
        int first = _head[bucket];
        fill = _fill[bucket];
        _head[bucket] = None;
        _fill[bucket] = 0;
        return first;
    }

    /// <summary>Takes every bucket's chunk list out at once (all buckets are left empty): the heads and fills go to
    /// <paramref name="heads"/> and <paramref name="fills"/> (each at least <see cref="BucketCount"/> long).</summary>
    public void DetachAll(Span<int> heads, Span<int> fills)
    {
        _head.CopyTo(heads);
        _fill.CopyTo(fills);
        Array.Fill(_head, None);
        Array.Clear(_fill);
    }

    /// <summary>Returns detached chunk <paramref name="chunk"/> to the free list (its entries stay readable until the
    /// next push) and returns the chunk after it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReleaseAndNext(int chunk)
    {
        int n = _next[chunk];
        Release(chunk);
        return n;
    }

    /// <summary>Copies every item (bucket by bucket, each from its head chunk on) into
    /// <paramref name="destination"/>, which must hold them all; returns the number copied. The buckets are not
    /// changed.</summary>
    public readonly int CopyItemsTo(Span<int> destination)
    {
        int n = 0;
        for (int b = 0; b < _head.Length; b++)
        {
            int fill = _fill[b];
            for (int c = _head[b]; c != None; c = _next[c], fill = _chunkSize)
            {
                _items[c].AsSpan(0, fill).CopyTo(destination[n..]);
                n += fill;
            }
        }

        return n;
    }

    /// <summary>Empties every bucket, keeping every chunk for reuse; costs nothing when no chunk is in use (so an
    /// empty queue with many buckets clears at once).</summary>
    public void Clear()
    {
        if (_used == 0) return;
        for (int b = 0; b < _head.Length; b++)
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
    }

    /// <summary>Empties every bucket and drops all but <paramref name="keptChunks"/> chunks (detached chunks not yet
    /// released must not be used afterwards).</summary>
    public void Trim(int keptChunks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keptChunks);
        Clear();
        if (_chunks <= keptChunks) return;
        for (int c = keptChunks; c < _chunks; c++)
        {
            _items[c] = null!;
            if (_withKeys) _keys[c] = null!;
        }

        _chunks = keptChunks;
        _used = 0;
        _free = None;
        for (int c = keptChunks - 1; c >= 0; c--)
        {
            _next[c] = _free;
            _free = c;
        }
    }

    /// <summary>The chunk and slot for one more entry on bucket <paramref name="bucket"/>, starting a new head chunk
    /// when the head is full or the bucket is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Reserve(int bucket, out int slot)
    {
        int f = _fill[bucket];
        int c = _head[bucket];
        if (f == _chunkSize || c == None)
        {
            int n = Take();
            _next[n] = c;
            _head[bucket] = c = n;
            f = 0;
        }

        _fill[bucket] = f + 1;
        slot = f;
        return c;
    }

    private int Take()
    {
        _used++;
        if (_free != None)
        {
            int c = _free;
            _free = _next[c];
            return c;
        }

        if (_chunks == _next.Length)
        {
            Array.Resize(ref _items, _chunks * 2);
            if (_withKeys) Array.Resize(ref _keys, _chunks * 2);
            Array.Resize(ref _next, _chunks * 2);
        }

        int n = _chunks++;
        _items[n] = new int[_chunkSize];
        if (_withKeys) _keys[n] = new ulong[_chunkSize];
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Release(int chunk)
    {
        _used--;
        _next[chunk] = _free;
        _free = chunk;
    }
}
