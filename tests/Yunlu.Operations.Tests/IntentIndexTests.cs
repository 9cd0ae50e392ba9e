using CsCheck;
using Yunlu.Airspace.Operations;
using Yunlu.Geo;

namespace Yunlu.Operations.Tests;

public sealed class IntentIndexTests
{
    private static IntentIndexOptions SmallCells => new() { CellSizeM = 200, BucketDuration = TimeSpan.FromMinutes(5), MaxCellsPerVolume = 8 };

    [Fact]
    public void Query_RandomSetsWithDeletesAndExpiry_EqualsBruteForce()
    {
        int total = 0;
        Gen.Select(Gen.Int, Gen.Int[5, 120], Gen.Bool).Sample((seed, n, small) =>
        {
            var r = new Random(seed);
            using var index = new IntentIndex(small ? SmallCells : null);
            var live = new Dictionary<Guid, Volume4D[]>();
            for (int i = 0; i < n; i++)
            {
                var vols = new Volume4D[1 + r.Next(3)];
                for (int k = 0; k < vols.Length; k++)
                {
                    vols[k] = TestData.RandomVolume(r);
                }

                var id = Guid.NewGuid();
                index.Add(id, IntentPriority.Normal, vols);
                live[id] = vols;
            }

            // Delete some, then let time pass.
            foreach (Guid id in live.Keys.Where(_ => r.Next(4) == 0).ToList())
            {
                Assert.True(index.Remove(id));
                live.Remove(id);
            }

            DateTimeOffset now = TestData.T0.AddMinutes(r.Next(0, 60));
            index.EvictEndedBefore(now);
            foreach (Guid id in live.Keys.Where(id => live[id].Max(v => v.Time.End) <= now).ToList())
            {
                live.Remove(id);
            }

            Assert.Equal(live.Count, index.IntentCount);
            var hits = new List<IndexHit>();
            for (int q = 0; q < 20; q++)
            {
                Volume4D query = TestData.RandomVolume(r);
                hits.Clear();
                index.Query(query, hits);
                var got = hits.Select(h => (h.IntentId, h.VolumeIndex)).OrderBy(x => x).ToList();
                var want = live.SelectMany(kv => kv.Value.Select((v, i) => (kv.Key, i, v)))
                    .Where(t => query.Intersects(t.v)).Select(t => (t.Key, t.i)).OrderBy(x => x).ToList();
                Assert.Equal(want, got);
                Interlocked.Add(ref total, want.Count);
            }
        }, iter: 150);
        Assert.True(total > 500, $"the generator should produce many intersections, got {total}");
    }

    [Fact]
    public void Query_TouchingInTimeOrAltitude_IsNotOverlap()
    {
        using var index = new IntentIndex();
        var id = Guid.NewGuid();
        index.Add(id, IntentPriority.Normal, [TestData.Box(106.70, 26.60, 106.71, 26.61, 1000, 1030, 0, 10)]);
        var hits = new List<IndexHit>();
        index.Query(TestData.Box(106.70, 26.60, 106.71, 26.61, 1000, 1030, 10, 20), hits);
        index.Query(TestData.Box(106.70, 26.60, 106.71, 26.61, 1030, 1060, 0, 10), hits);
        Assert.Empty(hits);
        index.Query(TestData.Box(106.71, 26.60, 106.72, 26.61, 1000, 1030, 0, 10), hits);
        Assert.Single(hits); // footprints are closed: sharing an edge intersects
    }

    [Fact]
    public void Query_LargeAndLongVolume_FoundFromHigherLevel()
    {
        using var index = new IntentIndex();
        var big = Guid.NewGuid();
        index.Add(big, IntentPriority.Emergency, [TestData.Box(106.0, 26.0, 107.0, 27.0, 900, 2000, 0, 60 * 24 * 10)]);
        var hits = new List<IndexHit>();
        index.Query(TestData.Box(106.5, 26.5, 106.501, 26.501, 1000, 1030, 60 * 24 * 5, (60 * 24 * 5) + 10), hits);
        IndexHit h = Assert.Single(hits);
        Assert.Equal(big, h.IntentId);
        Assert.Equal(IntentPriority.Emergency, h.Priority);
    }

    [Fact]
    public void Query_CircleAcrossAntimeridian_EqualsBruteForce()
    {
        using var index = new IntentIndex();
        Volume4D east = TestData.Vol(new CircleFootprint(new GeoPoint(179.999, 10), 2000), 0, 100, TestData.T0, TestData.T0.AddHours(1));
        Volume4D west = TestData.Vol(new PolygonFootprint(TestData.Rect(-179.999, 9.99, -179.99, 10.01)), 0, 100, TestData.T0, TestData.T0.AddHours(1));
        index.Add(Guid.NewGuid(), IntentPriority.Normal, [west]);
        var hits = new List<IndexHit>();
        index.Query(east, hits);
        Assert.Equal(east.Intersects(west) ? 1 : 0, hits.Count);
    }

    [Fact]
    public void Add_NonW84Volume_Throws()
    {
        using var index = new IntentIndex();
        var v = new Volume4D(new Volume3D(new CircleFootprint(new GeoPoint(106.7, 26.6), 100), Altitude.Agl(0), Altitude.Agl(30)), new TimeWindow(TestData.T0, TestData.T0.AddMinutes(5)));
        ArgumentException e = Assert.Throws<ArgumentException>(() => index.Add(Guid.NewGuid(), IntentPriority.Normal, [v]));
        Assert.Contains("W84", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_SameIdTwice_ReplacesVolumes()
    {
        using var index = new IntentIndex();
        var id = Guid.NewGuid();
        index.Add(id, IntentPriority.Normal, [TestData.Box(106.70, 26.60, 106.71, 26.61, 1000, 1030, 0, 10)]);
        index.Add(id, IntentPriority.Normal, [TestData.Box(106.80, 26.60, 106.81, 26.61, 1000, 1030, 0, 10)]);
        var hits = new List<IndexHit>();
        index.Query(TestData.Box(106.70, 26.60, 106.71, 26.61, 1000, 1030, 0, 10), hits);
        Assert.Empty(hits);
        Assert.Equal(1, index.VolumeCount);
    }
}
