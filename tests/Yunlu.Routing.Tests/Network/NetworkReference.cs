using System.Numerics;
using NetTopologySuite.Geometries;
using Yunlu.Geo;
using Yunlu.Routing.Network;

namespace Yunlu.Routing.Tests.Network;

/// <summary>Independent checks of a generated network: brute-force predicates written here, not the generator's.</summary>
internal static class NetworkReference
{
    public static readonly GeoPoint Centre = new(106.70, 26.55);

    /// <summary>A random scenario built by the test itself: n vertiports in a square of <paramref name="sideM"/>, with
    /// circular and rectangular prohibited areas, vertiports kept 30 m beyond the clearance.</summary>
    public static NetworkInput RandomInput(int seed, int n, int zones, double sideM, double clearanceM)
    {
        var rng = new Random(seed);
        var plane = new LocalTangentPlane(Centre);
        var keepOuts = new List<NetworkKeepOut>();
        var shapes = new List<(double X, double Y, double R, bool Circle)>();
        for (int z = 0; z < zones; z++)
        {
            double x = (rng.NextDouble() - 0.5) * sideM * 0.7, y = (rng.NextDouble() - 0.5) * sideM * 0.7;
            double r = sideM * (0.04 + (0.06 * rng.NextDouble()));
            bool circle = rng.Next(2) == 0;
            shapes.Add((x, y, r, circle));
            if (circle)
            {
                keepOuts.Add(new NetworkKeepOut("Z" + z, new CircleFootprint(plane.Inverse(new PlanarPoint(x, y)), r)));
            }
            else
            {
                GeoPoint a = plane.Inverse(new PlanarPoint(x - r, y - r)), b = plane.Inverse(new PlanarPoint(x + r, y + r));
                var ring = new[]
                {
                    new Coordinate(a.LonDeg, a.LatDeg), new Coordinate(b.LonDeg, a.LatDeg), new Coordinate(b.LonDeg, b.LatDeg),
                    new Coordinate(a.LonDeg, b.LatDeg), new Coordinate(a.LonDeg, a.LatDeg),
                };
                keepOuts.Add(new NetworkKeepOut("Z" + z, new PolygonFootprint(FootprintGeometry.Factory.CreatePolygon(ring))));
            }
        }

        var vps = new List<NetworkVertiport>();
        var pts = new List<(double X, double Y)>();
        int guard = 0;
        while (vps.Count < n && guard++ < 100_000)
        {
            double x = (rng.NextDouble() - 0.5) * sideM, y = (rng.NextDouble() - 0.5) * sideM;
            bool ok = true;
            foreach (var s in shapes)
            {
                double margin = s.R + clearanceM + 30;
                bool inside = s.Circle
                    ? Math.Sqrt(((x - s.X) * (x - s.X)) + ((y - s.Y) * (y - s.Y))) < margin
                    : Math.Abs(x - s.X) < margin && Math.Abs(y - s.Y) < margin;
                ok &= !inside;
            }

            foreach (var p in pts)
            {
                ok &= Math.Sqrt(((p.X - x) * (p.X - x)) + ((p.Y - y) * (p.Y - y))) > 20;
            }

            if (ok)
            {
                pts.Add((x, y));
                vps.Add(new NetworkVertiport("V" + vps.Count, "V" + vps.Count, plane.Inverse(new PlanarPoint(x, y))));
            }
        }

        return new NetworkInput(vps, keepOuts, []);
    }

