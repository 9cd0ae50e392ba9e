using System.Runtime.CompilerServices;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Supervision.Alerts;
using Yunlu.Supervision.Tracks;

namespace Yunlu.Supervision.Checks;

/// <summary>The per-update (incremental) checks of the engine: see <see cref="RunStep"/>.</summary>
public sealed partial class SupervisionEngine
{
    private readonly AircraftGrid _grid = new();
    private readonly List<ConflictPair> _stepConflicts = [];
    private readonly List<StepConflict> _stepFound = [];
    private readonly List<int> _candidates = [];
    private int[] _touched = [];
    private int[] _touchMark = [];
    private int _touchedCount;
    private int _touchEpoch = 1;
    private bool _touchAll;
    private long _touchRemovals;
    private int _cycleTracks;
    private long _cycleRemovals = -1;
    private bool _gridDirty = true;
    private long _gridRemovals = -1;
    private long _steps;

    /// <summary>Aircraft with new positions since the last <see cref="RunCycle"/> or <see cref="RunStep"/>.</summary>
    public int PendingStepTracks => _touchAll ? Tracks.Count : _touchedCount;

    /// <summary>Steps run so far (<see cref="RunStep"/> calls that checked at least one aircraft).</summary>
    public long Steps => _steps;

    /// <summary>
    /// The separation conflicts found by the last <see cref="RunStep"/>: every pair with at least one aircraft of that
    /// step, as track index pairs (A &lt; B by track index), sorted. With the same tracks and time, these are exactly the
    /// pairs of <see cref="LastConflicts"/> that involve an aircraft of the step.
    /// </summary>
    public IReadOnlyList<ConflictPair> LastStepConflicts => _stepConflicts;

    /// <summary>
    /// Checks only the aircraft whose positions came in (<see cref="Ingest"/>) since the last cycle or step, at
    /// <paramref name="now"/>, so that an alert is raised in the same engine step as the position that causes it:
    /// zone incursion now and predicted, conformance to the Activated intent (Nonconforming and Contingent), ceiling,
    /// wind limit, flight without an intent, and separation now and predicted of each of them against every other
    /// aircraft (through a spatial index kept up to date by <see cref="Ingest"/>).
    /// </summary>
    /// <remarks>
    /// <para>A step raises and updates alerts only; it never clears one. Clearing, lost link, the contingent timer of
    /// aircraft that report nothing, stale tracks and identity fusion stay with <see cref="RunCycle"/>, which must still
    /// run at its cadence (it re-checks everything and sweeps the alerts that no longer hold).</para>
    /// <para>Each check is the cycle's own code on the same state (positions extrapolated to <paramref name="now"/>,
    /// zone applicability at <paramref name="now"/>), so the alerts a step asserts for its aircraft are the ones a
    /// cycle at the same time would assert for them, and its separation pairs are the cycle's pairs that involve them
    /// (property-tested against <see cref="RunCycle"/>). Exceptions, by design: a pair that the cycle could fuse as one
    /// aircraft seen twice (<see cref="SupervisionOptions.FusionHorizontalM"/>) is left to the cycle; a track fused by
    /// the last cycle is skipped; the advisory of a pair reads the other aircraft's conformance as of the last cycle or
    /// step that checked it.</para>
    /// <para>Separation candidates: the other aircraft's last reported positions sit in a uniform grid; a query box
    /// around the aircraft's path over the look-ahead, grown by the minimum plus the largest drone speed times
    /// (look-ahead + lost-link time) — the furthest another aircraft's extrapolated position can be from its reported
    /// one while it is not lost — holds every aircraft it can conflict with. Manned traffic is tested against every
    /// drone's box the same way, and every manned aircraft is tested against each checked drone.</para>
    /// </remarks>
    /// <param name="now">The check time (UTC).</param>
    /// <param name="events">Receives raised and updated events, in a deterministic order.</param>
    /// <returns>The number of aircraft checked.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int RunStep(DateTimeOffset now, List<AlertEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        _stepConflicts.Clear();
        _stepFound.Clear();
        if (_touchedCount == 0 && !_touchAll)
        {
            return 0;
        }

        _steps++;
        IReadOnlyList<Track> tracks = Tracks.All;
        int n = tracks.Count;
        EnsureTrackArrays(n);
        MapTracks(tracks);
        for (int z = 0; z < _zones.Length; z++)
        {
            Zone zone = _zones[z].Zone;
            _zoneActive[z] = _o.IncursionRestrictions.Contains(zone.Restriction) && ZoneActivity.IsActive(zone, now);
        }

