namespace Yunlu.Routing.Network;

/// <summary>
/// Obstacle-avoiding shortest paths between vertiports: a visibility graph over the vertiports (nodes 0..n−1) and the
/// keep-out bend points (n..), Dijkstra from every vertiport. Distances and predecessor trees are kept for path recovery.
/// </summary>
internal sealed class FreeRoutes
{
    private readonly double[] _dist; // n × N
    private readonly int[] _pred;    // n × N

    private FreeRoutes(double[] x, double[] y, double[] dist, int[] pred)
    {
        X = x;
        Y = y;
        _dist = dist;
        _pred = pred;
    }

    /// <summary>Node east coordinates (vertiports, then bend points), metres.</summary>
    public double[] X { get; }

    /// <summary>Node north coordinates, metres.</summary>
    public double[] Y { get; }

    public static FreeRoutes Build(double[] vx, double[] vy, KeepOutField field, IProgress<NetworkProgress>? progress, CancellationToken cancellationToken)
    {
        int n = vx.Length;
        int m = field.CornerX.Length;
        int total = n + m;
        var x = new double[total];
        var y = new double[total];
        Array.Copy(vx, x, n);
        Array.Copy(vy, y, n);
        Array.Copy(field.CornerX, 0, x, n, m);
        Array.Copy(field.CornerY, 0, y, n, m);

        // Visibility rows in parallel (each row i lists j > i); merged in order so the graph is deterministic.
        var rows = new List<int>[total];
        int done = 0;
        Parallel.For(0, total, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var row = new List<int>();
            for (int j = i + 1; j < total; j++)
            {
                if (field.SegmentFree(x[i], y[i], x[j], y[j]))
                {
                    row.Add(j);
                }
            }

            rows[i] = row;
            int d = Interlocked.Increment(ref done);
            if ((d & 63) == 0)
            {
                progress?.Report(new NetworkProgress("free-routes", 0.8 * d / total));
            }
        });

        // CSR adjacency.
        var degree = new int[total + 1];
        for (int i = 0; i < total; i++)
        {
            foreach (int j in rows[i])
            {
                degree[i]++;
                degree[j]++;
            }
        }

        var start = new int[total + 1];
        for (int i = 0; i < total; i++)
        {
            start[i + 1] = start[i] + degree[i];
        }

        var fill = new int[total];
        var to = new int[start[total]];
        var w = new double[start[total]];
        for (int i = 0; i < total; i++)
        {
            foreach (int j in rows[i])
            {
                double len = Math.Sqrt(((x[i] - x[j]) * (x[i] - x[j])) + ((y[i] - y[j]) * (y[i] - y[j])));
                int a = start[i] + fill[i]++;
                to[a] = j;
                w[a] = len;
                int b = start[j] + fill[j]++;
                to[b] = i;
                w[b] = len;
            }
        }

        var dist = new double[n * total];
        var pred = new int[n * total];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellationToken }, s =>
        {
            Span<double> d = dist.AsSpan(s * total, total);
            Span<int> p = pred.AsSpan(s * total, total);
            d.Fill(double.PositiveInfinity);
            p.Fill(-1);
            d[s] = 0;
            var queue = new PriorityQueue<int, double>();
            queue.Enqueue(s, 0);
            while (queue.TryDequeue(out int u, out double du))
            {
                if (du > dist[(s * total) + u])
                {
                    continue;
                }

                for (int e = start[u]; e < start[u + 1]; e++)
                {
                    double nd = du + w[e];
                    int v = to[e];
                    if (nd < dist[(s * total) + v])
                    {
                        dist[(s * total) + v] = nd;
                        pred[(s * total) + v] = u;
                        queue.Enqueue(v, nd);
                    }
                }
            }
        });
        progress?.Report(new NetworkProgress("free-routes", 1));
        return new FreeRoutes(x, y, dist, pred);
    }

    /// <summary>Free-route distance between vertiports i and j, metres (∞ when separated).</summary>
    public double Distance(int i, int j) => _dist[(i * X.Length) + j];

    /// <summary>The visibility-graph nodes of the shortest path from vertiport i to vertiport j, i first.</summary>
    public void Path(int i, int j, List<int> into)
    {
        into.Clear();
        int total = X.Length;
        for (int v = j; v >= 0; v = _pred[(i * total) + v])
        {
            into.Add(v);
            if (v == i)
            {
                break;
            }
        }

        into.Reverse();
    }
}
