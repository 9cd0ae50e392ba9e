using CsCheck;
using Yunlu.Supervision.Checks;

namespace Yunlu.Supervision.Tests;

public sealed class SeparationTests
{
    private static readonly SeparationMinima Drone = new(50, 15);
    private static readonly SeparationMinima Manned = new(500, 100);

    private static SeparationInput Random(int seed, int n, double areaM, double speedMps, double mannedShare)
    {
        var rng = new Random(seed);
        var s = new SeparationInput();
        s.Resize(n);
        for (int i = 0; i < n; i++)
        {
            double heading = rng.NextDouble() * 2 * Math.PI, speed = rng.NextDouble() * speedMps;
            s.Set(i, (rng.NextDouble() - 0.5) * areaM, (rng.NextDouble() - 0.5) * areaM, 1000 + (rng.NextDouble() * 120),
                speed * Math.Sin(heading), speed * Math.Cos(heading), (rng.NextDouble() - 0.5) * 4, rng.NextDouble() < mannedShare);
        }

        return s;
    }

    private static List<(int, int)> Sorted(List<ConflictPair> pairs)
    {
        var l = pairs.Select(p => (p.A, p.B)).ToList();
        l.Sort();
        return l;
    }

    [Fact]
    public void Detect_RandomTraffic_EqualsAllPairsReference()
    {
        Gen.Select(Gen.Int, Gen.Int[2, 600], Gen.Double[300, 20_000], Gen.Double[0, 40], Gen.Double[50, 3000], Gen.Double[2, 40]).Sample(t =>
        {
            (int seed, int n, double area, double speed, double cell, double slice) = t;
            SeparationInput s = Random(seed, n, area, speed, 0.05);
            var d = new SeparationDetector(Drone, Manned, 30, cell, slice);
            var grid = new List<ConflictPair>();
            var all = new List<ConflictPair>();
            d.Detect(s, grid);
            d.DetectAllPairs(s, all);
            Assert.Equal(Sorted(all), Sorted(grid));
            Assert.Equal(grid.Count, grid.Select(p => (p.A, p.B)).Distinct().Count());
            var hashed = new List<ConflictPair>();
            new SeparationDetector(Drone, Manned, 30, cell, slice) { HashOnly = true }.Detect(s, hashed);
            Assert.Equal(Sorted(all), Sorted(hashed));
        }, iter: 200);
    }

    [Fact]
    public void Detect_TrafficSpreadFarApart_FallsBackToHashAndStillEqualsReference()
    {
        // Two clusters 400 km apart: a dense grid over both would be mostly empty, so the hashed cells are used.
        SeparationInput s = Random(9, 800, 3000, 15, 0.02);
        for (int i = 0; i < 400; i++)
        {
            s.EastM[i] += 400_000;
            s.NorthM[i] += 300_000;
        }

        var d = new SeparationDetector(Drone, Manned, 30);
        var grid = new List<ConflictPair>();
        var all = new List<ConflictPair>();
        d.Detect(s, grid);
        d.DetectAllPairs(s, all);
        Assert.True(all.Count > 10, $"only {all.Count} conflicts");
        Assert.Equal(Sorted(all), Sorted(grid));
    }

    [Fact]
    public void Detect_TimeToLoss_BitIdenticalToReference()
    {
        SeparationInput s = Random(21, 3000, 4000, 20, 0.02);
        var d = new SeparationDetector(Drone, Manned, 30);
        var grid = new List<ConflictPair>();
        var all = new List<ConflictPair>();
        d.Detect(s, grid);
        d.DetectAllPairs(s, all);
        grid.Sort(static (x, y) => x.A != y.A ? x.A.CompareTo(y.A) : x.B.CompareTo(y.B));
        Assert.NotEmpty(all);
        Assert.Equal(all, grid);
    }

    [Fact]
    public void Detect_DenseTrafficWithConflicts_FindsSome()
    {
        SeparationInput s = Random(5, 2000, 3000, 15, 0.01);
        var d = new SeparationDetector(Drone, Manned, 30);
        var grid = new List<ConflictPair>();
        var all = new List<ConflictPair>();
        d.Detect(s, grid);
        d.DetectAllPairs(s, all);
        Assert.True(all.Count > 50, $"only {all.Count} conflicts: the test would prove little");
        Assert.Equal(Sorted(all), Sorted(grid));
    }

