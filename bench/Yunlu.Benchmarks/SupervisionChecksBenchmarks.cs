using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Zones;
using Yunlu.Geo.Diagnostics;
using Yunlu.Geo;
using Yunlu.Supervision;
using Yunlu.Supervision.Alerts;
using Yunlu.Supervision.Checks;
using Yunlu.Supervision.Tracks;

namespace Yunlu.Benchmarks;

/// <summary>
/// The traffic of the supervision check-cycle benchmarks: N drones around Guiyang at about 25 per km² (10 000 in a
/// 20 km square, 100 000 in a 63 km square), random headings, 0–20 m/s, ±1 m/s vertical, 1 100–1 220 m AMSL, each
/// with an Activated intent (a 400 m circle, one Volume4D); 20 prohibited zones (circles and polygons).
/// </summary>
internal static class SupervisionBenchTraffic
{
    public static readonly DateTimeOffset T0 = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);

    public static SupervisionEngine Build(int drones, SupervisionOptions options)
    {
        var origin = new GeoPoint(106.70, 26.60);
        var plane = new LocalTangentPlane(origin);
        double sideM = Math.Sqrt(drones / 25.0) * 1000;
        var rng = new Random(42);
        var zones = new List<Zone>();
        for (int z = 0; z < 20; z++)
        {
            GeoPoint c = plane.Inverse(new PlanarPoint((rng.NextDouble() - 0.5) * sideM, (rng.NextDouble() - 0.5) * sideM));
            Footprint fp = z % 2 == 0
                ? new CircleFootprint(c, 300 + (rng.NextDouble() * 700))
                : new PolygonFootprint(FootprintGeometry.Factory.CreatePolygon(
                [
                    new Coordinate(c.LonDeg - 0.005, c.LatDeg - 0.004), new Coordinate(c.LonDeg + 0.005, c.LatDeg - 0.004),
                    new Coordinate(c.LonDeg + 0.006, c.LatDeg + 0.004), new Coordinate(c.LonDeg - 0.004, c.LatDeg + 0.005),
                    new Coordinate(c.LonDeg - 0.005, c.LatDeg - 0.004),
                ]));
            zones.Add(new Zone("BZ" + z, "bench zone", "CHN", ZoneRestriction.Prohibited, [ZoneReason.Sensitive], fp,
                Altitude.Amsl(0), Altitude.Amsl(3000), [ZoneApplicability.Always], null, null));
        }

        var reports = new PositionReport[drones];
        var intents = new SupervisedIntent[drones];
        var window = new TimeWindow(T0.AddHours(-1), T0.AddHours(1));
        for (int i = 0; i < drones; i++)
        {
            string id = "D" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var p = new PlanarPoint((rng.NextDouble() - 0.5) * sideM, (rng.NextDouble() - 0.5) * sideM);
            double h = rng.NextDouble() * 2 * Math.PI, s = rng.NextDouble() * 20;
            GeoPoint g = plane.Inverse(p);
            reports[i] = new PositionReport(T0, new AircraftIdentity(IdentityKind.Platform, id), PositionSourceKind.Simulator, g,
                Altitude.Amsl(1100 + (rng.NextDouble() * 120)), new VelocityNed(s * Math.Cos(h), s * Math.Sin(h), (rng.NextDouble() - 0.5) * 2));
            intents[i] = new SupervisedIntent("OI" + id, id, SupervisedIntentState.Activated,
                [new Volume4D(new Volume3D(new CircleFootprint(g, 400), Altitude.Amsl(1000), Altitude.Amsl(1300)), window)]);
        }

        var e = new SupervisionEngine(new TrackStore(origin, AltitudeConverter.Egm96Only), zones, intents, options with { RequireIntent = true });
        foreach (PositionReport r in reports)
        {
            e.Ingest(r);
        }

        return e;
    }

    /// <summary>Throws unless the two conflict sets (pairs and times to loss) are identical.</summary>
    public static void RequireIdentical(IReadOnlyList<ConflictPair> actual, ConflictPair[] reference, string what)
    {
        bool same = actual.Count == reference.Length;
        for (int i = 0; same && i < reference.Length; i++)
        {
            same = actual[i] == reference[i];
        }

        if (!same)
        {
            throw new InvalidOperationException($"{what}: conflict set differs from the all-pairs reference ({actual.Count} vs {reference.Length} pairs)");
        }
    }
}

