using System.Numerics;
using System.Runtime.CompilerServices;
using static Yunlu.Routing.Grid.SearchPages;

namespace Yunlu.Routing.Grid;

/// <summary>
/// Exact shortest paths on a <see cref="VoxelGrid"/> under the Warframe rule (26-connected, costs 1/√2/√3, every
/// voxel of a move's bounding box free). A* (Hart, Nilsson, Raphael 1968) with the consistent octile-3D heuristic,
/// ties on f broken towards larger g, a radix heap (<see cref="RadixHeap"/>) with lazy deletion, and search state that is reused across
/// searches (see remarks). Not thread-safe: one instance per thread.
/// </summary>
/// <remarks>
/// <para>Per-voxel state (g as double, parent move, closed bit) lives in 512-voxel pages allocated on first touch
/// and stamped with the search generation, so a search pays only for the pages it touches and nothing is
/// cleared between searches except a touched page's 4 KB on its first use in a search.</para>
/// <para>Exactness: g is accumulated in double (relative error ~1e−15 over a thousand moves); the heap orders by
/// f quantised to 2^−28 voxel, so the returned path is at most ~4e−9 per move longer than the optimum; its length is then
/// computed from the integer move counts.</para>
/// </remarks>
public sealed class GridAStar
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

    /// <summary>Creates a planner over a grid; the grid must not change while searches run.</summary>
    public GridAStar(VoxelGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        _grid = grid;
        _offsets = GridMoves.Offsets(grid);
        int pages = PageCount(grid.PaddedCount);
        _parent = new byte[pages][];
        _pages = new SearchPages(grid.PaddedCount);
        _g = _pages.G;
        // f values up to 16·(W+H+D) (far beyond any octile detour on the benchmark maps) keep the g tie-break;
        // a search that exceeds it is rerun with f-only keys (see FindPath).
        int intBits = Math.Max(14, 64 - BitOperations.LeadingZeroCount((ulong)(16L * (grid.Width + grid.Height + grid.Depth))));
        _normalTieBits = 64 - FractionBits - intBits;
    }

    /// <summary>The grid searched.</summary>
    public VoxelGrid Grid => _grid;

    /// <summary>
    /// Finds a shortest path from <paramref name="start"/> to <paramref name="goal"/>.
    /// Returns <see cref="GridPath.NotFound"/> when either end is blocked or outside, or the goal is unreachable.
    /// </summary>
    /// <param name="start">Start voxel.</param>
    /// <param name="goal">Goal voxel.</param>
    /// <param name="ct">Checked every 4096 expansions.</param>
    public GridPath FindPath(GridPoint start, GridPoint goal, CancellationToken ct = default)
    {
        if (_grid.IsBlocked(start) || _grid.IsBlocked(goal)) return GridPath.NotFound(0);
        if (start == goal) return GridPath.FromPoints([start], 0);
        SetKeyLayout(_normalTieBits);
        GridPath path = Search(start, goal, ct);
        if (!_keyOverflow) return path;
        // Some f exceeded the key range: order would be wrong, so search again with f-only keys (36 integer bits).
        SetKeyLayout(0);
        return Search(start, goal, ct);
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

    private GridPath Search(GridPoint start, GridPoint goal, CancellationToken ct)
    {
        _pages.Next();
        var grid = _grid;
        int[] off = _offsets;
        int[] required = GridMoves.Required;
        double[] cost = GridMoves.Cost;
        int[] mdx = GridMoves.Dx, mdy = GridMoves.Dy, mdz = GridMoves.Dz;
        int s = grid.Index(start.X, start.Y, start.Z);
        int t = grid.Index(goal.X, goal.Y, goal.Z);
        int gx = goal.X, gy = goal.Y, gz = goal.Z;
        _open.Clear();

        TouchPage(s >> PageShift); // a new generation: every page is stale
        _g[s >> PageShift]![s & PageMask] = 0;
        _parent[s >> PageShift]![s & PageMask] = NoParent;
        _open.Push(Key(GridMoves.Octile(start.X - gx, start.Y - gy, start.Z - gz), 0), s);
        long expansions = 0;

        while (_open.Count > 0)
        {
            int n = _open.Pop();
            byte[] np = _parent[n >> PageShift]!;
            int ni = n & PageMask;
            if ((np[ni] & ClosedBit) != 0) continue;
            np[ni] |= ClosedBit;
            if (n == t) return Reconstruct(t, expansions);
            if ((++expansions & 4095) == 0) ct.ThrowIfCancellationRequested();

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
        }

        return GridPath.NotFound(expansions);
    }

    private GridPath Reconstruct(int goalIndex, long expansions)
    {
        int count = 1;
        int i = goalIndex;
        while (true)
        {
            byte d = (byte)(_parent[i >> PageShift]![i & PageMask] & ~ClosedBit);
            if (d == NoParent) break;
            i -= _offsets[d];
            count++;
        }

        var points = new GridPoint[count];
        i = goalIndex;
        for (int k = count - 1; k >= 0; k--)
        {
            points[k] = _grid.PointOf(i);
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
