using System.Diagnostics;
using System.Globalization;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Operations;
using Yunlu.Geo.Diagnostics;
using Yunlu.Geo;

namespace Yunlu.Benchmarks;

/// <summary>
/// The 4D index at scale (issue 4): N corridor intents (100 m wide, 0.5–3 km long, 30 m layers in 0–120 m above a
/// 1 100 m W84 ground, 5–30 min windows over a 50 × 50 km area and 24 h). Times each query with a Stopwatch and
/// reports percentiles; the brute-force baseline (Volume4D.Intersects over every volume) runs in the same process on
/// a subset of the queries and must give identical answers.
/// Run: dotnet run -c Release --project bench/Yunlu.Benchmarks -- ops-index [--count 1000000] [--queries 10000]
/// [--baseline 200] [--checks 2000] [--seed 1] [--postgis "Host=…;Username=…;Database=…" [--pg-count N] [--pg-queries 2000]]
/// (with --postgis, the PostGIS baseline of <see cref="OperationsPostgisBaseline"/> runs too; --pg-count loads only
/// the first N volumes of the same generator into PostgreSQL).
/// </summary>
public static class OperationsIndexBench
{
    private const double GroundW84M = 1100;
    private static readonly DateTimeOffset Day = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    public static int Run(string[] args)
    {
        int count = Arg(args, "--count", 1_000_000);
        int queries = Arg(args, "--queries", 10_000);
        int baseline = Arg(args, "--baseline", 200);
        int checks = Arg(args, "--checks", 2_000);
        int seed = Arg(args, "--seed", 1);
        int postgisIdx = Array.IndexOf(args, "--postgis");
        string? postgis = postgisIdx >= 0 && postgisIdx + 1 < args.Length ? args[postgisIdx + 1] : null;
        int pgCount = Math.Min(count, Arg(args, "--pg-count", count));
        int pgQueries = Arg(args, "--pg-queries", 2_000);
        var rnd = new Random(seed);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ops-index: {count:N0} intents, {queries:N0} queries, baseline {baseline}, checks {checks}, seed {seed}"));
        var sw = Stopwatch.StartNew();
        var volumes = new Volume4D[count];
        var ids = new Guid[count];
        for (int i = 0; i < count; i++)
        {
            volumes[i] = RandomCorridor(rnd, Day, TimeSpan.FromHours(24));
            ids[i] = Guid.NewGuid();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated volumes in {sw.Elapsed.TotalSeconds:0.0} s"));
        long before = GC.GetTotalMemory(true);
        var options = IntentIndexOptions.Default with
        {
            CellSizeM = Arg(args, "--cell-m", (int)IntentIndexOptions.Default.CellSizeM),
            BucketDuration = TimeSpan.FromMinutes(Arg(args, "--bucket-min", (int)IntentIndexOptions.Default.BucketDuration.TotalMinutes)),
            MaxCellsPerVolume = Arg(args, "--max-cells", IntentIndexOptions.Default.MaxCellsPerVolume),
        };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"index options: {options.CellSizeM} m cells, {options.BucketDuration.TotalMinutes} min buckets, <= {options.MaxCellsPerVolume} cell-buckets per volume"));
        using var index = new IntentIndex(options);
        sw.Restart();
        for (int i = 0; i < count; i++)
        {
            index.Add(ids[i], IntentPriority.Normal, [volumes[i]]);
        }

