using System.CommandLine;
using System.Globalization;
using Yunlu.Routing.Grid;

namespace Yunlu.Cli.Commands;

/// <summary><c>yunlu bench plan</c>: the MovingAI 3D (Warframe) benchmark through the exact grid planner.</summary>
public static class BenchCommands
{
    /// <summary>How often (in problems) progress is written to standard error.</summary>
    public const int ProgressEvery = 100;

    /// <summary>The <c>bench</c> command group.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var bench = new Command("bench", "Benchmarks.");
        bench.Subcommands.Add(Plan(stdout, stderr));
        bench.Subcommands.Add(SuperviseBenchCommand.Create(stdout, stderr));
        return bench;
    }

    private static Command Plan(TextWriter stdout, TextWriter stderr)
    {
        var map = new Option<FileInfo>("--map") { Description = "MovingAI 3D map (.3dmap).", Required = true };
        var scen = new Option<FileInfo>("--scen") { Description = "MovingAI 3D scenario (.3dscen).", Required = true };
        var limit = new Option<int?>("--limit") { Description = "Run only the first N problems." };
        var anyAngle = new Option<bool>("--any-angle") { Description = "Report any-angle (line-of-sight smoothed) lengths instead of grid lengths." };
        var command = new Command("plan",
            "Plans every problem of a scenario; writes one JSON line per problem {\"problem\",\"optimal\",\"length\",\"ms\"} and a summary line " +
            "{\"problems\",\"mismatches\",\"p50_ms\",\"p95_ms\",\"max_ms\"} to standard output, progress to standard error. Exit 0 even with mismatches; read the summary.")
        {
            map, scen, limit, anyAngle,
        };
        command.SetAction(async (parse, ct) =>
        {
            FileInfo mapFile = parse.GetValue(map)!, scenFile = parse.GetValue(scen)!;
            foreach (FileInfo f in new[] { mapFile, scenFile })
            {
                if (!f.Exists)
                {
                    await stderr.WriteLineAsync($"yunlu bench plan: {f.FullName}: no such file".AsMemory(), ct).ConfigureAwait(false);
                    return ExitCodes.IoError;
                }
            }

            int? n = parse.GetValue(limit);
            if (n is < 0)
            {
                await stderr.WriteLineAsync("yunlu bench plan: --limit: must be ≥ 0 [limit-range]".AsMemory(), ct).ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            using var progress = new ProgressWriter(stdout, stderr);
            try
            {
                // The planner is synchronous and CPU-bound: run it off the caller's thread, cancellable between problems.
                WarframeBenchSummary summary = await Task.Run(
                    () => WarframeBench.Run(mapFile.FullName, scenFile.FullName, n, parse.GetValue(anyAngle), progress, ct), ct).ConfigureAwait(false);
                await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"bench plan: {summary.Problems} problems, {summary.Mismatches} mismatches, p50 {summary.P50Ms:0.###} ms, p95 {summary.P95Ms:0.###} ms, max {summary.MaxMs:0.###} ms").AsMemory(), ct).ConfigureAwait(false);
            }
            catch (FormatException ex)
            {
                await stderr.WriteLineAsync($"yunlu bench plan: {ex.Message}".AsMemory(), ct).ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
            catch (IOException ex)
            {
                await stderr.WriteLineAsync($"yunlu bench plan: {ex.Message}".AsMemory(), ct).ConfigureAwait(false);
                return ExitCodes.IoError;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Passes lines through to standard output and reports progress on standard error every
    /// <see cref="ProgressEvery"/> lines.</summary>
    private sealed class ProgressWriter(TextWriter output, TextWriter progress) : TextWriter
    {
        private int _lines;

        public override System.Text.Encoding Encoding => output.Encoding;

        public override IFormatProvider FormatProvider => CultureInfo.InvariantCulture;

        public override void Write(char value) => output.Write(value);

        public override void Write(string? value) => output.Write(value);

        public override void WriteLine(string? value)
        {
            output.WriteLine(value);
            if (++_lines % ProgressEvery == 0)
            {
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench plan: {_lines} problems done"));
            }
        }

        public override void Flush() => output.Flush();
    }
}
