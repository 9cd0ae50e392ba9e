using System.Globalization;
using Yunlu.Geo;

namespace Yunlu.Terrain.Weather;

/// <summary>A regular lon/lat grid of nodes: node (col, row) is at (West + col·CellLonDeg, South + row·CellLatDeg).</summary>
/// <param name="WestLonDeg">Longitude of column 0, degrees.</param>
/// <param name="SouthLatDeg">Latitude of row 0, degrees.</param>
/// <param name="CellLonDeg">Node spacing east–west, degrees (&gt; 0).</param>
/// <param name="CellLatDeg">Node spacing north–south, degrees (&gt; 0).</param>
/// <param name="Columns">Columns (≥ 2).</param>
/// <param name="Rows">Rows (≥ 2).</param>
public sealed record WindGridSpec(double WestLonDeg, double SouthLatDeg, double CellLonDeg, double CellLatDeg, int Columns, int Rows)
{
    /// <summary>Position of a node.</summary>
    /// <param name="col">Column.</param>
    /// <param name="row">Row.</param>
    public GeoPoint Node(int col, int row) => new(WestLonDeg + (col * CellLonDeg), SouthLatDeg + (row * CellLatDeg));

    /// <summary>Eastern edge (last column), degrees.</summary>
    public double EastLonDeg => WestLonDeg + ((Columns - 1) * CellLonDeg);

    /// <summary>Northern edge (last row), degrees.</summary>
    public double NorthLatDeg => SouthLatDeg + ((Rows - 1) * CellLatDeg);

    /// <summary>Throws when the spec is unusable.</summary>
    public void Validate()
    {
        if (Columns < 2 || Rows < 2 || (long)Columns * Rows > 25_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(Columns), $"a wind grid needs 2–25 000 000 nodes with at least 2 columns and rows, got {Columns} × {Rows}");
        }

        if (!(CellLonDeg > 0) || !(CellLatDeg > 0) || !double.IsFinite(CellLonDeg) || !double.IsFinite(CellLatDeg))
        {
            throw new ArgumentOutOfRangeException(nameof(CellLonDeg), "node spacing must be finite degrees > 0");
        }

        if (!new GeoPoint(WestLonDeg, SouthLatDeg).IsValid || !new GeoPoint(EastLonDeg, NorthLatDeg).IsValid)
        {
            throw new ArgumentOutOfRangeException(nameof(WestLonDeg), "the grid must lie within lon [-180, 180] and lat [-90, 90]");
        }
    }
}

/// <summary>Settings for building a wind field from station observations.</summary>
/// <param name="ReferenceHeightAglM">Height the field is stored at, metres AGL (10 m, the synoptic standard).</param>
/// <param name="IdwPower">Inverse-distance weighting power p (weights 1/d^p; 2 is Shepard's classic choice).</param>
/// <param name="MaxObservationGap">Longest gap between two observations of a station that is interpolated across.</param>
/// <param name="MaxExtrapolation">How far before the first / after the last observation a station's value is held.</param>
/// <param name="Roughness">z0 per land-use class.</param>
public sealed record WindFieldOptions(
    double ReferenceHeightAglM = 10,
    double IdwPower = 2,
    TimeSpan? MaxObservationGap = null,
    TimeSpan? MaxExtrapolation = null,
    RoughnessTable? Roughness = null)
{
    /// <summary>The gap actually used (3 h by default).</summary>
    public TimeSpan Gap => MaxObservationGap ?? TimeSpan.FromHours(3);

    /// <summary>The hold actually used (30 min by default).</summary>
    public TimeSpan Hold => MaxExtrapolation ?? TimeSpan.FromMinutes(30);
}

/// <summary>One wind-grid node whose wind or gust exceeds a limit.</summary>
/// <param name="Column">Column.</param>
/// <param name="Row">Row.</param>
/// <param name="Position">Node position.</param>
/// <param name="Wind">The wind there.</param>
public readonly record struct WindExceedance(int Column, int Row, GeoPoint Position, WindVector Wind);

