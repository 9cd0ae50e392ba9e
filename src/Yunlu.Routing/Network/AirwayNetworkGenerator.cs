using System.Globalization;
using NetTopologySuite.Geometries;
using Yunlu.Geo;

namespace Yunlu.Routing.Network;

/// <summary>
/// Generates an airway network joining vertiports: corridors that avoid keep-out areas (prohibited zones, tall obstacles)
/// by a lateral clearance, keep every vertiport pair's detour within a target, have no same-layer crossing outside a
/// junction node, keep same-layer centre-lines apart by the lateral separation, and fly opposite headings in different
/// true-height layers below the ceiling.
/// </summary>
/// <remarks>
/// <para>Steps, in a local tangent plane at the mean vertiport position:</para>
/// <list type="number">
/// <item>Free routes: a visibility graph over the vertiports and the convex bend points of the buffered keep-outs
/// (Lozano-Pérez &amp; Wesley 1979); Dijkstra from each vertiport gives every pair's obstacle-avoiding shortest path —
/// the free-route optimum detours are measured against. O((n+m)² · e) for n vertiports, m bend points, e keep-out edges.</item>
/// <item>Greedy spanner (Althöfer, Das, Dobkin, Joseph &amp; Soares, "On sparse spanners of weighted graphs", DCG 1993):
/// pairs in increasing free distance; a pair whose current network distance exceeds t × its free distance gets its free
/// route as a new edge. Every pair ends within its t (<see cref="NetworkOptions.DetourTarget"/>, or the tighter
/// <see cref="NetworkOptions.DemandDetourTarget"/> for pairs with demand); the greedy spanner is light (close to the MST
/// in total length for Euclidean inputs), which is the length side of the length + detour objective.</item>
/// <item>Clean-up, repeated until nothing changes: same-layer crossings become junction nodes (both segments split);
/// a node closer than the lateral separation to a same-layer segment it does not end at is put on that segment (the
/// corridors merge there instead of passing too close), and so is a node a same-layer segment touches however near its
/// ends (within 1 mm: a T-contact or a collinear overlap, which no proper-crossing test sees); nodes closer than
/// <see cref="MergeDistanceM"/> merge.
/// Splitting never lengthens a path and only shortens some; snapping lengthens a segment by less than twice the separation.</item>
/// <item>Layers: a segment flown on heading h uses layer ⌊h·n/360⌋ of n; the reverse direction is n/2 layers away, so
/// opposing traffic is always vertically separated. One-way corridors are the chains of segments between key nodes
/// (vertiports, junctions, nodes where the layer changes).</item>
/// </list>
/// <para>Heights are true heights (AGL): layers follow the terrain, so terrain clearance is the lowest floor and the
/// ceiling holds everywhere by construction; obstacles taller than the lowest floor minus the vertical clearance are
/// keep-outs (see <see cref="NetworkKeepOut.FromObstacles"/>).</para>
/// </remarks>
public static class AirwayNetworkGenerator
{
    /// <summary>Nodes closer than this merge, metres (keeps every leg above the corridor model's 0.5 m minimum).</summary>
    public const double MergeDistanceM = 1.0;

    /// <summary>Least distance between two vertiports, metres.</summary>
    public const double MinVertiportSpacingM = 2 * MergeDistanceM;

    /// <summary>What detours are measured against.</summary>
    public const string FreeRouteReference = "obstacle-avoiding shortest path in the horizontal plane (visibility graph over keep-outs + lateral clearance, Dijkstra; the network's own path when shorter)";

    /// <summary>Generates the network.</summary>
    /// <param name="input">Vertiports, keep-outs, optional demand.</param>
    /// <param name="options">Settings.</param>
    /// <param name="progress">Optional progress sink.</param>
    /// <param name="cancellationToken">Cancels between steps.</param>
    /// <exception cref="NetworkInputException">Options or input break a rule (each error names the field), or two
    /// vertiports cannot be joined.</exception>
    public static AirwayNetwork Generate(NetworkInput input, NetworkOptions options, IProgress<NetworkProgress>? progress, CancellationToken cancellationToken) =>
        Generate(input, options, minimumSpanningTreeOnly: false, progress, cancellationToken);

