namespace Yunlu.Geo;

/// <summary>
/// A horizontal position on the WGS84 ellipsoid, longitude first (as in GeoJSON and NetTopologySuite: X = lon, Y = lat).
/// Degrees, decimal. Never GCJ-02.
/// </summary>
/// <param name="LonDeg">Longitude in degrees, [-180, 180].</param>
/// <param name="LatDeg">Latitude in degrees, [-90, 90].</param>
public readonly record struct GeoPoint(double LonDeg, double LatDeg)
{
    /// <summary>True when both coordinates are finite and within their ranges.</summary>
    public bool IsValid =>
        double.IsFinite(LonDeg) && double.IsFinite(LatDeg) &&
        LonDeg >= -180 && LonDeg <= 180 && LatDeg >= -90 && LatDeg <= 90;

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"({LonDeg:0.#######}, {LatDeg:0.#######})");
}
