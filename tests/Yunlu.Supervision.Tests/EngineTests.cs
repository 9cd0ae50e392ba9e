using NetTopologySuite.Geometries;
using Yunlu.Geo;
using Yunlu.Supervision.Alerts;
using Yunlu.Supervision.Checks;
using Yunlu.Supervision.Tracks;

namespace Yunlu.Supervision.Tests;

public sealed class EngineTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint Origin = new(106.7, 26.6);
    private static readonly LocalTangentPlane Plane = new(Origin);

    private sealed class FlatGround(double groundAmslM) : IGroundElevation
    {
        public bool TryGetGroundAmslM(GeoPoint p, out double g)
        {
            g = groundAmslM;
            return true;
        }
    }

    private sealed class ConstantWind(double speedMps) : IWindField
    {
        public bool TryGetWindSpeedMps(GeoPoint p, double altitudeW84M, DateTimeOffset at, out double speed)
        {
            speed = speedMps;
            return true;
        }
    }

    private static PositionReport At(string id, double s, double eastM, double northM, Altitude alt, VelocityNed? v = null, PositionSourceKind src = PositionSourceKind.Network, IdentityKind kind = IdentityKind.Platform) =>
        new(T0.AddSeconds(s), new AircraftIdentity(kind, id), src, Plane.Inverse(new PlanarPoint(eastM, northM)), alt, v);

    private static SupervisionEngine Engine(SupervisionOptions? o = null, IGroundElevation? ground = null, IWindField? wind = null, IEnumerable<SupervisedIntent>? intents = null) =>
        new(new TrackStore(Origin, new AltitudeConverter(Egm96Geoid.Instance, ground)), [], intents ?? [], o, wind);

    [Fact]
    public void Ceiling_AboveTrueHeight_RaisedThenCleared()
    {
        SupervisionEngine e = Engine(ground: new FlatGround(1100));
        var ev = new List<AlertEvent>();
        e.Ingest(At("D", 0, 0, 0, Altitude.Amsl(1230)));
        e.RunCycle(T0, ev);
        Assert.Single(ev, x => x.Kind == AlertKind.Ceiling && x.Event == AlertEventType.Raised);
        Track t = e.Tracks.Find("D")!;
        Assert.Equal(130, t.AltAglM, 6);
        Assert.Equal(1230 + Egm96Geoid.Instance.UndulationM(t.Position), t.AltW84M, 6);
        ev.Clear();
        e.Ingest(At("D", 1, 0, 0, Altitude.Agl(100)));
        e.RunCycle(T0.AddSeconds(1), ev);
        Assert.Single(ev, x => x.Kind == AlertKind.Ceiling && x.Event == AlertEventType.Cleared);
    }

    [Fact]
    public void Ceiling_NoGroundData_NotRaised()
    {
        SupervisionEngine e = Engine();
        var ev = new List<AlertEvent>();
        e.Ingest(At("D", 0, 0, 0, Altitude.Amsl(5000)));
        e.RunCycle(T0, ev);
        Assert.Empty(ev);
        Assert.True(double.IsNaN(e.Tracks.Find("D")!.AltAglM));
    }

    [Fact]
    public void NoIntent_RequiredAndMissing_RaisedForDronesOnly()
    {
        SupervisionEngine e = Engine(new SupervisionOptions { RequireIntent = true });
        var ev = new List<AlertEvent>();
        e.Ingest(At("D", 0, 0, 0, Altitude.Amsl(1200)));
        e.Ingest(At("780ABC", 0, 5000, 0, Altitude.Amsl(3000), src: PositionSourceKind.AdsB, kind: IdentityKind.IcaoAddress));
        e.RunCycle(T0, ev);
        AlertEvent only = Assert.Single(ev);
        Assert.Equal(AlertKind.NoIntent, only.Kind);
        Assert.Equal("D", only.Aircraft);
    }

    [Fact]
    public void WindLimit_WindAboveLimit_Raised()
    {
        SupervisionEngine e = Engine(wind: new ConstantWind(15));
        var ev = new List<AlertEvent>();
        e.Ingest(At("D", 0, 0, 0, Altitude.Amsl(1200)));
        e.RunCycle(T0, ev);
        Assert.Single(ev, x => x.Kind == AlertKind.WindLimit);
    }

    [Fact]
    public void Acknowledge_ActiveAlert_EmitsAcknowledgedAndKeepsItActive()
    {
        SupervisionEngine e = Engine(wind: new ConstantWind(15));
        var ev = new List<AlertEvent>();
        e.Ingest(At("D", 0, 0, 0, Altitude.Amsl(1200)));
        e.RunCycle(T0, ev);
        long id = ev[0].AlertId;
        ev.Clear();
        Assert.True(e.Acknowledge(id, "supervisor1", T0, ev));
        Assert.Equal(AlertEventType.Acknowledged, Assert.Single(ev).Event);
        Assert.Equal("supervisor1", e.Alerts.Active()[0].AcknowledgedBy);
        Assert.False(e.Acknowledge(id + 100, "x", T0, ev));
    }

    [Fact]
    public void IdentityFusion_TwoSources_OneTrack()
    {
        SupervisionEngine e = Engine();
        e.Tracks.Identities.Link(new AircraftIdentity(IdentityKind.SerialNumber, "1596F123"), "D1");
        e.Tracks.Identities.Link(new AircraftIdentity(IdentityKind.MavlinkSystem, "mav:7"), "D1");
        e.Ingest(At("1596F123", 0, 0, 0, Altitude.Amsl(1200), src: PositionSourceKind.AstmRemoteId, kind: IdentityKind.SerialNumber));
        e.Ingest(At("mav:7", 1, 10, 0, Altitude.Amsl(1200), src: PositionSourceKind.Mavlink, kind: IdentityKind.MavlinkSystem));
        Assert.Equal(1, e.Tracks.Count);
        Track t = e.Tracks.Find("D1")!;
        Assert.Equal(2, t.Updates);
        Assert.Equal((1 << (int)PositionSourceKind.AstmRemoteId) | (1 << (int)PositionSourceKind.Mavlink), t.SourcesMask);
        Assert.Equal(10, t.VelEastMps, 3);
    }

    [Fact]
    public void Track_History_IsBoundedAndOrdered()
    {
        var store = new TrackStore(Origin, AltitudeConverter.Egm96Only, historyCapacity: 4);
        for (int i = 0; i < 10; i++)
        {
            store.Ingest(At("D", i, i, 0, Altitude.Amsl(1200)));
        }

        IReadOnlyList<TrackPoint> h = store.Find("D")!.History();
        Assert.Equal(4, h.Count);
        Assert.Equal([6, 7, 8, 9], h.Select(p => (int)(p.Time - T0).TotalSeconds));
    }

    [Fact]
    public void Track_OutOfOrderReport_KeptOutOfTheState()
    {
        var store = new TrackStore(Origin, AltitudeConverter.Egm96Only);
        store.Ingest(At("D", 5, 50, 0, Altitude.Amsl(1200)));
        store.Ingest(At("D", 3, 30, 0, Altitude.Amsl(1200)));
        Track t = store.Find("D")!;
        Assert.Equal(1, t.OutOfOrder);
        Assert.Equal(50, t.EastM, 6);
    }

    [Fact]
    public void Ingest_InvalidReport_CountedAndDropped()
    {
        var store = new TrackStore(Origin, AltitudeConverter.Egm96Only);
        Assert.Null(store.Ingest(new PositionReport(T0, new AircraftIdentity(IdentityKind.Platform, "D"), PositionSourceKind.Network, new GeoPoint(200, 0), Altitude.Amsl(0))));
        Assert.Null(store.Ingest(new PositionReport(T0, new AircraftIdentity(IdentityKind.Platform, "D"), PositionSourceKind.Network, new GeoPoint(0, 0), Altitude.Amsl(double.NaN))));
        Assert.Equal(2, store.Rejected);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Advisory_MannedTraffic_DroneGivesWay()
    {
        SupervisionEngine e = Engine();
        var ev = new List<AlertEvent>();
        e.Ingest(At("780ABC", 0, 100, 0, Altitude.Amsl(1250), new VelocityNed(0, -20, 0), PositionSourceKind.AdsB, IdentityKind.IcaoAddress));
        e.Ingest(At("D", 0, 0, 0, Altitude.Amsl(1200), new VelocityNed(0, 5, 0)));
        e.RunCycle(T0, ev);
        AlertEvent loss = Assert.Single(ev, x => x.Kind == AlertKind.SeparationLoss);
        Assert.Equal("D", loss.Advisory!.Aircraft);
        Assert.Equal(AdvisoryManeuver.Descend, loss.Advisory.Maneuver);
        Assert.Equal(AlertLevel.Warning, loss.Level);
    }

    [Fact]
    public void Advisory_Crossing_AircraftWithOtherOnItsRightGivesWay()
    {
        SupervisionEngine e = Engine();
        var ev = new List<AlertEvent>();
        // A flies north from the south, B flies east from the west: A sees B on its left, B sees A on its right.
        e.Ingest(At("A", 0, 0, -300, Altitude.Amsl(1200), new VelocityNed(10, 0, 0)));
        e.Ingest(At("B", 0, -300, 0, Altitude.Amsl(1200), new VelocityNed(0, 10, 0)));
        e.RunCycle(T0, ev);
        AlertEvent p = Assert.Single(ev);
        Assert.Equal(AlertKind.SeparationPredicted, p.Kind);
        Assert.Equal(AlertLevel.Advisory, p.Level);
        Assert.Equal("B", p.Advisory!.Aircraft);
        Assert.Equal(AdvisoryManeuver.Hold, p.Advisory.Maneuver);
    }

    [Fact]
    public void Advisory_HeadOn_TurnRight()
    {
        SupervisionEngine e = Engine();
        var ev = new List<AlertEvent>();
        e.Ingest(At("A", 0, -100, 0, Altitude.Amsl(1200), new VelocityNed(0, 10, 0)));
        e.Ingest(At("B", 0, 100, 0, Altitude.Amsl(1200), new VelocityNed(0, -10, 0)));
        e.RunCycle(T0, ev);
        AlertEvent p = Assert.Single(ev);
        Assert.Equal(AlertLevel.Caution, p.Level);
        Assert.Equal(AdvisoryManeuver.TurnRight, p.Advisory!.Maneuver);
    }

    [Fact]
    public void Advisory_ClimbingThrough_ClimberHolds()
    {
        SupervisionEngine e = Engine();
        var ev = new List<AlertEvent>();
        e.Ingest(At("A", 0, 0, 0, Altitude.Amsl(1200), new VelocityNed(0, 0, 0)));
        e.Ingest(At("B", 0, 30, 0, Altitude.Amsl(1180), new VelocityNed(0, 0, -2)));
        e.RunCycle(T0, ev);
        AlertEvent p = Assert.Single(ev);
        Assert.Equal("B", p.Advisory!.Aircraft);
        Assert.Equal(AdvisoryManeuver.Hold, p.Advisory.Maneuver);
    }

    [Fact]
    public void Advisory_ConformingDroneHasPriority()
    {
        Polygon corridor = FootprintGeometry.Factory.CreatePolygon(
        [
            new Coordinate(106.69, 26.59), new Coordinate(106.71, 26.59), new Coordinate(106.71, 26.61), new Coordinate(106.69, 26.61), new Coordinate(106.69, 26.59),
        ]);
        var intent = new SupervisedIntent("I", "Z", SupervisedIntentState.Activated,
            [new Volume4D(new Volume3D(new PolygonFootprint(corridor), Altitude.Amsl(1100), Altitude.Amsl(1300)), new TimeWindow(T0, T0.AddHours(1)))]);
        SupervisionEngine e = Engine(intents: [intent]);
        var ev = new List<AlertEvent>();
        e.Ingest(At("A", 0, 0, 0, Altitude.Amsl(1200), new VelocityNed(0, 10, 0)));
        e.Ingest(At("Z", 0, 100, 0, Altitude.Amsl(1200), new VelocityNed(0, -10, 0)));
        e.RunCycle(T0, ev);
        AlertEvent p = Assert.Single(ev);
        Assert.Equal("A", p.Advisory!.Aircraft);
        Assert.Equal(SupervisedIntentState.Activated, e.IntentState("I"));
    }

    [Fact]
    public void Separation_GridAndAllPairsEngines_RaiseTheSameAlerts()
    {
        var rng = new Random(11);
        var reports = new List<PositionReport>();
        for (int i = 0; i < 300; i++)
        {
            double h = rng.NextDouble() * 2 * Math.PI;
            reports.Add(At("D" + i, 0, rng.NextDouble() * 3000, rng.NextDouble() * 3000, Altitude.Amsl(1150 + (rng.NextDouble() * 100)),
                new VelocityNed(10 * Math.Cos(h), 10 * Math.Sin(h), 0)));
        }

        List<string> Run(bool allPairs)
        {
            SupervisionEngine e = Engine(new SupervisionOptions { SeparationAllPairs = allPairs });
            var ev = new List<AlertEvent>();
            foreach (PositionReport r in reports)
            {
                e.Ingest(r);
            }

            e.RunCycle(T0, ev);
            return ev.Select(x => $"{x.Kind} {x.Aircraft} {x.Other} {x.Level} {x.Advisory}").ToList();
        }

        List<string> grid = Run(false);
        Assert.NotEmpty(grid);
        Assert.Equal(Run(true), grid);
    }
}
