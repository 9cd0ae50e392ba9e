using Yunlu.Geo;

namespace Yunlu.Airspace.Operations;

/// <summary>How a resolution removes the conflicts.</summary>
public enum ResolutionKind
{
    /// <summary>Start later (all volumes shifted by the same amount).</summary>
    StartTimeShift,

    /// <summary>Fly in another altitude layer.</summary>
    AltitudeLayer,

    /// <summary>Fly another route (from the routing module).</summary>
    Reroute,
}

/// <summary>A change that clears every blocking conflict: the new volumes, ready to resubmit.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Volumes">The changed volumes (checked clear against the index at the time of the search).</param>
/// <param name="Description">A readable summary.</param>
public sealed record Resolution(ResolutionKind Kind, IReadOnlyList<Volume4D> Volumes, string Description)
{
    /// <summary>For <see cref="ResolutionKind.StartTimeShift"/>: how much later.</summary>
    public TimeSpan? StartShift { get; init; }

    /// <summary>For <see cref="ResolutionKind.AltitudeLayer"/>: the layer index (0 = lowest).</summary>
    public int? AltitudeLayer { get; init; }

    /// <summary>For <see cref="ResolutionKind.Reroute"/>: the new route's identifier.</summary>
    public string? RouteRef { get; init; }
}

/// <summary>What <see cref="StrategicChecker.ResolveAsync"/> tries.</summary>
public sealed record ResolutionOptions
{
    /// <summary>Largest start-time shift considered; zero to skip shifting. Default 6 h.</summary>
    public TimeSpan MaxStartShift { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Ground height above the WGS84 ellipsoid at a point (metres), to try altitude layers; null to skip.</summary>
    public Func<GeoPoint, double>? GroundHeightW84M { get; init; }

    /// <summary>Altitude layer thickness, metres. Default 30.</summary>
    public double LayerHeightM { get; init; } = 30;

    /// <summary>Top of the highest layer, metres above ground. Default 120.</summary>
    public double MaxAglM { get; init; } = 120;

    /// <summary>The router to ask for a re-route (<see cref="IIntentRerouter"/>); null to skip.</summary>
    public IIntentRerouter? Reroute { get; init; }
}

/// <summary>New volumes proposed by a router.</summary>
/// <param name="Volumes">The volumes (W84).</param>
/// <param name="RouteRef">The route's identifier.</param>
/// <param name="Description">A readable summary.</param>
public sealed record RerouteProposal(IReadOnlyList<Volume4D> Volumes, string? RouteRef, string Description);
