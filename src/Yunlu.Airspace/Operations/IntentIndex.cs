using System.Runtime.CompilerServices;
using Yunlu.Geo;

namespace Yunlu.Airspace.Operations;

/// <summary>Tuning of <see cref="IntentIndex"/>.</summary>
public sealed record IntentIndexOptions
{
    /// <summary>The defaults: 2 km cells × 30 min buckets at 26.6° N (Guiyang), 5 levels, ≤ 16 cells per volume, W84.</summary>
    public static IntentIndexOptions Default { get; } = new();

    /// <summary>Edge of a level-0 cell, metres (at <see cref="ReferenceLatDeg"/>); 100 m – 100 km.</summary>
    public double CellSizeM { get; init; } = 2000;

    /// <summary>Length of a level-0 time bucket; 1 min – 1 day.</summary>
    public TimeSpan BucketDuration { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Latitude at which <see cref="CellSizeM"/> is converted to degrees of longitude.</summary>
    public double ReferenceLatDeg { get; init; } = 26.6;

    /// <summary>Grid levels; level l has cells and buckets 4^l times the level-0 ones. 1–8.</summary>
    public int Levels { get; init; } = 5;

    /// <summary>Most cell × bucket entries a volume may take on a level before it moves up a level. 1–4096.</summary>
    public int MaxCellsPerVolume { get; init; } = 16;

    /// <summary>The altitude reference every volume must use.</summary>
    public AltitudeReference Reference { get; init; } = AltitudeReference.W84;
}

/// <summary>One volume found by <see cref="IntentIndex.Query"/>.</summary>
/// <param name="IntentId">The intent.</param>
/// <param name="VolumeIndex">The index of the volume within the intent's volume list.</param>
/// <param name="Priority">The intent's priority.</param>
/// <param name="Time">The volume's time window.</param>
/// <param name="Bounds">The volume's footprint bounding box.</param>
/// <param name="LowerM">Floor, metres in the index's reference.</param>
/// <param name="UpperM">Ceiling, metres in the index's reference.</param>
public readonly record struct IndexHit(Guid IntentId, int VolumeIndex, IntentPriority Priority, TimeWindow Time, GeoBounds Bounds, double LowerM, double UpperM);

/// <summary>
/// The in-memory 4D index of booked operational intents: which volumes of which intents share a point in space and
/// time with a given volume, exactly as <see cref="Volume4D.Intersects"/> decides (half-open time and altitude,
/// closed footprints; touching in time or altitude is not overlapping).
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> A multi-level uniform grid over lon/lat (an equirectangular local metric frame: cells of
/// <see cref="IntentIndexOptions.CellSizeM"/> at the reference latitude) × time buckets. A volume goes to the lowest
/// level on which its bounding box × time window covers at most <see cref="IntentIndexOptions.MaxCellsPerVolume"/>
/// cell-buckets (each level is 4× coarser in space and time); volumes reaching within 0.1° of the antimeridian go to a
/// small list scanned linearly. Each cell-bucket holds 32-byte struct entries (slot, time in whole seconds, altitudes in whole metres and
/// the box in float degrees, all rounded outwards so the filter never drops a true hit); per-volume data (box, exact
/// ticks and altitudes, flattened footprint) live in flat slot arrays.</para>
/// <para><b>Query.</b> For each level, visit the cell-buckets the query covers (or every non-empty one when fewer),
/// binary-search each cell-bucket's start-sorted entries for the ones that can overlap the query's window, filter
/// them by the quantised time/altitude, then by the exact box, time and altitude; report a pair only from
/// the cell-bucket at the maximum of both volumes' minimum cell coordinates (the reference-point rule, so no dedupe
/// state is shared between concurrent queries), then test the footprints exactly (<see cref="FlatGeometry"/>).</para>
/// <para><b>Concurrency.</b> Any number of concurrent queries; writes are exclusive (a reader–writer lock). Insert and
/// delete are O(cells per volume × entries per cell) (a sorted insert/removal moves the entries after it), delete
/// finds its entries by recomputing the same cells.</para>
/// </remarks>
public sealed class IntentIndex : IDisposable
{
    private const double AntimeridianMarginDeg = 179.9;
    private const int TimeBits = 24;
    private static readonly long EpochTicks = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly IntentIndexOptions _options;
    private readonly double[] _lonStep;
    private readonly double[] _latStep;
    private readonly long[] _bucketTicks;
    private readonly Dictionary<long, Cell>[] _tables;
    private readonly List<int> _overflow = [];
    private readonly Dictionary<Guid, IntentRecord> _intents = [];
    private readonly PriorityQueue<Guid, long> _byEnd = new();

    private SlotData[] _slots = new SlotData[1024];
    private FlatShape[] _shapes = new FlatShape[1024];
    private Guid[] _intentOf = new Guid[1024];
    private int[] _volumeIndex = new int[1024];
    private int[] _next = new int[1024];
    private sbyte[] _level = new sbyte[1024];
    private int[] _overflowPos = new int[1024];
    private int _highWater;
    private int _freeHead = -1;
    private int _volumeCount;

    /// <summary>Creates an empty index.</summary>
    /// <param name="options">Tuning, or null for <see cref="IntentIndexOptions.Default"/>.</param>
    public IntentIndex(IntentIndexOptions? options = null)
    {
        _options = options ?? IntentIndexOptions.Default;
        if (!(_options.CellSizeM >= 100 && _options.CellSizeM <= 100_000))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "CellSizeM must be within 100 m – 100 km");
        }

        if (_options.BucketDuration < TimeSpan.FromMinutes(1) || _options.BucketDuration > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "BucketDuration must be within 1 min – 1 day");
        }

