using System.Globalization;

namespace Yunlu.Airspace.Rules;

/// <summary>The class of an aircraft and why.</summary>
/// <param name="Class">The class.</param>
/// <param name="Label">The rule set's label, e.g. 小型 small.</param>
/// <param name="Explanation">Which limits decided it.</param>
public sealed record Classification(AircraftClass Class, string Label, string Explanation);

/// <summary>The facts about a flight the rule engine grades.</summary>
/// <param name="MaxTrueHeightM">Highest true height (真高, above the terrain) reached, metres; null when unknown.</param>
/// <param name="ZoneVerdict">The most restrictive verdict of the zones the flight crosses (Green when none).</param>
/// <param name="PlannedStart">Planned take-off.</param>
/// <param name="Now">The instant of the question, to tell whether the application deadline has passed; null to skip.</param>
public sealed record FlightFacts(double? MaxTrueHeightM, Verdict ZoneVerdict, DateTimeOffset PlannedStart, DateTimeOffset? Now = null);

/// <summary>What the regulations say about one flight.</summary>
/// <param name="Classification">The aircraft class.</param>
/// <param name="PilotLicenceRequired">True when the pilot needs a licence (small and above).</param>
/// <param name="InOpenAirspace">True when the whole flight is in 适飞空域 for this class.</param>
/// <param name="OpenAirspaceMaxTrueHeightM">The class's 适飞空域 ceiling, metres true height; null when it has none.</param>
/// <param name="NeedsApplication">True when a flight-activity application is needed.</param>
/// <param name="ApplicationDeadline">When the application is due (local time offset), or null.</param>
/// <param name="DecisionExpectedBy">When a decision is expected, or null.</param>
/// <param name="TakeoffConfirmationBy">When take-off must be confirmed, or null.</param>
/// <param name="DeadlinePassed">True when <see cref="FlightFacts.Now"/> is after the deadline (only emergency short notice remains).</param>
/// <param name="Verdict">Green, NeedsAuthorisation (application) or Prohibited (a prohibited zone).</param>
/// <param name="Findings">Readable findings, one per rule applied.</param>
public sealed record RuleFindings(
    Classification Classification,
    bool PilotLicenceRequired,
    bool InOpenAirspace,
    double? OpenAirspaceMaxTrueHeightM,
    bool NeedsApplication,
    DateTimeOffset? ApplicationDeadline,
    DateTimeOffset? DecisionExpectedBy,
    DateTimeOffset? TakeoffConfirmationBy,
    bool DeadlinePassed,
    Verdict Verdict,
    IReadOnlyList<string> Findings);

/// <summary>
/// Applies a <see cref="RuleSet"/> (the 2024 Interim Regulations by default) to an aircraft and a flight: class from
/// masses and speed, whether the flight stays in 适飞空域, whether an application is needed and by when.
/// </summary>
/// <remarks>
/// 适飞空域 (open airspace): true height at most the class's limit (micro 50 m, light/small 120 m; "以下" includes the
/// number, Civil Code art. 1259) and no zone crossed whose verdict is not Green. Medium and large aircraft always need
/// approval. The deadline is <see cref="ApplicationRule.DeadlineLocalTime"/> local time,
/// <see cref="ApplicationRule.DaysBefore"/> days before the local date of take-off.
/// </remarks>
public sealed class RuleEngine
{
    /// <summary>Creates an engine over a rule set.</summary>
    /// <param name="rules">The rules.</param>
    public RuleEngine(RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = rules;
    }

    /// <summary>The rules applied.</summary>
    public RuleSet Rules { get; }

    /// <summary>Classifies an aircraft: its declared class, or the first class rule whose limits all hold.</summary>
    /// <param name="aircraft">The aircraft.</param>
    /// <exception cref="ArgumentException">Neither a class nor an empty mass / MTOM is given, or a mass is not a finite number ≥ 0.</exception>
    public Classification Classify(Aircraft aircraft)
    {
        ArgumentNullException.ThrowIfNull(aircraft);
        if (aircraft.DeclaredClass is { } declared)
        {
            ClassRule r = Rules.RuleFor(declared);
            return new Classification(declared, r.Label, "class declared by the operator");
        }

        if (aircraft.EmptyMassKg is null && aircraft.MaxTakeOffMassKg is null)
        {
            throw new ArgumentException("aircraft: give the class or at least the empty mass or the maximum take-off mass", nameof(aircraft));
        }

        CheckMass(aircraft.EmptyMassKg, "emptyMassKg");
        CheckMass(aircraft.MaxTakeOffMassKg, "maxTakeOffMassKg");
        CheckMass(aircraft.MaxSpeedKmh, "maxSpeedKmh");
        if (aircraft.EmptyMassKg is { } e && aircraft.MaxTakeOffMassKg is { } m && m < e)
        {
            throw new ArgumentException($"aircraft.maxTakeOffMassKg ({Num(m)} kg) must not be below the empty mass ({Num(e)} kg)", nameof(aircraft));
        }

        // Unknown values are taken conservatively: an unknown MTOM is at least the empty mass; an unknown empty mass
        // is the MTOM; an unknown speed fails every speed limit.
        double empty = aircraft.EmptyMassKg ?? aircraft.MaxTakeOffMassKg!.Value;
        double mtom = aircraft.MaxTakeOffMassKg ?? empty;
        double? speed = aircraft.MaxSpeedKmh;
        foreach (ClassRule r in Rules.Classes)
        {
            var why = new List<string>(4);
            if (r.EmptyMassKgLessThan is { } lt)
            {
                if (!(empty < lt))
                {
                    continue;
                }

                why.Add($"empty mass {Num(empty)} kg < {Num(lt)} kg");
            }

            if (r.EmptyMassKgAtMost is { } em)
            {
                if (!(empty <= em))
                {
                    continue;
                }

                why.Add($"empty mass {Num(empty)} kg ≤ {Num(em)} kg");
            }

            if (r.MtomKgAtMost is { } mm)
            {
                if (!(mtom <= mm))
                {
                    continue;
                }

                why.Add($"MTOM {Num(mtom)} kg ≤ {Num(mm)} kg");
            }

            if (r.MaxSpeedKmhAtMost is { } sm)
            {
                if (speed is not { } s || !(s <= sm))
                {
                    continue;
                }

                why.Add($"max speed {Num(s)} km/h ≤ {Num(sm)} km/h");
            }

            if (why.Count == 0)
            {
                why.Add("above every lighter class's limits");
            }

            return new Classification(r.Class, r.Label, string.Join(", ", why));
        }

        throw new InvalidOperationException($"rule set {Rules.Id} classified no class (the last class must have no limits)");
    }

