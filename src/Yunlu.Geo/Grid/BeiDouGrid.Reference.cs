namespace Yunlu.Geo.Grid;

/// <summary>
/// The 3-D codec as it was before the direct-write encoder and the straight-line interleaved decoder: kept as the
/// reference that the equivalence tests (tests/Yunlu.Geo.Tests/BeiDouGrid3DEquivalenceTests.cs) and the benchmark
/// baseline (bench/Yunlu.Benchmarks/GridBenchmarks.cs) compare against. Not used by the library itself.
/// </summary>
public static partial class BeiDouGrid
{
    /// <summary>Reference 3-D encoder: 2-D and height characters into stack buffers, then interleaved by table.</summary>
    internal static bool TryEncode3DReference(GeoPoint p, double heightW84M, int level, Span<char> destination, out int charsWritten)
    {
        charsWritten = 0;
        if ((uint)(level - MinLevel) > MaxLevel - MinLevel || !IsEncodable(p) || destination.Length < Len3D[level] ||
            !TryHeightLayer(heightW84M, out long layer))
        {
            return false;
        }

        charsWritten = Write3DReference(destination, level, p.LatDeg >= 0, p.LonDeg >= 0, LonUnits(p.LonDeg), LatUnits(p.LatDeg), layer);
        return true;
    }

    /// <summary>Reference decoder: the general table-walking parser for every form, no straight-line fast path.</summary>
    internal static bool TryDecodeReference(ReadOnlySpan<char> code, out BeiDouGridCell cell) => TryParseGeneral(code, out cell, out _, out _);

    private static int Write3DReference(Span<char> dst, int level, bool north, bool east, int lu, int bu, long layer)
    {
        Span<char> two = stackalloc char[MaxLength2D];
        Span<char> h = stackalloc char[12];
        int n2 = Write2D(two, level, north, east, lu, bu);
        WriteHeight(h, layer);
        int n = Len3D[level];
        if (dst.Length < n)
        {
            ThrowHelper.ThrowArgument(nameof(dst), "destination is too short for the 3-D code");
        }

        ReadOnlySpan<byte> p2 = Interleaved2DPos;
        for (int i = 0; i < n2; i++)
        {
            dst[p2[i]] = two[i];
        }

        ReadOnlySpan<byte> ph = InterleavedHPos;
        int nh = HeightCharsAtLevel[level];
        for (int i = 0; i < nh; i++)
        {
            dst[ph[i]] = h[i];
        }

        return n;
    }

    private static void WriteHeight(Span<char> h, long layer)
    {
        bool negative = layer < 0;
        uint m = (uint)(negative ? -1 - layer : layer);
        h[0] = negative ? '1' : '0';
        uint top = m >> 25;
        h[1] = (char)('0' + (top / 10));
        h[2] = (char)('0' + (top % 10));
        h[3] = (char)('0' + ((m >> 22) & 7));
        h[4] = (char)('0' + ((m >> 21) & 1));
        h[5] = Hex[(int)((m >> 17) & 15)];
        h[6] = Hex[(int)((m >> 13) & 15)];
        h[7] = (char)('0' + ((m >> 12) & 1));
        h[8] = (char)('0' + ((m >> 9) & 7));
        h[9] = (char)('0' + ((m >> 6) & 7));
        h[10] = (char)('0' + ((m >> 3) & 7));
        h[11] = (char)('0' + (m & 7));
    }
}
