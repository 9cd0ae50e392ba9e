using System.Diagnostics;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Corridors;
using Yunlu.Airspace.Zones;
using Yunlu.Geo.Diagnostics;
using Yunlu.Geo;
using Yunlu.Terrain;
using Yunlu.Terrain.Weather;

namespace Yunlu.Routing.City;

/// <summary>
/// A generated city for benchmarks: hilly analytic ground (1000–1400 m AMSL, karst-like), building districts of box
/// buildings (mostly 10–60 m, some towers up to 200 m), prohibited and authorisation zones (circles and polygons),
/// corridors and a smooth wind field; all from a seed, so runs are repeatable.
/// </summary>
public sealed class SyntheticCity
{
    private SyntheticCity(GeoPoint centre, double sizeM, IGroundElevation ground, List<Obstacle> buildings, List<Zone> zones, List<Corridor> corridors, IWindForecast wind)
    {
        Centre = centre;
        SizeM = sizeM;
        Ground = ground;
        Buildings = buildings;
        Zones = zones;
        Corridors = corridors;
        Wind = wind;
        Plane = new LocalTangentPlane(centre);
        double h = sizeM / 2;
        GeoPoint sw = Plane.Inverse(new PlanarPoint(-h, -h)), ne = Plane.Inverse(new PlanarPoint(h, h));
        Bounds = new GeoBounds(sw.LonDeg, sw.LatDeg, ne.LonDeg, ne.LatDeg);
    }

    /// <summary>The centre.</summary>
    public GeoPoint Centre { get; }

    /// <summary>Side of the square area, metres.</summary>
    public double SizeM { get; }

    /// <summary>The bounds.</summary>
    public GeoBounds Bounds { get; }

    /// <summary>A local plane at the centre (to place points in metres).</summary>
    public LocalTangentPlane Plane { get; }

    /// <summary>The ground.</summary>
    public IGroundElevation Ground { get; }

    /// <summary>The buildings.</summary>
    public IReadOnlyList<Obstacle> Buildings { get; }

    /// <summary>The zones (always active).</summary>
    public IReadOnlyList<Zone> Zones { get; }

    /// <summary>The corridors.</summary>
    public IReadOnlyList<Corridor> Corridors { get; }

    /// <summary>The wind (3–8 m/s, turning slowly across the area).</summary>
    public IWindForecast Wind { get; }

    /// <summary>Generates a city.</summary>
    /// <param name="seed">Random seed.</param>
    /// <param name="sizeM">Side of the square area, metres.</param>
    /// <param name="zones">Number of zones.</param>
    /// <param name="buildings">Number of buildings.</param>
    /// <param name="centre">Centre; Guiyang's old town when null.</param>
    public static SyntheticCity Generate(int seed, double sizeM = 30_000, int zones = 50, int buildings = 60_000, GeoPoint? centre = null)
    {
        var rng = new Random(seed);
        GeoPoint c = centre ?? new GeoPoint(106.71, 26.58);
        var plane = new LocalTangentPlane(c);
        double half = sizeM / 2;
        double p1 = rng.NextDouble() * 6, p2 = rng.NextDouble() * 6;
        var ground = new FunctionGround(p =>
        {
            PlanarPoint q = plane.Forward(p);
            return 1150 + (120 * Math.Sin((q.EastM / 4100) + p1) * Math.Cos((q.NorthM / 3300) + p2))
                + (35 * Math.Sin((q.EastM / 610) + (q.NorthM / 830))) + (12 * Math.Cos((q.NorthM / 170) - (q.EastM / 230)));
        });

        var factory = FootprintGeometry.Factory;
        var list = new List<Obstacle>(buildings);
        int districts = Math.Max(1, buildings / 4000);
        var centres = new PlanarPoint[districts];
        for (int d = 0; d < districts; d++)
        {
            centres[d] = new PlanarPoint((rng.NextDouble() * 2 - 1) * half * 0.85, (rng.NextDouble() * 2 - 1) * half * 0.85);
        }

        for (int i = 0; i < buildings; i++)
        {
            PlanarPoint dc = centres[rng.Next(districts)];
            double r = 1500 * Math.Sqrt(rng.NextDouble()), a = rng.NextDouble() * 2 * Math.PI;
            double e = Math.Clamp(dc.EastM + (r * Math.Cos(a)), -half + 50, half - 50), n = Math.Clamp(dc.NorthM + (r * Math.Sin(a)), -half + 50, half - 50);
            double w = 12 + (rng.NextDouble() * 30), dd = 12 + (rng.NextDouble() * 30);
            double h = rng.NextDouble() < 0.03 ? 80 + (rng.NextDouble() * 120) : 10 + (rng.NextDouble() * 50);
            list.Add(new Obstacle("b" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), Rect(plane, e, n, w, dd), h, "building", null));
        }

