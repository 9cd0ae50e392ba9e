using NetTopologySuite.Geometries;
using Yunlu.Geo;

namespace Yunlu.Storage;

/// <summary>Bounding boxes of footprints, as stored in the bbox columns and indexed.</summary>
internal static class GeoBounds
{
    /// <summary>
    /// The smallest radius of curvature of the WGS84 ellipsoid (meridional, at the equator: a(1 − e²)), in metres.
    /// Dividing a ground distance by it gives an angle never smaller than the true one, so circle boxes are
    /// conservative (they contain the geodesic circle).
    /// </summary>
    private const double MinRadiusOfCurvatureM = 6_335_439.327;

    /// <summary>Relative margin added to circle boxes on top of the conservative radius.</summary>
    private const double CircleMargin = 1e-6;

    public static BoundingBox Of(Polygon polygon)
    {
        var e = polygon.EnvelopeInternal;
        return new BoundingBox(e.MinX, e.MinY, e.MaxX, e.MaxY);
    }

    /// <summary>
    /// The lon/lat box of a footprint. A polygon's box is its envelope. A circle's box is conservative: the angular
    /// radius uses the smallest radius of curvature and the longitude half-width uses the cosine of the highest
    /// latitude the circle reaches (on a sphere the cap's true half-width is asin(sin ρ / cos φ0), which is smaller);
    /// a circle reaching a pole or crossing the antimeridian gets the full longitude range.
    /// </summary>
    public static BoundingBox Of(Footprint footprint)
    {
        switch (footprint)
        {
            case PolygonFootprint p:
                return Of(p.Polygon);
            case CircleFootprint c:
                var rhoDeg = c.RadiusM / MinRadiusOfCurvatureM * (180.0 / Math.PI) * (1 + CircleMargin);
                var south = Math.Max(-90, c.Center.LatDeg - rhoDeg);
                var north = Math.Min(90, c.Center.LatDeg + rhoDeg);
                var maxAbsLat = Math.Max(Math.Abs(south), Math.Abs(north));
                double west = -180, east = 180;
                if (maxAbsLat < 90)
                {
                    var cos = Math.Cos(maxAbsLat * Math.PI / 180.0);
                    var halfWidthDeg = rhoDeg / cos;
                    if (c.Center.LonDeg - halfWidthDeg >= -180 && c.Center.LonDeg + halfWidthDeg <= 180)
                    {
                        west = c.Center.LonDeg - halfWidthDeg;
                        east = c.Center.LonDeg + halfWidthDeg;
                    }
                }

                return new BoundingBox(west, south, east, north);
            default:
                throw new ArgumentException($"footprint type {footprint.GetType().Name} is not supported", nameof(footprint));
        }
    }

    /// <summary>True when the two closed boxes share a point (touching counts).</summary>
    public static bool Intersects(BoundingBox a, BoundingBox b) =>
        a.WestDeg <= b.EastDeg && b.WestDeg <= a.EastDeg && a.SouthDeg <= b.NorthDeg && b.SouthDeg <= a.NorthDeg;
}
