using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Yunlu.Server.Tests.Operations;

/// <summary>Test helpers for the operations API: registry set-up and intent bodies on a lon/lat lattice near Guiyang.</summary>
internal static class OpsClient
{
    public const double Lon0 = 106.70;
    public const double Lat0 = 26.55;

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Registers operator OP1 (SPECIFIC, insured), aircraft AC-LIGHT, AC-SMALL, AC-MEDIUM and pilots P-LIC (LIGHT, SMALL, MEDIUM) and P-NONE (no licence).</summary>
    public static async Task RegisterFleetAsync(HttpClient http)
    {
        var until = DateTimeOffset.UtcNow.AddYears(1).ToString("O", CultureInfo.InvariantCulture);
        await PutOkAsync(http, "/api/v1/registry/operators/OP1", """{"name":"贵阳低空物流","category":"SPECIFIC","insurance":{"policy":"PICC-1","insurer":"PICC","coverageCny":5000000,"validUntil":"UNTIL"}}""".Replace("UNTIL", until, StringComparison.Ordinal));
        await PutOkAsync(http, "/api/v1/registry/aircraft/AC-LIGHT", """{"operatorId":"OP1","registrationNumber":"UAS-GY-0001","remoteIdSerial":"1581F-LIGHT","emptyMassKg":3,"maxTakeOffMassKg":6,"maxSpeedKmh":72,"cruiseSpeedMps":12,"enduranceMin":600}""");
        await PutOkAsync(http, "/api/v1/registry/aircraft/AC-SMALL", """{"operatorId":"OP1","registrationNumber":"UAS-GY-0002","remoteIdSerial":"1581F-SMALL","emptyMassKg":12,"maxTakeOffMassKg":24,"maxSpeedKmh":90,"enduranceMin":600}""");
        await PutOkAsync(http, "/api/v1/registry/aircraft/AC-MEDIUM", """{"operatorId":"OP1","registrationNumber":"UAS-GY-0003","remoteIdSerial":"1581F-MED","emptyMassKg":40,"maxTakeOffMassKg":100,"maxSpeedKmh":120,"enduranceMin":600}""");
        await PutOkAsync(http, "/api/v1/registry/pilots/P-LIC", """{"name":"张伟","licenceNumber":"CAAC-UAS-1","licenceClasses":["LIGHT","SMALL","MEDIUM"],"licenceValidUntil":"UNTIL"}""".Replace("UNTIL", until, StringComparison.Ordinal));
        await PutOkAsync(http, "/api/v1/registry/pilots/P-NONE", """{"name":"李娜"}""");
    }

    public static async Task PutOkAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path} → {(int)response.StatusCode}: {text}");
    }

    /// <summary>A rectangle volume: cells of 0.001° on the lattice, 30 m layers from 1000 m W84, minutes from the base time.</summary>
    public static JsonObject Volume(int x0, int y0, int x1, int y1, int layer, DateTimeOffset start, DateTimeOffset end)
    {
        double w = Lon0 + (x0 * 0.001), s = Lat0 + (y0 * 0.001), e = Lon0 + (x1 * 0.001), n = Lat0 + (y1 * 0.001);
        return new JsonObject
        {
            ["footprint"] = new JsonObject
            {
                ["polygon"] = new JsonArray(new JsonArray(P(w, s), P(e, s), P(e, n), P(w, n), P(w, s))),
            },
            ["lowerW84M"] = 1000 + (layer * 30),
            ["upperW84M"] = 1030 + (layer * 30),
            ["start"] = start.ToString("O", CultureInfo.InvariantCulture),
            ["end"] = end.ToString("O", CultureInfo.InvariantCulture),
        };

        static JsonArray P(double lon, double lat) => new(lon, lat);
    }

    public static JsonObject Intent(JsonObject volume, string aircraft = "AC-LIGHT", string pilot = "P-LIC", string? priority = null, bool submit = true)
    {
        var o = new JsonObject
        {
            ["operatorId"] = "OP1",
            ["aircraftId"] = aircraft,
            ["pilotId"] = pilot,
            ["volumes"] = new JsonArray(volume),
            ["submit"] = submit,
        };
        if (priority is not null)
        {
            o["priority"] = priority;
        }

        return o;
    }

    public static async Task<(int Status, JsonElement Body)> PostAsync(HttpClient http, string path, JsonNode body)
    {
        using var response = await http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static async Task<(int Status, JsonElement Body)> SendAsync(HttpClient http, HttpMethod method, string path, JsonNode? body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", "\"" + ifMatch + "\"");
        }

        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static void AssertRule(JsonElement problem, string field, string rule)
    {
        Assert.Equal("https://yunlu.dev/problems/validation", problem.GetProperty("type").GetString());
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var list), $"errors has no '{field}': {errors}");
        Assert.Contains(list.EnumerateArray(), e => e.GetString()!.StartsWith(rule + ":", StringComparison.Ordinal));
    }
}
