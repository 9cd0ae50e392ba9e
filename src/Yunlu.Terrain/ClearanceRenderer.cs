using Yunlu.Geo;

namespace Yunlu.Terrain;

/// <summary>What the terrain-clearance layer measures.</summary>
/// <param name="CeilingAglM">The ceiling, metres true height (AGL) above the ground at the place (China's light and
/// small UAS ceiling: 120 m true height, 真高).</param>
/// <param name="VerticalMarginM">Metres to keep above the highest surface (ground or obstacle) around the place.</param>
/// <param name="HorizontalMarginM">Metres around the place (a square of ± this many metres east–west and north–south)
/// whose surface counts: a hillside or a building that near is an obstacle for the place too.</param>
public sealed record ClearanceOptions(double CeilingAglM = 120, double VerticalMarginM = 10, double HorizontalMarginM = 30)
{
    /// <summary>The band with nothing around: ceiling − vertical margin, metres.</summary>
    public double FullBandM => CeilingAglM - VerticalMarginM;

    /// <summary>Throws when a value is out of range (the message names the field and the rule).</summary>
    public void Validate()
    {
        if (!(CeilingAglM > 0 && CeilingAglM <= 1000))
        {
            throw new ArgumentOutOfRangeException(nameof(CeilingAglM), CeilingAglM, "ceilingAglM: must be > 0 and ≤ 1000 m");
        }

        if (!(VerticalMarginM >= 0 && VerticalMarginM < CeilingAglM))
        {
            throw new ArgumentOutOfRangeException(nameof(VerticalMarginM), VerticalMarginM, "verticalMarginM: must be ≥ 0 and below the ceiling");
        }

        if (!(HorizontalMarginM >= 0 && HorizontalMarginM <= 500))
        {
            throw new ArgumentOutOfRangeException(nameof(HorizontalMarginM), HorizontalMarginM, "horizontalMarginM: must be 0 to 500 m");
        }
    }
}

/// <summary>
/// Renders the terrain-clearance layer as Web Mercator XYZ tiles (256×256 RGBA PNG): per pixel, the free vertical band
/// between the floor — the highest surface (ground + obstacles, <see cref="SurfaceModel"/>) within ±
/// <see cref="ClearanceOptions.HorizontalMarginM"/> plus <see cref="ClearanceOptions.VerticalMarginM"/> — and the
/// ceiling, <see cref="ClearanceOptions.CeilingAglM"/> above the ground at the pixel:
/// band = clamp(ground + ceiling − floor, 0, ceiling − vertical margin). Colour from red (no band) through yellow (half)
/// to green (the full band), semi-transparent to lie over the imagery; transparent where the ground is unknown.
/// </summary>
/// <remarks>
/// Heights are sampled at pixel centres (as <see cref="HillshadeRenderer"/> does); the horizontal margin becomes
/// r = ⌈margin / pixel size⌉ pixels at the tile's centre latitude (Web Mercator pixels are square on the ground), so a
/// pixel's window is the (2r+1)² pixel centres around it. The window maximum is separable (rows, then columns), a
/// sliding-window maximum per line in O(n) with a monotone deque (the ascending-minima technique; Gil &amp; Werman,
/// "Computing 2-D min, median, and max filters", IEEE PAMI 15(5), 1993, give the bound), so a tile costs O(pixels)
/// whatever the margin.
/// </remarks>
public sealed class ClearanceRenderer
{
    /// <summary>Opacity of a coloured pixel (0–255).</summary>
    public const byte Alpha = 150;

    private readonly SurfaceModel _surface;
    private readonly IGroundElevation _ground;