/// <summary>
/// One supervision check cycle over 10 000 drones (lost link, zones now and 30 s ahead, conformance, no-intent,
/// ceiling, separation now and 30 s ahead with advisories, alert lifecycle), the production engine against the same
/// engine with the O(n²) all-pairs separation reference as baseline. The conflict sets (pairs and times to loss) of
/// both are compared in <c>GlobalSetup</c> and again after the last iteration in <c>GlobalCleanup</c>; any difference
/// throws, which fails the benchmark.
/// </summary>
[MemoryDiagnoser]
public class SupervisionChecksBenchmarks
{
    private readonly List<AlertEvent> _events = [];
    private SupervisionEngine _grid = null!;
    private SupervisionEngine _allPairs = null!;

    [Params(10_000)]
    public int Drones { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _grid = SupervisionBenchTraffic.Build(Drones, new SupervisionOptions());
        _allPairs = SupervisionBenchTraffic.Build(Drones, new SupervisionOptions { SeparationAllPairs = true });
        _grid.RunCycle(SupervisionBenchTraffic.T0, _events);
        _allPairs.RunCycle(SupervisionBenchTraffic.T0, _events);
        SupervisionBenchTraffic.RequireIdentical(_grid.LastConflicts, [.. _allPairs.LastConflicts], "setup");
        Console.WriteLine($"// {Drones} drones: {_grid.LastConflicts.Count} conflicts, identical to all-pairs; {_grid.Alerts.Count} active alerts");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SupervisionBenchTraffic.RequireIdentical(_grid.LastConflicts, [.. _allPairs.LastConflicts], "after the iterations");
        Console.WriteLine($"// after the iterations: {_grid.LastConflicts.Count} conflicts, identical to all-pairs");
    }

    [Benchmark(Baseline = true)]
    public int CycleAllPairsReference()
    {
        _events.Clear();
        _allPairs.RunCycle(SupervisionBenchTraffic.T0, _events);
        return _allPairs.LastConflicts.Count;
    }

    [Benchmark]
    public int CycleSpatialHash()
    {
        _events.Clear();
        _grid.RunCycle(SupervisionBenchTraffic.T0, _events);
        return _grid.LastConflicts.Count;
    }
}

/// <summary>
/// The same cycle over 100 000 drones. The all-pairs reference (5·10⁹ pair tests) is computed once in
/// <c>GlobalSetup</c> — its time is printed — and both engines' conflict sets are compared with it there and after
/// the last iteration (any difference throws). Baseline: the previous separation pass (aircraft entered in hashed
/// cells in input order), still the engine's fallback for traffic spread too widely for a dense grid.
/// </summary>
[MemoryDiagnoser]
public class SupervisionChecksLargeBenchmarks
{
    private readonly List<AlertEvent> _events = [];
    private SupervisionEngine _grid = null!;
    private SupervisionEngine _hashed = null!;
    private ConflictPair[] _reference = [];

    [Params(100_000)]
    public int Drones { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        SupervisionEngine allPairs = SupervisionBenchTraffic.Build(Drones, new SupervisionOptions { SeparationAllPairs = true });
        var sw = Stopwatch.StartNew();
        allPairs.RunCycle(SupervisionBenchTraffic.T0, _events);
        sw.Stop();
        _reference = [.. allPairs.LastConflicts];
        _grid = SupervisionBenchTraffic.Build(Drones, new SupervisionOptions());
        _hashed = SupervisionBenchTraffic.Build(Drones, new SupervisionOptions { SeparationHashOnly = true });
        _grid.RunCycle(SupervisionBenchTraffic.T0, _events);
        _hashed.RunCycle(SupervisionBenchTraffic.T0, _events);
        SupervisionBenchTraffic.RequireIdentical(_grid.LastConflicts, _reference, "setup (dense grid)");
        SupervisionBenchTraffic.RequireIdentical(_hashed.LastConflicts, _reference, "setup (hashed cells)");
        Console.WriteLine($"// {Drones} drones: all-pairs reference cycle {sw.Elapsed.TotalSeconds:0.0} s, {_reference.Length} conflicts; both engines identical");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SupervisionBenchTraffic.RequireIdentical(_grid.LastConflicts, _reference, "after the iterations (dense grid)");
        SupervisionBenchTraffic.RequireIdentical(_hashed.LastConflicts, _reference, "after the iterations (hashed cells)");
        Console.WriteLine($"// after the iterations: {_reference.Length} conflicts, identical to all-pairs");
    }

