using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace Yunlu.Geo;

/// <summary>
/// A volume of airspace: a <see cref="Footprint"/> between a lower and an upper altitude of the same reference
/// (ASTM F3548 Volume3D).
/// </summary>
/// <remarks>
/// <para>The altitude band is half-open [Lower, Upper): two volumes that only touch vertically do not intersect. The
/// footprint is closed: footprints that share a boundary point do intersect (NetTopologySuite semantics).</para>
/// <para>Both bounds must use the same reference, and so must two volumes that are compared: AGL bands follow the
/// terrain, so no single offset converts them; convert with <see cref="AltitudeConverter"/> at the relevant points
/// first (for W84 ↔ AMSL the geoid changes by centimetres per kilometre, so converting at the footprint centre is a
/// fair approximation).</para>
/// <para>Horizontal tests: circle–circle by the WGS84 geodesic distance between centres ≤ r1 + r2 (Vincenty);
/// polygon–circle by the distance from the centre to the polygon ≤ r, in a <see cref="LocalTangentPlane"/> at the
/// centre (affine in lon/lat, so the lon/lat-straight edges stay straight; the metric is exact to ~1e-4 relative
/// within a few km of the centre); polygon–polygon by NetTopologySuite's exact predicate on lon/lat (equivalent to
/// the same test in any local equirectangular frame, since intersection is invariant under affine maps). A bounding
/// box test rejects distant pairs first. Polygon–circle and circle–circle allocate nothing.</para>
/// </remarks>
public sealed class Volume3D
{
    private IPreparedGeometry? _prepared;

    /// <summary>Creates a volume, validating every part.</summary>
    /// <param name="footprint">The horizontal shape (see <see cref="FootprintGeometry.Validate"/>).</param>
    /// <param name="lower">Floor; same reference as <paramref name="upper"/>.</param>
    /// <param name="upper">Ceiling; strictly above <paramref name="lower"/>.</param>
    /// <exception cref="ArgumentException">A part breaks a rule; the message lists every problem.</exception>
    public Volume3D(Footprint footprint, Altitude lower, Altitude upper)
    {
        IReadOnlyList<string> errors = footprint.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid footprint: " + string.Join("; ", errors), nameof(footprint));
        }

        if (!double.IsFinite(lower.ValueM))
        {
            throw new ArgumentException("lower altitude must be a finite number of metres", nameof(lower));
        }

        if (!double.IsFinite(upper.ValueM))
        {
            throw new ArgumentException("upper altitude must be a finite number of metres", nameof(upper));
        }

        if (lower.Reference != upper.Reference)
        {
            throw new ArgumentException($"lower ({lower}) and upper ({upper}) altitudes must use the same reference; convert one with AltitudeConverter first", nameof(upper));
        }

        if (!(upper.ValueM > lower.ValueM))
        {
            throw new ArgumentException($"upper altitude ({upper}) must be above the lower altitude ({lower})", nameof(upper));
        }

