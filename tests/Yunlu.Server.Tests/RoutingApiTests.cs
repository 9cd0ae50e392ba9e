using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Yunlu.Airspace.Operations;

namespace Yunlu.Server.Tests;

/// <summary>POST /api/v1/routes/plan on a real server over SQLite with the demo terrain, buildings and zones.</summary>
public sealed class RoutingApiTests : IDisposable
{
    private readonly TempFolder _data = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _data.Dispose();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<YunluTestHost> DemoHostAsync(TempFolder demo)
    {
        string root = RepoPaths.FindRepoRoot()!;
        foreach (string name in new[] { "guiyang-dem-1arcsec.tif", "buildings.geojson", "zones-ed269.json" })
        {
            File.Copy(Path.Combine(root, "data", "demo", name), Path.Combine(demo.Path, name));
        }

        YunluTestHost host = await YunluTestHost.StartAsync(_data.Path, null, o =>
        {
            o.LoadDemo = true;
            o.DemoFolder = demo.Path;
        });
        await host.Services.GetRequiredService<Hosting.StartupState>().Seeded.WaitAsync(Ct);
        return host;
    }

    [Fact]
    public async Task Plan_VertiportToVertiport_RouteWithThreeAltitudesLegsProfileAndVolumes()
    {
        using var demo = new TempFolder();
        await using YunluTestHost host = await DemoHostAsync(demo);
        using HttpClient client = host.Authorized(await host.TokenAsync("operator"));
        using HttpResponseMessage response = await client.PostAsync("/api/v1/routes/plan", Json("""
            { "from": { "lonDeg": 106.6075, "latDeg": 26.6395 }, "to": { "lonDeg": 106.652, "latDeg": 26.605 },
              "departureUtc": "2026-06-10T01:00:00Z", "cruiseAltitudeAglM": 80, "clearanceM": 30 }
            """), Ct);
        string text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, text);
        JsonElement root = JsonDocument.Parse(text).RootElement;
        JsonElement[] waypoints = [.. root.GetProperty("waypoints").EnumerateArray()];
        Assert.True(waypoints.Length >= 4);
        Assert.Equal(106.6075, waypoints[0].GetProperty("lonDeg").GetDouble(), 6);
        Assert.Equal(106.652, waypoints[^1].GetProperty("lonDeg").GetDouble(), 6);
        foreach (JsonElement w in waypoints[1..^1])
        {
            double agl = w.GetProperty("altAglM").GetDouble();
            Assert.InRange(agl, 30, 120);
            Assert.True(w.GetProperty("altW84M").GetDouble() < w.GetProperty("altAmslM").GetDouble(), "EGM96 undulation near Guiyang is negative");
        }