        if (_options.Levels is < 1 or > 8 || _options.MaxCellsPerVolume is < 1 or > 4096 || Math.Abs(_options.ReferenceLatDeg) > 80)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Levels must be 1–8, MaxCellsPerVolume 1–4096, |ReferenceLatDeg| ≤ 80");
        }

        var plane = new LocalTangentPlane(new GeoPoint(0, _options.ReferenceLatDeg));
        int n = _options.Levels;
        _lonStep = new double[n];
        _latStep = new double[n];
        _bucketTicks = new long[n];
        _tables = new Dictionary<long, Cell>[n];
        for (int l = 0; l < n; l++)
        {
            double f = Math.Pow(4, l);
            _lonStep[l] = Math.Min(360, _options.CellSizeM * f / plane.MetresPerDegreeLon);
            _latStep[l] = Math.Min(180, _options.CellSizeM * f / plane.MetresPerDegreeLat);
            _bucketTicks[l] = _options.BucketDuration.Ticks * (long)f;
            _tables[l] = [];
        }
    }

    /// <summary>The options in use.</summary>
    public IntentIndexOptions Options => _options;

    /// <summary>Number of intents held.</summary>
    public int IntentCount
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _intents.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Number of volumes held.</summary>
    public int VolumeCount => Volatile.Read(ref _volumeCount);

    /// <summary>True when the intent is held.</summary>
    /// <param name="intentId">The intent.</param>
    public bool Contains(Guid intentId)
    {
        _lock.EnterReadLock();
        try
        {
            return _intents.ContainsKey(intentId);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Adds an intent's volumes, replacing any volumes already held for the same id.</summary>
    /// <param name="intentId">The intent.</param>
    /// <param name="priority">Its priority (reported with hits).</param>
    /// <param name="volumes">Its volumes (at least one; every one in <see cref="IntentIndexOptions.Reference"/>).</param>
    /// <exception cref="ArgumentException">No volumes, or a volume uses another altitude reference.</exception>
    public void Add(Guid intentId, IntentPriority priority, IReadOnlyList<Volume4D> volumes)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        if (volumes.Count == 0)
        {
            throw new ArgumentException("volumes: an intent needs at least one volume", nameof(volumes));
        }

        var shapes = new FlatShape[volumes.Count];
        long end = long.MinValue;
        for (int i = 0; i < volumes.Count; i++)
        {
            Volume4D v = volumes[i] ?? throw new ArgumentException($"volumes[{i}]: missing", nameof(volumes));
            RequireReference(v, nameof(volumes));
            shapes[i] = FlatShape.From(v.Volume);
            end = Math.Max(end, v.Time.End.UtcTicks);
        }

        _lock.EnterWriteLock();
        try
        {
            RemoveCore(intentId);
            int first = -1;
            for (int i = volumes.Count - 1; i >= 0; i--)
            {
                Volume4D v = volumes[i];
                int slot = AllocateSlot();
                _slots[slot] = new SlotData
                {
                    West = v.Volume.Bounds.WestLonDeg,
                    South = v.Volume.Bounds.SouthLatDeg,
                    East = v.Volume.Bounds.EastLonDeg,
                    North = v.Volume.Bounds.NorthLatDeg,
                    Lower = v.Volume.Lower.ValueM,
                    Upper = v.Volume.Upper.ValueM,
                    Start = v.Time.Start.UtcTicks,
                    End = v.Time.End.UtcTicks,
                    Priority = (byte)priority,
                };
                _shapes[slot] = shapes[i];
                _intentOf[slot] = intentId;
                _volumeIndex[slot] = i;
                _next[slot] = first;
                first = slot;
                InsertSlot(slot);
            }

            _intents[intentId] = new IntentRecord(first, end);
            _byEnd.Enqueue(intentId, end);
            _volumeCount += volumes.Count;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes an intent's volumes.</summary>
    /// <param name="intentId">The intent.</param>
    /// <returns>True when it was held.</returns>
    public bool Remove(Guid intentId)
    {
        _lock.EnterWriteLock();
        try
        {
            return RemoveCore(intentId);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes every intent whose last volume ends at or before <paramref name="now"/>. O(k log n) for k removed.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>How many intents left the index.</returns>
    public int EvictEndedBefore(DateTimeOffset now)
    {
        long t = now.UtcTicks;
        int removed = 0;
        _lock.EnterWriteLock();
        try
        {
            while (_byEnd.TryPeek(out Guid id, out long end) && end <= t)
            {
                _byEnd.Dequeue();
                if (_intents.TryGetValue(id, out IntentRecord rec) && rec.EndTicks == end && RemoveCore(id))
                {
                    removed++;
                }
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        return removed;
    }

    /// <summary>
    /// Appends to <paramref name="hits"/> every held volume that intersects <paramref name="query"/> (same answer as
    /// <c>query.Intersects(volume)</c>), each once, in no particular order.
    /// </summary>
    /// <param name="query">The query volume (in <see cref="IntentIndexOptions.Reference"/>).</param>
    /// <param name="hits">Receives the hits.</param>
    public void Query(Volume4D query, List<IndexHit> hits)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(hits);
        RequireReference(query, nameof(query));
        var q = new QueryState(FlatShape.From(query.Volume), query.Volume.Lower.ValueM, query.Volume.Upper.ValueM, query.Time.Start.UtcTicks, query.Time.End.UtcTicks);
        int before = hits.Count;
        bool split = false;
        _lock.EnterReadLock();
        try
        {
            GeoBounds b = q.Shape.Bounds;
            if (b.WestLonDeg < -180)
            {
                QueryPiece(in q, b.WestLonDeg + 360, 180, hits);
                QueryPiece(in q, -180, Math.Min(b.EastLonDeg, 180), hits);
                split = true;
            }
            else if (b.EastLonDeg > 180)
            {
                QueryPiece(in q, b.WestLonDeg, 180, hits);
                QueryPiece(in q, -180, b.EastLonDeg - 360, hits);
                split = true;
            }
            else
            {
                QueryPiece(in q, b.WestLonDeg, b.EastLonDeg, hits);
            }

            foreach (int slot in _overflow)
            {
                TestExact(in q, slot, hits);
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        if (split)
        {
            DedupeFrom(hits, before);
        }
    }

    /// <summary>Approximate managed memory held by the index's own arrays and tables, bytes (for benchmarks).</summary>
    public long EstimateBytes()
    {
        _lock.EnterReadLock();
        try
        {
            long bytes = (long)_slots.Length * (Unsafe.SizeOf<SlotData>() + Unsafe.SizeOf<FlatShape>() + 16 + 4 + 4 + 1 + 4);
            for (int s = 0; s < _highWater; s++)
            {
                if (_shapes[s].Coords is { } c)
                {
                    bytes += 24 + (8L * c.Length) + (_shapes[s].RingEnds is { } r ? 24 + (4L * r.Length) : 0);
                }
            }

            foreach (Dictionary<long, Cell> t in _tables)
            {
                bytes += t.Count * (24L + 8 + 8 + 4);
                foreach (Cell c in t.Values)
                {
                    bytes += 32 + 24 + ((long)c.Items.Length * Unsafe.SizeOf<CellEntry>());
                }
            }

            bytes += _intents.Count * (16L + 16 + 8);
            return bytes;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    private static void DedupeFrom(List<IndexHit> hits, int start)
    {
        var seen = new HashSet<(Guid, int)>();
        int w = start;
        for (int r = start; r < hits.Count; r++)
        {
            if (seen.Add((hits[r].IntentId, hits[r].VolumeIndex)))
            {
                hits[w++] = hits[r];
            }
        }

        hits.RemoveRange(w, hits.Count - w);
    }

    private static float FloatDown(double v)
    {
        float f = (float)v;
        return f > v ? MathF.BitDecrement(f) : f;
    }

    private static float FloatUp(double v)
    {
        float f = (float)v;
        return f < v ? MathF.BitIncrement(f) : f;
    }

    private static short FloorShort(double m) => (short)Math.Clamp(Math.Floor(m), short.MinValue, short.MaxValue);

    private static short CeilShort(double m) => (short)Math.Clamp(Math.Ceiling(m), short.MinValue, short.MaxValue);

    private static int FloorSec(long ticks) => (int)Math.Clamp(FloorDiv(ticks - EpochTicks, TimeSpan.TicksPerSecond), int.MinValue, int.MaxValue);

    private static int CeilSec(long ticks) => (int)Math.Clamp(-FloorDiv(EpochTicks - ticks, TimeSpan.TicksPerSecond), int.MinValue, int.MaxValue);

    private static long FloorDiv(long a, long b)
    {
        long q = a / b;
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
    }

    private static long Key(int cx, int cy, int tb) =>
        (uint)cx | ((long)(uint)cy << 20) | ((long)(tb & ((1 << TimeBits) - 1)) << 40);

    private void RequireReference(Volume4D v, string param)
    {
        if (v.Volume.Reference != _options.Reference)
        {
            throw new ArgumentException($"altitudes must be {_options.Reference.ToString().ToUpperInvariant()}, found {v.Volume.Reference.ToString().ToUpperInvariant()}", param);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Cx(int level, double lon) => (int)Math.Floor((lon + 180.0) / _lonStep[level]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Cy(int level, double lat) => (int)Math.Floor((lat + 90.0) / _latStep[level]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Tb(int level, long ticks) =>
        (int)Math.Clamp(FloorDiv(ticks - EpochTicks, _bucketTicks[level]), -(1L << (TimeBits - 1)), (1L << (TimeBits - 1)) - 1);

    private void QueryPiece(in QueryState q, double west, double east, List<IndexHit> hits)
    {
        GeoBounds b = q.Shape.Bounds;
        for (int l = 0; l < _tables.Length; l++)
        {
            Dictionary<long, Cell> table = _tables[l];
            if (table.Count == 0)
            {
                continue;
            }

            var r = new Range3(Cx(l, west), Cx(l, east), Cy(l, b.SouthLatDeg), Cy(l, b.NorthLatDeg), Tb(l, q.Start), Tb(l, q.End - 1));
            double cells = (double)(r.X1 - r.X0 + 1) * (r.Y1 - r.Y0 + 1) * (r.T1 - r.T0 + 1);
            if (cells <= table.Count)
            {
                for (int t = r.T0; t <= r.T1; t++)
                {
                    for (int y = r.Y0; y <= r.Y1; y++)
                    {
                        for (int x = r.X0; x <= r.X1; x++)
                        {
                            if (table.TryGetValue(Key(x, y, t), out Cell? cell))
                            {
                                ScanCell(in q, l, cell, x, y, t, in r, west, east, hits);
                            }
                        }
                    }
                }
            }
            else
            {
                foreach (KeyValuePair<long, Cell> kv in table)
                {
                    int x = (int)(kv.Key & 0xFFFFF), y = (int)((kv.Key >> 20) & 0xFFFFF);
                    int t = (int)(kv.Key >> 40) << (32 - TimeBits) >> (32 - TimeBits);
                    if (x >= r.X0 && x <= r.X1 && y >= r.Y0 && y <= r.Y1 && t >= r.T0 && t <= r.T1)
                    {
                        ScanCell(in q, l, kv.Value, x, y, t, in r, west, east, hits);
                    }
                }
            }
        }
    }

    private void ScanCell(in QueryState q, int level, Cell cell, int x, int y, int t, in Range3 r, double west, double east, List<IndexHit> hits)
    {
        CellEntry[] items = cell.Items;
        int n = cell.Count;
        GeoBounds b = q.Shape.Bounds;
        // Entries are sorted by start: none before the first that could still be running at the query's start
        // (start ≥ query start − the longest entry ever held here), none after the first starting past its end.
        for (int k = cell.FirstStartingAtOrAfter((long)q.StartSec - cell.MaxDurationSec); k < n; k++)
        {
            ref readonly CellEntry e = ref items[k];
            if (e.StartSec > q.EndSec)
            {
                break;
            }

            // Non-strict: the quantised values are clamped, so only a strict gap proves the exact values apart. The
            // box is rounded outwards to float, so a strict gap proves the exact boxes apart too; all of this without
            // touching the slot arrays (one cache miss per surviving candidate only).
            if (e.EndSec < q.StartSec || e.Lower > q.UpperQ || e.Upper < q.LowerQ ||
                e.West > east || e.East < west || e.South > b.NorthLatDeg || e.North < b.SouthLatDeg)
            {
                continue;
            }

            ref readonly SlotData s = ref _slots[e.Slot];
            if (s.Start >= q.End || s.End <= q.Start || s.Lower >= q.Upper || s.Upper <= q.Lower ||
                s.West > east || s.East < west || s.South > b.NorthLatDeg || s.North < b.SouthLatDeg)
            {
                continue;
            }

            // Reference-point rule: report the pair only from the first cell-bucket both cover.
            if (Math.Max(Cx(level, s.West), r.X0) != x || Math.Max(Cy(level, s.South), r.Y0) != y || Math.Max(Tb(level, s.Start), r.T0) != t)
            {
                continue;
            }

            if (FlatGeometry.Intersects(q.Shape, in _shapes[e.Slot]))
            {
                hits.Add(MakeHit(e.Slot));
            }
        }
    }

    private void TestExact(in QueryState q, int slot, List<IndexHit> hits)
    {
        ref readonly SlotData s = ref _slots[slot];
        if (s.Start < q.End && q.Start < s.End && s.Lower < q.Upper && q.Lower < s.Upper && FlatGeometry.Intersects(q.Shape, in _shapes[slot]))
        {
            hits.Add(MakeHit(slot));
        }
    }

    private IndexHit MakeHit(int slot)
    {
        ref readonly SlotData s = ref _slots[slot];
        return new IndexHit(
            _intentOf[slot],
            _volumeIndex[slot],
            (IntentPriority)s.Priority,
            new TimeWindow(new DateTimeOffset(s.Start, TimeSpan.Zero), new DateTimeOffset(s.End, TimeSpan.Zero)),
            _shapes[slot].Bounds,
            s.Lower,
            s.Upper);
    }

    private bool RemoveCore(Guid intentId)
    {
        if (!_intents.Remove(intentId, out IntentRecord rec))
        {
            return false;
        }

        int slot = rec.FirstSlot;
        while (slot >= 0)
        {
            int next = _next[slot];
            DeleteSlot(slot);
            _shapes[slot] = default;
            _intentOf[slot] = Guid.Empty;
            _next[slot] = _freeHead;
            _freeHead = slot;
            _volumeCount--;
            slot = next;
        }

        return true;
    }

    private int AllocateSlot()
    {
        if (_freeHead >= 0)
        {
            int s = _freeHead;
            _freeHead = _next[s];
            return s;
        }

        if (_highWater == _slots.Length)
        {
            int size = _slots.Length * 2;
            Array.Resize(ref _slots, size);
            Array.Resize(ref _shapes, size);
            Array.Resize(ref _intentOf, size);
            Array.Resize(ref _volumeIndex, size);
            Array.Resize(ref _next, size);
            Array.Resize(ref _level, size);
            Array.Resize(ref _overflowPos, size);
        }

        return _highWater++;
    }

    private int ChooseLevel(in SlotData s, out Range3 range)
    {
        if (s.West < -AntimeridianMarginDeg || s.East > AntimeridianMarginDeg)
        {
            range = default;
            return -1;
        }

        for (int l = 0; l < _tables.Length; l++)
        {
            range = new Range3(Cx(l, s.West), Cx(l, s.East), Cy(l, s.South), Cy(l, s.North), Tb(l, s.Start), Tb(l, s.End - 1));
            double cells = (double)(range.X1 - range.X0 + 1) * (range.Y1 - range.Y0 + 1) * (range.T1 - range.T0 + 1);
            if (cells <= _options.MaxCellsPerVolume)
            {
                return l;
            }
        }

        range = default;
        return -1;
    }

    private void InsertSlot(int slot)
    {
        ref readonly SlotData s = ref _slots[slot];
        int level = ChooseLevel(in s, out Range3 r);
        _level[slot] = (sbyte)level;
        if (level < 0)
        {
            _overflowPos[slot] = _overflow.Count;
            _overflow.Add(slot);
            return;
        }

        var entry = new CellEntry
        {
            Slot = slot,
            StartSec = FloorSec(s.Start),
            EndSec = CeilSec(s.End),
            Lower = FloorShort(s.Lower),
            Upper = CeilShort(s.Upper),
            West = FloatDown(s.West),
            South = FloatDown(s.South),
            East = FloatUp(s.East),
            North = FloatUp(s.North),
        };
        Dictionary<long, Cell> table = _tables[level];
        for (int t = r.T0; t <= r.T1; t++)
        {
            for (int y = r.Y0; y <= r.Y1; y++)
            {
                for (int x = r.X0; x <= r.X1; x++)
                {
                    ref Cell? cell = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(table, Key(x, y, t), out _);
                    cell ??= new Cell();
                    cell.Add(entry);
                }
            }
        }
    }

    private void DeleteSlot(int slot)
    {
        int level = _level[slot];
        if (level < 0)
        {
            int pos = _overflowPos[slot];
            int last = _overflow[^1];
            _overflow[pos] = last;
            _overflowPos[last] = pos;
            _overflow.RemoveAt(_overflow.Count - 1);
            return;
        }

        ref readonly SlotData s = ref _slots[slot];
        var r = new Range3(Cx(level, s.West), Cx(level, s.East), Cy(level, s.South), Cy(level, s.North), Tb(level, s.Start), Tb(level, s.End - 1));
        int startSec = FloorSec(s.Start);
        Dictionary<long, Cell> table = _tables[level];
        for (int t = r.T0; t <= r.T1; t++)
        {
            for (int y = r.Y0; y <= r.Y1; y++)
            {
                for (int x = r.X0; x <= r.X1; x++)
                {
                    long key = Key(x, y, t);
                    if (table.TryGetValue(key, out Cell? cell) && cell.Remove(slot, startSec) && cell.Count == 0)
                    {
                        table.Remove(key);
                    }
                }
            }
        }
    }

    private readonly record struct IntentRecord(int FirstSlot, long EndTicks);

    private readonly record struct Range3(int X0, int X1, int Y0, int Y1, int T0, int T1);

    private struct SlotData
    {
        public double West;
        public double South;
        public double East;
        public double North;
        public double Lower;
        public double Upper;
        public long Start;
        public long End;
        public byte Priority;
    }

    private struct CellEntry
    {
        public int Slot;
        public int StartSec;
        public int EndSec;
        public short Lower;
        public short Upper;
        public float West;
        public float South;
        public float East;
        public float North;
    }

    private readonly struct QueryState
    {
        public QueryState(FlatShape shape, double lower, double upper, long start, long end)
        {
            Shape = shape;
            Lower = lower;
            Upper = upper;
            Start = start;
            End = end;
            LowerQ = FloorShort(lower);
            UpperQ = CeilShort(upper);
            StartSec = FloorSec(start);
            EndSec = CeilSec(end);
        }

        public FlatShape Shape { get; }

        public double Lower { get; }

        public double Upper { get; }

        public long Start { get; }

        public long End { get; }

        public short LowerQ { get; }

        public short UpperQ { get; }

        public int StartSec { get; }

        public int EndSec { get; }
    }

    /// <summary>One cell-bucket's entries, sorted by <see cref="CellEntry.StartSec"/> (so a query scans only the
    /// entries whose start lies within [query start − <see cref="MaxDurationSec"/>, query end]).</summary>
    private sealed class Cell
    {
        public CellEntry[] Items = new CellEntry[4];
        public int Count;

        /// <summary>The longest EndSec − StartSec of any entry ever added (never lowered, so always an upper bound).</summary>
        public long MaxDurationSec;

        public int FirstStartingAtOrAfter(long startSec)
        {
            int lo = 0, hi = Count;
            CellEntry[] items = Items;
            while (lo < hi)
            {
                int mid = (int)((uint)(lo + hi) >> 1);
                if (items[mid].StartSec < startSec)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo;
        }

        public void Add(in CellEntry e)
        {
            if (Count == Items.Length)
            {
                Array.Resize(ref Items, Count * 2);
            }

            MaxDurationSec = Math.Max(MaxDurationSec, (long)e.EndSec - e.StartSec);
            int at = FirstStartingAtOrAfter((long)e.StartSec + 1);
            if (at < Count)
            {
                Array.Copy(Items, at, Items, at + 1, Count - at);
            }

            Items[at] = e;
            Count++;
        }

        public bool Remove(int slot, int startSec)
        {
            for (int i = FirstStartingAtOrAfter(startSec); i < Count && Items[i].StartSec == startSec; i++)
            {
                if (Items[i].Slot == slot)
                {
                    Count--;
                    if (i < Count)
                    {
                        Array.Copy(Items, i + 1, Items, i, Count - i);
                    }

                    if (Count > 0 && Count * 4 <= Items.Length && Items.Length > 4)
                    {
                        Array.Resize(ref Items, Math.Max(4, Items.Length / 2));
                    }

                    return true;
                }
            }

            return false;
        }
    }
}
