namespace Yunlu.Routing.Grid;

/// <summary>An any-angle path: straight segments between voxel centres.</summary>
/// <param name="Found">True when a path exists.</param>
/// <param name="LengthVoxels">Euclidean length of the polyline in voxel edge lengths; +∞ when not found.</param>
/// <param name="Waypoints">Segment end points, start and goal included; every segment is clear by
/// <see cref="LineOfSight.IsClear"/>.</param>
/// <param name="Grid">The exact grid path the polyline was pulled from.</param>
public sealed record AnyAnglePath(bool Found, double LengthVoxels, IReadOnlyList<GridPoint> Waypoints, GridPath Grid);

/// <summary>
/// Any-angle paths by post-smoothing an exact grid path (Botea et al. 2004 "path smoothing"; see also Daniel et al.
/// 2010 "Theta*", which shows post-smoothing's typical gap): from each anchor, the farthest later vertex of the grid
/// path still in exact line of sight becomes the next waypoint; then a second pass runs the same greedy pull from the
/// goal end over the waypoints. Never longer than the grid path (triangle inequality) and never collides, because
/// every segment passes <see cref="LineOfSight.IsClear"/>.
/// </summary>
public sealed class AnyAnglePlanner
{
    private readonly GridAStar _grid;

    /// <summary>Creates an any-angle planner over a grid.</summary>
    public AnyAnglePlanner(VoxelGrid grid) => _grid = new GridAStar(grid);

    /// <summary>Plans the exact grid path, then pulls it taut.</summary>
    public AnyAnglePath FindPath(GridPoint start, GridPoint goal, CancellationToken ct = default)
    {
        GridPath path = _grid.FindPath(start, goal, ct);
        return Smooth(_grid.Grid, path);
    }

    /// <summary>Pulls a grid path taut with exact line of sight.</summary>
    public static AnyAnglePath Smooth(VoxelGrid grid, GridPath path)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(path);
        if (!path.Found) return new AnyAnglePath(false, double.PositiveInfinity, Array.Empty<GridPoint>(), path);
        List<GridPoint> forward = Pull(grid, path.Points);
        forward.Reverse();
        List<GridPoint> back = Pull(grid, forward);
        back.Reverse();
        double length = 0;
        for (int i = 1; i < back.Count; i++) length += Distance(back[i - 1], back[i]);
        return new AnyAnglePath(true, length, back, path);
    }

    private static List<GridPoint> Pull(VoxelGrid grid, IReadOnlyList<GridPoint> points)
    {
        var result = new List<GridPoint>();
        if (points.Count == 0) return result;
        result.Add(points[0]);
        int anchor = 0;
        for (int k = 2; k < points.Count; k++)
        {
            if (LineOfSight.IsClear(grid, points[anchor], points[k])) continue;
            anchor = k - 1;
            result.Add(points[anchor]);
        }

        if (points.Count > 1) result.Add(points[^1]);
        return result;
    }

    private static double Distance(GridPoint a, GridPoint b)
    {
        double dx = a.X - b.X, dy = a.Y - b.Y, dz = a.Z - b.Z;
        return Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
    }
}