        Assert.Equal(waypoints.Length - 1, root.GetProperty("legs").GetArrayLength());
        Assert.True(root.GetProperty("lengthM").GetDouble() > 5000);
        Assert.True(root.GetProperty("profile").GetArrayLength() > 10);
        JsonElement volume = root.GetProperty("volumes")[0];
        Assert.True(volume.GetProperty("footprint").GetProperty("polygon").GetArrayLength() >= 1);
        Assert.True(volume.GetProperty("upperW84M").GetDouble() > volume.GetProperty("lowerW84M").GetDouble());
        Assert.True(root.GetProperty("deconfliction").GetProperty("checked").GetBoolean());
        Assert.Equal(0, root.GetProperty("deconfliction").GetProperty("conflictsRemaining").GetInt32());
        Assert.StartsWith("route-", root.GetProperty("routeId").GetString(), StringComparison.Ordinal);
        Assert.NotNull(host.Services.GetService<IIntentRerouter>());
    }

    [Fact]
    public async Task Plan_DestinationInAirportCore_422NamingFieldRuleAndZone()
    {
        using var demo = new TempFolder();
        await using YunluTestHost host = await DemoHostAsync(demo);
        using HttpClient client = host.Authorized(await host.TokenAsync("manager"));
        using HttpResponseMessage response = await client.PostAsync("/api/v1/routes/plan", Json("""
            { "from": { "lonDeg": 106.7225, "latDeg": 26.5778 }, "to": { "lonDeg": 106.8008, "latDeg": 26.5385 }, "departureUtc": "2026-06-10T01:00:00Z" }
            """), Ct);
        string text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        JsonElement root = JsonDocument.Parse(text).RootElement;
        Assert.Contains("to", root.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Contains("inside-prohibited-zone", root.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("GY-AP01", root.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_RolesAndBadInput_RefusedClearly()
    {
        await using YunluTestHost host = await YunluTestHost.StartAsync(_data.Path, null);
        const string body = """{ "from": { "lonDeg": 106.6, "latDeg": 26.6 }, "to": { "lonDeg": 106.65, "latDeg": 26.6 } }""";
        using HttpResponseMessage anonymous = await host.Client.PostAsync("/api/v1/routes/plan", Json(body), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using HttpClient supervisor = host.Authorized(await host.TokenAsync("supervisor"));
        using HttpResponseMessage forbidden = await supervisor.PostAsync("/api/v1/routes/plan", Json(body), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using HttpClient op = host.Authorized(await host.TokenAsync("operator"));
        using HttpResponseMessage badTemplate = await op.PostAsync("/api/v1/routes/plan", Json("""{ "from": { "lonDeg": 106.6, "latDeg": 26.6 }, "to": { "lonDeg": 106.65, "latDeg": 26.6 }, "template": "zigzag" }"""), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badTemplate.StatusCode);
        Assert.Contains("unknown-template", await badTemplate.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using HttpResponseMessage noTerrain = await op.PostAsync("/api/v1/routes/plan", Json(body), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noTerrain.StatusCode);
        Assert.Contains("no-terrain", await noTerrain.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_UnknownAircraftId_422NamingAircraftId()
    {
        await using YunluTestHost host = await YunluTestHost.StartAsync(_data.Path, null);
        using HttpClient op = host.Authorized(await host.TokenAsync("operator"));
        using HttpResponseMessage response = await op.PostAsync("/api/v1/routes/plan", Json("""
            { "from": { "lonDeg": 106.6, "latDeg": 26.6 }, "to": { "lonDeg": 106.65, "latDeg": 26.6 }, "aircraftId": "NOT-REGISTERED" }
            """), Ct);
        string text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        JsonElement root = JsonDocument.Parse(text).RootElement;
        Assert.Equal(["aircraftId"], root.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Contains("unknown-aircraft", root.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("NOT-REGISTERED", root.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_RegisteredAircraft_FliesAtItsCruiseSpeedAndRefusesFaster()
    {
        using var demo = new TempFolder();
        await using YunluTestHost host = await DemoHostAsync(demo);
        Yunlu.Server.Operations.OperationsRuntime ops = host.Services.GetRequiredService<Yunlu.Server.Operations.OperationsRuntime>();
        var slow = new Yunlu.Server.Operations.AircraftDto(null, "UAS-T-1", null, "test quad", "LIGHT", null, null, null, 36, 10, 8, 40);
        await ops.Registry.PutAsync(Yunlu.Storage.Operations.RegistryKinds.Aircraft, "T-SLOW", Yunlu.Server.Operations.RegistryService.Write(slow), "test", null, Ct);
        using HttpClient client = host.Authorized(await host.TokenAsync("operator"));
        const string ends = """ "from": { "lonDeg": 106.6075, "latDeg": 26.6395 }, "to": { "lonDeg": 106.652, "latDeg": 26.605 }, "departureUtc": "2026-06-10T01:00:00Z", "deconflict": false """;
        using HttpResponseMessage generic = await client.PostAsync("/api/v1/routes/plan", Json("{" + ends + "}"), Ct);
        using HttpResponseMessage registered = await client.PostAsync("/api/v1/routes/plan", Json("{" + ends + """, "aircraftId": "T-SLOW" }"""), Ct);
        string g = await generic.Content.ReadAsStringAsync(Ct), r = await registered.Content.ReadAsStringAsync(Ct);
        Assert.True(generic.IsSuccessStatusCode, g);
        Assert.True(registered.IsSuccessStatusCode, r);
        double tGeneric = JsonDocument.Parse(g).RootElement.GetProperty("durationS").GetDouble();
        double tRegistered = JsonDocument.Parse(r).RootElement.GetProperty("durationS").GetDouble();
        Assert.True(tRegistered > tGeneric * 1.4, $"8 m/s registered cruise: {tRegistered:0} s vs 15 m/s default: {tGeneric:0} s");
        using HttpResponseMessage faster = await client.PostAsync("/api/v1/routes/plan", Json("{" + ends + """, "aircraftId": "T-SLOW", "airspeedMps": 14 }"""), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, faster.StatusCode);
        string f = await faster.Content.ReadAsStringAsync(Ct);
        Assert.Contains("airspeedMps", JsonDocument.Parse(f).RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Contains("above-registered-maximum", f, StringComparison.Ordinal);
    }
}
