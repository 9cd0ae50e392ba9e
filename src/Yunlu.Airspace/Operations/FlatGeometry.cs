using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using Yunlu.Geo;

namespace Yunlu.Airspace.Operations;

/// <summary>
/// A footprint flattened into arrays for the hot path of <see cref="IntentIndex"/>: polygons as interleaved lon/lat
/// (every ring with its closing point, rings concatenated in NTS order: shell then holes), circles as
/// [lon, lat, radius m].
/// </summary>
internal readonly struct FlatShape
{
    public const byte Polygon = 1;
    public const byte Circle = 2;

    public FlatShape(byte kind, double[] coords, int[]? ringEnds, GeoBounds bounds)
    {
        Kind = kind;
        Coords = coords;
        RingEnds = ringEnds;
        Bounds = bounds;
    }

    public byte Kind { get; }

    /// <summary>Polygon: x0, y0, x1, y1, … ; circle: lon, lat, radius.</summary>
    public double[] Coords { get; }

    /// <summary>Polygon with holes: the exclusive end (point index) of each ring; null for a single ring.</summary>
    public int[]? RingEnds { get; }

    public GeoBounds Bounds { get; }

    public static FlatShape From(Volume3D volume)
    {
        switch (volume.Footprint)
        {
            case CircleFootprint c:
                return new FlatShape(Circle, [c.Center.LonDeg, c.Center.LatDeg, c.RadiusM], null, volume.Bounds);
            case PolygonFootprint p:
            {
                Polygon poly = p.Polygon;
                int total = poly.Shell.NumPoints;
                for (int r = 0; r < poly.NumInteriorRings; r++)
                {
                    total += poly.GetInteriorRingN(r).NumPoints;
                }

                var coords = new double[total * 2];
                int[]? ends = poly.NumInteriorRings > 0 ? new int[poly.NumInteriorRings + 1] : null;
                int k = 0;
                for (int r = -1; r < poly.NumInteriorRings; r++)
                {
                    CoordinateSequence seq = (r < 0 ? poly.Shell : poly.GetInteriorRingN(r)).CoordinateSequence;
                    for (int i = 0; i < seq.Count; i++)
                    {
                        coords[k++] = seq.GetX(i);
                        coords[k++] = seq.GetY(i);
                    }

                    if (ends is not null)
                    {
                        ends[r + 1] = k / 2;
                    }
                }

                return new FlatShape(Polygon, coords, ends, volume.Bounds);
            }

            default:
                throw new ArgumentException("unknown footprint type", nameof(volume));
        }
    }

    public int RingCount => RingEnds?.Length ?? 1;

    public int RingStart(int r) => r == 0 ? 0 : RingEnds![r - 1];

    public int RingEnd(int r) => RingEnds is null ? Coords.Length / 2 : RingEnds[r];

    public int PointCount => Kind == Polygon ? Coords.Length / 2 : 0;
}

/// <summary>
/// Exact footprint intersection on <see cref="FlatShape"/>s, giving the same answer as
/// <see cref="Volume3D.FootprintsIntersect"/> (closed footprints): polygon–polygon by robust orientation predicates
/// (NetTopologySuite's <see cref="CGAlgorithmsDD.OrientationIndex(double, double, double, double, double, double)"/>,
/// the predicate its own intersection test uses) on lon/lat — any pair of closed edges meeting, else a vertex of one
/// inside the other (ray crossing); polygon–circle and circle–circle by the very computations of <see cref="Volume3D"/>.
/// Allocation-free; O(n·m) edge pairs with per-edge box pruning.
/// </summary>
internal static class FlatGeometry
{
    /// <summary>True when the closed footprints share a point. <paramref name="a"/> is the query side (its circle
    /// centre is the first argument of the geodesic inverse, as in <c>query.Intersects(other)</c>).</summary>
    public static bool Intersects(in FlatShape a, in FlatShape b)
    {
        if (!a.Bounds.Intersects(b.Bounds))
        {
            return false;
        }

        if (a.Kind == FlatShape.Polygon)
        {
            return b.Kind == FlatShape.Polygon ? PolygonPolygon(a, b) : PolygonCircle(a, b.Coords);
        }

        if (b.Kind == FlatShape.Polygon)
        {
            return PolygonCircle(b, a.Coords);
        }

        var ca = new GeoPoint(a.Coords[0], a.Coords[1]);
        var cb = new GeoPoint(b.Coords[0], b.Coords[1]);
        return Geodesic.Wgs84.Inverse(ca, cb).DistanceM <= a.Coords[2] + b.Coords[2];
    }

