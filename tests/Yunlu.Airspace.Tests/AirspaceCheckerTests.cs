using Yunlu.Airspace.Checks;
using Yunlu.Airspace.Corridors;
using Yunlu.Airspace.Grid;
using Yunlu.Airspace.Rules;
using Yunlu.Airspace.Zones;
using Yunlu.Formats;
using Yunlu.Geo;
using Yunlu.Terrain.Weather;

namespace Yunlu.Airspace.Tests;

public sealed class AirspaceCheckerTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 10, 1, 0, 0, TimeSpan.Zero); // 09:00 Beijing time
    private static readonly TimeWindow Window = new(T0, T0.AddHours(1));
    private static readonly Aircraft Micro = new(0.2, 0.24, 36);
    private static readonly Aircraft Small = new(10, 20, 90);

    /// <summary>Flat ground at 1100 m AMSL.</summary>
    private sealed class FlatGround(double amslM) : IGroundElevation
    {
        public bool TryGetGroundAmslM(GeoPoint p, out double groundAmslM)
        {
            groundAmslM = amslM;
            return true;
        }
    }

    private static CheckContext Flat => new(Ground: new FlatGround(1100));

    [Fact]
    public void Check_MicroAt40mInOpenAir_Green()
    {
        var checker = new AirspaceChecker([], RuleSet.China2024, Flat);
        CheckResult r = checker.Check(new CheckRequest(new PointCheck(new GeoPoint(106.6, 26.6), Altitude.Agl(40)), Window, Micro));
        Assert.Equal(Verdict.Green, r.Verdict);
        Assert.Equal(AircraftClass.Micro, r.Rules.Classification.Class);
        Assert.False(r.Rules.NeedsApplication);
        Assert.Contains(r.Reasons, x => x.Code == "open-airspace");
    }

    [Fact]
    public void Check_MicroAt80m_NeedsApplicationByNoonDayBefore()
    {
        var checker = new AirspaceChecker([], RuleSet.China2024, Flat);
        CheckResult r = checker.Check(new CheckRequest(new PointCheck(new GeoPoint(106.6, 26.6), Altitude.Amsl(1180)), Window, Micro));
        Assert.Equal(Verdict.NeedsAuthorisation, r.Verdict);
        Assert.Equal(80, r.Terrain!.MaxTrueHeightM, 6);
        Assert.Equal(new DateTimeOffset(2025, 6, 9, 12, 0, 0, TimeSpan.FromHours(8)), r.Rules.ApplicationDeadline);
    }

    [Fact]
    public void Check_PointInsideProhibitedZone_ProhibitedWithFloorCeilingInCallerReference()
    {
        Zone z = ZoneTestData.Zone("P1", new CircleFootprint(new GeoPoint(106.6, 26.6), 500), ZoneRestriction.Prohibited, Altitude.Agl(0), Altitude.Agl(120));
        var checker = new AirspaceChecker([z], RuleSet.China2024, Flat);
        CheckResult r = checker.Check(new CheckRequest(new PointCheck(new GeoPoint(106.6, 26.6), Altitude.Amsl(1140)), Window, Micro));
        Assert.Equal(Verdict.Prohibited, r.Verdict);
        ZoneCrossing c = Assert.Single(r.Zones);
        Assert.Equal(Altitude.Amsl(1100), c.FloorInCallerReference);
        Assert.Equal(Altitude.Amsl(1220), c.CeilingInCallerReference);
        Assert.Equal("zone-prohibited", r.Reasons[0].Code);
    }

    [Fact]
    public void Check_ChangingZone_ChangesVerdict()
    {
        Zone z = ZoneTestData.Zone("Z", new CircleFootprint(new GeoPoint(106.6, 26.6), 500), ZoneRestriction.ReqAuthorisation);
        var req = new CheckRequest(new PointCheck(new GeoPoint(106.6, 26.6), Altitude.Agl(40)), Window, Micro);
        Assert.Equal(Verdict.NeedsAuthorisation, new AirspaceChecker([z], RuleSet.China2024, Flat).Check(req).Verdict);
        Assert.Equal(Verdict.Prohibited, new AirspaceChecker([z with { Restriction = ZoneRestriction.Prohibited }], RuleSet.China2024, Flat).Check(req).Verdict);
        Assert.Equal(Verdict.Green, new AirspaceChecker([z with { Upper = Altitude.Agl(30) }], RuleSet.China2024, Flat).Check(req).Verdict);
        Zone later = z with { Applicability = [new ZoneApplicability(false, T0.AddHours(1), null, [])] };
        Assert.Equal(Verdict.Green, new AirspaceChecker([later], RuleSet.China2024, Flat).Check(req).Verdict);
    }

    [Fact]
    public void Check_RouteClimbingThroughZoneFloor_FindsEntryPoint()
    {
        // Zone from 100 m to 200 m AMSL-equivalent over x ∈ [106.60, 106.62]; the route climbs from 50 to 150 m AGL.
        Zone z = ZoneTestData.Zone("Z", new PolygonFootprint(ZoneTestData.Box(106.60, 26.59, 106.62, 26.61)), ZoneRestriction.ReqAuthorisation, Altitude.Agl(100), Altitude.Agl(200));
        var checker = new AirspaceChecker([z], RuleSet.China2024, Flat);
        var route = new RouteCheck([new RoutePoint(new GeoPoint(106.58, 26.60), Altitude.Agl(50)), new RoutePoint(new GeoPoint(106.62, 26.60), Altitude.Agl(150))]);
        CheckResult r = checker.Check(new CheckRequest(route, Window, Small));
        ZoneCrossing c = Assert.Single(r.Zones);
        Assert.Equal(106.60, c.FirstContact.LonDeg, 6); // altitude reaches 100 m exactly at the zone edge
        var low = new RouteCheck([new RoutePoint(new GeoPoint(106.58, 26.60), Altitude.Agl(50)), new RoutePoint(new GeoPoint(106.62, 26.60), Altitude.Agl(99))]);
        Assert.Empty(checker.Check(new CheckRequest(low, Window, Small)).Zones);
    }

    [Fact]
    public void Check_RoutesAgainstManyZones_IndexEqualsBruteForce()
    {
        var rng = new Random(42);
        List<Zone> zones = RandomZones(rng, 2000);
        var indexed = new AirspaceChecker(zones, RuleSet.China2024, Flat);
        var brute = new AirspaceChecker(zones, RuleSet.China2024, Flat, useSpatialIndex: false);
        for (int k = 0; k < 40; k++)
        {
            var pts = new List<RoutePoint>();
            for (int i = 0; i < 8; i++)
            {
                pts.Add(new RoutePoint(new GeoPoint(106.5 + (rng.NextDouble() * 0.4), 26.4 + (rng.NextDouble() * 0.4)), Altitude.Amsl(1100 + (rng.NextDouble() * 300))));
            }

            var req = new CheckRequest(new RouteCheck(pts), Window, Small);
            CheckResult a = indexed.Check(req), b = brute.Check(req);
            Assert.Equal(b.Zones.Select(z => z.ZoneId), a.Zones.Select(z => z.ZoneId));
            Assert.Equal(b.Verdict, a.Verdict);
            Assert.Equal(b.Zones, a.Zones, (x, y) => x.ZoneId == y.ZoneId && x.FirstContact == y.FirstContact && x.FloorInCallerReference == y.FloorInCallerReference);
        }
    }

    [Fact]
    public void Check_RouteZoneHits_AgreeWithDenseSampling()
    {
        var rng = new Random(7);
        List<Zone> zones = RandomZones(rng, 300);
        var checker = new AirspaceChecker(zones, RuleSet.China2024, Flat);
        var conv = new AltitudeConverter(Egm96Geoid.Instance, new FlatGround(1100));
        for (int k = 0; k < 15; k++)
        {
            var a = new RoutePoint(new GeoPoint(106.5 + (rng.NextDouble() * 0.4), 26.4 + (rng.NextDouble() * 0.4)), Altitude.Amsl(1100 + (rng.NextDouble() * 300)));
            var b = new RoutePoint(new GeoPoint(106.5 + (rng.NextDouble() * 0.4), 26.4 + (rng.NextDouble() * 0.4)), Altitude.Amsl(1100 + (rng.NextDouble() * 300)));
            HashSet<string> found = checker.Check(new CheckRequest(new RouteCheck([a, b]), Window, Small)).Zones.Select(z => z.ZoneId).ToHashSet();
            for (int s = 0; s <= 1500; s++)
            {
                double t = s / 1500.0;
                var p = new GeoPoint(a.Point.LonDeg + (t * (b.Point.LonDeg - a.Point.LonDeg)), a.Point.LatDeg + (t * (b.Point.LatDeg - a.Point.LatDeg)));
                double alt = a.Altitude.ValueM + (t * (b.Altitude.ValueM - a.Altitude.ValueM));
                foreach (Zone z in zones)
                {
                    if (z.Footprint.Contains(p) && alt >= conv.Convert(z.Lower, p, AltitudeReference.Amsl).ValueM && alt < conv.Convert(z.Upper, p, AltitudeReference.Amsl).ValueM)
                    {
                        Assert.Contains(z.Identifier, found); // every sampled hit is reported (no false negatives)
                    }
                }
            }
        }
    }

    [Fact]
    public void Check_DemoZones_LongdongbaoPointShowsAirportZones()
    {
        using FileStream f = File.OpenRead(TestData.PathOf("demo/zones-ed269.json"));
        ImportResult<Zone> zones = ZoneFiles.Read(f, "zones-ed269.json");
        Assert.True(zones.Ok, string.Join("; ", zones.Errors));
        var checker = new AirspaceChecker(zones.Items, RuleSet.China2024, new CheckContext(Ground: new FlatGround(1140)));
        CheckResult r = checker.Check(new CheckRequest(new PointCheck(new GeoPoint(106.8008, 26.5385), Altitude.Agl(50)), Window, Micro));
        Assert.Equal(Verdict.Prohibited, r.Verdict);
        Assert.Contains(r.Zones, z => z.ZoneId == "GY-AP01");
        Assert.Contains(r.Zones, z => z.ZoneId == "GY-AP02" && z.Verdict == Verdict.NeedsAuthorisation);
        Assert.All(r.Zones, z => Assert.StartsWith("GY-AP", z.ZoneId, StringComparison.Ordinal));
        ZoneCrossing ap = r.Zones.Single(z => z.ZoneId == "GY-AP01");
        Assert.Equal(Altitude.Agl(0), ap.FloorInCallerReference);
        Assert.Equal(2000 - 1140, ap.CeilingInCallerReference!.Value.ValueM, 6);
    }

    [Fact]
    public void Check_WithCorridorGridAndWind_ReportsAll()
    {
        var nodes = new[] { new AirwayNode("A", "A", AirwayNodeKind.Vertiport, new GeoPoint(106.60, 26.60)), new AirwayNode("B", "B", AirwayNodeKind.Vertiport, new GeoPoint(106.62, 26.60)) };
        var corridor = new Corridor("C1", "A-B", "A", "B", [nodes[0].Position, nodes[1].Position], 100, Altitude.Agl(60), Altitude.Agl(120), CorridorDirection.TwoWay, new SpeedBand(5, 15), 40);
        AirwayGraph graph = AirwayGraph.Create(nodes, [corridor]);
        Zone closed = ZoneTestData.Zone("X", new CircleFootprint(new GeoPoint(106.61, 26.60), 30), ZoneRestriction.Prohibited, Altitude.Agl(0), Altitude.Agl(50));
        GriddedAirspace grid = GriddedAirspace.Build(6, [closed], [corridor], T0);
        var spec = new WindGridSpec(106.5, 26.5, 0.1, 0.1, 3, 3);
        double[] e = Enumerable.Repeat(12.0, 9).ToArray(), n = new double[9];
        var wind = new WindField(spec, T0, TimeSpan.FromHours(1), 1, e, n, [], Enumerable.Repeat(0.03, 9).ToArray(), 10);
        var checker = new AirspaceChecker([], RuleSet.China2024, new CheckContext(Ground: new FlatGround(1100), Airways: graph, Grid: grid, Wind: wind));
        var route = new RouteCheck([new RoutePoint(new GeoPoint(106.60, 26.6001), Altitude.Agl(80)), new RoutePoint(new GeoPoint(106.62, 26.6001), Altitude.Agl(80))]);

        CheckResult r = checker.Check(new CheckRequest(route, Window, Small));

        Assert.Equal("C1", Assert.Single(r.Corridors).CorridorId);
        Assert.NotNull(r.Grid);
        Assert.True(r.Grid!.NotOpenCount > 0);
        Assert.Equal(Verdict.Prohibited, r.Verdict); // the grid cell under the closed zone is closed in 2-D
        Assert.True(r.Wind!.MaxSpeedMps > 12); // 12 m/s at 10 m grows with height
        Assert.Contains(r.Reasons, x => x.Code == "wind-above-limit");
    }

    [Fact]
    public void Check_Volume4D_UsesItsWindow()
    {
        Zone z = TemporaryAirspace.Create("T", "expo", new CircleFootprint(new GeoPoint(106.6, 26.6), 300), Altitude.Agl(0), Altitude.Agl(300), T0.AddHours(2), null);
        var checker = new AirspaceChecker([z], RuleSet.China2024, Flat);
        var vol = new Volume3D(new CircleFootprint(new GeoPoint(106.601, 26.6), 100), Altitude.Amsl(1120), Altitude.Amsl(1150));
        Assert.Equal(Verdict.Green, checker.Check(CheckRequest.ForVolume(new Volume4D(vol, Window), Micro)).Verdict);
        Assert.Equal(Verdict.Prohibited, checker.Check(CheckRequest.ForVolume(new Volume4D(vol, new TimeWindow(T0.AddHours(1.5), T0.AddHours(2.5))), Micro)).Verdict);
    }

    [Fact]
    public void Check_BadRoute_ClearError()
    {
        var checker = new AirspaceChecker([], RuleSet.China2024, Flat);
        ArgumentException ex = Assert.Throws<ArgumentException>(() => checker.Check(new CheckRequest(new RouteCheck(
            [new RoutePoint(new GeoPoint(106.6, 26.6), Altitude.Agl(50)), new RoutePoint(new GeoPoint(106.7, 26.6), Altitude.Amsl(1200))]), Window, Micro)));
        Assert.Contains("route.points[1].altitude", ex.Message);
    }

    [Fact]
    public void Check_BelowBuildings_ProhibitedBySurface()
    {
        var checker = new AirspaceChecker([], RuleSet.China2024, new CheckContext(Ground: new FlatGround(1100), SurfaceAmslM: _ => 1160));
        CheckResult r = checker.Check(new CheckRequest(new PointCheck(new GeoPoint(106.6, 26.6), Altitude.Agl(40)), Window, Micro));
        Assert.Equal(Verdict.Prohibited, r.Verdict);
        Assert.Contains(r.Reasons, x => x.Code == "below-surface");
    }

    internal static List<Zone> RandomZones(Random rng, int count)
    {
        var zones = new List<Zone>(count);
        for (int i = 0; i < count; i++)
        {
            double lon = 106.5 + (rng.NextDouble() * 0.4), lat = 26.4 + (rng.NextDouble() * 0.4);
            Footprint fp = rng.Next(2) == 0
                ? new CircleFootprint(new GeoPoint(lon, lat), 100 + (rng.NextDouble() * 900))
                : new PolygonFootprint(ZoneTestData.Box(lon, lat, lon + 0.002 + (rng.NextDouble() * 0.01), lat + 0.002 + (rng.NextDouble() * 0.01)));
            Altitude lower = rng.Next(2) == 0 ? Altitude.Agl(rng.NextDouble() * 100) : Altitude.Amsl(1100 + (rng.NextDouble() * 100));
            Altitude upper = lower.Reference == AltitudeReference.Agl ? Altitude.Agl(lower.ValueM + 50 + (rng.NextDouble() * 200)) : Altitude.Amsl(lower.ValueM + 50 + (rng.NextDouble() * 200));
            var restriction = (ZoneRestriction)rng.Next(4);
            zones.Add(ZoneTestData.Zone($"Z{i:D5}", fp, restriction, lower, upper));
        }

        return zones;
    }
}
