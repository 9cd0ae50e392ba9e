using Yunlu.Geo;
using Yunlu.Geo.Grid;

namespace Yunlu.Airspace.Grid;

/// <summary>A run of cells in one grid row: longitude indices <see cref="FirstLonIndex"/>..<see cref="LastLonIndex"/> inclusive.</summary>
/// <param name="LatIndex">The row's signed latitude index.</param>
/// <param name="FirstLonIndex">First signed longitude index.</param>
/// <param name="LastLonIndex">Last signed longitude index (inclusive).</param>
public readonly record struct GridRowSpan(int LatIndex, int FirstLonIndex, int LastLonIndex)
{
    /// <summary>Cells in the run.</summary>
    public int Count => LastLonIndex - FirstLonIndex + 1;
}

/// <summary>
/// A set of 2-D BeiDou grid cells at one level, held compactly as row spans sorted by row then longitude (spans in a
/// row do not overlap or touch). Cells are materialised only on request.
/// </summary>
public sealed class GridCover
{
    private readonly GridRowSpan[] _spans;

    internal GridCover(int level, GridRowSpan[] spans)
    {
        Level = level;
        _spans = spans;
        long n = 0;
        foreach (GridRowSpan s in spans)
        {
            n += s.Count;
        }

        CellCount = n;
    }

    /// <summary>The grid level.</summary>
    public int Level { get; }

    /// <summary>The row spans, sorted by row then first longitude index.</summary>
    public IReadOnlyList<GridRowSpan> Spans => _spans;

    /// <summary>Number of cells.</summary>
    public long CellCount { get; }

    /// <summary>True when the cell (at this level) is in the set. O(log spans).</summary>
    /// <param name="lonIndex">Signed longitude index.</param>
    /// <param name="latIndex">Signed latitude index.</param>
    public bool Contains(int lonIndex, int latIndex)
    {
        int lo = 0, hi = _spans.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            GridRowSpan s = _spans[mid];
            int c = s.LatIndex != latIndex ? s.LatIndex.CompareTo(latIndex) : s.LastLonIndex < lonIndex ? -1 : s.FirstLonIndex > lonIndex ? 1 : 0;
            if (c == 0)
            {
                return true;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return false;
    }

    /// <summary>True when the cell is in the set.</summary>
    /// <param name="cell">A 2-D or 3-D cell at <see cref="Level"/> (the height part is ignored).</param>
    public bool Contains(BeiDouGridCell cell) => cell.Level == Level && Contains(cell.LonIndex, cell.LatIndex);

    /// <summary>The cells, row by row (south to north), west to east within a row.</summary>
    public IEnumerable<BeiDouGridCell> Cells()
    {
        foreach (GridRowSpan s in _spans)
        {
            for (int i = s.FirstLonIndex; i <= s.LastLonIndex; i++)
            {
                yield return GridMath.Cell(Level, i, s.LatIndex);
            }
        }
    }

    /// <summary>The cell codes, in the order of <see cref="Cells"/>.</summary>
    public IEnumerable<string> Codes()
    {
        foreach (BeiDouGridCell c in Cells())
        {
            yield return c.Code;
        }
    }
}

/// <summary>Exact cell geometry from level tables (the integer units of <see cref="BeiDouGrid"/>).</summary>
public static class GridMath
{
    private static readonly int[] LonUnits = BuildUnits(lon: true);
    private static readonly int[] LatUnits = BuildUnits(lon: false);

    /// <summary>Height bits below each level (level 10 layers per level-L layer = 2^shift), GB/T 39409 §1 of STANDARDS.md.</summary>
    private static readonly int[] HeightShifts = [31, 25, 22, 21, 17, 13, 12, 9, 6, 3, 0];

    /// <summary>Cell width in 1/2048″ units at a level.</summary>
    /// <param name="level">1–10.</param>
    public static int LonUnitsAt(int level) => LonUnits[CheckLevel(level)];

    /// <summary>Cell height in 1/2048″ units at a level.</summary>
    /// <param name="level">1–10.</param>
    public static int LatUnitsAt(int level) => LatUnits[CheckLevel(level)];

    /// <summary>Western edge of column <paramref name="i"/>, degrees (same arithmetic as <see cref="BeiDouGridCell.WestLonDeg"/>).</summary>
    /// <param name="level">Level.</param>
    /// <param name="i">Signed longitude index.</param>
    public static double WestDeg(int level, long i) => (double)(i * LonUnits[level]) / BeiDouGrid.UnitsPerDegree;

    /// <summary>Southern edge of row <paramref name="j"/>, degrees.</summary>
    /// <param name="level">Level.</param>
    /// <param name="j">Signed latitude index.</param>
    public static double SouthDeg(int level, long j) => (double)(j * LatUnits[level]) / BeiDouGrid.UnitsPerDegree;

    /// <summary>The 2-D cell with these indices.</summary>
    /// <param name="level">Level 1–10.</param>
    /// <param name="lonIndex">Signed longitude index.</param>
    /// <param name="latIndex">Signed latitude index (within ±88°).</param>
    public static BeiDouGridCell Cell(int level, int lonIndex, int latIndex)
    {
        var centre = new GeoPoint(
            (WestDeg(level, lonIndex) + WestDeg(level, lonIndex + 1L)) / 2,
            (SouthDeg(level, latIndex) + SouthDeg(level, latIndex + 1L)) / 2);
        return BeiDouGrid.Locate(centre, level);
    }

