using Yunlu.Geo;

namespace Yunlu.Terrain;

/// <summary>Hillshade lighting and colouring.</summary>
/// <param name="SunAzimuthDeg">Sun direction, degrees clockwise from north (315 = north-west, the cartographic convention).</param>
/// <param name="SunAltitudeDeg">Sun elevation above the horizon, degrees.</param>
/// <param name="HypsometricTint">Colour by height (green lowlands → brown → white peaks) under the shading.</param>
/// <param name="ZFactor">Vertical exaggeration.</param>
public sealed record HillshadeOptions(double SunAzimuthDeg = 315, double SunAltitudeDeg = 45, bool HypsometricTint = false, double ZFactor = 1);

/// <summary>
/// Renders Web Mercator XYZ hillshade tiles (256×256 RGBA PNG) from ground heights. Slopes by Horn's method
/// (B. K. P. Horn, "Hill shading and the reflectance map", Proc. IEEE 69(1), 1981: a 3×3 weighted finite
/// difference); shade = max(0, n·s), the cosine between the surface normal and the sun direction (Lambert).
/// Heights are sampled at pixel centres; the ground distance between pixels is the Web Mercator pixel size at
/// the pixel's latitude. Pixels without a height are transparent.
/// </summary>
public sealed class HillshadeRenderer
{
    private static readonly (double HeightM, byte R, byte G, byte B)[] Ramp =
    [
        (0, 84, 140, 76),
        (600, 140, 176, 96),
        (1100, 206, 190, 128),
        (1600, 176, 132, 92),
        (2400, 150, 120, 110),
        (3500, 255, 255, 255),
    ];

    private readonly IGroundElevation _ground;
    private readonly HillshadeOptions _options;

    /// <summary>Creates a renderer over <paramref name="ground"/> (e.g. an <see cref="ElevationModel"/>).</summary>
    public HillshadeRenderer(IGroundElevation ground, HillshadeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ground);
        _ground = ground;
        _options = options ?? new HillshadeOptions();
    }

    /// <summary>Renders tile z/x/y as PNG bytes.</summary>
    public byte[] RenderPng(int z, int x, int y) => PngEncoder.EncodeRgba(RenderRgba(z, x, y), WebMercator.TileSize, WebMercator.TileSize);

    /// <summary>Renders tile z/x/y as 256·256·4 RGBA bytes (top row first).</summary>
    public byte[] RenderRgba(int z, int x, int y)
    {
        WebMercator.Validate(z, x, y);
        const int n = WebMercator.TileSize;
        const int m = n + 2;
        var heights = new double[m * m];
        var pixelSizes = new double[m];
        for (var j = 0; j < m; j++)
        {
            var py = ((double)y * n) + j - 1 + 0.5;
            for (var i = 0; i < m; i++)
            {
                var px = ((double)x * n) + i - 1 + 0.5;
                var p = WebMercator.PixelToGeo(z, px, py);
                heights[(j * m) + i] = _ground.TryGetGroundAmslM(p, out var h) ? h * _options.ZFactor : double.NaN;
                if (i == 0)
                {
                    pixelSizes[j] = WebMercator.PixelSizeM(z, p.LatDeg);
                }
            }
        }

        var az = _options.SunAzimuthDeg * Math.PI / 180;
        var alt = _options.SunAltitudeDeg * Math.PI / 180;
        var sunE = Math.Sin(az) * Math.Cos(alt);
        var sunN = Math.Cos(az) * Math.Cos(alt);
        var sunU = Math.Sin(alt);
        var rgba = new byte[n * n * 4];
        for (var j = 0; j < n; j++)
        {
            var cell = pixelSizes[j + 1];
            for (var i = 0; i < n; i++)
            {
                var centre = heights[((j + 1) * m) + i + 1];
                if (double.IsNaN(centre))
                {
                    continue; // transparent
                }

                double H(int di, int dj)
                {
                    var v = heights[((j + 1 + dj) * m) + i + 1 + di];
                    return double.IsNaN(v) ? centre : v;
                }

                var a = H(-1, -1);
                var b = H(0, -1);
                var c = H(1, -1);
                var d = H(-1, 0);
                var f = H(1, 0);
                var g = H(-1, 1);
                var hh = H(0, 1);
                var k = H(1, 1);
                var dzdEast = ((c + (2 * f) + k) - (a + (2 * d) + g)) / (8 * cell);
                var dzdNorth = ((a + (2 * b) + c) - (g + (2 * hh) + k)) / (8 * cell);
                var shade = ((-dzdEast * sunE) - (dzdNorth * sunN) + sunU) / Math.Sqrt(1 + (dzdEast * dzdEast) + (dzdNorth * dzdNorth));
                shade = Math.Max(0, shade);
                var o = ((j * n) + i) * 4;
                if (_options.HypsometricTint)
                {
                    var (r, gg, bb) = Tint(centre / _options.ZFactor);
                    var light = 0.35 + (0.65 * shade);
                    rgba[o] = (byte)Math.Min(255, r * light);
                    rgba[o + 1] = (byte)Math.Min(255, gg * light);
                    rgba[o + 2] = (byte)Math.Min(255, bb * light);
                }
                else
                {
                    var v = (byte)Math.Round(255 * shade);
                    rgba[o] = v;
                    rgba[o + 1] = v;
                    rgba[o + 2] = v;
                }

                rgba[o + 3] = 255;
            }
        }

        return rgba;
    }

    private static (double R, double G, double B) Tint(double heightM)
    {
        if (heightM <= Ramp[0].HeightM)
        {
            return (Ramp[0].R, Ramp[0].G, Ramp[0].B);
        }

        for (var i = 1; i < Ramp.Length; i++)
        {
            if (heightM <= Ramp[i].HeightM)
            {
                var t = (heightM - Ramp[i - 1].HeightM) / (Ramp[i].HeightM - Ramp[i - 1].HeightM);
                return (
                    Ramp[i - 1].R + ((Ramp[i].R - Ramp[i - 1].R) * t),
                    Ramp[i - 1].G + ((Ramp[i].G - Ramp[i - 1].G) * t),
                    Ramp[i - 1].B + ((Ramp[i].B - Ramp[i - 1].B) * t));
            }
        }

        var last = Ramp[^1];
        return (last.R, last.G, last.B);
    }
}
