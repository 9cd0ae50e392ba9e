using System.Runtime.CompilerServices;

namespace Yunlu.Supervision.Checks;

/// <summary>Separation minima for one pair class: closer than both at once is a loss of separation.</summary>
/// <param name="HorizontalM">Horizontal minimum, metres (&gt; 0).</param>
/// <param name="VerticalM">Vertical minimum, metres (&gt; 0).</param>
public readonly record struct SeparationMinima(double HorizontalM, double VerticalM);

/// <summary>A pair of aircraft in (predicted) loss of separation.</summary>
/// <param name="A">Index of the first aircraft in the input arrays (A &lt; B).</param>
/// <param name="B">Index of the second aircraft.</param>
/// <param name="TimeToLossS">Seconds from now until the loss starts; 0 when it is lost now.</param>
public readonly record struct ConflictPair(int A, int B, double TimeToLossS);

/// <summary>
/// The states of the aircraft one separation pass looks at, as flat arrays in a local metric frame (east, north, up
/// metres; velocities m/s). Reused between cycles: <see cref="Resize"/> grows the arrays, never shrinks them.
/// </summary>
public sealed class SeparationInput
{
    /// <summary>East, metres.</summary>
    public double[] EastM { get; private set; } = [];

    /// <summary>North, metres.</summary>
    public double[] NorthM { get; private set; } = [];

    /// <summary>Up, metres (one vertical datum for all).</summary>
    public double[] UpM { get; private set; } = [];

    /// <summary>Velocity east, m/s.</summary>
    public double[] VelEastMps { get; private set; } = [];

    /// <summary>Velocity north, m/s.</summary>
    public double[] VelNorthMps { get; private set; } = [];

    /// <summary>Velocity up, m/s.</summary>
    public double[] VelUpMps { get; private set; } = [];

    /// <summary>True for manned traffic.</summary>
    public bool[] Manned { get; private set; } = [];

    /// <summary>Number of aircraft in use.</summary>
    public int Count { get; private set; }

    /// <summary>Sets <see cref="Count"/>, growing the arrays when needed (contents beyond the old count are undefined).</summary>
    /// <param name="count">The number of aircraft.</param>
    public void Resize(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > EastM.Length)
        {
            int cap = Math.Max(count, EastM.Length * 2);
            EastM = Grow(EastM, cap);
            NorthM = Grow(NorthM, cap);
            UpM = Grow(UpM, cap);
            VelEastMps = Grow(VelEastMps, cap);
            VelNorthMps = Grow(VelNorthMps, cap);
            VelUpMps = Grow(VelUpMps, cap);
            Manned = Grow(Manned, cap);
        }

        Count = count;
    }

    /// <summary>Sets one aircraft's state.</summary>
    public void Set(int i, double eastM, double northM, double upM, double velEastMps, double velNorthMps, double velUpMps, bool manned)
    {
        EastM[i] = eastM;
        NorthM[i] = northM;
        UpM[i] = upM;
        VelEastMps[i] = velEastMps;
        VelNorthMps[i] = velNorthMps;
        VelUpMps[i] = velUpMps;
        Manned[i] = manned;
    }

    private static T[] Grow<T>(T[] a, int cap)
    {
        Array.Resize(ref a, cap);
        return a;
    }
}

