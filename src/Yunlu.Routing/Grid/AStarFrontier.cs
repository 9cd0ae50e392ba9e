using System.Numerics;
using System.Runtime.CompilerServices;
using static Yunlu.Routing.Grid.SearchPages;

namespace Yunlu.Routing.Grid;

/// <summary>State of a resumable <see cref="AStarFrontier"/> search.</summary>
internal enum FrontierStatus
{
    /// <summary>The expansion budget ran out; call <see cref="AStarFrontier.Run"/> again.</summary>
    Running,

    /// <summary>The goal was expanded: its g is the optimum.</summary>
    Found,

    /// <summary>The open list ran empty: the goal is unreachable.</summary>
    NotFound,
}

/// <summary>
/// One exact A* search (Hart, Nilsson, Raphael 1968) under the Warframe rule that can be run in slices of expansions:
/// the consistent octile-3D heuristic, ties on f broken towards larger g, a radix heap (<see cref="RadixHeap"/>) with
/// lazy deletion, per-voxel state in generation-stamped pages (<see cref="SearchPages"/>). <see cref="GridAStar"/>
/// races two of these, one from each end.
/// </summary>
/// <remarks>
/// Exactness: g is accumulated in double (relative error ~1e−15 over a thousand moves); the heap orders by f quantised
/// to 2^−28 voxel, so the returned path is at most ~4e−9 per move longer than the optimum; its length is then computed
/// from the integer move counts.
/// </remarks>
internal sealed class AStarFrontier : IGridFrontier
{
    private const byte ClosedBit = 0x80;
    private const byte NoParent = 0x7F;
    private const int FractionBits = 28;
    private const double FScale = 268_435_456.0; // 2^28

    private readonly VoxelGrid _grid;
    private readonly int[] _offsets;
    private readonly double[]?[] _g;
    private readonly byte[]?[] _parent;
    private SearchPages _pages;
    private readonly RadixHeap _open = new();
    private readonly int _normalTieBits;
    private int _tieBits;
    private double _gScale;
    private ulong _tieMask;
    private double _maxF;
    private bool _keyOverflow;

    private GridPoint _start, _goal;
    private int _startIndex, _goalIndex;
    private long _expansions;

    public AStarFrontier(VoxelGrid grid)
    {
        _grid = grid;
        _offsets = GridMoves.Offsets(grid);
        int pages = PageCount(grid.PaddedCount);
        _parent = new byte[pages][];
        _pages = new SearchPages(grid.PaddedCount);
        _g = _pages.G;
        // f values up to 16·(W+H+D) (far beyond any octile detour on the benchmark maps) keep the g tie-break;
        // a search that exceeds it is restarted with f-only keys (see Run).
        int intBits = Math.Max(14, 64 - BitOperations.LeadingZeroCount((ulong)(16L * (grid.Width + grid.Height + grid.Depth))));
        _normalTieBits = 64 - FractionBits - intBits;
    }

    /// <summary>Expansions since <see cref="Begin"/> (restarts included).</summary>
    public long Expansions => _expansions;

    /// <summary>Nothing to trim: pages stay allocated for reuse.</summary>
    public void Trim()
    {
    }

    /// <summary>Starts a search; both voxels must be free and inside the box.</summary>
    public void Begin(GridPoint start, GridPoint goal)
    {
        _start = start;
        _goal = goal;
        _expansions = 0;
        SetKeyLayout(_normalTieBits);
        Restart();
    }

    private void Restart()
    {
        _pages.Next();
        _open.Clear();
        _startIndex = _grid.Index(_start.X, _start.Y, _start.Z);
        _goalIndex = _grid.Index(_goal.X, _goal.Y, _goal.Z);
        int s = _startIndex;
        TouchPage(s >> PageShift); // a new generation: every page is stale
        _g[s >> PageShift]![s & PageMask] = 0;
        _parent[s >> PageShift]![s & PageMask] = NoParent;
        _open.Push(Key(GridMoves.Octile(_start.X - _goal.X, _start.Y - _goal.Y, _start.Z - _goal.Z), 0), s);
    }

