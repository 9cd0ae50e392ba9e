using System.Globalization;
using BenchmarkDotNet.Attributes;
using Yunlu.Geo;
using Yunlu.Geo.Grid;

namespace Yunlu.Benchmarks;

/// <summary>BeiDou grid (GB/T 39409) level-10 encode/decode throughput; baseline: a naive floating-point, string-concatenating encoder
/// (the previous 3-D encoder and decoder are kept as <c>…Previous</c> methods).</summary>
[MemoryDiagnoser]
public class GridBenchmarks
{
    private const int N = 1024;
    private readonly GeoPoint[] _points = new GeoPoint[N];
    private readonly string[] _codes = new string[N];
    private readonly string[] _codes3D = new string[N];
    private readonly double[] _heights = new double[N];
    private readonly char[] _buffer = new char[32];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        for (int i = 0; i < N; i++)
        {
            _points[i] = new GeoPoint(106 + rng.NextDouble(), 26 + rng.NextDouble());
            _codes[i] = BeiDouGrid.Encode(_points[i], 10);
            _heights[i] = -500 + (rng.NextDouble() * 10_500);
            _codes3D[i] = BeiDouGrid.Encode3D(_points[i], _heights[i], 10);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public int NaiveEncode()
    {
        int total = 0;
        foreach (GeoPoint p in _points)
        {
            total += NaiveEncoder.Encode(p.LonDeg, p.LatDeg, 10).Length;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public int TryEncodeSpan()
    {
        int total = 0;
        foreach (GeoPoint p in _points)
        {
            BeiDouGrid.TryEncode(p, 10, _buffer, out int n);
            total += n;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public int EncodeString()
    {
        int total = 0;
        foreach (GeoPoint p in _points)
        {
            total += BeiDouGrid.Encode(p, 10).Length;
        }

        return total;
    }

    /// <summary>The previous 3-D encoder (stack buffers, then interleaving by table), kept as the 3-D baseline.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public int TryEncode3DSpanPrevious()
    {
        int total = 0;
        for (int i = 0; i < N; i++)
        {
            BeiDouGrid.TryEncode3DReference(_points[i], _heights[i], 10, _buffer, out int n);
            total += n;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public int TryEncode3DSpan()
    {
        int total = 0;
        for (int i = 0; i < N; i++)
        {
            BeiDouGrid.TryEncode3D(_points[i], _heights[i], 10, _buffer, out int n);
            total += n;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public long TryDecode2D()
    {
        long total = 0;
        foreach (string code in _codes)
        {
            BeiDouGrid.TryDecode(code, out BeiDouGridCell cell);
            total += cell.LonIndex;
        }

        return total;
    }

    /// <summary>The previous decoder (general table-walking parser), kept as the 3-D decode baseline.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public long TryDecode3DPrevious()
    {
        long total = 0;
        foreach (string code in _codes3D)
        {
            BeiDouGrid.TryDecodeReference(code, out BeiDouGridCell cell);
            total += cell.HeightIndex;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public long TryDecode3D()
    {
        long total = 0;
        foreach (string code in _codes3D)
        {
            BeiDouGrid.TryDecode(code, out BeiDouGridCell cell);
            total += cell.HeightIndex;
        }

        return total;
    }

    /// <summary>The naive way: seconds of arc in doubles, remainders, string concatenation.</summary>
    private static class NaiveEncoder
    {
        private static readonly double[] LonSizes = [1800, 900, 60, 4, 2, 0.25, 0.25 / 8, 0.25 / 64, 0.25 / 512];
        private static readonly double[] LatSizes = [1800, 600, 60, 4, 2, 0.25, 0.25 / 8, 0.25 / 64, 0.25 / 512];

        public static string Encode(double lonDeg, double latDeg, int level)
        {
            double lonSec = Math.Abs(lonDeg) * 3600;
            double latSec = Math.Abs(latDeg) * 3600;
            int col = lonDeg >= 0 ? 31 + (int)Math.Floor(lonSec / 21600) : 30 - (int)Math.Floor(lonSec / 21600);
            string code = (latDeg >= 0 ? "N" : "S") + col.ToString("00", CultureInfo.InvariantCulture) + (char)('A' + (int)Math.Floor(latSec / 14400));
            double rl = lonSec % 21600, rb = latSec % 14400;
            for (int lv = 2; lv <= level; lv++)
            {
                int x = (int)Math.Floor(rl / LonSizes[lv - 2]);
                int y = (int)Math.Floor(rb / LatSizes[lv - 2]);
                rl -= x * LonSizes[lv - 2];
                rb -= y * LatSizes[lv - 2];
                code += lv is 3 or 6
                    ? ((2 * y) + x).ToString(CultureInfo.InvariantCulture)
                    : x.ToString("X", CultureInfo.InvariantCulture) + y.ToString("X", CultureInfo.InvariantCulture);
            }

            return code;
        }
    }
}