        double buildS = sw.Elapsed.TotalSeconds;
        long after = GC.GetTotalMemory(true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"index build: {buildS:0.0} s ({buildS * 1e6 / count:0.00} µs/intent); managed memory of the index {(after - before) / 1048576.0:0} MiB (estimate {index.EstimateBytes() / 1048576.0:0} MiB); volumes themselves (NTS objects) kept for the baseline"));

        // Queries: same distribution.
        var qs = new Volume4D[queries];
        for (int i = 0; i < queries; i++)
        {
            qs[i] = RandomCorridor(rnd, Day, TimeSpan.FromHours(24));
        }

        var hits = new List<IndexHit>();
        for (int i = 0; i < Math.Min(1000, queries); i++)
        {
            hits.Clear();
            index.Query(qs[i], hits); // warm-up
        }

        var times = new double[queries];
        var cpu = new double[queries];
        long totalHits = 0;
        int gc0 = GC.CollectionCount(0), gc2 = GC.CollectionCount(2);
        for (int i = 0; i < queries; i++)
        {
            hits.Clear();
            double c0 = ThreadCpu.NowUs();
            long t0 = Stopwatch.GetTimestamp();
            index.Query(qs[i], hits);
            times[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            cpu[i] = ThreadCpu.NowUs() - c0;
            totalHits += hits.Count;
        }

        gc0 = GC.CollectionCount(0) - gc0;
        gc2 = GC.CollectionCount(2) - gc2;
        Report("index query (exact)", times);
        Report("  same, thread CPU time", cpu);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  mean hits per query {totalHits / (double)queries:0.00}; GCs during the queries: {gc0} gen0, {gc2} gen2"));

        // Tail diagnosis: run the slowest 1 % again. If they are fast now, their first time was the machine
        // (descheduling on shared cores, GC), not the query's own work.
        int[] order = [.. Enumerable.Range(0, queries).OrderByDescending(i => times[i]).Take(Math.Max(1, queries / 100))];
        var again = new double[order.Length];
        for (int k = 0; k < order.Length; k++)
        {
            hits.Clear();
            long t0 = Stopwatch.GetTimestamp();
            index.Query(qs[order[k]], hits);
            again[k] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        }

        Report("  the slowest 1 % run again", again);

        // Brute-force baseline on a subset, with identical answers required.
        var bt = new double[baseline];
        int mismatches = 0;
        for (int i = 0; i < baseline; i++)
        {
            Volume4D q = qs[i];
            long t0 = Stopwatch.GetTimestamp();
            var brute = new List<Guid>();
            for (int k = 0; k < count; k++)
            {
                if (q.Intersects(volumes[k]))
                {
                    brute.Add(ids[k]);
                }
            }

            bt[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            hits.Clear();
            index.Query(q, hits);
            var got = hits.Select(h => h.IntentId).Order().ToList();
            brute.Sort();
            if (!got.SequenceEqual(brute))
            {
                mismatches++;
            }
        }

        Report("brute force baseline (Volume4D.Intersects over all)", bt);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  identical answers: {baseline - mismatches}/{baseline}"));

        if (postgis is not null)
        {
            mismatches += OperationsPostgisBaseline.Run(postgis, index, volumes, ids, pgCount, qs, Math.Min(pgQueries, queries));
        }

        // Insert and delete.
        int churn = 10_000;
        var ins = new double[churn];
        var del = new double[churn];
        var newVolumes = new Volume4D[churn];
        var newIds = new Guid[churn];
        for (int i = 0; i < churn; i++)
        {
            newVolumes[i] = RandomCorridor(rnd, Day, TimeSpan.FromHours(24));
            newIds[i] = Guid.NewGuid();
        }

        Volume4D[][] single = [.. newVolumes.Select(v => new[] { v })];
        for (int i = 0; i < churn; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            index.Add(newIds[i], IntentPriority.Normal, single[i]);
            ins[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        }

        for (int i = 0; i < churn; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            index.Remove(newIds[i]);
            del[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        }

        Report("insert (1 corridor volume)", ins);
        Report("delete", del);

        // Full strategic check of 10-volume intents: a path of 10 consecutive corridors, each ~1 km and 3 min.
        var zones = new List<ZoneConstraint>();
        for (int z = 0; z < 100; z++)
        {
            Volume4D zv = RandomCorridor(rnd, Day, TimeSpan.FromHours(24));
            zones.Add(new ZoneConstraint("Z" + z.ToString(CultureInfo.InvariantCulture), "zone", zv, ZoneEffect.Blocks));
        }

        foreach ((string label, StrategicChecker checker) in new[]
        {
            ("strategic check, 10 volumes (intents + 100 zones)", new StrategicChecker(index, new ZoneConstraintList(zones))),
            ("strategic check, 10 volumes (intents + zones + capacity, level-4 cells)", new StrategicChecker(index, new ZoneConstraintList(zones), new UniformCellCapacity(4, 1000))),
        })
        {
            var ct = new double[checks];
            var cc = new double[checks];
            int clear = 0;
            for (int i = 0; i < checks + 200; i++)
            {
                OperationalIntent intent = PathIntent(rnd);
                double c0 = ThreadCpu.NowUs();
                long t0 = Stopwatch.GetTimestamp();
                DeconflictionReport report = checker.Check(intent);
                double us = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
                double cpuUs = ThreadCpu.NowUs() - c0;
                if (i >= 200)
                {
                    ct[i - 200] = us;
                    cc[i - 200] = cpuUs;
                    clear += report.IsClear ? 1 : 0;
                }
            }

            Report(label, ct);
            Report("  same, thread CPU time", cc);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  clear: {clear}/{checks}"));
        }

        sw.Restart();
        int evicted = index.EvictEndedBefore(Day.AddHours(1));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"evict ended before 01:00: {evicted:N0} intents in {sw.Elapsed.TotalMilliseconds:0} ms ({sw.Elapsed.TotalMicroseconds / Math.Max(1, evicted):0.00} µs each)"));
        return mismatches == 0 ? 0 : 1;
    }

    private static OperationalIntent PathIntent(Random rnd)
    {
        double lon = 106.5 + (rnd.NextDouble() * 0.5), lat = 26.4 + (rnd.NextDouble() * 0.45);
        DateTimeOffset start = Day.AddMinutes(rnd.Next(0, 1380));
        int layer = rnd.Next(4);
        double heading = rnd.NextDouble() * 360;
        var vols = new Volume4D[10];
        var p = new GeoPoint(lon, lat);
        for (int k = 0; k < 10; k++)
        {
            GeoPoint q = Geodesic.Wgs84.Direct(p, heading, 1000).Destination;
            vols[k] = new Volume4D(
                new Volume3D(new PolygonFootprint(Corridor(p, q, 100)), Altitude.W84(GroundW84M + (30 * layer)), Altitude.W84(GroundW84M + (30 * (layer + 1)))),
                new TimeWindow(start.AddMinutes(3 * k), start.AddMinutes((3 * k) + 4)));
            p = q;
            heading += rnd.NextDouble() * 40 - 20;
        }

        return new OperationalIntent
        {
            Id = Guid.NewGuid(), OwnerId = "bench", OperatorId = "op", AircraftId = "ac", PilotId = "p", Volumes = vols, Ovn = Ovn.New(),
        };
    }

    private static Volume4D RandomCorridor(Random rnd, DateTimeOffset day, TimeSpan span)
    {
        // Centre uniform in 106.5–107.0 E × 26.4–26.85 N (≈ 50 × 50 km around Guiyang).
        var c = new GeoPoint(106.5 + (rnd.NextDouble() * 0.5), 26.4 + (rnd.NextDouble() * 0.45));
        double len = 500 + (rnd.NextDouble() * 2500), heading = rnd.NextDouble() * 360;
        GeoPoint a = Geodesic.Wgs84.Direct(c, heading, len / 2).Destination;
        GeoPoint b = Geodesic.Wgs84.Direct(c, heading + 180, len / 2).Destination;
        int layer = rnd.Next(4);
        DateTimeOffset start = day.AddSeconds(rnd.NextDouble() * span.TotalSeconds);
        DateTimeOffset end = start.AddMinutes(5 + (rnd.NextDouble() * 25));
        return new Volume4D(
            new Volume3D(new PolygonFootprint(Corridor(a, b, 100)), Altitude.W84(GroundW84M + (30 * layer)), Altitude.W84(GroundW84M + (30 * (layer + 1)))),
            new TimeWindow(start, end));
    }

    private static Polygon Corridor(GeoPoint a, GeoPoint b, double widthM)
    {
        var plane = new LocalTangentPlane(a);
        PlanarPoint pb = plane.Forward(b);
        double len = Math.Sqrt((pb.EastM * pb.EastM) + (pb.NorthM * pb.NorthM));
        double nx = -pb.NorthM / len * widthM / 2, ny = pb.EastM / len * widthM / 2;
        GeoPoint c1 = plane.Inverse(new PlanarPoint(nx, ny));
        GeoPoint c2 = plane.Inverse(new PlanarPoint(pb.EastM + nx, pb.NorthM + ny));
        GeoPoint c3 = plane.Inverse(new PlanarPoint(pb.EastM - nx, pb.NorthM - ny));
        GeoPoint c4 = plane.Inverse(new PlanarPoint(-nx, -ny));
        return FootprintGeometry.Factory.CreatePolygon(
        [
            new Coordinate(c1.LonDeg, c1.LatDeg), new Coordinate(c4.LonDeg, c4.LatDeg), new Coordinate(c3.LonDeg, c3.LatDeg),
            new Coordinate(c2.LonDeg, c2.LatDeg), new Coordinate(c1.LonDeg, c1.LatDeg),
        ]);
    }

    private static void Report(string label, double[] us)
    {
        double[] s = [.. us];
        Array.Sort(s);
        double P(double p) => s[Math.Min(s.Length - 1, (int)Math.Ceiling(p * s.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: n={s.Length} p50={P(0.50):0.0} µs p95={P(0.95):0.0} µs p99={P(0.99):0.0} µs max={s[^1]:0.0} µs mean={s.Average():0.0} µs"));
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}

