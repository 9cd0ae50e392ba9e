using System.Numerics;
using System.Runtime.CompilerServices;
using static Yunlu.Routing.Grid.SearchPages;

namespace Yunlu.Routing.Grid;

/// <summary>
/// Exact shortest paths on a <see cref="VoxelGrid"/> under the Warframe rule by 3D jump point search
/// (Harabor &amp; Grastien 2011, generalised to 26-connected voxels with the no-corner-cutting rule through the
/// canonical-ordering view of Sturtevant &amp; Rabin 2016). Same contract and results as <see cref="GridAStar"/>;
/// not thread-safe: one instance per thread.
/// </summary>
/// <remarks>
/// <para><b>Pruning.</b> A path that reached voxel n by move d continues only with the moves of
/// <see cref="JpsSuccessors"/> (in free space: d and its components, i.e. "3-axis, then 2-axis, then 1-axis moves";
/// obstacles add forced moves). The lexicographically greatest optimal path survives the pruning, so the pruned graph
/// keeps the optimum.</para>
/// <para><b>Jumping.</b> From an expanded node, every successor direction is scanned voxel by voxel without touching
/// the open list: a 3-axis scan runs its 2-axis and 1-axis component scans at every step, a 2-axis scan its two 1-axis
/// scans. A scan stops at a blocked move, and records a node when it meets the goal, a voxel with a forced move (a
/// jump point), or a voxel whose f = g + h exceeds the expanded node's f by more than <see cref="FBand"/> (such a
/// node simply resumes the same scan when it is expanded; this keeps scans inside the region A* has to prove
/// anyway). Straight scans along X skip 64 voxels at a time over the bit-packed occupancy when the whole 3 × 3
/// cross-section around the ray is free. The segment between a node and its parent is the canonical (free-space
/// octile) path, so its cost is the octile distance and the path is rebuilt move by move at the end.</para>
/// <para><b>Search.</b> A* over the recorded nodes with the octile-3D heuristic (consistent on these edges because
/// it is a metric and each edge costs the octile distance), ties to larger g. Because a node's successors depend on
/// the direction it was reached from, a node keeps the set of directions of all its equally short arrivals and is
/// expanded again for a direction that arrives later with the same g; a strictly longer arrival is dropped (it lies
/// on no optimal path). Hence every node on the surviving optimal path is expanded with its path's direction.</para>
/// </remarks>
public sealed class JumpPointSearch3D
{
    private const int StartFlag = 1 << 30;
    private const double FScale = 16_777_216.0; // 2^24
    private const double Eps = 1e-9;

    private readonly VoxelGrid _grid;
    private readonly int[] _offsets;
    private readonly JpsSuccessors _successors = new();
    private readonly double[]?[] _g;
    private readonly int[]?[] _parent;
    private readonly int[]?[] _done;
    private readonly int[]?[] _pending;
    private SearchPages _pages;
    private readonly ulong[] _blocked;
    private ulong[] _heapKey = new ulong[1024];
    private double[] _heapG = new double[1024];
    private int[] _heapNode = new int[1024];
    private int _heapCount;

    // Per-search constants used by the scans.
    private int _goalIndex;
    private int _gx, _gy, _gz;
    private int _origin, _ox, _oy, _oz;
    private double _originG, _fLimit;

    /// <summary>Creates a planner over a grid; the grid must not change while searches run.</summary>
    public JumpPointSearch3D(VoxelGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        _grid = grid;
        _offsets = GridMoves.Offsets(grid);
        _blocked = grid.BlockedBits;
        int pages = PageCount(grid.PaddedCount);
        _parent = new int[pages][];
        _done = new int[pages][];
        _pending = new int[pages][];
        _pages = new SearchPages(grid.PaddedCount);
        _g = _pages.G;
    }

    /// <summary>The grid searched.</summary>
    public VoxelGrid Grid => _grid;

