using CsCheck;
using Yunlu.Routing.Grid;

namespace Yunlu.Routing.Tests;

public sealed class JumpPointSearch3DTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(2.5)]
    [InlineData(double.PositiveInfinity)]
    public void FindPath_RandomSmallGrids_MatchesDijkstra(double band)
    {
        Gen.Select(Gen.Int, Gen.Int[1, 8], Gen.Int[1, 8], Gen.Int[1, 8], Gen.Double[0, 0.55]).Sample((seed, w, h, d, density) =>
        {
            var rng = new Random(seed);
            VoxelGrid grid = Reference.RandomGrid(rng, w, h, d, density);
            var planner = new JumpPointSearch3D(grid) { FBand = band };
            // Several queries per planner: the generation-stamped state must not leak between searches.
            Reference.AssertRandomQueriesMatchDijkstra(rng, grid, planner.FindPath, queries: 6);
        }, iter: 300);
    }

    [Fact]
    public void FindPath_LongSparseGrids_MatchesGridAStar()
    {
        // Rows longer than 64 voxels exercise the word-at-a-time straight scans along X in both directions.
        Gen.Select(Gen.Int, Gen.Int[60, 200], Gen.Int[1, 6], Gen.Int[1, 6], Gen.Double[0, 0.08]).Sample((seed, w, h, d, density) =>
        {
            var rng = new Random(seed);
            VoxelGrid grid = Reference.RandomGrid(rng, w, h, d, density);
            var jps = new JumpPointSearch3D(grid);
            var astar = new GridAStar(grid);
            for (int q = 0; q < 4; q++)
            {
                GridPoint s = Reference.RandomPoint(rng, grid), g = Reference.RandomPoint(rng, grid);
                GridPath expected = astar.FindPath(s, g, TestContext.Current.CancellationToken);
                GridPath path = jps.FindPath(s, g, TestContext.Current.CancellationToken);
                Assert.Equal(expected.Found, path.Found);
                if (!path.Found) continue;
                Assert.Equal(expected.LengthVoxels, path.LengthVoxels, 9);
                Reference.AssertValidPath(grid, path, s, g);
            }
        }, iter: 150);
    }

    [Theory]
    [InlineData("Simple")]
    [InlineData("Complex")]
    public void FindPath_MapFirst50Problems_MatchPublishedOptimum(string map) =>
        Reference.AssertMapProblemsMatchPublishedOptimum(map, grid => new JumpPointSearch3D(grid).FindPath);

    [Fact]
    public void Successors_ObstacleFreeNeighbourhood_AreTheMoveAndItsComponents()
    {
        for (int d = 0; d < 26; d++)
        {
            int expected = 0;
            for (int c = 0; c < 26; c++)
            {
                bool component = (GridMoves.Dx[c] == 0 || GridMoves.Dx[c] == GridMoves.Dx[d]) &&
                                 (GridMoves.Dy[c] == 0 || GridMoves.Dy[c] == GridMoves.Dy[d]) &&
                                 (GridMoves.Dz[c] == 0 || GridMoves.Dz[c] == GridMoves.Dz[d]);
                if (component) expected |= 1 << c;
            }

            Assert.Equal(expected, JpsSuccessors.Compute(d, JpsSuccessors.AllFree));
        }
    }

    [Fact]
    public void Successors_StraightMoveWithBlockedVoxelBehindSide_ForcesTheSideMove()
    {
        // Arrived by +X; the voxel at (−1, +1, 0) relative to n (beside the parent) is blocked, so +Y from n is forced:
        // the parent cannot reach n + Y by the diagonal or by going round.
        int dPlusX = Move(1, 0, 0), dPlusY = Move(0, 1, 0);
        int free = JpsSuccessors.AllFree & ~(1 << (0 + (3 * 2) + (9 * 1)));
        int succ = new JpsSuccessors().Get(dPlusX, free);
        Assert.NotEqual(0, succ & (1 << dPlusY));
        Assert.Equal(0, JpsSuccessors.SuccessorsAllFree[dPlusX] & (1 << dPlusY));
    }

    [Fact]
    public void FindPath_BlockedEndsAndEnclosedGoal_NotFound()
    {
        var grid = new VoxelGrid(5, 5, 5);
        for (int x = 1; x <= 3; x++)
            for (int y = 1; y <= 3; y++)
                for (int z = 1; z <= 3; z++)
                    if (x != 2 || y != 2 || z != 2) grid.SetBlocked(x, y, z);
        var planner = new JumpPointSearch3D(grid);
        Assert.False(planner.FindPath(new GridPoint(0, 0, 0), new GridPoint(2, 2, 2), TestContext.Current.CancellationToken).Found);
        Assert.False(planner.FindPath(new GridPoint(1, 1, 1), new GridPoint(0, 0, 0), TestContext.Current.CancellationToken).Found);
        Assert.False(planner.FindPath(new GridPoint(0, 0, 0), new GridPoint(5, 0, 0), TestContext.Current.CancellationToken).Found);
        Assert.True(planner.FindPath(new GridPoint(4, 4, 4), new GridPoint(4, 4, 4), TestContext.Current.CancellationToken).Found);
    }

    [Fact]
    public void RadixHeap_MonotonePushesAndPops_ComeOutInKeyOrder()
    {
        Gen.Select(Gen.Int[1, 400], Gen.Int).Sample((n, seed) =>
        {
            var rng = new Random(seed);
            var heap = new RadixHeap();
            var keyOf = new ulong[n];
            var sorted = new List<ulong>();
            ulong last = 0;
            for (int i = 0; i < n; i++)
            {
                // Interleave pushes (never below the last popped key) and pops.
                keyOf[i] = last + (ulong)rng.Next(0, 1 << rng.Next(1, 30));
                heap.Push(keyOf[i], i);
                sorted.Add(keyOf[i]);
                if (rng.Next(3) == 0)
                {
                    sorted.Sort();
                    ulong expected = sorted[0];
                    sorted.RemoveAt(0);
                    Assert.Equal(expected, keyOf[heap.Pop()]);
                    last = expected;
                }
            }

            sorted.Sort();
            foreach (ulong expected in sorted) Assert.Equal(expected, keyOf[heap.Pop()]);
            Assert.Equal(0, heap.Count);
        }, iter: 200);
    }

    private static int Move(int dx, int dy, int dz)
    {
        for (int d = 0; d < 26; d++)
        {
            if (GridMoves.Dx[d] == dx && GridMoves.Dy[d] == dy && GridMoves.Dz[d] == dz) return d;
        }

        throw new ArgumentException("not a move");
    }
}
