using System.Globalization;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;

namespace Yunlu.Formats.Zones;

/// <summary>The text codes of zone enumerations as the formats spell them, both ways.</summary>
public static class ZoneCodes
{
    /// <summary>Metres in one international foot (exact).</summary>
    public const double MetresPerFoot = 0.3048;

    private static readonly (string Code, ZoneReason Reason)[] Reasons =
    [
        ("AIR_TRAFFIC", ZoneReason.AirTraffic),
        ("SENSITIVE", ZoneReason.Sensitive),
        ("PRIVACY", ZoneReason.Privacy),
        ("POPULATION", ZoneReason.Population),
        ("NATURE", ZoneReason.Nature),
        ("NOISE", ZoneReason.Noise),
        ("FOREIGN_TERRITORY", ZoneReason.ForeignTerritory),
        ("EMERGENCY", ZoneReason.Emergency),
        ("OTHER", ZoneReason.Other),
        ("AIRPORT", ZoneReason.Airport),
        ("MILITARY", ZoneReason.Military),
        ("BORDER", ZoneReason.Border),
        ("INFRASTRUCTURE", ZoneReason.Infrastructure),
        ("RADIO_STATION", ZoneReason.RadioStation),
        ("HERITAGE", ZoneReason.Heritage),
        ("TEMPORARY", ZoneReason.Temporary),
    ];

