using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Buffer;
using NetTopologySuite.Operation.Union;
using NetTopologySuite.Simplify;
using Yunlu.Geo;

namespace Yunlu.Routing.Network;

/// <summary>
/// The keep-out areas in the local plane: each footprint buffered by the lateral clearance and unioned (the blocking
/// set), and the bend points of shortest paths around it: the convex vertices of the same areas buffered by the
/// clearance plus a margin and simplified by at most half that margin, so every bend point and every straight piece
/// between neighbouring ones stays strictly outside the blocking set.
/// </summary>
/// <remarks>
/// Shortest obstacle-avoiding paths among polygons bend only at convex obstacle vertices (Lozano-Pérez &amp; Wesley,
/// "An algorithm for planning collision-free paths among polyhedral obstacles", CACM 1979), which is why only those are
/// kept. A segment between two free points is blocked exactly when it meets a boundary edge of the blocking set.
/// </remarks>
internal sealed class KeepOutField
{
    private static readonly GeometryFactory PlaneFactory = new();

    private readonly double[] _ex1;
    private readonly double[] _ey1;
    private readonly double[] _ex2;
    private readonly double[] _ey2;

    // Per ring: first edge, edge count, bounding box.
    private readonly int[] _ringStart;
    private readonly int[] _ringCount;
    private readonly double[] _ringMinX;
    private readonly double[] _ringMinY;
    private readonly double[] _ringMaxX;
    private readonly double[] _ringMaxY;

    public KeepOutField(IReadOnlyList<Polygon> planarFootprints, double clearanceM)
    {
        ClearanceM = clearanceM;
        MarginM = Math.Max(4, clearanceM * 0.05);
        var blockingRings = new List<Coordinate[]>();
        var cornerX = new List<double>();
        var cornerY = new List<double>();
        if (planarFootprints.Count > 0)
        {
            var parameters = new BufferParameters(8, EndCapStyle.Round, JoinStyle.Round, 5);
            var blocking = new List<Geometry>();
            var outer = new List<Geometry>();
            foreach (Polygon p in planarFootprints)
            {
                blocking.Add(clearanceM > 0 ? BufferOp.Buffer(p, clearanceM, parameters) : p);
                outer.Add(BufferOp.Buffer(p, clearanceM + MarginM, parameters));
            }

            Geometry block = CascadedPolygonUnion.Union(blocking);
            Geometry corners = TopologyPreservingSimplifier.Simplify(CascadedPolygonUnion.Union(outer), MarginM / 2);
            Blocking = block;
            foreach (Polygon poly in Polygons(block))
            {
                blockingRings.Add(poly.Shell.Coordinates);
                for (int h = 0; h < poly.NumInteriorRings; h++)
                {
                    blockingRings.Add(poly.GetInteriorRingN(h).Coordinates);
                }
            }

            foreach (Polygon poly in Polygons(corners))
            {
                AddConvex(poly.Shell.Coordinates, shell: true, cornerX, cornerY);
                for (int h = 0; h < poly.NumInteriorRings; h++)
                {
                    AddConvex(poly.GetInteriorRingN(h).Coordinates, shell: false, cornerX, cornerY);
                }
            }
        }
        else
        {
            Blocking = PlaneFactory.CreatePolygon();
        }

        int edges = 0;
        foreach (Coordinate[] r in blockingRings)
        {
            edges += r.Length - 1;
        }

        _ex1 = new double[edges];
        _ey1 = new double[edges];
        _ex2 = new double[edges];
        _ey2 = new double[edges];
        _ringStart = new int[blockingRings.Count];
        _ringCount = new int[blockingRings.Count];
        _ringMinX = new double[blockingRings.Count];
        _ringMinY = new double[blockingRings.Count];
        _ringMaxX = new double[blockingRings.Count];
        _ringMaxY = new double[blockingRings.Count];
        int e = 0;
        for (int r = 0; r < blockingRings.Count; r++)
        {
            Coordinate[] ring = blockingRings[r];
            _ringStart[r] = e;
            _ringCount[r] = ring.Length - 1;
            double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
            for (int i = 0; i + 1 < ring.Length; i++)
            {
                _ex1[e] = ring[i].X;
                _ey1[e] = ring[i].Y;
                _ex2[e] = ring[i + 1].X;
                _ey2[e] = ring[i + 1].Y;
                minX = Math.Min(minX, ring[i].X);
                minY = Math.Min(minY, ring[i].Y);
                maxX = Math.Max(maxX, ring[i].X);
                maxY = Math.Max(maxY, ring[i].Y);
                e++;
            }

            _ringMinX[r] = minX;
            _ringMinY[r] = minY;
            _ringMaxX[r] = maxX;
            _ringMaxY[r] = maxY;
        }

        CornerX = [.. cornerX];
        CornerY = [.. cornerY];
    }

    /// <summary>The lateral clearance, metres.</summary>
    public double ClearanceM { get; }

    /// <summary>The extra distance of bend points beyond the clearance, metres.</summary>
    public double MarginM { get; }

    /// <summary>The blocking set (footprints + clearance), plane metres.</summary>
    public Geometry Blocking { get; }

    /// <summary>Bend points, east metres.</summary>
    public double[] CornerX { get; }