    public static bool PolygonPolygon(in FlatShape a, in FlatShape b)
    {
        double[] ac = a.Coords, bc = b.Coords;
        GeoBounds bb = b.Bounds;
        for (int ra = 0; ra < a.RingCount; ra++)
        {
            int aEnd = a.RingEnd(ra);
            for (int i = a.RingStart(ra); i + 1 < aEnd; i++)
            {
                double ax1 = ac[2 * i], ay1 = ac[(2 * i) + 1], ax2 = ac[(2 * i) + 2], ay2 = ac[(2 * i) + 3];
                double aMinX = Math.Min(ax1, ax2), aMaxX = Math.Max(ax1, ax2), aMinY = Math.Min(ay1, ay2), aMaxY = Math.Max(ay1, ay2);
                if (aMaxX < bb.WestLonDeg || aMinX > bb.EastLonDeg || aMaxY < bb.SouthLatDeg || aMinY > bb.NorthLatDeg)
                {
                    continue;
                }

                for (int rb = 0; rb < b.RingCount; rb++)
                {
                    int bEnd = b.RingEnd(rb);
                    for (int j = b.RingStart(rb); j + 1 < bEnd; j++)
                    {
                        double bx1 = bc[2 * j], by1 = bc[(2 * j) + 1], bx2 = bc[(2 * j) + 2], by2 = bc[(2 * j) + 3];
                        if (Math.Max(bx1, bx2) < aMinX || Math.Min(bx1, bx2) > aMaxX || Math.Max(by1, by2) < aMinY || Math.Min(by1, by2) > aMaxY)
                        {
                            continue;
                        }

                        if (SegmentsIntersect(ax1, ay1, ax2, ay2, bx1, by1, bx2, by2))
                        {
                            return true;
                        }
                    }
                }
            }
        }

        // No boundaries meet: one contains the other (a vertex of one lies inside) or they are apart.
        return InPolygon(b, ac[0], ac[1]) || InPolygon(a, bc[0], bc[1]);
    }

    /// <summary>Closed segments meet; their boxes are known to overlap.</summary>
    public static bool SegmentsIntersect(double ax1, double ay1, double ax2, double ay2, double bx1, double by1, double bx2, double by2)
    {
        int o1 = CGAlgorithmsDD.OrientationIndex(ax1, ay1, ax2, ay2, bx1, by1);
        int o2 = CGAlgorithmsDD.OrientationIndex(ax1, ay1, ax2, ay2, bx2, by2);
        if (o1 == o2 && o1 != 0)
        {
            return false;
        }

        int o3 = CGAlgorithmsDD.OrientationIndex(bx1, by1, bx2, by2, ax1, ay1);
        int o4 = CGAlgorithmsDD.OrientationIndex(bx1, by1, bx2, by2, ax2, ay2);
        if (o3 == o4 && o3 != 0)
        {
            return false;
        }

        // Either a proper or endpoint crossing, or all collinear with overlapping boxes (hence overlapping).
        return true;
    }

    /// <summary>True when (x, y) is inside or on the closed polygon: even–odd ray crossing over all rings with the
    /// half-open vertex convention and exact orientation (as NetTopologySuite's RayCrossingCounter).</summary>
    public static bool InPolygon(in FlatShape poly, double x, double y)
    {
        GeoBounds bb = poly.Bounds;
        if (x < bb.WestLonDeg || x > bb.EastLonDeg || y < bb.SouthLatDeg || y > bb.NorthLatDeg)
        {
            return false;
        }

        double[] c = poly.Coords;
        int crossings = 0;
        for (int r = 0; r < poly.RingCount; r++)
        {
            int end = poly.RingEnd(r);
            for (int i = poly.RingStart(r); i + 1 < end; i++)
            {
                double x1 = c[2 * i], y1 = c[(2 * i) + 1], x2 = c[(2 * i) + 2], y2 = c[(2 * i) + 3];
                if (x1 < x && x2 < x)
                {
                    continue;
                }

                if ((x == x2 && y == y2) || (x == x1 && y == y1))
                {
                    return true;
                }

                if (y1 == y && y2 == y)
                {
                    if (x >= Math.Min(x1, x2) && x <= Math.Max(x1, x2))
                    {
                        return true;
                    }

                    continue;
                }

                if ((y1 > y && y2 <= y) || (y2 > y && y1 <= y))
                {
                    int orient = CGAlgorithmsDD.OrientationIndex(x1, y1, x2, y2, x, y);
                    if (orient == 0)
                    {
                        return true;
                    }

                    if (y2 < y1)
                    {
                        orient = -orient;
                    }

                    if (orient > 0)
                    {
                        crossings++;
                    }
                }
            }
        }

        return (crossings & 1) == 1;
    }

    /// <summary>The computation of <see cref="Volume3D.DistanceToPolygonM"/> on flat coordinates (same order, same
    /// arithmetic, hence the same result), compared with the radius.</summary>
    public static bool PolygonCircle(in FlatShape poly, double[] circle)
    {
        var plane = new LocalTangentPlane(new GeoPoint(circle[0], circle[1]));
        double[] c = poly.Coords;
        bool inside = false;
        double best = double.PositiveInfinity;
        for (int r = 0; r < poly.RingCount; r++)
        {
            int start = poly.RingStart(r), end = poly.RingEnd(r);
            PlanarPoint prev = plane.Forward(c[2 * (end - 1)], c[(2 * (end - 1)) + 1]);
            for (int i = start; i < end; i++)
            {
                PlanarPoint cur = plane.Forward(c[2 * i], c[(2 * i) + 1]);
                double d2 = Volume3D.SegmentDistanceSquaredM2(prev, cur);
                if (d2 < best)
                {
                    best = d2;
                }

                if ((cur.NorthM > 0) != (prev.NorthM > 0) &&
                    0 < cur.EastM + ((prev.EastM - cur.EastM) * (0 - cur.NorthM) / (prev.NorthM - cur.NorthM)))
                {
                    inside = !inside;
                }

                prev = cur;
            }
        }

        double distance = inside ? 0 : Math.Sqrt(best);
        return distance <= circle[2];
    }
}
