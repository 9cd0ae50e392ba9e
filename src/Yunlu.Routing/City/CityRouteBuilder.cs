using System.Runtime.CompilerServices;
using NetTopologySuite.Geometries;
using Yunlu.Geo;

namespace Yunlu.Routing.City;

/// <summary>Turns a horizontal path into a route: altitude profile, waypoints, legs, ETAs, profile samples, volumes.</summary>
internal static class CityRouteBuilder
{
    private const int MaxProfileSamples = 500;

    /// <summary>Longest piece of a leg flown in one wind sample, metres.</summary>
    private const double WindPieceM = 250;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static CityRoute Build(CityPlanner planner, CityRouteRequest r, CityFlightGrid grid, List<PathVertex> path, double ceiling, double searchCost, long expansions)
    {
        CityArea area = planner.Area;
        double c = area.CellSizeM;

        // Cumulative horizontal distance at each path vertex.
        var s = new double[path.Count];
        for (int i = 1; i < path.Count; i++)
        {
            s[i] = s[i - 1] + (Math.Sqrt(Sq(path[i].X - path[i - 1].X) + Sq(path[i].Y - path[i - 1].Y)) * c);
        }

        double total = s[^1];
        Band band = Sample(area, r, grid, path, s, ceiling);
        List<(double S, double Z)> profile = Funnel(band);

        // Waypoints at every path vertex and profile vertex.
        var stations = new List<double>(path.Count + profile.Count);
        stations.AddRange(s);
        foreach ((double ps, _) in profile)
        {
            stations.Add(ps);
        }

        stations.Sort();
        var unique = new List<double>(stations.Count);
        foreach (double v in stations)
        {
            if (unique.Count == 0 || v - unique[^1] > 1e-6)
            {
                unique.Add(v);
            }
        }

        var points = new List<(double X, double Y, double AmslM, int Layer)>(unique.Count + 2);
        GeoPoint first = r.Stops[0], lastStop = r.Stops[^1];
        points.Add((path[0].X, path[0].Y, SurfaceAmsl(area, first), path[0].Layer));
        foreach (double st in unique)
        {
            (double x, double y, int layer) = At(path, s, st);
            points.Add((x, y, ProfileAt(profile, st), layer));
        }

        points.Add((path[^1].X, path[^1].Y, SurfaceAmsl(area, lastStop), path[^1].Layer));

        var waypoints = new List<CityWaypoint>(points.Count);
        var legs = new List<CityLeg>(points.Count - 1);
        DateTimeOffset t = r.DepartureUtc;
        double length = 0, duration = 0;
        for (int i = 0; i < points.Count; i++)
        {
            var (x, y, z, layer) = points[i];
            GeoPoint p = i == 0 ? first : i == points.Count - 1 ? lastStop : area.ToGeo(x, y);
            if (i > 0)
            {
                var (px, py, pz, _) = points[i - 1];
                double h = Math.Sqrt(Sq(x - px) + Sq(y - py)) * c;
                double dz = z - pz;
                double th = h > 1e-9 ? LegTimeS(area, r, grid, px, py, x, y, points[i - 1].Layer, t) : 0;
                if (!double.IsFinite(th))
                {
                    th = LegTimeS(area, r, grid, px, py, x, y, layer, t);
                }

                if (!double.IsFinite(th))
                {
                    throw new CityPlanningException("to", "wind-infeasible", "no feasible route: the wind makes a leg of the route impossible to fly (crosswind at or above the airspeed)");
                }

                double tv = dz >= 0 ? dz / r.Aircraft.ClimbRateMps : -dz / r.Aircraft.DescentRateMps;
                double dt = Math.Max(th, tv);
                double len3 = Math.Sqrt((h * h) + (dz * dz));
                double heading = h > 1e-9 ? (Math.Atan2(x - px, y - py) * 180 / Math.PI + 360) % 360 : 0;
                legs.Add(new CityLeg(i - 1, i, len3, dt, h > 1e-9 && dt > 0 ? h / dt : 0, heading));
                length += len3;
                duration += dt;
                t = r.DepartureUtc.AddSeconds(duration);
            }

            double ground = area.GroundAmslM(p);
            double undulation = area.Geoid.UndulationM(p);
            waypoints.Add(new CityWaypoint(p, z + undulation, z, z - ground, t));
        }

        var samples = new List<ProfileSample>();
        double step = Math.Max(c, total / MaxProfileSamples);
        for (double d = 0; ; d += step)
        {
            double dd = Math.Min(d, total);
            (double x, double y, _) = At(path, s, dd);
            GeoPoint p = area.ToGeo(x, y);
            double ground = area.GroundAmslM(p);
            samples.Add(new ProfileSample(dd, ground, SurfaceAmsl(area, p), ProfileAt(profile, dd)));
            if (dd >= total)
            {
                break;
            }
        }

        IReadOnlyList<Volume4D> volumes = RouteVolumes.Build(area, r, waypoints);
        return new CityRoute(waypoints, legs, samples, volumes, length, duration, searchCost, expansions, new DeconflictionOutcome(false, 0, 0, false, 0));
    }

