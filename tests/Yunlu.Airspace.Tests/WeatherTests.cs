using System.Text;
using Yunlu.Geo;
using Yunlu.Terrain.Weather;

namespace Yunlu.Airspace.Tests;

public sealed class WeatherTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 10, 0, 0, 0, TimeSpan.Zero);

    private static Stream Text(string s) => new MemoryStream(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void ReadCsv_GoodAndBadRows_PerRowErrors()
    {
        const string csv = "station_id,time,lon,lat,height_agl_m,wind_speed_mps,wind_from_deg,gust_mps,temperature_c,visibility_m,precipitation_mm_h\n" +
            "S1,2025-06-10T08:00:00+08:00,106.7,26.6,10,5,270,8,22.5,10000,0\n" +
            "S2,2025-06-10T08:00:00+08:00,106.8,26.6,10,5,400,,,,\n" +
            "S3,2025-06-10 08:00,106.8,26.6,10,5,90,,,,\n" +
            ",2025-06-10T08:00:00Z,106.8,95,10,-1,90,2,,,\n";
        WeatherReadResult r = WeatherObservationReader.ReadCsv(Text(csv));
        Assert.False(r.Ok);
        Assert.Single(r.Observations);
        Assert.Contains(r.Errors, e => e.Row == 3 && e.Field == "wind_from_deg" && e.Rule == "range");
        Assert.Contains(r.Errors, e => e.Row == 4 && e.Field == "time" && e.Rule == "time");
        Assert.Contains(r.Errors, e => e.Row == 5 && e.Field == "station_id" && e.Rule == "missing");
        Assert.Contains(r.Errors, e => e.Row == 5 && e.Field == "lat" && e.Rule == "range");
        Assert.Contains(r.Errors, e => e.Row == 5 && e.Field == "wind_speed_mps" && e.Rule == "range");
    }

    [Fact]
    public void ReadCsv_MissingColumn_HeaderError()
    {
        WeatherReadResult r = WeatherObservationReader.ReadCsv(Text("station_id,time,lon,lat\nS1,2025-06-10T00:00:00Z,106,26\n"));
        Assert.Contains(r.Errors, e => e.Field == "wind_speed_mps" && e.Rule == "missing");
    }

    [Fact]
    public void ReadJson_SameRules()
    {
        const string json = """{"observations":[{"stationId":"S1","time":"2025-06-10T00:00:00Z","lon":106.7,"lat":26.6,"heightAglM":10,"windSpeedMps":4,"windFromDeg":0,"gustMps":3}, {"stationId":"S2","time":"2025-06-10T00:00:00Z","lon":106.7,"lat":26.6,"heightAglM":10,"windSpeedMps":4,"windFromDeg":0}]}""";
        WeatherReadResult r = WeatherObservationReader.ReadJson(Text(json));
        WeatherRowError e = Assert.Single(r.Errors);
        Assert.Equal((1, "gustMps", "range"), (e.Row, e.Field, e.Rule));
        Assert.Equal("S2", Assert.Single(r.Observations).StationId);
    }

    [Fact]
    public void LogProfile_DoublesHeight_MatchesFormula()
    {
        double u = LogWindProfile.Scale(5, 10, 100, 0.03);
        Assert.Equal(5 * Math.Log(100 / 0.03) / Math.Log(10 / 0.03), u, 12);
        Assert.Equal(0, LogWindProfile.Scale(5, 10, 0.01, 0.03));
    }

    [Fact]
    public void WindVector_FromWest_BlowsEast()
    {
        WindVector w = WindVector.FromSpeedDirection(10, 270, 12);
        Assert.Equal(10, w.EastMps, 9);
        Assert.Equal(0, w.NorthMps, 9);
        Assert.Equal(270, w.FromDeg, 9);
    }

    [Fact]
    public void FromObservations_AtStationAndReferenceHeight_ReturnsObservation()
    {
        var spec = new WindGridSpec(106.6, 26.5, 0.05, 0.05, 5, 5);
        WeatherObservation[] obs =
        [
            new("S1", T0, spec.Node(1, 1), 10, 6, 180, 9, null, null, null),
            new("S1", T0.AddHours(1), spec.Node(1, 1), 10, 8, 180, 11, null, null, null),
            new("S2", T0, spec.Node(3, 3), 10, 2, 90, 3, null, null, null),
            new("S2", T0.AddHours(1), spec.Node(3, 3), 10, 2, 90, 3, null, null, null),
        ];
        WindField f = WindField.FromObservations(obs, spec, T0, TimeSpan.FromMinutes(30), 3);

        WindVector at = f.Query(spec.Node(1, 1), 10, T0.AddMinutes(30));
        Assert.Equal(7, at.NorthMps, 9); // from 180° = blowing north; linear in time 6 → 8
        Assert.Equal(0, at.EastMps, 9);
        WindVector high = f.Query(spec.Node(1, 1), 100, T0);
        Assert.Equal(6 * Math.Log(100 / 0.03) / Math.Log(10 / 0.03), high.NorthMps, 9);
        Assert.False(f.TryQuery(new GeoPoint(107.5, 26.6), 10, T0, out _));
        Assert.False(f.TryQuery(spec.Node(1, 1), 10, T0.AddHours(2), out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Query(spec.Node(1, 1), 10, T0.AddHours(-1)));
    }

    [Fact]
    public void FromObservations_NodeBetweenStations_IsWeightedMean()
    {
        var spec = new WindGridSpec(106.6, 26.5, 0.01, 0.01, 3, 3);
        WeatherObservation[] obs =
        [
            new("A", T0, new GeoPoint(106.6, 26.51), 10, 4, 270, null, null, null, null),
            new("B", T0, new GeoPoint(106.62, 26.51), 10, 8, 270, null, null, null, null),
        ];
        WindField f = WindField.FromObservations(obs, spec, T0, TimeSpan.FromHours(1), 1);
        WindVector mid = f.Query(spec.Node(1, 1), 10, T0);
        Assert.Equal(6, mid.EastMps, 2); // equidistant: the plain mean
        Assert.True(mid.EastMps > 4 && mid.EastMps < 8);
    }

    [Fact]
    public void Query_Bilinear_BetweenNodes()
    {
        var spec = new WindGridSpec(0, 0, 1, 1, 2, 2);
        var f = new WindField(spec, T0, TimeSpan.FromHours(1), 1, [0, 4, 8, 12], [0, 0, 0, 0], [], [0.03, 0.03, 0.03, 0.03], 10);
        Assert.Equal(6, f.Query(new GeoPoint(0.5, 0.5), 10, T0).EastMps, 12);
        Assert.Equal(2, f.Query(new GeoPoint(0.5, 0), 10, T0).EastMps, 12);
        Assert.Single(f.NodesAbove(11, 10, T0));
    }

    [Fact]
    public void WindGridReader_Json_RoundTripAndErrors()
    {
        const string json = """{"west":106,"south":26,"dLonDeg":0.1,"dLatDeg":0.1,"columns":2,"rows":2,"start":"2025-06-10T00:00:00Z","stepMinutes":60,"steps":1,"east":[1,2,3,4],"north":[0,0,0,0],"landUse":["open","water","urban","suburban"]}""";
        Assert.Empty(WindGridReader.ReadJson(Text(json), out WindField? f));
        Assert.Equal(1, f!.Query(new GeoPoint(106, 26), 10, T0).EastMps, 12);
        IReadOnlyList<WeatherRowError> errors = WindGridReader.ReadJson(Text(json.Replace("[1,2,3,4]", "[1,2,3]", StringComparison.Ordinal)), out _);
        Assert.Contains(errors, e => e.Field == "east");
    }
}

public sealed class GridWindTests
{
    [Fact]
    public void CellsAboveLimit_OnlyWindyHalf_Flagged()
    {
        var t = new DateTimeOffset(2025, 6, 10, 0, 0, 0, TimeSpan.Zero);
        var spec = new WindGridSpec(106.70, 26.60, 0.01, 0.01, 2, 2);

        // 4 m/s on the west nodes, 16 m/s on the east nodes: wind grows eastward across the box.
        var f = new WindField(spec, t, TimeSpan.FromHours(1), 1, [4, 16, 4, 16], [0, 0, 0, 0], [], [0.03, 0.03, 0.03, 0.03], 10);
        Yunlu.Airspace.Grid.GridCover cover = Yunlu.Airspace.Grid.GridCovering.CoverPolygon(ZoneTestData.Box(106.701, 26.601, 106.709, 26.609), 5);
        IReadOnlyList<Yunlu.Airspace.Grid.WindCellFlag> flags = Yunlu.Airspace.Grid.GridWind.CellsAboveLimit(cover, f, 10, t, 10);
        Assert.NotEmpty(flags);
        Assert.True(flags.Count < cover.CellCount);
        Assert.All(flags, x => Assert.True(x.Wind.SpeedMps > 10 && x.Centre.LonDeg > 106.704));
    }
}
