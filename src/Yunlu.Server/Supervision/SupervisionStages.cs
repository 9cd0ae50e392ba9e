using System.Diagnostics;
using Yunlu.Geo.Diagnostics;

namespace Yunlu.Server.Supervision;

/// <summary>The stages of the live pipeline whose cost <see cref="SupervisionStages"/> accumulates.</summary>
public enum SupervisionStage
{
    /// <summary>Parsing WebSocket / HTTP JSON into positions (the connection's thread).</summary>
    Parse,

    /// <summary>Taking queued positions into tracks (the engine loop).</summary>
    TrackUpdate,

    /// <summary>The checks (<c>SupervisionEngine.RunCycle</c>).</summary>
    Checks,

    /// <summary>Alert events into the registry and onto the push queue.</summary>
    Alerts,

    /// <summary>Building the published picture (track DTOs), intent sync, forgetting silent tracks.</summary>
    Publish,

    /// <summary>Writing recording batches to the store (the writer's thread).</summary>
    Recorder,

    /// <summary>Serialising and sending SignalR <c>tracks</c> messages.</summary>
    PushTracks,

    /// <summary>Serialising and sending SignalR <c>alert</c> messages.</summary>
    PushAlerts,

    /// <summary>The per-batch checks of the aircraft just taken in (<c>SupervisionEngine.RunStep</c>; items = aircraft checked).</summary>
    StepChecks,
}

/// <summary>
/// Thread-safe per-stage cost counters of the live pipeline: calls, items, wall time and the CPU time of the thread
/// that ran the stage (POSIX <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c> on Linux; wall time elsewhere). A stage is
/// measured around its synchronous part only, so CPU time is never charged across an await.
/// </summary>
public sealed class SupervisionStages
{
    private static readonly int Count = Enum.GetValues<SupervisionStage>().Length;
    private readonly long[] _calls = new long[Count];
    private readonly long[] _items = new long[Count];
    private readonly long[] _wallTicks = new long[Count];
    private readonly long[] _cpuNs = new long[Count];

    /// <summary>A started measurement; pass it to <see cref="End"/>.</summary>
    /// <param name="Timestamp">Stopwatch timestamp at the start.</param>
    /// <param name="CpuNs">Thread CPU time at the start, ns.</param>
    public readonly record struct Mark(long Timestamp, long CpuNs);

    /// <summary>Starts measuring on the calling thread.</summary>
    public static Mark Begin() => new(Stopwatch.GetTimestamp(), ThreadCpu.NowNs());

    /// <summary>Adds the cost since <paramref name="mark"/> (same thread, no await in between) to a stage.</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="mark">From <see cref="Begin"/>.</param>
    /// <param name="items">Items handled (positions, events, tracks).</param>
    public void End(SupervisionStage stage, Mark mark, long items)
    {
        long wall = Stopwatch.GetTimestamp() - mark.Timestamp;
        long cpu = ThreadCpu.NowNs() - mark.CpuNs;
        int s = (int)stage;
        Interlocked.Increment(ref _calls[s]);
        Interlocked.Add(ref _items[s], items);
        Interlocked.Add(ref _wallTicks[s], wall);
        Interlocked.Add(ref _cpuNs[s], cpu);
    }

    /// <summary>The totals so far, one entry per stage.</summary>
    public IReadOnlyList<StageTotals> Snapshot()
    {
        var list = new List<StageTotals>(Count);
        for (int s = 0; s < Count; s++)
        {
            list.Add(new StageTotals((SupervisionStage)s, Interlocked.Read(ref _calls[s]), Interlocked.Read(ref _items[s]),
                Interlocked.Read(ref _wallTicks[s]) * 1000.0 / Stopwatch.Frequency, Interlocked.Read(ref _cpuNs[s]) / 1e6));
        }

        return list;
    }
}

/// <summary>One stage's totals.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Calls">Measured calls.</param>
/// <param name="Items">Items handled.</param>
/// <param name="WallMs">Wall time, ms.</param>
/// <param name="CpuMs">Thread CPU time, ms.</param>
public readonly record struct StageTotals(SupervisionStage Stage, long Calls, long Items, double WallMs, double CpuMs);
