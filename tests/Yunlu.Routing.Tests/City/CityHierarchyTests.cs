using CsCheck;
using Yunlu.Geo;
using Yunlu.Routing.City;
using Yunlu.Terrain.Weather;

namespace Yunlu.Routing.Tests.City;

public sealed class CityHierarchyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Plan_HierarchicalOnRandomCities_SamplerCleanAndFeasibleWheneverExactIs()
    {
        int planned = 0;
        Gen.Select(Gen.Int[0, 1_000_000], Gen.Int[50, 400], Gen.Int[0, 8]).Sample((seed, buildings, zones) =>
        {
            var s = new CityScenario(seed, sizeM: 3000, buildings: buildings, zones: zones);
            var planner = new CityPlanner(s.Area(10));
            var rng = new Random(seed);
            GeoPoint from = s.At(rng.Next(-1400, 1400), rng.Next(-1400, 1400)), to = s.At(rng.Next(-1400, 1400), rng.Next(-1400, 1400));
            var request = new CityRouteRequest { Stops = [from, to], DepartureUtc = CityScenario.Departure, Zones = s.Zones, ClearanceM = 20, SearchMode = CitySearchMode.Hierarchical };
            CityRoute? hierarchical = TryPlan(planner, request);
            CityRoute? exact = TryPlan(planner, request with { SearchMode = CitySearchMode.Exact });
            Assert.Equal(exact is null, hierarchical is null);
            if (hierarchical is null || exact is null)
            {
                return;
            }

            planned++;
            IReadOnlyList<string> problems = RouteSampler.Violations(s, hierarchical, s.Zones, 20, 120);
            Assert.True(problems.Count == 0, string.Join("\n", problems.Take(10)));
            Assert.NotNull(hierarchical.Stages);

            // Not better than the exact optimum of the grid (same cost model), within the smoothing's gain.
            Assert.True(hierarchical.SearchCost >= exact.SearchCost * (1 - 1e-9), $"hierarchical grid cost {hierarchical.SearchCost} below the exact optimum {exact.SearchCost}");
        }, iter: 25);
        Assert.True(planned >= 8, $"only {planned} of 25 random scenarios were feasible");
    }

    [Fact]
    public void Plan_NarrowGapBetweenTowers_CorridorFallbackStillFindsIt()
    {
        // A wall of towers across the area with a single 30 m gap: every 40 m coarse cell on the wall is only partly
        // free, so the coarse level cannot see whether the gap connects; the fine search must find it.
        var s = new CityScenario(11, sizeM: 2000, buildings: 0, zones: 0, flat: true);
        for (double n = -1030; n < 990; n += 40)
        {
            if (n > -20 && n < 30)
            {
                continue;
            }

            s.Obstacles.Add(new Yunlu.Terrain.Obstacle("w" + n.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Rect(0, n + 20, 20, 40), 150, "building", null));
        }

        var area = new CityArea(new CityAreaData(s.Bounds, s.Elevation, new Yunlu.Terrain.SurfaceModel(s.Elevation, s.Obstacles)), new CityAreaOptions { ObstacleLateralClearanceM = 0 });
        var planner = new CityPlanner(area);
        var request = new CityRouteRequest { Stops = [s.At(-800, 800), s.At(800, 700)], DepartureUtc = CityScenario.Departure, ClearanceM = 30 };
        CityRoute route = planner.Plan(request, Ct);
        Assert.Empty(RouteSampler.Violations(s, route, [], 30, 120));
        Assert.True(route.Stages!.Fallbacks >= 1, "the coarse corridor crosses the wall far from the gap, so a fallback is expected");
        CityRoute exact = planner.Plan(request with { SearchMode = CitySearchMode.Exact }, Ct);
        Assert.InRange(route.DurationS, exact.DurationS * 0.95, exact.DurationS * 1.15);
    }

    [Fact]
    public void Plan_TimeVaryingWind_LegTimesUseTheWindAtEachLegsTime()
    {
        Gen.Select(Gen.Int[0, 1_000_000], Gen.Double[0, 360]).Sample((seed, fromDeg) =>
        {
            var s = new CityScenario(seed, sizeM: 1500, buildings: 20, zones: 1, flat: true);
            var planner = new CityPlanner(s.Area());
            // Uniform in space, turning by 90° every 100 s.
            DateTimeOffset t0 = CityScenario.Departure;
            WindVector At(DateTimeOffset t) => WindVector.FromSpeedDirection(7, (fromDeg + ((t - t0).TotalSeconds * 0.9)) % 360, 0);
            var rng = new Random(seed);
            var request = new CityRouteRequest
            {
                Stops = [s.At(rng.Next(-650, 650), rng.Next(-650, 650)), s.At(rng.Next(-650, 650), rng.Next(-650, 650))],
                DepartureUtc = t0,
                Zones = s.Zones,
                Wind = new TimedWind(At),
                LayersAglM = [80],
                CruiseAltitudeAglM = 80,
                ClearanceM = 20,
            };
            CityRoute route;
            try
            {
                route = planner.Plan(request, Ct);
            }
            catch (CityPlanningException)
            {
                return;
            }

            // Independent integration: each leg from its ETA, 1 m steps, wind at the time the aircraft is there.
            double total = 0;
            IReadOnlyList<CityWaypoint> w = route.Waypoints;
            for (int i = 0; i + 1 < w.Count; i++)
            {
                PlanarPoint a = s.Plane.Forward(w[i].Point), b = s.Plane.Forward(w[i + 1].Point);
                double dx = b.EastM - a.EastM, dy = b.NorthM - a.NorthM, h = Math.Sqrt((dx * dx) + (dy * dy)), th = 0;
                for (double d = 0; d < h; d += 1)
                {
                    double step = Math.Min(1, h - d);
                    WindVector v = At(w[i].Eta.AddSeconds(th));
                    double ux = dx / h, uy = dy / h;
                    double along = (v.EastMps * ux) + (v.NorthMps * uy), cross = (v.EastMps * uy) - (v.NorthMps * ux);
                    th += step / (along + Math.Sqrt((15 * 15) - (cross * cross)));
                }

                double dz = w[i + 1].AltitudeAmslM - w[i].AltitudeAmslM;
                total += Math.Max(th, dz >= 0 ? dz / 3 : -dz / 2);
            }

            Assert.Equal(total, route.DurationS, total * 0.02);
        }, iter: 20);
    }

    [Fact]
    public void Prepare_TimeVaryingWind_EachCellSampledAtTheNominalTimeAndSearchExact()
    {
        Gen.Select(Gen.Int[0, 1_000_000], Gen.Double[0, 360], Gen.Int[0, 20]).Sample((seed, fromDeg, buildings) =>
        {
            var s = new CityScenario(seed, sizeM: 400, buildings: buildings, zones: 1);
            var area = new CityArea(new CityAreaData(s.Bounds, s.Elevation, s.Surface), new CityAreaOptions { CellSizeM = 10, WindCellSizeM = 20, ObstacleLateralClearanceM = 0 });
            DateTimeOffset t0 = CityScenario.Departure;
            WindVector At(DateTimeOffset t) => WindVector.FromSpeedDirection(9, (fromDeg + ((t - t0).TotalSeconds * 3)) % 360, 0);
            var planner = new CityPlanner(area);
            var request = new CityRouteRequest
            {
                Stops = [s.At(-180, -170), s.At(170, 180)],
                DepartureUtc = t0,
                Zones = s.Zones,
                Wind = new TimedWind(At),
                LayersAglM = [50, 70],
                ClearanceM = 15,
                NavigationAccuracyM = 0,
            };
            CityFlightGrid grid = planner.Prepare(request, new TimeWindow(t0, t0.AddHours(1)), Ct);
            (double x0, double y0) = area.ToGrid(request.Stops[0]);

            // Brute force over the time-sampled grid: every wind cell carries the wind at the time the aircraft flying
            // straight from take-off at its airspeed would be over its centre.
            int c = area.WindCellCells;
            for (int wy = 0; wy < area.WindHeight; wy++)
            {
                for (int wx = 0; wx < area.WindWidth; wx++)
                {
                    double cx = Math.Min(area.Width, (wx + 0.5) * c), cy = Math.Min(area.Height, (wy + 0.5) * c);
                    double distM = Math.Sqrt(((cx - x0) * (cx - x0)) + ((cy - y0) * (cy - y0))) * area.CellSizeM;
                    WindVector expected = At(t0.AddSeconds(distM / request.Aircraft.AirspeedMps));
                    WindVector got = grid.Wind[grid.WindIndex(Math.Min(area.Width - 1, wx * c), Math.Min(area.Height - 1, wy * c), 0)];
                    Assert.Equal(expected.EastMps, got.EastMps, 9);
                    Assert.Equal(expected.NorthMps, got.NorthMps, 9);
                }
            }

            CityGridPath exact = planner.SearchGrid(grid, request.Stops[0], request.Stops[1], CitySearchMode.Exact, 1, Ct);
            CityGridPath plain = planner.SearchGrid(grid, request.Stops[0], request.Stops[1], CitySearchMode.Plain, 1, Ct);
            Assert.Equal(exact.Nodes.Count == 0, plain.Nodes.Count == 0);
            if (exact.Nodes.Count > 0)
            {
                Assert.Equal(plain.Cost, exact.Cost, plain.Cost * 1e-9);
            }
        }, iter: 30);
    }

    private static CityRoute? TryPlan(CityPlanner planner, CityRouteRequest request)
    {
        try
        {
            return planner.Plan(request, Ct);
        }
        catch (CityPlanningException ex)
        {
            Assert.False(string.IsNullOrWhiteSpace(ex.Field));
            return null;
        }
    }

    private sealed class TimedWind(Func<DateTimeOffset, WindVector> wind) : IWindForecast
    {
        public bool TryQuery(GeoPoint p, double heightAglM, DateTimeOffset t, out WindVector w)
        {
            w = wind(t);
            return true;
        }
    }
}
