namespace Yunlu.Server.Supervision;

/// <summary>The ingestion transports whose counters <c>GET /status</c> reports.</summary>
public enum IngestSource
{
    /// <summary>POST /positions.</summary>
    Http,

    /// <summary>The WebSocket /ws.</summary>
    WebSocket,

    /// <summary>POST /remoteid (ASTM F3411 and GB 46750 payloads).</summary>
    RemoteId,

    /// <summary>The MAVLink UDP listener.</summary>
    Mavlink,

    /// <summary>The SBS-1 ADS-B feed.</summary>
    Adsb,

    /// <summary>The server-side traffic simulator.</summary>
    Simulator,
}

/// <summary>Thread-safe counters per ingestion transport.</summary>
public sealed class IngestCounters
{
    /// <summary>The wire names, indexed by <see cref="IngestSource"/>.</summary>
    public static readonly string[] Names = ["http", "ws", "remoteid", "mavlink", "adsb", "simulator"];

    private readonly long[] _received = new long[Names.Length];
    private readonly long[] _rejected = new long[Names.Length];
    private readonly long[] _dropped = new long[Names.Length];
    private readonly long[] _badFrames = new long[Names.Length];

    /// <summary>Counts queued positions.</summary>
    public void Received(IngestSource s, long n = 1) => Interlocked.Add(ref _received[(int)s], n);

    /// <summary>Counts invalid positions.</summary>
    public void Rejected(IngestSource s, long n = 1) => Interlocked.Add(ref _rejected[(int)s], n);

    /// <summary>Counts valid positions dropped for a full queue.</summary>
    public void Dropped(IngestSource s, long n = 1) => Interlocked.Add(ref _dropped[(int)s], n);

    /// <summary>Counts undecodable frames, lines or messages.</summary>
    public void BadFrames(IngestSource s, long n = 1) => Interlocked.Add(ref _badFrames[(int)s], n);

    /// <summary>The bad frames of one source so far.</summary>
    public long BadFramesOf(IngestSource s) => Interlocked.Read(ref _badFrames[(int)s]);

    /// <summary>The received positions of one source so far.</summary>
    public long ReceivedOf(IngestSource s) => Interlocked.Read(ref _received[(int)s]);

    /// <summary>Bad frames plus dropped positions over every source.</summary>
    public long TotalDropped()
    {
        long n = 0;
        for (int i = 0; i < Names.Length; i++)
        {
            n += Interlocked.Read(ref _badFrames[i]) + Interlocked.Read(ref _dropped[i]);
        }

        return n;
    }

    /// <summary>A snapshot by wire name.</summary>
    public Dictionary<string, SourceStatusDto> Snapshot()
    {
        var map = new Dictionary<string, SourceStatusDto>(StringComparer.Ordinal);
        for (int i = 0; i < Names.Length; i++)
        {
            map[Names[i]] = new SourceStatusDto(Interlocked.Read(ref _received[i]), Interlocked.Read(ref _rejected[i]), Interlocked.Read(ref _dropped[i]), Interlocked.Read(ref _badFrames[i]));
        }

        return map;
    }
}
