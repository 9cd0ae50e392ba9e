using Yunlu.Geo;

namespace Yunlu.Airspace.Operations;

/// <summary>
/// Lock keys for booking: one 64-bit key per (grid, lon cell, lat cell, time bucket) a volume's box and window
/// cover. Two volumes that share a point share at least one key (the cell-bucket containing the point), so
/// serialising on keys serialises every pair that could conflict. The same keys name the PostgreSQL advisory locks
/// (<see cref="BookingSql"/>), so two servers serialise on them too.
/// </summary>
public static class LockKeys
{
    /// <summary>Most keys one intent takes before it falls back to the global key.</summary>
    public const int MaxKeysPerIntent = 4096;

    /// <summary>The key every booking takes in shared mode and an intent with too many keys (or crossing the
    /// antimeridian) takes exclusively.</summary>
    public const long GlobalKey = long.MinValue;

    private static readonly long EpochTicks = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    /// <summary>Adds the keys of the cells of <paramref name="cellDeg"/> degrees × buckets of
    /// <paramref name="bucket"/> covering <paramref name="bounds"/> × <paramref name="window"/>.</summary>
    /// <param name="bounds">The box.</param>
    /// <param name="window">The window.</param>
    /// <param name="cellDeg">Cell edge, degrees.</param>
    /// <param name="bucket">Bucket length.</param>
    /// <param name="keys">Receives the keys.</param>
    /// <param name="salt">Distinguishes grids (0 for the booking grid, the capacity level for capacity cells).</param>
    /// <returns>False when the box crosses the antimeridian or more than <see cref="MaxKeysPerIntent"/> keys would
    /// be needed (the caller then takes <see cref="GlobalKey"/>).</returns>
    public static bool AddCells(GeoBounds bounds, TimeWindow window, double cellDeg, TimeSpan bucket, HashSet<long> keys, int salt)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (bounds.WestLonDeg < -180 || bounds.EastLonDeg > 180)
        {
            return false;
        }

        long x0 = (long)Math.Floor((bounds.WestLonDeg + 180) / cellDeg), x1 = (long)Math.Floor((bounds.EastLonDeg + 180) / cellDeg);
        long y0 = (long)Math.Floor((bounds.SouthLatDeg + 90) / cellDeg), y1 = (long)Math.Floor((bounds.NorthLatDeg + 90) / cellDeg);
        long t0 = FloorDiv(window.Start.UtcTicks - EpochTicks, bucket.Ticks), t1 = FloorDiv(window.End.UtcTicks - 1 - EpochTicks, bucket.Ticks);
        if ((double)(x1 - x0 + 1) * (y1 - y0 + 1) * (t1 - t0 + 1) + keys.Count > MaxKeysPerIntent)
        {
            return false;
        }

        for (long t = t0; t <= t1; t++)
        {
            for (long y = y0; y <= y1; y++)
            {
                for (long x = x0; x <= x1; x++)
                {
                    keys.Add(Mix(salt, x, y, t));
                }
            }
        }

        return true;
    }

    /// <summary>A well-spread 64-bit key of a cell-bucket (never <see cref="GlobalKey"/>).</summary>
    /// <param name="salt">Grid.</param>
    /// <param name="x">Lon cell.</param>
    /// <param name="y">Lat cell.</param>
    /// <param name="t">Time bucket.</param>
    public static long Mix(int salt, long x, long y, long t)
    {
        ulong h = 0x9E3779B97F4A7C15UL * (ulong)(salt + 1);
        h = (h ^ (ulong)x) * 0xBF58476D1CE4E5B9UL;
        h = (h ^ (ulong)y) * 0x94D049BB133111EBUL;
        h = (h ^ (ulong)t) * 0xBF58476D1CE4E5B9UL;
        h ^= h >> 31;
        long k = (long)h;
        return k == GlobalKey ? k + 1 : k;
    }

    private static long FloorDiv(long a, long b)
    {
        long q = a / b;
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
    }
}
