using Yunlu.Geo;

namespace Yunlu.Formats.Routes;

/// <summary>What a route point is for.</summary>
public enum RoutePointKind
{
    /// <summary>The take-off point (on the ground or roof).</summary>
    Takeoff,

    /// <summary>A waypoint flown over.</summary>
    Waypoint,

    /// <summary>The landing point.</summary>
    Landing,
}

/// <summary>One point of a route file, with its altitude in the three references.</summary>
/// <param name="Point">Position (WGS84).</param>
/// <param name="AltitudeW84M">Height above the WGS84 ellipsoid, metres.</param>
/// <param name="AltitudeAmslM">Height above mean sea level (EGM96), metres.</param>
/// <param name="AltitudeAglM">True height above the ground below, metres.</param>
/// <param name="Eta">Estimated time over the point.</param>
/// <param name="Kind">Take-off, waypoint or landing.</param>
public readonly record struct RouteFilePoint(GeoPoint Point, double AltitudeW84M, double AltitudeAmslM, double AltitudeAglM, DateTimeOffset Eta, RoutePointKind Kind);

/// <summary>A route as the route writers take it (independent of the planner that made it).</summary>
/// <param name="Name">Name of the route.</param>
/// <param name="Points">Points in flight order: a take-off, waypoints, a landing.</param>
/// <param name="CruiseSpeedMps">Cruise ground speed, m/s.</param>
/// <param name="Volumes">The 4-D volumes to include (GeoJSON only), or null.</param>
public sealed record RouteDocument(string Name, IReadOnlyList<RouteFilePoint> Points, double CruiseSpeedMps, IReadOnlyList<Volume4D>? Volumes = null)
{
    /// <summary>Checks the document: a name, at least two points, finite values, a positive speed.</summary>
    /// <exception cref="ArgumentException">A rule is broken (the message names it).</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("route name: required", nameof(Name));
        }

        if (Points is null || Points.Count < 2)
        {
            throw new ArgumentException("route points: at least two (a take-off and a landing)", nameof(Points));
        }

        for (int i = 0; i < Points.Count; i++)
        {
            RouteFilePoint p = Points[i];
            if (!p.Point.IsValid || !double.IsFinite(p.AltitudeW84M) || !double.IsFinite(p.AltitudeAmslM) || !double.IsFinite(p.AltitudeAglM))
            {
                throw new ArgumentException($"route points[{i}]: position and altitudes must be finite and in range", nameof(Points));
            }
        }

        if (!(CruiseSpeedMps > 0) || !double.IsFinite(CruiseSpeedMps))
        {
            throw new ArgumentException("cruise speed: must be a finite number of m/s > 0", nameof(CruiseSpeedMps));
        }
    }
}
