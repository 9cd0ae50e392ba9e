using System.Diagnostics;
using System.Globalization;
using System.Text;
using Yunlu.Geo.Diagnostics;

namespace Yunlu.Routing.Grid;

/// <summary>Options of a <see cref="WarframeBench"/> run.</summary>
/// <param name="Limit">Run only the first N problems; null for all.</param>
/// <param name="AnyAngle">Report the any-angle length instead of the grid length.</param>
/// <param name="WithBaseline">Also run <see cref="PlainGridAStar"/> on every problem and report it side by side.</param>
/// <param name="JumpPoint">Plan with <see cref="JumpPointSearch3D"/> instead of the default engine <see cref="GridAStar"/>
/// (both exact; the engine is the faster one on the Warframe maps, see docs/benchmarks/routing.md).</param>
/// <param name="ForwardOnly">Run <see cref="GridAStar"/> with <see cref="GridAStar.Bidirectional"/> off (forward A* only), for
/// comparison with the default race of a forward and a backward search.</param>
/// <param name="ThreadCpuTime">Also measure each problem's CPU time of the planning thread (POSIX thread CPU clock, Linux) and report <c>"cpu_ms"</c> per problem and <c>"cpu_*"</c> percentiles in the
/// summary; on a loaded machine wall-clock time includes waiting for a core, CPU time does not. With two threads
/// <c>"cpu_ms"</c> is the sum over both threads and <c>"helper_cpu_ms"</c> the second thread's part. Also adds
/// <c>"expansions"</c> (both directions) per problem.</param>
/// <param name="Threads">Threads per search of <see cref="GridAStar"/> (<see cref="GridAStar.Threads"/>: 2 by default here, 1
/// for the single-thread engine).</param>
/// <param name="MeetAfterExpansions">Race budget per direction before meet-in-the-middle
/// (<see cref="GridAStar.MeetAfterExpansions"/>); null for the engine's default.</param>
/// <param name="Problems">Run only the problems with these scenario indices (0-based, as in the output); null for all.</param>
public sealed record WarframeBenchOptions(int? Limit = null, bool AnyAngle = false, bool WithBaseline = false, bool JumpPoint = false,
    bool ForwardOnly = false, bool ThreadCpuTime = false, int Threads = 2, long? MeetAfterExpansions = null,
    IReadOnlySet<int>? Problems = null);

/// <summary>Summary of a <see cref="WarframeBench"/> run.</summary>
/// <param name="Problems">Problems run.</param>
/// <param name="Mismatches">Exact mode: problems with |length − optimal| &gt; 1e−3·optimal. Any-angle mode:
/// problems whose any-angle length exceeds the published optimum by more than 1e−3 relative.</param>
/// <param name="P50Ms">Median planning time, ms.</param>
/// <param name="P95Ms">95th percentile planning time (nearest rank), ms.</param>
/// <param name="MaxMs">Largest planning time, ms.</param>
/// <param name="MeanRatio">Any-angle mode: mean of any-angle length / published optimum; otherwise NaN.</param>
public sealed record WarframeBenchSummary(int Problems, int Mismatches, double P50Ms, double P95Ms, double MaxMs, double MeanRatio)
{
    /// <summary>Wall-clock time to read the map and build the bit-packed grid, ms (the only per-map preprocessing of the
    /// exact planner); NaN when the grid was passed in.</summary>
    public double MapLoadMs { get; init; } = double.NaN;

    /// <summary>Bytes of the bit-packed occupancy grid; 0 when the grid was passed in.</summary>
    public long GridBytes { get; init; }
}

