using System.Runtime.CompilerServices;

namespace Yunlu.Routing.City;

/// <summary>
/// The coarse level of a flight: per coarse cell (<see cref="CityArea.CoarseFactor"/> × <see cref="CityArea.CoarseFactor"/>
/// planning cells) and layer, whether it is wholly blocked (every planning cell blocked: one zone covers it all, every
/// obstacle height is above the layer's threshold, or the wind is above the limit in every wind cell it meets), wholly
/// free (no zone touches it, the tallest obstacle is under the threshold, no wind cell it meets is above the limit), or
/// partly free. Built from the area's max/min-pooled obstacle pyramid and the zone rasters' coarse covers, so it costs
/// O(coarse cells × layers) per flight instead of O(planning cells).
/// </summary>
internal sealed class CityCoarseGrid
{
    public const byte Blocked = 0;
    public const byte Partial = 1;
    public const byte Free = 2;

    private readonly byte[] _state;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public CityCoarseGrid(CityFlightGrid g)
    {
        CityArea a = g.Area;
        Cw = a.CoarseWidth;
        Ch = a.CoarseHeight;
        L = g.L;
        _state = new byte[Cw * Ch * L];
        byte[] zone = g.ZoneMask.Coarse;
        ushort[] max = a.CoarseMaxDm, min = a.CoarseMinDm, thr = g.ThresholdDm;
        int wc = a.WindCellCells;
        bool anyWind = g.AnyWindBlocked;
        for (int cy = 0; cy < Ch; cy++)
        {
            int y0 = cy << CityArea.CoarseShift, y1 = Math.Min(a.Height, y0 + CityArea.CoarseFactor) - 1;
            for (int cx = 0; cx < Cw; cx++)
            {
                int ci = (cy * Cw) + cx;
                int x0 = cx << CityArea.CoarseShift, x1 = Math.Min(a.Width, x0 + CityArea.CoarseFactor) - 1;
                for (int k = 0; k < L; k++)
                {
                    bool windAny = false, windAll = true;
                    if (anyWind)
                    {
                        for (int wy = y0 / wc; wy <= y1 / wc; wy++)
                        {
                            for (int wx = x0 / wc; wx <= x1 / wc; wx++)
                            {
                                bool b = g.WindBlocked[g.WindIndex(Math.Min(a.Width - 1, wx * wc), Math.Min(a.Height - 1, wy * wc), k)];
                                windAny |= b;
                                windAll &= b;
                            }
                        }
                    }
                    else
                    {
                        windAll = false;
                    }

                    byte s = zone[ci] == 2 || min[ci] > thr[k] || windAll ? Blocked
                        : zone[ci] == 0 && max[ci] <= thr[k] && !windAny ? Free : Partial;
                    _state[(((k * Ch) + cy) * Cw) + cx] = s;
                }
            }
        }
    }

    public int Cw { get; }

    public int Ch { get; }

    public int L { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte State(int cx, int cy, int k) => _state[(((k * Ch) + cy) * Cw) + cx];
}

/// <summary>
/// Weighted A* over the coarse cells of a <see cref="CityCoarseGrid"/> (2-D, 8 moves, the layers folded in), with the fine search's
/// cost model evaluated at the coarse cell centres (wind triangle, layer/corridor/risk factors) and partly free cells
/// costing <see cref="PartialPenalty"/> times more; then the corridor of coarse cells around the path. Only wholly
/// blocked coarse cells are pruned and a direction the wind makes infeasible at a centre costs a penalty instead of being
/// dropped, so every fine path's coarse shadow is a coarse path: no coarse path means no fine path. Reused per area.
/// </summary>
internal sealed class CityCoarseSearch
{
    /// <summary>Cost factor of a partly free coarse cell.</summary>
    public const double PartialPenalty = 1.25;

    /// <summary>Cost factor of a move touching a partly free coarse cell in <see cref="ComputeCostToGo"/>: the 5 m path
    /// through a partly built-up 40 m cell weaves or changes layer, and a guide that ignores it leaves the weighted fine
    /// search under-guided there (measured on the 30 km benchmark: mean fine expansions 133 k at 1.0, 41 k at 1.4, flight
    /// time +1.2 %).</summary>
    public const double CostToGoPartialPenalty = 1.4;

