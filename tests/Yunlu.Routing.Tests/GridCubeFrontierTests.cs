using CsCheck;
using Yunlu.Routing.Grid;

namespace Yunlu.Routing.Tests;

public sealed class GridCubeFrontierTests
{
    private static GridPath Solve(IGridFrontier frontier, GridPoint s, GridPoint g)
    {
        frontier.Begin(s, g);
        FrontierStatus status = frontier.Run(long.MaxValue, TestContext.Current.CancellationToken);
        return status == FrontierStatus.Found ? frontier.Path(false, frontier.Expansions) : GridPath.NotFound(frontier.Expansions);
    }

    [Fact]
    public void Run_RandomGridsOfSizesNotMultipleOfFour_MatchesDijkstra()
    {
        // Cube names pack padded coordinates; sizes 1–11 cross cube borders and the packing's bit widths.
        Gen.Select(Gen.Int, Gen.Int[1, 11], Gen.Int[1, 11], Gen.Int[1, 11], Gen.Double[0, 0.5]).Sample((seed, w, h, d, density) =>
        {
            var rng = new Random(seed);
            VoxelGrid grid = Reference.RandomGrid(rng, w, h, d, density);
            Assert.True(CubeFrontier.Supports(grid));
            var frontier = new CubeFrontier(grid);
            for (int q = 0; q < 4; q++)
            {
                GridPoint s = Reference.RandomPoint(rng, grid), g = Reference.RandomPoint(rng, grid);
                if (grid.IsBlocked(s) || grid.IsBlocked(g)) continue;
                double expected = Reference.Dijkstra(grid, s, g);
                GridPath path = Solve(frontier, s, g);
                if (double.IsPositiveInfinity(expected))
                {
                    Assert.False(path.Found);
                    continue;
                }

                Assert.Equal(expected, path.LengthVoxels, 9);
                Reference.AssertValidPath(grid, path, s, g);
            }
        }, iter: 300);
    }

    [Fact]
    public void Run_SameProblemsAsPagedFrontier_SameLengths()
    {
        // The paged frontier (used on grids too large for packed cube names) and the cube frontier are both exact.
        Gen.Select(Gen.Int, Gen.Int[2, 9], Gen.Int[2, 9], Gen.Int[2, 9], Gen.Double[0, 0.45]).Sample((seed, w, h, d, density) =>
        {
            var rng = new Random(seed);
            VoxelGrid grid = Reference.RandomGrid(rng, w, h, d, density);
            var cube = new CubeFrontier(grid);
            var paged = new AStarFrontier(grid);
            for (int q = 0; q < 4; q++)
            {
                GridPoint s = Reference.RandomPoint(rng, grid), g = Reference.RandomPoint(rng, grid);
                if (grid.IsBlocked(s) || grid.IsBlocked(g)) continue;
                GridPath a = Solve(cube, s, g), b = Solve(paged, s, g);
                Assert.Equal(b.Found, a.Found);
                if (a.Found) Assert.Equal(b.LengthVoxels, a.LengthVoxels, 9);
            }
        }, iter: 150);
    }

    [Fact]
    public void Trim_AfterSearchLargerThanKeptPool_NextSearchesStayExact()
    {
        // A 30³ box with a wall: the long search claims more cubes than the pool keeps (16), so Trim cuts it back.
        var grid = new VoxelGrid(30, 30, 30);
        for (int x = 5; x < 25; x++)
            for (int y = 0; y < 29; y++)
                grid.SetBlocked(x, y, 15);
        var frontier = new CubeFrontier(grid, keptCubes: 16);
        var far = Solve(frontier, new GridPoint(0, 0, 0), new GridPoint(29, 0, 29));
        Assert.True(frontier.PooledVoxels > 16 * 64L);
        frontier.Trim();
        Assert.Equal(16 * 64L, frontier.PooledVoxels);
        Assert.True(far.Found);
        foreach ((GridPoint s, GridPoint g) in new[]
        {
            (new GridPoint(0, 0, 0), new GridPoint(29, 0, 29)),
            (new GridPoint(5, 5, 10), new GridPoint(5, 5, 20)),
            (new GridPoint(24, 28, 14), new GridPoint(6, 28, 16)),
        })
        {
            GridPath path = Solve(frontier, s, g);
            Assert.Equal(Reference.Dijkstra(grid, s, g), path.LengthVoxels, 9);
            Reference.AssertValidPath(grid, path, s, g);
            frontier.Trim();
        }
    }
}
