using System.Globalization;
using System.Text.Json;
using Yunlu.Airspace.Validation;
using Yunlu.Airspace.Zones;

namespace Yunlu.Airspace.Rules;

/// <summary>
/// The regulations as data: aircraft classes, the height of 适飞空域, application deadlines, how zone restrictions and
/// check findings are graded. Loaded from a JSON file (data/rules/cn-2024.json is the default) so that a city can
/// change thresholds and times without code; see docs/guide/airspace.md for the format.
/// </summary>
public sealed class RuleSet
{
    /// <summary>Largest rule file accepted, bytes.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    private readonly Dictionary<ZoneRestriction, Verdict> _zoneVerdicts;

    /// <summary>Creates a rule set from its parts (validated).</summary>
    /// <exception cref="RuleSetException">A part breaks a rule.</exception>
    public RuleSet(
        string id,
        string title,
        TimeSpan localUtcOffset,
        double controlledAboveTrueHeightM,
        IReadOnlyList<ClassRule> classes,
        ApplicationRule application,
        IReadOnlyDictionary<ZoneRestriction, Verdict> zoneRestrictionVerdicts,
        CheckPolicy checks)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(zoneRestrictionVerdicts);
        ArgumentNullException.ThrowIfNull(checks);
        Id = id;
        Title = title;
        LocalUtcOffset = localUtcOffset;
        ControlledAboveTrueHeightM = controlledAboveTrueHeightM;
        Classes = classes;
        Application = application;
        Checks = checks;
        _zoneVerdicts = new Dictionary<ZoneRestriction, Verdict>(zoneRestrictionVerdicts);
        List<ValidationError> errors = Check();
        if (errors.Count > 0)
        {
            throw new RuleSetException(id, errors);
        }
    }

    /// <summary>Rule set identifier, e.g. cn-2024.</summary>
    public string Id { get; }

    /// <summary>Title.</summary>
    public string Title { get; }

    /// <summary>Offset of local civil time from UTC (China: +08:00), used for application deadlines.</summary>
    public TimeSpan LocalUtcOffset { get; }

    /// <summary>True height above which all airspace is controlled (120 m), metres.</summary>
    public double ControlledAboveTrueHeightM { get; }

    /// <summary>Class rules, tried in order; the first whose limits all hold is the class.</summary>
    public IReadOnlyList<ClassRule> Classes { get; }

    /// <summary>Application deadlines.</summary>
    public ApplicationRule Application { get; }

    /// <summary>Grading of check findings.</summary>
    public CheckPolicy Checks { get; }

    /// <summary>How each zone restriction grades a flight that crosses the zone.</summary>
    public IReadOnlyDictionary<ZoneRestriction, Verdict> ZoneRestrictionVerdicts => _zoneVerdicts;

    /// <summary>The verdict for crossing a zone with this restriction.</summary>
    /// <param name="restriction">The zone's restriction.</param>
    public Verdict ZoneVerdict(ZoneRestriction restriction) => _zoneVerdicts[restriction];

    /// <summary>The class rule for a class.</summary>
    /// <param name="aircraftClass">The class.</param>
    public ClassRule RuleFor(AircraftClass aircraftClass)
    {
        foreach (ClassRule r in Classes)
        {
            if (r.Class == aircraftClass)
            {
                return r;
            }
        }

        throw new InvalidOperationException($"rule set {Id} has no rule for class {aircraftClass}");
    }

    /// <summary>The built-in rule set (a copy of data/rules/cn-2024.json embedded in the assembly).</summary>
    public static RuleSet China2024 => LazyDefault.Value;

    private static readonly Lazy<RuleSet> LazyDefault = new(() =>
    {
        using Stream s = typeof(RuleSet).Assembly.GetManifestResourceStream("Yunlu.Airspace.Rules.cn-2024.json")
            ?? throw new InvalidOperationException("the embedded rule set Yunlu.Airspace.Rules.cn-2024.json is missing");
        return Load(s);
    });

    /// <summary>Loads the rule file at <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="RuleSetException">The file is malformed or breaks a rule; every error names its JSON path.</exception>
    public static RuleSet LoadFile(string path)
    {
        using FileStream s = File.OpenRead(path);
        return Load(s);
    }

    /// <summary>Loads a rule file from a stream.</summary>
    /// <param name="stream">UTF-8 JSON, at most <see cref="MaxFileBytes"/>.</param>
    /// <exception cref="RuleSetException">The file is malformed or breaks a rule.</exception>
    public static RuleSet Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int n;
        while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > MaxFileBytes)
            {
                throw new RuleSetException("rule file", [new ValidationError("$", ValidationRules.OutOfRange, $"the rule file is larger than {MaxFileBytes} bytes")]);
            }
        }

        return Parse(buffer.ToArray());
    }

    /// <summary>Parses rule-file JSON.</summary>
    /// <param name="utf8Json">The JSON.</param>
    /// <exception cref="RuleSetException">The JSON is malformed or breaks a rule.</exception>
    public static RuleSet Parse(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw new RuleSetException("rule file", [new ValidationError($"$ (line {ex.LineNumber + 1})", ValidationRules.Syntax, "not valid JSON: " + ex.Message)]);
        }

        using (doc)
        {
            return RuleSetReader.Read(doc.RootElement);
        }
    }

    /// <summary>Parses rule-file JSON text.</summary>
    /// <param name="json">The JSON.</param>
    public static RuleSet Parse(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json));

    private List<ValidationError> Check()
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(Id))
        {
            errors.Add(new ValidationError("id", ValidationRules.Required, "id must not be empty"));
        }

        if (LocalUtcOffset < TimeSpan.FromHours(-14) || LocalUtcOffset > TimeSpan.FromHours(14) || LocalUtcOffset.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            errors.Add(new ValidationError("localUtcOffset", ValidationRules.OutOfRange, $"offset {LocalUtcOffset} must be whole minutes within ±14:00"));
        }

        if (!double.IsFinite(ControlledAboveTrueHeightM) || ControlledAboveTrueHeightM <= 0 || ControlledAboveTrueHeightM > 10_000)
        {
            errors.Add(new ValidationError("controlledAboveTrueHeightM", ValidationRules.OutOfRange, "must be a number of metres in (0, 10000]"));
        }

        if (Classes.Count == 0)
        {
            errors.Add(new ValidationError("classes", ValidationRules.Required, "at least one class rule is required"));
        }

        var seen = new HashSet<AircraftClass>();
        for (int i = 0; i < Classes.Count; i++)
        {
            ClassRule r = Classes[i];
            string f = $"classes[{i}]";
            if (!seen.Add(r.Class))
            {
                errors.Add(new ValidationError(f + ".class", ValidationRules.Duplicate, $"class {r.Class} is listed twice"));
            }

            CheckLimit(r.EmptyMassKgLessThan, f + ".emptyMassKgLessThan", errors);
            CheckLimit(r.EmptyMassKgAtMost, f + ".emptyMassKgAtMost", errors);
            CheckLimit(r.MtomKgAtMost, f + ".mtomKgAtMost", errors);
            CheckLimit(r.MaxSpeedKmhAtMost, f + ".maxSpeedKmhAtMost", errors);
            CheckLimit(r.OpenAirspaceMaxTrueHeightM, f + ".openAirspaceMaxTrueHeightM", errors);
            if (r.OpenAirspaceMaxTrueHeightM > ControlledAboveTrueHeightM)
            {
                errors.Add(new ValidationError(f + ".openAirspaceMaxTrueHeightM", ValidationRules.OutOfRange,
                    $"{Num(r.OpenAirspaceMaxTrueHeightM.Value)} m is above controlledAboveTrueHeightM ({Num(ControlledAboveTrueHeightM)} m)"));
            }
        }

        if (Classes.Count > 0)
        {
            ClassRule last = Classes[^1];
            if (last.EmptyMassKgLessThan is not null || last.EmptyMassKgAtMost is not null || last.MtomKgAtMost is not null || last.MaxSpeedKmhAtMost is not null)
            {
                errors.Add(new ValidationError($"classes[{Classes.Count - 1}]", ValidationRules.Required,
                    "the last class must have no limits so that every aircraft gets a class (e.g. large: MTOM > 150 kg)"));
            }
        }

        foreach (AircraftClass c in Enum.GetValues<AircraftClass>())
        {
            if (!seen.Contains(c))
            {
                errors.Add(new ValidationError("classes", ValidationRules.Required, $"class {c.ToString().ToLowerInvariant()} is missing"));
            }
        }

        if (Application.DaysBefore is < 0 or > 30)
        {
            errors.Add(new ValidationError("application.daysBefore", ValidationRules.OutOfRange, $"{Application.DaysBefore} must be 0–30 days"));
        }

        if (Application.TakeoffConfirmationMinutesBefore is < 0 or > 24 * 60)
        {
            errors.Add(new ValidationError("application.takeoffConfirmationMinutesBefore", ValidationRules.OutOfRange, $"{Application.TakeoffConfirmationMinutesBefore} must be 0–1440 minutes"));
        }

        foreach (ZoneRestriction z in Enum.GetValues<ZoneRestriction>())
        {
            if (!_zoneVerdicts.ContainsKey(z))
            {
                errors.Add(new ValidationError("zoneRestrictionVerdicts", ValidationRules.Required, $"a verdict for {ZoneRestrictionCode(z)} is required"));
            }
        }

        if (!double.IsFinite(Checks.DefaultWindLimitMps) || Checks.DefaultWindLimitMps <= 0 || Checks.DefaultWindLimitMps > 100)
        {
            errors.Add(new ValidationError("checks.defaultWindLimitMps", ValidationRules.OutOfRange, "must be a number of m/s in (0, 100]"));
        }

        if (!double.IsFinite(Checks.MinTerrainClearanceM) || Checks.MinTerrainClearanceM < 0 || Checks.MinTerrainClearanceM > 1000)
        {
            errors.Add(new ValidationError("checks.minTerrainClearanceM", ValidationRules.OutOfRange, "must be a number of metres in [0, 1000]"));
        }

        return errors;
    }

    private static void CheckLimit(double? v, string field, List<ValidationError> errors)
    {
        if (v is { } x && (!double.IsFinite(x) || x <= 0))
        {
            errors.Add(new ValidationError(field, ValidationRules.OutOfRange, $"{Num(x)} must be a finite number > 0"));
        }
    }

    internal static string ZoneRestrictionCode(ZoneRestriction z) => z switch
    {
        ZoneRestriction.Prohibited => "PROHIBITED",
        ZoneRestriction.ReqAuthorisation => "REQ_AUTHORISATION",
        ZoneRestriction.Conditional => "CONDITIONAL",
        _ => "NO_RESTRICTION",
    };

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>Thrown when a rule file or rule set breaks a rule; lists every error with its JSON path.</summary>
public sealed class RuleSetException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="subject">What was loaded.</param>
    /// <param name="errors">Every error found.</param>
    public RuleSetException(string subject, IReadOnlyList<ValidationError> errors)
        : base($"{subject}: " + string.Join("; ", errors))
    {
        Errors = errors;
    }

    /// <summary>Every error found.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }
}
