using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Yunlu.Server.Tests;

/// <summary>The committed OpenAPI document (docs/openapi/v1.json) equals the live one; Scalar is served locally.</summary>
public sealed partial class OpenApiTests : IDisposable
{
    private readonly TempFolder _data = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task OpenApiDocument_MatchesCommittedDocument()
    {
        await using var host = await YunluTestHost.StartAsync(_data.Path, null);
        var live = Normalize(await host.Client.GetStringAsync("/openapi/v1.json", Ct));
        Assert.Contains("/api/v1/zones/{identifier}", live, StringComparison.Ordinal);
        var committedPath = Path.Combine(RepoPaths.FindRepoRoot()!, "docs", "openapi", "v1.json");
        if (Environment.GetEnvironmentVariable("YUNLU_UPDATE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(committedPath)!);
            await File.WriteAllTextAsync(committedPath, live, Ct);
        }

        var committed = File.Exists(committedPath) ? Normalize(await File.ReadAllTextAsync(committedPath, Ct)) : "(missing)";
        Assert.True(
            string.Equals(committed, live, StringComparison.Ordinal),
            "docs/openapi/v1.json differs from the server's live /openapi/v1.json. If the API change is intended, regenerate it: " +
            "YUNLU_UPDATE_OPENAPI=1 dotnet test tests/Yunlu.Server.Tests, then review and commit the diff.");
    }

    [Fact]
    public async Task Scalar_PageAndScript_AreServedLocally()
    {
        await using var host = await YunluTestHost.StartAsync(_data.Path, null);
        using var page = await host.Client.GetAsync("/scalar", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("cdn.jsdelivr.net", html, StringComparison.OrdinalIgnoreCase);
        foreach (Match m in ScriptSrc().Matches(html))
        {
            var src = m.Groups[1].Value;
            Assert.False(src.StartsWith("http", StringComparison.OrdinalIgnoreCase), $"Scalar loads {src} from outside");
            var url = src.StartsWith('/') ? src : "/scalar/" + src;
            using var script = await host.Client.GetAsync(url, Ct);
            Assert.True(script.StatusCode == HttpStatusCode.OK, $"{url} → {(int)script.StatusCode}");
        }
    }

    [Fact]
    public async Task Console_IndexServedAtRoot_ApiUnknownPathIs404Problem()
    {
        await using var host = await YunluTestHost.StartAsync(_data.Path, null);
        using var unknown = await host.Client.GetAsync("/api/v1/nope", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        if (YunluServer.ResolveWebRoot(host.Options) is not null)
        {
            using var root = await host.Client.GetAsync("/", Ct);
            Assert.Equal(HttpStatusCode.OK, root.StatusCode);
            Assert.Equal("text/html", root.Content.Headers.ContentType?.MediaType);
        }
    }

    private static string Normalize(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(doc.RootElement, new JsonSerializerOptions { WriteIndented = true }).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    [GeneratedRegex("<script[^>]*src=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSrc();
}
