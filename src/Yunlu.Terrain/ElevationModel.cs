using Yunlu.Geo;

namespace Yunlu.Terrain;

/// <summary>
/// Ground heights (metres AMSL, EGM96 as the DEM gives them) from a tiled DEM (<see cref="DemTiler"/>), tiles
/// fetched on demand through a loader and kept decoded in a least-recently-used cache.
/// Queries bilinearly interpolate the four surrounding sample centres (exact at a sample centre); the half pixel
/// between the outermost sample centres and the raster edge takes the edge samples' values. Voids: a point whose
/// nearest sample is void has no height; otherwise void neighbours are left out and the weights renormalised.
/// Thread-safe; a warm query takes no lock and allocates nothing.
/// </summary>
public sealed class ElevationModel : IGroundElevation
{
    /// <summary>Default number of decoded tiles kept (64 tiles of 257² floats ≈ 17 MB).</summary>
    public const int DefaultCacheTiles = 64;

    private static readonly DecodedTile Absent = new([], 0);

    private readonly Func<int, int, byte[]?> _loadTile;
    private readonly DecodedTile?[] _slots;
    private readonly long[] _stamps;
    private readonly int[] _loaded;
    private readonly int _capacity;
    private readonly object _missLock = new();
    private readonly double _west;
    private readonly double _north;
    private readonly double _east;
    private readonly double _south;
    private readonly double _invDx;
    private readonly double _invDy;
    private readonly int _width;
    private readonly int _height;
    private readonly int _tileSize;
    private readonly int _tileCols;
    private int _loadedCount;
    private long _clock;

