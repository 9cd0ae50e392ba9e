using System.Globalization;
using Yunlu.Airspace.Operations;
using Yunlu.Geo;

namespace Yunlu.Routing.City;

/// <summary>What a re-route is planned with: the planner (area) and a request template carrying the zones, wind,
/// aircraft and options (its stops and departure are replaced).</summary>
/// <param name="Planner">The planner.</param>
/// <param name="Template">The request template.</param>
public sealed record CityRerouteContext(CityPlanner Planner, CityRouteRequest Template);

/// <summary>Recently planned routes (bounded, thread-safe), so that a re-route can start from the real take-off and
/// landing points of a route whose volumes were submitted as an intent.</summary>
public sealed class CityRouteRegistry
{
    /// <summary>Routes kept.</summary>
    public const int Capacity = 512;

    private readonly Lock _lock = new();
    private readonly LinkedList<(string Ref, IReadOnlyList<GeoPoint> Stops, CityRoute Route)> _items = new();

    /// <summary>Remembers a route; returns its identifier (a route reference for intents).</summary>
    /// <param name="stops">The stops it was planned through.</param>
    /// <param name="route">The route.</param>
    public string Add(IReadOnlyList<GeoPoint> stops, CityRoute route)
    {
        ArgumentNullException.ThrowIfNull(stops);
        ArgumentNullException.ThrowIfNull(route);
        string id = "route-" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        lock (_lock)
        {
            _items.AddFirst((id, stops, route));
            while (_items.Count > Capacity)
            {
                _items.RemoveLast();
            }
        }

        return id;
    }

    /// <summary>The stops of the newest remembered route whose take-off lies in the first volume's footprint and whose
    /// landing lies in the last volume's footprint.</summary>
    /// <param name="volumes">Submitted volumes.</param>
    /// <param name="stops">The stops.</param>
    /// <param name="routeRef">The route's identifier.</param>
    public bool TryFind(IReadOnlyList<Volume4D> volumes, out IReadOnlyList<GeoPoint> stops, out string? routeRef)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        stops = [];
        routeRef = null;
        if (volumes.Count == 0)
        {
            return false;
        }

        lock (_lock)
        {
            foreach ((string id, IReadOnlyList<GeoPoint> s, CityRoute route) in _items)
            {
                if (volumes[0].Volume.Footprint.Contains(route.Waypoints[0].Point) && volumes[^1].Volume.Footprint.Contains(route.Waypoints[^1].Point))
                {
                    stops = s;
                    routeRef = id;
                    return true;
                }
            }
        }

        return false;
    }
}

/// <summary>
/// The routing module's implementation of the re-route hook (<see cref="IIntentRerouter"/>): re-plans the refused
/// intent's route departing at the window's start with the regions of its blocking intent conflicts blocked (boxes
/// around the shared parts) and returns the new volumes; the operations module re-checks them before offering them.
/// The stops come from the route registry when the volumes match a planned route, else from the centres of the first
/// and last volumes.
/// </summary>
/// <param name="context">The planner and request template for the given volumes, or null when they cannot be re-planned
/// (no terrain loaded, outside any area).</param>
/// <param name="registry">Recently planned routes, or null.</param>
public sealed class CityRerouter(Func<IReadOnlyList<Volume4D>, CancellationToken, ValueTask<CityRerouteContext?>> context, CityRouteRegistry? registry = null) : IIntentRerouter
{
    /// <inheritdoc />
    public async ValueTask<RerouteProposal?> RerouteAsync(IReadOnlyList<Volume4D> volumes, IReadOnlyList<Conflict> conflicts, TimeWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        ArgumentNullException.ThrowIfNull(conflicts);
        if (volumes.Count == 0 || await context(volumes, cancellationToken).ConfigureAwait(false) is not { } ctx)
        {
            return null;
        }

        IReadOnlyList<GeoPoint> stops;
        string? routeRef = null;
        if (registry is null || !registry.TryFind(volumes, out stops, out routeRef))
        {
            stops = StopsFromVolumes(volumes);
        }

        var blocked = new List<Footprint>(ctx.Template.ExtraBlocked);
        int used = 0;
        foreach (Conflict c in conflicts)
        {
            if (c.Blocking && c.Kind == ConflictKind.Intent)
            {
                blocked.Add(Box(c.Where));
                used++;
            }
        }

        if (used == 0)
        {
            return null;
        }

        try
        {
            CityRoute route = ctx.Planner.PlanOnce(ctx.Template with { Stops = stops, DepartureUtc = window.Start, ExtraBlocked = blocked, Deconfliction = null }, cancellationToken);
            string id = registry?.Add(stops, route) ?? routeRef ?? "route-" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
            return new RerouteProposal(route.Volumes, id, string.Create(CultureInfo.InvariantCulture, $"detour around {used} conflicting flight volume(s): {route.LengthM / 1000:0.00} km, {route.DurationS / 60:0.0} min"));
        }
        catch (CityPlanningException)
        {
            return null;
        }
    }

    /// <summary>Stops from volumes alone: the centres of the first and last volumes' bounding boxes.</summary>
    /// <param name="volumes">The volumes, in flight order.</param>
    public static IReadOnlyList<GeoPoint> StopsFromVolumes(IReadOnlyList<Volume4D> volumes)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        GeoBounds a = volumes[0].Volume.Bounds, b = volumes[^1].Volume.Bounds;
        return
        [
            new GeoPoint((a.WestLonDeg + a.EastLonDeg) / 2, (a.SouthLatDeg + a.NorthLatDeg) / 2),
            new GeoPoint((b.WestLonDeg + b.EastLonDeg) / 2, (b.SouthLatDeg + b.NorthLatDeg) / 2),
        ];
    }

    internal static PolygonFootprint Box(GeoBounds b)
    {
        // Grow degenerate boxes (a shared edge or point) by a few metres so that they rasterise.
        const double growDeg = 5e-5;
        double w = b.WestLonDeg - growDeg, e = b.EastLonDeg + growDeg, s = b.SouthLatDeg - growDeg, n = b.NorthLatDeg + growDeg;
        return new PolygonFootprint(FootprintGeometry.Factory.CreatePolygon([new(w, s), new(e, s), new(e, n), new(w, n), new(w, s)]));
    }
}
