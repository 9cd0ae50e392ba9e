using Yunlu.Geo;

namespace Yunlu.Routing.Network;

/// <summary>What a node of a generated network is.</summary>
public enum NetworkNodeKind
{
    /// <summary>One of the input vertiports.</summary>
    Vertiport,

    /// <summary>Where same-layer corridors cross or meet (created by the generator).</summary>
    Junction,

    /// <summary>A bend point around a keep-out area.</summary>
    Waypoint,
}

/// <summary>A node of a generated network.</summary>
/// <param name="Id">Vertiport id, or a generated id (prefix + number).</param>
/// <param name="Name">Display name.</param>
/// <param name="Kind">Vertiport, junction or waypoint.</param>
/// <param name="Position">WGS84 lon/lat degrees.</param>
/// <param name="Plane">Position in the network's local tangent plane, metres.</param>
public sealed record NetworkNode(string Id, string Name, NetworkNodeKind Kind, GeoPoint Position, PlanarPoint Plane);

/// <summary>A straight piece of the network between two nodes, flown both ways (each way in its own heading layer).</summary>
/// <param name="A">First node index (the smaller).</param>
/// <param name="B">Second node index.</param>
/// <param name="LengthM">Horizontal length, metres.</param>
/// <param name="LayerAb">Layer of the direction A→B.</param>
/// <param name="LayerBa">Layer of the direction B→A (= (LayerAb + layers/2) mod layers).</param>
public readonly record struct NetworkSegment(int A, int B, double LengthM, int LayerAb, int LayerBa);

/// <summary>An altitude layer: a true-height band and the headings flown in it.</summary>
/// <param name="Index">0-based index.</param>
/// <param name="FloorAglM">Floor, metres true height.</param>
/// <param name="CeilingAglM">Ceiling, metres true height.</param>
/// <param name="FromHeadingDeg">Least heading (inclusive), degrees from north.</param>
/// <param name="ToHeadingDeg">Greatest heading (exclusive), degrees from north.</param>
public sealed record NetworkLayer(int Index, double FloorAglM, double CeilingAglM, double FromHeadingDeg, double ToHeadingDeg);

/// <summary>A one-way corridor of a generated network: a chain of segments between two key nodes (vertiports,
/// junctions, or where the heading layer changes) flown in one layer.</summary>
/// <param name="Id">Generated id.</param>
/// <param name="From">Start node index.</param>
/// <param name="To">End node index.</param>
/// <param name="NodePath">Node indices from start to end (≥ 2).</param>
/// <param name="Layer">Layer index.</param>
/// <param name="LengthM">Horizontal length, metres.</param>
/// <param name="CapacityPerHour">Flights per hour (from speed and longitudinal separation).</param>
public sealed record NetworkCorridor(string Id, int From, int To, IReadOnlyList<int> NodePath, int Layer, double LengthM, int CapacityPerHour);

/// <summary>One origin–destination pair's distances.</summary>
/// <param name="Origin">Vertiport index.</param>
/// <param name="Destination">Vertiport index (&gt; origin).</param>
/// <param name="FreeM">Free-route optimum: the obstacle-avoiding shortest path in the horizontal plane (visibility graph with bend points a small margin outside the clearance, or the network path when that is shorter), metres.</param>
/// <param name="NetworkM">Shortest path along the network's segments, metres.</param>
/// <param name="Demand">Demand both ways (0 without a matrix).</param>
public readonly record struct PairDistance(int Origin, int Destination, double FreeM, double NetworkM, double Demand)
{
    /// <summary>Detour ratio network / free (≥ 1).</summary>
    public double Detour => NetworkM / FreeM;
}

