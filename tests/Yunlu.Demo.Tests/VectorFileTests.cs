using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using Yunlu.Airspace.Sites;
using Yunlu.Airspace.Zones;
using Yunlu.Formats;
using Yunlu.Geo;

namespace Yunlu.Demo.Tests;

public sealed class VectorFileTests
{
    private static ImportResult<Zone> ReadZones(string fileName)
    {
        using var s = DemoPaths.Open(fileName);
        return ZoneFiles.Read(s, fileName);
    }

    [Fact]
    public void ZonesEd269_ReadWithTheRealReader_NoErrors()
    {
        var result = ReadZones("zones-ed269.json");

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Equal(10, result.Items.Count);
        var byId = result.Items.ToDictionary(z => z.Identifier, StringComparer.Ordinal);

        var airport = byId["GY-AP01"];
        Assert.Equal(ZoneRestriction.Prohibited, airport.Restriction);
        Assert.Contains(ZoneReason.Airport, airport.Reasons);
        Assert.IsType<PolygonFootprint>(airport.Footprint);
        Assert.Equal(Altitude.Agl(0), airport.Lower);
        Assert.Equal(Altitude.Amsl(2000), airport.Upper);

        var military = byId["GY-MI01"];
        Assert.Contains(ZoneReason.Military, military.Reasons);
        Assert.Equal(AltitudeReference.Amsl, military.Upper.Reference);
        Assert.Equal(6000 * 0.3048, military.Upper.ValueM, 6);

        var radio = Assert.IsType<CircleFootprint>(byId["GY-RS01"].Footprint);
        Assert.Equal(1640 * 0.3048, radio.RadiusM, 6);

        Assert.Equal(ZoneRestriction.Conditional, byId["GY-HE01"].Restriction);
        Assert.Contains(ZoneReason.Heritage, byId["GY-HE01"].Reasons);
        Assert.Equal(ZoneRestriction.ReqAuthorisation, byId["GY-PW01"].Restriction);

        var expo = Assert.Single(byId["GY-TE01"].Applicability);
        Assert.False(expo.Permanent);
        Assert.Equal(new DateTimeOffset(2026, 5, 26, 0, 0, 0, TimeSpan.Zero), expo.Start);
        Assert.Equal(new DateTimeOffset(2026, 5, 29, 10, 0, 0, TimeSpan.Zero), expo.End);

        var school = Assert.Single(byId["GY-SC01"].Applicability);
        var week = Assert.Single(school.Weekly);
        Assert.Equal(WeekDays.Mon | WeekDays.Tue | WeekDays.Wed | WeekDays.Thu | WeekDays.Fri, week.Days);
        Assert.Equal(new TimeOnly(0, 0), week.StartTime);
        Assert.Equal(new TimeOnly(10, 0), week.EndTime);
    }

    [Fact]
    public void ZonesEd318_ReadWithTheRealReader_NoErrors()
    {
        var result = ReadZones("zones-ed318.geojson");

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Equal(2, result.Items.Count);
        var rail = result.Items.Single(z => z.Identifier == "GY-RL01");
        Assert.Equal(ZoneRestriction.ReqAuthorisation, rail.Restriction);
        Assert.Equal(600, Assert.IsType<CircleFootprint>(rail.Footprint).RadiusM, 6);
        Assert.Equal(Altitude.Amsl(1400), rail.Upper);
        var park = result.Items.Single(z => z.Identifier == "GY-PK01");
        Assert.Equal(WeekDays.Sat | WeekDays.Sun, Assert.Single(Assert.Single(park.Applicability).Weekly).Days);
    }

    [Fact]
    public void ZonesKml_ReadWithTheRealReader_CeilingsFollowAltitudeMode()
    {
        var result = ReadZones("zones.kml");

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Equal(2, result.Items.Count);
        Assert.Equal(Altitude.Agl(100), result.Items.Single(z => z.Identifier == "GY-KM01").Upper);
        Assert.Equal(Altitude.Amsl(1250), result.Items.Single(z => z.Identifier == "GY-KM02").Upper);
    }

    [Fact]
    public void Sites_ReadWithTheRealReader_EveryKindPresent()
    {
        ImportResult<Site> result;
        using (var s = DemoPaths.Open("sites.geojson"))
        {
            result = SiteFiles.Read(s, "sites.geojson");
        }

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        foreach (var kind in Enum.GetValues<SiteKind>())
        {
            Assert.Contains(result.Items, site => site.Kind == kind);
        }

        Assert.All(result.Items, site => Assert.True(site.Position.LonDeg is > 106.2 and < 107.1 && site.Position.LatDeg is > 26.3 and < 26.8, site.Id));
    }

    [Fact]
    public void Buildings_ReadWithTheRealReader_ValidDisjointFootprints()
    {
        ImportResult<Yunlu.Terrain.Obstacle> result;
        using (var s = DemoPaths.Open("buildings.geojson"))
        {
            result = ObstacleFiles.Read(s, "buildings.geojson");
        }

        Assert.True(result.Ok, string.Join("\n", result.Errors.Take(20)));
        var buildings = result.Items;
        Assert.InRange(buildings.Count, 2000, 6000);
        Assert.All(buildings, b => Assert.True(b.Footprint.IsValid && b.HeightM > 0, b.Id));
        Assert.Contains(buildings, b => b.Name is not null && b.Name.Contains("甲秀楼", StringComparison.Ordinal));

        // High-tech Zone towers 60–200 m; Gui'an low-rise.
        var highTech = buildings.Where(b => b.Id.StartsWith("B-HT-", StringComparison.Ordinal)).ToList();
        Assert.True(highTech.Count > 100);
        Assert.All(highTech, b => Assert.InRange(b.HeightM, 60, 200));
        Assert.All(buildings.Where(b => b.Id.StartsWith("B-GA-", StringComparison.Ordinal)), b => Assert.InRange(b.HeightM, 6, 35));

        // No two footprints overlap (checked with an STR-tree, exact intersection on candidates).
        var tree = new STRtree<Polygon>();
        foreach (var b in buildings)
        {
            tree.Insert(b.Footprint.EnvelopeInternal, b.Footprint);
        }

        tree.Build();
        var overlaps = 0;
        foreach (var b in buildings)
        {
            foreach (var other in tree.Query(b.Footprint.EnvelopeInternal))
            {
                if (!ReferenceEquals(other, b.Footprint) && b.Footprint.Intersects(other))
                {
                    overlaps++;
                }
            }
        }

        Assert.Equal(0, overlaps);
    }
}
