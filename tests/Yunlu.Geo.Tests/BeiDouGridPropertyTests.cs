using CsCheck;
using Yunlu.Geo.Grid;

namespace Yunlu.Geo.Tests;

public sealed class BeiDouGridPropertyTests
{
    private static readonly Gen<GeoPoint> AnyPoint =
        Gen.Select(Gen.Double[-180, 180], Gen.Double[-87.999999, 87.999999], (lon, lat) => new GeoPoint(lon, lat));

    private static readonly GridDirection[] Horizontal = [GridDirection.East, GridDirection.West, GridDirection.North, GridDirection.South];

    [Fact]
    public void EncodeDecode_RandomPoints_RoundTripAndContain()
    {
        Gen.Select(AnyPoint, Gen.Int[1, 10]).Sample((p, level) =>
        {
            string code = BeiDouGrid.Encode(p, level);
            BeiDouGridCell cell = BeiDouGrid.Decode(code);

            Assert.Equal(code, cell.Code);
            Assert.Equal(BeiDouGrid.Locate(p, level), cell);
            Assert.True(cell.Contains(p));

            // The code works in integer units of 1/2048″ (STANDARDS §1): a point within rounding of an edge may land
            // one ulp outside the cell's edges as doubles (see RandomPointOnAnEdge_…), never more than that.
            Assert.InRange(p.LonDeg, cell.WestLonDeg - EdgeUlpDeg, cell.EastLonDeg + EdgeUlpDeg);
            Assert.InRange(p.LatDeg, cell.SouthLatDeg - EdgeUlpDeg, cell.NorthLatDeg + EdgeUlpDeg);
            Assert.Equal(code, BeiDouGrid.Encode(cell.Center, level));
            if (cell.LonIndex != -1 && cell.LatIndex != -1)
            {
                // (A corner on the prime meridian or the equator reads as east / north.)
                Assert.Equal(code, BeiDouGrid.Encode(cell.OriginCorner, level));
            }

            Assert.Equal(p.LatDeg >= 0 ? 'N' : 'S', code[0]);
            int column = int.Parse(code.AsSpan(1, 2), provider: null);
            Assert.Equal(p.LonDeg >= 0, column >= 31);
        }, iter: 20_000);
    }

    /// <summary>Rounding slack when comparing a point with a cell's edges as doubles: 1e-12° (≈ 0.1 µm), far below a level-10 cell (1/2048″ ≈ 1.4e-7°).</summary>
    private const double EdgeUlpDeg = 1e-12;

    /// <summary>
    /// A case CsCheck found: latitude −0.0062499999999999995 (the double just inside −0.00625 = −90″, an edge of every
    /// level ≥ 2) times 7 372 800 units per degree rounds to exactly 46 080 units, so the point is on the edge and goes to
    /// the cell farther from the equator (the standard's floor rule), whose north edge as a double is the neighbouring
    /// −0.0062500000000000003. Its own containment test, in units, holds.
    /// </summary>
    [Fact]
    public void RandomPointOnAnEdge_OneUlpOutsideTheEdgeAsDouble_ContainedInUnits()
    {
        var p = new GeoPoint(-22, -0.0062499999999999995);
        BeiDouGridCell cell = BeiDouGrid.Locate(p, 7);
        Assert.True(cell.Contains(p));
        Assert.Equal(-0.00625, cell.NorthLatDeg, 1e-15);
        Assert.True(p.LatDeg - cell.NorthLatDeg is > 0 and <= EdgeUlpDeg);
        Assert.Equal(BeiDouGrid.Encode(p, 7), BeiDouGrid.Encode(new GeoPoint(-22, -0.00625), 7));
    }

    [Fact]
    public void Encode_AllHemispheres_MirrorEachOther()
    {
        Gen.Select(Gen.Double[1e-9, 179.9999], Gen.Double[1e-9, 87.9999], Gen.Int[2, 10]).Sample((lon, lat, level) =>
        {
            string ne = BeiDouGrid.Encode(new GeoPoint(lon, lat), level);
            string nw = BeiDouGrid.Encode(new GeoPoint(-lon, lat), level);
            string se = BeiDouGrid.Encode(new GeoPoint(lon, -lat), level);
            string sw = BeiDouGrid.Encode(new GeoPoint(-lon, -lat), level);

            // From level 2 on the digits count from the corner nearest the origin, so only the hemisphere and the
            // level-1 column differ; column c east mirrors column 61 − c west.
            Assert.Equal(ne[3..], nw[3..]);
            Assert.Equal(ne[3..], se[3..]);
            Assert.Equal(ne[3..], sw[3..]);
            Assert.Equal('S', se[0]);
            int east = int.Parse(ne.AsSpan(1, 2), provider: null);
            int west = int.Parse(nw.AsSpan(1, 2), provider: null);
            Assert.Equal(61, east + west);
        }, iter: 5_000);
    }

