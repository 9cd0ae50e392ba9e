using System.Runtime.CompilerServices;

namespace Yunlu.Routing.Grid;

/// <summary>
/// The open list of the meet-in-the-middle phase (<see cref="CubeFrontier.RunMeet"/>): a monotone bucket queue over
/// integer keys (Dial 1969) whose near keys live in a ring of <see cref="RingBuckets"/> buckets, each a last-in
/// first-out stack of items in chunks from one shared free list (<see cref="ChunkBuckets"/>), and whose far keys
/// (beyond the ring) wait in a <see cref="ChunkedRadixHeap"/>. A push into the ring is O(1) and an item is never moved
/// again, where the radix heap moved each entry four to five times on the Warframe plateaus (its redistribution was a
/// third of the CPU time).
/// Keys must not fall below the smallest key at the last <see cref="Pop"/> or <see cref="PeekKey"/> (such a key is
/// raised to it); items of one key pop last-in first-out.
/// </summary>
internal sealed class MeetQueue
{
    /// <summary>Ring size: a child's key exceeds its parent's by at most 2·√3 voxels (3 547 keys at 1 024 keys per
    /// voxel), so in the MM phase nearly every push lands in the ring.</summary>
    public const int RingBuckets = 1 << 13;

    private const int Mask = RingBuckets - 1;
    private const int ChunkSize = 1 << 8;

    // Not readonly: a mutable struct, used in place.
    private ChunkBuckets _ring = new(RingBuckets, ChunkSize, withKeys: false);
    private readonly ChunkedRadixHeap _far = new();
    private ulong _cur;
    private long _ringCount;

    /// <summary>Items queued (stale duplicates included).</summary>
    public long Count => _ringCount + _far.Count;

    /// <summary>Chunks allocated (each 1 KiB), for memory reports and tests.</summary>
    public int AllocatedChunks => _ring.AllocatedChunks;

    /// <summary>Empties the queue (keeping the chunks) and resets the floor to 0.</summary>
    public void Clear()
    {
        _ring.Clear();
        _ringCount = 0;
        _cur = 0;
        _far.Clear();
    }

    /// <summary>Empties the queue and drops all but <paramref name="keptChunks"/> chunks (and the far heap's beyond
    /// <paramref name="keptFarChunks"/>).</summary>
    public void Trim(int keptChunks, int keptFarChunks)
    {
        Clear();
        _far.Trim(keptFarChunks);
        _ring.Trim(keptChunks);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(ulong key, int item)
    {
        if (key < _cur) key = _cur;
        if (key - _cur >= RingBuckets)
        {
            // Rare (the MM phase pushes far keys only when it starts): the far heap's floor may have been raised by a
            // peek past this key.
            if (key < _far.Floor) _far.LowerFloor(key);
            _far.Push(key, item);
            return;
        }

        _ring.Push((int)key & Mask, item);
        _ringCount++;
    }

    /// <summary>The smallest key queued (a lower bound of every item's key), <see cref="ulong.MaxValue"/> when
    /// empty.</summary>
    public ulong PeekKey()
    {
        ulong far = _far.Count == 0 ? ulong.MaxValue : _far.PeekKey();
        if (_ringCount == 0) return far;
        Advance(far);
        return Math.Min(_cur, far);
    }

    /// <summary>Removes an item with the smallest key; the queue must not be empty.</summary>
    public int Pop()
    {
        ulong far = _far.Count == 0 ? ulong.MaxValue : _far.PeekKey();
        if (_ringCount == 0)
        {
            // Only far items: the ring is empty, so its floor may move up to the smallest of them.
            _cur = far;
            return _far.Pop();
        }

        Advance(far);
        if (far <= _cur) return _far.Pop();
        int item = _ring.Pop((int)_cur & Mask);
        _ringCount--;
        return item;
    }

    /// <summary>Moves the floor to the first non-empty ring bucket, but never past the smallest far key
    /// <paramref name="far"/> (so the floor stays at or below every queued key); the ring must hold an item.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Advance(ulong far)
    {
        while (_ring.Head((int)_cur & Mask) == ChunkBuckets.None && _cur < far) _cur++;
    }
}