/// <summary>
/// Runs a MovingAI 3D scenario (e.g. the Warframe maps) through <see cref="GridAStar"/> and writes one JSON line per
/// problem, <c>{"problem":i,"optimal":o,"length":l,"ms":t}</c>, then a summary line
/// <c>{"problems":n,"mismatches":m,"p50_ms":..,"p95_ms":..,"max_ms":..}</c>. Any-angle mode adds
/// <c>"grid_length"</c> per problem and <c>"mean_ratio"</c> and <c>"grid_mismatches"</c> (exact-mode check of the
/// grid path) to the summary; baseline mode adds
/// <c>"baseline_length"</c>/<c>"baseline_ms"</c> per problem and <c>"baseline_*"</c> summary fields.
/// Times are wall-clock per problem (map loading excluded; the first problem is planned once untimed to JIT the code),
/// measured with <see cref="Stopwatch"/>.
/// </summary>
public static class WarframeBench
{
    /// <summary>Relative tolerance of the published optimum (the benchmark's 1e−3).</summary>
    public const double RelativeTolerance = 1e-3;

    /// <summary>The <c>yunlu bench plan</c> entry point.</summary>
    public static WarframeBenchSummary Run(string mapPath, string scenPath, int? limit, bool anyAngle, TextWriter output, CancellationToken ct) =>
        Run(mapPath, scenPath, new WarframeBenchOptions(limit, anyAngle), output, ct);

    /// <summary>Runs with explicit options.</summary>
    public static WarframeBenchSummary Run(string mapPath, string scenPath, WarframeBenchOptions options, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        if (options.Limit is < 0) throw new ArgumentOutOfRangeException(nameof(options), options.Limit, "limit must be non-negative.");
        long t0 = Stopwatch.GetTimestamp();
        VoxelGrid grid = MovingAi3D.LoadMap(mapPath);
        double loadMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        return Run(grid, MovingAi3D.ReadScenario(scenPath), options, output, ct) with
        {
            MapLoadMs = loadMs,
            GridBytes = grid.MemoryBytes,
        };
    }