    /// <summary>Generates the baseline network: the minimum spanning tree of the free routes (then cleaned up and
    /// layered the same way). For benchmarks and comparison.</summary>
    /// <param name="input">Vertiports, keep-outs, optional demand.</param>
    /// <param name="options">Settings (detour targets are ignored).</param>
    /// <param name="cancellationToken">Cancels between steps.</param>
    public static AirwayNetwork GenerateMinimumSpanningTree(NetworkInput input, NetworkOptions options, CancellationToken cancellationToken) =>
        Generate(input, options, minimumSpanningTreeOnly: true, null, cancellationToken);

    private static AirwayNetwork Generate(NetworkInput input, NetworkOptions options, bool minimumSpanningTreeOnly, IProgress<NetworkProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>(options.Validate());
        ValidateInput(input, errors);
        if (errors.Count > 0)
        {
            throw new NetworkInputException(errors);
        }

        IReadOnlyList<NetworkVertiport> vps = input.Vertiports;
        int n = vps.Count;
        double lon = 0, lat = 0;
        foreach (NetworkVertiport v in vps)
        {
            lon += v.Position.LonDeg;
            lat += v.Position.LatDeg;
        }

        var plane = new LocalTangentPlane(new GeoPoint(lon / n, lat / n));
        var vx = new double[n];
        var vy = new double[n];
        for (int i = 0; i < n; i++)
        {
            PlanarPoint q = plane.Forward(vps[i].Position);
            vx[i] = q.EastM;
            vy[i] = q.NorthM;
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                if (Math.Sqrt(Sq(vx[i] - vx[j]) + Sq(vy[i] - vy[j])) < MinVertiportSpacingM)
                {
                    errors.Add($"vertiports[{j}]: '{vps[j].Id}' is less than {MinVertiportSpacingM.ToString(CultureInfo.InvariantCulture)} m from '{vps[i].Id}' [spacing]");
                }
            }
        }

        var polys = new List<Polygon>(input.KeepOuts.Count);
        for (int k = 0; k < input.KeepOuts.Count; k++)
        {
            Polygon p = KeepOutField.ToPlane(input.KeepOuts[k].Footprint, plane);
            if (!p.IsValid)
            {
                errors.Add($"keepOuts[{k}]: '{input.KeepOuts[k].Id}' footprint is not a valid polygon (self-intersecting or degenerate) [polygon-valid]");
            }

            polys.Add(p);
        }

        if (errors.Count > 0)
        {
            throw new NetworkInputException(errors);
        }

        var field = new KeepOutField(polys, options.LateralClearanceM);
        for (int i = 0; i < n; i++)
        {
            if (!field.PointFree(vx[i], vy[i]))
            {
                var pt = new Point(vx[i], vy[i]);
                string which = "";
                for (int k = 0; k < polys.Count; k++)
                {
                    if (polys[k].Distance(pt) <= options.LateralClearanceM + 1e-6)
                    {
                        which = $" '{input.KeepOuts[k].Id}'";
                        break;
                    }
                }

                errors.Add($"vertiports[{i}]: '{vps[i].Id}' lies inside keep-out{which} or within its {options.LateralClearanceM.ToString(CultureInfo.InvariantCulture)} m lateral clearance [outside-keep-out]");
            }
        }