    /// <summary>
    /// Horizontal flight time of a leg (grid coordinates) starting at <paramref name="start"/>: in still air its length
    /// over the airspeed; with a forecast, the leg is cut into pieces of at most <see cref="WindPieceM"/> and each is
    /// flown with the wind queried at its midpoint, at the layer's true height and at the time the aircraft gets there
    /// (wind triangle; +∞ when the crosswind reaches the airspeed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double LegTimeS(CityArea area, CityRouteRequest r, CityFlightGrid grid, double ax, double ay, double bx, double by, int layer, DateTimeOffset start)
    {
        double dx = bx - ax, dy = by - ay;
        double lenM = Math.Sqrt((dx * dx) + (dy * dy)) * area.CellSizeM;
        if (lenM < 1e-9)
        {
            return 0;
        }

        if (r.Wind is null)
        {
            return lenM / r.Aircraft.AirspeedMps;
        }

        double ux = dx * area.CellSizeM / lenM, uy = dy * area.CellSizeM / lenM;
        int pieces = Math.Max(1, (int)Math.Ceiling(lenM / WindPieceM));
        double pieceM = lenM / pieces, total = 0;
        for (int i = 0; i < pieces; i++)
        {
            double f = (i + 0.5) / pieces;
            GeoPoint mid = area.ToGeo(ax + (f * dx), ay + (f * dy));
            double inv;
            if (r.Wind.TryQuery(mid, grid.LayersAglM[layer], start.AddSeconds(total + (pieceM / 2 / r.Aircraft.AirspeedMps)), out Yunlu.Terrain.Weather.WindVector w))
            {
                inv = CityFlightGrid.InverseGroundSpeed(w.EastMps, w.NorthMps, ux, uy, r.Aircraft.AirspeedMps);
            }
            else
            {
                inv = 1 / r.Aircraft.AirspeedMps;
            }

            if (double.IsPositiveInfinity(inv))
            {
                return double.PositiveInfinity;
            }

            total += pieceM * inv;
        }

        return total;
    }

    private static double SurfaceAmsl(CityArea area, GeoPoint p)
    {
        double g = area.GroundAmslM(p);
        return area.Data.Surface is { } surface ? g + surface.ObstacleHeightM(p) : g;
    }

    private static double Sq(double v) => v * v;

