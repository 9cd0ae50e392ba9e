using System.Globalization;
using Yunlu.Airspace.Validation;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;

namespace Yunlu.Airspace.Corridors;

/// <summary>
/// The airway network: nodes (vertiports, junctions) joined by corridors, validated as a whole and held as an
/// adjacency list. Immutable.
/// </summary>
public sealed class AirwayGraph
{
    /// <summary>Least leg length accepted, metres (shorter legs are "zero-length").</summary>
    public const double MinLegLengthM = 0.5;

    /// <summary>Most distance allowed between a corridor's end and its node, metres.</summary>
    public const double MaxNodeGapM = 50;

    private readonly Dictionary<string, AirwayNode> _nodes;
    private readonly Dictionary<string, CorridorGeometry> _corridors;
    private readonly Dictionary<string, List<Corridor>> _outgoing;

    private AirwayGraph(IReadOnlyList<AirwayNode> nodes, IReadOnlyList<Corridor> corridors)
    {
        _nodes = new Dictionary<string, AirwayNode>(StringComparer.Ordinal);
        foreach (AirwayNode n in nodes)
        {
            _nodes[n.Id] = n;
        }

        _corridors = new Dictionary<string, CorridorGeometry>(StringComparer.Ordinal);
        _outgoing = new Dictionary<string, List<Corridor>>(StringComparer.Ordinal);
        foreach (Corridor c in corridors)
        {
            _corridors[c.Id] = new CorridorGeometry(c);
            Out(c.FromNodeId).Add(c);
            if (c.Direction == CorridorDirection.TwoWay)
            {
                Out(c.ToNodeId).Add(c);
            }
        }

        Nodes = nodes;
        Corridors = corridors;
    }

    /// <summary>All nodes.</summary>
    public IReadOnlyList<AirwayNode> Nodes { get; }

    /// <summary>All corridors.</summary>
    public IReadOnlyList<Corridor> Corridors { get; }

    /// <summary>Validates and builds the graph.</summary>
    /// <param name="nodes">Nodes.</param>
    /// <param name="corridors">Corridors.</param>
    /// <exception cref="AirspaceValidationException">Any rule is broken; lists every error.</exception>
    public static AirwayGraph Create(IReadOnlyList<AirwayNode> nodes, IReadOnlyList<Corridor> corridors)
    {
        IReadOnlyList<ValidationError> errors = Validate(nodes, corridors);
        if (errors.Count > 0)
        {
            throw new AirspaceValidationException("airway graph", errors);
        }

        return new AirwayGraph(nodes, corridors);
    }

    /// <summary>
    /// Checks nodes and corridors: unique ids, valid positions; corridors join existing nodes, start and end within
    /// <see cref="MaxNodeGapM"/> of them, have no leg shorter than <see cref="MinLegLengthM"/>, a width &gt; 0, a
    /// ceiling above the floor, a valid speed band and a capacity ≥ 0.
    /// </summary>
    /// <param name="nodes">Nodes.</param>
    /// <param name="corridors">Corridors.</param>
    public static IReadOnlyList<ValidationError> Validate(IReadOnlyList<AirwayNode> nodes, IReadOnlyList<Corridor> corridors)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(corridors);
        var errors = new List<ValidationError>();
        var byId = new Dictionary<string, AirwayNode>(StringComparer.Ordinal);
        for (int i = 0; i < nodes.Count; i++)
        {
            AirwayNode n = nodes[i];
            string f = $"nodes[{i}]";
            if (string.IsNullOrWhiteSpace(n.Id))
            {
                errors.Add(new ValidationError(f + ".id", ValidationRules.Required, "node id must not be empty"));
                continue;
            }

            if (!byId.TryAdd(n.Id, n))
            {
                errors.Add(new ValidationError(f + ".id", ValidationRules.Duplicate, $"node id '{n.Id}' is used twice"));
            }

            if (!n.Position.IsValid)
            {
                errors.Add(new ValidationError(f + ".position", ValidationRules.PositionInvalid, $"node {n.Id} position {n.Position} is not a valid lon/lat"));
            }
        }

