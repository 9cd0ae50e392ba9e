using NetTopologySuite.Geometries;
using Yunlu.Geo;
using Yunlu.Supervision.Checks;

namespace Yunlu.Supervision.Simulation;

/// <summary>A route drones fly: straight legs between waypoints at one cruise altitude, back and forth.</summary>
/// <param name="Name">Route name.</param>
/// <param name="Waypoints">At least two waypoints (lon/lat).</param>
/// <param name="Cruise">Cruise altitude with its reference.</param>
public sealed record SimRoute(string Name, IReadOnlyList<GeoPoint> Waypoints, Altitude Cruise);

/// <summary>What to simulate.</summary>
public sealed record SimulatorOptions
{
    /// <summary>Number of drones.</summary>
    public int Drones { get; init; } = 100;

    /// <summary>Seed: the same seed and options give the same reports.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Start of the simulation (UTC).</summary>
    public DateTimeOffset Start { get; init; } = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Cruise speed range, m/s.</summary>
    public double MinSpeedMps { get; init; } = 8;

    /// <summary>Cruise speed range, m/s.</summary>
    public double MaxSpeedMps { get; init; } = 15;

    /// <summary>Drones that leave their corridor sideways (by <see cref="OffPlanOffsetM"/>) after a random time.</summary>
    public int OffPlan { get; init; }

    /// <summary>Lateral offset of off-plan drones, metres.</summary>
    public double OffPlanOffsetM { get; init; } = 200;

    /// <summary>Drones that fly straight to a point inside a zone (needs <see cref="IncursionTargets"/>).</summary>
    public int Incursions { get; init; }

    /// <summary>Points inside zones for incursion faults.</summary>
    public IReadOnlyList<GeoPoint> IncursionTargets { get; init; } = [];

    /// <summary>Drones that go silent for <see cref="LostLinkDurationS"/> after a random time.</summary>
    public int LostLinks { get; init; }

    /// <summary>Silence of a lost-link fault, seconds.</summary>
    public double LostLinkDurationS { get; init; } = 30;

    /// <summary>Pairs of extra drones set on crossing courses that meet at a random route point.</summary>
    public int ConvergingPairs { get; init; }

    /// <summary>Faults start within this many seconds of the start.</summary>
    public double FaultWindowS { get; init; } = 120;

    /// <summary>Half width of the corridor intents, metres.</summary>
    public double CorridorHalfWidthM { get; init; } = 60;

    /// <summary>Half height of the corridor intents, metres.</summary>
    public double CorridorHalfHeightM { get; init; } = 20;

    /// <summary>Duration of the corridor intents, hours.</summary>
    public double IntentHours { get; init; } = 2;
}

/// <summary>The kind of fault a simulated drone carries.</summary>
public enum SimFault
{
    /// <summary>None: flies its route.</summary>
    None,

    /// <summary>Leaves its corridor sideways.</summary>
    OffPlan,

    /// <summary>Flies into a zone.</summary>
    Incursion,

    /// <summary>Goes silent for a while.</summary>
    LostLink,

    /// <summary>One of a converging pair.</summary>
    Converging,
}

/// <summary>
/// A deterministic traffic simulator: drones fly routes (straight legs at cruise speed, back and forth) with injected
/// faults — off-plan, zone incursion, lost link, converging pairs — and produce <see cref="PositionReport"/>s for any
/// instant. The same seed and options give the same reports; <see cref="Intents"/> gives each route drone an Activated
/// corridor intent so conformance can be checked.
/// </summary>
public sealed class TrafficSimulator
{
    private readonly SimulatorOptions _o;
    private readonly Drone[] _drones;
    private readonly LocalTangentPlane _plane;

