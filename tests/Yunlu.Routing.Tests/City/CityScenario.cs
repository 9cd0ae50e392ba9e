using NetTopologySuite.Geometries;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Routing.City;
using Yunlu.Terrain;
using Yunlu.Terrain.Weather;

namespace Yunlu.Routing.Tests.City;

/// <summary>Analytic ground: a function of the position (metres AMSL).</summary>
internal sealed class AnalyticGround(Func<GeoPoint, double> height) : IGroundElevation
{
    public bool TryGetGroundAmslM(GeoPoint p, out double groundAmslM)
    {
        groundAmslM = height(p);
        return true;
    }
}

/// <summary>A wind forecast given as a function of the position and height.</summary>
internal sealed class FunctionWind(Func<GeoPoint, double, WindVector> wind) : IWindForecast
{
    public bool TryQuery(GeoPoint p, double heightAglM, DateTimeOffset t, out WindVector w)
    {
        w = wind(p, heightAglM);
        return true;
    }
}

/// <summary>A random synthetic city: hilly ground, box buildings, zones, a local plane to place things in metres.</summary>
internal sealed class CityScenario
{
    public static readonly GeoPoint Centre = new(106.70, 26.58);
    public static readonly DateTimeOffset Departure = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);

    public CityScenario(int seed, double sizeM = 1500, int buildings = 40, int zones = 4, bool flat = false)
    {
        var rng = new Random(seed);
        SizeM = sizeM;
        Plane = new LocalTangentPlane(Centre);
        double a1 = flat ? 0 : rng.NextDouble() * 40, a2 = flat ? 0 : rng.NextDouble() * 25;
        double k1 = 2 * Math.PI / (300 + (rng.NextDouble() * 900)), k2 = 2 * Math.PI / (200 + (rng.NextDouble() * 600));
        Ground = p =>
        {
            PlanarPoint q = Plane.Forward(p);
            return 1100 + (a1 * Math.Sin(k1 * q.EastM)) + (a2 * Math.Cos(k2 * q.NorthM) * Math.Sin(k2 * 0.7 * q.EastM));
        };
        double half = sizeM / 2;
        for (int i = 0; i < buildings; i++)
        {
            double e = (rng.NextDouble() * 2 - 1) * half * 0.9, n = (rng.NextDouble() * 2 - 1) * half * 0.9;
            double w = 10 + (rng.NextDouble() * 40), d = 10 + (rng.NextDouble() * 40);
            double h = 10 + (rng.NextDouble() * (rng.NextDouble() < 0.2 ? 140 : 60));
            Obstacles.Add(new Obstacle("b" + i, Rect(e, n, w, d), h, "building", null));
        }

        for (int i = 0; i < zones; i++)
        {
            double e = (rng.NextDouble() * 2 - 1) * half * 0.7, n = (rng.NextDouble() * 2 - 1) * half * 0.7;
            Footprint f = rng.NextDouble() < 0.5
                ? new CircleFootprint(Plane.Inverse(new PlanarPoint(e, n)), 40 + (rng.NextDouble() * 120))
                : new PolygonFootprint(Triangle(e, n, 60 + (rng.NextDouble() * 150), rng.NextDouble() * Math.PI));
            Zones.Add(MakeZone("Z" + i, ZoneRestriction.Prohibited, f));
        }

        Bounds = new GeoBounds(
            Plane.Inverse(new PlanarPoint(-half, -half)).LonDeg, Plane.Inverse(new PlanarPoint(-half, -half)).LatDeg,
            Plane.Inverse(new PlanarPoint(half, half)).LonDeg, Plane.Inverse(new PlanarPoint(half, half)).LatDeg);
        Elevation = new AnalyticGround(Ground);
        Surface = new SurfaceModel(Elevation, Obstacles);
    }

    public double SizeM { get; }

    public LocalTangentPlane Plane { get; }

    public Func<GeoPoint, double> Ground { get; }

    public AnalyticGround Elevation { get; }

    public List<Obstacle> Obstacles { get; } = [];

    public List<Zone> Zones { get; } = [];

    public GeoBounds Bounds { get; }

    public SurfaceModel Surface { get; }

    public CityArea Area(double cellSizeM = 5) => new(new CityAreaData(Bounds, Elevation, Surface), new CityAreaOptions { CellSizeM = cellSizeM, WindCellSizeM = 100 });

    public GeoPoint At(double eastM, double northM) => Plane.Inverse(new PlanarPoint(eastM, northM));

    public Polygon Rect(double e, double n, double w, double d)
    {
        GeoPoint a = At(e - (w / 2), n - (d / 2)), b = At(e + (w / 2), n - (d / 2)), c = At(e + (w / 2), n + (d / 2)), dd = At(e - (w / 2), n + (d / 2));
        return FootprintGeometry.Factory.CreatePolygon([new(a.LonDeg, a.LatDeg), new(b.LonDeg, b.LatDeg), new(c.LonDeg, c.LatDeg), new(dd.LonDeg, dd.LatDeg), new(a.LonDeg, a.LatDeg)]);
    }

    public Polygon Triangle(double e, double n, double r, double rot)
    {
        var coords = new Coordinate[4];
        for (int i = 0; i < 3; i++)
        {
            double ang = rot + (i * 2 * Math.PI / 3);
            GeoPoint p = At(e + (r * Math.Cos(ang)), n + (r * Math.Sin(ang)));
            coords[i] = new Coordinate(p.LonDeg, p.LatDeg);
        }

        coords[3] = coords[0].Copy();
        return FootprintGeometry.Factory.CreatePolygon(coords);
    }

    public static Zone MakeZone(string id, ZoneRestriction restriction, Footprint footprint, ZoneApplicability? applicability = null) =>
        new(id, id, "CHN", restriction, [ZoneReason.Sensitive], footprint, Altitude.Agl(0), Altitude.Agl(1000), [applicability ?? ZoneApplicability.Always], null, null);
}

