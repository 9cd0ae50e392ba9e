using NetTopologySuite.Geometries;
using Yunlu.Airspace.Corridors;
using Yunlu.Geo;
using Yunlu.Geo.Grid;

namespace Yunlu.Airspace.Grid;

/// <summary>
/// Covers shapes with BeiDou grid cells: every cell whose closed rectangle meets the closed shape, and no other.
/// </summary>
/// <remarks>
/// <para>Algorithm (scan-line over grid rows): for the row band [S, N] the x-extent of shape ∩ band is the union of
/// (a) the x-ranges of every boundary edge clipped to the band and (b) the intervals where the horizontal line through
/// the band's middle is inside the shape (even–odd rule over all rings). A point of the extent whose vertical segment
/// through the band meets no edge has that whole segment inside the shape, so (b) catches it; hence the union is
/// exact. Each interval becomes the columns whose closed [W, E] meet it. Cost O(edges + rows spanned by edges +
/// output spans · log) — independent of the area, so a 10 km² polygon at level 7 (~190 000 cells) is a few hundred
/// row spans.</para>
/// <para>Edges are lon/lat-straight lines (as in GeoJSON and <see cref="FootprintGeometry"/>). Cell edges use the
/// same arithmetic as <see cref="BeiDouGridCell"/>; clipping an edge at a band line is one floating-point division,
/// so a vertex within ~1e-15° of a cell boundary may fall on either side. Circles are covered through an enclosing
/// polygon within <c>circleMaxErrorM</c> of the circle. Polygons must not cross the antimeridian or reach ±88°.</para>
/// </remarks>
public static class GridCovering
{
    /// <summary>Most cells a single cover may hold (guards against covering a province at level 10).</summary>
    public const long MaxCells = 50_000_000;

    /// <summary>Covers a polygon (lon/lat degrees, holes allowed).</summary>
    /// <param name="polygon">The polygon.</param>
    /// <param name="level">Grid level 1–10.</param>
    public static GridCover CoverPolygon(Polygon polygon, int level)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        GridMath.CheckLevel(level);
        var pieces = new List<Piece>(256);
        var crossings = new List<Piece>(256);
        for (int r = -1; r < polygon.NumInteriorRings; r++)
        {
            CoordinateSequence seq = (r < 0 ? polygon.Shell : polygon.GetInteriorRingN(r)).CoordinateSequence;
            for (int k = 0; k + 1 < seq.Count; k++)
            {
                AddEdge(level, seq.GetX(k), seq.GetY(k), seq.GetX(k + 1), seq.GetY(k + 1), pieces, crossings, interior: true);
            }
        }

