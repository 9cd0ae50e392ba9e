using System.Globalization;
using System.Runtime.CompilerServices;
using Yunlu.Airspace.Corridors;
using Yunlu.Airspace.Rules;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Terrain.Weather;

namespace Yunlu.Routing.City;

/// <summary>
/// Plans city routes on a <see cref="CityArea"/>: take-off → (via …) → landing over terrain and buildings with a
/// clearance, around the zones that apply in the flight's window, under the true-height ceiling, preferring corridors,
/// minimising flight time in the wind; then any-angle smoothing with exact line of sight, a terrain-following altitude
/// profile, 4-D volumes and strategic deconfliction.
/// </summary>
/// <remarks>
/// <para>Pipeline: (1) a per-flight <see cref="CityFlightGrid"/> (2.5-D: a few true-height layers over the area's
/// cells); (2) exact A* per leg (<see cref="CitySearchMode"/>); (3) string pulling within each layer run: a shortcut is
/// taken only when its closed segment touches no blocked cell and its cost is not above the grid path's it replaces
/// (farthest visible vertex by galloping then bisection); (4) the profile: samples every half cell with the allowed band
/// [surface + clearance, ground + ceiling] ∩ [nominal ± tolerance], fitted by a funnel (cone of feasible slopes) that
/// emits a vertex only where a straight line no longer fits, so the altitude is linear between waypoints and inside the
/// band at every sample.</para>
/// <para>Thread-safe: plans may run concurrently on one planner.</para>
/// </remarks>
public sealed class CityPlanner
{
    /// <summary>Most altitude layers a request may use.</summary>
    public const int MaxLayers = 8;

    private const double LayerSpacingM = 20;

    /// <summary>Corridor half-widths tried by <see cref="CitySearchMode.Hierarchical"/>, in coarse cells (2: 200 m wide at
    /// 5 m cells; 6: 520 m), before the full search.</summary>
    private static readonly int[] CorridorRadii = [2, 6];

    /// <summary>Weight of the coarse cost-to-go in the corridor search (f = g + w·h).</summary>
    private const double GuidedWeight = 1.2;

    /// <summary>Nodes a destination's pocket is explored for before the main search (a closed pocket fails fast).</summary>
    private const int EnclosureProbeNodes = 40_000;

    /// <summary>Creates a planner over an area.</summary>
    /// <param name="area">The rasterised area.</param>
    public CityPlanner(CityArea area)
    {
        Area = area ?? throw new ArgumentNullException(nameof(area));
    }

    /// <summary>The area.</summary>
    public CityArea Area { get; }

    /// <summary>Plans a route (with deconfliction when <see cref="CityRouteRequest.Deconfliction"/> is set).</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the planning.</param>
    /// <exception cref="CityPlanningException">The request is invalid or no route meets every constraint; names the
    /// field and the rule.</exception>
    public CityRoute Plan(CityRouteRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        CityRoute route = PlanOnce(request, cancellationToken);
        return request.Deconfliction is null ? route : CityDeconfliction.Apply(this, request, route, cancellationToken);
    }

    /// <summary>Plans without deconfliction.</summary>
    internal CityRoute PlanOnce(CityRouteRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        double ceiling = Ceiling(request);
        double[] layers = Layers(request, ceiling);
        double straight = 0;
        for (int i = 0; i + 1 < request.Stops.Count; i++)
        {
            straight += Geodesic.Wgs84.Inverse(request.Stops[i], request.Stops[i + 1]).DistanceM;
        }

        // The window: a generous estimate first; re-planned once with the real duration when the flight is longer.
        double estimateS = (3 * straight / request.Aircraft.AirspeedMps) + 600;
        CityRoute? route = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var window = new TimeWindow(request.DepartureUtc, request.DepartureUtc.AddSeconds(estimateS));
            var timer = new StageTimer();
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            CityFlightGrid grid = Prepare(request, window, layers, ceiling, cancellationToken);
            if (request.SearchMode == CitySearchMode.Hierarchical)
            {
                _ = grid.Coarse;
            }

            timer.PrepareTicks += System.Diagnostics.Stopwatch.GetTimestamp() - t0;
            route = Build(request, grid, ceiling, timer, cancellationToken);
            if (route.ArrivalUtc <= window.End)
            {
                return route;
            }

            estimateS = (route.DurationS * 1.5) + 600;
        }

