using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Supervision.Alerts;
using Yunlu.Supervision.Tracks;

namespace Yunlu.Supervision.Checks;

/// <summary>
/// Live supervision: takes position reports into tracks and, on every cycle, runs the checks — lost link, zone
/// incursion now and predicted, conformance to the Activated intent (Nonconforming at once, Contingent after 60 s),
/// true-height ceiling, wind limit, flight without an intent, and separation now and predicted with a resolution
/// advisory — turning them into alert lifecycle events.
/// </summary>
/// <remarks>
/// <para>Call <see cref="Ingest"/> for each report and <see cref="RunCycle"/> whenever the picture should be checked
/// (every batch, or at 1 Hz); a replay calls it at every report time. Alerts that no longer hold in a cycle are
/// cleared in that cycle.</para>
/// <para>Positions for separation are extrapolated from each track's last report to the cycle time (coasting);
/// zones and conformance use the last reported position. A track with no data for the lost-link time is only checked
/// for lost link (its other alerts clear; a Contingent intent stays Contingent). Manned traffic (ADS-B) takes part in
/// separation only.</para>
/// <para>Resolution advisory priority (documented rule, not from a standard): (1) manned traffic has priority — the
/// drone climbs away when above or level with it, else descends; (2) a drone conforming to its Activated intent has
/// priority over one that is not; (3) a drone in level flight has priority over a climbing or descending one, which
/// holds; (4) head-on (tracks more than 135° apart): the ordinally larger id turns right; overtaking (less than 45°
/// apart): the one behind holds; crossing: the one that has the other on its right gives way and holds (ICAO Annex 2,
/// 3.2.2.3); a moving drone gives way to a hovering one; (5) ties: the ordinally larger id gives way.</para>
/// <para>Not thread-safe: one loop owns an engine. A cycle allocates nothing per track once warm (alerts and their
/// events do allocate).</para>
/// </remarks>
public sealed class SupervisionEngine
{
    private const double LevelVerticalMps = 0.5;
    private const double HoverMps = 0.5;

    private readonly SupervisionOptions _o;
    private readonly IWindField? _wind;
    private readonly PreparedZone[] _zones;
    private readonly Dictionary<string, IntentRuntime> _intents = new(StringComparer.Ordinal);
    private readonly SeparationDetector _detector;
    private readonly SeparationInput _sep = new();
    private readonly List<ConflictPair> _conflicts = [];
    private readonly List<ConflictPair> _lastConflicts = [];
    private List<IntentRuntime>?[] _intentsByTrack = [];
    private int[] _activeTrack = [];
    private bool[] _conforming = [];
    private int _mappedTracks;
    private bool _intentsDirty = true;
    private long _cycle;

    /// <summary>Creates an engine.</summary>
    /// <param name="tracks">The track store (its frame is the one separation works in).</param>
    /// <param name="zones">The zones to guard (their applicability is evaluated at each cycle time).</param>
    /// <param name="intents">Operational intents; more can be added with <see cref="UpsertIntent"/>.</param>
    /// <param name="options">Thresholds; defaults when null.</param>
    /// <param name="wind">Wind field for the wind-limit check, or null to skip it.</param>
    public SupervisionEngine(TrackStore tracks, IEnumerable<Zone> zones, IEnumerable<SupervisedIntent> intents, SupervisionOptions? options = null, IWindField? wind = null)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(intents);
        _o = options ?? new SupervisionOptions();
        _o.Validate();
        _wind = wind;
        Tracks = tracks;
        var prepared = new List<PreparedZone>();
        foreach (Zone z in zones)
        {
            prepared.Add(new PreparedZone(z));
        }

        _zones = [.. prepared];
        foreach (SupervisedIntent i in intents)
        {
            UpsertIntent(i);
        }

