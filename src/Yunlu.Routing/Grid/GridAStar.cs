namespace Yunlu.Routing.Grid;

/// <summary>
/// Exact shortest paths on a <see cref="VoxelGrid"/> under the Warframe rule (26-connected, costs 1/√2/√3, every
/// voxel of a move's bounding box free). Two exact A* searches (Hart, Nilsson, Raphael 1968; octile-3D heuristic,
/// radix-heap open list, per-voxel state in pooled 4 × 4 × 4 cubes (<see cref="CubeFrontier"/>), bit-packed
/// occupancy), one from each end, race in alternating slices of expansions; the first to finish answers. When both
/// have spent <see cref="MeetAfterExpansions"/> without finishing, both switch to the meet-in-the-middle order of MM
/// (Holte, Felner, Sharon, Sturtevant 2016) and stop on its bound. With <see cref="Threads"/> = 2 the two directions
/// run on two threads. Search memory beyond a fixed pool is released after each search. Not thread-safe: one instance
/// per calling thread.
/// </summary>
/// <remarks>
/// <para><b>Why race.</b> The octile heuristic is flat: every voxel on some octile-length path between the ends has
/// the same f, and A* must expand all of them that are reachable before f can rise to the optimum. On the Warframe
/// maps that set (a zonotope of up to millions of voxels) is what makes hard problems slow, and it is cut short by the
/// first obstacle that forces the detour. Searching from the end nearer that obstacle is therefore cheap: on the first
/// 40 problems of A1 one direction needed 1.2–4.5 M expansions and the other 0.2–2.5 k on most hard ones (see
/// docs/benchmarks/routing.md). Alternating slices costs at most twice the cheaper direction plus one slice.</para>
/// <para><b>Why meet in the middle.</b> When the forced detour lies half-way, both directions must flood the plateau
/// and the race pays for both. MM expands a voxel only while pr = max(f, 2g) is below the optimum, so each direction
/// floods only its half (g &lt; C*/2): about half the race's expansions on those problems.</para>
/// <para><b>Exactness.</b> Each direction is a complete A* with a consistent heuristic; the move rule and the costs are
/// symmetric (a move's bounding box is the same from either end), so the backward search's path, reversed, is an
/// optimal forward path. Either search finding no path proves the goal unreachable. After the switch, the g of every
/// voxel closed while racing is exact; every voxel reached by both directions is a meeting (a real path of length
/// g + g'); and while the best meeting U is longer than the optimum C*, some open voxel of a shortest path has an
/// exact g and pr ≤ C* on one side (Holte et al., Theorem 10, which holds whatever order closed the voxels before), so
/// stopping when U ≤ min(prmin forward, prmin backward) returns a shortest path. Keys are pr quantised down (a lower
/// bound); a voxel improved after it was expanded is reopened, so the argument holds for the final, exact g.</para>
/// <para><b>Two threads.</b> Each direction reads the other's g per generated voxel. A g is a real path length that
/// only decreases, so a stale read is a larger, still valid value; cube slots are published with release semantics
/// after their g were set to +∞ (<see cref="CubeFrontier.GOf"/>); a full fence between writing one expansion's g and
/// reading the other side's means that of two sides reaching a voxel at least one sees the other. Each side publishes
/// its smallest key only after checking every meeting generated before it; the stop test reads the other side's
/// key, then its best meeting; published keys never decrease, so a stale key is a smaller, valid bound.</para>
/// </remarks>
public sealed class GridAStar
{
    /// <summary>Expansions per direction before the race switches to meet-in-the-middle, by default.</summary>
    public const long DefaultMeetAfterExpansions = 200_000;

    private const long SliceExpansions = 256;

    /// <summary>Expansions per direction run on the calling thread before a second thread is started (most problems
    /// finish well before; starting a thread costs more than they do).</summary>
    internal const long DefaultParallelAfterExpansions = 16_384;

    /// <summary>Slack of the meet-in-the-middle stop test, voxels: keys are lengths quantised down to 2^−28 voxel and
    /// g sums carry ~1e−13 rounding, so equal lengths must compare equal.</summary>
    private const double MeetTolerance = 1e-8;

    /// <summary>A waiting side spins this many times, then sleeps 1 ms per check (instead of yielding in a loop, which
    /// on an idle machine burns a core while the other side finishes; a problem that waits takes hundreds of ms).</summary>
    private const int WaitSleepAfterSpins = 20;

    private const int Undecided = 0, ForwardFound = 1, BackwardFound = 2, Unreachable = 3, Met = 4;

