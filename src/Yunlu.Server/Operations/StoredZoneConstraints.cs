using Yunlu.Airspace.Operations;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Server.Imports;
using Yunlu.Storage;

namespace Yunlu.Server.Operations;

/// <summary>
/// The stored zones as the strategic checker needs them: one W84 <see cref="ZoneConstraint"/> per zone and active
/// period (schedules expanded over [now − 1 day, now + <see cref="HorizonDays"/> days]). Altitudes: W84 as given; AMSL
/// plus the EGM96 undulation at the footprint's box centre; AGL plus the ground there when a DEM covers it, else the
/// band is widened to every altitude (conservative: the zone blocks more, never less). Prohibited zones block,
/// REQ_AUTHORISATION zones need an authorisation (emergencies pass), the rest are advisory. Swapped atomically on
/// refresh, so checks never see half a snapshot.
/// </summary>
public sealed class StoredZoneConstraints : IZoneConstraintSource
{
    /// <summary>How far ahead schedules are expanded (the intent horizon is 30 days).</summary>
    public const int HorizonDays = 32;

    private const double AllLowerW84M = -1000;
    private const double AllUpperW84M = 100_000;

    private volatile Snapshot _snapshot = new([], new Dictionary<string, long>(StringComparer.Ordinal), DateTimeOffset.MinValue);

    /// <summary>The zone versions of the current snapshot (identifier → version).</summary>
    public IReadOnlyDictionary<string, long> Versions => _snapshot.Versions;

    /// <summary>When the current snapshot was built.</summary>
    public DateTimeOffset BuiltAt => _snapshot.BuiltAt;

    /// <inheritdoc />
    public void Collect(GeoBounds bounds, TimeWindow window, List<ZoneConstraint> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        ZoneConstraint[] all = _snapshot.Constraints;
        for (int i = 0; i < all.Length; i++)
        {
            ZoneConstraint z = all[i];
            if (z.Volume.Time.Overlaps(window) && z.Volume.Volume.Bounds.Intersects(bounds))
            {
                into.Add(z);
            }
        }
    }

    /// <summary>Rebuilds the snapshot from <paramref name="zones"/>.</summary>
    /// <returns>The constraints of the zones, for change notifications.</returns>
    public IReadOnlyList<ZoneConstraint> Rebuild(IReadOnlyList<StoredZone> zones, TerrainSnapshot? terrain, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(zones);
        var list = new List<ZoneConstraint>();
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        var window = new TimeWindow(now.AddDays(-1), now.AddDays(HorizonDays));
        foreach (StoredZone s in zones)
        {
            versions[s.Zone.Identifier] = s.Version;
            list.AddRange(ConstraintsOf(s.Zone, terrain, window));
        }

        _snapshot = new Snapshot([.. list], versions, now);
        return list;
    }

    /// <summary>The constraints of one zone within <paramref name="window"/>.</summary>
    public static IEnumerable<ZoneConstraint> ConstraintsOf(Zone zone, TerrainSnapshot? terrain, TimeWindow window)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ZoneEffect effect = zone.Restriction switch
        {
            ZoneRestriction.Prohibited => ZoneEffect.Blocks,
            ZoneRestriction.ReqAuthorisation => ZoneEffect.RequiresAuthorisation,
            _ => ZoneEffect.Advisory,
        };
        GeoBounds b = zone.Footprint.BoundingBox();
        var centre = new GeoPoint((b.WestLonDeg + b.EastLonDeg) / 2, (b.SouthLatDeg + b.NorthLatDeg) / 2);
        double lower = ToW84(zone.Lower, centre, terrain, AllLowerW84M);
        double upper = ToW84(zone.Upper, centre, terrain, AllUpperW84M);
        if (!(upper > lower))
        {
            yield break;
        }

        var volume = new Volume3D(zone.Footprint, Altitude.W84(lower), Altitude.W84(upper));
        var periods = new List<TimeWindow>();
        foreach (ZoneApplicability a in zone.Applicability)
        {
            periods.AddRange(a.ActiveIntervals(window));
        }

        // Entries may overlap one another: merge so that each instant yields one constraint.
        periods.Sort((x, y) => x.Start.CompareTo(y.Start));
        for (int i = 0; i < periods.Count;)
        {
            DateTimeOffset start = periods[i].Start, end = periods[i].End;
            for (i++; i < periods.Count && periods[i].Start <= end; i++)
            {
                end = periods[i].End > end ? periods[i].End : end;
            }

            yield return new ZoneConstraint(zone.Identifier, zone.Name, new Volume4D(volume, new TimeWindow(start, end)), effect);
        }
    }

    private static double ToW84(Altitude a, GeoPoint at, TerrainSnapshot? terrain, double unknown)
    {
        if (a.Reference == AltitudeReference.W84)
        {
            return a.ValueM;
        }

        AltitudeConverter converter = terrain?.Converter ?? AltitudeConverter.Egm96Only;
        return converter.TryConvert(a, at, AltitudeReference.W84, out Altitude w) ? w.ValueM : unknown;
    }

    private sealed record Snapshot(ZoneConstraint[] Constraints, IReadOnlyDictionary<string, long> Versions, DateTimeOffset BuiltAt);
}
