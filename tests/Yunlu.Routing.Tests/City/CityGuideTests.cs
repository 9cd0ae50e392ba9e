using CsCheck;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Routing.City;
using Yunlu.Terrain.Weather;

namespace Yunlu.Routing.Tests.City;

public sealed class CityGuideTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Prepare_ZoneSetsAndClearancesRotatingThroughTheCaches_MaskAndCoarseStatesEqualAFreshBuild()
    {
        Gen.Int[0, 1_000_000].Sample(seed =>
        {
            var s = new CityScenario(seed, sizeM: 1000, buildings: 20, zones: 6);
            CityArea shared = s.Area(10);
            var planner = new CityPlanner(shared);
            var rng = new Random(seed);
            var window = new TimeWindow(CityScenario.Departure, CityScenario.Departure.AddHours(1));

            // More distinct zone sets than the cache keeps, each asked twice in a shuffled order, with flights that add
            // their own blocked airspace in between (those must neither hit nor pollute the cache); clearances vary so the
            // coarse states cached per mask and layer thresholds rotate too.
            var sets = new List<List<Zone>>();
            for (int i = 0; i < CityArea.ZoneMaskCacheSize + 3; i++)
            {
                sets.Add([.. s.Zones.Where(_ => rng.NextDouble() < 0.5)]);
            }

            var order = Enumerable.Range(0, sets.Count).Concat(Enumerable.Range(0, sets.Count)).OrderBy(_ => rng.Next()).ToList();
            foreach (int i in order)
            {
                bool extra = rng.NextDouble() < 0.3;
                var request = new CityRouteRequest
                {
                    Stops = [s.At(-400, -400), s.At(400, 400)],
                    DepartureUtc = CityScenario.Departure,
                    Zones = sets[i],
                    NavigationAccuracyM = rng.Next(0, 3) * 10,
                    ClearanceM = 5 + (rng.Next(0, 6) * 10),
                    ExtraBlocked = extra ? [new CircleFootprint(s.At(rng.Next(-300, 300), rng.Next(-300, 300)), 60)] : [],
                };
                CityFlightGrid cached = planner.Prepare(request, window, Ct);
                CityFlightGrid fresh = new CityPlanner(s.Area(10)).Prepare(request, window, Ct);
                for (int y = 0; y < cached.H; y++)
                {
                    for (int x = 0; x < cached.W; x++)
                    {
                        Assert.True(fresh.ZoneBlocked(x, y) == cached.ZoneBlocked(x, y), $"set {i} (extra {extra}): cell ({x}, {y}) differs from a fresh stamp");
                    }
                }

                for (int cy = 0; cy < shared.CoarseHeight; cy++)
                {
                    for (int cx = 0; cx < shared.CoarseWidth; cx++)
                    {
                        for (int k = 0; k < cached.L; k++)
                        {
                            Assert.Equal(fresh.Coarse.State(cx, cy, k), cached.Coarse.State(cx, cy, k));
                        }
                    }
                }
            }
        }, iter: 6);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(6, 270)]
    [InlineData(6, 90)]
    public void ComputeCostToGo_OpenFlatAreaUniformWind_TimeToTheGoalWithTheWindTriangleAndDescent(double windMps, double fromDeg)
    {
        var s = new CityScenario(3, sizeM: 2000, buildings: 0, zones: 0, flat: true);
        CityArea area = s.Area(5);
        var planner = new CityPlanner(area);
        WindVector w = WindVector.FromSpeedDirection(windMps, fromDeg, 0);
        var request = new CityRouteRequest
        {
            Stops = [s.At(-800, 3), s.At(800, 3)],
            DepartureUtc = CityScenario.Departure,
            Wind = windMps > 0 ? new FunctionWind((_, _) => w) : null,
            LayersAglM = [60, 80],
            CruiseAltitudeAglM = 60,
        };
        CityFlightGrid grid = planner.Prepare(request, new TimeWindow(CityScenario.Departure, CityScenario.Departure.AddHours(1)), Ct);
        (double fx, double fy) = area.ToGrid(request.Stops[0]);
        (double tx, double ty) = area.ToGrid(request.Stops[1]);
        int sx = (int)fx, sy = (int)fy, gx = (int)tx, gy = (int)ty;
        var coarse = new CityCoarseSearch(area);
        double[] start = [60 / grid.ClimbMps, 80 / grid.ClimbMps];
        List<CityNode>? path = coarse.Run(grid, sx, sy, start, gx, gy, true, 1, Ct);
        Assert.NotNull(path);
        coarse.MarkCorridor(path, 2, area.CoarseWidth, area.CoarseHeight);
        coarse.ComputeCostToGo(grid, gx, gy, descend: true);

        int gcx = gx >> CityArea.CoarseShift, gcy = gy >> CityArea.CoarseShift, cw = area.CoarseWidth;
        double descent0 = 60 / grid.DescentMps, descent1 = 80 / grid.DescentMps;
        Assert.Equal(descent0, coarse.CostToGo((gcy * cw) + gcx, 0), 1e-9);
        Assert.Equal(descent1, coarse.CostToGo((gcy * cw) + gcx, 1), 1e-9);

        // West of the goal in its coarse row, flying east in layer 0 (factor 1): Σ segment length between the coarse
        // landmarks / ground speed (east: along = the wind's east component, no crosswind for 270°/90°), plus the
        // descent. Layer 1 costs the off-cruise factor unless descending to layer 0 first is cheaper.
        double gs = w.EastMps + Math.Sqrt((15 * 15) - (w.NorthMps * w.NorthMps));
        (double gX, double gY) = CityCoarseSearch.LandmarkOf(grid, gcx, gcy, gx, gy);
        (double nX, double nY) = CityCoarseSearch.LandmarkOf(grid, gcx - 1, gcy, gx, gy);
        double lastM = Math.Sqrt(((gX - nX) * (gX - nX)) + ((gY - nY) * (gY - nY))) * area.CellSizeM;
        for (int cx = gcx - 1; cx >= gcx - 20; cx--)
        {
            double straightM = lastM + ((gcx - 1 - cx) * CityArea.CoarseFactor * area.CellSizeM);
            double expected = (straightM / gs) + descent0;
            Assert.Equal(expected, coarse.CostToGo((gcy * cw) + cx, 0), expected * 1e-6);
            double upper = Math.Min((straightM / gs * request.OffCruiseLayerFactor) + descent1, (20 / grid.DescentMps) + expected);
            Assert.Equal(upper, coarse.CostToGo((gcy * cw) + cx, 1), upper * 1e-6);
        }

        // Outside the corridor: no estimate.
        Assert.True(double.IsPositiveInfinity(coarse.CostToGo(((gcy + 10) * cw) + gcx - 20, 0)));
    }
}