    private readonly VoxelGrid _grid;
    private readonly IGridFrontier _forward;
    private IGridFrontier? _backward;
    private readonly int _threads = 1;
    private readonly long _meetAfter = DefaultMeetAfterExpansions;

    // Two-thread search state (one search at a time per instance).
    private int _stop, _arrived, _outcome;
    private double _helperCpuMs;

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
    /// True (default): search from both ends (race, then meet in the middle). False: forward A* only (half the search
    /// memory, slower on hard problems; same path lengths).
    /// </summary>
    public bool Bidirectional { get; init; } = true;

    /// <summary>
    /// Threads per search: 1 (default) runs both directions on the calling thread; 2 runs the backward direction on a
    /// thread-pool thread at the same time once a problem has needed more than a few thousand expansions per direction
    /// (wall time about half the CPU time on hard problems). Same path lengths either way.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 1 or 2.</exception>
    public int Threads
    {
        get => _threads;
        init => _threads = value is 1 or 2
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Threads), value, "Threads must be 1 or 2.");
    }

    /// <summary>
    /// Expansions each direction spends racing before both switch to meet-in-the-middle order
    /// (<see cref="DefaultMeetAfterExpansions"/> by default; <see cref="long.MaxValue"/>: race only). Any value gives
    /// the same path lengths.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public long MeetAfterExpansions
    {
        get => _meetAfter;
        init => _meetAfter = value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MeetAfterExpansions), value, "MeetAfterExpansions must be non-negative.");
    }

    /// <summary>Two threads: expansions per direction on the calling thread before the second thread starts (tests set 0
    /// so that small grids exercise the concurrent code).</summary>
    internal long ParallelAfterExpansions { get; init; } = DefaultParallelAfterExpansions;

    /// <summary>CPU time (ms) the second thread spent on the last <see cref="FindPath"/> (0 when none was used; NaN
    /// where the thread CPU clock is missing). The calling thread's own CPU time is the caller's to measure.</summary>
    public double LastHelperCpuMs => _helperCpuMs;

    /// <summary>
    /// Finds a shortest path from <paramref name="start"/> to <paramref name="goal"/>.
    /// Returns <see cref="GridPath.NotFound"/> when either end is blocked or outside, or the goal is unreachable.
    /// </summary>
    /// <param name="start">Start voxel.</param>
    /// <param name="goal">Goal voxel.</param>
    /// <param name="ct">Checked every 4096 expansions.</param>
    public GridPath FindPath(GridPoint start, GridPoint goal, CancellationToken ct = default)
    {
        _helperCpuMs = 0;
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
        if (_forward is not CubeFrontier f || _backward is not CubeFrontier b) return Race(long.MaxValue, ct) ?? GridPath.NotFound(0);

        long raceOnCaller = _threads == 2 ? Math.Min(_meetAfter, ParallelAfterExpansions) : _meetAfter;
        GridPath? raced = Race(raceOnCaller, ct);
        if (raced is not null) return raced;
        return _threads == 2 ? MeetConcurrently(f, b, ct) : Meet(f, b, ct);
    }

    /// <summary>Alternating slices until one direction finishes (its answer) or both spent <paramref name="budget"/>
    /// expansions (null).</summary>
    private GridPath? Race(long budget, CancellationToken ct)
    {
        IGridFrontier f = _forward, b = _backward!;
        while (f.Expansions < budget || b.Expansions < budget)
        {
            if (f.Expansions < budget)
            {
                FrontierStatus s = f.Run(Math.Min(SliceExpansions, budget - f.Expansions), ct);
                if (s != FrontierStatus.Running) return Finish(f, s, false);
            }

            if (b.Expansions < budget)
            {
                FrontierStatus s = b.Run(Math.Min(SliceExpansions, budget - b.Expansions), ct);
                if (s != FrontierStatus.Running) return Finish(b, s, true);
            }
        }

        return null;
    }

    /// <summary>
    /// MM on one thread: the direction with the smaller open key runs a slice; stop when the best meeting is no longer
    /// than the smaller of the two smallest keys (each key is max(f, 2g) quantised down, a lower bound of the optimum
    /// while the best meeting is longer than it; Holte et al. 2016, Theorem 10).
    /// </summary>
    private GridPath Meet(CubeFrontier f, CubeFrontier b, CancellationToken ct)
    {
        f.BeginMeet(b, concurrent: false);
        b.BeginMeet(f, concurrent: false);
        while (true)
        {
            ulong kf = f.PeekKey(), kb = b.PeekKey();
            double best = Math.Min(f.MeetLength, b.MeetLength);
            if (best <= (Math.Min(kf, kb) / CubeFrontier.MeetKeyScale) + MeetTolerance) return Joined(f, b);
            bool forward = kf <= kb;
            CubeFrontier side = forward ? f : b;
            // Not running: that side's open list ran empty, every g of it is exact, its best meeting is the answer.
            if (side.RunMeet(SliceExpansions, ct) != FrontierStatus.Running) return Joined(f, b);
        }
    }

    /// <summary>
    /// Race, then MM, with the backward direction on a thread-pool thread. Each side publishes its smallest open key
    /// only after checking every meeting of the voxels it generated before (release), and the stop test reads the
    /// other side's key first, then its best meeting (acquire): the published keys never decrease, so a stale key is
    /// a smaller, still valid bound, and a meeting the other side found before publishing is seen.
    /// </summary>
    private GridPath MeetConcurrently(CubeFrontier f, CubeFrontier b, CancellationToken ct)
    {
        _stop = 0;
        _arrived = 0;
        _outcome = Undecided;
        Task helper = Task.Run(
            () =>
            {
                double cpu0 = Yunlu.Geo.Diagnostics.ThreadCpu.NowMs();
                try
                {
                    Side(b, f, BackwardFound, ct);
                }
                finally
                {
                    _helperCpuMs = Yunlu.Geo.Diagnostics.ThreadCpu.NowMs() - cpu0;
                }
            },
            CancellationToken.None);
        try
        {
            Side(f, b, ForwardFound, ct);
        }
        finally
        {
            // Both sides stop on _stop (set by either); the helper's exception, if any, surfaces here.
            Volatile.Write(ref _stop, 1);
            helper.GetAwaiter().GetResult();
        }

        return _outcome switch
        {
            ForwardFound => Finish(f, FrontierStatus.Found, false),
            BackwardFound => Finish(b, FrontierStatus.Found, true),
            Met => Joined(f, b),
            _ => GridPath.NotFound(f.Expansions + b.Expansions),
        };
    }

    private void Side(CubeFrontier me, CubeFrontier other, int foundCode, CancellationToken ct)
    {
        try
        {
            while (Volatile.Read(ref _stop) == 0 && me.Expansions < _meetAfter)
            {
                FrontierStatus s = me.Run(Math.Min(SliceExpansions, _meetAfter - me.Expansions), ct);
                if (s != FrontierStatus.Running)
                {
                    Decide(s == FrontierStatus.Found ? foundCode : Unreachable);
                    return;
                }
            }

            // Both directions switch together: after this full fence each sees every g the other wrote while racing.
            Interlocked.Increment(ref _arrived);
            var spin = default(SpinWait);
            while (Volatile.Read(ref _arrived) < 2 && Volatile.Read(ref _stop) == 0) spin.SpinOnce(WaitSleepAfterSpins);
            if (Volatile.Read(ref _stop) != 0) return;
            me.BeginMeet(other, concurrent: true);
            spin = default;
            while (Volatile.Read(ref _stop) == 0)
            {
                ulong otherKey = other.PublishedKey;
                double best = Math.Min(me.MeetLength, other.MeetLength);
                ulong myKey = me.PublishedKey;
                if (best <= (Math.Min(myKey, otherKey) / CubeFrontier.MeetKeyScale) + MeetTolerance)
                {
                    Decide(Met);
                    return;
                }

                if (myKey / CubeFrontier.MeetKeyScale >= best)
                {
                    // MM expands only below the best meeting: this side is done, the other one is not yet.
                    spin.SpinOnce(WaitSleepAfterSpins);
                    continue;
                }

                if (me.RunMeet(SliceExpansions, ct) != FrontierStatus.Running)
                {
                    // This side ran out of voxels: all its g are exact and its meetings include every shortest path's.
                    Decide(Met);
                    return;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _stop, 1);
        }
    }

    private void Decide(int outcome) => Interlocked.CompareExchange(ref _outcome, outcome, Undecided);

    private GridPath Joined(CubeFrontier f, CubeFrontier b)
    {
        long expansions = f.Expansions + b.Expansions;
        CubeFrontier best = f.MeetLength <= b.MeetLength ? f : b;
        return double.IsFinite(best.MeetLength)
            ? CubeFrontier.JoinAt(f, b, best.MeetNode, expansions)
            : GridPath.NotFound(expansions);
    }

    private GridPath Finish(IGridFrontier winner, FrontierStatus status, bool reversed)
    {
        long expansions = _forward.Expansions + _backward!.Expansions;
        return status == FrontierStatus.Found ? winner.Path(reversed, expansions) : GridPath.NotFound(expansions);
    }
}
