namespace Yunlu.Airspace.Indexing;

/// <summary>
/// A static, Sort-Tile-Recursive packed R-tree over axis-aligned boxes, with every level's bounds in flat arrays
/// (the layout of NetTopologySuite's HPRtree; packing after Leutenegger, Lopez &amp; Edgington, "STR: A Simple and
/// Efficient Algorithm for R-Tree Packing", ICDE 1997).
/// </summary>
/// <remarks>
/// Items are identified by their index in the input. Build is O(n log n); a query visits O(log n + k) nodes and
/// allocates nothing beyond the caller's result list. Boxes are closed: a query box that touches an item box reports
/// it. Immutable and safe for concurrent queries.
/// </remarks>
public sealed class PackedRTree
{
    /// <summary>Children per node.</summary>
    public const int NodeCapacity = 16;

    // Level 0 = leaves (the items in packed order); level k nodes cover NodeCapacity children of level k-1.
    private readonly double[][] _minX;
    private readonly double[][] _minY;
    private readonly double[][] _maxX;
    private readonly double[][] _maxY;
    private readonly int[] _itemOf;

    /// <summary>Builds the tree.</summary>
    /// <param name="minX">West / min X of each item.</param>
    /// <param name="minY">South / min Y of each item.</param>
    /// <param name="maxX">East / max X of each item.</param>
    /// <param name="maxY">North / max Y of each item.</param>
    public PackedRTree(ReadOnlySpan<double> minX, ReadOnlySpan<double> minY, ReadOnlySpan<double> maxX, ReadOnlySpan<double> maxY)
    {
        int n = minX.Length;
        if (minY.Length != n || maxX.Length != n || maxY.Length != n)
        {
            throw new ArgumentException("all four bound arrays must have the same length", nameof(minY));
        }

        Count = n;
        var order = new int[n];
        var cx = new double[n];
        var cy = new double[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
            cx[i] = minX[i] + maxX[i];
            cy[i] = minY[i] + maxY[i];
        }

        // STR: sort by x centre, cut into √(n/M) vertical slices, sort each slice by y centre.
        Array.Sort(cx, order);
        int leafNodes = (n + NodeCapacity - 1) / NodeCapacity;
        int slices = Math.Max(1, (int)Math.Ceiling(Math.Sqrt(leafNodes)));
        int perSlice = slices * NodeCapacity == 0 ? n : (int)Math.Ceiling((double)n / slices);
        perSlice = Math.Max(NodeCapacity, ((perSlice + NodeCapacity - 1) / NodeCapacity) * NodeCapacity);
        var keys = new double[n];
        for (int i = 0; i < n; i++)
        {
            keys[i] = cy[order[i]];
        }

        for (int s = 0; s < n; s += perSlice)
        {
            int len = Math.Min(perSlice, n - s);
            Array.Sort(keys, order, s, len);
        }

        _itemOf = order;
        var levels = new List<(double[] a, double[] b, double[] c, double[] d)>();
        var l0 = (new double[n], new double[n], new double[n], new double[n]);
        for (int i = 0; i < n; i++)
        {
            int k = order[i];
            l0.Item1[i] = minX[k];
            l0.Item2[i] = minY[k];
            l0.Item3[i] = maxX[k];
            l0.Item4[i] = maxY[k];
        }

        levels.Add(l0);
        while (levels[^1].a.Length > 1)
        {
            (double[] a, double[] b, double[] c, double[] d) prev = levels[^1];
            int m = (prev.a.Length + NodeCapacity - 1) / NodeCapacity;
            var next = (new double[m], new double[m], new double[m], new double[m]);
            for (int i = 0; i < m; i++)
            {
                double x0 = double.PositiveInfinity, y0 = double.PositiveInfinity, x1 = double.NegativeInfinity, y1 = double.NegativeInfinity;
                int end = Math.Min(prev.a.Length, (i + 1) * NodeCapacity);
                for (int j = i * NodeCapacity; j < end; j++)
                {
                    x0 = Math.Min(x0, prev.a[j]);
                    y0 = Math.Min(y0, prev.b[j]);
                    x1 = Math.Max(x1, prev.c[j]);
                    y1 = Math.Max(y1, prev.d[j]);
                }

                next.Item1[i] = x0;
                next.Item2[i] = y0;
                next.Item3[i] = x1;
                next.Item4[i] = y1;
            }

            levels.Add(next);
        }

        _minX = new double[levels.Count][];
        _minY = new double[levels.Count][];
        _maxX = new double[levels.Count][];
        _maxY = new double[levels.Count][];
        for (int i = 0; i < levels.Count; i++)
        {
            (_minX[i], _minY[i], _maxX[i], _maxY[i]) = levels[i];
        }
    }

    /// <summary>Number of items.</summary>
    public int Count { get; }

    /// <summary>Adds to <paramref name="results"/> the index of every item whose closed box meets the closed query box
    /// (order unspecified, each item once).</summary>
    /// <param name="minX">Query min X.</param>
    /// <param name="minY">Query min Y.</param>
    /// <param name="maxX">Query max X.</param>
    /// <param name="maxY">Query max Y.</param>
    /// <param name="results">Receives item indices.</param>
    public void Query(double minX, double minY, double maxX, double maxY, List<int> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (Count == 0)
        {
            return;
        }

        // Depth-first over (level, node) with a small fixed stack: depth ≤ log16(n) + 1, each level pushes ≤ 16.
        int top = _minX.Length - 1;
        Span<int> stackLevel = stackalloc int[16 * 12];
        Span<int> stackNode = stackalloc int[16 * 12];
        int sp = 0;
        stackLevel[sp] = top;
        stackNode[sp] = 0;
        sp++;
        while (sp > 0)
        {
            sp--;
            int level = stackLevel[sp];
            int node = stackNode[sp];
            if (_minX[level][node] > maxX || _maxX[level][node] < minX || _minY[level][node] > maxY || _maxY[level][node] < minY)
            {
                continue;
            }

            if (level == 0)
            {
                results.Add(_itemOf[node]);
                continue;
            }

            int child = level - 1;
            int end = Math.Min(_minX[child].Length, (node + 1) * NodeCapacity);
            for (int j = node * NodeCapacity; j < end; j++)
            {
                stackLevel[sp] = child;
                stackNode[sp] = j;
                sp++;
            }
        }
    }
}
