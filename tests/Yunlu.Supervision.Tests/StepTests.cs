using CsCheck;
using Yunlu.Airspace.Zones;
using Yunlu.Formats.Telemetry;
using Yunlu.Geo;
using Yunlu.Supervision.Alerts;
using Yunlu.Supervision.Checks;
using Yunlu.Supervision.Tracks;

namespace Yunlu.Supervision.Tests;

/// <summary>
/// The per-update checks (<see cref="SupervisionEngine.RunStep"/>) against the full cycle (<see cref="SupervisionEngine.RunCycle"/>):
/// same conflict pairs and same raised alerts for the aircraft of the step, on random traffic and on the golden scenarios.
/// </summary>
public sealed class StepTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint Origin = new(106.7, 26.6);
    private static readonly LocalTangentPlane Plane = new(Origin);

    private sealed class ConstantWind(double speedMps) : IWindField
    {
        public bool TryGetWindSpeedMps(GeoPoint p, double altitudeW84M, DateTimeOffset at, out double speed)
        {
            speed = speedMps;
            return true;
        }
    }

    private sealed record Traffic(List<Zone> Zones, List<SupervisedIntent> Intents, List<PositionReport> First, List<PositionReport> Second,
        double SecondS, SupervisionOptions Options, List<(string Id, double LimitMps)> WindLimits);

    private static PositionReport Report(string id, double s, double eastM, double northM, double altAmslM, VelocityNed v, bool manned) =>
        new(T0.AddSeconds(s), new AircraftIdentity(manned ? IdentityKind.IcaoAddress : IdentityKind.Platform, id),
            manned ? PositionSourceKind.AdsB : PositionSourceKind.Network, Plane.Inverse(new PlanarPoint(eastM, northM)), Altitude.Amsl(altAmslM), v);

    private static Traffic RandomTraffic(int seed, int drones, int manned, double areaM)
    {
        var rng = new Random(seed);
        var zones = new List<Zone>();
        for (int z = 0; z < 1 + rng.Next(4); z++)
        {
            GeoPoint c = Plane.Inverse(new PlanarPoint((rng.NextDouble() - 0.5) * areaM, (rng.NextDouble() - 0.5) * areaM));
            zones.Add(new Zone("Z" + z, "z", "CHN", ZoneRestriction.Prohibited, [ZoneReason.Sensitive], new CircleFootprint(c, 100 + (rng.NextDouble() * areaM / 6)),
                Altitude.Amsl(1000), Altitude.Amsl(1150 + rng.Next(200)), [ZoneApplicability.Always], null, null));
        }

        var intents = new List<SupervisedIntent>();
        var first = new List<PositionReport>();
        var second = new List<PositionReport>();
        var limits = new List<(string, double)>();
        double secondS = 0.5 + (rng.NextDouble() * 4);
        int n = drones + manned;
        for (int i = 0; i < n; i++)
        {
            bool isManned = i >= drones;
            string id = (isManned ? "M" : "D") + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            double speed = isManned ? 40 + (rng.NextDouble() * 40) : rng.NextDouble() * 25, h = rng.NextDouble() * 2 * Math.PI;
            var v = new VelocityNed(speed * Math.Cos(h), speed * Math.Sin(h), (rng.NextDouble() - 0.5) * (isManned ? 8 : 4));
            double e = (rng.NextDouble() - 0.5) * areaM, nm = (rng.NextDouble() - 0.5) * areaM, alt = 1100 + (rng.NextDouble() * 200);

            // Report times spread before the check (ages 0–20 s: some beyond the 15 s lost-link time).
            double at = -(rng.NextDouble() < 0.1 ? 15 + (rng.NextDouble() * 5) : rng.NextDouble() * 8);
            first.Add(Report(id, at, e, nm, alt, v, isManned));
            if (!isManned && rng.Next(3) > 0)
            {
                double endS = rng.Next(4) == 0 ? rng.NextDouble() * 3 : 600;
                intents.Add(new SupervisedIntent("I" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), id, SupervisedIntentState.Activated,
                    [new Volume4D(new Volume3D(new CircleFootprint(Plane.Inverse(new PlanarPoint(e + ((rng.NextDouble() - 0.5) * 600), nm)), 50 + (rng.NextDouble() * 500)),
                        Altitude.Amsl(1050), Altitude.Amsl(1350)), new TimeWindow(T0.AddSeconds(-100), T0.AddSeconds(endS)))]));
            }

            if (!isManned && rng.Next(5) == 0)
            {
                limits.Add((id, 5 + (rng.NextDouble() * 10)));
            }

            if (rng.Next(3) == 0)
            {
                // An update: moved along, sometimes turned.
                double turn = rng.Next(2) == 0 ? 0 : (rng.NextDouble() - 0.5) * Math.PI;
                var v2 = new VelocityNed(speed * Math.Cos(h + turn), speed * Math.Sin(h + turn), v.DownMps);
                double dt = secondS - at;
                second.Add(Report(id, secondS - (rng.NextDouble() * 0.5), e + (v.EastMps * dt), nm + (v.NorthMps * dt), alt - (v.DownMps * dt), v2, isManned));
            }
        }

        // Raise-ahead off: the step must then raise exactly what a cycle at the same time raises.
        var options = new SupervisionOptions { RequireIntent = rng.Next(2) == 0, FusionHorizontalM = rng.Next(3) == 0 ? 20 : 0, SeparationRaiseAheadIntervals = 0 };
        return new Traffic(zones, intents, first, second, secondS, options, limits);
    }

    private static SupervisionEngine Build(Traffic t)
    {
        var e = new SupervisionEngine(new TrackStore(Origin, AltitudeConverter.Egm96Only), t.Zones, t.Intents, t.Options, new ConstantWind(9));
        foreach ((string id, double limit) in t.WindLimits)
        {
            e.SetWindLimit(id, limit);
        }

        return e;
    }

    private static string Key(AlertEvent x) =>
        FormattableString.Invariant($"{x.Kind} {x.Aircraft} {x.Other} {x.Zone} {x.Intent} {x.Level} {x.TimeToEventS:R}");

    private static bool TimeDriven(AlertKind k) => k is AlertKind.LostLink;

    private static List<string> Raised(IEnumerable<AlertEvent> events, Func<AlertEvent, bool> keep) =>
        [.. events.Where(x => x.Event == AlertEventType.Raised && !TimeDriven(x.Kind) && keep(x)).Select(Key).Order(StringComparer.Ordinal)];

    [Fact]
    public void RunStep_RandomTraffic_SameConflictsAndRaisedAlertsAsFullCycle()
    {
        Gen.Select(Gen.Int, Gen.Int[2, 300], Gen.Int[0, 3], Gen.Double[300, 15_000]).Sample(p =>
        {
            (int seed, int drones, int manned, double area) = p;
            Traffic t = RandomTraffic(seed, drones, manned, area);
            SupervisionEngine full = Build(t), step = Build(t);
            foreach (PositionReport r in t.First)
            {
                full.Ingest(r);
                step.Ingest(r);
            }

            // Every aircraft is new: the step checks all of them, as the cycle does.
            var fe = new List<AlertEvent>();
            var se = new List<AlertEvent>();
            full.RunCycle(T0, fe);
            step.RunStep(T0, se);
            Assert.Equal(full.LastConflicts, step.LastStepConflicts);
            Assert.Equal(Raised(fe, _ => true), Raised(se, _ => true));
            Assert.DoesNotContain(se, x => x.Event == AlertEventType.Cleared);

            // Bring the step engine's alert book to the cycle's state (nothing new is raised: the step raised it all).
            se.Clear();
            step.RunCycle(T0, se);
            Assert.Empty(Raised(se, _ => true));

            // Then some aircraft report again: the step checks only those, against everything.
            HashSet<string> touched = SecondReports(t, full, step, fe, se);
            Assert.Equal(Raised(fe, x => touched.Contains(x.Aircraft) || (x.Other is { } o && touched.Contains(o))), Raised(se, _ => true));
            Assert.Equal(0, step.PendingStepTracks);
        }, iter: 60);
    }

    /// <summary>
    /// The second reports go into both engines; then a full cycle on one and a step on the other at the second time
    /// (the events replace <paramref name="fe"/> and <paramref name="se"/>). Asserts that the step's conflict pairs
    /// are the cycle's pairs that involve an aircraft that reported, and returns those aircraft.
    /// </summary>
    private static HashSet<string> SecondReports(Traffic t, SupervisionEngine full, SupervisionEngine step, List<AlertEvent> fe, List<AlertEvent> se)
    {
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (PositionReport r in t.Second)
        {
            full.Ingest(r);
            step.Ingest(r);
            touched.Add(r.Aircraft.Value);
        }

        DateTimeOffset t1 = T0.AddSeconds(t.SecondS);
        fe.Clear();
        se.Clear();
        full.RunCycle(t1, fe);
        step.RunStep(t1, se);
        var touchedIndex = new HashSet<int>(touched.Select(id => step.Tracks.Find(id)!.Index));
        Assert.Equal(full.LastConflicts.Where(c => touchedIndex.Contains(c.A) || touchedIndex.Contains(c.B)), step.LastStepConflicts);
        return touched;
    }

    [Fact]
    public void RunStep_NothingIngested_ChecksNothing()
    {
        Traffic t = RandomTraffic(7, 50, 1, 3000);
        SupervisionEngine e = Build(t);
        foreach (PositionReport r in t.First)
        {
            e.Ingest(r);
        }

        var events = new List<AlertEvent>();
        e.RunCycle(T0, events);
        events.Clear();
        Assert.Equal(0, e.RunStep(T0.AddSeconds(1), events));
        Assert.Empty(events);
        Assert.Empty(e.LastStepConflicts);
    }

    [Fact]
    public void RunStep_RaiseAheadOnRandomTraffic_SameConflictsAndEveryCycleAlertRaisedNoLater()
    {
        Gen.Select(Gen.Int, Gen.Int[2, 300], Gen.Int[0, 3], Gen.Double[300, 15_000]).Sample(p =>
        {
            (int seed, int drones, int manned, double area) = p;
            Traffic t0 = RandomTraffic(seed, drones, manned, area);
            Traffic t = t0 with { Options = t0.Options with { SeparationRaiseAheadIntervals = 1.25 } };
            SupervisionEngine full = Build(t), step = Build(t);
            var fe = new List<AlertEvent>();
            var se = new List<AlertEvent>();
            foreach (PositionReport r in t.First)
            {
                full.Ingest(r);
                step.Ingest(r);
            }

            full.RunCycle(T0, fe);
            step.RunCycle(T0, se);

            // A second report gives each of these aircraft a report interval, so its step raises ahead.
            HashSet<string> touched = SecondReports(t, full, step, fe, se);
            DateTimeOffset t1 = T0.AddSeconds(t.SecondS);

            // Every separation alert the cycle raises for them is active after the step too (a predicted one may be a
            // loss already: its onset falls within the raise-ahead).
            static string Pair(string a, string? b) => a + " " + b;
            var stepSeparation = se.Where(x => x.Event == AlertEventType.Raised && x.Kind is AlertKind.SeparationLoss or AlertKind.SeparationPredicted).ToList();
            var stepActive = step.Alerts.Active().Select(x => (Pair(x.Aircraft, x.Other), x.Kind)).ToHashSet();
            foreach (AlertEvent c in fe.Where(x => x.Event == AlertEventType.Raised && x.Kind is AlertKind.SeparationLoss or AlertKind.SeparationPredicted &&
                (touched.Contains(x.Aircraft) || (x.Other is { } o && touched.Contains(o)))))
            {
                string pair = Pair(c.Aircraft, c.Other);
                Assert.True(stepActive.Contains((pair, c.Kind)) || (c.Kind == AlertKind.SeparationPredicted && stepActive.Contains((pair, AlertKind.SeparationLoss))),
                    $"{c.Kind} {pair} raised by the cycle, not active after the step");
            }

            // What the step raises ahead has its onset within the raise-ahead's bound, and is held until the onset: a
            // cycle just after the step (nothing reported in between) does not clear it.
            double look = t.Options.SeparationLookAheadS;
            static double OnsetS(AlertEvent x, double look) => x.Kind == AlertKind.SeparationLoss ? x.TimeToEventS!.Value : x.TimeToEventS!.Value - look;
            var later = new List<AlertEvent>();
            step.RunCycle(t1.AddSeconds(0.001), later);
            foreach (AlertEvent x in stepSeparation)
            {
                Assert.True(OnsetS(x, look) <= t.Options.SeparationRaiseAheadMaxS + 1e-9, $"{x.Kind} raised {OnsetS(x, look)} s ahead");
                if (OnsetS(x, look) > 0.002)
                {
                    Assert.DoesNotContain(later, y => y.Event == AlertEventType.Cleared && y.AlertId == x.AlertId);
                }
            }
        }, iter: 60);
    }

    public static TheoryData<string, bool> Scenarios() => ScenarioTests.Scenarios();

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_StepsAtEveryReportCyclesEvery5s_RaisesAtTheExpectedTimes(string name, bool withIntents)
    {
        (List<string> want, List<string> actual, _) = RunScenario(name, withIntents, raiseAhead: 0);
        Assert.NotEmpty(want.Count == 0 && name == "silent" ? ["(silent: lost link only)"] : want);
        Assert.Equal(want, actual);
    }

    /// <summary>
    /// Reports every second, onsets at fractional seconds (data/scenarios/README.md): with the default raise-ahead
    /// (1.25 report intervals) every separation alert is raised on the report just before its golden time, the other
    /// kinds at it; and every alert is cleared exactly when the replay clears it (a held alert is not cleared early).
    /// </summary>
    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_RaiseAhead_SeparationRaisedOneReportEarlyClearedOnTime(string name, bool withIntents)
    {
        (List<string> golden, List<string> actual, _) = RunScenario(name, withIntents, raiseAhead: 1.25);
        List<string> want = [.. golden.Select(line =>
        {
            string[] f = line.Split(' ');
            bool separation = f[1] is nameof(AlertKind.SeparationLoss) or nameof(AlertKind.SeparationPredicted);
            return separation ? DateTimeOffset.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture).AddSeconds(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture) + line[f[0].Length..] : line;
        }).Order(StringComparer.Ordinal)];
        Assert.Equal(want, actual);
        (_, List<string> raisedEveryReport, List<string> cleared) = RunScenario(name, withIntents, raiseAhead: 1.25, stepsOnly: false);
        Assert.Equal(want, raisedEveryReport);
        (_, _, List<string> goldenCleared) = RunScenario(name, withIntents, raiseAhead: 0, stepsOnly: false);
        Assert.Equal(goldenCleared, cleared);
    }

    /// <summary>Runs a golden scenario: the replay's raised events (the reference), and steps after every report time
    /// with the full cycle only every 5 s (or at every report when <paramref name="stepsOnly"/> is false): raised events
    /// and the separation alerts' cleared events (those cleared by a cycle at a report time in both runs).</summary>
    private static (List<string> Reference, List<string> Raised, List<string> SeparationCleared) RunScenario(string name, bool withIntents, double raiseAhead, bool stepsOnly = true)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "data", "scenarios");
        using FileStream zs = File.OpenRead(Path.Combine(dir, "zones.geojson"));
        var zones = Yunlu.Formats.ZoneFiles.Read(zs, "zones.geojson").Items;
        IReadOnlyList<SupervisedIntent> intents = [];
        if (withIntents)
        {
            using FileStream its = File.OpenRead(Path.Combine(dir, name + ".intents.json"));
            intents = IntentFiles.Read(its).Items;
        }

        using FileStream ts = File.OpenRead(Path.Combine(dir, name + ".csv"));
        var reports = TelemetryCsv.Read(ts).Items.OrderBy(r => r.Time).ToList();
        var options = new SupervisionOptions { RequireIntent = withIntents, SeparationRaiseAheadIntervals = raiseAhead };
        SupervisionEngine Fresh() => new(new TrackStore(reports[0].Position, AltitudeConverter.Egm96Only), zones, intents, options);

        // The reference: the replay (a full cycle at every report time and every second between).
        var expected = new List<AlertEvent>();
        Replay.ReplayRunner.Run(Fresh(), reports, expected.Add, cancellationToken: TestContext.Current.CancellationToken);

        // Steps after every report time, the full cycle only every 5 s of report time.
        SupervisionEngine engine = Fresh();
        var actual = new List<AlertEvent>();
        var events = new List<AlertEvent>();
        DateTimeOffset nextCycle = reports[0].Time;
        int k = 0;
        while (k < reports.Count)
        {
            DateTimeOffset t = reports[k].Time;
            while (k < reports.Count && reports[k].Time == t)
            {
                engine.Ingest(reports[k++]);
            }

            events.Clear();
            engine.RunStep(t, events);
            if (t >= nextCycle || !stepsOnly)
            {
                engine.RunCycle(t, events);
                nextCycle = t.AddSeconds(5);
            }

            actual.AddRange(events);
        }

        static List<string> RaisedAt(IEnumerable<AlertEvent> ev) =>
            [.. ev.Where(x => x.Event == AlertEventType.Raised && x.Kind != AlertKind.LostLink)
                .Select(x => FormattableString.Invariant($"{x.Time:O} {x.Kind} {x.Aircraft} {x.Other} {x.Zone} {x.Intent}")).Order(StringComparer.Ordinal)];

        static List<string> SeparationClearedAt(IEnumerable<AlertEvent> ev) =>
            [.. ev.Where(x => x.Event == AlertEventType.Cleared && x.Kind is AlertKind.SeparationLoss or AlertKind.SeparationPredicted)
                .Select(x => FormattableString.Invariant($"{x.Time:O} {x.Kind} {x.Aircraft} {x.Other}")).Order(StringComparer.Ordinal)];

        return (RaisedAt(expected), RaisedAt(actual), SeparationClearedAt(actual));
    }
}