    [Fact]
    public void Conflicts_AgreesWithDenseTimeSampling()
    {
        // Brute force: sample t on a fine grid and look for a simultaneous horizontal and vertical loss.
        Gen.Select(Gen.Double[-400, 400], Gen.Double[-400, 400], Gen.Double[-60, 60], Gen.Double[-30, 30], Gen.Double[-30, 30], Gen.Double[-3, 3])
            .Sample(t => CheckAgainstSampling(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6), iter: 2000);
    }

    /// <summary>A pair exactly 15 m apart vertically closing at 7e-15 m/s, found by CsCheck: the detector takes rates
    /// under 1e-12 m/s as zero (the pair stays separated), and so must the reference.</summary>
    [Fact]
    public void Conflicts_VerticalRateBelowTinyOnTheMinimum_AgreesWithSampling() =>
        CheckAgainstSampling(-389, 54.62, -15, 25, -405d / 97, 7018E-18);

    private static void CheckAgainstSampling(double dx, double dy, double dz, double dvx, double dvy, double dvz)
    {
        bool exact = SeparationDetector.Conflicts(dx, dy, dz, dvx, dvy, dvz, Drone, 30, out double tl);

        // The detector's model: a closing rate under 1e-12 m/s (horizontal: speed² under 1e-12) does not move the pair.
        (dvx, dvy) = (dvx * dvx) + (dvy * dvy) < 1e-12 ? (0, 0) : (dvx, dvy);
        dvz = Math.Abs(dvz) < 1e-12 ? 0 : dvz;
        double firstSampled = double.NaN;
        for (int k = 0; k <= 30_000; k++)
        {
            double s = k * 0.001;
            double x = dx + (dvx * s), y = dy + (dvy * s), z = dz + (dvz * s);
            if ((x * x) + (y * y) < 2500 && Math.Abs(z) < 15)
            {
                firstSampled = s;
                break;
            }
        }

        if (!double.IsNaN(firstSampled))
        {
            Assert.True(exact, $"sampling finds a loss at {firstSampled} s");
            Assert.InRange(tl, firstSampled - 0.0011, firstSampled + 1e-9);
        }
        else if (exact)
        {
            // A loss shorter than the sampling step: the exact interval must then be tiny.
            Assert.True(tl <= 30, "loss beyond the look-ahead");
        }
    }

    [Fact]
    public void Conflicts_HeadOn_LossTimeIsClosedForm()
    {
        Assert.True(SeparationDetector.Conflicts(1000, 0, 0, -20, 0, 0, Drone, 60, out double t));
        Assert.Equal(47.5, t, 9);
        Assert.False(SeparationDetector.Conflicts(1000, 0, 0, -20, 0, 0, Drone, 47.4, out _));
    }

    [Fact]
    public void Conflicts_VerticallySeparated_NoConflict()
    {
        Assert.False(SeparationDetector.Conflicts(0, 0, 20, 0, 0, 0, Drone, 30, out _));
        Assert.True(SeparationDetector.Conflicts(0, 0, 20, 0, 0, -1, Drone, 30, out double t));
        Assert.Equal(5, t, 9);
    }

    [Fact]
    public void Detect_TwoMannedAircraft_AreNotChecked()
    {
        var s = new SeparationInput();
        s.Resize(2);
        s.Set(0, 0, 0, 1000, 0, 0, 0, manned: true);
        s.Set(1, 10, 0, 1000, 0, 0, 0, manned: true);
        var d = new SeparationDetector(Drone, Manned, 30);
        var r = new List<ConflictPair>();
        d.Detect(s, r);
        Assert.Empty(r);
    }

    [Fact]
    public void Detect_DroneNearManned_UsesMannedMinima()
    {
        var s = new SeparationInput();
        s.Resize(2);
        s.Set(0, 0, 0, 1000, 0, 0, 0, manned: false);
        s.Set(1, 300, 0, 1050, 0, 0, 0, manned: true);
        var d = new SeparationDetector(Drone, Manned, 30);
        var r = new List<ConflictPair>();
        d.Detect(s, r);
        Assert.Single(r);
        Assert.Equal(0, r[0].TimeToLossS);
    }

    [Fact]
    public void Constructor_NonPositiveMinima_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeparationDetector(new SeparationMinima(0, 15), Manned, 30));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeparationDetector(Drone, Manned, double.NaN));
    }
}
