using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Yunlu.Geo;
using Yunlu.Server.Contracts;
using Yunlu.Server.Imports;
using Yunlu.Server.Problems;
using Yunlu.Terrain;

namespace Yunlu.Server.Api;

/// <summary>Terrain heights, altitude conversion, Cesium heightmap tiles, hillshade and imagery tiles.</summary>
public static class TerrainApi
{
    /// <summary>Maps the terrain and tile endpoints.</summary>
    public static RouteGroupBuilder MapTerrainApi(this RouteGroupBuilder v1)
    {
        var options = ((IEndpointRouteBuilder)v1).ServiceProvider.GetRequiredService<YunluServerOptions>();
        v1.MapGet("/terrain/height", HeightAsync).WithTags("Terrain").WithName("TerrainHeight")
            .WithSummary("Ground (AMSL and W84), geoid undulation and surface (ground + obstacles) at lon, lat.").PublicRead(options);
        v1.MapGet("/terrain/heightmap/{z:int}/{x:int}/{y:int}", HeightmapAsync).WithTags("Terrain").WithName("TerrainHeightmap")
            .WithSummary("Cesium heightmap tile, geographic tiling scheme (y from the north): 65×65 float32 little-endian heights above the WGS84 ellipsoid.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream").PublicRead(options);
        v1.MapGet("/tiles/hillshade/{z:int}/{x:int}/{y:int}.png", HillshadeAsync).WithTags("Tiles").WithName("HillshadeTile")
            .WithSummary("Hillshade PNG tile (Web Mercator XYZ, 256 px).")
            .Produces(StatusCodes.Status200OK, contentType: "image/png").PublicRead(options);
        v1.MapGet("/tiles/imagery/{layer}/{z:int}/{x:int}/{y:int}", ImageryAsync).WithTags("Tiles").WithName("ImageryTile")
            .WithSummary("Imagery tile (Web Mercator XYZ): an imported orthophoto (layer = its dataset id) or a tile folder <data>/tiles/<layer>/. 204 where the layer has nothing.")
            .Produces(StatusCodes.Status200OK, contentType: "image/png").ProducesProblem(StatusCodes.Status404NotFound).PublicRead(options);
        v1.MapGet("/altitude/convert", ConvertAsync).WithTags("Terrain").WithName("ConvertAltitude")
            .WithSummary("Converts value metres from one reference (AGL, AMSL, W84) to another at lon, lat.").PublicRead(options);
        return v1;
    }

    private static Violations CheckPoint(double? lon, double? lat)
    {
        var v = new Violations();
        if (lon is not { } x)
        {
            v.Add("lon", "field-missing", "lon (degrees) is required");
        }
        else if (!double.IsFinite(x) || x < -180 || x > 180)
        {
            v.Add("lon", "lon-range", "lon must be within [-180, 180]");
        }

        if (lat is not { } y)
        {
            v.Add("lat", "field-missing", "lat (degrees) is required");
        }
        else if (!double.IsFinite(y) || y < -90 || y > 90)
        {
            v.Add("lat", "lat-range", "lat must be within [-90, 90]");
        }

        return v;
    }

    private static async Task<Results<Ok<TerrainHeightDto>, ValidationProblem>> HeightAsync(double? lon, double? lat, TerrainService terrain, CancellationToken cancellationToken)
    {
        var v = CheckPoint(lon, lat);
        if (!v.IsEmpty)
        {
            return v.ToProblem();
        }

        var p = new GeoPoint(lon!.Value, lat!.Value);
        var snapshot = await terrain.GetAsync(cancellationToken).ConfigureAwait(false);
        var n = Egm96Geoid.Instance.UndulationM(p);
        double? ground = snapshot.Ground.TryGetGroundAmslM(p, out var g) ? g : null;
        var obstacle = snapshot.Surface.ObstacleHeightM(p);
        return TypedResults.Ok(new TerrainHeightDto(p.LonDeg, p.LatDeg, ground, n, ground + n, obstacle, ground + obstacle));
    }