        _detector = new SeparationDetector(_o.DroneMinima, _o.MannedMinima, _o.SeparationLookAheadS, _o.SeparationCellM, _o.SeparationSliceS);
    }

    /// <summary>The tracks.</summary>
    public TrackStore Tracks { get; }

    /// <summary>The active alerts.</summary>
    public AlertBook Alerts { get; } = new();

    /// <summary>The options in force.</summary>
    public SupervisionOptions Options => _o;

    /// <summary>Cycles run so far.</summary>
    public long Cycles => _cycle;

    /// <summary>The separation conflicts of the last cycle as track index pairs (A &lt; B by track index), sorted.</summary>
    public IReadOnlyList<ConflictPair> LastConflicts => _lastConflicts;

    /// <summary>Takes a report into its track. Invalid reports are counted (<see cref="TrackStore.Rejected"/>) and dropped.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The track, or null when the report was invalid.</returns>
    public Track? Ingest(in PositionReport report) => Tracks.Ingest(report);

    /// <summary>Adds or replaces an intent (by id); a replaced intent restarts from its given state.</summary>
    /// <param name="intent">The intent.</param>
    /// <exception cref="ArgumentException">The intent is invalid (the message names the field).</exception>
    public void UpsertIntent(SupervisedIntent intent)
    {
        ArgumentNullException.ThrowIfNull(intent);
        if (intent.Validate() is { } error)
        {
            throw new ArgumentException($"intent '{intent.Id}': {error}", nameof(intent));
        }

        _intents[intent.Id] = new IntentRuntime(intent);
        _intentsDirty = true;
    }

    /// <summary>Removes (ends) an intent.</summary>
    /// <returns>False when unknown.</returns>
    public bool RemoveIntent(string intentId)
    {
        bool removed = _intents.Remove(intentId);
        _intentsDirty |= removed;
        return removed;
    }

    /// <summary>The current state of an intent as supervision sees it, or null when unknown.</summary>
    public SupervisedIntentState? IntentState(string intentId) =>
        _intents.TryGetValue(intentId, out IntentRuntime? r) ? r.State : null;

    /// <summary>Acknowledges an alert on behalf of a person.</summary>
    public bool Acknowledge(long alertId, string by, DateTimeOffset at, List<AlertEvent> events) =>
        Alerts.Acknowledge(alertId, by, at, events);

    /// <summary>Runs every check at <paramref name="now"/> and appends the resulting alert events.</summary>
    /// <param name="now">The cycle time (UTC); should not go backwards.</param>
    /// <param name="events">Receives raised, updated and cleared events, in a deterministic order.</param>
    public void RunCycle(DateTimeOffset now, List<AlertEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        _cycle++;
        IReadOnlyList<Track> tracks = Tracks.All;
        int n = tracks.Count;
        MapIntents(tracks);
        EnsureTrackArrays(n);
        for (int z = 0; z < _zones.Length; z++)
        {
            PreparedZone pz = _zones[z];
            pz.ActiveNow = _o.IncursionRestrictions.Contains(pz.Zone.Restriction) && ZoneActivity.IsActive(pz.Zone, now);
        }

        _sep.Resize(n);
        int m = 0;
        for (int k = 0; k < n; k++)
        {
            Track t = tracks[k];
            _conforming[k] = false;
            double age = Math.Max(0, (now - t.LastTime).TotalSeconds);
            if (age >= _o.LostLinkS)
            {
                Alerts.Assert(new AlertKey(AlertKind.LostLink, t.Id, null, null, null), AlertLevel.Warning, null, null, _cycle, now, events);
                AssertContingentOnly(t, now, events);
                continue;
            }

            _activeTrack[m] = k;
            _sep.Set(m, t.EastM + (t.VelEastMps * age), t.NorthM + (t.VelNorthMps * age), t.UpM + (t.VelUpMps * age),
                t.VelEastMps, t.VelNorthMps, t.VelUpMps, t.IsManned);
            m++;
            if (t.IsManned)
            {
                continue;
            }

            CheckZones(t, now, events);
            CheckConformance(t, now, events);
            if (t.AltAglM > _o.CeilingAglM)
            {
                Alerts.Assert(new AlertKey(AlertKind.Ceiling, t.Id, null, null, null), AlertLevel.Warning, null, null, _cycle, now, events);
            }

            if (_wind is not null && _wind.TryGetWindSpeedMps(t.Position, double.IsNaN(t.AltW84M) ? t.UpM : t.AltW84M, now, out double windMps) &&
                windMps > _o.WindLimitMps)
            {
                Alerts.Assert(new AlertKey(AlertKind.WindLimit, t.Id, null, null, null), AlertLevel.Caution, null, null, _cycle, now, events);
            }
        }

        _sep.Resize(m);
        if (_o.SeparationAllPairs)
        {
            _detector.DetectAllPairs(_sep, _conflicts);
        }
        else
        {
            _detector.Detect(_sep, _conflicts);
        }

        _lastConflicts.Clear();
        foreach (ConflictPair c in _conflicts)
        {
            int a = _activeTrack[c.A], b = _activeTrack[c.B];
            _lastConflicts.Add(new ConflictPair(Math.Min(a, b), Math.Max(a, b), c.TimeToLossS));
        }

        _lastConflicts.Sort(static (x, y) => x.A != y.A ? x.A.CompareTo(y.A) : x.B.CompareTo(y.B));
        foreach (ConflictPair c in _lastConflicts)
        {
            AssertSeparation(tracks[c.A], tracks[c.B], c.TimeToLossS, now, events);
        }

        Alerts.Sweep(_cycle, now, events);
    }

    private void CheckZones(Track t, DateTimeOffset now, List<AlertEvent> events)
    {
        double lon = t.Position.LonDeg, lat = t.Position.LatDeg;
        double look = _o.ZoneLookAheadS;
        LocalTangentPlane plane = Tracks.Plane;
        double dLon = t.VelEastMps / plane.MetresPerDegreeLon, dLat = t.VelNorthMps / plane.MetresPerDegreeLat;
        bool moving = look > 0 && ((t.VelEastMps * t.VelEastMps) + (t.VelNorthMps * t.VelNorthMps) + (t.VelUpMps * t.VelUpMps)) > 1e-6;
        double lon1 = lon + (dLon * look), lat1 = lat + (dLat * look);
        double sweptW = Math.Min(lon, lon1), sweptE = Math.Max(lon, lon1), sweptS = Math.Min(lat, lat1), sweptN = Math.Max(lat, lat1);
        for (int z = 0; z < _zones.Length; z++)
        {
            PreparedZone pz = _zones[z];
            if (!pz.ActiveNow)
            {
                continue;
            }

            if (pz.Footprint.Contains(lon, lat) && pz.InBand(t, 0))
            {
                Alerts.Assert(new AlertKey(AlertKind.ZoneIncursion, t.Id, null, pz.Zone.Identifier, null), AlertLevel.Warning, 0, null, _cycle, now, events);
                continue;
            }

            GeoBounds b = pz.Footprint.Bounds;
            if (!moving || sweptE < b.WestLonDeg || sweptW > b.EastLonDeg || sweptN < b.SouthLatDeg || sweptS > b.NorthLatDeg)
            {
                continue;
            }

            double step = _o.ZoneSampleStepS;
            for (double s = step; s <= look + 1e-9; s += step)
            {
                if (pz.Footprint.Contains(lon + (dLon * s), lat + (dLat * s)) && pz.InBand(t, t.VelUpMps * s))
                {
                    Alerts.Assert(new AlertKey(AlertKind.ZoneIncursionPredicted, t.Id, null, pz.Zone.Identifier, null), AlertLevel.Caution, s, null, _cycle, now, events);
                    break;
                }
            }
        }
    }

    private void CheckConformance(Track t, DateTimeOffset now, List<AlertEvent> events)
    {
        List<IntentRuntime>? list = _intentsByTrack[t.Index];
        IntentRuntime? cur = null;
        if (list is not null)
        {
            foreach (IntentRuntime r in list)
            {
                if (r.State == SupervisedIntentState.Accepted)
                {
                    continue;
                }

                if (cur is null || (now >= r.SpanStart && now < r.SpanEnd && !(now >= cur.SpanStart && now < cur.SpanEnd)))
                {
                    cur = r;
                }
            }
        }

        if (cur is null)
        {
            if (_o.RequireIntent)
            {
                Alerts.Assert(new AlertKey(AlertKind.NoIntent, t.Id, null, null, null), AlertLevel.Caution, null, null, _cycle, now, events);
            }

            return;
        }

        bool inside = cur.Contains(t, now);
        if (inside)
        {
            cur.OutsideSince = null;
            if (cur.State == SupervisedIntentState.Nonconforming)
            {
                cur.State = SupervisedIntentState.Activated;
            }
        }
        else
        {
            cur.OutsideSince ??= now;
            if (cur.State == SupervisedIntentState.Activated)
            {
                cur.State = SupervisedIntentState.Nonconforming;
            }

            if (cur.State == SupervisedIntentState.Nonconforming && (now - cur.OutsideSince.Value).TotalSeconds >= _o.ContingentAfterS)
            {
                cur.State = SupervisedIntentState.Contingent;
            }
        }

        _conforming[t.Index] = cur.State == SupervisedIntentState.Activated;
        if (cur.State == SupervisedIntentState.Nonconforming)
        {
            Alerts.Assert(new AlertKey(AlertKind.Nonconforming, t.Id, null, null, cur.Intent.Id), AlertLevel.Warning, null, null, _cycle, now, events);
        }

        AssertContingentOnly(t, now, events);
    }

    private void AssertContingentOnly(Track t, DateTimeOffset now, List<AlertEvent> events)
    {
        List<IntentRuntime>? list = _intentsByTrack[t.Index];
        if (list is null)
        {
            return;
        }

        foreach (IntentRuntime r in list)
        {
            if (r.State == SupervisedIntentState.Contingent)
            {
                Alerts.Assert(new AlertKey(AlertKind.Contingent, t.Id, null, null, r.Intent.Id), AlertLevel.Warning, null, null, _cycle, now, events);
            }
        }
    }

    private void AssertSeparation(Track a, Track b, double timeToLossS, DateTimeOffset now, List<AlertEvent> events)
    {
        bool lossNow = timeToLossS <= 0;
        AlertLevel level = lossNow ? AlertLevel.Warning : timeToLossS <= _o.SeparationCautionS ? AlertLevel.Caution : AlertLevel.Advisory;
        (Track first, Track second) = string.CompareOrdinal(a.Id, b.Id) <= 0 ? (a, b) : (b, a);
        ResolutionAdvisory advisory = Advise(first, second, now);
        var key = new AlertKey(lossNow ? AlertKind.SeparationLoss : AlertKind.SeparationPredicted, first.Id, second.Id, null, null);
        Alerts.Assert(key, level, timeToLossS, advisory, _cycle, now, events);
    }

    /// <summary>The resolution advisory for a conflicting pair; <paramref name="a"/> has the ordinally smaller id.</summary>
    private ResolutionAdvisory Advise(Track a, Track b, DateTimeOffset now)
    {
        double ageA = Math.Max(0, (now - a.LastTime).TotalSeconds), ageB = Math.Max(0, (now - b.LastTime).TotalSeconds);
        double upA = a.UpM + (a.VelUpMps * ageA), upB = b.UpM + (b.VelUpMps * ageB);
        if (a.IsManned != b.IsManned)
        {
            (Track drone, double droneUp, double mannedUp) = a.IsManned ? (b, upB, upA) : (a, upA, upB);
            return new ResolutionAdvisory(drone.Id, droneUp >= mannedUp ? AdvisoryManeuver.Climb : AdvisoryManeuver.Descend, "manned traffic has priority");
        }

        bool ca = _conforming[a.Index], cb = _conforming[b.Index];
        if (ca != cb)
        {
            Track giver = ca ? b : a;
            return new ResolutionAdvisory(giver.Id, giver == a ? VerticalAway(upA, upB) : VerticalAway(upB, upA), "a drone conforming to its Activated intent has priority");
        }

        bool levelA = Math.Abs(a.VelUpMps) < LevelVerticalMps, levelB = Math.Abs(b.VelUpMps) < LevelVerticalMps;
        if (levelA != levelB)
        {
            return new ResolutionAdvisory(levelA ? b.Id : a.Id, AdvisoryManeuver.Hold, "climbing or descending gives way to level flight");
        }

        double sa = Math.Sqrt((a.VelEastMps * a.VelEastMps) + (a.VelNorthMps * a.VelNorthMps));
        double sb = Math.Sqrt((b.VelEastMps * b.VelEastMps) + (b.VelNorthMps * b.VelNorthMps));
        if ((sa < HoverMps) != (sb < HoverMps))
        {
            return new ResolutionAdvisory(sa < HoverMps ? b.Id : a.Id, AdvisoryManeuver.Hold, "a moving drone gives way to a hovering one");
        }

        if (sa >= HoverMps && sb >= HoverMps)
        {
            double cos = ((a.VelEastMps * b.VelEastMps) + (a.VelNorthMps * b.VelNorthMps)) / (sa * sb);
            if (cos < -0.7071)
            {
                return new ResolutionAdvisory(b.Id, AdvisoryManeuver.TurnRight, "head-on: turn right");
            }

            double dE = b.EastM - a.EastM, dN = b.NorthM - a.NorthM;
            if (cos > 0.7071)
            {
                // Overtaking: the one behind sees the other ahead along its own velocity.
                double aheadOfA = (a.VelEastMps * dE) + (a.VelNorthMps * dN);
                double aheadOfB = -((b.VelEastMps * dE) + (b.VelNorthMps * dN));
                return new ResolutionAdvisory(aheadOfA >= aheadOfB ? a.Id : b.Id, AdvisoryManeuver.Hold, "overtaking: the aircraft behind gives way");
            }

            // Crossing: negative cross product = the other is on the right.
            bool bOnRightOfA = (a.VelEastMps * dN) - (a.VelNorthMps * dE) < 0;
            bool aOnRightOfB = (b.VelEastMps * -dN) - (b.VelNorthMps * -dE) < 0;
            if (bOnRightOfA != aOnRightOfB)
            {
                return new ResolutionAdvisory(bOnRightOfA ? a.Id : b.Id, AdvisoryManeuver.Hold, "crossing: the aircraft that has the other on its right gives way");
            }
        }

        return new ResolutionAdvisory(b.Id, VerticalAway(upB, upA), "tie: the ordinally larger id gives way");
    }

    private static AdvisoryManeuver VerticalAway(double upGiver, double upOther) =>
        upGiver >= upOther ? AdvisoryManeuver.Climb : AdvisoryManeuver.Descend;

    private void MapIntents(IReadOnlyList<Track> tracks)
    {
        if (!_intentsDirty && _mappedTracks == tracks.Count)
        {
            return;
        }

        if (_intentsByTrack.Length < tracks.Count)
        {
            Array.Resize(ref _intentsByTrack, Math.Max(tracks.Count, _intentsByTrack.Length * 2));
        }

        Array.Clear(_intentsByTrack);
        foreach (IntentRuntime r in _intents.Values)
        {
            if (Tracks.Find(r.Intent.AircraftId) is { } t)
            {
                (_intentsByTrack[t.Index] ??= []).Add(r);
            }
        }

        foreach (List<IntentRuntime>? list in _intentsByTrack)
        {
            list?.Sort(static (x, y) => string.CompareOrdinal(x.Intent.Id, y.Intent.Id));
        }

        _mappedTracks = tracks.Count;
        _intentsDirty = false;
    }

    private void EnsureTrackArrays(int n)
    {
        if (_activeTrack.Length < n)
        {
            int cap = Math.Max(n, _activeTrack.Length * 2);
            _activeTrack = new int[cap];
            _conforming = new bool[cap];
        }
    }

    private static bool InBand(Track t, AltitudeReference lowerRef, double lowerM, AltitudeReference upperRef, double upperM, double dzM)
    {
        // An altitude that cannot be expressed in the band's reference (AGL without ground data) counts as inside:
        // the conservative choice for incursions.
        double lo = t.AltitudeIn(lowerRef) + dzM, hi = t.AltitudeIn(upperRef) + dzM;
        return !(lo < lowerM) && !(hi >= upperM);
    }

    private sealed class PreparedZone(Zone zone)
    {
        public Zone Zone { get; } = zone;

        public FastFootprint Footprint { get; } = new(zone.Footprint);

        public bool ActiveNow { get; set; }

        public bool InBand(Track t, double dzM) =>
            SupervisionEngine.InBand(t, Zone.Lower.Reference, Zone.Lower.ValueM, Zone.Upper.Reference, Zone.Upper.ValueM, dzM);
    }

    private sealed class IntentRuntime
    {
        private readonly FastFootprint[] _footprints;

        public IntentRuntime(SupervisedIntent intent)
        {
            Intent = intent;
            State = intent.State;
            _footprints = new FastFootprint[intent.Volumes.Count];
            SpanStart = DateTimeOffset.MaxValue;
            SpanEnd = DateTimeOffset.MinValue;
            for (int i = 0; i < _footprints.Length; i++)
            {
                Volume4D v = intent.Volumes[i];
                _footprints[i] = new FastFootprint(v.Volume.Footprint);
                SpanStart = v.Time.Start < SpanStart ? v.Time.Start : SpanStart;
                SpanEnd = v.Time.End > SpanEnd ? v.Time.End : SpanEnd;
            }
        }

        public SupervisedIntent Intent { get; }

        public SupervisedIntentState State { get; set; }

        public DateTimeOffset? OutsideSince { get; set; }

        public DateTimeOffset SpanStart { get; }

        public DateTimeOffset SpanEnd { get; }

        public bool Contains(Track t, DateTimeOffset now)
        {
            for (int i = 0; i < _footprints.Length; i++)
            {
                Volume4D v = Intent.Volumes[i];
                if (!v.Time.Contains(now))
                {
                    continue;
                }

                Volume3D vol = v.Volume;
                if (_footprints[i].Contains(t.Position.LonDeg, t.Position.LatDeg) &&
                    SupervisionEngine.InBand(t, vol.Lower.Reference, vol.Lower.ValueM, vol.Upper.Reference, vol.Upper.ValueM, 0))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
