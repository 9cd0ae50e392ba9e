using Yunlu.Geo;

namespace Yunlu.Supervision.Tracks;

/// <summary>One stored past position of a track.</summary>
/// <param name="Time">When.</param>
/// <param name="Position">Lon/lat, degrees.</param>
/// <param name="Altitude">As reported, with its reference.</param>
/// <param name="Source">Which source delivered it.</param>
public readonly record struct TrackPoint(DateTimeOffset Time, GeoPoint Position, Altitude Altitude, PositionSourceKind Source);

/// <summary>
/// One aircraft's track: a bounded ring of its recent reports and a smoothed state in the supervision's local metric
/// frame (east/north metres on a <see cref="LocalTangentPlane"/>, "up" metres above the WGS84 ellipsoid).
/// </summary>
/// <remarks>
/// <para>Smoothing is an α–β filter (Kalata 1984) with α = 1 (GNSS positions are taken as measured, so checks see
/// the reported position) and β = <see cref="VelocityBeta"/> for the velocity when the source reports none; a reported
/// velocity replaces the estimate.</para>
/// <para>The altitude is held in all three references whenever the conversion is possible: AMSL ↔ W84 always (EGM96),
/// AGL only with ground data; unknown values are NaN. When the report is AGL and no ground is known, "up" falls back
/// to the AGL value (heights above a common but unknown ground), which keeps AGL-only feeds separable among
/// themselves.</para>
/// </remarks>
public sealed class Track
{
    /// <summary>β of the α–β velocity estimate.</summary>
    public const double VelocityBeta = 0.5;

    /// <summary>The window over which the update rate gives the link quality, seconds.</summary>
    public const double LinkWindowS = 10;

    /// <summary>The expected report rate for a full link quality, Hz.</summary>
    public const double ExpectedRateHz = 1;

    private readonly TrackPoint[] _ring;
    private int _head;
    private int _count;
    private int _windowCount;

    internal Track(string id, int index, int serial, int historyCapacity)
    {
        Id = id;
        Index = index;
        Serial = serial;
        _ring = new TrackPoint[historyCapacity];
    }

    /// <summary>The track id (the aircraft's canonical identity after fusion).</summary>
    public string Id { get; }

    /// <summary>Dense index of the track in its store (<see cref="TrackStore.All"/>); it changes when the store
    /// removes stale tracks (the last track moves into the freed slot).</summary>
    public int Index { get; internal set; }

    /// <summary>A number for the track id that is stable for the store's lifetime (the same id always gets the same
    /// number, even after the track was removed as stale and came back); dense from 0.</summary>
    public int Serial { get; }

    /// <summary>The identity that created the track (the first report's, before fusion resolved it).</summary>
    public AircraftIdentity FirstIdentity { get; internal set; }

    /// <summary>True when any source reported it as manned traffic (ADS-B).</summary>
    public bool IsManned { get; private set; }

    /// <summary>The sources that have reported this aircraft (bit i = <see cref="PositionSourceKind"/> i).</summary>
    public int SourcesMask { get; private set; }

    /// <summary>Number of reports taken.</summary>
    public long Updates { get; private set; }

    /// <summary>Number of reports older than the newest one already taken (kept out of the state).</summary>
    public long OutOfOrder { get; private set; }

    /// <summary>Time of the latest report.</summary>
    public DateTimeOffset LastTime { get; private set; }

    /// <summary>Seconds between the latest two reports with distinct times (0 until there are two).</summary>
    public double ReportIntervalS { get; private set; }

    /// <summary>The latest position, lon/lat degrees.</summary>
    public GeoPoint Position { get; private set; }

    /// <summary>The latest altitude as reported.</summary>
    public Altitude ReportedAltitude { get; private set; }

    /// <summary>East of the frame origin, metres.</summary>
    public double EastM { get; private set; }

    /// <summary>North of the frame origin, metres.</summary>
    public double NorthM { get; private set; }

    /// <summary>Vertical coordinate used for separation, metres (W84 when known; see remarks).</summary>
    public double UpM { get; private set; }

    /// <summary>Velocity east, m/s.</summary>
    public double VelEastMps { get; private set; }

    /// <summary>Velocity north, m/s.</summary>
    public double VelNorthMps { get; private set; }

    /// <summary>Velocity up, m/s.</summary>
    public double VelUpMps { get; private set; }

    /// <summary>Height above the WGS84 ellipsoid, metres, or NaN.</summary>
    public double AltW84M { get; private set; } = double.NaN;

    /// <summary>Height above mean sea level (EGM96), metres, or NaN.</summary>
    public double AltAmslM { get; private set; } = double.NaN;

    /// <summary>True height above the ground below, metres, or NaN without ground data.</summary>
    public double AltAglM { get; private set; } = double.NaN;