    /// <summary>The 3-D cell with these indices.</summary>
    /// <param name="level">Level 1–10.</param>
    /// <param name="lonIndex">Signed longitude index.</param>
    /// <param name="latIndex">Signed latitude index.</param>
    /// <param name="heightIndex">Signed height index at the level.</param>
    public static BeiDouGridCell Cell3D(int level, int lonIndex, int latIndex, int heightIndex)
    {
        var centre = new GeoPoint(
            (WestDeg(level, lonIndex) + WestDeg(level, lonIndex + 1L)) / 2,
            (SouthDeg(level, latIndex) + SouthDeg(level, latIndex + 1L)) / 2);
        double lo = BeiDouGrid.HeightLayerFloorM((long)heightIndex << HeightShifts[level]);
        double hi = BeiDouGrid.HeightLayerFloorM(((long)heightIndex + 1) << HeightShifts[level]);
        return BeiDouGrid.Locate3D(centre, (lo + hi) / 2, level);
    }

    /// <summary>The signed height index at <paramref name="level"/> of the layer containing <paramref name="heightW84M"/>.</summary>
    /// <param name="level">Level.</param>
    /// <param name="heightW84M">Ellipsoidal height, metres.</param>
    public static long HeightIndex(int level, double heightW84M) => BeiDouGrid.HeightLayer(heightW84M) >> HeightShifts[level];

    /// <summary>Lower bound of height index <paramref name="h"/> at <paramref name="level"/>, metres W84.</summary>
    /// <param name="level">Level.</param>
    /// <param name="h">Signed height index.</param>
    public static double HeightFloorM(int level, long h) => BeiDouGrid.HeightLayerFloorM(h << HeightShifts[level]);

    /// <summary>Smallest column whose closed cell reaches <paramref name="xDeg"/> from the west (east edge ≥ x).</summary>
    internal static int FirstColumnReaching(int level, double xDeg)
    {
        long i = (long)Math.Floor(xDeg * BeiDouGrid.UnitsPerDegree / LonUnits[level]);
        while (WestDeg(level, i + 1) < xDeg)
        {
            i++;
        }

        while (WestDeg(level, i) >= xDeg && i > int.MinValue / 2)
        {
            i--;
        }

        // Now west(i) < x ≤ west(i+1): column i reaches x; column i−1 does not (its east edge is west(i) < x)…
        // …unless x is exactly on the boundary west(i+1), where column i+1 also touches; i is still the first.
        return (int)i;
    }

    /// <summary>Largest column whose closed cell reaches <paramref name="xDeg"/> from the east (west edge ≤ x).</summary>
    internal static int LastColumnReaching(int level, double xDeg)
    {
        long i = (long)Math.Floor(xDeg * BeiDouGrid.UnitsPerDegree / LonUnits[level]);
        while (WestDeg(level, i + 1) <= xDeg)
        {
            i++;
        }

        while (WestDeg(level, i) > xDeg)
        {
            i--;
        }

        return (int)i;
    }

    /// <summary>Smallest row whose closed cell reaches <paramref name="yDeg"/> (north edge ≥ y).</summary>
    internal static int FirstRowReaching(int level, double yDeg)
    {
        long j = (long)Math.Floor(yDeg * BeiDouGrid.UnitsPerDegree / LatUnits[level]);
        while (SouthDeg(level, j + 1) < yDeg)
        {
            j++;
        }

        while (SouthDeg(level, j) >= yDeg)
        {
            j--;
        }

        return (int)j;
    }

    /// <summary>Largest row whose closed cell reaches <paramref name="yDeg"/> (south edge ≤ y).</summary>
    internal static int LastRowReaching(int level, double yDeg)
    {
        long j = (long)Math.Floor(yDeg * BeiDouGrid.UnitsPerDegree / LatUnits[level]);
        while (SouthDeg(level, j + 1) <= yDeg)
        {
            j++;
        }

        while (SouthDeg(level, j) > yDeg)
        {
            j--;
        }

        return (int)j;
    }

    internal static int CheckLevel(int level)
    {
        if (level < BeiDouGrid.MinLevel || level > BeiDouGrid.MaxLevel)
        {
            throw new ArgumentOutOfRangeException(nameof(level), $"grid level {level} must be 1–10");
        }

        return level;
    }

    private static int[] BuildUnits(bool lon)
    {
        // Read the cell sizes off real cells so this table can never disagree with the codec.
        var units = new int[BeiDouGrid.MaxLevel + 1];
        for (int level = 1; level <= BeiDouGrid.MaxLevel; level++)
        {
            BeiDouGridCell c = BeiDouGrid.Locate(new GeoPoint(0.001, 0.001), level);
            units[level] = (int)Math.Round((lon ? c.WidthDeg : c.HeightDeg) * BeiDouGrid.UnitsPerDegree);
        }

        return units;
    }
}
