using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Yunlu.Web.Tests;

/// <summary>The tests' own calls to the server under test: development tokens by role, JSON requests, positions.</summary>
internal static class TestApi
{
    /// <summary>A development token for <paramref name="role"/> (POST /api/v1/auth/token).</summary>
    public static async Task<string> TokenAsync(HttpClient api, string subject, string role)
    {
        using var res = await api.PostAsJsonAsync(new Uri("api/v1/auth/token", UriKind.Relative), new { subject, roles = new[] { role }, scopes = Array.Empty<string>() });
        res.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await res.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>Sends <paramref name="body"/> (JSON, or nothing) with a bearer token; returns the status and the parsed body.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient api, HttpMethod method, string path, string? token, object? body = null)
    {
        using var req = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            req.Content = JsonContent.Create(body);
        }

        using var res = await api.SendAsync(req);
        var text = await res.Content.ReadAsStringAsync();
        var json = text.Length > 0 && text.TrimStart()[0] is '{' or '[' ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return (res.StatusCode, json);
    }

    /// <summary>True when the server offers the supervision API (GET /api/v1/supervision/status answers 200).</summary>
    public static async Task<bool> HasSupervisionAsync(HttpClient api)
    {
        using var res = await api.GetAsync(new Uri("api/v1/supervision/status", UriKind.Relative));
        return res.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>One position of the supervision contract (AGL altitude, velocities in m/s).</summary>
    public static object Position(string aircraftId, DateTimeOffset time, double lonDeg, double latDeg, double altAglM, double veMps = 0, double vnMps = 0) => new
    {
        aircraftId,
        timeUtc = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        latDeg,
        lonDeg,
        altM = altAglM,
        altRef = "AGL",
        vnMps,
        veMps,
        vuMps = 0.0,
        source = "http",
    };

    /// <summary>POSTs positions to /api/v1/supervision/positions in batches; returns how many the server accepted.</summary>
    public static async Task<int> PostPositionsAsync(HttpClient api, string token, IReadOnlyList<object> positions, int batch = 5000)
    {
        var accepted = 0;
        for (var i = 0; i < positions.Count; i += batch)
        {
            var chunk = positions.Skip(i).Take(batch).ToArray();
            var (status, body) = await SendAsync(api, HttpMethod.Post, "api/v1/supervision/positions", token, new { positions = chunk });
            Assert.True(status == HttpStatusCode.Accepted, $"POST positions: {(int)status} {body}");
            accepted += body.GetProperty("accepted").GetInt32();
        }

        return accepted;
    }

    /// <summary>Copies a screenshot into docs/images when YUNLU_UPDATE_DOCS_IMAGES=1 (the README's and the guide's pictures).</summary>
    public static void RefreshDocsImage(string shotPath, string name)
    {
        if (Environment.GetEnvironmentVariable("YUNLU_UPDATE_DOCS_IMAGES") != "1")
        {
            return;
        }

        var repo = Server.RepoPaths.FindRepoRoot() ?? throw new InvalidOperationException("repository not found");
        File.Copy(shotPath, Path.Combine(repo, "docs", "images", name + ".png"), overwrite: true);
    }
}
