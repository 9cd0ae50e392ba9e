using System.Runtime.CompilerServices;
using Yunlu.Airspace.Checks;
using Yunlu.Airspace.Zones;
using Yunlu.Terrain.Weather;

namespace Yunlu.Routing.City;

/// <summary>
/// The per-flight view of a <see cref="CityArea"/>: which (cell, layer) nodes are blocked (zone bitmap stamped from the
/// cached zone rasters; obstacle height + clearance against each layer's true height; wind above the aircraft's limit),
/// the coarse wind per cell and layer with the inverse ground speed for the 8 grid directions (wind triangle:
/// gs = w·d + √(V² − (w×d)²), infeasible when |w×d| ≥ V or gs ≤ 0 — STANDARDS §6), and the cost factors.
/// </summary>
public sealed class CityFlightGrid
{
    /// <summary>Vertical safety kept inside the clearance and below the ceiling, metres (ground curvature between samples).</summary>
    public const double SafetyM = 0.5;

    public static readonly int[] Dx = [1, 1, 0, -1, -1, -1, 0, 1];
    public static readonly int[] Dy = [0, 1, 1, 1, 0, -1, -1, -1];

    private readonly ulong[] _zoneBits;
    private readonly ushort[] _obstacleDm;
    private readonly ushort[] _thresholdDm;
    private readonly ushort[]? _corridorIndex;
    private readonly byte[] _corridorLayers;
    private readonly byte[]? _risk;
    private readonly float[] _riskFactor = new float[256];
    private readonly double _riskWeight;
    private readonly int[] _windCol;
    private readonly int[] _windRowBase;
    private CityCoarseGrid? _coarse;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal CityFlightGrid(CityArea area, double[] layersAglM, double[] layerFactor, double clearanceM, ZoneMask zoneMask,
        WindVector[] wind, double airspeedMps, double windLimitMps, double climbMps, double descentMps,
        byte[] corridorLayers, double corridorDiscount, double riskWeight, double ceilingM, IReadOnlyList<Zone> blockingZones,
        IReadOnlyList<ZoneRaster> zoneRasters)
    {
        ZoneRasters = zoneRasters;
        CeilingM = ceilingM;
        ClearanceM = clearanceM;
        BlockingZones = blockingZones;
        Area = area;
        W = area.Width;
        H = area.Height;
        L = layersAglM.Length;
        LayersAglM = layersAglM;
        LayerFactor = layerFactor;
        ZoneMask = zoneMask;
        _zoneBits = zoneMask.Bits;
        _obstacleDm = area.ObstacleDm;
        _corridorIndex = area.CorridorIndex;
        _corridorLayers = corridorLayers;
        _risk = area.Risk;
        CorridorDiscount = corridorDiscount;
        _riskWeight = riskWeight;
        AirspeedMps = airspeedMps;
        ClimbMps = climbMps;
        DescentMps = descentMps;
        Wind = wind;
        _windCol = new int[W];
        _windRowBase = new int[H];
        for (int x = 0; x < W; x++)
        {
            _windCol[x] = x / area.WindCellCells;
        }

        for (int y = 0; y < H; y++)
        {
            _windRowBase[y] = y / area.WindCellCells * area.WindWidth;
        }

        _thresholdDm = new ushort[L];
        for (int k = 0; k < L; k++)
        {
            // Blocked when obstacleDm > threshold, i.e. obstacle + clearance + safety > layer height.
            double allowedM = layersAglM[k] - clearanceM - SafetyM;
            _thresholdDm[k] = allowedM < 0 ? (ushort)0 : (ushort)Math.Min(ushort.MaxValue - 1, Math.Floor(allowedM * 10));
            LayerBlockedEverywhere |= allowedM < 0 ? 1 << k : 0;
        }

        for (int i = 0; i < 256; i++)
        {
            _riskFactor[i] = (float)(1 + (riskWeight * i / 255.0));
        }

        WindBlocked = new bool[wind.Length];
        bool anyWindBlocked = false;
        InvGs = new double[wind.Length * 8];
        double maxWind = 0, sumE = 0, sumN = 0;
        for (int i = 0; i < wind.Length; i++)
        {
            WindVector w = wind[i];
            WindBlocked[i] = w.SpeedMps > windLimitMps || w.GustMps > windLimitMps * AirspaceChecker.GustAllowance;
            anyWindBlocked |= WindBlocked[i];
            maxWind = Math.Max(maxWind, w.SpeedMps);
            sumE += w.EastMps;
            sumN += w.NorthMps;
            for (int d = 0; d < 8; d++)
            {
                double len = Math.Sqrt((Dx[d] * Dx[d]) + (Dy[d] * Dy[d]));
                InvGs[(i * 8) + d] = InverseGroundSpeed(w.EastMps, w.NorthMps, Dx[d] / len, Dy[d] / len, airspeedMps);
            }
        }

        MaxWindMps = maxWind;
        AnyWindBlocked = anyWindBlocked;
        MeanWindE = wind.Length > 0 ? sumE / wind.Length : 0;
        MeanWindN = wind.Length > 0 ? sumN / wind.Length : 0;
        double dev = 0;
        for (int i = 0; i < wind.Length; i++)
        {
            double de = wind[i].EastMps - MeanWindE, dn = wind[i].NorthMps - MeanWindN;
            dev = Math.Max(dev, Math.Sqrt((de * de) + (dn * dn)));
        }

        WindDeviationMps = dev;
        double minLayer = double.PositiveInfinity;
        foreach (double f in layerFactor)
        {
            minLayer = Math.Min(minLayer, f);
        }

        MinFactor = minLayer * (_corridorIndex is not null ? Math.Min(1, corridorDiscount) : 1);
    }

