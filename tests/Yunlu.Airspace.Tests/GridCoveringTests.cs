using CsCheck;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Corridors;
using Yunlu.Airspace.Grid;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Geo.Grid;

namespace Yunlu.Airspace.Tests;

public sealed class GridCoveringTests
{
    private static Polygon RandomPolygon(double cx, double cy, double radiusDeg, int n, Random rng)
    {
        // A star-shaped polygon (valid by construction): sorted angles, random radii.
        var angles = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 * Math.PI).Order().ToArray();
        var coords = angles.Select(a => new Coordinate(cx + (Math.Cos(a) * radiusDeg * (0.3 + (0.7 * rng.NextDouble()))), cy + (Math.Sin(a) * radiusDeg * (0.3 + (0.7 * rng.NextDouble()))))).ToList();
        coords.Add(coords[0].Copy());
        return FootprintGeometry.Factory.CreatePolygon([.. coords]);
    }

    [Fact]
    public void CoverPolygon_RandomSmallPolygons_EqualsBruteForce()
    {
        Gen.Select(Gen.Int[0, 1_000_000], Gen.Int[5, 7], Gen.Int[3, 12]).Sample((seed, level, n) =>
        {
            var rng = new Random(seed);
            double cell = GridMath.LonUnitsAt(level) / (double)BeiDouGrid.UnitsPerDegree;
            Polygon p = RandomPolygon(106.5 + rng.NextDouble(), 26.5 + rng.NextDouble(), cell * (1 + (rng.NextDouble() * 12)), n, rng);
            if (!p.IsValid)
            {
                return true;
            }

            GridCover fast = GridCovering.CoverPolygon(p, level);
            GridCover brute = GridCovering.CoverPolygonBruteForce(p, level);
            return fast.Spans.SequenceEqual(brute.Spans);
        }, iter: 300);
    }

    [Fact]
    public void CoverPolygon_WithHoleAndSouthWest_EqualsBruteForce()
    {
        var shell = new[] { new Coordinate(-60.001, -30.001), new Coordinate(-59.997, -30.001), new Coordinate(-59.997, -29.997), new Coordinate(-60.001, -29.997), new Coordinate(-60.001, -30.001) };
        var hole = new[] { new Coordinate(-60.0002, -30.0002), new Coordinate(-59.9988, -30.0002), new Coordinate(-59.9988, -29.9988), new Coordinate(-60.0002, -29.9988), new Coordinate(-60.0002, -30.0002) };
        Polygon p = FootprintGeometry.Factory.CreatePolygon(FootprintGeometry.Factory.CreateLinearRing(shell), [FootprintGeometry.Factory.CreateLinearRing(hole)]);
        GridCover fast = GridCovering.CoverPolygon(p, 7);
        Assert.Equal(GridCovering.CoverPolygonBruteForce(p, 7).Spans, fast.Spans);
        Assert.True(fast.Spans.Count(s => s.LatIndex == fast.Spans[fast.Spans.Count / 2].LatIndex) >= 1);
    }

    [Fact]
    public void CoverPolygon_PolygonOnCellBoundaries_IncludesTouchingCells()
    {
        BeiDouGridCell c = BeiDouGrid.Locate(new GeoPoint(106.7, 26.6), 6);
        Polygon p = ZoneTestData.Box(c.WestLonDeg, c.SouthLatDeg, c.EastLonDeg, c.NorthLatDeg);
        GridCover cover = GridCovering.CoverPolygon(p, 6);
        Assert.Equal(9, cover.CellCount); // the cell and its 8 touching neighbours (closed sets)
        Assert.Equal(GridCovering.CoverPolygonBruteForce(p, 6).Spans, cover.Spans);
        Assert.True(cover.Contains(c));
    }

    [Fact]
    public void CoverPolyline_EveryCellOfDenseSamplesIsCovered()
    {
        GeoPoint[] line = [new(106.70, 26.60), new(106.7031, 26.6017), new(106.7002, 26.6049)];
        GridCover cover = GridCovering.CoverPolyline(line, 7);
        for (int k = 0; k + 1 < line.Length; k++)
        {
            for (int s = 0; s <= 2000; s++)
            {
                double t = s / 2000.0;
                var p = new GeoPoint(line[k].LonDeg + (t * (line[k + 1].LonDeg - line[k].LonDeg)), line[k].LatDeg + (t * (line[k + 1].LatDeg - line[k].LatDeg)));
                Assert.True(cover.Contains(BeiDouGrid.Locate(p, 7)));
            }
        }
    }

    [Fact]
    public void CoverVolume_HeightLayers_MatchHalfOpenBand()
    {
        var v = new Volume3D(new PolygonFootprint(ZoneTestData.Box(106.7, 26.6, 106.7003, 26.6003)), Altitude.W84(100), Altitude.W84(160));
        IReadOnlyList<BeiDouGridCell> cells = GridCovering.CoverVolume(v, 5);
        Assert.All(cells, c => Assert.True(c.LowerHeightW84M < 160 && c.UpperHeightW84M > 100));
        Assert.Equal(cells.Count, cells.Select(c => c.Code).Distinct().Count());
        Assert.Throws<ArgumentException>(() => GridCovering.CoverVolume(new Volume3D(v.Footprint, Altitude.Agl(0), Altitude.Agl(10)), 5));
    }

    [Fact]
    public void GriddedAirspace_StatusFromZonesCorridorsAndOverrides()
    {
        var t = new DateTimeOffset(2025, 6, 10, 0, 0, 0, TimeSpan.Zero);
        Zone closed = ZoneTestData.Zone("P", new CircleFootprint(new GeoPoint(106.70, 26.60), 200), ZoneRestriction.Prohibited);
        Zone auth = ZoneTestData.Zone("R", new CircleFootprint(new GeoPoint(106.72, 26.60), 200), ZoneRestriction.ReqAuthorisation);
        var corridor = new Corridor("C", "c", "a", "b", [new GeoPoint(106.74, 26.60), new GeoPoint(106.76, 26.60)], 60, Altitude.Agl(60), Altitude.Agl(120), CorridorDirection.OneWay, new SpeedBand(5, 15), 120);
        GriddedAirspace g = GriddedAirspace.Build(6, [closed, auth], [corridor], t);

        Assert.Equal(GridCellStatus.Closed, g.Describe(new GeoPoint(106.70, 26.60)).Status);
        Assert.Equal(0, g.Describe(new GeoPoint(106.70, 26.60)).CapacityPerHour);
        Assert.Equal(["P"], g.Describe(new GeoPoint(106.70, 26.60)).ZoneIds);
        Assert.Equal(GridCellStatus.Restricted, g.Describe(new GeoPoint(106.72, 26.60)).Status);
        GridCellInfo ci = g.Describe(new GeoPoint(106.75, 26.60));
        Assert.Equal((GridCellStatus.Open, 120), (ci.Status, ci.CapacityPerHour));
        Assert.Equal(["C"], ci.CorridorIds);
        Assert.Equal(30, g.Describe(new GeoPoint(106.80, 26.70)).CapacityPerHour);

        string code = BeiDouGrid.Locate(new GeoPoint(106.70, 26.60), 6).Code;
        GriddedAirspace g2 = g.WithOverrides([GridCellOverride.ForCode(code, GridCellStatus.Open, 5, "manager")]);
        Assert.Equal((GridCellStatus.Open, 5), g2.StateOf(BeiDouGrid.Locate(new GeoPoint(106.70, 26.60), 6).LonIndex, BeiDouGrid.Locate(new GeoPoint(106.70, 26.60), 6).LatIndex));
        Assert.Equal(GridCellStatus.Closed, g.Describe(new GeoPoint(106.70, 26.60)).Status); // the original is unchanged
    }

    [Fact]
    public void Corridor_ContainsAndFootprint_Agree()
    {
        var corridor = new Corridor("C", "c", "a", "b", [new GeoPoint(106.70, 26.60), new GeoPoint(106.72, 26.61), new GeoPoint(106.73, 26.60)], 80, Altitude.Agl(60), Altitude.Agl(120), CorridorDirection.TwoWay, new SpeedBand(5, 15), 60);
        var geo = new CorridorGeometry(corridor);
        Polygon fp = geo.FootprintPolygon(32);
        var rng = new Random(3);
        for (int i = 0; i < 2000; i++)
        {
            var p = new GeoPoint(106.695 + (rng.NextDouble() * 0.04), 26.595 + (rng.NextDouble() * 0.02));
            double d = geo.DistanceToCentreLineM(p);
            if (Math.Abs(d - 40) > 0.5)
            {
                Assert.Equal(d <= 40, new PolygonFootprint(fp).Contains(p));
            }
        }
    }

    [Fact]
    public void AirwayGraph_Validation_ReportsEachRule()
    {
        var a = new AirwayNode("A", "A", AirwayNodeKind.Vertiport, new GeoPoint(106.70, 26.60));
        var b = new AirwayNode("B", "B", AirwayNodeKind.Junction, new GeoPoint(106.71, 26.60));
        Corridor ok = new("C1", "c", "A", "B", [a.Position, b.Position], 50, Altitude.Agl(60), Altitude.Agl(120), CorridorDirection.OneWay, new SpeedBand(5, 15), 60);
        AirwayGraph g = AirwayGraph.Create([a, b], [ok]);
        Assert.Single(g.Outgoing("A"));
        Assert.Empty(g.Outgoing("B"));
        Assert.Equal("B", AirwayGraph.OtherEnd(ok, "A"));

        var errors = AirwayGraph.Validate([a, b, a],
        [
            ok with { Id = "C2", ToNodeId = "Z" },
            ok with { Id = "C3", WidthM = 0 },
            ok with { Id = "C4", CentreLine = [a.Position, a.Position, b.Position] },
            ok with { Id = "C5", Ceiling = Altitude.Agl(10) },
        ]);
        Assert.Contains(errors, e => e.Rule == "duplicate" && e.Field == "nodes[2].id");
        Assert.Contains(errors, e => e.Rule == "unknown-node" && e.Field == "corridors[0].toNodeId");
        Assert.Contains(errors, e => e.Rule == "width-not-positive" && e.Field == "corridors[1].widthM");
        Assert.Contains(errors, e => e.Rule == "zero-length" && e.Field == "corridors[2].centreLine[1]");
        Assert.Contains(errors, e => e.Rule == "ceiling-below-floor" && e.Field == "corridors[3].ceiling");
    }
}

public sealed class GridCellSummaryTests
{
    [Fact]
    public void EncodeDecode_StandardVector_RoundTrips()
    {
        // 39°59′35.38″N 116°18′45.37″E at level 8 is N50J47539B825534 (STANDARDS.md §1).
        var p = new GeoPoint(116 + (18 / 60.0) + (45.37 / 3600), 39 + (59 / 60.0) + (35.38 / 3600));
        GridCellSummary s = GridCellSummary.Encode(p, null, 8);
        Assert.Equal("N50J47539B825534", s.Code);
        Assert.Equal(s, GridCellSummary.Decode(s.Code));
        Assert.True(s.WestLonDeg <= p.LonDeg && p.LonDeg < s.EastLonDeg);
        GridCellSummary h = GridCellSummary.Encode(p, 120, 10);
        Assert.True(h.LowerHeightW84M <= 120 && 120 < h.UpperHeightW84M);
        Assert.Throws<GridCodeFormatException>(() => GridCellSummary.Decode("N50J4753Z"));
    }
}
