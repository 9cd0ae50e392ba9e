using Yunlu.Airspace.Validation;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;

namespace Yunlu.Airspace.Tests;

public sealed class ZoneValidatorTests
{
    private static readonly GeoPoint Centre = new(106.8, 26.54);
    private static readonly DateTimeOffset T0 = new(2025, 6, 9, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Validate_GoodZone_NoErrors()
    {
        Assert.Empty(ZoneValidator.Validate(ZoneTestData.Zone("A", new CircleFootprint(Centre, 3000))));
    }

    [Fact]
    public void Validate_MixedAglAndAmsl_IsAccepted()
    {
        Zone z = ZoneTestData.Zone("A", new CircleFootprint(Centre, 3000), lower: Altitude.Agl(0), upper: Altitude.Amsl(20));
        Assert.Empty(ZoneValidator.Validate(z));
    }

    [Theory]
    [InlineData(100.0, AltitudeReference.Agl, 50.0, AltitudeReference.Agl)]
    [InlineData(100.0, AltitudeReference.Amsl, 100.0, AltitudeReference.Amsl)]
    [InlineData(1200.0, AltitudeReference.Amsl, 1150.0, AltitudeReference.W84)] // geoid ≈ −30 m near Guiyang: 1150 W84 ≈ 1180 AMSL
    public void Validate_CeilingUnderFloor_CeilingBelowFloor(double lo, AltitudeReference lr, double hi, AltitudeReference hr)
    {
        Zone z = ZoneTestData.Zone("A", new CircleFootprint(Centre, 3000), lower: new Altitude(lo, lr), upper: new Altitude(hi, hr));
        ValidationError e = Assert.Single(ZoneValidator.Validate(z));
        Assert.Equal("upper", e.Field);
        Assert.Equal(ValidationRules.CeilingBelowFloor, e.Rule);
    }

    [Fact]
    public void Validate_UnknownReference_Reported()
    {
        Zone z = ZoneTestData.Zone("A", new CircleFootprint(Centre, 3000), upper: new Altitude(100, (AltitudeReference)7));
        ValidationError e = Assert.Single(ZoneValidator.Validate(z));
        Assert.Equal(ValidationRules.UnknownReference, e.Rule);
        Assert.Equal("upper.reference", e.Field);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-5.0)]
    public void Validate_RadiusNotPositive_Reported(double r)
    {
        ValidationError e = Assert.Single(ZoneValidator.Validate(ZoneTestData.Zone("A", new CircleFootprint(Centre, r))));
        Assert.Equal(ValidationRules.RadiusNotPositive, e.Rule);
        Assert.Equal("footprint.radiusM", e.Field);
    }

    [Fact]
    public void Validate_ScheduleNeverApplies_Reported()
    {
        Zone empty = ZoneTestData.Zone("A", new CircleFootprint(Centre, 100), applicability: [new ZoneApplicability(false, T0, T0.AddHours(-1), [])]);
        Zone noDay = ZoneTestData.Zone("B", new CircleFootprint(Centre, 100), applicability: [new ZoneApplicability(false, null, null, [new WeeklyPeriod(WeekDays.None, new TimeOnly(8, 0), new TimeOnly(9, 0))])]);
        Zone wrongDays = ZoneTestData.Zone("C", new CircleFootprint(Centre, 100), applicability:
            [new ZoneApplicability(false, T0.AddDays(2), T0.AddDays(4), [new WeeklyPeriod(WeekDays.Mon, new TimeOnly(8, 0), new TimeOnly(9, 0))])]);

        Assert.Equal(("applicability[0].end", ValidationRules.ScheduleNeverApplies), Single(empty));
        Assert.Equal(("applicability[0].weekly[0].days", ValidationRules.ScheduleNeverApplies), Single(noDay));
        Assert.Equal(("applicability[0].weekly", ValidationRules.ScheduleNeverApplies), Single(wrongDays));
    }

    [Fact]
    public void Validate_SelfIntersectingPolygon_FootprintInvalid()
    {
        var bowtie = FootprintGeometry.Factory.CreatePolygon(
        [
            new(106.0, 26.0), new(106.1, 26.1), new(106.1, 26.0), new(106.0, 26.1), new(106.0, 26.0),
        ]);
        ValidationError e = Assert.Single(ZoneValidator.Validate(ZoneTestData.Zone("A", new PolygonFootprint(bowtie))));
        Assert.Equal(ValidationRules.FootprintInvalid, e.Rule);
    }

    [Fact]
    public void Validate_ManyProblems_AllReported()
    {
        var z = new Zone("", "", "china", ZoneRestriction.Prohibited, [], new CircleFootprint(Centre, -1),
            Altitude.Agl(double.NaN), Altitude.Agl(10), [], null, null);
        IReadOnlyList<ValidationError> errors = ZoneValidator.Validate(z);
        Assert.Equal(["identifier", "name", "country", "reasons", "footprint.radiusM", "lower.valueM", "applicability"], errors.Select(e => e.Field));
        Assert.Throws<AirspaceValidationException>(() => ZoneValidator.ThrowIfInvalid(z));
    }

    [Fact]
    public void TemporaryAirspace_TakesEffectAtTime()
    {
        Zone z = TemporaryAirspace.Create("TMP1", "expo", new CircleFootprint(Centre, 2000), Altitude.Agl(0), Altitude.Agl(300), T0.AddHours(6), T0.AddHours(30));
        Assert.True(z.IsTemporary());
        Assert.False(z.IsActiveAt(T0.AddHours(6).AddTicks(-1)));
        Assert.True(z.IsActiveAt(T0.AddHours(6)));
        Assert.False(z.IsActiveAt(T0.AddHours(30)));
        Assert.Equal(T0.AddHours(6), z.NextEffectiveAt(T0, TimeSpan.FromDays(2)));
        Assert.Throws<AirspaceValidationException>(() =>
            TemporaryAirspace.Create("TMP2", "bad", new CircleFootprint(Centre, 2000), Altitude.Agl(0), Altitude.Agl(300), T0, T0));
    }

    private static (string, string) Single(Zone z)
    {
        ValidationError e = Assert.Single(ZoneValidator.Validate(z));
        return (e.Field, e.Rule);
    }
}