        bool all = _touchAll || Tracks.Removals != _touchRemovals;
        if (all)
        {
            EnsureTouchArrays(n);
            _touchEpoch = NextEpoch(_touchEpoch, _touchMark);
            for (int k = 0; k < n; k++)
            {
                _touched[k] = k;
                _touchMark[k] = _touchEpoch;
            }

            _touchedCount = n;
        }

        if (_gridDirty || _gridRemovals != Tracks.Removals)
        {
            RebuildGrid(n, now.UtcTicks);
        }

        TrackTable tt = Tracks.Table;
        long nowTicks = now.UtcTicks;
        bool fusedValid = Tracks.Removals == _cycleRemovals;
        int checkedCount = 0;

        // Pass 1: the single-aircraft checks (conformance first for the whole step, so the advisories of pass 2 see it).
        for (int i = 0; i < _touchedCount; i++)
        {
            int k = _touched[i];
            if (k >= n || AgeS(tt, k, nowTicks) >= _o.LostLinkS)
            {
                continue;
            }

            checkedCount++;
            _conforming[k] = false;
            if (tt.Manned[k] || (fusedValid && k < _cycleTracks && _fused[k]))
            {
                continue;
            }

            CheckAircraft(k, tt, tracks, nowTicks, now, events);
        }

        // Pass 2: separation of each aircraft of the step against every other one.
        for (int i = 0; i < _touchedCount; i++)
        {
            int k = _touched[i];
            if (k < n)
            {
                StepSeparation(k, tt, nowTicks, fusedValid);
            }
        }

        _stepFound.Sort(static (x, y) => x.A != y.A ? x.A.CompareTo(y.A) : x.B.CompareTo(y.B));
        double look = _o.SeparationLookAheadS;
        foreach (StepConflict c in _stepFound)
        {
            if (c.TimeToLossS <= look)
            {
                _stepConflicts.Add(new ConflictPair(c.A, c.B, c.TimeToLossS));
            }

            FillHot(tt, c.A, nowTicks);
            FillHot(tt, c.B, nowTicks);
            AssertSeparation(c.A, c.B, c.TimeToLossS, now, events, c.LeadS);
        }

