namespace Yunlu.Geo;

/// <summary>Earth-centred, earth-fixed Cartesian coordinates on WGS84, metres.</summary>
/// <param name="XM">X towards 0° lon on the equator, metres.</param>
/// <param name="YM">Y towards 90° E on the equator, metres.</param>
/// <param name="ZM">Z towards the north pole, metres.</param>
public readonly record struct Ecef(double XM, double YM, double ZM);

/// <summary>Local east-north-up coordinates relative to a frame origin, metres.</summary>
/// <param name="EastM">East, metres.</param>
/// <param name="NorthM">North, metres.</param>
/// <param name="UpM">Up (along the ellipsoid normal at the origin), metres.</param>
public readonly record struct Enu(double EastM, double NorthM, double UpM);

/// <summary>A geodetic position: lon/lat and height above the WGS84 ellipsoid.</summary>
/// <param name="Point">Longitude/latitude, degrees.</param>
/// <param name="HeightW84M">Ellipsoidal height, metres.</param>
public readonly record struct GeodeticPosition(GeoPoint Point, double HeightW84M);

/// <summary>
/// A local east-north-up (ENU) frame tangent to the WGS84 ellipsoid at an origin, with exact geodetic ↔ ECEF ↔ ENU
/// conversions.
/// </summary>
/// <remarks>
/// Geodetic → ECEF is the closed form; ECEF → geodetic iterates φ from Bowring's (1976) start until it changes by less
/// than 1e-14 rad (2–3 iterations near the surface), giving round trips to about 1e-9 m. Source: standard formulas,
/// e.g. NGA TR8350.2 and Hofmann-Wellenhof et al., <i>GNSS</i> (2008) §10.2. All members are allocation-free.
/// </remarks>
public sealed class EnuFrame
{
    private static readonly Ellipsoid E = Ellipsoid.Wgs84;
    private readonly double _sinLat;
    private readonly double _cosLat;
    private readonly double _sinLon;
    private readonly double _cosLon;