    public CityArea Area { get; }

    /// <summary>True when the wind exceeds the aircraft's limit in some wind cell and layer.</summary>
    public bool AnyWindBlocked { get; }

    internal IReadOnlyList<ZoneRaster> ZoneRasters { get; }

    /// <summary>The blocked-zone bitmap and its coarse cover (shared read-only between flights; see
    /// <see cref="CityArea.ZoneMaskFor"/>).</summary>
    internal ZoneMask ZoneMask { get; }

    internal ushort[] ThresholdDm => _thresholdDm;

    /// <summary>The coarse free-space states of this flight (built on first use; thread-safe).</summary>
    internal CityCoarseGrid Coarse
    {
        get
        {
            CityCoarseGrid? c = Volatile.Read(ref _coarse);
            if (c is null)
            {
                c = AnyWindBlocked ? new CityCoarseGrid(this) : ZoneMask.CoarseGridFor(this);
                Volatile.Write(ref _coarse, c);
            }

            return c;
        }
    }

    /// <summary>The true-height ceiling, metres.</summary>
    public double CeilingM { get; }

    /// <summary>The clearance above obstacles, metres.</summary>
    public double ClearanceM { get; }

    /// <summary>The zones stamped as blocked (active in the window, not allowed, band within reach).</summary>
    public IReadOnlyList<Zone> BlockingZones { get; }

    public int W { get; }

    public int H { get; }

    public int L { get; }

    public double[] LayersAglM { get; }

    public double[] LayerFactor { get; }

    public double CorridorDiscount { get; }

    public double AirspeedMps { get; }

    public double ClimbMps { get; }

    public double DescentMps { get; }

    /// <summary>Wind per (wind cell, layer): index (wy × WindWidth + wx) × L + k.</summary>
    public WindVector[] Wind { get; }

    public bool[] WindBlocked { get; }

    public double[] InvGs { get; }

    public double MaxWindMps { get; }

    public double MeanWindE { get; }

    public double MeanWindN { get; }

    public double WindDeviationMps { get; }

    public double MinFactor { get; }

    public int LayerBlockedEverywhere { get; }

    /// <summary>The inverse ground speed (s/m) along unit direction (ux, uy) in wind (we, wn); +∞ when infeasible.</summary>
    public static double InverseGroundSpeed(double we, double wn, double ux, double uy, double airspeed)
    {
        double along = (we * ux) + (wn * uy);
        double cross = (we * uy) - (wn * ux);
        double c2 = airspeed * airspeed - (cross * cross);
        if (c2 <= 0)
        {
            return double.PositiveInfinity;
        }

        double gs = along + Math.Sqrt(c2);
        return gs <= 1e-9 ? double.PositiveInfinity : 1 / gs;
    }

    /// <summary>The same grid in still air (zones, obstacles, layers and factors kept; no wind, no wind blocking).</summary>
    public CityFlightGrid Calm() => new(Area, LayersAglM, LayerFactor, ClearanceM, ZoneMask, new WindVector[Wind.Length], AirspeedMps, double.MaxValue,
        ClimbMps, DescentMps, _corridorLayers, CorridorDiscount, _riskWeight, CeilingM, BlockingZones, ZoneRasters)
    {
        // Without wind-blocked cells the coarse states are the same in still air.
        _coarse = AnyWindBlocked ? null : _coarse,
    };

    /// <summary>
    /// The guaranteed suboptimality factor of <see cref="CitySearchMode.Fast"/> with weight ε on this grid: ε times the
    /// largest ratio, over 3600 directions, of the mean-wind straight-line time to the admissible bound (relaxed wind,
    /// least cost factor); +∞ when the mean wind reaches the airspeed.
    /// </summary>
    /// <param name="weight">ε.</param>
    public double FastModeBound(double weight)
    {
        double v = AirspeedMps, relaxed = v + WindDeviationMps;
        double w2 = (MeanWindE * MeanWindE) + (MeanWindN * MeanWindN);
        double a0 = (v * v) - w2, a = (relaxed * relaxed) - w2;
        if (a0 <= 1e-6 || a <= 1e-6)
        {
            return double.PositiveInfinity;
        }

        double worst = 0;
        for (int i = 0; i < 3600; i++)
        {
            (double s, double c) = Math.SinCos(i * Math.PI / 1800);
            double dw = (c * MeanWindE) + (s * MeanWindN);
            double t0 = (-dw + Math.Sqrt((dw * dw) + a0)) / a0;
            double t = (-dw + Math.Sqrt((dw * dw) + a)) / a;
            worst = Math.Max(worst, t0 / (t * MinFactor));
        }

        // Terminal descent terms are exact in both heuristics; the ratio of sums is at most the larger ratio.
        return Math.Max(1, weight) * Math.Max(1, worst);
    }

