using Yunlu.Airspace.Corridors;
using Yunlu.Airspace.Indexing;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Geo.Grid;

namespace Yunlu.Airspace.Grid;

/// <summary>The state of a grid cell for UAS traffic.</summary>
public enum GridCellStatus
{
    /// <summary>Open.</summary>
    Open = 0,

    /// <summary>Restricted: flights need an authorisation (a zone requiring one, or a conditional zone).</summary>
    Restricted = 1,

    /// <summary>Closed: no flights (a prohibited zone, or closed by a manager).</summary>
    Closed = 2,
}

/// <summary>A manager's override of one cell's status and/or capacity.</summary>
/// <param name="LonIndex">Signed longitude index at the grid's level.</param>
/// <param name="LatIndex">Signed latitude index.</param>
/// <param name="Status">New status, or null to keep the derived one.</param>
/// <param name="CapacityPerHour">New capacity, or null to keep the derived one.</param>
/// <param name="Actor">Who set it.</param>
/// <param name="Note">Why.</param>
public sealed record GridCellOverride(int LonIndex, int LatIndex, GridCellStatus? Status, int? CapacityPerHour, string Actor, string? Note)
{
    /// <summary>An override for the cell with this code.</summary>
    /// <param name="code">A 2-D (or 3-D; the height part is ignored) cell code.</param>
    /// <param name="status">New status or null.</param>
    /// <param name="capacityPerHour">New capacity or null.</param>
    /// <param name="actor">Who.</param>
    /// <param name="note">Why.</param>
    public static GridCellOverride ForCode(string code, GridCellStatus? status, int? capacityPerHour, string actor, string? note = null)
    {
        BeiDouGridCell c = BeiDouGrid.Decode(code);
        return new GridCellOverride(c.LonIndex, c.LatIndex, status, capacityPerHour, actor, note);
    }
}

/// <summary>What is known about one grid cell.</summary>
/// <param name="Cell">The 2-D cell.</param>
/// <param name="Status">Status after overrides.</param>
/// <param name="CapacityPerHour">Flights per hour after overrides.</param>
/// <param name="ZoneIds">Zones (active at the snapshot instant) whose footprint meets the cell, by identifier.</param>
/// <param name="CorridorIds">Corridors whose footprint meets the cell.</param>
/// <param name="Override">The manager's override, if any.</param>
public sealed record GridCellInfo(
    BeiDouGridCell Cell,
    GridCellStatus Status,
    int CapacityPerHour,
    IReadOnlyList<string> ZoneIds,
    IReadOnlyList<string> CorridorIds,
    GridCellOverride? Override);

/// <summary>Settings for <see cref="GriddedAirspace"/>.</summary>
/// <param name="DefaultCapacityPerHour">Capacity of an open or restricted cell outside corridors, flights/hour.</param>
public sealed record GriddedAirspaceOptions(int DefaultCapacityPerHour = 30);

/// <summary>
/// Gridded airspace (网格化空域) at one BeiDou level: every cell has a status and a capacity derived from the zones
/// active at an instant and the corridors, then overridden by managers.
/// </summary>
/// <remarks>
/// <para>Derivation: a cell met by a prohibited zone is <see cref="GridCellStatus.Closed"/> (capacity 0); by a zone
/// requiring authorisation or a conditional zone, <see cref="GridCellStatus.Restricted"/>; otherwise open. Its
/// capacity is the largest capacity of the corridors covering it, else the default. The status is 2-D (the most
/// restrictive over the cell's column); the "can I fly here?" check compares altitudes separately. Overrides replace
/// status and/or capacity of single cells.</para>
/// <para>Only cells that differ from "open, default capacity" are stored (hash map keyed by the cell's indices), so
/// a city-wide grid at level 7 stays small. Immutable; <see cref="WithOverrides"/> returns a new instance sharing the
/// derived map.</para>
/// </remarks>
public sealed class GriddedAirspace
{
    private readonly Dictionary<long, CellValue> _derived;
    private readonly Dictionary<long, GridCellOverride> _overrides;
    private readonly Zone[] _zones;
    private readonly GridCover[] _zoneCovers;
    private readonly Corridor[] _corridors;
    private readonly GridCover[] _corridorCovers;
    private readonly PackedRTree _zoneIndex;
    private readonly PackedRTree _corridorIndex;

    private GriddedAirspace(
        int level,
        DateTimeOffset at,
        GriddedAirspaceOptions options,
        Dictionary<long, CellValue> derived,
        Dictionary<long, GridCellOverride> overrides,
        Zone[] zones,
        GridCover[] zoneCovers,
        Corridor[] corridors,
        GridCover[] corridorCovers,
        PackedRTree zoneIndex,
        PackedRTree corridorIndex)
    {
        Level = level;
        At = at;
        Options = options;
        _derived = derived;
        _overrides = overrides;
        _zones = zones;
        _zoneCovers = zoneCovers;
        _corridors = corridors;
        _corridorCovers = corridorCovers;
        _zoneIndex = zoneIndex;
        _corridorIndex = corridorIndex;
    }