    private const byte FromStart = 10;

    private readonly float[] _g;
    private readonly byte[] _how;
    private readonly int[] _stamp;
    private readonly int[] _corridor;
    private readonly int[] _compact;
    private readonly List<int> _corridorCells = [];
    private readonly CoarseHeap _backward = new();
    private double[] _costToGo = new double[4096];
    private bool[] _settled = new bool[4096];
    private int _costLayers = 1;
    private readonly CoarseHeap _open = new();
    private int _generation;
    private int _corridorGeneration;

    public CityCoarseSearch(CityArea area)
    {
        int n = area.CoarseWidth * area.CoarseHeight;
        _g = new float[n];
        _how = new byte[_g.Length];
        _stamp = new int[_g.Length];
        _corridor = new int[n];
        _compact = new int[n];
    }

    /// <summary>The corridor stamps (index cy × coarse width + cx; a cell is in the corridor when its stamp equals
    /// <see cref="CorridorGeneration"/>).</summary>
    public int[] Corridor => _corridor;

    public int CorridorGeneration => _corridorGeneration;

    /// <summary>Coarse nodes expanded by the last run.</summary>
    public long Expansions { get; private set; }

    /// <summary>The coarse path (2-D: <see cref="CityNode.Layer"/> is 0) from the coarse cell of fine (sx, sy) to that of
    /// fine (gx, gy), or null when none. A move between neighbouring coarse cells needs a layer open in both (a fine move
    /// keeps its layer, so every fine path's shadow qualifies) and costs the least over those layers; the start adds the
    /// cheapest open start layer, the goal the cheapest open landing layer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public List<CityNode>? Run(CityFlightGrid m, int sx, int sy, double[] startCost, int gx, int gy, bool descend, double weight, CancellationToken cancellationToken)
    {
        CityCoarseGrid c = m.Coarse;
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_stamp);
            _generation = 1;
        }

        _open.Clear();
        Expansions = 0;
        int cw = c.Cw, ch = c.Ch, layers = m.L;
        const int f = CityArea.CoarseFactor;
        double edge = m.Area.CellSizeM * f, diag = edge * Math.Sqrt(2);
        int csx = sx >> CityArea.CoarseShift, csy = sy >> CityArea.CoarseShift, cgx = gx >> CityArea.CoarseShift, cgy = gy >> CityArea.CoarseShift;
        double v = m.AirspeedMps;
        double a0 = (v * v) - ((m.MeanWindE * m.MeanWindE) + (m.MeanWindN * m.MeanWindN));
        bool meanWind = a0 > 1e-6;
        double eps = Math.Max(1, weight);
        double penaltyInv = 1 / (0.2 * v);
        double goalX = (gx + 0.5) * m.Area.CellSizeM, goalY = (gy + 0.5) * m.Area.CellSizeM;
        double start = double.PositiveInfinity, terminal = double.PositiveInfinity;
        for (int k = 0; k < layers; k++)
        {
            if (double.IsFinite(startCost[k]) && !m.IsBlocked(sx, sy, k))
            {
                start = Math.Min(start, startCost[k]);
            }

            if (!m.IsBlocked(gx, gy, k))
            {
                terminal = Math.Min(terminal, descend ? m.LayersAglM[k] / m.DescentMps : 0);
            }
        }

        if (!double.IsFinite(start) || !double.IsFinite(terminal))
        {
            return null;
        }

