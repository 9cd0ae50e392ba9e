using NetTopologySuite.Geometries;
using Yunlu.Geo;

namespace Yunlu.Supervision.Checks;

/// <summary>
/// A footprint prepared for fast point containment in the per-cycle checks: polygons as flat lon/lat ring arrays
/// (crossing-number test, exact for edges straight in lon/lat as GeoJSON and <see cref="Footprint"/> define them),
/// circles as a centre with its local metres-per-degree scales (equirectangular about the centre: relative error
/// below 1e-5 for radii up to 10 km, against the geodesic circle of <see cref="FootprintGeometry.Contains"/>).
/// </summary>
/// <remarks>Immutable after construction, thread-safe; <see cref="Contains"/> allocates nothing.</remarks>
internal sealed class FastFootprint
{
    private readonly double[] _lon = [];
    private readonly double[] _lat = [];
    private readonly int[] _ringStart = [];
    private readonly bool _isCircle;
    private readonly double _cLon;
    private readonly double _cLat;
    private readonly double _mPerDegLon;
    private readonly double _mPerDegLat;
    private readonly double _r2;

    public FastFootprint(Footprint footprint)
    {
        switch (footprint)
        {
            case CircleFootprint c:
            {
                _isCircle = true;
                _cLon = c.Center.LonDeg;
                _cLat = c.Center.LatDeg;
                var plane = new LocalTangentPlane(c.Center);
                _mPerDegLon = plane.MetresPerDegreeLon;
                _mPerDegLat = plane.MetresPerDegreeLat;
                _r2 = c.RadiusM * c.RadiusM;
                break;
            }

            case PolygonFootprint p:
            {
                Polygon poly = p.Polygon;
                int rings = 1 + poly.NumInteriorRings;
                _ringStart = new int[rings + 1];
                int total = poly.Shell.NumPoints;
                for (int i = 0; i < poly.NumInteriorRings; i++)
                {
                    total += poly.GetInteriorRingN(i).NumPoints;
                }

                _lon = new double[total];
                _lat = new double[total];
                int k = 0;
                for (int r = 0; r < rings; r++)
                {
                    _ringStart[r] = k;
                    CoordinateSequence seq = (r == 0 ? poly.Shell : poly.GetInteriorRingN(r - 1)).CoordinateSequence;
                    for (int i = 0; i < seq.Count; i++)
                    {
                        _lon[k] = seq.GetX(i);
                        _lat[k] = seq.GetY(i);
                        k++;
                    }
                }

                _ringStart[rings] = k;
                break;
            }

            default:
                throw new ArgumentException($"unknown footprint type {footprint?.GetType().Name ?? "null"}", nameof(footprint));
        }

        Bounds = footprint.BoundingBox();
    }

    /// <summary>Lon/lat bounding box, degrees.</summary>
    public GeoBounds Bounds { get; }

    /// <summary>True when the point is inside (boundary points of polygons may go either way).</summary>
    public bool Contains(double lonDeg, double latDeg)
    {
        if (lonDeg < Bounds.WestLonDeg || lonDeg > Bounds.EastLonDeg || latDeg < Bounds.SouthLatDeg || latDeg > Bounds.NorthLatDeg)
        {
            return false;
        }

        if (_isCircle)
        {
            double dx = (lonDeg - _cLon) * _mPerDegLon, dy = (latDeg - _cLat) * _mPerDegLat;
            return (dx * dx) + (dy * dy) <= _r2;
        }

        bool inside = false;
        for (int r = 0; r + 1 < _ringStart.Length; r++)
        {
            int s = _ringStart[r], e = _ringStart[r + 1];
            int j = e - 1;
            for (int i = s; i < e; i++)
            {
                double yi = _lat[i], yj = _lat[j];
                if ((yi > latDeg) != (yj > latDeg))
                {
                    double x = _lon[i] + ((latDeg - yi) * (_lon[j] - _lon[i]) / (yj - yi));
                    if (lonDeg < x)
                    {
                        inside = !inside;
                    }
                }

                j = i;
            }
        }

        return inside;
    }
}