    /// <summary>Same-layer corridor legs that share a point other than a common end node: O(L²) closed segment tests.</summary>
    public static int CrossingsOutsideJunctions(AirwayNetwork net)
    {
        var legs = new List<(int Layer, int A, int B)>();
        foreach (NetworkCorridor c in net.Corridors)
        {
            for (int i = 1; i < c.NodePath.Count; i++)
            {
                legs.Add((c.Layer, c.NodePath[i - 1], c.NodePath[i]));
            }
        }

        int bad = 0;
        for (int i = 0; i < legs.Count; i++)
        {
            for (int j = i + 1; j < legs.Count; j++)
            {
                var (l1, a, b) = legs[i];
                var (l2, c, d) = legs[j];
                if (l1 != l2)
                {
                    continue;
                }

                PlanarPoint pa = net.Nodes[a].Plane, pb = net.Nodes[b].Plane, pc = net.Nodes[c].Plane, pd = net.Nodes[d].Plane;
                int shared = (a == c || a == d ? 1 : 0) + (b == c || b == d ? 1 : 0);
                if (shared == 2)
                {
                    bad++; // the same leg twice in one layer
                    continue;
                }

                if (shared == 1)
                {
                    // Touching at the shared node is a junction; overlapping along a line is not.
                    PlanarPoint s = a == c || a == d ? pa : pb;
                    PlanarPoint u = a == c || a == d ? pb : pa;
                    PlanarPoint v = c == a || c == b ? pd : pc;
                    double cross = ((u.EastM - s.EastM) * (v.NorthM - s.NorthM)) - ((u.NorthM - s.NorthM) * (v.EastM - s.EastM));
                    double dot = ((u.EastM - s.EastM) * (v.EastM - s.EastM)) + ((u.NorthM - s.NorthM) * (v.NorthM - s.NorthM));
                    if (Math.Abs(cross) < 1e-9 && dot > 0)
                    {
                        bad++;
                    }

                    continue;
                }

                if (SegmentsIntersect(pa, pb, pc, pd))
                {
                    bad++;
                }
            }
        }

        return bad;
    }

    /// <summary>Closed-segment intersection by the textbook orientation test (CLRS §33.1), evaluated exactly: the
    /// orientation determinants are computed on the doubles' exact binary values with <see cref="BigInteger"/>, so nearly
    /// collinear segments (e.g. two pieces of one snapped segment, 10⁻¹⁴ m off one line) get the true sign instead of
    /// rounding noise. The bounding-box rejection and the on-segment tests compare doubles, which is exact already.</summary>
    public static bool SegmentsIntersect(PlanarPoint p1, PlanarPoint p2, PlanarPoint p3, PlanarPoint p4)
    {
        if (Math.Max(p1.EastM, p2.EastM) < Math.Min(p3.EastM, p4.EastM) || Math.Max(p3.EastM, p4.EastM) < Math.Min(p1.EastM, p2.EastM) ||
            Math.Max(p1.NorthM, p2.NorthM) < Math.Min(p3.NorthM, p4.NorthM) || Math.Max(p3.NorthM, p4.NorthM) < Math.Min(p1.NorthM, p2.NorthM))
        {
            return false;
        }

        int d1 = ExactOrientSign(p3, p4, p1), d2 = ExactOrientSign(p3, p4, p2), d3 = ExactOrientSign(p1, p2, p3), d4 = ExactOrientSign(p1, p2, p4);
        if (d1 * d2 < 0 && d3 * d4 < 0)
        {
            return true;
        }

        return (d1 == 0 && On(p3, p4, p1)) || (d2 == 0 && On(p3, p4, p2)) || (d3 == 0 && On(p1, p2, p3)) || (d4 == 0 && On(p1, p2, p4));

        static bool On(PlanarPoint a, PlanarPoint b, PlanarPoint c) =>
            Math.Min(a.EastM, b.EastM) <= c.EastM && c.EastM <= Math.Max(a.EastM, b.EastM) && Math.Min(a.NorthM, b.NorthM) <= c.NorthM && c.NorthM <= Math.Max(a.NorthM, b.NorthM);
    }

    /// <summary>The exact sign of (b − a) × (c − a): +1 when c is left of a→b, −1 right, 0 exactly on the line. Each
    /// double is m·2^e with an integer m; scaling all six by the least e gives integers, and the determinant of integers
    /// is exact in <see cref="BigInteger"/>.</summary>
    public static int ExactOrientSign(PlanarPoint a, PlanarPoint b, PlanarPoint c)
    {
        Span<double> v = [a.EastM, a.NorthM, b.EastM, b.NorthM, c.EastM, c.NorthM];
        Span<long> m = stackalloc long[6];
        Span<int> e = stackalloc int[6];
        int least = int.MaxValue;
        for (int i = 0; i < 6; i++)
        {
            if (!double.IsFinite(v[i]))
            {
                throw new ArgumentException($"coordinate {v[i]} is not finite", nameof(a));
            }

            long bits = BitConverter.DoubleToInt64Bits(v[i]);
            int exp = (int)((bits >> 52) & 0x7FF);
            long mant = bits & 0xF_FFFF_FFFF_FFFFL;
            if (exp == 0)
            {
                exp = 1; // subnormal
            }
            else
            {
                mant |= 1L << 52;
            }

            m[i] = bits < 0 ? -mant : mant;
            e[i] = exp - 1075;
            if (mant != 0)
            {
                least = Math.Min(least, e[i]);
            }
        }

        if (least == int.MaxValue)
        {
            return 0; // all six are zero
        }

        var q = new BigInteger[6];
        for (int i = 0; i < 6; i++)
        {
            q[i] = m[i] == 0 ? BigInteger.Zero : new BigInteger(m[i]) << (e[i] - least);
        }

        BigInteger det = ((q[2] - q[0]) * (q[5] - q[1])) - ((q[3] - q[1]) * (q[4] - q[0]));
        return det.Sign;
    }

