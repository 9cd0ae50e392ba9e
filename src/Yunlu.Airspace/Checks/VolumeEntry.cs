using NetTopologySuite.Geometries;
using Yunlu.Geo;

namespace Yunlu.Airspace.Checks;

/// <summary>
/// A zone or corridor prepared for checks: bounds, flat polygon rings or a circle in a local plane, floor and ceiling.
/// Segment clipping returns the parameter intervals of a lon/lat-straight leg inside the closed footprint.
/// </summary>
internal sealed class VolumeEntry
{
    private readonly double[]? _xs;
    private readonly double[]? _ys;
    private readonly int[]? _ringEnds;
    private readonly GeoPoint _centre;
    private readonly double _radiusM;
    private readonly LocalTangentPlane _plane;

    public VolumeEntry(int index, string id, Footprint footprint, Altitude floor, Altitude ceiling)
    {
        Index = index;
        Id = id;
        Footprint = footprint;
        Floor = floor;
        Ceiling = ceiling;
        Bounds = footprint.BoundingBox();
        switch (footprint)
        {
            case PolygonFootprint pf:
            {
                Polygon poly = pf.Polygon;
                int total = poly.Shell.NumPoints;
                for (int r = 0; r < poly.NumInteriorRings; r++)
                {
                    total += poly.GetInteriorRingN(r).NumPoints;
                }

                _xs = new double[total];
                _ys = new double[total];
                _ringEnds = new int[poly.NumInteriorRings + 1];
                int k = 0;
                for (int r = -1; r < poly.NumInteriorRings; r++)
                {
                    CoordinateSequence seq = (r < 0 ? poly.Shell : poly.GetInteriorRingN(r)).CoordinateSequence;
                    for (int i = 0; i < seq.Count; i++)
                    {
                        _xs[k] = seq.GetX(i);
                        _ys[k] = seq.GetY(i);
                        k++;
                    }

                    _ringEnds[r + 1] = k;
                }

                break;
            }

            case CircleFootprint cf:
                _centre = cf.Center;
                _radiusM = cf.RadiusM;
                _plane = new LocalTangentPlane(cf.Center);
                break;
            default:
                throw new ArgumentException($"zone {id}: unknown footprint type", nameof(footprint));
        }
    }

    public int Index { get; }

    public string Id { get; }

    public Footprint Footprint { get; }

    public Altitude Floor { get; }

    public Altitude Ceiling { get; }

    public GeoBounds Bounds { get; }

    public bool IsCircle => _xs is null;

