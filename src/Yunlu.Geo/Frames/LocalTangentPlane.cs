namespace Yunlu.Geo;

/// <summary>A planar position in a local metric frame, metres east and north of the frame origin.</summary>
/// <param name="EastM">East, metres.</param>
/// <param name="NorthM">North, metres.</param>
public readonly record struct PlanarPoint(double EastM, double NorthM);

/// <summary>
/// A fast local projection for small areas: east = Δλ·N(φ0)·cos φ0, north = Δφ·M(φ0) (an equirectangular projection
/// scaled by the WGS84 radii of curvature at the origin).
/// </summary>
/// <remarks>
/// <para>The map is affine in (lon, lat), so lines straight in lon/lat (GeoJSON / PostGIS geometry edges) stay straight
/// and every intersection predicate computed here equals the one computed on lon/lat. Distances are exact to first
/// order at the origin; the relative scale error at a point d metres north or south of the origin is about
/// d·tan φ0 / R east–west (the change of cos φ) and far smaller north–south: ≈ 8e-5 at 1 km near Guiyang
/// (26.5° N), so a 1 km distance is off by ≲ 8 cm. Use <see cref="EnuFrame"/> for larger areas or exact work.</para>
/// <para>Longitude differences are wrapped into [−180°, 180°), so a frame near the antimeridian works.
/// Allocation-free, a handful of flops per point.</para>
/// </remarks>
public readonly struct LocalTangentPlane
{
    private readonly double _lon0;
    private readonly double _lat0;
    private readonly double _mPerDegLon;
    private readonly double _mPerDegLat;

    /// <summary>Creates a plane tangent at <paramref name="origin"/>.</summary>
    /// <param name="origin">Origin lon/lat, degrees.</param>
    /// <param name="heightW84M">Height of the plane above the ellipsoid, metres (scales the radii; usually 0).</param>
    public LocalTangentPlane(GeoPoint origin, double heightW84M = 0)
    {
        if (!origin.IsValid)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(origin), "origin must have finite lon in [-180, 180] and lat in [-90, 90]");
        }

        _lon0 = origin.LonDeg;
        _lat0 = origin.LatDeg;
        double lat = origin.LatDeg * GeoMath.DegToRad;
        Ellipsoid e = Ellipsoid.Wgs84;
        _mPerDegLon = (e.PrimeVerticalRadiusM(lat) + heightW84M) * Math.Cos(lat) * GeoMath.DegToRad;
        _mPerDegLat = (e.MeridionalRadiusM(lat) + heightW84M) * GeoMath.DegToRad;
    }

    /// <summary>The origin.</summary>
    public GeoPoint Origin => new(_lon0, _lat0);

    /// <summary>Metres per degree of longitude at the origin.</summary>
    public double MetresPerDegreeLon => _mPerDegLon;

    /// <summary>Metres per degree of latitude at the origin.</summary>
    public double MetresPerDegreeLat => _mPerDegLat;

    /// <summary>Projects lon/lat degrees to local metres.</summary>
    /// <param name="p">Position.</param>
    public PlanarPoint Forward(GeoPoint p) => Forward(p.LonDeg, p.LatDeg);

    /// <summary>Projects lon/lat degrees to local metres.</summary>
    /// <param name="lonDeg">Longitude, degrees.</param>
    /// <param name="latDeg">Latitude, degrees.</param>
    public PlanarPoint Forward(double lonDeg, double latDeg)
    {
        double dLon = lonDeg - _lon0;
        if (dLon >= 180.0)
        {
            dLon -= 360.0;
        }
        else if (dLon < -180.0)
        {
            dLon += 360.0;
        }

        return new PlanarPoint(dLon * _mPerDegLon, (latDeg - _lat0) * _mPerDegLat);
    }

    /// <summary>Inverse projection: local metres to lon/lat degrees (longitude wrapped into [−180, 180]).</summary>
    /// <param name="q">Local position, metres.</param>
    public GeoPoint Inverse(PlanarPoint q)
    {
        double lon = _lon0 + (q.EastM / _mPerDegLon);
        if (lon > 180.0)
        {
            lon -= 360.0;
        }
        else if (lon < -180.0)
        {
            lon += 360.0;
        }

        return new GeoPoint(lon, _lat0 + (q.NorthM / _mPerDegLat));
    }
}
