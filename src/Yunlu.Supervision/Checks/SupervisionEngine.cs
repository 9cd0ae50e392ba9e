using System.Runtime.CompilerServices;
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
/// <para>Stale tracks (no data for <see cref="SupervisionOptions.StaleTrackS"/>) leave the store at the start of a
/// cycle; their lost-link alert clears in that cycle. Identity fusion: see <see cref="IdentityRegistry"/> and
/// <see cref="SupervisionOptions.FusionHorizontalM"/>.</para>
/// <para>Layout for speed (one core, 100 000 tracks): the per-cycle loop reads the store's structure-of-arrays track
/// state, each track's intents through an index-linked list over flat per-intent volume arrays, the zones through a
/// uniform lon/lat grid of their bounding boxes, and alerts are keyed by packed longs (<c>AlertKeys</c>). Not
/// thread-safe: one loop owns an engine. A cycle allocates nothing per track once warm (alert events and changed
/// advisories do allocate).</para>
/// </remarks>
public sealed partial class SupervisionEngine
{
    private const double LevelVerticalMps = 0.5;
    private const double HoverMps = 0.5;
    private const string ReasonManned = "manned traffic has priority";
    private const string ReasonConforming = "a drone conforming to its Activated intent has priority";
    private const string ReasonLevel = "climbing or descending gives way to level flight";
    private const string ReasonHover = "a moving drone gives way to a hovering one";
    private const string ReasonHeadOn = "head-on: turn right";
    private const string ReasonOvertaking = "overtaking: the aircraft behind gives way";
    private const string ReasonCrossing = "crossing: the aircraft that has the other on its right gives way";
    private const string ReasonTie = "tie: the ordinally larger id gives way";

    private readonly SupervisionOptions _o;
    private readonly IWindField? _wind;
    private readonly PreparedZone[] _zones;
    private readonly ZoneGrid _zoneGrid;
    private readonly bool[] _zoneActive;
    private readonly Dictionary<string, IntentRuntime> _intents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _intentNumbers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _aircraftHead = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _windLimits = new(StringComparer.Ordinal);
    private readonly SeparationDetector _detector;
    private readonly SeparationInput _sep = new();
    private readonly List<ConflictPair> _conflicts = [];
    private readonly List<ConflictPair> _lastConflicts = [];
    private readonly List<int> _zoneScratch = [];
    private readonly List<string> _pendingRemoval = [];
    private IntentRuntime[] _sorted = [];
    private int[] _nextIntent = [];
    private int[] _firstIntent = [];
    private double[] _trackWindLimit = [];
    private int[] _activeTrack = [];
    private bool[] _conforming = [];
    private bool[] _lost = [];
    private bool[] _fused = [];
    private PairState[] _hot = [];
    private int[] _fusionCount = [];
    private int _mappedTracks;
    private long _mappedRemovals;
    private bool _intentsDirty = true;
    private bool _tracksDirty = true;
    private long _cycle;

    /// <summary>Creates an engine.</summary>
    /// <param name="tracks">The track store (its frame is the one separation works in).</param>
    /// <param name="zones">The zones to guard (their applicability is evaluated at each cycle time).</param>
    /// <param name="intents">Operational intents; more can be added with <see cref="UpsertIntent"/>.</param>
    /// <param name="options">Thresholds; defaults when null.</param>
    /// <param name="wind">Wind field for the wind-limit check (e.g. <see cref="WindFieldAdapter"/>), or null to skip it.</param>
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
        _zoneActive = new bool[_zones.Length];
        _zoneGrid = new ZoneGrid(_zones);
        foreach (SupervisedIntent i in intents)
        {
            UpsertIntent(i);
        }

