using CsCheck;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Routing.City;

namespace Yunlu.Routing.Tests.City;

public sealed class CitySamplerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Plan_OpenFlatArea_StraightRouteWithThreeAltitudes()
    {
        var s = new CityScenario(1, buildings: 0, zones: 0, flat: true);
        var planner = new CityPlanner(s.Area());
        CityRoute route = planner.Plan(new CityRouteRequest { Stops = [s.At(-600, -600), s.At(600, 500)], DepartureUtc = CityScenario.Departure }, Ct);
        Assert.Equal(0, route.Waypoints[0].AltitudeAglM, 6);
        Assert.Equal(80, route.Waypoints[1].AltitudeAglM, 0);
        double straight = Math.Sqrt((1200 * 1200) + (1100 * 1100));
        Assert.InRange(route.LengthM, straight + 160 - 1, straight + 160 + 5);
        foreach (CityWaypoint w in route.Waypoints)
        {
            Assert.Equal(w.AltitudeAmslM + Egm96Geoid.Instance.UndulationM(w.Point), w.AltitudeW84M, 6);
            Assert.Equal(w.AltitudeAmslM - 1100, w.AltitudeAglM, 6);
        }
    }

    [Fact]
    public void Plan_RandomCities_IndependentSamplerFindsNoViolation()
    {
        int planned = 0;
        Gen.Select(Gen.Int[0, 1_000_000], Gen.Int[0, 80], Gen.Int[0, 6]).Sample((seed, buildings, zones) =>
        {
            var s = new CityScenario(seed, buildings: buildings, zones: zones);
            var planner = new CityPlanner(s.Area());
            var rng = new Random(seed);
            GeoPoint from = s.At(rng.Next(-700, 700), rng.Next(-700, 700)), to = s.At(rng.Next(-700, 700), rng.Next(-700, 700));
            var request = new CityRouteRequest { Stops = [from, to], DepartureUtc = CityScenario.Departure, Zones = s.Zones, ClearanceM = 20 };
            CityRoute route;
            try
            {
                route = planner.Plan(request, Ct);
            }
            catch (CityPlanningException ex)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Field));
                Assert.Contains(ex.Rule, new[] { "inside-prohibited-zone", "near-blocked-zone", "no-feasible-route", "obstacle-above-ceiling" });
                return;
            }

            planned++;
            IReadOnlyList<string> problems = RouteSampler.Violations(s, route, s.Zones, 20, 120);
            Assert.True(problems.Count == 0, string.Join("\n", problems.Take(10)));
            foreach (CityWaypoint w in route.Waypoints)
            {
                Assert.True(VolumesContain(route, w), $"waypoint {w.Point} at {w.AltitudeW84M} m W84, {w.Eta:O} outside every volume");
            }
        }, iter: 40);
        Assert.True(planned >= 10, $"only {planned} of 40 random scenarios were feasible");
    }

    [Fact]
    public void Plan_ViaWaypoints_PassesOverEach()
    {
        var s = new CityScenario(7, buildings: 30, zones: 0);
        var planner = new CityPlanner(s.Area());
        GeoPoint via = s.At(300, -400);
        CityRoute route = planner.Plan(new CityRouteRequest { Stops = [s.At(-600, 0), via, s.At(600, 600)], DepartureUtc = CityScenario.Departure }, Ct);
        Assert.Contains(route.Waypoints, w => Math.Abs(w.Point.LonDeg - via.LonDeg) < 1e-9 && Math.Abs(w.Point.LatDeg - via.LatDeg) < 1e-9);
        Assert.Empty(RouteSampler.Violations(s, route, [], 30, 120));
    }

    [Fact]
    public void Plan_AuthorisationZone_AvoidedUnlessAuthorised()
    {
        var s = new CityScenario(3, buildings: 0, zones: 0, flat: true);
        Zone auth = CityScenario.MakeZone("AUTH1", ZoneRestriction.ReqAuthorisation, new CircleFootprint(s.At(0, 0), 250));
        var planner = new CityPlanner(s.Area());
        var request = new CityRouteRequest { Stops = [s.At(-600, 0), s.At(600, 0)], DepartureUtc = CityScenario.Departure, Zones = [auth] };
        CityRoute avoided = planner.Plan(request, Ct);
        CityRoute through = planner.Plan(request with { ZoneAuthorisations = ["AUTH1"] }, Ct);
        Assert.Empty(RouteSampler.Violations(s, avoided, [auth], 30, 120));
        Assert.NotEmpty(RouteSampler.Violations(s, through, [auth], 30, 120));
        Assert.True(through.LengthM < avoided.LengthM);
    }

    [Fact]
    public void Plan_ZoneInactiveInWindow_Ignored()
    {
        var s = new CityScenario(3, buildings: 0, zones: 0, flat: true);
        var tomorrow = new ZoneApplicability(false, CityScenario.Departure.AddDays(1), CityScenario.Departure.AddDays(2), []);
        Zone later = CityScenario.MakeZone("LATER", ZoneRestriction.Prohibited, new CircleFootprint(s.At(0, 0), 250), tomorrow);
        var planner = new CityPlanner(s.Area());
        CityRoute route = planner.Plan(new CityRouteRequest { Stops = [s.At(-600, 0), s.At(600, 0)], DepartureUtc = CityScenario.Departure, Zones = [later] }, Ct);
        Assert.InRange(route.LengthM, 1200 + 160 - 1, 1200 + 160 + 1);
        CityRoute tomorrowRoute = planner.Plan(new CityRouteRequest { Stops = [s.At(-600, 0), s.At(600, 0)], DepartureUtc = CityScenario.Departure.AddDays(1).AddHours(1), Zones = [later] }, Ct);
        Assert.Empty(RouteSampler.Violations(s, tomorrowRoute, [later], 30, 120));
        Assert.True(tomorrowRoute.LengthM > route.LengthM + 50);
    }

    [Fact]
    public void Plan_TallBuildingOnTheLine_ClimbsOrGoesAround()
    {
        var s = new CityScenario(5, buildings: 0, zones: 0, flat: true);
        s.Obstacles.Add(new Yunlu.Terrain.Obstacle("tower", s.Rect(0, 0, 200, 200), 70, "building", null));
        var scenario = new CityScenario(5, buildings: 0, zones: 0, flat: true);
        scenario.Obstacles.AddRange(s.Obstacles);
        var area = new CityArea(new CityAreaData(scenario.Bounds, scenario.Elevation, new Yunlu.Terrain.SurfaceModel(scenario.Elevation, scenario.Obstacles)));
        CityRoute route = new CityPlanner(area).Plan(new CityRouteRequest { Stops = [scenario.At(-600, 0), scenario.At(600, 0)], DepartureUtc = CityScenario.Departure, ClearanceM = 30 }, Ct);
        Assert.Empty(RouteSampler.Violations(scenario, route, [], 30, 120));
    }

    private static bool VolumesContain(CityRoute route, CityWaypoint w)
    {
        foreach (Volume4D v in route.Volumes)
        {
            if (v.Time.Contains(w.Eta) && v.Volume.Contains(w.Point, Altitude.W84(w.AltitudeW84M)))
            {
                return true;
            }
        }

        return false;
    }
}
