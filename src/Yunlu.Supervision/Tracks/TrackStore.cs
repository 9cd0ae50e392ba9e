using Yunlu.Geo;

namespace Yunlu.Supervision.Tracks;

/// <summary>
/// Maps the identities an aircraft is known by (Remote ID serial, ICAO address, registration, MAVLink system, …)
/// to one track id, so that the same aircraft arriving by two sources feeds one track.
/// </summary>
public sealed class IdentityRegistry
{
    private readonly Dictionary<AircraftIdentity, string> _alias = [];

    /// <summary>Declares that <paramref name="identity"/> belongs to the aircraft whose track id is <paramref name="trackId"/>.</summary>
    /// <param name="identity">An identity as a source reports it.</param>
    /// <param name="trackId">The canonical track id.</param>
    public void Link(AircraftIdentity identity, string trackId)
    {
        ArgumentException.ThrowIfNullOrEmpty(identity.Value);
        ArgumentException.ThrowIfNullOrEmpty(trackId);
        _alias[identity] = trackId;
    }

    /// <summary>The track id for an identity: the linked one, else the identity's value itself.</summary>
    /// <param name="identity">The reported identity.</param>
    public string Resolve(AircraftIdentity identity) =>
        _alias.TryGetValue(identity, out string? id) ? id : identity.Value;
}

/// <summary>
/// All tracks, keyed by track id, with the local metric frame they are expressed in and the altitude converter that
/// fills the three altitude references.
/// </summary>
/// <remarks>Not thread-safe: one supervision loop owns it.</remarks>
public sealed class TrackStore
{
    private readonly Dictionary<string, Track> _byId = new(StringComparer.Ordinal);
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

    /// <summary>The tracks in creation order (index = <see cref="Track.Index"/>).</summary>
    public IReadOnlyList<Track> All => _tracks;

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
            t = new Track(id, _tracks.Count, _historyCapacity);
            _byId.Add(id, t);
            _tracks.Add(t);
        }

        t.Update(report, _plane, Converter);
        return t;
    }
}
