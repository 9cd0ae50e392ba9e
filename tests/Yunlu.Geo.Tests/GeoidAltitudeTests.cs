using CsCheck;

namespace Yunlu.Geo.Tests;

public sealed class GeoidAltitudeTests
{
    [Fact]
    public void Undulation_KnownNodes_MatchTheGrid()
    {
        Egm96Geoid g = Egm96Geoid.Instance;

        Assert.Equal(17.16, g.UndulationM(new GeoPoint(0, 0)), 1e-9);
        Assert.Equal(-28.8, g.UndulationM(new GeoPoint(106.75, 26.5)), 0.3);
        Assert.Equal(g.NodeUndulationM(254, 427), g.UndulationM(new GeoPoint(106.75, 26.5)), 1e-9);
        Assert.Same(g, Egm96Geoid.Instance);
    }

    [Fact]
    public void Undulation_Poles_AreConstantRows()
    {
        Egm96Geoid g = Egm96Geoid.Instance;
        double north = g.NodeUndulationM(0, 0);
        double south = g.NodeUndulationM(720, 0);

        Assert.Equal(north, g.UndulationM(new GeoPoint(123, 90)), 1e-9);
        Assert.Equal(south, g.UndulationM(new GeoPoint(-45, -90)), 1e-9);
        Assert.InRange(north, 13, 15);   // EGM96 at the north pole ≈ 13.6 m
        Assert.InRange(south, -31, -29); // and at the south pole ≈ −29.5 m
    }

    [Fact]
    public void Undulation_RandomPoints_BilinearBetweenNodesAndWrapsLongitude()
    {
        Egm96Geoid g = Egm96Geoid.Instance;
        Gen.Select(Gen.Int[0, 719], Gen.Int[0, 1439], Gen.Double[0, 1], Gen.Double[0, 1]).Sample((r, c, tx, ty) =>
        {
            int c1 = (c + 1) % 1440;
            double expected = ((1 - ty) * (((1 - tx) * g.NodeUndulationM(r, c)) + (tx * g.NodeUndulationM(r, c1)))) +
                (ty * (((1 - tx) * g.NodeUndulationM(r + 1, c)) + (tx * g.NodeUndulationM(r + 1, c1))));
            double lon = (c + tx) * 0.25;
            if (lon > 180)
            {
                lon -= 360;
            }

            double lat = 90 - ((r + ty) * 0.25);
            Assert.Equal(expected, g.UndulationM(new GeoPoint(lon, lat)), 1e-6);
        }, iter: 5_000);

        Assert.Equal(g.UndulationM(new GeoPoint(180, 12.3)), g.UndulationM(new GeoPoint(-180, 12.3)), 1e-9);
        Assert.Equal(g.UndulationM(new GeoPoint(-0.0001, 5)), g.UndulationM(new GeoPoint(0, 5)), 0.01);
    }

    [Fact]
    public void Undulation_InvalidPoint_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Egm96Geoid.Instance.UndulationM(new GeoPoint(0, double.NaN)));

    private sealed class FakeGround : IGroundElevation
    {
        public bool TryGetGroundAmslM(GeoPoint p, out double groundAmslM)
        {
            // A smooth synthetic terrain, with a hole (no data) west of 0°.
            groundAmslM = 1000 + (300 * Math.Sin(p.LonDeg * 3)) + (200 * Math.Cos(p.LatDeg * 5));
            return p.LonDeg >= 0;
        }
    }

    private sealed class ConstantGeoid(double n) : IGeoid
    {
        public double UndulationM(GeoPoint p) => n;
    }

    [Fact]
    public void Convert_AllNinePairs_RoundTripExactly()
    {
        var conv = new AltitudeConverter(Egm96Geoid.Instance, new FakeGround());
        AltitudeReference[] refs = [AltitudeReference.Agl, AltitudeReference.Amsl, AltitudeReference.W84];
        Gen.Select(Gen.Double[0, 180], Gen.Double[-89, 89], Gen.Double[-500, 10_000], Gen.Int[0, 2], Gen.Int[0, 2]).Sample((lon, lat, v, from, to) =>
        {
            var p = new GeoPoint(lon, lat);
            var a = new Altitude(v, refs[from]);
            Altitude b = conv.Convert(a, p, refs[to]);
            Altitude back = conv.Convert(b, p, refs[from]);

            Assert.Equal(refs[to], b.Reference);
            Assert.Equal(a.Reference, back.Reference);
            Assert.InRange(Math.Abs(back.ValueM - v), 0, 1e-9);

            // Through the third reference too.
            int via = 3 - from - to;
            if (via is >= 0 and <= 2 && via != from && via != to)
            {
                Altitude c = conv.Convert(conv.Convert(a, p, refs[via]), p, refs[to]);
                Assert.InRange(Math.Abs(c.ValueM - b.ValueM), 0, 1e-9);
            }
        }, iter: 10_000);
    }

    [Fact]
    public void Convert_KnownValues_FollowTheDefinitions()
    {
        var conv = new AltitudeConverter(new ConstantGeoid(-28.8), new FakeGround());
        var p = new GeoPoint(0, 0); // ground = 1000 + 0 + 200 = 1200 m AMSL

        Assert.Equal(Altitude.Amsl(1320), conv.Convert(Altitude.Agl(120), p, AltitudeReference.Amsl));
        Assert.Equal(1291.2, conv.Convert(Altitude.Agl(120), p, AltitudeReference.W84).ValueM, 1e-9);
        Assert.Equal(Altitude.Agl(-200), conv.Convert(Altitude.Amsl(1000), p, AltitudeReference.Agl));
        Assert.Equal(971.2, conv.Convert(Altitude.Amsl(1000), p, AltitudeReference.W84).ValueM, 1e-9);
        Assert.Equal(1028.8, conv.Convert(Altitude.W84(1000), p, AltitudeReference.Amsl).ValueM, 1e-9);
        Assert.Equal(Altitude.W84(5), conv.Convert(Altitude.W84(5), p, AltitudeReference.W84));
    }

    [Fact]
    public void Convert_AglWithoutGround_ThrowsOrReturnsFalse()
    {
        var noGround = new AltitudeConverter(Egm96Geoid.Instance, null);
        var holey = new AltitudeConverter(Egm96Geoid.Instance, new FakeGround());
        var p = new GeoPoint(-10, 10);

        InvalidOperationException ex = Assert.Throws<InvalidOperationException>(() => noGround.Convert(Altitude.Agl(50), p, AltitudeReference.W84));
        Assert.Contains("ground elevation", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => holey.Convert(Altitude.Amsl(50), p, AltitudeReference.Agl));
        Assert.False(holey.TryConvert(Altitude.Agl(50), p, AltitudeReference.Amsl, out _));
        Assert.True(noGround.TryConvert(Altitude.Amsl(50), p, AltitudeReference.W84, out Altitude w));
        Assert.Equal(50 + Egm96Geoid.Instance.UndulationM(p), w.ValueM, 1e-9);
        Assert.Equal(Altitude.Agl(50), noGround.Convert(Altitude.Agl(50), p, AltitudeReference.Agl));
    }
}
