using Yunlu.Airspace.Zones;
using Yunlu.Geo;

namespace Yunlu.Supervision.Checks;

/// <summary>Wind at a position, for the wind-limit check (supplied by the weather layer).</summary>
public interface IWindField
{
    /// <summary>The sustained wind speed at a point.</summary>
    /// <param name="p">Lon/lat, degrees.</param>
    /// <param name="altitudeW84M">Height above the WGS84 ellipsoid, metres.</param>
    /// <param name="at">When.</param>
    /// <param name="speedMps">Wind speed, m/s.</param>
    /// <returns>False where the field has no data.</returns>
    bool TryGetWindSpeedMps(GeoPoint p, double altitudeW84M, DateTimeOffset at, out double speedMps);
}

/// <summary>Thresholds and timings of the supervision checks. Defaults follow the issue and ASTM F3548-21.</summary>
public sealed record SupervisionOptions
{
    /// <summary>Separation look-ahead, seconds (30).</summary>
    public double SeparationLookAheadS { get; init; } = 30;

    /// <summary>A predicted loss of separation sooner than this is a caution, later an advisory; seconds (15).</summary>
    public double SeparationCautionS { get; init; } = 15;

    /// <summary>
    /// Raise-ahead of the per-update checks, in report intervals (1.25; 0 = off). A separation alert whose onset — the
    /// predicted loss entering the look-ahead, or the loss itself — falls before the aircraft's next report (its last
    /// report interval times this factor, at most <see cref="SeparationRaiseAheadMaxS"/>) is raised by the step of the
    /// report that predicts it, instead of by whichever check first runs after the onset; between the two the alert is
    /// held (not cleared) until its predicted onset. An alert is thus raised on the last report before its onset, at
    /// most 1.25 report intervals early (the margin absorbs jitter of the report times); with 0, on the first check after the
    /// onset. Affects <see cref="SupervisionEngine.RunStep"/> only: the full cycle raises at the onset.
    /// </summary>
    public double SeparationRaiseAheadIntervals { get; init; } = 1.25;

    /// <summary>Upper bound of the raise-ahead, seconds (2): sparse reporters are not alerted earlier than this.</summary>
    public double SeparationRaiseAheadMaxS { get; init; } = 2;

    /// <summary>Drone–drone minima (50 m horizontal, 15 m vertical).</summary>
    public SeparationMinima DroneMinima { get; init; } = new(50, 15);

    /// <summary>Drone–manned minima (Yunlu's default 500 m / 100 m; not from a standard — set per airspace).</summary>
    public SeparationMinima MannedMinima { get; init; } = new(500, 100);

    /// <summary>Grid cell size of the separation hash, metres (500).</summary>
    public double SeparationCellM { get; init; } = 500;

    /// <summary>Time slice of the separation look-ahead, seconds (30 = one hash over the whole look-ahead, fastest at
    /// drone speeds; shorter slices shrink the swept boxes for fast traffic).</summary>
    public double SeparationSliceS { get; init; } = 30;

    /// <summary>Use the O(n²) all-pairs reference instead of the spatial hash (tests and benchmarks).</summary>
    public bool SeparationAllPairs { get; init; }

    /// <summary>Always use the hashed-cell separation pass (the previous algorithm; the baseline for benchmarks).</summary>
    internal bool SeparationHashOnly { get; init; }

    /// <summary>Test every zone for every track instead of querying the zone grid (the reference for tests).</summary>
    internal bool ZoneLinearScan { get; init; }

    /// <summary>Zone incursion look-ahead, seconds (30).</summary>
    public double ZoneLookAheadS { get; init; } = 30;

    /// <summary>Time step of the predicted-incursion sampling, seconds (1).</summary>
    public double ZoneSampleStepS { get; init; } = 1;

    /// <summary>The restrictions whose zones a drone must not enter (Prohibited and ReqAuthorisation).</summary>
    public IReadOnlySet<ZoneRestriction> IncursionRestrictions { get; init; } =
        new HashSet<ZoneRestriction> { ZoneRestriction.Prohibited, ZoneRestriction.ReqAuthorisation };

    /// <summary>No data for this long raises lost link, seconds (15).</summary>
    public double LostLinkS { get; init; } = 15;

    /// <summary>Nonconforming this long makes the intent Contingent, seconds (60, ASTM F3548).</summary>
    public double ContingentAfterS { get; init; } = 60;