        return route!;
    }

    /// <summary>
    /// The per-flight grid for <paramref name="request"/>: zones active in <paramref name="window"/> that the flight may
    /// not enter (PROHIBITED, or REQ_AUTHORISATION without an authorisation, per the rules' verdicts), obstacles with
    /// the clearance against each layer, the wind per wind cell and layer at the flight's nominal time over the cell,
    /// corridor layers.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="window">The flight's time window.</param>
    /// <param name="cancellationToken">Cancels the build.</param>
    public CityFlightGrid Prepare(CityRouteRequest request, TimeWindow window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        double ceiling = Ceiling(request);
        return Prepare(request, window, Layers(request, ceiling), ceiling, cancellationToken);
    }

    /// <summary>The exact optimal grid path from <paramref name="from"/> to <paramref name="to"/> (climb from the ground
    /// at the start, descent to the ground at the end), without smoothing.</summary>
    /// <param name="grid">The flight grid.</param>
    /// <param name="from">Take-off point.</param>
    /// <param name="to">Landing point.</param>
    /// <param name="mode">Heuristic.</param>
    /// <param name="weight">ε of <see cref="CitySearchMode.Fast"/>.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The path; no nodes and an infinite cost when none exists.</returns>
    public CityGridPath SearchGrid(CityFlightGrid grid, GeoPoint from, GeoPoint to, CitySearchMode mode = CitySearchMode.Exact, double weight = 1.5, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grid);
        (int sx, int sy) = Cell(from, "from");
        (int gx, int gy) = Cell(to, "to");
        var start = new double[grid.L];
        for (int k = 0; k < grid.L; k++)
        {
            start[k] = grid.LayersAglM[k] / grid.ClimbMps;
        }

        CitySearch search = Area.RentSearch();
        try
        {
            return search.Run(grid, sx, sy, start, gx, gy, true, mode, weight, long.MaxValue, cancellationToken);
        }
        finally
        {
            Area.ReturnSearch(search);
        }
    }

    private static void Validate(CityRouteRequest r)
    {
        if (r.Stops is null || r.Stops.Count < 2)
        {
            throw new CityPlanningException("stops", "too-few-stops", "a route needs a take-off and a landing point");
        }

        for (int i = 0; i < r.Stops.Count; i++)
        {
            if (!r.Stops[i].IsValid)
            {
                throw new CityPlanningException(StopField(i, r.Stops.Count), "invalid-position", $"{StopField(i, r.Stops.Count)} must have lon in [-180, 180] and lat in [-90, 90]");
            }
        }

        AircraftPerformance a = r.Aircraft ?? throw new CityPlanningException("aircraft", "required", "aircraft performance is required");
        Positive(a.AirspeedMps, "aircraft.airspeedMps", 100);
        Positive(a.ClimbRateMps, "aircraft.climbRateMps", 50);
        Positive(a.DescentRateMps, "aircraft.descentRateMps", 50);
        Positive(a.WindLimitMps, "aircraft.windLimitMps", 100);
        if (!(r.ClearanceM >= 0 && r.ClearanceM <= 500))
        {
            throw new CityPlanningException("clearanceM", "out-of-range", "clearanceM must be 0 to 500 m");
        }

        if (!(r.CruiseAltitudeAglM > 0 && r.CruiseAltitudeAglM <= 1000))
        {
            throw new CityPlanningException("cruiseAltitudeAglM", "out-of-range", "cruiseAltitudeAglM must be > 0 and at most 1000 m");
        }

        if (!(r.NavigationAccuracyM >= 0 && r.NavigationAccuracyM <= 1000))
        {
            throw new CityPlanningException("navigationAccuracyM", "out-of-range", "navigationAccuracyM must be 0 to 1000 m");
        }

        if (!(r.VerticalAccuracyM >= 0 && r.VerticalAccuracyM <= 1000) || !(r.TimeUncertaintyS >= 0 && r.TimeUncertaintyS <= 86400))
        {
            throw new CityPlanningException("verticalAccuracyM", "out-of-range", "verticalAccuracyM must be 0 to 1000 m and timeUncertaintyS 0 to 86400 s");
        }

        if (!(r.CorridorDiscount > 0 && r.CorridorDiscount <= 1))
        {
            throw new CityPlanningException("corridorDiscount", "out-of-range", "corridorDiscount must be in (0, 1]");
        }

        if (!(r.RiskWeight >= 0 && r.RiskWeight <= 1000) || !(r.OffCruiseLayerFactor >= 1 && r.OffCruiseLayerFactor <= 100))
        {
            throw new CityPlanningException("riskWeight", "out-of-range", "riskWeight must be 0 to 1000 and offCruiseLayerFactor 1 to 100");
        }

        if (!(r.ProfileToleranceM >= 0 && r.ProfileToleranceM <= 1000) || !(r.VolumeMaxLengthM >= 10 && r.VolumeMaxLengthM <= 100_000))
        {
            throw new CityPlanningException("profileToleranceM", "out-of-range", "profileToleranceM must be 0 to 1000 m and volumeMaxLengthM 10 to 100000 m");
        }

        static void Positive(double v, string field, double max)
        {
            if (!(v > 0 && v <= max))
            {
                throw new CityPlanningException(field, "out-of-range", string.Create(CultureInfo.InvariantCulture, $"{field} must be > 0 and at most {max}"));
            }
        }
    }

    internal static string StopField(int i, int count) => i == 0 ? "from" : i == count - 1 ? "to" : string.Create(CultureInfo.InvariantCulture, $"via[{i - 1}]");

    private static double Ceiling(CityRouteRequest r)
    {
        double ceiling = r.Rules.ControlledAboveTrueHeightM;
        ClassRule cls = r.Rules.RuleFor(r.Aircraft.Class);
        if (cls.OpenAirspaceMaxTrueHeightM is { } open)
        {
            ceiling = Math.Min(ceiling, open);
        }

        if (r.CeilingTrueHeightM is { } c)
        {
            if (!(c > 0 && c <= 10_000))
            {
                throw new CityPlanningException("ceilingTrueHeightM", "out-of-range", "ceilingTrueHeightM must be > 0 and at most 10000 m");
            }

            ceiling = Math.Min(ceiling, c);
        }

        return ceiling;
    }

    private static double[] Layers(CityRouteRequest r, double ceiling)
    {
        double top = ceiling - 1;
        double[] layers;
        if (r.LayersAglM is { } given)
        {
            if (given.Count is 0 or > MaxLayers)
            {
                throw new CityPlanningException("layersAglM", "count", string.Create(CultureInfo.InvariantCulture, $"layersAglM must list 1 to {MaxLayers} heights"));
            }

            layers = [.. given];
            Array.Sort(layers);
            for (int i = 0; i < layers.Length; i++)
            {
                if (!(layers[i] > 0 && layers[i] <= top) || (i > 0 && layers[i] - layers[i - 1] < 1))
                {
                    throw new CityPlanningException("layersAglM", "out-of-range", string.Create(CultureInfo.InvariantCulture, $"layer heights must be distinct (≥ 1 m apart), > 0 and at most {top:0.#} m (1 m under the {ceiling:0.#} m true-height ceiling)"));
                }
            }
        }
        else
        {
            if (r.CruiseAltitudeAglM > top)
            {
                throw new CityPlanningException("cruiseAltitudeAglM", "above-ceiling", string.Create(CultureInfo.InvariantCulture, $"cruise true height {r.CruiseAltitudeAglM:0.#} m is above the {ceiling:0.#} m ceiling for {r.Aircraft.Class} aircraft (keep 1 m below it)"));
            }

            // The cruise height and up to two layers above it (to climb over obstacles): lower layers would only save
            // climb time and are not what the operator asked for.
            var list = new List<double>(3) { r.CruiseAltitudeAglM };
            for (int i = 1; i <= 2; i++)
            {
                double above = Math.Min(r.CruiseAltitudeAglM + (i * LayerSpacingM), top);
                if (above - list[^1] >= 5)
                {
                    list.Add(above);
                }
            }

            layers = [.. list];
        }

        return layers;
    }

    private (int X, int Y) Cell(GeoPoint p, string field)
    {
        (double x, double y) = Area.ToGrid(p);
        if (!(x >= 0 && y >= 0 && x < Area.Width && y < Area.Height))
        {
            throw new CityPlanningException(field, "outside-area", $"{field} {p} is outside the planning area");
        }

        return ((int)x, (int)y);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private CityFlightGrid Prepare(CityRouteRequest r, TimeWindow window, double[] layers, double ceiling, CancellationToken cancellationToken)
    {
        int l = layers.Length;
        var factors = new double[l];
        int cruise = 0;
        for (int k = 0; k < l; k++)
        {
            if (Math.Abs(layers[k] - r.CruiseAltitudeAglM) < Math.Abs(layers[cruise] - r.CruiseAltitudeAglM))
            {
                cruise = k;
            }
        }

        for (int k = 0; k < l; k++)
        {
            factors[k] = k == cruise ? 1 : r.OffCruiseLayerFactor;
        }

        int margin = (int)Math.Ceiling(r.NavigationAccuracyM / Area.CellSizeM);
        var authorised = new HashSet<string>(r.ZoneAuthorisations ?? [], StringComparer.Ordinal);
        var blockingZones = new List<Zone>();
        var rasters = new List<ZoneRaster>();
        foreach (Zone z in r.Zones ?? [])
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Blocks(z, r.Rules, authorised) || !z.IsActiveDuring(window) || !z.Footprint.BoundingBox().Intersects(Area.Data.Bounds))
            {
                continue;
            }

            ZoneRaster raster = Area.ZoneCells(z, margin);
            if (!BandMatters(z, raster, ceiling))
            {
                continue;
            }

            blockingZones.Add(z);
            rasters.Add(raster);
        }

        int cachedRasters = rasters.Count;
        foreach (Footprint f in r.ExtraBlocked ?? [])
        {
            rasters.Add(ZoneRaster.Build(Area, f, margin));
        }

        // Rasters built for this flight only (extra blocked airspace) would never match again: not cached.
        ZoneMask zoneMask = Area.ZoneMaskFor(rasters, cache: rasters.Count == cachedRasters);

        var wind = new WindVector[Area.WindWidth * Area.WindHeight * l];
        if (r.Wind is not null)
        {
            // Each wind cell is sampled at its centre, at each layer's true height and at the flight's nominal time over
            // it: departure + (straight distance flown to the start of the nearest leg + from there to the cell) / airspeed.
            int c = Area.WindCellCells;
            int stops = r.Stops.Count;
            var sx = new double[stops];
            var sy = new double[stops];
            var before = new double[stops];
            for (int i = 0; i < stops; i++)
            {
                (sx[i], sy[i]) = Area.ToGrid(r.Stops[i]);
                before[i] = i == 0 ? 0 : before[i - 1] + (Math.Sqrt(((sx[i] - sx[i - 1]) * (sx[i] - sx[i - 1])) + ((sy[i] - sy[i - 1]) * (sy[i] - sy[i - 1]))) * Area.CellSizeM);
            }

            for (int wy = 0; wy < Area.WindHeight; wy++)
            {
                for (int wx = 0; wx < Area.WindWidth; wx++)
                {
                    double cx = Math.Min(Area.Width, (wx + 0.5) * c), cy = Math.Min(Area.Height, (wy + 0.5) * c);
                    GeoPoint p = Area.ToGeo(cx, cy);
                    DateTimeOffset at = r.DepartureUtc.AddSeconds(NominalDistanceM(cx, cy, sx, sy, before, Area.CellSizeM) / r.Aircraft.AirspeedMps);
                    for (int k = 0; k < l; k++)
                    {
                        if (r.Wind.TryQuery(p, layers[k], at, out WindVector w))
                        {
                            wind[((((wy * Area.WindWidth) + wx) * l) + k)] = w;
                        }
                    }
                }
            }
        }

        var corridorLayers = new byte[Area.Corridors.Count];
        for (int i = 0; i < Area.Corridors.Count; i++)
        {
            corridorLayers[i] = CorridorLayers(Area.Corridors[i], layers);
        }

        return new CityFlightGrid(Area, layers, factors, r.ClearanceM, zoneMask, wind, r.Aircraft.AirspeedMps, r.Aircraft.WindLimitMps,
            r.Aircraft.ClimbRateMps, r.Aircraft.DescentRateMps, corridorLayers, r.CorridorDiscount, r.RiskWeight, ceiling, blockingZones, rasters);
    }

    /// <summary>The distance flown (metres) when over (x, y): along the stops up to the leg whose segment passes
    /// closest, then straight from that leg's start.</summary>
    internal static double NominalDistanceM(double x, double y, double[] sx, double[] sy, double[] before, double cellM)
    {
        if (sx.Length == 1)
        {
            return Math.Sqrt(((x - sx[0]) * (x - sx[0])) + ((y - sy[0]) * (y - sy[0]))) * cellM;
        }

        double best = double.PositiveInfinity, result = 0;
        for (int i = 0; i + 1 < sx.Length; i++)
        {
            double dx = sx[i + 1] - sx[i], dy = sy[i + 1] - sy[i];
            double len2 = (dx * dx) + (dy * dy);
            double t = len2 > 0 ? Math.Clamp((((x - sx[i]) * dx) + ((y - sy[i]) * dy)) / len2, 0, 1) : 0;
            double px = sx[i] + (t * dx) - x, py = sy[i] + (t * dy) - y;
            double d = (px * px) + (py * py);
            if (d < best)
            {
                best = d;
                result = before[i] + (Math.Sqrt(((x - sx[i]) * (x - sx[i])) + ((y - sy[i]) * (y - sy[i]))) * cellM);
            }
        }

        return result;
    }

    private static bool Blocks(Zone z, RuleSet rules, HashSet<string> authorised)
    {
        if (z.Restriction == ZoneRestriction.Prohibited)
        {
            return true;
        }

        return rules.ZoneVerdict(z.Restriction) switch
        {
            Verdict.Prohibited => true,
            Verdict.NeedsAuthorisation => !authorised.Contains(z.Identifier),
            _ => false,
        };
    }

    private bool BandMatters(Zone z, ZoneRaster raster, double ceiling)
    {
        // The route stays in [ground, ground + ceiling]; a zone whose band lies wholly outside that never meets it.
        if (z.Lower.Reference == AltitudeReference.Agl && z.Upper.Reference == AltitudeReference.Agl)
        {
            return z.Lower.ValueM < ceiling && z.Upper.ValueM > 0;
        }

        if (double.IsNaN(raster.MinGroundAmslM))
        {
            return true;
        }

        const double slackM = 50;
        double lower = ToAmsl(z.Lower, raster.MinGroundAmslM, z);
        double upper = ToAmsl(z.Upper, raster.MaxGroundAmslM, z);
        return lower < raster.MaxGroundAmslM + ceiling + slackM && upper > raster.MinGroundAmslM - slackM;
    }

    private double ToAmsl(Altitude a, double groundAmslM, Zone z) => a.Reference switch
    {
        AltitudeReference.Amsl => a.ValueM,
        AltitudeReference.W84 => a.ValueM - Area.Geoid.UndulationM(z.Footprint.BoundingBox() is var b ? new GeoPoint((b.WestLonDeg + b.EastLonDeg) / 2, (b.SouthLatDeg + b.NorthLatDeg) / 2) : default),
        _ => a.ValueM + groundAmslM,
    };

    private byte CorridorLayers(Corridor c, double[] layers)
    {
        GeoPoint mid = c.CentreLine[c.CentreLine.Count / 2];
        double ground = Area.GroundAmslM(mid);
        double floor = TrueHeight(c.Floor, ground, mid), top = TrueHeight(c.Ceiling, ground, mid);
        byte mask = 0;
        for (int k = 0; k < layers.Length; k++)
        {
            if (layers[k] >= floor && layers[k] < top)
            {
                mask |= (byte)(1 << k);
            }
        }

        return mask;
    }

    private double TrueHeight(Altitude a, double groundAmslM, GeoPoint at) => a.Reference switch
    {
        AltitudeReference.Agl => a.ValueM,
        AltitudeReference.Amsl => a.ValueM - groundAmslM,
        _ => a.ValueM - Area.Geoid.UndulationM(at) - groundAmslM,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private CityRoute Build(CityRouteRequest r, CityFlightGrid grid, double ceiling, StageTimer timer, CancellationToken cancellationToken)
    {
        int n = r.Stops.Count;
        var cells = new (int X, int Y)[n];
        for (int i = 0; i < n; i++)
        {
            string field = StopField(i, n);
            cells[i] = Cell(r.Stops[i], field);
            CheckStop(grid, r.Stops[i], cells[i].X, cells[i].Y, field, ceiling, r);
        }

        var polyline = new List<PathVertex>();
        double searchCost = 0;
        long expansions = 0;
        int arrivalLayer = -1;
        CitySearch search = Area.RentSearch();
        try
        {
            for (int leg = 0; leg + 1 < n; leg++)
            {
                var start = new double[grid.L];
                for (int k = 0; k < grid.L; k++)
                {
                    start[k] = arrivalLayer < 0
                        ? grid.LayersAglM[k] / grid.ClimbMps
                        : Math.Abs(grid.LayersAglM[k] - grid.LayersAglM[arrivalLayer]) / (k >= arrivalLayer ? grid.ClimbMps : grid.DescentMps);
                }

                bool last = leg + 2 == n;
                CityGridPath path = SearchLeg(search, grid, r, cells, leg, start, last, ceiling, timer, cancellationToken);
                expansions += path.Expansions;
                searchCost += path.Cost;
                long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                List<PathVertex> legLine = LegPolyline(grid, path.Nodes, r.Stops[leg], r.Stops[leg + 1], r.Smooth);
                timer.SmoothTicks += System.Diagnostics.Stopwatch.GetTimestamp() - t0;
                if (r.Wind is not null && r.CompareWindAgnostic)
                {
                    // The wind-agnostic candidate (shortest in still air), kept when it is cheaper in the wind after
                    // smoothing: the route is never slower than the route planned without the wind.
                    CityFlightGrid calm = grid.Calm();
                    CityGridPath still = SearchLeg(search, calm, r, cells, leg, start, last, ceiling, timer, cancellationToken, candidate: true);
                    expansions += still.Expansions;
                    if (still.Nodes.Count > 0)
                    {
                        t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                        List<PathVertex> stillLine = LegPolyline(calm, still.Nodes, r.Stops[leg], r.Stops[leg + 1], r.Smooth);
                        if (LineCost(grid, stillLine, start, last) < LineCost(grid, legLine, start, last))
                        {
                            legLine = stillLine;
                        }

                        timer.SmoothTicks += System.Diagnostics.Stopwatch.GetTimestamp() - t0;
                    }
                }

                arrivalLayer = legLine[^1].Layer;
                foreach (PathVertex v in legLine)
                {
                    if (polyline.Count > 0 && polyline[^1].X == v.X && polyline[^1].Y == v.Y && polyline[^1].Layer == v.Layer)
                    {
                        continue;
                    }

                    polyline.Add(v);
                }
            }
        }
        finally
        {
            Area.ReturnSearch(search);
        }

        long tb = System.Diagnostics.Stopwatch.GetTimestamp();
        CityRoute built = CityRouteBuilder.Build(this, r, grid, polyline, ceiling, searchCost, expansions);
        timer.BuildTicks += System.Diagnostics.Stopwatch.GetTimestamp() - tb;
        return built with { Stages = timer.ToStages() };
    }

    /// <summary>One leg's grid path: coarse-to-fine for <see cref="CitySearchMode.Hierarchical"/> (corridor of radius
    /// <see cref="CorridorRadii"/> coarse cells, then the full search), the flat search otherwise; throws the planning
    /// errors (enclosed destination, search limit, no route) unless <paramref name="candidate"/>, which returns an empty
    /// path instead.</summary>
    private CityGridPath SearchLeg(CitySearch search, CityFlightGrid grid, CityRouteRequest r, (int X, int Y)[] cells, int leg, double[] start, bool last,
        double ceiling, StageTimer timer, CancellationToken cancellationToken, bool candidate = false)
    {
        int n = cells.Length;
        (int sx, int sy) = cells[leg];
        (int gx, int gy) = cells[leg + 1];
        long expansions = 0;
        if (r.SearchMode == CitySearchMode.Hierarchical)
        {
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            CityCoarseSearch coarse = Area.CoarseSearches.TryTake(out CityCoarseSearch? pooled) ? pooled : new CityCoarseSearch(Area);
            try
            {
                CityCoarseGrid cg = grid.Coarse;
                List<CityNode>? coarsePath = coarse.Run(grid, sx, sy, start, gx, gy, last, r.SearchWeight, cancellationToken);
                expansions += coarse.Expansions;
                timer.CoarseExpansions += coarse.Expansions;
                long t1 = System.Diagnostics.Stopwatch.GetTimestamp();
                timer.CoarseTicks += t1 - t0;
                if (coarsePath is null)
                {
                    // Every fine path has a coarse shadow, so none exists; the flat search below names the reason.
                    timer.Fallbacks++;
                }
                else
                {
                    foreach (int radius in CorridorRadii)
                    {
                        coarse.MarkCorridor(coarsePath, radius, cg.Cw, cg.Ch);
                        coarse.ComputeCostToGo(grid, gx, gy, last);
                        CityGridPath path = search.Run(grid, sx, sy, start, gx, gy, last, CitySearchMode.Fast, GuidedWeight, r.MaxExpansions, cancellationToken, coarse);
                        expansions += path.Expansions;
                        if (path.Nodes.Count > 0)
                        {
                            timer.FineTicks += System.Diagnostics.Stopwatch.GetTimestamp() - t1;
                            return path with { Expansions = expansions };
                        }

                        timer.Fallbacks++;
                    }

                    timer.FineTicks += System.Diagnostics.Stopwatch.GetTimestamp() - t1;
                }
            }
            finally
            {
                Area.CoarseSearches.Add(coarse);
            }
        }

        long tf = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            CitySearchMode flat = r.SearchMode == CitySearchMode.Hierarchical ? CitySearchMode.Fast : r.SearchMode;
            if (search.Enclosed(grid, gx, gy, sx, sy, EnclosureProbeNodes))
            {
                if (candidate)
                {
                    return new CityGridPath([], double.PositiveInfinity, expansions);
                }

                string to = StopField(leg + 1, n);
                throw new CityPlanningException(to, "destination-enclosed", $"no feasible route: {to} {r.Stops[leg + 1]} lies in a small pocket closed on every side by zones that apply in the flight's window, obstacles with the {r.ClearanceM:0.#} m clearance under the {ceiling:0.#} m ceiling, wind above the aircraft's limit or the edge of the planning area");
            }

            CityGridPath path = search.Run(grid, sx, sy, start, gx, gy, last, flat, r.SearchWeight, r.MaxExpansions, cancellationToken);
            expansions += path.Expansions;
            if (candidate)
            {
                return path with { Expansions = expansions };
            }

            if (double.IsNaN(path.Cost))
            {
                throw new CityPlanningException(StopField(leg + 1, n), "search-limit", string.Create(CultureInfo.InvariantCulture, $"the search from {StopField(leg, n)} to {StopField(leg + 1, n)} expanded more than {r.MaxExpansions} nodes without reaching it; split the route with via points or raise maxExpansions"));
            }

            if (path.Nodes.Count == 0)
            {
                string to = StopField(leg + 1, n);
                throw new CityPlanningException(to, "no-feasible-route", $"no feasible route from {StopField(leg, n)} to {to}: every way is closed by zones that apply in the flight's window, obstacles with the {r.ClearanceM:0.#} m clearance under the {ceiling:0.#} m ceiling, wind above the aircraft's limit or crosswind at or above its airspeed, or the edge of the planning area");
            }

            return path with { Expansions = expansions };
        }
        finally
        {
            timer.FineTicks += System.Diagnostics.Stopwatch.GetTimestamp() - tf;
        }
    }

    private void CheckStop(CityFlightGrid grid, GeoPoint p, int x, int y, string field, double ceiling, CityRouteRequest r)
    {
        if (grid.ZoneBlocked(x, y))
        {
            foreach (Zone z in grid.BlockingZones)
            {
                if (z.Footprint.Contains(p))
                {
                    string kind = z.Restriction == ZoneRestriction.Prohibited ? "prohibited" : "authorisation-required";
                    throw new CityPlanningException(field, "inside-" + kind + "-zone", $"no feasible route: {field} {p} is inside {kind} zone {z.Identifier} ({z.Name}) active in the flight's window{(kind == "prohibited" ? string.Empty : " and no authorisation for it was given")}");
                }
            }

            throw new CityPlanningException(field, "near-blocked-zone", $"no feasible route: {field} {p} is within {r.NavigationAccuracyM:0.#} m (the navigation accuracy) of a zone the flight may not enter, or of an airspace given as blocked");
        }

        bool any = false;
        for (int k = 0; k < grid.L && !any; k++)
        {
            any = !grid.IsBlocked(x, y, k);
        }

        if (!any)
        {
            bool wind = true;
            for (int k = 0; k < grid.L; k++)
            {
                wind &= grid.WindBlocked[grid.WindIndex(x, y, k)];
            }

            if (wind)
            {
                throw new CityPlanningException(field, "wind-above-limit", string.Create(CultureInfo.InvariantCulture, $"no feasible route: the forecast wind at {field} exceeds the aircraft's limit of {r.Aircraft.WindLimitMps:0.#} m/s (gusts {r.Aircraft.WindLimitMps * 1.5:0.#} m/s) in every layer"));
            }

            throw new CityPlanningException(field, "obstacle-above-ceiling", string.Create(CultureInfo.InvariantCulture, $"no feasible route: at {field} the obstacles ({Area.ObstacleHeightM(x, y):0.#} m) plus the {r.ClearanceM:0.#} m clearance reach above every layer (highest {grid.LayersAglM[^1]:0.#} m, ceiling {ceiling:0.#} m)"));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<PathVertex> LegPolyline(CityFlightGrid grid, IReadOnlyList<CityNode> nodes, GeoPoint from, GeoPoint to, bool smooth)
    {
        (double fx, double fy) = grid.Area.ToGrid(from);
        (double tx, double ty) = grid.Area.ToGrid(to);
        var line = new List<PathVertex>();
        int i = 0;
        var run = new List<PathVertex>();
        while (i < nodes.Count)
        {
            int k = nodes[i].Layer;
            run.Clear();
            if (i == 0)
            {
                run.Add(new PathVertex(fx, fy, k));
            }

            int j = i;
            while (j < nodes.Count && nodes[j].Layer == k)
            {
                run.Add(new PathVertex(nodes[j].X + 0.5, nodes[j].Y + 0.5, k));
                j++;
            }

            if (j == nodes.Count)
            {
                run.Add(new PathVertex(tx, ty, k));
            }

            List<PathVertex> pulled = smooth ? Pull(grid, run) : run;
            foreach (PathVertex v in pulled)
            {
                if (line.Count > 0 && line[^1].X == v.X && line[^1].Y == v.Y && line[^1].Layer == v.Layer)
                {
                    continue;
                }

                line.Add(v);
            }

            i = j;
        }

        return line;
    }

    /// <summary>The cost of a leg's polyline on <paramref name="grid"/>: start cost of its first layer, segments
    /// (wind, factors; +∞ when blocked), layer changes, and the descent when it lands.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double LineCost(CityFlightGrid grid, List<PathVertex> line, double[] start, bool descend)
    {
        double cost = start[line[0].Layer];
        for (int i = 1; i < line.Count; i++)
        {
            PathVertex a = line[i - 1], b = line[i];
            if (a.Layer != b.Layer)
            {
                double dh = grid.LayersAglM[b.Layer] - grid.LayersAglM[a.Layer];
                cost += dh >= 0 ? dh / grid.ClimbMps : -dh / grid.DescentMps;
                continue;
            }

            cost += grid.SegmentCost(a.X, a.Y, b.X, b.Y, a.Layer);
        }

        return descend ? cost + (grid.LayersAglM[line[^1].Layer] / grid.DescentMps) : cost;
    }

    /// <summary>String pulling within one layer: from each anchor, the farthest vertex whose straight segment is clear
    /// and costs no more than the path it replaces (galloping, then bisection).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<PathVertex> Pull(CityFlightGrid grid, List<PathVertex> v)
    {
        int m = v.Count;
        if (m <= 2)
        {
            return [.. v];
        }

        int k = v[0].Layer;
        var prefix = new double[m];
        for (int i = 1; i < m; i++)
        {
            prefix[i] = prefix[i - 1] + grid.SegmentCost(v[i - 1].X, v[i - 1].Y, v[i].X, v[i].Y, k);
        }

        var result = new List<PathVertex> { v[0] };
        int a = 0;
        while (a < m - 1)
        {
            int best = a + 1;
            if (Ok(a, m - 1))
            {
                best = m - 1;
            }
            else
            {
                int good = a + 1, bad = m - 1, step = 1;
                while (a + 1 + step < bad)
                {
                    int probe = a + 1 + step;
                    if (Ok(a, probe))
                    {
                        good = probe;
                        step *= 2;
                    }
                    else
                    {
                        bad = probe;
                        break;
                    }
                }

                while (bad - good > 1)
                {
                    int mid = (good + bad) >> 1;
                    if (Ok(a, mid))
                    {
                        good = mid;
                    }
                    else
                    {
                        bad = mid;
                    }
                }

                best = good;
            }

            result.Add(v[best]);
            a = best;
        }

        return result;

        bool Ok(int from, int to)
        {
            double c = grid.SegmentCost(v[from].X, v[from].Y, v[to].X, v[to].Y, k);
            return c <= prefix[to] - prefix[from] + 1e-9;
        }
    }
}

/// <summary>Accumulates the stage times of one plan (Stopwatch ticks).</summary>
internal sealed class StageTimer
{
    public long PrepareTicks { get; set; }

    public long CoarseTicks { get; set; }

    public long FineTicks { get; set; }

    public long SmoothTicks { get; set; }

    public long BuildTicks { get; set; }

    public int Fallbacks { get; set; }

    public long CoarseExpansions { get; set; }

    public CityPlanStages ToStages()
    {
        double ms = 1000.0 / System.Diagnostics.Stopwatch.Frequency;
        return new CityPlanStages(PrepareTicks * ms, CoarseTicks * ms, FineTicks * ms, SmoothTicks * ms, BuildTicks * ms, Fallbacks) { CoarseExpansions = CoarseExpansions };
    }
}

/// <summary>A vertex of the horizontal path in grid coordinates, with the layer of the segment leaving it.</summary>
/// <param name="X">Column coordinate (cells).</param>
/// <param name="Y">Row coordinate (cells).</param>
/// <param name="Layer">Layer index.</param>
internal readonly record struct PathVertex(double X, double Y, int Layer);
