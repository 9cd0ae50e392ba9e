using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Yunlu.Airspace.Corridors;
using Yunlu.Server.Airspace;

namespace Yunlu.Server.Tests;

/// <summary>POST /api/v1/airways/generate on a real server over SQLite.</summary>
public sealed class NetworkApiTests : IDisposable
{
    // Six points around (106.70, 26.55), a few kilometres apart, and a prohibited square between them.
    private const string Points = """
        [ { "id": "P1", "lon": 106.66, "lat": 26.52 }, { "id": "P2", "lon": 106.74, "lat": 26.52 },
          { "id": "P3", "lon": 106.66, "lat": 26.58 }, { "id": "P4", "lon": 106.74, "lat": 26.58 },
          { "id": "P5", "name": "Five", "lon": 106.70, "lat": 26.60 }, { "id": "P6", "lon": 106.70, "lat": 26.50 } ]
        """;

    private const string Square = """
        { "name": "Test square", "restriction": "PROHIBITED", "reasons": ["OTHER"],
          "footprint": { "polygon": [[[106.69, 26.54], [106.71, 26.54], [106.71, 26.56], [106.69, 26.56], [106.69, 26.54]]] },
          "lower": { "value": 0, "reference": "AGL" }, "upper": { "value": 300, "reference": "AGL" }, "applicability": [] }
        """;

    private readonly TempFolder _data = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _data.Dispose();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Generate_WithoutManagerRole_IsRefused()
    {
        await using var host = await YunluTestHost.StartAsync(_data.Path, null);
        using var anonymous = await host.Client.PostAsync("/api/v1/airways/generate", Json($$"""{ "points": {{Points}} }"""), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var operatorClient = host.Authorized(await host.TokenAsync("operator"));
        using var response = await operatorClient.PostAsync("/api/v1/airways/generate", Json($$"""{ "points": {{Points}} }"""), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Generate_PointsAroundStoredZone_ReturnsGeoJsonAvoidingItAndStoresOnRequest()
    {
        await using var host = await YunluTestHost.StartAsync(_data.Path, null);
        using var manager = host.Authorized(await host.TokenAsync("manager"));
        (await manager.PutAsync("/api/v1/zones/NWTEST", Json(Square), Ct)).EnsureSuccessStatusCode();

        using var preview = await manager.PostAsync("/api/v1/airways/generate", Json($$"""{ "points": {{Points}}, "options": { "idPrefix": "T" } }"""), Ct);
        string text = await preview.Content.ReadAsStringAsync(Ct);
        Assert.True(preview.IsSuccessStatusCode, text);
        Assert.Equal("application/geo+json", preview.Content.Headers.ContentType?.MediaType);
        JsonElement root = JsonDocument.Parse(text).RootElement;
        JsonElement report = root.GetProperty("report");
        Assert.Equal(6, report.GetProperty("vertiports").GetInt32());
        Assert.Equal(0, report.GetProperty("sameLayerCrossings").GetInt32());
        Assert.Equal(1, report.GetProperty("keepOuts").GetInt32());
        Assert.False(root.GetProperty("stored").GetBoolean());

        // The GeoJSON is the airway format the importer reads, and it validates as a graph.
        Assert.Empty(AirwaysGeoJson.Read(Encoding.UTF8.GetBytes(text), out var nodes, out var corridors));
        Assert.Equal(report.GetProperty("corridors").GetInt32(), corridors.Count);
        Assert.Contains(nodes, n => n.Id == "P5" && n.Name == "Five" && n.Kind == AirwayNodeKind.Vertiport);

        // No centre-line vertex inside the square (corridors bend around it).
        foreach (Corridor c in corridors)
        {
            Assert.DoesNotContain(c.CentreLine, p => p.LonDeg > 106.69 && p.LonDeg < 106.71 && p.LatDeg > 26.54 && p.LatDeg < 26.56);
        }

        var before = await manager.GetFromJsonAsync<JsonElement>("/api/v1/corridors", Ct);
        Assert.Equal(0, before.GetArrayLength());

        using var store = await manager.PostAsync("/api/v1/airways/generate", Json($$"""{ "points": {{Points}}, "options": { "idPrefix": "T" }, "store": true }"""), Ct);
        string stored = await store.Content.ReadAsStringAsync(Ct);
        Assert.True(store.IsSuccessStatusCode, stored);
        Assert.True(JsonDocument.Parse(stored).RootElement.GetProperty("stored").GetBoolean());
        var after = await manager.GetFromJsonAsync<JsonElement>("/api/v1/corridors", Ct);
        Assert.Equal(corridors.Count, after.GetArrayLength());
        var storedNodes = await manager.GetFromJsonAsync<JsonElement>("/api/v1/airway-nodes", Ct);
        Assert.Contains(storedNodes.EnumerateArray(), n => n.GetProperty("id").GetString() == "P1");
    }

    [Theory]
    [InlineData("""{ "points": [ { "id": "P1", "lon": 106.66, "lat": 26.52 } ] }""", "siteIds", "count")]
    [InlineData("""{ "siteIds": ["NOPE", "NADA"] }""", "siteIds[0]", "unknown-site")]
    [InlineData("""{ "points": [ { "id": "P1", "lon": 106.66, "lat": 26.52 }, { "id": "P2", "lon": 206.66, "lat": 26.52 } ] }""", "points[1]", "position")]
    [InlineData("""{ "points": [ { "id": "P1", "lon": 106.66, "lat": 26.52 }, { "id": "P1", "lon": 106.67, "lat": 26.52 } ] }""", "vertiports[1].id", "duplicate")]
    [InlineData("""{ "points": [ { "id": "P1", "lon": 106.66, "lat": 26.52 }, { "id": "P2", "lon": 106.67, "lat": 26.52 } ], "options": { "headingLayers": 3 } }""", "headingLayers", "even-2-to-8")]
    [InlineData("""{ "points": [ { "id": "P1", "lon": 106.66, "lat": 26.52 }, { "id": "P2", "lon": 106.67, "lat": 26.52 } ], "demand": [ { "origin": "P1", "destination": "P9", "flights": 2 } ] }""", "demand[0].destination", "unknown-vertiport")]
    [InlineData("""{ "points": [ { "id": "P1", "lon": 106.700, "lat": 26.550 }, { "id": "P2", "lon": 106.74, "lat": 26.52 } ] }""", "vertiports[0]", "outside-keep-out")]
    public async Task Generate_BadRequest_ProblemNamesFieldAndRule(string body, string field, string rule)
    {
        await using var host = await YunluTestHost.StartAsync(_data.Path, null);
        using var manager = host.Authorized(await host.TokenAsync("manager"));
        (await manager.PutAsync("/api/v1/zones/NWTEST", Json(Square), Ct)).EnsureSuccessStatusCode();
        using var response = await manager.PostAsync("/api/v1/airways/generate", Json(body), Ct);
        string text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        JsonElement errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out JsonElement list), $"no '{field}' in {errors}");
        Assert.Contains(list.EnumerateArray(), e => e.GetString()!.StartsWith(rule + ":", StringComparison.Ordinal));
        var corridors = await manager.GetFromJsonAsync<JsonElement>("/api/v1/corridors", Ct);
        Assert.Equal(0, corridors.GetArrayLength());
    }
}
