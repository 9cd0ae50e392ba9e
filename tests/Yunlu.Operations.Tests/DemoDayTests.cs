using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yunlu.Airspace.Operations;
using Yunlu.Geo;
using Yunlu.Server;
using Yunlu.Server.Operations;

namespace Yunlu.Operations.Tests;

/// <summary>The demo day of flights (data/demo/operations-day.json): generated deterministically, and on a real server
/// (Kestrel on loopback, SQLite, the demo's zones) every flight is accepted, none conflicts with another, and the
/// contested flight is refused with a resolution that is then accepted.</summary>
public sealed class DemoDayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string DemoFolder => Path.Combine(RepoRoot(), "data", "demo");

    [Fact]
    public void Generate_DemoFolder_EqualsCommittedFile()
    {
        byte[] generated = OperationsDemoDay.Generate(DemoFolder);
        string path = Path.Combine(DemoFolder, OperationsDemoDay.FileName);
        if (Environment.GetEnvironmentVariable("YUNLU_UPDATE_DEMO") == "1")
        {
            File.WriteAllBytes(path, generated);
        }

        Assert.True(File.Exists(path), $"{path} is missing; regenerate with YUNLU_UPDATE_DEMO=1 dotnet test tests/Yunlu.Operations.Tests --filter DemoDay");
        Assert.True(generated.AsSpan().SequenceEqual(File.ReadAllBytes(path)), "operations-day.json differs from the generator's output; regenerate with YUNLU_UPDATE_DEMO=1");
        Assert.True(generated.AsSpan().SequenceEqual(OperationsDemoDay.Generate(DemoFolder)), "the generator is not deterministic");
    }

    [Fact]
    public void DemoDay_File_FlightsPairwiseClearAndBothKinds()
    {
        DemoDay day = OperationsDemoDay.Read(File.ReadAllBytes(Path.Combine(DemoFolder, OperationsDemoDay.FileName)));
        DateTimeOffset d0 = OperationsDemoDay.DemoDayStart(DateTimeOffset.UtcNow);
        var volumes = day.Flights.Select(f => f.Volumes.Select(v => OperationsDemoDay.ToVolume(v, d0)).ToArray()).ToArray();
        for (int a = 0; a < volumes.Length; a++)
        {
            for (int b = a + 1; b < volumes.Length; b++)
            {
                Assert.False(volumes[a].Any(x => volumes[b].Any(y => x.Intersects(y))), $"{day.Flights[a].Name} meets {day.Flights[b].Name}");
            }
        }

        Assert.Contains(day.Flights, f => f.Kind == "logistics");
        Assert.Contains(day.Flights, f => f.Kind == "sightseeing");
        Assert.True(day.Flights.Count >= 20, $"a day should hold many flights, got {day.Flights.Count}");
        Volume4D[] contested = [.. day.Contested.Volumes.Select(v => OperationsDemoDay.ToVolume(v, d0))];
        Assert.Contains(volumes, f => f.Any(x => contested.Any(y => x.Intersects(y))));
    }

    [Fact]
    public async Task DemoDay_SeededOnRealServer_AllAcceptedAndContestedAcceptedWithItsResolution()
    {
        string temp = Path.Combine(Path.GetTempPath(), "yunlu-demo-day-" + Guid.NewGuid().ToString("N"));
        string demo = Path.Combine(temp, "demo");
        Directory.CreateDirectory(demo);
        try
        {
            // The demo's zones and the day (terrain and buildings are not needed for booking).
            foreach (string name in new[] { "zones-ed269.json", "zones-ed318.geojson", "zones.kml", OperationsDemoDay.FileName })
            {
                File.Copy(Path.Combine(DemoFolder, name), Path.Combine(demo, name));
            }

            var options = new YunluServerOptions { DataFolder = Path.Combine(temp, "data"), LoadDemo = true, DemoFolder = demo };
            options.Urls.Add("http://127.0.0.1:0");
            var builder = YunluServer.CreateBuilder(options);
            builder.Logging.ClearProviders();
            WebApplication app = YunluServer.BuildApp(builder);
            await app.StartAsync(Ct);
            try
            {
                DemoDay day = OperationsDemoDay.Read(File.ReadAllBytes(Path.Combine(demo, OperationsDemoDay.FileName)));
                var runtime = app.Services.GetRequiredService<OperationsRuntime>();
                DemoDaySeedResult? seeded = await runtime.DemoDaySeeded.WaitAsync(TimeSpan.FromMinutes(3), Ct);
                Assert.NotNull(seeded);
                Assert.Equal((day.Flights.Count, 0), (seeded.Accepted, seeded.Refused));
                Assert.True(seeded.ContestedRejected, "the contested flight should be refused first");
                Assert.NotNull(seeded.ResolutionKind);

                using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(http, "manager"));

                // Stored: every flight and the contested one Accepted, and no two of them meet.
                JsonElement page = await GetAsync(http, "/api/v1/operations?owner=" + OperationsDemoDay.Actor + "&limit=10000");
                var items = page.GetProperty("items").EnumerateArray().ToList();
                Assert.Equal(day.Flights.Count + 1, items.Count);
                Assert.All(items, i => Assert.Equal("ACCEPTED", i.GetProperty("state").GetString()));
                var booked = items.Select(VolumesOf).ToList();
                for (int a = 0; a < booked.Count; a++)
                {
                    for (int b = a + 1; b < booked.Count; b++)
                    {
                        Assert.False(booked[a].Any(x => booked[b].Any(y => x.Intersects(y))), $"accepted intents {a} and {b} meet");
                    }
                }

                // Over HTTP: the contested request again (new id) is refused with resolutions; its first resolution,
                // sent as a volume update of the same intent, is accepted.
                DateTimeOffset d0 = OperationsDemoDay.DemoDayStart(DateTimeOffset.UtcNow);
                IntentRequestDto request = OperationsDemoDay.ToRequest(day.Contested, d0) with { Id = Guid.NewGuid() };
                (int status, JsonElement first) = await SendAsync(http, HttpMethod.Post, "/api/v1/operations?resolve=true", JsonSerializer.Serialize(request, JsonOptions));
                Assert.Equal(201, status);
                Assert.Equal("REJECTED", first.GetProperty("outcome").GetString());
                Assert.NotEmpty(first.GetProperty("conflicts").EnumerateArray());
                JsonElement resolution = first.GetProperty("resolutions").EnumerateArray().First();
                var update = new JsonObject
                {
                    ["volumes"] = JsonNode.Parse(resolution.GetProperty("volumes").GetRawText()),
                    ["ovn"] = first.GetProperty("intent").GetProperty("ovn").GetString(),
                };
                (status, JsonElement second) = await SendAsync(http, HttpMethod.Put, "/api/v1/operations/" + request.Id!.Value.ToString("D"), update.ToJsonString());
                Assert.Equal(201, status);
                Assert.Equal("ACCEPTED", second.GetProperty("outcome").GetString());
                Assert.DoesNotContain(second.GetProperty("conflicts").EnumerateArray(), c => c.GetProperty("blocking").GetBoolean());
            }
            finally
            {
                await app.StopAsync(CancellationToken.None);
                await app.DisposeAsync();
            }
        }
        finally
        {
            try
            {
                Directory.Delete(temp, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may hold the file a moment longer; the OS temp cleaner takes it.
            }
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static Volume4D[] VolumesOf(JsonElement intent) =>
    [
        .. intent.GetProperty("volumes").EnumerateArray().Select(v =>
        {
            var ring = v.GetProperty("footprint").GetProperty("polygon")[0].EnumerateArray()
                .Select(p => new NetTopologySuite.Geometries.Coordinate(p[0].GetDouble(), p[1].GetDouble())).ToArray();
            return new Volume4D(
                new Volume3D(new PolygonFootprint(FootprintGeometry.Factory.CreatePolygon(ring)), Altitude.W84(v.GetProperty("lowerW84M").GetDouble()), Altitude.W84(v.GetProperty("upperW84M").GetDouble())),
                new TimeWindow(v.GetProperty("start").GetDateTimeOffset(), v.GetProperty("end").GetDateTimeOffset()));
        }),
    ];

    private static async Task<string> TokenAsync(HttpClient http, params string[] roles)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/auth/token", new { subject = "demo-day-test", roles }, Ct);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return doc.RootElement.GetProperty("accessToken").GetString()!;
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string path)
    {
        string text = await http.GetStringAsync(path, Ct);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<(int Status, JsonElement Body)> SendAsync(HttpClient http, HttpMethod method, string path, string json)
    {
        using var req = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(req, Ct);
        string text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, string.Create(CultureInfo.InvariantCulture, $"{method} {path} → {(int)response.StatusCode}: {text}"));
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "data", "demo")) && File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("repository root (with data/demo) not found above " + AppContext.BaseDirectory);
    }
}