    /// <summary>The grid level.</summary>
    public int Level { get; }

    /// <summary>The instant the zones' schedules were evaluated at.</summary>
    public DateTimeOffset At { get; }

    /// <summary>Settings.</summary>
    public GriddedAirspaceOptions Options { get; }

    /// <summary>Number of cells that are not open or not at the default capacity (before overrides).</summary>
    public int DerivedCellCount => _derived.Count;

    /// <summary>The overrides in force.</summary>
    public IReadOnlyCollection<GridCellOverride> Overrides => _overrides.Values;

    /// <summary>Derives the gridded airspace.</summary>
    /// <param name="level">Grid level 1–10 (7 ≈ 7 m cells is typical for city operations).</param>
    /// <param name="zones">Zones; only those active at <paramref name="at"/> count.</param>
    /// <param name="corridors">Corridors.</param>
    /// <param name="at">The instant.</param>
    /// <param name="options">Settings, or defaults.</param>
    /// <param name="overrides">Managers' overrides.</param>
    public static GriddedAirspace Build(
        int level,
        IEnumerable<Zone> zones,
        IEnumerable<Corridor> corridors,
        DateTimeOffset at,
        GriddedAirspaceOptions? options = null,
        IEnumerable<GridCellOverride>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(corridors);
        GridMath.CheckLevel(level);
        options ??= new GriddedAirspaceOptions();
        if (options.DefaultCapacityPerHour < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "default capacity must be ≥ 0 flights/hour");
        }

        var activeZones = new List<Zone>();
        foreach (Zone z in zones)
        {
            if (z.IsActiveAt(at))
            {
                activeZones.Add(z);
            }
        }

        activeZones.Sort(static (a, b) => string.CompareOrdinal(a.Identifier, b.Identifier));
        Zone[] zs = [.. activeZones];
        Corridor[] cs = [.. corridors];
        var zoneCovers = new GridCover[zs.Length];
        var corridorCovers = new GridCover[cs.Length];
        var derived = new Dictionary<long, CellValue>();
        for (int k = 0; k < cs.Length; k++)
        {
            corridorCovers[k] = GridCovering.CoverCorridor(cs[k], level);
            foreach (GridRowSpan s in corridorCovers[k].Spans)
            {
                for (int i = s.FirstLonIndex; i <= s.LastLonIndex; i++)
                {
                    long key = Key(i, s.LatIndex);
                    CellValue v = derived.TryGetValue(key, out CellValue cur) ? cur : new CellValue(GridCellStatus.Open, -1);
                    derived[key] = v with { CorridorCapacity = Math.Max(v.CorridorCapacity, cs[k].CapacityPerHour) };
                }
            }
        }

        for (int k = 0; k < zs.Length; k++)
        {
            zoneCovers[k] = GridCovering.CoverFootprint(zs[k].Footprint, level);
            GridCellStatus status = zs[k].Restriction switch
            {
                ZoneRestriction.Prohibited => GridCellStatus.Closed,
                ZoneRestriction.ReqAuthorisation or ZoneRestriction.Conditional => GridCellStatus.Restricted,
                _ => GridCellStatus.Open,
            };
            if (status == GridCellStatus.Open)
            {
                continue;
            }

            foreach (GridRowSpan s in zoneCovers[k].Spans)
            {
                for (int i = s.FirstLonIndex; i <= s.LastLonIndex; i++)
                {
                    long key = Key(i, s.LatIndex);
                    CellValue v = derived.TryGetValue(key, out CellValue cur) ? cur : new CellValue(GridCellStatus.Open, -1);
                    if (status > v.Status)
                    {
                        derived[key] = v with { Status = status };
                    }
                }
            }
        }

        var ov = new Dictionary<long, GridCellOverride>();
        foreach (GridCellOverride o in overrides ?? [])
        {
            CheckOverride(o);
            ov[Key(o.LonIndex, o.LatIndex)] = o;
        }

