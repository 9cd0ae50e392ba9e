using CsCheck;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Supervision.Alerts;
using Yunlu.Supervision.Checks;
using Yunlu.Supervision.Tracks;
using Yunlu.Terrain.Weather;

namespace Yunlu.Supervision.Tests;

/// <summary>Stale tracks, proximity fusion, registry links, the wind-field adapter, advisories and the zone grid.</summary>
public sealed class CompletenessTests
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

    private static PositionReport At(string id, double s, double eastM, double northM, Altitude alt, VelocityNed? v = null,
        PositionSourceKind src = PositionSourceKind.Network, IdentityKind kind = IdentityKind.Platform) =>
        new(T0.AddSeconds(s), new AircraftIdentity(kind, id), src, Plane.Inverse(new PlanarPoint(eastM, northM)), alt, v);

    private static SupervisionEngine Engine(SupervisionOptions? o = null, IGroundElevation? ground = null, IWindField? wind = null,
        IEnumerable<Zone>? zones = null) =>
        new(new TrackStore(Origin, new AltitudeConverter(Egm96Geoid.Instance, ground)), zones ?? [], [], o, wind);

    private static List<AlertEvent> Cycle(SupervisionEngine e, double s)
    {
        var ev = new List<AlertEvent>();
        e.RunCycle(T0.AddSeconds(s), ev);
        return ev;
    }

    [Fact]
    public void StaleTrack_SilentPastStaleTime_LeavesStoreAndLostLinkClears()
    {
        SupervisionEngine e = Engine(new SupervisionOptions { LostLinkS = 15, StaleTrackS = 60 });
        e.Ingest(At("S", 0, 0, 0, Altitude.Amsl(1200)));
        e.Ingest(At("K", 0, 5000, 0, Altitude.Amsl(1200)));
        var raised = new List<AlertEvent>();
        for (int s = 0; s <= 59; s++)
        {
            e.Ingest(At("K", s, 5000, 0, Altitude.Amsl(1200)));
            raised.AddRange(Cycle(e, s));
        }

        AlertEvent lost = Assert.Single(raised);
        Assert.Equal((AlertKind.LostLink, AlertEventType.Raised, "S", T0.AddSeconds(15)), (lost.Kind, lost.Event, lost.Aircraft, lost.Time));
        Assert.Equal(2, e.Tracks.Count);

        e.Ingest(At("K", 60, 5000, 0, Altitude.Amsl(1200)));
        List<AlertEvent> at60 = Cycle(e, 60);
        AlertEvent cleared = Assert.Single(at60);
        Assert.Equal((AlertKind.LostLink, AlertEventType.Cleared, "S", lost.AlertId), (cleared.Kind, cleared.Event, cleared.Aircraft, cleared.AlertId));
        Assert.Equal(1, e.Tracks.Count);
        Assert.Null(e.Tracks.Find("S"));
        Track k = e.Tracks.Find("K")!;
        Assert.Equal(0, k.Index);
        Assert.Same(k, e.Tracks.All[0]);
        Assert.Equal(1, e.Tracks.Removals);
    }

    [Fact]
    public void StaleTrack_ComesBack_NewTrackWithSameSerial()
    {
        SupervisionEngine e = Engine(new SupervisionOptions { StaleTrackS = 30 });
        e.Ingest(At("S", 0, 0, 0, Altitude.Amsl(1200)));
        int serial = e.Tracks.Find("S")!.Serial;
        Cycle(e, 0);
        Cycle(e, 30);
        Assert.Equal(0, e.Tracks.Count);
        Track again = e.Ingest(At("S", 31, 0, 0, Altitude.Amsl(1200)))!;
        Assert.Equal(serial, again.Serial);
        Assert.Equal(1, again.Updates);
        Assert.Empty(Cycle(e, 31));
    }

    [Fact]
    public void StaleTrack_ZeroMeansNever()
    {
        SupervisionEngine e = Engine(new SupervisionOptions { StaleTrackS = 0 });
        e.Ingest(At("S", 0, 0, 0, Altitude.Amsl(1200)));
        Cycle(e, 0);
        Assert.Contains(Cycle(e, 10_000), x => x.Kind == AlertKind.LostLink && x.Event == AlertEventType.Raised);
        Assert.Equal(1, e.Tracks.Count);
    }

    [Theory]
    [InlineData(15.0)]
    [InlineData(10.0)]
    public void Options_StaleNotAboveLostLink_RejectedNamingTheField(double staleS)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Engine(new SupervisionOptions { LostLinkS = 15, StaleTrackS = staleS }));
        Assert.Equal(nameof(SupervisionOptions.StaleTrackS), ex.ParamName);
    }

    [Fact]
    public void RemoveStale_ManyTracks_IndicesStayDenseAndConsistent()
    {
        var store = new TrackStore(Origin, AltitudeConverter.Egm96Only);
        var rng = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            store.Ingest(At("T" + i, rng.Next(0, 100), i, 0, Altitude.Amsl(1200)));
        }

        var removed = new List<Track>();
        int n = store.RemoveStale(T0.AddSeconds(150), 100, removed);
        Assert.Equal(n, removed.Count);
        Assert.All(removed, t => Assert.True(t.LastTime <= T0.AddSeconds(50)));
        Assert.Equal(200 - n, store.Count);
        for (int k = 0; k < store.Count; k++)
        {
            Track t = store.All[k];
            Assert.Equal(k, t.Index);
            Assert.Same(t, store.Find(t.Id));
            Assert.True(t.LastTime > T0.AddSeconds(50));
        }
    }

    [Fact]
    public void Fusion_RemoteIdAndMavlinkOfOneDrone_BecomeOneTrackWithoutAlerts()
    {
        SupervisionEngine e = Engine(new SupervisionOptions { FusionHorizontalM = 15 });
        var v = new VelocityNed(0, 5, 0);
        e.Ingest(At("1596F0001", 0, 0, 0, Altitude.Amsl(1200), v, PositionSourceKind.AstmRemoteId, IdentityKind.SerialNumber));
        e.Ingest(At("mav:7", 0, 3, 2, Altitude.Amsl(1202), v, PositionSourceKind.Mavlink, IdentityKind.MavlinkSystem));
        Assert.Empty(Cycle(e, 0));
        Assert.Equal(1, e.Fusions);
        Assert.Empty(e.LastConflicts);

        e.Ingest(At("mav:7", 1, 8, 0, Altitude.Amsl(1200), v, PositionSourceKind.Mavlink, IdentityKind.MavlinkSystem));
        Assert.Empty(Cycle(e, 1));
        Track t = Assert.Single(e.Tracks.All);
        Assert.Equal("1596F0001", t.Id);
        Assert.Equal((1 << (int)PositionSourceKind.AstmRemoteId) | (1 << (int)PositionSourceKind.Mavlink), t.SourcesMask);
        Assert.Equal(8, t.EastM, 6);
        Assert.Equal("1596F0001", e.Tracks.Identities.Resolve(new AircraftIdentity(IdentityKind.MavlinkSystem, "mav:7")));
    }

    [Fact]
    public void Fusion_Off_TwoSourcesStayTwoTracksInConflict()
    {
        SupervisionEngine e = Engine();
        e.Ingest(At("1596F0001", 0, 0, 0, Altitude.Amsl(1200), null, PositionSourceKind.AstmRemoteId, IdentityKind.SerialNumber));
        e.Ingest(At("mav:7", 0, 3, 2, Altitude.Amsl(1202), null, PositionSourceKind.Mavlink, IdentityKind.MavlinkSystem));
        Assert.Single(Cycle(e, 0), x => x.Kind == AlertKind.SeparationLoss);
        Assert.Equal(2, e.Tracks.Count);
    }

    [Fact]
    public void Fusion_SameSourceKindOrDifferentVelocity_NotFused()
    {
        SupervisionEngine e = Engine(new SupervisionOptions { FusionHorizontalM = 15 });
        // Two Remote ID drones side by side (same source kind: two aircraft), and a MAVLink one crossing fast.
        e.Ingest(At("A", 0, 0, 0, Altitude.Amsl(1200), new VelocityNed(0, 5, 0), PositionSourceKind.AstmRemoteId, IdentityKind.SerialNumber));
        e.Ingest(At("B", 0, 5, 0, Altitude.Amsl(1200), new VelocityNed(0, 5, 0), PositionSourceKind.AstmRemoteId, IdentityKind.SerialNumber));
        e.Ingest(At("mav:1", 0, 2000, 0, Altitude.Amsl(1200), new VelocityNed(0, 5, 0), PositionSourceKind.AstmRemoteId, IdentityKind.SerialNumber));
        e.Ingest(At("mav:2", 0, 2003, 0, Altitude.Amsl(1200), new VelocityNed(10, 0, 0), PositionSourceKind.Mavlink, IdentityKind.MavlinkSystem));
        List<AlertEvent> ev = Cycle(e, 0);
        Assert.Equal(0, e.Fusions);
        Assert.Equal(2, ev.Count(x => x.Kind == AlertKind.SeparationLoss));
    }

    [Fact]
    public void Fusion_AmbiguousThreeWay_NotFused()
    {
        SupervisionEngine e = Engine(new SupervisionOptions { FusionHorizontalM = 15 });
        e.Ingest(At("R", 0, 0, 0, Altitude.Amsl(1200), null, PositionSourceKind.AstmRemoteId, IdentityKind.SerialNumber));
        e.Ingest(At("mav:1", 0, 4, 0, Altitude.Amsl(1200), null, PositionSourceKind.Mavlink, IdentityKind.MavlinkSystem));
        e.Ingest(At("G", 0, -4, 0, Altitude.Amsl(1200), null, PositionSourceKind.GbRemoteId, IdentityKind.SerialNumber));
        Cycle(e, 0);
        Assert.Equal(0, e.Fusions);
        Assert.Equal(3, e.Tracks.Count);
    }

    [Fact]
    public void Fusion_DistancesNotBelowMinima_Rejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Engine(new SupervisionOptions { FusionHorizontalM = 60 }));
        Assert.Equal(nameof(SupervisionOptions.FusionHorizontalM), ex.ParamName);
    }

    [Fact]
    public void Registry_LinkAll_RegisteredIdentitiesFeedTheSerialTrack()
    {
        SupervisionEngine e = Engine();
        e.Tracks.Identities.LinkAll("1596F0002", [new AircraftIdentity(IdentityKind.MavlinkSystem, "mav:9"), new AircraftIdentity(IdentityKind.Registration, "UAS-GZ-1")]);
        e.Ingest(At("1596F0002", 0, 0, 0, Altitude.Amsl(1200), null, PositionSourceKind.GbRemoteId, IdentityKind.SerialNumber));
        e.Ingest(At("mav:9", 1, 10, 0, Altitude.Amsl(1200), null, PositionSourceKind.Mavlink, IdentityKind.MavlinkSystem));
        e.Ingest(At("UAS-GZ-1", 2, 20, 0, Altitude.Amsl(1200), null, PositionSourceKind.Network, IdentityKind.Registration));
        Track t = Assert.Single(e.Tracks.All);
        Assert.Equal(3, t.Updates);
        Assert.True(e.Tracks.Identities.Unlink(new AircraftIdentity(IdentityKind.MavlinkSystem, "mav:9")));
        e.Ingest(At("mav:9", 3, 30, 0, Altitude.Amsl(1200), null, PositionSourceKind.Mavlink, IdentityKind.MavlinkSystem));
        Assert.Equal(2, e.Tracks.Count);
    }

    private static WindField UniformWind(double eastMps, double z0M)
    {
        var spec = new WindGridSpec(106.6, 26.5, 0.1, 0.1, 3, 3);
        double[] e = Enumerable.Repeat(eastMps, 9).ToArray();
        return new WindField(spec, T0, TimeSpan.FromHours(1), 1, e, new double[9], [], Enumerable.Repeat(z0M, 9).ToArray(), 10);
    }

    [Fact]
    public void WindAdapter_LogProfileAtTrueHeight_KnownAnswer()
    {
        var converter = new AltitudeConverter(Egm96Geoid.Instance, new FlatGround(1100));
        var adapter = new WindFieldAdapter(UniformWind(8, 0.03), converter);
        GeoPoint p = Origin;
        double w84 = converter.Convert(Altitude.Amsl(1200), p, AltitudeReference.W84).ValueM;
        Assert.True(adapter.TryGetWindSpeedMps(p, w84, T0, out double speed));
        // 8 m/s at 10 m, z0 = 0.03 m, at 100 m AGL: 8 · ln(100/0.03) / ln(10/0.03).
        Assert.Equal(8 * Math.Log(100 / 0.03) / Math.Log(10 / 0.03), speed, 6);
        Assert.False(adapter.TryGetWindSpeedMps(new GeoPoint(110, 30), w84, T0, out _));
        var noGround = new WindFieldAdapter(UniformWind(8, 0.03), AltitudeConverter.Egm96Only);
        Assert.False(noGround.TryGetWindSpeedMps(p, w84, T0, out _));
        var fallback = new WindFieldAdapter(UniformWind(8, 0.03), AltitudeConverter.Egm96Only, fallbackHeightAglM: 10);
        Assert.True(fallback.TryGetWindSpeedMps(p, w84, T0, out double at10));
        Assert.Equal(8, at10, 6);
    }

    [Fact]
    public void WindLimit_RealField_RaisedAboveLimitOnlyAndPerAircraftLimitApplies()
    {
        // 9 m/s at 10 m over open ground is 9 · ln(100/0.03)/ln(10/0.03) ≈ 12.6 m/s at 100 m AGL and ≈ 9.0 m/s at 10 m.
        var ground = new FlatGround(1100);
        var converter = new AltitudeConverter(Egm96Geoid.Instance, ground);
        var e = new SupervisionEngine(new TrackStore(Origin, converter), [], [], new SupervisionOptions { WindLimitMps = 12 },
            new WindFieldAdapter(UniformWind(9, 0.03), converter));
        e.Ingest(At("HIGH", 0, 0, 0, Altitude.Agl(100)));
        e.Ingest(At("LOW", 0, 1000, 0, Altitude.Agl(10)));
        e.Ingest(At("STRONG", 0, 2000, 0, Altitude.Agl(100)));
        e.SetWindLimit("STRONG", 15);
        List<AlertEvent> ev = Cycle(e, 0);
        AlertEvent w = Assert.Single(ev);
        Assert.Equal((AlertKind.WindLimit, "HIGH", AlertLevel.Caution), (w.Kind, w.Aircraft, w.Level));
        e.SetWindLimit("STRONG", null);
        e.Ingest(At("HIGH", 1, 0, 0, Altitude.Agl(100)));
        e.Ingest(At("LOW", 1, 1000, 0, Altitude.Agl(10)));
        e.Ingest(At("STRONG", 1, 2000, 0, Altitude.Agl(100)));
        Assert.Single(Cycle(e, 1), x => x.Kind == AlertKind.WindLimit && x.Aircraft == "STRONG" && x.Event == AlertEventType.Raised);
        Assert.Throws<ArgumentOutOfRangeException>(() => e.SetWindLimit("X", -1));
    }

    [Fact]
    public void Advisory_Overtaking_AircraftBehindHolds()
    {
        SupervisionEngine e = Engine();
        e.Ingest(At("A", 0, 0, 0, Altitude.Amsl(1200), new VelocityNed(0, 5, 0)));
        e.Ingest(At("B", 0, -200, 0, Altitude.Amsl(1200), new VelocityNed(0, 15, 0)));
        AlertEvent p = Assert.Single(Cycle(e, 0));
        Assert.Equal(AlertKind.SeparationPredicted, p.Kind);
        Assert.Equal(("B", AdvisoryManeuver.Hold), (p.Advisory!.Aircraft, p.Advisory.Maneuver));
        Assert.StartsWith("overtaking", p.Advisory.Reason, StringComparison.Ordinal);
        // B behind A gives way even when the ids are the other way round.
        SupervisionEngine f = Engine();
        f.Ingest(At("B", 0, 0, 0, Altitude.Amsl(1200), new VelocityNed(0, 5, 0)));
        f.Ingest(At("A", 0, -200, 0, Altitude.Amsl(1200), new VelocityNed(0, 15, 0)));
        Assert.Equal("A", Assert.Single(Cycle(f, 0)).Advisory!.Aircraft);
    }

    [Fact]
    public void Advisory_MovingTowardsHovering_MovingOneHolds()
    {
        SupervisionEngine e = Engine();
        e.Ingest(At("A", 0, 0, 0, Altitude.Amsl(1200), new VelocityNed(0, 0, 0)));
        e.Ingest(At("B", 0, 200, 0, Altitude.Amsl(1200), new VelocityNed(0, -10, 0)));
        AlertEvent p = Assert.Single(Cycle(e, 0));
        Assert.Equal(("B", AdvisoryManeuver.Hold), (p.Advisory!.Aircraft, p.Advisory.Maneuver));
    }

    [Fact]
    public void Advisory_MannedBelow_DroneClimbs()
    {
        SupervisionEngine e = Engine();
        e.Ingest(At("780ABC", 0, 300, 0, Altitude.Amsl(1150), new VelocityNed(0, -40, 0), PositionSourceKind.AdsB, IdentityKind.IcaoAddress));
        e.Ingest(At("D", 0, 0, 0, Altitude.Amsl(1200), new VelocityNed(0, 0, 0)));
        AlertEvent p = Assert.Single(Cycle(e, 0));
        Assert.Equal(AlertKind.SeparationLoss, p.Kind);
        Assert.Equal(("D", AdvisoryManeuver.Climb), (p.Advisory!.Aircraft, p.Advisory.Maneuver));
    }

    [Fact]
    public void Advisory_ChangesWithGeometry_UpdatedEventWithoutNewAlert()
    {
        // A manned aircraft passes the drone: above it first (drone descends), then the drone climbs above it.
        SupervisionEngine e = Engine();
        e.Ingest(At("780ABC", 0, 400, 0, Altitude.Amsl(1250), new VelocityNed(0, -40, 0), PositionSourceKind.AdsB, IdentityKind.IcaoAddress));
        e.Ingest(At("D", 0, 0, 0, Altitude.Amsl(1200), new VelocityNed(0, 0, 0)));
        AlertEvent raised = Assert.Single(Cycle(e, 0));
        Assert.Equal(AdvisoryManeuver.Descend, raised.Advisory!.Maneuver);
        e.Ingest(At("780ABC", 1, 360, 0, Altitude.Amsl(1250), new VelocityNed(0, -40, 0), PositionSourceKind.AdsB, IdentityKind.IcaoAddress));
        e.Ingest(At("D", 1, 0, 0, Altitude.Amsl(1260), new VelocityNed(0, 0, 0)));
        AlertEvent updated = Assert.Single(Cycle(e, 1));
        Assert.Equal((AlertEventType.Updated, raised.AlertId, AdvisoryManeuver.Climb), (updated.Event, updated.AlertId, updated.Advisory!.Maneuver));
    }

    [Fact]
    public void ZoneGrid_RandomZonesAndTraffic_SameEventsAsLinearScan()
    {
        Gen.Select(Gen.Int, Gen.Int[1, 60], Gen.Int[1, 300]).Sample(t =>
        {
            (int seed, int zoneCount, int drones) = t;
            var rng = new Random(seed);
            var zones = new List<Zone>();
            for (int z = 0; z < zoneCount; z++)
            {
                GeoPoint c = Plane.Inverse(new PlanarPoint((rng.NextDouble() - 0.5) * 20_000, (rng.NextDouble() - 0.5) * 20_000));
                double r = 100 + (rng.NextDouble() * 3000);
                Footprint fp = rng.Next(2) == 0
                    ? new CircleFootprint(c, r)
                    : new PolygonFootprint(FootprintGeometry.Factory.CreatePolygon(
                    [
                        new Coordinate(c.LonDeg - 0.01, c.LatDeg - 0.008), new Coordinate(c.LonDeg + 0.012, c.LatDeg - 0.006),
                        new Coordinate(c.LonDeg + 0.004, c.LatDeg + 0.01), new Coordinate(c.LonDeg - 0.01, c.LatDeg - 0.008),
                    ]));
                zones.Add(new Zone("Z" + z, "z", "CHN", rng.Next(3) == 0 ? ZoneRestriction.Conditional : ZoneRestriction.Prohibited, [ZoneReason.Sensitive], fp,
                    Altitude.Amsl(1000 + rng.Next(200)), Altitude.Amsl(1250 + rng.Next(500)), [ZoneApplicability.Always], null, null));
            }

            var reports = new List<PositionReport>();
            for (int i = 0; i < drones; i++)
            {
                double h = rng.NextDouble() * 2 * Math.PI, s = rng.NextDouble() * 30;
                reports.Add(At("D" + i, 0, (rng.NextDouble() - 0.5) * 26_000, (rng.NextDouble() - 0.5) * 26_000, Altitude.Amsl(1100 + (rng.NextDouble() * 300)),
                    new VelocityNed(s * Math.Cos(h), s * Math.Sin(h), (rng.NextDouble() - 0.5) * 4)));
            }

            List<string> Run(bool linear)
            {
                SupervisionEngine e = Engine(new SupervisionOptions { ZoneLinearScan = linear }, zones: zones);
                foreach (PositionReport r in reports)
                {
                    e.Ingest(r);
                }

                return Cycle(e, 0).Select(x => $"{x.Kind} {x.Aircraft} {x.Zone} {x.TimeToEventS}").ToList();
            }

            Assert.Equal(Run(true), Run(false));
        }, iter: 40);
    }

    private static SupervisedIntent CircleIntent(SupervisedIntentState state, DateTimeOffset? since = null, double startS = 0, double endS = 600) =>
        new("I", "C", state, [new Volume4D(new Volume3D(new CircleFootprint(Origin, 200), Altitude.Amsl(1150), Altitude.Amsl(1250)),
            new TimeWindow(T0.AddSeconds(startS), T0.AddSeconds(endS)))])
        {
            NonconformingSince = since,
        };

    [Fact]
    public void ContingentClock_EngineRebuiltWithNonconformingSince_KeepsThe60s()
    {
        var first = new SupervisionEngine(new TrackStore(Origin, AltitudeConverter.Egm96Only), [], [CircleIntent(SupervisedIntentState.Activated)]);
        for (int s = 0; s <= 30; s++)
        {
            first.Ingest(At("C", s, s < 10 ? 0 : 500, 0, Altitude.Amsl(1200)));
            Cycle(first, s);
        }

        Assert.Equal(SupervisedIntentState.Nonconforming, first.IntentState("I"));
        Assert.Equal(T0.AddSeconds(10), first.NonconformingSince("I"));

        // Rebuilt (new store, new engine) with the moment handed over: Contingent 60 s after the excursion began, not after the rebuild.
        var second = new SupervisionEngine(new TrackStore(Origin, AltitudeConverter.Egm96Only), [],
            [CircleIntent(SupervisedIntentState.Nonconforming, first.NonconformingSince("I"))]);
        var events = new List<AlertEvent>();
        for (int s = 31; s <= 80; s++)
        {
            second.Ingest(At("C", s, 500, 0, Altitude.Amsl(1200)));
            events.AddRange(Cycle(second, s));
        }

        AlertEvent contingent = Assert.Single(events, e => e.Kind == AlertKind.Contingent);
        Assert.Equal(T0.AddSeconds(70), contingent.Time);
        Assert.Null(second.NonconformingSince("I"));

        // Without the moment the clock restarts at the rebuild (the bug this guards against).
        var restarted = new SupervisionEngine(new TrackStore(Origin, AltitudeConverter.Egm96Only), [], [CircleIntent(SupervisedIntentState.Nonconforming)]);
        var late = new List<AlertEvent>();
        for (int s = 31; s <= 100; s++)
        {
            restarted.Ingest(At("C", s, 500, 0, Altitude.Amsl(1200)));
            late.AddRange(Cycle(restarted, s));
        }

        Assert.Equal(T0.AddSeconds(91), Assert.Single(late, e => e.Kind == AlertKind.Contingent).Time);
    }

    [Theory]
    [InlineData(-40, true)]
    [InlineData(-25, false)]
    [InlineData(20, false)]
    [InlineData(29, false)]
    [InlineData(31, true)]
    public void TimeTolerance_EarlyOrLate_NonconformingOnlyBeyondIt(double offsetS, bool nonconforming)
    {
        // The intent's window is [100 s, 200 s); the aircraft is inside its footprint and band, offsetS before the
        // start (negative) or after the end (positive).
        double at = offsetS < 0 ? 100 + offsetS : 200 + offsetS;
        var e = new SupervisionEngine(new TrackStore(Origin, AltitudeConverter.Egm96Only), [], [CircleIntent(SupervisedIntentState.Activated, null, 100, 200)],
            new SupervisionOptions { ConformanceTimeToleranceS = 30 });
        e.Ingest(At("C", at, 0, 0, Altitude.Amsl(1200)));
        List<AlertEvent> events = Cycle(e, at);
        Assert.Equal(nonconforming, events.Any(x => x.Kind == AlertKind.Nonconforming && x.Event == AlertEventType.Raised));
        Assert.Equal(nonconforming ? SupervisedIntentState.Nonconforming : SupervisedIntentState.Activated, e.IntentState("I"));
    }

    [Fact]
    public void TimeTolerance_Negative_RejectedNamingTheField()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SupervisionOptions { ConformanceTimeToleranceS = -1 }.Validate());
        Assert.Equal(nameof(SupervisionOptions.ConformanceTimeToleranceS), ex.ParamName);
    }
}