        ClearTouched();
        return checkedCount;
    }

    private void StepSeparation(int k, TrackTable tt, long nowTicks, bool fusedValid)
    {
        double lostS = _o.LostLinkS, look = _o.SeparationLookAheadS;
        double ageK = AgeS(tt, k, nowTicks);
        if (ageK >= lostS || (fusedValid && k < _cycleTracks && _fused[k]))
        {
            return;
        }

        bool mannedK = tt.Manned[k];

        // Raise-ahead: an onset predicted before this aircraft's next report is raised now (SeparationRaiseAheadIntervals).
        double leadS = Math.Max(0, Math.Min(_o.SeparationRaiseAheadMaxS, _o.SeparationRaiseAheadIntervals * tt.IntervalTicks[k] / TimeSpan.TicksPerSecond) - ageK);
        double span = look + leadS;
        double ek = tt.EastM[k] + (tt.VelEastMps[k] * ageK), nk = tt.NorthM[k] + (tt.VelNorthMps[k] * ageK);
        double ek1 = ek + (tt.VelEastMps[k] * span), nk1 = nk + (tt.VelNorthMps[k] * span);
        double h = mannedK ? _o.MannedMinima.HorizontalM : _o.DroneMinima.HorizontalM;

        // A drone sits in the grid at the middle of its path over the look-ahead from its report; at the step its
        // path up to the look-ahead plus the raise-ahead is within max speed × (half the look-ahead + its age + the
        // raise-ahead) of that point.
        double ageBound = Math.Min(lostS, Math.Max(0, (nowTicks - _grid.MinLastTicks) / (double)TimeSpan.TicksPerSecond));
        double reach = h + (_grid.MaxDroneSpeedMps * ((look / 2) + ageBound + leadS)) + SeparationDetector.BoxMarginM;
        _grid.QueryDrones(Math.Min(ek, ek1) - reach, Math.Max(ek, ek1) + reach, Math.Min(nk, nk1) - reach, Math.Max(nk, nk1) + reach, _candidates);
        if (!mannedK)
        {
            _candidates.AddRange(_grid.Manned);
        }

        GridState[] st = _grid.States;
        ref GridState sk = ref st[k];
        foreach (int j in _candidates)
        {
            ref GridState sj = ref st[j];
            if (j == k || (j < k && _touchMark[j] == _touchEpoch) || (sj.Manned && mannedK))
            {
                continue;
            }

            double ageJ = Math.Max(0, (nowTicks - sj.LastTicks) / (double)TimeSpan.TicksPerSecond);
            if (ageJ >= lostS || (fusedValid && j < _cycleTracks && _fused[j]))
            {
                continue;
            }

            bool kFirst = k < j;
            ref GridState sa = ref kFirst ? ref sk : ref sj;
            ref GridState sb = ref kFirst ? ref sj : ref sk;
            double ageA = kFirst ? ageK : ageJ, ageB = kFirst ? ageJ : ageK;
            double ea = sa.EastM + (sa.VelEastMps * ageA), na = sa.NorthM + (sa.VelNorthMps * ageA), ua = sa.UpM + (sa.VelUpMps * ageA);
            double eb = sb.EastM + (sb.VelEastMps * ageB), nb = sb.NorthM + (sb.VelNorthMps * ageB), ub = sb.UpM + (sb.VelUpMps * ageB);
            double dvx = sb.VelEastMps - sa.VelEastMps, dvy = sb.VelNorthMps - sa.VelNorthMps, dvz = sb.VelUpMps - sa.VelUpMps;
            SeparationMinima m = sa.Manned || sb.Manned ? _o.MannedMinima : _o.DroneMinima;
            if (!SeparationDetector.Conflicts(eb - ea, nb - na, ub - ua, dvx, dvy, dvz, m, span, out double ttl))
            {
                continue;
            }

            int a = kFirst ? k : j, b = kFirst ? j : k;
            if (ttl <= 0 && _o.FusionHorizontalM > 0 && MayBeDuplicate(tt, a, b, eb - ea, nb - na, ub - ua, dvx, dvy, dvz))
            {
                // The cycle decides whether this is one aircraft seen twice.
                continue;
            }

            _stepFound.Add(new StepConflict(a, b, ttl, leadS));
        }
    }

    /// <summary>A pair found by a step: track indices (A &lt; B), time to loss from the step, s, and the raise-ahead of the step's aircraft, s.</summary>
    private readonly record struct StepConflict(int A, int B, double TimeToLossS, double LeadS);

    private bool MayBeDuplicate(TrackTable tt, int a, int b, double dx, double dy, double dz, double dvx, double dvy, double dvz)
    {
        if (tt.Manned[a] || tt.Manned[b])
        {
            return false;
        }

        double h2 = _o.FusionHorizontalM * _o.FusionHorizontalM, sv2 = _o.FusionSpeedMps * _o.FusionSpeedMps;
        if ((dx * dx) + (dy * dy) > h2 || Math.Abs(dz) > _o.FusionVerticalM || (dvx * dvx) + (dvy * dvy) + (dvz * dvz) > sv2)
        {
            return false;
        }

        IReadOnlyList<Track> tracks = Tracks.All;
        return (tracks[a].SourcesMask & tracks[b].SourcesMask) == 0;
    }

    private void FillHot(TrackTable tt, int k, long nowTicks)
    {
        double age = AgeS(tt, k, nowTicks);
        _hot[k] = new PairState
        {
            EastM = tt.EastM[k] + (tt.VelEastMps[k] * age), NorthM = tt.NorthM[k] + (tt.VelNorthMps[k] * age), UpNowM = tt.UpM[k] + (tt.VelUpMps[k] * age),
            VelEastMps = tt.VelEastMps[k], VelNorthMps = tt.VelNorthMps[k], VelUpMps = tt.VelUpMps[k], Serial = tt.Serial[k], Manned = tt.Manned[k],
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double AgeS(TrackTable tt, int k, long nowTicks) =>
        Math.Max(0, (nowTicks - tt.LastTicks[k]) / (double)TimeSpan.TicksPerSecond);

    /// <summary>Remembers a track for the next step and moves it in the grid.</summary>
    private void Touch(Track t)
    {
        if (_touchedCount == 0 && !_touchAll)
        {
            _touchRemovals = Tracks.Removals;
        }
        else if (_touchRemovals != Tracks.Removals)
        {
            // Indices moved since the list started: the step checks everything.
            _touchAll = true;
        }

        int k = t.Index;
        if (!_touchAll)
        {
            EnsureTouchArrays(k + 1);
            if (_touchMark[k] != _touchEpoch)
            {
                _touchMark[k] = _touchEpoch;
                _touched[_touchedCount++] = k;
            }
        }

        if (!_gridDirty && _gridRemovals == Tracks.Removals)
        {
            _grid.Set(k, Tracks.Table, _o.SeparationLookAheadS);
        }
    }

    private void ClearTouched()
    {
        _touchedCount = 0;
        _touchAll = false;
        _touchEpoch = NextEpoch(_touchEpoch, _touchMark);
    }

    private static int NextEpoch(int epoch, int[] marks)
    {
        if (epoch == int.MaxValue)
        {
            Array.Clear(marks);
            return 1;
        }

        return epoch + 1;
    }

    private void EnsureTouchArrays(int n)
    {
        if (_touched.Length < n)
        {
            int cap = Math.Max(n, _touched.Length * 2);
            Array.Resize(ref _touched, cap);
            Array.Resize(ref _touchMark, cap);
        }
    }

    private void RebuildGrid(int n, long nowTicks)
    {
        TrackTable tt = Tracks.Table;
        _grid.Reset(n, Math.Max(250, _o.SeparationCellM));
        long lostTicks = (long)(_o.LostLinkS * TimeSpan.TicksPerSecond);
        long minLast = nowTicks;
        for (int k = 0; k < n; k++)
        {
            _grid.Set(k, tt, _o.SeparationLookAheadS);
            long last = tt.LastTicks[k];
            if (last < minLast && nowTicks - last < lostTicks)
            {
                minLast = last;
            }
        }

        // Reports only get newer, and a track not lost now that is checked later is no older than this.
        _grid.MinLastTicks = minLast;
        _gridDirty = false;
        _gridRemovals = Tracks.Removals;
    }

    /// <summary>One aircraft's state as the step's separation reads it (one cache line per candidate).</summary>
    private struct GridState
    {
        public double EastM;
        public double NorthM;
        public double UpM;
        public double VelEastMps;
        public double VelNorthMps;
        public double VelUpMps;
        public long LastTicks;
        public bool Manned;
    }

    /// <summary>
    /// The aircraft for the step's separation candidates: drones in a hashed uniform grid at the middle of their path
    /// over the look-ahead from their last report (doubly linked per bucket, so a move is O(1)), manned traffic in a
    /// plain list; each aircraft's state; an upper bound on the drones' horizontal speed (exact at a rebuild, raised by
    /// every move) and a lower bound on the report time of every aircraft not lost.
    /// </summary>
    private sealed class AircraftGrid
    {
        private int[] _head = [];
        private int[] _next = [];
        private int[] _prev = [];
        private int[] _bucket = [];
        private int[] _mannedPos = [];
        private int[] _stamp = [];
        private int _stampNow;
        private int _mask;
        private double _inv = 1e-3;
        private int _drones;

        public List<int> Manned { get; } = [];

        public double MaxDroneSpeedMps { get; private set; }

        public long MinLastTicks { get; set; }

        public GridState[] States { get; private set; } = [];

        public void Reset(int n, double cellM)
        {
            _inv = 1 / cellM;
            int buckets = 1024;
            while (buckets < 2 * n)
            {
                buckets *= 2;
            }

            if (_head.Length != buckets)
            {
                _head = new int[buckets];
            }

            Array.Fill(_head, -1);
            _mask = buckets - 1;
            int cap = Math.Max(n, 1024);
            if (_next.Length < cap)
            {
                cap = Math.Max(cap, _next.Length * 2);
                _next = new int[cap];
                _prev = new int[cap];
                _bucket = new int[cap];
                _mannedPos = new int[cap];
                _stamp = new int[cap];
                States = new GridState[cap];
            }

            Array.Fill(_bucket, -1);
            Array.Fill(_mannedPos, -1);
            Manned.Clear();
            MaxDroneSpeedMps = 0;
            _drones = 0;
        }

        /// <summary>Puts aircraft <paramref name="k"/> where its last report says (insert or move).</summary>
        public void Set(int k, TrackTable tt, double lookAheadS)
        {
            if (k >= _next.Length)
            {
                int cap = Math.Max(k + 1, _next.Length * 2);
                int old = _next.Length;
                Array.Resize(ref _next, cap);
                Array.Resize(ref _prev, cap);
                Array.Resize(ref _bucket, cap);
                Array.Resize(ref _mannedPos, cap);
                Array.Resize(ref _stamp, cap);
                Array.Fill(_bucket, -1, old, cap - old);
                Array.Fill(_mannedPos, -1, old, cap - old);
            }

            if (k >= States.Length)
            {
                GridState[] states = States;
                Array.Resize(ref states, _next.Length);
                States = states;
            }

            bool manned = tt.Manned[k];
            double velEastMps = tt.VelEastMps[k], velNorthMps = tt.VelNorthMps[k];
            States[k] = new GridState
            {
                EastM = tt.EastM[k], NorthM = tt.NorthM[k], UpM = tt.UpM[k], VelEastMps = velEastMps, VelNorthMps = velNorthMps,
                VelUpMps = tt.VelUpMps[k], LastTicks = tt.LastTicks[k], Manned = manned,
            };
            double eastM = tt.EastM[k] + (velEastMps * lookAheadS / 2), northM = tt.NorthM[k] + (velNorthMps * lookAheadS / 2);
            if (manned)
            {
                Unlink(k);
                if (_mannedPos[k] < 0)
                {
                    _mannedPos[k] = Manned.Count;
                    Manned.Add(k);
                }

                return;
            }

            if (_mannedPos[k] >= 0)
            {
                int pos = _mannedPos[k], last = Manned[^1];
                Manned[pos] = last;
                _mannedPos[last] = pos;
                Manned.RemoveAt(Manned.Count - 1);
                _mannedPos[k] = -1;
            }

            double speed = Math.Sqrt((velEastMps * velEastMps) + (velNorthMps * velNorthMps));
            if (speed > MaxDroneSpeedMps)
            {
                MaxDroneSpeedMps = speed;
            }

            int b = Bucket(Cell(eastM), Cell(northM));
            if (_bucket[k] == b)
            {
                return;
            }

            Unlink(k);
            _bucket[k] = b;
            _prev[k] = -1;
            _next[k] = _head[b];
            if (_head[b] >= 0)
            {
                _prev[_head[b]] = k;
            }

            _head[b] = k;
            _drones++;
        }

        /// <summary>Every drone whose cell touches the box (and possibly a few more), each once.</summary>
        public void QueryDrones(double minE, double maxE, double minN, double maxN, List<int> result)
        {
            result.Clear();
            if (_drones == 0)
            {
                return;
            }

            int cx0 = Cell(minE), cx1 = Cell(maxE), cy0 = Cell(minN), cy1 = Cell(maxN);
            if (++_stampNow == int.MaxValue)
            {
                Array.Clear(_stamp);
                _stampNow = 1;
            }

            if ((long)(cx1 - cx0 + 1) * (cy1 - cy0 + 1) > _head.Length)
            {
                // A box larger than the table: every bucket once.
                for (int b = 0; b < _head.Length; b++)
                {
                    for (int k = _head[b]; k >= 0; k = _next[k])
                    {
                        result.Add(k);
                    }
                }

                return;
            }

            for (int cy = cy0; cy <= cy1; cy++)
            {
                for (int cx = cx0; cx <= cx1; cx++)
                {
                    for (int k = _head[Bucket(cx, cy)]; k >= 0; k = _next[k])
                    {
                        if (_stamp[k] != _stampNow)
                        {
                            _stamp[k] = _stampNow;
                            result.Add(k);
                        }
                    }
                }
            }
        }

        private void Unlink(int k)
        {
            int b = _bucket[k];
            if (b < 0)
            {
                return;
            }

            int p = _prev[k], q = _next[k];
            if (p >= 0)
            {
                _next[p] = q;
            }
            else
            {
                _head[b] = q;
            }

            if (q >= 0)
            {
                _prev[q] = p;
            }

            _bucket[k] = -1;
            _drones--;
        }

        private int Cell(double m) => (int)Math.Clamp(Math.Floor(m * _inv), -1e9, 1e9);

        private int Bucket(int cx, int cy) => (int)(((uint)cx * 73856093u) ^ ((uint)cy * 19349663u)) & _mask;
    }
}