    /// <summary>
    /// How far (in voxel lengths) above the expanded node's f a scan may run before it records a node and stops;
    /// +∞ gives classic unbounded jumps. Any non-negative value keeps the search exact.
    /// </summary>
    internal double FBand { get; set; }

    /// <summary>
    /// Finds a shortest path from <paramref name="start"/> to <paramref name="goal"/>.
    /// Returns <see cref="GridPath.NotFound"/> when either end is blocked or outside, or the goal is unreachable.
    /// <see cref="GridPath.Expansions"/> counts expanded jump nodes.
    /// </summary>
    /// <param name="start">Start voxel.</param>
    /// <param name="goal">Goal voxel.</param>
    /// <param name="ct">Checked every 1024 expansions.</param>
    public GridPath FindPath(GridPoint start, GridPoint goal, CancellationToken ct = default)
    {
        if (_grid.IsBlocked(start) || _grid.IsBlocked(goal)) return GridPath.NotFound(0);
        if (start == goal) return GridPath.FromPoints([start], 0);

        _pages.Next();
        VoxelGrid grid = _grid;
        int s = grid.Index(start.X, start.Y, start.Z);
        _goalIndex = grid.Index(goal.X, goal.Y, goal.Z);
        _gx = goal.X;
        _gy = goal.Y;
        _gz = goal.Z;
        _heapCount = 0;

        TouchPage(s >> PageShift); // a new generation: every page is stale
        _g[s >> PageShift]![s & PageMask] = 0;
        _parent[s >> PageShift]![s & PageMask] = -1;
        _pending[s >> PageShift]![s & PageMask] = StartFlag;
        Push(Key(H(start.X, start.Y, start.Z)), 0, s);
        long expansions = 0;

        while (_heapCount > 0)
        {
            int n = PopMin();
            int page = n >> PageShift, ni = n & PageMask;
            int[] pend = _pending[page]!;
            int dirs = pend[ni];
            if (dirs == 0) continue;
            pend[ni] = 0;
            _done[page]![ni] |= dirs;
            if (n == _goalIndex) return Reconstruct(n, expansions);
            if ((++expansions & 1023) == 0) ct.ThrowIfCancellationRequested();

            GridPoint p = grid.PointOf(n);
            int free = grid.FreeNeighbourhood(n);
            int succ;
            if ((dirs & StartFlag) != 0)
            {
                succ = JpsSuccessors.Legal(free);
            }
            else
            {
                succ = 0;
                while (dirs != 0)
                {
                    int d = BitOperations.TrailingZeroCount(dirs);
                    dirs &= dirs - 1;
                    succ |= _successors.Get(d, free);
                }
            }

            _origin = n;
            _ox = p.X;
            _oy = p.Y;
            _oz = p.Z;
            _originG = _g[page]![ni];
            _fLimit = _originG + H(p.X, p.Y, p.Z) + FBand;
            while (succ != 0)
            {
                int d = BitOperations.TrailingZeroCount(succ);
                succ &= succ - 1;
                Scan(d, n, p.X, p.Y, p.Z, free);
            }
        }

        return GridPath.NotFound(expansions);
    }