        var corridorIds = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < corridors.Count; i++)
        {
            Corridor c = corridors[i];
            string f = $"corridors[{i}]";
            if (string.IsNullOrWhiteSpace(c.Id))
            {
                errors.Add(new ValidationError(f + ".id", ValidationRules.Required, "corridor id must not be empty"));
            }
            else if (!corridorIds.Add(c.Id))
            {
                errors.Add(new ValidationError(f + ".id", ValidationRules.Duplicate, $"corridor id '{c.Id}' is used twice"));
            }

            bool fromOk = byId.TryGetValue(c.FromNodeId ?? "", out AirwayNode? from);
            bool toOk = byId.TryGetValue(c.ToNodeId ?? "", out AirwayNode? to);
            if (!fromOk)
            {
                errors.Add(new ValidationError(f + ".fromNodeId", ValidationRules.UnknownNode, $"corridor {c.Id}: node '{c.FromNodeId}' does not exist"));
            }

            if (!toOk)
            {
                errors.Add(new ValidationError(f + ".toNodeId", ValidationRules.UnknownNode, $"corridor {c.Id}: node '{c.ToNodeId}' does not exist"));
            }

            if (fromOk && toOk && string.Equals(c.FromNodeId, c.ToNodeId, StringComparison.Ordinal))
            {
                errors.Add(new ValidationError(f + ".toNodeId", ValidationRules.ZeroLength, $"corridor {c.Id} starts and ends at the same node"));
            }

            if (!double.IsFinite(c.WidthM) || c.WidthM <= 0)
            {
                errors.Add(new ValidationError(f + ".widthM", ValidationRules.WidthNotPositive, $"corridor {c.Id}: width {Num(c.WidthM)} m must be > 0"));
            }

            if (c.CapacityPerHour < 0)
            {
                errors.Add(new ValidationError(f + ".capacityPerHour", ValidationRules.OutOfRange, $"corridor {c.Id}: capacity {c.CapacityPerHour} must be ≥ 0 flights/hour"));
            }

            if (!Enum.IsDefined(c.Direction))
            {
                errors.Add(new ValidationError(f + ".direction", ValidationRules.UnknownValue, $"corridor {c.Id}: direction must be OneWay or TwoWay"));
            }

            if (!(c.Speed.MinMps >= 0) || !(c.Speed.MaxMps >= c.Speed.MinMps) || !double.IsFinite(c.Speed.MaxMps))
            {
                errors.Add(new ValidationError(f + ".speed", ValidationRules.OutOfRange, $"corridor {c.Id}: speed band {Num(c.Speed.MinMps)}–{Num(c.Speed.MaxMps)} m/s must satisfy 0 ≤ min ≤ max"));
            }

            IReadOnlyList<GeoPoint>? line = c.CentreLine;
            ZoneValidator.ValidateBand(line is { Count: > 0 } && line[0].IsValid ? new CircleFootprint(line[0], 1) : null, c.Floor, c.Ceiling, f + ".floor", f + ".ceiling", null, errors);
            if (line is null || line.Count < 2)
            {
                errors.Add(new ValidationError(f + ".centreLine", ValidationRules.Required, $"corridor {c.Id}: the centre-line needs at least two points"));
                continue;
            }

            bool pointsOk = true;
            for (int k = 0; k < line.Count; k++)
            {
                if (!line[k].IsValid)
                {
                    errors.Add(new ValidationError($"{f}.centreLine[{k}]", ValidationRules.PositionInvalid, $"corridor {c.Id}: point {line[k]} is not a valid lon/lat"));
                    pointsOk = false;
                }
            }

            if (!pointsOk)
            {
                continue;
            }

            for (int k = 1; k < line.Count; k++)
            {
                double len = Geodesic.DistanceM(line[k - 1], line[k]);
                if (len < MinLegLengthM)
                {
                    errors.Add(new ValidationError($"{f}.centreLine[{k}]", ValidationRules.ZeroLength, $"corridor {c.Id}: leg {k} is {Num(len)} m long (at least {Num(MinLegLengthM)} m)"));
                }
            }

            if (fromOk && Geodesic.DistanceM(from!.Position, line[0]) > MaxNodeGapM)
            {
                errors.Add(new ValidationError(f + ".centreLine[0]", ValidationRules.OutOfRange, $"corridor {c.Id} starts {Num(Geodesic.DistanceM(from.Position, line[0]))} m from its node {from.Id} (at most {Num(MaxNodeGapM)} m)"));
            }

            if (toOk && Geodesic.DistanceM(to!.Position, line[^1]) > MaxNodeGapM)
            {
                errors.Add(new ValidationError($"{f}.centreLine[{line.Count - 1}]", ValidationRules.OutOfRange, $"corridor {c.Id} ends {Num(Geodesic.DistanceM(to.Position, line[^1]))} m from its node {to.Id} (at most {Num(MaxNodeGapM)} m)"));
            }
        }

        return errors;
    }

    /// <summary>The node with this id, or null.</summary>
    /// <param name="id">Node id.</param>
    public AirwayNode? Node(string id) => _nodes.GetValueOrDefault(id);

    /// <summary>The geometry of the corridor with this id, or null.</summary>
    /// <param name="id">Corridor id.</param>
    public CorridorGeometry? Geometry(string id) => _corridors.GetValueOrDefault(id);

    /// <summary>Corridors that may be flown away from <paramref name="nodeId"/> (one-way ones only from their start).</summary>
    /// <param name="nodeId">Node id.</param>
    public IReadOnlyList<Corridor> Outgoing(string nodeId) => _outgoing.TryGetValue(nodeId, out List<Corridor>? list) ? list : [];

    /// <summary>The node reached by flying <paramref name="corridor"/> away from <paramref name="fromNodeId"/>.</summary>
    /// <param name="corridor">The corridor.</param>
    /// <param name="fromNodeId">The node left.</param>
    public static string OtherEnd(Corridor corridor, string fromNodeId)
    {
        ArgumentNullException.ThrowIfNull(corridor);
        return string.Equals(corridor.FromNodeId, fromNodeId, StringComparison.Ordinal) ? corridor.ToNodeId : corridor.FromNodeId;
    }

    /// <summary>The corridors whose volume contains the point (horizontally within half the width, altitude in band).</summary>
    /// <param name="p">The point.</param>
    /// <param name="altitude">Its altitude.</param>
    /// <param name="converter">Altitude converter (ground data for AGL).</param>
    public IReadOnlyList<Corridor> CorridorsAt(GeoPoint p, Altitude altitude, AltitudeConverter converter)
    {
        var result = new List<Corridor>();
        foreach (Corridor c in Corridors)
        {
            if (_corridors[c.Id].Contains(p, altitude, converter))
            {
                result.Add(c);
            }
        }

        return result;
    }

    private List<Corridor> Out(string node)
    {
        if (!_outgoing.TryGetValue(node, out List<Corridor>? list))
        {
            list = [];
            _outgoing[node] = list;
        }

        return list;
    }

    private static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
