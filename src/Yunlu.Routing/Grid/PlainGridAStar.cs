namespace Yunlu.Routing.Grid;

/// <summary>
/// The benchmark baseline: a textbook A* over the same move rule and heuristic as <see cref="GridAStar"/>, written
/// the straightforward way (hash maps for g and parents, a hash set for the closed list, the BCL priority queue
/// keyed on f without tie-breaking, bounds-checked voxel reads). Exact; kept for measuring the speed-up only.
/// </summary>
public sealed class PlainGridAStar
{
    private readonly VoxelGrid _grid;

    /// <summary>Creates a baseline planner over a grid.</summary>
    public PlainGridAStar(VoxelGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        _grid = grid;
    }

    /// <summary>Finds a shortest path (see <see cref="GridAStar.FindPath"/> for the contract).</summary>
    public GridPath FindPath(GridPoint start, GridPoint goal, CancellationToken ct = default)
    {
        if (_grid.IsBlocked(start) || _grid.IsBlocked(goal)) return GridPath.NotFound(0);
        var g = new Dictionary<GridPoint, double> { [start] = 0 };
        var parent = new Dictionary<GridPoint, GridPoint>();
        var closed = new HashSet<GridPoint>();
        var open = new PriorityQueue<GridPoint, double>();
        open.Enqueue(start, H(start, goal));
        long expansions = 0;
        while (open.TryDequeue(out GridPoint n, out _))
        {
            if (!closed.Add(n)) continue;
            if (n == goal) return Build(parent, start, goal, expansions);
            if ((++expansions & 4095) == 0) ct.ThrowIfCancellationRequested();
            double gn = g[n];
            for (int d = 0; d < GridMoves.Count; d++)
            {
                if (!_grid.IsMoveAllowed(n, GridMoves.Dx[d], GridMoves.Dy[d], GridMoves.Dz[d])) continue;
                var m = new GridPoint(n.X + GridMoves.Dx[d], n.Y + GridMoves.Dy[d], n.Z + GridMoves.Dz[d]);
                if (closed.Contains(m)) continue;
                double ng = gn + GridMoves.Cost[d];
                if (g.TryGetValue(m, out double old) && old <= ng) continue;
                g[m] = ng;
                parent[m] = n;
                open.Enqueue(m, ng + H(m, goal));
            }
        }

        return GridPath.NotFound(expansions);
    }

    private static double H(GridPoint a, GridPoint b) => GridMoves.Octile(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    private static GridPath Build(Dictionary<GridPoint, GridPoint> parent, GridPoint start, GridPoint goal, long expansions)
    {
        var points = new List<GridPoint> { goal };
        GridPoint p = goal;
        while (p != start)
        {
            p = parent[p];
            points.Add(p);
        }

        points.Reverse();
        return GridPath.FromPoints([.. points], expansions);
    }
}
