using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Yunlu.Formats.Raster;
using Yunlu.Server.Imports;
using Yunlu.Terrain;

namespace Yunlu.Server.Tests;

/// <summary>GET /api/v1/layers/clearance/{z}/{x}/{y}.png over an imported DEM and building (SQLite store).</summary>
public sealed class LayersApiTests : IDisposable
{
    private readonly TempFolder _data = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _data.Dispose();

    private static (int X, int Y) TileAt(int z, double lonDeg, double latDeg)
    {
        double n = 1L << z;
        double latRad = latDeg * Math.PI / 180;
        return ((int)Math.Floor((lonDeg + 180) / 360 * n), (int)Math.Floor((1 - (Math.Log(Math.Tan(latRad) + (1 / Math.Cos(latRad))) / Math.PI)) / 2 * n));
    }

    [Fact]
    public async Task ClearanceTile_DemAndTallBuilding_ServesTheRenderersTileWithNoBandAtTheBuilding()
    {
        await using var host = await YunluTestHost.StartAsync(_data.Path, null);
        using var client = host.Authorized(await host.TokenAsync("manager"));
        // A flat DEM (1000 m) over 106.6–106.7 E, 26.5–26.6 N and one 150 m building at its middle.
        const int W = 32;
        var raster = new GeoRaster(W, W, RasterSampleType.Float32, new GeoTransform(106.6, 26.6, 0.1 / W, 0.1 / W), null, Enumerable.Repeat(1000f, W * W).ToArray());
        using var tiff = new MemoryStream();
        GeoTiffWriter.Write(tiff, raster);
        using var dem = new ByteArrayContent(tiff.ToArray());
        dem.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using (var import = await client.PostAsync("/api/v1/imports/dem?fileName=flat.tif", dem, Ct))
        {
            Assert.True(import.StatusCode == HttpStatusCode.OK, await import.Content.ReadAsStringAsync(Ct));
        }

        const string Building = """
            { "type": "FeatureCollection", "features": [ { "type": "Feature", "id": "way/1", "properties": { "building": "yes", "height": 150 },
              "geometry": { "type": "Polygon", "coordinates": [[[106.6498, 26.5498], [106.6502, 26.5498], [106.6502, 26.5502], [106.6498, 26.5502], [106.6498, 26.5498]]] } } ] }
            """;
        using (var multipart = new MultipartFormDataContent())
        {
            multipart.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(Building)), "file", "tower.geojson");
            using var import = await client.PostAsync("/api/v1/imports/buildings", multipart, Ct);
            Assert.True(import.StatusCode == HttpStatusCode.OK, await import.Content.ReadAsStringAsync(Ct));
        }

        const int Z = 16;
        var (x, y) = TileAt(Z, 106.65, 26.55);
        using var response = await host.Client.GetAsync($"/api/v1/layers/clearance/{Z}/{x}/{y}.png", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        byte[] png = await response.Content.ReadAsByteArrayAsync(Ct);

        // The same tile from the renderer over the server's terrain (the DEM and the building it loaded).
        TerrainSnapshot snapshot = await host.Services.GetRequiredService<TerrainService>().GetAsync(Ct);
        var renderer = new ClearanceRenderer(snapshot.Ground, snapshot.Surface);
        Assert.Equal(renderer.RenderPng(Z, x, y), png);
        float[] band = renderer.BandM(Z, x, y);
        double n = 1L << Z;
        int px = (int)((((106.65 + 180) / 360 * n) - x) * 256);
        double latRad = 26.55 * Math.PI / 180;
        int py = (int)((((1 - (Math.Log(Math.Tan(latRad) + (1 / Math.Cos(latRad))) / Math.PI)) / 2 * n) - y) * 256);
        Assert.Equal(0f, band[(py * 256) + px]);
        Assert.Contains(band, b => b == 110f);
    }

    [Theory]
    [InlineData("/api/v1/layers/clearance/16/99999/1.png", "z/x/y")]
    [InlineData("/api/v1/layers/clearance/12/3000/1700.png?verticalMarginM=150", "verticalMarginM")]
    [InlineData("/api/v1/layers/clearance/12/3000/1700.png?horizontalMarginM=-1", "horizontalMarginM")]
    public async Task ClearanceTile_BadRequest_Returns400NamingTheField(string path, string field)
    {
        await using var host = await YunluTestHost.StartAsync(_data.Path, null);
        using var response = await host.Client.GetAsync(path, Ct);
        string text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        using var doc = JsonDocument.Parse(text);
        Assert.True(doc.RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
    }

    [Fact]
    public async Task ClearanceTile_NoDem_TransparentTile()
    {
        await using var host = await YunluTestHost.StartAsync(_data.Path, null);
        using var response = await host.Client.GetAsync("/api/v1/layers/clearance/12/3262/1737.png", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        TerrainSnapshot snapshot = await host.Services.GetRequiredService<TerrainService>().GetAsync(Ct);
        Assert.All(new ClearanceRenderer(snapshot.Ground, snapshot.Surface).BandM(12, 3262, 1737), b => Assert.True(float.IsNaN(b)));
    }
}
