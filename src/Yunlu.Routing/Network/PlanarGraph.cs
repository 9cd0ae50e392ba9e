namespace Yunlu.Routing.Network;

/// <summary>
/// The network under construction: nodes (vertiports first) and undirected straight segments, with the clean-up that
/// makes every heading-layer class planar and laterally separated. A segment's class is its layer modulo half the layer
/// count: both directions of two segments of one class share layers, segments of different classes never do.
/// </summary>
internal sealed class PlanarGraph
{
    /// <summary>A node nearer than this to a same-class segment's interior touches it, metres: it is put on the segment
    /// (split there) whatever its distance to the segment's ends. Far above the rounding of computed junction points
    /// (~10⁻¹⁰ m at 10 km), far below anything a corridor's geometry notices.</summary>
    internal const double ContactM = 1e-3;

    private readonly KeepOutField _field;
    private readonly int _layers;
    private readonly int _classes;
    private readonly double _sep;
    private readonly HashSet<long> _keys = [];
    private int _vertiports;

    public PlanarGraph(KeepOutField field, NetworkOptions options)
    {
        _field = field;
        _layers = options.HeadingLayers;
        _classes = options.HeadingLayers / 2;
        _sep = options.LateralSeparationM;
    }

    public List<double> X { get; } = [];

    public List<double> Y { get; } = [];

    public List<NetworkNodeKind> Kind { get; } = [];

    public List<int> SegA { get; } = [];

    public List<int> SegB { get; } = [];

    public int AddNode(double x, double y, NetworkNodeKind kind)
    {
        X.Add(x);
        Y.Add(y);
        Kind.Add(kind);
        if (kind == NetworkNodeKind.Vertiport)
        {
            _vertiports = X.Count;
        }

        return X.Count - 1;
    }

    public void AddSegment(int a, int b)
    {
        if (a == b)
        {
            return;
        }

        int lo = Math.Min(a, b), hi = Math.Max(a, b);
        if (_keys.Add(Key(lo, hi)))
        {
            SegA.Add(lo);
            SegB.Add(hi);
        }
    }

    /// <summary>Runs clean-up rounds until one changes nothing or repeats an earlier graph; returns the rounds run.</summary>
    public int Cleanup(int maxRounds, IProgress<NetworkProgress>? progress, CancellationToken cancellationToken)
    {
        var seen = new HashSet<(int Nodes, int Segments, ulong Hash)>();
        for (int round = 1; round <= maxRounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new NetworkProgress("cleanup", (double)round / maxRounds));
            bool changed = MergeCloseNodes();
            changed |= SplitCrossings();
            changed |= SnapNearNodes();

            // A graph seen after an earlier round means the rounds cycle: snaps that undo each other, in one round (in a
            // thin triangle a–w–b with w within the separation of a–b and b within it of a–w, both snaps rebuild the
            // same three sides) or in turn (w onto a–b, then b onto a–w). More rounds would only go round the cycle, so
            // the clean-up stops; the separation left is counted in the report.
            if (!changed || !seen.Add(Fingerprint()))
            {
                return round;
            }
        }

