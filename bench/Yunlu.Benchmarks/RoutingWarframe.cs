using System.Globalization;
using Yunlu.Routing.Grid;

namespace Yunlu.Benchmarks;

/// <summary>
/// Console runner for the Warframe scenario benchmark (what <c>yunlu bench plan</c> runs):
/// <c>dotnet run -c Release --project bench/Yunlu.Benchmarks -- warframe --map M --scen S [--limit N] [--any-angle] [--baseline] [--jps] [--forward-only] [--cpu] [--summary-only] [--threads 1|2] [--meet-after N] [--problems i,j,..]</c>.
/// Writes the map-load (preprocessing) time and the grid's memory to standard error.
/// </summary>
public static class RoutingWarframe
{
    public static int Run(string[] args)
    {
        string? map = null, scen = null;
        int? limit = null;
        bool anyAngle = false, baseline = false, summaryOnly = false, jps = false, forwardOnly = false, cpu = false;
        int threads = 2;
        long? meetAfter = null;
        HashSet<int>? problems = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--map": map = args[++i]; break;
                case "--scen": scen = args[++i]; break;
                case "--limit": limit = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--any-angle": anyAngle = true; break;
                case "--baseline": baseline = true; break;
                case "--summary-only": summaryOnly = true; break;
                case "--jps": jps = true; break;
                case "--forward-only": forwardOnly = true; break;
                case "--cpu": cpu = true; break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--meet-after": meetAfter = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--problems":
                    problems = [];
                    foreach (string part in args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        problems.Add(int.Parse(part, CultureInfo.InvariantCulture));
                    }

                    break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'");
                    return 2;
            }
        }

        if (map is null || scen is null)
        {
            Console.Error.WriteLine("usage: warframe --map FILE.3dmap --scen FILE.3dscen [--limit N] [--any-angle] [--baseline] [--jps] [--forward-only] [--cpu] [--summary-only] [--threads 1|2] [--meet-after N] [--problems i,j,..]");
            return 2;
        }

        TextWriter output = summaryOnly ? new LastLineWriter(Console.Out) : Console.Out;
        var summary = WarframeBench.Run(map, scen, new WarframeBenchOptions(limit, anyAngle, baseline, jps, forwardOnly, cpu, threads, meetAfter, problems), output, CancellationToken.None);
        output.Flush();
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"preprocessing: map load and bit-packed grid {summary.MapLoadMs:0} ms, grid {summary.GridBytes / 1048576.0:0.0} MiB; peak process memory {self.PeakWorkingSet64 / 1048576.0:0} MiB"));
        return summary.Mismatches == 0 ? 0 : 1;
    }

    /// <summary>Forwards only mismatching problem lines and the summary (the last line).</summary>
    private sealed class LastLineWriter(TextWriter inner) : TextWriter
    {
        private string? _last;

        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void WriteLine(string? value)
        {
            if (_last is not null && _last.Contains("\"problem\":", StringComparison.Ordinal) && IsMismatch(_last)) inner.WriteLine(_last);
            _last = value;
        }

        public override void Flush()
        {
            if (_last is not null) inner.WriteLine(_last);
            _last = null;
            inner.Flush();
        }

        private static bool IsMismatch(string line)
        {
            double optimal = Field(line, "\"optimal\":");
            double length = Field(line, "\"length\":");
            return !(Math.Abs(length - optimal) <= 1e-3 * optimal) && !(line.Contains("grid_length", StringComparison.Ordinal) && length <= optimal * 1.001);
        }

        private static double Field(string line, string key)
        {
            int i = line.IndexOf(key, StringComparison.Ordinal) + key.Length;
            int j = line.IndexOfAny([',', '}'], i);
            return double.TryParse(line.AsSpan(i, j - i), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN;
        }
    }
}
