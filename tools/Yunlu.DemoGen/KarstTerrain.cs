using Yunlu.Geo;

namespace Yunlu.DemoGen;

/// <summary>
/// A SYNTHETIC but plausible karst landscape for the Guiyang region, as a pure function of position (m AMSL).
/// <para>Procedure (all seeded, integer-hash based, polynomial only, so every platform gives the same numbers):</para>
/// <list type="number">
/// <item>Plateau: 1 125 m + 95 m × fBm (4 octaves, 16 km), +110 m rise to the west (Gui'an, Jinyang), −55 m bowl
/// around the old city, −90 m fall to the north-east.</item>
/// <item>Cone karst (峰丛/峰林): one cone per 620 m jittered-grid cell (75 % of cells), 45–200 m high, radius
/// 220–420 m, profile 1 − smoothstep(d/R); overlapping cones share a raised base (max + 0.35 × rest). Cone height is
/// scaled by a 7 km fBm "karst density" mask and suppressed in towns, near rivers, lakes and the airfield.</item>
/// <item>Dolines (漏斗/洼地): one per 800 m cell with probability 0.45 × density, 12–42 m deep, radius 60–170 m.</item>
/// <item>Qianling Mountain (黔灵山) as an explicit 260 m massif; 5 m of 350 m-scale roughness everywhere.</item>
/// <item>Rivers (Nanming, Maotiao) carve valleys to their water level (nominal levels clamped 12 m below the
/// plateau and made monotone downstream); lakes are flat at 10 m below the plateau at their centre.</item>
/// <item>The Longdongbao airfield (4 000 × 900 m, along runway 02/20) is levelled to exactly 1 140 m and blended into
/// the surroundings over 700 m.</item>
/// </list>
/// </summary>
internal sealed class KarstTerrain
{
    private const double ConeCellM = 620, DolineCellM = 800;
    private const double UrbanMarginM = 300, UrbanBlendM = 700;

    private readonly ulong _seed;
    private readonly GradientNoise _plateau;
    private readonly GradientNoise _density;
    private readonly GradientNoise _rough;
    private readonly RiverGeometry[] _rivers;
    private readonly LakeGeometry[] _lakes;
    private readonly double _qianlingX, _qianlingY;
    private readonly double _airportX, _airportY;
    private readonly double _basinX, _basinY;
    private readonly DistrictGeometry[] _districts;

    public KarstTerrain(ulong seed)
    {
        _seed = seed;
        _plateau = new GradientNoise(seed, 1);
        _density = new GradientNoise(seed, 2);
        _rough = new GradientNoise(seed, 3);
        _qianlingX = LocalFrame.X(Guiyang.QianlingPeak.LonDeg);
        _qianlingY = LocalFrame.Y(Guiyang.QianlingPeak.LatDeg);
        _airportX = LocalFrame.X(Guiyang.Airport.LonDeg);
        _airportY = LocalFrame.Y(Guiyang.Airport.LatDeg);
        _basinX = LocalFrame.X(Guiyang.OldCity.Center.LonDeg);
        _basinY = LocalFrame.Y(Guiyang.OldCity.Center.LatDeg);
        _districts = Array.ConvertAll(Guiyang.Districts, d => new DistrictGeometry(d));
        _rivers = [new RiverGeometry(Guiyang.Nanming, Plateau), new RiverGeometry(Guiyang.Maotiao, Plateau)];
        _lakes = Array.ConvertAll(Guiyang.Lakes, l => new LakeGeometry(l, Plateau));
    }

    /// <summary>Ground height (m AMSL, EGM96 sense) at a position.</summary>
    public double HeightM(double lonDeg, double latDeg) => HeightAt(LocalFrame.X(lonDeg), LocalFrame.Y(latDeg));

    /// <summary>Ground height (m AMSL) at local metres.</summary>
    public double HeightAt(double x, double y)
    {
        var h = Plateau(x, y);

        // Nearest point of each river, found once and used both to damp the karst and to carve the valley.
        Span<double> riverD = stackalloc double[_rivers.Length];
        Span<double> riverLevel = stackalloc double[_rivers.Length];
        for (var r = 0; r < _rivers.Length; r++)
        {
            (riverD[r], riverLevel[r]) = _rivers[r].Nearest(x, y);
        }

        var density = Smooth.Step(-0.35, 0.35, _density.Fbm(x / 7000, y / 7000, 3));
        var keep = Suppression(x, y, riverD);
        if (keep > 0)
        {
            h += Cones(x, y) * (0.3 + 0.7 * density) * keep;
            h -= Dolines(x, y, density) * keep;
        }

        h += 5 * _rough.Fbm(x / 350, y / 350, 2) * (0.5 + 0.5 * keep);

        var dq = Math.Sqrt(Sq(x - _qianlingX) + Sq(y - _qianlingY));
        if (dq < 1300)
        {
            h += 260 * (1 - Smooth.Step(0, 1300, dq));
        }

        for (var r = 0; r < _rivers.Length; r++)
        {
            if (riverD[r] < _rivers[r].HalfWidthM + 60)
            {
                h = Math.Min(h, Smooth.Lerp(riverLevel[r], h, Smooth.Step(60, 60 + _rivers[r].HalfWidthM, riverD[r])));
            }
        }

        foreach (var lake in _lakes)
        {
            var e = lake.Normalised(x, y);
            if (e < 1.35)
            {
                h = Math.Min(h, Smooth.Lerp(lake.LevelM, h, Smooth.Step(1.0, 1.35, e)));
            }
        }

        var dAirfield = AirfieldDistance(x, y);
        if (dAirfield < 700)
        {
            h = Smooth.Lerp(Guiyang.AirportElevationM, h, Smooth.Step(0, 700, dAirfield));
        }

        return h;
    }

