using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Yunlu.Geo.Diagnostics;

/// <summary>
/// CPU time consumed by the calling thread (Linux: POSIX <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>, ns resolution).
/// Benchmarks report it next to wall time because on a shared machine wall time includes the time a thread waited for
/// a core. The one place in Yunlu that calls the native clock.
/// </summary>
public static class ThreadCpu
{
    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID on Linux
    private static readonly bool Available = OperatingSystem.IsLinux() && Probe();

    /// <summary>True when thread CPU time is measured on this platform.</summary>
    public static bool IsThreadCpu => Available;

    /// <summary>The calling thread's CPU time so far, ns; where the clock is missing, a wall-clock reading (so that
    /// differences stay meaningful as elapsed time).</summary>
    public static long NowNs()
    {
        if (Available && ClockGetTime(ThreadCpuClock, out Timespec ts) == 0)
        {
            return (ts.Seconds * 1_000_000_000L) + ts.Nanoseconds;
        }

        return (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
    }

    /// <summary>The calling thread's CPU time so far, ms; <see cref="double.NaN"/> where the clock is missing.</summary>
    public static double NowMs() =>
        Available && ClockGetTime(ThreadCpuClock, out Timespec ts) == 0 ? (ts.Seconds * 1e3) + (ts.Nanoseconds / 1e6) : double.NaN;

    /// <summary>The calling thread's CPU time so far, µs; <see cref="double.NaN"/> where the clock is missing.</summary>
    public static double NowUs() => NowMs() * 1e3;

    private static bool Probe()
    {
        try
        {
            return ClockGetTime(ThreadCpuClock, out _) == 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ClockGetTime(int clockId, out Timespec ts);
}