    /// <summary>The position and layer at horizontal distance <paramref name="st"/> along the path.</summary>
    private static (double X, double Y, int Layer) At(List<PathVertex> path, double[] s, double st)
    {
        int lo = 0, hi = s.Length - 1;
        if (st <= 0)
        {
            return (path[0].X, path[0].Y, path[0].Layer);
        }

        if (st >= s[^1])
        {
            return (path[^1].X, path[^1].Y, path[Math.Max(0, path.Count - 2)].Layer);
        }

        while (hi - lo > 1)
        {
            int mid = (lo + hi) >> 1;
            if (s[mid] <= st)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        double span = s[hi] - s[lo];
        double f = span > 0 ? (st - s[lo]) / span : 0;
        return (path[lo].X + ((path[hi].X - path[lo].X) * f), path[lo].Y + ((path[hi].Y - path[lo].Y) * f), path[lo].Layer);
    }

    private static double ProfileAt(List<(double S, double Z)> profile, double st)
    {
        if (st <= profile[0].S)
        {
            return profile[0].Z;
        }

        for (int i = 1; i < profile.Count; i++)
        {
            if (st <= profile[i].S)
            {
                double span = profile[i].S - profile[i - 1].S;
                double f = span > 0 ? (st - profile[i - 1].S) / span : 1;
                return profile[i - 1].Z + ((profile[i].Z - profile[i - 1].Z) * f);
            }
        }

        return profile[^1].Z;
    }

    private sealed class Band
    {
        public List<double> S { get; } = [];

        public List<double> Lo { get; } = [];

        public List<double> Hi { get; } = [];

        public List<double> Nominal { get; } = [];
    }

    /// <summary>Samples every half cell along the path: the allowed band [surface + clearance, ground + ceiling] (with
    /// the safety margin inside), narrowed to the nominal true height ± the tolerance except where the layer changes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Band Sample(CityArea area, CityRouteRequest r, CityFlightGrid grid, List<PathVertex> path, double[] s, double ceiling)
    {
        var band = new Band();
        double c = area.CellSizeM;
        double tol = r.ProfileToleranceM;
        for (int i = 0; i + 1 < path.Count; i++)
        {
            double len = s[i + 1] - s[i];
            int layer = path[i].Layer;
            bool change = i > 0 && path[i - 1].Layer != layer;
            if (len <= 0)
            {
                continue;
            }

            int n = Math.Max(1, (int)Math.Ceiling(len / (c / 2)));
            for (int j = 0; j <= n; j++)
            {
                double f = (double)j / n;
                double x = path[i].X + ((path[i + 1].X - path[i].X) * f);
                double y = path[i].Y + ((path[i + 1].Y - path[i].Y) * f);
                GeoPoint p = area.ToGeo(x, y);
                double ground = area.GroundAmslM(p);
                if (double.IsNaN(ground))
                {
                    throw new CityPlanningException("to", "no-ground-data", $"no ground elevation at {p} on the route: the terrain model does not cover it");
                }

                int cx = Math.Clamp((int)Math.Floor(x), 0, area.Width - 1), cy = Math.Clamp((int)Math.Floor(y), 0, area.Height - 1);
                double lo = ground + area.ObstacleHeightM(cx, cy) + r.ClearanceM + CityFlightGrid.SafetyM;
                double hi = ground + ceiling - CityFlightGrid.SafetyM;
                double nominal = ground + grid.LayersAglM[layer];
                bool relaxed = j == 0 && (change || (i > 0 && s[i] - s[i - 1] <= 0 && path[i - 1].Layer != layer));
                double bl = relaxed ? lo : Math.Max(lo, nominal - tol);
                double bh = relaxed ? hi : Math.Min(hi, nominal + tol);
                double st = s[i] + (len * f);
                if (band.S.Count > 0 && st - band.S[^1] <= 1e-9)
                {
                    // The same station from the previous segment: keep the tighter safety limits, the looser nominal.
                    int last = band.S.Count - 1;
                    band.Lo[last] = relaxed ? Math.Max(lo, Math.Min(band.Lo[last], bl)) : Math.Max(band.Lo[last], bl);
                    band.Hi[last] = relaxed ? Math.Min(hi, Math.Max(band.Hi[last], bh)) : Math.Min(band.Hi[last], bh);
                    if (band.Lo[last] > band.Hi[last])
                    {
                        band.Lo[last] = lo;
                        band.Hi[last] = hi;
                    }

                    continue;
                }

                band.S.Add(st);
                band.Lo.Add(bl);
                band.Hi.Add(bh);
                band.Nominal.Add(Math.Clamp(nominal, bl, bh));
            }
        }

        if (band.S.Count == 0)
        {
            // Take-off and landing in one cell: a single station.
            GeoPoint p = area.ToGeo(path[0].X, path[0].Y);
            double ground = area.GroundAmslM(p);
            int cx = Math.Clamp((int)Math.Floor(path[0].X), 0, area.Width - 1), cy = Math.Clamp((int)Math.Floor(path[0].Y), 0, area.Height - 1);
            double z = Math.Max(ground + grid.LayersAglM[path[0].Layer], ground + area.ObstacleHeightM(cx, cy) + r.ClearanceM + CityFlightGrid.SafetyM);
            band.S.Add(0);
            band.Lo.Add(z);
            band.Hi.Add(z);
            band.Nominal.Add(z);
        }

        return band;
    }

    /// <summary>
    /// Fits a piecewise-linear altitude inside the band: from an anchor, the cone of slopes that keep every later
    /// station inside its band is narrowed station by station; when it empties, a vertex is placed at the previous
    /// station at the cone's slope nearest the nominal, and the fit restarts there (the "funnel" or sleeve fit).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<(double S, double Z)> Funnel(Band b)
    {
        int n = b.S.Count;
        var result = new List<(double S, double Z)>();
        double sa = b.S[0], za = Math.Clamp(b.Nominal[0], b.Lo[0], b.Hi[0]);
        result.Add((sa, za));
        double slopeLo = double.NegativeInfinity, slopeHi = double.PositiveInfinity;
        int i = 1;
        int anchorIndex = 0;
        while (i < n)
        {
            double ds = b.S[i] - sa;
            double l = (b.Lo[i] - za) / ds, u = (b.Hi[i] - za) / ds;
            double nl = Math.Max(slopeLo, l), nh = Math.Min(slopeHi, u);
            if (nl > nh)
            {
                int prev = i - 1;
                if (prev == anchorIndex)
                {
                    // Cannot happen with non-empty bands (the first station after an anchor always fits); guard anyway.
                    za = Math.Clamp(b.Nominal[i], b.Lo[i], b.Hi[i]);
                    sa = b.S[i];
                    anchorIndex = i;
                    result.Add((sa, za));
                    slopeLo = double.NegativeInfinity;
                    slopeHi = double.PositiveInfinity;
                    i++;
                    continue;
                }

                double dsp = b.S[prev] - sa;
                double slope = Math.Clamp((b.Nominal[prev] - za) / dsp, slopeLo, slopeHi);
                za += slope * dsp;
                sa = b.S[prev];
                anchorIndex = prev;
                result.Add((sa, za));
                slopeLo = double.NegativeInfinity;
                slopeHi = double.PositiveInfinity;
                continue;
            }

            slopeLo = nl;
            slopeHi = nh;
            i++;
        }

        if (anchorIndex < n - 1)
        {
            double ds = b.S[n - 1] - sa;
            double slope = Math.Clamp((b.Nominal[n - 1] - za) / ds, slopeLo, slopeHi);
            result.Add((b.S[n - 1], za + (slope * ds)));
        }

        return result;
    }
}

/// <summary>4-D volumes around a route: pieces of at most the request's length, each the piece's track buffered by the
/// navigation accuracy (in the area's local plane), between its lowest and highest W84 altitude ± the vertical accuracy,
/// from its first ETA − the time uncertainty to its last ETA + the time uncertainty.</summary>
internal static class RouteVolumes
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static IReadOnlyList<Volume4D> Build(CityArea area, CityRouteRequest r, IReadOnlyList<CityWaypoint> waypoints)
    {
        var pieces = new List<List<CityWaypoint>>();
        var current = new List<CityWaypoint> { waypoints[0] };
        double acc = 0;
        for (int i = 1; i < waypoints.Count; i++)
        {
            CityWaypoint a = waypoints[i - 1], b = waypoints[i];
            PlanarPoint pa = area.Plane.Forward(a.Point), pb = area.Plane.Forward(b.Point);
            double h = Math.Sqrt(((pb.EastM - pa.EastM) * (pb.EastM - pa.EastM)) + ((pb.NorthM - pa.NorthM) * (pb.NorthM - pa.NorthM)));
            double done = 0;
            while (acc + (h - done) > r.VolumeMaxLengthM)
            {
                double take = r.VolumeMaxLengthM - acc;
                done += take;
                double f = done / h;
                CityWaypoint cut = Lerp(area, a, b, pa, pb, f);
                current.Add(cut);
                pieces.Add(current);
                current = [cut];
                acc = 0;
            }

            acc += h - done;
            current.Add(b);
        }

        pieces.Add(current);
        var volumes = new List<Volume4D>(pieces.Count);
        double buffer = Math.Max(1, r.NavigationAccuracyM);
        var factory = new GeometryFactory();
        foreach (List<CityWaypoint> piece in pieces)
        {
            var coords = new List<Coordinate>(piece.Count);
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            foreach (CityWaypoint w in piece)
            {
                PlanarPoint q = area.Plane.Forward(w.Point);
                if (coords.Count == 0 || Math.Abs(coords[^1].X - q.EastM) > 1e-6 || Math.Abs(coords[^1].Y - q.NorthM) > 1e-6)
                {
                    coords.Add(new Coordinate(q.EastM, q.NorthM));
                }

                lo = Math.Min(lo, w.AltitudeW84M);
                hi = Math.Max(hi, w.AltitudeW84M);
            }

            Geometry track = coords.Count >= 2 ? factory.CreateLineString([.. coords]) : factory.CreatePoint(coords[0]);
            Geometry buffered = track.Buffer(buffer, 4);
            var shell = (Polygon)(buffered is Polygon pg ? pg : buffered.ConvexHull());
            Coordinate[] ring = shell.Shell.Coordinates;
            var geo = new Coordinate[ring.Length];
            for (int i = 0; i < ring.Length; i++)
            {
                GeoPoint g = area.Plane.Inverse(new PlanarPoint(ring[i].X, ring[i].Y));
                geo[i] = new Coordinate(g.LonDeg, g.LatDeg);
            }

            geo[^1] = geo[0].Copy();
            Polygon footprint = ValidShell(FootprintGeometry.Factory.CreatePolygon(geo));
            var volume = new Volume3D(new PolygonFootprint(footprint), Altitude.W84(lo - r.VerticalAccuracyM), Altitude.W84(Math.Max(hi + r.VerticalAccuracyM, lo - r.VerticalAccuracyM + 1)));
            DateTimeOffset start = piece[0].Eta.AddSeconds(-r.TimeUncertaintyS);
            DateTimeOffset end = piece[^1].Eta.AddSeconds(r.TimeUncertaintyS);
            if (end <= start)
            {
                end = start.AddSeconds(1);
            }

            volumes.Add(new Volume4D(volume, new TimeWindow(start, end)));
        }

        return volumes;
    }

