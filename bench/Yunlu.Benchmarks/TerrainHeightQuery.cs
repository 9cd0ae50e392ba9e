using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Yunlu.Geo;
using Yunlu.Terrain;

namespace Yunlu.Benchmarks;

/// <summary>Warm DEM height queries at random points over a 2000×2000 float DEM (8×8 tiles of 256).
/// Per-operation time = one query.</summary>
[MemoryDiagnoser]
public class TerrainHeightQuery
{
    private const int Points = 4096;
    private GeoRaster _dem = null!;
    private ElevationModel _model = null!;
    private GeoPoint[] _points = null!;
    private byte[][] _tileBytes = null!;
    private DemTileLayout _layout = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dem = TerrainData.SyntheticDem(2000, 2000, RasterSampleType.Float32);
        _model = ElevationModel.FromRaster(_dem, 256, cacheTiles: 64);
        _layout = DemTiler.Layout(_dem, 256);
        _tileBytes = DemTiler.Tile(_dem, 256).Select(t => t.Bytes).ToArray();
        var rng = new Random(42);
        _points = new GeoPoint[Points];
        for (var i = 0; i < Points; i++)
        {
            _points[i] = new GeoPoint(
                _dem.WestDeg + (rng.NextDouble() * (_dem.EastDeg - _dem.WestDeg)),
                _dem.SouthDeg + (rng.NextDouble() * (_dem.NorthDeg - _dem.SouthDeg)));
        }

        foreach (var p in _points)
        {
            _model.HeightAmslM(p); // warm the cache
        }
    }

    /// <summary>Baseline: bilinear straight from the untiled float[] through a non-inlined call.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Points)]
    public double UntiledArrayNoInline()
    {
        var sum = 0.0;
        foreach (var p in _points)
        {
            sum += NaiveBilinear(_dem, p);
        }

        return sum;
    }

    /// <summary>The model: tiled, LRU-cached, nodata-aware.</summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public double ElevationModelWarm()
    {
        var sum = 0.0;
        foreach (var p in _points)
        {
            if (_model.TryGetGroundAmslM(p, out var h))
            {
                sum += h;
            }
        }

        return sum;
    }

    /// <summary>GDAL-like uncached access: decode the tile for every query (only 1/16 of the points, it is slow).</summary>
    [Benchmark(OperationsPerInvoke = Points / 16)]
    public double DecodeTilePerQuery()
    {
        var sum = 0.0;
        for (var i = 0; i < Points; i += 16)
        {
            var p = _points[i];
            var fx = Math.Clamp(_dem.Transform.ColumnOf(p.LonDeg), 0, _dem.Width - 1);
            var fy = Math.Clamp(_dem.Transform.RowOf(p.LatDeg), 0, _dem.Height - 1);
            var c0 = Math.Min((int)fx, _dem.Width - 2);
            var r0 = Math.Min((int)fy, _dem.Height - 2);
            var tc = c0 / 256;
            var tr = r0 / 256;
            var values = DemTiler.DecodeTile(_tileBytes[(tr * _layout.TileCols) + tc], out var w, out _);
            var lc = c0 - (tc * 256);
            var lr = r0 - (tr * 256);
            var tx = fx - c0;
            var ty = fy - r0;
            var i00 = (lr * w) + lc;
            var top = values[i00] + ((values[i00 + 1] - values[i00]) * tx);
            var bottom = values[i00 + w] + ((values[i00 + w + 1] - values[i00 + w]) * tx);
            sum += top + ((bottom - top) * ty);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double NaiveBilinear(GeoRaster dem, GeoPoint p)
    {
        var fx = Math.Clamp(dem.Transform.ColumnOf(p.LonDeg), 0, dem.Width - 1);
        var fy = Math.Clamp(dem.Transform.RowOf(p.LatDeg), 0, dem.Height - 1);
        var c0 = Math.Min((int)fx, dem.Width - 2);
        var r0 = Math.Min((int)fy, dem.Height - 2);
        var tx = fx - c0;
        var ty = fy - r0;
        var data = dem.Data;
        var i00 = (r0 * dem.Width) + c0;
        var top = data[i00] + ((data[i00 + 1] - data[i00]) * tx);
        var bottom = data[i00 + dem.Width] + ((data[i00 + dem.Width + 1] - data[i00 + dem.Width]) * tx);
        return top + ((bottom - top) * ty);
    }
}

/// <summary>Synthetic karst-like terrain for the terrain benchmarks (smooth ridges plus metre-scale noise).</summary>
internal static class TerrainData
{
    public static GeoRaster SyntheticDem(int width, int height, RasterSampleType type)
    {
        var rng = new Random(7);
        var data = new float[width * height];
        for (var r = 0; r < height; r++)
        {
            for (var c = 0; c < width; c++)
            {
                var h = 1100 + (150 * Math.Sin(c * 0.011) * Math.Cos(r * 0.013)) + (60 * Math.Sin((c + r) * 0.05)) + (rng.NextDouble() * 4);
                data[(r * width) + c] = type == RasterSampleType.Float32 ? (float)h : MathF.Round((float)h);
            }
        }

        return new GeoRaster(width, height, type, new GeoTransform(106.4, 26.9, 1 / 3600.0, 1 / 3600.0), -32768, data);
    }
}
