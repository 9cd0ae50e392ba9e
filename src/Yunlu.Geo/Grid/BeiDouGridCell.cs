namespace Yunlu.Geo.Grid;

/// <summary>
/// One cell of the BeiDou grid (GB/T 39409-2020) at a level 1–10, 2-D or 3-D, held as integer indices so that
/// neighbours, parents and children are exact.
/// </summary>
/// <remarks>
/// <para>Indices are signed and consecutive across the prime meridian, the equator and the ellipsoid:
/// <see cref="LonIndex"/> i covers longitudes [i·d, (i + 1)·d) for the level's cell width d (negative i = western
/// hemisphere, i ranging over [−180°/d, 180°/d)); likewise <see cref="LatIndex"/> (|lat| &lt; 88°) and
/// <see cref="HeightIndex"/> (height layers of the level: 2^(bits below the level) level-10 layers each).</para>
/// <para>Create cells with <see cref="BeiDouGrid.Locate"/>, <see cref="BeiDouGrid.Locate3D"/> or
/// <see cref="BeiDouGrid.Decode"/>.</para>
/// </remarks>
public readonly record struct BeiDouGridCell
{
    internal BeiDouGridCell(int level, int lonIndex, int latIndex, int heightIndex, bool hasHeight)
    {
        Level = level;
        LonIndex = lonIndex;
        LatIndex = latIndex;
        HeightIndex = heightIndex;
        HasHeight = hasHeight;
    }

    /// <summary>The level, 1–10.</summary>
    public int Level { get; }

    /// <summary>Signed longitude index at this level (≥ 0 east of the prime meridian).</summary>
    public int LonIndex { get; }

    /// <summary>Signed latitude index at this level (≥ 0 north of the equator).</summary>
    public int LatIndex { get; }

    /// <summary>Signed height index at this level (≥ 0 above the ellipsoid); 0 for 2-D cells.</summary>
    public int HeightIndex { get; }

    /// <summary>True for a 3-D cell (code with height characters).</summary>
    public bool HasHeight { get; }

    /// <summary>Cell width in degrees of longitude.</summary>
    public double WidthDeg => (double)BeiDouGrid.LonSize[Level] / BeiDouGrid.UnitsPerDegree;

    /// <summary>Cell height in degrees of latitude.</summary>
    public double HeightDeg => (double)BeiDouGrid.LatSize[Level] / BeiDouGrid.UnitsPerDegree;

    /// <summary>Western edge, degrees.</summary>
    public double WestLonDeg => (double)LonIndex * BeiDouGrid.LonSize[Level] / BeiDouGrid.UnitsPerDegree;

    /// <summary>Eastern edge, degrees.</summary>
    public double EastLonDeg => (double)(LonIndex + 1L) * BeiDouGrid.LonSize[Level] / BeiDouGrid.UnitsPerDegree;

    /// <summary>Southern edge, degrees.</summary>
    public double SouthLatDeg => (double)LatIndex * BeiDouGrid.LatSize[Level] / BeiDouGrid.UnitsPerDegree;

    /// <summary>Northern edge, degrees.</summary>
    public double NorthLatDeg => (double)(LatIndex + 1L) * BeiDouGrid.LatSize[Level] / BeiDouGrid.UnitsPerDegree;

    /// <summary>The centre of the cell.</summary>
    public GeoPoint Center => new(
        (LonIndex + 0.5) * BeiDouGrid.LonSize[Level] / BeiDouGrid.UnitsPerDegree,
        (LatIndex + 0.5) * BeiDouGrid.LatSize[Level] / BeiDouGrid.UnitsPerDegree);

    /// <summary>The corner of the cell nearest the equator and the prime meridian (the point its code is counted from).</summary>
    public GeoPoint OriginCorner => new(LonIndex >= 0 ? WestLonDeg : EastLonDeg, LatIndex >= 0 ? SouthLatDeg : NorthLatDeg);

    /// <summary>Lower bound of the height band, metres above the ellipsoid (3-D cells only).</summary>
    public double LowerHeightW84M
    {
        get
        {
            RequireHeight();
            return BeiDouGrid.HeightLayerFloorM((long)HeightIndex << BeiDouGrid.HeightShift[Level]);
        }
    }

    /// <summary>Upper bound (exclusive) of the height band, metres above the ellipsoid (3-D cells only).</summary>
    public double UpperHeightW84M
    {
        get
        {
            RequireHeight();
            return BeiDouGrid.HeightLayerFloorM((HeightIndex + 1L) << BeiDouGrid.HeightShift[Level]);
        }
    }

    /// <summary>The code of this cell (2-D, or interleaved 3-D).</summary>
    public string Code
    {
        get
        {
            Span<char> buf = stackalloc char[BeiDouGrid.MaxLength3D];
            int n = BeiDouGrid.WriteCell(buf, this);
            return new string(buf[..n]);
        }
    }

    /// <summary>The cell one level up (the same height band widened for 3-D cells).</summary>
    /// <exception cref="InvalidOperationException">The cell is at level 1.</exception>
    public BeiDouGridCell Parent
    {
        get
        {
            if (Level == BeiDouGrid.MinLevel)
            {
                throw new InvalidOperationException("a level-1 cell has no parent cell (level 0 is a hemisphere)");
            }

            int pl = Level - 1;
            int rl = BeiDouGrid.LonSize[pl] / BeiDouGrid.LonSize[Level];
            int rb = BeiDouGrid.LatSize[pl] / BeiDouGrid.LatSize[Level];
            int hb = BeiDouGrid.HeightShift[pl] - BeiDouGrid.HeightShift[Level];
            return new BeiDouGridCell(pl, FloorDiv(LonIndex, rl), FloorDiv(LatIndex, rb), HasHeight ? HeightIndex >> hb : 0, HasHeight);
        }
    }

    /// <summary>The same cell without its height part.</summary>
    public BeiDouGridCell As2D() => new(Level, LonIndex, LatIndex, 0, false);

    /// <summary>Writes the code into <paramref name="destination"/> without allocating.</summary>
    /// <param name="destination">Needs up to 20 (2-D) or 32 (3-D) characters.</param>
    /// <param name="charsWritten">Characters written.</param>
    /// <returns>False when the destination is too short.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        int need = HasHeight ? BeiDouGrid.CodeLength3D(Level) : BeiDouGrid.CodeLength2D(Level);
        if (destination.Length < need)
        {
            charsWritten = 0;
            return false;
        }

        charsWritten = BeiDouGrid.WriteCell(destination, this);
        return true;
    }

    /// <summary>True when <paramref name="p"/> lies in this cell's footprint (same boundary rule as encoding).</summary>
    /// <param name="p">Position (|lat| &lt; 88°).</param>
    public bool Contains(GeoPoint p) =>
        p.IsValid && Math.Abs(p.LatDeg) < BeiDouGrid.MaxAbsLatDeg &&
        BeiDouGrid.LonIndex(p.LonDeg, Level) == LonIndex && BeiDouGrid.LatIndex(p.LatDeg, Level) == LatIndex;

    /// <summary>True when the point and ellipsoidal height lie in this 3-D cell.</summary>
    /// <param name="p">Position.</param>
    /// <param name="heightW84M">Ellipsoidal height, metres.</param>
    public bool Contains(GeoPoint p, double heightW84M)
    {
        RequireHeight();
        return Contains(p) && BeiDouGrid.TryHeightLayer(heightW84M, out long layer) &&
            (layer >> BeiDouGrid.HeightShift[Level]) == HeightIndex;
    }

    /// <summary>The neighbouring cell at the same level, if any.</summary>
    /// <param name="direction">Direction; Up/Down need a 3-D cell.</param>
    /// <param name="neighbor">The neighbour, or default when false is returned.</param>
    /// <returns>False beyond ±88° latitude, beyond the height range, or for Up/Down on a 2-D cell.</returns>
    public bool TryGetNeighbor(GridDirection direction, out BeiDouGridCell neighbor)
    {
        int nLon = BeiDouGrid.MaxLonUnits / BeiDouGrid.LonSize[Level];
        int nLat = BeiDouGrid.MaxLatUnits / BeiDouGrid.LatSize[Level];
        long nHeight = 1L << (31 - BeiDouGrid.HeightShift[Level]);
        int i = LonIndex, j = LatIndex;
        long h = HeightIndex;
        switch (direction)
        {
            case GridDirection.East:
                i = i + 1 == nLon ? -nLon : i + 1;
                break;
            case GridDirection.West:
                i = i == -nLon ? nLon - 1 : i - 1;
                break;
            case GridDirection.North:
                j++;
                break;
            case GridDirection.South:
                j--;
                break;
            case GridDirection.Up:
                h++;
                break;
            case GridDirection.Down:
                h--;
                break;
            default:
                neighbor = default;
                return false;
        }

        bool vertical = direction is GridDirection.Up or GridDirection.Down;
        if (j >= nLat || j < -nLat || (vertical && (!HasHeight || h >= nHeight || h < -nHeight)))
        {
            neighbor = default;
            return false;
        }

        neighbor = new BeiDouGridCell(Level, i, j, (int)h, HasHeight);
        return true;
    }

    /// <summary>The neighbouring cell at the same level.</summary>
    /// <param name="direction">Direction.</param>
    /// <exception cref="InvalidOperationException">No such neighbour (polar limit, height range, or Up/Down on a 2-D cell).</exception>
    public BeiDouGridCell Neighbor(GridDirection direction) =>
        TryGetNeighbor(direction, out BeiDouGridCell n)
            ? n
            : throw new InvalidOperationException($"cell {Code} has no {direction} neighbour (beyond ±88° latitude, the height range, or Up/Down on a 2-D cell)");

    /// <summary>All cells one level down inside this one (for 3-D cells, also split in height), in lon, lat, height order.</summary>
    /// <exception cref="InvalidOperationException">The cell is at level 10.</exception>
    public BeiDouGridCell[] Children()
    {
        if (Level == BeiDouGrid.MaxLevel)
        {
            throw new InvalidOperationException("a level-10 cell has no children");
        }

        int cl = Level + 1;
        int rl = BeiDouGrid.LonSize[Level] / BeiDouGrid.LonSize[cl];
        int rb = BeiDouGrid.LatSize[Level] / BeiDouGrid.LatSize[cl];
        int rh = HasHeight ? 1 << (BeiDouGrid.HeightShift[Level] - BeiDouGrid.HeightShift[cl]) : 1;
        var result = new BeiDouGridCell[rl * rb * rh];
        int k = 0;
        for (int a = 0; a < rl; a++)
        {
            for (int b = 0; b < rb; b++)
            {
                for (int c = 0; c < rh; c++)
                {
                    result[k++] = new BeiDouGridCell(cl, (LonIndex * rl) + a, (LatIndex * rb) + b, HasHeight ? (HeightIndex * rh) + c : 0, HasHeight);
                }
            }
        }

        return result;
    }

    /// <summary>The code.</summary>
    public override string ToString() => Code;

    private static int FloorDiv(int x, int d) => x >= 0 ? x / d : -1 - ((-1 - x) / d);

    private void RequireHeight()
    {
        if (!HasHeight)
        {
            throw new InvalidOperationException("a 2-D grid cell has no height band");
        }
    }
}
