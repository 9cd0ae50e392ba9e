using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;
using Yunlu.Geo;

namespace Yunlu.Formats.Internal;

/// <summary>
/// Checks positions and rings and builds NetTopologySuite polygons (X = lon, Y = lat, SRID 4326), reporting each
/// problem as a <see cref="FeatureError"/>. Validity (self-intersection, holes) is judged by NTS <see cref="IsValidOp"/>
/// (OGC Simple Features rules).
/// </summary>
internal static class PolygonBuilder
{
    /// <summary>The factory every importer builds with: floating precision, WGS84 lon/lat.</summary>
    public static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>Checks one position; counts it for the lat/lon-order heuristic. Reports the first problem only.</summary>
    public static bool CheckPosition(double lonDeg, double latDeg, string field, ImportErrors errors)
    {
        errors.CountPair(lonDeg, latDeg);
        if (!double.IsFinite(lonDeg) || !double.IsFinite(latDeg))
        {
            errors.Add(field, ImportRules.NotFinite, "a coordinate is NaN or infinite");
            return false;
        }

        if (latDeg < -90 || latDeg > 90)
        {
            errors.Add(field, ImportRules.LatRange, string.Create(CultureInfo.InvariantCulture, $"latitude {latDeg} is outside [-90, 90]"));
            return false;
        }

        if (lonDeg < -180 || lonDeg > 180)
        {
            errors.Add(field, ImportRules.LonRange, string.Create(CultureInfo.InvariantCulture, $"longitude {lonDeg} is outside [-180, 180]"));
            return false;
        }

        return true;
    }

    /// <summary>Checks a ring's closure and length (positions already checked).</summary>
    public static bool CheckRing(Coordinate[] ring, string field, ImportErrors errors)
    {
        if (ring.Length < 4)
        {
            errors.Add(field, ImportRules.RingTooShort, string.Create(CultureInfo.InvariantCulture, $"a ring needs at least 4 positions (first = last), found {ring.Length}"));
            return false;
        }

        if (!ring[0].Equals2D(ring[^1]))
        {
            errors.Add(field, ImportRules.RingNotClosed, "the ring's last position must equal its first");
            return false;
        }

        return true;
    }

    /// <summary>Builds and validates a polygon from checked rings (shell first).</summary>
    public static Polygon? Build(List<Coordinate[]> rings, string field, ImportErrors errors)
    {
        if (rings.Count == 0)
        {
            errors.Add(field, ImportRules.RingTooShort, "a polygon needs an outer ring");
            return null;
        }

        LinearRing shell = Factory.CreateLinearRing(rings[0]);
        var holes = new LinearRing[rings.Count - 1];
        for (int i = 1; i < rings.Count; i++)
        {
            holes[i - 1] = Factory.CreateLinearRing(rings[i]);
        }

        Polygon polygon = Factory.CreatePolygon(shell, holes);
        var op = new IsValidOp(polygon);
        TopologyValidationError? error = op.ValidationError;
        if (error is null)
        {
            return polygon;
        }

        string at = error.Coordinate is null
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $" near ({error.Coordinate.X}, {error.Coordinate.Y})");
        string rule = error.ErrorType is TopologyValidationErrors.SelfIntersection or TopologyValidationErrors.RingSelfIntersection
            ? ImportRules.SelfIntersection
            : ImportRules.PolygonInvalid;
        errors.Add(field, rule, $"invalid polygon: {error.Message}{at}");
        return null;
    }

    /// <summary>Checks a circle's centre and radius.</summary>
    public static CircleFootprint? Circle(double lonDeg, double latDeg, double radiusM, string centerField, string radiusField, ImportErrors errors)
    {
        bool ok = CheckPosition(lonDeg, latDeg, centerField, errors);
        if (!double.IsFinite(radiusM))
        {
            errors.Add(radiusField, ImportRules.NotFinite, "the radius is not finite");
            ok = false;
        }
        else if (radiusM <= 0)
        {
            errors.Add(radiusField, ImportRules.RadiusNonPositive, string.Create(CultureInfo.InvariantCulture, $"the radius must be > 0, found {radiusM}"));
            ok = false;
        }

        return ok ? new CircleFootprint(new GeoPoint(lonDeg, latDeg), radiusM) : null;
    }

    public static void VertexLimit(long count, string field, ImportErrors errors) =>
        errors.Add(field, ImportRules.VertexLimit, string.Create(CultureInfo.InvariantCulture, $"{count} vertices exceed the limit of {errors.Limits.MaxVerticesPerFeature} per feature"));
}