/// <summary>
/// A 4-D wind field: wind at a reference height on a regular lon/lat node grid at regular time steps, with a roughness
/// length per node. Queries interpolate bilinearly in space, linearly in time and scale to the wanted height with the
/// logarithmic wind profile.
/// </summary>
/// <remarks>
/// <para>Query: the four surrounding nodes are each scaled from the reference height zr to z with their own z0
/// (factor max(0, ln z − ln z0)/ln(zr/z0), precomputed per node except ln z), then blended with bilinear weights
/// and the two bracketing time steps linearly. Gust is scaled the same way (a simplification: gust factors fall
/// slowly with height). Flat float64 arrays, no allocation, one logarithm per query.</para>
/// <para>From stations (<see cref="FromObservations"/>): each observation is brought to zr with the station's z0,
/// each station is interpolated linearly in time to each step (held up to <see cref="WindFieldOptions.Hold"/>
/// beyond its first/last observation; not across gaps longer than <see cref="WindFieldOptions.Gap"/>), and each node
/// gets the inverse-distance-weighted (Shepard 1968) mean of the stations available at that step, distances measured
/// in a local tangent plane at the grid centre. A node within 1 m of a station takes the station's value. Steps with
/// no station are missing: queries there return false.</para>
/// </remarks>
public sealed class WindField : IWindForecast
{
    private readonly double _west;
    private readonly double _south;
    private readonly double _invDLon;
    private readonly double _invDLat;
    private readonly int _cols;
    private readonly int _rows;
    private readonly int _nodes;
    private readonly long _t0Ticks;
    private readonly long _stepTicks;
    private readonly int _steps;
    private readonly double[] _u;
    private readonly double[] _v;
    private readonly double[] _g;
    private readonly double[] _lnZ0;
    private readonly double[] _invLnRef;
    private readonly bool[] _stepPresent;