    private void SetKeyLayout(int tieBits)
    {
        _tieBits = tieBits;
        _tieMask = (1UL << tieBits) - 1;
        int intBits = 64 - FractionBits - tieBits;
        _maxF = Math.Pow(2, intBits);
        _gScale = Math.Pow(2, tieBits - intBits);
        _keyOverflow = false;
    }

    /// <summary>Runs at most <paramref name="budget"/> expansions.</summary>
    public FrontierStatus Run(long budget, CancellationToken ct)
    {
        var grid = _grid;
        int[] off = _offsets;
        int[] required = GridMoves.Required;
        double[] cost = GridMoves.Cost;
        int[] mdx = GridMoves.Dx, mdy = GridMoves.Dy, mdz = GridMoves.Dz;
        int t = _goalIndex;
        int gx = _goal.X, gy = _goal.Y, gz = _goal.Z;
        long stop = _expansions + budget;

        while (_open.Count > 0)
        {
            if (_keyOverflow && _tieBits != 0)
            {
                // Some f exceeded the key range, so the order may be wrong: start again with f-only keys (36 integer bits).
                SetKeyLayout(0);
                Restart();
                continue;
            }

            int n = _open.Pop();
            byte[] np = _parent[n >> PageShift]!;
            int ni = n & PageMask;
            if ((np[ni] & ClosedBit) != 0) continue;
            np[ni] |= ClosedBit;
            if (n == t) return FrontierStatus.Found;
            if ((++_expansions & 4095) == 0) ct.ThrowIfCancellationRequested();

            double gn = _g[n >> PageShift]![ni];
            GridPoint p = grid.PointOf(n);
            int free = grid.FreeNeighbourhood(n);
            for (int d = 0; d < GridMoves.Count; d++)
            {
                int req = required[d];
                if ((free & req) != req) continue;
                int m = n + off[d];
                int page = m >> PageShift;
                int mi = m & PageMask;
                double ng = gn + cost[d];
                if (!_pages.IsCurrent(page))
                {
                    TouchPage(page);
                }
                else
                {
                    byte pm = _parent[page]![mi];
                    if ((pm & ClosedBit) != 0 || ng >= _g[page]![mi]) continue;
                }

                _g[page]![mi] = ng;
                _parent[page]![mi] = (byte)d;
                double h = GridMoves.Octile(p.X + mdx[d] - gx, p.Y + mdy[d] - gy, p.Z + mdz[d] - gz);
                _open.Push(Key(ng + h, ng), m);
            }

            if (_expansions >= stop) return FrontierStatus.Running;
        }

        return FrontierStatus.NotFound;
    }

    /// <summary>The path found (start to goal, or goal to start when <paramref name="reversed"/>); call after
    /// <see cref="FrontierStatus.Found"/>.</summary>
    public GridPath Path(bool reversed, long expansions)
    {
        int count = 1;
        int i = _goalIndex;
        while (true)
        {
            byte d = (byte)(_parent[i >> PageShift]![i & PageMask] & ~ClosedBit);
            if (d == NoParent) break;
            i -= _offsets[d];
            count++;
        }

        var points = new GridPoint[count];
        i = _goalIndex;
        for (int k = count - 1; k >= 0; k--)
        {
            points[reversed ? count - 1 - k : k] = _grid.PointOf(i);
            byte d = (byte)(_parent[i >> PageShift]![i & PageMask] & ~ClosedBit);
            if (d != NoParent) i -= _offsets[d];
        }

        return GridPath.FromPoints(points, expansions);
    }

    /// <summary>
    /// Open-list key: f quantised to 2^−28 voxel in the high bits (so mathematically equal f values tie exactly),
    /// then larger g first in the low tie bits (g scaled to the same range as f).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong Key(double f, double g)
    {
        if (f >= _maxF)
        {
            _keyOverflow = true;
            return ulong.MaxValue;
        }

        ulong gq = Math.Min((ulong)(g * _gScale), _tieMask);
        return ((ulong)(f * FScale) << _tieBits) | (_tieMask - gq);
    }

    private void TouchPage(int page)
    {
        if (_pages.ResetPage(page))
        {
            _parent[page] = new byte[PageSize];
        }
        else
        {
            Array.Clear(_parent[page]!);
        }
    }
}
