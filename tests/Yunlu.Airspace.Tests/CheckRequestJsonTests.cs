using System.Text.Json;
using Yunlu.Airspace.Checks;
using Yunlu.Airspace.Rules;
using Yunlu.Airspace.Validation;
using Yunlu.Geo;

namespace Yunlu.Airspace.Tests;

public sealed class CheckRequestJsonTests
{
    private static IReadOnlyList<ValidationError> Parse(string json, out CheckRequest? r)
    {
        using JsonDocument d = JsonDocument.Parse(json);
        return CheckRequestJson.Parse(d.RootElement, out r);
    }

    [Fact]
    public void Parse_Point_MapsEverything()
    {
        IReadOnlyList<ValidationError> e = Parse("""{"point":{"lon":106.8,"lat":26.54,"altitude":{"value":40,"reference":"agl"}},"timeStart":"2025-06-10T09:00:00+08:00","timeEnd":"2025-06-10T10:00:00+08:00","aircraft":{"emptyMassKg":0.2,"maxTakeOffMassKg":0.24,"maxSpeedKmh":36}}""", out CheckRequest? r);
        Assert.Empty(e);
        PointCheck p = Assert.IsType<PointCheck>(r!.Geometry);
        Assert.Equal(Altitude.Agl(40), p.Altitude);
        Assert.Equal(TimeSpan.FromHours(1), r.Time.Duration);
        Assert.Equal(0.2, r.Aircraft.EmptyMassKg);
    }

    [Fact]
    public void Parse_RouteAndArea_Accepted()
    {
        Assert.Empty(Parse("""{"route":[{"lon":106.8,"lat":26.5,"altitude":{"value":1200,"reference":"AMSL"}},{"lon":106.9,"lat":26.5,"altitude":{"value":1250,"reference":"AMSL"}}],"timeStart":"2025-06-10T01:00:00Z","timeEnd":"2025-06-10T02:00:00Z","aircraft":{"class":"small"}}""", out CheckRequest? r));
        Assert.Equal(AircraftClass.Small, r!.Aircraft.DeclaredClass);
        Assert.Empty(Parse("""{"area":{"polygon":[[106.8,26.5],[106.81,26.5],[106.81,26.51]],"lower":{"value":0,"reference":"AGL"},"upper":{"value":100,"reference":"AGL"}},"timeStart":"2025-06-10T01:00:00Z","timeEnd":"2025-06-10T02:00:00Z","aircraft":{"class":"micro"}}""", out CheckRequest? a));
        Assert.IsType<AreaCheck>(a!.Geometry);
    }

    [Fact]
    public void Parse_BadInput_NamesEveryField()
    {
        IReadOnlyList<ValidationError> e = Parse("""{"point":{"lon":206.8,"lat":26.54,"altitude":{"value":40,"reference":"QNH"}},"timeStart":"2025-06-10T09:00:00","timeEnd":"2025-06-10T10:00:00Z","aircraft":{"class":"huge"}}""", out CheckRequest? r);
        Assert.Null(r);
        Assert.Contains(e, x => x.Field == "$.point.altitude.reference" && x.Rule == ValidationRules.UnknownReference);
        Assert.Contains(e, x => x.Field == "$.timeStart" && x.Rule == ValidationRules.Syntax);
        Assert.Contains(e, x => x.Field == "$.aircraft.class" && x.Rule == ValidationRules.UnknownValue);
    }

    [Fact]
    public void Parse_TwoShapesOrNone_Rejected()
    {
        Assert.Contains(Parse("""{"timeStart":"2025-06-10T01:00:00Z","timeEnd":"2025-06-10T02:00:00Z","aircraft":{"class":"micro"}}""", out _), x => x.Field == "$" && x.Rule == ValidationRules.Required);
        Assert.Contains(Parse("""{"area":{"polygon":[[106.8,26.5],[106.81,26.5],[106.81,26.51]],"lower":{"value":100,"reference":"AGL"},"upper":{"value":50,"reference":"AGL"}},"timeStart":"2025-06-10T01:00:00Z","timeEnd":"2025-06-10T02:00:00Z","aircraft":{"class":"micro"}}""", out _),
            x => x.Rule == ValidationRules.CeilingBelowFloor);
    }
}