/// <summary>The figures of a generated network.</summary>
/// <param name="Vertiports">Vertiport count.</param>
/// <param name="Nodes">Node count (vertiports, junctions, waypoints).</param>
/// <param name="Junctions">Junction count.</param>
/// <param name="Segments">Straight segments (each flown both ways).</param>
/// <param name="Corridors">One-way corridors.</param>
/// <param name="NetworkLengthM">Sum of the segment lengths, metres (each flown both ways, counted once).</param>
/// <param name="MstLengthM">Minimum spanning tree of the vertiports under free-route distances, metres.</param>
/// <param name="LengthVsMst">NetworkLengthM / MstLengthM.</param>
/// <param name="FreeRouteReference">What the detours are measured against.</param>
/// <param name="MeanDetour">Mean network/free ratio over all unordered pairs.</param>
/// <param name="P95Detour">95th percentile (nearest rank) of the ratio.</param>
/// <param name="MaxDetour">Greatest ratio.</param>
/// <param name="DemandWeightedDetour">Demand-weighted mean ratio (equals the mean without a matrix).</param>
/// <param name="SameLayerCrossings">Same-layer segment pairs that meet away from a shared node (must be 0).</param>
/// <param name="SeparationViolations">Same-layer node–segment pairs closer than the lateral separation.</param>
/// <param name="CorridorCapacityPerHour">Flights per hour of each one-way corridor.</param>
/// <param name="TotalCapacityFlightKmPerHour">Sum over corridors of capacity × length, flight-kilometres per hour.</param>
/// <param name="CleanupRounds">Clean-up rounds run.</param>
/// <param name="KeepOutCount">Keep-out areas avoided.</param>
public sealed record NetworkReport(
    int Vertiports,
    int Nodes,
    int Junctions,
    int Segments,
    int Corridors,
    double NetworkLengthM,
    double MstLengthM,
    double LengthVsMst,
    string FreeRouteReference,
    double MeanDetour,
    double P95Detour,
    double MaxDetour,
    double DemandWeightedDetour,
    int SameLayerCrossings,
    int SeparationViolations,
    int CorridorCapacityPerHour,
    double TotalCapacityFlightKmPerHour,
    int CleanupRounds,
    int KeepOutCount);

/// <summary>A generated airway network: nodes, straight segments, heading layers, one-way corridors and the report.</summary>
public sealed class AirwayNetwork
{
    internal AirwayNetwork(
        LocalTangentPlane plane,
        NetworkOptions options,
        IReadOnlyList<NetworkNode> nodes,
        IReadOnlyList<NetworkSegment> segments,
        IReadOnlyList<NetworkLayer> layers,
        IReadOnlyList<NetworkCorridor> corridors,
        IReadOnlyList<PairDistance> pairs,
        NetworkReport report,
        IReadOnlyList<IReadOnlyList<PlanarPoint>> keepOutRings)
    {
        Plane = plane;
        Options = options;
        Nodes = nodes;
        Segments = segments;
        Layers = layers;
        Corridors = corridors;
        Pairs = pairs;
        Report = report;
        KeepOutRings = keepOutRings;
    }

    /// <summary>The local tangent plane the geometry was built in (origin: mean vertiport position).</summary>
    public LocalTangentPlane Plane { get; }

    /// <summary>The options used.</summary>
    public NetworkOptions Options { get; }

    /// <summary>Nodes; the first <see cref="NetworkReport.Vertiports"/> are the input vertiports in input order.</summary>
    public IReadOnlyList<NetworkNode> Nodes { get; }

    /// <summary>Straight segments.</summary>
    public IReadOnlyList<NetworkSegment> Segments { get; }

    /// <summary>Altitude layers, lowest first.</summary>
    public IReadOnlyList<NetworkLayer> Layers { get; }

    /// <summary>One-way corridors.</summary>
    public IReadOnlyList<NetworkCorridor> Corridors { get; }

    /// <summary>Every unordered vertiport pair with its free-route and network distances.</summary>
    public IReadOnlyList<PairDistance> Pairs { get; }

    /// <summary>The figures.</summary>
    public NetworkReport Report { get; }

    /// <summary>Boundary rings of the blocking set (keep-outs + lateral clearance) in the plane, metres.</summary>
    public IReadOnlyList<IReadOnlyList<PlanarPoint>> KeepOutRings { get; }
}

/// <summary>Progress of a generation run.</summary>
/// <param name="Stage">free-routes, spanner, geometry, cleanup, report.</param>
/// <param name="Fraction">0 to 1 within the stage.</param>
public readonly record struct NetworkProgress(string Stage, double Fraction);