        var zoneList = new List<Zone>(zones);
        for (int i = 0; i < zones; i++)
        {
            double e = (rng.NextDouble() * 2 - 1) * half * 0.9, n = (rng.NextDouble() * 2 - 1) * half * 0.9;
            double radius = 200 + (rng.NextDouble() * 1300);
            Footprint f;
            if (rng.NextDouble() < 0.5)
            {
                f = new CircleFootprint(plane.Inverse(new PlanarPoint(e, n)), radius);
            }
            else
            {
                int k = 5 + rng.Next(5);
                var coords = new Coordinate[k + 1];
                double rot = rng.NextDouble() * Math.PI;
                for (int j = 0; j < k; j++)
                {
                    double ang = rot + (j * 2 * Math.PI / k);
                    double rr = radius * (0.6 + (0.4 * rng.NextDouble()));
                    GeoPoint p = plane.Inverse(new PlanarPoint(e + (rr * Math.Cos(ang)), n + (rr * Math.Sin(ang))));
                    coords[j] = new Coordinate(p.LonDeg, p.LatDeg);
                }

                coords[k] = coords[0].Copy();
                f = new PolygonFootprint(factory.CreatePolygon(coords));
            }

            ZoneRestriction restriction = rng.NextDouble() < 0.7 ? ZoneRestriction.Prohibited : ZoneRestriction.ReqAuthorisation;
            string id = "SZ" + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture);
            zoneList.Add(new Zone(id, id, "CHN", restriction, [ZoneReason.Sensitive], f, Altitude.Agl(0), Altitude.Agl(500), [ZoneApplicability.Always], null, null));
        }

        var corridors = new List<Corridor>();
        for (int i = 0; i < 4; i++)
        {
            double n = (i - 1.5) * half * 0.45;
            corridors.Add(new Corridor("SC" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), "synthetic", "a", "b",
                [plane.Inverse(new PlanarPoint(-half * 0.9, n)), plane.Inverse(new PlanarPoint(half * 0.9, n + (half * 0.1)))],
                200, Altitude.Agl(60), Altitude.Agl(120), CorridorDirection.TwoWay, new SpeedBand(0, 25), 60));
        }

        double wp = rng.NextDouble() * 6;
        var wind = new FunctionWind((p, heightAglM) =>
        {
            PlanarPoint q = plane.Forward(p);
            double speed = (5.5 + (2.5 * Math.Sin((q.EastM / 9000) + wp))) * Math.Pow(Math.Max(heightAglM, 10) / 80, 0.15);
            double from = 200 + (40 * Math.Sin(q.NorthM / 12000));
            return WindVector.FromSpeedDirection(speed, from, speed * 1.3);
        });
        return new SyntheticCity(c, sizeM, ground, list, zoneList, corridors, wind);
    }

    /// <summary>Builds the planning area (rasterises everything).</summary>
    /// <param name="cellSizeM">Cell edge, metres.</param>
    /// <param name="cancellationToken">Cancels the build.</param>
    public CityArea BuildArea(double cellSizeM = 5, CancellationToken cancellationToken = default) =>
        new(new CityAreaData(Bounds, Ground, new SurfaceModel(Ground, Buildings), Corridors), new CityAreaOptions { CellSizeM = cellSizeM }, cancellationToken);

    /// <summary>Random route ends about <paramref name="lengthM"/> apart, both outside every zone (by centre distance).</summary>
    /// <param name="seed">Random seed.</param>
    /// <param name="count">How many pairs.</param>
    /// <param name="lengthM">Straight distance between the ends, metres.</param>
    public IReadOnlyList<(GeoPoint From, GeoPoint To)> RoutePairs(int seed, int count, double lengthM = 20_000)
    {
        var rng = new Random(seed);
        var pairs = new List<(GeoPoint, GeoPoint)>(count);
        double half = SizeM / 2 * 0.95;
        int guard = 0;
        while (pairs.Count < count && guard++ < count * 1000)
        {
            double a = rng.NextDouble() * 2 * Math.PI;
            double mx = (rng.NextDouble() * 2 - 1) * (half - (lengthM / 2 * Math.Abs(Math.Cos(a)))), my = (rng.NextDouble() * 2 - 1) * (half - (lengthM / 2 * Math.Abs(Math.Sin(a))));
            var f = new PlanarPoint(mx - (lengthM / 2 * Math.Cos(a)), my - (lengthM / 2 * Math.Sin(a)));
            var t = new PlanarPoint(mx + (lengthM / 2 * Math.Cos(a)), my + (lengthM / 2 * Math.Sin(a)));
            if (Math.Abs(f.EastM) > half || Math.Abs(f.NorthM) > half || Math.Abs(t.EastM) > half || Math.Abs(t.NorthM) > half)
            {
                continue;
            }

            GeoPoint from = Plane.Inverse(f), to = Plane.Inverse(t);
            if (InAnyZone(from) || InAnyZone(to))
            {
                continue;
            }

            pairs.Add((from, to));
        }

        return pairs;
    }

    private bool InAnyZone(GeoPoint p)
    {
        foreach (Zone z in Zones)
        {
            GeoBounds b = z.Footprint.BoundingBox();
            var grown = new GeoBounds(b.WestLonDeg - 0.002, b.SouthLatDeg - 0.002, b.EastLonDeg + 0.002, b.NorthLatDeg + 0.002);
            if (grown.Contains(p))
            {
                return true;
            }
        }

        return false;
    }

    private static Polygon Rect(LocalTangentPlane plane, double e, double n, double w, double d)
    {
        GeoPoint a = plane.Inverse(new PlanarPoint(e - (w / 2), n - (d / 2))), b = plane.Inverse(new PlanarPoint(e + (w / 2), n - (d / 2)));
        GeoPoint c = plane.Inverse(new PlanarPoint(e + (w / 2), n + (d / 2))), dd = plane.Inverse(new PlanarPoint(e - (w / 2), n + (d / 2)));
        return FootprintGeometry.Factory.CreatePolygon([new(a.LonDeg, a.LatDeg), new(b.LonDeg, b.LatDeg), new(c.LonDeg, c.LatDeg), new(dd.LonDeg, dd.LatDeg), new(a.LonDeg, a.LatDeg)]);
    }

    private sealed class FunctionGround(Func<GeoPoint, double> height) : IGroundElevation
    {
        public bool TryGetGroundAmslM(GeoPoint p, out double groundAmslM)
        {
            groundAmslM = height(p);
            return true;
        }
    }

    private sealed class FunctionWind(Func<GeoPoint, double, WindVector> wind) : IWindForecast
    {
        public bool TryQuery(GeoPoint p, double heightAglM, DateTimeOffset t, out WindVector w)
        {
            w = wind(p, heightAglM);
            return true;
        }
    }
}

