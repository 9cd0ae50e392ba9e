using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Yunlu.Geo;
using static Yunlu.Server.Tests.Operations.OpsClient;

namespace Yunlu.Server.Tests.Operations;

/// <summary>
/// No double booking over HTTP: many parallel clients submit intents drawn so that most pairs conflict, against one
/// server on SQLite and against two servers (separate books and indexes) on one PostgreSQL database. Afterwards no two
/// Accepted intents conflict (brute force over every pair with <see cref="Volume4D.Intersects"/>), and the Accepted set
/// in the store equals the set of submissions answered 2xx ACCEPTED.
/// </summary>
public sealed class NoDoubleBookingTests : IDisposable
{
    private const int Submissions = 240;
    private const int Parallelism = 24;

    private readonly TempFolder _a = new();
    private readonly TempFolder _b = new();

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    [Fact]
    public async Task ParallelConflictingSubmissions_OneSqliteServer_NoTwoAcceptedConflict()
    {
        await using var host = await YunluTestHost.StartAsync(_a.Path, null);
        using var op = host.Authorized(await host.TokenAsync("operator"));
        await RegisterFleetAsync(op);
        await RunAsync([op, op], op);
    }

    [Fact]
    public async Task ParallelConflictingSubmissions_TwoServersOnePostgres_NoTwoAcceptedConflict()
    {
        await using var pg = new PgDatabase();
        await pg.InitializeAsync();
        await using var one = await YunluTestHost.StartAsync(_a.Path, pg.ConnectionString);
        await using var two = await YunluTestHost.StartAsync(_b.Path, pg.ConnectionString);
        Assert.NotSame(one.Services.GetService(typeof(Yunlu.Server.Operations.OperationsRuntime)), two.Services.GetService(typeof(Yunlu.Server.Operations.OperationsRuntime)));

        // Both servers trust each other's development keys only if they share the data folder's key; use one token per server.
        using var opOne = one.Authorized(await one.TokenAsync("operator"));
        using var opTwo = two.Authorized(await two.TokenAsync("operator"));
        await RegisterFleetAsync(opOne);
        await RunAsync([opOne, opTwo], opOne);
    }

    private static async Task RunAsync(HttpClient[] servers, HttpClient reader)
    {
        var t0 = DateTimeOffset.UtcNow.AddHours(3);
        t0 = new DateTimeOffset(t0.Year, t0.Month, t0.Day, t0.Hour, 0, 0, TimeSpan.Zero);
        var random = new Random(4242);
        var bodies = new JsonObject[Submissions];
        for (int i = 0; i < Submissions; i++)
        {
            // A 6 × 6 lattice of 0.001° cells, 3 layers, 12 five-minute steps: dense, so most pairs conflict and
            // touching (edges, layer boundaries, end = start) happens often.
            int x = random.Next(0, 6), y = random.Next(0, 6), layer = random.Next(0, 3), m = random.Next(0, 12);
            int w = random.Next(1, 4), h = random.Next(1, 4), d = random.Next(1, 4);
            var start = t0.AddMinutes(m * 5);
            bodies[i] = Intent(Volume(x, y, x + w, y + h, layer, start, start.AddMinutes(d * 5)));
            bodies[i]["id"] = Guid.NewGuid().ToString("D");
        }

        var acknowledged = new ConcurrentDictionary<Guid, bool>();
        var statuses = new ConcurrentBag<int>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Submissions), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = Ct }, async (i, ct) =>
        {
            var (status, body) = await PostAsync(servers[i % servers.Length], "/api/v1/operations", bodies[i]);
            statuses.Add(status);
            if (status is >= 200 and < 300 && body.GetProperty("outcome").GetString() == "ACCEPTED")
            {
                acknowledged[body.GetProperty("intent").GetProperty("id").GetGuid()] = true;
            }
        });
        Assert.All(statuses, s => Assert.Equal(201, s));

        var page = await reader.GetFromJsonAsync<JsonElement>("/api/v1/operations?state=ACCEPTED&limit=10000", Ct);
        var accepted = page.GetProperty("items").EnumerateArray().Select(ToVolume).ToList();
        Assert.True(accepted.Count > 1, "the test needs at least two accepted intents");
        Assert.True(accepted.Count < Submissions / 2, $"the lattice should make most submissions conflict; {accepted.Count} accepted");
        Assert.Equal(acknowledged.Keys.OrderBy(g => g), accepted.Select(a => a.Id).OrderBy(g => g));
        for (int i = 0; i < accepted.Count; i++)
        {
            for (int j = i + 1; j < accepted.Count; j++)
            {
                Assert.False(accepted[i].Volume.Intersects(accepted[j].Volume), $"accepted intents {accepted[i].Id} and {accepted[j].Id} conflict");
            }
        }
    }

    private static (Guid Id, Volume4D Volume) ToVolume(JsonElement intent)
    {
        var v = intent.GetProperty("volumes")[0];
        var ring = v.GetProperty("footprint").GetProperty("polygon")[0];
        var coords = ring.EnumerateArray().Select(p => new NetTopologySuite.Geometries.Coordinate(p[0].GetDouble(), p[1].GetDouble())).ToArray();
        var polygon = FootprintGeometry.Factory.CreatePolygon(coords);
        var volume = new Volume4D(
            new Volume3D(new PolygonFootprint(polygon), Altitude.W84(v.GetProperty("lowerW84M").GetDouble()), Altitude.W84(v.GetProperty("upperW84M").GetDouble())),
            new TimeWindow(v.GetProperty("start").GetDateTimeOffset(), v.GetProperty("end").GetDateTimeOffset()));
        return (intent.GetProperty("id").GetGuid(), volume);
    }
}
