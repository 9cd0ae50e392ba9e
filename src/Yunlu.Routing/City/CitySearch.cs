using System.Runtime.CompilerServices;
using Yunlu.Routing.Grid;

namespace Yunlu.Routing.City;

/// <summary>A grid node: column, row, layer.</summary>
/// <param name="X">Column.</param>
/// <param name="Y">Row.</param>
/// <param name="Layer">Layer index.</param>
public readonly record struct CityNode(int X, int Y, int Layer);

/// <summary>The optimal grid path of one leg.</summary>
/// <param name="Nodes">Nodes from the start cell to the goal cell (layer changes appear as consecutive nodes of one cell).</param>
/// <param name="Cost">Its cost (weighted flight time incl. the start and terminal vertical costs), seconds.</param>
/// <param name="Expansions">Nodes expanded.</param>
public sealed record CityGridPath(IReadOnlyList<CityNode> Nodes, double Cost, long Expansions);

/// <summary>
/// A* over (cell, layer) on a <see cref="CityFlightGrid"/>: 8 horizontal moves (diagonals only when both side cells
/// are free: no corner cutting) and moves one layer up or down; costs are flight times (wind triangle) times the cells'
/// factors. Start costs per layer and a terminal descent are arcs to virtual start and goal nodes, so the result is the
/// exact optimum over this graph (Hart, Nilsson and Raphael 1968, with a consistent heuristic).
/// </summary>
/// <remarks>
/// The heuristic of <see cref="CitySearchMode.Fast"/> bounds the time to cover the remaining displacement D in any wind
/// within δ of the mean wind w₀: D = ∫(a + w₀ + e) dt with |a| = V and |e| ≤ δ gives |D − w₀t| ≤ (V + δ)t, so
/// t ≥ the root of (|w₀|² − (V+δ)²)t² − 2(D·w₀)t + |D|² = 0; it is a metric (the minimal time of a relaxed problem), hence
/// consistent, and is scaled by the least cost factor; the remaining descent at the descent rate is added. Ties go to
/// the larger g. State lives in 64 × 64-cell tiles per layer allocated on first touch and reused across searches.
/// </remarks>
internal sealed class CitySearch
{
    private const int TileShift = 6;
    private const int TileSize = 1 << TileShift;
    private const int TileMask = TileSize - 1;
    private const int TileCells = TileSize * TileSize;
    private const byte Closed = 0x80;
    private const byte FromBelow = 8;
    private const byte FromAbove = 9;
    private const byte FromStart = 10;
    private const double KeyTicksPerSecond = 1e8;

    private readonly int _tilesX;
    private readonly int _tilesPerLayer;
    private readonly int[] _slot;
    private readonly int[] _stamp;
    private readonly List<double[]> _g = [];
    private readonly List<byte[]> _dir = [];
    private readonly RadixHeap _open = new();
    private int _used;
    private int _generation;

