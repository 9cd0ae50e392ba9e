namespace Yunlu.Routing.Grid;

/// <summary>
/// Exact shortest paths on a <see cref="VoxelGrid"/> under the Warframe rule (26-connected, costs 1/√2/√3, every
/// voxel of a move's bounding box free). Two exact A* searches (Hart, Nilsson, Raphael 1968; octile-3D heuristic,
/// radix-heap open list, per-voxel state in pooled 4 × 4 × 4 cubes (<see cref="CubeFrontier"/>), bit-packed
/// occupancy), one from each end, race in alternating slices of expansions; the first to finish answers. Search memory
/// beyond a fixed pool is released after each search. Not thread-safe: one instance per thread.
/// </summary>
/// <remarks>
/// <para><b>Why race.</b> The octile heuristic is flat: every voxel on some octile-length path between the ends has
/// the same f, and A* must expand all of them that are reachable before f can rise to the optimum. On the Warframe
/// maps that set (a zonotope of up to millions of voxels) is what makes hard problems slow, and it is cut short by the
/// first obstacle that forces the detour. Searching from the end nearer that obstacle is therefore cheap: on the first
/// 40 problems of A1 one direction needed 1.2–4.5 M expansions and the other 0.2–2.5 k on most hard ones (see
/// docs/benchmarks/routing.md). Alternating slices costs at most twice the cheaper direction plus one slice.</para>
/// <para><b>Exactness.</b> Each direction is a complete A* with a consistent heuristic; the move rule and the costs are
/// symmetric (a move's bounding box is the same from either end), so the backward search's path, reversed, is an
/// optimal forward path. Either search finding no path proves the goal unreachable.</para>
/// </remarks>
public sealed class GridAStar
{
    private const long SliceExpansions = 256;

    private readonly VoxelGrid _grid;
    private readonly IGridFrontier _forward;
    private IGridFrontier? _backward;

    /// <summary>Creates a planner over a grid; the grid must not change while searches run.</summary>
    public GridAStar(VoxelGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        _grid = grid;
        _forward = NewFrontier(grid);
    }

    /// <summary>The grid searched.</summary>
    public VoxelGrid Grid => _grid;

    /// <summary>
    /// True (default): race a forward and a backward search. False: forward A* only (half the search memory, slower on
    /// hard problems; same path lengths).
    /// </summary>
    public bool Bidirectional { get; init; } = true;

    /// <summary>
    /// Finds a shortest path from <paramref name="start"/> to <paramref name="goal"/>.
    /// Returns <see cref="GridPath.NotFound"/> when either end is blocked or outside, or the goal is unreachable.
    /// </summary>
    /// <param name="start">Start voxel.</param>
    /// <param name="goal">Goal voxel.</param>
    /// <param name="ct">Checked every 4096 expansions.</param>
    public GridPath FindPath(GridPoint start, GridPoint goal, CancellationToken ct = default)
    {
        try
        {
            return Search(start, goal, ct);
        }
        finally
        {
            _forward.Trim();
            _backward?.Trim();
        }
    }

    private static IGridFrontier NewFrontier(VoxelGrid grid) =>
        CubeFrontier.Supports(grid) ? new CubeFrontier(grid) : new AStarFrontier(grid);

    private GridPath Search(GridPoint start, GridPoint goal, CancellationToken ct)
    {
        if (_grid.IsBlocked(start) || _grid.IsBlocked(goal)) return GridPath.NotFound(0);
        if (start == goal) return GridPath.FromPoints([start], 0);
        _forward.Begin(start, goal);
        if (!Bidirectional)
        {
            FrontierStatus only = _forward.Run(long.MaxValue, ct);
            return only == FrontierStatus.Found ? _forward.Path(false, _forward.Expansions) : GridPath.NotFound(_forward.Expansions);
        }

        _backward ??= NewFrontier(_grid);
        _backward.Begin(goal, start);
        while (true)
        {
            FrontierStatus f = _forward.Run(SliceExpansions, ct);
            if (f != FrontierStatus.Running) return Finish(_forward, f, false);
            FrontierStatus b = _backward.Run(SliceExpansions, ct);
            if (b != FrontierStatus.Running) return Finish(_backward, b, true);
        }
    }

    private GridPath Finish(IGridFrontier winner, FrontierStatus status, bool reversed)
    {
        long expansions = _forward.Expansions + _backward!.Expansions;
        return status == FrontierStatus.Found ? winner.Path(reversed, expansions) : GridPath.NotFound(expansions);
    }
}
