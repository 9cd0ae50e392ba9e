using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Supervision.Alerts;
using Yunlu.Supervision.Checks;
using Yunlu.Supervision.Simulation;
using Yunlu.Supervision.Tracks;

namespace Yunlu.Supervision.Tests;

public sealed class SimulatorTests
{
    private static readonly SimRoute[] Routes =
    [
        new("logistics", [new GeoPoint(106.65, 26.60), new GeoPoint(106.70, 26.62), new GeoPoint(106.75, 26.61)], Altitude.Amsl(1250)),
        new("sightseeing", [new GeoPoint(106.66, 26.55), new GeoPoint(106.68, 26.58)], Altitude.Amsl(1200)),
    ];

    private static readonly Zone TargetZone = new("SIMZ", "sim zone", "CHN", ZoneRestriction.Prohibited, [ZoneReason.Sensitive],
        new CircleFootprint(new GeoPoint(106.72, 26.64), 300), Altitude.Amsl(0), Altitude.Amsl(3000), [ZoneApplicability.Always], null, null);

    private static SimulatorOptions Options(int seed) => new()
    {
        Drones = 40,
        Seed = seed,
        OffPlan = 2,
        Incursions = 2,
        IncursionTargets = [new GeoPoint(106.72, 26.64)],
        LostLinks = 2,
        ConvergingPairs = 2,
        FaultWindowS = 60,
    };

    [Fact]
    public void Step_SameSeed_SameReports()
    {
        var a = new TrafficSimulator(Routes, Options(3));
        var b = new TrafficSimulator(Routes, Options(3));
        var c = new TrafficSimulator(Routes, Options(4));
        var ra = new List<PositionReport>();
        var rb = new List<PositionReport>();
        var rc = new List<PositionReport>();
        DateTimeOffset t = Options(3).Start.AddSeconds(42);
        a.Step(t, ra);
        b.Step(t, rb);
        c.Step(t, rc);
        Assert.Equal(ra, rb);
        Assert.NotEqual(ra, rc);
        Assert.Equal(44, ra.Count);
    }

    [Fact]
    public void Faults_RunThroughTheChecks_RaiseTheirAlerts()
    {
        SimulatorOptions o = Options(7);
        var sim = new TrafficSimulator(Routes, o);
        var engine = new SupervisionEngine(new TrackStore(Routes[0].Waypoints[1], AltitudeConverter.Egm96Only), [TargetZone], sim.Intents(),
            new SupervisionOptions { RequireIntent = true });
        var events = new List<AlertEvent>();
        var reports = new List<PositionReport>();
        for (int s = 0; s <= 1500; s++)
        {
            reports.Clear();
            DateTimeOffset t = o.Start.AddSeconds(s);
            sim.Step(t, reports);
            foreach (PositionReport r in reports)
            {
                engine.Ingest(r);
            }

            engine.RunCycle(t, events);
        }

        IReadOnlyDictionary<string, SimFault> faults = sim.Faults;
        HashSet<string> Raised(AlertKind k) => events.Where(e => e.Kind == k && e.Event == AlertEventType.Raised).Select(e => e.Aircraft).ToHashSet();
        Assert.Equal(faults.Where(f => f.Value == SimFault.LostLink).Select(f => f.Key).ToHashSet(), Raised(AlertKind.LostLink));
        Assert.Equal(faults.Where(f => f.Value == SimFault.Incursion).Select(f => f.Key).ToHashSet(), Raised(AlertKind.ZoneIncursion));
        Assert.Superset(faults.Where(f => f.Value == SimFault.OffPlan).Select(f => f.Key).ToHashSet(), Raised(AlertKind.Nonconforming));
        Assert.Superset(faults.Where(f => f.Value == SimFault.Converging).Select(f => f.Key).ToHashSet(), Raised(AlertKind.NoIntent));
        var conv = events.Where(e => e.Kind == AlertKind.SeparationLoss && e.Aircraft.StartsWith("CNV", StringComparison.Ordinal) && e.Other!.StartsWith("CNV", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, conv.Select(e => e.Aircraft[..7]).Distinct().Count());
    }
}