    /// <summary>True inside a lake or within 40 m of a river's centre line.</summary>
    public bool IsWater(double x, double y)
    {
        foreach (var river in _rivers)
        {
            if (river.Nearest(x, y).DistanceM < 40)
            {
                return true;
            }
        }

        foreach (var lake in _lakes)
        {
            if (lake.Normalised(x, y) < 1.0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Distance (m) outside the levelled airfield rectangle; 0 inside.</summary>
    public double AirfieldDistance(double x, double y)
    {
        var dx = x - _airportX;
        var dy = y - _airportY;
        var along = dx * Guiyang.RunwayDirEast + dy * Guiyang.RunwayDirNorth;
        var across = dx * Guiyang.RunwayDirNorth - dy * Guiyang.RunwayDirEast;
        var ox = Math.Max(Math.Abs(along) - Guiyang.AirfieldHalfLengthM, 0);
        var oy = Math.Max(Math.Abs(across) - Guiyang.AirfieldHalfWidthM, 0);
        return Math.Sqrt(ox * ox + oy * oy);
    }

    private double Plateau(double x, double y)
    {
        var h = 1125 + 95 * _plateau.Fbm(x / 16000, y / 16000, 4);
        h += 110 * Smooth.Step(8000, -14000, x);
        var db = Math.Sqrt(Sq(x - _basinX) + Sq(y - _basinY));
        h -= 55 * (1 - Smooth.Step(0, 5000, db));
        h -= 90 * Smooth.Step(5000, 30000, 0.6 * x + 0.8 * y);
        return h;
    }

    /// <summary>1 where karst relief is free to form, falling towards 0 in towns, on the airfield, by water.</summary>
    private double Suppression(double x, double y, ReadOnlySpan<double> riverD)
    {
        var keep = 1.0;
        foreach (var d in _districts)
        {
            var outside = d.OutsideDistance(x, y);
            keep = Math.Min(keep, 0.12 + 0.88 * Smooth.Step(UrbanMarginM, UrbanMarginM + UrbanBlendM, outside));
        }

        keep = Math.Min(keep, Smooth.Step(300, 1500, AirfieldDistance(x, y)));
        foreach (var d in riverD)
        {
            keep = Math.Min(keep, Smooth.Step(120, 600, d));
        }

        foreach (var lake in _lakes)
        {
            keep = Math.Min(keep, Smooth.Step(1.0, 1.5, lake.Normalised(x, y)));
        }

        return keep;
    }

    private double Cones(double x, double y)
    {
        var ci = (long)Math.Floor(x / ConeCellM);
        var cj = (long)Math.Floor(y / ConeCellM);
        double max = 0, sum = 0;
        for (var j = cj - 1; j <= cj + 1; j++)
        {
            for (var i = ci - 1; i <= ci + 1; i++)
            {
                var hash = LatticeHash.Hash(_seed, i, j, 101);
                if (LatticeHash.Unit(hash, 0) >= 0.75)
                {
                    continue;
                }

                var cx = (i + 0.15 + 0.7 * LatticeHash.Unit(hash, 1)) * ConeCellM;
                var cy = (j + 0.15 + 0.7 * LatticeHash.Unit(hash, 2)) * ConeCellM;
                var r3 = LatticeHash.Unit(hash, 3);
                var heightM = 45 + 155 * r3 * r3;
                var radiusM = 220 + 200 * LatticeHash.Unit(hash, 4);
                var d2 = Sq(x - cx) + Sq(y - cy);
                if (d2 >= radiusM * radiusM)
                {
                    continue;
                }

                var v = heightM * (1 - Smooth.Step(0, 1, Math.Sqrt(d2) / radiusM));
                sum += v;
                max = Math.Max(max, v);
            }
        }

        return max + 0.35 * (sum - max);
    }

    private double Dolines(double x, double y, double density)
    {
        var ci = (long)Math.Floor(x / DolineCellM);
        var cj = (long)Math.Floor(y / DolineCellM);
        double deepest = 0;
        for (var j = cj - 1; j <= cj + 1; j++)
        {
            for (var i = ci - 1; i <= ci + 1; i++)
            {
                var hash = LatticeHash.Hash(_seed, i, j, 202);
                if (LatticeHash.Unit(hash, 0) >= 0.45 * density)
                {
                    continue;
                }

                var cx = (i + 0.2 + 0.6 * LatticeHash.Unit(hash, 1)) * DolineCellM;
                var cy = (j + 0.2 + 0.6 * LatticeHash.Unit(hash, 2)) * DolineCellM;
                var depthM = 12 + 30 * LatticeHash.Unit(hash, 3);
                var radiusM = 60 + 110 * LatticeHash.Unit(hash, 4);
                var d2 = Sq(x - cx) + Sq(y - cy);
                if (d2 >= radiusM * radiusM)
                {
                    continue;
                }

                deepest = Math.Max(deepest, depthM * (1 - Smooth.Step(0, 1, Math.Sqrt(d2) / radiusM)));
            }
        }

        return deepest;
    }

    private static double Sq(double v) => v * v;

    private sealed class RiverGeometry
    {
        private readonly double[] _x, _y, _level;

        public RiverGeometry(River river, Func<double, double, double> plateau)
        {
            HalfWidthM = river.ValleyHalfWidthM;
            var n = river.Course.Length;
            if (river.NominalLevelM.Length != n || n < 2)
            {
                throw new ArgumentException($"river {river.Name}: one nominal level per course vertex, at least two", nameof(river));
            }

            _x = new double[n];
            _y = new double[n];
            _level = new double[n];
            for (var k = 0; k < n; k++)
            {
                _x[k] = LocalFrame.X(river.Course[k].LonDeg);
                _y[k] = LocalFrame.Y(river.Course[k].LatDeg);
                var level = Math.Min(river.NominalLevelM[k], plateau(_x[k], _y[k]) - 12);
                _level[k] = k == 0 ? level : Math.Min(level, _level[k - 1] - 0.5);
            }
        }

        public double HalfWidthM { get; }

        /// <summary>Distance to the centre line and the water level at the nearest point.</summary>
        public (double DistanceM, double LevelM) Nearest(double x, double y)
        {
            var best = double.MaxValue;
            var level = _level[0];
            for (var k = 0; k + 1 < _x.Length; k++)
            {
                var ex = _x[k + 1] - _x[k];
                var ey = _y[k + 1] - _y[k];
                var t = ((x - _x[k]) * ex + (y - _y[k]) * ey) / (ex * ex + ey * ey);
                t = t < 0 ? 0 : t > 1 ? 1 : t;
                var px = _x[k] + t * ex - x;
                var py = _y[k] + t * ey - y;
                var d2 = px * px + py * py;
                if (d2 < best)
                {
                    best = d2;
                    level = _level[k] + t * (_level[k + 1] - _level[k]);
                }
            }

            return (Math.Sqrt(best), level);
        }
    }

    private sealed class LakeGeometry(Lake lake, Func<double, double, double> plateau)
    {
        private readonly double _cx = LocalFrame.X(lake.Center.LonDeg);
        private readonly double _cy = LocalFrame.Y(lake.Center.LatDeg);

        public double LevelM { get; } = Math.Round(plateau(LocalFrame.X(lake.Center.LonDeg), LocalFrame.Y(lake.Center.LatDeg)) - 10);

        public double Normalised(double x, double y) =>
            Math.Sqrt(Sq((x - _cx) / lake.RadiusEastM) + Sq((y - _cy) / lake.RadiusNorthM));
    }

    /// <summary>A district's rotated rectangle in local metres.</summary>
    internal sealed class DistrictGeometry(District district)
    {
        private readonly double _cx = LocalFrame.X(district.Center.LonDeg);
        private readonly double _cy = LocalFrame.Y(district.Center.LatDeg);

        public District District { get; } = district;

        /// <summary>Euclidean distance (m) outside the rectangle; 0 inside.</summary>
        public double OutsideDistance(double x, double y)
        {
            var (u, v) = District.Rotation.Unapply(x - _cx, y - _cy);
            var ou = Math.Max(Math.Abs(u) - District.HalfWidthM, 0);
            var ov = Math.Max(Math.Abs(v) - District.HalfHeightM, 0);
            return Math.Sqrt(ou * ou + ov * ov);
        }

        public (double X, double Y) ToLocal(double u, double v)
        {
            var (dx, dy) = District.Rotation.Apply(u, v);
            return (_cx + dx, _cy + dy);
        }
    }
}
