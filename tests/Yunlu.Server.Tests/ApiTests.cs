using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Yunlu.Formats;
using Yunlu.Formats.Raster;
using Yunlu.Geo;
using Yunlu.Server.Auth;
using Yunlu.Terrain;

namespace Yunlu.Server.Tests;

/// <summary>The API contract, run once per store (SQLite, PostgreSQL) by the subclasses.</summary>
public abstract class ApiTests : IDisposable
{
    private readonly TempFolder _data = new();

    protected abstract string? Postgres { get; }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _data.Dispose();
        GC.SuppressFinalize(this);
    }

    private Task<YunluTestHost> StartAsync(Action<YunluServerOptions>? configure = null) => YunluTestHost.StartAsync(_data.Path, Postgres, configure);

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var root = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(type, root.GetProperty("type").GetString());
        Assert.Equal((int)status, root.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("title").GetString()));
        return root;
    }

    private static void AssertFieldRule(JsonElement problem, string field, string rule)
    {
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var list), $"errors has no '{field}': {errors}");
        Assert.Contains(list.EnumerateArray(), e => e.GetString()!.StartsWith(rule + ":", StringComparison.Ordinal));
    }

    private static ByteArrayContent Octets(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Health_LiveAndReady_Ok()
    {
        await using var host = await StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/health/live", Ct)).StatusCode);
        var ready = await host.Client.GetFromJsonAsync<JsonElement>("/health/ready", Ct);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal(Postgres is null ? "sqlite" : "postgres", ready.GetProperty("storeKind").GetString());
    }

    [Fact]
    public async Task Info_Anonymous_ReturnsStoreKindAndCounts()
    {
        await using var host = await StartAsync();
        var info = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/info", Ct);
        Assert.Equal(Postgres is null ? "sqlite" : "postgres", info.GetProperty("storeKind").GetString());
        Assert.True(info.GetProperty("zones").GetInt32() >= 0);
    }

    [Fact]
    public async Task PutZone_NoToken_Returns401Problem()
    {
        await using var host = await StartAsync();
        var id = Zones.NewId();
        using var response = await host.Client.PutAsync($"/api/v1/zones/{id}", JsonBody(Zones.Json(id)), Ct);
        await ProblemAsync(response, HttpStatusCode.Unauthorized, "https://yunlu.dev/problems/unauthorized");
    }

    [Fact]
    public async Task PutZone_OperatorRole_Returns403Problem()
    {
        await using var host = await StartAsync();
        using var client = host.Authorized(await host.TokenAsync("operator"));
        var id = Zones.NewId();
        using var response = await client.PutAsync($"/api/v1/zones/{id}", JsonBody(Zones.Json(id)), Ct);
        await ProblemAsync(response, HttpStatusCode.Forbidden, "https://yunlu.dev/problems/forbidden");
    }

    [Fact]
    public async Task PutZone_ExpiredToken_Returns401()
    {
        await using var host = await StartAsync();
        var past = new FixedTime(DateTimeOffset.UtcNow.AddHours(-3));
        using var issuer = new DevTokenIssuer(Path.Combine(_data.Path, "keys", "dev-issuer.pem"), "yunlu-dev", "yunlu", TimeSpan.FromHours(1), past);
        using var client = host.Authorized(issuer.Issue("old", ["manager"], []).AccessToken);
        var id = Zones.NewId();
        using var response = await client.PutAsync($"/api/v1/zones/{id}", JsonBody(Zones.Json(id)), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AuthToken_SecondServerOnSameFolderAfterFirstStopped_IssuesValidTokens()
    {
        await using (var first = await StartAsync())
        {
            Assert.NotEmpty(await first.TokenAsync("manager"));
        }

        // The second in-process server loads the same key file; the first one's disposed RSA must not be reused.
        await using var second = await StartAsync();
        using var client = second.Authorized(await second.TokenAsync("manager"));
        var id = Zones.NewId();
        using var response = await client.PutAsync($"/api/v1/zones/{id}", JsonBody(Zones.Json(id)), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task PutZone_ForgedToken_Returns401()
    {
        await using var host = await StartAsync();
        var token = await host.TokenAsync("operator");
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[1]))
            .Replace("\"operator\"", "\"admin\"", StringComparison.Ordinal);
        var forged = $"{parts[0]}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload)}.{parts[2]}";
        using var client = host.Authorized(forged);
        var id = Zones.NewId();
        using var response = await client.PutAsync($"/api/v1/zones/{id}", JsonBody(Zones.Json(id)), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task PutZone_TokenFromAnotherKey_Returns401()
    {
        await using var host = await StartAsync();
        using var other = new TempFolder();
        using var issuer = new DevTokenIssuer(Path.Combine(other.Path, "k.pem"), "yunlu-dev", "yunlu", TimeSpan.FromHours(1), TimeProvider.System);
        using var client = host.Authorized(issuer.Issue("mallory", ["admin"], []).AccessToken);
        var id = Zones.NewId();
        using var response = await client.PutAsync($"/api/v1/zones/{id}", JsonBody(Zones.Json(id)), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task PutZone_AstmScopeWithoutRoles_IsAuthorizedAsManager()
    {
        await using var host = await StartAsync();
        using var response0 = await host.Client.PostAsJsonAsync("/api/v1/auth/token", new { subject = "uss1", roles = Array.Empty<string>(), scopes = new[] { "utm.constraint_management" } }, Ct);
        var token = (await response0.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString()!;
        using var client = host.Authorized(token);
        var id = Zones.NewId();
        using var response = await client.PutAsync($"/api/v1/zones/{id}", JsonBody(Zones.Json(id)), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Zone_CreateUpdateConflictDelete_FollowsVersions()
    {
        await using var host = await StartAsync();
        using var client = host.Authorized(await host.TokenAsync("manager"));
        var id = Zones.NewId();

        using var created = await client.PutAsync($"/api/v1/zones/{id}", JsonBody(Zones.Json(id)), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);

        var got = await host.Client.GetFromJsonAsync<JsonElement>($"/api/v1/zones/{id}", Ct);
        Assert.Equal(1, got.GetProperty("version").GetInt64());
        Assert.Equal("PROHIBITED", got.GetProperty("zone").GetProperty("restriction").GetString());
        Assert.Equal("tester", got.GetProperty("updatedBy").GetString());

        using var update = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/zones/{id}") { Content = JsonBody(Zones.Json(id, upper: 150)) };
        update.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        using var updated = await client.SendAsync(update, Ct);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("\"2\"", updated.Headers.ETag?.Tag);

        using var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/zones/{id}") { Content = JsonBody(Zones.Json(id, upper: 200)) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        using var conflict = await client.SendAsync(stale, Ct);
        await ProblemAsync(conflict, HttpStatusCode.PreconditionFailed, "https://yunlu.dev/problems/version-conflict");
        var after = await host.Client.GetFromJsonAsync<JsonElement>($"/api/v1/zones/{id}", Ct);
        Assert.Equal(150, after.GetProperty("zone").GetProperty("upper").GetProperty("value").GetDouble());

        var list = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/zones?bbox=106.69,26.56,106.72,26.59", Ct);
        Assert.Contains(list.GetProperty("items").EnumerateArray(), z => z.GetProperty("zone").GetProperty("identifier").GetString() == id);
        var far = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/zones?bbox=0,0,1,1", Ct);
        Assert.DoesNotContain(far.GetProperty("items").EnumerateArray(), z => z.GetProperty("zone").GetProperty("identifier").GetString() == id);

        var geojson = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/zones.geojson", Ct);
        Assert.Contains(geojson.GetProperty("features").EnumerateArray(), f => f.GetProperty("id").GetString() == id);

        using var deleted = await client.DeleteAsync($"/api/v1/zones/{id}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await host.Client.GetAsync($"/api/v1/zones/{id}", Ct);
        await ProblemAsync(gone, HttpStatusCode.NotFound, "https://yunlu.dev/problems/not-found");
    }

    public static TheoryData<string, string, string> InvalidZones() => new()
    {
        { """{ "name": "x", "restriction": "PROHIBITED" """, "$", "json-syntax" },
        { Zones.Json("ID").Replace("\"value\": 0,", "\"value\": \"low\",", StringComparison.Ordinal), "$.lower.value", "json-syntax" },
        { Zones.Json("ID").Replace("\"value\": 0,", "\"value\": NaN,", StringComparison.Ordinal), "$.lower.value", "json-syntax" },
        { Zones.Json("ID", lat: 95), "footprint.polygon[0][0]", "lat-range" },
        { Zones.Json("ID", lower: 200, upper: 100), "upper", "altitude-band-inverted" },
        { Zones.WithPolygon("ID", "[[106.6, 26.5], [106.7, 26.6], [106.7, 26.5], [106.6, 26.6], [106.6, 26.5]]"), "footprint.polygon", "self-intersection" },
        { Zones.WithPolygon("ID", Zones.Ring(10_001)), "footprint.polygon", "vertex-limit" },
        { Zones.Json("ID").Replace("\"PROHIBITED\"", "\"MAYBE\"", StringComparison.Ordinal), "restriction", "restriction-unknown" },
        { Zones.Json("ID").Replace("\"reference\": \"AGL\" }", "\"reference\": \"QNH\" }", StringComparison.Ordinal), "lower.reference", "altitude-reference-unknown" },
    };

    [Theory]
    [MemberData(nameof(InvalidZones))]
    public async Task PutZone_InvalidBody_Returns400NamingFieldAndRule_StoresNothing(string body, string field, string rule)
    {
        await using var host = await StartAsync();
        using var client = host.Authorized(await host.TokenAsync("manager"));
        var id = Zones.NewId();
        using var response = await client.PutAsync($"/api/v1/zones/{id}", JsonBody(body.Replace("\"ID\"", $"\"{id}\"", StringComparison.Ordinal)), Ct);
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, "https://yunlu.dev/problems/validation");
        if (rule == "json-syntax")
        {
            Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Value.EnumerateArray().Any(v => v.GetString()!.StartsWith("json-syntax:", StringComparison.Ordinal)));
            if (field != "$")
            {
                AssertFieldRule(problem, field, rule);
            }
        }
        else
        {
            AssertFieldRule(problem, field, rule);
        }

        using var get = await host.Client.GetAsync($"/api/v1/zones/{id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Import_GoodFile_StoresZones()
    {
        await using var host = await StartAsync();
        using var client = host.Authorized(await host.TokenAsync("manager"));
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "guiyang-ed269.json")).Replace("\"ZUGY01\"", $"\"ZUGY01{suffix}\"", StringComparison.Ordinal);
        using var response = await client.PostAsync($"/api/v1/imports/zones?fileName=g-{suffix}.json", Octets(Encoding.UTF8.GetBytes(text)), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var outcome = JsonDocument.Parse(body).RootElement;
        Assert.True(outcome.GetProperty("stored").GetBoolean());
        Assert.Equal(4, outcome.GetProperty("featureCount").GetInt32());
        using var get = await host.Client.GetAsync($"/api/v1/zones/ZUGY01{suffix}", Ct);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var imports = await client.GetFromJsonAsync<JsonElement>("/api/v1/imports", Ct);
        Assert.Contains(imports.EnumerateArray(), r => r.GetProperty("fileName").GetString() == $"g-{suffix}.json");
    }

    [Fact]
    public async Task Import_BadFile_Returns422WithFeatureErrors_StoresNothing()
    {
        await using var host = await StartAsync();
        using var client = host.Authorized(await host.TokenAsync("manager"));
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "data", "bad-ed269.json"));
        using var response = await client.PostAsync($"/api/v1/imports/zones?fileName=bad-{suffix}.json", Octets(bytes), Ct);
        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity, "https://yunlu.dev/problems/import-failed");
        var errors = problem.GetProperty("featureErrors").EnumerateArray().ToList();
        Assert.Contains(errors, e => e.GetProperty("featureIndex").GetInt32() == 1 && e.GetProperty("rule").GetString() == "self-intersection"
            && e.GetProperty("field").GetString() == "geometry[0].horizontalProjection.coordinates");
        Assert.All(errors, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("message").GetString())));
        foreach (var id in new[] { "B0", "B1", "B3", "B4" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"/api/v1/zones/{id}", Ct)).StatusCode);
        }

        var imports = await client.GetFromJsonAsync<JsonElement>("/api/v1/imports", Ct);
        Assert.DoesNotContain(imports.EnumerateArray(), r => r.GetProperty("fileName").GetString() == $"bad-{suffix}.json");
    }

    [Fact]
    public async Task Import_DryRun_PreviewsAndStoresNothing()
    {
        await using var host = await StartAsync();
        using var client = host.Authorized(await host.TokenAsync("admin"));
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "guiyang-ed269.json"))
            .Replace("\"ZUGY01\"", $"\"DRY{suffix}\"", StringComparison.Ordinal);
        using var response = await client.PostAsync($"/api/v1/imports/zones?fileName=dry-{suffix}.json&dryRun=true", Octets(Encoding.UTF8.GetBytes(text)), Ct);
        var outcome = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(outcome.GetProperty("stored").GetBoolean());
        Assert.Equal(4, outcome.GetProperty("featureCount").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"/api/v1/zones/DRY{suffix}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Import_BuildingsAndSites_ServedAsGeoJson()
    {
        await using var host = await StartAsync();
        using var client = host.Authorized(await host.TokenAsync("manager"));
        foreach (var (kind, file) in new[] { ("buildings", "guiyang-buildings.geojson"), ("sites", "guiyang-sites.geojson") })
        {
            using var multipart = new MultipartFormDataContent();
            multipart.Add(new ByteArrayContent(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "data", file))), "file", file);
            using var response = await client.PostAsync($"/api/v1/imports/{kind}", multipart, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        }

        var obstacles = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/obstacles.geojson?bbox=106.6,26.6,106.7,26.7", Ct);
        Assert.Contains(obstacles.GetProperty("features").EnumerateArray(), f => f.GetProperty("properties").GetProperty("heightM").GetDouble() == 45.5);
        var sites = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/sites", Ct);
        Assert.Contains(sites.EnumerateArray(), s => s.GetProperty("id").GetString() == "VP-GSH-01");
        var height = await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/terrain/height?lon=106.6502&lat=26.6202", Ct);
        Assert.Equal(45.5, height.GetProperty("obstacleHeightM").GetDouble());
    }

    [Theory]
    [InlineData("geojson")]
    [InlineData("ed269")]
    [InlineData("ed318")]
    [InlineData("kml")]
    [InlineData("kmz")]
    public async Task Export_Zones_RoundTripsThroughTheReader(string format)
    {
        await using var host = await StartAsync();
        using var client = host.Authorized(await host.TokenAsync("manager"));
        var id = Zones.NewId();
        (await client.PutAsync($"/api/v1/zones/{id}", JsonBody(Zones.Json(id, 10, 90)), Ct)).EnsureSuccessStatusCode();
        using var response = await client.GetAsync($"/api/v1/exports/zones?format={format}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        var read = ZoneFiles.Read(new MemoryStream(bytes), "zones." + format);
        Assert.True(read.Ok, string.Join("; ", read.Errors));
        var zone = Assert.Single(read.Items, z => z.Identifier == id);
        Assert.Equal(Altitude.Agl(10), zone.Lower);
        Assert.Equal(Altitude.Agl(90), zone.Upper);
    }

    [Fact]
    public async Task Export_UnknownFormat_Returns400()
    {
        await using var host = await StartAsync();
        using var client = host.Authorized(await host.TokenAsync("operator"));
        using var response = await client.GetAsync("/api/v1/exports/zones?format=shp", Ct);
        AssertFieldRule(await ProblemAsync(response, HttpStatusCode.BadRequest, "https://yunlu.dev/problems/validation"), "format", "value-unknown");
    }

    [Fact]
    public async Task Terrain_WithDem_HeightsTilesAndConversionsAgree()
    {
        await using var host = await StartAsync();
        using var client = host.Authorized(await host.TokenAsync("manager"));
        // A 64×64 DEM over 106.6–106.7 E, 26.5–26.6 N rising eastwards: h = 1000 + col.
        var w = 64;
        var data = new float[w * w];
        for (var r = 0; r < w; r++)
        {
            for (var c = 0; c < w; c++)
            {
                data[(r * w) + c] = 1000 + c;
            }
        }

        var raster = new GeoRaster(w, w, RasterSampleType.Float32, new GeoTransform(106.6, 26.6, 0.1 / w, 0.1 / w), null, data);
        using var tiff = new MemoryStream();
        GeoTiffWriter.Write(tiff, raster);
        using var import = await client.PostAsync("/api/v1/imports/dem?fileName=test-dem.tif", Octets(tiff.ToArray()), Ct);
        Assert.True(import.StatusCode == HttpStatusCode.OK, await import.Content.ReadAsStringAsync(Ct));

        var p = raster.Transform.PixelCenter(10, 20);
        var height = await host.Client.GetFromJsonAsync<JsonElement>(FormattableString.Invariant($"/api/v1/terrain/height?lon={p.LonDeg}&lat={p.LatDeg}"), Ct);
        var n = Egm96Geoid.Instance.UndulationM(p);
        Assert.Equal(1010, height.GetProperty("groundAmslM").GetDouble(), 3);
        Assert.Equal(n, height.GetProperty("geoidUndulationM").GetDouble(), 6);
        Assert.Equal(1010 + n, height.GetProperty("groundW84M").GetDouble(), 3);
        Assert.Equal(1010, height.GetProperty("surfaceAmslM").GetDouble(), 3);

        var conv = await host.Client.GetFromJsonAsync<JsonElement>(FormattableString.Invariant($"/api/v1/altitude/convert?lon={p.LonDeg}&lat={p.LatDeg}&value=120&from=AGL&to=W84"), Ct);
        Assert.Equal(1010 + 120 + n, conv.GetProperty("result").GetDouble(), 3);

        using var tile = await host.Client.GetAsync("/api/v1/terrain/heightmap/8/331/45", Ct);
        Assert.Equal(HttpStatusCode.OK, tile.StatusCode);
        Assert.Equal(65 * 65 * 4, (await tile.Content.ReadAsByteArrayAsync(Ct)).Length);

        using var png = await host.Client.GetAsync("/api/v1/tiles/hillshade/10/815/434.png", Ct);
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        var pngBytes = await png.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, pngBytes[..4]);
    }

    [Fact]
    public async Task Orthophoto_Import_ServedAsImageryTiles()
    {
        await using var host = await StartAsync();
        using var client = host.Authorized(await host.TokenAsync("manager"));
        var w = 32;
        var red = Enumerable.Repeat(200f, w * w).ToArray();
        var green = Enumerable.Repeat(100f, w * w).ToArray();
        var blue = Enumerable.Repeat(50f, w * w).ToArray();
        var raster = new GeoRaster(w, w, RasterSampleType.UInt8, new GeoTransform(106.6, 26.6, 0.1 / w, 0.1 / w), null, red, green, blue);
        using var tiff = new MemoryStream();
        GeoTiffWriter.Write(tiff, raster);
        using var import = await client.PostAsync("/api/v1/imports/orthophoto?fileName=City%20Ortho.tif", Octets(tiff.ToArray()), Ct);
        var outcome = await import.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var layer = outcome.GetProperty("datasetId").GetString();
        Assert.Equal("ortho-city-ortho", layer);

        using var tile = await host.Client.GetAsync($"/api/v1/tiles/imagery/{layer}/10/815/433", Ct);
        Assert.Equal(HttpStatusCode.OK, tile.StatusCode);
        Assert.Equal("image/png", tile.Content.Headers.ContentType?.MediaType);
        using var outside = await host.Client.GetAsync($"/api/v1/tiles/imagery/{layer}/10/0/0", Ct);
        Assert.Equal(HttpStatusCode.NoContent, outside.StatusCode);
        using var unknown = await host.Client.GetAsync("/api/v1/tiles/imagery/nothing/10/815/434", Ct);
        await ProblemAsync(unknown, HttpStatusCode.NotFound, "https://yunlu.dev/problems/not-found");
    }

    [Theory]
    [InlineData("/api/v1/terrain/height?lon=106.7&lat=91", "lat", "lat-range")]
    [InlineData("/api/v1/terrain/height?lon=181&lat=26", "lon", "lon-range")]
    [InlineData("/api/v1/terrain/height?lat=26", "lon", "field-missing")]
    [InlineData("/api/v1/altitude/convert?lon=106.7&lat=26.5&value=10&from=AGL&to=QFE", "to", "altitude-reference-unknown")]
    [InlineData("/api/v1/zones?bbox=10,10,5,20", "bbox", "bbox-inverted")]
    [InlineData("/api/v1/terrain/heightmap/3/100/0", "z/x/y", "tile-range")]
    public async Task Get_InvalidQuery_Returns400NamingFieldAndRule(string url, string field, string rule)
    {
        await using var host = await StartAsync();
        using var response = await host.Client.GetAsync(url, Ct);
        AssertFieldRule(await ProblemAsync(response, HttpStatusCode.BadRequest, "https://yunlu.dev/problems/validation"), field, rule);
    }

    [Fact]
    public async Task Import_100MBBody_Returns413Problem()
    {
        await using var host = await StartAsync();
        using var client = host.Authorized(await host.TokenAsync("manager"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/imports/dem?fileName=huge.tif") { Content = new ZeroContent(100L * 1024 * 1024) };
        request.Headers.ExpectContinue = true;
        using var response = await client.SendAsync(request, Ct);
        var problem = await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "https://yunlu.dev/problems/payload-too-large");
        Assert.Equal(64L * 1024 * 1024, problem.GetProperty("maxBytes").GetInt64());
    }

    [Fact]
    public async Task PutZone_2MBJson_Returns413Problem()
    {
        await using var host = await StartAsync();
        using var client = host.Authorized(await host.TokenAsync("manager"));
        var id = Zones.NewId();
        var json = Zones.Json(id).Replace("\"No flights\"", "\"" + new string('x', 2 * 1024 * 1024) + "\"", StringComparison.Ordinal);
        using var response = await client.PutAsync($"/api/v1/zones/{id}", JsonBody(json), Ct);
        await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "https://yunlu.dev/problems/payload-too-large");
    }

    [Fact]
    public async Task ManyRequests_OverThePermit_Return429Problem()
    {
        await using var host = await StartAsync(o => o.Limits.RatePermits = 5);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/v1/info", Ct)).StatusCode);
        }

        using var response = await host.Client.GetAsync("/api/v1/info", Ct);
        await ProblemAsync(response, HttpStatusCode.TooManyRequests, "https://yunlu.dev/problems/rate-limited");
        Assert.True(response.Headers.RetryAfter is not null);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/health/live", Ct)).StatusCode);
    }

    [Fact]
    public async Task PrivateReads_AnonymousZoneList_Returns401()
    {
        await using var host = await StartAsync(o => o.PublicReads = false);
        using var response = await host.Client.GetAsync("/api/v1/zones", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var client = host.Authorized(await host.TokenAsync("operator"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/zones", Ct)).StatusCode);
    }

    [Fact]
    public async Task DevIssuerOff_TokenEndpoint_Returns404()
    {
        await using var host = await StartAsync(o => o.Auth.DevIssuerEnabled = false);
        using var response = await host.Client.PostAsJsonAsync("/api/v1/auth/token", new { subject = "x", roles = new[] { "admin" } }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Token_UnknownRole_Returns400()
    {
        await using var host = await StartAsync();
        using var response = await host.Client.PostAsJsonAsync("/api/v1/auth/token", new { subject = "x", roles = new[] { "pilot" } }, Ct);
        AssertFieldRule(await ProblemAsync(response, HttpStatusCode.BadRequest, "https://yunlu.dev/problems/validation"), "roles[0]", "value-unknown");
    }

    [Fact]
    public async Task Token_Claims_AreRs256WithinOneHour()
    {
        await using var host = await StartAsync();
        var token = await host.TokenAsync("manager", "supervisor");
        var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token);
        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal("yunlu-dev", jwt.Issuer);
        Assert.Contains("yunlu", jwt.Audiences);
        Assert.Equal("tester", jwt.Subject);
        Assert.False(string.IsNullOrEmpty(jwt.Id));
        Assert.True(jwt.ValidTo - jwt.IssuedAt <= TimeSpan.FromHours(1));
        Assert.Equal(["manager", "supervisor"], jwt.Claims.Where(c => c.Type == "roles").Select(c => c.Value).Order(StringComparer.Ordinal));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>A body of zeros of a given length, produced on the fly.</summary>
    private sealed class ZeroContent : HttpContent
    {
        private readonly long _length;

        public ZeroContent(long length)
        {
            _length = length;
            Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var buffer = new byte[81920];
            for (var left = _length; left > 0; left -= buffer.Length)
            {
                await stream.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)));
            }
        }

        protected override bool TryComputeLength(out long length1)
        {
            length1 = _length;
            return true;
        }
    }
}

/// <summary>The API tests on the embedded SQLite store.</summary>
public sealed class SqliteApiTests : ApiTests
{
    protected override string? Postgres => null;
}

/// <summary>The same API tests on PostgreSQL + PostGIS (a fresh database for this class).</summary>
public sealed class PostgresApiTests(PgDatabase database) : ApiTests, IClassFixture<PgDatabase>
{
    protected override string? Postgres => database.ConnectionString;
}
