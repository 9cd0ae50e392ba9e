namespace Yunlu.Routing.Grid;

/// <summary>
/// The successor rule of <see cref="JumpPointSearch3D"/>: which moves may continue a path that arrived at a voxel
/// n by move d, given the 27-bit free mask of n's 3 × 3 × 3 neighbourhood (<see cref="VoxelGrid.FreeNeighbourhood"/>).
/// </summary>
/// <remarks>
/// <para>Let p = n − d. A legal continuation d' (to m = n + d') is <b>pruned</b> when, inside the 3 × 3 × 3 cube
/// around n, either (a) some path from p to m is strictly shorter than cost(d) + cost(d'), or (b) some two-move
/// path p → a → m with a ≠ n has the same length and its first move ranks above d in the fixed move order
/// <see cref="Rank"/> (more axes first, then the move index). Everything else is a successor.</para>
/// <para>Why this keeps an optimal path (the canonical-ordering argument of Harabor &amp; Grastien 2011 and
/// Sturtevant &amp; Rabin 2016, stated for this rule): among all optimal start–goal paths take π*, the one whose
/// sequence of move ranks is lexicographically greatest. If a step (p, n, m) of π* were pruned by (a), replacing
/// it would give a shorter path; if by (b), an equally short path whose rank sequence is greater at that position.
/// Both contradict the choice of π*, so every step of π* survives and π* lies in the pruned graph. Equal-length
/// two-move alternatives are the only ties that matter: a + b√2 + c√3 with integer a, b, c determines (a, b, c),
/// so an equal-length path has the same move kinds, hence exactly two moves. Restricting alternatives to the cube
/// only prunes less.</para>
/// <para>In an obstacle-free cube the rule reduces to the canonical ordering "3-axis, then 2-axis, then 1-axis
/// moves, each a component of the previous one": the successors of d are d and its components
/// (<see cref="Natural"/>); obstacles add <i>forced</i> successors, and a voxel with a forced successor is a jump
/// point.</para>
/// </remarks>
internal sealed class JpsSuccessors
{
    /// <summary>Every neighbourhood voxel free.</summary>
    public const int AllFree = 0x7FFFFFF;

    private const int Centre = 13;
    private const double Eps = 1e-9;

    /// <summary>Per move: the mask of its natural successors (itself and its components).</summary>
    public static readonly int[] Natural = new int[GridMoves.Count];

    /// <summary>Per move: successors when the whole neighbourhood is free.</summary>
    public static readonly int[] SuccessorsAllFree = new int[GridMoves.Count];

    /// <summary>Move order used for tie-breaking: number of changed axes × 32 + move index.</summary>
    public static readonly int[] Rank = new int[GridMoves.Count];

    /// <summary>Per cube cell (0..26) and move: target cell, or −1 outside the cube.</summary>
    private static readonly int[] CubeTarget = new int[27 * GridMoves.Count];

    /// <summary>Per cube cell and move: bounding-box mask over cube cells.</summary>
    private static readonly int[] CubeBox = new int[27 * GridMoves.Count];

    /// <summary>Cube cell of a move's target seen from the centre.</summary>
    private static readonly int[] MoveCell = new int[GridMoves.Count];

    private long[] _keys = new long[1 << 12];
    private int[] _values = new int[1 << 12];
    private int _count;

    static JpsSuccessors()
    {
        for (int d = 0; d < GridMoves.Count; d++)
        {
            Rank[d] = (GridMoves.Kind[d] * 32) + d;
            MoveCell[d] = Cell(1 + GridMoves.Dx[d], 1 + GridMoves.Dy[d], 1 + GridMoves.Dz[d]);
        }

        for (int d = 0; d < GridMoves.Count; d++)
        {
            int mask = 0;
            for (int c = 0; c < GridMoves.Count; c++)
            {
                if (IsComponent(c, d)) mask |= 1 << c;
            }

            Natural[d] = mask;
        }

        for (int a = 0; a < 27; a++)
        {
            int ax = a % 3, ay = a / 3 % 3, az = a / 9;
            for (int e = 0; e < GridMoves.Count; e++)
            {
                int bx = ax + GridMoves.Dx[e], by = ay + GridMoves.Dy[e], bz = az + GridMoves.Dz[e];
                int k = (a * GridMoves.Count) + e;
                if ((uint)bx > 2 || (uint)by > 2 || (uint)bz > 2)
                {
                    CubeTarget[k] = -1;
                    continue;
                }

                CubeTarget[k] = Cell(bx, by, bz);
                int box = 0;
                for (int x = Math.Min(ax, bx); x <= Math.Max(ax, bx); x++)
                {
                    for (int y = Math.Min(ay, by); y <= Math.Max(ay, by); y++)
                    {
                        for (int z = Math.Min(az, bz); z <= Math.Max(az, bz); z++) box |= 1 << Cell(x, y, z);
                    }
                }

                CubeBox[k] = box;
            }
        }

        for (int d = 0; d < GridMoves.Count; d++) SuccessorsAllFree[d] = Compute(d, AllFree);
    }