/// <summary>
/// Finds every pair of aircraft that is, or will be within a look-ahead, closer than the separation minima
/// horizontally and vertically at the same time, extrapolating both linearly (constant velocity).
/// </summary>
/// <remarks>
/// <para>Pair predicate (exact for linear motion): the horizontal distance is below H on the open interval between the
/// roots of |Δp + Δv·t|² = H², the vertical one below V between the roots of |Δz + Δvz·t| = V; the pair conflicts
/// when the intersection of both intervals with [0, T] is non-empty, and the loss starts at its lower end.</para>
/// <para>Candidates come from a uniform spatial hash (Teschner et al. 2003 hash of integer cell coordinates), built
/// once per time slice of the look-ahead (by default one slice, the whole look-ahead): each aircraft is entered in every cell its swept box for
/// the slice (its segment over the slice, grown by half the drone minimum — for manned traffic by the drone–manned
/// minimum less that — plus a margin) covers; a pair
/// is tested only in the one cell holding the lower-left corner of the intersection of the two boxes, and reported
/// only by the slice that holds the start of its loss, so no pair is reported twice. At the start of a loss the two
/// aircraft are within H of each other, so their boxes for that slice overlap and the filter loses no conflict:
/// the result equals the all-pairs reference
/// (<see cref="DetectAllPairs"/>), which the tests and the benchmark check. Expected cost O(n + k) for k candidate
/// pairs; all buffers are flat arrays reused between calls (no allocation per aircraft once warm).</para>
/// <para>Pairs of two manned aircraft are not checked (air traffic control separates them).</para>
/// </remarks>
public sealed class SeparationDetector
{
    /// <summary>Added to the half-minimum when growing boxes, metres, so rounding never drops a pair.</summary>
    public const double BoxMarginM = 1.0;

    private const double TinyRate = 1e-12;

    private readonly double _cellM;
    private readonly double _sliceS;
    private double[] _minE = [];
    private double[] _maxE = [];
    private double[] _minN = [];
    private double[] _maxN = [];
    private int[] _bucketStart = [];
    private int[] _bucketFill = [];
    private int[] _entryAircraft = [];
    private int[] _entryCx = [];
    private int[] _entryCy = [];
    private int[] _cx0 = [];
    private int[] _cx1 = [];
    private int[] _cy0 = [];
    private int[] _cy1 = [];
    private int[] _cellStart = [];
    private GridEntry[] _grid = [];
    private AircraftState[] _state = [];
    private AircraftState[] _sorted = [];

    /// <summary>Creates a detector.</summary>
    /// <param name="drone">Minima between two drones.</param>
    /// <param name="manned">Minima between a drone and manned traffic.</param>
    /// <param name="lookAheadS">Look-ahead, seconds (≥ 0).</param>
    /// <param name="cellM">Grid cell size, metres (&gt; 0); about the distance an aircraft flies in one slice works well.</param>
    /// <param name="sliceS">Length of a time slice of the look-ahead, seconds (&gt; 0).</param>
    public SeparationDetector(SeparationMinima drone, SeparationMinima manned, double lookAheadS, double cellM = 500, double sliceS = 30)
    {
        if (!(drone.HorizontalM > 0) || !(drone.VerticalM > 0) || !(manned.HorizontalM > 0) || !(manned.VerticalM > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(drone), "separation minima must be positive");
        }

        if (!(lookAheadS >= 0) || !double.IsFinite(lookAheadS))
        {
            throw new ArgumentOutOfRangeException(nameof(lookAheadS), "look-ahead must be a finite number of seconds ≥ 0");
        }

        if (!(cellM > 0) || !double.IsFinite(cellM))
        {
            throw new ArgumentOutOfRangeException(nameof(cellM), "cell size must be a positive number of metres");
        }

        if (!(sliceS > 0) || !double.IsFinite(sliceS))
        {
            throw new ArgumentOutOfRangeException(nameof(sliceS), "slice length must be a positive number of seconds");
        }

        Drone = drone;
        MannedMinima = manned;
        _sliceS = sliceS;
        LookAheadS = lookAheadS;
        _cellM = cellM;
    }

    /// <summary>Always take the hashed-cell path (the previous algorithm, kept as the fallback; for benchmarks and tests).</summary>
    internal bool HashOnly { get; init; }

    /// <summary>Drone–drone minima.</summary>
    public SeparationMinima Drone { get; }

    /// <summary>Drone–manned minima.</summary>
    public SeparationMinima MannedMinima { get; }

