namespace Yunlu.Airspace.Validation;

/// <summary>One problem with one input: which field, which rule it broke, and a readable message.</summary>
/// <param name="Field">The field, path-like (e.g. <c>applicability[0].end</c>, <c>corridors[3].widthM</c>).</param>
/// <param name="Rule">A stable rule code from <see cref="ValidationRules"/> (e.g. <c>ceiling-below-floor</c>).</param>
/// <param name="Message">A readable explanation that names the offending value.</param>
public sealed record ValidationError(string Field, string Rule, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Message} [{Rule}]";
}

/// <summary>Thrown when an airspace object breaks one or more rules; carries every error found.</summary>
public sealed class AirspaceValidationException : Exception
{
    /// <summary>Creates the exception from the errors found (at least one).</summary>
    /// <param name="subject">What was validated, e.g. <c>zone GY-AP01</c>.</param>
    /// <param name="errors">Every error found.</param>
    public AirspaceValidationException(string subject, IReadOnlyList<ValidationError> errors)
        : base($"{subject} is invalid: " + string.Join("; ", errors))
    {
        Errors = errors;
    }

    /// <summary>Every error found.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }
}

/// <summary>Stable rule codes used in <see cref="ValidationError.Rule"/>.</summary>
public static class ValidationRules
{
    /// <summary>A required value is missing or empty.</summary>
    public const string Required = "required";

    /// <summary>A text is longer than allowed.</summary>
    public const string TooLong = "too-long";

    /// <summary>A value is not one of the allowed codes or enum members.</summary>
    public const string UnknownValue = "unknown-value";

    /// <summary>An altitude reference is not AGL, AMSL or W84.</summary>
    public const string UnknownReference = "unknown-reference";

    /// <summary>A number is NaN or infinite.</summary>
    public const string NotFinite = "not-finite";

    /// <summary>A number is outside its allowed range.</summary>
    public const string OutOfRange = "out-of-range";

    /// <summary>The ceiling is not above the floor (compared in one reference).</summary>
    public const string CeilingBelowFloor = "ceiling-below-floor";

    /// <summary>A circle radius is zero or negative.</summary>
    public const string RadiusNotPositive = "radius-not-positive";

    /// <summary>A footprint polygon is invalid (ring, self-intersection, coordinate range, vertex limit).</summary>
    public const string FootprintInvalid = "footprint-invalid";

    /// <summary>A schedule can never apply.</summary>
    public const string ScheduleNeverApplies = "schedule-never-applies";

    /// <summary>A referenced node or object does not exist.</summary>
    public const string UnknownNode = "unknown-node";

    /// <summary>Two objects share an identifier.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>A leg or segment has zero length.</summary>
    public const string ZeroLength = "zero-length";

    /// <summary>A width is zero or negative.</summary>
    public const string WidthNotPositive = "width-not-positive";

    /// <summary>A position is not a valid lon/lat.</summary>
    public const string PositionInvalid = "position-invalid";

    /// <summary>A value has the wrong JSON type or syntax.</summary>
    public const string Syntax = "syntax";
}
