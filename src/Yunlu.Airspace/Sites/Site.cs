using Yunlu.Geo;

namespace Yunlu.Airspace.Sites;

/// <summary>What a named place on the map is for.</summary>
public enum SiteKind
{
    /// <summary>A vertiport or take-off/landing pad (起降场).</summary>
    Vertiport,

    /// <summary>A logistics hub (物流枢纽).</summary>
    LogisticsHub,

    /// <summary>A delivery drop point.</summary>
    DropPoint,

    /// <summary>A point of interest for sightseeing flights.</summary>
    PointOfInterest,

    /// <summary>A flight-training area or flight camp.</summary>
    TrainingArea,

    /// <summary>An airport (manned aviation).</summary>
    Airport,
}

/// <summary>A named place: vertiport, hub, drop point, point of interest.</summary>
/// <param name="Id">Stable identifier.</param>
/// <param name="Name">Display name (may be Chinese).</param>
/// <param name="Kind">What the site is.</param>
/// <param name="Position">Where it is.</param>
/// <param name="Description">Optional description.</param>
public sealed record Site(string Id, string Name, SiteKind Kind, GeoPoint Position, string? Description);