    /// <summary>The index into <see cref="Wind"/> of cell (x, y) in layer k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int WindIndex(int x, int y, int k) => ((_windRowBase[y] + _windCol[x]) * L) + k;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ZoneBlocked(int x, int y)
    {
        long i = ((long)y * W) + x;
        return (_zoneBits[i >> 6] & (1UL << (int)(i & 63))) != 0;
    }

    /// <summary>True when (x, y) in layer k may not be flown (callers check the bounds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsBlocked(int x, int y, int k)
    {
        long i = ((long)y * W) + x;
        return (_zoneBits[i >> 6] & (1UL << (int)(i & 63))) != 0
            || _obstacleDm[i] > _thresholdDm[k]
            || WindBlocked[WindIndex(x, y, k)];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool InBounds(int x, int y) => (uint)x < (uint)W && (uint)y < (uint)H;

    /// <summary>The cost factor of cell (x, y) in layer k: layer × corridor × risk.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Factor(int x, int y, int k)
    {
        long i = ((long)y * W) + x;
        double f = LayerFactor[k];
        if (_corridorIndex is not null)
        {
            int c = _corridorIndex[i];
            if (c != 0 && (_corridorLayers[c - 1] & (1 << k)) != 0)
            {
                f *= CorridorDiscount;
            }
        }

        if (_risk is not null)
        {
            f *= _riskFactor[_risk[i]];
        }

        return f;
    }

    /// <summary>
    /// Walks the closed segment a→b (grid coordinates) in layer k through every cell it touches (Amanatides–Woo; at an
    /// exact corner both side cells are checked too) and returns its cost: Σ length in cell × inverse ground speed in
    /// the cell's wind × the cell's factor; +∞ when a touched cell is blocked or out of the grid, or the wind makes the
    /// direction infeasible. With <paramref name="physical"/> the factors are left out (pure flight time) and blocking
    /// is ignored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double SegmentCost(double ax, double ay, double bx, double by, int k, bool physical = false)
    {
        double dx = bx - ax, dy = by - ay;
        double len = Math.Sqrt((dx * dx) + (dy * dy));
        int x = (int)Math.Floor(ax), y = (int)Math.Floor(ay);
        if (!InBounds(x, y))
        {
            return double.PositiveInfinity;
        }

        if (len < 1e-12)
        {
            return !physical && IsBlocked(x, y, k) ? double.PositiveInfinity : 0;
        }

        double ux = dx / len, uy = dy / len;
        double lenM = len * Area.CellSizeM;
        int stepX = dx > 0 ? 1 : dx < 0 ? -1 : 0;
        int stepY = dy > 0 ? 1 : dy < 0 ? -1 : 0;
        double tDeltaX = stepX != 0 ? 1 / Math.Abs(dx) : double.PositiveInfinity;
        double tDeltaY = stepY != 0 ? 1 / Math.Abs(dy) : double.PositiveInfinity;
        double tMaxX = stepX > 0 ? (x + 1 - ax) * tDeltaX : stepX < 0 ? (ax - x) * tDeltaX : double.PositiveInfinity;
        double tMaxY = stepY > 0 ? (y + 1 - ay) * tDeltaY : stepY < 0 ? (ay - y) * tDeltaY : double.PositiveInfinity;
        double t = 0, cost = 0;
        int lastWind = -1;
        double inv = 0;
        while (true)
        {
            if (!InBounds(x, y) || (!physical && IsBlocked(x, y, k)))
            {
                return double.PositiveInfinity;
            }

            int wi = WindIndex(x, y, k);
            if (wi != lastWind)
            {
                lastWind = wi;
                WindVector w = Wind[wi];
                inv = InverseGroundSpeed(w.EastMps, w.NorthMps, ux, uy, AirspeedMps);
                if (double.IsPositiveInfinity(inv))
                {
                    return double.PositiveInfinity;
                }
            }

            double tNext = Math.Min(Math.Min(tMaxX, tMaxY), 1);
            cost += (tNext - t) * lenM * inv * (physical ? 1 : Factor(x, y, k));
            if (tNext >= 1)
            {
                return cost;
            }

            if (Math.Abs(tMaxX - tMaxY) < 1e-12)
            {
                // Through a corner: the two side cells are touched too.
                if (!physical && (!InBounds(x + stepX, y) || IsBlocked(x + stepX, y, k) || !InBounds(x, y + stepY) || IsBlocked(x, y + stepY, k)))
                {
                    return double.PositiveInfinity;
                }

                x += stepX;
                y += stepY;
                t = tMaxX;
                tMaxX += tDeltaX;
                tMaxY += tDeltaY;
            }
            else if (tMaxX < tMaxY)
            {
                x += stepX;
                t = tMaxX;
                tMaxX += tDeltaX;
            }
            else
            {
                y += stepY;
                t = tMaxY;
                tMaxY += tDeltaY;
            }
        }
    }
}