    /// <summary>Creates the drones from the routes.</summary>
    /// <param name="routes">At least one route.</param>
    /// <param name="options">What to simulate.</param>
    public TrafficSimulator(IReadOnlyList<SimRoute> routes, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(options);
        if (routes.Count == 0 || routes.Any(r => r.Waypoints.Count < 2))
        {
            throw new ArgumentException("at least one route with two or more waypoints is needed", nameof(routes));
        }

        if (options.Drones < 0 || options.OffPlan + options.Incursions + options.LostLinks > options.Drones)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "drones must be ≥ 0 and at least the number of faulty drones");
        }

        if (options.Incursions > 0 && options.IncursionTargets.Count == 0)
        {
            throw new ArgumentException("incursion faults need IncursionTargets", nameof(options));
        }

        if (!(options.MinSpeedMps > 0) || options.MaxSpeedMps < options.MinSpeedMps)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "speeds must satisfy 0 < MinSpeedMps ≤ MaxSpeedMps");
        }

        _o = options;
        _plane = new LocalTangentPlane(routes[0].Waypoints[0]);
        var rng = new Random(options.Seed);
        Routes = routes;
        var legs = routes.Select(r => new RouteGeo(r, _plane)).ToArray();
        var drones = new List<Drone>();
        for (int i = 0; i < options.Drones; i++)
        {
            RouteGeo g = legs[i % legs.Length];
            SimFault fault = i < options.OffPlan ? SimFault.OffPlan
                : i < options.OffPlan + options.Incursions ? SimFault.Incursion
                : i < options.OffPlan + options.Incursions + options.LostLinks ? SimFault.LostLink
                : SimFault.None;
            double speed = options.MinSpeedMps + (rng.NextDouble() * (options.MaxSpeedMps - options.MinSpeedMps));
            var d = new Drone(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"SIM{i:D6}"), g, speed, rng.NextDouble() * 2 * g.Length, fault,
                rng.NextDouble() * options.FaultWindowS);
            if (fault == SimFault.Incursion)
            {
                d.Target = _plane.Forward(options.IncursionTargets[i % options.IncursionTargets.Count]);
            }

            drones.Add(d);
        }

        for (int k = 0; k < options.ConvergingPairs; k++)
        {
            RouteGeo g = legs[k % legs.Length];
            double meetS = 30 + (rng.NextDouble() * options.FaultWindowS);
            PlanarPoint meet = g.At(rng.NextDouble() * g.Length, out _, out _);
            double heading = rng.NextDouble() * 2 * Math.PI;
            double speed = options.MinSpeedMps + (rng.NextDouble() * (options.MaxSpeedMps - options.MinSpeedMps));
            for (int side = 0; side < 2; side++)
            {
                double h = heading + (side * Math.PI / 2);
                var d = new Drone(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"CNV{k:D4}{(side == 0 ? 'A' : 'B')}"), g, speed, 0, SimFault.Converging, meetS)
                {
                    Meet = meet,
                    MeetHeadingRad = h,
                };
                drones.Add(d);
            }
        }

        _drones = [.. drones];
    }

    /// <summary>The routes.</summary>
    public IReadOnlyList<SimRoute> Routes { get; }

    /// <summary>The number of simulated aircraft (route drones plus converging pairs).</summary>
    public int Count => _drones.Length;

    /// <summary>The fault of each aircraft, by id.</summary>
    public IReadOnlyDictionary<string, SimFault> Faults => _drones.ToDictionary(d => d.Id, d => d.Fault, StringComparer.Ordinal);

    /// <summary>Appends one report per aircraft that is transmitting at <paramref name="t"/>.</summary>
    /// <param name="t">The instant.</param>
    /// <param name="output">Receives the reports.</param>
    public void Step(DateTimeOffset t, List<PositionReport> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        double s = (t - _o.Start).TotalSeconds;
        foreach (Drone d in _drones)
        {
            if (d.Fault == SimFault.LostLink && s >= d.FaultAtS && s < d.FaultAtS + _o.LostLinkDurationS)
            {
                continue;
            }

            PlanarPoint p;
            double ve, vn;
            if (d.Fault == SimFault.Converging)
            {
                // Straight line through the meeting point, reached at FaultAtS.
                ve = d.Speed * Math.Sin(d.MeetHeadingRad);
                vn = d.Speed * Math.Cos(d.MeetHeadingRad);
                p = new PlanarPoint(d.Meet.EastM + (ve * (s - d.FaultAtS)), d.Meet.NorthM + (vn * (s - d.FaultAtS)));
            }
            else if (d.Fault == SimFault.Incursion && s >= d.FaultAtS)
            {
                PlanarPoint from = d.Route.At(d.Offset + (d.Speed * d.FaultAtS), out _, out _);
                double dx = d.Target.EastM - from.EastM, dy = d.Target.NorthM - from.NorthM, len = Math.Sqrt((dx * dx) + (dy * dy));
                double flown = Math.Min(len, d.Speed * (s - d.FaultAtS));
                ve = len > 0 && flown < len ? d.Speed * dx / len : 0;
                vn = len > 0 && flown < len ? d.Speed * dy / len : 0;
                p = len > 0 ? new PlanarPoint(from.EastM + (dx * flown / len), from.NorthM + (dy * flown / len)) : from;
            }
            else
            {
                p = d.Route.At(d.Offset + (d.Speed * s), out double ue, out double un);
                ve = ue * d.Speed;
                vn = un * d.Speed;
                if (d.Fault == SimFault.OffPlan && s >= d.FaultAtS)
                {
                    // Offset to the right of the direction of flight.
                    p = new PlanarPoint(p.EastM + (un * _o.OffPlanOffsetM), p.NorthM - (ue * _o.OffPlanOffsetM));
                }
            }

            output.Add(new PositionReport(t, new AircraftIdentity(IdentityKind.Platform, d.Id), PositionSourceKind.Simulator,
                _plane.Inverse(p), d.Route.Route.Cruise, new VelocityNed(vn, ve, 0)));
        }
    }

    /// <summary>An Activated corridor intent per route drone: one Volume4D per leg (a rectangle of ±half width around the
    /// leg, cruise ± half height), valid from the start for <see cref="SimulatorOptions.IntentHours"/>.</summary>
    public IReadOnlyList<SupervisedIntent> Intents()
    {
        var window = new TimeWindow(_o.Start, _o.Start.AddHours(_o.IntentHours));
        var byRoute = new Dictionary<RouteGeo, List<Volume4D>>();
        var result = new List<SupervisedIntent>();
        foreach (Drone d in _drones)
        {
            if (d.Fault == SimFault.Converging)
            {
                continue;
            }

            if (!byRoute.TryGetValue(d.Route, out List<Volume4D>? vols))
            {
                vols = CorridorVolumes(d.Route, window);
                byRoute[d.Route] = vols;
            }

            result.Add(new SupervisedIntent("OI-" + d.Id, d.Id, SupervisedIntentState.Activated, vols));
        }

        return result;
    }

    private List<Volume4D> CorridorVolumes(RouteGeo g, TimeWindow window)
    {
        var vols = new List<Volume4D>();
        Altitude c = g.Route.Cruise;
        for (int i = 0; i + 1 < g.Points.Length; i++)
        {
            PlanarPoint a = g.Points[i], b = g.Points[i + 1];
            double dx = b.EastM - a.EastM, dy = b.NorthM - a.NorthM, len = Math.Sqrt((dx * dx) + (dy * dy));
            if (len <= 0)
            {
                continue;
            }

            double ux = dx / len, uy = dy / len, w = _o.CorridorHalfWidthM;
            PlanarPoint[] corners =
            [
                new(a.EastM - (ux * w) + (uy * w), a.NorthM - (uy * w) - (ux * w)),
                new(b.EastM + (ux * w) + (uy * w), b.NorthM + (uy * w) - (ux * w)),
                new(b.EastM + (ux * w) - (uy * w), b.NorthM + (uy * w) + (ux * w)),
                new(a.EastM - (ux * w) - (uy * w), a.NorthM - (uy * w) + (ux * w)),
            ];
            var coords = corners.Select(p => _plane.Inverse(p)).Select(g2 => new Coordinate(g2.LonDeg, g2.LatDeg)).ToList();
            coords.Add(coords[0].Copy());
            Polygon poly = FootprintGeometry.Factory.CreatePolygon([.. coords]);
            if (!poly.Shell.IsCCW)
            {
                poly = (Polygon)poly.Reverse();
            }

            vols.Add(new Volume4D(new Volume3D(new PolygonFootprint(poly), new Altitude(c.ValueM - _o.CorridorHalfHeightM, c.Reference),
                new Altitude(c.ValueM + _o.CorridorHalfHeightM, c.Reference)), window));
        }

        return vols;
    }

    private sealed class RouteGeo
    {
        private readonly double[] _cum;

        public RouteGeo(SimRoute r, LocalTangentPlane plane)
        {
            Route = r;
            Points = r.Waypoints.Select(plane.Forward).ToArray();
            _cum = new double[Points.Length];
            for (int i = 1; i < Points.Length; i++)
            {
                double dx = Points[i].EastM - Points[i - 1].EastM, dy = Points[i].NorthM - Points[i - 1].NorthM;
                _cum[i] = _cum[i - 1] + Math.Sqrt((dx * dx) + (dy * dy));
            }

            Length = Math.Max(_cum[^1], 1e-9);
        }

        public SimRoute Route { get; }

        public PlanarPoint[] Points { get; }

        public double Length { get; }

        /// <summary>The point at distance <paramref name="d"/> along the route flown back and forth, with the unit direction of flight.</summary>
        public PlanarPoint At(double d, out double ue, out double un)
        {
            double period = 2 * Length;
            double x = d % period;
            if (x < 0)
            {
                x += period;
            }

            bool back = x > Length;
            double along = back ? period - x : x;
            int i = 1;
            while (i < _cum.Length - 1 && _cum[i] < along)
            {
                i++;
            }

            PlanarPoint a = Points[i - 1], b = Points[i];
            double seg = _cum[i] - _cum[i - 1];
            double f = seg > 0 ? (along - _cum[i - 1]) / seg : 0;
            ue = seg > 0 ? (b.EastM - a.EastM) / seg : 0;
            un = seg > 0 ? (b.NorthM - a.NorthM) / seg : 0;
            if (back)
            {
                ue = -ue;
                un = -un;
            }

            return new PlanarPoint(a.EastM + (f * (b.EastM - a.EastM)), a.NorthM + (f * (b.NorthM - a.NorthM)));
        }
    }

    private sealed class Drone(string id, RouteGeo route, double speed, double offset, SimFault fault, double faultAtS)
    {
        public string Id { get; } = id;

        public RouteGeo Route { get; } = route;

        public double Speed { get; } = speed;

        public double Offset { get; } = offset;

        public SimFault Fault { get; } = fault;

        public double FaultAtS { get; } = faultAtS;

        public PlanarPoint Target { get; set; }

        public PlanarPoint Meet { get; init; }

        public double MeetHeadingRad { get; init; }
    }
}