    /// <summary>Runs problems over a loaded grid.</summary>
    public static WarframeBenchSummary Run(VoxelGrid grid, IEnumerable<ScenarioProblem> problems, WarframeBenchOptions options,
        TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        GridAStar? engine = options.JumpPoint
            ? null
            : new GridAStar(grid)
            {
                Bidirectional = !options.ForwardOnly,
                Threads = options.Threads,
                MeetAfterExpansions = options.MeetAfterExpansions ?? GridAStar.DefaultMeetAfterExpansions,
            };
        Func<GridPoint, GridPoint, CancellationToken, GridPath> planner = engine is null ? new JumpPointSearch3D(grid).FindPath : engine.FindPath;
        var cpuTimes = new List<double>();
        PlainGridAStar? baseline = options.WithBaseline ? new PlainGridAStar(grid) : null;
        var times = new List<double>();
        var baseTimes = new List<double>();
        int mismatches = 0, baseMismatches = 0, gridMismatches = 0;
        double ratioSum = 0;
        var line = new StringBuilder(160);
        foreach (ScenarioProblem p in problems)
        {
            if (options.Limit is int lim && times.Count >= lim) break;
            if (options.Problems is { } only && !only.Contains(p.Index)) continue;
            ct.ThrowIfCancellationRequested();
            if (times.Count == 0)
            {
                // Warm-up (JIT) on the first problem, untimed, so the first line measures planning, not compilation.
                GridPath warm = planner(p.Start, p.Goal, ct);
                if (options.AnyAngle) AnyAnglePlanner.Smooth(grid, warm);
                baseline?.FindPath(p.Start, p.Goal, ct);
            }

            double cpu0 = options.ThreadCpuTime ? ThreadCpu.NowMs() : 0;
            long t0 = Stopwatch.GetTimestamp();
            GridPath path = planner(p.Start, p.Goal, ct);
            double length = path.LengthVoxels;
            double gridLength = length;
            if (options.AnyAngle) length = AnyAnglePlanner.Smooth(grid, path).LengthVoxels;
            double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            double cpuMs = options.ThreadCpuTime ? ThreadCpu.NowMs() - cpu0 + (engine?.LastHelperCpuMs ?? 0) : 0;
            times.Add(ms);
            if (options.ThreadCpuTime) cpuTimes.Add(cpuMs);
            double tol = RelativeTolerance * p.OptimalLength;
            bool mismatch = options.AnyAngle ? !(length <= p.OptimalLength + tol) : !(Math.Abs(length - p.OptimalLength) <= tol);
            if (mismatch) mismatches++;
            if (!(Math.Abs(gridLength - p.OptimalLength) <= tol)) gridMismatches++;
            if (options.AnyAngle && p.OptimalLength > 0) ratioSum += length / p.OptimalLength;
            else if (options.AnyAngle) ratioSum += 1;

            line.Clear();
            line.Append(CultureInfo.InvariantCulture, $"{{\"problem\":{p.Index},\"optimal\":{Num(p.OptimalLength)},\"length\":{Num(length)},\"ms\":{Num(ms)}");
            if (options.AnyAngle) line.Append(CultureInfo.InvariantCulture, $",\"grid_length\":{Num(gridLength)}");
            if (options.ThreadCpuTime)
            {
                line.Append(CultureInfo.InvariantCulture, $",\"cpu_ms\":{Num(cpuMs)},\"helper_cpu_ms\":{Num(engine?.LastHelperCpuMs ?? 0)},\"expansions\":{path.Expansions}");
            }

            if (baseline is not null)
            {
                long b0 = Stopwatch.GetTimestamp();
                GridPath bp = baseline.FindPath(p.Start, p.Goal, ct);
                double bms = Stopwatch.GetElapsedTime(b0).TotalMilliseconds;
                baseTimes.Add(bms);
                if (!(Math.Abs(bp.LengthVoxels - p.OptimalLength) <= tol)) baseMismatches++;
                line.Append(CultureInfo.InvariantCulture, $",\"baseline_length\":{Num(bp.LengthVoxels)},\"baseline_ms\":{Num(bms)}");
            }

            line.Append('}');
            output.WriteLine(line.ToString());
        }

        var summary = new WarframeBenchSummary(times.Count, mismatches, Percentile(times, 0.50), Percentile(times, 0.95),
            Percentile(times, 1.0), options.AnyAngle && times.Count > 0 ? ratioSum / times.Count : double.NaN);
        line.Clear();
        line.Append(CultureInfo.InvariantCulture,
            $"{{\"problems\":{summary.Problems},\"mismatches\":{summary.Mismatches},\"p50_ms\":{Num(summary.P50Ms)},\"p95_ms\":{Num(summary.P95Ms)},\"max_ms\":{Num(summary.MaxMs)}");
        if (options.AnyAngle) line.Append(CultureInfo.InvariantCulture, $",\"mean_ratio\":{Num(summary.MeanRatio)},\"grid_mismatches\":{gridMismatches}");
        if (options.ThreadCpuTime)
        {
            line.Append(CultureInfo.InvariantCulture,
                $",\"cpu_p50_ms\":{Num(Percentile(cpuTimes, 0.50))},\"cpu_p95_ms\":{Num(Percentile(cpuTimes, 0.95))},\"cpu_max_ms\":{Num(Percentile(cpuTimes, 1.0))}");
        }

        if (baseline is not null)
        {
            line.Append(CultureInfo.InvariantCulture,
                $",\"baseline_mismatches\":{baseMismatches},\"baseline_p50_ms\":{Num(Percentile(baseTimes, 0.50))},\"baseline_p95_ms\":{Num(Percentile(baseTimes, 0.95))},\"baseline_max_ms\":{Num(Percentile(baseTimes, 1.0))}");
        }

        line.Append('}');
        output.WriteLine(line.ToString());
        output.Flush();
        return summary;
    }

    /// <summary>Nearest-rank percentile (q in (0, 1]); 0 for an empty list.</summary>
    internal static double Percentile(List<double> values, double q)
    {
        if (values.Count == 0) return 0;
        var sorted = values.ToArray();
        Array.Sort(sorted);
        int rank = (int)Math.Ceiling(q * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    private static string Num(double v) =>
        double.IsFinite(v) ? v.ToString("0.########", CultureInfo.InvariantCulture) : "null";
}
