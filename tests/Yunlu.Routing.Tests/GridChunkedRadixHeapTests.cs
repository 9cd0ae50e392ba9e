using CsCheck;
using Yunlu.Routing.Grid;

namespace Yunlu.Routing.Tests;

public sealed class GridChunkedRadixHeapTests
{
    [Fact]
    public void PushPop_RandomMonotoneSequences_PopsInKeyOrderLikeSortedReference()
    {
        // Enough items to span many 1024-entry chunks; pushes never go below the last popped key (monotone use).
        Gen.Select(Gen.Int, Gen.Int[1, 5000], Gen.Int[0, 40]).Sample((seed, steps, spreadBits) =>
        {
            var rng = new Random(seed);
            var heap = new ChunkedRadixHeap();
            var reference = new PriorityQueue<int, ulong>();
            var keyOf = new Dictionary<int, ulong>();
            ulong last = 0;
            int next = 0;
            for (int round = 0; round < 2; round++)
            {
                for (int s = 0; s < steps; s++)
                {
                    if (reference.Count == 0 || rng.Next(3) != 0)
                    {
                        ulong key = last + (ulong)(rng.NextDouble() * Math.Pow(2, spreadBits));
                        heap.Push(key, next);
                        reference.Enqueue(next, key);
                        keyOf[next++] = key;
                    }
                    else
                    {
                        reference.TryPeek(out _, out ulong expected);
                        int item = heap.Pop();
                        Assert.Equal(expected, keyOf[item]);
                        reference.Remove(item, out _, out _);
                        last = expected;
                    }

                    Assert.Equal(reference.Count, heap.Count);
                }

                while (heap.Count > 0)
                {
                    reference.TryPeek(out _, out ulong expected);
                    int item = heap.Pop();
                    Assert.Equal(expected, keyOf[item]);
                    reference.Remove(item, out _, out _);
                    last = expected;
                }

                // Reuse after a trim must behave like a fresh heap.
                heap.Trim(2);
                Assert.True(heap.AllocatedChunks <= 2);
                last = 0;
            }
        }, iter: 60);
    }

    [Fact]
    public void Pop_KeysEqualToLastPopped_LastInFirstOut()
    {
        var heap = new ChunkedRadixHeap();
        heap.Push(7, -1);
        Assert.Equal(-1, heap.Pop());
        for (int i = 0; i < 3000; i++) heap.Push(7, i); // across three chunks of bucket 0
        for (int i = 2999; i >= 0; i--) Assert.Equal(i, heap.Pop());
        Assert.Equal(0, heap.Count);
    }
}
