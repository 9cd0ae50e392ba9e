namespace Yunlu.Routing.Grid;

/// <summary>The result of a grid search.</summary>
/// <param name="Found">True when a path exists under the move rule.</param>
/// <param name="LengthVoxels">Path length in voxel edge lengths: Straight + √2·Diagonal2 + √3·Diagonal3
/// (computed once from the integer move counts); +∞ when not found.</param>
/// <param name="Points">The voxels from start to goal inclusive; empty when not found.</param>
/// <param name="Straight">Number of 1-axis moves.</param>
/// <param name="Diagonal2">Number of 2-axis moves.</param>
/// <param name="Diagonal3">Number of 3-axis moves.</param>
/// <param name="Expansions">Nodes expanded by the search (a work measure).</param>
public sealed record GridPath(
    bool Found,
    double LengthVoxels,
    IReadOnlyList<GridPoint> Points,
    int Straight,
    int Diagonal2,
    int Diagonal3,
    long Expansions)
{
    /// <summary>The "no path" result.</summary>
    public static GridPath NotFound(long expansions) =>
        new(false, double.PositiveInfinity, Array.Empty<GridPoint>(), 0, 0, 0, expansions);

    /// <summary>Builds a found path from its voxels, counting move kinds as integers.</summary>
    internal static GridPath FromPoints(GridPoint[] points, long expansions)
    {
        int s = 0, d2 = 0, d3 = 0;
        for (int i = 1; i < points.Length; i++)
        {
            int k = Math.Abs(points[i].X - points[i - 1].X) + Math.Abs(points[i].Y - points[i - 1].Y) +
                    Math.Abs(points[i].Z - points[i - 1].Z);
            switch (k)
            {
                case 1: s++; break;
                case 2: d2++; break;
                default: d3++; break;
            }
        }

        return new GridPath(true, GridMoves.Length(s, d2, d3), points, s, d2, d3, expansions);
    }
}
