using System.Buffers.Binary;
using Yunlu.Geo;

namespace Yunlu.Terrain;

/// <summary>A tile's extent in degrees.</summary>
/// <param name="WestDeg">West edge.</param>
/// <param name="SouthDeg">South edge.</param>
/// <param name="EastDeg">East edge.</param>
/// <param name="NorthDeg">North edge.</param>
public readonly record struct TileBounds(double WestDeg, double SouthDeg, double EastDeg, double NorthDeg);

/// <summary>
/// Heightmap tiles for CesiumJS in the geographic tiling scheme (Cesium's <c>GeographicTilingScheme</c>): level L
/// has 2^(L+1) × 2^L tiles of 180/2^L degrees, x from −180° eastwards, y from +90° southwards (flip y with
/// <see cref="FlipY"/> for a TMS <c>layer.json</c>). A tile is <see cref="Size"/>² heights, row 0 at the north edge,
/// the first and last rows/columns lying exactly on the tile's edges (so neighbours share them), in metres above the
/// WGS84 ellipsoid: ground AMSL + geoid undulation N. Where the DEM has no data the height is N alone (sea level).
/// The web console feeds them to a <c>CustomHeightmapTerrainProvider</c>.
/// </summary>
public sealed class HeightmapTileBuilder
{
    /// <summary>Default samples per edge (Cesium's heightmap default).</summary>
    public const int DefaultSize = 65;

    /// <summary>Highest level accepted.</summary>
    public const int MaxLevel = 22;

    private readonly IGroundElevation _ground;
    private readonly Func<GeoPoint, double> _undulationM;

    /// <summary>Creates a builder.</summary>
    /// <param name="ground">Ground heights AMSL (e.g. an <see cref="ElevationModel"/>).</param>
    /// <param name="undulationM">Geoid undulation N at a point, metres (EGM96: W84 = AMSL + N).</param>
    /// <param name="size">Samples per tile edge, 2 to 1025.</param>
    public HeightmapTileBuilder(IGroundElevation ground, Func<GeoPoint, double> undulationM, int size = DefaultSize)
    {
        ArgumentNullException.ThrowIfNull(ground);
        ArgumentNullException.ThrowIfNull(undulationM);
        if (size is < 2 or > 1025)
        {
            throw new ArgumentOutOfRangeException(nameof(size), "size must be 2 to 1025 samples");
        }

        _ground = ground;
        _undulationM = undulationM;
        Size = size;
    }

    /// <summary>Samples per tile edge.</summary>
    public int Size { get; }

    /// <summary>The extent of tile (level, x, y), y from the north.</summary>
    public static TileBounds Bounds(int level, int x, int y)
    {
        Validate(level, x, y);
        var span = 180.0 / (1L << level);
        var west = -180 + (x * span);
        var north = 90 - (y * span);
        return new TileBounds(west, north - span, west + span, north);
    }

    /// <summary>Converts between y from the north (Cesium's tiling scheme) and y from the south (TMS).</summary>
    public static int FlipY(int level, int y) => (int)((1L << level) - 1 - y);

    /// <summary>The tile's heights in metres above the WGS84 ellipsoid, Size² values, row 0 north.</summary>
    public float[] BuildHeights(int level, int x, int y)
    {
        var b = Bounds(level, x, y);
        var heights = new float[Size * Size];
        var step = (b.EastDeg - b.WestDeg) / (Size - 1);
        for (var j = 0; j < Size; j++)
        {
            var lat = b.NorthDeg - (j * step);
            for (var i = 0; i < Size; i++)
            {
                var p = new GeoPoint(b.WestDeg + (i * step), lat);
                var n = _undulationM(p);
                heights[(j * Size) + i] = (float)(_ground.TryGetGroundAmslM(p, out var amsl) ? amsl + n : n);
            }
        }

        return heights;
    }

    /// <summary>The tile's heights as little-endian float32 bytes (Size² · 4 bytes), for a Float32Array.</summary>
    public byte[] BuildTile(int level, int x, int y)
    {
        var heights = BuildHeights(level, x, y);
        var bytes = new byte[heights.Length * 4];
        for (var i = 0; i < heights.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), heights[i]);
        }

        return bytes;
    }

    private static void Validate(int level, int x, int y)
    {
        if (level is < 0 or > MaxLevel)
        {
            throw new ArgumentOutOfRangeException(nameof(level), $"level must be 0 to {MaxLevel}");
        }

        if (x < 0 || x >= 2L << level || y < 0 || y >= 1L << level)
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"at level {level} x is 0 to {(2L << level) - 1} and y 0 to {(1L << level) - 1}");
        }
    }
}
