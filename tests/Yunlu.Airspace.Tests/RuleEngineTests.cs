using System.Text.Json;
using Yunlu.Airspace.Rules;
using Yunlu.Airspace.Validation;

namespace Yunlu.Airspace.Tests;

public sealed class RuleEngineTests
{
    private static readonly RuleEngine Engine = new(RuleSet.LoadFile(TestData.PathOf("rules/cn-2024.json")));

    public static TheoryData<string> ExampleNames()
    {
        var data = new TheoryData<string>();
        using JsonDocument doc = TestData.Load("rule-examples.json");
        foreach (JsonElement e in doc.RootElement.GetProperty("examples").EnumerateArray())
        {
            data.Add(e.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void WorkedExample_FromGuide_MatchesExpected(string name)
    {
        using JsonDocument doc = TestData.Load("rule-examples.json");
        JsonElement e = doc.RootElement.GetProperty("examples").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        var aircraft = new Aircraft(e.GetProperty("emptyMassKg").GetDouble(), e.GetProperty("mtomKg").GetDouble(), e.GetProperty("maxSpeedKmh").GetDouble());
        var facts = new FlightFacts(e.GetProperty("maxTrueHeightM").GetDouble(), ParseVerdict(e.GetProperty("zoneVerdict").GetString()!),
            DateTimeOffset.Parse(e.GetProperty("plannedStart").GetString()!, System.Globalization.CultureInfo.InvariantCulture));

        RuleFindings f = Engine.Evaluate(aircraft, facts);

        Assert.Equal(e.GetProperty("class").GetString(), f.Classification.Class.ToString().ToLowerInvariant());
        Assert.Equal(ParseVerdict(e.GetProperty("verdict").GetString()!), f.Verdict);
        Assert.Equal(e.GetProperty("needsApplication").GetBoolean(), f.NeedsApplication);
        Assert.Equal(e.GetProperty("inOpenAirspace").GetBoolean(), f.InOpenAirspace);
        Assert.Equal(e.GetProperty("pilotLicence").GetBoolean(), f.PilotLicenceRequired);
        JsonElement d = e.GetProperty("deadline");
        if (d.ValueKind == JsonValueKind.Null)
        {
            Assert.Null(f.ApplicationDeadline);
        }
        else
        {
            DateTimeOffset expected = DateTimeOffset.Parse(d.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(expected, f.ApplicationDeadline);
            Assert.Equal(TimeSpan.FromHours(8), f.ApplicationDeadline!.Value.Offset);
        }
    }

    [Fact]
    public void Classify_BoundaryMasses_FollowStrictAndInclusiveLimits()
    {
        Assert.Equal(AircraftClass.Light, Engine.Classify(new Aircraft(0.25, 0.3, 30)).Class); // micro needs < 0.25
        Assert.Equal(AircraftClass.Micro, Engine.Classify(new Aircraft(0.2499, 0.3, 40)).Class); // speed limit inclusive
        Assert.Equal(AircraftClass.Light, Engine.Classify(new Aircraft(4, 7, 100)).Class);
        Assert.Equal(AircraftClass.Small, Engine.Classify(new Aircraft(4, 7.01, 100)).Class);
        Assert.Equal(AircraftClass.Small, Engine.Classify(new Aircraft(15, 25, 300)).Class);
        Assert.Equal(AircraftClass.Medium, Engine.Classify(new Aircraft(15.1, 25, 300)).Class);
        Assert.Equal(AircraftClass.Medium, Engine.Classify(new Aircraft(100, 150, 300)).Class);
        Assert.Equal(AircraftClass.Large, Engine.Classify(new Aircraft(100, 150.5, 300)).Class);
    }

    [Fact]
    public void Classify_UnknownSpeed_IsConservative()
    {
        Assert.Equal(AircraftClass.Small, Engine.Classify(new Aircraft(0.2, 0.24, null)).Class);
    }

    [Fact]
    public void Classify_DeclaredClass_IsUsed()
    {
        Assert.Equal(AircraftClass.Medium, Engine.Classify(Aircraft.OfClass(AircraftClass.Medium)).Class);
    }

    [Fact]
    public void Classify_MtomBelowEmptyMass_Throws()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => Engine.Classify(new Aircraft(5, 4, 50)));
        Assert.Contains("maxTakeOffMassKg", ex.Message);
    }

    [Fact]
    public void Evaluate_AfterDeadline_FlagsDeadlinePassed()
    {
        var start = new DateTimeOffset(2025, 6, 10, 9, 0, 0, TimeSpan.FromHours(8));
        RuleFindings f = Engine.Evaluate(new Aircraft(3, 6, 80), new FlightFacts(150, Verdict.Green, start, start.AddHours(-20)));
        Assert.True(f.DeadlinePassed);
        RuleFindings g = Engine.Evaluate(new Aircraft(3, 6, 80), new FlightFacts(150, Verdict.Green, start, start.AddHours(-22)));
        Assert.False(g.DeadlinePassed);
    }

    [Fact]
    public void Evaluate_UnknownTrueHeight_IsControlled()
    {
        RuleFindings f = Engine.Evaluate(new Aircraft(3, 6, 80), new FlightFacts(null, Verdict.Green, DateTimeOffset.UnixEpoch));
        Assert.Equal(Verdict.NeedsAuthorisation, f.Verdict);
    }

    [Fact]
    public void RuleFile_CityChangesThresholds_ChangesAnswer()
    {
        string json = File.ReadAllText(TestData.PathOf("rules/cn-2024.json"))
            .Replace("\"openAirspaceMaxTrueHeightM\": 50", "\"openAirspaceMaxTrueHeightM\": 100", StringComparison.Ordinal)
            .Replace("\"deadlineLocalTime\": \"12:00\"", "\"deadlineLocalTime\": \"18:00\"", StringComparison.Ordinal)
            .Replace("\"daysBefore\": 1", "\"daysBefore\": 2", StringComparison.Ordinal);
        var city = new RuleEngine(RuleSet.Parse(json));
        var start = new DateTimeOffset(2025, 6, 10, 9, 0, 0, TimeSpan.FromHours(8));

        Assert.True(city.Evaluate(new Aircraft(0.2, 0.24, 36), new FlightFacts(80, Verdict.Green, start)).InOpenAirspace);
        Assert.Equal(new DateTimeOffset(2025, 6, 8, 18, 0, 0, TimeSpan.FromHours(8)), city.ApplicationDeadline(start));
    }

    [Fact]
    public void Embedded_DefaultRuleSet_EqualsDataFile()
    {
        RuleSet file = RuleSet.LoadFile(TestData.PathOf("rules/cn-2024.json"));
        Assert.Equal(file.Id, RuleSet.China2024.Id);
        Assert.Equal(file.Classes, RuleSet.China2024.Classes);
        Assert.Equal(file.Checks, RuleSet.China2024.Checks);
    }

    [Theory]
    [InlineData("{", "syntax")]
    [InlineData("[]", "syntax")]
    [InlineData("\"deadlineLocalTime\": \"12:00\"|\"deadlineLocalTime\": \"noon\"", "syntax")]
    [InlineData("\"class\": \"micro\"|\"class\": \"tiny\"", "unknown-value")]
    [InlineData("\"mtomKgAtMost\": 150|\"mtomKgAtMost\": -1", "out-of-range")]
    [InlineData("\"CONDITIONAL\": \"needsAuthorisation\"|\"CONDITIONAL\": \"maybe\"", "unknown-value")]
    [InlineData("\"localUtcOffset\": \"+08:00\"|\"localUtcOffset\": \"8\"", "syntax")]
    [InlineData("\"daysBefore\": 1|\"daysBefore\": 1, \"deadline\": 3", "unknown-value")]
    [InlineData("\"openAirspaceMaxTrueHeightM\": 120,|\"openAirspaceMaxTrueHeightM\": 500,", "out-of-range")]
    public void RuleFile_Broken_ReportsFieldAndRule(string edit, string rule)
    {
        string json;
        if (edit.Contains('|', StringComparison.Ordinal))
        {
            string[] parts = edit.Split('|');
            string original = File.ReadAllText(TestData.PathOf("rules/cn-2024.json"));
            Assert.Contains(parts[0], original);
            json = original.Replace(parts[0], parts[1], StringComparison.Ordinal);
        }
        else
        {
            json = edit;
        }

        RuleSetException ex = Assert.Throws<RuleSetException>(() => RuleSet.Parse(json));
        Assert.Contains(ex.Errors, e => e.Rule == rule);
        Assert.All(ex.Errors, e => Assert.False(string.IsNullOrEmpty(e.Field)));
    }

    [Fact]
    public void RuleFile_MissingClass_ReportsRequired()
    {
        string original = File.ReadAllText(TestData.PathOf("rules/cn-2024.json"));
        string json = original.Replace("\"class\": \"medium\"", "\"class\": \"large\"", StringComparison.Ordinal);
        RuleSetException ex = Assert.Throws<RuleSetException>(() => RuleSet.Parse(json));
        Assert.Contains(ex.Errors, e => e.Rule == ValidationRules.Duplicate);
        Assert.Contains(ex.Errors, e => e.Message.Contains("medium", StringComparison.Ordinal));
    }

    private static Verdict ParseVerdict(string s) => s switch
    {
        "green" => Verdict.Green,
        "needsAuthorisation" => Verdict.NeedsAuthorisation,
        _ => Verdict.Prohibited,
    };
}