    /// <summary>Scans from voxel <paramref name="cur"/> (free mask <paramref name="free"/>) along move d.</summary>
    private void Scan(int d, int cur, int cx, int cy, int cz, int free)
    {
        int req = GridMoves.Required[d];
        int step = _offsets[d];
        int dx = GridMoves.Dx[d], dy = GridMoves.Dy[d], dz = GridMoves.Dz[d];
        int natural = JpsSuccessors.Natural[d];
        bool straightX = dy == 0 && dz == 0;
        VoxelGrid grid = _grid;
        while (true)
        {
            if ((free & req) != req) return;
            if (straightX)
            {
                int skip = FreeRunX(cur, dx, cx, cy, cz);
                cur += skip * dx;
                cx += skip * dx;
            }

            cur += step;
            cx += dx;
            cy += dy;
            cz += dz;
            if (cur == _goalIndex)
            {
                Reach(cur, cx, cy, cz, d);
                return;
            }

            free = grid.FreeNeighbourhood(cur);
            int succ = _successors.Get(d, free);
            if ((succ & ~natural) != 0)
            {
                Reach(cur, cx, cy, cz, d);
                return;
            }

            int sub = succ & ~(1 << d);
            if (GridMoves.Kind[d] > 1)
            {
                double f = _originG + GridMoves.Octile(cx - _ox, cy - _oy, cz - _oz) + H(cx, cy, cz);
                if (f > _fLimit)
                {
                    Reach(cur, cx, cy, cz, d);
                    return;
                }
            }

            while (sub != 0)
            {
                int c = BitOperations.TrailingZeroCount(sub);
                sub &= sub - 1;
                Scan(c, cur, cx, cy, cz, free);
            }
        }
    }