        if (errors.Count > 0)
        {
            throw new NetworkInputException(errors);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var free = FreeRoutes.Build(vx, vy, field, progress, cancellationToken);
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                if (double.IsPositiveInfinity(free.Distance(i, j)))
                {
                    throw new NetworkInputException([$"vertiports[{j}]: '{vps[j].Id}' cannot be reached from '{vps[i].Id}': keep-out areas separate them [reachable]"]);
                }
            }
        }

        double[,] demand = DemandMatrix(input, n);
        cancellationToken.ThrowIfCancellationRequested();
        List<(int I, int J)> edges = minimumSpanningTreeOnly
            ? MinimumSpanningTree(free, n)
            : GreedySpanner(free, n, demand, options, progress, cancellationToken);

        var graph = new PlanarGraph(field, options);
        for (int i = 0; i < n; i++)
        {
            graph.AddNode(vx[i], vy[i], NetworkNodeKind.Vertiport);
        }

        var cornerNode = new Dictionary<int, int>();
        var path = new List<int>();
        foreach ((int i, int j) in edges)
        {
            free.Path(i, j, path);
            int prev = -1;
            foreach (int vg in path)
            {
                int node;
                if (vg < n)
                {
                    node = vg;
                }
                else if (!cornerNode.TryGetValue(vg, out node))
                {
                    node = graph.AddNode(free.X[vg], free.Y[vg], NetworkNodeKind.Waypoint);
                    cornerNode[vg] = node;
                }

                if (prev >= 0 && prev != node)
                {
                    graph.AddSegment(prev, node);
                }

                prev = node;
            }
        }

        progress?.Report(new NetworkProgress("cleanup", 0));
        int rounds = graph.Cleanup(options.MaxCleanupRounds, progress, cancellationToken);
        progress?.Report(new NetworkProgress("report", 0));
        return Finish(plane, options, vps, graph, free, demand, rounds, input.KeepOuts.Count, field, cancellationToken);
    }

    private static void ValidateInput(NetworkInput input, List<string> errors)
    {
        if (input.Vertiports is null || input.Vertiports.Count < 2)
        {
            errors.Add("vertiports: at least two are needed [count]");
            return;
        }

        if (input.Vertiports.Count > 2000)
        {
            errors.Add($"vertiports: at most 2000 (got {input.Vertiports.Count}) [count]");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < input.Vertiports.Count; i++)
        {
            NetworkVertiport v = input.Vertiports[i];
            if (v is null || string.IsNullOrWhiteSpace(v.Id))
            {
                errors.Add($"vertiports[{i}].id: required [required]");
                continue;
            }

            if (!ids.Add(v.Id))
            {
                errors.Add($"vertiports[{i}].id: '{v.Id}' is used twice [duplicate]");
            }

            if (!v.Position.IsValid)
            {
                errors.Add($"vertiports[{i}].position: {v.Position} is not a valid lon/lat [position]");
            }
        }

        if (input.KeepOuts is null)
        {
            errors.Add("keepOuts: required (may be empty) [required]");
        }
        else
        {
            for (int k = 0; k < input.KeepOuts.Count; k++)
            {
                if (input.KeepOuts[k]?.Footprint is not (CircleFootprint or PolygonFootprint))
                {
                    errors.Add($"keepOuts[{k}].footprint: must be a circle or a polygon [required]");
                }
                else if (input.KeepOuts[k].Footprint.Validate() is { Count: > 0 } fe)
                {
                    errors.Add($"keepOuts[{k}].footprint: '{input.KeepOuts[k].Id}' {fe[0]} [footprint]");
                }
            }
        }

        if (input.Demand is null)
        {
            errors.Add("demand: required (may be empty) [required]");
            return;
        }

        for (int d = 0; d < input.Demand.Count; d++)
        {
            OdDemand od = input.Demand[d];
            if (od.OriginId is null || !ids.Contains(od.OriginId))
            {
                errors.Add($"demand[{d}].origin: '{od.OriginId}' is not a vertiport [unknown-vertiport]");
            }

            if (od.DestinationId is null || !ids.Contains(od.DestinationId))
            {
                errors.Add($"demand[{d}].destination: '{od.DestinationId}' is not a vertiport [unknown-vertiport]");
            }
            else if (string.Equals(od.OriginId, od.DestinationId, StringComparison.Ordinal))
            {
                errors.Add($"demand[{d}].destination: equals the origin [distinct]");
            }

            if (!(od.Flights >= 0) || !double.IsFinite(od.Flights))
            {
                errors.Add($"demand[{d}].flights: must be a finite number ≥ 0 [range]");
            }
        }
    }

    private static double[,] DemandMatrix(NetworkInput input, int n)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            index[input.Vertiports[i].Id] = i;
        }

        var m = new double[n, n];
        foreach (OdDemand od in input.Demand)
        {
            int a = index[od.OriginId], b = index[od.DestinationId];
            m[Math.Min(a, b), Math.Max(a, b)] += od.Flights;
        }

        return m;
    }

    private static List<(int I, int J)> MinimumSpanningTree(FreeRoutes free, int n)
    {
        // Prim on the complete graph of free-route distances, O(n²).
        var edges = new List<(int, int)>(n - 1);
        var inTree = new bool[n];
        var best = new double[n];
        var parent = new int[n];
        Array.Fill(best, double.PositiveInfinity);
        best[0] = 0;
        parent[0] = -1;
        for (int k = 0; k < n; k++)
        {
            int u = -1;
            for (int i = 0; i < n; i++)
            {
                if (!inTree[i] && (u < 0 || best[i] < best[u]))
                {
                    u = i;
                }
            }

            inTree[u] = true;
            if (parent[u] >= 0)
            {
                edges.Add((Math.Min(u, parent[u]), Math.Max(u, parent[u])));
            }

            for (int i = 0; i < n; i++)
            {
                double d = free.Distance(u, i);
                if (!inTree[i] && d < best[i])
                {
                    best[i] = d;
                    parent[i] = u;
                }
            }
        }

        return edges;
    }

    internal static double MstLength(FreeRoutes free, int n)
    {
        double sum = 0;
        foreach ((int i, int j) in MinimumSpanningTree(free, n))
        {
            sum += free.Distance(i, j);
        }

        return sum;
    }

    private static List<(int I, int J)> GreedySpanner(FreeRoutes free, int n, double[,] demand, NetworkOptions options, IProgress<NetworkProgress>? progress, CancellationToken cancellationToken)
    {
        var pairs = new List<(double D, int I, int J)>(n * (n - 1) / 2);
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                pairs.Add((free.Distance(i, j), i, j));
            }
        }

        pairs.Sort();
        var adj = new List<(int To, double W)>[n];
        for (int i = 0; i < n; i++)
        {
            adj[i] = [];
        }

        var dist = new double[n];
        Array.Fill(dist, double.PositiveInfinity);
        var touched = new List<int>(n);
        var queue = new PriorityQueue<int, double>();
        var edges = new List<(int, int)>();
        for (int p = 0; p < pairs.Count; p++)
        {
            if ((p & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new NetworkProgress("spanner", (double)p / pairs.Count));
            }

            (double d, int a, int b) = pairs[p];
            double t = demand[a, b] > 0 ? options.DemandDetourTarget : options.DetourTarget;
            double limit = t * d;

            // Dijkstra from a, stopped at b or beyond the limit.
            foreach (int x in touched)
            {
                dist[x] = double.PositiveInfinity;
            }

            touched.Clear();
            queue.Clear();
            dist[a] = 0;
            touched.Add(a);
            queue.Enqueue(a, 0);
            bool within = false;
            while (queue.TryDequeue(out int u, out double du))
            {
                if (du > dist[u])
                {
                    continue;
                }

                if (u == b)
                {
                    within = du <= limit;
                    break;
                }

                foreach ((int to, double w) in adj[u])
                {
                    double nd = du + w;
                    if (nd <= limit && nd < dist[to])
                    {
                        if (double.IsPositiveInfinity(dist[to]))
                        {
                            touched.Add(to);
                        }

                        dist[to] = nd;
                        queue.Enqueue(to, nd);
                    }
                }
            }

            if (!within)
            {
                adj[a].Add((b, d));
                adj[b].Add((a, d));
                edges.Add((a, b));
            }
        }

        return edges;
    }

    private static AirwayNetwork Finish(
        LocalTangentPlane plane, NetworkOptions options, IReadOnlyList<NetworkVertiport> vps, PlanarGraph graph, FreeRoutes free,
        double[,] demand, int rounds, int keepOutCount, KeepOutField field, CancellationToken cancellationToken)
    {
        int n = vps.Count;
        int k = options.HeadingLayers;

        // Final segments with their layers.
        var segs = new List<NetworkSegment>(graph.SegA.Count);
        for (int s = 0; s < graph.SegA.Count; s++)
        {
            int a = graph.SegA[s], b = graph.SegB[s];
            int lab = Planar.Layer(graph.X[a], graph.Y[a], graph.X[b], graph.Y[b], k);
            segs.Add(new NetworkSegment(a, b, Math.Sqrt(Sq(graph.X[a] - graph.X[b]) + Sq(graph.Y[a] - graph.Y[b])), lab, (lab + (k / 2)) % k));
        }

        // Degrees and key nodes.
        int nodeCount = graph.X.Count;
        var incident = new List<int>[nodeCount];
        for (int v = 0; v < nodeCount; v++)
        {
            incident[v] = [];
        }

        for (int s = 0; s < segs.Count; s++)
        {
            incident[segs[s].A].Add(s);
            incident[segs[s].B].Add(s);
        }

        var key = new bool[nodeCount];
        for (int v = 0; v < nodeCount; v++)
        {
            key[v] = v < n || incident[v].Count != 2 || LayerOut(segs[incident[v][0]], v) != LayerIn(segs[incident[v][1]], v);
        }

        // Nodes: vertiports keep their ids; junctions (degree ≥ 3 or key) get generated ids; plain bend points stay waypoints.
        var nodes = new List<NetworkNode>(nodeCount);
        int generated = 0;
        for (int v = 0; v < nodeCount; v++)
        {
            var pp = new PlanarPoint(graph.X[v], graph.Y[v]);
            GeoPoint g = plane.Inverse(pp);
            if (v < n)
            {
                nodes.Add(new NetworkNode(vps[v].Id, vps[v].Name, NetworkNodeKind.Vertiport, g, pp));
                continue;
            }

            generated++;
            string id = $"{options.IdPrefix}-N{generated.ToString("D4", CultureInfo.InvariantCulture)}";
            NetworkNodeKind kind = incident[v].Count >= 3 || graph.Kind[v] == NetworkNodeKind.Junction ? NetworkNodeKind.Junction : NetworkNodeKind.Waypoint;
            nodes.Add(new NetworkNode(id, kind == NetworkNodeKind.Junction ? "Junction " + id : "Waypoint " + id, kind, g, pp));
        }

        // Chains between key nodes → two one-way corridors each.
        var corridors = new List<NetworkCorridor>();
        var visited = new bool[segs.Count];
        int capacity = options.CorridorCapacityPerHour;
        int corridorNo = 0;
        for (int start = 0; start < nodeCount; start++)
        {
            if (!key[start])
            {
                continue;
            }

            foreach (int s0 in incident[start])
            {
                if (visited[s0])
                {
                    continue;
                }

                var chain = new List<int> { start };
                int cur = start, seg = s0;
                while (true)
                {
                    visited[seg] = true;
                    int next = segs[seg].A == cur ? segs[seg].B : segs[seg].A;
                    chain.Add(next);
                    if (key[next] || next == start)
                    {
                        break;
                    }

                    int other = incident[next][0] == seg ? incident[next][1] : incident[next][0];
                    cur = next;
                    seg = other;
                }

                if (chain[^1] == chain[0])
                {
                    // A loop back to its start: cut it at its middle node, which becomes a junction.
                    int mid = chain.Count / 2;
                    key[chain[mid]] = true;
                    nodes[chain[mid]] = nodes[chain[mid]] with { Kind = NetworkNodeKind.Junction, Name = "Junction " + nodes[chain[mid]].Id };
                    AddPair(chain.GetRange(0, mid + 1));
                    AddPair(chain.GetRange(mid, chain.Count - mid));
                }
                else
                {
                    AddPair(chain);
                }
            }
        }

        void AddPair(List<int> chain)
        {
            double len = 0;
            for (int i = 1; i < chain.Count; i++)
            {
                len += Math.Sqrt(Sq(graph.X[chain[i]] - graph.X[chain[i - 1]]) + Sq(graph.Y[chain[i]] - graph.Y[chain[i - 1]]));
            }

            int fwd = Planar.Layer(graph.X[chain[0]], graph.Y[chain[0]], graph.X[chain[1]], graph.Y[chain[1]], k);
            int first = chain[0], last = chain[^1];
            var back = new List<int>(chain);
            back.Reverse();
            corridorNo++;
            corridors.Add(new NetworkCorridor($"{options.IdPrefix}-C{corridorNo.ToString("D4", CultureInfo.InvariantCulture)}", first, last, chain.ToArray(), fwd, len, capacity));
            corridorNo++;
            corridors.Add(new NetworkCorridor($"{options.IdPrefix}-C{corridorNo.ToString("D4", CultureInfo.InvariantCulture)}", last, first, back.ToArray(), (fwd + (k / 2)) % k, len, capacity));
        }

        // A waypoint that ended up a corridor end is a junction in the corridor model.
        for (int v = n; v < nodeCount; v++)
        {
            if (key[v] && nodes[v].Kind == NetworkNodeKind.Waypoint)
            {
                nodes[v] = nodes[v] with { Kind = NetworkNodeKind.Junction, Name = "Junction " + nodes[v].Id };
            }
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Network distances: Dijkstra from each vertiport over the segments.
        var pairs = new List<PairDistance>(n * (n - 1) / 2);
        var dist = new double[nodeCount];
        var queue = new PriorityQueue<int, double>();
        for (int i = 0; i < n; i++)
        {
            Array.Fill(dist, double.PositiveInfinity);
            dist[i] = 0;
            queue.Clear();
            queue.Enqueue(i, 0);
            while (queue.TryDequeue(out int u, out double du))
            {
                if (du > dist[u])
                {
                    continue;
                }

                foreach (int s in incident[u])
                {
                    int to = segs[s].A == u ? segs[s].B : segs[s].A;
                    double nd = du + segs[s].LengthM;
                    if (nd < dist[to])
                    {
                        dist[to] = nd;
                        queue.Enqueue(to, nd);
                    }
                }
            }

            for (int j = i + 1; j < n; j++)
            {
                // The network's own path is obstacle-free too; when it beats the visibility graph (whose bend points sit a
                // margin outside the clearance) by a fraction of a metre, it is the better free-route reference.
                pairs.Add(new PairDistance(i, j, Math.Min(free.Distance(i, j), dist[j]), dist[j], demand[i, j]));
            }
        }

        var ratios = new double[pairs.Count];
        double sum = 0, wsum = 0, wtot = 0, max = 0;
        for (int p = 0; p < pairs.Count; p++)
        {
            double r = pairs[p].Detour;
            ratios[p] = r;
            sum += r;
            max = Math.Max(max, r);
            wsum += pairs[p].Demand * r;
            wtot += pairs[p].Demand;
        }

        Array.Sort(ratios);
        double mean = sum / pairs.Count;
        double p95 = ratios[Math.Max(0, (int)Math.Ceiling(0.95 * ratios.Length) - 1)];
        double length = 0, flightKm = 0;
        foreach (NetworkSegment s in segs)
        {
            length += s.LengthM;
        }

        foreach (NetworkCorridor c in corridors)
        {
            flightKm += c.CapacityPerHour * c.LengthM / 1000;
        }

        double mst = MstLength(free, n);
        int junctions = 0;
        foreach (NetworkNode node in nodes)
        {
            if (node.Kind == NetworkNodeKind.Junction)
            {
                junctions++;
            }
        }

        var layers = new List<NetworkLayer>(k);
        for (int l = 0; l < k; l++)
        {
            layers.Add(new NetworkLayer(l, options.LayerFloorAglM(l), options.LayerCeilingAglM(l), l * 360.0 / k, (l + 1) * 360.0 / k));
        }

        var report = new NetworkReport(
            n, nodeCount, junctions, segs.Count, corridors.Count, length, mst, length / mst, FreeRouteReference,
            mean, p95, max, wtot > 0 ? wsum / wtot : mean,
            graph.CountCrossings(), graph.CountSeparationViolations(), capacity, flightKm, rounds, keepOutCount);

        var rings = new List<IReadOnlyList<PlanarPoint>>();
        Geometry block = field.Blocking;
        for (int g = 0; g < block.NumGeometries; g++)
        {
            if (block.GetGeometryN(g) is Polygon poly && !poly.IsEmpty)
            {
                rings.Add(Ring(poly.Shell));
                for (int h = 0; h < poly.NumInteriorRings; h++)
                {
                    rings.Add(Ring(poly.GetInteriorRingN(h)));
                }
            }
        }

        return new AirwayNetwork(plane, options, nodes, segs, layers, corridors, pairs, report, rings);

        static PlanarPoint[] Ring(LineString r)
        {
            var pts = new PlanarPoint[r.NumPoints];
            for (int i = 0; i < pts.Length; i++)
            {
                pts[i] = new PlanarPoint(r.GetCoordinateN(i).X, r.GetCoordinateN(i).Y);
            }

            return pts;
        }

        int LayerOut(NetworkSegment s, int v) => s.A == v ? s.LayerAb : s.LayerBa;
        int LayerIn(NetworkSegment s, int v) => s.B == v ? s.LayerAb : s.LayerBa;
    }

    private static double Sq(double v) => v * v;
}
