namespace Yunlu.DemoGen;

/// <summary>
/// 2-D gradient ("Perlin") noise on an integer lattice with gradients picked by <see cref="LatticeHash"/> from eight
/// fixed unit vectors, quintic fade (Perlin 2002). Only +, −, ×, floor: bit-identical on every platform.
/// Output is in about [−1, 1].
/// </summary>
internal sealed class GradientNoise(ulong seed, ulong salt)
{
    private const double Diagonal = 0.70710678118654752;

    private static readonly double[] GradX = [1, -1, 0, 0, Diagonal, -Diagonal, Diagonal, -Diagonal];
    private static readonly double[] GradY = [0, 0, 1, -1, Diagonal, Diagonal, -Diagonal, -Diagonal];

    /// <summary>Noise at (<paramref name="x"/>, <paramref name="y"/>) in lattice units.</summary>
    public double At(double x, double y)
    {
        var fx = Math.Floor(x);
        var fy = Math.Floor(y);
        var ix = (long)fx;
        var iy = (long)fy;
        var tx = x - fx;
        var ty = y - fy;
        var n00 = Dot(ix, iy, tx, ty);
        var n10 = Dot(ix + 1, iy, tx - 1, ty);
        var n01 = Dot(ix, iy + 1, tx, ty - 1);
        var n11 = Dot(ix + 1, iy + 1, tx - 1, ty - 1);
        var u = Fade(tx);
        var v = Fade(ty);
        var a = n00 + u * (n10 - n00);
        var b = n01 + u * (n11 - n01);
        // Scaled so the typical range is about [-1, 1] (2-D Perlin peaks at sqrt(1/2)).
        return (a + v * (b - a)) * 1.4142135623730951;
    }

    /// <summary>Fractal sum of <paramref name="octaves"/> octaves (lacunarity 2, gain 0.5), normalised to about [−1, 1].</summary>
    public double Fbm(double x, double y, int octaves)
    {
        var sum = 0.0;
        var amplitude = 1.0;
        var norm = 0.0;
        for (var o = 0; o < octaves; o++)
        {
            // Offsets between octaves so their lattices do not line up at the origin.
            sum += amplitude * At(x + o * 17.31, y - o * 11.77);
            norm += amplitude;
            amplitude *= 0.5;
            x *= 2;
            y *= 2;
        }

        return sum / norm;
    }

    private double Dot(long ix, long iy, double dx, double dy)
    {
        var g = (int)(LatticeHash.Hash(seed, ix, iy, salt) & 7);
        return GradX[g] * dx + GradY[g] * dy;
    }

    private static double Fade(double t) => t * t * t * (t * (t * 6 - 15) + 10);
}

/// <summary>Small smooth helpers shared by the terrain and layout code (polynomials only).</summary>
internal static class Smooth
{
    /// <summary>Hermite smoothstep of <paramref name="x"/> between <paramref name="edge0"/> and <paramref name="edge1"/>.</summary>
    public static double Step(double edge0, double edge1, double x)
    {
        var t = (x - edge0) / (edge1 - edge0);
        if (t <= 0)
        {
            return 0;
        }

        if (t >= 1)
        {
            return 1;
        }

        return t * t * (3 - 2 * t);
    }

    /// <summary>Linear interpolation.</summary>
    public static double Lerp(double a, double b, double t) => a + (b - a) * t;
}