    /// <summary>
    /// The ring as a valid polygon. The buffer is valid in the plane, but where a path nearly doubles back its shell
    /// can come within rounding of touching itself, and the move to lon/lat can then make it cross itself: such a ring
    /// is repaired (NTS <see cref="NetTopologySuite.Geometries.Utilities.GeometryFixer"/>), keeping the outer shell of
    /// a single polygon or else the convex hull — never a smaller area than the buffer, so the volume still holds the
    /// flight.
    /// </summary>
    private static Polygon ValidShell(Polygon footprint)
    {
        if (footprint.IsValid)
        {
            return footprint;
        }

        Geometry fixedGeometry = NetTopologySuite.Geometries.Utilities.GeometryFixer.Fix(footprint);
        Polygon repaired = fixedGeometry is Polygon p ? FootprintGeometry.Factory.CreatePolygon(p.Shell.Coordinates) : (Polygon)footprint.ConvexHull();
        return repaired.IsValid ? repaired : (Polygon)footprint.ConvexHull();
    }

    private static CityWaypoint Lerp(CityArea area, CityWaypoint a, CityWaypoint b, PlanarPoint pa, PlanarPoint pb, double f)
    {
        GeoPoint p = area.Plane.Inverse(new PlanarPoint(pa.EastM + ((pb.EastM - pa.EastM) * f), pa.NorthM + ((pb.NorthM - pa.NorthM) * f)));
        return new CityWaypoint(
            p,
            a.AltitudeW84M + ((b.AltitudeW84M - a.AltitudeW84M) * f),
            a.AltitudeAmslM + ((b.AltitudeAmslM - a.AltitudeAmslM) * f),
            a.AltitudeAglM + ((b.AltitudeAglM - a.AltitudeAglM) * f),
            a.Eta + ((b.Eta - a.Eta) * f));
    }
}
