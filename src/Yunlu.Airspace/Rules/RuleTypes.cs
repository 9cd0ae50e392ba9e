namespace Yunlu.Airspace.Rules;

/// <summary>The answer to "can I fly here?", ordered from least to most restrictive.</summary>
public enum Verdict
{
    /// <summary>Flight may go ahead without an application (适飞空域, no restriction found).</summary>
    Green = 0,

    /// <summary>Flight needs an application / authorisation first.</summary>
    NeedsAuthorisation = 1,

    /// <summary>Flight is not allowed.</summary>
    Prohibited = 2,
}

/// <summary>UAS classes of the 2024 Interim Regulations (无人驾驶航空器飞行管理暂行条例), from mass and performance.</summary>
public enum AircraftClass
{
    /// <summary>微型 micro.</summary>
    Micro,

    /// <summary>轻型 light.</summary>
    Light,

    /// <summary>小型 small.</summary>
    Small,

    /// <summary>中型 medium.</summary>
    Medium,

    /// <summary>大型 large.</summary>
    Large,
}

/// <summary>
/// What is known about an aircraft: its class directly, or the masses and speed it is classified from, and the
/// sustained wind it is rated for.
/// </summary>
/// <param name="EmptyMassKg">Empty mass (空机重量), kg; null when only the class is given.</param>
/// <param name="MaxTakeOffMassKg">Maximum take-off mass (最大起飞重量), kg; null when unknown.</param>
/// <param name="MaxSpeedKmh">Maximum level-flight speed, km/h; null when unknown (then speed-limited classes do not apply).</param>
/// <param name="DeclaredClass">The class, when the caller states it instead of masses.</param>
/// <param name="WindLimitMps">Sustained wind the aircraft is rated for, m/s; the rule set's default when null.</param>
public sealed record Aircraft(
    double? EmptyMassKg,
    double? MaxTakeOffMassKg,
    double? MaxSpeedKmh,
    AircraftClass? DeclaredClass = null,
    double? WindLimitMps = null)
{
    /// <summary>An aircraft known only by its class.</summary>
    /// <param name="aircraftClass">The class.</param>
    /// <param name="windLimitMps">Rated sustained wind, m/s.</param>
    public static Aircraft OfClass(AircraftClass aircraftClass, double? windLimitMps = null) =>
        new(null, null, null, aircraftClass, windLimitMps);
}

/// <summary>One class rule from the rule file: the class applies when every limit given holds.</summary>
/// <param name="Class">The class.</param>
/// <param name="Label">Display label.</param>
/// <param name="EmptyMassKgLessThan">Empty mass strictly below this, kg (micro: 0.25).</param>
/// <param name="EmptyMassKgAtMost">Empty mass at most this, kg.</param>
/// <param name="MtomKgAtMost">Maximum take-off mass at most this, kg.</param>
/// <param name="MaxSpeedKmhAtMost">Maximum level speed at most this, km/h.</param>
/// <param name="OpenAirspaceMaxTrueHeightM">Highest true height of 适飞空域 for this class (inclusive, as 以下 is in
/// Chinese law), m; null when the class has no 适飞空域.</param>
/// <param name="PilotLicenceRequired">True when a pilot licence is needed.</param>
/// <param name="AlwaysNeedsApproval">True when every flight needs an approved application.</param>
public sealed record ClassRule(
    AircraftClass Class,
    string Label,
    double? EmptyMassKgLessThan,
    double? EmptyMassKgAtMost,
    double? MtomKgAtMost,
    double? MaxSpeedKmhAtMost,
    double? OpenAirspaceMaxTrueHeightM,
    bool PilotLicenceRequired,
    bool AlwaysNeedsApproval);

/// <summary>When flight-activity applications are due, in local time (the rule set's UTC offset).</summary>
/// <param name="DaysBefore">Days before the flight day the application is due (1 = the day before).</param>
/// <param name="DeadlineLocalTime">Local time of day of the deadline (12:00).</param>
/// <param name="DecisionLocalTime">Local time of day by which a decision is expected (21:00; unverified).</param>
/// <param name="TakeoffConfirmationMinutesBefore">Minutes before take-off the flight must be confirmed (60).</param>
public sealed record ApplicationRule(int DaysBefore, TimeOnly DeadlineLocalTime, TimeOnly? DecisionLocalTime, int TakeoffConfirmationMinutesBefore);

/// <summary>How the "can I fly here?" check grades its non-regulatory findings.</summary>
/// <param name="DefaultWindLimitMps">Wind limit for aircraft that declare none, m/s.</param>
/// <param name="WindAboveLimit">Verdict when forecast wind or gust exceeds the limit.</param>
/// <param name="MinTerrainClearanceM">Least clearance above the surface (terrain + buildings) wanted, m.</param>
/// <param name="ClearanceBelowMinimum">Verdict when clearance is under the minimum but above the surface.</param>
/// <param name="BelowSurface">Verdict when the flight goes below the surface.</param>
/// <param name="GridClosed">Verdict for crossing a closed grid cell.</param>
/// <param name="GridRestricted">Verdict for crossing a restricted grid cell.</param>
/// <param name="TrueHeightUnknown">Verdict when the true height cannot be computed (no ground data).</param>
public sealed record CheckPolicy(
    double DefaultWindLimitMps,
    Verdict WindAboveLimit,
    double MinTerrainClearanceM,
    Verdict ClearanceBelowMinimum,
    Verdict BelowSurface,
    Verdict GridClosed,
    Verdict GridRestricted,
    Verdict TrueHeightUnknown);
