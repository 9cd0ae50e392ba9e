using CsCheck;
using Yunlu.Routing.Grid;

namespace Yunlu.Routing.Tests;

public sealed class AnyAngleTests
{
    [Fact]
    public void IsClear_RandomSegments_AgreesWithExactSampler()
    {
        Gen.Select(Gen.Int, Gen.Int[1, 8], Gen.Int[1, 8], Gen.Int[1, 8], Gen.Double[0, 0.2]).Sample((seed, w, h, d, density) =>
        {
            var rng = new Random(seed);
            VoxelGrid grid = Reference.RandomGrid(rng, w, h, d, density);
            for (int q = 0; q < 10; q++)
            {
                GridPoint a = Reference.RandomPoint(rng, grid), b = Reference.RandomPoint(rng, grid);
                Assert.Equal(!Reference.SegmentHitsBlocked(grid, a, b), LineOfSight.IsClear(grid, a, b));
            }
        }, iter: 300);
    }

    [Fact]
    public void IsClear_SingleMoves_EqualsMoveRule()
    {
        Gen.Select(Gen.Int, Gen.Int[-1, 1], Gen.Int[-1, 1], Gen.Int[-1, 1]).Sample((seed, dx, dy, dz) =>
        {
            if (dx == 0 && dy == 0 && dz == 0) return;
            var rng = new Random(seed);
            VoxelGrid grid = Reference.RandomGrid(rng, 3, 3, 3, 0.3);
            GridPoint p = Reference.RandomPoint(rng, grid);
            if (grid.IsBlocked(p)) return;
            var q = new GridPoint(p.X + dx, p.Y + dy, p.Z + dz);
            Assert.Equal(Reference.MoveAllowed(grid, p, q), LineOfSight.IsClear(grid, p, q));
        }, iter: 500);
    }

    [Fact]
    public void IsClear_SegmentThroughBlockedEdge_False()
    {
        // (0,0,0) → (2,2,0) passes exactly through the edge shared by (0,1), (1,0), (1,1) etc.
        var grid = new VoxelGrid(3, 3, 1);
        grid.SetBlocked(1, 0, 0);
        Assert.False(LineOfSight.IsClear(grid, new GridPoint(0, 0, 0), new GridPoint(2, 2, 0)));
        Assert.True(LineOfSight.IsClear(grid, new GridPoint(0, 1, 0), new GridPoint(2, 2, 0)));
    }

    [Fact]
    public void Smooth_RandomGrids_CollisionFreeAndNoLongerThanGridPath()
    {
        Gen.Select(Gen.Int, Gen.Int[2, 12], Gen.Int[2, 12], Gen.Int[1, 8], Gen.Double[0, 0.3]).Sample((seed, w, h, d, density) =>
        {
            var rng = new Random(seed);
            VoxelGrid grid = Reference.RandomGrid(rng, w, h, d, density);
            var planner = new AnyAnglePlanner(grid);
            for (int q = 0; q < 4; q++)
            {
                GridPoint s = Reference.RandomPoint(rng, grid), g = Reference.RandomPoint(rng, grid);
                AnyAnglePath path = planner.FindPath(s, g, TestContext.Current.CancellationToken);
                Assert.Equal(path.Grid.Found, path.Found);
                if (!path.Found) continue;
                Assert.Equal(s, path.Waypoints[0]);
                Assert.Equal(g, path.Waypoints[^1]);
                for (int i = 1; i < path.Waypoints.Count; i++)
                {
                    Assert.False(Reference.SegmentHitsBlocked(grid, path.Waypoints[i - 1], path.Waypoints[i]),
                        $"segment {i} collides");
                }

                Assert.True(path.LengthVoxels <= path.Grid.LengthVoxels + 1e-9);
                double straight = Math.Sqrt(((s.X - g.X) * (s.X - g.X)) + ((s.Y - g.Y) * (s.Y - g.Y)) + ((s.Z - g.Z) * (s.Z - g.Z)));
                Assert.True(path.LengthVoxels >= straight - 1e-9);
            }
        }, iter: 200);
    }

    [Fact]
    public void Smooth_OpenSpace_IsStraightSegment()
    {
        var grid = new VoxelGrid(20, 10, 5);
        AnyAnglePath path = new AnyAnglePlanner(grid).FindPath(new GridPoint(0, 0, 0), new GridPoint(19, 7, 3), TestContext.Current.CancellationToken);
        Assert.Equal(2, path.Waypoints.Count);
        Assert.Equal(Math.Sqrt((19 * 19) + (7 * 7) + (3 * 3)), path.LengthVoxels, 9);
    }
}
