using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Yunlu.Geo.Grid;

/// <summary>
/// The BeiDou grid location code (北斗网格位置码, GB/T 39409-2020): exact 2-D encoding and decoding for levels 1–10 and
/// the 3-D code with its height part.
/// </summary>
/// <remarks>
/// <para>Arithmetic is done in integers of 1/2048″ (7 372 800 units per degree) on |lon| and |lat|, so southern and
/// western codes mirror northern and eastern ones and a point on a cell boundary belongs to the cell farther from the
/// equator / prime meridian. Degrees are converted with floor, except that values within 1e-6 unit (≈ 15 nm) of an
/// integer snap to it, so decoded corners re-encode to the same cell. Polar caps (|lat| ≥ 88°) are not supported.
/// Frame: CGCS2000 ≈ WGS84; height is ellipsoidal (convert AMSL/AGL first with <see cref="AltitudeConverter"/>).</para>
/// <para>Height layers: n = floor((θ0/θ)·log_(1+θ0)((H + r0)/r0)), θ0 = π/180, θ0/θ = 7 372 800, r0 = 6 378 137 m,
/// stored sign-magnitude in 31 bits (a0 = 1 for negative heights). For negative heights the magnitude is
/// floor(|value|) — the same mirror rule as for lon/lat — so layer "sign 1, magnitude 0" lies just below the
/// ellipsoid and every layer code is used. a5/a6 may be <c>F</c> (real heights produce it; the standard's table says
/// 0–E).</para>
/// <para>3-D codes are emitted in the standard's interleaved 32-character form; the form that appends the 12 height
/// characters after the 20 2-D characters (used by one npm package) is accepted on input only.</para>
/// <para>Encode and <see cref="TryDecode"/> are allocation-free; see docs/benchmarks/geo.md for throughput.</para>
/// </remarks>
public static partial class BeiDouGrid
{
    /// <summary>Integer units (1/2048″) per degree.</summary>
    public const int UnitsPerDegree = 7_372_800;

    /// <summary>The coarsest level with cells (1:1 000 000 map sheet, 6° × 4°).</summary>
    public const int MinLevel = 1;

    /// <summary>The finest level (1/2048″ ≈ 1.5 cm).</summary>
    public const int MaxLevel = 10;

    /// <summary>Maximum length of a 2-D code (level 10).</summary>
    public const int MaxLength2D = 20;

    /// <summary>Maximum length of a 3-D code (level 10).</summary>
    public const int MaxLength3D = 32;

    /// <summary>Highest supported |latitude| in degrees (exclusive).</summary>
    public const double MaxAbsLatDeg = 88.0;

    /// <summary>r0 of the height formula: the WGS84/CGCS2000 equatorial radius, metres.</summary>
    public const double HeightR0M = 6_378_137.0;

    internal const int MaxLonUnits = 180 * UnitsPerDegree;
    internal const int MaxLatUnits = 88 * UnitsPerDegree;
    private const double SnapToleranceUnits = 1e-6;
    private const string Hex = "0123456789ABCDEF";

