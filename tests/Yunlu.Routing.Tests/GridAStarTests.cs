using CsCheck;
using Yunlu.Routing.Grid;

namespace Yunlu.Routing.Tests;

public sealed class GridAStarTests
{
    [Fact]
    public void FindPath_RandomSmallGrids_MatchesDijkstra()
    {
        Gen.Select(Gen.Int, Gen.Int[1, 7], Gen.Int[1, 7], Gen.Int[1, 7], Gen.Double[0, 0.55]).Sample((seed, w, h, d, density) =>
        {
            var rng = new Random(seed);
            VoxelGrid grid = Reference.RandomGrid(rng, w, h, d, density);
            var planner = new GridAStar(grid);
            // Several queries on one planner: the reused, generation-stamped state must not leak between searches.
            Reference.AssertRandomQueriesMatchDijkstra(rng, grid, planner.FindPath, queries: 6);
        }, iter: 400);
    }

    [Fact]
    public void FindPath_ForwardOnly_RandomSmallGrids_MatchesDijkstra()
    {
        Gen.Select(Gen.Int, Gen.Int[1, 7], Gen.Int[1, 7], Gen.Int[1, 7], Gen.Double[0, 0.55]).Sample((seed, w, h, d, density) =>
        {
            var rng = new Random(seed);
            VoxelGrid grid = Reference.RandomGrid(rng, w, h, d, density);
            var planner = new GridAStar(grid) { Bidirectional = false };
            Reference.AssertRandomQueriesMatchDijkstra(rng, grid, planner.FindPath, queries: 4);
        }, iter: 200);
    }

