using Yunlu.Geo;
using Yunlu.Geo.Grid;

namespace Yunlu.Airspace.Operations;

/// <summary>What an intent conflicts with.</summary>
public enum ConflictKind
{
    /// <summary>Another booked operational intent.</summary>
    Intent,

    /// <summary>A zone active during the volume's window.</summary>
    Zone,

    /// <summary>A grid cell already at its capacity.</summary>
    CellCapacity,
}

/// <summary>
/// One conflict found by <see cref="StrategicChecker"/>: which of our volumes, with what (intent, zone or cell),
/// where (a box containing the shared region) and when (the overlap of the windows).
/// </summary>
/// <param name="Kind">What it conflicts with.</param>
/// <param name="VolumeIndex">Which of the checked intent's volumes.</param>
/// <param name="Blocking">True when it prevents acceptance; false for information (e.g. a lower-priority intent that
/// has to give way, an advisory zone).</param>
/// <param name="Where">The intersection of the two bounding boxes (lon/lat), a box containing the shared region.</param>
/// <param name="When">The overlap of the two time windows (for capacity: the part of our window in which the cell is full).</param>
/// <param name="OtherTime">The other party's window (intent volume, zone, or the run in which the cell is full); a
/// start-time shift clears this conflict once our volume starts at its end.</param>
/// <param name="Reason">A readable explanation.</param>
public sealed record Conflict(ConflictKind Kind, int VolumeIndex, bool Blocking, GeoBounds Where, TimeWindow When, TimeWindow OtherTime, string Reason)
{
    /// <summary>The other intent (for <see cref="ConflictKind.Intent"/>).</summary>
    public Guid? IntentId { get; init; }

    /// <summary>The other intent's volume index (for <see cref="ConflictKind.Intent"/>).</summary>
    public int? OtherVolumeIndex { get; init; }

    /// <summary>The other intent's priority (for <see cref="ConflictKind.Intent"/>).</summary>
    public IntentPriority? OtherPriority { get; init; }

    /// <summary>The zone (for <see cref="ConflictKind.Zone"/>).</summary>
    public string? ZoneId { get; init; }

    /// <summary>The BeiDou grid code of the cell (for <see cref="ConflictKind.CellCapacity"/>).</summary>
    public string? CellCode { get; init; }
}

/// <summary>The outcome of a strategic check.</summary>
/// <param name="Conflicts">Every conflict found, blocking or not.</param>
public sealed record DeconflictionReport(IReadOnlyList<Conflict> Conflicts)
{
    /// <summary>True when no conflict blocks acceptance.</summary>
    public bool IsClear
    {
        get
        {
            foreach (Conflict c in Conflicts)
            {
                if (c.Blocking)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The blocking conflicts.</summary>
    public IReadOnlyList<Conflict> Blocking => Conflicts.Where(c => c.Blocking).ToList();

    /// <summary>One readable line per blocking conflict (used as rejection reasons).</summary>
    public IReadOnlyList<string> BlockingReasons => Conflicts.Where(c => c.Blocking).Select(c => c.Reason).ToList();
}

/// <summary>How a zone affects an intent in it.</summary>
public enum ZoneEffect
{
    /// <summary>No flight (禁飞): blocks every intent unless it holds an authorisation for the zone.</summary>
    Blocks,

    /// <summary>Flight needs an authorisation: blocks unless the intent holds one or is an emergency.</summary>
    RequiresAuthorisation,

    /// <summary>Information only: reported, never blocks.</summary>
    Advisory,
}

/// <summary>A zone as the checker needs it: one W84 volume during one window in which the zone applies.</summary>
/// <param name="ZoneId">The zone's identifier.</param>
/// <param name="Name">Its name.</param>
/// <param name="Volume">Where and when it applies (altitudes W84; convert AGL/AMSL zones first).</param>
/// <param name="Effect">How it affects intents.</param>
public sealed record ZoneConstraint(string ZoneId, string Name, Volume4D Volume, ZoneEffect Effect);

/// <summary>
/// Supplies the zones active in a region and window. The airspace module's zone schedules implement it (a zone with
/// a weekly schedule yields one <see cref="ZoneConstraint"/> per active period in the window).
/// </summary>
public interface IZoneConstraintSource
{
    /// <summary>Appends the zones whose footprint box meets <paramref name="bounds"/> and that apply at some instant
    /// of <paramref name="window"/>. May return more (the checker tests exactly); must not return fewer.</summary>
    /// <param name="bounds">The region.</param>
    /// <param name="window">The window.</param>
    /// <param name="into">Receives the zones.</param>
    void Collect(GeoBounds bounds, TimeWindow window, List<ZoneConstraint> into);
}

/// <summary>A fixed list of zone constraints (tests, demo, or a snapshot built by an adapter).</summary>
public sealed class ZoneConstraintList : IZoneConstraintSource
{
    private readonly IReadOnlyList<ZoneConstraint> _zones;

    /// <summary>Creates the source.</summary>
    /// <param name="zones">The zones.</param>
    public ZoneConstraintList(IReadOnlyList<ZoneConstraint> zones) => _zones = zones ?? throw new ArgumentNullException(nameof(zones));

    /// <inheritdoc />
    public void Collect(GeoBounds bounds, TimeWindow window, List<ZoneConstraint> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        foreach (ZoneConstraint z in _zones)
        {
            if (z.Volume.Time.Overlaps(window) && z.Volume.Volume.Bounds.Intersects(bounds))
            {
                into.Add(z);
            }
        }
    }
}

/// <summary>
/// Capacities of BeiDou grid cells (GB/T 39409-2020, 2-D) at one level: how many intents may occupy a cell at the
/// same instant (all altitudes).
/// </summary>
public interface ICellCapacityProvider
{
    /// <summary>The grid level of the cells whose capacity is limited (e.g. 4: 1′ × 1′ cells, ≈ 1.7 × 1.8 km at 26° N).</summary>
    int Level { get; }

    /// <summary>The capacity of <paramref name="cell"/>, or null when unlimited.</summary>
    /// <param name="cell">A 2-D cell at <see cref="Level"/>.</param>
    int? CapacityOf(BeiDouGridCell cell);
}

/// <summary>The same capacity for every cell at one level.</summary>
/// <param name="Level">The grid level.</param>
/// <param name="Capacity">Intents per cell at one instant (≥ 1).</param>
public sealed record UniformCellCapacity(int Level, int Capacity) : ICellCapacityProvider
{
    /// <inheritdoc />
    public int? CapacityOf(BeiDouGridCell cell) => Capacity;
}
