using Yunlu.Routing.Grid;

namespace Yunlu.Routing.Tests;

/// <summary>Independent brute-force references: the move rule, Dijkstra, and an exact segment sampler.</summary>
internal static class Reference
{
    public static bool MoveAllowed(VoxelGrid grid, GridPoint a, GridPoint b)
    {
        int dx = b.X - a.X, dy = b.Y - a.Y, dz = b.Z - a.Z;
        if (Math.Abs(dx) > 1 || Math.Abs(dy) > 1 || Math.Abs(dz) > 1 || (dx == 0 && dy == 0 && dz == 0)) return false;
        foreach (int x in new[] { a.X, b.X })
            foreach (int y in new[] { a.Y, b.Y })
                foreach (int z in new[] { a.Z, b.Z })
                    if (grid.IsBlocked(x, y, z)) return false;
        return true;
    }

    public static double StepCost(GridPoint a, GridPoint b) =>
        Math.Sqrt(Math.Abs(a.X - b.X) + Math.Abs(a.Y - b.Y) + Math.Abs(a.Z - b.Z));

    /// <summary>Plain Dijkstra over every voxel of the box; +∞ when unreachable.</summary>
    public static double Dijkstra(VoxelGrid grid, GridPoint start, GridPoint goal)
    {
        if (grid.IsBlocked(start) || grid.IsBlocked(goal)) return double.PositiveInfinity;
        int w = grid.Width, h = grid.Height, d = grid.Depth;
        var dist = new double[w * h * d];
        Array.Fill(dist, double.PositiveInfinity);
        int Id(GridPoint p) => p.X + (w * (p.Y + (h * p.Z)));
        var queue = new PriorityQueue<GridPoint, double>();
        dist[Id(start)] = 0;
        queue.Enqueue(start, 0);
        while (queue.TryDequeue(out GridPoint p, out double dp))
        {
            if (dp > dist[Id(p)]) continue;
            if (p == goal) return dp;
            for (int dz = -1; dz <= 1; dz++)
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        var q = new GridPoint(p.X + dx, p.Y + dy, p.Z + dz);
                        if (!grid.Contains(q) || !MoveAllowed(grid, p, q)) continue;
                        double nd = dp + StepCost(p, q);
                        if (nd < dist[Id(q)])
                        {
                            dist[Id(q)] = nd;
                            queue.Enqueue(q, nd);
                        }
                    }
        }

        return double.PositiveInfinity;
    }

    /// <summary>
    /// True when some voxel whose closed unit box meets the segment between the centres is blocked. Samples the
    /// segment at every t = k / (4P), P the product of the non-zero |Δ|, in exact integer arithmetic: every crossing
    /// of a voxel boundary plane and every midpoint between crossings is a sample, so no touched voxel is missed.
    /// </summary>
    public static bool SegmentHitsBlocked(VoxelGrid grid, GridPoint a, GridPoint b)
    {
        int[] av = [a.X, a.Y, a.Z];
        int[] dv = [b.X - a.X, b.Y - a.Y, b.Z - a.Z];
        long p = 1;
        foreach (int di in dv) if (di != 0) p *= Math.Abs(di);
        long s = 4 * p;
        var candidates = new List<int>[3];
        for (long k = 0; k <= s; k++)
        {
            for (int axis = 0; axis < 3; axis++)
            {
                candidates[axis] = [];
                long c = (av[axis] * s) + (k * dv[axis]); // coordinate × s
                for (int v = Math.Min(av[axis], av[axis] + dv[axis]) - 1; v <= Math.Max(av[axis], av[axis] + dv[axis]) + 1; v++)
                {
                    if (2 * Math.Abs(c - (v * s)) <= s) candidates[axis].Add(v);
                }
            }

            foreach (int x in candidates[0])
                foreach (int y in candidates[1])
                    foreach (int z in candidates[2])
                        if (grid.IsBlocked(x, y, z)) return true;
        }

        return false;
    }

    /// <summary>A random grid with the given blocked fraction.</summary>
    public static VoxelGrid RandomGrid(Random rng, int w, int h, int d, double density)
    {
        var grid = new VoxelGrid(w, h, d);
        for (int z = 0; z < d; z++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    if (rng.NextDouble() < density) grid.SetBlocked(x, y, z);
        return grid;
    }

    public static GridPoint RandomPoint(Random rng, VoxelGrid grid) =>
        new(rng.Next(grid.Width), rng.Next(grid.Height), rng.Next(grid.Depth));

    public static string DataPath(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    /// <summary>Asserts that a found path runs from start to goal by allowed moves and that its length is the sum of
    /// its step costs.</summary>
    public static void AssertValidPath(VoxelGrid grid, GridPath path, GridPoint start, GridPoint goal)
    {
        Assert.Equal(start, path.Points[0]);
        Assert.Equal(goal, path.Points[^1]);
        double length = 0;
        for (int i = 1; i < path.Points.Count; i++)
        {
            Assert.True(MoveAllowed(grid, path.Points[i - 1], path.Points[i]), $"illegal move at step {i}");
            length += StepCost(path.Points[i - 1], path.Points[i]);
        }

        Assert.Equal(length, path.LengthVoxels, 9);
    }

    /// <summary>
    /// Asks one planner <paramref name="queries"/> random queries on <paramref name="grid"/> (so reused search state
    /// must not leak between searches) and asserts each answer against <see cref="Dijkstra"/>.
    /// </summary>
    public static void AssertRandomQueriesMatchDijkstra(Random rng, VoxelGrid grid, Func<GridPoint, GridPoint, CancellationToken, GridPath> findPath, int queries)
    {
        for (int q = 0; q < queries; q++)
        {
            GridPoint s = RandomPoint(rng, grid), g = RandomPoint(rng, grid);
            double expected = Dijkstra(grid, s, g);
            GridPath path = findPath(s, g, TestContext.Current.CancellationToken);
            Assert.Equal(double.IsFinite(expected), path.Found);
            if (!path.Found) continue;
            Assert.Equal(expected, path.LengthVoxels, 9);
            AssertValidPath(grid, path, s, g);
        }
    }

    /// <summary>
    /// Solves the 50 problems of a MovingAI 3D map's scenario file (data/) with one planner and asserts each path is
    /// valid and within 1e-3 of the published optimal length.
    /// </summary>
    public static void AssertMapProblemsMatchPublishedOptimum(string map, Func<VoxelGrid, Func<GridPoint, GridPoint, CancellationToken, GridPath>> createPlanner)
    {
        VoxelGrid grid = MovingAi3D.LoadMap(DataPath(map + ".3dmap"));
        Func<GridPoint, GridPoint, CancellationToken, GridPath> findPath = createPlanner(grid);
        int count = 0;
        foreach (ScenarioProblem p in MovingAi3D.ReadScenario(DataPath(map + ".3dmap.3dscen")))
        {
            GridPath path = findPath(p.Start, p.Goal, TestContext.Current.CancellationToken);
            Assert.True(path.Found, $"problem {p.Index} not found");
            Assert.True(Math.Abs(path.LengthVoxels - p.OptimalLength) <= 1e-3 * p.OptimalLength,
                $"problem {p.Index}: {path.LengthVoxels} vs {p.OptimalLength}");
            AssertValidPath(grid, path, p.Start, p.Goal);
            count++;
        }

        Assert.Equal(50, count);
    }
}
