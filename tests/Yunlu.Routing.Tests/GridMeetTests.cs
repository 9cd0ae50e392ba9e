using CsCheck;
using Yunlu.Routing.Grid;

namespace Yunlu.Routing.Tests;

/// <summary>
/// The hybrid engine (race, then meet-in-the-middle) on one and two threads, with race budgets so small that the MM
/// phase, its stop test and the joined paths do the work on small grids, against plain Dijkstra.
/// </summary>
public sealed class GridMeetTests
{
    private static GridAStar Planner(VoxelGrid grid, int threads, long meetAfter) =>
        new(grid) { Threads = threads, MeetAfterExpansions = meetAfter, ParallelAfterExpansions = Math.Min(meetAfter, 3) };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void FindPath_MeetPhaseOnRandomSmallGrids_MatchesDijkstra(int threads)
    {
        Gen.Select(Gen.Int, Gen.Int[1, 8], Gen.Int[1, 8], Gen.Int[1, 8], Gen.Double[0, 0.55], Gen.OneOfConst(0L, 1L, 7L, 40L)).Sample(
            (seed, w, h, d, density, meetAfter) =>
            {
                var rng = new Random(seed);
                VoxelGrid grid = Reference.RandomGrid(rng, w, h, d, density);
                // Several queries on one planner: the switched state of one search must not leak into the next.
                Reference.AssertRandomQueriesMatchDijkstra(rng, grid, Planner(grid, threads, meetAfter).FindPath, queries: 5);
            }, iter: 300);
    }

    [Fact]
    public void FindPath_TwoThreadsRepeatedOnClutteredGrids_AlwaysMatchesDijkstra()
    {
        // Races are intermittent: many searches over larger grids, where both threads run long enough to interleave.
        Gen.Select(Gen.Int, Gen.Int[6, 14], Gen.Int[6, 14], Gen.Int[6, 14], Gen.Double[0, 0.4], Gen.OneOfConst(0L, 1L, 7L, 100L)).Sample(
            (seed, w, h, d, density, meetAfter) =>
            {
                var rng = new Random(seed);
                VoxelGrid grid = Reference.RandomGrid(rng, w, h, d, density);
                Reference.AssertRandomQueriesMatchDijkstra(rng, grid, Planner(grid, 2, meetAfter).FindPath, queries: 4);
            }, iter: 400);
    }

    [Theory]
    [InlineData(1, 0L)]
    [InlineData(1, 50L)]
    [InlineData(2, 0L)]
    [InlineData(2, 50L)]
    public void FindPath_WallWithHoleMidway_MatchesDijkstraBothWays(int threads, long meetAfter)
    {
        // The symmetric case the MM phase is for: the forced detour lies half-way, both directions flood a plateau.
        Gen.Select(Gen.Int[0, 15], Gen.Int[0, 15], Gen.Int[0, 3]).Sample((holeY, holeZ, extra) =>
        {
            var grid = new VoxelGrid(24, 16, 16);
            for (int y = 0; y < 16; y++)
                for (int z = 0; z < 16; z++)
                    if ((y != holeY || z != holeZ) && (extra == 0 || y != 15 - holeY || z != holeZ)) grid.SetBlocked(12, y, z);
            GridAStar planner = Planner(grid, threads, meetAfter);
            GridPoint a = new(0, 7, 8), b = new(23, 8, 7);
            foreach ((GridPoint s, GridPoint g) in new[] { (a, b), (b, a) })
            {
                GridPath path = planner.FindPath(s, g, TestContext.Current.CancellationToken);
                Assert.True(path.Found);
                Assert.Equal(Reference.Dijkstra(grid, s, g), path.LengthVoxels, 9);
                Reference.AssertValidPath(grid, path, s, g);
            }
        }, iter: 25);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void FindPath_GoalSealedAfterMeetPhaseStarts_NotFound(int threads)
    {
        // Both sides are well into MM order when one of them runs out of voxels: unreachable, not a meeting.
        var grid = new VoxelGrid(20, 20, 20);
        for (int x = 14; x <= 18; x++)
            for (int y = 14; y <= 18; y++)
                for (int z = 14; z <= 18; z++)
                    if (x is 14 or 18 || y is 14 or 18 || z is 14 or 18) grid.SetBlocked(x, y, z);
        GridAStar planner = Planner(grid, threads, 5);
        Assert.False(planner.FindPath(new GridPoint(0, 0, 0), new GridPoint(16, 16, 16), TestContext.Current.CancellationToken).Found);
        Assert.False(planner.FindPath(new GridPoint(16, 16, 16), new GridPoint(0, 0, 0), TestContext.Current.CancellationToken).Found);
        Assert.True(planner.FindPath(new GridPoint(16, 16, 16), new GridPoint(15, 17, 16), TestContext.Current.CancellationToken).Found);
    }

    [Fact]
    public void FindPath_TwoThreadsCancelled_ThrowsAndPlannerStaysUsable()
    {
        var grid = new VoxelGrid(60, 60, 60);
        for (int y = 0; y < 60; y++)
            for (int z = 0; z < 60; z++)
                if (y != 59 || z != 59) grid.SetBlocked(30, y, z);
        GridAStar planner = Planner(grid, 2, 0);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => planner.FindPath(new GridPoint(0, 0, 0), new GridPoint(59, 0, 0), cts.Token));
        GridPath path = planner.FindPath(new GridPoint(0, 0, 0), new GridPoint(59, 0, 0), TestContext.Current.CancellationToken);
        Assert.True(path.Found);
        Reference.AssertValidPath(grid, path, new GridPoint(0, 0, 0), new GridPoint(59, 0, 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void FindPath_ComplexMapFirst50ProblemsInMeetOrder_MatchPublishedOptimum(int threads) =>
        Reference.AssertMapProblemsMatchPublishedOptimum("Complex", grid => Planner(grid, threads, 64).FindPath);

    [Fact]
    public void Threads_OutOfRange_ThrowsNamingTheProperty()
    {
        var grid = new VoxelGrid(2, 2, 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new GridAStar(grid) { Threads = 3 });
        Assert.Equal("Threads", e.ParamName);
        var m = Assert.Throws<ArgumentOutOfRangeException>(() => new GridAStar(grid) { MeetAfterExpansions = -1 });
        Assert.Equal("MeetAfterExpansions", m.ParamName);
    }
}
