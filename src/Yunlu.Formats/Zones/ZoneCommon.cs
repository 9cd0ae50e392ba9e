using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Yunlu.Airspace.Zones;
using Yunlu.Formats.Internal;
using Yunlu.Geo;

namespace Yunlu.Formats.Zones;

/// <summary>The attributes shared by every geometry component of one zone feature.</summary>
internal sealed class ZoneAttributes
{
    public string? Identifier { get; set; }

    public string? Name { get; set; }

    public string Country { get; set; } = "CHN";

    public ZoneRestriction Restriction { get; set; }

    public List<ZoneReason> Reasons { get; } = [];

    public IReadOnlyList<ZoneApplicability> Applicability { get; set; } = [ZoneApplicability.Always];

    public ZoneAuthority? Authority { get; set; }

    public string? Message { get; set; }
}

/// <summary>One horizontal shape with its band.</summary>
internal readonly record struct ZoneVolume(Footprint Footprint, Altitude Lower, Altitude Upper);

/// <summary>Checks and pieces shared by the zone readers and writers.</summary>
internal static class ZoneCommon
{
    /// <summary>Longest identifier Yunlu keeps (ED-269 itself allows 7 characters).</summary>
    public const int MaxIdentifierLength = 64;

    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The ED-269 / ED-318 identity of a zone: <c>identifier</c> and <c>country</c> (both required, checked) from
    /// <paramref name="obj"/>, whose fields are reported under <paramref name="prefix"/>; the identifier also names
    /// the feature in later errors.
    /// </summary>
    public static void ReadEdIdentity(JsonElement obj, string prefix, ImportErrors errors, ZoneAttributes into)
    {
        into.Identifier = JsonInput.GetString(obj, "identifier", prefix, errors, required: true);
        errors.FeatureId = into.Identifier;
        CheckIdentifier(into.Identifier, JsonInput.Path(prefix, "identifier"), errors);
        string? country = JsonInput.GetString(obj, "country", prefix, errors, required: true);
        CheckCountry(country, JsonInput.Path(prefix, "country"), errors);
        into.Country = country ?? "";
    }

    /// <summary>The first entry of an ED-269 / ED-318 <c>zoneAuthority</c> array (optional; Yunlu keeps one authority).</summary>
    public static void ReadEdAuthority(JsonElement obj, string prefix, ImportErrors errors, ZoneAttributes into)
    {
        JsonElement? authorities = JsonInput.GetArray(obj, "zoneAuthority", prefix, errors, required: false);
        if (authorities is not null && authorities.Value.GetArrayLength() > 0)
        {
            into.Authority = ReadAuthority(authorities.Value[0], JsonInput.Path(prefix, "zoneAuthority[0]"), errors);
        }
    }

    public static void CheckIdentifier(string? identifier, string field, ImportErrors errors)
    {
        if (identifier is null)
        {
            return;
        }

        if (identifier.Length == 0 || identifier.Length > MaxIdentifierLength || string.IsNullOrWhiteSpace(identifier))
        {
            errors.Add(field, ImportRules.IdentifierInvalid, $"an identifier must have 1..{MaxIdentifierLength} characters, found {identifier.Length}");
        }
    }

    public static void CheckCountry(string? country, string field, ImportErrors errors)
    {
        if (country is null)
        {
            return;
        }

        bool ok = country.Length == 3;
        foreach (char c in country)
        {
            ok &= c is >= 'A' and <= 'Z';
        }

        if (!ok)
        {
            errors.Add(field, ImportRules.CountryInvalid, $"country must be an ISO 3166-1 alpha-3 code such as CHN, found '{country}'");
        }
    }

    public static void ReadRestriction(string? text, string field, ImportErrors errors, ZoneAttributes into)
    {
        if (text is null)
        {
            return;
        }

        if (ZoneCodes.TryParseRestriction(text, out ZoneRestriction r))
        {
            into.Restriction = r;
        }
        else
        {
            errors.Add(field, ImportRules.RestrictionUnknown, $"unknown restriction '{text}' (PROHIBITED, REQ_AUTHORISATION, REQ_AUTHORIZATION, CONDITIONAL, NO_RESTRICTION)");
        }
    }

