using Yunlu.Airspace.Corridors;
using Yunlu.Terrain.Weather;

namespace Yunlu.Storage.Airspace;

/// <summary>
/// The airspace-planning additions to the store (schema migration 4): the airway graph (nodes and corridors), managers'
/// grid-cell overrides, weather-station observations, and "as of" queries over the zone history. Implemented for SQLite
/// (<see cref="SqliteAirspaceStore"/>) and PostgreSQL (<see cref="PostgresAirspaceStore"/>) over the same database as
/// <see cref="IYunluStore"/> (which applies the migrations). Every write is atomic and durable when it returns.
/// </summary>
public interface IAirspaceStore : IAsyncDisposable
{
    /// <summary>The zones as they were recorded at <paramref name="asOf"/>: for every identifier, the latest history entry
    /// committed at or before that instant, unless it is a deletion. Ordered by identifier.</summary>
    Task<IReadOnlyList<ZoneHistoryEntry>> ListZonesAsOfAsync(DateTimeOffset asOf, CancellationToken cancellationToken);

    /// <summary>A cheap stamp that changes whenever zones, airway nodes, corridors, overrides or observations change
    /// (in any process sharing the database); used to cache derived airspace.</summary>
    Task<AirspaceStamp> GetStampAsync(CancellationToken cancellationToken);

    /// <summary>All airway nodes, ordered by id.</summary>
    Task<IReadOnlyList<AirwayNode>> ListAirwayNodesAsync(CancellationToken cancellationToken);

    /// <summary>All corridors, ordered by id.</summary>
    Task<IReadOnlyList<StoredCorridor>> ListCorridorsAsync(CancellationToken cancellationToken);

    /// <summary>One corridor, or null.</summary>
    Task<StoredCorridor?> GetCorridorAsync(string id, CancellationToken cancellationToken);

    /// <summary>Creates or replaces a corridor (version 1 on creation, +1 per change). The caller validates it against
    /// the airway graph first.</summary>
    Task<StoredCorridor> UpsertCorridorAsync(Corridor corridor, string actor, CancellationToken cancellationToken);

    /// <summary>Deletes a corridor; false when there was none.</summary>
    Task<bool> DeleteCorridorAsync(string id, CancellationToken cancellationToken);

    /// <summary>Creates or replaces airway nodes and corridors in one transaction (an import).</summary>
    Task ImportAirwaysAsync(IReadOnlyList<AirwayNode> nodes, IReadOnlyList<Corridor> corridors, string actor, CancellationToken cancellationToken);

    /// <summary>Grid-cell overrides, at one level or all (null), ordered by code.</summary>
    Task<IReadOnlyList<StoredGridOverride>> ListGridOverridesAsync(int? level, CancellationToken cancellationToken);

    /// <summary>Creates or replaces the override of one cell.</summary>
    Task<StoredGridOverride> UpsertGridOverrideAsync(StoredGridOverride value, CancellationToken cancellationToken);

    /// <summary>Removes the override of one cell; false when there was none.</summary>
    Task<bool> DeleteGridOverrideAsync(string code, CancellationToken cancellationToken);

    /// <summary>Stores observations in one transaction; returns how many.</summary>
    Task<int> AddWeatherObservationsAsync(IReadOnlyList<WeatherObservation> observations, string actor, CancellationToken cancellationToken);

    /// <summary>Observations with <paramref name="from"/> ≤ time ≤ <paramref name="to"/> (open ends when null), ordered by
    /// station then time.</summary>
    Task<IReadOnlyList<WeatherObservation>> ListWeatherObservationsAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken);
}

/// <summary>What the airspace data looked like: the last zone-history entry and the airspace revision counter.</summary>
/// <param name="ZoneHistoryId">Largest zone-history id (0 when none).</param>
/// <param name="Revision">Incremented by every write of <see cref="IAirspaceStore"/>.</param>
public readonly record struct AirspaceStamp(long ZoneHistoryId, long Revision);

/// <summary>A stored corridor with its version and last change.</summary>
/// <param name="Corridor">The corridor.</param>
/// <param name="Version">1 on creation, +1 per change.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="UpdatedBy">Who changed it.</param>
public sealed record StoredCorridor(Corridor Corridor, long Version, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>A manager's override of one grid cell.</summary>
/// <param name="Code">The 2-D cell code (its length gives the level).</param>
/// <param name="Level">Grid level 1–10.</param>
/// <param name="Status"><c>open</c>, <c>restricted</c>, <c>closed</c> or null (keep the derived status).</param>
/// <param name="CapacityPerHour">Capacity, or null (keep the derived capacity).</param>
/// <param name="Note">Why.</param>
/// <param name="UpdatedAt">When (set by the store on write).</param>
/// <param name="UpdatedBy">Who.</param>
public sealed record StoredGridOverride(string Code, int Level, string? Status, int? CapacityPerHour, string? Note, DateTimeOffset UpdatedAt, string UpdatedBy);
