using System.Globalization;
using System.Text.Json;
using Yunlu.Airspace.Validation;
using Yunlu.Airspace.Zones;

namespace Yunlu.Airspace.Rules;

/// <summary>Reads the rule-file JSON into a <see cref="RuleSet"/>, collecting every error with its JSON path.
/// Unknown members are errors too, so a misspelt threshold cannot be silently ignored.</summary>
internal static class RuleSetReader
{
    private static readonly string[] RootMembers = ["id", "title", "source", "localUtcOffset", "controlledAboveTrueHeightM", "classes", "application", "zoneRestrictionVerdicts", "checks"];
    private static readonly string[] ClassMembers = ["class", "label", "emptyMassKgLessThan", "emptyMassKgAtMost", "mtomKgAtMost", "maxSpeedKmhAtMost", "openAirspaceMaxTrueHeightM", "pilotLicenceRequired", "alwaysNeedsApproval"];
    private static readonly string[] ApplicationMembers = ["daysBefore", "deadlineLocalTime", "decisionLocalTime", "takeoffConfirmationMinutesBefore"];
    private static readonly string[] CheckMembers = ["defaultWindLimitMps", "windAboveLimit", "minTerrainClearanceM", "clearanceBelowMinimum", "belowSurface", "gridClosed", "gridRestricted", "trueHeightUnknown"];

    public static RuleSet Read(JsonElement root)
    {
        var errors = new List<ValidationError>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new RuleSetException("rule file", [new ValidationError("$", ValidationRules.Syntax, "the rule file must be a JSON object")]);
        }

        Unknown(root, "$", RootMembers, errors);
        string id = Str(root, "id", "$", errors, required: true) ?? "";
        string title = Str(root, "title", "$", errors, required: false) ?? id;
        TimeSpan offset = TimeSpan.FromHours(8);
        string? offsetText = Str(root, "localUtcOffset", "$", errors, required: true);
        if (offsetText is not null && !TryParseOffset(offsetText, out offset))
        {
            errors.Add(new ValidationError("$.localUtcOffset", ValidationRules.Syntax, $"'{offsetText}' is not an offset such as +08:00"));
        }

        double controlled = Num(root, "controlledAboveTrueHeightM", "$", errors, required: true) ?? 120;