    public CitySearch(CityArea area)
    {
        _tilesX = (area.Width + TileMask) >> TileShift;
        int tilesY = (area.Height + TileMask) >> TileShift;
        _tilesPerLayer = _tilesX * tilesY;
        _slot = new int[_tilesPerLayer * CityPlanner.MaxLayers];
        _stamp = new int[_slot.Length];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public CityGridPath Run(CityFlightGrid m, int sx, int sy, double[] startCost, int gx, int gy, bool descend, CitySearchMode mode, double weight, long maxExpansions, CancellationToken cancellationToken,
        CityCoarseSearch? guide = null)
    {
        int[]? corridor = guide?.Corridor;
        int corridorGeneration = guide?.CorridorGeneration ?? 0;
        if (mode == CitySearchMode.Hierarchical)
        {
            mode = CitySearchMode.Fast;
        }

        int coarseWidth = m.Area.CoarseWidth, coarseHeight = m.Area.CoarseHeight;
        double guideInv = 1 / (m.AirspeedMps + m.MaxWindMps);
        int gcx = gx >> CityArea.CoarseShift, gcy = gy >> CityArea.CoarseShift;
        _generation++;
        if (_generation == int.MaxValue)
        {
            Array.Clear(_stamp);
            _generation = 1;
        }

        _used = 0;
        _open.Clear();
        int w = m.W, h = m.H, layers = m.L;
        double cell = m.Area.CellSizeM;
        double diag = cell * Math.Sqrt(2);
        double v = m.AirspeedMps;
        double relaxed = v + m.WindDeviationMps;
        double a = (relaxed * relaxed) - ((m.MeanWindE * m.MeanWindE) + (m.MeanWindN * m.MeanWindN));
        bool relaxedBound = mode == CitySearchMode.Exact && a > 1e-6;
        double a0 = (v * v) - ((m.MeanWindE * m.MeanWindE) + (m.MeanWindN * m.MeanWindN));
        bool meanWind = mode == CitySearchMode.Fast && a0 > 1e-6;
        double eps = mode == CitySearchMode.Fast ? Math.Max(1, weight) : 1;

        if (mode == CitySearchMode.Fast && !meanWind)
        {
            // The mean wind is as strong as the airspeed: fall back to the admissible bound, weighted.
            relaxedBound = a > 1e-6;
        }
        double plainSpeed = v + m.MaxWindMps;
        double minFactor = m.MinFactor;
        double[] terminal = new double[layers];
        for (int k = 0; k < layers; k++)
        {
            terminal[k] = descend ? m.LayersAglM[k] / m.DescentMps : 0;
        }

        for (int k = 0; k < layers; k++)
        {
            if (double.IsFinite(startCost[k]) && !m.IsBlocked(sx, sy, k))
            {
                ref double g0 = ref G(sx, sy, k, out byte[] dirPage, out int off);
                g0 = startCost[k];
                dirPage[off] = FromStart;
                Push(startCost[k] + Heuristic(sx, sy, k), startCost[k], Id(sx, sy, k, w, h));
            }
        }

        long expansions = 0;
        while (_open.Count > 0)
        {
            int id = _open.Pop();
            if (id < 0)
            {
                int kGoal = -1 - id;
                double gGoal = G(gx, gy, kGoal, out _, out _) + terminal[kGoal];
                return new CityGridPath(Reconstruct(gx, gy, kGoal), gGoal, expansions);
            }

            int x = id % w;
            int rest = id / w;
            int y = rest % h;
            int k = rest / h;
            ref double gRef = ref G(x, y, k, out byte[] dirs, out int o);
            if ((dirs[o] & Closed) != 0)
            {
                continue;
            }

            dirs[o] |= Closed;
            expansions++;
            if ((expansions & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (expansions > maxExpansions)
                {
                    return new CityGridPath([], double.NaN, expansions);
                }
            }

            double g = gRef;
            if (x == gx && y == gy)
            {
                Push(g + terminal[k], g + terminal[k], -1 - k);
                continue;
            }

            double fHere = m.Factor(x, y, k);
            int windBase = m.WindIndex(x, y, k) * 8;
            for (int d = 0; d < 8; d++)
            {
                int dx = CityFlightGrid.Dx[d], dy = CityFlightGrid.Dy[d];
                int nx = x + dx, ny = y + dy;
                if (!m.InBounds(nx, ny) || m.IsBlocked(nx, ny, k)
                    || (corridor is not null && corridor[((ny >> CityArea.CoarseShift) * coarseWidth) + (nx >> CityArea.CoarseShift)] != corridorGeneration))
                {
                    continue;
                }

                if ((d & 1) == 1 && (m.IsBlocked(nx, y, k) || m.IsBlocked(x, ny, k)))
                {
                    continue;
                }

                double inv = m.InvGs[windBase + d];
                if (double.IsPositiveInfinity(inv))
                {
                    continue;
                }

                double step = ((d & 1) == 1 ? diag : cell) * inv * 0.5 * (fHere + m.Factor(nx, ny, k));
                Relax(nx, ny, k, g + step, (byte)d);
            }

            if (k + 1 < layers && !m.IsBlocked(x, y, k + 1))
            {
                Relax(x, y, k + 1, g + ((m.LayersAglM[k + 1] - m.LayersAglM[k]) / m.ClimbMps), FromBelow);
            }

            if (k > 0 && !m.IsBlocked(x, y, k - 1))
            {
                Relax(x, y, k - 1, g + ((m.LayersAglM[k] - m.LayersAglM[k - 1]) / m.DescentMps), FromAbove);
            }
        }

        return new CityGridPath([], double.PositiveInfinity, expansions);

        // The coarse cost-to-go of the node's layer, bilinear between the four surrounding coarse centres; near the goal,
        // the edge of the corridor or an unreachable centre, the least over the cell and its neighbours of their
        // cost-to-go plus the straight time to their landmark at the airspeed plus the strongest wind.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        double Guided(int x, int y, int k)
        {
            int cx = x >> CityArea.CoarseShift, cy = y >> CityArea.CoarseShift;
            double u = ((x + 0.5) / CityArea.CoarseFactor) - 0.5, w = ((y + 0.5) / CityArea.CoarseFactor) - 0.5;
            int ux = (int)Math.Floor(u), wy = (int)Math.Floor(w);
            if (ux >= 0 && wy >= 0 && ux + 1 < coarseWidth && wy + 1 < coarseHeight
                && !(ux <= gcx && gcx <= ux + 1 && wy <= gcy && gcy <= wy + 1))
            {
                int i00 = (wy * coarseWidth) + ux, i10 = i00 + 1, i01 = i00 + coarseWidth, i11 = i01 + 1;
                double c00 = guide!.CostToGo(i00, k), c10 = guide.CostToGo(i10, k), c01 = guide.CostToGo(i01, k), c11 = guide.CostToGo(i11, k);
                if (c00 < 1e30 && c10 < 1e30 && c01 < 1e30 && c11 < 1e30)
                {
                    double fu = u - ux, fw = w - wy;
                    return ((c00 * (1 - fu)) + (c10 * fu)) * (1 - fw) + (((c01 * (1 - fu)) + (c11 * fu)) * fw);
                }
            }

            double best = double.PositiveInfinity;
            for (int dy = -1; dy <= 1; dy++)
            {
                int ny = cy + dy;
                if ((uint)ny >= (uint)coarseHeight)
                {
                    continue;
                }

                for (int dx = -1; dx <= 1; dx++)
                {
                    int nx = cx + dx;
                    if ((uint)nx >= (uint)coarseWidth)
                    {
                        continue;
                    }

                    double ctg = guide!.CostToGo((ny * coarseWidth) + nx, k);
                    if (ctg >= best)
                    {
                        continue;
                    }

                    (double lx, double ly) = CityCoarseSearch.LandmarkOf(m, nx, ny, gx, gy);
                    double ex = lx - (x + 0.5), ey = ly - (y + 0.5);
                    double t = ctg + (Math.Sqrt((ex * ex) + (ey * ey)) * cell * guideInv);
                    if (t < best)
                    {
                        best = t;
                    }
                }
            }

            // Not reachable backwards inside the corridor in this layer: last in the queue (finite, for the radix keys).
            return double.IsPositiveInfinity(best) ? 1e6 : best;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Relax(int nx, int ny, int nk, double ng, byte how)
        {
            ref double gn = ref G(nx, ny, nk, out byte[] dp, out int off);
            if (ng >= gn || (dp[off] & Closed) != 0)
            {
                return;
            }

            gn = ng;
            dp[off] = how;
            Push(ng + Heuristic(nx, ny, nk), ng, Id(nx, ny, nk, w, h));
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        double Heuristic(int x, int y, int k)
        {
            if (guide is not null)
            {
                return eps * Guided(x, y, k);
            }

            double ex = (gx - x) * cell, ny = (gy - y) * cell;
            double d2 = (ex * ex) + (ny * ny);
            double dw = (ex * m.MeanWindE) + (ny * m.MeanWindN);
            if (meanWind)
            {
                // Straight-line time in the mean wind at the airspeed (not admissible; see FastModeBound).
                return eps * (((-dw + Math.Sqrt((dw * dw) + (d2 * a0))) / a0) + terminal[k]);
            }

            double t = relaxedBound ? (-dw + Math.Sqrt((dw * dw) + (d2 * a))) / a : Math.Sqrt(d2) / plainSpeed;
            return ((t * minFactor) + terminal[k]) * eps;
        }
    }

    /// <summary>
    /// True when the goal cell lies in a closed pocket: a breadth-first flood from it (any layer, the same move rules,
    /// the wind's direction ignored so that it over-approximates reachability) ends within <paramref name="cap"/> nodes
    /// without reaching the start cell.
    /// </summary>
    public bool Enclosed(CityFlightGrid m, int gx, int gy, int sx, int sy, int cap)
    {
        var seen = new HashSet<int>();
        var queue = new Queue<int>();
        int w = m.W, h = m.H;
        for (int k = 0; k < m.L; k++)
        {
            if (!m.IsBlocked(gx, gy, k))
            {
                int id = Id(gx, gy, k, w, h);
                seen.Add(id);
                queue.Enqueue(id);
            }
        }

        while (queue.Count > 0)
        {
            if (seen.Count > cap)
            {
                return false;
            }

            int id = queue.Dequeue();
            int x = id % w, rest = id / w, y = rest % h, k = rest / h;
            if (x == sx && y == sy)
            {
                return false;
            }

            for (int d = 0; d < 8; d++)
            {
                int nx = x + CityFlightGrid.Dx[d], ny = y + CityFlightGrid.Dy[d];
                if (!m.InBounds(nx, ny) || m.IsBlocked(nx, ny, k) || ((d & 1) == 1 && (m.IsBlocked(nx, y, k) || m.IsBlocked(x, ny, k))))
                {
                    continue;
                }

                int n = Id(nx, ny, k, w, h);
                if (seen.Add(n))
                {
                    queue.Enqueue(n);
                }
            }

            for (int dk = -1; dk <= 1; dk += 2)
            {
                int nk = k + dk;
                if (nk >= 0 && nk < m.L && !m.IsBlocked(x, y, nk))
                {
                    int n = Id(x, y, nk, w, h);
                    if (seen.Add(n))
                    {
                        queue.Enqueue(n);
                    }
                }
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Id(int x, int y, int k, int w, int h) => (((k * h) + y) * w) + x;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ref double G(int x, int y, int k, out byte[] dirs, out int offset)
    {
        int tile = (k * _tilesPerLayer) + ((y >> TileShift) * _tilesX) + (x >> TileShift);
        offset = ((y & TileMask) << TileShift) | (x & TileMask);
        int slot;
        if (_stamp[tile] != _generation)
        {
            slot = _used++;
            if (slot == _g.Count)
            {
                _g.Add(new double[TileCells]);
                _dir.Add(new byte[TileCells]);
            }

            Array.Fill(_g[slot], double.PositiveInfinity);
            Array.Clear(_dir[slot]);
            _slot[tile] = slot;
            _stamp[tile] = _generation;
        }
        else
        {
            slot = _slot[tile];
        }

        dirs = _dir[slot];
        return ref _g[slot][offset];
    }

    private List<CityNode> Reconstruct(int gx, int gy, int gk)
    {
        var nodes = new List<CityNode>();
        int x = gx, y = gy, k = gk;
        while (true)
        {
            nodes.Add(new CityNode(x, y, k));
            _ = G(x, y, k, out byte[] dirs, out int o);
            int how = dirs[o] & 0x7F;
            if (how == FromStart)
            {
                break;
            }

            if (how == FromBelow)
            {
                k--;
            }
            else if (how == FromAbove)
            {
                k++;
            }
            else
            {
                x -= CityFlightGrid.Dx[how];
                y -= CityFlightGrid.Dy[how];
            }
        }

        nodes.Reverse();
        return nodes;
    }

    /// <summary>Keys are f in units of <see cref="KeyTicksPerSecond"/> (ties within a tick pop in LIFO order, which
    /// favours the deeper node; the optimum is met to within one tick).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Push(double f, double g, int node)
    {
        _ = g;
        _open.Push((ulong)(f * KeyTicksPerSecond), node);
    }
}