        Footprint = footprint;
        Lower = lower;
        Upper = upper;
        Bounds = footprint.BoundingBox();
    }

    /// <summary>The horizontal shape.</summary>
    public Footprint Footprint { get; }

    /// <summary>The floor (inclusive).</summary>
    public Altitude Lower { get; }

    /// <summary>The ceiling (exclusive).</summary>
    public Altitude Upper { get; }

    /// <summary>The altitude reference of both bounds.</summary>
    public AltitudeReference Reference => Lower.Reference;

    /// <summary>The footprint's lon/lat bounding box.</summary>
    public GeoBounds Bounds { get; }

    /// <summary>True when the half-open altitude bands overlap (touching bands do not).</summary>
    /// <param name="other">The other volume (same reference).</param>
    public bool AltitudesOverlap(Volume3D other)
    {
        ArgumentNullException.ThrowIfNull(other);
        RequireSameReference(other);
        return Lower.ValueM < other.Upper.ValueM && other.Lower.ValueM < Upper.ValueM;
    }

    /// <summary>True when the two volumes share a point: altitude bands overlap and footprints intersect.</summary>
    /// <param name="other">The other volume; must use the same altitude reference.</param>
    /// <exception cref="ArgumentException">The references differ.</exception>
    public bool Intersects(Volume3D other) => AltitudesOverlap(other) && FootprintsIntersect(other);

    /// <summary>True when the closed footprints share a point (ignores altitudes).</summary>
    /// <param name="other">The other volume.</param>
    public bool FootprintsIntersect(Volume3D other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!Bounds.Intersects(other.Bounds))
        {
            return false;
        }

        return (Footprint, other.Footprint) switch
        {
            (CircleFootprint a, CircleFootprint b) => Geodesic.Wgs84.Inverse(a.Center, b.Center).DistanceM <= a.RadiusM + b.RadiusM,
            (PolygonFootprint p, CircleFootprint c) => PolygonCircle(p.Polygon, c),
            (CircleFootprint c, PolygonFootprint p) => PolygonCircle(p.Polygon, c),
            (PolygonFootprint, PolygonFootprint q) => Prepared().Intersects(q.Polygon),
            _ => throw new InvalidOperationException("unknown footprint types"),
        };
    }

    /// <summary>True when the point at the altitude (same reference) lies in the volume.</summary>
    /// <param name="p">The point.</param>
    /// <param name="altitude">Its altitude; must use this volume's reference.</param>
    public bool Contains(GeoPoint p, Altitude altitude)
    {
        if (altitude.Reference != Reference)
        {
            throw new ArgumentException($"altitude {altitude} must use the volume's reference {Reference.ToString().ToUpperInvariant()}", nameof(altitude));
        }

        return altitude.ValueM >= Lower.ValueM && altitude.ValueM < Upper.ValueM && Footprint.Contains(p);
    }

    /// <summary>
    /// The shortest distance in metres from the circle centre to the closed polygon (0 when inside), measured in a
    /// local tangent plane at the centre. Allocation-free.
    /// </summary>
    /// <param name="polygon">The polygon (lon/lat).</param>
    /// <param name="center">The centre.</param>
    public static double DistanceToPolygonM(Polygon polygon, GeoPoint center)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        var plane = new LocalTangentPlane(center);
        bool inside = false;
        double best = double.PositiveInfinity;
        for (int r = -1; r < polygon.NumInteriorRings; r++)
        {
            CoordinateSequence seq = (r < 0 ? polygon.Shell : polygon.GetInteriorRingN(r)).CoordinateSequence;
            int n = seq.Count;
            PlanarPoint prev = plane.Forward(seq.GetX(n - 1), seq.GetY(n - 1));
            for (int i = 0; i < n; i++)
            {
                PlanarPoint cur = plane.Forward(seq.GetX(i), seq.GetY(i));
                double d2 = SegmentDistanceSquaredM2(prev, cur);
                if (d2 < best)
                {
                    best = d2;
                }

                // Crossing number for the origin (the centre).
                if ((cur.NorthM > 0) != (prev.NorthM > 0) &&
                    0 < cur.EastM + ((prev.EastM - cur.EastM) * (0 - cur.NorthM) / (prev.NorthM - cur.NorthM)))
                {
                    inside = !inside;
                }

                prev = cur;
            }
        }

        return inside ? 0 : Math.Sqrt(best);
    }

    private static bool PolygonCircle(Polygon polygon, CircleFootprint circle) =>
        DistanceToPolygonM(polygon, circle.Center) <= circle.RadiusM;

    /// <summary>
    /// The squared distance (m²) from the plane's origin to the closed segment a–b of a local tangent plane: the
    /// perpendicular foot clamped to the segment (a zero-length segment is its point). Allocation-free; the per-edge
    /// step of <see cref="DistanceToPolygonM"/>, public so that flattened copies of that walk use the same arithmetic.
    /// </summary>
    /// <param name="a">Segment start (east, north m from the origin).</param>
    /// <param name="b">Segment end (east, north m from the origin).</param>
    public static double SegmentDistanceSquaredM2(PlanarPoint a, PlanarPoint b)
    {
        double dx = b.EastM - a.EastM, dy = b.NorthM - a.NorthM;
        double len2 = (dx * dx) + (dy * dy);
        double t = len2 > 0 ? -((a.EastM * dx) + (a.NorthM * dy)) / len2 : 0;
        t = Math.Clamp(t, 0, 1);
        double x = a.EastM + (t * dx), y = a.NorthM + (t * dy);
        return (x * x) + (y * y);
    }

    private IPreparedGeometry Prepared()
    {
        // Benign race: two threads may both prepare; either result is correct.
        return _prepared ??= PreparedGeometryFactory.Prepare(((PolygonFootprint)Footprint).Polygon);
    }

    private void RequireSameReference(Volume3D other)
    {
        if (other.Reference != Reference)
        {
            throw new ArgumentException($"cannot compare a {Reference.ToString().ToUpperInvariant()} volume with a {other.Reference.ToString().ToUpperInvariant()} volume; convert both to one reference first", nameof(other));
        }
    }
}