    /// <summary>Creates a model over a tile source.</summary>
    /// <param name="layout">The tiling (from <see cref="DemTiler.Layout"/> or <see cref="DemTileLayout.FromBounds"/>).</param>
    /// <param name="loadTile">Returns tile (row, col)'s bytes, or null when the tile does not exist (no data there).
    /// Called at most once per tile while it stays cached; may be called from several threads.</param>
    /// <param name="cacheTiles">Decoded tiles kept, ≥ 1.</param>
    public ElevationModel(DemTileLayout layout, Func<int, int, byte[]?> loadTile, int cacheTiles = DefaultCacheTiles)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(loadTile);
        ArgumentOutOfRangeException.ThrowIfLessThan(cacheTiles, 1);
        Layout = layout;
        _loadTile = loadTile;
        _slots = new DecodedTile?[layout.TileRows * layout.TileCols];
        _stamps = new long[_slots.Length];
        _capacity = Math.Min(cacheTiles, _slots.Length);
        _loaded = new int[_capacity];
        _west = layout.WestDeg;
        _north = layout.NorthDeg;
        _east = layout.EastDeg;
        _south = layout.SouthDeg;
        _invDx = 1 / layout.Transform.PixelSizeLonDeg;
        _invDy = 1 / layout.Transform.PixelSizeLatDeg;
        _width = layout.Width;
        _height = layout.Height;
        _tileSize = layout.TileSize;
        _tileCols = layout.TileCols;
    }

    /// <summary>The tiling.</summary>
    public DemTileLayout Layout { get; }

    /// <summary>Tiles currently decoded in the cache.</summary>
    public int CachedTiles => Volatile.Read(ref _loadedCount);

    /// <summary>An in-memory model of <paramref name="raster"/> (tiles encoded once and held as bytes).</summary>
    public static ElevationModel FromRaster(GeoRaster raster, int tileSize = DemTiler.DefaultTileSize, int cacheTiles = DefaultCacheTiles)
    {
        var layout = DemTiler.Layout(raster, tileSize);
        var tiles = DemTiler.Tile(raster, tileSize);
        var bytes = new byte[layout.TileRows * layout.TileCols][];
        foreach (var t in tiles)
        {
            bytes[(t.Row * layout.TileCols) + t.Col] = t.Bytes;
        }

        return new ElevationModel(layout, (r, c) => bytes[(r * layout.TileCols) + c], cacheTiles);
    }

    /// <summary>Ground height at <paramref name="point"/>, metres AMSL, or null outside the DEM or in a void.</summary>
    public double? HeightAmslM(GeoPoint point) => TryGetGroundAmslM(point, out var h) ? h : null;

    /// <summary>Ground height at <paramref name="p"/> in metres AMSL (the <c>IGroundElevation</c> contract).
    /// Returns false outside the DEM or in a void.</summary>
    public bool TryGetGroundAmslM(GeoPoint p, out double groundAmslM)
    {
        groundAmslM = 0;
        var lon = p.LonDeg;
        var lat = p.LatDeg;
        if (!(lon >= _west && lon <= _east && lat >= _south && lat <= _north))
        {
            return false;
        }

        var fx = Math.Clamp(((lon - _west) * _invDx) - 0.5, 0, _width - 1);
        var fy = Math.Clamp(((_north - lat) * _invDy) - 0.5, 0, _height - 1);
        var c0 = Math.Min((int)fx, Math.Max(0, _width - 2));
        var r0 = Math.Min((int)fy, Math.Max(0, _height - 2));
        var tx = fx - c0;
        var ty = fy - r0;
        var tileCol = c0 / _tileSize;
        var tileRow = r0 / _tileSize;
        var tile = GetTile((tileRow * _tileCols) + tileCol, tileRow, tileCol);
        if (tile.Width == 0)
        {
            return false;
        }

        var lc = c0 - (tileCol * _tileSize);
        var lr = r0 - (tileRow * _tileSize);
        var stride = tile.Width;
        var values = tile.Values;
        var i00 = (lr * stride) + lc;
        var dc = _width > 1 ? 1 : 0;
        var dr = _height > 1 ? stride : 0;
        double v00 = values[i00];
        double v01 = values[i00 + dc];
        double v10 = values[i00 + dr];
        double v11 = values[i00 + dr + dc];
        if (!double.IsNaN(v00) && !double.IsNaN(v01) && !double.IsNaN(v10) && !double.IsNaN(v11))
        {
            var top = v00 + ((v01 - v00) * tx);
            var bottom = v10 + ((v11 - v10) * tx);
            groundAmslM = top + ((bottom - top) * ty);
            return true;
        }

        return InterpolateWithVoids(v00, v01, v10, v11, tx, ty, out groundAmslM);
    }

    private static bool InterpolateWithVoids(double v00, double v01, double v10, double v11, double tx, double ty, out double result)
    {
        result = 0;
        var nearest = tx < 0.5 ? (ty < 0.5 ? v00 : v10) : (ty < 0.5 ? v01 : v11);
        if (double.IsNaN(nearest))
        {
            return false;
        }

        double sum = 0, weights = 0;
        Accumulate(v00, (1 - tx) * (1 - ty), ref sum, ref weights);
        Accumulate(v01, tx * (1 - ty), ref sum, ref weights);
        Accumulate(v10, (1 - tx) * ty, ref sum, ref weights);
        Accumulate(v11, tx * ty, ref sum, ref weights);
        if (weights <= 0)
        {
            result = nearest;
            return true;
        }

        result = sum / weights;
        return true;
    }

    private static void Accumulate(double v, double w, ref double sum, ref double weights)
    {
        if (!double.IsNaN(v))
        {
            sum += v * w;
            weights += w;
        }
    }

    private DecodedTile GetTile(int index, int row, int col)
    {
        var tile = Volatile.Read(ref _slots[index]);
        if (tile is not null)
        {
            // Approximate LRU: a racy stamp write is harmless (it only orders evictions).
            _stamps[index] = Interlocked.Increment(ref _clock);
            return tile;
        }

        return LoadTile(index, row, col);
    }

    private DecodedTile LoadTile(int index, int row, int col)
    {
        lock (_missLock)
        {
            var existing = _slots[index];
            if (existing is not null)
            {
                return existing;
            }

            var bytes = _loadTile(row, col);
            DecodedTile tile;
            if (bytes is null)
            {
                tile = Absent;
            }
            else
            {
                var values = DemTiler.DecodeTile(bytes, out var w, out var h);
                var expectedW = Math.Min(_tileSize + 1, _width - (col * _tileSize));
                var expectedH = Math.Min(_tileSize + 1, _height - (row * _tileSize));
                if (w != expectedW || h != expectedH)
                {
                    throw new InvalidDataException($"DEM tile ({row}, {col}) is {w}×{h} samples; the layout expects {expectedW}×{expectedH}");
                }

                tile = new DecodedTile(values, w);
            }

            if (_loadedCount == _capacity)
            {
                var victimPos = 0;
                for (var i = 1; i < _capacity; i++)
                {
                    if (_stamps[_loaded[i]] < _stamps[_loaded[victimPos]])
                    {
                        victimPos = i;
                    }
                }

                Volatile.Write(ref _slots[_loaded[victimPos]], null);
                _loaded[victimPos] = index;
            }
            else
            {
                _loaded[_loadedCount] = index;
                Volatile.Write(ref _loadedCount, _loadedCount + 1);
            }

            _stamps[index] = Interlocked.Increment(ref _clock);
            Volatile.Write(ref _slots[index], tile);
            return tile;
        }
    }

    private sealed record DecodedTile(float[] Values, int Width);
}
