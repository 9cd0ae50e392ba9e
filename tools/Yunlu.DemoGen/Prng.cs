namespace Yunlu.DemoGen;

/// <summary>
/// PCG32 (XSH-RR 64/32, O'Neill 2014, pcg-random.org): a small seeded generator written out here so the demo data
/// are identical on every .NET version and platform (System.Random's seeded algorithm is not a documented contract).
/// Integer arithmetic only.
/// </summary>
internal sealed class Pcg32
{
    private const ulong Multiplier = 6364136223846793005UL;
    private ulong _state;
    private readonly ulong _increment;

    /// <summary>Creates a generator for <paramref name="seed"/> on stream <paramref name="stream"/>.</summary>
    public Pcg32(ulong seed, ulong stream)
    {
        _increment = (stream << 1) | 1UL;
        _state = 0;
        NextUInt();
        _state += seed;
        NextUInt();
    }

    /// <summary>The next 32 random bits.</summary>
    public uint NextUInt()
    {
        var old = _state;
        _state = unchecked(old * Multiplier + _increment);
        var xorShifted = (uint)(((old >> 18) ^ old) >> 27);
        var rot = (int)(old >> 59);
        return (xorShifted >> rot) | (xorShifted << ((-rot) & 31));
    }

    /// <summary>A double in [0, 1) with 32 random bits (exact: k / 2^32).</summary>
    public double NextDouble() => NextUInt() * (1.0 / 4294967296.0);

    /// <summary>A double in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Range(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="maxExclusive"/>) (Lemire-free modulo: the bias,
    /// below 2^-24 for the small ranges used here, does not matter for demo data).</summary>
    public int Next(int min, int maxExclusive) => min + (int)(NextUInt() % (uint)(maxExclusive - min));

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;
}

/// <summary>Stateless hashing of lattice coordinates (SplitMix64 finaliser, Steele et al. 2014) for noise and
/// jittered-grid feature placement: the same (seed, i, j, k) always gives the same bits.</summary>
internal static class LatticeHash
{
    /// <summary>64 well-mixed bits for a lattice point.</summary>
    public static ulong Hash(ulong seed, long i, long j, ulong salt)
    {
        unchecked
        {
            var z = seed ^ (salt * 0xD6E8FEB86659FD93UL);
            z += (ulong)i * 0x9E3779B97F4A7C15UL;
            z = Mix(z);
            z += (ulong)j * 0xC2B2AE3D27D4EB4FUL;
            return Mix(z);
        }
    }

    /// <summary>The SplitMix64 finaliser.</summary>
    public static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>The <paramref name="index"/>-th uniform double in [0, 1) derived from <paramref name="h"/>
    /// (index 0..3: 16 bits each would be too coarse, so each draw re-mixes).</summary>
    public static double Unit(ulong h, int index) => (Mix(h + (ulong)index * 0x9E3779B97F4A7C15UL) >> 11) * (1.0 / 9007199254740992.0);
}