    [Benchmark(Baseline = true)]
    public int CycleHashedCellsPrevious()
    {
        _events.Clear();
        _hashed.RunCycle(SupervisionBenchTraffic.T0, _events);
        return _hashed.LastConflicts.Count;
    }

    [Benchmark]
    public int CycleSpatialHash()
    {
        _events.Clear();
        _grid.RunCycle(SupervisionBenchTraffic.T0, _events);
        return _grid.LastConflicts.Count;
    }
}

/// <summary>
/// <c>supervision-cpu [--drones N] [--cycles C]</c>: the same check cycle timed by the calling thread's CPU time
/// (CLOCK_THREAD_CPUTIME_ID) as well as wall time, which on the shared 2-core machine shows what one core spends
/// regardless of how long the thread waits for it. Baselines in the same run: the all-pairs cycle (timed once, and
/// the reference the conflict sets are checked against before and after) and the previous hashed-cell pass.
/// </summary>
internal static class SupervisionChecksCpu
{
    public static int Run(string[] args)
    {
        int drones = Arg(args, "--drones", 10_000), cycles = Arg(args, "--cycles", 50);
        var events = new List<AlertEvent>();
        SupervisionEngine allPairs = SupervisionBenchTraffic.Build(drones, new SupervisionOptions { SeparationAllPairs = true });
        double c0 = ThreadCpu.NowUs();
        var sw = Stopwatch.StartNew();
        allPairs.RunCycle(SupervisionBenchTraffic.T0, events);
        Report(drones, "all-pairs reference (1 cycle)", [ThreadCpu.NowUs() - c0], [sw.Elapsed.TotalMilliseconds * 1000]);
        ConflictPair[] reference = [.. allPairs.LastConflicts];
        foreach ((string label, SupervisionOptions o) in new[]
        {
            ("previous hashed-cell pass", new SupervisionOptions { SeparationHashOnly = true }),
            ("engine (dense grid)", new SupervisionOptions()),
        })
        {
            SupervisionEngine e = SupervisionBenchTraffic.Build(drones, o);
            for (int i = 0; i < 5; i++)
            {
                events.Clear();
                e.RunCycle(SupervisionBenchTraffic.T0, events);
            }

            SupervisionBenchTraffic.RequireIdentical(e.LastConflicts, reference, label);
            var cpu = new double[cycles];
            var wall = new double[cycles];
            for (int i = 0; i < cycles; i++)
            {
                events.Clear();
                double t0 = ThreadCpu.NowUs();
                long w0 = Stopwatch.GetTimestamp();
                e.RunCycle(SupervisionBenchTraffic.T0, events);
                wall[i] = Stopwatch.GetElapsedTime(w0).TotalMilliseconds * 1000;
                cpu[i] = ThreadCpu.NowUs() - t0;
            }

            SupervisionBenchTraffic.RequireIdentical(e.LastConflicts, reference, label);
            Report(drones, label, cpu, wall);
        }

        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{drones} drones: {reference.Length} conflicts, identical to the all-pairs reference before and after the timed cycles"));
        return 0;
    }

    private static void Report(int drones, string label, double[] cpuUs, double[] wallUs)
    {
        static double Median(double[] a)
        {
            double[] s = [.. a];
            Array.Sort(s);
            return s[s.Length / 2];
        }

        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{drones} drones, {label}: n={cpuUs.Length} thread CPU median {Median(cpuUs) / 1000:0.00} ms mean {cpuUs.Average() / 1000:0.00} ms; wall median {Median(wallUs) / 1000:0.00} ms"));
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}
