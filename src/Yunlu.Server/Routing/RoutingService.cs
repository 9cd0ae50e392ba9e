using System.Globalization;
using Yunlu.Airspace.Corridors;
using Yunlu.Airspace.Operations;
using Yunlu.Airspace.Rules;
using Yunlu.Formats.Routes;
using Yunlu.Geo;
using Yunlu.Routing.City;
using Yunlu.Server.Airspace;
using Yunlu.Server.Imports;
using Yunlu.Server.Operations;
using Yunlu.Storage.Airspace;
using Yunlu.Storage.Operations;
using AircraftDto = Yunlu.Server.Operations.AircraftDto;

namespace Yunlu.Server.Routing;

/// <summary>
/// City routing over the stored data: the terrain (DEM + obstacles), the zones, corridors and wind of the airspace model,
/// the approved flights of the operations runtime. Planning areas are built around the request's stops (a margin, the box
/// snapped outward to a 0.02° grid so that nearby requests share one) and cached while the terrain and corridors are
/// unchanged.
/// </summary>
public sealed class RoutingService(TerrainService terrain, AirspaceService airspace, CityRouteRegistry registry, IServiceProvider services)
{
    /// <summary>Metres added around the stops' box.</summary>
    public const double MarginM = 2500;

    /// <summary>Largest planning area side, metres.</summary>
    public const double MaxSideM = 45_000;

    /// <summary>Areas kept.</summary>
    public const int CachedAreas = 4;

    private const double SnapDeg = 0.02;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LinkedList<(string Key, CityPlanner Planner)> _areas = new();

    /// <summary>The route registry (for re-routes).</summary>
    public CityRouteRegistry Registry => registry;

    /// <summary>Plans a request (template expanded, zones, wind, corridors, deconfliction when asked).</summary>
    /// <param name="dto">The request.</param>
    /// <param name="now">Now (default departure).</param>
    /// <param name="cancellationToken">Cancels the planning.</param>
    /// <exception cref="CityPlanningException">Invalid or infeasible; names the field and the rule.</exception>
    public async Task<(CityRoute Route, string RouteId, RouteTemplate Template)> PlanAsync(RoutePlanRequestDto dto, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dto);
        (IReadOnlyList<GeoPoint> stops, RouteTemplate template) = Stops(dto);
        AircraftDto? registered = await RegisteredAircraftAsync(dto.AircraftId, cancellationToken).ConfigureAwait(false);
        _ = Performance(dto, registered);
        AirspaceData data = await airspace.GetDataAsync(cancellationToken).ConfigureAwait(false);
        CityPlanner planner = await PlannerAsync(stops, data, cancellationToken).ConfigureAwait(false);
        CityRouteRequest request = Request(dto, stops, data, now, registered);
        if (dto.Deconflict ?? true)
        {
            if (services.GetService(typeof(OperationsRuntime)) is OperationsRuntime ops)
            {
                request = request with { Deconfliction = ops.Checker };
            }
        }

