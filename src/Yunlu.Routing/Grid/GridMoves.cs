namespace Yunlu.Routing.Grid;

/// <summary>
/// The 26 moves of the 3D grid with their costs (1, √2, √3 for one, two or three changed axes) and the
/// no-corner-cutting masks of the Warframe rule (every voxel of the move's bounding box must be free).
/// </summary>
internal static class GridMoves
{
    public const int Count = 26;
    public const double Sqrt2 = 1.4142135623730951;
    public const double Sqrt3 = 1.7320508075688772;

    public static readonly int[] Dx = new int[Count];
    public static readonly int[] Dy = new int[Count];
    public static readonly int[] Dz = new int[Count];
    public static readonly double[] Cost = new double[Count];

    /// <summary>Number of changed axes (1, 2 or 3) per move.</summary>
    public static readonly int[] Kind = new int[Count];

    /// <summary>Mask over <see cref="VoxelGrid.FreeNeighbourhood"/> bits that must all be free for the move.</summary>
    public static readonly int[] Required = new int[Count];

    static GridMoves()
    {
        int d = 0;
        // Straight moves first, then 2-axis, then 3-axis diagonals (order only matters for determinism).
        for (int kind = 1; kind <= 3; kind++)
        {
            for (int dz = -1; dz <= 1; dz++)
            {
                for (int dy = -1; dy <= 1; dy++)
                {
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        if (Math.Abs(dx) + Math.Abs(dy) + Math.Abs(dz) != kind) continue;
                        Dx[d] = dx;
                        Dy[d] = dy;
                        Dz[d] = dz;
                        Kind[d] = kind;
                        Cost[d] = kind switch { 1 => 1.0, 2 => Sqrt2, _ => Sqrt3 };
                        int mask = 0;
                        for (int ex = Math.Min(0, dx); ex <= Math.Max(0, dx); ex++)
                        {
                            for (int ey = Math.Min(0, dy); ey <= Math.Max(0, dy); ey++)
                            {
                                for (int ez = Math.Min(0, dz); ez <= Math.Max(0, dz); ez++)
                                {
                                    mask |= 1 << ((ex + 1) + 3 * (ey + 1) + 9 * (ez + 1));
                                }
                            }
                        }

                        Required[d] = mask;
                        d++;
                    }
                }
            }
        }
    }

    /// <summary>Offsets of the moves as internal index deltas for a grid.</summary>
    public static int[] Offsets(VoxelGrid grid)
    {
        var off = new int[Count];
        for (int d = 0; d < Count; d++) off[d] = Dx[d] + Dy[d] * grid.StrideY + Dz[d] * grid.StrideZ;
        return off;
    }

    /// <summary>
    /// The octile-3D distance, an admissible and consistent lower bound of the grid distance: with sorted
    /// |dx| ≥ |dy| ≥ |dz|, √3·dz + √2·(dy − dz) + (dx − dy).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double Octile(int dx, int dy, int dz)
    {
        int a = Math.Abs(dx), b = Math.Abs(dy), c = Math.Abs(dz);
        int max = Math.Max(a, Math.Max(b, c));
        int min = Math.Min(a, Math.Min(b, c));
        int mid = a + b + c - max - min;
        return (Sqrt3 * min) + (Sqrt2 * (mid - min)) + (max - mid);
    }

    /// <summary>Length a + b·√2 + c·√3 of a path with the given move counts.</summary>
    public static double Length(long straight, long diagonal2, long diagonal3) =>
        straight + (Sqrt2 * diagonal2) + (Sqrt3 * diagonal3);
}
