using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;

namespace Yunlu.Geo;

/// <summary>
/// Geometry on <see cref="Footprint"/>s: bounding boxes, areas, containment, circle → polygon approximation and
/// validation with readable errors.
/// </summary>
/// <remarks>
/// Edge convention: polygon edges are straight lines in lon/lat (as in GeoJSON RFC 7946 and PostGIS <c>geometry</c>),
/// not geodesics; for edges of a few kilometres the two differ by centimetres. Polygons must not cross the
/// antimeridian (validation rejects a polygon spanning more than 180° of longitude). Circles are geodesic circles.
/// </remarks>
public static class FootprintGeometry
{
    /// <summary>Most vertices a polygon footprint may have (ASTM F3548 limit), counting every ring without closing points.</summary>
    public const int MaxPolygonVertices = 10_000;

    /// <summary>Largest circle radius accepted, metres (keeps circles far from antipodal geometry).</summary>
    public const double MaxCircleRadiusM = 1_000_000;

    /// <summary>The factory for polygons made here: floating precision, SRID 4326.</summary>
    public static GeometryFactory Factory { get; } = new(new PrecisionModel(), 4326);

    // 5-point Gauss–Legendre nodes and weights on [0, 1].
    private static ReadOnlySpan<double> GaussT => [0.046910077030668, 0.230765344947158, 0.5, 0.769234655052841, 0.953089922969332];
    private static ReadOnlySpan<double> GaussW => [0.118463442528095, 0.239314335249683, 0.284444444444444, 0.239314335249683, 0.118463442528095];

    /// <summary>The lon/lat bounding box. For a circle it is computed with geodesic offsets to the four cardinal
    /// directions and bounded in longitude by the spherical tangent formula on the smallest radius of curvature, widened by 0.1 %, so
    /// that it always encloses the circle (it may be slightly larger).</summary>
    /// <param name="footprint">The footprint.</param>
    public static GeoBounds BoundingBox(this Footprint footprint)
    {
        switch (footprint)
        {
            case PolygonFootprint pf:
            {
                Envelope e = pf.Polygon.EnvelopeInternal;
                return new GeoBounds(e.MinX, e.MinY, e.MaxX, e.MaxY);
            }

            case CircleFootprint cf:
            {
                Geodesic g = Geodesic.Wgs84;
                double north = g.Direct(cf.Center, 0, cf.RadiusM).Destination.LatDeg;
                double south = g.Direct(cf.Center, 180, cf.RadiusM).Destination.LatDeg;
                if (Geodesic.DistanceM(cf.Center, new GeoPoint(cf.Center.LonDeg, 90)) <= cf.RadiusM)
                {
                    return new GeoBounds(-180, south, 180, 90);
                }

                if (Geodesic.DistanceM(cf.Center, new GeoPoint(cf.Center.LonDeg, -90)) <= cf.RadiusM)
                {
                    return new GeoBounds(-180, -90, 180, north);
                }

                // The easternmost point is poleward of azimuth 90°; bound the half-width by the spherical tangent
                // formula sin Δλ = sin(r/R)/cos φ with the smallest radius of curvature (conservative).
                double eastLon = g.Direct(cf.Center, 90, cf.RadiusM).Destination.LonDeg;
                double half = Math.Abs(GeoMath.NormalizeLonDeg(eastLon - cf.Center.LonDeg));
                double minRadiusM = Ellipsoid.Wgs84.MeridionalRadiusM(0);
                double sinHalf = Math.Sin(Math.Min(Math.PI / 2, cf.RadiusM / minRadiusM)) / Math.Cos(cf.Center.LatDeg * GeoMath.DegToRad);
                double tangentHalf = sinHalf >= 1 ? 180 : Math.Asin(sinHalf) * GeoMath.RadToDeg;
                half = Math.Max(half, tangentHalf) * 1.001;
                if (half >= 180)
                {
                    return new GeoBounds(-180, south, 180, north);
                }

                return new GeoBounds(cf.Center.LonDeg - half, Math.Min(south, cf.Center.LatDeg), cf.Center.LonDeg + half, Math.Max(north, cf.Center.LatDeg));
            }

            default:
                throw new ArgumentException($"unknown footprint type {footprint?.GetType().Name ?? "null"}", nameof(footprint));
        }
    }

