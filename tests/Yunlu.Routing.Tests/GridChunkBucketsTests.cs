using CsCheck;
using Yunlu.Routing.Grid;

namespace Yunlu.Routing.Tests;

public sealed class GridChunkBucketsTests
{
    [Fact]
    public void Operations_RandomPushPopClearTrimDetach_MatchStackPerBucketReferenceAndReuseChunks()
    {
        // Small chunks and few buckets so that chunks fill, empty, go back to the free list and are taken again many
        // times. The reference is one stack per bucket; the chunk count must equal the peak number of chunks in use
        // (a new chunk only when the free list is empty), cut back only by Trim.
        Gen.Select(Gen.Int, Gen.Int[1, 5], Gen.Int[1, 6], Gen.Int[1, 600]).Sample((seed, buckets, chunkSize, steps) =>
        {
            var rng = new Random(seed);
            var lists = new ChunkBuckets(buckets, chunkSize, withKeys: true);
            var reference = new List<(ulong Key, int Item)>[buckets];
            for (int b = 0; b < buckets; b++) reference[b] = [];
            int expectedAllocated = 0;
            int next = 0;
            for (int s = 0; s < steps; s++)
            {
                int b = rng.Next(buckets);
                int op = rng.Next(40);
                if (op == 0)
                {
                    lists.Clear();
                    foreach (var r in reference) r.Clear();
                }
                else if (op == 1)
                {
                    int kept = rng.Next(0, 4);
                    lists.Trim(kept);
                    foreach (var r in reference) r.Clear();
                    expectedAllocated = Math.Min(expectedAllocated, kept);
                }
                else if (op == 2)
                {
                    // Detach one bucket, walk its chunks (releasing each), and push the entries back in walk order.
                    var walked = new List<(ulong Key, int Item)>();
                    int chunk = lists.Detach(b, out int fill);
                    Assert.Equal(ChunkBuckets.None, lists.Head(b));
                    Assert.Equal(0, lists.Fill(b));
                    while (chunk != ChunkBuckets.None)
                    {
                        ulong[] keys = lists.Keys(chunk);
                        int[] items = lists.Items(chunk);
                        for (int i = 0; i < fill; i++) walked.Add((keys[i], items[i]));
                        chunk = lists.ReleaseAndNext(chunk);
                        fill = chunkSize;
                    }

                    Assert.Equal(reference[b].Count, walked.Count);
                    foreach (var e in walked) lists.Push(b, e.Key, e.Item);
                    reference[b].Clear();
                    reference[b].AddRange(walked);
                }
                else if (reference[b].Count > 0 && op % 3 == 0)
                {
                    var expected = reference[b][^1];
                    reference[b].RemoveAt(reference[b].Count - 1);
                    Assert.Equal(expected.Item, lists.Pop(b));
                }
                else
                {
                    int item = next++;
                    ulong key = (ulong)rng.NextInt64();
                    lists.Push(b, key, item);
                    reference[b].Add((key, item));
                }

                int inUse = 0;
                for (int k = 0; k < buckets; k++)
                {
                    Assert.Equal(StackTopFirst(reference[k]), Walk(lists, k));
                    inUse += (reference[k].Count + chunkSize - 1) / chunkSize;
                }

                Assert.Equal(inUse, lists.ChunksInUse);
                expectedAllocated = Math.Max(expectedAllocated, inUse);
                Assert.Equal(expectedAllocated, lists.AllocatedChunks);
            }
        }, iter: 200);
    }

    [Fact]
    public void CopyItemsTo_SeveralBuckets_CopiesBucketByBucketHeadChunkFirstWithoutChangingThem()
    {
        var lists = new ChunkBuckets(3, 4, withKeys: false);
        for (int i = 0; i < 9; i++) lists.Push(0, i);
        for (int i = 100; i < 102; i++) lists.Push(2, i);
        var copy = new int[11];

        int n = lists.CopyItemsTo(copy);

        Assert.Equal(11, n);
        Assert.Equal([8, 4, 5, 6, 7, 0, 1, 2, 3, 100, 101], copy);
        Assert.Equal(101, lists.Pop(2));
        Assert.Equal(8, lists.Pop(0));
        Assert.Equal(7, lists.Pop(0));
    }

    [Fact]
    public void DetachAll_FilledBuckets_HandsOverEveryListAndLeavesBucketsEmpty()
    {
        var lists = new ChunkBuckets(2, 2, withKeys: true);
        for (int i = 0; i < 5; i++) lists.Push(1, (ulong)(10 * i), i);
        Span<int> heads = stackalloc int[2];
        Span<int> fills = stackalloc int[2];

        lists.DetachAll(heads, fills);

        Assert.Equal(ChunkBuckets.None, heads[0]);
        Assert.Equal(0, fills[0]);
        Assert.Equal(1, fills[1]);
        Assert.Equal(ChunkBuckets.None, lists.Head(1));
        Assert.Equal(0, lists.Fill(1));
        Assert.Equal(40UL, lists.Keys(heads[1])[0]);
        Assert.Equal(4, lists.Items(heads[1])[0]);
        int chunks = 0;
        for (int c = heads[1]; c != ChunkBuckets.None; c = lists.ReleaseAndNext(c)) chunks++;
        Assert.Equal(3, chunks);

        // The three released chunks are taken again before any new one is allocated.
        for (int i = 0; i < 6; i++) lists.Push(0, 0, i);
        Assert.Equal(3, lists.AllocatedChunks);
    }

    [Fact]
    public void Constructor_NoBucketsOrEmptyChunks_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChunkBuckets(0, 4, withKeys: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChunkBuckets(4, 0, withKeys: false));
    }

    /// <summary>A bucket's entries from the top of its stack down, read through the chunk list.</summary>
    private static List<(ulong Key, int Item)> Walk(ChunkBuckets lists, int bucket)
    {
        var entries = new List<(ulong Key, int Item)>();
        int fill = lists.Fill(bucket);
        if (lists.Head(bucket) == ChunkBuckets.None) Assert.Equal(0, fill);
        for (int c = lists.Head(bucket); c != ChunkBuckets.None; c = lists.Next(c), fill = lists.ChunkSize)
        {
            Assert.InRange(fill, 1, lists.ChunkSize);
            for (int i = fill - 1; i >= 0; i--) entries.Add((lists.Keys(c)[i], lists.Items(c)[i]));
        }

        return entries;
    }

    private static List<(ulong Key, int Item)> StackTopFirst(List<(ulong Key, int Item)> stack)
    {
        var top = new List<(ulong Key, int Item)>(stack);
        top.Reverse();
        return top;
    }
}