        return new GriddedAirspace(level, at, options, derived, ov, zs, zoneCovers, cs, corridorCovers, Index(zoneCovers), Index(corridorCovers));
    }

    /// <summary>A copy with more overrides (a later override of the same cell replaces an earlier one).</summary>
    /// <param name="overrides">The overrides.</param>
    public GriddedAirspace WithOverrides(IEnumerable<GridCellOverride> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var ov = new Dictionary<long, GridCellOverride>(_overrides);
        foreach (GridCellOverride o in overrides)
        {
            CheckOverride(o);
            ov[Key(o.LonIndex, o.LatIndex)] = o;
        }

        return new GriddedAirspace(Level, At, Options, _derived, ov, _zones, _zoneCovers, _corridors, _corridorCovers, _zoneIndex, _corridorIndex);
    }

    /// <summary>Status and capacity of a cell (allocation-free).</summary>
    /// <param name="lonIndex">Signed longitude index at <see cref="Level"/>.</param>
    /// <param name="latIndex">Signed latitude index.</param>
    public (GridCellStatus Status, int CapacityPerHour) StateOf(int lonIndex, int latIndex)
    {
        long key = Key(lonIndex, latIndex);
        GridCellStatus status = GridCellStatus.Open;
        int capacity = Options.DefaultCapacityPerHour;
        if (_derived.TryGetValue(key, out CellValue v))
        {
            status = v.Status;
            if (v.CorridorCapacity >= 0)
            {
                capacity = v.CorridorCapacity;
            }
        }

        if (status == GridCellStatus.Closed)
        {
            capacity = 0;
        }

        if (_overrides.Count > 0 && _overrides.TryGetValue(key, out GridCellOverride? o))
        {
            status = o.Status ?? status;
            capacity = o.CapacityPerHour ?? (o.Status == GridCellStatus.Closed ? 0 : capacity);
        }

        return (status, capacity);
    }

    /// <summary>Everything known about a cell: status, capacity, zones and corridors meeting it, override.</summary>
    /// <param name="cell">A cell at <see cref="Level"/> (2-D or 3-D; the height part is ignored).</param>
    public GridCellInfo Describe(BeiDouGridCell cell)
    {
        if (cell.Level != Level)
        {
            throw new ArgumentException($"cell {cell.Code} is at level {cell.Level}; this grid is at level {Level}", nameof(cell));
        }

        (GridCellStatus status, int capacity) = StateOf(cell.LonIndex, cell.LatIndex);
        var zoneIds = new List<string>();
        var corridorIds = new List<string>();
        var hits = new List<int>();
        double w = GridMath.WestDeg(Level, cell.LonIndex), e = GridMath.WestDeg(Level, cell.LonIndex + 1L);
        double s = GridMath.SouthDeg(Level, cell.LatIndex), n = GridMath.SouthDeg(Level, cell.LatIndex + 1L);
        _zoneIndex.Query(w, s, e, n, hits);
        hits.Sort();
        foreach (int k in hits)
        {
            if (_zoneCovers[k].Contains(cell.LonIndex, cell.LatIndex))
            {
                zoneIds.Add(_zones[k].Identifier);
            }
        }

        hits.Clear();
        _corridorIndex.Query(w, s, e, n, hits);
        hits.Sort();
        foreach (int k in hits)
        {
            if (_corridorCovers[k].Contains(cell.LonIndex, cell.LatIndex))
            {
                corridorIds.Add(_corridors[k].Id);
            }
        }

        _overrides.TryGetValue(Key(cell.LonIndex, cell.LatIndex), out GridCellOverride? ov);
        return new GridCellInfo(cell.As2D(), status, capacity, zoneIds, corridorIds, ov);
    }

    /// <summary>Describes the cell containing a point.</summary>
    /// <param name="p">The point.</param>
    public GridCellInfo Describe(GeoPoint p) => Describe(BeiDouGrid.Locate(p, Level));

    internal static long Key(int lonIndex, int latIndex) => ((long)lonIndex << 32) | (uint)latIndex;

    private static void CheckOverride(GridCellOverride o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.CapacityPerHour is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(o), $"override capacity {o.CapacityPerHour} must be ≥ 0 flights/hour");
        }

        if (o.Status is { } st && !Enum.IsDefined(st))
        {
            throw new ArgumentOutOfRangeException(nameof(o), "override status must be Open, Restricted or Closed");
        }
    }

    private static PackedRTree Index(GridCover[] covers)
    {
        var minX = new double[covers.Length];
        var minY = new double[covers.Length];
        var maxX = new double[covers.Length];
        var maxY = new double[covers.Length];
        for (int k = 0; k < covers.Length; k++)
        {
            GridCover c = covers[k];
            if (c.Spans.Count == 0)
            {
                (minX[k], minY[k], maxX[k], maxY[k]) = (double.PositiveInfinity, double.PositiveInfinity, double.NegativeInfinity, double.NegativeInfinity);
                continue;
            }

            int i0 = int.MaxValue, i1 = int.MinValue;
            foreach (GridRowSpan s in c.Spans)
            {
                i0 = Math.Min(i0, s.FirstLonIndex);
                i1 = Math.Max(i1, s.LastLonIndex);
            }

            minX[k] = GridMath.WestDeg(c.Level, i0);
            maxX[k] = GridMath.WestDeg(c.Level, i1 + 1L);
            minY[k] = GridMath.SouthDeg(c.Level, c.Spans[0].LatIndex);
            maxY[k] = GridMath.SouthDeg(c.Level, c.Spans[^1].LatIndex + 1L);
        }

        return new PackedRTree(minX, minY, maxX, maxY);
    }

    private readonly record struct CellValue(GridCellStatus Status, int CorridorCapacity);
}