    /// <summary>Area on the WGS84 ellipsoid in m².</summary>
    /// <remarks>
    /// Polygons: Green's theorem with the authalic primitive G(φ) = a²q(φ)/2 (area from the equator to φ per radian
    /// of longitude; Snyder, <i>Map Projections — A Working Manual</i>, 1987, eq. 3-12), integrated along each
    /// lon/lat-straight edge by 5-point Gauss–Legendre; exact for lon/lat rectangles, holes subtracted.
    /// Circles: 2π(1 − cos(r√K))/K with the Gaussian curvature K = 1/(M·N) at the centre (relative error ~ (r/R)²·e²).
    /// </remarks>
    /// <param name="footprint">The footprint.</param>
    public static double AreaM2(this Footprint footprint)
    {
        switch (footprint)
        {
            case PolygonFootprint pf:
            {
                double area = Math.Abs(RingAreaM2(pf.Polygon.Shell.CoordinateSequence));
                foreach (LinearRing hole in pf.Polygon.Holes)
                {
                    area -= Math.Abs(RingAreaM2(hole.CoordinateSequence));
                }

                return area;
            }

            case CircleFootprint cf:
            {
                double lat = cf.Center.LatDeg * GeoMath.DegToRad;
                double k = 1 / (Ellipsoid.Wgs84.MeridionalRadiusM(lat) * Ellipsoid.Wgs84.PrimeVerticalRadiusM(lat));
                return 2 * Math.PI * (1 - Math.Cos(cf.RadiusM * Math.Sqrt(k))) / k;
            }

            default:
                throw new ArgumentException($"unknown footprint type {footprint?.GetType().Name ?? "null"}", nameof(footprint));
        }
    }

    /// <summary>True when <paramref name="p"/> lies in the closed footprint (polygon: even–odd over all rings in lon/lat;
    /// circle: geodesic distance ≤ radius). Allocation-free.</summary>
    /// <param name="footprint">The footprint.</param>
    /// <param name="p">The point.</param>
    public static bool Contains(this Footprint footprint, GeoPoint p)
    {
        switch (footprint)
        {
            case PolygonFootprint pf:
            {
                Polygon poly = pf.Polygon;
                if (!poly.EnvelopeInternal.Intersects(p.LonDeg, p.LatDeg))
                {
                    return false;
                }

                bool inside = false;
                if (RingContainsOrTouches(poly.Shell.CoordinateSequence, p.LonDeg, p.LatDeg, ref inside))
                {
                    return true;
                }

                for (int i = 0; i < poly.NumInteriorRings; i++)
                {
                    if (RingContainsOrTouches(poly.GetInteriorRingN(i).CoordinateSequence, p.LonDeg, p.LatDeg, ref inside))
                    {
                        return true;
                    }
                }

                return inside;
            }

            case CircleFootprint cf:
                return Geodesic.Wgs84.Inverse(cf.Center, p).DistanceM <= cf.RadiusM;
            default:
                throw new ArgumentException($"unknown footprint type {footprint?.GetType().Name ?? "null"}", nameof(footprint));
        }
    }

