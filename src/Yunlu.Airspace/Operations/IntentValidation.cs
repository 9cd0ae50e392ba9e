using System.Globalization;
using NetTopologySuite.Geometries;
using Yunlu.Geo;

namespace Yunlu.Airspace.Operations;

/// <summary>One problem with an operational intent: the field (path-like, e.g. <c>volumes[2].time.end</c>), a stable
/// rule code from <see cref="IntentRules"/> and a readable message naming the value.</summary>
/// <param name="Field">The field.</param>
/// <param name="Rule">The rule code.</param>
/// <param name="Message">The explanation.</param>
public sealed record IntentError(string Field, string Rule, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Message} [{Rule}]";
}

/// <summary>Stable rule codes for <see cref="IntentError.Rule"/>.</summary>
public static class IntentRules
{
    /// <summary>A required value is missing or empty (e.g. no volumes).</summary>
    public const string Required = "required";

    /// <summary>A volume's end is not after its start.</summary>
    public const string EndNotAfterStart = "end-not-after-start";

    /// <summary>A volume starts in the past.</summary>
    public const string InPast = "in-past";

    /// <summary>A volume ends more than the horizon (30 days) ahead.</summary>
    public const string TooFarAhead = "too-far-ahead";

    /// <summary>The intent has more vertices than allowed (10 000 over all volumes, ASTM F3548).</summary>
    public const string TooManyVertices = "too-many-vertices";

    /// <summary>An altitude is not W84 (ASTM F3548 requires WGS84 ellipsoidal heights).</summary>
    public const string AltitudeReference = "altitude-reference";

    /// <summary>A ceiling is not above its floor.</summary>
    public const string CeilingBelowFloor = "ceiling-below-floor";

    /// <summary>A number is NaN or infinite.</summary>
    public const string NotFinite = "not-finite";

    /// <summary>A footprint is invalid (see <see cref="FootprintGeometry.Validate"/>).</summary>
    public const string FootprintInvalid = "footprint-invalid";

    /// <summary>Too many volumes.</summary>
    public const string TooManyVolumes = "too-many-volumes";

    /// <summary>The OVN given is not well formed.</summary>
    public const string OvnMalformed = "ovn-malformed";

    /// <summary>The OVN given is not the current one (someone changed the intent meanwhile).</summary>
    public const string OvnStale = "ovn-stale";

    /// <summary>The state change is not allowed (see <see cref="IntentStateMachine"/>).</summary>
    public const string InvalidTransition = "invalid-transition";
}

/// <summary>Limits applied by <see cref="IntentValidator"/>.</summary>
public sealed record IntentLimits
{
    /// <summary>The defaults: 30 days ahead, 10 000 vertices, 1 000 volumes, 60 s start grace.</summary>
    public static IntentLimits Default { get; } = new();