    private static readonly string[] DayCodes = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];

    /// <summary>Reads a restriction: PROHIBITED, REQ_AUTHORISATION (ED-269) or REQ_AUTHORIZATION (ED-318),
    /// CONDITIONAL, NO_RESTRICTION; case-insensitive.</summary>
    public static bool TryParseRestriction(string? text, out ZoneRestriction restriction)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "PROHIBITED":
                restriction = ZoneRestriction.Prohibited;
                return true;
            case "REQ_AUTHORISATION":
            case "REQ_AUTHORIZATION":
                restriction = ZoneRestriction.ReqAuthorisation;
                return true;
            case "CONDITIONAL":
                restriction = ZoneRestriction.Conditional;
                return true;
            case "NO_RESTRICTION":
                restriction = ZoneRestriction.NoRestriction;
                return true;
            default:
                restriction = default;
                return false;
        }
    }

    /// <summary>The restriction's code; <paramref name="americanSpelling"/> gives ED-318's REQ_AUTHORIZATION.</summary>
    public static string RestrictionCode(ZoneRestriction restriction, bool americanSpelling) => restriction switch
    {
        ZoneRestriction.Prohibited => "PROHIBITED",
        ZoneRestriction.ReqAuthorisation => americanSpelling ? "REQ_AUTHORIZATION" : "REQ_AUTHORISATION",
        ZoneRestriction.Conditional => "CONDITIONAL",
        _ => "NO_RESTRICTION",
    };

    /// <summary>Reads a reason code: the ED-269 reasons, Yunlu's Chinese categories (AIRPORT, MILITARY, BORDER,
    /// INFRASTRUCTURE, RADIO_STATION, HERITAGE, TEMPORARY) and ED-318's DAR (→ Temporary); case-insensitive.</summary>
    public static bool TryParseReason(string? text, out ZoneReason reason)
    {
        string upper = text?.Trim().ToUpperInvariant() ?? "";
        if (upper == "DAR")
        {
            reason = ZoneReason.Temporary;
            return true;
        }

        foreach ((string code, ZoneReason r) in Reasons)
        {
            if (string.Equals(code, upper, StringComparison.Ordinal))
            {
                reason = r;
                return true;
            }
        }

        reason = default;
        return false;
    }

    /// <summary>The reason's code (Yunlu spelling).</summary>
    public static string ReasonCode(ZoneReason reason)
    {
        foreach ((string code, ZoneReason r) in Reasons)
        {
            if (r == reason)
            {
                return code;
            }
        }

        return "OTHER";
    }

    /// <summary>True for the nine reasons ED-269 itself defines.</summary>
    public static bool IsEd269Reason(ZoneReason reason) => reason <= ZoneReason.Other;

    /// <summary>Reads AGL, AMSL, WGS84 or W84 (case-insensitive).</summary>
    public static bool TryParseReference(string? text, out AltitudeReference reference)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "AGL":
                reference = AltitudeReference.Agl;
                return true;
            case "AMSL":
            case "MSL":
                reference = AltitudeReference.Amsl;
                return true;
            case "WGS84":
            case "W84":
                reference = AltitudeReference.W84;
                return true;
            default:
                reference = default;
                return false;
        }
    }

    /// <summary>ED-269/ED-318 spelling: AGL, AMSL, WGS84.</summary>
    public static string ReferenceCodeEd(AltitudeReference reference) => reference switch
    {
        AltitudeReference.Agl => "AGL",
        AltitudeReference.Amsl => "AMSL",
        _ => "WGS84",
    };

    /// <summary>Yunlu spelling: AGL, AMSL, W84.</summary>
    public static string ReferenceCodeYunlu(AltitudeReference reference) => reference switch
    {
        AltitudeReference.Agl => "AGL",
        AltitudeReference.Amsl => "AMSL",
        _ => "W84",
    };

    /// <summary>Metres per unit for "M"/"m" (1) and "FT"/"ft" (0.3048); false otherwise.</summary>
    public static bool TryParseUom(string? text, out double metresPerUnit)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "M":
                metresPerUnit = 1;
                return true;
            case "FT":
                metresPerUnit = MetresPerFoot;
                return true;
            default:
                metresPerUnit = 0;
                return false;
        }
    }

    /// <summary>MON..SUN or ANY.</summary>
    public static bool TryParseDay(string? text, out WeekDays day)
    {
        string upper = text?.Trim().ToUpperInvariant() ?? "";
        if (upper == "ANY")
        {
            day = WeekDays.Any;
            return true;
        }

        for (int i = 0; i < DayCodes.Length; i++)
        {
            if (string.Equals(DayCodes[i], upper, StringComparison.Ordinal))
            {
                day = (WeekDays)(1 << i);
                return true;
            }
        }

        day = WeekDays.None;
        return false;
    }

    /// <summary>The day codes of a set: ["ANY"] for every day, else MON..SUN in order.</summary>
    public static List<string> DayList(WeekDays days)
    {
        if (days == WeekDays.Any)
        {
            return ["ANY"];
        }

        var list = new List<string>(7);
        for (int i = 0; i < DayCodes.Length; i++)
        {
            if (((int)days & (1 << i)) != 0)
            {
                list.Add(DayCodes[i]);
            }
        }

        return list;
    }

    /// <summary>Reads an RFC 3339 / ISO 8601 date-time; no offset means UTC. Returned in UTC.</summary>
    public static bool TryParseDateTime(string? text, out DateTimeOffset value)
    {
        if (text is not null &&
            DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out value))
        {
            value = value.ToUniversalTime();
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Writes a date-time as RFC 3339 UTC with only the fraction digits needed.</summary>
    public static string FormatDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads a UTC time of day: HH:mm, HH:mm:ss or HH:mm:ss.fff, optionally followed by Z. "24:00" is the
    /// end of the day (<paramref name="endOfDay"/> true).</summary>
    public static bool TryParseTimeOfDay(string? text, out TimeOnly value, out bool endOfDay)
    {
        endOfDay = false;
        value = default;
        if (text is null)
        {
            return false;
        }

        string t = text.Trim();
        if (t.EndsWith('Z') || t.EndsWith('z'))
        {
            t = t[..^1];
        }

        if (t is "24:00" or "24:00:00" or "24:00:00.00" or "24:00:00.000")
        {
            endOfDay = true;
            return true;
        }

        string[] formats = ["HH':'mm", "HH':'mm':'ss", "HH':'mm':'ss'.'FFFFFFF"];
        return TimeOnly.TryParseExact(t, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    /// <summary>Writes a time of day as HH:mm:ss[.fffffff]; <see cref="TimeOnly.MaxValue"/> is written as 24:00:00.</summary>
    public static string FormatTimeOfDay(TimeOnly value) =>
        value == TimeOnly.MaxValue ? "24:00:00" : value.ToString("HH':'mm':'ss.FFFFFFF", CultureInfo.InvariantCulture);
}