    [Fact]
    public void Locate_PointsOnCellBoundaries_BelongToTheFartherCell()
    {
        // Exact multiples of 1/2048″: the boundary belongs to the cell farther from the equator / prime meridian.
        Gen.Select(Gen.Int[0, (180 * BeiDouGrid.UnitsPerDegree) - 1], Gen.Int[0, (88 * BeiDouGrid.UnitsPerDegree) - 1], Gen.Bool, Gen.Bool).Sample((lu, bu, west, south) =>
        {
            double lon = (west ? -lu : lu) / (double)BeiDouGrid.UnitsPerDegree;
            double lat = (south ? -bu : bu) / (double)BeiDouGrid.UnitsPerDegree;
            if ((west && lon == 0) || (south && lat == 0))
            {
                return; // −0 is the eastern / northern origin cell
            }

            BeiDouGridCell cell = BeiDouGrid.Locate(new GeoPoint(lon, lat), 10);

            Assert.Equal(west ? -1 - lu : lu, cell.LonIndex);
            Assert.Equal(south ? -1 - bu : bu, cell.LatIndex);
        }, iter: 20_000);
    }

    [Fact]
    public void Encode_PointsNearBoundaries_MatchNaiveReferenceAwayFromTheEdge()
    {
        Gen.Select(AnyPoint, Gen.Int[1, 10]).Sample((p, level) =>
        {
            string fast = BeiDouGrid.Encode(p, level);
            string naive = NaiveBeiDouGrid.Encode(p.LonDeg, p.LatDeg, level);

            // The floating-point reference may differ only when the point is within a hair of a level-10 edge.
            if (!string.Equals(fast, naive, StringComparison.Ordinal))
            {
                double lu = Math.Abs(p.LonDeg) * BeiDouGrid.UnitsPerDegree;
                double bu = Math.Abs(p.LatDeg) * BeiDouGrid.UnitsPerDegree;
                double edge = Math.Min(Math.Abs(lu - Math.Round(lu)), Math.Abs(bu - Math.Round(bu)));
                Assert.True(edge < 1e-3, $"{p}: {fast} vs naive {naive}");
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Neighbor_EveryDirection_IsSymmetricAndAdjacent()
    {
        Gen.Select(AnyPoint, Gen.Int[1, 10], Gen.Int[0, 3]).Sample((p, level, d) =>
        {
            BeiDouGridCell cell = BeiDouGrid.Locate(p, level);
            GridDirection dir = Horizontal[d];
            GridDirection back = dir switch
            {
                GridDirection.East => GridDirection.West,
                GridDirection.West => GridDirection.East,
                GridDirection.North => GridDirection.South,
                _ => GridDirection.North,
            };
            if (!cell.TryGetNeighbor(dir, out BeiDouGridCell n))
            {
                Assert.True(dir is GridDirection.North or GridDirection.South);
                Assert.True(Math.Abs(dir == GridDirection.North ? cell.NorthLatDeg : cell.SouthLatDeg) >= 88 - 1e-9);
                return;
            }

            Assert.Equal(cell, n.Neighbor(back));
            Assert.Equal(level, n.Level);
            BeiDouGridCell decoded = BeiDouGrid.Decode(n.Code);
            Assert.Equal(n, decoded);

            // The neighbour shares an edge: its centre is one cell width/height away (mod 360° in longitude).
            double dLon = GeoMath.NormalizeLonDeg(n.Center.LonDeg - cell.Center.LonDeg);
            double dLat = n.Center.LatDeg - cell.Center.LatDeg;
            switch (dir)
            {
                case GridDirection.East: Assert.Equal(cell.WidthDeg, dLon, 9); Assert.Equal(0, dLat, 12); break;
                case GridDirection.West: Assert.Equal(-cell.WidthDeg, dLon, 9); Assert.Equal(0, dLat, 12); break;
                case GridDirection.North: Assert.Equal(cell.HeightDeg, dLat, 9); Assert.Equal(0, dLon, 12); break;
                default: Assert.Equal(-cell.HeightDeg, dLat, 9); Assert.Equal(0, dLon, 12); break;
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Neighbor_AcrossMeridiansAndEquator_WrapsCorrectly()
    {
        BeiDouGridCell eastEdge = BeiDouGrid.Locate(new GeoPoint(179.99999, 26.5), 4);
        BeiDouGridCell westEdge = eastEdge.Neighbor(GridDirection.East);
        Assert.True(westEdge.Contains(new GeoPoint(-179.99999, 26.5)));
        Assert.Equal(eastEdge, westEdge.Neighbor(GridDirection.West));

        BeiDouGridCell eastOfZero = BeiDouGrid.Locate(new GeoPoint(0.00001, 0.00001), 7);
        Assert.True(eastOfZero.Neighbor(GridDirection.West).Contains(new GeoPoint(-0.00001, 0.00001)));
        Assert.True(eastOfZero.Neighbor(GridDirection.South).Contains(new GeoPoint(0.00001, -0.00001)));
        Assert.StartsWith("S", eastOfZero.Neighbor(GridDirection.South).Code, StringComparison.Ordinal);

        BeiDouGridCell top = BeiDouGrid.Locate(new GeoPoint(10, 87.99999), 3);
        Assert.False(top.TryGetNeighbor(GridDirection.North, out _));
        Assert.Throws<InvalidOperationException>(() => top.Neighbor(GridDirection.Up));
    }

    [Fact]
    public void Heights_RandomInOperatingRange_LayerBoundsContainHeight()
    {
        Gen.Select(AnyPoint, Gen.Double[-500, 10_000], Gen.Int[1, 10]).Sample(CheckHeightCell, iter: 20_000);
    }

    /// <summary>A height CsCheck found 5e-9 m below its layer's floor as computed in doubles: inside the encoder's snap.</summary>
    [Fact]
    public void Heights_FoundJustBelowAFloor_LayerBoundsContainHeight() =>
        CheckHeightCell(new GeoPoint(-0.0, 46), 185807d / 22, 1);

    private static void CheckHeightCell(GeoPoint p, double h, int level)
    {
        long layer = BeiDouGrid.HeightLayer(h);

        // The encoder snaps a height within 1e-6 of a layer onto the boundary (as it does latitudes and longitudes within
        // 1e-6 units), so a height that close below a floor computed in doubles belongs to the layer above.
        double snapM = 1.01e-6 * (BeiDouGrid.HeightLayerFloorM(layer + 1) - BeiDouGrid.HeightLayerFloorM(layer)) + 1e-9;
        Assert.InRange(h, BeiDouGrid.HeightLayerFloorM(layer) - snapM, BeiDouGrid.HeightLayerFloorM(layer + 1) + snapM);
        Assert.True((h < 0) == (layer < 0), $"h={h:R} layer={layer}");

        string code = BeiDouGrid.Encode3D(p, h, level);
        BeiDouGridCell cell = BeiDouGrid.Decode(code);
        Assert.Equal(code, cell.Code);
        Assert.Equal(BeiDouGrid.Locate3D(p, h, level), cell);
        Assert.True(cell.Contains(p, h));
        Assert.InRange(h, cell.LowerHeightW84M - snapM, cell.UpperHeightW84M + snapM);
        Assert.Equal(BeiDouGrid.Encode(p, level), cell.As2D().Code);
        Assert.Equal(h < 0 ? '1' : '0', code[1]);

        Assert.Equal(code, BeiDouGrid.Encode3D(cell.Center, (cell.LowerHeightW84M + cell.UpperHeightW84M) / 2, level));
        BeiDouGridCell up = cell.Neighbor(GridDirection.Up);
        Assert.Equal(cell, up.Neighbor(GridDirection.Down));
        Assert.Equal(cell.UpperHeightW84M, up.LowerHeightW84M, 9);
    }

    [Fact]
    public void Encode3D_HeightsInTheFBand_EmitF()
    {
        // a6 = F for level-10 layers 15·2^13 … 16·2^13 − 1 (about 1 840–1 962 m): the standard's table says 0–E.
        double low = BeiDouGrid.HeightLayerFloorM(15 << 13);
        double high = BeiDouGrid.HeightLayerFloorM(16 << 13);
        Gen.Double[low + 0.001, high - 0.001].Sample(h =>
        {
            string code = BeiDouGrid.Encode3D(new GeoPoint(106.7, 26.5), h);
            Assert.Equal('F', code[17]);
            Assert.Equal(code, BeiDouGrid.Decode(code).Code);
        }, iter: 2_000);
    }

    [Fact]
    public void HeightNeighbors_AcrossTheEllipsoid_AreConsecutive()
    {
        BeiDouGridCell above = BeiDouGrid.Locate3D(new GeoPoint(106.7, 26.5), 0.001, 10);
        BeiDouGridCell below = above.Neighbor(GridDirection.Down);

        Assert.Equal(0, above.HeightIndex);
        Assert.Equal(-1, below.HeightIndex);
        Assert.Equal('1', below.Code[1]);
        Assert.True(below.Contains(new GeoPoint(106.7, 26.5), -0.001));
        Assert.Equal(0, below.UpperHeightW84M, 12);
    }

    [Fact]
    public void ParentChildren_RandomCells_AreConsistent()
    {
        Gen.Select(AnyPoint, Gen.Int[1, 9], Gen.Bool, Gen.Double[-500, 10_000]).Sample((p, level, threeD, h) =>
        {
            BeiDouGridCell cell = threeD ? BeiDouGrid.Locate3D(p, h, level) : BeiDouGrid.Locate(p, level);
            BeiDouGridCell[] children = cell.Children();
            string code = cell.Code;

            Assert.Equal(children.Length, children.Distinct().Count());
            foreach (BeiDouGridCell child in children)
            {
                Assert.Equal(cell, child.Parent);
                Assert.StartsWith(code, child.Code, StringComparison.Ordinal);
            }

            BeiDouGridCell finer = threeD ? BeiDouGrid.Locate3D(p, h, level + 1) : BeiDouGrid.Locate(p, level + 1);
            Assert.Contains(finer, children);
            Assert.Equal(cell, finer.Parent);
        }, iter: 300);
    }

    [Theory]
    [InlineData("", -1, "length")]
    [InlineData("N", -1, "level 1-10")]
    [InlineData("X50J", 0, "hemisphere")]
    [InlineData("N61J", 1, "01-60")]
    [InlineData("N00J", 1, "01-60")]
    [InlineData("N5XJ", 2, "01-60")]
    [InlineData("N50W", 3, "A-V")]
    [InlineData("N50J4", -1, "length")]
    [InlineData("N50JC7", 4, "0-B")]
    [InlineData("N50J48", 5, "0-7")]
    [InlineData("N50J476", 6, "0-5")]
    [InlineData("N50J475F9", 7, "0-E")]
    [InlineData("N50J47539F8", 9, "0-E")]
    [InlineData("N50J47539BF", 10, "0-E")]
    [InlineData("N50J47539B84", 11, "0-3")]
    [InlineData("N50J47539B8258", 13, "0-7")]
    [InlineData("N50J47539B825594", 14, "0-7")]
    [InlineData("N50J47539B82559", -1, "length")]
    [InlineData("N036J009300078", -1, "length")]
    [InlineData("n50J", 0, "hemisphere")]
    [InlineData("N250J00", 1, "a0")]
    [InlineData("N050J64", 5, "00-63")]
    [InlineData("N036J0093800780B3010010520430140", 9, "a3")]
    [InlineData("N036J0093002780B3010010520430140", 11, "a4")]
    [InlineData("N036J0093000780B3010010520430148", 31, "a11")]
    [InlineData("N36J93078B310152431400000000000G", 31, "a11")]
    public void Decode_InvalidCode_ThrowsNamingPositionAndRule(string code, int position, string ruleFragment)
    {
        GridCodeFormatException ex = Assert.Throws<GridCodeFormatException>(() => BeiDouGrid.Decode(code));

        Assert.Equal(position, ex.Position);
        Assert.Contains(ruleFragment, ex.Rule, StringComparison.Ordinal);
        Assert.Contains(ruleFragment, ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<FormatException>(ex);
        Assert.False(BeiDouGrid.TryDecode(code, out _));
        Assert.NotNull(BeiDouGrid.Validate(code, out int pos));
        Assert.Equal(position, pos);
    }

    [Theory]
    [InlineData(0, 88)]
    [InlineData(0, -88)]
    [InlineData(double.NaN, 0)]
    [InlineData(181, 0)]
    public void Encode_InvalidPoint_Throws(double lon, double lat)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BeiDouGrid.Encode(new GeoPoint(lon, lat), 5));
        Assert.False(BeiDouGrid.TryEncode(new GeoPoint(lon, lat), 5, new char[20], out _));
    }

    [Fact]
    public void TryEncode_ShortBufferOrBadLevel_ReturnsFalse()
    {
        var p = new GeoPoint(106.7, 26.5);
        Assert.False(BeiDouGrid.TryEncode(p, 10, new char[19], out _));
        Assert.False(BeiDouGrid.TryEncode(p, 0, new char[20], out _));
        Assert.False(BeiDouGrid.TryEncode(p, 11, new char[20], out _));
        Assert.False(BeiDouGrid.TryEncode3D(p, 100, 10, new char[31], out _));
        Assert.True(BeiDouGrid.TryEncode3D(p, 100, 10, new char[32], out int n));
        Assert.Equal(32, n);
    }

    [Fact]
    public void Encode_AntimeridianAndOrigin_UseEdgeCells()
    {
        Assert.Equal("N60", BeiDouGrid.Encode(new GeoPoint(180, 1), 1)[..3]);
        Assert.Equal("N01", BeiDouGrid.Encode(new GeoPoint(-180, 1), 1)[..3]);
        Assert.Equal("N31A", BeiDouGrid.Encode(new GeoPoint(0, 0), 1));
        Assert.Equal("S30A", BeiDouGrid.Encode(new GeoPoint(-0.5, -0.5), 1));
        // Guiyang Longdongbao airport (ZUGY) lies in sheet G-48 (column 48, row G).
        Assert.StartsWith("N48G", BeiDouGrid.Encode(new GeoPoint(106.80, 26.54), 10), StringComparison.Ordinal);
    }
}