    /// <summary>Look-ahead, seconds.</summary>
    public double LookAheadS { get; }

    /// <summary>
    /// The pair predicate: whether two aircraft with relative position (dx, dy, dz) and relative velocity
    /// (dvx, dvy, dvz) lose separation within [0, T].
    /// </summary>
    /// <returns>True on conflict, with <paramref name="timeToLossS"/> the start of the loss (0 = now).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Conflicts(double dx, double dy, double dz, double dvx, double dvy, double dvz, SeparationMinima m, double lookAheadS, out double timeToLossS)
    {
        double lo = 0, hi = lookAheadS;
        double h2 = m.HorizontalM * m.HorizontalM;
        double a = (dvx * dvx) + (dvy * dvy);
        double c = (dx * dx) + (dy * dy) - h2;
        if (a < TinyRate)
        {
            if (c >= 0)
            {
                timeToLossS = 0;
                return false;
            }
        }
        else
        {
            double b = 2 * ((dx * dvx) + (dy * dvy));
            double disc = (b * b) - (4 * a * c);
            if (disc <= 0)
            {
                timeToLossS = 0;
                return false;
            }

            double sq = Math.Sqrt(disc);
            double t1 = (-b - sq) / (2 * a), t2 = (-b + sq) / (2 * a);
            lo = Math.Max(lo, t1);
            hi = Math.Min(hi, t2);
        }

        double v = m.VerticalM;
        if (Math.Abs(dvz) < TinyRate)
        {
            if (Math.Abs(dz) >= v)
            {
                timeToLossS = 0;
                return false;
            }
        }
        else
        {
            double t3 = (-v - dz) / dvz, t4 = (v - dz) / dvz;
            if (t3 > t4)
            {
                (t3, t4) = (t4, t3);
            }

            lo = Math.Max(lo, t3);
            hi = Math.Min(hi, t4);
        }

        timeToLossS = lo;
        return lo < hi || (lo == 0 && hi == 0 && lookAheadS == 0 && c < 0 && Math.Abs(dz) < v);
    }

    /// <summary>Tests one pair of the input with the minima of its class.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TestPair(SeparationInput s, int i, int j, out double timeToLossS)
    {
        bool mi = s.Manned[i], mj = s.Manned[j];
        if (mi && mj)
        {
            timeToLossS = 0;
            return false;
        }

        SeparationMinima m = mi || mj ? MannedMinima : Drone;
        return Conflicts(
            s.EastM[j] - s.EastM[i], s.NorthM[j] - s.NorthM[i], s.UpM[j] - s.UpM[i],
            s.VelEastMps[j] - s.VelEastMps[i], s.VelNorthMps[j] - s.VelNorthMps[i], s.VelUpMps[j] - s.VelUpMps[i],
            m, LookAheadS, out timeToLossS);
    }