    // Per level (index 1..10): cell size in units, split ratio from the parent, height bits below the level.
    internal static ReadOnlySpan<int> LonSize => [0, 44_236_800, 3_686_400, 1_843_200, 122_880, 8_192, 4_096, 512, 64, 8, 1];
    internal static ReadOnlySpan<int> LatSize => [0, 29_491_200, 3_686_400, 1_228_800, 122_880, 8_192, 4_096, 512, 64, 8, 1];
    internal static ReadOnlySpan<int> HeightShift => [31, 25, 22, 21, 17, 13, 12, 9, 6, 3, 0];
    private static ReadOnlySpan<byte> Len2D => [1, 4, 6, 7, 9, 11, 12, 14, 16, 18, 20];
    private static ReadOnlySpan<byte> Len3D => [2, 7, 10, 12, 15, 18, 20, 23, 26, 29, 32];
    private static ReadOnlySpan<byte> HeightCharsAtLevel => [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

    // Where the 2-D characters (0..19) and height characters a0..a11 sit in the interleaved 3-D code.
    private static ReadOnlySpan<byte> Interleaved2DPos => [0, 2, 3, 4, 7, 8, 10, 12, 13, 15, 16, 18, 20, 21, 23, 24, 26, 27, 29, 30];
    private static ReadOnlySpan<byte> InterleavedHPos => [1, 5, 6, 9, 11, 14, 17, 19, 22, 25, 28, 31];
    private static ReadOnlySpan<byte> Identity2DPos => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
    private static ReadOnlySpan<byte> AppendedHPos => [20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31];

    // Largest digit per level for the two-character levels (index = level).
    private static ReadOnlySpan<byte> LonDigitMax => [0, 0, 11, 0, 14, 14, 0, 7, 7, 7, 7];
    private static ReadOnlySpan<byte> LatDigitMax => [0, 0, 7, 0, 9, 14, 0, 7, 7, 7, 7];

    private static readonly string[] LonDigitRules =
    [
        "", "", "level 2 longitude digit must be 0-B", "", "level 4 longitude digit must be 0-E", "level 5 longitude digit must be 0-E", "",
        "level 7 longitude digit must be 0-7", "level 8 longitude digit must be 0-7", "level 9 longitude digit must be 0-7", "level 10 longitude digit must be 0-7",
    ];

    private static readonly string[] LatDigitRules =
    [
        "", "", "level 2 latitude digit must be 0-7", "", "level 4 latitude digit must be 0-9", "level 5 latitude digit must be 0-E", "",
        "level 7 latitude digit must be 0-7", "level 8 latitude digit must be 0-7", "level 9 latitude digit must be 0-7", "level 10 latitude digit must be 0-7",
    ];

    // Height characters a0…a11: radix and bit shift (a1a2 is read as one two-digit decimal at index 1).
    private static ReadOnlySpan<byte> HeightRadix => [2, 10, 10, 8, 2, 16, 16, 2, 8, 8, 8, 8];
    private static ReadOnlySpan<byte> HeightBitShift => [0, 25, 25, 22, 21, 17, 13, 12, 9, 6, 3, 0];

    private static readonly string[] HeightRules =
    [
        "height sign a0 must be 0 or 1", "height a1a2 must be two decimal digits 00-63", "height a1a2 must be two decimal digits 00-63",
        "height a3 must be 0-7", "height a4 must be 0 or 1", "height a5 must be 0-F", "height a6 must be 0-F", "height a7 must be 0 or 1",
        "height a8 must be 0-7", "height a9 must be 0-7", "height a10 must be 0-7", "height a11 must be 0-7",
    ];

    /// <summary>(θ0/θ) / ln(1 + θ0): layers per unit of ln((H + r0)/r0).</summary>
    private static readonly double LayersPerLog = UnitsPerDegree / Math.Log(1 + (Math.PI / 180));

    /// <summary>Length of a 2-D code at <paramref name="level"/> (0–10).</summary>
    /// <param name="level">The level.</param>
    public static int CodeLength2D(int level)
    {
        CheckLevel(level, 0);
        return Len2D[level];
    }

    /// <summary>Length of an interleaved 3-D code at <paramref name="level"/> (0–10).</summary>
    /// <param name="level">The level.</param>
    public static int CodeLength3D(int level)
    {
        CheckLevel(level, 0);
        return Len3D[level];
    }

    /// <summary>The 2-D code of the level-<paramref name="level"/> cell containing <paramref name="p"/>.</summary>
    /// <param name="p">Position (CGCS2000 ≈ WGS84 lon/lat degrees, |lat| &lt; 88°).</param>
    /// <param name="level">Level 1–10.</param>
    public static string Encode(GeoPoint p, int level = MaxLevel)
    {
        Span<char> buf = stackalloc char[MaxLength2D];
        CheckLevel(level, MinLevel);
        CheckPoint(p);
        int n = Write2D(buf, level, p.LatDeg >= 0, p.LonDeg >= 0, LonUnits(p.LonDeg), LatUnits(p.LatDeg));
        return new string(buf[..n]);
    }

    /// <summary>Writes the 2-D code of the cell containing <paramref name="p"/> without allocating.</summary>
    /// <param name="p">Position (|lat| &lt; 88°).</param>
    /// <param name="level">Level 1–10.</param>
    /// <param name="destination">Receives the code (needs <see cref="CodeLength2D"/> characters).</param>
    /// <param name="charsWritten">Characters written.</param>
    /// <returns>False when the point is invalid or polar, the level out of range, or the destination too short.</returns>
    public static bool TryEncode(GeoPoint p, int level, Span<char> destination, out int charsWritten)
    {
        charsWritten = 0;
        if ((uint)(level - MinLevel) > MaxLevel - MinLevel || !IsEncodable(p) || destination.Length < Len2D[level])
        {
            return false;
        }

        charsWritten = Write2D(destination, level, p.LatDeg >= 0, p.LonDeg >= 0, LonUnits(p.LonDeg), LatUnits(p.LatDeg));
        return true;
    }

    /// <summary>The interleaved 3-D code (32 characters at level 10) of the cell containing the point and height.</summary>
    /// <param name="p">Position (|lat| &lt; 88°).</param>
    /// <param name="heightW84M">Ellipsoidal height, metres (&gt; −r0).</param>
    /// <param name="level">Level 1–10.</param>
    public static string Encode3D(GeoPoint p, double heightW84M, int level = MaxLevel)
    {
        Span<char> buf = stackalloc char[MaxLength3D];
        CheckLevel(level, MinLevel);
        CheckPoint(p);
        long layer = HeightLayer(heightW84M);
        int n = Write3D(buf, level, p.LatDeg >= 0, p.LonDeg >= 0, LonUnits(p.LonDeg), LatUnits(p.LatDeg), layer);
        return new string(buf[..n]);
    }

    /// <summary>Writes the interleaved 3-D code without allocating.</summary>
    /// <param name="p">Position (|lat| &lt; 88°).</param>
    /// <param name="heightW84M">Ellipsoidal height, metres.</param>
    /// <param name="level">Level 1–10.</param>
    /// <param name="destination">Receives the code (needs <see cref="CodeLength3D"/> characters).</param>
    /// <param name="charsWritten">Characters written.</param>
    /// <returns>False on invalid input or a short destination.</returns>
    public static bool TryEncode3D(GeoPoint p, double heightW84M, int level, Span<char> destination, out int charsWritten)
    {
        charsWritten = 0;
        if ((uint)(level - MinLevel) > MaxLevel - MinLevel || !IsEncodable(p) || destination.Length < Len3D[level] ||
            !TryHeightLayer(heightW84M, out long layer))
        {
            return false;
        }

        charsWritten = Write3D(destination, level, p.LatDeg >= 0, p.LonDeg >= 0, LonUnits(p.LonDeg), LatUnits(p.LatDeg), layer);
        return true;
    }

    /// <summary>The level-<paramref name="level"/> 2-D cell containing <paramref name="p"/>.</summary>
    /// <param name="p">Position (|lat| &lt; 88°).</param>
    /// <param name="level">Level 1–10.</param>
    public static BeiDouGridCell Locate(GeoPoint p, int level = MaxLevel)
    {
        CheckLevel(level, MinLevel);
        CheckPoint(p);
        return new BeiDouGridCell(level, LonIndex(p.LonDeg, level), LatIndex(p.LatDeg, level), 0, false);
    }

    /// <summary>The level-<paramref name="level"/> 3-D cell containing the point and height.</summary>
    /// <param name="p">Position (|lat| &lt; 88°).</param>
    /// <param name="heightW84M">Ellipsoidal height, metres.</param>
    /// <param name="level">Level 1–10.</param>
    public static BeiDouGridCell Locate3D(GeoPoint p, double heightW84M, int level = MaxLevel)
    {
        CheckLevel(level, MinLevel);
        CheckPoint(p);
        long layer = HeightLayer(heightW84M);
        return new BeiDouGridCell(level, LonIndex(p.LonDeg, level), LatIndex(p.LatDeg, level), (int)(layer >> HeightShift[level]), true);
    }

    /// <summary>
    /// The signed level-10 height layer of <paramref name="heightW84M"/>: n ≥ 0 above the ellipsoid; below it, −1 − |n|
    /// (the mirrored index, so layers are consecutive integers across zero).
    /// </summary>
    /// <param name="heightW84M">Ellipsoidal height, metres, &gt; −r0 and below ≈ 9.5e8 m (|n| &lt; 2³¹).</param>
    public static long HeightLayer(double heightW84M)
    {
        if (!TryHeightLayer(heightW84M, out long layer))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(heightW84M), "height must be finite, above -6378137 m and give a layer number below 2^31");
        }

