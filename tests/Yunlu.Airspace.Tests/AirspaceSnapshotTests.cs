using Yunlu.Airspace.Zones;
using Yunlu.Geo;

namespace Yunlu.Airspace.Tests;

public sealed class AirspaceSnapshotTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 9, 0, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint P = new(106.7, 26.6);

    [Fact]
    public void Create_OnlyZonesActiveAtT()
    {
        Zone always = ZoneTestData.Zone("B-ALWAYS", new CircleFootprint(P, 100));
        Zone later = TemporaryAirspace.Create("A-TEMP", "t", new CircleFootprint(P, 100), Altitude.Agl(0), Altitude.Agl(100), T0.AddHours(1), null);

        Assert.Equal(["B-ALWAYS"], AirspaceSnapshot.Create([always, later], T0).Zones.Select(z => z.Identifier));
        Assert.Equal(["A-TEMP", "B-ALWAYS"], AirspaceSnapshot.Create([always, later], T0.AddHours(2)).Zones.Select(z => z.Identifier));
    }

    [Fact]
    public void FromHistory_AsOf_SeesDefinitionsOfThatTime()
    {
        Zone v1 = ZoneTestData.Zone("Z", new CircleFootprint(P, 100), ZoneRestriction.ReqAuthorisation);
        Zone v2 = v1 with { Restriction = ZoneRestriction.Prohibited };
        Zone other = ZoneTestData.Zone("Y", new CircleFootprint(P, 100));
        ZoneVersion[] history =
        [
            new(v2, 2, false, T0.AddHours(2), "manager"),
            new(v1, 1, false, T0.AddHours(1), "manager"),
            new(other, 1, false, T0.AddHours(1), "manager"),
            new(other, 2, true, T0.AddHours(3), "manager"),
        ];

        Assert.Empty(AirspaceSnapshot.FromHistory(history, T0).Zones);
        AirspaceSnapshot at1 = AirspaceSnapshot.FromHistory(history, T0.AddHours(1.5));
        Assert.Equal(ZoneRestriction.ReqAuthorisation, at1.Zones.Single(z => z.Identifier == "Z").Restriction);
        Assert.True(at1.Contains("Y"));
        AirspaceSnapshot at2 = AirspaceSnapshot.FromHistory(history, T0.AddHours(2));
        Assert.Equal(ZoneRestriction.Prohibited, at2.Zones.Single(z => z.Identifier == "Z").Restriction);
        AirspaceSnapshot at3 = AirspaceSnapshot.FromHistory(history, T0.AddHours(3));
        Assert.False(at3.Contains("Y"));
        Assert.Equal(T0.AddHours(3), at3.RecordedAsOf);
    }

    [Fact]
    public void ZonesAt_PointInsideCircle_Found()
    {
        AirspaceSnapshot s = AirspaceSnapshot.Create([ZoneTestData.Zone("Z", new CircleFootprint(P, 100))], T0);
        Assert.Single(s.ZonesAt(P));
        Assert.Empty(s.ZonesAt(new GeoPoint(106.8, 26.6)));
    }
}
