namespace Yunlu.Terrain;

/// <summary>
/// Resamples an RGB or RGBA orthophoto in EPSG:4326 (a <see cref="GeoRaster"/> of 3 or 4 uint8 bands, e.g. read
/// with <c>GeoTiffReader</c>) to Web Mercator XYZ tiles (256×256 RGBA PNG). Each output pixel centre is projected
/// back to lon/lat and sampled bilinearly between source pixel centres. Outside the image, where the source alpha
/// is 0, or where all colour bands equal the no-data value, pixels are transparent.
/// </summary>
public sealed class OrthophotoTileRenderer
{
    private readonly GeoRaster _image;

    /// <summary>Creates a renderer over <paramref name="image"/>.</summary>
    public OrthophotoTileRenderer(GeoRaster image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.BandCount < 3)
        {
            throw new ArgumentException($"an orthophoto needs 3 (RGB) or 4 (RGBA) bands, not {image.BandCount}", nameof(image));
        }

        _image = image;
    }

    /// <summary>True when tile z/x/y overlaps the image.</summary>
    public bool Intersects(int z, int x, int y)
    {
        WebMercator.Validate(z, x, y);
        var nw = WebMercator.PixelToGeo(z, x * 256.0, y * 256.0);
        var se = WebMercator.PixelToGeo(z, (x + 1) * 256.0, (y + 1) * 256.0);
        return nw.LonDeg < _image.EastDeg && se.LonDeg > _image.WestDeg && se.LatDeg < _image.NorthDeg && nw.LatDeg > _image.SouthDeg;
    }

    /// <summary>Renders tile z/x/y as PNG bytes, or null when the tile does not overlap the image.</summary>
    public byte[]? RenderPng(int z, int x, int y) =>
        Intersects(z, x, y) ? PngEncoder.EncodeRgba(RenderRgba(z, x, y), WebMercator.TileSize, WebMercator.TileSize) : null;

    /// <summary>Renders tile z/x/y as 256·256·4 RGBA bytes.</summary>
    public byte[] RenderRgba(int z, int x, int y)
    {
        WebMercator.Validate(z, x, y);
        const int n = WebMercator.TileSize;
        var rgba = new byte[n * n * 4];
        var t = _image.Transform;
        var w = _image.Width;
        var h = _image.Height;
        var hasAlpha = _image.BandCount >= 4;
        var nd = _image.NoData;
        for (var j = 0; j < n; j++)
        {
            for (var i = 0; i < n; i++)
            {
                var p = WebMercator.PixelToGeo(z, ((double)x * n) + i + 0.5, ((double)y * n) + j + 0.5);
                if (p.LonDeg < _image.WestDeg || p.LonDeg >= _image.EastDeg || p.LatDeg > _image.NorthDeg || p.LatDeg <= _image.SouthDeg)
                {
                    continue;
                }

                var fx = Math.Clamp(t.ColumnOf(p.LonDeg), 0, w - 1);
                var fy = Math.Clamp(t.RowOf(p.LatDeg), 0, h - 1);
                var c0 = Math.Min((int)fx, Math.Max(0, w - 2));
                var r0 = Math.Min((int)fy, Math.Max(0, h - 2));
                var c1 = Math.Min(c0 + 1, w - 1);
                var r1 = Math.Min(r0 + 1, h - 1);
                var tx = fx - c0;
                var ty = fy - r0;
                var nearest = ((ty < 0.5 ? r0 : r1) * w) + (tx < 0.5 ? c0 : c1);
                if (nd is { } noData && _image.Bands[0][nearest] == (float)noData && _image.Bands[1][nearest] == (float)noData && _image.Bands[2][nearest] == (float)noData)
                {
                    continue;
                }

                var o = ((j * n) + i) * 4;
                for (var b = 0; b < 3; b++)
                {
                    rgba[o + b] = Sample(_image.Bands[b], w, c0, r0, c1, r1, tx, ty);
                }

                rgba[o + 3] = hasAlpha ? Sample(_image.Bands[3], w, c0, r0, c1, r1, tx, ty) : (byte)255;
            }
        }

        return rgba;
    }

    private static byte Sample(float[] band, int w, int c0, int r0, int c1, int r1, double tx, double ty)
    {
        var top = band[(r0 * w) + c0] + ((band[(r0 * w) + c1] - band[(r0 * w) + c0]) * tx);
        var bottom = band[(r1 * w) + c0] + ((band[(r1 * w) + c1] - band[(r1 * w) + c0]) * tx);
        return (byte)Math.Clamp(Math.Round(top + ((bottom - top) * ty)), 0, 255);
    }
}