    /// <summary>Appends to <paramref name="into"/> the sorted, merged [t0, t1] sub-intervals of the leg a→b inside
    /// the closed footprint. Returns the number appended.</summary>
    public int Clip(GeoPoint a, GeoPoint b, List<(double T0, double T1)> into)
    {
        int before = into.Count;
        if (IsCircle)
        {
            PlanarPoint pa = _plane.Forward(a), pb = _plane.Forward(b);
            double dx = pb.EastM - pa.EastM, dy = pb.NorthM - pa.NorthM;
            double qa = (dx * dx) + (dy * dy);
            double qb = 2 * ((pa.EastM * dx) + (pa.NorthM * dy));
            double qc = (pa.EastM * pa.EastM) + (pa.NorthM * pa.NorthM) - (_radiusM * _radiusM);
            if (qa == 0)
            {
                if (qc <= 0)
                {
                    into.Add((0, 0));
                }

                return into.Count - before;
            }

            double disc = (qb * qb) - (4 * qa * qc);
            if (disc < 0)
            {
                return 0;
            }

            double sq = Math.Sqrt(disc);
            double t0 = Math.Max(0, (-qb - sq) / (2 * qa)), t1 = Math.Min(1, (-qb + sq) / (2 * qa));
            if (t0 <= t1)
            {
                into.Add((t0, t1));
            }

            return into.Count - before;
        }

        double ax = a.LonDeg, ay = a.LatDeg, ex = b.LonDeg - ax, ey = b.LatDeg - ay;
        if (ex == 0 && ey == 0)
        {
            if (((PolygonFootprint)Footprint).Contains(a))
            {
                into.Add((0, 0));
            }

            return into.Count - before;
        }

        // Parameters where the leg meets ring edges (each is a boundary point, inside the closed polygon).
        Span<double> small = stackalloc double[64];
        var ts = new ValueList(small);
        ts.Add(0);
        ts.Add(1);
        int start = 0;
        for (int r = 0; r < _ringEnds!.Length; r++)
        {
            int end = _ringEnds[r];
            for (int i = start; i + 1 < end; i++)
            {
                double cx = _xs![i], cy = _ys![i], fx = _xs[i + 1] - cx, fy = _ys[i + 1] - cy;
                double denom = (ex * fy) - (ey * fx);
                double wx = cx - ax, wy = cy - ay;
                if (denom != 0)
                {
                    double t = ((wx * fy) - (wy * fx)) / denom;
                    double u = ((wx * ey) - (wy * ex)) / denom;
                    if (t >= 0 && t <= 1 && u >= 0 && u <= 1)
                    {
                        ts.Add(t);
                    }
                }
                else if ((wx * ey) - (wy * ex) == 0)
                {
                    // Collinear: the edge's ends projected on the leg.
                    double len2 = (ex * ex) + (ey * ey);
                    double t1 = ((wx * ex) + (wy * ey)) / len2;
                    double t2 = (((wx + fx) * ex) + ((wy + fy) * ey)) / len2;
                    if (Math.Max(t1, t2) >= 0 && Math.Min(t1, t2) <= 1)
                    {
                        ts.Add(Math.Clamp(t1, 0, 1));
                        ts.Add(Math.Clamp(t2, 0, 1));
                    }
                }
            }

            start = end;
        }

        Span<double> sorted = ts.AsSpan();
        sorted.Sort();
        var pf = (PolygonFootprint)Footprint;
        double curLo = double.NaN, curHi = double.NaN;
        for (int k = 0; k < sorted.Length; k++)
        {
            double t = sorted[k];
            bool boundary = k > 0 && k < sorted.Length - 1; // entries other than the added 0 and 1 are edge hits
            bool pointIn = boundary || pf.Contains(new GeoPoint(ax + (t * ex), ay + (t * ey)));
            if (pointIn)
            {
                Extend(ref curLo, ref curHi, t, t, into);
            }

            if (k + 1 < sorted.Length && sorted[k + 1] > t)
            {
                double m = (t + sorted[k + 1]) / 2;
                if (pf.Contains(new GeoPoint(ax + (m * ex), ay + (m * ey))))
                {
                    Extend(ref curLo, ref curHi, t, sorted[k + 1], into);
                }
            }
        }

        if (!double.IsNaN(curLo))
        {
            into.Add((curLo, curHi));
        }

        ts.Dispose();
        return into.Count - before;
    }

    private static void Extend(ref double lo, ref double hi, double a, double b, List<(double, double)> into)
    {
        if (double.IsNaN(lo))
        {
            (lo, hi) = (a, b);
        }
        else if (a <= hi)
        {
            hi = Math.Max(hi, b);
        }
        else
        {
            into.Add((lo, hi));
            (lo, hi) = (a, b);
        }
    }

    /// <summary>A growable list of doubles starting on the stack.</summary>
    private ref struct ValueList
    {
        private Span<double> _span;
        private double[]? _rented;
        private int _count;

        public ValueList(Span<double> initial)
        {
            _span = initial;
            _rented = null;
            _count = 0;
        }

        public void Add(double v)
        {
            if (_count == _span.Length)
            {
                double[] next = System.Buffers.ArrayPool<double>.Shared.Rent(_span.Length * 2);
                _span.CopyTo(next);
                if (_rented is not null)
                {
                    System.Buffers.ArrayPool<double>.Shared.Return(_rented);
                }

                _rented = next;
                _span = next;
            }

            _span[_count++] = v;
        }

        public readonly Span<double> AsSpan() => _span[.._count];

        public void Dispose()
        {
            if (_rented is not null)
            {
                System.Buffers.ArrayPool<double>.Shared.Return(_rented);
                _rented = null;
            }
        }
    }
}
