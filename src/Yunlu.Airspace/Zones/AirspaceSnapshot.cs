using Yunlu.Geo;

namespace Yunlu.Airspace.Zones;

/// <summary>One stored version of a zone, as kept by the store's zone history (the store maps its own history rows
/// to this so that the airspace layer can answer "as of" questions without knowing the store).</summary>
/// <param name="Zone">The zone as it was after the change (for a deletion: the last state).</param>
/// <param name="Version">Version number the change produced.</param>
/// <param name="Deleted">True when the change deleted the zone.</param>
/// <param name="ChangedAt">When the change was committed.</param>
/// <param name="Actor">Who made it.</param>
public sealed record ZoneVersion(Zone Zone, long Version, bool Deleted, DateTimeOffset ChangedAt, string Actor);

/// <summary>
/// The airspace as it was or will be at an instant: the zones whose schedule applies then. Built from a zone list
/// (the current definitions) or from zone history (the definitions as they were recorded at an "as of" instant).
/// </summary>
public sealed class AirspaceSnapshot
{
    private AirspaceSnapshot(DateTimeOffset at, DateTimeOffset? definitionsAsOf, IReadOnlyList<Zone> zones)
    {
        At = at;
        RecordedAsOf = definitionsAsOf;
        Zones = zones;
    }

    /// <summary>The instant the schedules were evaluated at.</summary>
    public DateTimeOffset At { get; }

    /// <summary>The instant the zone definitions were taken as of (null: the definitions given).</summary>
    public DateTimeOffset? RecordedAsOf { get; }

    /// <summary>The zones active at <see cref="At"/>, ordered by identifier (ordinal).</summary>
    public IReadOnlyList<Zone> Zones { get; }

    /// <summary>The zones of <paramref name="zones"/> active at <paramref name="at"/>.</summary>
    /// <param name="zones">Zone definitions.</param>
    /// <param name="at">The instant.</param>
    public static AirspaceSnapshot Create(IEnumerable<Zone> zones, DateTimeOffset at) => Build(zones, at, null);

    /// <summary>
    /// The airspace as recorded at <paramref name="asOf"/>: for each zone identifier the latest version changed at or
    /// before <paramref name="asOf"/> (skipped when that version is a deletion), then only the zones active at
    /// <paramref name="activeAt"/> (default: <paramref name="asOf"/>).
    /// </summary>
    /// <param name="history">Zone versions of any number of zones, in any order.</param>
    /// <param name="asOf">The instant whose definitions are wanted.</param>
    /// <param name="activeAt">The instant the schedules are evaluated at; <paramref name="asOf"/> when null.</param>
    public static AirspaceSnapshot FromHistory(IEnumerable<ZoneVersion> history, DateTimeOffset asOf, DateTimeOffset? activeAt = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        return Build(DefinitionsAsOf(history, asOf), activeAt ?? asOf, asOf);
    }

    /// <summary>For each identifier, the latest non-deleted definition changed at or before <paramref name="asOf"/>
    /// (ties on the instant are broken by the higher version).</summary>
    /// <param name="history">Zone versions.</param>
    /// <param name="asOf">The instant.</param>
    public static IReadOnlyList<Zone> DefinitionsAsOf(IEnumerable<ZoneVersion> history, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(history);
        var latest = new Dictionary<string, ZoneVersion>(StringComparer.Ordinal);
        foreach (ZoneVersion v in history)
        {
            if (v.ChangedAt > asOf)
            {
                continue;
            }

            if (!latest.TryGetValue(v.Zone.Identifier, out ZoneVersion? cur) ||
                v.ChangedAt > cur.ChangedAt || (v.ChangedAt == cur.ChangedAt && v.Version > cur.Version))
            {
                latest[v.Zone.Identifier] = v;
            }
        }

        var result = new List<Zone>(latest.Count);
        foreach (ZoneVersion v in latest.Values)
        {
            if (!v.Deleted)
            {
                result.Add(v.Zone);
            }
        }

        result.Sort(static (a, b) => string.CompareOrdinal(a.Identifier, b.Identifier));
        return result;
    }

    /// <summary>True when a zone with this identifier is active in the snapshot.</summary>
    /// <param name="identifier">Zone identifier.</param>
    public bool Contains(string identifier)
    {
        foreach (Zone z in Zones)
        {
            if (string.Equals(z.Identifier, identifier, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The active zones whose closed footprint contains <paramref name="p"/>.</summary>
    /// <param name="p">The point.</param>
    public IReadOnlyList<Zone> ZonesAt(GeoPoint p)
    {
        var result = new List<Zone>();
        foreach (Zone z in Zones)
        {
            if (z.Footprint.Contains(p))
            {
                result.Add(z);
            }
        }

        return result;
    }

    private static AirspaceSnapshot Build(IEnumerable<Zone> zones, DateTimeOffset at, DateTimeOffset? asOf)
    {
        ArgumentNullException.ThrowIfNull(zones);
        var active = new List<Zone>();
        foreach (Zone z in zones)
        {
            if (z.IsActiveAt(at))
            {
                active.Add(z);
            }
        }

        active.Sort(static (a, b) => string.CompareOrdinal(a.Identifier, b.Identifier));
        return new AirspaceSnapshot(at, asOf, active);
    }
}
