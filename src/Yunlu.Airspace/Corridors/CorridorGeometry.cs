using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Buffer;
using Yunlu.Geo;

namespace Yunlu.Airspace.Corridors;

/// <summary>
/// A corridor's geometry in a local metric frame: the centre-line projected into a <see cref="LocalTangentPlane"/> at
/// its first vertex, with a horizontal containment test (distance to the centre-line ≤ half the width) and the
/// footprint polygon (the same set, buffered with round joins and caps).
/// </summary>
/// <remarks>The tangent plane is exact to about 1e-4 relative within a few kilometres of its origin and degrades as
/// d·tan φ / R with distance d; long corridors should be split into legs of ≲ 20 km.</remarks>
public sealed class CorridorGeometry
{
    private readonly LocalTangentPlane _plane;
    private readonly double[] _x;
    private readonly double[] _y;

    /// <summary>Projects a corridor.</summary>
    /// <param name="corridor">The corridor (at least two centre-line points).</param>
    public CorridorGeometry(Corridor corridor)
    {
        ArgumentNullException.ThrowIfNull(corridor);
        if (corridor.CentreLine is null || corridor.CentreLine.Count < 2)
        {
            throw new ArgumentException($"corridor {corridor.Id}: the centre-line needs at least two points", nameof(corridor));
        }

        Corridor = corridor;
        _plane = new LocalTangentPlane(corridor.CentreLine[0]);
        _x = new double[corridor.CentreLine.Count];
        _y = new double[corridor.CentreLine.Count];
        for (int i = 0; i < _x.Length; i++)
        {
            PlanarPoint q = _plane.Forward(corridor.CentreLine[i]);
            _x[i] = q.EastM;
            _y[i] = q.NorthM;
        }

        HalfWidthM = corridor.WidthM / 2;
    }

    /// <summary>The corridor.</summary>
    public Corridor Corridor { get; }

    /// <summary>Half the width, metres.</summary>
    public double HalfWidthM { get; }

    /// <summary>Length of the centre-line, metres.</summary>
    public double LengthM
    {
        get
        {
            double sum = 0;
            for (int i = 1; i < _x.Length; i++)
            {
                sum += Math.Sqrt(Sq(_x[i] - _x[i - 1]) + Sq(_y[i] - _y[i - 1]));
            }

            return sum;
        }
    }

    /// <summary>Horizontal distance from <paramref name="p"/> to the centre-line, metres. Allocation-free.</summary>
    /// <param name="p">The point.</param>
    public double DistanceToCentreLineM(GeoPoint p)
    {
        PlanarPoint q = _plane.Forward(p);
        double best = double.PositiveInfinity;
        for (int i = 1; i < _x.Length; i++)
        {
            best = Math.Min(best, SegmentDistanceSquared(q.EastM, q.NorthM, _x[i - 1], _y[i - 1], _x[i], _y[i]));
        }

        return Math.Sqrt(best);
    }

    /// <summary>True when <paramref name="p"/> is within half the width of the centre-line.</summary>
    /// <param name="p">The point.</param>
    public bool ContainsHorizontally(GeoPoint p) => DistanceToCentreLineM(p) <= HalfWidthM;

    /// <summary>True when the point at the altitude lies in the corridor. The altitude is compared with floor and
    /// ceiling after converting them into its reference at <paramref name="p"/>.</summary>
    /// <param name="p">The point.</param>
    /// <param name="altitude">Its altitude.</param>
    /// <param name="converter">Converts between references (needs ground data when AGL meets AMSL/W84).</param>
    /// <exception cref="InvalidOperationException">A conversion needs ground data that is missing.</exception>
    public bool Contains(GeoPoint p, Altitude altitude, AltitudeConverter converter)
    {
        ArgumentNullException.ThrowIfNull(converter);
        if (!ContainsHorizontally(p))
        {
            return false;
        }

        double floor = converter.Convert(Corridor.Floor, p, altitude.Reference).ValueM;
        double ceiling = converter.Convert(Corridor.Ceiling, p, altitude.Reference).ValueM;
        return altitude.ValueM >= floor && altitude.ValueM < ceiling;
    }

    /// <summary>
    /// The footprint polygon in lon/lat: the centre-line buffered by half the width in the local plane (round joins
    /// and caps, <paramref name="quadrantSegments"/> segments per quarter circle), projected back.
    /// </summary>
    /// <param name="quadrantSegments">Segments per quarter circle of the rounded ends (≥ 1).</param>
    public Polygon FootprintPolygon(int quadrantSegments = 8)
    {
        var factory = new GeometryFactory();
        var coords = new Coordinate[_x.Length];
        for (int i = 0; i < coords.Length; i++)
        {
            coords[i] = new Coordinate(_x[i], _y[i]);
        }

        var line = factory.CreateLineString(coords);
        var parameters = new BufferParameters(Math.Max(1, quadrantSegments), EndCapStyle.Round, JoinStyle.Round, 5);
        Geometry buffered = BufferOp.Buffer(line, HalfWidthM, parameters);
        Polygon planar = buffered as Polygon ?? throw new InvalidOperationException($"corridor {Corridor.Id}: the buffer is not a single polygon");
        var shell = new Coordinate[planar.Shell.NumPoints];
        for (int i = 0; i < shell.Length; i++)
        {
            Coordinate c = planar.Shell.GetCoordinateN(i);
            GeoPoint g = _plane.Inverse(new PlanarPoint(c.X, c.Y));
            shell[i] = new Coordinate(g.LonDeg, g.LatDeg);
        }

        var holes = new LinearRing[planar.NumInteriorRings];
        for (int h = 0; h < holes.Length; h++)
        {
            LineString ring = planar.GetInteriorRingN(h);
            var hc = new Coordinate[ring.NumPoints];
            for (int i = 0; i < hc.Length; i++)
            {
                Coordinate c = ring.GetCoordinateN(i);
                GeoPoint g = _plane.Inverse(new PlanarPoint(c.X, c.Y));
                hc[i] = new Coordinate(g.LonDeg, g.LatDeg);
            }

            holes[h] = FootprintGeometry.Factory.CreateLinearRing(hc);
        }

        return FootprintGeometry.Factory.CreatePolygon(FootprintGeometry.Factory.CreateLinearRing(shell), holes);
    }

    private static double Sq(double v) => v * v;

    private static double SegmentDistanceSquared(double px, double py, double ax, double ay, double bx, double by)
    {
        double dx = bx - ax, dy = by - ay;
        double len2 = (dx * dx) + (dy * dy);
        double t = len2 > 0 ? (((px - ax) * dx) + ((py - ay) * dy)) / len2 : 0;
        t = Math.Clamp(t, 0, 1);
        double x = ax + (t * dx) - px, y = ay + (t * dy) - py;
        return (x * x) + (y * y);
    }
}
