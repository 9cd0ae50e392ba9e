namespace Yunlu.Geo;

/// <summary>The solution of the inverse geodesic problem between two points.</summary>
/// <param name="DistanceM">Length of the shortest geodesic, metres.</param>
/// <param name="InitialAzimuthDeg">Azimuth at the first point, degrees clockwise from north, [0, 360).</param>
/// <param name="FinalAzimuthDeg">Azimuth at the second point (direction of travel), degrees, [0, 360).</param>
/// <param name="Converged">
/// False when Vincenty's iteration did not converge (nearly antipodal points) and the documented fallback was used.
/// </param>
public readonly record struct GeodesicInverseResult(double DistanceM, double InitialAzimuthDeg, double FinalAzimuthDeg, bool Converged);

/// <summary>The solution of the direct geodesic problem.</summary>
/// <param name="Destination">The end point.</param>
/// <param name="FinalAzimuthDeg">Azimuth at the end point (direction of travel), degrees, [0, 360).</param>
public readonly record struct GeodesicDirectResult(GeoPoint Destination, double FinalAzimuthDeg);

/// <summary>
/// Geodesics on an ellipsoid of revolution (default WGS84) by Vincenty's formulae.
/// </summary>
/// <remarks>
/// <para>Source: T. Vincenty, "Direct and inverse solutions of geodesics on the ellipsoid with application of nested
/// equations", Survey Review 23(176), 1975, 88–93. The series are truncated at u⁸ and are accurate to about 0.1 mm
/// for all lines (Karney 2013, J. Geodesy 87, 43–55, §1); the tests check against GeographicLib (Karney's algorithm)
/// to 1 mm over random lines.</para>
/// <para>Convergence: the inverse iteration on λ stops when it changes by less than 1e-12 rad (≈ 6 µm). It fails only
/// for nearly antipodal points (|L| close to 180° and φ1 ≈ −φ2). Then the result is flagged
/// <see cref="GeodesicInverseResult.Converged"/> = false and the distance is taken as σ·(meridian length / 2π) with σ
/// the central angle on the auxiliary (reduced-latitude) sphere: exact for exactly antipodal points, where the
/// shortest path runs over a pole, but only good to about 0.2 % (≈ 32 km measured on the test lines) elsewhere in the
/// failing band. Callers that need exact antipodal geodesics should check the flag; Yunlu's own uses (circles,
/// corridors, volumes within a city or province) are all far from that band.</para>
/// <para>Allocation-free; an inverse solution typically takes 3–6 iterations.</para>
/// </remarks>
public sealed class Geodesic
{
    /// <summary>Mean earth radius R1 = (2a + b)/3 of WGS84 in metres (IUGG), used by <see cref="HaversineM"/>.</summary>
    public const double MeanEarthRadiusM = 6_371_008.771415;

    private const int MaxIterations = 200;
    private const double LambdaTolRad = 1e-12;

    private readonly double _a;
    private readonly double _b;
    private readonly double _f;
    private readonly double _halfMeridianM;

