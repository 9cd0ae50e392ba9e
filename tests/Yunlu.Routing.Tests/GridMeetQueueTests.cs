using CsCheck;
using Yunlu.Routing.Grid;

namespace Yunlu.Routing.Tests;

public sealed class GridMeetQueueTests
{
    [Fact]
    public void PopAndPeek_MonotonePushesNearAndFar_SmallestKeyFirst()
    {
        // Keys pushed at or above the last popped key, some within the ring, some far beyond it; every pop must return
        // an item of the smallest key queued, and PeekKey must be that key (checked against a sorted reference).
        Gen.Select(Gen.Int, Gen.Int[1, 400]).Sample((seed, operations) =>
        {
            var rng = new Random(seed);
            var queue = new MeetQueue();
            var reference = new SortedDictionary<ulong, int>();
            var keyOf = new Dictionary<int, ulong>();
            ulong last = (ulong)rng.Next(0, 1000);
            int nextItem = 0;
            for (int op = 0; op < operations; op++)
            {
                if (keyOf.Count == 0 || rng.Next(3) != 0)
                {
                    ulong key = last + (rng.Next(4) switch
                    {
                        0 => 0UL,
                        1 => (ulong)rng.Next(0, 16),
                        2 => (ulong)rng.Next(0, MeetQueue.RingBuckets),
                        _ => (ulong)rng.Next(MeetQueue.RingBuckets, 5 * MeetQueue.RingBuckets),
                    });
                    int item = nextItem++;
                    queue.Push(key, item);
                    keyOf[item] = key;
                    reference[key] = reference.GetValueOrDefault(key) + 1;
                }
                else
                {
                    ulong min = reference.Keys.First();
                    Assert.Equal(min, queue.PeekKey());
                    int item = queue.Pop();
                    Assert.Equal(min, keyOf[item]);
                    keyOf.Remove(item);
                    if (--reference[min] == 0) reference.Remove(min);
                    last = min;
                }

                Assert.Equal(keyOf.Count, queue.Count);
            }

            queue.Clear();
            Assert.Equal(0, queue.Count);
            Assert.Equal(ulong.MaxValue, queue.PeekKey());
        }, iter: 300);
    }

    [Fact]
    public void Pop_EqualKeys_LastInFirstOut()
    {
        var queue = new MeetQueue();
        for (int i = 0; i < 600; i++) queue.Push(7, i);
        for (int i = 599; i >= 0; i--) Assert.Equal(i, queue.Pop());
    }

    [Fact]
    public void Trim_AfterLargeUse_KeepsAtMostTheKeptChunksAndStaysUsable()
    {
        var queue = new MeetQueue();
        for (int i = 0; i < 100_000; i++) queue.Push((ulong)(i % 50), i);
        Assert.True(queue.AllocatedChunks > 8);
        queue.Trim(8, 4);
        Assert.Equal(8, queue.AllocatedChunks);
        Assert.Equal(0, queue.Count);
        for (int i = 0; i < 5000; i++) queue.Push(3, i);
        Assert.Equal(4999, queue.Pop());
    }
}
