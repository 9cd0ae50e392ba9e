using System.Numerics;
using System.Runtime.CompilerServices;

namespace Yunlu.Routing.Grid;

/// <summary>
/// A 3D occupancy grid of unit voxels, bit-packed (one bit per voxel, 1 = blocked). Everything outside the box
/// [0, Width) × [0, Height) × [0, Depth) counts as blocked.
/// </summary>
/// <remarks>
/// Internally the box is padded by one blocked voxel on every side, so the planners' neighbour reads never need a
/// bounds check: a voxel's 3 × 3 × 3 neighbourhood is nine 3-bit reads. Memory: one bit per padded voxel
/// (the Warframe map A1, 896 × 390 × 255, takes 11 MB).
/// </remarks>
public sealed class VoxelGrid
{
    private readonly ulong[] _blocked;

    /// <summary>Creates a grid with every voxel inside the box free.</summary>
    /// <param name="width">Voxel count along X, at least 1.</param>
    /// <param name="height">Voxel count along Y, at least 1.</param>
    /// <param name="depth">Voxel count along Z, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1 or the padded volume exceeds 2^31 − 128 voxels.</exception>
    public VoxelGrid(int width, int height, int depth)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be at least 1 voxel.");
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), height, "height must be at least 1 voxel.");
        if (depth < 1) throw new ArgumentOutOfRangeException(nameof(depth), depth, "depth must be at least 1 voxel.");
        long padded = (long)(width + 2) * (height + 2) * (depth + 2);
        if (padded > int.MaxValue - 128)
        {
            throw new ArgumentOutOfRangeException(nameof(width), padded,
                "the padded volume (width+2)·(height+2)·(depth+2) must stay below 2^31 − 128 voxels.");
        }

        Width = width;
        Height = height;
        Depth = depth;
        StrideY = width + 2;
        StrideZ = (width + 2) * (height + 2);
        PaddedCount = (int)padded;
        // One spare word so a 3-bit read at the last voxel may touch the following word.
        _blocked = new ulong[(PaddedCount >> 6) + 2];
        for (int z = 0; z < depth + 2; z++)
        {
            for (int y = 0; y < height + 2; y++)
            {
                bool border = z == 0 || z == depth + 1 || y == 0 || y == height + 1;
                int row = y * StrideY + z * StrideZ;
                if (border)
                {
                    for (int x = 0; x < width + 2; x++) SetBit(row + x);
                }
                else
                {
                    SetBit(row);
                    SetBit(row + width + 1);
                }
            }
        }
    }

    /// <summary>Voxel count along X.</summary>
    public int Width { get; }

    /// <summary>Voxel count along Y.</summary>
    public int Height { get; }

    /// <summary>Voxel count along Z.</summary>
    public int Depth { get; }

    /// <summary>Width × Height × Depth.</summary>
    public long VoxelCount => (long)Width * Height * Depth;

    /// <summary>Bytes of the packed occupancy array (one bit per padded voxel).</summary>
    public long MemoryBytes => (long)_blocked.Length * sizeof(ulong);

    /// <summary>Number of blocked voxels inside the box.</summary>
    public long BlockedCount { get; private set; }

    internal int StrideY { get; }

    /// <summary>The packed occupancy (bit i = padded voxel i, 1 = blocked) plus two spare words; read-only for planners.</summary>
    internal ulong[] BlockedBits => _blocked;

    internal int StrideZ { get; }

    /// <summary>Number of voxels of the padded box; internal indexes lie in [0, PaddedCount).</summary>
    internal int PaddedCount { get; }

    /// <summary>True when the point lies inside the box.</summary>
    public bool Contains(GridPoint p) =>
        (uint)p.X < (uint)Width && (uint)p.Y < (uint)Height && (uint)p.Z < (uint)Depth;

    /// <summary>True when the voxel is blocked or lies outside the box.</summary>
    public bool IsBlocked(int x, int y, int z) =>
        (uint)x >= (uint)Width || (uint)y >= (uint)Height || (uint)z >= (uint)Depth || IsBlockedIndex(Index(x, y, z));

    /// <summary>True when the voxel is blocked or lies outside the box.</summary>
    public bool IsBlocked(GridPoint p) => IsBlocked(p.X, p.Y, p.Z);

    /// <summary>Marks one voxel inside the box blocked or free.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The voxel lies outside the box.</exception>
    public void SetBlocked(int x, int y, int z, bool blocked = true)
    {
        if ((uint)x >= (uint)Width) throw new ArgumentOutOfRangeException(nameof(x), x, $"x must be in [0, {Width}).");
        if ((uint)y >= (uint)Height) throw new ArgumentOutOfRangeException(nameof(y), y, $"y must be in [0, {Height}).");
        if ((uint)z >= (uint)Depth) throw new ArgumentOutOfRangeException(nameof(z), z, $"z must be in [0, {Depth}).");
        int i = Index(x, y, z);
        bool was = IsBlockedIndex(i);
        if (was == blocked) return;
        if (blocked)
        {
            SetBit(i);
            BlockedCount++;
        }
        else
        {
            _blocked[i >> 6] &= ~(1UL << (i & 63));
            BlockedCount--;
        }
    }

    /// <summary>
    /// The Warframe move rule: a move from <paramref name="from"/> by (dx, dy, dz), each in {−1, 0, 1} and not all
    /// zero, is allowed only when every voxel of its bounding box {x, x+dx} × {y, y+dy} × {z, z+dz} is free
    /// (no corner cutting).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A step is outside {−1, 0, 1} or all three are zero.</exception>
    public bool IsMoveAllowed(GridPoint from, int dx, int dy, int dz)
    {
        if (dx is < -1 or > 1) throw new ArgumentOutOfRangeException(nameof(dx), dx, "dx must be -1, 0 or 1.");
        if (dy is < -1 or > 1) throw new ArgumentOutOfRangeException(nameof(dy), dy, "dy must be -1, 0 or 1.");
        if (dz is < -1 or > 1) throw new ArgumentOutOfRangeException(nameof(dz), dz, "dz must be -1, 0 or 1.");
        if (dx == 0 && dy == 0 && dz == 0) throw new ArgumentOutOfRangeException(nameof(dx), "a move must change at least one axis.");
        for (int ex = Math.Min(0, dx); ex <= Math.Max(0, dx); ex++)
        {
            for (int ey = Math.Min(0, dy); ey <= Math.Max(0, dy); ey++)
            {
                for (int ez = Math.Min(0, dz); ez <= Math.Max(0, dz); ez++)
                {
                    if (IsBlocked(from.X + ex, from.Y + ey, from.Z + ez)) return false;
                }
            }
        }

        return true;
    }

    /// <summary>Internal (padded) index of an in-box voxel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int Index(int x, int y, int z) => (x + 1) + (y + 1) * StrideY + (z + 1) * StrideZ;

    /// <summary>Box coordinates of an internal index (may be −1 or Width etc. for padding voxels).</summary>
    internal GridPoint PointOf(int index)
    {
        int z = Math.DivRem(index, StrideZ, out int rest);
        int y = Math.DivRem(rest, StrideY, out int x);
        return new GridPoint(x - 1, y - 1, z - 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool IsBlockedIndex(int index) => (_blocked[index >> 6] & (1UL << (index & 63))) != 0;

    /// <summary>
    /// The 3 × 3 × 3 neighbourhood of an internal index as a 27-bit mask of FREE voxels:
    /// bit (dx+1) + 3·(dy+1) + 9·(dz+1). The index must not be a padding voxel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int FreeNeighbourhood(int index)
    {
        int blocked = 0;
        int shift = 0;
        for (int dz = -1; dz <= 1; dz++)
        {
            for (int dy = -1; dy <= 1; dy++)
            {
                blocked |= Read3(index - 1 + dy * StrideY + dz * StrideZ) << shift;
                shift += 3;
            }
        }

        return ~blocked & 0x7FFFFFF;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Read3(int bit)
    {
        int word = bit >> 6;
        int s = bit & 63;
        ulong w = _blocked[word] >> s;
        if (s > 61) w |= _blocked[word + 1] << (64 - s);
        return (int)(w & 7);
    }

    private void SetBit(int index) => _blocked[index >> 6] |= 1UL << (index & 63);

    /// <summary>Population count of blocked padded voxels (used by tests to check the padding).</summary>
    internal long PaddedBlockedCount()
    {
        long n = 0;
        foreach (ulong w in _blocked) n += BitOperations.PopCount(w);
        return n;
    }
}