        return maxRounds;
    }

    // The graph's state: node and segment counts and an order-independent hash of the coordinates and segments.
    private (int Nodes, int Segments, ulong Hash) Fingerprint()
    {
        ulong hash = 0;
        for (int v = 0; v < X.Count; v++)
        {
            hash += Mix((ulong)BitConverter.DoubleToInt64Bits(X[v]) ^ Mix((ulong)BitConverter.DoubleToInt64Bits(Y[v]) + (ulong)v));
        }

        foreach (long key in _keys)
        {
            hash += Mix(Mix((ulong)key) + 0x9E3779B97F4A7C15UL);
        }

        return (X.Count, SegA.Count, hash);
    }

    // SplitMix64's finaliser (Steele, Lea and Flood 2014).
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public int Class(int s) => Planar.Layer(X[SegA[s]], Y[SegA[s]], X[SegB[s]], Y[SegB[s]], _layers) % _classes;

    /// <summary>Same-class segment pairs that meet anywhere but at one shared end node (sweep over x; exact predicates).</summary>
    public int CountCrossings()
    {
        int count = 0;
        int[] order = SegmentsByMinX(out double[] minX, out double[] maxX);
        for (int oi = 0; oi < order.Length; oi++)
        {
            int s = order[oi];
            for (int oj = oi + 1; oj < order.Length && minX[order[oj]] <= maxX[s]; oj++)
            {
                int t = order[oj];
                if (Class(s) != Class(t))
                {
                    continue;
                }

                if (Meet(s, t))
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Same-class (node, segment) pairs where the node is closer than the separation to the segment while at
    /// least the separation from both its ends (corridors converging at a node are fine; passing a node is not).</summary>
    public int CountSeparationViolations()
    {
        int count = 0;
        int[] masks = NodeMasks();
        for (int s = 0; s < SegA.Count; s++)
        {
            int a = SegA[s], b = SegB[s], c = 1 << Class(s);
            for (int w = 0; w < X.Count; w++)
            {
                if (w != a && w != b && (masks[w] & c) != 0 && TooClose(w, a, b))
                {
                    count++;
                }
            }
        }

        return count;
    }

    private bool Meet(int s, int t)
    {
        int a = SegA[s], b = SegB[s], c = SegA[t], d = SegB[t];
        bool shareA = a == c || a == d, shareB = b == c || b == d;
        if (shareA && shareB)
        {
            return true;
        }

        if (shareA || shareB)
        {
            // One shared end: they meet elsewhere only when collinear and overlapping.
            int shared = shareA ? a : b;
            int so = shareA ? b : a;
            int to = c == shared ? d : c;
            return Planar.Orient(X[shared], Y[shared], X[so], Y[so], X[to], Y[to]) == 0 &&
                   ((X[so] - X[shared]) * (X[to] - X[shared])) + ((Y[so] - Y[shared]) * (Y[to] - Y[shared])) > 0;
        }

        return Planar.Intersect(X[a], Y[a], X[b], Y[b], X[c], Y[c], X[d], Y[d]);
    }

    private bool TooClose(int w, int a, int b)
    {
        double d = Planar.PointSegmentDistance(X[w], Y[w], X[a], Y[a], X[b], Y[b], out _);
        return d < _sep && Dist(w, a) >= _sep && Dist(w, b) >= _sep;
    }

    private double Dist(int u, int v) => Math.Sqrt(((X[u] - X[v]) * (X[u] - X[v])) + ((Y[u] - Y[v]) * (Y[u] - Y[v])));

    private int[] NodeMasks()
    {
        var masks = new int[X.Count];
        int all = (1 << _classes) - 1;
        for (int v = 0; v < _vertiports; v++)
        {
            masks[v] = all;
        }

        for (int s = 0; s < SegA.Count; s++)
        {
            int c = 1 << Class(s);
            masks[SegA[s]] |= c;
            masks[SegB[s]] |= c;
        }

        return masks;
    }

    private int[] SegmentsByMinX(out double[] minX, out double[] maxX)
    {
        int count = SegA.Count;
        var order = new int[count];
        var lo = new double[count];
        var hi = new double[count];
        for (int s = 0; s < count; s++)
        {
            order[s] = s;
            lo[s] = Math.Min(X[SegA[s]], X[SegB[s]]);
            hi[s] = Math.Max(X[SegA[s]], X[SegB[s]]);
        }

        var keys = (double[])lo.Clone();
        Array.Sort(keys, order);
        minX = lo;
        maxX = hi;
        return order;
    }

    private void Rebuild(List<(int A, int B)> segments)
    {
        SegA.Clear();
        SegB.Clear();
        _keys.Clear();
        foreach ((int a, int b) in segments)
        {
            AddSegment(a, b);
        }
    }

    // Merges nodes closer than MergeDistanceM (never two vertiports; a vertiport always stays), when the moved segments
    // stay clear of the keep-outs.
    private bool MergeCloseNodes()
    {
        int count = X.Count;
        var order = new int[count];
        var keys = new double[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
            keys[i] = X[i];
        }

        Array.Sort(keys, order);
        var incident = Incidence();
        var rep = new int[count];
        var locked = new bool[count];
        for (int i = 0; i < count; i++)
        {
            rep[i] = i;
        }

        bool changed = false;
        for (int oi = 0; oi < count; oi++)
        {
            int u = order[oi];
            for (int oj = oi + 1; oj < count && keys[oj] - keys[oi] < AirwayNetworkGenerator.MergeDistanceM; oj++)
            {
                int v = order[oj];
                if (Dist(u, v) >= AirwayNetworkGenerator.MergeDistanceM || locked[u] || locked[v] || (u < _vertiports && v < _vertiports))
                {
                    continue;
                }

                int keep = v < _vertiports || (u >= _vertiports && v < u) ? v : u;
                int drop = keep == u ? v : u;
                bool free = true;
                foreach (int s in incident[drop])
                {
                    int other = SegA[s] == drop ? SegB[s] : SegA[s];
                    if (other != keep && !_field.SegmentFree(X[keep], Y[keep], X[other], Y[other]))
                    {
                        free = false;
                        break;
                    }
                }

                if (!free)
                {
                    continue;
                }

                rep[drop] = keep;
                locked[keep] = locked[drop] = true;
                foreach (int s in incident[drop])
                {
                    locked[SegA[s]] = locked[SegB[s]] = true;
                }

                foreach (int s in incident[keep])
                {
                    locked[SegA[s]] = locked[SegB[s]] = true;
                }

                if (Kind[drop] == NetworkNodeKind.Junction && Kind[keep] == NetworkNodeKind.Waypoint)
                {
                    Kind[keep] = NetworkNodeKind.Junction;
                }

                changed = true;
            }
        }

        if (!changed)
        {
            return false;
        }

        var segments = new List<(int, int)>(SegA.Count);
        for (int s = 0; s < SegA.Count; s++)
        {
            segments.Add((rep[SegA[s]], rep[SegB[s]]));
        }

        Rebuild(segments);
        Compact();
        return true;
    }

    // Drops nodes no segment uses (vertiports always stay) and renumbers.
    private void Compact()
    {
        var used = new bool[X.Count];
        for (int v = 0; v < _vertiports; v++)
        {
            used[v] = true;
        }

        for (int s = 0; s < SegA.Count; s++)
        {
            used[SegA[s]] = used[SegB[s]] = true;
        }

        var map = new int[X.Count];
        int next = 0;
        for (int v = 0; v < X.Count; v++)
        {
            if (used[v])
            {
                X[next] = X[v];
                Y[next] = Y[v];
                Kind[next] = Kind[v];
                map[v] = next++;
            }
            else
            {
                map[v] = -1;
            }
        }

        if (next == X.Count)
        {
            return;
        }

        X.RemoveRange(next, X.Count - next);
        Y.RemoveRange(next, Y.Count - next);
        Kind.RemoveRange(next, Kind.Count - next);
        var segments = new List<(int, int)>(SegA.Count);
        for (int s = 0; s < SegA.Count; s++)
        {
            segments.Add((map[SegA[s]], map[SegB[s]]));
        }

        Rebuild(segments);
    }

    // Every proper crossing of two same-class segments becomes a junction node splitting both.
    private bool SplitCrossings()
    {
        int[] order = SegmentsByMinX(out double[] minX, out double[] maxX);
        var classes = new int[SegA.Count];
        for (int s = 0; s < classes.Length; s++)
        {
            classes[s] = Class(s);
        }

        var splits = new List<(double T, int Node)>?[SegA.Count];
        bool changed = false;
        for (int oi = 0; oi < order.Length; oi++)
        {
            int s = order[oi];
            int a = SegA[s], b = SegB[s];
            double sMinY = Math.Min(Y[a], Y[b]), sMaxY = Math.Max(Y[a], Y[b]);
            for (int oj = oi + 1; oj < order.Length && minX[order[oj]] <= maxX[s]; oj++)
            {
                int t = order[oj];
                if (classes[s] != classes[t])
                {
                    continue;
                }

                int c = SegA[t], d = SegB[t];
                if (Math.Max(Y[c], Y[d]) < sMinY || Math.Min(Y[c], Y[d]) > sMaxY || a == c || a == d || b == c || b == d)
                {
                    continue;
                }

                if (!Planar.CrossProperly(X[a], Y[a], X[b], Y[b], X[c], Y[c], X[d], Y[d]))
                {
                    continue;
                }

                double ts = Planar.CrossingParameter(X[a], Y[a], X[b], Y[b], X[c], Y[c], X[d], Y[d]);
                double tt = Planar.CrossingParameter(X[c], Y[c], X[d], Y[d], X[a], Y[a], X[b], Y[b]);
                double px = X[a] + (ts * (X[b] - X[a])), py = Y[a] + (ts * (Y[b] - Y[a]));
                changed = true;

                // A crossing within MergeDistanceM of an end of one segment is that end touching the other: the other is
                // split at the end itself. A new junction there would be merged into the end next round, and the
                // crossing found again, without end (three coincident nodes, one merged per round, cycled forever).
                int e = NearestEnd(px, py, a, b, c, d);
                if (e == c || e == d)
                {
                    if (ChainFree(a, b, [(ts, e)]))
                    {
                        (splits[s] ??= []).Add((ts, e));
                        continue;
                    }
                }
                else if (e >= 0 && ChainFree(c, d, [(tt, e)]))
                {
                    (splits[t] ??= []).Add((tt, e));
                    continue;
                }

                int j = AddNode(px, py, NetworkNodeKind.Junction);
                (splits[s] ??= []).Add((ts, j));
                (splits[t] ??= []).Add((tt, j));
            }
        }

        if (!changed)
        {
            return false;
        }

        var segments = new List<(int, int)>(SegA.Count * 2);
        for (int s = 0; s < splits.Length; s++)
        {
            AppendChain(segments, s, splits[s]);
        }

        Rebuild(segments);
        return true;
    }

    // A node that a same-class segment passes closer than the separation (away from the segment's ends) is put on the
    // segment: the corridors meet there instead of passing too close. A node the segment touches (within ContactM, at
    // least MergeDistanceM from both ends, however near them otherwise) is put on it too: a T-contact or a collinear
    // overlap is no proper crossing, so SplitCrossings leaves it, and a snap elsewhere can make one (w snapped onto a
    // segment w'–x makes a piece w–w' along an existing chain w–j–w' whose junction j lies exactly on that line).
    // Skipped when a new piece would meet a keep-out.
    private bool SnapNearNodes()
    {
        int count = X.Count;
        var order = new int[count];
        var keys = new double[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
            keys[i] = X[i];
        }

        Array.Sort(keys, order);
        int[] masks = NodeMasks();
        var splits = new List<(double T, int Node)>?[SegA.Count];
        bool changed = false;
        var found = new List<(double T, int Node)>();
        for (int s = 0; s < SegA.Count; s++)
        {
            int a = SegA[s], b = SegB[s], c = 1 << Class(s);
            double lo = Math.Min(X[a], X[b]) - _sep, hi = Math.Max(X[a], X[b]) + _sep;
            double ylo = Math.Min(Y[a], Y[b]) - _sep, yhi = Math.Max(Y[a], Y[b]) + _sep;
            int first = LowerBound(keys, lo);
            found.Clear();
            for (int oi = first; oi < count && keys[oi] <= hi; oi++)
            {
                int w = order[oi];
                if (w == a || w == b || Y[w] < ylo || Y[w] > yhi || (masks[w] & c) == 0)
                {
                    continue;
                }

                double d = Planar.PointSegmentDistance(X[w], Y[w], X[a], Y[a], X[b], Y[b], out double t);
                if (d >= _sep)
                {
                    continue;
                }

                double da = Dist(w, a), db = Dist(w, b);
                bool passes = da >= _sep && db >= _sep;
                bool touches = d < ContactM && da >= AirwayNetworkGenerator.MergeDistanceM && db >= AirwayNetworkGenerator.MergeDistanceM;
                if (passes || touches)
                {
                    found.Add((t, w));
                }
            }

            if (found.Count == 0)
            {
                continue;
            }

            found.Sort();
            if (!ChainFree(a, b, found))
            {
                // Try the nearest one alone.
                (double T, int Node) best = found[0];
                double bestD = double.PositiveInfinity;
                foreach (var f in found)
                {
                    double d = Planar.PointSegmentDistance(X[f.Node], Y[f.Node], X[a], Y[a], X[b], Y[b], out _);
                    if (d < bestD)
                    {
                        bestD = d;
                        best = f;
                    }
                }

                found.Clear();
                found.Add(best);
                if (!ChainFree(a, b, found))
                {
                    continue;
                }
            }

            splits[s] = [.. found];
            changed = true;
        }

        if (!changed)
        {
            return false;
        }

        var segments = new List<(int, int)>(SegA.Count * 2);
        for (int s = 0; s < splits.Length; s++)
        {
            AppendChain(segments, s, splits[s]);
        }

        Rebuild(segments);
        return true;
    }

    // The end of a–b or c–d nearest (px, py) when within MergeDistanceM of it, else −1.
    private int NearestEnd(double px, double py, int a, int b, int c, int d)
    {
        int best = -1;
        double bestD = AirwayNetworkGenerator.MergeDistanceM;
        foreach (int v in (ReadOnlySpan<int>)[a, b, c, d])
        {
            double dv = Math.Sqrt(((X[v] - px) * (X[v] - px)) + ((Y[v] - py) * (Y[v] - py)));
            if (dv < bestD)
            {
                bestD = dv;
                best = v;
            }
        }

        return best;
    }

    private bool ChainFree(int a, int b, List<(double T, int Node)> via)
    {
        int prev = a;
        foreach ((_, int w) in via)
        {
            if (!_field.SegmentFree(X[prev], Y[prev], X[w], Y[w]))
            {
                return false;
            }

            prev = w;
        }

        return _field.SegmentFree(X[prev], Y[prev], X[b], Y[b]);
    }

    private void AppendChain(List<(int, int)> segments, int s, List<(double T, int Node)>? via)
    {
        int a = SegA[s], b = SegB[s];
        if (via is null)
        {
            segments.Add((a, b));
            return;
        }

        via.Sort();
        int prev = a;
        foreach ((_, int w) in via)
        {
            if (w != prev)
            {
                segments.Add((prev, w));
                prev = w;
            }
        }

        segments.Add((prev, b));
    }

    private List<int>[] Incidence()
    {
        var incident = new List<int>[X.Count];
        for (int v = 0; v < incident.Length; v++)
        {
            incident[v] = [];
        }

        for (int s = 0; s < SegA.Count; s++)
        {
            incident[SegA[s]].Add(s);
            incident[SegB[s]].Add(s);
        }

        return incident;
    }

    private static int LowerBound(double[] keys, double value)
    {
        int lo = 0, hi = keys.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < value)
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

    private static long Key(int a, int b) => ((long)a << 32) | (uint)b;
}
