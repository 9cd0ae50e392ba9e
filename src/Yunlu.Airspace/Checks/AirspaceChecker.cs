using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using Yunlu.Airspace.Corridors;
using Yunlu.Airspace.Grid;
using Yunlu.Airspace.Indexing;
using Yunlu.Airspace.Rules;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Geo.Grid;
using Yunlu.Terrain.Weather;

namespace Yunlu.Airspace.Checks;

/// <summary>Everything besides the zones that a check may use; all optional.</summary>
/// <param name="Ground">Bare-earth ground heights (AMSL): needed for AGL ↔ AMSL/W84 and true heights.</param>
/// <param name="SurfaceAmslM">Surface height (ground + buildings/obstacles), metres AMSL, or null where unknown
/// (e.g. <c>SurfaceModel.SurfaceAmslM</c>); the ground is used when this is null.</param>
/// <param name="Airways">Corridors to report.</param>
/// <param name="Grid">Gridded airspace to report cells from.</param>
/// <param name="Wind">Wind forecast.</param>
/// <param name="Geoid">Geoid; EGM96 when null.</param>
/// <param name="SampleSpacingM">Spacing of samples along legs for terrain, wind and AGL-referenced zone bounds, metres.</param>
public sealed record CheckContext(
    IGroundElevation? Ground = null,
    Func<GeoPoint, double?>? SurfaceAmslM = null,
    AirwayGraph? Airways = null,
    GriddedAirspace? Grid = null,
    IWindForecast? Wind = null,
    IGeoid? Geoid = null,
    double SampleSpacingM = 25);

/// <summary>
/// "Can I fly here?": grades a point, route, area or volume over a time window for an aircraft — Green,
/// NeedsAuthorisation or Prohibited — with every reason: zones and corridors entered (floors and ceilings in the
/// caller's reference), grid cells, the rule engine's findings, forecast wind and terrain clearance.
/// </summary>
/// <remarks>
/// <para>Zones are found through a packed R-tree over their bounding boxes (<see cref="PackedRTree"/>), then tested
/// exactly: a route leg is clipped against the closed footprint (polygon: all edge intersections in lon/lat, inside
/// tests between them; circle: quadratic in a tangent plane at the centre) and, inside, the leg's linearly varying
/// altitude is compared with the floor (inclusive) and ceiling (exclusive). Bounds in the caller's reference or
/// differing from it by the geoid only are constant along the piece and solved exactly; bounds that involve the
/// ground (AGL against AMSL/W84) are converted every <see cref="CheckContext.SampleSpacingM"/> and interpolated
/// linearly in between. A bound that cannot be converted (no ground data) is taken as met (conservative) and
/// reported with null converted values. Areas and volumes: footprints intersect (exact) and the altitude bands
/// overlap at one of up to 16 × 16 sample points of the overlap plus the vertices.</para>
/// <para>Thread-safe: an instance is immutable; build a new one when zones change (cheap: O(n log n)).</para>
/// </remarks>
public sealed class AirspaceChecker
{
    /// <summary>Most non-open grid cells listed in a result.</summary>
    public const int MaxListedCells = 200;

    /// <summary>Gusts are compared with the wind limit times this factor (STANDARDS §6: gusts run 30–50 % above sustained).</summary>
    public const double GustAllowance = 1.5;

    private const int MaxSamplesPerLeg = 4096;

    private readonly Zone[] _zones;
    private readonly VolumeEntry[] _entries;
    private readonly PackedRTree _index;
    private readonly Corridor[] _corridors;
    private readonly VolumeEntry[] _corridorEntries;
    private readonly AltitudeConverter _converter;
    private readonly RuleEngine _engine;

