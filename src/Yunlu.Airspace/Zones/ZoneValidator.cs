using System.Globalization;
using Yunlu.Airspace.Validation;
using Yunlu.Geo;

namespace Yunlu.Airspace.Zones;

/// <summary>
/// The one place that decides whether a <see cref="Zone"/> is acceptable. Importers, the API and the store call it
/// before anything is kept, so every path rejects the same things with the same field and rule.
/// </summary>
/// <remarks>
/// Floor and ceiling are compared when they are comparable without terrain: same reference (directly), or AMSL
/// against W84 (through the geoid at the footprint's centre; the undulation changes by centimetres per kilometre).
/// An AGL bound against an AMSL/W84 bound is not comparable without the ground and is accepted (the demo's airport
/// zone runs from 0 m AGL to 2000 m AMSL).
/// </remarks>
public static class ZoneValidator
{
    /// <summary>Longest identifier accepted.</summary>
    public const int MaxIdentifierLength = 64;

    /// <summary>Longest name accepted.</summary>
    public const int MaxNameLength = 500;

    /// <summary>Checks a zone and returns every problem found (empty when valid).</summary>
    /// <param name="zone">The zone.</param>
    /// <param name="geoid">Geoid used to compare AMSL with W84 bounds; <see cref="Egm96Geoid.Instance"/> when null.</param>
    public static IReadOnlyList<ValidationError> Validate(Zone? zone, IGeoid? geoid = null)
    {
        var errors = new List<ValidationError>();
        if (zone is null)
        {
            errors.Add(new ValidationError("zone", ValidationRules.Required, "a zone is required"));
            return errors;
        }

        if (string.IsNullOrWhiteSpace(zone.Identifier))
        {
            errors.Add(new ValidationError("identifier", ValidationRules.Required, "identifier must not be empty"));
        }
        else if (zone.Identifier.Length > MaxIdentifierLength)
        {
            errors.Add(new ValidationError("identifier", ValidationRules.TooLong, $"identifier has {zone.Identifier.Length} characters, at most {MaxIdentifierLength} are allowed"));
        }

        if (string.IsNullOrWhiteSpace(zone.Name))
        {
            errors.Add(new ValidationError("name", ValidationRules.Required, "name must not be empty"));
        }
        else if (zone.Name.Length > MaxNameLength)
        {
            errors.Add(new ValidationError("name", ValidationRules.TooLong, $"name has {zone.Name.Length} characters, at most {MaxNameLength} are allowed"));
        }

        if (zone.Country is null || zone.Country.Length != 3 || !IsUpperAscii(zone.Country))
        {
            errors.Add(new ValidationError("country", ValidationRules.UnknownValue, $"country '{zone.Country}' must be an ISO 3166-1 alpha-3 code such as CHN"));
        }

        if (!Enum.IsDefined(zone.Restriction))
        {
            errors.Add(new ValidationError("restriction", ValidationRules.UnknownValue, $"restriction {(int)zone.Restriction} is not PROHIBITED, REQ_AUTHORISATION, CONDITIONAL or NO_RESTRICTION"));
        }

        if (zone.Reasons is null || zone.Reasons.Count == 0)
        {
            errors.Add(new ValidationError("reasons", ValidationRules.Required, "at least one reason is required"));
        }
        else
        {
            for (int i = 0; i < zone.Reasons.Count; i++)
            {
                if (!Enum.IsDefined(zone.Reasons[i]))
                {
                    errors.Add(new ValidationError($"reasons[{i}]", ValidationRules.UnknownValue, $"reason {(int)zone.Reasons[i]} is not a known reason code"));
                }
            }
        }

        ValidateFootprint(zone.Footprint, "footprint", errors);
        ValidateBand(zone.Footprint, zone.Lower, zone.Upper, "lower", "upper", geoid, errors);
        ValidateApplicability(zone.Applicability, errors);
        return errors;
    }

    /// <summary>Validates and throws <see cref="AirspaceValidationException"/> listing every problem.</summary>
    /// <param name="zone">The zone.</param>
    /// <param name="geoid">Geoid for AMSL/W84 comparisons (EGM96 when null).</param>
    public static void ThrowIfInvalid(Zone zone, IGeoid? geoid = null)
    {
        IReadOnlyList<ValidationError> errors = Validate(zone, geoid);
        if (errors.Count > 0)
        {
            throw new AirspaceValidationException($"zone {zone?.Identifier}", errors);
        }
    }

    /// <summary>Checks a footprint: circles need a valid centre and a radius &gt; 0; polygons must be valid.</summary>
    internal static void ValidateFootprint(Footprint? footprint, string field, List<ValidationError> errors)
    {
        switch (footprint)
        {
            case null:
                errors.Add(new ValidationError(field, ValidationRules.Required, "a footprint (polygon or circle) is required"));
                return;
            case CircleFootprint c:
                if (!c.Center.IsValid)
                {
                    errors.Add(new ValidationError(field + ".center", ValidationRules.PositionInvalid, $"circle centre {c.Center}: lon must be in [-180, 180] and lat in [-90, 90]"));
                }

                if (!double.IsFinite(c.RadiusM))
                {
                    errors.Add(new ValidationError(field + ".radiusM", ValidationRules.NotFinite, "circle radius must be a finite number of metres"));
                }
                else if (c.RadiusM <= 0)
                {
                    errors.Add(new ValidationError(field + ".radiusM", ValidationRules.RadiusNotPositive, $"circle radius {Num(c.RadiusM)} m must be > 0"));
                }
                else if (c.RadiusM > FootprintGeometry.MaxCircleRadiusM)
                {
                    errors.Add(new ValidationError(field + ".radiusM", ValidationRules.OutOfRange, $"circle radius {Num(c.RadiusM)} m must be at most {Num(FootprintGeometry.MaxCircleRadiusM)} m"));
                }

                return;
            default:
                foreach (string message in footprint.Validate())
                {
                    errors.Add(new ValidationError(field, ValidationRules.FootprintInvalid, message));
                }

                return;
        }
    }

