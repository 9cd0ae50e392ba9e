using System.CommandLine;
using Yunlu.Server.Supervision.Bench;

namespace Yunlu.Cli.Commands;

/// <summary>
/// <c>yunlu bench supervise [--drones N] [--hz H] [--seconds S] [--baseline-seconds B] [--message-positions M] [--warmup-seconds W]</c>:
/// the end-to-end supervision scenario (simulator → WebSocket ingestion over loopback → checks → SignalR out) with the
/// HTTP batch baseline in the same run (<see cref="SuperviseBench"/>). Prints positions/s, drops, memory start/end,
/// alert latency p50/p95/p99, client and server CPU and the per-stage CPU of the server.
/// </summary>
public static class SuperviseBenchCommand
{
    /// <summary>The <c>supervise</c> subcommand of <c>bench</c>.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var drones = new Option<int>("--drones") { Description = "Simulated drones (default 10 000).", DefaultValueFactory = _ => 10_000 };
        var hz = new Option<int>("--hz") { Description = "Positions per drone per second (default 2).", DefaultValueFactory = _ => 2 };
        var seconds = new Option<int>("--seconds") { Description = "Duration of the WebSocket phase, s (default 120).", DefaultValueFactory = _ => 120 };
        var baseline = new Option<int>("--baseline-seconds") { Description = "Duration of the HTTP batch baseline, s (default 45; 0 = skip).", DefaultValueFactory = _ => 45 };
        var message = new Option<int>("--message-positions") { Description = "Positions per WebSocket message / HTTP request (default 1 000).", DefaultValueFactory = _ => 1000 };
        var warmup = new Option<int>("--warmup-seconds") { Description = "Alerts on positions sent in each phase's first W s are reported apart, not in the percentiles (default 10; at most half the phase).", DefaultValueFactory = _ => 10 };
        var command = new Command("supervise",
            "End-to-end supervision benchmark in one process: simulator → WebSocket ingestion over loopback → checks → SignalR out, " +
            "with the HTTP batch baseline in the same run. Prints positions/s, dropped, memory start/end, alert latency p50/p95/p99 and CPU per stage.")
        {
            drones, hz, seconds, baseline, message, warmup,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new SuperviseBenchOptions(parse.GetValue(drones), parse.GetValue(hz), parse.GetValue(seconds), parse.GetValue(baseline), parse.GetValue(message),
                WarmupSeconds: parse.GetValue(warmup));
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                await stderr.WriteLineAsync(("yunlu bench supervise: " + ex.Message).AsMemory(), ct).ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            await SuperviseBench.RunAsync(options, stdout, ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