    /// <summary>The reference: tests all n(n−1)/2 pairs. O(n²).</summary>
    /// <param name="s">The aircraft.</param>
    /// <param name="result">Cleared, then receives the conflicts (A &lt; B, ordered by A then B).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void DetectAllPairs(SeparationInput s, List<ConflictPair> result)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(result);
        result.Clear();
        int n = s.Count;
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                if (TestPair(s, i, j, out double t))
                {
                    result.Add(new ConflictPair(i, j, t));
                }
            }
        }
    }

    /// <summary>The fast path: candidates from the uniform spatial hash, then the exact predicate. Same set as <see cref="DetectAllPairs"/>.</summary>
    /// <param name="s">The aircraft.</param>
    /// <param name="result">Cleared, then receives the conflicts (A &lt; B; in no particular order).</param>
    public void Detect(SeparationInput s, List<ConflictPair> result)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(result);
        result.Clear();
        if (s.Count < 2)
        {
            return;
        }

        EnsureAircraft(s.Count);
        int slices = Math.Max(1, (int)Math.Ceiling(LookAheadS / _sliceS));
        double sliceS = LookAheadS / slices;
        for (int k = 0; k < slices; k++)
        {
            DetectSlice(s, k, slices, sliceS, result);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DetectSlice(SeparationInput s, int slice, int slices, double sliceS, List<ConflictPair> result)
    {
        int n = s.Count;
        var g = new SliceGeometry(this, slice, slices, sliceS);
        long entries = 0;
        int gx0 = int.MaxValue, gx1 = int.MinValue, gy0 = int.MaxValue, gy1 = int.MinValue;
        double[] east = s.EastM, north = s.NorthM, up = s.UpM, ve = s.VelEastMps, vn = s.VelNorthMps, vu = s.VelUpMps;
        bool[] manned = s.Manned;
        AircraftState[] state = _state;
        for (int i = 0; i < n; i++)
        {
            var st = new AircraftState
            {
                E = east[i], N = north[i], U = up[i], VE = ve[i], VN = vn[i], VU = vu[i], Manned = manned[i] ? 1 : 0, Index = i,
            };
            g.Cells(st, out int cx0, out int cx1, out int cy0, out int cy1);
            st.Cx0 = cx0;
            st.Cy0 = cy0;
            state[i] = st;
            gx0 = Math.Min(gx0, cx0);
            gx1 = Math.Max(gx1, cx1);
            gy0 = Math.Min(gy0, cy0);
            gy1 = Math.Max(gy1, cy1);
            entries += (long)(cx1 - cx0 + 1) * (cy1 - cy0 + 1);
        }

        if (entries > int.MaxValue / 4)
        {
            throw new InvalidOperationException("separation grid too fine for the traffic: raise the cell size");
        }

        long w = (long)gx1 - gx0 + 1, h = (long)gy1 - gy0 + 1;
        if (!HashOnly && w * h <= Math.Max(1L << 16, 4 * entries))
        {
            DenseSlice(s, g, (int)entries, gx0, gy0, (int)w, (int)h, result);
        }
        else
        {
            HashSlice(s, g, (int)entries, result);
        }
    }

    /// <summary>
    /// The usual case: the cells the traffic covers are few enough for a dense row-major array. The aircraft are
    /// counting-sorted by the cell of their box's lower-left corner into a packed copy of their state (one cache line
    /// each), so the pair tests read neighbouring memory; the (cell, aircraft) entries are then counting-sorted by
    /// cell with no hashing, every bucket holding exactly one cell. Entries carry the boxes (single precision, relative
    /// to the grid origin: rounding stays far below <see cref="BoxMarginM"/>) and two flags — the box starts in this
    /// cell's column / row — so that a pair belongs to this cell exactly when each flag is set for at least one of the two.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DenseSlice(SeparationInput s, in SliceGeometry g, int entries, int gx0, int gy0, int w, int h, List<ConflictPair> result)
    {
        int n = s.Count;
        int cells = w * h;
        if (_cellStart.Length < cells + 2)
        {
            _cellStart = new int[Math.Max(cells + 2, _cellStart.Length * 2)];
        }

        if (_grid.Length < entries)
        {
            _grid = new GridEntry[Math.Max(entries, _grid.Length * 2)];
        }

        // 1. Aircraft by the cell of their lower-left corner: count, prefix, place.
        int[] start = _cellStart;
        AircraftState[] state = _state, sorted = _sorted;
        Array.Clear(start, 0, cells + 2);
        for (int i = 0; i < n; i++)
        {
            start[((state[i].Cy0 - gy0) * w) + (state[i].Cx0 - gx0) + 1]++;
        }

        for (int c = 1; c <= cells; c++)
        {
            start[c] += start[c - 1];
        }

        for (int i = 0; i < n; i++)
        {
            ref AircraftState st = ref state[i];
            sorted[start[((st.Cy0 - gy0) * w) + (st.Cx0 - gx0)]++] = st;
        }

        // 2. The (cell, aircraft) entries by cell: count, prefix shifted by one (afterwards start[c + 1] is the fill
        // cursor of cell c, and once filled start[c] .. start[c + 1] is its range), place.
        double originE = gx0 * _cellM, originN = gy0 * _cellM;
        Array.Clear(start, 0, cells + 2);
        for (int j = 0; j < n; j++)
        {
            g.Cells(sorted[j], out int x0, out int x1, out int y0, out int y1);
            for (int cy = y0 - gy0; cy <= y1 - gy0; cy++)
            {
                int row = (cy * w) + 2 - gx0;
                for (int cx = x0; cx <= x1; cx++)
                {
                    start[row + cx]++;
                }
            }
        }

        for (int c = 2; c < cells + 2; c++)
        {
            start[c] += start[c - 1];
        }

        GridEntry[] grid = _grid;
        for (int j = 0; j < n; j++)
        {
            g.Box(sorted[j], out double minE, out double maxE, out double minN, out double maxN);
            int x0 = Cell(minE, g.Inv) - gx0, x1 = Cell(maxE, g.Inv) - gx0, y0 = Cell(minN, g.Inv) - gy0, y1 = Cell(maxN, g.Inv) - gy0;
            var entry = new GridEntry
            {
                Aircraft = j,
                MinE = (float)(minE - originE),
                MaxE = (float)(maxE - originE),
                MinN = (float)(minN - originN),
                MaxN = (float)(maxN - originN),
            };
            for (int cy = y0; cy <= y1; cy++)
            {
                int row = (cy * w) + 1;
                int fy = cy == y0 ? 2 : 0;
                for (int cx = x0; cx <= x1; cx++)
                {
                    entry.Flags = fy | (cx == x0 ? 1 : 0);
                    grid[start[row + cx]++] = entry;
                }
            }
        }

        // 3. Pairs within each cell whose boxes meet and whose box intersection starts in this cell.
        for (int c = 0; c < cells; c++)
        {
            int from = start[c], to = start[c + 1];
            if (to - from > 1)
            {
                PairsInCell(grid, from, to, sorted, g, result);
            }
        }
    }

    /// <summary>
    /// The candidate pairs of one cell. The five conditions (corner flags, four box sides) are combined without
    /// short-circuiting into one rarely-taken branch, which the processor predicts well, instead of five that it does not.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PairsInCell(GridEntry[] grid, int from, int to, AircraftState[] sorted, in SliceGeometry g, List<ConflictPair> result)
    {
        for (int p = from; p < to - 1; p++)
        {
            GridEntry a = grid[p];
            for (int q = p + 1; q < to; q++)
            {
                ref GridEntry b = ref grid[q];
                bool candidate = ((a.Flags | b.Flags) == 3) & (b.MinE <= a.MaxE) & (a.MinE <= b.MaxE) & (b.MinN <= a.MaxN) & (a.MinN <= b.MaxN);
                if (!candidate)
                {
                    continue;
                }

                ref AircraftState sa = ref sorted[a.Aircraft];
                ref AircraftState sb = ref sorted[b.Aircraft];
                bool conflict = sa.Index < sb.Index ? TestStates(sa, sb, out double tl) : TestStates(sb, sa, out tl);
                if (conflict && SliceOf(tl, g.SliceS, g.Slices) == g.Slice)
                {
                    result.Add(new ConflictPair(Math.Min(sa.Index, sb.Index), Math.Max(sa.Index, sb.Index), tl));
                }
            }
        }
    }

    /// <summary><see cref="TestPair"/> on packed states (same arithmetic in the same orientation, so the same result).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TestStates(in AircraftState i, in AircraftState j, out double timeToLossS)
    {
        if ((i.Manned & j.Manned) != 0)
        {
            timeToLossS = 0;
            return false;
        }

        SeparationMinima m = (i.Manned | j.Manned) != 0 ? MannedMinima : Drone;
        return Conflicts(j.E - i.E, j.N - i.N, j.U - i.U, j.VE - i.VE, j.VN - i.VN, j.VU - i.VU, m, LookAheadS, out timeToLossS);
    }

    /// <summary>The fallback for traffic spread so widely that a dense grid would be mostly empty: a hash of the cells.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void HashSlice(SeparationInput s, in SliceGeometry g, int entries, List<ConflictPair> result)
    {
        int n = s.Count;
        int slice = g.Slice, slices = g.Slices;
        double sliceS = g.SliceS, inv = g.Inv;
        for (int i = 0; i < n; i++)
        {
            g.Box(_state[i], out double minE, out double maxE, out double minN, out double maxN);
            _minE[i] = minE;
            _maxE[i] = maxE;
            _minN[i] = minN;
            _maxN[i] = maxN;
            _cx0[i] = Cell(minE, inv);
            _cx1[i] = Cell(maxE, inv);
            _cy0[i] = Cell(minN, inv);
            _cy1[i] = Cell(maxN, inv);
        }

        int buckets = 1;
        while (buckets < entries * 2)
        {
            buckets <<= 1;
        }

        int mask = buckets - 1;
        EnsureBuckets(buckets, entries);
        Array.Clear(_bucketStart, 0, buckets + 1);

        // Counting sort of (cell, aircraft) entries by bucket.
        for (int i = 0; i < n; i++)
        {
            int cx0 = _cx0[i], cx1 = _cx1[i], cy0 = _cy0[i], cy1 = _cy1[i];
            for (int cx = cx0; cx <= cx1; cx++)
            {
                for (int cy = cy0; cy <= cy1; cy++)
                {
                    _bucketStart[(Hash(cx, cy) & mask) + 1]++;
                }
            }
        }

        for (int b = 0; b < buckets; b++)
        {
            _bucketStart[b + 1] += _bucketStart[b];
        }

        Array.Copy(_bucketStart, _bucketFill, buckets);
        for (int i = 0; i < n; i++)
        {
            int cx0 = _cx0[i], cx1 = _cx1[i], cy0 = _cy0[i], cy1 = _cy1[i];
            for (int cx = cx0; cx <= cx1; cx++)
            {
                for (int cy = cy0; cy <= cy1; cy++)
                {
                    int pos = _bucketFill[Hash(cx, cy) & mask]++;
                    _entryAircraft[pos] = i;
                    _entryCx[pos] = cx;
                    _entryCy[pos] = cy;
                }
            }
        }

        for (int b = 0; b < buckets; b++)
        {
            int start = _bucketStart[b], end = _bucketStart[b + 1];
            for (int p = start; p < end; p++)
            {
                int a = _entryAircraft[p], cx = _entryCx[p], cy = _entryCy[p];
                for (int q = p + 1; q < end; q++)
                {
                    if (_entryCx[q] != cx || _entryCy[q] != cy)
                    {
                        continue;
                    }

                    int c = _entryAircraft[q];
                    double loE = Math.Max(_minE[a], _minE[c]), loN = Math.Max(_minN[a], _minN[c]);
                    if (loE > Math.Min(_maxE[a], _maxE[c]) || loN > Math.Min(_maxN[a], _maxN[c]))
                    {
                        continue;
                    }

                    if (Cell(loE, inv) != cx || Cell(loN, inv) != cy)
                    {
                        continue;
                    }

                    int i = Math.Min(a, c), j = Math.Max(a, c);
                    if (TestPair(s, i, j, out double tl) && SliceOf(tl, sliceS, slices) == slice)
                    {
                        result.Add(new ConflictPair(i, j, tl));
                    }
                }
            }
        }
    }

    /// <summary>The slice that holds the start of a loss: each conflict is reported by exactly one slice.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SliceOf(double t, double sliceS, int slices) => Math.Min(slices - 1, (int)Math.Floor(t / sliceS));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Cell(double v, double inv) => (int)Math.Floor(v * inv);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(int cx, int cy) => (cx * 73856093) ^ (cy * 19349663);

    private void EnsureAircraft(int n)
    {
        if (_minE.Length < n)
        {
            int cap = Math.Max(n, _minE.Length * 2);
            _minE = new double[cap];
            _maxE = new double[cap];
            _minN = new double[cap];
            _maxN = new double[cap];
            _cx0 = new int[cap];
            _cx1 = new int[cap];
            _cy0 = new int[cap];
            _cy1 = new int[cap];
            _state = new AircraftState[cap];
            _sorted = new AircraftState[cap];
        }
    }

    private void EnsureBuckets(int buckets, int entries)
    {
        if (_bucketStart.Length < buckets + 1)
        {
            _bucketStart = new int[buckets + 1];
            _bucketFill = new int[buckets + 1];
        }

        if (_entryAircraft.Length < entries)
        {
            int cap = Math.Max(entries, _entryAircraft.Length * 2);
            _entryAircraft = new int[cap];
            _entryCx = new int[cap];
            _entryCy = new int[cap];
        }
    }

    private struct GridEntry
    {
        public int Aircraft;
        public int Flags;
        public float MinE;
        public float MaxE;
        public float MinN;
        public float MaxN;
    }

    /// <summary>One aircraft's state packed in one cache line, with the lower-left cell of its box and its input index.</summary>
    private struct AircraftState
    {
        public double E;
        public double N;
        public double U;
        public double VE;
        public double VN;
        public double VU;
        public int Manned;
        public int Index;
        public int Cx0;
        public int Cy0;
    }

    /// <summary>The box arithmetic of one slice, shared by every pass so that they agree bit for bit.</summary>
    private readonly struct SliceGeometry
    {
        public SliceGeometry(SeparationDetector d, int slice, int slices, double sliceS)
        {
            // Box growth per class: drones Hd/2, manned max(Hd/2, Hm − Hd/2), so every checked pair's growths add up
            // to at least its own horizontal minimum (Hd for two drones, Hm for a drone and a manned aircraft).
            HalfDrone = (d.Drone.HorizontalM / 2) + BoxMarginM;
            HalfManned = Math.Max(d.Drone.HorizontalM / 2, d.MannedMinima.HorizontalM - (d.Drone.HorizontalM / 2)) + BoxMarginM;
            Inv = 1.0 / d._cellM;
            Slice = slice;
            Slices = slices;
            SliceS = sliceS;
            Ta = slice * sliceS;
            Tb = slice == slices - 1 ? d.LookAheadS : (slice + 1) * sliceS;
        }

        public double HalfDrone { get; }

        public double HalfManned { get; }

        public double Inv { get; }

        public int Slice { get; }

        public int Slices { get; }

        public double SliceS { get; }

        public double Ta { get; }

        public double Tb { get; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Box(in AircraftState st, out double minE, out double maxE, out double minN, out double maxN)
        {
            double e0 = st.E + (st.VE * Ta), e1 = st.E + (st.VE * Tb);
            double n0 = st.N + (st.VN * Ta), n1 = st.N + (st.VN * Tb);
            double half = st.Manned != 0 ? HalfManned : HalfDrone;
            minE = Math.Min(e0, e1) - half;
            maxE = Math.Max(e0, e1) + half;
            minN = Math.Min(n0, n1) - half;
            maxN = Math.Max(n0, n1) + half;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Cells(in AircraftState st, out int cx0, out int cx1, out int cy0, out int cy1)
        {
            Box(st, out double minE, out double maxE, out double minN, out double maxN);
            cx0 = Cell(minE, Inv);
            cx1 = Cell(maxE, Inv);
            cy0 = Cell(minN, Inv);
            cy1 = Cell(maxN, Inv);
        }
    }
}
