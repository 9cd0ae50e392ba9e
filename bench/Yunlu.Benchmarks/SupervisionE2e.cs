using System.Globalization;
using Yunlu.Server.Supervision.Bench;

namespace Yunlu.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Yunlu.Benchmarks -- supervise-e2e [--drones 10000] [--hz 2] [--seconds 120] [--baseline-seconds 45] [--message-positions 1000]</c>:
/// the same run as <c>yunlu bench supervise</c> (<see cref="SuperviseBench"/>: simulator → WebSocket over loopback →
/// checks → SignalR out, with the HTTP batch baseline in the same run).
/// </summary>
internal static class SupervisionE2e
{
    public static int Run(string[] args)
    {
        var options = new SuperviseBenchOptions(Arg(args, "--drones", 10_000), Arg(args, "--hz", 2), Arg(args, "--seconds", 120), Arg(args, "--baseline-seconds", 45),
            Arg(args, "--message-positions", 1000), WarmupSeconds: Arg(args, "--warmup-seconds", 10));
        SuperviseBench.RunAsync(options, Console.Out, CancellationToken.None).GetAwaiter().GetResult();
        return 0;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
