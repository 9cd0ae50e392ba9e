using System.Globalization;
using NetTopologySuite.Geometries;
using Yunlu.Geo;
using Yunlu.Geo.Grid;

namespace Yunlu.Airspace.Operations;

/// <summary>
/// Strategic deconfliction: checks an intent's volumes against every booked intent it could meet
/// (<see cref="IntentIndex"/>), every zone active in its window and every grid cell's capacity, and answers with the
/// exact conflicts.
/// </summary>
/// <remarks>
/// <para><b>Priority.</b> A booked intent blocks a new one only when its priority is at least the new one's, and
/// never when the new one is an <see cref="IntentPriority.Emergency"/>: a lower-priority intent is reported
/// (non-blocking) so its owner can be told to give way, but never refuses a higher-priority flight. Capacity counts
/// only intents of at least the new one's priority and never blocks an emergency. Zones: see <see cref="ZoneEffect"/>.</para>
/// <para>The intent's own id is skipped, so a booked intent can be re-checked with changed volumes. Thread-safe
/// (queries only).</para>
/// </remarks>
public sealed class StrategicChecker
{
    private const double AllAltitudesLowerM = -1000;
    private const double AllAltitudesUpperM = 100_000;

    private readonly IntentIndex _index;
    private readonly IZoneConstraintSource? _zones;
    private readonly ICellCapacityProvider? _capacity;