    /// <summary>Creates a field from gridded values at the reference height.</summary>
    /// <param name="grid">Node grid.</param>
    /// <param name="start">Time of step 0.</param>
    /// <param name="step">Time between steps (&gt; 0; ignored when there is one step).</param>
    /// <param name="steps">Number of time steps (≥ 1).</param>
    /// <param name="eastMps">Eastward wind at the reference height, [step][row][column] flattened.</param>
    /// <param name="northMps">Northward wind, same layout.</param>
    /// <param name="gustMps">Gust, same layout, or null (then gust = mean speed).</param>
    /// <param name="roughnessM">z0 per node [row][column], metres (&gt; 0, below the reference height).</param>
    /// <param name="referenceHeightAglM">Reference height, metres AGL.</param>
    public WindField(
        WindGridSpec grid,
        DateTimeOffset start,
        TimeSpan step,
        int steps,
        ReadOnlySpan<double> eastMps,
        ReadOnlySpan<double> northMps,
        ReadOnlySpan<double> gustMps,
        ReadOnlySpan<double> roughnessM,
        double referenceHeightAglM)
    {
        ArgumentNullException.ThrowIfNull(grid);
        grid.Validate();
        if (steps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), "a wind field needs at least one time step");
        }

        if (steps > 1 && step <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(step), "the time step must be > 0");
        }

        if (!(referenceHeightAglM > 0) || !double.IsFinite(referenceHeightAglM))
        {
            throw new ArgumentOutOfRangeException(nameof(referenceHeightAglM), "reference height must be > 0 m");
        }

        int n = grid.Columns * grid.Rows;
        long total = (long)n * steps;
        if (eastMps.Length != total || northMps.Length != total || (gustMps.Length != 0 && gustMps.Length != total))
        {
            throw new ArgumentException($"wind arrays must hold steps × rows × columns = {total} values (gust: that or none)", nameof(eastMps));
        }

        if (roughnessM.Length != n)
        {
            throw new ArgumentException($"roughness must hold rows × columns = {n} values", nameof(roughnessM));
        }

        Grid = grid;
        Start = start;
        Step = steps > 1 ? step : TimeSpan.FromTicks(1);
        Steps = steps;
        ReferenceHeightAglM = referenceHeightAglM;
        _west = grid.WestLonDeg;
        _south = grid.SouthLatDeg;
        _invDLon = 1 / grid.CellLonDeg;
        _invDLat = 1 / grid.CellLatDeg;
        _cols = grid.Columns;
        _rows = grid.Rows;
        _nodes = n;
        _t0Ticks = start.UtcTicks;
        _stepTicks = Step.Ticks;
        _steps = steps;
        _u = eastMps.ToArray();
        _v = northMps.ToArray();
        _g = new double[total];
        _stepPresent = new bool[steps];
        for (int k = 0; k < steps; k++)
        {
            bool present = true;
            for (int i = k * n; i < (k + 1) * n; i++)
            {
                double speed = Math.Sqrt((_u[i] * _u[i]) + (_v[i] * _v[i]));
                _g[i] = gustMps.Length == 0 ? speed : Math.Max(speed, gustMps[i]);
                present &= double.IsFinite(_u[i]) && double.IsFinite(_v[i]) && double.IsFinite(_g[i]);
            }

            _stepPresent[k] = present;
        }

        _lnZ0 = new double[n];
        _invLnRef = new double[n];
        for (int i = 0; i < n; i++)
        {
            double z0 = roughnessM[i];
            if (!(z0 > 0) || !(z0 < referenceHeightAglM))
            {
                throw new ArgumentOutOfRangeException(nameof(roughnessM), $"roughness at node {i} ({z0.ToString(CultureInfo.InvariantCulture)} m) must be > 0 and below the reference height");
            }

            _lnZ0[i] = Math.Log(z0);
            _invLnRef[i] = 1 / Math.Log(referenceHeightAglM / z0);
        }
    }

    /// <summary>The node grid.</summary>
    public WindGridSpec Grid { get; }

    /// <summary>Time of step 0.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Time between steps.</summary>
    public TimeSpan Step { get; }

    /// <summary>Number of steps.</summary>
    public int Steps { get; }

    /// <summary>Time of the last step.</summary>
    public DateTimeOffset End => Start + TimeSpan.FromTicks(Step.Ticks * (Steps - 1));

    /// <summary>Height the values are stored at, metres AGL.</summary>
    public double ReferenceHeightAglM { get; }

    /// <summary>
    /// Builds a field from station observations (see the class remarks for the method).
    /// </summary>
    /// <param name="observations">Observations of any number of stations.</param>
    /// <param name="grid">Node grid.</param>
    /// <param name="start">First time step.</param>
    /// <param name="step">Time between steps.</param>
    /// <param name="steps">Number of steps.</param>
    /// <param name="landUse">Land use at a position (sets z0); open terrain everywhere when null.</param>
    /// <param name="options">Settings.</param>
    public static WindField FromObservations(
        IReadOnlyList<WeatherObservation> observations,
        WindGridSpec grid,
        DateTimeOffset start,
        TimeSpan step,
        int steps,
        Func<GeoPoint, LandUseClass>? landUse = null,
        WindFieldOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(grid);
        grid.Validate();
        options ??= new WindFieldOptions();
        RoughnessTable table = options.Roughness ?? RoughnessTable.Default;
        table.Validate();
        if (!(options.IdwPower > 0) || options.IdwPower > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "IDW power must be in (0, 10]");
        }

        double zr = options.ReferenceHeightAglM;
        Func<GeoPoint, LandUseClass> lu = landUse ?? (static _ => LandUseClass.Open);

        // Stations: observations grouped and sorted by time, values brought to the reference height.
        var byStation = new Dictionary<string, List<WeatherObservation>>(StringComparer.Ordinal);
        foreach (WeatherObservation o in observations)
        {
            if (!byStation.TryGetValue(o.StationId, out List<WeatherObservation>? list))
            {
                list = [];
                byStation[o.StationId] = list;
            }

            list.Add(o);
        }

        var plane = new LocalTangentPlane(new GeoPoint((grid.WestLonDeg + grid.EastLonDeg) / 2, (grid.SouthLatDeg + grid.NorthLatDeg) / 2));
        var stations = new List<Station>(byStation.Count);
        foreach ((string id, List<WeatherObservation> list) in byStation)
        {
            list.Sort(static (a, b) => a.Time.CompareTo(b.Time));
            double z0 = table.RoughnessM(lu(list[0].Position));
            var times = new long[list.Count];
            var u = new double[list.Count];
            var v = new double[list.Count];
            var g = new double[list.Count];
            for (int i = 0; i < list.Count; i++)
            {
                WeatherObservation o = list[i];
                double k = o.AnemometerHeightAglM > z0 ? Math.Log(zr / z0) / Math.Log(o.AnemometerHeightAglM / z0) : 1;
                WindVector w = WindVector.FromSpeedDirection(o.WindSpeedMps * k, o.WindFromDeg, (o.GustMps ?? o.WindSpeedMps) * k);
                times[i] = o.Time.UtcTicks;
                u[i] = w.EastMps;
                v[i] = w.NorthMps;
                g[i] = w.GustMps;
            }

            PlanarPoint q = plane.Forward(list[0].Position);
            stations.Add(new Station(id, q.EastM, q.NorthM, times, u, v, g));
        }

        int n = grid.Columns * grid.Rows;
        var nodeX = new double[n];
        var nodeY = new double[n];
        var z0s = new double[n];
        for (int r = 0; r < grid.Rows; r++)
        {
            for (int c = 0; c < grid.Columns; c++)
            {
                GeoPoint p = grid.Node(c, r);
                PlanarPoint q = plane.Forward(p);
                int i = (r * grid.Columns) + c;
                nodeX[i] = q.EastM;
                nodeY[i] = q.NorthM;
                z0s[i] = table.RoughnessM(lu(p));
            }
        }

        long total = (long)n * steps;
        var eu = new double[total];
        var nv = new double[total];
        var gg = new double[total];
        var su = new double[stations.Count];
        var sv = new double[stations.Count];
        var sg = new double[stations.Count];
        var sx = new double[stations.Count];
        var sy = new double[stations.Count];
        for (int k = 0; k < steps; k++)
        {
            long t = start.UtcTicks + (step.Ticks * k);
            int m = 0;
            foreach (Station s in stations)
            {
                if (s.TryAt(t, options.Gap.Ticks, options.Hold.Ticks, out double a, out double b, out double c))
                {
                    (su[m], sv[m], sg[m], sx[m], sy[m]) = (a, b, c, s.X, s.Y);
                    m++;
                }
            }

            int off = k * n;
            for (int i = 0; i < n; i++)
            {
                if (m == 0)
                {
                    eu[off + i] = nv[off + i] = gg[off + i] = double.NaN;
                    continue;
                }

                double wsum = 0, us = 0, vs = 0, gs = 0;
                int exact = -1;
                for (int j = 0; j < m; j++)
                {
                    double dx = sx[j] - nodeX[i], dy = sy[j] - nodeY[i];
                    double d2 = (dx * dx) + (dy * dy);
                    if (d2 < 1)
                    {
                        exact = j;
                        break;
                    }

                    double w = options.IdwPower == 2 ? 1 / d2 : Math.Pow(d2, -options.IdwPower / 2);
                    wsum += w;
                    us += w * su[j];
                    vs += w * sv[j];
                    gs += w * sg[j];
                }

                if (exact >= 0)
                {
                    (eu[off + i], nv[off + i], gg[off + i]) = (su[exact], sv[exact], sg[exact]);
                }
                else
                {
                    (eu[off + i], nv[off + i], gg[off + i]) = (us / wsum, vs / wsum, gs / wsum);
                }
            }
        }

        return new WindField(grid, start, step, steps, eu, nv, gg, z0s, zr);
    }

    /// <summary>The wind at a 4-D point; throws outside the field.</summary>
    /// <param name="p">Position.</param>
    /// <param name="heightAglM">Height above ground, metres.</param>
    /// <param name="t">Time.</param>
    /// <exception cref="ArgumentOutOfRangeException">The point is outside the grid, the time outside [Start, End] or at a missing step.</exception>
    public WindVector Query(GeoPoint p, double heightAglM, DateTimeOffset t)
    {
        if (!TryQuery(p, heightAglM, t, out WindVector w))
        {
            ThrowOutside(p, heightAglM, t);
        }

        return w;
    }

    /// <inheritdoc />
    public bool TryQuery(GeoPoint p, double heightAglM, DateTimeOffset t, out WindVector wind)
    {
        double fx = (p.LonDeg - _west) * _invDLon;
        double fy = (p.LatDeg - _south) * _invDLat;
        long dt = t.UtcTicks - _t0Ticks;
        if (!(fx >= 0) || !(fy >= 0) || fx > _cols - 1 || fy > _rows - 1 || !(heightAglM >= 0) || (_steps > 1 && dt < 0))
        {
            wind = default;
            return false;
        }

        int c0 = Math.Min((int)fx, _cols - 2);
        int r0 = Math.Min((int)fy, _rows - 2);
        double ax = fx - c0, ay = fy - r0;
        int k0 = 0;
        double at = 0;
        if (_steps > 1)
        {
            // A single-step field is a nowcast valid at any time; otherwise interpolate between bracketing steps.
            long q = dt / _stepTicks;
            if (q >= _steps - 1)
            {
                if (q > _steps - 1 || dt % _stepTicks != 0)
                {
                    wind = default;
                    return false;
                }

                q = _steps - 2;
                at = 1;
            }
            else
            {
                at = (double)(dt - (q * _stepTicks)) / _stepTicks;
            }

            k0 = (int)q;
        }

        int k1 = _steps == 1 ? 0 : k0 + 1;
        if (!_stepPresent[k0] || !_stepPresent[k1])
        {
            wind = default;
            return false;
        }

        double lnZ = Math.Log(Math.Max(heightAglM, 1e-3));
        int n00 = (r0 * _cols) + c0;
        int n10 = n00 + 1;
        int n01 = n00 + _cols;
        int n11 = n01 + 1;
        double w00 = (1 - ax) * (1 - ay) * Factor(n00, lnZ);
        double w10 = ax * (1 - ay) * Factor(n10, lnZ);
        double w01 = (1 - ax) * ay * Factor(n01, lnZ);
        double w11 = ax * ay * Factor(n11, lnZ);
        int o0 = k0 * _nodes, o1 = k1 * _nodes;
        double bt = 1 - at;
        double u = Blend(_u, o0, o1, bt, at, n00, n10, n01, n11, w00, w10, w01, w11);
        double v = Blend(_v, o0, o1, bt, at, n00, n10, n01, n11, w00, w10, w01, w11);
        double g = Blend(_g, o0, o1, bt, at, n00, n10, n01, n11, w00, w10, w01, w11);
        wind = new WindVector(u, v, g);
        return true;
    }

    /// <summary>The grid nodes where the mean wind or the gust at <paramref name="heightAglM"/> and
    /// <paramref name="t"/> exceeds <paramref name="limitMps"/> (gust compared with
    /// <paramref name="limitMps"/> × <paramref name="gustFactor"/>).</summary>
    /// <param name="limitMps">Sustained-wind limit, m/s.</param>
    /// <param name="heightAglM">Height, metres AGL.</param>
    /// <param name="t">Time.</param>
    /// <param name="gustFactor">Gust allowance over the limit (1.5 = gusts up to 50 % above the limit are tolerated).</param>
    public IReadOnlyList<WindExceedance> NodesAbove(double limitMps, double heightAglM, DateTimeOffset t, double gustFactor = 1.5)
    {
        var result = new List<WindExceedance>();
        for (int r = 0; r < _rows; r++)
        {
            for (int c = 0; c < _cols; c++)
            {
                GeoPoint p = Grid.Node(c, r);
                if (TryQuery(p, heightAglM, t, out WindVector w) && (w.SpeedMps > limitMps || w.GustMps > limitMps * gustFactor))
                {
                    result.Add(new WindExceedance(c, r, p, w));
                }
            }
        }

        return result;
    }

    private double Factor(int node, double lnZ) => Math.Max(0, lnZ - _lnZ0[node]) * _invLnRef[node];

    private static double Blend(double[] a, int o0, int o1, double bt, double at, int n00, int n10, int n01, int n11, double w00, double w10, double w01, double w11) =>
        (bt * ((w00 * a[o0 + n00]) + (w10 * a[o0 + n10]) + (w01 * a[o0 + n01]) + (w11 * a[o0 + n11]))) +
        (at * ((w00 * a[o1 + n00]) + (w10 * a[o1 + n10]) + (w01 * a[o1 + n01]) + (w11 * a[o1 + n11])));

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowOutside(GeoPoint p, double h, DateTimeOffset t) =>
        throw new ArgumentOutOfRangeException(nameof(p), string.Create(CultureInfo.InvariantCulture,
            $"no wind at {p}, {h} m AGL, {t:O}: the field covers lon {Grid.WestLonDeg}..{Grid.EastLonDeg}, lat {Grid.SouthLatDeg}..{Grid.NorthLatDeg}, {Start:O}..{End:O}, heights ≥ 0 (or the step has no observations)"));

    private sealed class Station(string id, double x, double y, long[] times, double[] u, double[] v, double[] g)
    {
        public string Id { get; } = id;

        public double X { get; } = x;

        public double Y { get; } = y;

        public bool TryAt(long t, long gap, long hold, out double uu, out double vv, out double gg)
        {
            int i = Array.BinarySearch(times, t);
            if (i >= 0)
            {
                (uu, vv, gg) = (u[i], v[i], g[i]);
                return true;
            }

            i = ~i; // first index with time > t
            if (i == 0)
            {
                return Hold(0, times[0] - t <= hold, out uu, out vv, out gg);
            }

            if (i == times.Length)
            {
                return Hold(times.Length - 1, t - times[^1] <= hold, out uu, out vv, out gg);
            }

            long a = times[i - 1], b = times[i];
            if (b - a > gap)
            {
                if (t - a <= hold)
                {
                    return Hold(i - 1, true, out uu, out vv, out gg);
                }

                return Hold(i, b - t <= hold, out uu, out vv, out gg);
            }

            double f = (double)(t - a) / (b - a);
            uu = u[i - 1] + (f * (u[i] - u[i - 1]));
            vv = v[i - 1] + (f * (v[i] - v[i - 1]));
            gg = g[i - 1] + (f * (g[i] - g[i - 1]));
            return true;
        }

        private bool Hold(int i, bool ok, out double uu, out double vv, out double gg)
        {
            if (!ok)
            {
                (uu, vv, gg) = (0, 0, 0);
                return false;
            }

            (uu, vv, gg) = (u[i], v[i], g[i]);
            return true;
        }
    }
}
