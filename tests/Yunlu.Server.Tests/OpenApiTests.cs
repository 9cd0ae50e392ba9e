using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Yunlu.Server.Tests;

/// <summary>Hosting: the committed OpenAPI document equals the live one, Scalar is served locally, the console and the demo loader.</summary>
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

    [Fact]
    public async Task Demo_FirstStart_ImportsTheDemoFolderThroughTheImporters()
    {
        using var demo = new TempFolder();
        File.Copy(Path.Combine(AppContext.BaseDirectory, "data", "guiyang-ed269.json"), Path.Combine(demo.Path, "zones-ed269.json"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "data", "guiyang-buildings.geojson"), Path.Combine(demo.Path, "buildings.geojson"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "data", "guiyang-sites.geojson"), Path.Combine(demo.Path, "sites.geojson"));
        await using var host = await YunluTestHost.StartAsync(_data.Path, null, o =>
        {
            o.LoadDemo = true;
            o.DemoFolder = demo.Path;
        });
        await host.Services.GetRequiredService<Hosting.StartupState>().Seeded.WaitAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/v1/zones/ZUGY01", Ct)).StatusCode);
        var sites = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/sites", Ct);
        Assert.Contains(sites.EnumerateArray(), s => s.GetProperty("id").GetString() == "VP-GSH-01");
        Assert.Equal("ready", (await host.Client.GetFromJsonAsync<JsonElement>("/health/ready", Ct)).GetProperty("status").GetString());
    }

    private static string Normalize(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(doc.RootElement, new JsonSerializerOptions { WriteIndented = true }).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    [GeneratedRegex("<script[^>]*src=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSrc();
}