        CityRoute route = planner.Plan(request, cancellationToken);
        string id = registry.Add(stops, route);
        return (route, id, template);
    }

    /// <summary>The re-route context for volumes (the stops' area, the stored zones and wind).</summary>
    /// <param name="volumes">The intent's volumes.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public async ValueTask<CityRerouteContext?> RerouteContextAsync(IReadOnlyList<Volume4D> volumes, CancellationToken cancellationToken)
    {
        if (volumes.Count == 0)
        {
            return null;
        }

        IReadOnlyList<GeoPoint> stops = registry.TryFind(volumes, out IReadOnlyList<GeoPoint> found, out _) ? found : CityRerouter.StopsFromVolumes(volumes);
        AirspaceData data = await airspace.GetDataAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            CityPlanner planner = await PlannerAsync(stops, data, cancellationToken).ConfigureAwait(false);
            return new CityRerouteContext(planner, new CityRouteRequest { Stops = stops, DepartureUtc = volumes[0].Time.Start, Zones = data.Zones, Wind = data.Wind });
        }
        catch (CityPlanningException)
        {
            return null;
        }
    }

    /// <summary>The route as a route-file document.</summary>
    /// <param name="route">The route.</param>
    /// <param name="name">Its name.</param>
    public static RouteDocument ToDocument(CityRoute route, string name)
    {
        ArgumentNullException.ThrowIfNull(route);
        var points = new List<RouteFilePoint>(route.Waypoints.Count);
        for (int i = 0; i < route.Waypoints.Count; i++)
        {
            CityWaypoint w = route.Waypoints[i];
            RoutePointKind kind = i == 0 ? RoutePointKind.Takeoff : i == route.Waypoints.Count - 1 ? RoutePointKind.Landing : RoutePointKind.Waypoint;
            points.Add(new RouteFilePoint(w.Point, w.AltitudeW84M, w.AltitudeAmslM, w.AltitudeAglM, w.Eta, kind));
        }

        double speed = 0, time = 0;
        foreach (CityLeg leg in route.Legs)
        {
            if (leg.GroundSpeedMps > 0)
            {
                speed += leg.GroundSpeedMps * leg.DurationS;
                time += leg.DurationS;
            }
        }

        return new RouteDocument(name, points, time > 0 ? speed / time : 10, route.Volumes);
    }

    /// <summary>The response body.</summary>
    /// <param name="route">The route.</param>
    /// <param name="routeId">Its identifier.</param>
    /// <param name="template">The template.</param>
    public static RoutePlanDto ToDto(CityRoute route, string routeId, RouteTemplate template)
    {
        ArgumentNullException.ThrowIfNull(route);
        var waypoints = new List<RouteWaypointDto>(route.Waypoints.Count);
        foreach (CityWaypoint w in route.Waypoints)
        {
            waypoints.Add(new RouteWaypointDto(Math.Round(w.Point.LonDeg, 8), Math.Round(w.Point.LatDeg, 8), Math.Round(w.AltitudeW84M, 3), Math.Round(w.AltitudeAmslM, 3), Math.Round(w.AltitudeAglM, 3), w.Eta));
        }

        var legs = new List<RouteLegDto>(route.Legs.Count);
        foreach (CityLeg l in route.Legs)
        {
            legs.Add(new RouteLegDto(l.From, l.To, Math.Round(l.LengthM, 3), Math.Round(l.DurationS, 3), Math.Round(l.GroundSpeedMps, 3), Math.Round(l.HeadingDeg, 2)));
        }

        var profile = new List<RouteProfileDto>(route.Profile.Count);
        foreach (ProfileSample p in route.Profile)
        {
            profile.Add(new RouteProfileDto(Math.Round(p.DistanceM, 2), Math.Round(p.GroundAmslM, 2), Math.Round(p.SurfaceAmslM, 2), Math.Round(p.AltitudeAmslM, 2)));
        }

        var volumes = new List<Yunlu.Server.Operations.VolumeDto>(route.Volumes.Count);
        foreach (Volume4D v in route.Volumes)
        {
            volumes.Add(OperationsMapping.ToDto(v));
        }

        DeconflictionOutcome d = route.Deconfliction;
        return new RoutePlanDto(routeId, Math.Round(route.LengthM, 3), Math.Round(route.DurationS, 3), waypoints, legs, profile, volumes,
            new RouteDeconflictionDto(d.Checked, d.ShiftS, d.LayerChangeM, d.Detoured, d.ConflictsRemaining), RouteTemplates.Name(template), route.Expansions);
    }

    private static (IReadOnlyList<GeoPoint> Stops, RouteTemplate Template) Stops(RoutePlanRequestDto dto)
    {
        if (!RouteTemplates.TryParse(dto.Template, out RouteTemplate template))
        {
            throw new CityPlanningException("template", "unknown-template", $"template '{dto.Template}' is not one of point-to-point, logistics, sightseeing, inspection, training");
        }

        GeoPoint from = Point(dto.From, "from") ?? throw new CityPlanningException("from", "required", "from {lonDeg, latDeg} is required");
        GeoPoint? to = Point(dto.To, "to");
        var via = new List<GeoPoint>();
        if (dto.Via is { } v)
        {
            if (v.Count > 100)
            {
                throw new CityPlanningException("via", "too-many", "at most 100 via points");
            }

            for (int i = 0; i < v.Count; i++)
            {
                via.Add(Point(v[i], string.Create(CultureInfo.InvariantCulture, $"via[{i}]")) ?? throw new CityPlanningException(string.Create(CultureInfo.InvariantCulture, $"via[{i}]"), "required", "via points need lonDeg and latDeg"));
            }
        }

        return (RouteTemplates.Expand(template, from, to, via, dto.TrainingSideM ?? RouteTemplates.DefaultTrainingSideM), template);
    }

    private static GeoPoint? Point(RoutePointDto? dto, string field)
    {
        if (dto is null)
        {
            return null;
        }

        if (dto.LonDeg is not { } lon || dto.LatDeg is not { } lat)
        {
            throw new CityPlanningException(field, "required", $"{field} needs lonDeg and latDeg");
        }

        var p = new GeoPoint(lon, lat);
        if (!p.IsValid)
        {
            throw new CityPlanningException(field, "out-of-range", $"{field}: lonDeg must be in [-180, 180] and latDeg in [-90, 90]");
        }

        return p;
    }

    /// <summary>The registered aircraft <paramref name="aircraftId"/> (operations registry), or null when no id is
    /// given.</summary>
    /// <exception cref="CityPlanningException">The id is blank, unknown, or the registry is not available.</exception>
    private async Task<AircraftDto?> RegisteredAircraftAsync(string? aircraftId, CancellationToken cancellationToken)
    {
        if (aircraftId is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(aircraftId))
        {
            throw new CityPlanningException("aircraftId", "required", "aircraftId must not be blank (omit it to plan for a generic aircraft)");
        }

        if (services.GetService(typeof(OperationsRuntime)) is not OperationsRuntime ops)
        {
            throw new CityPlanningException("aircraftId", "registry-unavailable", "aircraftId was given but the operations registry is not available on this server");
        }

        RegistryEntry? entry = await ops.Registry.GetAsync(RegistryKinds.Aircraft, aircraftId, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            throw new CityPlanningException("aircraftId", "unknown-aircraft", $"aircraftId '{aircraftId}' is not in the aircraft registry (register it under /api/v1/registry/aircraft first)");
        }

        return RegistryService.Read<AircraftDto>(entry);
    }

    /// <summary>
    /// The aircraft performance: from the registry entry when given (class from the registry, cruise speed, rated
    /// wind; the request may ask for a lower airspeed or wind limit, not higher than the registered maximum speed or
    /// rated wind, and may not declare another class), else from the request's fields and defaults.
    /// </summary>
    internal static AircraftPerformance Performance(RoutePlanRequestDto dto, AircraftDto? registered)
    {
        AircraftClass cls = AircraftClass.Light;
        if (dto.AircraftClass is { } c && !Enum.TryParse(c, ignoreCase: true, out cls))
        {
            throw new CityPlanningException("aircraftClass", "unknown-class", $"aircraftClass '{c}' is not one of micro, light, small, medium, large");
        }

        if (registered is not null)
        {
            AircraftClass regClass = cls;
            if (registered.Class is { } rc && !Enum.TryParse(rc, ignoreCase: true, out regClass))
            {
                throw new CityPlanningException("aircraftId", "registry-class-unknown", $"the registered class '{rc}' of aircraftId '{dto.AircraftId}' is not one of micro, light, small, medium, large");
            }

            if (dto.AircraftClass is not null && regClass != cls)
            {
                throw new CityPlanningException("aircraftClass", "conflicts-with-registry", $"aircraftClass '{dto.AircraftClass}' differs from the registered class {regClass} of aircraftId '{dto.AircraftId}'");
            }

            double? maxSpeed = registered.MaxSpeedKmh is { } kmh && kmh > 0 ? kmh / 3.6 : null;
            double cruise = registered.CruiseSpeedMps is { } cs && cs > 0 ? cs : maxSpeed is { } ms ? ms * 0.8 : regClass == AircraftClass.Micro ? 40 / 3.6 : 15;
            if (dto.AirspeedMps is { } asked)
            {
                if (maxSpeed is { } top && asked > top + 1e-9)
                {
                    throw new CityPlanningException("airspeedMps", "above-registered-maximum", string.Create(CultureInfo.InvariantCulture, $"airspeedMps {asked:0.##} is above the registered maximum speed {top:0.##} m/s of aircraftId '{dto.AircraftId}'"));
                }

                cruise = asked;
            }

            double rated = registered.WindLimitMps is { } wl && wl > 0 ? wl : 12;
            if (dto.WindLimitMps is { } wlAsked)
            {
                if (wlAsked > rated + 1e-9)
                {
                    throw new CityPlanningException("windLimitMps", "above-registered-limit", string.Create(CultureInfo.InvariantCulture, $"windLimitMps {wlAsked:0.##} is above the rated wind {rated:0.##} m/s of aircraftId '{dto.AircraftId}'"));
                }

                rated = wlAsked;
            }

            return new AircraftPerformance(AirspeedMps: cruise, WindLimitMps: rated, Class: regClass);
        }

        var aircraft = new AircraftPerformance(AirspeedMps: dto.AirspeedMps ?? 15, WindLimitMps: dto.WindLimitMps ?? 12, Class: cls);
        if (cls == AircraftClass.Micro && dto.AirspeedMps is null)
        {
            aircraft = aircraft with { AirspeedMps = 40 / 3.6 };
        }

        return aircraft;
    }

    private static CityRouteRequest Request(RoutePlanRequestDto dto, IReadOnlyList<GeoPoint> stops, AirspaceData data, DateTimeOffset now, AircraftDto? registered)
    {
        AircraftPerformance aircraft = Performance(dto, registered);
        AircraftClass cls = aircraft.Class;

        return new CityRouteRequest
        {
            Stops = stops,
            DepartureUtc = dto.DepartureUtc ?? now,
            Zones = data.Zones,
            ZoneAuthorisations = dto.ZoneAuthorisations ?? [],
            Wind = data.Wind,
            Aircraft = aircraft,
            CruiseAltitudeAglM = dto.CruiseAltitudeAglM ?? Math.Min(80, cls == AircraftClass.Micro ? 40 : 80),
            ClearanceM = dto.ClearanceM ?? 30,
        };
    }

    private async Task<CityPlanner> PlannerAsync(IReadOnlyList<GeoPoint> stops, AirspaceData data, CancellationToken cancellationToken)
    {
        TerrainSnapshot snapshot = await terrain.GetAsync(cancellationToken).ConfigureAwait(false);
        if (!snapshot.HasDem)
        {
            throw new CityPlanningException("from", "no-terrain", "no DEM is loaded: import one (or start with the demo data) before planning routes");
        }

        double w = double.PositiveInfinity, s = double.PositiveInfinity, e = double.NegativeInfinity, n = double.NegativeInfinity;
        foreach (GeoPoint p in stops)
        {
            w = Math.Min(w, p.LonDeg);
            e = Math.Max(e, p.LonDeg);
            s = Math.Min(s, p.LatDeg);
            n = Math.Max(n, p.LatDeg);
        }

        var plane = new LocalTangentPlane(new GeoPoint((w + e) / 2, (s + n) / 2));
        double dLon = MarginM / plane.MetresPerDegreeLon, dLat = MarginM / plane.MetresPerDegreeLat;
        w = Math.Floor((w - dLon) / SnapDeg) * SnapDeg;
        e = Math.Ceiling((e + dLon) / SnapDeg) * SnapDeg;
        s = Math.Floor((s - dLat) / SnapDeg) * SnapDeg;
        n = Math.Ceiling((n + dLat) / SnapDeg) * SnapDeg;
        if ((e - w) * plane.MetresPerDegreeLon > MaxSideM || (n - s) * plane.MetresPerDegreeLat > MaxSideM)
        {
            throw new CityPlanningException("to", "area-too-large", string.Create(CultureInfo.InvariantCulture, $"the stops span more than {MaxSideM / 1000:0} km (with a {MarginM / 1000:0.#} km margin); plan shorter routes"));
        }

        string key = string.Create(CultureInfo.InvariantCulture, $"{snapshot.Signature}|{data.Stamp}|{w:0.00},{s:0.00},{e:0.00},{n:0.00}");
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (LinkedListNode<(string Key, CityPlanner Planner)>? node = _areas.First; node is not null; node = node.Next)
            {
                if (string.Equals(node.Value.Key, key, StringComparison.Ordinal))
                {
                    _areas.Remove(node);
                    _areas.AddFirst(node);
                    return node.Value.Planner;
                }
            }

            var corridors = new List<Corridor>(data.Corridors.Count);
            foreach (StoredCorridor c in data.Corridors)
            {
                corridors.Add(c.Corridor);
            }

            var area = new CityArea(new CityAreaData(new GeoBounds(w, s, e, n), snapshot.Ground, snapshot.Surface, corridors), null, cancellationToken);
            var planner = new CityPlanner(area);
            _areas.AddFirst((key, planner));
            while (_areas.Count > CachedAreas)
            {
                _areas.RemoveLast();
            }

            return planner;
        }
        finally
        {
            _gate.Release();
        }
    }
}
