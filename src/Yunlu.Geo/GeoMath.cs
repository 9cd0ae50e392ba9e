namespace Yunlu.Geo;

/// <summary>Small angle helpers shared by the geometry code.</summary>
internal static class GeoMath
{
    public const double DegToRad = Math.PI / 180.0;
    public const double RadToDeg = 180.0 / Math.PI;

    /// <summary>Normalises a longitude in degrees to [-180, 180).</summary>
    public static double NormalizeLonDeg(double lonDeg)
    {
        double x = Math.IEEERemainder(lonDeg, 360.0);
        return x >= 180.0 ? x - 360.0 : x < -180.0 ? x + 360.0 : x;
    }

    /// <summary>Normalises an azimuth in degrees to [0, 360).</summary>
    public static double NormalizeAzimuthDeg(double azDeg)
    {
        double x = azDeg % 360.0;
        if (x < 0)
        {
            x += 360.0;
        }

        return x >= 360.0 ? 0.0 : x;
    }
}