    /// <summary>Reads a reason list (array of codes, or a single code).</summary>
    public static void ReadReasons(JsonElement value, string field, ImportErrors errors, List<ZoneReason> into)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            AddReason(value.GetString(), field, errors, into);
            return;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(field, ImportRules.TypeMismatch, $"expected an array of reason codes, found {JsonInput.Describe(value.ValueKind)}");
            return;
        }

        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            string f = JsonInput.Index(field, i++);
            if (item.ValueKind != JsonValueKind.String)
            {
                errors.Add(f, ImportRules.TypeMismatch, $"expected a reason code string, found {JsonInput.Describe(item.ValueKind)}");
                continue;
            }

            AddReason(item.GetString(), f, errors, into);
        }
    }

    private static void AddReason(string? code, string field, ImportErrors errors, List<ZoneReason> into)
    {
        if (ZoneCodes.TryParseReason(code, out ZoneReason reason))
        {
            if (!into.Contains(reason))
            {
                into.Add(reason);
            }
        }
        else
        {
            errors.Add(field, ImportRules.ReasonUnknown, $"unknown reason '{code}'");
        }
    }

    /// <summary>ED-269/ED-318 keep Yunlu's Chinese reasons in extendedProperties.yunlu.reasons (the standard reason
    /// list then says OTHER); when present it replaces the standard list.</summary>
    public static void ReadExtendedReasons(JsonElement feature, string prefix, ImportErrors errors, ZoneAttributes into)
    {
        if (JsonInput.TryGet(feature, "extendedProperties", out JsonElement ext) && ext.ValueKind == JsonValueKind.Object &&
            JsonInput.TryGet(ext, "yunlu", out JsonElement yunlu) && yunlu.ValueKind == JsonValueKind.Object &&
            JsonInput.TryGet(yunlu, "reasons", out JsonElement reasons))
        {
            into.Reasons.Clear();
            ReadReasons(reasons, JsonInput.Path(prefix, "extendedProperties.yunlu.reasons"), errors, into.Reasons);
        }
    }

    public static void WriteExtendedReasons(Utf8JsonWriter w, Zone zone)
    {
        bool any = false;
        foreach (ZoneReason r in zone.Reasons)
        {
            any |= !ZoneCodes.IsEd269Reason(r);
        }

        if (!any)
        {
            return;
        }

        w.WriteStartObject("extendedProperties");
        w.WriteStartObject("yunlu");
        w.WriteStartArray("reasons");
        foreach (ZoneReason r in zone.Reasons)
        {
            w.WriteStringValue(ZoneCodes.ReasonCode(r));
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The ED-269 reason list: standard reasons as they are, Chinese categories folded into OTHER.</summary>
    public static List<string> StandardReasonCodes(Zone zone)
    {
        var codes = new List<string>(zone.Reasons.Count);
        foreach (ZoneReason r in zone.Reasons)
        {
            string code = ZoneCodes.IsEd269Reason(r) ? ZoneCodes.ReasonCode(r) : "OTHER";
            if (!codes.Contains(code))
            {
                codes.Add(code);
            }
        }

        return codes;
    }

    /// <summary>The Chinese categories as readable text for otherReasonInfo.</summary>
    public static string? OtherReasonInfo(Zone zone)
    {
        List<string>? parts = null;
        foreach (ZoneReason r in zone.Reasons)
        {
            if (!ZoneCodes.IsEd269Reason(r))
            {
                (parts ??= []).Add(ZoneCodes.ReasonCode(r));
            }
        }

        return parts is null ? null : string.Join(',', parts);
    }

    public static AltitudeReference? ReadReference(JsonElement obj, string name, string prefix, ImportErrors errors)
    {
        if (!JsonInput.TryGet(obj, name, out JsonElement v))
        {
            errors.Add(JsonInput.Path(prefix, name), ImportRules.AltitudeReferenceMissing, "the altitude has no reference (AGL, AMSL or WGS84)");
            return null;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            errors.Add(JsonInput.Path(prefix, name), ImportRules.TypeMismatch, $"expected a reference string, found {JsonInput.Describe(v.ValueKind)}");
            return null;
        }

        if (ZoneCodes.TryParseReference(v.GetString(), out AltitudeReference r))
        {
            return r;
        }

        errors.Add(JsonInput.Path(prefix, name), ImportRules.AltitudeReferenceUnknown, $"unknown altitude reference '{v.GetString()}' (AGL, AMSL, WGS84)");
        return null;
    }

    /// <summary>Metres per unit of a uom field; absent means metres when <paramref name="required"/> is false.</summary>
    public static double? ReadUom(JsonElement obj, string name, string prefix, ImportErrors errors, bool required)
    {
        string? text = JsonInput.GetString(obj, name, prefix, errors, required);
        if (text is null)
        {
            return required || (JsonInput.TryGet(obj, name, out _)) ? null : 1;
        }

        if (ZoneCodes.TryParseUom(text, out double perUnit))
        {
            return perUnit;
        }

        errors.Add(JsonInput.Path(prefix, name), ImportRules.UomUnknown, $"unknown unit '{text}' (M or FT)");
        return null;
    }

    /// <summary>
    /// The band of an ED-269 geometry component or ED-318 layer from limits already read in the file's unit
    /// (<paramref name="perUnit"/> metres per unit), checked with <see cref="CheckBand"/> (reported at
    /// <paramref name="upperField"/>); null when any part is missing (its error is already reported).
    /// </summary>
    public static (Altitude Lower, Altitude Upper)? Band(
        double? perUnit, double? lower, AltitudeReference? lowerRef, double? upper, AltitudeReference? upperRef, string upperField, ImportErrors errors)
    {
        if (perUnit is null || lower is null || upper is null || lowerRef is null || upperRef is null)
        {
            return null;
        }

        var lo = new Altitude(lower.Value * perUnit.Value, lowerRef.Value);
        var up = new Altitude(upper.Value * perUnit.Value, upperRef.Value);
        CheckBand(lo, up, upperField, errors);
        return (lo, up);
    }

    public static void CheckBand(Altitude lower, Altitude upper, string field, ImportErrors errors)
    {
        if (lower.Reference == upper.Reference && upper.ValueM <= lower.ValueM)
        {
            errors.Add(field, ImportRules.AltitudeBandInverted, $"the ceiling {upper} must be above the floor {lower}");
        }
    }

    /// <summary>Reads an applicability list in any of the JSON shapes: Yunlu (permanent true/false), ED-269
    /// (permanent YES/NO) and ED-318 (no permanent member): startDateTime, endDateTime,
    /// schedule[{day[], startTime, endTime}]. An absent or empty list means always.</summary>
    public static IReadOnlyList<ZoneApplicability> ReadApplicability(JsonElement value, string field, ImportErrors errors)
    {
        var result = new List<ZoneApplicability>();
        if (value.ValueKind == JsonValueKind.Object)
        {
            ReadPeriod(value, field, errors, result);
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (JsonElement entry in value.EnumerateArray())
            {
                string f = JsonInput.Index(field, i++);
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(f, ImportRules.TypeMismatch, $"expected an applicability object, found {JsonInput.Describe(entry.ValueKind)}");
                    continue;
                }

                ReadPeriod(entry, f, errors, result);
            }
        }
        else
        {
            errors.Add(field, ImportRules.TypeMismatch, $"expected an array of applicability entries, found {JsonInput.Describe(value.ValueKind)}");
        }

        return result.Count == 0 ? [ZoneApplicability.Always] : result;
    }

    private static void ReadPeriod(JsonElement entry, string field, ImportErrors errors, List<ZoneApplicability> into)
    {
        if (JsonInput.TryGet(entry, "permanent", out JsonElement p))
        {
            bool? permanent = p.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String when string.Equals(p.GetString(), "YES", StringComparison.OrdinalIgnoreCase) => true,
                JsonValueKind.String when string.Equals(p.GetString(), "NO", StringComparison.OrdinalIgnoreCase) => false,
                _ => null,
            };
            if (permanent is null)
            {
                errors.Add(JsonInput.Path(field, "permanent"), ImportRules.ValueUnknown, "permanent must be YES/NO or true/false");
                return;
            }

            if (permanent.Value)
            {
                into.Add(ZoneApplicability.Always);
                return;
            }
        }

        DateTimeOffset? start = ReadDateTime(entry, "startDateTime", field, errors);
        DateTimeOffset? end = ReadDateTime(entry, "endDateTime", field, errors);
        if (start is not null && end is not null && start.Value >= end.Value)
        {
            errors.Add(JsonInput.Path(field, "endDateTime"), ImportRules.ScheduleEmpty,
                $"the period never applies: end {ZoneCodes.FormatDateTime(end.Value)} is not after start {ZoneCodes.FormatDateTime(start.Value)}");
        }

        var weekly = new List<WeeklyPeriod>();
        if (JsonInput.TryGet(entry, "schedule", out JsonElement schedule))
        {
            string sf = JsonInput.Path(field, "schedule");
            if (schedule.ValueKind == JsonValueKind.Object)
            {
                ReadDaily(schedule, sf, errors, weekly);
            }
            else if (schedule.ValueKind == JsonValueKind.Array)
            {
                int i = 0;
                foreach (JsonElement daily in schedule.EnumerateArray())
                {
                    string f = JsonInput.Index(sf, i++);
                    if (daily.ValueKind != JsonValueKind.Object)
                    {
                        errors.Add(f, ImportRules.TypeMismatch, $"expected a daily period object, found {JsonInput.Describe(daily.ValueKind)}");
                        continue;
                    }

                    ReadDaily(daily, f, errors, weekly);
                }
            }
            else
            {
                errors.Add(sf, ImportRules.TypeMismatch, $"expected an array of daily periods, found {JsonInput.Describe(schedule.ValueKind)}");
            }
        }

        into.Add(new ZoneApplicability(false, start, end, weekly));
    }

    private static DateTimeOffset? ReadDateTime(JsonElement obj, string name, string prefix, ImportErrors errors)
    {
        string? text = JsonInput.GetString(obj, name, prefix, errors, required: false);
        if (text is null)
        {
            return null;
        }

        if (ZoneCodes.TryParseDateTime(text, out DateTimeOffset value))
        {
            return value;
        }

        errors.Add(JsonInput.Path(prefix, name), ImportRules.TimeFormat, $"'{text}' is not an ISO 8601 date-time such as 2025-06-01T00:00:00Z");
        return null;
    }

    private static void ReadDaily(JsonElement daily, string field, ImportErrors errors, List<WeeklyPeriod> into)
    {
        WeekDays days = WeekDays.None;
        bool ok = true;
        if (!JsonInput.TryGet(daily, "day", out JsonElement day))
        {
            errors.Add(JsonInput.Path(field, "day"), ImportRules.FieldMissing, "'day' is required (MON..SUN or ANY)");
            return;
        }

        if (day.ValueKind == JsonValueKind.String)
        {
            ok &= AddDay(day.GetString(), JsonInput.Path(field, "day"), errors, ref days);
        }
        else if (day.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (JsonElement d in day.EnumerateArray())
            {
                string f = JsonInput.Index(JsonInput.Path(field, "day"), i++);
                if (d.ValueKind != JsonValueKind.String)
                {
                    errors.Add(f, ImportRules.TypeMismatch, $"expected a day code, found {JsonInput.Describe(d.ValueKind)}");
                    ok = false;
                    continue;
                }

                ok &= AddDay(d.GetString(), f, errors, ref days);
            }
        }
        else
        {
            errors.Add(JsonInput.Path(field, "day"), ImportRules.TypeMismatch, $"expected day codes, found {JsonInput.Describe(day.ValueKind)}");
            return;
        }

        if (!ok)
        {
            return;
        }

        if (days == WeekDays.None)
        {
            errors.Add(JsonInput.Path(field, "day"), ImportRules.ScheduleEmpty, "the daily period names no day, so it never applies");
            return;
        }

        TimeOnly start = TimeOnly.MinValue;
        bool startEod = false;
        TimeOnly end = TimeOnly.MinValue;
        bool endEod = true;
        if (!ReadTime(daily, "startTime", field, errors, ref start, ref startEod) || !ReadTime(daily, "endTime", field, errors, ref end, ref endEod))
        {
            return;
        }

        if (startEod)
        {
            errors.Add(JsonInput.Path(field, "startTime"), ImportRules.ScheduleEmpty, "a period cannot start at 24:00");
            return;
        }

        if (endEod)
        {
            // 00:00-24:00 is the whole day (start = end in the model); otherwise up to the last instant of the day.
            end = start == TimeOnly.MinValue ? TimeOnly.MinValue : TimeOnly.MaxValue;
        }
        else if (end < start)
        {
            errors.Add(JsonInput.Path(field, "endTime"), ImportRules.ScheduleEmpty,
                $"the period ends ({ZoneCodes.FormatTimeOfDay(end)}) before it starts ({ZoneCodes.FormatTimeOfDay(start)}); split a period across midnight in two");
            return;
        }

        into.Add(new WeeklyPeriod(days, start, end));
    }

    private static bool AddDay(string? code, string field, ImportErrors errors, ref WeekDays days)
    {
        if (ZoneCodes.TryParseDay(code, out WeekDays d))
        {
            days |= d;
            return true;
        }

        errors.Add(field, ImportRules.DayUnknown, $"unknown day '{code}' (MON, TUE, WED, THU, FRI, SAT, SUN, ANY)");
        return false;
    }

    private static bool ReadTime(JsonElement obj, string name, string prefix, ImportErrors errors, ref TimeOnly value, ref bool endOfDay)
    {
        if (!JsonInput.TryGet(obj, name, out _))
        {
            return true;
        }

        string? text = JsonInput.GetString(obj, name, prefix, errors, required: false);
        if (text is null)
        {
            return false;
        }

        if (ZoneCodes.TryParseTimeOfDay(text, out value, out endOfDay))
        {
            return true;
        }

        errors.Add(JsonInput.Path(prefix, name), ImportRules.TimeFormat, $"'{text}' is not a UTC time of day such as 08:00:00Z");
        return false;
    }

    /// <summary>How applicability is spelled on output.</summary>
    public enum PermanentStyle
    {
        /// <summary>permanent: true/false.</summary>
        Boolean,

        /// <summary>permanent: "YES"/"NO" (ED-269).</summary>
        YesNo,

        /// <summary>No permanent member (ED-318 limitedApplicability).</summary>
        None,
    }

    public static void WriteApplicability(Utf8JsonWriter w, IReadOnlyList<ZoneApplicability> list, PermanentStyle style, bool timeZ)
    {
        w.WriteStartArray();
        foreach (ZoneApplicability a in list)
        {
            w.WriteStartObject();
            if (style == PermanentStyle.Boolean)
            {
                w.WriteBoolean("permanent", a.Permanent);
            }
            else if (style == PermanentStyle.YesNo)
            {
                w.WriteString("permanent", a.Permanent ? "YES" : "NO");
            }

            if (!a.Permanent)
            {
                if (a.Start is { } s)
                {
                    w.WriteString("startDateTime", ZoneCodes.FormatDateTime(s));
                }

                if (a.End is { } e)
                {
                    w.WriteString("endDateTime", ZoneCodes.FormatDateTime(e));
                }

                if (a.Weekly.Count > 0)
                {
                    w.WriteStartArray("schedule");
                    foreach (WeeklyPeriod p in a.Weekly)
                    {
                        w.WriteStartObject();
                        w.WriteStartArray("day");
                        foreach (string d in ZoneCodes.DayList(p.Days))
                        {
                            w.WriteStringValue(d);
                        }

                        w.WriteEndArray();
                        string z = timeZ ? "Z" : "";
                        w.WriteString("startTime", ZoneCodes.FormatTimeOfDay(p.StartTime) + z);
                        w.WriteString("endTime", (p.StartTime == p.EndTime ? (p.StartTime == TimeOnly.MinValue ? "24:00:00" : ZoneCodes.FormatTimeOfDay(p.EndTime)) : ZoneCodes.FormatTimeOfDay(p.EndTime)) + z);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Reads an authority object (ED-269 zoneAuthority entry; texts may be ED-318 lists).</summary>
    public static ZoneAuthority? ReadAuthority(JsonElement obj, string field, ImportErrors errors)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            errors.Add(field, ImportRules.TypeMismatch, $"expected an authority object, found {JsonInput.Describe(obj.ValueKind)}");
            return null;
        }

        string? name = JsonInput.GetText(obj, "name", field, errors);
        string? service = JsonInput.GetText(obj, "service", field, errors);
        string? email = JsonInput.GetString(obj, "email", field, errors, required: false);
        string? phone = JsonInput.GetString(obj, "phone", field, errors, required: false);
        string? site = JsonInput.GetString(obj, "siteURL", field, errors, required: false);
        string? purpose = JsonInput.GetString(obj, "purpose", field, errors, required: false);
        return new ZoneAuthority(name ?? "", service, email, phone, site, purpose);
    }

    public static void WriteAuthority(Utf8JsonWriter w, ZoneAuthority a, bool textLists)
    {
        w.WriteStartObject();
        WriteText(w, "name", a.Name, textLists);
        if (a.Service is not null)
        {
            WriteText(w, "service", a.Service, textLists);
        }

        WriteOptional(w, "email", a.Email);
        WriteOptional(w, "phone", a.Phone);
        WriteOptional(w, "siteURL", a.SiteUrl);
        WriteOptional(w, "purpose", a.Purpose);
        w.WriteEndObject();
    }

    public static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    /// <summary>A text; as an ED-318 list of {lang, text} when <paramref name="asList"/> (lang zh-CN when the text has
    /// CJK characters, else en-GB).</summary>
    public static void WriteText(Utf8JsonWriter w, string name, string value, bool asList)
    {
        if (!asList)
        {
            w.WriteString(name, value);
            return;
        }

        w.WriteStartArray(name);
        w.WriteStartObject();
        w.WriteString("lang", HasCjk(value) ? "zh-CN" : "en-GB");
        w.WriteString("text", value);
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static bool HasCjk(string s)
    {
        foreach (char c in s)
        {
            if (c is >= '\u3400' and <= '\u9FFF')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Turns a feature's attributes and volumes into zones: one zone per volume, identified by the
    /// feature's identifier when there is one volume and by identifier/1, identifier/2, ... otherwise.
    /// Nothing is produced when the feature had an error.</summary>
    public static void Emit(ZoneAttributes a, List<ZoneVolume> volumes, int errorsBefore, ImportErrors errors, HashSet<string> seen, List<Zone> into)
    {
        if (a.Identifier is not null)
        {
            for (int i = 0; i < volumes.Count || (i == 0 && volumes.Count == 0); i++)
            {
                string id = volumes.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $"{a.Identifier}/{i + 1}") : a.Identifier;
                if (!seen.Add(id))
                {
                    errors.Add("identifier", ImportRules.IdentifierDuplicate, $"identifier '{id}' is used by an earlier feature of this file");
                }
            }
        }

        if (errors.Count != errorsBefore || a.Identifier is null || volumes.Count == 0)
        {
            return;
        }

        IReadOnlyList<ZoneReason> reasons = a.Reasons.Count == 0 ? [ZoneReason.Other] : a.Reasons.ToArray();
        for (int i = 0; i < volumes.Count; i++)
        {
            string id = volumes.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $"{a.Identifier}/{i + 1}") : a.Identifier;
            ZoneVolume v = volumes[i];
            into.Add(new Zone(id, a.Name ?? a.Identifier, a.Country, a.Restriction, reasons, v.Footprint, v.Lower, v.Upper, a.Applicability, a.Authority, a.Message));
        }
    }
}
