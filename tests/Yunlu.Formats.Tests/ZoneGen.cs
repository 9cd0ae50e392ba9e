using CsCheck;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;

namespace Yunlu.Formats.Tests;

/// <summary>CsCheck generators of valid zones (in China, so the lat/lon heuristic never fires) and a structural
/// comparer.</summary>
internal static class ZoneGen
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    private static readonly Gen<string> Text =
        Gen.String[Gen.Char["机场净空保护区贵阳龙洞堡禁飞区黔灵山公园ABCxyz0123 -_()"], 1, 24]
            .Select(s => s.Trim().Length == 0 ? "区" : s.Trim());

    private static readonly Gen<string> Id = Gen.String[Gen.Char["ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-"], 1, 10];

    private static double Round7(double v) => Math.Round(v, 7);

    private static readonly Gen<Footprint> Circle =
        Gen.Select(Gen.Double[73.5, 135], Gen.Double[18, 53], Gen.Double[1, 20_000])
            .Select(t => (Footprint)new CircleFootprint(new GeoPoint(Round7(t.Item1), Round7(t.Item2)), Math.Round(t.Item3, 1)));

    private static readonly Gen<Footprint> Star =
        Gen.Select(Gen.Double[73.5, 135], Gen.Double[18, 53], Gen.Double[0.01, 0.05].Array[3, 12], Gen.Bool)
            .Select(t =>
            {
                (double lon, double lat, double[] radii, bool hole) = t;
                int n = radii.Length;
                var ring = new Coordinate[n + 1];
                for (int i = 0; i < n; i++)
                {
                    // Distinct, increasing angles make a star-shaped (hence simple) polygon around the centre.
                    double angle = 2 * Math.PI * i / n;
                    ring[i] = new Coordinate(Round7(lon + radii[i] * Math.Cos(angle)), Round7(lat + radii[i] * Math.Sin(angle)));
                }

                ring[n] = ring[0].Copy();
                LinearRing[] holes = [];
                if (hole)
                {
                    const double H = 0.002;
                    double x = Round7(lon), y = Round7(lat);
                    holes = [Factory.CreateLinearRing([new(x - H, y - H), new(x - H, y + H), new(x + H, y + H), new(x + H, y - H), new(x - H, y - H)])];
                }

                Polygon p = Factory.CreatePolygon(Factory.CreateLinearRing(ring), holes);
                return (Footprint)new PolygonFootprint(p);
            })
            .Where(f => ((PolygonFootprint)f).Polygon.IsValid);

    private static readonly Gen<DateTimeOffset> Instant =
        Gen.Long[new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds()]
            .Select(DateTimeOffset.FromUnixTimeSeconds);

    private static readonly Gen<WeeklyPeriod> Weekly =
        Gen.Select(Gen.Int[1, 127], Gen.Int[0, 86_399], Gen.Int[0, 86_399])
            .Select(t =>
            {
                int a = Math.Min(t.Item2, t.Item3), b = Math.Max(t.Item2, t.Item3);
                return new WeeklyPeriod((WeekDays)t.Item1, TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(a)), TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(b)));
            });

    private static readonly Gen<ZoneApplicability> Limited =
        Gen.Select(Gen.Frequency((1, Gen.Const<DateTimeOffset?>((DateTimeOffset?)null)), (3, Instant.Select(i => (DateTimeOffset?)i))), Gen.Int[1, 400 * 86_400], Gen.Bool, Weekly.Array[0, 2])
            .Select(t =>
            {
                (DateTimeOffset? start, int seconds, bool hasEnd, WeeklyPeriod[] weekly) = t;
                DateTimeOffset? end = hasEnd ? (start ?? new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)).AddSeconds(seconds) : null;
                return new ZoneApplicability(false, start, end, weekly);
            });

    private static readonly Gen<IReadOnlyList<ZoneApplicability>> Applicability =
        Gen.Frequency(
            (1, Gen.Const<IReadOnlyList<ZoneApplicability>>([ZoneApplicability.Always])),
            (2, Limited.Array[1, 2].Select(a => (IReadOnlyList<ZoneApplicability>)a)));

    private static readonly Gen<ZoneAuthority> Authority =
        Gen.Select(Text, Text.Null(), Gen.Bool, Gen.Bool).Select(t =>
            new ZoneAuthority(t.Item1, t.Item2, t.Item3 ? "ops@example.org" : null, t.Item4 ? "+86-851-1234567" : null, t.Item3 ? "https://example.org" : null, t.Item4 ? "AUTHORIZATION" : null));

    private static readonly Gen<(Altitude, Altitude)> Band =
        Gen.Select(Gen.Int[0, 1000], Gen.Int[1, 2000], Gen.Enum<AltitudeReference>(), Gen.Enum<AltitudeReference>())
            .Select(t => (new Altitude(t.Item1 / 2.0, t.Item3), new Altitude((t.Item1 + t.Item2) / 2.0, t.Item4)));

    private static readonly Gen<ZoneReason[]> Reasons =
        Gen.Enum<ZoneReason>().Array[1, 4].Select(a => a.Distinct().ToArray());

    private static readonly Gen<(ZoneAuthority?, string?)> Extras =
        Gen.Select(Authority.Null(), Text.Null()).Select(t => ((ZoneAuthority?)t.Item1, (string?)t.Item2));

    public static readonly Gen<Zone> Zone =
        Gen.Select(Gen.Select(Id, Text, Gen.Enum<ZoneRestriction>(), Reasons), Gen.Frequency((1, Circle), (2, Star)), Band, Applicability, Extras)
            .Select(t => new Zone(t.Item1.Item1, t.Item1.Item2, "CHN", t.Item1.Item3, t.Item1.Item4, t.Item2, t.Item3.Item1, t.Item3.Item2, t.Item4, t.Item5.Item1, t.Item5.Item2));

    /// <summary>Zones with identifiers made unique by their position.</summary>
    public static readonly Gen<Zone[]> Zones =
        Zone.Array[1, 6].Select(a => a.Select((z, i) => z with { Identifier = $"{z.Identifier}{i}" }).ToArray());

    public static void AssertSame(Zone expected, Zone actual)
    {
        Assert.Equal(expected.Identifier, actual.Identifier);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Country, actual.Country);
        Assert.Equal(expected.Restriction, actual.Restriction);
        Assert.Equal(expected.Reasons, actual.Reasons);
        Assert.Equal(expected.Lower, actual.Lower);
        Assert.Equal(expected.Upper, actual.Upper);
        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal(expected.Authority, actual.Authority);
        switch (expected.Footprint)
        {
            case CircleFootprint c:
                Assert.Equal(c, Assert.IsType<CircleFootprint>(actual.Footprint));
                break;
            case PolygonFootprint p:
                Polygon got = Assert.IsType<PolygonFootprint>(actual.Footprint).Polygon;
                Assert.True(p.Polygon.EqualsExact(got), $"polygon {p.Polygon} != {got}");
                break;
        }

        Assert.Equal(expected.Applicability.Count, actual.Applicability.Count);
        for (int i = 0; i < expected.Applicability.Count; i++)
        {
            ZoneApplicability e = expected.Applicability[i], a = actual.Applicability[i];
            Assert.Equal(e.Permanent, a.Permanent);
            Assert.Equal(e.Start, a.Start);
            Assert.Equal(e.End, a.End);
            Assert.Equal(e.Weekly, a.Weekly);
        }
    }
}
