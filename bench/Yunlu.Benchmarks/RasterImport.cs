using BenchmarkDotNet.Attributes;
using Yunlu.Formats.Raster;
using Yunlu.Terrain;

namespace Yunlu.Benchmarks;

/// <summary>GeoTIFF import of a 4000×4000 int16 DEM (32 MB of samples) from memory.
/// Throughput = 32 MB / mean time.</summary>
[MemoryDiagnoser]
public class RasterImport
{
    private byte[] _uncompressedStriped = null!;
    private byte[] _deflateTiled = null!;
    private byte[] _lzwTiled = null!;

    [GlobalSetup]
    public void Setup()
    {
        var dem = TerrainData.SyntheticDem(4000, 4000, RasterSampleType.Int16);
        _uncompressedStriped = Write(dem, new GeoTiffWriteOptions(Tiled: false, Compression: TiffCompression.None));
        _deflateTiled = Write(dem, new GeoTiffWriteOptions(Tiled: true, TileSize: 256, Compression: TiffCompression.Deflate, Predictor: TiffPredictor.Horizontal));
        _lzwTiled = Write(dem, new GeoTiffWriteOptions(Tiled: true, TileSize: 256, Compression: TiffCompression.Lzw, Predictor: TiffPredictor.Horizontal));
        Console.WriteLine($"// file sizes: uncompressed {_uncompressedStriped.Length} B, deflate {_deflateTiled.Length} B, lzw {_lzwTiled.Length} B");
    }

    private static byte[] Write(GeoRaster raster, GeoTiffWriteOptions options)
    {
        using var ms = new MemoryStream();
        GeoTiffWriter.Write(ms, raster, options);
        return ms.ToArray();
    }

    /// <summary>Baseline: the same raster uncompressed and striped (no decompression, no predictor).</summary>
    [Benchmark(Baseline = true)]
    public int UncompressedStriped() => GeoTiffReader.Read(_uncompressedStriped).Width;

    /// <summary>Deflate, 256² tiles, horizontal predictor (GDAL's COMPRESS=DEFLATE PREDICTOR=2 TILED=YES).</summary>
    [Benchmark]
    public int DeflateTiledPredictor2() => GeoTiffReader.Read(_deflateTiled).Width;

    /// <summary>LZW, 256² tiles, horizontal predictor.</summary>
    [Benchmark]
    public int LzwTiledPredictor2() => GeoTiffReader.Read(_lzwTiled).Width;

    /// <summary>Cutting the DEM into 256² Deflate tiles for the store (after reading).</summary>
    [Benchmark]
    public int TileForStore() => DemTiler.Tile(GeoTiffReader.Read(_uncompressedStriped), 256).Count;
}
