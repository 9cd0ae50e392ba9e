namespace Yunlu.Geo;

/// <summary>
/// A reference ellipsoid of revolution given by its equatorial radius and flattening.
/// </summary>
/// <param name="SemiMajorAxisM">Equatorial radius a in metres.</param>
/// <param name="Flattening">Flattening f = (a − b) / a, dimensionless.</param>
public readonly record struct Ellipsoid(double SemiMajorAxisM, double Flattening)
{
    /// <summary>WGS84 (NGA TR8350.2): a = 6 378 137 m, 1/f = 298.257223563. CGCS2000 differs only in f at the 1e-11 level.</summary>
    public static Ellipsoid Wgs84 { get; } = new(6_378_137.0, 1.0 / 298.257223563);

    /// <summary>International 1924 (Hayford): a = 6 378 388 m, 1/f = 297; the ellipsoid of Vincenty's (1975) test lines.</summary>
    public static Ellipsoid International1924 { get; } = new(6_378_388.0, 1.0 / 297.0);

    /// <summary>Polar radius b = a (1 − f) in metres.</summary>
    public double SemiMinorAxisM => SemiMajorAxisM * (1 - Flattening);

    /// <summary>First eccentricity squared e² = f (2 − f).</summary>
    public double EccentricitySquared => Flattening * (2 - Flattening);

    /// <summary>Second eccentricity squared e′² = e² / (1 − e²).</summary>
    public double SecondEccentricitySquared => EccentricitySquared / (1 - EccentricitySquared);

    /// <summary>Prime-vertical radius of curvature N(φ) = a / √(1 − e² sin²φ), metres.</summary>
    /// <param name="latRad">Geodetic latitude in radians.</param>
    public double PrimeVerticalRadiusM(double latRad)
    {
        double s = Math.Sin(latRad);
        return SemiMajorAxisM / Math.Sqrt(1 - (EccentricitySquared * s * s));
    }

    /// <summary>Meridional radius of curvature M(φ) = a (1 − e²) / (1 − e² sin²φ)^1.5, metres.</summary>
    /// <param name="latRad">Geodetic latitude in radians.</param>
    public double MeridionalRadiusM(double latRad)
    {
        double s = Math.Sin(latRad);
        double w = 1 - (EccentricitySquared * s * s);
        return SemiMajorAxisM * (1 - EccentricitySquared) / (w * Math.Sqrt(w));
    }
}
