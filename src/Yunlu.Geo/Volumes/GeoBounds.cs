namespace Yunlu.Geo;

/// <summary>
/// A lon/lat bounding box in degrees. <see cref="EastLonDeg"/> may exceed 180 (or <see cref="WestLonDeg"/> go below
/// −180) for a circle that reaches over the antimeridian; <see cref="Intersects"/> accounts for the wrap.
/// </summary>
/// <param name="WestLonDeg">Western edge, degrees.</param>
/// <param name="SouthLatDeg">Southern edge, degrees.</param>
/// <param name="EastLonDeg">Eastern edge, degrees (≥ west).</param>
/// <param name="NorthLatDeg">Northern edge, degrees (≥ south).</param>
public readonly record struct GeoBounds(double WestLonDeg, double SouthLatDeg, double EastLonDeg, double NorthLatDeg)
{
    /// <summary>True when the closed boxes share a point (longitudes compared modulo 360°).</summary>
    /// <param name="other">The other box.</param>
    public bool Intersects(GeoBounds other)
    {
        if (SouthLatDeg > other.NorthLatDeg || other.SouthLatDeg > NorthLatDeg)
        {
            return false;
        }

        return LonOverlap(other, 0) || LonOverlap(other, 360) || LonOverlap(other, -360);
    }

    /// <summary>True when the point lies in the closed box (longitude modulo 360°).</summary>
    /// <param name="p">The point.</param>
    public bool Contains(GeoPoint p) =>
        p.LatDeg >= SouthLatDeg && p.LatDeg <= NorthLatDeg &&
        ((p.LonDeg >= WestLonDeg && p.LonDeg <= EastLonDeg) ||
         (p.LonDeg + 360 >= WestLonDeg && p.LonDeg + 360 <= EastLonDeg) ||
         (p.LonDeg - 360 >= WestLonDeg && p.LonDeg - 360 <= EastLonDeg));

    private bool LonOverlap(GeoBounds other, double shift) =>
        WestLonDeg <= other.EastLonDeg + shift && other.WestLonDeg + shift <= EastLonDeg;
}