    /// <summary>How far ahead the last volume may end.</summary>
    public TimeSpan Horizon { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How far in the past a volume may start (clock skew and transmission allowance).</summary>
    public TimeSpan PastGrace { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Most vertices over all polygon volumes of one intent (ASTM F3548: 10 000).</summary>
    public int MaxVertices { get; init; } = FootprintGeometry.MaxPolygonVertices;

    /// <summary>Most volumes per intent.</summary>
    public int MaxVolumes { get; init; } = 1000;
}

/// <summary>
/// Checks the volumes of an operational intent before it is stored or checked for conflicts. Every error found is
/// returned (nothing is stored when any is present).
/// </summary>
public static class IntentValidator
{
    /// <summary>
    /// Builds a W84 volume from raw values, reporting problems as <see cref="IntentError"/>s instead of throwing
    /// (for API input). Returns null when any error was added.
    /// </summary>
    /// <param name="footprint">The footprint.</param>
    /// <param name="lowerW84M">Floor, metres above the WGS84 ellipsoid (inclusive).</param>
    /// <param name="upperW84M">Ceiling, metres above the WGS84 ellipsoid (exclusive).</param>
    /// <param name="start">Start (inclusive).</param>
    /// <param name="end">End (exclusive).</param>
    /// <param name="field">The field prefix used in errors, e.g. <c>volumes[3]</c>.</param>
    /// <param name="errors">Receives the errors.</param>
    public static Volume4D? TryCreateVolume(Footprint? footprint, double lowerW84M, double upperW84M, DateTimeOffset start, DateTimeOffset end, string field, List<IntentError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        int before = errors.Count;
        foreach (string e in footprint.Validate())
        {
            errors.Add(new IntentError(field + ".footprint", IntentRules.FootprintInvalid, e));
        }

        if (!double.IsFinite(lowerW84M))
        {
            errors.Add(new IntentError(field + ".lowerW84M", IntentRules.NotFinite, "floor must be a finite number of metres"));
        }

        if (!double.IsFinite(upperW84M))
        {
            errors.Add(new IntentError(field + ".upperW84M", IntentRules.NotFinite, "ceiling must be a finite number of metres"));
        }
        else if (double.IsFinite(lowerW84M) && !(upperW84M > lowerW84M))
        {
            errors.Add(new IntentError(field + ".upperW84M", IntentRules.CeilingBelowFloor,
                string.Create(CultureInfo.InvariantCulture, $"ceiling {upperW84M} m W84 must be above the floor {lowerW84M} m W84")));
        }

        if (end <= start)
        {
            errors.Add(new IntentError(field + ".time.end", IntentRules.EndNotAfterStart,
                string.Create(CultureInfo.InvariantCulture, $"end {end:O} must be after start {start:O}")));
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new Volume4D(new Volume3D(footprint!, Altitude.W84(lowerW84M), Altitude.W84(upperW84M)), new TimeWindow(start, end));
    }

    /// <summary>
    /// Checks a volume list: not empty, at most <see cref="IntentLimits.MaxVolumes"/>, every altitude W84, every
    /// volume starting no earlier than <paramref name="now"/> − grace and ending no later than
    /// <paramref name="now"/> + horizon, and at most <see cref="IntentLimits.MaxVertices"/> polygon vertices in total.
    /// </summary>
    /// <param name="volumes">The volumes (may be null).</param>
    /// <param name="now">The current time.</param>
    /// <param name="limits">Limits, or null for <see cref="IntentLimits.Default"/>.</param>
    /// <returns>Every error found; empty when valid.</returns>
    public static IReadOnlyList<IntentError> Validate(IReadOnlyList<Volume4D?>? volumes, DateTimeOffset now, IntentLimits? limits = null)
    {
        limits ??= IntentLimits.Default;
        var errors = new List<IntentError>();
        if (volumes is null || volumes.Count == 0)
        {
            errors.Add(new IntentError("volumes", IntentRules.Required, "an intent needs at least one volume"));
            return errors;
        }

        if (volumes.Count > limits.MaxVolumes)
        {
            errors.Add(new IntentError("volumes", IntentRules.TooManyVolumes,
                string.Create(CultureInfo.InvariantCulture, $"has {volumes.Count} volumes, at most {limits.MaxVolumes} are allowed")));
        }

        long vertices = 0;
        DateTimeOffset earliest = now - limits.PastGrace;
        DateTimeOffset latest = now + limits.Horizon;
        for (int i = 0; i < volumes.Count; i++)
        {
            string field = string.Create(CultureInfo.InvariantCulture, $"volumes[{i}]");
            Volume4D? v = volumes[i];
            if (v is null)
            {
                errors.Add(new IntentError(field, IntentRules.Required, "volume is missing"));
                continue;
            }

            if (v.Volume.Lower.Reference != Geo.AltitudeReference.W84 || v.Volume.Upper.Reference != Geo.AltitudeReference.W84)
            {
                errors.Add(new IntentError(field + ".altitude", IntentRules.AltitudeReference,
                    $"altitudes must be W84 (ellipsoidal, as in ASTM F3548), found {v.Volume.Lower.Reference.ToString().ToUpperInvariant()}; convert with AltitudeConverter first"));
            }

            if (v.Time.Start < earliest)
            {
                errors.Add(new IntentError(field + ".time.start", IntentRules.InPast,
                    string.Create(CultureInfo.InvariantCulture, $"start {v.Time.Start:O} is in the past (now {now:O})")));
            }

            if (v.Time.End > latest)
            {
                errors.Add(new IntentError(field + ".time.end", IntentRules.TooFarAhead,
                    string.Create(CultureInfo.InvariantCulture, $"end {v.Time.End:O} is more than {limits.Horizon.TotalDays} days ahead (latest {latest:O})")));
            }

            if (v.Volume.Footprint is PolygonFootprint pf)
            {
                vertices += CountVertices(pf.Polygon);
            }
        }

        if (vertices > limits.MaxVertices)
        {
            errors.Add(new IntentError("volumes", IntentRules.TooManyVertices,
                string.Create(CultureInfo.InvariantCulture, $"the volumes have {vertices} polygon vertices in total, at most {limits.MaxVertices} are allowed")));
        }

        return errors;
    }

    /// <summary>Vertices of a polygon over all rings, without closing points.</summary>
    /// <param name="polygon">The polygon.</param>
    public static int CountVertices(Polygon polygon)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        int n = Math.Max(0, polygon.Shell.NumPoints - 1);
        for (int r = 0; r < polygon.NumInteriorRings; r++)
        {
            n += Math.Max(0, polygon.GetInteriorRingN(r).NumPoints - 1);
        }

        return n;
    }
}
