using System.Numerics;
using System.Runtime.CompilerServices;

namespace Yunlu.Routing.Grid;

/// <summary>
/// A monotone priority queue on 64-bit keys (radix heap; Ahuja, Mehlhorn, Orlin &amp; Tarjan 1990): 65 buckets,
/// bucket i &gt; 0 holding keys whose highest bit differing from the last popped key is bit i − 1. Push is O(1);
/// a pop that finds bucket 0 empty redistributes the lowest non-empty bucket into lower ones, so each item moves at
/// most 64 times and every access is sequential. Keys must not fall below the last popped key; a smaller key is
/// raised to it (callers use this only for floating-point rounding of a consistent heuristic's f).
/// </summary>
internal sealed class RadixHeap
{
    private readonly ulong[][] _keys = new ulong[65][];
    private readonly int[][] _items = new int[65][];
    private readonly int[] _counts = new int[65];
    private ulong _last;
    private long _count;

    public RadixHeap()
    {
        for (int i = 0; i < 65; i++)
        {
            _keys[i] = new ulong[16];
            _items[i] = new int[16];
        }
    }

    public long Count => _count;

    /// <summary>Empties the queue and resets the monotone floor to 0.</summary>
    public void Clear()
    {
        Array.Clear(_counts);
        _last = 0;
        _count = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(ulong key, int item)
    {
        if (key < _last) key = _last;
        int b = key == _last ? 0 : 64 - BitOperations.LeadingZeroCount(key ^ _last);
        int n = _counts[b];
        if (n == _keys[b].Length) Grow(b);
        _keys[b][n] = key;
        _items[b][n] = item;
        _counts[b] = n + 1;
        _count++;
    }

    /// <summary>
    /// Empties the queue and gives back the memory of every bucket grown beyond <paramref name="keptPerBucket"/> items
    /// (so one huge search does not leave the buckets at their peak size).
    /// </summary>
    public void Trim(int keptPerBucket)
    {
        Clear();
        for (int i = 0; i < 65; i++)
        {
            if (_keys[i].Length <= keptPerBucket) continue;
            _keys[i] = new ulong[keptPerBucket];
            _items[i] = new int[keptPerBucket];
        }
    }

    /// <summary>Removes an item with the smallest key; the queue must not be empty.</summary>
    public int Pop()
    {
        if (_counts[0] == 0) Refill();
        _count--;
        return _items[0][--_counts[0]];
    }

    private void Refill()
    {
        int b = 1;
        while (_counts[b] == 0) b++;
        ulong[] keys = _keys[b];
        int[] items = _items[b];
        int n = _counts[b];
        ulong min = ulong.MaxValue;
        for (int i = 0; i < n; i++)
        {
            if (keys[i] < min) min = keys[i];
        }

        _last = min;
        _counts[b] = 0;
        for (int i = 0; i < n; i++)
        {
            ulong key = keys[i];
            int t = key == min ? 0 : 64 - BitOperations.LeadingZeroCount(key ^ min);
            int c = _counts[t];
            if (c == _keys[t].Length) Grow(t);
            _keys[t][c] = key;
            _items[t][c] = items[i];
            _counts[t] = c + 1;
        }
    }

    private void Grow(int b)
    {
        Array.Resize(ref _keys[b], _keys[b].Length * 2);
        Array.Resize(ref _items[b], _items[b].Length * 2);
    }
}
