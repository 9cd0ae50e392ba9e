using Yunlu.Geo;

namespace Yunlu.Airspace.Corridors;

/// <summary>Which way traffic may use a corridor.</summary>
public enum CorridorDirection
{
    /// <summary>Only from <see cref="Corridor.FromNodeId"/> to <see cref="Corridor.ToNodeId"/>.</summary>
    OneWay,

    /// <summary>Both ways.</summary>
    TwoWay,
}

/// <summary>What an airway node is.</summary>
public enum AirwayNodeKind
{
    /// <summary>A vertiport or take-off/landing pad (起降场).</summary>
    Vertiport,

    /// <summary>A junction where corridors meet.</summary>
    Junction,
}

/// <summary>A node of the airway graph.</summary>
/// <param name="Id">Stable identifier.</param>
/// <param name="Name">Display name.</param>
/// <param name="Kind">Vertiport or junction.</param>
/// <param name="Position">Where it is.</param>
public sealed record AirwayNode(string Id, string Name, AirwayNodeKind Kind, GeoPoint Position);

/// <summary>The speeds allowed in a corridor, metres per second.</summary>
/// <param name="MinMps">Least ground speed, m/s (≥ 0).</param>
/// <param name="MaxMps">Greatest ground speed, m/s (≥ <paramref name="MinMps"/>).</param>
public readonly record struct SpeedBand(double MinMps, double MaxMps);

/// <summary>
/// A corridor (航路 / airway segment): a centre-line between two airway nodes, a width, a floor and a ceiling, a
/// direction, a speed band and a capacity.
/// </summary>
/// <remarks>The corridor is the set of points within <see cref="WidthM"/>/2 of the centre-line (measured in a local
/// metric frame, so its ends are rounded) between the floor (inclusive) and the ceiling (exclusive).</remarks>
/// <param name="Id">Stable identifier.</param>
/// <param name="Name">Display name.</param>
/// <param name="FromNodeId">Start node.</param>
/// <param name="ToNodeId">End node.</param>
/// <param name="CentreLine">Centre-line vertices, at least two, from the start node to the end node (lon/lat).</param>
/// <param name="WidthM">Full width, metres (&gt; 0).</param>
/// <param name="Floor">Floor, with its reference.</param>
/// <param name="Ceiling">Ceiling, with its reference; above the floor.</param>
/// <param name="Direction">One-way or two-way.</param>
/// <param name="Speed">Allowed speeds.</param>
/// <param name="CapacityPerHour">Flights per hour the corridor takes (≥ 0).</param>
public sealed record Corridor(
    string Id,
    string Name,
    string FromNodeId,
    string ToNodeId,
    IReadOnlyList<GeoPoint> CentreLine,
    double WidthM,
    Altitude Floor,
    Altitude Ceiling,
    CorridorDirection Direction,
    SpeedBand Speed,
    int CapacityPerHour);