    /// <summary>The application deadline for a flight taking off at <paramref name="plannedStart"/>:
    /// deadline local time, DaysBefore days before the local take-off date, expressed with the local offset.</summary>
    /// <param name="plannedStart">Planned take-off.</param>
    public DateTimeOffset ApplicationDeadline(DateTimeOffset plannedStart)
    {
        ApplicationRule a = Rules.Application;
        DateTimeOffset local = plannedStart.ToOffset(Rules.LocalUtcOffset);
        DateTime day = local.Date.AddDays(-a.DaysBefore);
        return new DateTimeOffset(day + a.DeadlineLocalTime.ToTimeSpan(), Rules.LocalUtcOffset);
    }

    /// <summary>Grades a flight.</summary>
    /// <param name="aircraft">The aircraft.</param>
    /// <param name="flight">What is known about the flight.</param>
    public RuleFindings Evaluate(Aircraft aircraft, FlightFacts flight)
    {
        ArgumentNullException.ThrowIfNull(flight);
        Classification c = Classify(aircraft);
        ClassRule rule = Rules.RuleFor(c.Class);
        var findings = new List<string> { $"class {rule.Label}: {c.Explanation}" };
        if (rule.PilotLicenceRequired)
        {
            findings.Add("a pilot licence is required for this class");
        }

        bool heightOk;
        if (rule.OpenAirspaceMaxTrueHeightM is not { } openMax)
        {
            heightOk = false;
            findings.Add($"{rule.Label} aircraft have no 适飞空域 (open airspace): every flight needs approval");
        }
        else if (flight.MaxTrueHeightM is not { } h)
        {
            heightOk = false;
            findings.Add("the true height could not be determined (no ground data): treated as controlled airspace");
        }
        else if (h <= openMax)
        {
            heightOk = true;
            findings.Add($"highest true height {Num(h)} m is within the {Num(openMax)} m of 适飞空域 for {rule.Label}");
        }
        else
        {
            heightOk = false;
            findings.Add(h > Rules.ControlledAboveTrueHeightM
                ? $"highest true height {Num(h)} m is above {Num(Rules.ControlledAboveTrueHeightM)} m: controlled airspace (管制空域)"
                : $"highest true height {Num(h)} m is above the {Num(openMax)} m allowed to {rule.Label} aircraft in 适飞空域: controlled airspace");
        }

        bool zonesOk = flight.ZoneVerdict == Verdict.Green;
        if (!zonesOk)
        {
            findings.Add(flight.ZoneVerdict == Verdict.Prohibited
                ? "the flight enters a prohibited zone: no flight"
                : "the flight enters controlled airspace published as a zone");
        }

        bool open = heightOk && zonesOk && !rule.AlwaysNeedsApproval;
        bool needsApplication = !open;
        DateTimeOffset? deadline = null, decision = null, confirm = null;
        bool passed = false;
        if (needsApplication && flight.ZoneVerdict != Verdict.Prohibited)
        {
            deadline = ApplicationDeadline(flight.PlannedStart);
            if (Rules.Application.DecisionLocalTime is { } dt)
            {
                decision = new DateTimeOffset(deadline.Value.Date + dt.ToTimeSpan(), Rules.LocalUtcOffset);
            }

            confirm = flight.PlannedStart.ToOffset(Rules.LocalUtcOffset).AddMinutes(-Rules.Application.TakeoffConfirmationMinutesBefore);
            findings.Add($"a flight-activity application is needed by {Time(deadline.Value)}; take-off to be confirmed by {Time(confirm.Value)}");
            if (flight.Now is { } now && now > deadline.Value)
            {
                passed = true;
                findings.Add($"the application deadline {Time(deadline.Value)} has passed: only an emergency short-notice application remains");
            }
        }
        else if (!needsApplication)
        {
            findings.Add("适飞空域: no flight-activity application needed");
        }

        Verdict verdict = flight.ZoneVerdict == Verdict.Prohibited ? Verdict.Prohibited : needsApplication ? Verdict.NeedsAuthorisation : Verdict.Green;
        return new RuleFindings(c, rule.PilotLicenceRequired, open, rule.OpenAirspaceMaxTrueHeightM, needsApplication && verdict != Verdict.Prohibited,
            deadline, decision, confirm, passed, verdict, findings);
    }

    private static void CheckMass(double? v, string field)
    {
        if (v is { } x && (!double.IsFinite(x) || x < 0))
        {
            throw new ArgumentException($"aircraft.{field} ({x.ToString(CultureInfo.InvariantCulture)}) must be a finite number ≥ 0", field);
        }
    }

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset t) => t.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);
}