    /// <summary>Shortest distances from <paramref name="source"/> along the one-way corridors (plain Dijkstra, O(V²)).</summary>
    public static double[] Dijkstra(AirwayNetwork net, int source)
    {
        int count = net.Nodes.Count;
        var dist = new double[count];
        var done = new bool[count];
        Array.Fill(dist, double.PositiveInfinity);
        dist[source] = 0;
        var outgoing = new List<(int To, double W)>[count];
        for (int v = 0; v < count; v++)
        {
            outgoing[v] = [];
        }

        foreach (NetworkCorridor c in net.Corridors)
        {
            double len = 0;
            for (int i = 1; i < c.NodePath.Count; i++)
            {
                PlanarPoint a = net.Nodes[c.NodePath[i - 1]].Plane, b = net.Nodes[c.NodePath[i]].Plane;
                len += Math.Sqrt(((a.EastM - b.EastM) * (a.EastM - b.EastM)) + ((a.NorthM - b.NorthM) * (a.NorthM - b.NorthM)));
            }

            outgoing[c.From].Add((c.To, len));
        }

        for (int k = 0; k < count; k++)
        {
            int u = -1;
            for (int v = 0; v < count; v++)
            {
                if (!done[v] && (u < 0 || dist[v] < dist[u]))
                {
                    u = v;
                }
            }

            if (u < 0 || double.IsPositiveInfinity(dist[u]))
            {
                break;
            }

            done[u] = true;
            foreach (var (to, w) in outgoing[u])
            {
                dist[to] = Math.Min(dist[to], dist[u] + w);
            }
        }

        return dist;
    }

    /// <summary>The least geodesic distance from a keep-out's boundary to points sampled every 5 m along every corridor,
    /// metres (negative inside). Circles: distance to the centre minus the radius; polygons: NTS distance in a tangent
    /// plane of the test's own.</summary>
    public static double LeastKeepOutDistanceM(AirwayNetwork net, NetworkKeepOut keepOut)
    {
        double least = double.PositiveInfinity;
        var plane = new LocalTangentPlane(Centre);
        Polygon? planar = null;
        if (keepOut.Footprint is PolygonFootprint pf)
        {
            var coords = pf.Polygon.Shell.Coordinates.Select(c =>
            {
                PlanarPoint q = plane.Forward(c.X, c.Y);
                return new Coordinate(q.EastM, q.NorthM);
            }).ToArray();
            planar = new GeometryFactory().CreatePolygon(coords);
        }

        foreach (NetworkCorridor c in net.Corridors)
        {
            for (int i = 1; i < c.NodePath.Count; i++)
            {
                GeoPoint a = net.Nodes[c.NodePath[i - 1]].Position, b = net.Nodes[c.NodePath[i]].Position;
                double len = Geodesic.DistanceM(a, b);
                int steps = Math.Max(1, (int)Math.Ceiling(len / 5));
                for (int s = 0; s <= steps; s++)
                {
                    double t = (double)s / steps;
                    var p = new GeoPoint(a.LonDeg + (t * (b.LonDeg - a.LonDeg)), a.LatDeg + (t * (b.LatDeg - a.LatDeg)));
                    double d;
                    if (keepOut.Footprint is CircleFootprint circle)
                    {
                        d = Geodesic.DistanceM(p, circle.Center) - circle.RadiusM;
                    }
                    else
                    {
                        PlanarPoint q = plane.Forward(p);
                        var pt = new Point(q.EastM, q.NorthM);
                        d = planar!.Contains(pt) ? -planar.Boundary.Distance(pt) : planar.Distance(pt);
                    }

                    least = Math.Min(least, d);
                }
            }
        }

        return least;
    }
}