    [Fact]
    public void FindPath_WallWithOffsetHoleNearEitherEnd_MatchesDijkstraBothWays()
    {
        // The detour is forced near one end: one direction of the race is cheap, the other is not; both ways must be exact.
        Gen.Select(Gen.Int[2, 9], Gen.Int[0, 9], Gen.Int[0, 9]).Sample((wallX, holeY, holeZ) =>
        {
            var grid = new VoxelGrid(12, 10, 10);
            for (int y = 0; y < 10; y++)
                for (int z = 0; z < 10; z++)
                    if (y != holeY || z != holeZ) grid.SetBlocked(wallX, y, z);
            var planner = new GridAStar(grid);
            GridPoint a = new(0, 5, 5), b = new(11, 4, 6);
            foreach ((GridPoint s, GridPoint g) in new[] { (a, b), (b, a) })
            {
                GridPath path = planner.FindPath(s, g, TestContext.Current.CancellationToken);
                Assert.True(path.Found);
                Assert.Equal(Reference.Dijkstra(grid, s, g), path.LengthVoxels, 9);
                Reference.AssertValidPath(grid, path, s, g);
            }
        }, iter: 60);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FindPath_OnlyWayIsDiagonalSlitBetweenBlocks_NotFound(bool bidirectional)
    {
        // (1,0,0) and (0,1,0) blocked: the diagonal (0,0,0)→(1,1,0) would cut both corners, and no other way exists.
        var grid = new VoxelGrid(2, 2, 1);
        grid.SetBlocked(1, 0, 0);
        grid.SetBlocked(0, 1, 0);
        var planner = new GridAStar(grid) { Bidirectional = bidirectional };
        Assert.False(planner.FindPath(new GridPoint(0, 0, 0), new GridPoint(1, 1, 0), TestContext.Current.CancellationToken).Found);
        Assert.False(planner.FindPath(new GridPoint(1, 1, 0), new GridPoint(0, 0, 0), TestContext.Current.CancellationToken).Found);
    }

    [Fact]
    public void FindPath_StartSealedInPocketOfLargeGrid_NotFound()
    {
        // The forward search proves unreachability at once; the race must stop there instead of letting the
        // backward search flood the large free region.
        var grid = new VoxelGrid(40, 40, 40);
        for (int x = 0; x <= 2; x++)
            for (int y = 0; y <= 2; y++)
                for (int z = 0; z <= 2; z++)
                    if (x == 2 || y == 2 || z == 2) grid.SetBlocked(x, y, z);
        GridPath path = new GridAStar(grid).FindPath(new GridPoint(0, 0, 0), new GridPoint(39, 39, 39), TestContext.Current.CancellationToken);
        Assert.False(path.Found);
        Assert.True(path.Expansions < 2000, $"expansions {path.Expansions}");
    }

    [Fact]
    public void PlainGridAStar_RandomSmallGrids_MatchesDijkstra()
    {
        Gen.Select(Gen.Int, Gen.Int[1, 6], Gen.Int[1, 6], Gen.Int[1, 6], Gen.Double[0, 0.5]).Sample((seed, w, h, d, density) =>
        {
            var rng = new Random(seed);
            VoxelGrid grid = Reference.RandomGrid(rng, w, h, d, density);
            GridPoint s = Reference.RandomPoint(rng, grid), g = Reference.RandomPoint(rng, grid);
            double expected = Reference.Dijkstra(grid, s, g);
            GridPath path = new PlainGridAStar(grid).FindPath(s, g, TestContext.Current.CancellationToken);
            Assert.Equal(double.IsFinite(expected), path.Found);
            if (path.Found) Assert.Equal(expected, path.LengthVoxels, 9);
        }, iter: 200);
    }

    [Theory]
    [InlineData("Simple")]
    [InlineData("Complex")]
    public void FindPath_MapFirst50Problems_MatchPublishedOptimum(string map) =>
        Reference.AssertMapProblemsMatchPublishedOptimum(map, grid => new GridAStar(grid).FindPath);

    [Fact]
    public void FindPath_DiagonalWithBlockedCorner_TakesTwoStraightMoves()
    {
        var grid = new VoxelGrid(2, 2, 1);
        grid.SetBlocked(1, 0, 0);
        GridPath path = new GridAStar(grid).FindPath(new GridPoint(0, 0, 0), new GridPoint(1, 1, 0), TestContext.Current.CancellationToken);
        Assert.True(path.Found);
        Assert.Equal(2.0, path.LengthVoxels, 12);
        Assert.Equal(2, path.Straight);
    }

    [Fact]
    public void FindPath_SpaceDiagonalWithOneBlockedVoxelInBox_IsNotTaken()
    {
        var grid = new VoxelGrid(2, 2, 2);
        grid.SetBlocked(1, 1, 0);
        GridPath path = new GridAStar(grid).FindPath(new GridPoint(0, 0, 0), new GridPoint(1, 1, 1), TestContext.Current.CancellationToken);
        Assert.True(path.Found);
        Assert.Equal(0, path.Diagonal3);
        Assert.Equal(1 + Math.Sqrt(2), path.LengthVoxels, 12);
    }

    [Fact]
    public void FindPath_BlockedOrOutsideEnds_NotFound()
    {
        var grid = new VoxelGrid(3, 3, 3);
        grid.SetBlocked(1, 1, 1);
        var planner = new GridAStar(grid);
        Assert.False(planner.FindPath(new GridPoint(1, 1, 1), new GridPoint(0, 0, 0), TestContext.Current.CancellationToken).Found);
        Assert.False(planner.FindPath(new GridPoint(0, 0, 0), new GridPoint(3, 0, 0), TestContext.Current.CancellationToken).Found);
        Assert.False(planner.FindPath(new GridPoint(-1, 0, 0), new GridPoint(0, 0, 0), TestContext.Current.CancellationToken).Found);
    }

    [Fact]
    public void FindPath_GoalEnclosed_NotFound()
    {
        var grid = new VoxelGrid(5, 5, 5);
        for (int x = 1; x <= 3; x++)
            for (int y = 1; y <= 3; y++)
                for (int z = 1; z <= 3; z++)
                    if (x != 2 || y != 2 || z != 2) grid.SetBlocked(x, y, z);
        Assert.False(new GridAStar(grid).FindPath(new GridPoint(0, 0, 0), new GridPoint(2, 2, 2), TestContext.Current.CancellationToken).Found);
    }

    [Fact]
    public void FindPath_StartEqualsGoal_ZeroLength()
    {
        var grid = new VoxelGrid(2, 2, 2);
        GridPath path = new GridAStar(grid).FindPath(new GridPoint(1, 0, 1), new GridPoint(1, 0, 1), TestContext.Current.CancellationToken);
        Assert.True(path.Found);
        Assert.Equal(0, path.LengthVoxels);
        Assert.Single(path.Points);
    }

    [Fact]
    public void FindPath_CancelledDuringLargeSearch_Throws()
    {
        var grid = new VoxelGrid(60, 60, 60);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        // A wall with a single hole far from the straight line forces many expansions.
        for (int y = 0; y < 60; y++)
            for (int z = 0; z < 60; z++)
                if (y != 59 || z != 59) grid.SetBlocked(30, y, z);
        Assert.Throws<OperationCanceledException>(() =>
            new GridAStar(grid).FindPath(new GridPoint(0, 0, 0), new GridPoint(59, 0, 0), cts.Token));
    }

    [Fact]
    public void SearchPages_PageResetInOneSearch_StaleAndRefilledInTheNext()
    {
        var pages = new SearchPages(4 * SearchPages.PageSize);
        pages.Next();
        Assert.False(pages.IsCurrent(2));
        Assert.True(pages.ResetPage(2));
        Assert.True(pages.IsCurrent(2));
        Assert.False(pages.IsCurrent(1));
        Assert.All(pages.G[2]!, g => Assert.Equal(double.PositiveInfinity, g));
        pages.G[2]![7] = 3.5;
        pages.Next();
        Assert.False(pages.IsCurrent(2));
        Assert.False(pages.ResetPage(2));
        Assert.Equal(double.PositiveInfinity, pages.G[2]![7]);
    }
}