/// <summary>One benchmark route.</summary>
/// <param name="Pair">Index of the route pair.</param>
/// <param name="Ok">True when a route was planned.</param>
/// <param name="WallMs">Planning wall time, ms.</param>
/// <param name="CpuMs">CPU time of the planning thread, ms (NaN where the thread clock is not available).</param>
/// <param name="Expansions">Nodes expanded.</param>
/// <param name="LengthM">Route length, metres.</param>
/// <param name="DurationS">Flight time, seconds.</param>
/// <param name="Stages">Stage times.</param>
public sealed record CityBenchRoute(int Pair, bool Ok, double WallMs, double CpuMs, long Expansions, double LengthM, double DurationS, CityPlanStages? Stages);

/// <summary>Per-route timing of the city planner on a <see cref="SyntheticCity"/>.</summary>
/// <param name="Routes">Routes timed (feasible ones).</param>
/// <param name="Failed">Pairs with no feasible route.</param>
/// <param name="P50Ms">Median planning wall time, ms.</param>
/// <param name="P95Ms">95th percentile (linear interpolation), ms.</param>
/// <param name="MaxMs">Slowest, ms.</param>
/// <param name="MeanExpansions">Mean nodes expanded per route.</param>
/// <param name="MeanLengthM">Mean route length, metres.</param>
public sealed record CityBenchFigures(int Routes, int Failed, double P50Ms, double P95Ms, double MaxMs, double MeanExpansions, double MeanLengthM)
{
    /// <summary>Median thread CPU time, ms.</summary>
    public double CpuP50Ms { get; init; }