        _detector = new SeparationDetector(_o.DroneMinima, _o.MannedMinima, _o.SeparationLookAheadS, _o.SeparationCellM, _o.SeparationSliceS)
        {
            HashOnly = _o.SeparationHashOnly,
        };
    }

    /// <summary>The tracks.</summary>
    public TrackStore Tracks { get; }

    /// <summary>The active alerts.</summary>
    public AlertBook Alerts { get; } = new();

    /// <summary>The options in force.</summary>
    public SupervisionOptions Options => _o;

    /// <summary>Cycles run so far.</summary>
    public long Cycles => _cycle;

    /// <summary>Tracks fused into another by the proximity rule so far.</summary>
    public long Fusions { get; private set; }

    /// <summary>The separation conflicts of the last cycle as track index pairs (A &lt; B by track index), sorted.</summary>
    public IReadOnlyList<ConflictPair> LastConflicts => _lastConflicts;

    /// <summary>Takes a report into its track. Invalid reports are counted (<see cref="TrackStore.Rejected"/>) and dropped.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The track, or null when the report was invalid.</returns>
    /// <remarks>The track is remembered for the next <see cref="RunStep"/> (and moved in its spatial index).</remarks>
    public Track? Ingest(in PositionReport report)
    {
        Track? t = Tracks.Ingest(report);
        if (t is not null)
        {
            Touch(t);
        }

        return t;
    }

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

        if (!_intentNumbers.TryGetValue(intent.Id, out int number))
        {
            number = _intentNumbers.Count;
            _intentNumbers.Add(intent.Id, number);
        }

        _intents[intent.Id] = new IntentRuntime(intent, number, (long)(_o.ConformanceTimeToleranceS * TimeSpan.TicksPerSecond));
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

    /// <summary>When the aircraft of a Nonconforming intent left its volumes (the start of its contingent clock), or
    /// null when the intent is unknown, not Nonconforming or the moment is not known. Hand it back as
    /// <see cref="SupervisedIntent.NonconformingSince"/> when rebuilding an engine so the clock keeps running.</summary>
    public DateTimeOffset? NonconformingSince(string intentId) =>
        _intents.TryGetValue(intentId, out IntentRuntime? r) && r.State == SupervisedIntentState.Nonconforming && r.OutsideSinceTicks != long.MinValue
            ? new DateTimeOffset(r.OutsideSinceTicks, TimeSpan.Zero)
            : null;

    /// <summary>Sets one aircraft's wind limit (e.g. the registry's rated sustained wind), or resets it to
    /// <see cref="SupervisionOptions.WindLimitMps"/> with null.</summary>
    /// <param name="aircraftId">The track id.</param>
    /// <param name="limitMps">The limit, m/s (finite, &gt; 0), or null.</param>
    public void SetWindLimit(string aircraftId, double? limitMps)
    {
        ArgumentException.ThrowIfNullOrEmpty(aircraftId);
        if (limitMps is { } l)
        {
            if (!(l > 0) || !double.IsFinite(l))
            {
                throw new ArgumentOutOfRangeException(nameof(limitMps), "wind limit must be a finite number of m/s > 0");
            }

            _windLimits[aircraftId] = l;
        }
        else
        {
            _windLimits.Remove(aircraftId);
        }

        _tracksDirty = true;
    }

    /// <summary>Acknowledges an alert on behalf of a person.</summary>
    public bool Acknowledge(long alertId, string by, DateTimeOffset at, List<AlertEvent> events) =>
        Alerts.Acknowledge(alertId, by, at, events);

    /// <summary>Runs every check at <paramref name="now"/> and appends the resulting alert events.</summary>
    /// <param name="now">The cycle time (UTC); should not go backwards.</param>
    /// <param name="events">Receives raised, updated and cleared events, in a deterministic order.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RunCycle(DateTimeOffset now, List<AlertEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        _cycle++;
        ClearTouched();
        foreach (string id in _pendingRemoval)
        {
            Tracks.Remove(id);
        }

        _pendingRemoval.Clear();
        if (_o.StaleTrackS > 0)
        {
            Tracks.RemoveStale(now, _o.StaleTrackS);
        }

        IReadOnlyList<Track> tracks = Tracks.All;
        int n = tracks.Count;
        EnsureTrackArrays(n);
        MapTracks(tracks);
        for (int z = 0; z < _zones.Length; z++)
        {
            Zone zone = _zones[z].Zone;
            _zoneActive[z] = _o.IncursionRestrictions.Contains(zone.Restriction) && ZoneActivity.IsActive(zone, now);
        }

        TrackTable tt = Tracks.Table;
        long nowTicks = now.UtcTicks;
        long[] lastTicks = tt.LastTicks;
        double lostS = _o.LostLinkS;
        _sep.Resize(n);
        int m = 0;
        for (int k = 0; k < n; k++)
        {
            double age = Math.Max(0, (nowTicks - lastTicks[k]) / (double)TimeSpan.TicksPerSecond);
            _conforming[k] = false;
            _fused[k] = false;
            if (age >= lostS)
            {
                _lost[k] = true;
                continue;
            }

            _lost[k] = false;
            _hot[k] = new PairState
            {
                EastM = tt.EastM[k] + (tt.VelEastMps[k] * age), NorthM = tt.NorthM[k] + (tt.VelNorthMps[k] * age), UpNowM = tt.UpM[k] + (tt.VelUpMps[k] * age),
                VelEastMps = tt.VelEastMps[k], VelNorthMps = tt.VelNorthMps[k], VelUpMps = tt.VelUpMps[k], Serial = tt.Serial[k], Manned = tt.Manned[k],
            };
            _activeTrack[m] = k;
            _sep.Set(m, tt.EastM[k] + (tt.VelEastMps[k] * age), tt.NorthM[k] + (tt.VelNorthMps[k] * age), tt.UpM[k] + (tt.VelUpMps[k] * age),
                tt.VelEastMps[k], tt.VelNorthMps[k], tt.VelUpMps[k], tt.Manned[k]);
            m++;
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

        if (_o.FusionHorizontalM > 0)
        {
            FuseDuplicates(tracks);
        }

        for (int k = 0; k < n; k++)
        {
            if (_lost[k])
            {
                Alerts.Assert(AlertKeys.Make(AlertKind.LostLink, tt.Serial[k], 0), AlertKind.LostLink, tt.Id[k], null, null, null, AlertLevel.Warning, null, default, _cycle, now, events);
                AssertContingentOnly(k, tracks, now, events);
                continue;
            }

            if (tt.Manned[k] || _fused[k])
            {
                continue;
            }

            CheckAircraft(k, tt, tracks, nowTicks, now, events);
        }

        _lastConflicts.Clear();
        foreach (ConflictPair c in _conflicts)
        {
            int a = _activeTrack[c.A], b = _activeTrack[c.B];
            if (_fused[a] || _fused[b])
            {
                continue;
            }

            _lastConflicts.Add(new ConflictPair(Math.Min(a, b), Math.Max(a, b), c.TimeToLossS));
        }

        _lastConflicts.Sort(static (x, y) => x.A != y.A ? x.A.CompareTo(y.A) : x.B.CompareTo(y.B));
        foreach (ConflictPair c in _lastConflicts)
        {
            AssertSeparation(c.A, c.B, c.TimeToLossS, now, events);
        }

        Alerts.Sweep(_cycle, now, events);
        _cycleTracks = n;
        _cycleRemovals = Tracks.Removals;
        _gridDirty = true;
    }

    /// <summary>
    /// Proximity fusion: a pair in loss of separation now whose two tracks are within the fusion distances, move with
    /// velocities within <see cref="SupervisionOptions.FusionSpeedMps"/>, are both drones, have never been reported by
    /// a common source kind and are each in no other such pair is one aircraft seen twice. The track created later is
    /// the duplicate: its first identity is linked to the other's id, its checks and conflicts are skipped in this
    /// cycle, and it leaves the store at the start of the next.
    /// </summary>
    private void FuseDuplicates(IReadOnlyList<Track> tracks)
    {
        double h2 = _o.FusionHorizontalM * _o.FusionHorizontalM, v = _o.FusionVerticalM, sv2 = _o.FusionSpeedMps * _o.FusionSpeedMps;
        int candidates = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (ConflictPair c in _conflicts)
            {
                if (c.TimeToLossS > 0 || !IsDuplicatePair(tracks, c.A, c.B, h2, v, sv2))
                {
                    continue;
                }

                int a = _activeTrack[c.A], b = _activeTrack[c.B];
                if (pass == 0)
                {
                    _fusionCount[a]++;
                    _fusionCount[b]++;
                    candidates++;
                    continue;
                }

                if (_fusionCount[a] == 1 && _fusionCount[b] == 1)
                {
                    Track ta = tracks[a], tb = tracks[b];
                    (Track keep, Track dup) = ta.Serial <= tb.Serial ? (ta, tb) : (tb, ta);
                    Tracks.Identities.Link(dup.FirstIdentity, keep.Id);
                    _fused[dup.Index] = true;
                    _pendingRemoval.Add(dup.Id);
                    Fusions++;
                }
            }

            if (candidates == 0)
            {
                return;
            }
        }

        foreach (ConflictPair c in _conflicts)
        {
            _fusionCount[_activeTrack[c.A]] = 0;
            _fusionCount[_activeTrack[c.B]] = 0;
        }
    }

    private bool IsDuplicatePair(IReadOnlyList<Track> tracks, int i, int j, double h2, double v, double sv2)
    {
        if (_sep.Manned[i] || _sep.Manned[j])
        {
            return false;
        }

        double dx = _sep.EastM[j] - _sep.EastM[i], dy = _sep.NorthM[j] - _sep.NorthM[i], dz = _sep.UpM[j] - _sep.UpM[i];
        double dvx = _sep.VelEastMps[j] - _sep.VelEastMps[i], dvy = _sep.VelNorthMps[j] - _sep.VelNorthMps[i], dvz = _sep.VelUpMps[j] - _sep.VelUpMps[i];
        if ((dx * dx) + (dy * dy) > h2 || Math.Abs(dz) > v || (dvx * dvx) + (dvy * dvy) + (dvz * dvz) > sv2)
        {
            return false;
        }

        return (tracks[_activeTrack[i]].SourcesMask & tracks[_activeTrack[j]].SourcesMask) == 0;
    }

    /// <summary>The per-aircraft checks of an uncrewed, unfused, live track, shared by the cycle and the step: zone
    /// incursion now and predicted, conformance to its intent, the true-height ceiling and the wind limit.</summary>
    private void CheckAircraft(int k, TrackTable tt, IReadOnlyList<Track> tracks, long nowTicks, DateTimeOffset now, List<AlertEvent> events)
    {
        CheckZones(k, tracks, now, events);
        CheckConformance(k, tracks, nowTicks, now, events);
        if (tt.AltAglM[k] > _o.CeilingAglM)
        {
            Alerts.Assert(AlertKeys.Make(AlertKind.Ceiling, tt.Serial[k], 0), AlertKind.Ceiling, tt.Id[k], null, null, null, AlertLevel.Warning, null, default, _cycle, now, events);
        }

        if (_wind is not null)
        {
            double alt = double.IsNaN(tt.AltW84M[k]) ? tt.UpM[k] : tt.AltW84M[k];
            if (_wind.TryGetWindSpeedMps(new GeoPoint(tt.LonDeg[k], tt.LatDeg[k]), alt, now, out double windMps) && windMps > _trackWindLimit[k])
            {
                Alerts.Assert(AlertKeys.Make(AlertKind.WindLimit, tt.Serial[k], 0), AlertKind.WindLimit, tt.Id[k], null, null, null, AlertLevel.Caution, null, default, _cycle, now, events);
            }
        }
    }

    private void CheckZones(int k, IReadOnlyList<Track> tracks, DateTimeOffset now, List<AlertEvent> events)
    {
        if (_zones.Length == 0)
        {
            return;
        }

        TrackTable tt = Tracks.Table;
        double lon = tt.LonDeg[k], lat = tt.LatDeg[k];
        double ve = tt.VelEastMps[k], vn = tt.VelNorthMps[k], vu = tt.VelUpMps[k];
        double look = _o.ZoneLookAheadS;
        LocalTangentPlane plane = Tracks.Plane;
        double dLon = ve / plane.MetresPerDegreeLon, dLat = vn / plane.MetresPerDegreeLat;
        bool moving = look > 0 && ((ve * ve) + (vn * vn) + (vu * vu)) > 1e-6;
        double lon1 = moving ? lon + (dLon * look) : lon, lat1 = moving ? lat + (dLat * look) : lat;
        double sweptW = Math.Min(lon, lon1), sweptE = Math.Max(lon, lon1), sweptS = Math.Min(lat, lat1), sweptN = Math.Max(lat, lat1);
        List<int> hits = _zoneScratch;
        if (_o.ZoneLinearScan)
        {
            hits.Clear();
            for (int z = 0; z < _zones.Length; z++)
            {
                hits.Add(z);
            }
        }
        else if (!_zoneGrid.Query(sweptW, sweptS, sweptE, sweptN, hits))
        {
            return;
        }

        for (int h = 0; h < hits.Count; h++)
        {
            int z = hits[h];
            if (!_zoneActive[z])
            {
                continue;
            }

            PreparedZone pz = _zones[z];
            if (pz.Footprint.Contains(lon, lat) && pz.InBand(tt, k, 0))
            {
                Alerts.Assert(AlertKeys.Make(AlertKind.ZoneIncursion, tt.Serial[k], z), AlertKind.ZoneIncursion, tt.Id[k], null, pz.Zone.Identifier, null,
                    AlertLevel.Warning, 0, default, _cycle, now, events);
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
                if (pz.Footprint.Contains(lon + (dLon * s), lat + (dLat * s)) && pz.InBand(tt, k, vu * s))
                {
                    Alerts.Assert(AlertKeys.Make(AlertKind.ZoneIncursionPredicted, tt.Serial[k], z), AlertKind.ZoneIncursionPredicted, tt.Id[k], null,
                        pz.Zone.Identifier, null, AlertLevel.Caution, s, default, _cycle, now, events);
                    break;
                }
            }
        }
    }

    private void CheckConformance(int k, IReadOnlyList<Track> tracks, long nowTicks, DateTimeOffset now, List<AlertEvent> events)
    {
        IntentRuntime? cur = null;
        bool curSpans = false;
        for (int r = _firstIntent[k]; r >= 0; r = _nextIntent[r])
        {
            IntentRuntime rt = _sorted[r];
            if (rt.State == SupervisedIntentState.Accepted)
            {
                continue;
            }

            bool spans = nowTicks >= rt.SpanStartTicks && nowTicks < rt.SpanEndTicks;
            if (cur is null || (spans && !curSpans))
            {
                cur = rt;
                curSpans = spans;
            }
        }

        TrackTable tt = Tracks.Table;
        if (cur is null)
        {
            if (_o.RequireIntent)
            {
                Alerts.Assert(AlertKeys.Make(AlertKind.NoIntent, tt.Serial[k], 0), AlertKind.NoIntent, tt.Id[k], null, null, null, AlertLevel.Caution, null, default, _cycle, now, events);
            }

            return;
        }

        if (cur.Contains(tt, k, nowTicks))
        {
            cur.OutsideSinceTicks = long.MinValue;
            if (cur.State == SupervisedIntentState.Nonconforming)
            {
                cur.State = SupervisedIntentState.Activated;
            }
        }
        else
        {
            if (cur.OutsideSinceTicks == long.MinValue)
            {
                cur.OutsideSinceTicks = nowTicks;
            }

            if (cur.State == SupervisedIntentState.Activated)
            {
                cur.State = SupervisedIntentState.Nonconforming;
            }

            if (cur.State == SupervisedIntentState.Nonconforming &&
                (nowTicks - cur.OutsideSinceTicks) / (double)TimeSpan.TicksPerSecond >= _o.ContingentAfterS)
            {
                cur.State = SupervisedIntentState.Contingent;
            }
        }

        _conforming[k] = cur.State == SupervisedIntentState.Activated;
        if (cur.State == SupervisedIntentState.Nonconforming)
        {
            Alerts.Assert(AlertKeys.Make(AlertKind.Nonconforming, tt.Serial[k], cur.Number), AlertKind.Nonconforming, tt.Id[k], null, null, cur.Intent.Id,
                AlertLevel.Warning, null, default, _cycle, now, events);
        }

        AssertContingentOnly(k, tracks, now, events);
    }

    private void AssertContingentOnly(int k, IReadOnlyList<Track> tracks, DateTimeOffset now, List<AlertEvent> events)
    {
        // The Track object is touched only when an alert is asserted: objects are spread across memory.
        for (int r = _firstIntent[k]; r >= 0; r = _nextIntent[r])
        {
            IntentRuntime rt = _sorted[r];
            if (rt.State == SupervisedIntentState.Contingent)
            {
                Alerts.Assert(AlertKeys.Make(AlertKind.Contingent, Tracks.Table.Serial[k], rt.Number), AlertKind.Contingent, Tracks.Table.Id[k], null, null, rt.Intent.Id,
                    AlertLevel.Warning, null, default, _cycle, now, events);
            }
        }
    }

    /// <summary>Asserts the separation alert of a conflicting pair (track indices, <see cref="_hot"/> filled for both).
    /// <paramref name="leadS"/> is the raise-ahead (steps only, else 0): a loss starting within it is raised as a loss
    /// now, a predicted loss entering the look-ahead within it as a predicted one now; either holds until its onset.</summary>
    private void AssertSeparation(int a, int b, double timeToLossS, DateTimeOffset now, List<AlertEvent> events, double leadS = 0)
    {
        bool lossNow = timeToLossS <= leadS;
        double onsetS = lossNow ? timeToLossS : timeToLossS - _o.SeparationLookAheadS;
        long holdUntil = onsetS > 0 ? now.UtcTicks + (long)Math.Ceiling(onsetS * TimeSpan.TicksPerSecond) : 0;
        AlertLevel level = lossNow ? AlertLevel.Warning : timeToLossS <= _o.SeparationCautionS ? AlertLevel.Caution : AlertLevel.Advisory;
        AlertKind kind = lossNow ? AlertKind.SeparationLoss : AlertKind.SeparationPredicted;
        int serialA = _hot[a].Serial, serialB = _hot[b].Serial;
        long key = AlertKeys.Make(kind, Math.Min(serialA, serialB), Math.Max(serialA, serialB));
        string idA = Tracks.Table.Id[a], idB = Tracks.Table.Id[b];

        // The alert names the ordinally smaller id first; an alert already active knows its order, so the strings
        // are compared only when it is raised.
        bool aFirst = Alerts.TryGetAircraft(key, out string? known)
            ? ReferenceEquals(known, idA) || (!ReferenceEquals(known, idB) && string.CompareOrdinal(idA, idB) <= 0)
            : string.CompareOrdinal(idA, idB) <= 0;
        (int first, int second, string firstId, string secondId) = aFirst ? (a, b, idA, idB) : (b, a, idB, idA);
        AdvisoryValue advisory = Advise(first, second, firstId, secondId);
        Alerts.Assert(key, kind, firstId, secondId, null, null, level, timeToLossS, advisory, _cycle, now, events, holdUntil);
    }

    /// <summary>The resolution advisory for a conflicting pair (track indices); <paramref name="a"/> has the ordinally smaller id.</summary>
    private AdvisoryValue Advise(int a, int b, string idA, string idB)
    {
        ref PairState pa = ref _hot[a];
        ref PairState pb = ref _hot[b];
        double upA = pa.UpNowM, upB = pb.UpNowM;
        bool mannedA = pa.Manned, mannedB = pb.Manned;
        if (mannedA != mannedB)
        {
            (string drone, double droneUp, double mannedUp) = mannedA ? (idB, upB, upA) : (idA, upA, upB);
            return new AdvisoryValue(drone, droneUp >= mannedUp ? AdvisoryManeuver.Climb : AdvisoryManeuver.Descend, ReasonManned);
        }

        bool ca = _conforming[a], cb = _conforming[b];
        if (ca != cb)
        {
            return ca
                ? new AdvisoryValue(idB, VerticalAway(upB, upA), ReasonConforming)
                : new AdvisoryValue(idA, VerticalAway(upA, upB), ReasonConforming);
        }

        double vea = pa.VelEastMps, vna = pa.VelNorthMps, veb = pb.VelEastMps, vnb = pb.VelNorthMps;
        bool levelA = Math.Abs(pa.VelUpMps) < LevelVerticalMps, levelB = Math.Abs(pb.VelUpMps) < LevelVerticalMps;
        if (levelA != levelB)
        {
            return new AdvisoryValue(levelA ? idB : idA, AdvisoryManeuver.Hold, ReasonLevel);
        }

        double sa = Math.Sqrt((vea * vea) + (vna * vna));
        double sb = Math.Sqrt((veb * veb) + (vnb * vnb));
        if ((sa < HoverMps) != (sb < HoverMps))
        {
            return new AdvisoryValue(sa < HoverMps ? idB : idA, AdvisoryManeuver.Hold, ReasonHover);
        }

        if (sa >= HoverMps && sb >= HoverMps)
        {
            double cos = ((vea * veb) + (vna * vnb)) / (sa * sb);
            if (cos < -0.7071)
            {
                return new AdvisoryValue(idB, AdvisoryManeuver.TurnRight, ReasonHeadOn);
            }

            double dE = pb.EastM - pa.EastM, dN = pb.NorthM - pa.NorthM;
            if (cos > 0.7071)
            {
                // Overtaking: the one behind sees the other ahead along its own velocity.
                double aheadOfA = (vea * dE) + (vna * dN);
                double aheadOfB = -((veb * dE) + (vnb * dN));
                return new AdvisoryValue(aheadOfA >= aheadOfB ? idA : idB, AdvisoryManeuver.Hold, ReasonOvertaking);
            }

            // Crossing: negative cross product = the other is on the right.
            bool bOnRightOfA = (vea * dN) - (vna * dE) < 0;
            bool aOnRightOfB = (veb * -dN) - (vnb * -dE) < 0;
            if (bOnRightOfA != aOnRightOfB)
            {
                return new AdvisoryValue(bOnRightOfA ? idA : idB, AdvisoryManeuver.Hold, ReasonCrossing);
            }
        }

        return new AdvisoryValue(idB, VerticalAway(upB, upA), ReasonTie);
    }

    private static AdvisoryManeuver VerticalAway(double upGiver, double upOther) =>
        upGiver >= upOther ? AdvisoryManeuver.Climb : AdvisoryManeuver.Descend;

    /// <summary>
    /// Keeps the per-track intent lists and wind limits in step with the store: a full rebuild when intents or wind
    /// limits changed or tracks were removed (indices moved), else only the tracks created since the last cycle.
    /// </summary>
    private void MapTracks(IReadOnlyList<Track> tracks)
    {
        int n = tracks.Count;
        if (_intentsDirty)
        {
            _sorted = [.. _intents.Values];
            Array.Sort(_sorted, static (x, y) => string.CompareOrdinal(x.Intent.Id, y.Intent.Id));
            _nextIntent = new int[_sorted.Length];
            _aircraftHead.Clear();
            for (int r = _sorted.Length - 1; r >= 0; r--)
            {
                string aircraft = _sorted[r].Intent.AircraftId;
                _nextIntent[r] = _aircraftHead.TryGetValue(aircraft, out int head) ? head : -1;
                _aircraftHead[aircraft] = r;
            }
        }

        int from = _intentsDirty || _tracksDirty || _mappedRemovals != Tracks.Removals ? 0 : _mappedTracks;
        for (int k = from; k < n; k++)
        {
            string id = tracks[k].Id;
            _firstIntent[k] = _aircraftHead.TryGetValue(id, out int head) ? head : -1;
            _trackWindLimit[k] = _windLimits.TryGetValue(id, out double limit) ? limit : _o.WindLimitMps;
        }

        _mappedTracks = n;
        _mappedRemovals = Tracks.Removals;
        _intentsDirty = false;
        _tracksDirty = false;
    }

    private void EnsureTrackArrays(int n)
    {
        if (_activeTrack.Length < n)
        {
            int cap = Math.Max(n, _activeTrack.Length * 2);
            _activeTrack = new int[cap];
            Array.Resize(ref _conforming, cap);
            _lost = new bool[cap];
            Array.Resize(ref _fused, cap);
            _hot = new PairState[cap];
            _fusionCount = new int[cap];
            Array.Resize(ref _firstIntent, cap);
            Array.Resize(ref _trackWindLimit, cap);
        }
    }

    private static bool InBand(TrackTable tt, int k, AltitudeReference lowerRef, double lowerM, AltitudeReference upperRef, double upperM, double dzM)
    {
        // An altitude that cannot be expressed in the band's reference (AGL without ground data) counts as inside:
        // the conservative choice for incursions.
        double lo = AltitudeIn(tt, k, lowerRef) + dzM, hi = AltitudeIn(tt, k, upperRef) + dzM;
        return !(lo < lowerM) && !(hi >= upperM);
    }

    private static double AltitudeIn(TrackTable tt, int k, AltitudeReference reference) => reference switch
    {
        AltitudeReference.W84 => tt.AltW84M[k],
        AltitudeReference.Amsl => tt.AltAmslM[k],
        _ => tt.AltAglM[k],
    };

    /// <summary>What the separation alerts and advisories read of a track, packed in one cache line: its position
    /// extrapolated to the check time (so two aircraft reported at different instants are compared at the same one).</summary>
    private struct PairState
    {
        public double EastM;
        public double NorthM;
        public double UpNowM;
        public double VelEastMps;
        public double VelNorthMps;
        public double VelUpMps;
        public int Serial;
        public bool Manned;
    }

    private sealed class PreparedZone(Zone zone)
    {
        public Zone Zone { get; } = zone;

        public FastFootprint Footprint { get; } = new(zone.Footprint);

        public bool InBand(TrackTable tt, int k, double dzM) =>
            SupervisionEngine.InBand(tt, k, Zone.Lower.Reference, Zone.Lower.ValueM, Zone.Upper.Reference, Zone.Upper.ValueM, dzM);
    }

    /// <summary>
    /// A uniform lon/lat grid over the zones' bounding boxes: each cell lists, in ascending order, the zones whose box
    /// touches it, so that a track far from every zone costs one range check and a nearby one a few box tests.
    /// </summary>
    private sealed class ZoneGrid
    {
        private const int MaxSide = 256;
        private readonly double _west;
        private readonly double _south;
        private readonly double _invLon;
        private readonly double _invLat;
        private readonly int _cols;
        private readonly int _rows;
        private readonly int[] _start = [];
        private readonly int[] _items = [];
        private readonly int[] _stamp = [];
        private int _stampNow;

        public ZoneGrid(PreparedZone[] zones)
        {
            if (zones.Length == 0)
            {
                return;
            }

            double w = double.MaxValue, s = double.MaxValue, e = double.MinValue, n = double.MinValue;
            foreach (PreparedZone z in zones)
            {
                GeoBounds b = z.Footprint.Bounds;
                w = Math.Min(w, b.WestLonDeg);
                s = Math.Min(s, b.SouthLatDeg);
                e = Math.Max(e, b.EastLonDeg);
                n = Math.Max(n, b.NorthLatDeg);
            }

            // About 1 km cells, at most MaxSide a side, and no more than 64 cell entries per zone on average.
            double cellLon = Math.Max(0.01, (e - w) / MaxSide), cellLat = Math.Max(0.01, (n - s) / MaxSide);
            while (true)
            {
                long entries = 0;
                foreach (PreparedZone z in zones)
                {
                    GeoBounds b = z.Footprint.Bounds;
                    entries += (long)(CellOf(b.EastLonDeg, w, cellLon) - CellOf(b.WestLonDeg, w, cellLon) + 1) *
                               (CellOf(b.NorthLatDeg, s, cellLat) - CellOf(b.SouthLatDeg, s, cellLat) + 1);
                }

                if (entries <= Math.Max(65_536, 64L * zones.Length))
                {
                    break;
                }

                cellLon *= 2;
                cellLat *= 2;
            }

            _west = w;
            _south = s;
            _invLon = 1 / cellLon;
            _invLat = 1 / cellLat;
            _cols = CellOf(e, w, cellLon) + 1;
            _rows = CellOf(n, s, cellLat) + 1;
            _start = new int[(_cols * _rows) + 1];
            for (int pass = 0; pass < 2; pass++)
            {
                int[] fill = pass == 0 ? _start : (int[])_start.Clone();
                for (int z = 0; z < zones.Length; z++)
                {
                    GeoBounds b = zones[z].Footprint.Bounds;
                    for (int r = Row(b.SouthLatDeg); r <= Row(b.NorthLatDeg); r++)
                    {
                        for (int c = Col(b.WestLonDeg); c <= Col(b.EastLonDeg); c++)
                        {
                            int cell = (r * _cols) + c;
                            if (pass == 0)
                            {
                                _start[cell + 1]++;
                            }
                            else
                            {
                                _items[fill[cell]++] = z;
                            }
                        }
                    }
                }

                if (pass == 0)
                {
                    for (int c = 0; c < _cols * _rows; c++)
                    {
                        _start[c + 1] += _start[c];
                    }

                    _items = new int[_start[_cols * _rows]];
                }
            }

            _stamp = new int[zones.Length];
        }

        /// <summary>The zones whose box cells touch the query box, ascending; false when there are none.</summary>
        public bool Query(double west, double south, double east, double north, List<int> hits)
        {
            hits.Clear();
            if (_items.Length == 0 || east < _west || north < _south || (west - _west) * _invLon >= _cols || (south - _south) * _invLat >= _rows)
            {
                return false;
            }

            int c0 = Col(west), c1 = Col(east), r0 = Row(south), r1 = Row(north);
            if (c0 == c1 && r0 == r1)
            {
                int cell = (r0 * _cols) + c0;
                for (int p = _start[cell]; p < _start[cell + 1]; p++)
                {
                    hits.Add(_items[p]);
                }

                return hits.Count > 0;
            }

            if (++_stampNow == int.MaxValue)
            {
                Array.Clear(_stamp);
                _stampNow = 1;
            }

            for (int r = r0; r <= r1; r++)
            {
                for (int c = c0; c <= c1; c++)
                {
                    int cell = (r * _cols) + c;
                    for (int p = _start[cell]; p < _start[cell + 1]; p++)
                    {
                        int z = _items[p];
                        if (_stamp[z] != _stampNow)
                        {
                            _stamp[z] = _stampNow;
                            hits.Add(z);
                        }
                    }
                }
            }

            if (hits.Count > 1)
            {
                hits.Sort();
            }

            return hits.Count > 0;
        }

        private static int CellOf(double v, double origin, double cell) => (int)Math.Floor((v - origin) / cell);

        private int Col(double lon) => Math.Clamp((int)Math.Floor((lon - _west) * _invLon), 0, _cols - 1);

        private int Row(double lat) => Math.Clamp((int)Math.Floor((lat - _south) * _invLat), 0, _rows - 1);
    }

    /// <summary>An intent under supervision: its state and its volumes flattened into arrays for the conformance test.</summary>
    private sealed class IntentRuntime
    {
        private readonly long[] _startTicks;
        private readonly long[] _endTicks;
        private readonly FastFootprint[] _footprints;
        private readonly AltitudeReference[] _lowerRef;
        private readonly double[] _lowerM;
        private readonly AltitudeReference[] _upperRef;
        private readonly double[] _upperM;

        public IntentRuntime(SupervisedIntent intent, int number, long toleranceTicks)
        {
            Intent = intent;
            Number = number;
            State = intent.State;
            if (intent.State == SupervisedIntentState.Nonconforming && intent.NonconformingSince is { } since)
            {
                OutsideSinceTicks = since.UtcTicks;
            }

            int n = intent.Volumes.Count;
            _startTicks = new long[n];
            _endTicks = new long[n];
            _footprints = new FastFootprint[n];
            _lowerRef = new AltitudeReference[n];
            _lowerM = new double[n];
            _upperRef = new AltitudeReference[n];
            _upperM = new double[n];
            SpanStartTicks = long.MaxValue;
            SpanEndTicks = long.MinValue;
            for (int i = 0; i < n; i++)
            {
                Volume4D v = intent.Volumes[i];
                _startTicks[i] = v.Time.Start.UtcTicks - toleranceTicks;
                _endTicks[i] = v.Time.End.UtcTicks + toleranceTicks;
                _footprints[i] = new FastFootprint(v.Volume.Footprint);
                _lowerRef[i] = v.Volume.Lower.Reference;
                _lowerM[i] = v.Volume.Lower.ValueM;
                _upperRef[i] = v.Volume.Upper.Reference;
                _upperM[i] = v.Volume.Upper.ValueM;
                SpanStartTicks = Math.Min(SpanStartTicks, _startTicks[i]);
                SpanEndTicks = Math.Max(SpanEndTicks, _endTicks[i]);
            }
        }

        public SupervisedIntent Intent { get; }

        /// <summary>Stable number of the intent id (part of its alerts' keys).</summary>
        public int Number { get; }

        public SupervisedIntentState State { get; set; }

        /// <summary>When the aircraft left its volumes (UTC ticks), or <see cref="long.MinValue"/> while inside.</summary>
        public long OutsideSinceTicks { get; set; } = long.MinValue;

        public long SpanStartTicks { get; }

        public long SpanEndTicks { get; }

        public bool Contains(TrackTable tt, int k, long nowTicks)
        {
            double lon = tt.LonDeg[k], lat = tt.LatDeg[k];
            for (int i = 0; i < _footprints.Length; i++)
            {
                if (nowTicks < _startTicks[i] || nowTicks >= _endTicks[i])
                {
                    continue;
                }

                if (_footprints[i].Contains(lon, lat) && SupervisionEngine.InBand(tt, k, _lowerRef[i], _lowerM[i], _upperRef[i], _upperM[i], 0))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
