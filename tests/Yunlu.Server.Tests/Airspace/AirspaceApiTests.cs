using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Yunlu.Server.Tests.Airspace;

/// <summary>The airspace API (grid, corridors, rules, weather, zone history, "can I fly here?"), run once per store.</summary>
public abstract class AirspaceApiTests : IDisposable
{
    private readonly TempFolder _data = new();

    protected abstract string? Postgres { get; }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _data.Dispose();
        GC.SuppressFinalize(this);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field, string rule)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var list), $"no '{field}' in {errors}");
        Assert.Contains(list.EnumerateArray(), e => e.GetString()!.StartsWith(rule + ":", StringComparison.Ordinal));
    }

    private static string Zone(string id, string restriction, string lower = """{ "value": 0, "reference": "AGL" }""",
        string upper = """{ "value": 300, "reference": "AGL" }""", string footprint = """{ "polygon": [[[106.90, 26.90], [106.92, 26.90], [106.92, 26.92], [106.90, 26.92], [106.90, 26.90]]] }""",
        string applicability = "[]") => $$"""
        { "name": "Test {{id}}", "restriction": "{{restriction}}", "reasons": ["OTHER"], "footprint": {{footprint}},
          "lower": {{lower}}, "upper": {{upper}}, "applicability": {{applicability}} }
        """;

    private const string PointInTestZone = """
        "point": { "lon": 106.91, "lat": 26.91, "altitude": { "value": 40, "reference": "AGL" } },
        "timeStart": "2026-06-10T09:00:00+08:00", "timeEnd": "2026-06-10T10:00:00+08:00", "aircraft": { "class": "light" }
        """;

    private static async Task<JsonElement> CheckAsync(HttpClient client, string body)
    {
        using var response = await client.PostAsync("/api/v1/airspace/check", Json("{" + body + "}"), Ct);
        return await OkJsonAsync(response);
    }

    [Fact]
    public async Task Grid_EncodeDecodeCover_MatchStandardAndRejectBadInput()
    {
        await using var host = await YunluTestHost.StartAsync(_data.Path, Postgres);
        // GB/T 39409 worked example: 39°59′35.38″N 116°18′45.37″E at level 8.
        var lat = 39 + (59 / 60.0) + (35.38 / 3600);
        var lon = 116 + (18 / 60.0) + (45.37 / 3600);
        var enc = await OkJsonAsync(await host.Client.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/api/v1/grid/encode?lat={lat:R}&lon={lon:R}&level=8"), Ct));
        Assert.Equal("N50J47539B825534", enc.GetProperty("code").GetString());
        var dec = await OkJsonAsync(await host.Client.GetAsync("/api/v1/grid/decode/N50J47539B825534", Ct));
        Assert.InRange(lon, dec.GetProperty("westDeg").GetDouble(), dec.GetProperty("eastDeg").GetDouble());
        Assert.InRange(lat, dec.GetProperty("southDeg").GetDouble(), dec.GetProperty("northDeg").GetDouble());
        var threeD = await OkJsonAsync(await host.Client.GetAsync("/api/v1/grid/decode/N036J0093000780B3010010520430140", Ct));
        Assert.Equal(0.0, threeD.GetProperty("heightFloorW84M").GetDouble());

        await AssertProblemAsync(await host.Client.GetAsync("/api/v1/grid/decode/N50J4753ZB82", Ct), HttpStatusCode.BadRequest, "code", "grid-code-invalid");
        await AssertProblemAsync(await host.Client.GetAsync("/api/v1/grid/decode/N50J4753", Ct), HttpStatusCode.BadRequest, "code", "grid-code-invalid");
        await AssertProblemAsync(await host.Client.GetAsync("/api/v1/grid/encode?lat=26.5&lon=106.7&level=11", Ct), HttpStatusCode.BadRequest, "level", "level-range");
        await AssertProblemAsync(await host.Client.GetAsync("/api/v1/grid/encode?lat=89&lon=106.7&level=5", Ct), HttpStatusCode.BadRequest, "lat", "lat-range");

        const string Square = """{ "polygon": [[[106.70, 26.50], [106.71, 26.50], [106.71, 26.51], [106.70, 26.51], [106.70, 26.50]]] }""";
        var cover = await OkJsonAsync(await host.Client.PostAsync("/api/v1/grid/cover", Json($$"""{ "level": 5, "footprint": {{Square}} }"""), Ct));
        var codes = cover.GetProperty("codes").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(cover.GetProperty("cellCount").GetInt64(), codes.Count);
        Assert.True(codes.Count >= 81, $"{codes.Count} level-5 cells for a 0.01° square");
        Assert.All(codes, c => Assert.Equal(11, c.Length));
        var volume = await OkJsonAsync(await host.Client.PostAsync("/api/v1/grid/cover", Json($$"""
            { "level": 4, "volume": { "footprint": {{Square}}, "lower": { "value": 1100, "reference": "W84" }, "upper": { "value": 1200, "reference": "W84" } } }
            """), Ct));
        Assert.True(volume.GetProperty("threeD").GetBoolean());
        await AssertProblemAsync(await host.Client.PostAsync("/api/v1/grid/cover", Json($$"""{ "level": 9, "maxCells": 100, "footprint": {{Square}} }"""), Ct),
            HttpStatusCode.BadRequest, "maxCells", "too-many-cells");
        await AssertProblemAsync(await host.Client.PostAsync("/api/v1/grid/cover", Json("""{ "level": 5, "footprint": { "circle": { "center": [106.7, 26.5], "radiusM": 0 } } }"""), Ct),
            HttpStatusCode.BadRequest, "footprint.circle.radiusM", "radius-non-positive");
    }

    [Fact]
    public async Task Demo_ZonesCorridorsAndWeather_ShowUpInCheckAnswers()
    {
        using var demo = new TempFolder();
        var root = RepoPaths.FindRepoRoot()!;
        foreach (var name in new[] { "zones-ed269.json", "corridors.geojson", "weather-stations.csv" })
        {
            File.Copy(Path.Combine(root, "data", "demo", name), Path.Combine(demo.Path, name));
        }

        await using var host = await YunluTestHost.StartAsync(_data.Path, Postgres, o =>
        {
            o.LoadDemo = true;
            o.DemoFolder = demo.Path;
        });
        await host.Services.GetRequiredService<Hosting.StartupState>().Seeded.WaitAsync(Ct);

        var nodes = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/airway-nodes", Ct);
        Assert.Contains(nodes.EnumerateArray(), n => n.GetProperty("id").GetString() == "VP-GSH01");
        var layer = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/corridors.geojson", Ct);
        Assert.Equal(8, layer.GetProperty("features").GetArrayLength());

        // Longdongbao airport reference point: the airport zones answer.
        var airport = await CheckAsync(host.Client, """
            "point": { "lon": 106.8008, "lat": 26.5385, "altitude": { "value": 50, "reference": "AGL" } },
            "timeStart": "2026-06-10T09:00:00+08:00", "timeEnd": "2026-06-10T10:00:00+08:00", "aircraft": { "class": "micro" }
            """);
        Assert.Equal("prohibited", airport.GetProperty("verdict").GetString());
        Assert.Contains(airport.GetProperty("zones").EnumerateArray(), z => z.GetProperty("zoneId").GetString() == "GY-AP01");

        // Along the High-tech Zone – Guanshanhu corridor at 80 m AGL: the corridor answers.
        var along = await CheckAsync(host.Client, """
            "route": [ { "lon": 106.6075, "lat": 26.6395, "altitude": { "value": 80, "reference": "AGL" } },
                       { "lon": 106.652, "lat": 26.605, "altitude": { "value": 80, "reference": "AGL" } } ],
            "timeStart": "2026-06-10T09:00:00+08:00", "timeEnd": "2026-06-10T10:00:00+08:00", "aircraft": { "class": "small" }
            """);
        Assert.Contains(along.GetProperty("corridors").EnumerateArray(), c => c.GetProperty("corridorId").GetString() == "C-HT-GSH");
        Assert.Contains(along.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "corridor");

        // Weather: the airport station's afternoon squall.
        var wind = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/weather/wind?lon=106.795&lat=26.545&heightAgl=10&time=2026-06-10T16:00:00%2B08:00", Ct);
        Assert.True(wind.GetProperty("speedMps").GetDouble() > 10, wind.ToString());
        var limits = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/weather/limits?bbox=106.78,26.53,106.81,26.56&limitMps=8&level=4&time=2026-06-10T16:00:00%2B08:00", Ct);
        Assert.True(limits.GetProperty("cells").GetArrayLength() > 0, limits.ToString());
        var calm = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/weather/limits?bbox=106.78,26.53,106.81,26.56&limitMps=8&level=4&time=2026-06-10T03:00:00%2B08:00", Ct);
        Assert.Equal(0, calm.GetProperty("cells").GetArrayLength());
    }

    [Fact]
    public async Task Zone_ChangeChangesVerdict_HistoryAnswersAsOf()
    {
        await using var host = await YunluTestHost.StartAsync(_data.Path, Postgres);
        using var manager = host.Authorized(await host.TokenAsync("manager"));
        var id = "ZH" + Guid.NewGuid().ToString("N")[..10];
        (await manager.PutAsync($"/api/v1/zones/{id}", Json(Zone(id, "REQ_AUTHORISATION")), Ct)).EnsureSuccessStatusCode();
        var first = await CheckAsync(host.Client, PointInTestZone);
        Assert.Equal("needs_authorisation", first.GetProperty("verdict").GetString());
        Assert.Contains(first.GetProperty("zones").EnumerateArray(), z => z.GetProperty("zoneId").GetString() == id);
        var between = DateTimeOffset.UtcNow;
        await Task.Yield();
        while (DateTimeOffset.UtcNow <= between)
        {
            await Task.Yield(); // the next change must be stamped strictly after 'between' (microsecond clock)
        }

        (await manager.PutAsync($"/api/v1/zones/{id}", Json(Zone(id, "PROHIBITED")), Ct)).EnsureSuccessStatusCode();
        var second = await CheckAsync(host.Client, PointInTestZone);
        Assert.Equal("prohibited", second.GetProperty("verdict").GetString());

        var history = await host.Client.GetFromJsonAsync<JsonElement>($"/api/v1/zones/{id}/history", Ct);
        Assert.Equal(2, history.GetArrayLength());
        Assert.Equal("tester", history[1].GetProperty("actor").GetString());
        Assert.Equal("restriction", Assert.Single(history[1].GetProperty("changed").EnumerateArray()).GetString());

        var asOf = Uri.EscapeDataString(between.ToString("O", CultureInfo.InvariantCulture));
        var then = await host.Client.GetFromJsonAsync<JsonElement>($"/api/v1/zones?asOf={asOf}", Ct);
        var zone = Assert.Single(then.GetProperty("items").EnumerateArray(), z => z.GetProperty("zone").GetProperty("identifier").GetString() == id);
        Assert.Equal("REQ_AUTHORISATION", zone.GetProperty("zone").GetProperty("restriction").GetString());
        Assert.Equal(1, zone.GetProperty("version").GetInt64());
        var before = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/zones?asOf=2000-01-01T00:00:00Z", Ct);
        Assert.DoesNotContain(before.GetProperty("items").EnumerateArray(), z => z.GetProperty("zone").GetProperty("identifier").GetString() == id);
        await AssertProblemAsync(await host.Client.GetAsync("/api/v1/zones?asOf=yesterday", Ct), HttpStatusCode.BadRequest, "asOf", "time-format");

        (await manager.DeleteAsync($"/api/v1/zones/{id}", Ct)).EnsureSuccessStatusCode();
        var afterDelete = await CheckAsync(host.Client, PointInTestZone);
        Assert.DoesNotContain(afterDelete.GetProperty("zones").EnumerateArray(), z => z.GetProperty("zoneId").GetString() == id);
    }

    [Theory]
    [InlineData("""{ "value": 1500, "reference": "AMSL" }""", """{ "value": 1400, "reference": "W84" }""", null, "[]", "upper", "ceiling-below-floor")]
    [InlineData("""{ "value": 0, "reference": "AGL" }""", """{ "value": 100, "reference": "SEA" }""", null, "[]", "upper.reference", "altitude-reference-unknown")]
    [InlineData("""{ "value": 0, "reference": "AGL" }""", """{ "value": 100, "reference": "AGL" }""", """{ "circle": { "center": [106.9, 26.9], "radiusM": -5 } }""", "[]", "footprint.circle.radiusM", "radius-non-positive")]
    [InlineData("""{ "value": 0, "reference": "AGL" }""", """{ "value": 100, "reference": "AGL" }""", null,
        """[{ "start": "2026-06-08T00:00:00Z", "end": "2026-06-08T12:00:00Z", "weekly": [{ "days": ["SUN"], "startTime": "08:00", "endTime": "10:00" }] }]""",
        "applicability[0].weekly", "schedule-never-applies")]
    public async Task PutZone_BadInput_NamesFieldAndRule_StoresNothing(string lower, string upper, string? footprint, string applicability, string field, string rule)
    {
        await using var host = await YunluTestHost.StartAsync(_data.Path, Postgres);
        using var manager = host.Authorized(await host.TokenAsync("manager"));
        var id = "ZB" + Guid.NewGuid().ToString("N")[..10];
        var body = footprint is null ? Zone(id, "PROHIBITED", lower, upper, applicability: applicability) : Zone(id, "PROHIBITED", lower, upper, footprint, applicability);
        await AssertProblemAsync(await manager.PutAsync($"/api/v1/zones/{id}", Json(body), Ct), HttpStatusCode.BadRequest, field, rule);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"/api/v1/zones/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"/api/v1/zones/{id}/history", Ct)).StatusCode);
    }

    [Fact]
    public async Task GridOverride_ClosedCell_ShowsInCellsAndProhibitsCheck()
    {
        await using var host = await YunluTestHost.StartAsync(_data.Path, Postgres);
        using var manager = host.Authorized(await host.TokenAsync("manager"));
        var cell = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/grid/encode?lat=26.91&lon=106.91&level=6", Ct);
        var code = cell.GetProperty("code").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.PutAsync($"/api/v1/grid/cells/{code}", Json("""{ "status": "closed" }"""), Ct)).StatusCode);
        await AssertProblemAsync(await manager.PutAsync($"/api/v1/grid/cells/{code}", Json("""{ "status": "shut" }"""), Ct), HttpStatusCode.BadRequest, "status", "status-unknown");
        (await manager.PutAsync($"/api/v1/grid/cells/{code}", Json("""{ "status": "closed", "note": "crane" }"""), Ct)).EnsureSuccessStatusCode();

        var cells = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/grid/cells?bbox=106.9095,26.9095,106.9105,26.9105&level=6&time=2026-06-10T01:00:00Z", Ct);
        var state = Assert.Single(cells.GetProperty("cells").EnumerateArray(), c => c.GetProperty("code").GetString() == code);
        Assert.Equal("closed", state.GetProperty("status").GetString());
        Assert.Equal(0, state.GetProperty("capacityPerHour").GetInt32());

        var check = await CheckAsync(host.Client, PointInTestZone);
        Assert.Equal("prohibited", check.GetProperty("verdict").GetString());
        Assert.Contains(check.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "grid-closed");
        (await manager.DeleteAsync($"/api/v1/grid/cells/{code}", Ct)).EnsureSuccessStatusCode();
        var reopened = await CheckAsync(host.Client, PointInTestZone);
        Assert.DoesNotContain(reopened.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "grid-closed");
    }

    [Fact]
    public async Task RulesAndCorridorsAndWeather_ClassifyAndRejectBadInput()
    {
        await using var host = await YunluTestHost.StartAsync(_data.Path, Postgres);
        using var manager = host.Authorized(await host.TokenAsync("manager"));
        var rules = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/rules", Ct);
        Assert.Equal("cn-2024", rules.GetProperty("id").GetString());
        Assert.Equal(5, rules.GetProperty("classes").GetArrayLength());

        var small = await OkJsonAsync(await host.Client.PostAsync("/api/v1/rules/classify", Json("""
            { "aircraft": { "emptyMassKg": 10, "maxTakeOffMassKg": 20, "maxSpeedKmh": 90 }, "maxTrueHeightM": 130, "plannedStart": "2025-06-10T09:00:00+08:00" }
            """), Ct));
        Assert.Equal("small", small.GetProperty("class").GetString());
        Assert.True(small.GetProperty("pilotLicenceRequired").GetBoolean());
        Assert.True(small.GetProperty("flight").GetProperty("needsApplication").GetBoolean());
        Assert.Equal(DateTimeOffset.Parse("2025-06-09T12:00:00+08:00", CultureInfo.InvariantCulture), small.GetProperty("flight").GetProperty("applicationDeadline").GetDateTimeOffset());
        await AssertProblemAsync(await host.Client.PostAsync("/api/v1/rules/classify", Json("""{ "aircraft": { "class": "huge" } }"""), Ct),
            HttpStatusCode.BadRequest, "aircraft.class", "class-unknown");

        // A corridor naming unknown nodes is refused; nothing stored.
        await AssertProblemAsync(await manager.PutAsync("/api/v1/corridors/C-X", Json("""
            { "name": "x", "fromNodeId": "NOPE-A", "toNodeId": "NOPE-B", "centreLine": [[106.6, 26.6], [106.7, 26.6]], "widthM": 100,
              "floor": { "value": 60, "reference": "AGL" }, "ceiling": { "value": 110, "reference": "AGL" } }
            """), Ct), HttpStatusCode.BadRequest, "fromNodeId", "unknown-node");
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/api/v1/corridors/C-X", Ct)).StatusCode);
        (await manager.PutAsync("/api/v1/airway-nodes/N-A", Json("""{ "name": "A", "kind": "VERTIPORT", "lonDeg": 106.6, "latDeg": 26.6 }"""), Ct)).EnsureSuccessStatusCode();
        (await manager.PutAsync("/api/v1/airway-nodes/N-B", Json("""{ "name": "B", "kind": "JUNCTION", "lonDeg": 106.7, "latDeg": 26.6 }"""), Ct)).EnsureSuccessStatusCode();
        const string Corridor = """
            { "name": "A–B", "fromNodeId": "N-A", "toNodeId": "N-B", "centreLine": [[106.6, 26.6], [106.7, 26.6]], "widthM": 100,
              "floor": { "value": 60, "reference": "AGL" }, "ceiling": { "value": 110, "reference": "AGL" }, "direction": "ONE_WAY", "capacityPerHour": 12 }
            """;
        Assert.Equal(HttpStatusCode.Created, (await manager.PutAsync("/api/v1/corridors/C-AB", Json(Corridor), Ct)).StatusCode);
        var again = await OkJsonAsync(await manager.PutAsync("/api/v1/corridors/C-AB", Json(Corridor), Ct));
        Assert.Equal(2, again.GetProperty("version").GetInt64());
        Assert.Equal("ONE_WAY", again.GetProperty("corridor").GetProperty("direction").GetString());
        await AssertProblemAsync(await manager.PutAsync("/api/v1/corridors/C-AB", Json(Corridor.Replace("\"value\": 110", "\"value\": 50", StringComparison.Ordinal)), Ct),
            HttpStatusCode.BadRequest, "ceiling", "ceiling-below-floor");
        Assert.Equal(HttpStatusCode.NoContent, (await manager.DeleteAsync("/api/v1/corridors/C-AB", Ct)).StatusCode);

        // Weather: a bad row → 422 listing it, nothing stored.
        const string Header = "station_id,time,lon,lat,height_agl_m,wind_speed_mps,wind_from_deg\n";
        using var bad = new StringContent(Header + "S1,2026-06-10T09:00:00Z,100.0,30.0,10,5,90\nS1,2026-06-10T10:00:00Z,100.0,30.0,10,-3,90\n", Encoding.UTF8, "text/csv");
        using var rejected = await manager.PostAsync("/api/v1/weather/observations", bad, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.StatusCode);
        var problem = JsonDocument.Parse(await rejected.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(3, problem.GetProperty("rowErrors")[0].GetProperty("row").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/api/v1/weather/wind?lon=100.0&lat=30.0&time=2026-06-10T09:00:00Z", Ct)).StatusCode);
        using var good = new StringContent(Header + "S1,2026-06-10T09:00:00Z,100.0,30.0,10,5,90\nS1,2026-06-10T10:00:00Z,100.0,30.0,10,7,90\n", Encoding.UTF8, "text/csv");
        Assert.Equal(HttpStatusCode.Created, (await manager.PostAsync("/api/v1/weather/observations", good, Ct)).StatusCode);
        var w = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/weather/wind?lon=100.0&lat=30.0&heightAgl=10&time=2026-06-10T09:30:00Z", Ct);
        Assert.InRange(w.GetProperty("speedMps").GetDouble(), 5.9, 6.1);
        Assert.InRange(w.GetProperty("fromDeg").GetDouble(), 89, 91);
    }
}

public sealed class SqliteAirspaceApiTests : AirspaceApiTests
{
    protected override string? Postgres => null;
}

/// <summary>The same tests on PostgreSQL + PostGIS (a fresh database for this class).</summary>
public sealed class PostgresAirspaceApiTests(PgDatabase database) : AirspaceApiTests, IClassFixture<PgDatabase>
{
    protected override string? Postgres => database.ConnectionString;
}
