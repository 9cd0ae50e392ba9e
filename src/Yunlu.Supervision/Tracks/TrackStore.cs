using Yunlu.Geo;

namespace Yunlu.Supervision.Tracks;

/// <summary>
/// Maps the identities an aircraft is known by (Remote ID serial, ICAO address, registration, MAVLink system, …)
/// to one track id, so that the same aircraft arriving by two sources feeds one track.
/// </summary>
/// <remarks>
/// <para>Fusion rule 1 (registry, always on): an identity linked here resolves to its track id. The server links a
/// registered aircraft's identities to one track id — by convention its Remote ID serial, so that broadcast Remote ID
/// (ASTM F3411 BasicID / GB 46750 unique product identifier) needs no link and a MAVLink system id or an ADS-B address
/// declared for the same aircraft is linked to that serial with <see cref="LinkAll"/>.</para>
/// <para>Fusion rule 2 (proximity, off by default): see <see cref="Checks.SupervisionOptions.FusionHorizontalM"/>;
/// when the engine fuses two tracks it links the duplicate's identity here.</para>
/// </remarks>
public sealed class IdentityRegistry
{
    private readonly Dictionary<AircraftIdentity, string> _alias = [];

    /// <summary>Number of links.</summary>
    public int Count => _alias.Count;

    /// <summary>Declares that <paramref name="identity"/> belongs to the aircraft whose track id is <paramref name="trackId"/>.</summary>
    /// <param name="identity">An identity as a source reports it.</param>
    /// <param name="trackId">The canonical track id.</param>
    public void Link(AircraftIdentity identity, string trackId)
    {
        ArgumentException.ThrowIfNullOrEmpty(identity.Value);
        ArgumentException.ThrowIfNullOrEmpty(trackId);
        _alias[identity] = trackId;
    }

    /// <summary>Declares that all <paramref name="identities"/> belong to the aircraft whose track id is <paramref name="trackId"/>
    /// (e.g. a registry entry's Remote ID serial, MAVLink system and ICAO address).</summary>
    /// <param name="trackId">The canonical track id.</param>
    /// <param name="identities">The identities.</param>
    public void LinkAll(string trackId, IEnumerable<AircraftIdentity> identities)
    {
        ArgumentException.ThrowIfNullOrEmpty(trackId);
        ArgumentNullException.ThrowIfNull(identities);
        foreach (AircraftIdentity i in identities)
        {
            Link(i, trackId);
        }
    }

    /// <summary>Removes a link.</summary>
    /// <returns>False when the identity was not linked.</returns>
    public bool Unlink(AircraftIdentity identity) => _alias.Remove(identity);

    /// <summary>The track id for an identity: the linked one, else the identity's value itself.</summary>
    /// <param name="identity">The reported identity.</param>
    public string Resolve(AircraftIdentity identity) =>
        _alias.TryGetValue(identity, out string? id) ? id : identity.Value;
}

/// <summary>
/// The hot state of every track as flat arrays indexed by <see cref="Track.Index"/> (structure of arrays), kept in
/// step with the <see cref="Track"/> objects by the store so that per-cycle checks read contiguous memory.
/// </summary>
internal sealed class TrackTable
{
    public long[] LastTicks = [];
    public long[] IntervalTicks = [];
    public double[] EastM = [];
    public double[] NorthM = [];
    public double[] UpM = [];
    public double[] VelEastMps = [];
    public double[] VelNorthMps = [];
    public double[] VelUpMps = [];
    public double[] LonDeg = [];
    public double[] LatDeg = [];
    public double[] AltW84M = [];
    public double[] AltAmslM = [];
    public double[] AltAglM = [];
    public bool[] Manned = [];
    public int[] Serial = [];
    public string[] Id = [];

    public void Ensure(int n)
    {
        if (n <= LastTicks.Length)
        {
            return;
        }

        int cap = Math.Max(n, Math.Max(64, LastTicks.Length * 2));
        Array.Resize(ref LastTicks, cap);
        Array.Resize(ref IntervalTicks, cap);
        Array.Resize(ref EastM, cap);
        Array.Resize(ref NorthM, cap);
        Array.Resize(ref UpM, cap);
        Array.Resize(ref VelEastMps, cap);
        Array.Resize(ref VelNorthMps, cap);
        Array.Resize(ref VelUpMps, cap);
        Array.Resize(ref LonDeg, cap);
        Array.Resize(ref LatDeg, cap);
        Array.Resize(ref AltW84M, cap);
        Array.Resize(ref AltAmslM, cap);
        Array.Resize(ref AltAglM, cap);
        Array.Resize(ref Manned, cap);
        Array.Resize(ref Serial, cap);
        Array.Resize(ref Id, cap);
    }

    public void Write(Track t)
    {
        int k = t.Index;
        LastTicks[k] = t.LastTime.UtcTicks;
        IntervalTicks[k] = (long)(t.ReportIntervalS * TimeSpan.TicksPerSecond);
        EastM[k] = t.EastM;
        NorthM[k] = t.NorthM;
        UpM[k] = t.UpM;
        VelEastMps[k] = t.VelEastMps;
        VelNorthMps[k] = t.VelNorthMps;
        VelUpMps[k] = t.VelUpMps;
        LonDeg[k] = t.Position.LonDeg;
        LatDeg[k] = t.Position.LatDeg;
        AltW84M[k] = t.AltW84M;
        AltAmslM[k] = t.AltAmslM;
        AltAglM[k] = t.AltAglM;
        Manned[k] = t.IsManned;
        Serial[k] = t.Serial;
        Id[k] = t.Id;
    }
}