    /// <summary>
    /// Number of voxels a straight X scan from <paramref name="cur"/> can pass without looking at them one by one:
    /// voxels whose whole 3 × 3 × 3 neighbourhood is free (no forced move, the next step legal) and that are not the
    /// goal. Returns k such that cur + dx·1 … cur + dx·k all qualify (the scan then continues from cur + dx·k).
    /// </summary>
    private int FreeRunX(int cur, int dx, int cx, int cy, int cz)
    {
        int sy = _grid.StrideY, sz = _grid.StrideZ;
        int total = 0;
        int limit = int.MaxValue;
        if (cy == _gy && cz == _gz)
        {
            int toGoal = (_gx - cx) * dx;
            if (toGoal > 0) limit = toGoal - 1;
        }

        while (true)
        {
            // Bits of the 9 rows around the ray, window starting one voxel behind the current one (dx = +1) or
            // ending one voxel ahead of it (dx = −1, mirrored).
            ulong w = 0;
            int baseBit = dx > 0 ? cur - 1 : cur - 62;
            for (int oz = -sz; oz <= sz; oz += sz)
            {
                for (int oy = -sy; oy <= sy; oy += sy) w |= Read64(baseBit + oy + oz);
            }

            int k;
            if (dx > 0)
            {
                // bit j ↔ voxel cur − 1 + j; voxel cur + k needs bits k, k + 1, k + 2 clear.
                ulong bad = w | (w >> 1) | (w >> 2) | (1UL << 62) | (1UL << 63);
                k = BitOperations.TrailingZeroCount(bad & ~1UL) - 1;
            }
            else
            {
                // bit j ↔ voxel cur − 62 + j; voxel cur − k needs bits 61 − k, 62 − k, 63 − k clear.
                ulong bad = w | (w << 1) | (w << 2) | 1UL | 2UL;
                k = BitOperations.LeadingZeroCount(bad & ~(1UL << 63)) - 1;
            }

            if (k <= 0 || total + k >= limit)
            {
                total += Math.Max(0, Math.Min(k, limit - total));
                return total;
            }

            total += k;
            cur += k * dx;
            if (k < 61) return total;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong Read64(int bit)
    {
        if (bit < 0)
        {
            // Before the first padded voxel: treat as blocked (only ends a free run early).
            return bit <= -64 ? ulong.MaxValue : (_blocked[0] << -bit) | (ulong.MaxValue >> (64 + bit));
        }

        int word = bit >> 6;
        int s = bit & 63;
        ulong lo = _blocked[word] >> s;
        return s == 0 ? lo : lo | (_blocked[word + 1] << (64 - s));
    }

    /// <summary>Records voxel <paramref name="v"/> reached from the current origin by a scan ending with move d.</summary>
    private void Reach(int v, int vx, int vy, int vz, int d)
    {
        double g = _originG + GridMoves.Octile(vx - _ox, vy - _oy, vz - _oz);
        int page = v >> PageShift, vi = v & PageMask;
        if (!_pages.IsCurrent(page)) TouchPage(page);
        double old = _g[page]![vi];
        int bit = 1 << d;
        if (g < old - Eps)
        {
            _g[page]![vi] = g;
            _parent[page]![vi] = _origin;
            _done[page]![vi] = 0;
            _pending[page]![vi] = bit;
            Push(Key(g + H(vx, vy, vz)), g, v);
        }
        else if (g <= old + Eps)
        {
            int known = _done[page]![vi] | _pending[page]![vi];
            if ((known & bit) != 0) return;
            bool queued = _pending[page]![vi] != 0;
            _pending[page]![vi] |= bit;
            if (!queued) Push(Key(old + H(vx, vy, vz)), old, v);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double H(int x, int y, int z) => GridMoves.Octile(x - _gx, y - _gy, z - _gz);

    private GridPath Reconstruct(int goalIndex, long expansions)
    {
        var nodes = new List<int>();
        for (int i = goalIndex; i >= 0; i = _parent[i >> PageShift]![i & PageMask]) nodes.Add(i);
        nodes.Reverse();
        var points = new List<GridPoint> { _grid.PointOf(nodes[0]) };
        for (int k = 1; k < nodes.Count; k++)
        {
            GridPoint a = points[^1];
            GridPoint b = _grid.PointOf(nodes[k]);
            // The canonical segment: step along every axis that still differs (3-axis, then 2-axis, then 1-axis).
            while (a != b)
            {
                a = new GridPoint(a.X + Math.Sign(b.X - a.X), a.Y + Math.Sign(b.Y - a.Y), a.Z + Math.Sign(b.Z - a.Z));
                points.Add(a);
            }
        }

        return GridPath.FromPoints([.. points], expansions);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Key(double f) => (ulong)(f * FScale);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Before(ulong k1, double g1, ulong k2, double g2) => k1 < k2 || (k1 == k2 && g1 > g2);

    private void TouchPage(int page)
    {
        if (_pages.ResetPage(page))
        {
            _parent[page] = new int[PageSize];
            _done[page] = new int[PageSize];
            _pending[page] = new int[PageSize];
        }
        else
        {
            Array.Clear(_done[page]!);
            Array.Clear(_pending[page]!);
        }
    }

    private void Push(ulong key, double g, int node)
    {
        if (_heapCount == _heapKey.Length)
        {
            Array.Resize(ref _heapKey, _heapKey.Length * 2);
            Array.Resize(ref _heapG, _heapG.Length * 2);
            Array.Resize(ref _heapNode, _heapNode.Length * 2);
        }

        ulong[] keys = _heapKey;
        double[] gs = _heapG;
        int[] nodes = _heapNode;
        int i = _heapCount++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Before(key, g, keys[parent], gs[parent])) break;
            keys[i] = keys[parent];
            gs[i] = gs[parent];
            nodes[i] = nodes[parent];
            i = parent;
        }

        keys[i] = key;
        gs[i] = g;
        nodes[i] = node;
    }

    private int PopMin()
    {
        ulong[] keys = _heapKey;
        double[] gs = _heapG;
        int[] nodes = _heapNode;
        int top = nodes[0];
        int count = --_heapCount;
        if (count == 0) return top;
        ulong key = keys[count];
        double g = gs[count];
        int node = nodes[count];
        int i = 0;
        while (true)
        {
            int c = (2 * i) + 1;
            if (c >= count) break;
            if (c + 1 < count && Before(keys[c + 1], gs[c + 1], keys[c], gs[c])) c++;
            if (!Before(keys[c], gs[c], key, g)) break;
            keys[i] = keys[c];
            gs[i] = gs[c];
            nodes[i] = nodes[c];
            i = c;
        }

        keys[i] = key;
        gs[i] = g;
        nodes[i] = node;
        return top;
    }
}