    /// <summary>Prepares a checker.</summary>
    /// <param name="zones">The zones (validated beforehand with <see cref="ZoneValidator"/>).</param>
    /// <param name="rules">The rule set.</param>
    /// <param name="context">Ground, surface, corridors, grid, wind.</param>
    /// <param name="useSpatialIndex">False to test every zone (the brute-force reference; same answers, slower).</param>
    public AirspaceChecker(IEnumerable<Zone> zones, RuleSet rules, CheckContext? context = null, bool useSpatialIndex = true)
    {
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(rules);
        Context = context ?? new CheckContext();
        if (!(Context.SampleSpacingM > 0) || !double.IsFinite(Context.SampleSpacingM))
        {
            throw new ArgumentOutOfRangeException(nameof(context), "sample spacing must be a finite number of metres > 0");
        }

        Rules = rules;
        UsesSpatialIndex = useSpatialIndex;
        _engine = new RuleEngine(rules);
        _converter = new AltitudeConverter(Context.Geoid ?? Egm96Geoid.Instance, Context.Ground);
        _zones = [.. zones];
        Array.Sort(_zones, static (a, b) => string.CompareOrdinal(a.Identifier, b.Identifier));
        _entries = new VolumeEntry[_zones.Length];
        var minX = new double[_zones.Length];
        var minY = new double[_zones.Length];
        var maxX = new double[_zones.Length];
        var maxY = new double[_zones.Length];
        for (int i = 0; i < _zones.Length; i++)
        {
            Zone z = _zones[i];
            _entries[i] = new VolumeEntry(i, z.Identifier, z.Footprint, z.Lower, z.Upper);
            GeoBounds b = _entries[i].Bounds;
            (minX[i], minY[i], maxX[i], maxY[i]) = (b.WestLonDeg, b.SouthLatDeg, b.EastLonDeg, b.NorthLatDeg);
        }

        _index = new PackedRTree(minX, minY, maxX, maxY);
        _corridors = Context.Airways is null ? [] : [.. Context.Airways.Corridors];
        _corridorEntries = new VolumeEntry[_corridors.Length];
        for (int i = 0; i < _corridors.Length; i++)
        {
            Corridor c = _corridors[i];
            _corridorEntries[i] = new VolumeEntry(i, c.Id, new PolygonFootprint(new CorridorGeometry(c).FootprintPolygon()), c.Floor, c.Ceiling);
        }
    }

    /// <summary>The rules applied.</summary>
    public RuleSet Rules { get; }

    /// <summary>The context.</summary>
    public CheckContext Context { get; }

    /// <summary>True when zones are found through the R-tree.</summary>
    public bool UsesSpatialIndex { get; }

    /// <summary>Number of zones.</summary>
    public int ZoneCount => _zones.Length;

    /// <summary>Answers a question.</summary>
    /// <param name="request">The question.</param>
    /// <exception cref="ArgumentException">The request is malformed (fewer than two route points, mixed references,
    /// invalid positions or altitudes, no aircraft data); the message names the field.</exception>
    public CheckResult Check(CheckRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Aircraft, "aircraft");
        var reasons = new List<CheckReason>();
        var zoneHits = new SortedDictionary<int, ZoneCrossing>();
        var corridorHits = new SortedDictionary<int, CorridorCrossing>();
        var samples = new List<(GeoPoint P, Altitude A)>();
        GridSummary? grid;
        switch (request.Geometry)
        {
            case PointCheck pc:
                CheckPoint(pc.Point, pc.Altitude, "point");
                CheckLegs([new RoutePoint(pc.Point, pc.Altitude)], request.Time, zoneHits, corridorHits, samples);
                grid = GridFor([pc.Point], null);
                break;
            case RouteCheck rc:
                ValidateRoute(rc);
                CheckLegs(rc.Points, request.Time, zoneHits, corridorHits, samples);
                var pts = new GeoPoint[rc.Points.Count];
                for (int i = 0; i < pts.Length; i++)
                {
                    pts[i] = rc.Points[i].Point;
                }

                grid = GridFor(pts, null);
                break;
            case AreaCheck ac:
                ValidateArea(ac.Polygon, ac.Lower, ac.Upper);
                CheckArea(new PolygonFootprint(ac.Polygon), ac.Lower, ac.Upper, request.Time, zoneHits, corridorHits, samples);
                grid = GridFor(null, ac.Polygon);
                break;
            case VolumeCheck vc:
                CheckArea(vc.Volume.Footprint, vc.Volume.Lower, vc.Volume.Upper, request.Time, zoneHits, corridorHits, samples);
                grid = GridFor(null, vc.Volume.Footprint is PolygonFootprint vp ? vp.Polygon : ((CircleFootprint)vc.Volume.Footprint).ToPolygon(0.5));
                break;
            default:
                throw new ArgumentException("geometry: must be a point, route, area or volume", nameof(request));
        }

