using System.Globalization;

namespace Yunlu.Routing.Grid;

/// <summary>A voxel address in a <see cref="VoxelGrid"/>: 0-based integer indices along X (width), Y (height), Z (depth).</summary>
/// <param name="X">Index along the grid's X axis, [0, Width).</param>
/// <param name="Y">Index along the grid's Y axis, [0, Height).</param>
/// <param name="Z">Index along the grid's Z axis, [0, Depth).</param>
public readonly record struct GridPoint(int X, int Y, int Z)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({X}, {Y}, {Z})");
}
