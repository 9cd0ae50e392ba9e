namespace Yunlu.Server.Supervision;

/// <summary>UTC instants as microseconds since the Unix epoch (the recording's time column).</summary>
public static class Micros
{
    /// <summary>Microseconds since 1970-01-01T00:00:00Z.</summary>
    public static long From(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <summary>The instant of <paramref name="us"/> microseconds since the epoch.</summary>
    public static DateTimeOffset To(long us) => new(DateTimeOffset.UnixEpoch.UtcTicks + (us * 10), TimeSpan.Zero);
}