    /// <summary>
    /// A polygon that encloses the circle and whose boundary stays within <paramref name="maxErrorM"/> of it: n ≥ 8
    /// vertices at equal azimuth steps on the geodesic circle of radius r / cos(π/n) + b, where n is chosen so that the
    /// polygonisation term r / cos(π/n) − r and the bound b on how far a lon/lat-straight edge bulges inside the
    /// geodesic chord (L²·tan|φ|/(8R), with margin) each stay within half of <paramref name="maxErrorM"/>.
    /// </summary>
    /// <param name="circle">The circle.</param>
    /// <param name="maxErrorM">Largest distance between the polygon boundary and the circle, metres (&gt; 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">The tolerance would need more than 10 000 vertices.</exception>
    public static Polygon ToPolygon(this CircleFootprint circle, double maxErrorM = 1.0)
    {
        ArgumentNullException.ThrowIfNull(circle);
        if (!(maxErrorM > 0) || !double.IsFinite(maxErrorM))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(maxErrorM), "maxErrorM must be a finite number of metres > 0");
        }

        // Half of the budget for the polygonisation (r / cos(π/n) − r), half for the bulge of lon/lat-straight edges
        // against geodesic chords, at most L²·tan|φ| / (8R) for an edge of length L (taken 1.5× with the smallest
        // radius of curvature and the most poleward latitude the circle reaches).
        double r = circle.RadiusM;
        double half = maxErrorM / 2;
        double n = Math.Max(8, Math.Ceiling(Math.PI / Math.Acos(r / (r + half))));
        double minRadiusM = Ellipsoid.Wgs84.MeridionalRadiusM(0);
        double maxLatRad = Math.Min(89.0 * GeoMath.DegToRad, (Math.Abs(circle.Center.LatDeg) * GeoMath.DegToRad) + ((r + maxErrorM) / minRadiusM));
        double bulge;
        while (true)
        {
            double edge = 2 * (r + half) * Math.Sin(Math.PI / n);
            bulge = (1.5 * edge * edge * Math.Tan(maxLatRad) / (8 * minRadiusM)) + 1e-4;
            if (bulge <= half || n > MaxPolygonVertices)
            {
                break;
            }

            n = Math.Ceiling(n * 1.2);
        }

        if (n > MaxPolygonVertices)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(maxErrorM), $"maxErrorM {maxErrorM} m for radius {r} m needs more than {MaxPolygonVertices} vertices");
        }

        int count = (int)n;
        double outer = (r / Math.Cos(Math.PI / count)) + bulge;
        var coords = new Coordinate[count + 1];
        for (int i = 0; i < count; i++)
        {
            // Counter-clockwise (decreasing azimuth) shell, as OGC orients shells.
            GeoPoint v = Geodesic.Wgs84.Direct(circle.Center, 360.0 - (360.0 * i / count), outer).Destination;
            coords[i] = new Coordinate(v.LonDeg, v.LatDeg);
        }

        coords[count] = coords[0].Copy();
        return Factory.CreatePolygon(coords);
    }

    /// <summary>Checks a footprint and returns readable errors (empty when valid).</summary>
    /// <param name="footprint">The footprint.</param>
    public static IReadOnlyList<string> Validate(this Footprint? footprint)
    {
        var errors = new List<string>();
        switch (footprint)
        {
            case null:
                errors.Add("footprint: required");
                break;
            case CircleFootprint cf:
                if (!cf.Center.IsValid)
                {
                    errors.Add($"circle centre {cf.Center}: lon must be in [-180, 180] and lat in [-90, 90]");
                }

                if (!double.IsFinite(cf.RadiusM) || cf.RadiusM <= 0)
                {
                    errors.Add($"circle radius {cf.RadiusM.ToString(System.Globalization.CultureInfo.InvariantCulture)} m: must be a finite number > 0");
                }
                else if (cf.RadiusM > MaxCircleRadiusM)
                {
                    errors.Add($"circle radius {cf.RadiusM.ToString(System.Globalization.CultureInfo.InvariantCulture)} m: must be at most {MaxCircleRadiusM.ToString(System.Globalization.CultureInfo.InvariantCulture)} m");
                }

                break;
            case PolygonFootprint pf:
                ValidatePolygon(pf.Polygon, errors);
                break;
            default:
                errors.Add($"footprint: unknown type {footprint.GetType().Name}");
                break;
        }

        return errors;
    }

    private static void ValidatePolygon(Polygon? polygon, List<string> errors)
    {
        if (polygon is null || polygon.IsEmpty)
        {
            errors.Add("polygon: must not be empty");
            return;
        }

        int vertices = 0;
        int badCoords = 0;
        double minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue;
        for (int r = -1; r < polygon.NumInteriorRings; r++)
        {
            CoordinateSequence seq = (r < 0 ? polygon.Shell : polygon.GetInteriorRingN(r)).CoordinateSequence;
            if (seq.Count < 4)
            {
                errors.Add($"polygon ring {r + 1}: needs at least 3 distinct vertices plus the closing point, has {seq.Count} points");
            }

            vertices += Math.Max(0, seq.Count - 1);
            for (int i = 0; i < seq.Count; i++)
            {
                double x = seq.GetX(i), y = seq.GetY(i);
                if (!double.IsFinite(x) || !double.IsFinite(y))
                {
                    badCoords++;
                    continue;
                }

                minX = Math.Min(minX, x);
                maxX = Math.Max(maxX, x);
                minY = Math.Min(minY, y);
                maxY = Math.Max(maxY, y);
            }
        }

        if (vertices > MaxPolygonVertices)
        {
            errors.Add($"polygon: has {vertices} vertices, at most {MaxPolygonVertices} are allowed");
        }

        if (badCoords > 0)
        {
            errors.Add($"polygon: {badCoords} coordinates are not finite numbers");
            return;
        }

        bool lonOut = minX < -180 || maxX > 180;
        bool latOut = minY < -90 || maxY > 90;
        if (latOut && minX >= -90 && maxX <= 90)
        {
            errors.Add("polygon: latitudes out of [-90, 90] while longitudes fit in it: the coordinates look like (lat, lon); footprints use X = lon, Y = lat");
        }
        else if (minX >= 3 && maxX <= 54 && minY >= 73 && maxY <= 136)
        {
            errors.Add("polygon: the coordinates look like (lat, lon) in China (lon 73-136, lat 3-54); footprints use X = lon, Y = lat");
        }
        else
        {
            if (lonOut)
            {
                errors.Add($"polygon: longitudes must be in [-180, 180], found {minX.ToString(System.Globalization.CultureInfo.InvariantCulture)} to {maxX.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            }

            if (latOut)
            {
                errors.Add($"polygon: latitudes must be in [-90, 90], found {minY.ToString(System.Globalization.CultureInfo.InvariantCulture)} to {maxY.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            }
        }

        if (maxX - minX > 180)
        {
            errors.Add("polygon: spans more than 180 degrees of longitude; polygons crossing the antimeridian must be split into two");
        }

        if (errors.Count == 0)
        {
            TopologyValidationError? topo = new IsValidOp(polygon).ValidationError;
            if (topo is not null)
            {
                errors.Add($"polygon: {topo.Message} at ({topo.Coordinate?.X.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {topo.Coordinate?.Y.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
            }
        }
    }

    /// <summary>Signed ring area (m²) by the authalic Green's-theorem integral along lon/lat-straight edges.</summary>
    private static double RingAreaM2(CoordinateSequence seq)
    {
        double sum = 0;
        for (int i = 0; i + 1 < seq.Count; i++)
        {
            double lon1 = seq.GetX(i), lat1 = seq.GetY(i), lon2 = seq.GetX(i + 1), lat2 = seq.GetY(i + 1);
            double dLon = (lon2 - lon1) * GeoMath.DegToRad;
            if (dLon == 0)
            {
                continue;
            }

            double g = 0;
            for (int k = 0; k < 5; k++)
            {
                g += GaussW[k] * AuthalicPrimitive((lat1 + ((lat2 - lat1) * GaussT[k])) * GeoMath.DegToRad);
            }

            sum += dLon * g;
        }

        return -sum;
    }

    /// <summary>G(φ) = ∫₀^φ M·N·cos φ′ dφ′ = (b²/2)·[sin φ/(1 − e² sin²φ) + ln((1 + e sin φ)/(1 − e sin φ))/(2e)].</summary>
    private static double AuthalicPrimitive(double latRad)
    {
        Ellipsoid el = Ellipsoid.Wgs84;
        double e2 = el.EccentricitySquared;
        double e = Math.Sqrt(e2);
        double s = Math.Sin(latRad);
        double b = el.SemiMinorAxisM;
        return b * b / 2 * ((s / (1 - (e2 * s * s))) + (Math.Log((1 + (e * s)) / (1 - (e * s))) / (2 * e)));
    }

    /// <summary>Crossing-number step for one ring; returns true when the point lies on the ring (closed polygon).</summary>
    private static bool RingContainsOrTouches(CoordinateSequence seq, double x, double y, ref bool inside)
    {
        int n = seq.Count;
        for (int i = 0, j = n - 1; i < n; j = i++)
        {
            double xi = seq.GetX(i), yi = seq.GetY(i), xj = seq.GetX(j), yj = seq.GetY(j);
            double cross = ((xj - xi) * (y - yi)) - ((x - xi) * (yj - yi));
            if (cross == 0 && x >= Math.Min(xi, xj) && x <= Math.Max(xi, xj) && y >= Math.Min(yi, yj) && y <= Math.Max(yi, yj))
            {
                return true;
            }

            if ((yi > y) != (yj > y) && x < xi + ((xj - xi) * (y - yi) / (yj - yi)))
            {
                inside = !inside;
            }
        }

        return false;
    }
}