    /// <summary>95th percentile thread CPU time, ms.</summary>
    public double CpuP95Ms { get; init; }

    /// <summary>Largest thread CPU time, ms.</summary>
    public double CpuMaxMs { get; init; }

    /// <summary>Every route.</summary>
    public IReadOnlyList<CityBenchRoute> PerRoute { get; init; } = [];
}

/// <summary>Runs the city benchmark.</summary>
public static class CityBenchmark
{
    /// <summary>Plans every pair once (after one warm-up plan) and returns the percentiles.</summary>
    /// <param name="planner">The planner.</param>
    /// <param name="city">The city (zones, wind).</param>
    /// <param name="pairs">Route ends.</param>
    /// <param name="mode">Heuristic.</param>
    /// <param name="smooth">Any-angle smoothing.</param>
    /// <param name="departure">Departure time.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public static CityBenchFigures Run(CityPlanner planner, SyntheticCity city, IReadOnlyList<(GeoPoint From, GeoPoint To)> pairs, CitySearchMode mode, bool smooth, DateTimeOffset departure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentNullException.ThrowIfNull(city);
        ArgumentNullException.ThrowIfNull(pairs);
        var times = new List<double>(pairs.Count);
        var cpu = new List<double>(pairs.Count);
        var perRoute = new List<CityBenchRoute>(pairs.Count);
        int failed = 0;
        double expansions = 0, length = 0;
        bool warmed = false;
        for (int i = 0; i < pairs.Count; i++)
        {
            (GeoPoint from, GeoPoint to) = pairs[i];
            var request = new CityRouteRequest { Stops = [from, to], DepartureUtc = departure, Zones = city.Zones, Wind = city.Wind, SearchMode = mode, Smooth = smooth };
            if (!warmed)
            {
                warmed = true;
                try
                {
                    planner.Plan(request, cancellationToken);
                }
                catch (CityPlanningException)
                {
                }
            }

            double c0 = ThreadCpu.NowMs();
            long t0 = Stopwatch.GetTimestamp();
            try
            {
                CityRoute route = planner.Plan(request, cancellationToken);
                double wall = Stopwatch.GetElapsedTime(t0).TotalMilliseconds, c = ThreadCpu.NowMs() - c0;
                times.Add(wall);
                cpu.Add(c);
                expansions += route.Expansions;
                length += route.LengthM;
                perRoute.Add(new CityBenchRoute(i, true, wall, c, route.Expansions, route.LengthM, route.DurationS, route.Stages));
            }
            catch (CityPlanningException)
            {
                failed++;
                perRoute.Add(new CityBenchRoute(i, false, Stopwatch.GetElapsedTime(t0).TotalMilliseconds, ThreadCpu.NowMs() - c0, 0, 0, 0, null));
            }
        }

        times.Sort();
        cpu.Sort();
        int n = times.Count;
        return n == 0
            ? new CityBenchFigures(0, failed, 0, 0, 0, 0, 0) { PerRoute = perRoute }
            : new CityBenchFigures(n, failed, Percentile(times, 0.5), Percentile(times, 0.95), times[^1], expansions / n, length / n)
            {
                CpuP50Ms = Percentile(cpu, 0.5),
                CpuP95Ms = Percentile(cpu, 0.95),
                CpuMaxMs = cpu[^1],
                PerRoute = perRoute,
            };
    }

    private static double Percentile(List<double> sorted, double q)
    {
        double pos = q * (sorted.Count - 1);
        int lo = (int)Math.Floor(pos), hi = (int)Math.Ceiling(pos);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (pos - lo));
    }
}