    /// <summary>Successor moves (bit per move) of a path that arrived by move <paramref name="d"/>.</summary>
    public int Get(int d, int free)
    {
        if (free == AllFree) return SuccessorsAllFree[d];
        long key = ((long)d << 27) | (uint)free;
        int mask = _keys.Length - 1;
        int i = (int)((ulong)(key * unchecked((long)0x9E3779B97F4A7C15)) >> 32) & mask;
        while (true)
        {
            long k = _keys[i];
            if (k == key + 1) return _values[i];
            if (k == 0) break;
            i = (i + 1) & mask;
        }

        int value = Compute(d, free);
        _keys[i] = key + 1;
        _values[i] = value;
        if (++_count * 2 > _keys.Length) Grow();
        return value;
    }

    /// <summary>All legal moves from the centre under a free mask (the start voxel's successors).</summary>
    public static int Legal(int free)
    {
        int s = 0;
        for (int e = 0; e < GridMoves.Count; e++)
        {
            int req = GridMoves.Required[e];
            if ((free & req) == req) s |= 1 << e;
        }

        return s;
    }

    /// <summary>The rule itself (see the type remarks), by a Dijkstra over the 26 non-centre cube cells.</summary>
    internal static int Compute(int d, int free)
    {
        int p = Cell(1 - GridMoves.Dx[d], 1 - GridMoves.Dy[d], 1 - GridMoves.Dz[d]);
        Span<double> dist = stackalloc double[27];
        Span<bool> done = stackalloc bool[27];
        dist.Fill(double.PositiveInfinity);
        dist[p] = 0;
        while (true)
        {
            int u = -1;
            for (int c = 0; c < 27; c++)
            {
                if (!done[c] && dist[c] < double.PositiveInfinity && (u < 0 || dist[c] < dist[u])) u = c;
            }

            if (u < 0) break;
            done[u] = true;
            for (int e = 0; e < GridMoves.Count; e++)
            {
                int k = (u * GridMoves.Count) + e;
                int v = CubeTarget[k];
                if (v < 0 || v == Centre || (free & CubeBox[k]) != CubeBox[k]) continue;
                double nd = dist[u] + GridMoves.Cost[e];
                if (nd < dist[v]) dist[v] = nd;
            }
        }

        int result = 0;
        for (int e2 = 0; e2 < GridMoves.Count; e2++)
        {
            int req = GridMoves.Required[e2];
            if ((free & req) != req) continue;
            int m = MoveCell[e2];
            double length = GridMoves.Cost[d] + GridMoves.Cost[e2];
            if (m == p || dist[m] < length - Eps) continue;
            if (HasPreferredTie(d, p, m, length, free)) continue;
            result |= 1 << e2;
        }

        return result;
    }

    private static bool HasPreferredTie(int d, int p, int m, double length, int free)
    {
        for (int e1 = 0; e1 < GridMoves.Count; e1++)
        {
            if (Rank[e1] <= Rank[d]) continue;
            int k1 = (p * GridMoves.Count) + e1;
            int a = CubeTarget[k1];
            if (a < 0 || a == Centre || a == m || (free & CubeBox[k1]) != CubeBox[k1]) continue;
            for (int e2 = 0; e2 < GridMoves.Count; e2++)
            {
                int k2 = (a * GridMoves.Count) + e2;
                if (CubeTarget[k2] != m || (free & CubeBox[k2]) != CubeBox[k2]) continue;
                if (Math.Abs(GridMoves.Cost[e1] + GridMoves.Cost[e2] - length) < Eps) return true;
            }
        }

        return false;
    }

    private static bool IsComponent(int c, int d) =>
        (GridMoves.Dx[c] == 0 || GridMoves.Dx[c] == GridMoves.Dx[d]) &&
        (GridMoves.Dy[c] == 0 || GridMoves.Dy[c] == GridMoves.Dy[d]) &&
        (GridMoves.Dz[c] == 0 || GridMoves.Dz[c] == GridMoves.Dz[d]);

    private static int Cell(int x, int y, int z) => x + (3 * y) + (9 * z);

    private void Grow()
    {
        long[] oldKeys = _keys;
        int[] oldValues = _values;
        _keys = new long[oldKeys.Length * 2];
        _values = new int[oldKeys.Length * 2];
        int mask = _keys.Length - 1;
        for (int j = 0; j < oldKeys.Length; j++)
        {
            long k = oldKeys[j];
            if (k == 0) continue;
            long key = k - 1;
            int i = (int)((ulong)(key * unchecked((long)0x9E3779B97F4A7C15)) >> 32) & mask;
            while (_keys[i] != 0) i = (i + 1) & mask;
            _keys[i] = k;
            _values[i] = oldValues[j];
        }
    }
}
