using Yunlu.Supervision.Alerts;
using Yunlu.Supervision.Checks;

namespace Yunlu.Supervision.Replay;

/// <summary>
/// Runs the supervision checks over recorded reports as fast as possible: reports are taken in time order, and a
/// cycle runs at every distinct report time and at every tick between two report times (so that time-driven alerts
/// such as lost link fire at their due time even when the air is quiet).
/// </summary>
public static class ReplayRunner
{
    /// <summary>Replays <paramref name="reports"/> through <paramref name="engine"/>.</summary>
    /// <param name="engine">The engine (with its zones and intents).</param>
    /// <param name="reports">Reports; sorted by time here (stable, so equal times keep their order).</param>
    /// <param name="sink">Receives every alert event, in order.</param>
    /// <param name="tick">Cycle spacing between report times (1 s by default).</param>
    /// <param name="cancellationToken">Stops the replay between cycles.</param>
    /// <returns>The number of cycles run.</returns>
    public static long Run(SupervisionEngine engine, IEnumerable<PositionReport> reports, Action<AlertEvent> sink, TimeSpan? tick = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(sink);
        TimeSpan step = tick ?? TimeSpan.FromSeconds(1);
        if (step <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(tick), "the tick must be positive");
        }

        PositionReport[] sorted = [.. reports];
        var order = new int[sorted.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            int c = sorted[a].Time.CompareTo(sorted[b].Time);
            return c != 0 ? c : a.CompareTo(b);
        });

        var events = new List<AlertEvent>();
        long cycles = 0;
        int k = 0;
        while (k < order.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DateTimeOffset t = sorted[order[k]].Time;
            while (k < order.Length && sorted[order[k]].Time == t)
            {
                engine.Ingest(sorted[order[k]]);
                k++;
            }

            Cycle(engine, t, events, sink);
            cycles++;
            if (k < order.Length)
            {
                DateTimeOffset next = sorted[order[k]].Time;
                for (DateTimeOffset q = t + step; q < next; q += step)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    Cycle(engine, q, events, sink);
                    cycles++;
                }
            }
        }

        return cycles;
    }

    private static void Cycle(SupervisionEngine engine, DateTimeOffset t, List<AlertEvent> events, Action<AlertEvent> sink)
    {
        events.Clear();
        engine.RunCycle(t, events);
        foreach (AlertEvent e in events)
        {
            sink(e);
        }
    }
}
