using System.Runtime.CompilerServices;

namespace Yunlu.Routing.Grid;

/// <summary>
/// Successor pruning that can never lose a shortest path: after voxel n was reached from its parent p by move d, a
/// move e from n is skipped when the 3 × 3 × 3 block around n holds a path from p to n + e that avoids n and is
/// <b>strictly</b> shorter than d followed by e. Then dist(n + e) &lt; dist(n) + cost(e) (n's g is exact when it is
/// expanded), so the edge n → n + e lies on no shortest path, whichever of n's equally short parents was kept — no
/// tie handling is needed, unlike jump point search's canonical (non-strict) pruning. In free space this keeps 9, 5
/// or 7 of the 26 moves after a straight, 2-axis or 3-axis move.
/// </summary>
/// <remarks>
/// The pruned moves are found by a Dijkstra search over the 26 block voxels of the all-free block (moves inside the
/// block obey the Warframe rule, whose bounding boxes lie inside the block), which also records, per pruned (d, e),
/// the voxels of one strictly shorter way around (its moves' bounding boxes): the witness. A block with obstacles
/// prunes e only when its witness is entirely free, so the shorter way exists there too (sound; it may keep a move
/// that another way around would prune). A per-instance cache of the exact pruned sets of other masks
/// (<see cref="Compute"/>) was measured slower (Complex, forward search, problems 0–299: 798 ms with the cache,
/// 304 ms with all legal moves kept near obstacles).
/// </remarks>
internal static class StrictPruning
{
    /// <summary>The 27-bit free mask of a block with every voxel free.</summary>
    public const int AllFree = 0x7FFFFFF;

    private const int Center = 13;
    private static readonly int[] FreeSpace = new int[GridMoves.Count];
    private static readonly int[] Witness = new int[GridMoves.Count * GridMoves.Count];

    static StrictPruning()
    {
        for (int d = 0; d < GridMoves.Count; d++)
        {
            int source = Cell(-GridMoves.Dx[d], -GridMoves.Dy[d], -GridMoves.Dz[d]);
            double[] dist = BlockDistances(source, AllFree, out int[] via);
            int kept = 0;
            for (int e = 0; e < GridMoves.Count; e++)
            {
                int target = Cell(GridMoves.Dx[e], GridMoves.Dy[e], GridMoves.Dz[e]);
                if (dist[target] >= GridMoves.Cost[d] + GridMoves.Cost[e] - 1e-9)
                {
                    kept |= 1 << e;
                    continue;
                }

                int need = 0;
                for (int c = target; c != source; c = via[c]) need |= Box(via[c], c);
                Witness[(d * GridMoves.Count) + e] = need;
            }

            FreeSpace[d] = kept;
        }
    }

    /// <summary>
    /// Bit set (bit i = move i of <see cref="GridMoves"/>) of the moves to try from a voxel reached by
    /// <paramref name="d"/> (or <paramref name="d"/> ≥ <see cref="GridMoves.Count"/> for the start: every legal move)
    /// whose 3 × 3 × 3 free mask is <paramref name="free"/>. Every returned move is legal, and every legal move that is
    /// left out is one <see cref="Compute"/> prunes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Get(int d, int free)
    {
        if (free == AllFree) return d < GridMoves.Count ? FreeSpace[d] : (1 << GridMoves.Count) - 1;
        return d < GridMoves.Count ? Masked(d, free) : Legal(free);
    }

    private static int Masked(int d, int free)
    {
        int moves = Legal(free);
        int pruned = ~FreeSpace[d] & moves;
        int row = d * GridMoves.Count;
        while (pruned != 0)
        {
            int e = System.Numerics.BitOperations.TrailingZeroCount(pruned);
            pruned &= pruned - 1;
            int need = Witness[row + e];
            if ((free & need) == need) moves &= ~(1 << e);
        }

        return moves;
    }

    /// <summary>Every legal move for a free mask.</summary>
    public static int Legal(int free)
    {
        int moves = 0;
        for (int e = 0; e < GridMoves.Count; e++)
        {
            int req = GridMoves.Required[e];
            if ((free & req) == req) moves |= 1 << e;
        }

        return moves;
    }

    /// <summary>The kept moves after move <paramref name="d"/> for a free mask, by brute force.</summary>
    internal static int Compute(int d, int free)
    {
        double[] dist = BlockDistances(Cell(-GridMoves.Dx[d], -GridMoves.Dy[d], -GridMoves.Dz[d]), free, out _);
        int moves = 0;
        for (int e = 0; e < GridMoves.Count; e++)
        {
            int req = GridMoves.Required[e];
            if ((free & req) != req) continue;
            double viaN = GridMoves.Cost[d] + GridMoves.Cost[e];
            double around = dist[Cell(GridMoves.Dx[e], GridMoves.Dy[e], GridMoves.Dz[e])];
            if (around < viaN - 1e-9) continue;
            moves |= 1 << e;
        }

        return moves;
    }

    /// <summary>Block cells of the bounding box of a move between two cells.</summary>
    private static int Box(int a, int b)
    {
        int ax = (a % 3) - 1, ay = ((a / 3) % 3) - 1, az = (a / 9) - 1;
        int bx = (b % 3) - 1, by = ((b / 3) % 3) - 1, bz = (b / 9) - 1;
        int mask = 0;
        for (int x = Math.Min(ax, bx); x <= Math.Max(ax, bx); x++)
            for (int y = Math.Min(ay, by); y <= Math.Max(ay, by); y++)
                for (int z = Math.Min(az, bz); z <= Math.Max(az, bz); z++)
                    mask |= 1 << Cell(x, y, z);
        return mask;
    }

    private static int Cell(int x, int y, int z) => (x + 1) + (3 * (y + 1)) + (9 * (z + 1));

    /// <summary>Shortest distances from a block voxel to every block voxel, never entering the centre.</summary>
    private static double[] BlockDistances(int source, int free, out int[] via)
    {
        var dist = new double[27];
        via = new int[27];
        var done = new bool[27];
        Array.Fill(dist, double.PositiveInfinity);
        dist[source] = 0;
        while (true)
        {
            int a = -1;
            for (int c = 0; c < 27; c++)
            {
                if (!done[c] && c != Center && dist[c] < double.PositiveInfinity && (a < 0 || dist[c] < dist[a])) a = c;
            }

            if (a < 0) return dist;
            done[a] = true;
            int ax = (a % 3) - 1, ay = ((a / 3) % 3) - 1, az = (a / 9) - 1;
            for (int e = 0; e < GridMoves.Count; e++)
            {
                int bx = ax + GridMoves.Dx[e], by = ay + GridMoves.Dy[e], bz = az + GridMoves.Dz[e];
                if (bx is < -1 or > 1 || by is < -1 or > 1 || bz is < -1 or > 1) continue;
                int b = Cell(bx, by, bz);
                if (b == Center || !BoxFree(ax, ay, az, bx, by, bz, free)) continue;
                double nd = dist[a] + GridMoves.Cost[e];
                if (nd < dist[b])
                {
                    dist[b] = nd;
                    via[b] = a;
                }
            }
        }
    }

    private static bool BoxFree(int ax, int ay, int az, int bx, int by, int bz, int free)
    {
        for (int x = Math.Min(ax, bx); x <= Math.Max(ax, bx); x++)
        {
            for (int y = Math.Min(ay, by); y <= Math.Max(ay, by); y++)
            {
                for (int z = Math.Min(az, bz); z <= Math.Max(az, bz); z++)
                {
                    if ((free & (1 << Cell(x, y, z))) == 0) return false;
                }
            }
        }

        return true;
    }
}