    /// <summary>Creates a checker.</summary>
    /// <param name="index">The booked intents.</param>
    /// <param name="zones">Zones, or null to ignore zones.</param>
    /// <param name="capacity">Cell capacities, or null for unlimited.</param>
    public StrategicChecker(IntentIndex index, IZoneConstraintSource? zones = null, ICellCapacityProvider? capacity = null)
    {
        _index = index ?? throw new ArgumentNullException(nameof(index));
        _zones = zones;
        _capacity = capacity;
        if (capacity is not null && (capacity.Level < BeiDouGrid.MinLevel || capacity.Level > BeiDouGrid.MaxLevel))
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "capacity level must be a BeiDou grid level 1–10");
        }
    }

    /// <summary>The index checked against.</summary>
    public IntentIndex Index => _index;

    /// <summary>The capacity provider, if any.</summary>
    public ICellCapacityProvider? Capacity => _capacity;

    /// <summary>Checks <paramref name="intent"/>'s volumes.</summary>
    /// <param name="intent">The intent (its id is excluded from the search).</param>
    public DeconflictionReport Check(OperationalIntent intent)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var conflicts = new List<Conflict>();
        CheckVolumes(intent, intent.Volumes, conflicts, blockingOnly: false);
        return new DeconflictionReport(conflicts);
    }

    /// <summary>
    /// The earliest start-time shift Δ ≥ 0 (all volumes moved by Δ) that leaves no blocking conflict, found exactly:
    /// the shifts that are not clear form a union of open intervals (s_o − e_i, e_o − s_i) over conflicting pairs, so
    /// the earliest clear shift is 0 or some e_o − s_i; candidates are tried in ascending order, each check adding
    /// the ends of the conflicts it finds (the smallest of which is where the current blocked run can first end).
    /// </summary>
    /// <param name="intent">The intent.</param>
    /// <param name="maxShift">The largest shift to consider.</param>
    /// <param name="maxChecks">The most candidate shifts to check.</param>
    /// <returns>The resolution, or null when none is found within the limits.</returns>
    public Resolution? FindEarliestStartShift(OperationalIntent intent, TimeSpan maxShift, int maxChecks = 1000)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var candidates = new PriorityQueue<long, long>();
        var seen = new HashSet<long>();
        candidates.Enqueue(0, 0);
        seen.Add(0);
        var conflicts = new List<Conflict>();
        for (int checks = 0; checks < maxChecks && candidates.TryDequeue(out long shift, out _); checks++)
        {
            var delta = TimeSpan.FromTicks(shift);
            IReadOnlyList<Volume4D> moved = Shift(intent.Volumes, delta);
            conflicts.Clear();
            CheckVolumes(intent, moved, conflicts, blockingOnly: true);
            if (conflicts.Count == 0)
            {
                return new Resolution(ResolutionKind.StartTimeShift, moved,
                    string.Create(CultureInfo.InvariantCulture, $"start {delta.TotalMinutes:0.##} min later (at {moved[0].Time.Start:O})"))
                {
                    StartShift = delta,
                };
            }

            foreach (Conflict c in conflicts)
            {
                long next = (c.OtherTime.End - intent.Volumes[c.VolumeIndex].Time.Start).Ticks;
                if (next > shift && next <= maxShift.Ticks && seen.Add(next))
                {
                    candidates.Enqueue(next, next);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The nearest altitude layer that leaves no blocking conflict: layers of <paramref name="layerHeightM"/> metres
    /// above ground from 0 to <paramref name="maxAglM"/> (e.g. 30 m layers in 0–120 m), converted to W84 for each
    /// volume with the ground height at its footprint's box centre; tried in order of distance from the first
    /// volume's current layer.
    /// </summary>
    /// <param name="intent">The intent.</param>
    /// <param name="groundHeightW84M">Ground height above the WGS84 ellipsoid at a point, metres (terrain model).</param>
    /// <param name="layerHeightM">Layer thickness, metres.</param>
    /// <param name="maxAglM">Top of the highest layer, metres above ground.</param>
    /// <returns>The resolution, or null when no layer is clear.</returns>
    public Resolution? FindAltitudeLayer(OperationalIntent intent, Func<GeoPoint, double> groundHeightW84M, double layerHeightM = 30, double maxAglM = 120)
    {
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(groundHeightW84M);
        if (!(layerHeightM > 0) || !(maxAglM >= layerHeightM))
        {
            throw new ArgumentOutOfRangeException(nameof(layerHeightM), "layerHeightM must be > 0 and maxAglM ≥ layerHeightM");
        }

        int layers = (int)Math.Floor(maxAglM / layerHeightM);
        var ground = new double[intent.Volumes.Count];
        for (int i = 0; i < ground.Length; i++)
        {
            GeoBounds b = intent.Volumes[i].Volume.Bounds;
            ground[i] = groundHeightW84M(new GeoPoint((b.WestLonDeg + b.EastLonDeg) / 2, (b.SouthLatDeg + b.NorthLatDeg) / 2));
        }

        double currentAgl = intent.Volumes[0].Volume.Lower.ValueM - ground[0];
        int current = (int)Math.Clamp(Math.Floor(currentAgl / layerHeightM), 0, layers - 1);
        var order = Enumerable.Range(0, layers).OrderBy(k => Math.Abs(k - current)).ThenBy(k => k);
        var conflicts = new List<Conflict>();
        foreach (int k in order)
        {
            var moved = new Volume4D[intent.Volumes.Count];
            bool same = true;
            for (int i = 0; i < moved.Length; i++)
            {
                Volume4D v = intent.Volumes[i];
                double lower = ground[i] + (k * layerHeightM), upper = lower + layerHeightM;
                same &= lower == v.Volume.Lower.ValueM && upper == v.Volume.Upper.ValueM;
                moved[i] = new Volume4D(new Volume3D(v.Volume.Footprint, Altitude.W84(lower), Altitude.W84(upper)), v.Time);
            }

            if (same)
            {
                continue;
            }

            conflicts.Clear();
            CheckVolumes(intent, moved, conflicts, blockingOnly: true);
            if (conflicts.Count == 0)
            {
                return new Resolution(ResolutionKind.AltitudeLayer, moved,
                    string.Create(CultureInfo.InvariantCulture, $"fly {k * layerHeightM:0}–{(k + 1) * layerHeightM:0} m above ground"))
                {
                    AltitudeLayer = k,
                };
            }
        }

        return null;
    }

    /// <summary>Asks <paramref name="reroute"/> for new volumes and returns them when they check clear (no blocking
    /// conflict with intents, zones or cell capacity); a proposal that still conflicts is dropped.</summary>
    /// <param name="intent">The intent.</param>
    /// <param name="conflicts">Its conflicts (passed to the router; only the blocking ones).</param>
    /// <param name="reroute">The router (the routing module implements it).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async ValueTask<Resolution?> FindRerouteAsync(OperationalIntent intent, IReadOnlyList<Conflict> conflicts, IIntentRerouter reroute, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(conflicts);
        ArgumentNullException.ThrowIfNull(reroute);
        var blocking = new List<Conflict>(conflicts.Count);
        foreach (Conflict c in conflicts)
        {
            if (c.Blocking)
            {
                blocking.Add(c);
            }
        }

        RerouteProposal? proposal = await reroute.RerouteAsync(intent.Volumes, blocking, intent.Span, cancellationToken).ConfigureAwait(false);
        if (proposal is null || proposal.Volumes.Count == 0)
        {
            return null;
        }

        foreach (Volume4D v in proposal.Volumes)
        {
            if (v is null || v.Volume.Reference != _index.Options.Reference)
            {
                return null;
            }
        }

        var found = new List<Conflict>();
        CheckVolumes(intent, proposal.Volumes, found, blockingOnly: true);
        return found.Count == 0
            ? new Resolution(ResolutionKind.Reroute, proposal.Volumes, "re-route " + proposal.Description) { RouteRef = proposal.RouteRef }
            : null;
    }

    /// <summary>Every resolution kind asked for by <paramref name="options"/>, in the order shift, layer, re-route.</summary>
    /// <param name="intent">The intent.</param>
    /// <param name="options">What to try.</param>
    /// <param name="cancellationToken">Cancels the re-route request.</param>
    public async ValueTask<IReadOnlyList<Resolution>> ResolveAsync(OperationalIntent intent, ResolutionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(options);
        var list = new List<Resolution>();
        if (options.MaxStartShift > TimeSpan.Zero && FindEarliestStartShift(intent, options.MaxStartShift) is { } shift)
        {
            list.Add(shift);
        }

        if (options.GroundHeightW84M is { } ground && FindAltitudeLayer(intent, ground, options.LayerHeightM, options.MaxAglM) is { } layer)
        {
            list.Add(layer);
        }

        if (options.Reroute is { } router)
        {
            DeconflictionReport report = Check(intent);
            if (await FindRerouteAsync(intent, report.Conflicts, router, cancellationToken).ConfigureAwait(false) is { } route)
            {
                list.Add(route);
            }
        }

        return list;
    }

    /// <summary>Adds the lock keys (see <see cref="LockKeys"/>) an intent with these volumes must hold: booking-grid
    /// cells of <paramref name="lockCellDeg"/> degrees × <paramref name="lockBucket"/> covering each volume, plus its
    /// capacity cells (so two intents competing for one cell's capacity exclude each other too).</summary>
    /// <returns>False when the global key is needed instead.</returns>
    internal bool CollectLockKeys(IReadOnlyList<Volume4D> volumes, double lockCellDeg, TimeSpan lockBucket, HashSet<long> keys)
    {
        foreach (Volume4D v in volumes)
        {
            GeoBounds b = v.Volume.Bounds;
            if (!LockKeys.AddCells(b, v.Time, lockCellDeg, lockBucket, keys, salt: 0))
            {
                return false;
            }

            if (_capacity is not null && !LockKeys.AddCells(b, v.Time, CellSizeDeg(_capacity.Level), lockBucket, keys, salt: _capacity.Level))
            {
                return false;
            }
        }

        return true;
    }

    internal void CheckVolumes(OperationalIntent intent, IReadOnlyList<Volume4D> volumes, List<Conflict> conflicts, bool blockingOnly)
    {
        var hits = new List<IndexHit>();
        List<ZoneConstraint>? zones = _zones is null ? null : [];
        Dictionary<long, CapacityCell>? capacityCells =
            _capacity is not null && (intent.Priority != IntentPriority.Emergency || !blockingOnly) ? PlanCapacityCells(volumes) : null;
        for (int i = 0; i < volumes.Count; i++)
        {
            Volume4D v = volumes[i];
            hits.Clear();
            _index.Query(v, hits);
            foreach (IndexHit h in hits)
            {
                if (h.IntentId == intent.Id)
                {
                    continue;
                }

                bool blocking = h.Priority >= intent.Priority && intent.Priority != IntentPriority.Emergency;
                if (blockingOnly && !blocking)
                {
                    continue;
                }

                TimeWindow when = Overlap(v.Time, h.Time);
                string reason = blocking
                    ? string.Create(CultureInfo.InvariantCulture, $"volumes[{i}] conflicts with intent {h.IntentId} volume {h.VolumeIndex} ({h.Priority}) from {when.Start:O} to {when.End:O}")
                    : string.Create(CultureInfo.InvariantCulture, $"volumes[{i}] overlaps lower-priority intent {h.IntentId} volume {h.VolumeIndex} ({h.Priority}), which must give way");
                conflicts.Add(new Conflict(ConflictKind.Intent, i, blocking, Intersect(v.Volume.Bounds, h.Bounds), when, h.Time, reason)
                {
                    IntentId = h.IntentId,
                    OtherVolumeIndex = h.VolumeIndex,
                    OtherPriority = h.Priority,
                });
            }

            if (zones is not null)
            {
                zones.Clear();
                _zones!.Collect(v.Volume.Bounds, v.Time, zones);
                foreach (ZoneConstraint z in zones)
                {
                    if (z.Volume.Volume.Reference != v.Volume.Reference || !v.Intersects(z.Volume))
                    {
                        continue;
                    }

                    bool authorised = ContainsOrdinal(intent.ZoneAuthorisations, z.ZoneId);
                    bool blocking = z.Effect switch
                    {
                        ZoneEffect.Blocks => !authorised,
                        ZoneEffect.RequiresAuthorisation => !authorised && intent.Priority != IntentPriority.Emergency,
                        _ => false,
                    };
                    if (blockingOnly && !blocking)
                    {
                        continue;
                    }

                    TimeWindow when = Overlap(v.Time, z.Volume.Time);
                    conflicts.Add(new Conflict(ConflictKind.Zone, i, blocking, Intersect(v.Volume.Bounds, z.Volume.Volume.Bounds), when, z.Volume.Time,
                        string.Create(CultureInfo.InvariantCulture, $"volumes[{i}] enters zone {z.ZoneId} ({z.Name}, {z.Effect}) from {when.Start:O} to {when.End:O}"))
                    {
                        ZoneId = z.ZoneId,
                    });
                }
            }

            if (capacityCells is not null)
            {
                CheckCapacity(intent, i, v, capacityCells, conflicts);
            }
        }
    }

    private static double CellSizeDeg(int level)
    {
        BeiDouGridCell c = BeiDouGrid.Locate(new GeoPoint(0.5, 0.5), level);
        return Math.Min(c.WidthDeg, c.HeightDeg);
    }

    private static bool ContainsOrdinal(IReadOnlyList<string> list, string value)
    {
        foreach (string s in list)
        {
            if (string.Equals(s, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static IReadOnlyList<Volume4D> Shift(IReadOnlyList<Volume4D> volumes, TimeSpan delta)
    {
        if (delta == TimeSpan.Zero)
        {
            return volumes;
        }

        var moved = new Volume4D[volumes.Count];
        for (int i = 0; i < moved.Length; i++)
        {
            Volume4D v = volumes[i];
            moved[i] = new Volume4D(v.Volume, new TimeWindow(v.Time.Start + delta, v.Time.End + delta));
        }

        return moved;
    }

    private static TimeWindow Overlap(TimeWindow a, TimeWindow b) =>
        new(a.Start > b.Start ? a.Start : b.Start, a.End < b.End ? a.End : b.End);

    private static GeoBounds Intersect(GeoBounds a, GeoBounds b) =>
        new(Math.Max(a.WestLonDeg, b.WestLonDeg), Math.Max(a.SouthLatDeg, b.SouthLatDeg), Math.Min(a.EastLonDeg, b.EastLonDeg), Math.Min(a.NorthLatDeg, b.NorthLatDeg));

    private static bool CapacityCellRange(GeoBounds b, int level, out BeiDouGridCell sw, out BeiDouGridCell ne)
    {
        if (b.SouthLatDeg <= -BeiDouGrid.MaxAbsLatDeg || b.NorthLatDeg >= BeiDouGrid.MaxAbsLatDeg || b.WestLonDeg < -180 || b.EastLonDeg > 180)
        {
            sw = ne = default;
            return false;
        }

        sw = BeiDouGrid.Locate(new GeoPoint(b.WestLonDeg, b.SouthLatDeg), level);
        ne = BeiDouGrid.Locate(new GeoPoint(Math.Min(b.EastLonDeg, 179.999999), b.NorthLatDeg), level);
        return true;
    }

    private static long CellKey(int lonIndex, int latIndex) => ((long)latIndex << 32) | (uint)lonIndex;

    /// <summary>The capacity cells the volumes' boxes touch, each with the union of the windows of the volumes
    /// touching it, so each cell is queried once per check (hits outside a volume's own window are clipped away by
    /// <see cref="FirstFullRun"/>, so the answer is the same as one query per volume and cell).</summary>
    private Dictionary<long, CapacityCell> PlanCapacityCells(IReadOnlyList<Volume4D> volumes)
    {
        var cells = new Dictionary<long, CapacityCell>();
        int level = _capacity!.Level;
        foreach (Volume4D v in volumes)
        {
            if (!CapacityCellRange(v.Volume.Bounds, level, out BeiDouGridCell sw, out BeiDouGridCell ne))
            {
                continue;
            }

            for (int j = sw.LatIndex; j <= ne.LatIndex; j++)
            {
                for (int i = sw.LonIndex; i <= ne.LonIndex; i++)
                {
                    long key = CellKey(i, j);
                    if (cells.TryGetValue(key, out CapacityCell? c))
                    {
                        c.StartTicks = Math.Min(c.StartTicks, v.Time.Start.UtcTicks);
                        c.EndTicks = Math.Max(c.EndTicks, v.Time.End.UtcTicks);
                    }
                    else
                    {
                        cells[key] = new CapacityCell { StartTicks = v.Time.Start.UtcTicks, EndTicks = v.Time.End.UtcTicks };
                    }
                }
            }
        }

        return cells;
    }

    private void CheckCapacity(OperationalIntent intent, int volumeIndex, Volume4D v, Dictionary<long, CapacityCell> cells, List<Conflict> conflicts)
    {
        GeoBounds b = v.Volume.Bounds;
        int level = _capacity!.Level;
        if (!CapacityCellRange(b, level, out BeiDouGridCell sw, out BeiDouGridCell ne))
        {
            return;
        }

        FlatShape ours = FlatShape.From(v.Volume);
        for (int j = sw.LatIndex; j <= ne.LatIndex; j++)
        {
            for (int i = sw.LonIndex; i <= ne.LonIndex; i++)
            {
                CapacityCell c = cells[CellKey(i, j)];
                if (!c.Resolved)
                {
                    c.Resolved = true;
                    c.Cell = BeiDouGrid.Locate(new GeoPoint((i + 0.5) * sw.WidthDeg, (j + 0.5) * sw.HeightDeg), level);
                    c.Capacity = _capacity.CapacityOf(c.Cell);
                    if (c.Capacity is not null)
                    {
                        var cellVolume = new Volume4D(
                            new Volume3D(new PolygonFootprint(Rectangle(c.Cell)), Altitude.W84(AllAltitudesLowerM), Altitude.W84(AllAltitudesUpperM)),
                            new TimeWindow(new DateTimeOffset(c.StartTicks, TimeSpan.Zero), new DateTimeOffset(c.EndTicks, TimeSpan.Zero)));
                        c.Shape = FlatShape.From(cellVolume.Volume);
                        c.Hits = [];
                        _index.Query(cellVolume, c.Hits);
                    }
                }

                if (c.Capacity is not { } cap || !FlatGeometry.Intersects(c.Shape, ours))
                {
                    continue;
                }

                TimeWindow? full = FirstFullRun(intent, c.Hits!, v.Time, cap);
                if (full is { } run)
                {
                    BeiDouGridCell cell = c.Cell;
                    bool blocking = intent.Priority != IntentPriority.Emergency;
                    TimeWindow when = Overlap(v.Time, run);
                    var cellBounds = new GeoBounds(cell.WestLonDeg, cell.SouthLatDeg, cell.EastLonDeg, cell.NorthLatDeg);
                    conflicts.Add(new Conflict(ConflictKind.CellCapacity, volumeIndex, blocking, Intersect(b, cellBounds), when, run,
                        string.Create(CultureInfo.InvariantCulture, $"volumes[{volumeIndex}]: grid cell {cell.Code} is full ({cap} intents) from {when.Start:O} to {when.End:O}"))
                    {
                        CellCode = cell.Code,
                    });
                }
            }
        }
    }

    /// <summary>The first maximal run within <paramref name="window"/> during which at least <paramref name="capacity"/>
    /// other intents (of at least our priority) occupy the cell, or null. Sweep over start/end events; ends sort before
    /// starts at equal instants (half-open windows).</summary>
    private static TimeWindow? FirstFullRun(OperationalIntent intent, List<IndexHit> hits, TimeWindow window, int capacity)
    {
        if (hits.Count < capacity)
        {
            return null; // fewer volumes than the capacity, so fewer intents at any instant
        }

        var perIntent = new Dictionary<Guid, List<(long Start, long End)>>();
        foreach (IndexHit h in hits)
        {
            if (h.IntentId == intent.Id || h.Priority < intent.Priority)
            {
                continue;
            }

            long s = Math.Max(h.Time.Start.UtcTicks, window.Start.UtcTicks), e = Math.Min(h.Time.End.UtcTicks, window.End.UtcTicks);
            if (e <= s)
            {
                continue;
            }

            if (!perIntent.TryGetValue(h.IntentId, out List<(long, long)>? list))
            {
                perIntent[h.IntentId] = list = [];
            }

            list.Add((s, e));
        }

        if (perIntent.Count < capacity)
        {
            return null;
        }

        var events = new List<(long T, int D)>();
        foreach (List<(long Start, long End)> list in perIntent.Values)
        {
            // Merge one intent's windows so it counts once at any instant.
            list.Sort();
            long cs = list[0].Start, ce = list[0].End;
            for (int k = 1; k < list.Count; k++)
            {
                if (list[k].Start <= ce)
                {
                    ce = Math.Max(ce, list[k].End);
                }
                else
                {
                    events.Add((cs, 1));
                    events.Add((ce, -1));
                    (cs, ce) = list[k];
                }
            }

            events.Add((cs, 1));
            events.Add((ce, -1));
        }

        events.Sort((x, y) => x.T.CompareTo(y.T));
        int count = 0;
        long runStart = 0;
        bool inRun = false;
        for (int k = 0; k < events.Count;)
        {
            long t = events[k].T;
            while (k < events.Count && events[k].T == t)
            {
                count += events[k].D;
                k++;
            }

            if (!inRun && count >= capacity)
            {
                inRun = true;
                runStart = t;
            }
            else if (inRun && count < capacity)
            {
                return new TimeWindow(new DateTimeOffset(runStart, TimeSpan.Zero), new DateTimeOffset(t, TimeSpan.Zero));
            }
        }

        return null;
    }

    private static Polygon Rectangle(BeiDouGridCell c) =>
        FootprintGeometry.Factory.CreatePolygon(
        [
            new Coordinate(c.WestLonDeg, c.SouthLatDeg), new Coordinate(c.EastLonDeg, c.SouthLatDeg),
            new Coordinate(c.EastLonDeg, c.NorthLatDeg), new Coordinate(c.WestLonDeg, c.NorthLatDeg),
            new Coordinate(c.WestLonDeg, c.SouthLatDeg),
        ]);
}

/// <summary>One capacity cell of a check: the union window of the volumes touching it and, once queried, its hits.</summary>
internal sealed class CapacityCell
{
    public long StartTicks;
    public long EndTicks;
    public bool Resolved;
    public BeiDouGridCell Cell;
    public int? Capacity;
    public FlatShape Shape;
    public List<IndexHit>? Hits;
}
