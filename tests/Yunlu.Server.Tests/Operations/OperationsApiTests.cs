using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Yunlu.Server.Hosting;
using Yunlu.Server.Operations;
using static Yunlu.Server.Tests.Operations.OpsClient;

namespace Yunlu.Server.Tests.Operations;

/// <summary>The operations API on a real server, once per store (SQLite, PostgreSQL).</summary>
public abstract class OperationsApiTests : IDisposable
{
    private readonly TempFolder _data = new();

    protected abstract string? Postgres { get; }

    private static DateTimeOffset Base => DateTimeOffset.UtcNow.AddHours(2);

    public void Dispose()
    {
        _data.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<(YunluTestHost Host, HttpClient Operator, HttpClient Manager)> StartAsync()
    {
        var host = await YunluTestHost.StartAsync(_data.Path, Postgres);
        var op = host.Authorized(await host.TokenAsync("operator"));
        var manager = host.Authorized(await host.TokenAsync("manager"));
        return (host, op, manager);
    }

    [Fact]
    public async Task Registry_PutAndGet_ClassifiesAircraftAndNamesBadFields()
    {
        var (host, op, _) = await StartAsync();
        await using var _h = host;
        using var _o = op;
        await RegisterFleetAsync(op);
        var aircraft = await op.GetFromJsonAsync<JsonElement>("/api/v1/registry/aircraft/AC-SMALL", Ct);
        Assert.Equal("SMALL", aircraft.GetProperty("data").GetProperty("class").GetString());
        Assert.Equal(1, aircraft.GetProperty("version").GetInt64());

        var (status, problem) = await SendAsync(op, HttpMethod.Put, "/api/v1/registry/aircraft/BAD", JsonNode.Parse("""{"operatorId":"OP1","emptyMassKg":-1}"""));
        Assert.Equal(400, status);
        AssertRule(problem, "registrationNumber", "required");
        AssertRule(problem, "emptyMassKg", "positive");
        var (opStatus, opProblem) = await SendAsync(op, HttpMethod.Put, "/api/v1/registry/operators/OP2", JsonNode.Parse("""{"name":"x","category":"SPECIAL"}"""));
        Assert.Equal(400, opStatus);
        AssertRule(opProblem, "category", "value-unknown");
        using var missing = await op.GetAsync("/api/v1/registry/aircraft/BAD", Ct);
        Assert.Equal(404, (int)missing.StatusCode);
    }

    [Fact]
    public async Task Submit_ConflictingIntent_RejectedWithConflictAndResolution_ResolutionThenAccepted()
    {
        var (host, op, _) = await StartAsync();
        await using var _h = host;
        using var _o = op;
        await RegisterFleetAsync(op);
        var t = Base;
        var (s1, first) = await PostAsync(op, "/api/v1/operations", Intent(Volume(0, 0, 10, 10, 1, t, t.AddMinutes(20))));
        Assert.Equal(201, s1);
        Assert.Equal("ACCEPTED", first.GetProperty("outcome").GetString());
        var firstId = first.GetProperty("intent").GetProperty("id").GetGuid();

        var (s2, second) = await PostAsync(op, "/api/v1/operations?resolve=true", Intent(Volume(5, 5, 15, 15, 1, t.AddMinutes(10), t.AddMinutes(25))));
        Assert.Equal(201, s2);
        Assert.Equal("REJECTED", second.GetProperty("outcome").GetString());
        var conflict = Assert.Single(second.GetProperty("conflicts").EnumerateArray());
        Assert.Equal("INTENT", conflict.GetProperty("kind").GetString());
        Assert.Equal(firstId, conflict.GetProperty("intentId").GetGuid());
        Assert.True(conflict.GetProperty("blocking").GetBoolean());
        Assert.Equal(t.AddMinutes(10), conflict.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(t.AddMinutes(20), conflict.GetProperty("to").GetDateTimeOffset());
        var shift = second.GetProperty("resolutions").EnumerateArray().First(r => r.GetProperty("kind").GetString() == "START_TIME_SHIFT");
        Assert.Equal(600, shift.GetProperty("startShiftS").GetDouble(), 6);

        var id = second.GetProperty("intent").GetProperty("id").GetGuid();
        var ovn = second.GetProperty("intent").GetProperty("ovn").GetString()!;
        var update = new JsonObject { ["volumes"] = JsonNode.Parse(shift.GetProperty("volumes").GetRawText()) };
        var (s3, third) = await SendAsync(op, HttpMethod.Put, $"/api/v1/operations/{id}", update, ifMatch: ovn);
        Assert.True(s3 == 201, third.ToString());
        Assert.Equal("ACCEPTED", third.GetProperty("outcome").GetString());
        Assert.Equal("ACCEPTED", third.GetProperty("intent").GetProperty("state").GetString());

        // The old OVN is stale now.
        var (s4, stale) = await SendAsync(op, HttpMethod.Put, $"/api/v1/operations/{id}", update, ifMatch: ovn);
        Assert.Equal(409, s4);
        Assert.Equal("https://yunlu.dev/problems/ovn-stale", stale.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("end-before-start")]
    [InlineData("past")]
    [InlineData("too-far")]
    [InlineData("vertices")]
    [InlineData("unknown-aircraft")]
    [InlineData("no-licence")]
    public async Task Submit_BadInput_400NamingFieldAndRule_NothingStored(string kind)
    {
        var (host, op, _) = await StartAsync();
        await using var _h = host;
        using var _o = op;
        await RegisterFleetAsync(op);
        var t = Base;
        JsonObject body = kind switch
        {
            "end-before-start" => Intent(Volume(0, 0, 1, 1, 0, t, t)),
            "past" => Intent(Volume(0, 0, 1, 1, 0, t.AddHours(-4), t.AddHours(-3))),
            "too-far" => Intent(Volume(0, 0, 1, 1, 0, t.AddDays(31), t.AddDays(31).AddMinutes(10))),
            "vertices" => Intent(ManyVertices(10_001, t)),
            "unknown-aircraft" => Intent(Volume(0, 0, 1, 1, 0, t, t.AddMinutes(5)), aircraft: "AC-NOPE"),
            _ => Intent(Volume(0, 0, 1, 1, 0, t, t.AddMinutes(5)), aircraft: "AC-SMALL", pilot: "P-NONE"),
        };
        var (field, rule) = kind switch
        {
            "end-before-start" => ("volumes[0].end", "end-not-after-start"),
            "past" => ("volumes[0].start", "in-past"),
            "too-far" => ("volumes[0].end", "too-far-ahead"),
            "vertices" => ("volumes", "too-many-vertices"),
            "unknown-aircraft" => ("aircraftId", "unknown-aircraft"),
            _ => ("pilotId", "licence-missing"),
        };
        var (status, problem) = await PostAsync(op, "/api/v1/operations", body);
        Assert.True(status == 400, problem.ToString());
        AssertRule(problem, field, rule);
        var page = await op.GetFromJsonAsync<JsonElement>("/api/v1/operations", Ct);
        Assert.Empty(page.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Lifecycle_ActivateEnd_AndMediumAircraftGoesToQueue_ManagerApproves()
    {
        var (host, op, manager) = await StartAsync();
        await using var _h = host;
        using var _o = op;
        using var _m = manager;
        await RegisterFleetAsync(op);
        var t = DateTimeOffset.UtcNow.AddSeconds(30);
        var (_, accepted) = await PostAsync(op, "/api/v1/operations", Intent(Volume(0, 0, 2, 2, 0, t, t.AddMinutes(30))));
        var id = accepted.GetProperty("intent").GetProperty("id").GetGuid();
        var ovn = accepted.GetProperty("intent").GetProperty("ovn").GetString()!;
        var (sa, active) = await PostAsync(op, $"/api/v1/operations/{id}/activate", new JsonObject { ["ovn"] = ovn });
        Assert.True(sa == 200, active.ToString());
        Assert.Equal("ACTIVATED", active.GetProperty("state").GetString());
        var (sw, wrong) = await PostAsync(op, $"/api/v1/operations/{id}/withdraw", new JsonObject { ["ovn"] = active.GetProperty("ovn").GetString() });
        Assert.Equal(409, sw);
        Assert.Equal("https://yunlu.dev/problems/invalid-transition", wrong.GetProperty("type").GetString());
        var (se, ended) = await PostAsync(op, $"/api/v1/operations/{id}/end", new JsonObject { ["ovn"] = active.GetProperty("ovn").GetString() });
        Assert.Equal(200, se);
        Assert.Equal("ENDED", ended.GetProperty("state").GetString());

        var (sq, pending) = await PostAsync(op, "/api/v1/operations", Intent(Volume(20, 20, 22, 22, 0, t.AddHours(1), t.AddHours(1).AddMinutes(20)), aircraft: "AC-MEDIUM"));
        Assert.Equal(201, sq);
        Assert.Equal("PENDING_APPROVAL", pending.GetProperty("outcome").GetString());
        var queue = await manager.GetFromJsonAsync<JsonElement>("/api/v1/operations/queue", Ct);
        var queued = Assert.Single(queue.GetProperty("items").EnumerateArray());
        using var forbidden = await op.GetAsync("/api/v1/operations/queue", Ct);
        Assert.Equal(403, (int)forbidden.StatusCode);
        var (sp, approved) = await PostAsync(manager, $"/api/v1/operations/{queued.GetProperty("id").GetGuid()}/approve", new JsonObject { ["ovn"] = queued.GetProperty("ovn").GetString() });
        Assert.True(sp == 201, approved.ToString());
        Assert.Equal("ACCEPTED", approved.GetProperty("intent").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Restart_IndexRebuiltFromStore_ConflictStillDetected()
    {
        var t = Base;
        var host = await YunluTestHost.StartAsync(_data.Path, Postgres);
        Guid firstId;
        string token;
        await using (host)
        {
            token = await host.TokenAsync("operator");
            using var op = host.Authorized(token);
            await RegisterFleetAsync(op);
            var (_, first) = await PostAsync(op, "/api/v1/operations", Intent(Volume(0, 0, 4, 4, 2, t, t.AddMinutes(15))));
            firstId = first.GetProperty("intent").GetProperty("id").GetGuid();
        }

        // Same data folder, same signing key: the first token is valid on the restarted server.
        await using var again = await YunluTestHost.StartAsync(_data.Path, Postgres);
        using var op2 = again.Authorized(token);
        var (_, second) = await PostAsync(op2, "/api/v1/operations", Intent(Volume(2, 2, 6, 6, 2, t.AddMinutes(5), t.AddMinutes(10))));
        Assert.Equal("REJECTED", second.GetProperty("outcome").GetString());
        Assert.Equal(firstId, second.GetProperty("conflicts")[0].GetProperty("intentId").GetGuid());
    }

    [Fact]
    public async Task Submit_IntoProhibitedZone_RejectedWithZoneConflict()
    {
        var (host, op, manager) = await StartAsync();
        await using var _h = host;
        using var _o = op;
        using var _m = manager;
        await RegisterFleetAsync(op);
        double w = Lon0, s = Lat0, e = Lon0 + 0.01, n = Lat0 + 0.01;
        var zone = $$"""
            {"name":"禁飞测试","country":"CHN","restriction":"PROHIBITED","reasons":["SENSITIVE"],
             "footprint":{"polygon":[[[{{w}},{{s}}],[{{e}},{{s}}],[{{e}},{{n}}],[{{w}},{{n}}],[{{w}},{{s}}]]]},
             "lower":{"value":0,"reference":"W84"},"upper":{"value":5000,"reference":"W84"},
             "applicability":[{"permanent":true}]}
            """;
        await PutOkAsync(manager, "/api/v1/zones/ZTEST1", zone);

        // The zone poll would pick the zone up within 2 s; refresh now instead of waiting.
        await host.Services.GetRequiredService<OperationsRuntime>().RefreshZonesAsync(host.Services.GetRequiredService<StartupState>().Store, null, Ct);
        var t = Base;
        var (_, result) = await PostAsync(op, "/api/v1/operations", Intent(Volume(2, 2, 3, 3, 0, t, t.AddMinutes(1))));
        Assert.Equal("REJECTED", result.GetProperty("outcome").GetString());
        var c = Assert.Single(result.GetProperty("conflicts").EnumerateArray());
        Assert.Equal("ZONE", c.GetProperty("kind").GetString());
        Assert.Equal("ZTEST1", c.GetProperty("zoneId").GetString());
    }

    private static JsonObject ManyVertices(int count, DateTimeOffset t)
    {
        var ring = new JsonArray();
        for (int i = 0; i < count; i++)
        {
            double a = 2 * Math.PI * i / count;
            ring.Add(new JsonArray(Lon0 + (0.01 * Math.Cos(a)), Lat0 + (0.01 * Math.Sin(a))));
        }

        ring.Add(new JsonArray(Lon0 + 0.01, Lat0));
        return new JsonObject
        {
            ["footprint"] = new JsonObject { ["polygon"] = new JsonArray(ring) },
            ["lowerW84M"] = 1000,
            ["upperW84M"] = 1030,
            ["start"] = t.ToString("O", CultureInfo.InvariantCulture),
            ["end"] = t.AddMinutes(10).ToString("O", CultureInfo.InvariantCulture),
        };
    }
}

/// <summary>The operations API on SQLite.</summary>
public sealed class SqliteOperationsApiTests : OperationsApiTests
{
    protected override string? Postgres => null;
}

/// <summary>The operations API on PostgreSQL + PostGIS, a fresh database per test (the tests count what is stored).</summary>
public sealed class PostgresOperationsApiTests : OperationsApiTests, IAsyncLifetime
{
    private readonly PgDatabase _database = new();

    protected override string? Postgres => _database.ConnectionString;

    public ValueTask InitializeAsync() => _database.InitializeAsync();

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
