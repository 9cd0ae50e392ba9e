namespace Yunlu.Geo;

/// <summary>A geoid model: the height of mean sea level above the WGS84 ellipsoid.</summary>
public interface IGeoid
{
    /// <summary>
    /// Geoid undulation N in metres at <paramref name="p"/>: ellipsoidal height h = orthometric (AMSL) height H + N.
    /// </summary>
    /// <param name="p">The position (WGS84 lon/lat degrees).</param>
    double UndulationM(GeoPoint p);
}