        // Zones and corridors.
        Verdict zoneVerdict = Verdict.Green;
        foreach (ZoneCrossing z in zoneHits.Values)
        {
            zoneVerdict = Max(zoneVerdict, z.Verdict);
            string floor = z.FloorInCallerReference?.ToString() ?? $"{z.Floor} (not convertible here)";
            string ceiling = z.CeilingInCallerReference?.ToString() ?? $"{z.Ceiling} (not convertible here)";
            reasons.Add(new CheckReason(ReasonKind.Zone, z.Verdict, "zone-" + RuleSet.ZoneRestrictionCode(z.Restriction).ToLowerInvariant().Replace('_', '-'),
                $"enters zone {z.ZoneId} ({z.Name}, {RuleSet.ZoneRestrictionCode(z.Restriction)}) between {floor} and {ceiling}", z.ZoneId));
        }

        foreach (CorridorCrossing c in corridorHits.Values)
        {
            reasons.Add(new CheckReason(ReasonKind.Corridor, Verdict.Green, "corridor",
                $"enters corridor {c.CorridorId} ({c.Name}, {c.Direction}, {c.CapacityPerHour} flights/h, {c.Speed.MinMps.ToString("0.#", CultureInfo.InvariantCulture)}–{c.Speed.MaxMps.ToString("0.#", CultureInfo.InvariantCulture)} m/s)", c.CorridorId));
        }

        // Grid.
        if (grid is not null)
        {
            foreach (GridCellFinding f in grid.NotOpen)
            {
                Verdict v = f.Status == GridCellStatus.Closed ? Rules.Checks.GridClosed : Rules.Checks.GridRestricted;
                reasons.Add(new CheckReason(ReasonKind.Grid, v, "grid-" + f.Status.ToString().ToLowerInvariant(), $"grid cell {f.Code} is {f.Status.ToString().ToLowerInvariant()} (capacity {f.CapacityPerHour} flights/h)", f.Code));
            }
        }

        // Terrain and true height.
        TerrainSummary? terrain = Terrain(samples, out double? maxTrueHeight);
        if (terrain is not null)
        {
            if (terrain.MinClearanceM < 0)
            {
                reasons.Add(new CheckReason(ReasonKind.Terrain, Rules.Checks.BelowSurface, "below-surface",
                    $"the flight goes {Num(-terrain.MinClearanceM)} m below the terrain/building surface at {terrain.At}"));
            }
            else if (terrain.MinClearanceM < Rules.Checks.MinTerrainClearanceM)
            {
                reasons.Add(new CheckReason(ReasonKind.Terrain, Rules.Checks.ClearanceBelowMinimum, "clearance-below-minimum",
                    $"least clearance {Num(terrain.MinClearanceM)} m at {terrain.At} is under the {Num(Rules.Checks.MinTerrainClearanceM)} m minimum"));
            }
            else
            {
                reasons.Add(new CheckReason(ReasonKind.Terrain, Verdict.Green, "clearance", $"least clearance above terrain and buildings {Num(terrain.MinClearanceM)} m"));
            }
        }

        // Rules.
        RuleFindings rules = _engine.Evaluate(request.Aircraft, new FlightFacts(maxTrueHeight, zoneVerdict, request.Time.Start, request.Now));
        string ruleCode = rules.Verdict == Verdict.Prohibited ? "prohibited-zone" : rules.InOpenAirspace ? "open-airspace" : "application-required";
        string ruleMessage = rules.NeedsApplication && rules.ApplicationDeadline is { } dl
            ? $"{rules.Classification.Label}: controlled airspace, application due by {dl.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)}"
            : rules.InOpenAirspace ? $"{rules.Classification.Label}: 适飞空域, no application needed" : $"{rules.Classification.Label}: " + rules.Findings[^1];
        reasons.Add(new CheckReason(ReasonKind.Rule, rules.Verdict, ruleCode, ruleMessage));
        if (rules.DeadlinePassed)
        {
            reasons.Add(new CheckReason(ReasonKind.Rule, rules.Verdict, "deadline-passed", rules.Findings[^1]));
        }

        if (maxTrueHeight is null && !(request.Geometry is PointCheck { Altitude.Reference: AltitudeReference.Agl }))
        {
            reasons.Add(new CheckReason(ReasonKind.Rule, Rules.Checks.TrueHeightUnknown, "true-height-unknown", "no ground data: the true height (真高) cannot be computed"));
        }

        // Wind.
        WindSummary? wind = Wind(samples, request.Time, request.Aircraft.WindLimitMps ?? Rules.Checks.DefaultWindLimitMps);
        if (wind is not null)
        {
            bool over = wind.MaxSpeedMps > wind.LimitMps || wind.MaxGustMps > wind.LimitMps * GustAllowance;
            reasons.Add(new CheckReason(ReasonKind.Wind, over ? Rules.Checks.WindAboveLimit : Verdict.Green, over ? "wind-above-limit" : "wind",
                $"forecast wind up to {Num(wind.MaxSpeedMps)} m/s, gusts {Num(wind.MaxGustMps)} m/s; aircraft limit {Num(wind.LimitMps)} m/s (gusts {Num(wind.LimitMps * GustAllowance)} m/s)"));
        }

        Verdict verdict = Verdict.Green;
        foreach (CheckReason r in reasons)
        {
            verdict = Max(verdict, r.Verdict);
        }

        reasons.Sort(static (a, b) => b.Verdict.CompareTo(a.Verdict));
        return new CheckResult(verdict, reasons, [.. zoneHits.Values], [.. corridorHits.Values], grid, rules, wind, terrain);
    }

    private void CheckLegs(IReadOnlyList<RoutePoint> points, TimeWindow window, SortedDictionary<int, ZoneCrossing> zoneHits,
        SortedDictionary<int, CorridorCrossing> corridorHits, List<(GeoPoint, Altitude)> samples)
    {
        var candidates = new List<int>();
        var intervals = new List<(double T0, double T1)>();
        var activeCache = new Dictionary<int, IReadOnlyList<TimeWindow>>();
        int legs = Math.Max(1, points.Count - 1);
        for (int leg = 0; leg < legs; leg++)
        {
            RoutePoint a = points[leg];
            RoutePoint b = points.Count == 1 ? a : points[leg + 1];
            double lenM = points.Count == 1 ? 0 : Geodesic.HaversineM(a.Point, b.Point);
            AddSamples(a, b, lenM, samples, leg == legs - 1);

            candidates.Clear();
            double w = Math.Min(a.Point.LonDeg, b.Point.LonDeg), e = Math.Max(a.Point.LonDeg, b.Point.LonDeg);
            double s = Math.Min(a.Point.LatDeg, b.Point.LatDeg), n = Math.Max(a.Point.LatDeg, b.Point.LatDeg);
            if (UsesSpatialIndex)
            {
                _index.Query(w, s, e, n, candidates);
            }
            else
            {
                var box = new GeoBounds(w, s, e, n);
                for (int i = 0; i < _entries.Length; i++)
                {
                    if (_entries[i].Bounds.Intersects(box))
                    {
                        candidates.Add(i);
                    }
                }
            }

            foreach (int i in candidates)
            {
                if (zoneHits.ContainsKey(i))
                {
                    continue;
                }

                if (!activeCache.TryGetValue(i, out IReadOnlyList<TimeWindow>? active))
                {
                    active = _zones[i].IsActiveDuring(window) ? _zones[i].ActiveIntervals(window) : [];
                    activeCache[i] = active;
                }

                if (active.Count == 0)
                {
                    continue;
                }

                intervals.Clear();
                if (_entries[i].Clip(a.Point, b.Point, intervals) == 0)
                {
                    continue;
                }

                if (FirstContact(_entries[i], a, b, lenM, intervals, out GeoPoint at, out Altitude? floor, out Altitude? ceiling))
                {
                    Zone z = _zones[i];
                    zoneHits[i] = new ZoneCrossing(z.Identifier, z.Name, z.Restriction, z.Reasons, z.Lower, z.Upper, floor, ceiling, at, active,
                        Rules.ZoneVerdict(z.Restriction), z.Message, z.Authority);
                }
            }

            for (int i = 0; i < _corridorEntries.Length; i++)
            {
                VolumeEntry c = _corridorEntries[i];
                if (corridorHits.ContainsKey(i) || !c.Bounds.Intersects(new GeoBounds(w, s, e, n)))
                {
                    continue;
                }

                intervals.Clear();
                if (c.Clip(a.Point, b.Point, intervals) > 0 && FirstContact(c, a, b, lenM, intervals, out GeoPoint at, out Altitude? floor, out Altitude? ceiling))
                {
                    Corridor cc = _corridors[i];
                    corridorHits[i] = new CorridorCrossing(cc.Id, cc.Name, cc.Floor, cc.Ceiling, floor, ceiling, cc.Direction, cc.Speed, cc.CapacityPerHour, at);
                }
            }
        }
    }

    /// <summary>Finds the first point of the leg pieces where the altitude is within [floor, ceiling).</summary>
    private bool FirstContact(VolumeEntry v, RoutePoint a, RoutePoint b, double lenM, List<(double T0, double T1)> intervals,
        out GeoPoint at, out Altitude? floorOut, out Altitude? ceilingOut)
    {
        AltitudeReference r = a.Altitude.Reference;
        bool needsGround = NeedsGround(v.Floor.Reference, r) || NeedsGround(v.Ceiling.Reference, r);
        foreach ((double t0, double t1) in intervals)
        {
            int steps = needsGround ? (int)Math.Clamp(Math.Ceiling((t1 - t0) * lenM / Context.SampleSpacingM), 1, MaxSamplesPerLeg) : 1;
            GeoPoint pPrev = Lerp(a.Point, b.Point, t0);
            double aPrev = a.Altitude.ValueM + (t0 * (b.Altitude.ValueM - a.Altitude.ValueM));
            bool okPrev = Bounds(v, pPrev, r, out double fPrev, out double cPrev);
            for (int k = 1; k <= steps; k++)
            {
                double t = t0 + ((t1 - t0) * k / steps);
                GeoPoint p = k == steps ? Lerp(a.Point, b.Point, t1) : Lerp(a.Point, b.Point, t);
                double alt = a.Altitude.ValueM + (t * (b.Altitude.ValueM - a.Altitude.ValueM));
                bool ok = Bounds(v, p, r, out double f, out double c);
                if (!okPrev || !ok)
                {
                    // No ground data to compare: conservative, the zone counts as entered.
                    at = pPrev;
                    floorOut = okPrev ? new Altitude(fPrev, r) : null;
                    ceilingOut = okPrev ? new Altitude(cPrev, r) : null;
                    return true;
                }

                if (Feasible(aPrev - fPrev, alt - f, cPrev - aPrev, c - alt, out double u))
                {
                    double tt = t0 + ((t1 - t0) * (k - 1 + u) / steps);
                    at = Lerp(a.Point, b.Point, tt);
                    floorOut = new Altitude(fPrev + (u * (f - fPrev)), r);
                    ceilingOut = new Altitude(cPrev + (u * (c - cPrev)), r);
                    return true;
                }

                (pPrev, aPrev, fPrev, cPrev, okPrev) = (p, alt, f, c, ok);
            }

            if (steps == 1 && t0 == t1)
            {
                // Degenerate piece (a point): the loop above tested it against itself.
                continue;
            }
        }

        at = default;
        floorOut = ceilingOut = null;
        return false;
    }

    /// <summary>Is there u ∈ [0, 1] with g1(u) ≥ 0 and g2(u) &gt; 0, g linear from (g1a, g1b) and (g2a, g2b)? Returns the least such u.</summary>
    private static bool Feasible(double g1a, double g1b, double g2a, double g2b, out double u)
    {
        (double lo1, double hi1) = Range(g1a, g1b);
        (double lo2, double hi2) = Range(g2a, g2b);
        double lo = Math.Max(lo1, lo2), hi = Math.Min(hi1, hi2);
        u = lo;
        if (lo > hi)
        {
            return false;
        }

        if (lo < hi)
        {
            // Strictness of g2 matters only at its own root.
            double g2 = g2a + (lo * (g2b - g2a));
            if (g2 <= 0)
            {
                u = Math.Min(hi, lo + ((hi - lo) * 1e-9));
            }

            return true;
        }

        return g1a + (lo * (g1b - g1a)) >= 0 && g2a + (lo * (g2b - g2a)) > 0;
    }

    /// <summary>The closed set {u ∈ [0, 1] : ga + u(gb − ga) ≥ 0} as [lo, hi] (lo &gt; hi when empty).</summary>
    private static (double Lo, double Hi) Range(double ga, double gb)
    {
        double s = gb - ga;
        if (s == 0)
        {
            return ga >= 0 ? (0, 1) : (1, 0);
        }

        double root = -ga / s;
        return s > 0 ? (Math.Max(0, root), 1) : (0, Math.Min(1, root));
    }

    private bool Bounds(VolumeEntry v, GeoPoint p, AltitudeReference r, out double floorM, out double ceilingM)
    {
        floorM = ceilingM = 0;
        if (!_converter.TryConvert(v.Floor, p, r, out Altitude f) || !_converter.TryConvert(v.Ceiling, p, r, out Altitude c))
        {
            return false;
        }

        (floorM, ceilingM) = (f.ValueM, c.ValueM);
        return true;
    }

    private static bool NeedsGround(AltitudeReference bound, AltitudeReference caller) =>
        bound != caller && (bound == AltitudeReference.Agl || caller == AltitudeReference.Agl);

    private void CheckArea(Footprint footprint, Altitude lower, Altitude upper, TimeWindow window,
        SortedDictionary<int, ZoneCrossing> zoneHits, SortedDictionary<int, CorridorCrossing> corridorHits, List<(GeoPoint, Altitude)> samples)
    {
        GeoBounds b = footprint.BoundingBox();
        Polygon area = footprint is PolygonFootprint pf ? pf.Polygon : ((CircleFootprint)footprint).ToPolygon(0.5);
        IPreparedGeometry prepared = PreparedGeometryFactory.Prepare(area);

        // Samples for terrain/wind: a 16 × 16 lattice inside the area plus the vertices, at the lower and upper altitude.
        var pts = new List<GeoPoint>();
        for (int i = 0; i < 16; i++)
        {
            for (int j = 0; j < 16; j++)
            {
                var p = new GeoPoint(b.WestLonDeg + ((b.EastLonDeg - b.WestLonDeg) * (i + 0.5) / 16), b.SouthLatDeg + ((b.NorthLatDeg - b.SouthLatDeg) * (j + 0.5) / 16));
                if (footprint.Contains(p))
                {
                    pts.Add(p);
                }
            }
        }

        foreach (Coordinate c in area.Shell.Coordinates)
        {
            pts.Add(new GeoPoint(c.X, c.Y));
        }

        foreach (GeoPoint p in pts)
        {
            samples.Add((p, lower));
            samples.Add((p, upper));
        }

        var candidates = new List<int>();
        if (UsesSpatialIndex)
        {
            _index.Query(b.WestLonDeg, b.SouthLatDeg, b.EastLonDeg, b.NorthLatDeg, candidates);
        }
        else
        {
            for (int i = 0; i < _entries.Length; i++)
            {
                if (_entries[i].Bounds.Intersects(b))
                {
                    candidates.Add(i);
                }
            }
        }

        foreach (int i in candidates)
        {
            Zone z = _zones[i];
            if (!z.IsActiveDuring(window) || !FootprintsMeet(prepared, area, z.Footprint))
            {
                continue;
            }

            if (BandMeets(_entries[i], footprint, pts, lower, upper, out GeoPoint at, out Altitude? f, out Altitude? c))
            {
                zoneHits[i] = new ZoneCrossing(z.Identifier, z.Name, z.Restriction, z.Reasons, z.Lower, z.Upper, f, c, at, z.ActiveIntervals(window),
                    Rules.ZoneVerdict(z.Restriction), z.Message, z.Authority);
            }
        }

        for (int i = 0; i < _corridorEntries.Length; i++)
        {
            VolumeEntry ce = _corridorEntries[i];
            if (!ce.Bounds.Intersects(b) || !FootprintsMeet(prepared, area, ce.Footprint))
            {
                continue;
            }

            if (BandMeets(ce, footprint, pts, lower, upper, out GeoPoint at, out Altitude? f, out Altitude? c))
            {
                Corridor cc = _corridors[i];
                corridorHits[i] = new CorridorCrossing(cc.Id, cc.Name, cc.Floor, cc.Ceiling, f, c, cc.Direction, cc.Speed, cc.CapacityPerHour, at);
            }
        }
    }

    private static bool FootprintsMeet(IPreparedGeometry area, Polygon areaPolygon, Footprint other) => other switch
    {
        PolygonFootprint p => area.Intersects(p.Polygon),
        CircleFootprint c => Volume3D.DistanceToPolygonM(areaPolygon, c.Center) <= c.RadiusM,
        _ => false,
    };

    private bool BandMeets(VolumeEntry v, Footprint area, List<GeoPoint> areaPoints, Altitude lower, Altitude upper,
        out GeoPoint at, out Altitude? floor, out Altitude? ceiling)
    {
        // Compare at points in both footprints: the area's samples inside the zone, the zone's own vertices or centre
        // inside the area; fall back to the zone's first boundary point when none is found (a thin overlap).
        var probe = new List<GeoPoint>();
        foreach (GeoPoint p in areaPoints)
        {
            if (v.Footprint.Contains(p))
            {
                probe.Add(p);
            }
        }

        if (v.Footprint is CircleFootprint cf)
        {
            if (area.Contains(cf.Center))
            {
                probe.Add(cf.Center);
            }
        }
        else if (v.Footprint is PolygonFootprint zp)
        {
            foreach (Coordinate c in zp.Polygon.Shell.Coordinates)
            {
                var p = new GeoPoint(c.X, c.Y);
                if (area.Contains(p))
                {
                    probe.Add(p);
                }
            }
        }

        if (probe.Count == 0)
        {
            GeoBounds b = v.Bounds;
            probe.Add(new GeoPoint((b.WestLonDeg + b.EastLonDeg) / 2, (b.SouthLatDeg + b.NorthLatDeg) / 2));
        }

        foreach (GeoPoint p in probe)
        {
            if (!Bounds(v, p, lower.Reference, out double f, out double c))
            {
                at = p;
                floor = ceiling = null;
                return true;
            }

            if (lower.ValueM < c && f < upper.ValueM)
            {
                at = p;
                floor = new Altitude(f, lower.Reference);
                ceiling = new Altitude(c, lower.Reference);
                return true;
            }
        }

        at = default;
        floor = ceiling = null;
        return false;
    }

    private GridSummary? GridFor(IReadOnlyList<GeoPoint>? line, Polygon? area)
    {
        GriddedAirspace? g = Context.Grid;
        if (g is null)
        {
            return null;
        }

        GridCover cover = line is not null ? GridCovering.CoverPolyline(line, g.Level) : GridCovering.CoverPolygon(area!, g.Level);
        var notOpen = new List<GridCellFinding>();
        long notOpenCount = 0;
        int minCap = int.MaxValue;
        foreach (GridRowSpan s in cover.Spans)
        {
            for (int i = s.FirstLonIndex; i <= s.LastLonIndex; i++)
            {
                (GridCellStatus st, int cap) = g.StateOf(i, s.LatIndex);
                minCap = Math.Min(minCap, cap);
                if (st != GridCellStatus.Open)
                {
                    notOpenCount++;
                    if (notOpen.Count < MaxListedCells)
                    {
                        notOpen.Add(new GridCellFinding(GridMath.Cell(g.Level, i, s.LatIndex).Code, st, cap));
                    }
                }
            }
        }

        return new GridSummary(g.Level, cover.CellCount, minCap == int.MaxValue ? 0 : minCap, notOpen, notOpenCount);
    }

    private TerrainSummary? Terrain(List<(GeoPoint P, Altitude A)> samples, out double? maxTrueHeight)
    {
        maxTrueHeight = null;
        double minClear = double.PositiveInfinity, maxTrue = double.NegativeInfinity;
        GeoPoint worst = default;
        bool anyTrue = false, anyClear = false;
        foreach ((GeoPoint p, Altitude a) in samples)
        {
            if (a.Reference == AltitudeReference.Agl)
            {
                maxTrue = Math.Max(maxTrue, a.ValueM);
                anyTrue = true;
            }

            if (Context.Ground is null || !Context.Ground.TryGetGroundAmslM(p, out double ground) || !_converter.TryConvert(a, p, AltitudeReference.Amsl, out Altitude amsl))
            {
                continue;
            }

            if (a.Reference != AltitudeReference.Agl)
            {
                maxTrue = Math.Max(maxTrue, amsl.ValueM - ground);
                anyTrue = true;
            }

            double surface = Context.SurfaceAmslM?.Invoke(p) ?? ground;
            double clear = amsl.ValueM - surface;
            if (clear < minClear)
            {
                minClear = clear;
                worst = p;
            }

            anyClear = true;
        }

        if (anyTrue)
        {
            maxTrueHeight = maxTrue;
        }

        return anyClear ? new TerrainSummary(minClear, worst, anyTrue ? maxTrue : double.NaN) : null;
    }

    private WindSummary? Wind(List<(GeoPoint P, Altitude A)> samples, TimeWindow window, double limit)
    {
        IWindForecast? f = Context.Wind;
        if (f is null || samples.Count == 0)
        {
            return null;
        }

        DateTimeOffset[] times = [window.Start, window.Start + (window.Duration / 2), window.End - TimeSpan.FromTicks(1)];
        int stride = Math.Max(1, samples.Count / 200);
        double maxSpeed = -1, maxGust = 0;
        GeoPoint worstAt = default;
        WindVector worst = default;
        for (int i = 0; i < samples.Count; i += stride)
        {
            (GeoPoint p, Altitude a) = samples[i];
            if (!_converter.TryConvert(a, p, AltitudeReference.Agl, out Altitude agl))
            {
                continue;
            }

            foreach (DateTimeOffset t in times)
            {
                if (f.TryQuery(p, Math.Max(0, agl.ValueM), t, out WindVector w))
                {
                    maxGust = Math.Max(maxGust, w.GustMps);
                    if (w.SpeedMps > maxSpeed)
                    {
                        (maxSpeed, worstAt, worst) = (w.SpeedMps, p, w);
                    }
                }
            }
        }

        return maxSpeed < 0 ? null : new WindSummary(maxSpeed, maxGust, limit, worstAt, worst);
    }

    private void AddSamples(RoutePoint a, RoutePoint b, double lenM, List<(GeoPoint, Altitude)> samples, bool last)
    {
        int steps = (int)Math.Clamp(Math.Ceiling(lenM / Context.SampleSpacingM), 1, MaxSamplesPerLeg);
        int end = last ? steps : steps - 1;
        for (int k = 0; k <= end; k++)
        {
            double t = (double)k / steps;
            samples.Add((Lerp(a.Point, b.Point, t), new Altitude(a.Altitude.ValueM + (t * (b.Altitude.ValueM - a.Altitude.ValueM)), a.Altitude.Reference)));
        }
    }

    private static GeoPoint Lerp(GeoPoint a, GeoPoint b, double t) =>
        t == 0 ? a : t == 1 ? b : new GeoPoint(a.LonDeg + (t * (b.LonDeg - a.LonDeg)), a.LatDeg + (t * (b.LatDeg - a.LatDeg)));

    private static void CheckPoint(GeoPoint p, Altitude a, string field)
    {
        if (!p.IsValid)
        {
            throw new ArgumentException($"{field}: {p} is not a valid lon/lat (lon in [-180, 180], lat in [-90, 90])", field);
        }

        if (!double.IsFinite(a.ValueM) || !Enum.IsDefined(a.Reference))
        {
            throw new ArgumentException($"{field}.altitude: must be a finite number of metres with reference AGL, AMSL or W84", field);
        }
    }

    private static void ValidateRoute(RouteCheck rc)
    {
        if (rc.Points is null || rc.Points.Count < 2)
        {
            throw new ArgumentException("route.points: a route needs at least two points", nameof(rc));
        }

        if (rc.Points.Count > FootprintGeometry.MaxPolygonVertices)
        {
            throw new ArgumentException($"route.points: at most {FootprintGeometry.MaxPolygonVertices} points", nameof(rc));
        }

        for (int i = 0; i < rc.Points.Count; i++)
        {
            CheckPoint(rc.Points[i].Point, rc.Points[i].Altitude, $"route.points[{i}]");
            if (rc.Points[i].Altitude.Reference != rc.Points[0].Altitude.Reference)
            {
                throw new ArgumentException($"route.points[{i}].altitude: every point must use the same reference as the first ({rc.Points[0].Altitude.Reference.ToString().ToUpperInvariant()})", nameof(rc));
            }
        }
    }

    private static void ValidateArea(Polygon polygon, Altitude lower, Altitude upper)
    {
        IReadOnlyList<string> errors = new PolygonFootprint(polygon).Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("area.polygon: " + string.Join("; ", errors), nameof(polygon));
        }

        if (lower.Reference != upper.Reference || !(upper.ValueM > lower.ValueM) || !double.IsFinite(lower.ValueM) || !double.IsFinite(upper.ValueM))
        {
            throw new ArgumentException($"area.upper: must be above area.lower ({lower}) in the same reference, got {upper}", nameof(upper));
        }
    }

    private static Verdict Max(Verdict a, Verdict b) => a > b ? a : b;

    private static string Num(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