/// <summary>
/// The independent checker: samples a route every metre along every leg (lon/lat and AMSL altitude interpolated
/// linearly) and tests each sample against the zones (footprint containment), the obstacles (point-in-polygon over the
/// raw footprints) plus the ground (the analytic function) plus the clearance, and the true-height ceiling.
/// Shares no code with the planner.
/// </summary>
internal static class RouteSampler
{
    public const double ToleranceM = 0.01;

    public static IReadOnlyList<string> Violations(CityScenario s, CityRoute route, IEnumerable<Zone> forbidden, double clearanceM, double ceilingM)
    {
        var problems = new List<string>();
        var zones = forbidden.ToList();
        IReadOnlyList<CityWaypoint> w = route.Waypoints;
        for (int i = 0; i + 1 < w.Count; i++)
        {
            bool cruise = i > 0 && i + 1 < w.Count - 1;
            PlanarPoint a = s.Plane.Forward(w[i].Point), b = s.Plane.Forward(w[i + 1].Point);
            double len = Math.Sqrt(((b.EastM - a.EastM) * (b.EastM - a.EastM)) + ((b.NorthM - a.NorthM) * (b.NorthM - a.NorthM)));
            int n = Math.Max(1, (int)Math.Ceiling(len / 1.0));
            for (int j = 0; j <= n; j++)
            {
                double f = (double)j / n;
                var p = new GeoPoint(w[i].Point.LonDeg + ((w[i + 1].Point.LonDeg - w[i].Point.LonDeg) * f), w[i].Point.LatDeg + ((w[i + 1].Point.LatDeg - w[i].Point.LatDeg) * f));
                double alt = w[i].AltitudeAmslM + ((w[i + 1].AltitudeAmslM - w[i].AltitudeAmslM) * f);
                double ground = s.Ground(p);
                foreach (Zone z in zones)
                {
                    if (z.Footprint.Contains(p))
                    {
                        problems.Add($"leg {i} sample {j}: inside zone {z.Identifier} at {p}");
                    }
                }

                if (alt - ground > ceilingM + ToleranceM)
                {
                    problems.Add($"leg {i} sample {j}: true height {alt - ground:0.###} m above the {ceilingM} m ceiling at {p}");
                }

                if (cruise)
                {
                    double obstacle = 0;
                    var pt = new Point(p.LonDeg, p.LatDeg);
                    foreach (Obstacle o in s.Obstacles)
                    {
                        if (o.Footprint.EnvelopeInternal.Contains(p.LonDeg, p.LatDeg) && o.Footprint.Covers(pt))
                        {
                            obstacle = Math.Max(obstacle, o.HeightM);
                        }
                    }

                    if (alt < ground + obstacle + clearanceM - ToleranceM)
                    {
                        problems.Add($"leg {i} sample {j}: {alt - ground - obstacle:0.###} m above the surface (< {clearanceM} m) at {p}");
                    }
                }
            }
        }

        return problems;
    }

    /// <summary>The flight time of a route in a wind, by the test's own wind triangle.</summary>
    public static double TimeInWind(CityScenario s, CityRoute route, Func<GeoPoint, (double E, double N)> wind, double airspeed, double climb, double descent)
    {
        double total = 0;
        IReadOnlyList<CityWaypoint> w = route.Waypoints;
        for (int i = 0; i + 1 < w.Count; i++)
        {
            PlanarPoint a = s.Plane.Forward(w[i].Point), b = s.Plane.Forward(w[i + 1].Point);
            double dx = b.EastM - a.EastM, dy = b.NorthM - a.NorthM;
            double h = Math.Sqrt((dx * dx) + (dy * dy));
            double th = 0;
            if (h > 1e-9)
            {
                int n = Math.Max(1, (int)Math.Ceiling(h / 5));
                for (int j = 0; j < n; j++)
                {
                    var mid = new GeoPoint(w[i].Point.LonDeg + ((w[i + 1].Point.LonDeg - w[i].Point.LonDeg) * (j + 0.5) / n), w[i].Point.LatDeg + ((w[i + 1].Point.LatDeg - w[i].Point.LatDeg) * (j + 0.5) / n));
                    (double we, double wn) = wind(mid);
                    double ux = dx / h, uy = dy / h;
                    double along = (we * ux) + (wn * uy), cross = (we * uy) - (wn * ux);
                    double gs = along + Math.Sqrt((airspeed * airspeed) - (cross * cross));
                    th += h / n / gs;
                }
            }

            double dz = w[i + 1].AltitudeAmslM - w[i].AltitudeAmslM;
            total += Math.Max(th, dz >= 0 ? dz / climb : -dz / descent);
        }

        return total;
    }
}
