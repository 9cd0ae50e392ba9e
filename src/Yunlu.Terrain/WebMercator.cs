using Yunlu.Geo;

namespace Yunlu.Terrain;

/// <summary>
/// The Web Mercator (EPSG:3857) XYZ tile scheme of OpenStreetMap/Google: zoom z has 2^z × 2^z tiles of 256 px,
/// x from the antimeridian eastwards, y from the north (≈ 85.0511° N) southwards.
/// </summary>
public static class WebMercator
{
    /// <summary>Tile edge in pixels.</summary>
    public const int TileSize = 256;

    /// <summary>Highest zoom accepted.</summary>
    public const int MaxZoom = 24;

    /// <summary>WGS84 semi-major axis, metres (the sphere radius of Web Mercator).</summary>
    public const double EarthRadiusM = 6378137.0;

    /// <summary>The position of global pixel coordinates (px, py) at zoom <paramref name="z"/> (fractions allowed).</summary>
    public static GeoPoint PixelToGeo(int z, double px, double py)
    {
        var n = TileSize * (double)(1L << z);
        var lon = (px / n * 360.0) - 180.0;
        var lat = Math.Atan(Math.Sinh(Math.PI * (1 - (2 * py / n)))) * 180.0 / Math.PI;
        return new GeoPoint(lon, lat);
    }

    /// <summary>Ground size of one pixel at <paramref name="latDeg"/> and zoom <paramref name="z"/>, metres.</summary>
    public static double PixelSizeM(int z, double latDeg) =>
        2 * Math.PI * EarthRadiusM * Math.Cos(latDeg * Math.PI / 180) / (TileSize * (double)(1L << z));

    /// <summary>Throws when (z, x, y) is not a tile.</summary>
    public static void Validate(int z, int x, int y)
    {
        if (z is < 0 or > MaxZoom)
        {
            throw new ArgumentOutOfRangeException(nameof(z), $"zoom must be 0 to {MaxZoom}");
        }

        var n = 1L << z;
        if (x < 0 || x >= n || y < 0 || y >= n)
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"tile x and y must be 0 to {n - 1} at zoom {z}");
        }
    }
}
