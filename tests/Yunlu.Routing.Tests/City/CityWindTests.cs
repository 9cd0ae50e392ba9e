using CsCheck;
using Yunlu.Geo;
using Yunlu.Routing.City;
using Yunlu.Terrain.Weather;

namespace Yunlu.Routing.Tests.City;

public sealed class CityWindTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void SearchGrid_RandomSmallGrids_EqualsBruteForceDijkstra()
    {
        Gen.Select(Gen.Int[0, 1_000_000], Gen.Int[0, 30], Gen.Int[0, 3], Gen.Double[0, 9]).Sample((seed, buildings, zones, windMps) =>
        {
            var s = new CityScenario(seed, sizeM: 400, buildings: buildings, zones: zones);
            var rng = new Random(seed);
            double phase = rng.NextDouble() * 6;
            var area = new CityArea(new CityAreaData(s.Bounds, s.Elevation, s.Surface, Risk: p => 0.5 + (0.5 * Math.Sin(p.LonDeg * 9000))),
                new CityAreaOptions { CellSizeM = 10, WindCellSizeM = 20, ObstacleLateralClearanceM = 0 });
            var wind = new FunctionWind((p, h) => WindVector.FromSpeedDirection(windMps * (0.6 + (0.4 * Math.Sin((p.LonDeg * 5000) + phase))), (p.LatDeg * 300000) % 360, 0));
            var planner = new CityPlanner(area);
            var request = new CityRouteRequest
            {
                Stops = [s.At(-180, -170), s.At(170, 180)],
                DepartureUtc = CityScenario.Departure,
                Zones = s.Zones,
                Wind = wind,
                LayersAglM = [50, 70, 95],
                ClearanceM = 15,
                RiskWeight = 0.7,
                NavigationAccuracyM = 0,
            };
            CityFlightGrid grid = planner.Prepare(request, new TimeWindow(CityScenario.Departure, CityScenario.Departure.AddHours(1)), Ct);
            (double x0, double y0) = area.ToGrid(request.Stops[0]);
            (double x1, double y1) = area.ToGrid(request.Stops[1]);
            double expected = Dijkstra(grid, (int)x0, (int)y0, (int)x1, (int)y1);
            CityGridPath weighted = planner.SearchGrid(grid, request.Stops[0], request.Stops[1], CitySearchMode.Fast, 1.2, Ct);
            Assert.Equal(double.IsPositiveInfinity(expected), weighted.Nodes.Count == 0);
            if (weighted.Nodes.Count > 0)
            {
                Assert.InRange(weighted.Cost, expected * (1 - 1e-9), expected * grid.FastModeBound(1.2) * (1 + 1e-9));
            }

            foreach (CitySearchMode mode in new[] { CitySearchMode.Exact, CitySearchMode.Plain })
            {
                CityGridPath path = planner.SearchGrid(grid, request.Stops[0], request.Stops[1], mode, 1, Ct);
                if (double.IsPositiveInfinity(expected))
                {
                    Assert.Empty(path.Nodes);
                }
                else
                {
                    Assert.Equal(expected, path.Cost, expected * 1e-9);
                    Assert.Equal(expected, PathCost(grid, path.Nodes), expected * 1e-9);
                }
            }
        }, iter: 60);
    }

    [Fact]
    public void Plan_StrongUniformWind_NotSlowerThanWindAgnosticRouteInThatWind()
    {
        Gen.Select(Gen.Int[0, 1_000_000], Gen.Double[0, 360], Gen.Bool).Sample((seed, fromDeg, smooth) =>
        {
            var s = new CityScenario(seed, sizeM: 1200, buildings: 40, zones: 3, flat: true);
            var planner = new CityPlanner(s.Area());
            WindVector w = WindVector.FromSpeedDirection(10, fromDeg, 0);
            CityRouteRequest request = UniformWindRequest(s, seed, smooth);
            CityRoute agnostic, aware;
            try
            {
                agnostic = planner.Plan(request, Ct);
                aware = planner.Plan(request with { Wind = new FunctionWind((_, _) => w) }, Ct);
            }
            catch (CityPlanningException)
            {
                return;
            }

            double tAware = RouteSampler.TimeInWind(s, aware, _ => (w.EastMps, w.NorthMps), 15, 3, 2);
            double tAgnostic = RouteSampler.TimeInWind(s, agnostic, _ => (w.EastMps, w.NorthMps), 15, 3, 2);
            Assert.True(tAware <= tAgnostic + 1e-6, $"wind-aware {tAware:0.###} s > wind-agnostic {tAgnostic:0.###} s (smooth {smooth})");
            Assert.Equal(tAware, aware.DurationS, 0.5);
        }, iter: 40);
    }

    /// <summary>The uniform-wind tests' request: two random stops of the scenario, one 80 m layer, Exact search.</summary>
    private static CityRouteRequest UniformWindRequest(CityScenario s, int seed, bool smooth)
    {
        var rng = new Random(seed);
        return new CityRouteRequest
        {
            Stops = [s.At(rng.Next(-550, 550), rng.Next(-550, 550)), s.At(rng.Next(-550, 550), rng.Next(-550, 550))],
            DepartureUtc = CityScenario.Departure,
            Zones = s.Zones,
            LayersAglM = [80],
            CruiseAltitudeAglM = 80,
            Smooth = smooth,
            ClearanceM = 20,
            SearchMode = CitySearchMode.Exact,
        };
    }

    /// <summary>A case CsCheck found (seed 549344, wind from 2.004e-53°): the route nearly doubles back, its buffered shell
    /// touched itself after the move to lon/lat, and building the 4D volumes threw "Ring Self-intersection".</summary>
    [Fact]
    public void Plan_RouteNearlyDoublingBack_VolumesValidAndHoldTheRoute()
    {
        const int seed = 549344;
        var s = new CityScenario(seed, sizeM: 1200, buildings: 40, zones: 3, flat: true);
        var planner = new CityPlanner(s.Area());
        CityRouteRequest request = UniformWindRequest(s, seed, smooth: false);
        WindVector w = WindVector.FromSpeedDirection(10, 2004E-56, 0);
        foreach (CityRoute route in new[] { planner.Plan(request, Ct), planner.Plan(request with { Wind = new FunctionWind((_, _) => w) }, Ct) })
        {
            Assert.NotEmpty(route.Volumes);
            foreach (CityWaypoint p in route.Waypoints)
            {
                Assert.Contains(route.Volumes, v => v.Volume.Footprint.Contains(p.Point));
            }
        }
    }

    [Fact]
    public void Plan_CrosswindAboveAirspeed_ClearError()
    {
        var s = new CityScenario(2, buildings: 0, zones: 0, flat: true);
        var planner = new CityPlanner(s.Area());
        // 11 m/s from the north against 10 m/s airspeed on an east-west route: every move has crosswind ≥ airspeed or no progress.
        var request = new CityRouteRequest
        {
            Stops = [s.At(-500, 0), s.At(500, 0)],
            DepartureUtc = CityScenario.Departure,
            Wind = new FunctionWind((_, _) => WindVector.FromSpeedDirection(11, 0, 0)),
            Aircraft = new AircraftPerformance(AirspeedMps: 10, WindLimitMps: 12),
        };
        CityPlanningException ex = Assert.Throws<CityPlanningException>(() => planner.Plan(request, Ct));
        Assert.Equal("to", ex.Field);
        Assert.Equal("no-feasible-route", ex.Rule);
        Assert.Contains("crosswind", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_WindAboveLimit_ClearError()
    {
        var s = new CityScenario(2, buildings: 0, zones: 0, flat: true);
        var planner = new CityPlanner(s.Area());
        var request = new CityRouteRequest
        {
            Stops = [s.At(-500, 0), s.At(500, 0)],
            DepartureUtc = CityScenario.Departure,
            Wind = new FunctionWind((_, _) => WindVector.FromSpeedDirection(14, 270, 18)),
            Aircraft = new AircraftPerformance(AirspeedMps: 20, WindLimitMps: 12),
        };
        CityPlanningException ex = Assert.Throws<CityPlanningException>(() => planner.Plan(request, Ct));
        Assert.Equal("from", ex.Field);
        Assert.Equal("wind-above-limit", ex.Rule);
    }

    /// <summary>Plain Dijkstra over (x, y, layer) with the test's own move rules and wind triangle.</summary>
    private static double Dijkstra(CityFlightGrid g, int sx, int sy, int gx, int gy)
    {
        int w = g.W, h = g.H, l = g.L;
        var dist = new double[w * h * l];
        Array.Fill(dist, double.PositiveInfinity);
        var queue = new PriorityQueue<int, double>();
        double best = double.PositiveInfinity;
        for (int k = 0; k < l; k++)
        {
            if (!g.IsBlocked(sx, sy, k))
            {
                int id = (((k * h) + sy) * w) + sx;
                dist[id] = g.LayersAglM[k] / g.ClimbMps;
                queue.Enqueue(id, dist[id]);
            }
        }

        while (queue.TryDequeue(out int id, out double d))
        {
            if (d > dist[id])
            {
                continue;
            }

            int x = id % w, y = id / w % h, k = id / w / h;
            if (x == gx && y == gy)
            {
                best = Math.Min(best, d + (g.LayersAglM[k] / g.DescentMps));
            }

            WindVector wind = g.Wind[g.WindIndex(x, y, k)];
            for (int dx = -1; dx <= 1; dx++)
            {
                for (int dy = -1; dy <= 1; dy++)
                {
                    if (dx == 0 && dy == 0)
                    {
                        continue;
                    }

                    int nx = x + dx, ny = y + dy;
                    if (nx < 0 || ny < 0 || nx >= w || ny >= h || g.IsBlocked(nx, ny, k))
                    {
                        continue;
                    }

                    if (dx != 0 && dy != 0 && (g.IsBlocked(nx, y, k) || g.IsBlocked(x, ny, k)))
                    {
                        continue;
                    }

                    double len = Math.Sqrt((dx * dx) + (dy * dy));
                    double ux = dx / len, uy = dy / len;
                    double along = (wind.EastMps * ux) + (wind.NorthMps * uy), cross = (wind.EastMps * uy) - (wind.NorthMps * ux);
                    double c2 = (g.AirspeedMps * g.AirspeedMps) - (cross * cross);
                    if (c2 <= 0)
                    {
                        continue;
                    }

                    double gs = along + Math.Sqrt(c2);
                    if (gs <= 1e-9)
                    {
                        continue;
                    }

                    double cost = len * g.Area.CellSizeM / gs * 0.5 * (g.Factor(x, y, k) + g.Factor(nx, ny, k));
                    Relax((((k * h) + ny) * w) + nx, d + cost);
                }
            }

            if (k + 1 < l && !g.IsBlocked(x, y, k + 1))
            {
                Relax((((k + 1) * h + y) * w) + x, d + ((g.LayersAglM[k + 1] - g.LayersAglM[k]) / g.ClimbMps));
            }

            if (k > 0 && !g.IsBlocked(x, y, k - 1))
            {
                Relax((((k - 1) * h + y) * w) + x, d + ((g.LayersAglM[k] - g.LayersAglM[k - 1]) / g.DescentMps));
            }
        }

        return best;

        void Relax(int n, double nd)
        {
            if (nd < dist[n])
            {
                dist[n] = nd;
                queue.Enqueue(n, nd);
            }
        }
    }

    /// <summary>Recomputes a returned path's cost from its nodes (checks the path is connected and legal).</summary>
    private static double PathCost(CityFlightGrid g, IReadOnlyList<CityNode> nodes)
    {
        double total = g.LayersAglM[nodes[0].Layer] / g.ClimbMps;
        for (int i = 1; i < nodes.Count; i++)
        {
            CityNode a = nodes[i - 1], b = nodes[i];
            Assert.False(g.IsBlocked(b.X, b.Y, b.Layer));
            if (a.Layer != b.Layer)
            {
                Assert.Equal((a.X, a.Y), (b.X, b.Y));
                Assert.Equal(1, Math.Abs(a.Layer - b.Layer));
                total += b.Layer > a.Layer ? (g.LayersAglM[b.Layer] - g.LayersAglM[a.Layer]) / g.ClimbMps : (g.LayersAglM[a.Layer] - g.LayersAglM[b.Layer]) / g.DescentMps;
                continue;
            }

            int dx = b.X - a.X, dy = b.Y - a.Y;
            Assert.True(Math.Abs(dx) <= 1 && Math.Abs(dy) <= 1 && (dx != 0 || dy != 0));
            WindVector wind = g.Wind[g.WindIndex(a.X, a.Y, a.Layer)];
            double len = Math.Sqrt((dx * dx) + (dy * dy));
            double ux = dx / len, uy = dy / len;
            double along = (wind.EastMps * ux) + (wind.NorthMps * uy), cross = (wind.EastMps * uy) - (wind.NorthMps * ux);
            double gs = along + Math.Sqrt((g.AirspeedMps * g.AirspeedMps) - (cross * cross));
            total += len * g.Area.CellSizeM / gs * 0.5 * (g.Factor(a.X, a.Y, a.Layer) + g.Factor(b.X, b.Y, b.Layer));
        }

        return total + (g.LayersAglM[nodes[^1].Layer] / g.DescentMps);
    }
}