        return Assemble(level, pieces, crossings);
    }

    /// <summary>Covers a footprint (polygon exactly; circle through an enclosing polygon).</summary>
    /// <param name="footprint">The footprint.</param>
    /// <param name="level">Grid level.</param>
    /// <param name="circleMaxErrorM">How far the polygon standing in for a circle may lie outside it, metres.</param>
    public static GridCover CoverFootprint(Footprint footprint, int level, double circleMaxErrorM = 0.05) => footprint switch
    {
        PolygonFootprint p => CoverPolygon(p.Polygon, level),
        CircleFootprint c => CoverPolygon(c.ToPolygon(circleMaxErrorM), level),
        _ => throw new ArgumentException($"unknown footprint type {footprint?.GetType().Name ?? "null"}", nameof(footprint)),
    };

    /// <summary>Covers a polyline (every cell a lon/lat-straight leg touches).</summary>
    /// <param name="points">At least one point.</param>
    /// <param name="level">Grid level.</param>
    public static GridCover CoverPolyline(IReadOnlyList<GeoPoint> points, int level)
    {
        ArgumentNullException.ThrowIfNull(points);
        GridMath.CheckLevel(level);
        if (points.Count == 0)
        {
            throw new ArgumentException("a polyline needs at least one point", nameof(points));
        }

        var pieces = new List<Piece>(64);
        if (points.Count == 1)
        {
            AddEdge(level, points[0].LonDeg, points[0].LatDeg, points[0].LonDeg, points[0].LatDeg, pieces, null, interior: false);
        }

        for (int k = 0; k + 1 < points.Count; k++)
        {
            AddEdge(level, points[k].LonDeg, points[k].LatDeg, points[k + 1].LonDeg, points[k + 1].LatDeg, pieces, null, interior: false);
        }

        return Assemble(level, pieces, []);
    }

    /// <summary>Covers a corridor's footprint polygon (see <see cref="CorridorGeometry.FootprintPolygon"/>).</summary>
    /// <param name="corridor">The corridor.</param>
    /// <param name="level">Grid level.</param>
    public static GridCover CoverCorridor(Corridor corridor, int level) =>
        CoverPolygon(new CorridorGeometry(corridor).FootprintPolygon(16), level);

    /// <summary>
    /// Covers a volume with 3-D cells: the footprint's 2-D cover × every height layer of the level whose half-open band
    /// [floor, ceiling) meets the volume's half-open [lower, upper).
    /// </summary>
    /// <param name="volume">The volume; W84 bounds are exact, AMSL bounds are converted with the EGM96 geoid at the
    /// footprint's centre (the undulation changes by centimetres per kilometre).</param>
    /// <param name="level">Grid level.</param>
    /// <exception cref="ArgumentException">The volume is AGL (convert it to W84 with the terrain first).</exception>
    public static IReadOnlyList<BeiDouGridCell> CoverVolume(Volume3D volume, int level)
    {
        ArgumentNullException.ThrowIfNull(volume);
        GridCover cover = CoverFootprint(volume.Footprint, level);
        double lo = volume.Lower.ValueM, hi = volume.Upper.ValueM;
        switch (volume.Reference)
        {
            case AltitudeReference.W84:
                break;
            case AltitudeReference.Amsl:
                GeoBounds b = volume.Bounds;
                double n = Egm96Geoid.Instance.UndulationM(new GeoPoint((b.WestLonDeg + b.EastLonDeg) / 2, (b.SouthLatDeg + b.NorthLatDeg) / 2));
                lo += n;
                hi += n;
                break;
            default:
                throw new ArgumentException("an AGL volume follows the terrain; convert it to W84 (AltitudeConverter with ground data) before covering it with 3-D cells", nameof(volume));
        }

        long h0 = GridMath.HeightIndex(level, lo);
        long h1 = GridMath.HeightIndex(level, hi);
        if (GridMath.HeightFloorM(level, h1) >= hi)
        {
            h1--; // the layer starting exactly at the exclusive upper bound is outside
        }

        long total = cover.CellCount * Math.Max(0, h1 - h0 + 1);
        if (total > MaxCells)
        {
            throw new ArgumentException($"the volume needs {total} cells at level {level}, more than {MaxCells}; choose a coarser level", nameof(level));
        }

        var result = new List<BeiDouGridCell>((int)total);
        foreach (GridRowSpan s in cover.Spans)
        {
            for (int i = s.FirstLonIndex; i <= s.LastLonIndex; i++)
            {
                for (long h = h0; h <= h1; h++)
                {
                    result.Add(GridMath.Cell3D(level, i, s.LatIndex, (int)h));
                }
            }
        }

        return result;
    }

    /// <summary>Reference implementation for tests and benchmarks: tests every cell of the bounding box with
    /// NetTopologySuite's exact <c>Intersects</c> against the cell rectangle. O(cells in the box).</summary>
    /// <param name="polygon">The polygon.</param>
    /// <param name="level">Grid level.</param>
    public static GridCover CoverPolygonBruteForce(Polygon polygon, int level)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        GridMath.CheckLevel(level);
        Envelope e = polygon.EnvelopeInternal;
        int i0 = GridMath.FirstColumnReaching(level, e.MinX), i1 = GridMath.LastColumnReaching(level, e.MaxX);
        int j0 = GridMath.FirstRowReaching(level, e.MinY), j1 = GridMath.LastRowReaching(level, e.MaxY);
        var prepared = NetTopologySuite.Geometries.Prepared.PreparedGeometryFactory.Prepare(polygon);
        var spans = new List<GridRowSpan>();
        for (int j = j0; j <= j1; j++)
        {
            int start = int.MinValue;
            for (int i = i0; i <= i1 + 1; i++)
            {
                bool hit = false;
                if (i <= i1)
                {
                    double w = GridMath.WestDeg(level, i), ea = GridMath.WestDeg(level, i + 1L);
                    double s = GridMath.SouthDeg(level, j), n = GridMath.SouthDeg(level, j + 1L);
                    Polygon cell = FootprintGeometry.Factory.CreatePolygon([new(w, s), new(ea, s), new(ea, n), new(w, n), new(w, s)]);
                    hit = prepared.Intersects(cell);
                }

                if (hit && start == int.MinValue)
                {
                    start = i;
                }
                else if (!hit && start != int.MinValue)
                {
                    spans.Add(new GridRowSpan(j, start, i - 1));
                    start = int.MinValue;
                }
            }
        }

        return new GridCover(level, [.. spans]);
    }

    private static void AddEdge(int level, double x1, double y1, double x2, double y2, List<Piece> pieces, List<Piece>? crossings, bool interior)
    {
        double yMin = Math.Min(y1, y2), yMax = Math.Max(y1, y2);
        int j0 = GridMath.FirstRowReaching(level, yMin);
        int j1 = GridMath.LastRowReaching(level, yMax);
        for (int j = j0; j <= j1; j++)
        {
            double s = GridMath.SouthDeg(level, j), n = GridMath.SouthDeg(level, j + 1L);
            double xa, xb;
            if (y1 == y2)
            {
                xa = x1;
                xb = x2;
            }
            else
            {
                // Clip the edge to the closed band [s, n]; keep exact endpoints when they lie inside.
                double inv = 1.0 / (y2 - y1);
                double ta = (s - y1) * inv, tb = (n - y1) * inv;
                double tLo = Math.Max(0, Math.Min(ta, tb)), tHi = Math.Min(1, Math.Max(ta, tb));
                if (tLo > tHi)
                {
                    continue;
                }

                xa = tLo == 0 ? x1 : tLo == 1 ? x2 : x1 + (tLo * (x2 - x1));
                xb = tHi == 1 ? x2 : tHi == 0 ? x1 : x1 + (tHi * (x2 - x1));
            }

            pieces.Add(new Piece(j, Math.Min(xa, xb), Math.Max(xa, xb)));

            if (interior && crossings is not null)
            {
                // Crossing of the band's middle line by the even–odd rule.
                double c = (s + n) / 2;
                if ((y1 > c) != (y2 > c))
                {
                    double x = x1 + ((c - y1) * (x2 - x1) / (y2 - y1));
                    crossings.Add(new Piece(j, x, x));
                }
            }
        }
    }

    private static GridCover Assemble(int level, List<Piece> pieces, List<Piece> crossings)
    {
        // Interior intervals: pair the sorted crossings of each row.
        crossings.Sort(static (a, b) => a.Row != b.Row ? a.Row.CompareTo(b.Row) : a.X0.CompareTo(b.X0));
        for (int k = 0; k + 1 < crossings.Count; k += 2)
        {
            Piece a = crossings[k], b = crossings[k + 1];
            if (a.Row != b.Row)
            {
                k--; // unpaired crossing (degenerate ring); resynchronise on the next row
                continue;
            }

            pieces.Add(new Piece(a.Row, a.X0, b.X0));
        }

        pieces.Sort(static (a, b) => a.Row != b.Row ? a.Row.CompareTo(b.Row) : a.X0.CompareTo(b.X0));
        var spans = new List<GridRowSpan>(Math.Max(4, pieces.Count / 4));
        long total = 0;
        int idx = 0;
        while (idx < pieces.Count)
        {
            int row = pieces[idx].Row;
            int curFirst = 0, curLast = 0;
            bool open = false;
            while (idx < pieces.Count && pieces[idx].Row == row)
            {
                Piece p = pieces[idx++];
                int first = GridMath.FirstColumnReaching(level, p.X0);
                int last = GridMath.LastColumnReaching(level, p.X1);
                if (!open)
                {
                    (curFirst, curLast, open) = (first, last, true);
                }
                else if (first <= curLast + 1)
                {
                    curLast = Math.Max(curLast, last);
                }
                else
                {
                    spans.Add(new GridRowSpan(row, curFirst, curLast));
                    total += curLast - curFirst + 1;
                    (curFirst, curLast) = (first, last);
                }
            }

            if (open)
            {
                spans.Add(new GridRowSpan(row, curFirst, curLast));
                total += curLast - curFirst + 1;
            }

            if (total > MaxCells)
            {
                throw new ArgumentException($"the cover needs more than {MaxCells} cells at level {level}; choose a coarser level", nameof(level));
            }
        }

        return new GridCover(level, [.. spans]);
    }

    private readonly record struct Piece(int Row, double X0, double X1);
}
