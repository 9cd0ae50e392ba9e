using Yunlu.Geo;

namespace Yunlu.Airspace.Zones;

/// <summary>
/// Temporary controlled airspace (临时管制空域): a zone with reason <see cref="ZoneReason.Temporary"/> that takes effect
/// at a given instant and, optionally, lapses at another.
/// </summary>
public static class TemporaryAirspace
{
    /// <summary>Creates a validated temporary zone effective over [<paramref name="effectiveFrom"/>, <paramref name="until"/>).</summary>
    /// <param name="identifier">Zone identifier.</param>
    /// <param name="name">Zone name.</param>
    /// <param name="footprint">Horizontal shape.</param>
    /// <param name="lower">Floor.</param>
    /// <param name="upper">Ceiling.</param>
    /// <param name="effectiveFrom">The instant it takes effect (inclusive).</param>
    /// <param name="until">The instant it lapses (exclusive), or null for "until withdrawn".</param>
    /// <param name="restriction">Restriction; prohibited by default.</param>
    /// <param name="message">Message to pilots.</param>
    /// <param name="authority">The authority that published it.</param>
    /// <param name="country">ISO alpha-3 country, CHN by default.</param>
    /// <exception cref="Validation.AirspaceValidationException">The zone breaks a rule (e.g. <paramref name="until"/> not after the start).</exception>
    public static Zone Create(
        string identifier,
        string name,
        Footprint footprint,
        Altitude lower,
        Altitude upper,
        DateTimeOffset effectiveFrom,
        DateTimeOffset? until,
        ZoneRestriction restriction = ZoneRestriction.Prohibited,
        string? message = null,
        ZoneAuthority? authority = null,
        string country = "CHN")
    {
        var zone = new Zone(
            identifier,
            name,
            country,
            restriction,
            [ZoneReason.Temporary],
            footprint,
            lower,
            upper,
            [new ZoneApplicability(false, effectiveFrom.ToUniversalTime(), until?.ToUniversalTime(), [])],
            authority,
            message);
        ZoneValidator.ThrowIfInvalid(zone);
        return zone;
    }

    /// <summary>True when the zone is temporary controlled airspace (reason <see cref="ZoneReason.Temporary"/>).</summary>
    /// <param name="zone">The zone.</param>
    public static bool IsTemporary(this Zone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (zone.Reasons is null)
        {
            return false;
        }

        foreach (ZoneReason r in zone.Reasons)
        {
            if (r == ZoneReason.Temporary)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The earliest instant at or after <paramref name="from"/> when the zone applies, looking at most
    /// <paramref name="horizon"/> ahead; null when it does not apply in that span.</summary>
    /// <param name="zone">The zone.</param>
    /// <param name="from">Where to start looking.</param>
    /// <param name="horizon">How far ahead to look.</param>
    public static DateTimeOffset? NextEffectiveAt(this Zone zone, DateTimeOffset from, TimeSpan horizon)
    {
        IReadOnlyList<TimeWindow> intervals = zone.ActiveIntervals(new TimeWindow(from, from + horizon));
        return intervals.Count == 0 ? null : intervals[0].Start;
    }
}