        int s0 = (csy * cw) + csx;
        _stamp[s0] = _generation;
        _g[s0] = (float)start;
        _how[s0] = FromStart;
        _open.Enqueue(s0, start + H(csx, csy));
        while (_open.TryDequeue(out int id, out _))
        {
            if ((_how[id] & 0x80) != 0)
            {
                continue;
            }

            _how[id] |= 0x80;
            Expansions++;
            if ((Expansions & 0x3FFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            int x = id % cw, y = id / cw;
            double g = _g[id];
            if (x == cgx && y == cgy)
            {
                return Reconstruct(x, y);
            }

            int fxc = Math.Min(m.W - 1, (x << CityArea.CoarseShift) + (f / 2)), fyc = Math.Min(m.H - 1, (y << CityArea.CoarseShift) + (f / 2));
            for (int d = 0; d < 8; d++)
            {
                int nx = x + CityFlightGrid.Dx[d], ny = y + CityFlightGrid.Dy[d];
                if ((uint)nx >= (uint)cw || (uint)ny >= (uint)ch)
                {
                    continue;
                }

                int n = (ny * cw) + nx;
                if (_stamp[n] == _generation && (_how[n] & 0x80) != 0)
                {
                    continue;
                }

                double best = double.PositiveInfinity;
                for (int k = 0; k < layers; k++)
                {
                    byte sn = c.State(nx, ny, k);
                    if (sn == CityCoarseGrid.Blocked || c.State(x, y, k) == CityCoarseGrid.Blocked
                        || ((d & 1) == 1 && (c.State(nx, y, k) == CityCoarseGrid.Blocked || c.State(x, ny, k) == CityCoarseGrid.Blocked)))
                    {
                        continue;
                    }

                    double inv = m.InvGs[(m.WindIndex(fxc, fyc, k) * 8) + d];
                    if (double.IsPositiveInfinity(inv))
                    {
                        inv = penaltyInv;
                    }

                    best = Math.Min(best, inv * m.Factor(fxc, fyc, k) * (sn == CityCoarseGrid.Partial ? PartialPenalty : 1));
                }

                if (double.IsPositiveInfinity(best))
                {
                    continue;
                }

                double ng = g + (((d & 1) == 1 ? diag : edge) * best);
                if (_stamp[n] == _generation && ng >= _g[n])
                {
                    continue;
                }

                _stamp[n] = _generation;
                _g[n] = (float)ng;
                _how[n] = (byte)d;
                _open.Enqueue(n, ng + H(nx, ny));
            }
        }

        return null;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        double H(int x, int y)
        {
            double ex = goalX - (((x << CityArea.CoarseShift) + (f / 2.0)) * m.Area.CellSizeM);
            double ny = goalY - (((y << CityArea.CoarseShift) + (f / 2.0)) * m.Area.CellSizeM);
            double d2 = (ex * ex) + (ny * ny);
            if (!meanWind)
            {
                return eps * ((Math.Sqrt(d2) / (v + m.MaxWindMps)) + terminal);
            }

            double dw = (ex * m.MeanWindE) + (ny * m.MeanWindN);
            return eps * (((-dw + Math.Sqrt((dw * dw) + (d2 * a0))) / a0) + terminal);
        }

        List<CityNode> Reconstruct(int x, int y)
        {
            var nodes = new List<CityNode>();
            while (true)
            {
                nodes.Add(new CityNode(x, y, 0));
                int how = _how[(y * cw) + x] & 0x7F;
                if (how == FromStart)
                {
                    break;
                }

                x -= CityFlightGrid.Dx[how];
                y -= CityFlightGrid.Dy[how];
            }

            nodes.Reverse();
            return nodes;
        }
    }

    /// <summary>The point (fine grid coordinates) a coarse cell's cost-to-go is measured from: the goal in the goal's
    /// coarse cell, else the cell's centre.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double X, double Y) LandmarkOf(CityFlightGrid m, int cx, int cy, int gx, int gy)
    {
        if (cx == gx >> CityArea.CoarseShift && cy == gy >> CityArea.CoarseShift)
        {
            return (gx + 0.5, gy + 0.5);
        }

        int x0 = cx << CityArea.CoarseShift, y0 = cy << CityArea.CoarseShift;
        return (x0 + (Math.Min(CityArea.CoarseFactor, m.W - x0) / 2.0), y0 + (Math.Min(CityArea.CoarseFactor, m.H - y0) / 2.0));
    }

    /// <summary>Stamps the corridor: every coarse cell within Chebyshev distance <paramref name="radius"/> of a cell of
    /// the path (all layers).</summary>
    public void MarkCorridor(List<CityNode> path, int radius, int cw, int ch)
    {
        if (++_corridorGeneration == int.MaxValue)
        {
            Array.Clear(_corridor);
            _corridorGeneration = 1;
        }

        int gen = _corridorGeneration;
        _corridorCells.Clear();
        int lastX = int.MinValue, lastY = int.MinValue;
        foreach (CityNode n in path)
        {
            if (n.X == lastX && n.Y == lastY)
            {
                continue;
            }

            lastX = n.X;
            lastY = n.Y;
            int y0 = Math.Max(0, n.Y - radius), y1 = Math.Min(ch - 1, n.Y + radius);
            int x0 = Math.Max(0, n.X - radius), x1 = Math.Min(cw - 1, n.X + radius);
            for (int y = y0; y <= y1; y++)
            {
                for (int x = x0; x <= x1; x++)
                {
                    int i = (y * cw) + x;
                    if (_corridor[i] != gen)
                    {
                        _corridor[i] = gen;
                        _compact[i] = _corridorCells.Count;
                        _corridorCells.Add(i);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The cost-to-go of (coarse cell, layer) for the last <see cref="ComputeCostToGo"/>, in seconds weighted like the
    /// fine search (the landing descent included); +∞ outside the corridor or where the goal is not reachable backwards
    /// inside it.
    /// </summary>
    /// <param name="ci">Coarse cell index (cy × coarse width + cx).</param>
    /// <param name="k">Layer.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double CostToGo(int ci, int k) =>
        _corridor[ci] == _corridorGeneration ? _costToGo[(_compact[ci] * _costLayers) + k] : double.PositiveInfinity;

    /// <summary>
    /// Backward Dijkstra from the goal over (coarse cell, layer) states of the corridor, with the fine search's cost
    /// model per layer: a horizontal move between the landmarks of two coarse cells open in that layer costs its length
    /// times the inverse ground speed (wind triangle at the mover's centre; a direction the wind makes infeasible there
    /// costs as at a fifth of the airspeed) times the mean of the two centres' cost factors (layer factor, corridor
    /// discount, risk), times <see cref="CostToGoPartialPenalty"/> when either cell is partly free; a layer change costs
    /// its climb or descent time; the goal's states start at the landing descent
    /// (when <paramref name="descend"/>). The fine search (<see cref="CitySearch"/>) interpolates it bilinearly between
    /// coarse centres in the node's own layer, so the guide follows the corridor, the layers and the wind.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ComputeCostToGo(CityFlightGrid m, int gx, int gy, bool descend)
    {
        CityCoarseGrid c = m.Coarse;
        int cw = c.Cw, gen = _corridorGeneration, layers = m.L;
        int states = _corridorCells.Count * layers;
        if (_costToGo.Length < states)
        {
            _costToGo = new double[Math.Max(states, _costToGo.Length * 2)];
            _settled = new bool[_costToGo.Length];
        }

        _costLayers = layers;
        Array.Fill(_costToGo, double.PositiveInfinity, 0, states);
        Array.Clear(_settled, 0, states);
        int gcx = gx >> CityArea.CoarseShift, gcy = gy >> CityArea.CoarseShift;
        int goal = (gcy * cw) + gcx;
        if (_corridor[goal] != gen)
        {
            return;
        }

        double cell = m.Area.CellSizeM;
        double penaltyInv = 1 / (0.2 * m.AirspeedMps);
        _backward.Clear();
        for (int k = 0; k < layers; k++)
        {
            if (c.State(gcx, gcy, k) != CityCoarseGrid.Blocked)
            {
                double t = descend ? m.LayersAglM[k] / m.DescentMps : 0;
                _costToGo[(_compact[goal] * layers) + k] = t;
                _backward.Enqueue((_compact[goal] * layers) + k, t);
            }
        }

        while (_backward.TryDequeue(out int s, out double dn))
        {
            if (_settled[s])
            {
                continue;
            }

            _settled[s] = true;
            int ni = s / layers, k = s - (ni * layers);
            int n = _corridorCells[ni];
            int nx = n % cw, ny = n / cw;

            // Predecessors in other layers: (n, k') changes to k.
            for (int kp = k - 1; kp <= k + 1; kp += 2)
            {
                if (kp < 0 || kp >= layers || c.State(nx, ny, kp) == CityCoarseGrid.Blocked)
                {
                    continue;
                }

                double dh = m.LayersAglM[k] - m.LayersAglM[kp];
                Relax((ni * layers) + kp, dn + (dh >= 0 ? dh / m.ClimbMps : -dh / m.DescentMps));
            }

            (double ex, double ey) = Landmark(nx, ny);
            int fxn = Math.Min(m.W - 1, (int)ex), fyn = Math.Min(m.H - 1, (int)ey);
            double fn = m.Factor(fxn, fyn, k);
            for (int d = 0; d < 8; d++)
            {
                // Predecessor p moves to n in direction d, in layer k.
                int px = nx - CityFlightGrid.Dx[d], py = ny - CityFlightGrid.Dy[d];
                if ((uint)px >= (uint)cw || (uint)py >= (uint)c.Ch)
                {
                    continue;
                }

                int p = (py * cw) + px;
                if (_corridor[p] != gen || c.State(px, py, k) == CityCoarseGrid.Blocked)
                {
                    continue;
                }

                (double sx, double sy) = Landmark(px, py);
                double len = Math.Sqrt(((ex - sx) * (ex - sx)) + ((ey - sy) * (ey - sy))) * cell;
                int fxc = Math.Min(m.W - 1, (int)sx), fyc = Math.Min(m.H - 1, (int)sy);
                double inv = m.InvGs[(m.WindIndex(fxc, fyc, k) * 8) + d];
                if (double.IsPositiveInfinity(inv))
                {
                    inv = penaltyInv;
                }

                double pen = c.State(px, py, k) == CityCoarseGrid.Partial || c.State(nx, ny, k) == CityCoarseGrid.Partial ? CostToGoPartialPenalty : 1;
                Relax((_compact[p] * layers) + k, dn + (len * inv * pen * 0.5 * (m.Factor(fxc, fyc, k) + fn)));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Relax(int state, double cand)
        {
            if (!_settled[state] && cand < _costToGo[state])
            {
                _costToGo[state] = cand;
                _backward.Enqueue(state, cand);
            }
        }

        (double X, double Y) Landmark(int x, int y) => LandmarkOf(m, x, y, gx, gy);
    }
}

/// <summary>A binary min-heap of (item, key) for the coarse searches (duplicates allowed; stale entries are skipped by
/// the caller). Kept here rather than <see cref="PriorityQueue{TElement, TPriority}"/> so that it is compiled optimised
/// from the first plan.</summary>
internal sealed class CoarseHeap
{
    private int[] _items = new int[1024];
    private double[] _keys = new double[1024];
    private int _count;

    public void Clear() => _count = 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Enqueue(int item, double key)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _count * 2);
            Array.Resize(ref _keys, _count * 2);
        }

        int i = _count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (_keys[parent] <= key)
            {
                break;
            }

            _items[i] = _items[parent];
            _keys[i] = _keys[parent];
            i = parent;
        }

        _items[i] = item;
        _keys[i] = key;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryDequeue(out int item, out double key)
    {
        if (_count == 0)
        {
            item = 0;
            key = 0;
            return false;
        }

        item = _items[0];
        key = _keys[0];
        int n = --_count;
        if (n == 0)
        {
            return true;
        }

        int lastItem = _items[n];
        double lastKey = _keys[n];
        int i = 0;
        while (true)
        {
            int child = (2 * i) + 1;
            if (child >= n)
            {
                break;
            }

            if (child + 1 < n && _keys[child + 1] < _keys[child])
            {
                child++;
            }

            if (_keys[child] >= lastKey)
            {
                break;
            }

            _items[i] = _items[child];
            _keys[i] = _keys[child];
            i = child;
        }

        _items[i] = lastItem;
        _keys[i] = lastKey;
        return true;
    }
}