        var classes = new List<ClassRule>();
        if (Get(root, "classes", "$", JsonValueKind.Array, errors, required: true) is { } arr)
        {
            int i = 0;
            foreach (JsonElement c in arr.EnumerateArray())
            {
                string f = $"$.classes[{i++}]";
                if (c.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new ValidationError(f, ValidationRules.Syntax, "a class rule must be an object"));
                    continue;
                }

                Unknown(c, f, ClassMembers, errors);
                string? cls = Str(c, "class", f, errors, required: true);
                AircraftClass ac = AircraftClass.Large;
                if (cls is not null && !TryParseClass(cls, out ac))
                {
                    errors.Add(new ValidationError(f + ".class", ValidationRules.UnknownValue, $"'{cls}' is not micro, light, small, medium or large"));
                    continue;
                }

                if (cls is null)
                {
                    continue;
                }

                classes.Add(new ClassRule(
                    ac,
                    Str(c, "label", f, errors, required: false) ?? cls,
                    Num(c, "emptyMassKgLessThan", f, errors, required: false),
                    Num(c, "emptyMassKgAtMost", f, errors, required: false),
                    Num(c, "mtomKgAtMost", f, errors, required: false),
                    Num(c, "maxSpeedKmhAtMost", f, errors, required: false),
                    Num(c, "openAirspaceMaxTrueHeightM", f, errors, required: false),
                    Bool(c, "pilotLicenceRequired", f, errors) ?? false,
                    Bool(c, "alwaysNeedsApproval", f, errors) ?? false));
            }
        }

        var application = new ApplicationRule(1, new TimeOnly(12, 0), new TimeOnly(21, 0), 60);
        if (Get(root, "application", "$", JsonValueKind.Object, errors, required: true) is { } app)
        {
            const string f = "$.application";
            Unknown(app, f, ApplicationMembers, errors);
            double days = Num(app, "daysBefore", f, errors, required: true) ?? 1;
            TimeOnly deadline = Time(app, "deadlineLocalTime", f, errors, required: true) ?? new TimeOnly(12, 0);
            TimeOnly? decision = Time(app, "decisionLocalTime", f, errors, required: false);
            double confirm = Num(app, "takeoffConfirmationMinutesBefore", f, errors, required: false) ?? 60;
            if (days != Math.Floor(days))
            {
                errors.Add(new ValidationError(f + ".daysBefore", ValidationRules.OutOfRange, "must be a whole number of days"));
            }

            if (confirm != Math.Floor(confirm))
            {
                errors.Add(new ValidationError(f + ".takeoffConfirmationMinutesBefore", ValidationRules.OutOfRange, "must be a whole number of minutes"));
            }

            application = new ApplicationRule((int)Math.Clamp(days, -1, 1000), deadline, decision, (int)Math.Clamp(confirm, -1, 100_000));
        }

        var verdicts = new Dictionary<ZoneRestriction, Verdict>();
        if (Get(root, "zoneRestrictionVerdicts", "$", JsonValueKind.Object, errors, required: true) is { } zv)
        {
            foreach (JsonProperty p in zv.EnumerateObject())
            {
                string f = "$.zoneRestrictionVerdicts." + p.Name;
                ZoneRestriction? r = p.Name switch
                {
                    "PROHIBITED" => ZoneRestriction.Prohibited,
                    "REQ_AUTHORISATION" or "REQ_AUTHORIZATION" => ZoneRestriction.ReqAuthorisation,
                    "CONDITIONAL" => ZoneRestriction.Conditional,
                    "NO_RESTRICTION" => ZoneRestriction.NoRestriction,
                    _ => null,
                };
                if (r is null)
                {
                    errors.Add(new ValidationError(f, ValidationRules.UnknownValue, $"'{p.Name}' is not PROHIBITED, REQ_AUTHORISATION, CONDITIONAL or NO_RESTRICTION"));
                    continue;
                }

                if (VerdictOf(p.Value, f, errors) is { } v)
                {
                    verdicts[r.Value] = v;
                }
            }
        }

        var checks = new CheckPolicy(10, Verdict.NeedsAuthorisation, 10, Verdict.NeedsAuthorisation, Verdict.Prohibited, Verdict.Prohibited, Verdict.NeedsAuthorisation, Verdict.NeedsAuthorisation);
        if (Get(root, "checks", "$", JsonValueKind.Object, errors, required: true) is { } ck)
        {
            const string f = "$.checks";
            Unknown(ck, f, CheckMembers, errors);
            checks = new CheckPolicy(
                Num(ck, "defaultWindLimitMps", f, errors, required: true) ?? checks.DefaultWindLimitMps,
                VerdictMember(ck, "windAboveLimit", f, errors) ?? checks.WindAboveLimit,
                Num(ck, "minTerrainClearanceM", f, errors, required: true) ?? checks.MinTerrainClearanceM,
                VerdictMember(ck, "clearanceBelowMinimum", f, errors) ?? checks.ClearanceBelowMinimum,
                VerdictMember(ck, "belowSurface", f, errors) ?? checks.BelowSurface,
                VerdictMember(ck, "gridClosed", f, errors) ?? checks.GridClosed,
                VerdictMember(ck, "gridRestricted", f, errors) ?? checks.GridRestricted,
                VerdictMember(ck, "trueHeightUnknown", f, errors) ?? checks.TrueHeightUnknown);
        }

        if (errors.Count > 0)
        {
            throw new RuleSetException($"rule file {id}", errors);
        }

        return new RuleSet(id, title, offset, controlled, classes, application, verdicts, checks);
    }

    internal static bool TryParseClass(string text, out AircraftClass c)
    {
        switch (text.ToLowerInvariant())
        {
            case "micro":
            case "微型":
                c = AircraftClass.Micro;
                return true;
            case "light":
            case "轻型":
                c = AircraftClass.Light;
                return true;
            case "small":
            case "小型":
                c = AircraftClass.Small;
                return true;
            case "medium":
            case "中型":
                c = AircraftClass.Medium;
                return true;
            case "large":
            case "大型":
                c = AircraftClass.Large;
                return true;
            default:
                c = AircraftClass.Large;
                return false;
        }
    }

    private static bool TryParseOffset(string text, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (text.Length < 6 || (text[0] != '+' && text[0] != '-'))
        {
            return false;
        }

        if (!TimeSpan.TryParseExact(text.AsSpan(1), "hh\\:mm", CultureInfo.InvariantCulture, out TimeSpan t))
        {
            return false;
        }

        offset = text[0] == '-' ? -t : t;
        return true;
    }

    private static Verdict? VerdictMember(JsonElement obj, string name, string prefix, List<ValidationError> errors) =>
        obj.TryGetProperty(name, out JsonElement v) ? VerdictOf(v, prefix + "." + name, errors) : null;

    private static Verdict? VerdictOf(JsonElement v, string field, List<ValidationError> errors)
    {
        string? s = v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        switch (s)
        {
            case "green":
                return Verdict.Green;
            case "needsAuthorisation":
            case "needsAuthorization":
                return Verdict.NeedsAuthorisation;
            case "prohibited":
                return Verdict.Prohibited;
            default:
                errors.Add(new ValidationError(field, ValidationRules.UnknownValue, "must be \"green\", \"needsAuthorisation\" or \"prohibited\""));
                return null;
        }
    }

    private static void Unknown(JsonElement obj, string prefix, string[] known, List<ValidationError> errors)
    {
        foreach (JsonProperty p in obj.EnumerateObject())
        {
            if (Array.IndexOf(known, p.Name) < 0)
            {
                errors.Add(new ValidationError(prefix + "." + p.Name, ValidationRules.UnknownValue, $"unknown member '{p.Name}' (known: {string.Join(", ", known)})"));
            }
        }
    }

    private static JsonElement? Get(JsonElement obj, string name, string prefix, JsonValueKind kind, List<ValidationError> errors, bool required)
    {
        if (!obj.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add(new ValidationError(prefix + "." + name, ValidationRules.Required, $"'{name}' is required"));
            }

            return null;
        }

        if (v.ValueKind != kind)
        {
            errors.Add(new ValidationError(prefix + "." + name, ValidationRules.Syntax, $"'{name}' must be a JSON {kind.ToString().ToLowerInvariant()}, found {v.ValueKind.ToString().ToLowerInvariant()}"));
            return null;
        }

        return v;
    }

    private static string? Str(JsonElement obj, string name, string prefix, List<ValidationError> errors, bool required) =>
        Get(obj, name, prefix, JsonValueKind.String, errors, required)?.GetString();

    private static double? Num(JsonElement obj, string name, string prefix, List<ValidationError> errors, bool required)
    {
        JsonElement? v = Get(obj, name, prefix, JsonValueKind.Number, errors, required);
        if (v is null)
        {
            return null;
        }

        double d = v.Value.GetDouble();
        if (!double.IsFinite(d))
        {
            errors.Add(new ValidationError(prefix + "." + name, ValidationRules.NotFinite, "must be a finite number"));
            return null;
        }

        return d;
    }

    private static bool? Bool(JsonElement obj, string name, string prefix, List<ValidationError> errors)
    {
        if (!obj.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(new ValidationError(prefix + "." + name, ValidationRules.Syntax, $"'{name}' must be true or false"));
            return null;
        }

        return v.GetBoolean();
    }

    private static TimeOnly? Time(JsonElement obj, string name, string prefix, List<ValidationError> errors, bool required)
    {
        string? s = Str(obj, name, prefix, errors, required);
        if (s is null)
        {
            return null;
        }

        if (TimeOnly.TryParseExact(s, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out TimeOnly t))
        {
            return t;
        }

        errors.Add(new ValidationError(prefix + "." + name, ValidationRules.Syntax, $"'{s}' is not a local time of day HH:mm such as 12:00"));
        return null;
    }
}