    /// <summary>
    /// Time tolerance of conformance, seconds (0): an aircraft inside a volume's footprint and altitude band conforms
    /// from this long before the volume's start until this long after its end, so a flight early or late by less than
    /// the tolerance is not nonconforming; early or late beyond it is. Not from a standard (ASTM F3548 leaves the
    /// margin to the USS); 0 = the volumes' time windows exactly.
    /// </summary>
    public double ConformanceTimeToleranceS { get; init; }

    /// <summary>True-height ceiling, metres AGL (120: the Chinese 适飞空域 ceiling).</summary>
    public double CeilingAglM { get; init; } = 120;

    /// <summary>Default wind limit of a drone, m/s (12: small multirotors, STANDARDS §6).</summary>
    public double WindLimitMps { get; init; } = 12;

    /// <summary>Raise no_intent for a drone flying without an Activated intent (off when no intents are supplied).</summary>
    public bool RequireIntent { get; init; }

    /// <summary>A track with no data for this long leaves the store at the next cycle, seconds (300); 0 keeps tracks
    /// for ever. Must exceed <see cref="LostLinkS"/>: the lost-link alert is raised first and clears when the track
    /// leaves.</summary>
    public double StaleTrackS { get; init; } = 300;

    /// <summary>
    /// Proximity fusion of one aircraft seen by two sources, metres horizontal (0 = off, the default): two drone tracks
    /// never reported by a common source kind, closer than this horizontally and <see cref="FusionVerticalM"/>
    /// vertically, with velocities within <see cref="FusionSpeedMps"/>, and each with no other such partner, become
    /// one track (the later one's identity is linked to the earlier track). Off by default because two real aircraft
    /// flying in formation would be merged; the registry links of <see cref="Tracks.IdentityRegistry"/> are the
    /// primary rule.
    /// </summary>
    public double FusionHorizontalM { get; init; }

    /// <summary>Vertical distance for proximity fusion, metres (10).</summary>
    public double FusionVerticalM { get; init; } = 10;

    /// <summary>Largest velocity difference for proximity fusion, m/s (3).</summary>
    public double FusionSpeedMps { get; init; } = 3;

    /// <summary>Checks the values; throws <see cref="ArgumentOutOfRangeException"/> naming the field.</summary>
    public void Validate()
    {
        Positive(SeparationLookAheadS, nameof(SeparationLookAheadS), allowZero: true);
        Positive(SeparationCautionS, nameof(SeparationCautionS), allowZero: true);
        Positive(SeparationRaiseAheadIntervals, nameof(SeparationRaiseAheadIntervals), allowZero: true);
        Positive(SeparationRaiseAheadMaxS, nameof(SeparationRaiseAheadMaxS), allowZero: true);
        Positive(SeparationCellM, nameof(SeparationCellM), allowZero: false);
        Positive(SeparationSliceS, nameof(SeparationSliceS), allowZero: false);
        Positive(ZoneLookAheadS, nameof(ZoneLookAheadS), allowZero: true);
        Positive(ZoneSampleStepS, nameof(ZoneSampleStepS), allowZero: false);
        Positive(LostLinkS, nameof(LostLinkS), allowZero: false);
        Positive(ContingentAfterS, nameof(ContingentAfterS), allowZero: true);
        Positive(ConformanceTimeToleranceS, nameof(ConformanceTimeToleranceS), allowZero: true);
        Positive(WindLimitMps, nameof(WindLimitMps), allowZero: false);
        Positive(StaleTrackS, nameof(StaleTrackS), allowZero: true);
        if (StaleTrackS > 0 && StaleTrackS <= LostLinkS)
        {
            throw new ArgumentOutOfRangeException(nameof(StaleTrackS), "must be 0 (never) or greater than LostLinkS");
        }

        Positive(FusionHorizontalM, nameof(FusionHorizontalM), allowZero: true);
        Positive(FusionVerticalM, nameof(FusionVerticalM), allowZero: false);
        Positive(FusionSpeedMps, nameof(FusionSpeedMps), allowZero: false);
        if (FusionHorizontalM >= DroneMinima.HorizontalM || FusionVerticalM >= DroneMinima.VerticalM)
        {
            throw new ArgumentOutOfRangeException(nameof(FusionHorizontalM), "fusion distances must be below the drone separation minima (fusion reads the loss-of-separation pairs)");
        }

        if (!double.IsFinite(CeilingAglM))
        {
            throw new ArgumentOutOfRangeException(nameof(CeilingAglM), "must be a finite number of metres");
        }
    }

    private static void Positive(double v, string name, bool allowZero)
    {
        if (!double.IsFinite(v) || v < 0 || (!allowZero && v == 0))
        {
            throw new ArgumentOutOfRangeException(name, allowZero ? "must be a finite number ≥ 0" : "must be a finite number > 0");
        }
    }
}
