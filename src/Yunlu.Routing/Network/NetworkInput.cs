using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Terrain;

namespace Yunlu.Routing.Network;

/// <summary>A vertiport the network must join.</summary>
/// <param name="Id">Stable identifier (kept as the airway node id).</param>
/// <param name="Name">Display name.</param>
/// <param name="Position">WGS84 lon/lat degrees.</param>
public sealed record NetworkVertiport(string Id, string Name, GeoPoint Position);

/// <summary>An area no corridor may enter (a prohibited zone or a tall obstacle), before the lateral clearance is added.</summary>
/// <param name="Id">Identifier, used in messages.</param>
/// <param name="Footprint">Horizontal shape, lon/lat.</param>
public sealed record NetworkKeepOut(string Id, Footprint Footprint)
{
    /// <summary>The zones whose restriction is in <paramref name="avoid"/> (default: prohibited only), whatever their
    /// schedule: a network is permanent, so a zone that is ever active keeps corridors out.</summary>
    /// <param name="zones">Zones.</param>
    /// <param name="avoid">Restrictions to keep out of; null means <see cref="ZoneRestriction.Prohibited"/>.</param>
    public static IReadOnlyList<NetworkKeepOut> FromZones(IEnumerable<Zone> zones, IReadOnlyCollection<ZoneRestriction>? avoid = null)
    {
        ArgumentNullException.ThrowIfNull(zones);
        var list = new List<NetworkKeepOut>();
        foreach (Zone z in zones)
        {
            bool hit = avoid is null ? z.Restriction == ZoneRestriction.Prohibited : avoid.Contains(z.Restriction);
            if (hit)
            {
                list.Add(new NetworkKeepOut(z.Identifier, z.Footprint));
            }
        }

        return list;
    }

    /// <summary>The obstacles too tall for the lowest layer: height + <see cref="NetworkOptions.VerticalClearanceM"/> above
    /// its floor. Lower ones are cleared vertically by every layer.</summary>
    /// <param name="obstacles">Obstacles (heights above ground).</param>
    /// <param name="options">Layer and clearance settings.</param>
    public static IReadOnlyList<NetworkKeepOut> FromObstacles(IEnumerable<Obstacle> obstacles, NetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(obstacles);
        ArgumentNullException.ThrowIfNull(options);
        var list = new List<NetworkKeepOut>();
        foreach (Obstacle o in obstacles)
        {
            if (o.HeightM + options.VerticalClearanceM > options.LowestFloorAglM)
            {
                list.Add(new NetworkKeepOut(o.Id, new PolygonFootprint(o.Footprint)));
            }
        }

        return list;
    }
}

/// <summary>Expected traffic from one vertiport to another.</summary>
/// <param name="OriginId">Origin vertiport id.</param>
/// <param name="DestinationId">Destination vertiport id.</param>
/// <param name="Flights">Flights per period (any unit; only ratios matter), ≥ 0.</param>
public readonly record struct OdDemand(string OriginId, string DestinationId, double Flights);

/// <summary>What the generator joins.</summary>
/// <param name="Vertiports">At least two vertiports, ids unique, at least 1 m apart, outside every keep-out plus clearance.</param>
/// <param name="KeepOuts">Areas to avoid.</param>
/// <param name="Demand">Optional origin–destination demand (empty: every pair weighs the same).</param>
public sealed record NetworkInput(IReadOnlyList<NetworkVertiport> Vertiports, IReadOnlyList<NetworkKeepOut> KeepOuts, IReadOnlyList<OdDemand> Demand);

/// <summary>Bad generator input; <see cref="Errors"/> name the field and the rule.</summary>
public sealed class NetworkInputException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errors">Each error names its field and rule.</param>
    public NetworkInputException(IReadOnlyList<string> errors)
        : base("The network input is invalid: " + string.Join("; ", errors ?? []))
    {
        Errors = errors ?? [];
    }

    /// <summary>Creates the exception.</summary>
    public NetworkInputException()
        : this([])
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public NetworkInputException(string message)
        : this([message])
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="inner">Inner exception.</param>
    public NetworkInputException(string message, Exception inner)
        : base(message, inner)
    {
        Errors = [message];
    }

    /// <summary>The errors.</summary>
    public IReadOnlyList<string> Errors { get; }
}
