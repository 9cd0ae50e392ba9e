namespace Yunlu.Formats.Telemetry;

/// <summary>Stable rule codes of telemetry and intent file errors (in <see cref="FeatureError.Rule"/>).</summary>
public static class TelemetryRules
{
    /// <summary>The CSV header is not exactly the documented one.</summary>
    public const string HeaderInvalid = "telemetry-header-invalid";

    /// <summary>A row has the wrong number of columns.</summary>
    public const string ColumnCount = "telemetry-column-count";

    /// <summary>A time is not an RFC 3339 / ISO 8601 UTC instant.</summary>
    public const string TimeInvalid = "time-invalid";

    /// <summary>A number does not parse or is not finite.</summary>
    public const string NumberInvalid = "number-invalid";

    /// <summary>A latitude outside [-90, 90].</summary>
    public const string LatRange = "lat-range";

    /// <summary>A longitude outside [-180, 180].</summary>
    public const string LonRange = "lon-range";

    /// <summary>An altitude reference that is not AGL, AMSL or W84.</summary>
    public const string AltitudeReferenceUnknown = "altitude-reference-unknown";

    /// <summary>A required field is empty.</summary>
    public const string FieldMissing = "field-missing";

    /// <summary>Some but not all three velocity components are given.</summary>
    public const string VelocityPartial = "velocity-partial";

    /// <summary>An intent's field breaks a rule (message says which).</summary>
    public const string IntentInvalid = "intent-invalid";

    /// <summary>An intent's volume is invalid (footprint, altitudes or time window).</summary>
    public const string VolumeInvalid = "volume-invalid";

    /// <summary>Two intents share an id.</summary>
    public const string DuplicateId = "duplicate-id";

    /// <summary>The GPX has no track point.</summary>
    public const string NoPoints = "no-points";
}