    /// <summary>Checks a floor/ceiling pair: known references, finite values, ceiling above floor when comparable.</summary>
    internal static void ValidateBand(Footprint? footprint, Altitude lower, Altitude upper, string lowerField, string upperField, IGeoid? geoid, List<ValidationError> errors)
    {
        bool ok = true;
        ok &= CheckAltitude(lower, lowerField, errors);
        ok &= CheckAltitude(upper, upperField, errors);
        if (!ok)
        {
            return;
        }

        double lowerM = lower.ValueM;
        double upperM = upper.ValueM;
        bool comparable = lower.Reference == upper.Reference;
        if (!comparable && lower.Reference != AltitudeReference.Agl && upper.Reference != AltitudeReference.Agl && footprint is not null)
        {
            // AMSL vs W84: bring both to W84 at the footprint's centre.
            GeoBounds b;
            try
            {
                b = footprint.BoundingBox();
            }
            catch (ArgumentException)
            {
                return;
            }

            var centre = new GeoPoint((b.WestLonDeg + b.EastLonDeg) / 2, (b.SouthLatDeg + b.NorthLatDeg) / 2);
            if (!centre.IsValid)
            {
                return;
            }

            double n = (geoid ?? Egm96Geoid.Instance).UndulationM(centre);
            lowerM += lower.Reference == AltitudeReference.Amsl ? n : 0;
            upperM += upper.Reference == AltitudeReference.Amsl ? n : 0;
            comparable = true;
        }

        if (comparable && !(upperM > lowerM))
        {
            errors.Add(new ValidationError(upperField, ValidationRules.CeilingBelowFloor, $"ceiling {upper} must be above the floor {lower}"));
        }
    }

    private static bool CheckAltitude(Altitude a, string field, List<ValidationError> errors)
    {
        if (!Enum.IsDefined(a.Reference))
        {
            errors.Add(new ValidationError(field + ".reference", ValidationRules.UnknownReference, $"altitude reference {(int)a.Reference} is not AGL, AMSL or W84"));
            return false;
        }

        if (!double.IsFinite(a.ValueM))
        {
            errors.Add(new ValidationError(field + ".valueM", ValidationRules.NotFinite, "altitude must be a finite number of metres"));
            return false;
        }

        if (a.ValueM < -1_000 || a.ValueM > 100_000)
        {
            errors.Add(new ValidationError(field + ".valueM", ValidationRules.OutOfRange, $"altitude {a} must be between -1000 m and 100000 m"));
            return false;
        }

        return true;
    }

    private static void ValidateApplicability(IReadOnlyList<ZoneApplicability>? list, List<ValidationError> errors)
    {
        if (list is null || list.Count == 0)
        {
            errors.Add(new ValidationError("applicability", ValidationRules.Required, "at least one applicability entry is required (use permanent)"));
            return;
        }

        for (int i = 0; i < list.Count; i++)
        {
            string f = $"applicability[{i}]";
            ZoneApplicability? a = list[i];
            if (a is null)
            {
                errors.Add(new ValidationError(f, ValidationRules.Required, "applicability entry must not be null"));
                continue;
            }

            if (a.Permanent)
            {
                continue;
            }

            if (a.Start is { } s && a.End is { } e && e <= s)
            {
                errors.Add(new ValidationError(f + ".end", ValidationRules.ScheduleNeverApplies, $"the schedule never applies: end {Time(e)} is not after start {Time(s)}"));
                continue;
            }

            bool periodsOk = true;
            for (int k = 0; k < (a.Weekly?.Count ?? 0); k++)
            {
                WeeklyPeriod? p = a.Weekly![k];
                if (p is null || (p.Days & WeekDays.Any) == WeekDays.None)
                {
                    errors.Add(new ValidationError($"{f}.weekly[{k}].days", ValidationRules.ScheduleNeverApplies, "the weekly period names no day, so it never applies"));
                    periodsOk = false;
                }
                else if ((p.Days & ~WeekDays.Any) != 0)
                {
                    errors.Add(new ValidationError($"{f}.weekly[{k}].days", ValidationRules.UnknownValue, $"days value {(int)p.Days} has bits outside MON..SUN"));
                    periodsOk = false;
                }
            }

            if (periodsOk && a.NeverApplies)
            {
                errors.Add(new ValidationError(f + ".weekly", ValidationRules.ScheduleNeverApplies,
                    $"the schedule never applies: no weekly period falls between {Time(a.Start!.Value)} and {Time(a.End!.Value)}"));
            }
        }
    }

    private static bool IsUpperAscii(string s)
    {
        foreach (char c in s)
        {
            if (c is < 'A' or > 'Z')
            {
                return false;
            }
        }

        return true;
    }

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