    /// <summary>Bend points, north metres.</summary>
    public double[] CornerY { get; }

    /// <summary>Projects a footprint into the plane: polygons vertex by vertex (the projection is affine in lon/lat, so
    /// straight lon/lat edges stay straight), circles as polygons that contain them.</summary>
    public static Polygon ToPlane(Footprint footprint, LocalTangentPlane plane)
    {
        switch (footprint)
        {
            case CircleFootprint c:
            {
                PlanarPoint centre = plane.Forward(c.Center);
                const int n = 64;
                double outer = c.RadiusM / Math.Cos(Math.PI / n);
                var coords = new Coordinate[n + 1];
                for (int i = 0; i < n; i++)
                {
                    double a = 2 * Math.PI * i / n;
                    coords[i] = new Coordinate(centre.EastM + (outer * Math.Cos(a)), centre.NorthM + (outer * Math.Sin(a)));
                }

                coords[n] = coords[0].Copy();
                return PlaneFactory.CreatePolygon(coords);
            }

            case PolygonFootprint p:
            {
                LinearRing Ring(LineString ring)
                {
                    var coords = new Coordinate[ring.NumPoints];
                    for (int i = 0; i < coords.Length; i++)
                    {
                        Coordinate g = ring.GetCoordinateN(i);
                        PlanarPoint q = plane.Forward(g.X, g.Y);
                        coords[i] = new Coordinate(q.EastM, q.NorthM);
                    }

                    return PlaneFactory.CreateLinearRing(coords);
                }

                var holes = new LinearRing[p.Polygon.NumInteriorRings];
                for (int h = 0; h < holes.Length; h++)
                {
                    holes[h] = Ring(p.Polygon.GetInteriorRingN(h));
                }

                return PlaneFactory.CreatePolygon(Ring(p.Polygon.Shell), holes);
            }

            default:
                throw new ArgumentException("footprint must be a polygon or a circle", nameof(footprint));
        }
    }

    /// <summary>True when the closed segment meets no boundary edge of the blocking set. Both ends must be free points.</summary>
    public bool SegmentFree(double ax, double ay, double bx, double by)
    {
        double minX = Math.Min(ax, bx), maxX = Math.Max(ax, bx), minY = Math.Min(ay, by), maxY = Math.Max(ay, by);
        for (int r = 0; r < _ringStart.Length; r++)
        {
            if (_ringMaxX[r] < minX || _ringMinX[r] > maxX || _ringMaxY[r] < minY || _ringMinY[r] > maxY)
            {
                continue;
            }

            int end = _ringStart[r] + _ringCount[r];
            for (int e = _ringStart[r]; e < end; e++)
            {
                if (Planar.Intersect(ax, ay, bx, by, _ex1[e], _ey1[e], _ex2[e], _ey2[e]))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>True when the point is outside the blocking set (even–odd over all rings; the unioned polygons are disjoint).</summary>
    public bool PointFree(double x, double y)
    {
        bool inside = false;
        for (int r = 0; r < _ringStart.Length; r++)
        {
            if (_ringMaxX[r] < x || _ringMinX[r] > x || _ringMaxY[r] < y || _ringMinY[r] > y)
            {
                continue;
            }

            int end = _ringStart[r] + _ringCount[r];
            for (int e = _ringStart[r]; e < end; e++)
            {
                double y1 = _ey1[e], y2 = _ey2[e];
                if ((y1 > y) != (y2 > y))
                {
                    double xi = _ex1[e] + ((y - y1) * (_ex2[e] - _ex1[e]) / (y2 - y1));
                    if (x < xi)
                    {
                        inside = !inside;
                    }
                }
            }
        }

        return !inside;
    }

    private static IEnumerable<Polygon> Polygons(Geometry g)
    {
        for (int i = 0; i < g.NumGeometries; i++)
        {
            if (g.GetGeometryN(i) is Polygon p && !p.IsEmpty)
            {
                yield return p;
            }
        }
    }

    // Keeps the vertices where the keep-out area is convex. The ring is walked with the area on its left (shells
    // counter-clockwise, holes clockwise); a left turn there is a convex corner of the area.
    private static void AddConvex(Coordinate[] ring, bool shell, List<double> xs, List<double> ys)
    {
        int n = ring.Length - 1;
        if (n < 3)
        {
            return;
        }

        double area2 = 0;
        for (int i = 0; i < n; i++)
        {
            area2 += (ring[i].X * ring[i + 1].Y) - (ring[i + 1].X * ring[i].Y);
        }

        bool ccw = area2 > 0;
        bool flip = shell ? !ccw : ccw;
        for (int k = 0; k < n; k++)
        {
            int i = flip ? n - k : k;
            int prev = flip ? (i + 1) % n : (i - 1 + n) % n;
            int next = flip ? (i - 1 + n) % n : (i + 1) % n;
            i %= n;
            double turn = Planar.Orient(ring[prev].X, ring[prev].Y, ring[i].X, ring[i].Y, ring[next].X, ring[next].Y);
            if (turn > 0)
            {
                xs.Add(ring[i].X);
                ys.Add(ring[i].Y);
            }
        }
    }
}
