namespace Yunlu.Formats;

/// <summary>
/// The stable rule codes importers put in <see cref="FeatureError.Rule"/> and <see cref="InvalidFileException.Rule"/>.
/// Clients may match on them; they never change meaning. docs/guide/import-formats.md shows an example for each.
/// </summary>
public static class ImportRules
{
    // File level (InvalidFileException).

    /// <summary>The input (or a KMZ entry, uncompressed) is larger than <see cref="ImportLimits.MaxBytes"/>.</summary>
    public const string FileTooLarge = "file-too-large";

    /// <summary>The JSON is not well formed (message names line and byte position).</summary>
    public const string JsonMalformed = "json-malformed";

    /// <summary>The XML is not well formed (message names line and position).</summary>
    public const string XmlMalformed = "xml-malformed";

    /// <summary>The KMZ is not a readable zip archive.</summary>
    public const string ZipMalformed = "zip-malformed";

    /// <summary>The KMZ holds no .kml document.</summary>
    public const string KmzNoKml = "kmz-no-kml";

    /// <summary>The format could not be recognised from the file name and content.</summary>
    public const string FormatUnknown = "format-unknown";

    /// <summary>The document is well formed but not of the expected shape (e.g. no <c>features</c> array).</summary>
    public const string StructureInvalid = "structure-invalid";

    // Feature level (FeatureError).

    /// <summary>The file has more features than <see cref="ImportLimits.MaxFeatures"/>.</summary>
    public const string FeatureLimit = "feature-limit";

    /// <summary>A required field is absent or null.</summary>
    public const string FieldMissing = "field-missing";

    /// <summary>A field has the wrong JSON type (e.g. a string where a number is expected).</summary>
    public const string TypeMismatch = "type-mismatch";

    /// <summary>A number is NaN or infinite (or too large for a double).</summary>
    public const string NotFinite = "not-finite";

    /// <summary>A latitude outside [-90, 90].</summary>
    public const string LatRange = "lat-range";

    /// <summary>A longitude outside [-180, 180].</summary>
    public const string LonRange = "lon-range";

    /// <summary>Every coordinate of the file looks like (lat, lon) in China instead of (lon, lat).</summary>
    public const string LatLonOrder = "lat-lon-order";

    /// <summary>A position is not an array of at least two numbers.</summary>
    public const string CoordinateInvalid = "coordinate-invalid";

    /// <summary>A polygon ring crosses itself or another ring.</summary>
    public const string SelfIntersection = "self-intersection";

    /// <summary>A polygon is invalid for another reason (hole outside shell, nested holes, disconnected interior).</summary>
    public const string PolygonInvalid = "polygon-invalid";

    /// <summary>A ring has fewer than 4 positions.</summary>
    public const string RingTooShort = "ring-too-short";

    /// <summary>A ring's last position differs from its first.</summary>
    public const string RingNotClosed = "ring-not-closed";

    /// <summary>A feature has more vertices than <see cref="ImportLimits.MaxVerticesPerFeature"/>.</summary>
    public const string VertexLimit = "vertex-limit";

    /// <summary>A circle radius that is zero or negative.</summary>
    public const string RadiusNonPositive = "radius-non-positive";

    /// <summary>A geometry type the importer does not take (e.g. a LineString zone).</summary>
    public const string GeometryTypeUnsupported = "geometry-type-unsupported";

    /// <summary>An altitude without its reference.</summary>
    public const string AltitudeReferenceMissing = "altitude-reference-missing";

    /// <summary>An altitude reference that is not AGL, AMSL or WGS84/W84 (or a KML altitudeMode Yunlu cannot map).</summary>
    public const string AltitudeReferenceUnknown = "altitude-reference-unknown";

    /// <summary>The ceiling is at or below the floor (same reference).</summary>
    public const string AltitudeBandInverted = "altitude-band-inverted";

    /// <summary>A unit of measure other than m/ft.</summary>
    public const string UomUnknown = "uom-unknown";

    /// <summary>A restriction that is not PROHIBITED, REQ_AUTHORISATION/REQ_AUTHORIZATION, CONDITIONAL or NO_RESTRICTION.</summary>
    public const string RestrictionUnknown = "restriction-unknown";

    /// <summary>A reason code that is neither an ED-269 reason nor a Yunlu (Chinese category) reason.</summary>
    public const string ReasonUnknown = "reason-unknown";

    /// <summary>A time window or weekly period that never applies (start at or after end, or no day).</summary>
    public const string ScheduleEmpty = "schedule-empty";

    /// <summary>A date-time or time of day that cannot be read.</summary>
    public const string TimeFormat = "time-format";

    /// <summary>A week-day code that is not MON..SUN or ANY.</summary>
    public const string DayUnknown = "day-unknown";

    /// <summary>Two features of one file share an identifier.</summary>
    public const string IdentifierDuplicate = "identifier-duplicate";

    /// <summary>An identifier longer than 64 characters (or empty).</summary>
    public const string IdentifierInvalid = "identifier-invalid";

    /// <summary>A country that is not an ISO 3166-1 alpha-3 code.</summary>
    public const string CountryInvalid = "country-invalid";

    /// <summary>An obstacle without <c>height</c> or <c>building:levels</c>.</summary>
    public const string HeightMissing = "height-missing";

    /// <summary>An obstacle height that is zero or negative.</summary>
    public const string HeightNonPositive = "height-non-positive";

    /// <summary>A site kind that Yunlu does not know.</summary>
    public const string KindUnknown = "kind-unknown";

    /// <summary>A value of a YES/NO or boolean field that is neither.</summary>
    public const string ValueUnknown = "value-unknown";
}