    private static async Task<Results<Ok<AltitudeConversionDto>, ValidationProblem>> ConvertAsync(double? lon, double? lat, double? value, string? from, string? to, TerrainService terrain, CancellationToken cancellationToken)
    {
        var v = CheckPoint(lon, lat);
        if (value is not { } val)
        {
            v.Add("value", "field-missing", "value (metres) is required");
        }
        else if (!double.IsFinite(val))
        {
            v.Add("value", "not-finite", "value must be a finite number of metres");
        }

        if (!WireNames.TryParse<AltitudeReference>(from, out var fromRef))
        {
            v.Add("from", from is null ? "field-missing" : "altitude-reference-unknown", "from is AGL, AMSL or W84");
        }

        if (!WireNames.TryParse<AltitudeReference>(to, out var toRef))
        {
            v.Add("to", to is null ? "field-missing" : "altitude-reference-unknown", "to is AGL, AMSL or W84");
        }

        if (!v.IsEmpty)
        {
            return v.ToProblem();
        }

        var p = new GeoPoint(lon!.Value, lat!.Value);
        var snapshot = await terrain.GetAsync(cancellationToken).ConfigureAwait(false);
        if (!snapshot.Converter.TryConvert(new Altitude(value!.Value, fromRef), p, toRef, out var result))
        {
            return Violations.Single("lon", "terrain-missing", "AGL conversion needs ground heights, and no DEM covers this point");
        }

        double? ground = snapshot.Ground.TryGetGroundAmslM(p, out var g) ? g : null;
        return TypedResults.Ok(new AltitudeConversionDto(p.LonDeg, p.LatDeg, value.Value, WireNames.ToWire(fromRef), WireNames.ToWire(toRef), result.ValueM,
            Egm96Geoid.Instance.UndulationM(p), ground));
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem>> HeightmapAsync(int z, int x, int y, TerrainService terrain, HttpResponse response, CancellationToken cancellationToken)
    {
        if (z < 0 || z > HeightmapTileBuilder.MaxLevel || x < 0 || y < 0 || x >= (2L << z) || y >= (1L << z))
        {
            return Violations.Single("z/x/y", "tile-range", $"level 0–{HeightmapTileBuilder.MaxLevel}, x < 2^(z+1), y < 2^z (geographic tiling scheme)");
        }

        var snapshot = await terrain.GetAsync(cancellationToken).ConfigureAwait(false);
        response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.File(snapshot.Heightmap.BuildTile(z, x, y), "application/octet-stream");
    }

    private static async Task<Results<FileContentHttpResult, NoContent, ValidationProblem, ProblemHttpResult>> ImageryAsync(string layer, int z, int x, int y, ImageryService imagery, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!ImageryService.IsValidLayer(layer))
        {
            return Violations.Single("layer", "layer-invalid", "a layer name is 1–64 of a-z 0-9 - _");
        }

        if (z < 0 || z > WebMercator.MaxZoom || x < 0 || y < 0 || x >= (1L << z) || y >= (1L << z))
        {
            return Violations.Single("z/x/y", "tile-range", $"zoom 0–{WebMercator.MaxZoom}, x and y < 2^z (Web Mercator XYZ)");
        }

        try
        {
            var tile = await imagery.GetTileAsync(layer, z, x, y, cancellationToken).ConfigureAwait(false);
            if (tile is null)
            {
                return TypedResults.NoContent();
            }

            response.Headers.CacheControl = "public, max-age=300";
            return TypedResults.File(tile.Bytes, tile.ContentType);
        }
        catch (KeyNotFoundException ex)
        {
            return TypedResults.Problem(detail: ex.Message, statusCode: StatusCodes.Status404NotFound, title: "No such imagery layer.", type: ProblemTypes.NotFound);
        }
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem>> HillshadeAsync(int z, int x, int y, TerrainService terrain, HttpResponse response, CancellationToken cancellationToken)
    {
        if (z < 0 || z > WebMercator.MaxZoom || x < 0 || y < 0 || x >= (1L << z) || y >= (1L << z))
        {
            return Violations.Single("z/x/y", "tile-range", $"zoom 0–{WebMercator.MaxZoom}, x and y < 2^z (Web Mercator XYZ)");
        }

        var snapshot = await terrain.GetAsync(cancellationToken).ConfigureAwait(false);
        response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.File(snapshot.Hillshade.RenderPng(z, x, y), "image/png");
    }
}