    /// <summary>Creates a frame at <paramref name="origin"/>, <paramref name="originHeightW84M"/> metres above the ellipsoid.</summary>
    /// <param name="origin">Origin lon/lat, degrees.</param>
    /// <param name="originHeightW84M">Origin ellipsoidal height, metres.</param>
    public EnuFrame(GeoPoint origin, double originHeightW84M)
    {
        if (!origin.IsValid)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(origin), "origin must have finite lon in [-180, 180] and lat in [-90, 90]");
        }

        if (!double.IsFinite(originHeightW84M))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(originHeightW84M), "origin height must be finite");
        }

        Origin = origin;
        OriginHeightW84M = originHeightW84M;
        double lat = origin.LatDeg * GeoMath.DegToRad;
        double lon = origin.LonDeg * GeoMath.DegToRad;
        (_sinLat, _cosLat) = Math.SinCos(lat);
        (_sinLon, _cosLon) = Math.SinCos(lon);
        OriginEcef = ToEcef(origin, originHeightW84M);
    }

    /// <summary>The frame origin.</summary>
    public GeoPoint Origin { get; }

    /// <summary>The origin's ellipsoidal height, metres.</summary>
    public double OriginHeightW84M { get; }

    /// <summary>The origin in ECEF.</summary>
    public Ecef OriginEcef { get; }

    /// <summary>Geodetic (lon/lat degrees, ellipsoidal height m) → ECEF metres on WGS84.</summary>
    /// <param name="p">Position.</param>
    /// <param name="heightW84M">Ellipsoidal height, metres.</param>
    public static Ecef ToEcef(GeoPoint p, double heightW84M)
    {
        double lat = p.LatDeg * GeoMath.DegToRad;
        double lon = p.LonDeg * GeoMath.DegToRad;
        (double sinLat, double cosLat) = Math.SinCos(lat);
        (double sinLon, double cosLon) = Math.SinCos(lon);
        double n = E.SemiMajorAxisM / Math.Sqrt(1 - (E.EccentricitySquared * sinLat * sinLat));
        double r = (n + heightW84M) * cosLat;
        return new Ecef(r * cosLon, r * sinLon, ((n * (1 - E.EccentricitySquared)) + heightW84M) * sinLat);
    }

    /// <summary>ECEF metres → geodetic (lon/lat degrees, ellipsoidal height m) on WGS84.</summary>
    /// <param name="ecef">ECEF position; should be more than ~50 km from the earth's centre.</param>
    public static GeodeticPosition ToGeodetic(Ecef ecef)
    {
        double a = E.SemiMajorAxisM;
        double b = E.SemiMinorAxisM;
        double e2 = E.EccentricitySquared;
        double ep2 = E.SecondEccentricitySquared;
        double x = ecef.XM, y = ecef.YM, z = ecef.ZM;
        double p = Math.Sqrt((x * x) + (y * y));
        double lon = Math.Atan2(y, x);

        // Bowring's parametric-latitude start, then Newton-like fixed point on φ.
        double beta = Math.Atan2(z * a, p * b);
        (double sb, double cb) = Math.SinCos(beta);
        double lat = Math.Atan2(z + (ep2 * b * sb * sb * sb), p - (e2 * a * cb * cb * cb));
        for (int i = 0; i < 10; i++)
        {
            double s = Math.Sin(lat);
            double n = a / Math.Sqrt(1 - (e2 * s * s));
            double next = Math.Atan2(z + (e2 * n * s), p);
            bool done = Math.Abs(next - lat) < 1e-15;
            lat = next;
            if (done)
            {
                break;
            }
        }

        (double sinLat, double cosLat) = Math.SinCos(lat);
        double nn = a / Math.Sqrt(1 - (e2 * sinLat * sinLat));

        // Pick the well-conditioned height formula (cos φ ≈ 0 near the poles).
        double h = Math.Abs(cosLat) > 0.5 ? (p / cosLat) - nn : (z / sinLat) - (nn * (1 - e2));
        return new GeodeticPosition(new GeoPoint(lon * GeoMath.RadToDeg, lat * GeoMath.RadToDeg), h);
    }

    /// <summary>ECEF → ENU in this frame.</summary>
    /// <param name="ecef">ECEF position, metres.</param>
    public Enu EcefToEnu(Ecef ecef)
    {
        double dx = ecef.XM - OriginEcef.XM;
        double dy = ecef.YM - OriginEcef.YM;
        double dz = ecef.ZM - OriginEcef.ZM;
        double t = (_cosLon * dx) + (_sinLon * dy);
        return new Enu(
            (-_sinLon * dx) + (_cosLon * dy),
            (-_sinLat * t) + (_cosLat * dz),
            (_cosLat * t) + (_sinLat * dz));
    }

    /// <summary>ENU in this frame → ECEF.</summary>
    /// <param name="enu">Local coordinates, metres.</param>
    public Ecef EnuToEcef(Enu enu)
    {
        double t = (-_sinLat * enu.NorthM) + (_cosLat * enu.UpM);
        return new Ecef(
            OriginEcef.XM + (-_sinLon * enu.EastM) + (_cosLon * t),
            OriginEcef.YM + (_cosLon * enu.EastM) + (_sinLon * t),
            OriginEcef.ZM + (_cosLat * enu.NorthM) + (_sinLat * enu.UpM));
    }

    /// <summary>Geodetic → ENU in this frame.</summary>
    /// <param name="p">Position.</param>
    /// <param name="heightW84M">Ellipsoidal height, metres.</param>
    public Enu ToEnu(GeoPoint p, double heightW84M) => EcefToEnu(ToEcef(p, heightW84M));

    /// <summary>ENU in this frame → geodetic.</summary>
    /// <param name="enu">Local coordinates, metres.</param>
    public GeodeticPosition ToGeodetic(Enu enu) => ToGeodetic(EnuToEcef(enu));
}
