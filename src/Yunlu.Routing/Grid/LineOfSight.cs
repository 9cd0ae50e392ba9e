namespace Yunlu.Routing.Grid;

/// <summary>
/// Exact line of sight between voxel centres, consistent with the Warframe no-corner-cutting rule: the segment is
/// clear only when every voxel whose closed unit box it touches is free (a conservative supercover). Where the
/// segment passes through an edge or corner shared by several voxels, all of them must be free, so a single grid
/// move is clear exactly when the move rule allows it.
/// </summary>
/// <remarks>
/// Integer arithmetic only: with voxel v occupying [v − ½, v + ½] on each axis, the segment from a to b crosses the
/// planes between voxels of axis i at t = (2m + 1) / (2·|b_i − a_i|), m = 0 … |b_i − a_i| − 1; crossings are
/// ordered by cross-multiplication, and simultaneous crossings (an edge or a corner) check every voxel around the
/// crossing point. Cost O(|dx| + |dy| + |dz|) voxel reads.
/// </remarks>
public static class LineOfSight
{
    /// <summary>True when the straight segment between the centres of <paramref name="a"/> and <paramref name="b"/>
    /// touches only free voxels.</summary>
    public static bool IsClear(VoxelGrid grid, GridPoint a, GridPoint b)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (grid.IsBlocked(a) || grid.IsBlocked(b)) return false;
        int nx = Math.Abs(b.X - a.X), ny = Math.Abs(b.Y - a.Y), nz = Math.Abs(b.Z - a.Z);
        int sx = Math.Sign(b.X - a.X), sy = Math.Sign(b.Y - a.Y), sz = Math.Sign(b.Z - a.Z);
        int x = a.X, y = a.Y, z = a.Z;
        int mx = 0, my = 0, mz = 0;
        while (mx < nx || my < ny || mz < nz)
        {
            // Numerators/denominators of the next crossing parameter per axis: t_i = (2 m_i + 1) / (2 n_i).
            bool hasX = mx < nx, hasY = my < ny, hasZ = mz < nz;
            // Pick the smallest t among the axes that still cross; ties cross together.
            int best = hasX ? 0 : hasY ? 1 : 2;
            long bn = best switch { 0 => (2L * mx) + 1, 1 => (2L * my) + 1, _ => (2L * mz) + 1 };
            long bd = best switch { 0 => nx, 1 => ny, _ => nz };
            bool tieX = best == 0, tieY = best == 1, tieZ = best == 2;
            if (hasY && best < 1) Compare((2L * my) + 1, ny, ref bn, ref bd, ref tieX, ref tieY, ref tieZ, 1);
            if (hasZ && best < 2) Compare((2L * mz) + 1, nz, ref bn, ref bd, ref tieX, ref tieY, ref tieZ, 2);

            int x1 = tieX ? x + sx : x, y1 = tieY ? y + sy : y, z1 = tieZ ? z + sz : z;
            for (int cx = Math.Min(x, x1); cx <= Math.Max(x, x1); cx++)
            {
                for (int cy = Math.Min(y, y1); cy <= Math.Max(y, y1); cy++)
                {
                    for (int cz = Math.Min(z, z1); cz <= Math.Max(z, z1); cz++)
                    {
                        if (grid.IsBlocked(cx, cy, cz)) return false;
                    }
                }
            }

            if (tieX) { x = x1; mx++; }
            if (tieY) { y = y1; my++; }
            if (tieZ) { z = z1; mz++; }
        }

        return true;
    }

    private static void Compare(long num, long den, ref long bn, ref long bd,
        ref bool tieX, ref bool tieY, ref bool tieZ, int axis)
    {
        // num/den vs bn/bd (positive denominators).
        long lhs = num * bd, rhs = bn * den;
        if (lhs > rhs) return;
        if (lhs < rhs)
        {
            tieX = false;
            tieY = false;
            tieZ = false;
            bn = num;
            bd = den;
        }

        if (axis == 1) tieY = true;
        else tieZ = true;
    }
}
