using System.Collections.Concurrent;
using Yunlu.Formats.Raster;
using Yunlu.Storage;
using Yunlu.Terrain;

namespace Yunlu.Server.Imports;

/// <summary>Imagery layers: imported orthophotos (rendered to Web Mercator tiles on request) and the user's own XYZ
/// tile folders under <c>&lt;data&gt;/tiles/&lt;layer&gt;/{z}/{x}/{y}.png|jpg</c>.</summary>
public sealed class ImageryService(IYunluStore store, YunluServerOptions options)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset ImportedAt, OrthophotoTileRenderer Renderer)> _orthophotos = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="layer"/> is 1–64 of <c>a-z 0-9 - _</c> (so it is safe as a folder name).</summary>
    public static bool IsValidLayer(string layer) =>
        layer.Length is > 0 and <= 64 && layer.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');

    /// <summary>The tile, null when the layer exists but has nothing there; throws <see cref="KeyNotFoundException"/>
    /// for an unknown layer.</summary>
    public async Task<MapTile?> GetTileAsync(string layer, int z, int x, int y, CancellationToken cancellationToken)
    {
        var datasets = await store.ListRasterDatasetsAsync(cancellationToken).ConfigureAwait(false);
        var dataset = datasets.FirstOrDefault(d => string.Equals(d.Id, layer, StringComparison.Ordinal) && string.Equals(d.Kind, ImportService.OrthophotoKind, StringComparison.Ordinal));
        if (dataset is not null)
        {
            if (!_orthophotos.TryGetValue(layer, out var cached) || cached.ImportedAt != dataset.ImportedAt)
            {
                var bytes = await store.GetRasterTileAsync(dataset.Id, 0, 0, cancellationToken).ConfigureAwait(false)
                    ?? throw new KeyNotFoundException($"orthophoto '{layer}' has no image");
                cached = (dataset.ImportedAt, new OrthophotoTileRenderer(GeoTiffReader.Read(bytes)));
                _orthophotos[layer] = cached;
            }

            return cached.Renderer.RenderPng(z, x, y) is { } png ? new MapTile(png, "image/png") : null;
        }

        var folder = Path.Combine(Path.GetFullPath(options.DataFolder), "tiles", layer);
        if (Directory.Exists(folder))
        {
            return await new XyzTileFolderSource(folder).TryGetTileAsync(z, x, y, cancellationToken).ConfigureAwait(false);
        }

        throw new KeyNotFoundException($"no imagery layer '{layer}' (import an orthophoto or put XYZ tiles under <data>/tiles/{layer}/)");
    }
}