    /// <summary>Creates a renderer.</summary>
    /// <param name="ground">Bare-earth heights, metres AMSL (the DEM).</param>
    /// <param name="surface">Ground plus obstacles over the same ground.</param>
    /// <param name="options">Ceiling and margins (defaults: 120 m AGL, 10 m, 30 m).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public ClearanceRenderer(IGroundElevation ground, SurfaceModel surface, ClearanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ground);
        ArgumentNullException.ThrowIfNull(surface);
        Options = options ?? new ClearanceOptions();
        Options.Validate();
        _ground = ground;
        _surface = surface;
    }

    /// <summary>The ceiling and margins.</summary>
    public ClearanceOptions Options { get; }

    /// <summary>The window half-width in pixels for tile row <paramref name="y"/> at zoom <paramref name="z"/>:
    /// ⌈horizontal margin / pixel size at the tile's centre latitude⌉.</summary>
    public int RadiusPx(int z, int y)
    {
        WebMercator.Validate(z, 0, y);
        double centreLat = WebMercator.PixelToGeo(z, 0, ((double)y + 0.5) * WebMercator.TileSize).LatDeg;
        double pixelM = WebMercator.PixelSizeM(z, centreLat);
        return Math.Min(WebMercator.TileSize, (int)Math.Ceiling((Options.HorizontalMarginM / pixelM) - 1e-9));
    }

    /// <summary>The band of each pixel of tile z/x/y, metres (row-major, top row first; NaN where the ground is unknown).</summary>
    public float[] BandM(int z, int x, int y)
    {
        WebMercator.Validate(z, x, y);
        const int n = WebMercator.TileSize;
        int r = RadiusPx(z, y);
        int m = n + (2 * r);

        // Surface (ground + obstacle) at the pixel centres of the tile and a margin of r pixels; -∞ where unknown.
        var surface = new double[m * m];
        var ground = new double[n * n];
        for (int j = 0; j < m; j++)
        {
            double py = ((double)y * n) + j - r + 0.5;
            for (int i = 0; i < m; i++)
            {
                double px = ((double)x * n) + i - r + 0.5;
                GeoPoint p = WebMercator.PixelToGeo(z, px, py);
                bool inside = j >= r && j < r + n && i >= r && i < r + n;
                if (_ground.TryGetGroundAmslM(p, out double g))
                {
                    surface[(j * m) + i] = g + _surface.ObstacleHeightM(p);
                    if (inside)
                    {
                        ground[((j - r) * n) + i - r] = g;
                    }
                }
                else
                {
                    surface[(j * m) + i] = double.NegativeInfinity;
                    if (inside)
                    {
                        ground[((j - r) * n) + i - r] = double.NaN;
                    }
                }
            }
        }

        // Window maximum: along rows (m rows × n columns kept), then along columns (n × n).
        var rows = new double[m * n];
        var deque = new int[m];
        for (int j = 0; j < m; j++)
        {
            SlidingMax(surface.AsSpan(j * m, m), r, rows.AsSpan(j * n, n), deque);
        }

        var highest = new double[n * n];
        var column = new double[m];
        var columnMax = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                column[j] = rows[(j * n) + i];
            }

            SlidingMax(column, r, columnMax, deque);
            for (int j = 0; j < n; j++)
            {
                highest[(j * n) + i] = columnMax[j];
            }
        }

        var band = new float[n * n];
        for (int k = 0; k < band.Length; k++)
        {
            band[k] = (float)Band(ground[k], highest[k]);
        }

        return band;
    }

    /// <summary>The band at one place from its ground and the highest surface around it, metres (NaN when the ground
    /// is unknown).</summary>
    public double Band(double groundAmslM, double highestSurfaceAmslM)
    {
        if (double.IsNaN(groundAmslM))
        {
            return double.NaN;
        }

        double floor = Math.Max(highestSurfaceAmslM, groundAmslM) + Options.VerticalMarginM;
        return Math.Clamp(groundAmslM + Options.CeilingAglM - floor, 0, Options.FullBandM);
    }

    /// <summary>Renders tile z/x/y as 256·256·4 RGBA bytes (top row first).</summary>
    public byte[] RenderRgba(int z, int x, int y)
    {
        float[] band = BandM(z, x, y);
        var rgba = new byte[band.Length * 4];
        double full = Options.FullBandM;
        for (int k = 0; k < band.Length; k++)
        {
            float b = band[k];
            if (float.IsNaN(b))
            {
                continue; // transparent
            }

            (byte red, byte green, byte blue) = Colour(b / full);
            int o = k * 4;
            rgba[o] = red;
            rgba[o + 1] = green;
            rgba[o + 2] = blue;
            rgba[o + 3] = Alpha;
        }

        return rgba;
    }

    /// <summary>Renders tile z/x/y as PNG bytes.</summary>
    public byte[] RenderPng(int z, int x, int y) => PngEncoder.EncodeRgba(RenderRgba(z, x, y), WebMercator.TileSize, WebMercator.TileSize);

    /// <summary>The colour of a band fraction (0 = no band, 1 = the full band; clamped): red (0) → yellow (0.5) →
    /// green (1), linear in RGB between the three.</summary>
    public static (byte R, byte G, byte B) Colour(double fraction)
    {
        double f = double.IsNaN(fraction) ? 0 : Math.Clamp(fraction, 0, 1);
        // Red (220, 40, 30) → yellow (245, 210, 40) → green (40, 170, 70).
        return f <= 0.5
            ? (Lerp(220, 245, f * 2), Lerp(40, 210, f * 2), Lerp(30, 40, f * 2))
            : (Lerp(245, 40, (f - 0.5) * 2), Lerp(210, 170, (f - 0.5) * 2), Lerp(40, 70, (f - 0.5) * 2));
    }

    private static byte Lerp(double a, double b, double t) => (byte)Math.Round(a + ((b - a) * t));

    /// <summary>output[k] = max(values[k .. k + 2r]) for k in [0, values.Length − 2r): a sliding-window maximum with a
    /// monotone deque of indices (values decreasing from front to back), each index pushed and popped at most once.</summary>
    private static void SlidingMax(ReadOnlySpan<double> values, int r, Span<double> output, int[] deque)
    {
        int window = (2 * r) + 1;
        int head = 0, tail = 0;
        for (int k = 0; k < values.Length; k++)
        {
            double v = values[k];
            while (tail > head && values[deque[tail - 1]] <= v)
            {
                tail--;
            }

            deque[tail++] = k;
            if (deque[head] <= k - window)
            {
                head++;
            }

            int start = k - window + 1;
            if (start >= 0)
            {
                output[start] = values[deque[head]];
            }
        }
    }
}
