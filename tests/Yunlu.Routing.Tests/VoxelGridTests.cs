using CsCheck;
using Yunlu.Routing.Grid;

namespace Yunlu.Routing.Tests;

public sealed class VoxelGridTests
{
    [Fact]
    public void IsBlocked_OutsideBox_True()
    {
        var grid = new VoxelGrid(3, 4, 5);
        Assert.True(grid.IsBlocked(-1, 0, 0));
        Assert.True(grid.IsBlocked(3, 0, 0));
        Assert.True(grid.IsBlocked(0, 4, 0));
        Assert.True(grid.IsBlocked(0, 0, 5));
        Assert.False(grid.IsBlocked(2, 3, 4));
    }

    [Fact]
    public void SetBlocked_SetAndClear_CountsAndReads()
    {
        var grid = new VoxelGrid(3, 3, 3);
        grid.SetBlocked(1, 2, 0);
        grid.SetBlocked(1, 2, 0);
        Assert.Equal(1, grid.BlockedCount);
        Assert.True(grid.IsBlocked(1, 2, 0));
        grid.SetBlocked(1, 2, 0, blocked: false);
        Assert.Equal(0, grid.BlockedCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => grid.SetBlocked(3, 0, 0));
    }

    [Fact]
    public void Constructor_NonPositiveSize_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoxelGrid(0, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoxelGrid(1, 1, -2));
    }

    [Fact]
    public void FreeNeighbourhood_RandomGrids_EqualsPerVoxelReads()
    {
        Gen.Select(Gen.Int, Gen.Int[1, 70], Gen.Int[1, 5], Gen.Int[1, 5]).Sample((seed, w, h, d) =>
        {
            var rng = new Random(seed);
            VoxelGrid grid = Reference.RandomGrid(rng, w, h, d, 0.4);
            for (int q = 0; q < 20; q++)
            {
                GridPoint p = Reference.RandomPoint(rng, grid);
                int mask = grid.FreeNeighbourhood(grid.Index(p.X, p.Y, p.Z));
                for (int dz = -1; dz <= 1; dz++)
                    for (int dy = -1; dy <= 1; dy++)
                        for (int dx = -1; dx <= 1; dx++)
                        {
                            bool free = (mask & (1 << ((dx + 1) + (3 * (dy + 1)) + (9 * (dz + 1))))) != 0;
                            Assert.Equal(!grid.IsBlocked(p.X + dx, p.Y + dy, p.Z + dz), free);
                        }
            }
        }, iter: 200);
    }

    [Fact]
    public void IsMoveAllowed_RandomMoves_EqualsBoundingBoxRule()
    {
        Gen.Select(Gen.Int, Gen.Int[-1, 1], Gen.Int[-1, 1], Gen.Int[-1, 1]).Sample((seed, dx, dy, dz) =>
        {
            if (dx == 0 && dy == 0 && dz == 0) return;
            var rng = new Random(seed);
            VoxelGrid grid = Reference.RandomGrid(rng, 3, 3, 3, 0.3);
            GridPoint p = Reference.RandomPoint(rng, grid);
            var q = new GridPoint(p.X + dx, p.Y + dy, p.Z + dz);
            Assert.Equal(Reference.MoveAllowed(grid, p, q), grid.IsMoveAllowed(p, dx, dy, dz));
        }, iter: 500);
    }
}