/// <summary>
/// All tracks, keyed by track id, with the local metric frame they are expressed in and the altitude converter that
/// fills the three altitude references.
/// </summary>
/// <remarks>
/// <para>Not thread-safe: one supervision loop owns it.</para>
/// <para>Stale tracks leave the store through <see cref="RemoveStale"/> (the engine calls it every cycle with
/// <see cref="Checks.SupervisionOptions.StaleTrackS"/>): the last track moves into each freed slot, so
/// <see cref="Track.Index"/> of the moved track changes and <see cref="Removals"/> counts up.</para>
/// </remarks>
public sealed class TrackStore
{
    /// <summary>Largest <see cref="Track.Serial"/> the store hands out (serials are packed into 30-bit alert keys).</summary>
    public const int MaxSerial = (1 << 30) - 1;

    private readonly Dictionary<string, Track> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _serialById = new(StringComparer.Ordinal);
    private readonly List<string> _idBySerial = [];
    private readonly List<Track> _tracks = [];
    private readonly int _historyCapacity;
    private readonly LocalTangentPlane _plane;

    /// <summary>Creates a store.</summary>
    /// <param name="frameOrigin">Origin of the local metric frame (pick the centre of the supervised area).</param>
    /// <param name="converter">Altitude converter; give it ground data for AGL.</param>
    /// <param name="historyCapacity">Reports kept per track (≥ 2).</param>
    public TrackStore(GeoPoint frameOrigin, AltitudeConverter converter, int historyCapacity = 64)
    {
        ArgumentNullException.ThrowIfNull(converter);
        ArgumentOutOfRangeException.ThrowIfLessThan(historyCapacity, 2);
        _plane = new LocalTangentPlane(frameOrigin);
        Converter = converter;
        _historyCapacity = historyCapacity;
    }

    /// <summary>The identity registry used to fuse sources.</summary>
    public IdentityRegistry Identities { get; } = new();

    /// <summary>The altitude converter.</summary>
    public AltitudeConverter Converter { get; }

    /// <summary>The local frame.</summary>
    public LocalTangentPlane Plane => _plane;

    /// <summary>The number of tracks.</summary>
    public int Count => _tracks.Count;

    /// <summary>Reports rejected by <see cref="PositionReport.Validate"/>.</summary>
    public long Rejected { get; private set; }

    /// <summary>Tracks removed so far (stale or fused into another); any change means indices may have moved.</summary>
    public long Removals { get; private set; }

    /// <summary>The tracks (index = <see cref="Track.Index"/>): creation order until tracks are removed.</summary>
    public IReadOnlyList<Track> All => _tracks;

    internal TrackTable Table { get; } = new();

    /// <summary>The track with this id, or null.</summary>
    public Track? Find(string id) => _byId.GetValueOrDefault(id);


    /// <summary>Takes one report into its track (created on first sight). Invalid reports are counted and dropped.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The updated track, or null when the report was invalid.</returns>
    public Track? Ingest(in PositionReport report)
    {
        if (report.Validate() is not null)
        {
            Rejected++;
            return null;
        }

        string id = Identities.Resolve(report.Aircraft);
        if (!_byId.TryGetValue(id, out Track? t))
        {
            if (!_serialById.TryGetValue(id, out int serial))
            {
                if (_idBySerial.Count > MaxSerial)
                {
                    throw new InvalidOperationException($"more than {MaxSerial} distinct track ids in one store");
                }

                serial = _idBySerial.Count;
                _serialById.Add(id, serial);
                _idBySerial.Add(id);
            }

            t = new Track(id, _tracks.Count, serial, _historyCapacity) { FirstIdentity = report.Aircraft };
            _byId.Add(id, t);
            _tracks.Add(t);
            Table.Ensure(_tracks.Count);
        }

        t.Update(report, _plane, Converter);
        Table.Write(t);
        return t;
    }

    /// <summary>Removes every track with no report for <paramref name="staleS"/> seconds or more at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="staleS">Age at which a track is removed, seconds (&gt; 0).</param>
    /// <param name="removed">Receives the removed tracks, or null.</param>
    /// <returns>The number removed.</returns>
    public int RemoveStale(DateTimeOffset now, double staleS, List<Track>? removed = null)
    {
        if (!(staleS > 0) || !double.IsFinite(staleS))
        {
            throw new ArgumentOutOfRangeException(nameof(staleS), "the stale time must be a finite number of seconds > 0");
        }

        long limit = now.UtcTicks - (long)(staleS * TimeSpan.TicksPerSecond);
        long[] last = Table.LastTicks;
        int count = 0;
        for (int k = _tracks.Count - 1; k >= 0; k--)
        {
            if (last[k] <= limit)
            {
                Track t = _tracks[k];
                RemoveAt(k);
                removed?.Add(t);
                count++;
            }
        }

        return count;
    }

    /// <summary>Removes one track (e.g. a duplicate fused into another); its id may come back as a new track.</summary>
    /// <returns>False when no such track.</returns>
    public bool Remove(string id)
    {
        if (!_byId.TryGetValue(id, out Track? t))
        {
            return false;
        }

        RemoveAt(t.Index);
        return true;
    }

    private void RemoveAt(int k)
    {
        Track t = _tracks[k];
        int last = _tracks.Count - 1;
        if (k != last)
        {
            Track moved = _tracks[last];
            moved.Index = k;
            _tracks[k] = moved;
            Table.Write(moved);
        }

        _tracks.RemoveAt(last);
        _byId.Remove(t.Id);
        Removals++;
    }
}