    /// <summary>Heading from the source, or from the velocity when none is reported; degrees, or NaN when stationary and unknown.</summary>
    public double HeadingDeg { get; private set; } = double.NaN;

    /// <summary>The link quality in [0, 1]: the source's when it gives one, else the update rate over the last 10 s against 1 Hz.</summary>
    public double LinkQuality { get; private set; }

    /// <summary>The altitude in a reference, when known.</summary>
    /// <param name="reference">The wanted reference.</param>
    /// <returns>The altitude in metres, or NaN.</returns>
    public double AltitudeIn(AltitudeReference reference) => reference switch
    {
        AltitudeReference.W84 => AltW84M,
        AltitudeReference.Amsl => AltAmslM,
        _ => AltAglM,
    };

    /// <summary>Seconds since the latest report at <paramref name="now"/>.</summary>
    public double AgeS(DateTimeOffset now) => (now - LastTime).TotalSeconds;

    /// <summary>The stored history, oldest first (at most the ring's capacity).</summary>
    public IReadOnlyList<TrackPoint> History()
    {
        var list = new TrackPoint[_count];
        int start = (_head - _count + _ring.Length) % _ring.Length;
        for (int i = 0; i < _count; i++)
        {
            list[i] = _ring[(start + i) % _ring.Length];
        }

        return list;
    }

    internal void Update(in PositionReport r, in LocalTangentPlane plane, AltitudeConverter converter)
    {
        SourcesMask |= 1 << (int)r.Source;
        IsManned |= r.IsManned;
        if (Updates > 0 && r.Time < LastTime)
        {
            OutOfOrder++;
            return;
        }

        _ring[_head] = new TrackPoint(r.Time, r.Position, r.Altitude, r.Source);
        _head = (_head + 1) % _ring.Length;
        if (_count < _ring.Length)
        {
            _count++;
        }

        GeoPoint p = r.Position;
        AltW84M = converter.TryConvert(r.Altitude, p, AltitudeReference.W84, out Altitude w) ? w.ValueM : double.NaN;
        AltAmslM = converter.TryConvert(r.Altitude, p, AltitudeReference.Amsl, out Altitude a) ? a.ValueM : double.NaN;
        AltAglM = converter.TryConvert(r.Altitude, p, AltitudeReference.Agl, out Altitude g) ? g.ValueM : double.NaN;
        double up = double.IsNaN(AltW84M) ? r.Altitude.ValueM : AltW84M;
        PlanarPoint q = plane.Forward(p);
        if (Updates > 0 && r.Time > LastTime)
        {
            ReportIntervalS = (r.Time - LastTime).TotalSeconds;
        }

        if (r.Velocity is { } v)
        {
            VelEastMps = v.EastMps;
            VelNorthMps = v.NorthMps;
            VelUpMps = -v.DownMps;
        }
        else if (Updates > 0)
        {
            double dt = (r.Time - LastTime).TotalSeconds;

            if (dt > 0)
            {
                double beta = Updates == 1 ? 1.0 : VelocityBeta;
                VelEastMps += beta * (q.EastM - (EastM + (VelEastMps * dt))) / dt;
                VelNorthMps += beta * (q.NorthM - (NorthM + (VelNorthMps * dt))) / dt;
                VelUpMps += beta * (up - (UpM + (VelUpMps * dt))) / dt;
            }
        }

        EastM = q.EastM;
        NorthM = q.NorthM;
        UpM = up;
        Position = p;
        ReportedAltitude = r.Altitude;
        LastTime = r.Time;
        Updates++;
        if (r.HeadingDeg is { } h)
        {
            HeadingDeg = h;
        }
        else if ((VelEastMps * VelEastMps) + (VelNorthMps * VelNorthMps) > 0.01)
        {
            double deg = Math.Atan2(VelEastMps, VelNorthMps) * 180.0 / Math.PI;
            HeadingDeg = deg < 0 ? deg + 360.0 : deg;
        }

        LinkQuality = r.LinkQuality ?? RateQuality(r.Time);
    }

    /// <summary>
    /// Reports in the last <see cref="LinkWindowS"/> over the expected count. The reports in the window are the newest
    /// ones (times never go backwards in the ring), so the count is kept incrementally: the newest report enters, the
    /// oldest ones leave while at or before the window's start (which only moves forward).
    /// </summary>
    private double RateQuality(DateTimeOffset now)
    {
        long from = now.UtcTicks - (long)(LinkWindowS * TimeSpan.TicksPerSecond);
        int n = Math.Min(_windowCount + 1, _count);
        int len = _ring.Length;
        while (n > 0)
        {
            int oldest = _head - n;
            if (oldest < 0)
            {
                oldest += len;
            }

            if (_ring[oldest].Time.UtcTicks > from)
            {
                break;
            }

            n--;
        }

        _windowCount = n;
        return Math.Min(1.0, n / (LinkWindowS * ExpectedRateHz));
    }
}
