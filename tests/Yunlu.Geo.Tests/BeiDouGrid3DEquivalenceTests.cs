using CsCheck;
using Yunlu.Geo.Grid;

namespace Yunlu.Geo.Tests;

/// <summary>
/// The direct-write 3-D encoder and the straight-line interleaved decoder against the previous implementation, kept as
/// <c>BeiDouGrid.TryEncode3DReference</c> / <c>BeiDouGrid.TryDecodeReference</c>.
/// </summary>
public sealed class BeiDouGrid3DEquivalenceTests
{
    private static readonly Gen<GeoPoint> AnyPoint =
        Gen.Select(Gen.Double[-180, 180], Gen.Double[-87.999999, 87.999999], (lon, lat) => new GeoPoint(lon, lat));

    private static readonly char[] Replacements = "0123456789ABCDEFGNSVWZa -\u5317".ToCharArray();

    [Fact]
    public void TryEncode3D_RandomPointsAndHeights_MatchesReference()
    {
        Gen.Select(AnyPoint, Gen.Double[-500, 10_000], Gen.Int[1, 10]).Sample((p, heightM, level) =>
        {
            AssertSameEncoding(p, heightM, level);
        }, iter: 50_000);
    }

    [Fact]
    public void TryEncode3D_HeightsOnAndNextToLayerFloors_MatchesReference()
    {
        // Layer floors for heights −500…10 000 m (n ≈ −578 000…+11 500 000), exactly and one ulp either side.
        Gen.Select(AnyPoint, Gen.Long[-578_000, 11_560_000], Gen.Int[1, 10]).Sample((p, layer, level) =>
        {
            double floorM = BeiDouGrid.HeightLayerFloorM(layer);
            AssertSameEncoding(p, floorM, level);
            AssertSameEncoding(p, Math.BitDecrement(floorM), level);
            AssertSameEncoding(p, Math.BitIncrement(floorM), level);
        }, iter: 20_000);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-300)]
    [InlineData(50.0)]
    [InlineData(120.0)]
    [InlineData(1000.0)]
    [InlineData(1900.0)]
    [InlineData(-1e-9)]
    [InlineData(-500.0)]
    [InlineData(10_000.0)]
    public void TryEncode3D_StandardAndEdgeHeights_MatchesReferenceAtEveryLevel(double heightM)
    {
        for (int level = 1; level <= 10; level++)
        {
            AssertSameEncoding(new GeoPoint(106.7, 26.5), heightM, level);
            AssertSameEncoding(new GeoPoint(-73.9, -40.2), heightM, level);
        }
    }

    [Fact]
    public void TryEncode3D_ShortDestination_FalseLikeReference()
    {
        Span<char> small = stackalloc char[31];
        Assert.False(BeiDouGrid.TryEncode3D(new GeoPoint(106.7, 26.5), 100, 10, small, out int n));
        Assert.Equal(0, n);
        Assert.False(BeiDouGrid.TryEncode3DReference(new GeoPoint(106.7, 26.5), 100, 10, small, out n));
        Assert.True(BeiDouGrid.TryEncode3D(new GeoPoint(106.7, 26.5), 100, 9, small, out n));
        Assert.Equal(29, n);
    }

    [Fact]
    public void TryDecode_CorruptedInterleavedCodes_MatchesReference()
    {
        Gen.Select(AnyPoint, Gen.Double[-500, 10_000], Gen.Int[1, 10], Gen.Int[0, 31], Gen.Int[0, Replacements.Length - 1]).Sample((p, heightM, level, at, which) =>
        {
            char[] code = BeiDouGrid.Encode3D(p, heightM, level).ToCharArray();
            code[at % code.Length] = Replacements[which];

            bool ok = BeiDouGrid.TryDecode(code, out BeiDouGridCell cell);
            bool okRef = BeiDouGrid.TryDecodeReference(code, out BeiDouGridCell cellRef);

            Assert.Equal(okRef, ok);
            Assert.Equal(cellRef, cell);
        }, iter: 50_000);
    }

    [Fact]
    public void TryDecode_AllLengths_MatchesReference()
    {
        // Every prefix of valid interleaved and appended codes, including lengths that are no level.
        Gen.Select(AnyPoint, Gen.Double[-500, 10_000]).Sample((p, heightM) =>
        {
            string full = BeiDouGrid.Encode3D(p, heightM, 10);
            string appended = BeiDouGrid.Encode(p, 10) + string.Concat(full[1], full[5], full[6], full[9], full[11], full[14], full[17], full[19], full[22], full[25], full[28], full[31]);
            for (int len = 0; len <= 32; len++)
            {
                foreach (string code in new[] { full, appended })
                {
                    ReadOnlySpan<char> prefix = code.AsSpan(0, len);
                    bool ok = BeiDouGrid.TryDecode(prefix, out BeiDouGridCell cell);
                    bool okRef = BeiDouGrid.TryDecodeReference(prefix, out BeiDouGridCell cellRef);
                    Assert.Equal(okRef, ok);
                    Assert.Equal(cellRef, cell);
                }
            }
        }, iter: 2_000);
    }

    private static void AssertSameEncoding(GeoPoint p, double heightM, int level)
    {
        Span<char> fast = stackalloc char[32];
        Span<char> reference = stackalloc char[32];
        bool ok = BeiDouGrid.TryEncode3D(p, heightM, level, fast, out int n);
        bool okRef = BeiDouGrid.TryEncode3DReference(p, heightM, level, reference, out int nRef);

        Assert.Equal(okRef, ok);
        Assert.Equal(nRef, n);
        Assert.Equal(reference[..nRef].ToString(), fast[..n].ToString());
        if (!ok)
        {
            return;
        }

        bool decoded = BeiDouGrid.TryDecode(fast[..n], out BeiDouGridCell cell);
        bool decodedRef = BeiDouGrid.TryDecodeReference(reference[..nRef], out BeiDouGridCell cellRef);
        Assert.True(decoded);
        Assert.True(decodedRef);
        Assert.Equal(cellRef, cell);
        Assert.Equal(BeiDouGrid.Locate3D(p, heightM, level), cell);
    }
}