    /// <summary>Creates a solver on <paramref name="ellipsoid"/>.</summary>
    /// <param name="ellipsoid">The ellipsoid (0 ≤ f &lt; 1).</param>
    public Geodesic(Ellipsoid ellipsoid)
    {
        if (!(ellipsoid.SemiMajorAxisM > 0) || !(ellipsoid.Flattening >= 0 && ellipsoid.Flattening < 0.1))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(ellipsoid), "ellipsoid needs a > 0 and 0 <= f < 0.1");
        }

        Ellipsoid = ellipsoid;
        _a = ellipsoid.SemiMajorAxisM;
        _f = ellipsoid.Flattening;
        _b = ellipsoid.SemiMinorAxisM;

        // Half the meridian ellipse circumference: π·b·A(u² = e′²) from Vincenty's A series.
        double u2 = ellipsoid.SecondEccentricitySquared;
        _halfMeridianM = Math.PI * _b * SeriesA(u2);
    }

    /// <summary>The solver on WGS84.</summary>
    public static Geodesic Wgs84 { get; } = new(Ellipsoid.Wgs84);

    /// <summary>The ellipsoid.</summary>
    public Ellipsoid Ellipsoid { get; }

    /// <summary>Shortest geodesic distance between two points on WGS84, metres.</summary>
    /// <param name="p1">First point.</param>
    /// <param name="p2">Second point.</param>
    public static double DistanceM(GeoPoint p1, GeoPoint p2) => Wgs84.Inverse(p1, p2).DistanceM;

    /// <summary>Great-circle distance on a sphere of radius <paramref name="radiusM"/> (haversine formula), metres.</summary>
    /// <param name="p1">First point.</param>
    /// <param name="p2">Second point.</param>
    /// <param name="radiusM">Sphere radius, metres; default the mean earth radius.</param>
    /// <remarks>Differs from the WGS84 geodesic by up to about 0.5 % (the flattening).</remarks>
    public static double HaversineM(GeoPoint p1, GeoPoint p2, double radiusM = MeanEarthRadiusM)
    {
        double lat1 = p1.LatDeg * GeoMath.DegToRad, lat2 = p2.LatDeg * GeoMath.DegToRad;
        double sdLat = Math.Sin((lat2 - lat1) / 2);
        double sdLon = Math.Sin((p2.LonDeg - p1.LonDeg) * GeoMath.DegToRad / 2);
        double h = (sdLat * sdLat) + (Math.Cos(lat1) * Math.Cos(lat2) * sdLon * sdLon);
        return 2 * radiusM * Math.Asin(Math.Min(1.0, Math.Sqrt(h)));
    }

    /// <summary>Solves the inverse problem: distance and azimuths between two points.</summary>
    /// <param name="p1">First point (lon/lat degrees, valid).</param>
    /// <param name="p2">Second point (lon/lat degrees, valid).</param>
    public GeodesicInverseResult Inverse(GeoPoint p1, GeoPoint p2)
    {
        if (!p1.IsValid)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(p1), "point must have finite lon in [-180, 180] and lat in [-90, 90]");
        }

        if (!p2.IsValid)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(p2), "point must have finite lon in [-180, 180] and lat in [-90, 90]");
        }

        double f = _f;
        double l = GeoMath.NormalizeLonDeg(p2.LonDeg - p1.LonDeg) * GeoMath.DegToRad;
        (double sinU1, double cosU1) = Reduced(p1.LatDeg);
        (double sinU2, double cosU2) = Reduced(p2.LatDeg);

        double lambda = l;
        double sinSigma = 0, cosSigma = 0, sigma = 0, sinAlpha, cos2Alpha = 0, cos2SigmaM = 0;
        double sinLambda = 0, cosLambda = 0;
        bool converged = false;
        for (int i = 0; i < MaxIterations; i++)
        {
            (sinLambda, cosLambda) = Math.SinCos(lambda);
            double t1 = cosU2 * sinLambda;
            double t2 = (cosU1 * sinU2) - (sinU1 * cosU2 * cosLambda);
            sinSigma = Math.Sqrt((t1 * t1) + (t2 * t2));
            if (sinSigma == 0)
            {
                // Coincident points (or both at the same pole).
                return new GeodesicInverseResult(0, 0, 0, true);
            }

            cosSigma = (sinU1 * sinU2) + (cosU1 * cosU2 * cosLambda);
            sigma = Math.Atan2(sinSigma, cosSigma);
            sinAlpha = cosU1 * cosU2 * sinLambda / sinSigma;
            cos2Alpha = 1 - (sinAlpha * sinAlpha);
            cos2SigmaM = cos2Alpha != 0 ? cosSigma - (2 * sinU1 * sinU2 / cos2Alpha) : 0; // equatorial line
            double c = f / 16 * cos2Alpha * (4 + (f * (4 - (3 * cos2Alpha))));
            double next = l + ((1 - c) * f * sinAlpha *
                (sigma + (c * sinSigma * (cos2SigmaM + (c * cosSigma * (-1 + (2 * cos2SigmaM * cos2SigmaM)))))));
            if (Math.Abs(next) > Math.PI)
            {
                break;
            }

            bool done = Math.Abs(next - lambda) < LambdaTolRad;
            lambda = next;
            if (done)
            {
                converged = true;
                break;
            }
        }

        if (!converged)
        {
            return AntipodalFallback(l, sinU1, cosU1, sinU2, cosU2);
        }

        double u2 = cos2Alpha * ((_a * _a) - (_b * _b)) / (_b * _b);
        double bigA = SeriesA(u2);
        double bigB = u2 / 1024 * (256 + (u2 * (-128 + (u2 * (74 - (47 * u2))))));
        double deltaSigma = bigB * sinSigma * (cos2SigmaM + (bigB / 4 * ((cosSigma * (-1 + (2 * cos2SigmaM * cos2SigmaM))) -
            (bigB / 6 * cos2SigmaM * (-3 + (4 * sinSigma * sinSigma)) * (-3 + (4 * cos2SigmaM * cos2SigmaM))))));
        double s = _b * bigA * (sigma - deltaSigma);
        double az1 = Math.Atan2(cosU2 * sinLambda, (cosU1 * sinU2) - (sinU1 * cosU2 * cosLambda));
        double az2 = Math.Atan2(cosU1 * sinLambda, (-sinU1 * cosU2) + (cosU1 * sinU2 * cosLambda));
        return new GeodesicInverseResult(
            s,
            GeoMath.NormalizeAzimuthDeg(az1 * GeoMath.RadToDeg),
            GeoMath.NormalizeAzimuthDeg(az2 * GeoMath.RadToDeg),
            true);
    }

    /// <summary>Solves the direct problem: the point reached from <paramref name="start"/> along a geodesic.</summary>
    /// <param name="start">Start point (lon/lat degrees, valid).</param>
    /// <param name="azimuthDeg">Initial azimuth, degrees clockwise from north.</param>
    /// <param name="distanceM">Distance along the geodesic, metres (may be negative: travel backwards).</param>
    public GeodesicDirectResult Direct(GeoPoint start, double azimuthDeg, double distanceM)
    {
        if (!start.IsValid)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(start), "point must have finite lon in [-180, 180] and lat in [-90, 90]");
        }

        if (!double.IsFinite(azimuthDeg))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(azimuthDeg), "azimuth must be finite");
        }

        if (!double.IsFinite(distanceM))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(distanceM), "distance must be finite");
        }

        double f = _f;
        (double sinA1, double cosA1) = Math.SinCos(azimuthDeg * GeoMath.DegToRad);
        (double sinU1, double cosU1) = Reduced(start.LatDeg);
        double sigma1 = Math.Atan2(sinU1, cosU1 * cosA1);
        double sinAlpha = cosU1 * sinA1;
        double cos2Alpha = 1 - (sinAlpha * sinAlpha);
        double u2 = cos2Alpha * ((_a * _a) - (_b * _b)) / (_b * _b);
        double bigA = SeriesA(u2);
        double bigB = u2 / 1024 * (256 + (u2 * (-128 + (u2 * (74 - (47 * u2))))));

        double sigma0 = distanceM / (_b * bigA);
        double sigma = sigma0;
        double sinSigma = 0, cosSigma = 0, cos2SigmaM = 0;
        for (int i = 0; i < MaxIterations; i++)
        {
            cos2SigmaM = Math.Cos((2 * sigma1) + sigma);
            (sinSigma, cosSigma) = Math.SinCos(sigma);
            double deltaSigma = bigB * sinSigma * (cos2SigmaM + (bigB / 4 * ((cosSigma * (-1 + (2 * cos2SigmaM * cos2SigmaM))) -
                (bigB / 6 * cos2SigmaM * (-3 + (4 * sinSigma * sinSigma)) * (-3 + (4 * cos2SigmaM * cos2SigmaM))))));
            double next = sigma0 + deltaSigma;
            bool done = Math.Abs(next - sigma) < LambdaTolRad;
            sigma = next;
            if (done)
            {
                break;
            }
        }

        cos2SigmaM = Math.Cos((2 * sigma1) + sigma);
        (sinSigma, cosSigma) = Math.SinCos(sigma);
        double tmp = (sinU1 * sinSigma) - (cosU1 * cosSigma * cosA1);
        double lat2 = Math.Atan2((sinU1 * cosSigma) + (cosU1 * sinSigma * cosA1), (1 - f) * Math.Sqrt((sinAlpha * sinAlpha) + (tmp * tmp)));
        double lambda = Math.Atan2(sinSigma * sinA1, (cosU1 * cosSigma) - (sinU1 * sinSigma * cosA1));
        double c = f / 16 * cos2Alpha * (4 + (f * (4 - (3 * cos2Alpha))));
        double l = lambda - ((1 - c) * f * sinAlpha *
            (sigma + (c * sinSigma * (cos2SigmaM + (c * cosSigma * (-1 + (2 * cos2SigmaM * cos2SigmaM)))))));
        double lon2 = GeoMath.NormalizeLonDeg(start.LonDeg + (l * GeoMath.RadToDeg));
        double az2 = Math.Atan2(sinAlpha, -tmp);
        return new GeodesicDirectResult(
            new GeoPoint(lon2, lat2 * GeoMath.RadToDeg),
            GeoMath.NormalizeAzimuthDeg(az2 * GeoMath.RadToDeg));
    }

    private GeodesicInverseResult AntipodalFallback(double l, double sinU1, double cosU1, double sinU2, double cosU2)
    {
        (double sinL, double cosL) = Math.SinCos(l);
        double t1 = cosU2 * sinL;
        double t2 = (cosU1 * sinU2) - (sinU1 * cosU2 * cosL);
        double sigma = Math.Atan2(Math.Sqrt((t1 * t1) + (t2 * t2)), (sinU1 * sinU2) + (cosU1 * cosU2 * cosL));
        double az1 = Math.Atan2(t1, t2);
        double az2 = Math.Atan2(cosU1 * sinL, (-sinU1 * cosU2) + (cosU1 * sinU2 * cosL));
        return new GeodesicInverseResult(
            sigma / Math.PI * _halfMeridianM,
            GeoMath.NormalizeAzimuthDeg(az1 * GeoMath.RadToDeg),
            GeoMath.NormalizeAzimuthDeg(az2 * GeoMath.RadToDeg),
            false);
    }

    private (double Sin, double Cos) Reduced(double latDeg)
    {
        // tan U = (1 − f) tan φ, computed without tan to stay finite at the poles.
        (double s, double c) = Math.SinCos(latDeg * GeoMath.DegToRad);
        double ys = (1 - _f) * s;
        double r = Math.Sqrt((ys * ys) + (c * c));
        return (ys / r, c / r);
    }

    private static double SeriesA(double u2) =>
        1 + (u2 / 16384 * (4096 + (u2 * (-768 + (u2 * (320 - (175 * u2)))))));
}
