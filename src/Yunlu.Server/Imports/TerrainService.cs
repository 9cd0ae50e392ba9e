using Yunlu.Geo;
using Yunlu.Storage;
using Yunlu.Terrain;

namespace Yunlu.Server.Imports;

/// <summary>
/// The terrain the server answers from: every stored DEM dataset (newest first) as one ground-height source, the
/// obstacles on top (<see cref="SurfaceModel"/>), and the tile builders over them. DEM tiles are loaded from the store
/// asynchronously into memory when the snapshot is built (the elevation model's loader is synchronous); the snapshot is
/// rebuilt when the set of datasets or imports changes, so several servers over one PostgreSQL database agree.
/// </summary>
public sealed class TerrainService(IYunluStore store) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile TerrainSnapshot? _snapshot;

    /// <summary>The current snapshot, rebuilt first when the stored data changed.</summary>
    public async Task<TerrainSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var datasets = await store.ListRasterDatasetsAsync(cancellationToken).ConfigureAwait(false);
        var imports = await store.ListImportsAsync(cancellationToken).ConfigureAwait(false);
        var signature = string.Join('|', datasets.Select(d => $"{d.Id}@{d.ImportedAt.UtcTicks}")) + $"#{imports.Count}:{(imports.Count > 0 ? imports[0].Id : Guid.Empty)}";
        var current = _snapshot;
        if (current is not null && string.Equals(current.Signature, signature, StringComparison.Ordinal))
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = _snapshot;
            if (current is not null && string.Equals(current.Signature, signature, StringComparison.Ordinal))
            {
                return current;
            }

            var models = new List<ElevationModel>();
            // Where DEMs overlap, the finest one answers (then the newest): a 1″ survey beats a 3″ SRTM tile under it.
            var dems = datasets
                .Where(d => string.Equals(d.Kind, "dem", StringComparison.Ordinal))
                .OrderBy(d => (d.Bounds.EastDeg - d.Bounds.WestDeg) / d.Width)
                .ThenByDescending(d => d.ImportedAt);
            foreach (var dataset in dems)
            {
                var layout = DemTileLayout.FromBounds(dataset.Bounds.WestDeg, dataset.Bounds.SouthDeg, dataset.Bounds.EastDeg, dataset.Bounds.NorthDeg,
                    dataset.Width, dataset.Height, dataset.TileSize, dataset.NoData);
                var tiles = new Dictionary<(int Row, int Col), byte[]>();
                for (var r = 0; r < layout.TileRows; r++)
                {
                    for (var c = 0; c < layout.TileCols; c++)
                    {
                        if (await store.GetRasterTileAsync(dataset.Id, r, c, cancellationToken).ConfigureAwait(false) is { } bytes)
                        {
                            tiles[(r, c)] = bytes;
                        }
                    }
                }

                models.Add(new ElevationModel(layout, (r, c) => tiles.TryGetValue((r, c), out var b) ? b : null));
            }

            var ground = new CompositeGround(models);
            var obstacles = await store.ListObstaclesAsync(null, cancellationToken).ConfigureAwait(false);
            var snapshot = new TerrainSnapshot(signature, ground, models.Count > 0, new SurfaceModel(ground, obstacles));
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private sealed class CompositeGround(IReadOnlyList<ElevationModel> models) : IGroundElevation
    {
        public bool TryGetGroundAmslM(GeoPoint p, out double groundAmslM)
        {
            for (var i = 0; i < models.Count; i++)
            {
                if (models[i].TryGetGroundAmslM(p, out groundAmslM))
                {
                    return true;
                }
            }

            groundAmslM = 0;
            return false;
        }
    }
}

/// <summary>One consistent view of the terrain: ground, surface (ground + obstacles) and the tile renderers.</summary>
public sealed class TerrainSnapshot
{
    internal TerrainSnapshot(string signature, IGroundElevation ground, bool hasDem, SurfaceModel surface)
    {
        Signature = signature;
        Ground = ground;
        HasDem = hasDem;
        Surface = surface;
        Converter = new AltitudeConverter(Egm96Geoid.Instance, ground);
        Heightmap = new HeightmapTileBuilder(ground, Egm96Geoid.Instance.UndulationM);
        Hillshade = new HillshadeRenderer(ground);
    }

    /// <summary>What the snapshot was built from.</summary>
    public string Signature { get; }

    /// <summary>Bare-earth heights, metres AMSL.</summary>
    public IGroundElevation Ground { get; }

    /// <summary>True when at least one DEM is stored.</summary>
    public bool HasDem { get; }

    /// <summary>Ground plus obstacles.</summary>
    public SurfaceModel Surface { get; }

    /// <summary>AGL/AMSL/W84 conversions over this ground and EGM96.</summary>
    public AltitudeConverter Converter { get; }

    /// <summary>Cesium heightmap tiles (65², ellipsoidal heights).</summary>
    public HeightmapTileBuilder Heightmap { get; }

    /// <summary>Hillshade PNG tiles (Web Mercator XYZ).</summary>
    public HillshadeRenderer Hillshade { get; }
}