        return layer;
    }

    /// <summary>The lower bound (ellipsoidal height, metres) of the signed level-10 layer <paramref name="layer"/>:
    /// H = r0·((1 + θ0)^(n·θ/θ0) − 1). Layer <c>n</c> spans [HeightLayerFloorM(n), HeightLayerFloorM(n + 1)).</summary>
    /// <param name="layer">Signed (mirrored) layer index.</param>
    public static double HeightLayerFloorM(long layer) => HeightR0M * ExpM1(layer / LayersPerLog);

    /// <summary>Decodes a 2-D or 3-D code (interleaved, or the 20 + 12 appended form) into its cell.</summary>
    /// <param name="code">The code.</param>
    /// <exception cref="GridCodeFormatException">The code breaks a rule; the message names the position and the rule.</exception>
    public static BeiDouGridCell Decode(ReadOnlySpan<char> code)
    {
        if (!TryParse(code, out BeiDouGridCell cell, out int position, out string? rule))
        {
            ThrowFormat(code, position, rule);
        }

        return cell;
    }

    /// <summary>Decodes like <see cref="Decode"/> without throwing or allocating.</summary>
    /// <param name="code">The code.</param>
    /// <param name="cell">The cell, or default when false is returned.</param>
    public static bool TryDecode(ReadOnlySpan<char> code, out BeiDouGridCell cell) => TryParse(code, out cell, out _, out _);

    /// <summary>Checks a code and returns the rule it breaks, or null when it is valid.</summary>
    /// <param name="code">The code.</param>
    /// <param name="position">Zero-based position of the first error, −1 for the whole code.</param>
    public static string? Validate(ReadOnlySpan<char> code, out int position)
    {
        bool ok = TryParse(code, out _, out position, out string? rule);
        return ok ? null : rule;
    }

    internal static bool TryHeightLayer(double heightW84M, out long layer)
    {
        layer = 0;
        if (!double.IsFinite(heightW84M) || heightW84M <= -HeightR0M)
        {
            return false;
        }

        double x = Log1P(heightW84M / HeightR0M) * LayersPerLog;
        bool negative = heightW84M < 0;
        double mag = SnapFloor(negative ? -x : x);
        if (mag >= 2147483648.0)
        {
            return false;
        }

        long m = (long)mag;
        layer = negative ? -1 - m : m;
        return true;
    }

    internal static int WriteCell(Span<char> dst, in BeiDouGridCell cell)
    {
        int level = cell.Level;
        bool east = cell.LonIndex >= 0;
        bool north = cell.LatIndex >= 0;
        int lu = (east ? cell.LonIndex : -1 - cell.LonIndex) * LonSize[level];
        int bu = (north ? cell.LatIndex : -1 - cell.LatIndex) * LatSize[level];
        if (!cell.HasHeight)
        {
            return Write2D(dst, level, north, east, lu, bu);
        }

        long layer = (long)cell.HeightIndex << HeightShift[level];
        return Write3D(dst, level, north, east, lu, bu, layer);
    }

    internal static int LonIndex(double lonDeg, int level)
    {
        int a = LonUnits(lonDeg) / LonSize[level];
        return lonDeg >= 0 ? a : -1 - a;
    }

    internal static int LatIndex(double latDeg, int level)
    {
        int b = LatUnits(latDeg) / LatSize[level];
        return latDeg >= 0 ? b : -1 - b;
    }

    internal static void CheckLevel(int level, int min)
    {
        if (level < min || level > MaxLevel)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(level), min == 0 ? "level must be 0..10" : "level must be 1..10");
        }
    }

    internal static void CheckPoint(GeoPoint p)
    {
        if (!p.IsValid)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(p), "point must have finite lon in [-180, 180] and lat in [-90, 90]");
        }

        if (Math.Abs(p.LatDeg) >= MaxAbsLatDeg)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(p), "|lat| must be below 88 degrees: the polar caps use a separate scheme that Yunlu does not support");
        }
    }

    /// <summary>ln(1 + x) accurate for small x (Goldberg 1991, "What every computer scientist should know…", Thm. 4).</summary>
    private static double Log1P(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>eˣ − 1 accurate for small x (Kahan's trick).</summary>
    private static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }

        double um1 = u - 1.0;
        return um1 == -1.0 ? -1.0 : um1 * x / Math.Log(u);
    }

    private static bool IsEncodable(GeoPoint p) => p.IsValid && Math.Abs(p.LatDeg) < MaxAbsLatDeg;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SnapFloor(double x)
    {
        double r = Math.Round(x);
        return Math.Abs(x - r) <= SnapToleranceUnits ? r : Math.Floor(x);
    }

    private static int LonUnits(double lonDeg)
    {
        int u = (int)SnapFloor(Math.Abs(lonDeg) * UnitsPerDegree);
        return u >= MaxLonUnits ? MaxLonUnits - 1 : u;
    }

    private static int LatUnits(double latDeg)
    {
        int u = (int)SnapFloor(Math.Abs(latDeg) * UnitsPerDegree);
        return u >= MaxLatUnits ? MaxLatUnits - 1 : u;
    }

    private static int Write2D(Span<char> d, int level, bool north, bool east, int lu, int bu)
    {
        // Constant divisors let the JIT turn these divisions into multiplications.
        d[0] = north ? 'N' : 'S';
        int q = lu / 44_236_800;
        int rl = lu - (q * 44_236_800);
        int col = east ? 31 + q : 30 - q;
        d[1] = (char)('0' + (col / 10));
        d[2] = (char)('0' + (col % 10));
        q = bu / 29_491_200;
        int rb = bu - (q * 29_491_200);
        d[3] = (char)('A' + q);
        if (level == 1)
        {
            return 4;
        }

        q = rl / 3_686_400;
        rl -= q * 3_686_400;
        d[4] = Hex[q];
        q = rb / 3_686_400;
        rb -= q * 3_686_400;
        d[5] = (char)('0' + q);
        if (level == 2)
        {
            return 6;
        }

        int c = rl / 1_843_200;
        rl -= c * 1_843_200;
        int r = rb / 1_228_800;
        rb -= r * 1_228_800;
        d[6] = (char)('0' + (2 * r) + c);
        if (level == 3)
        {
            return 7;
        }

        q = rl / 122_880;
        rl -= q * 122_880;
        d[7] = Hex[q];
        q = rb / 122_880;
        rb -= q * 122_880;
        d[8] = (char)('0' + q);
        if (level == 4)
        {
            return 9;
        }

        // Below level 4 every size is a power of two: 8192 = 2^13 … 1.
        d[9] = Hex[rl >> 13];
        d[10] = Hex[rb >> 13];
        if (level == 5)
        {
            return 11;
        }

        d[11] = (char)('0' + (2 * ((rb >> 12) & 1)) + ((rl >> 12) & 1));
        if (level == 6)
        {
            return 12;
        }

        int pos = 12;
        for (int shift = 9, lv = 7; lv <= level; lv++, shift -= 3)
        {
            d[pos++] = (char)('0' + ((rl >> shift) & 7));
            d[pos++] = (char)('0' + ((rb >> shift) & 7));
        }

        return pos;
    }

    private static int Write3D(Span<char> dst, int level, bool north, bool east, int lu, int bu, long layer)
    {
        // Straight into the destination in the interleaved order (positions 0..31): [N|S][a0] [L1][a1a2] [L2][a3]
        // [L3][a4] [L4][a5] [L5][a6] [L6][a7] then [Lk][a(k+1)] for k = 7..10. Same digits as Write2D and the height
        // characters of Write3DReference.
        int n = Len3D[level];
        if (dst.Length < n)
        {
            ThrowHelper.ThrowArgument(nameof(dst), "destination is too short for the 3-D code");
        }

        Span<char> d = dst[..n];
        ReadOnlySpan<char> hex = Hex;
        bool negative = layer < 0;
        uint m = (uint)(negative ? -1 - layer : layer);
        d[0] = north ? 'N' : 'S';
        d[1] = negative ? '1' : '0';
        int q = lu / 44_236_800;
        int rl = lu - (q * 44_236_800);
        int col = east ? 31 + q : 30 - q;
        d[2] = (char)('0' + (col / 10));
        d[3] = (char)('0' + (col % 10));
        q = bu / 29_491_200;
        int rb = bu - (q * 29_491_200);
        d[4] = (char)('A' + q);
        uint top = m >> 25;
        d[5] = (char)('0' + (top / 10));
        d[6] = (char)('0' + (top % 10));
        if (level == 1)
        {
            return 7;
        }

        q = rl / 3_686_400;
        rl -= q * 3_686_400;
        d[7] = hex[q];
        q = rb / 3_686_400;
        rb -= q * 3_686_400;
        d[8] = (char)('0' + q);
        d[9] = (char)('0' + ((m >> 22) & 7));
        if (level == 2)
        {
            return 10;
        }

        int c = rl / 1_843_200;
        rl -= c * 1_843_200;
        int r = rb / 1_228_800;
        rb -= r * 1_228_800;
        d[10] = (char)('0' + (2 * r) + c);
        d[11] = (char)('0' + ((m >> 21) & 1));
        if (level == 3)
        {
            return 12;
        }

        q = rl / 122_880;
        rl -= q * 122_880;
        d[12] = hex[q];
        q = rb / 122_880;
        rb -= q * 122_880;
        d[13] = (char)('0' + q);
        d[14] = hex[(int)((m >> 17) & 15)];
        if (level == 4)
        {
            return 15;
        }

        d[15] = hex[rl >> 13];
        d[16] = hex[rb >> 13];
        d[17] = hex[(int)((m >> 13) & 15)];
        if (level == 5)
        {
            return 18;
        }

        d[18] = (char)('0' + (2 * ((rb >> 12) & 1)) + ((rl >> 12) & 1));
        d[19] = (char)('0' + ((m >> 12) & 1));

        // Levels 7-10: lon, lat and height octal digits share the shift (9, 6, 3, 0).
        for (int pos = 20, shift = 9; pos < n; pos += 3, shift -= 3)
        {
            d[pos] = (char)('0' + ((rl >> shift) & 7));
            d[pos + 1] = (char)('0' + ((rb >> shift) & 7));
            d[pos + 2] = (char)('0' + ((m >> shift) & 7));
        }

        return n;
    }

    private enum Form
    {
        TwoD,
        Interleaved3D,
        Appended3D,
    }

    private static bool TryParse(ReadOnlySpan<char> code, out BeiDouGridCell cell, out int position, [NotNullWhen(false)] out string? rule)
    {
        // Interleaved 3-D layout (a letter at index 4, none at index 3): try the straight-line parser; any invalid
        // character sends the code to the general parser, which finds the position and rule to report.
        int len = code.Length;
        if (len >= 7 && len <= MaxLength3D && !char.IsAsciiLetter(code[3]) && char.IsAsciiLetter(code[4]))
        {
            int level3 = Len3D.IndexOf((byte)len);
            if (level3 >= MinLevel && TryParseInterleaved3D(code, level3, out cell))
            {
                position = -1;
                rule = null;
                return true;
            }
        }

        return TryParseGeneral(code, out cell, out position, out rule);
    }

    private static bool TryParseGeneral(ReadOnlySpan<char> code, out BeiDouGridCell cell, out int position, [NotNullWhen(false)] out string? rule)
    {
        cell = default;
        position = -1;
        int len = code.Length;
        int level2 = Len2D.IndexOf((byte)Math.Min(len, 255));
        int level3 = Len3D.IndexOf((byte)Math.Min(len, 255));
        Form form;
        int level;
        const string LengthRule = "length must be 4, 6, 7, 9, 11, 12, 14, 16, 18 or 20 (2-D code, levels 1-10) or 7, 10, 12, 15, 18, 20, 23, 26, 29 or 32 (3-D code)";
        if (len >= 4 && char.IsAsciiLetter(code[3]))
        {
            // 2-D layout (the level-1 row letter at index 3), or the appended 20 + 12 form.
            form = len == MaxLength3D ? Form.Appended3D : Form.TwoD;
            level = len == MaxLength3D ? MaxLevel : level2;
        }
        else if (len >= 5 && char.IsAsciiLetter(code[4]))
        {
            form = Form.Interleaved3D;
            level = level3;
        }
        else if (level2 >= 0)
        {
            form = Form.TwoD;
            level = level2;
        }
        else
        {
            form = Form.Interleaved3D;
            level = level3;
        }

        if (level < 0)
        {
            rule = LengthRule;
            return false;
        }

        if (level == 0)
        {
            rule = "a hemisphere alone (level 0) is not a cell: codes must be level 1-10";
            return false;
        }

        ReadOnlySpan<byte> p2 = form == Form.Interleaved3D ? Interleaved2DPos : Identity2DPos;

        // Hemisphere.
        char ch = code[p2[0]];
        bool north;
        if (ch == 'N')
        {
            north = true;
        }
        else if (ch == 'S')
        {
            north = false;
        }
        else
        {
            position = p2[0];
            rule = "hemisphere must be N or S";
            return false;
        }

        // Level 1: column 01–60, row A–V.
        int d1 = Digit(code[p2[1]], 10);
        int d2 = Digit(code[p2[2]], 10);
        int col = (d1 * 10) + d2;
        if (d1 < 0 || d2 < 0 || col < 1 || col > 60)
        {
            position = p2[d1 < 0 || d2 >= 0 ? 1 : 2];
            rule = "level 1 longitude column must be two digits 01-60";
            return false;
        }

        ch = code[p2[3]];
        if (ch < 'A' || ch > 'V')
        {
            position = p2[3];
            rule = "level 1 latitude row must be a letter A-V";
            return false;
        }

        bool east = col >= 31;
        int lu = (east ? col - 31 : 30 - col) * 44_236_800;
        int bu = (ch - 'A') * 29_491_200;

        ReadOnlySpan<byte> lonMax = LonDigitMax;
        ReadOnlySpan<byte> latMax = LatDigitMax;
        ReadOnlySpan<int> lonSize = LonSize;
        ReadOnlySpan<int> latSize = LatSize;
        int pos = 4;
        for (int lv = 2; lv <= level; lv++)
        {
            if (lv is 3 or 6)
            {
                // One Z-order digit 2·row + col.
                int z = Digit(code[p2[pos]], 10);
                if (z < 0 || z > (lv == 3 ? 5 : 3))
                {
                    position = p2[pos];
                    rule = lv == 3 ? "level 3 digit must be 0-5" : "level 6 digit must be 0-3";
                    return false;
                }

                lu += (z & 1) * lonSize[lv];
                bu += (z >> 1) * latSize[lv];
                pos++;
                continue;
            }

            int x = Digit(code[p2[pos]], 16);
            if ((uint)x > lonMax[lv])
            {
                position = p2[pos];
                rule = LonDigitRules[lv];
                return false;
            }

            int y = Digit(code[p2[pos + 1]], 16);
            if ((uint)y > latMax[lv])
            {
                position = p2[pos + 1];
                rule = LatDigitRules[lv];
                return false;
            }

            lu += x * lonSize[lv];
            bu += y * latSize[lv];
            pos += 2;
        }

        int lonIndex = lu / LonSize[level];
        int latIndex = bu / LatSize[level];
        lonIndex = east ? lonIndex : -1 - lonIndex;
        latIndex = north ? latIndex : -1 - latIndex;
        if (form == Form.TwoD)
        {
            cell = new BeiDouGridCell(level, lonIndex, latIndex, 0, false);
            rule = null;
            return true;
        }

        ReadOnlySpan<byte> ph = form == Form.Interleaved3D ? InterleavedHPos : AppendedHPos;
        if (!TryParseHeight(code, ph, HeightCharsAtLevel[level], out long magnitude, out bool negative, out position, out rule))
        {
            return false;
        }

        long mk = magnitude >> HeightShift[level];
        int heightIndex = (int)(negative ? -1 - mk : mk);
        cell = new BeiDouGridCell(level, lonIndex, latIndex, heightIndex, true);
        return true;
    }

    /// <summary>
    /// Parses a valid interleaved 3-D code of <paramref name="level"/> (its length already checked) in one pass with
    /// table-driven digits; returns false on the first character that breaks a rule, without saying which.
    /// </summary>
    private static bool TryParseInterleaved3D(ReadOnlySpan<char> c, int level, out BeiDouGridCell cell)
    {
        cell = default;
        char ch = c[0];
        bool north = ch == 'N';
        uint sign = Dig(c[1]);
        uint d1 = Dig(c[2]);
        uint d2 = Dig(c[3]);
        uint row = (uint)(c[4] - 'A');
        uint hi = Dig(c[5]);
        uint lo = Dig(c[6]);
        if ((!north && ch != 'S') | (sign > 1) | (d1 > 9) | (d2 > 9) | (row > 'V' - 'A') | (hi > 9) | (lo > 9))
        {
            return false;
        }

        uint col = (d1 * 10) + d2;
        uint top = (hi * 10) + lo;
        if ((col - 1 > 59) | (top > 63))
        {
            return false;
        }

        bool east = col >= 31;
        int lu = (int)(east ? col - 31 : 30 - col) * 44_236_800;
        int bu = (int)row * 29_491_200;
        uint m = top << 25;
        if (level == 1)
        {
            return Finish(level, north, east, lu, bu, m, sign, out cell);
        }

        uint x = Dig(c[7]);
        uint y = Dig(c[8]);
        uint a = Dig(c[9]);
        if ((x > 11) | (y > 7) | (a > 7))
        {
            return false;
        }

        lu += (int)x * 3_686_400;
        bu += (int)y * 3_686_400;
        m |= a << 22;
        if (level == 2)
        {
            return Finish(level, north, east, lu, bu, m, sign, out cell);
        }

        uint z = Dig(c[10]);
        a = Dig(c[11]);
        if ((z > 5) | (a > 1))
        {
            return false;
        }

        lu += (int)(z & 1) * 1_843_200;
        bu += (int)(z >> 1) * 1_228_800;
        m |= a << 21;
        if (level == 3)
        {
            return Finish(level, north, east, lu, bu, m, sign, out cell);
        }

        x = Dig(c[12]);
        y = Dig(c[13]);
        a = Dig(c[14]);
        if ((x > 14) | (y > 9) | (a > 15))
        {
            return false;
        }

        lu += (int)x * 122_880;
        bu += (int)y * 122_880;
        m |= a << 17;
        if (level == 4)
        {
            return Finish(level, north, east, lu, bu, m, sign, out cell);
        }

        x = Dig(c[15]);
        y = Dig(c[16]);
        a = Dig(c[17]);
        if ((x > 14) | (y > 14) | (a > 15))
        {
            return false;
        }

        lu += (int)x << 13;
        bu += (int)y << 13;
        m |= a << 13;
        if (level == 5)
        {
            return Finish(level, north, east, lu, bu, m, sign, out cell);
        }

        z = Dig(c[18]);
        a = Dig(c[19]);
        if ((z > 3) | (a > 1))
        {
            return false;
        }

        lu += (int)(z & 1) << 12;
        bu += (int)(z >> 1) << 12;
        m |= a << 12;
        for (int pos = 20, shift = 9; pos < c.Length; pos += 3, shift -= 3)
        {
            x = Dig(c[pos]);
            y = Dig(c[pos + 1]);
            a = Dig(c[pos + 2]);
            if ((x | y | a) > 7)
            {
                return false;
            }

            lu += (int)x << shift;
            bu += (int)y << shift;
            m |= a << shift;
        }

        return Finish(level, north, east, lu, bu, m, sign, out cell);
    }

    private static bool Finish(int level, bool north, bool east, int lu, int bu, uint magnitude, uint sign, out BeiDouGridCell cell)
    {
        int lonIndex = lu / LonSize[level];
        int latIndex = bu / LatSize[level];
        int mk = (int)(magnitude >> HeightShift[level]);
        cell = new BeiDouGridCell(
            level,
            east ? lonIndex : -1 - lonIndex,
            north ? latIndex : -1 - latIndex,
            sign != 0 ? -1 - mk : mk,
            true);
        return true;
    }

    /// <summary>Value of an upper-case hex digit, or 255.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Dig(char c) => c < 128 ? DigitValue[c] : 255u;

    /// <summary>Digit values of ASCII '0'–'9' and 'A'–'F'; 255 for every other character.</summary>
    private static ReadOnlySpan<byte> DigitValue =>
    [
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 255, 255, 255, 255, 255, 255,
        255, 10, 11, 12, 13, 14, 15, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    ];

    private static bool TryParseHeight(ReadOnlySpan<char> code, ReadOnlySpan<byte> ph, int count, out long magnitude, out bool negative, out int position, [NotNullWhen(false)] out string? rule)
    {
        magnitude = 0;
        position = -1;
        rule = null;
        int sign = Digit(code[ph[0]], 2);
        negative = sign == 1;
        if (sign < 0)
        {
            position = ph[0];
            rule = HeightRules[0];
            return false;
        }

        if (count > 1)
        {
            int hi = Digit(code[ph[1]], 10);
            int lo = Digit(code[ph[2]], 10);
            if (hi < 0 || lo < 0 || (hi * 10) + lo > 63)
            {
                position = ph[hi < 0 || lo >= 0 ? 1 : 2];
                rule = HeightRules[1];
                return false;
            }

            magnitude = (long)((hi * 10) + lo) << 25;
        }

        ReadOnlySpan<byte> radix = HeightRadix;
        ReadOnlySpan<byte> shift = HeightBitShift;
        for (int i = 3; i < count; i++)
        {
            int v = Digit(code[ph[i]], radix[i]);
            if (v < 0)
            {
                position = ph[i];
                rule = HeightRules[i];
                return false;
            }

            magnitude |= (long)v << shift[i];
        }

        return true;
    }

    /// <summary>Value of an upper-case digit in <paramref name="radix"/> (≤ 16), or −1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Digit(char c, int radix)
    {
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        return v < radix ? v : -1;
    }

    [DoesNotReturn]
    private static void ThrowFormat(ReadOnlySpan<char> code, int position, string rule)
    {
        string text = code.ToString();
        string message = position >= 0
            ? $"invalid BeiDou grid code '{text}': character '{text[position]}' at position {position} breaks the rule: {rule}"
            : $"invalid BeiDou grid code '{text}' (length {text.Length}): {rule}";
        throw new GridCodeFormatException(message, position, rule);
    }
}
