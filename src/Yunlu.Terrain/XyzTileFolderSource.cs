namespace Yunlu.Terrain;

/// <summary>A map tile's bytes and media type.</summary>
/// <param name="Bytes">The encoded image.</param>
/// <param name="ContentType"><c>image/png</c> or <c>image/jpeg</c>.</param>
public sealed record MapTile(byte[] Bytes, string ContentType);

/// <summary>
/// A user's folder of pre-rendered map tiles laid out as <c>{root}/{z}/{x}/{y}.png</c> (or <c>.jpg</c>/<c>.jpeg</c>),
/// e.g. exported by QGIS, MapTiler or gdal2tiles. With <c>tms: true</c> the folder's y counts from the south (TMS,
/// gdal2tiles' default) and is flipped to XYZ. Paths are built from validated integers only, so no request can
/// escape the root.
/// </summary>
public sealed class XyzTileFolderSource
{
    private static readonly (string Extension, string ContentType)[] Formats =
    [
        (".png", "image/png"),
        (".jpg", "image/jpeg"),
        (".jpeg", "image/jpeg"),
    ];

    private readonly string _root;
    private readonly bool _tms;

    /// <summary>Serves tiles from <paramref name="rootPath"/>.</summary>
    /// <param name="rootPath">The folder holding the zoom-level folders; must exist.</param>
    /// <param name="tms">True when y counts from the south (TMS).</param>
    public XyzTileFolderSource(string rootPath, bool tms = false)
    {
        ArgumentNullException.ThrowIfNull(rootPath);
        if (!Directory.Exists(rootPath))
        {
            throw new DirectoryNotFoundException($"tile folder '{rootPath}' does not exist");
        }

        _root = Path.GetFullPath(rootPath);
        _tms = tms;
    }

    /// <summary>The tile z/x/y (XYZ numbering, y from the north), or null when the folder lacks it.</summary>
    public async Task<MapTile?> TryGetTileAsync(int z, int x, int y, CancellationToken cancellationToken)
    {
        WebMercator.Validate(z, x, y);
        var fileY = _tms ? (int)((1L << z) - 1 - y) : y;
        var dir = Path.Combine(_root, z.ToString(System.Globalization.CultureInfo.InvariantCulture), x.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (extension, contentType) in Formats)
        {
            var path = Path.Combine(dir, fileY.ToString(System.Globalization.CultureInfo.InvariantCulture) + extension);
            try
            {
                // Read without a separate existence check: a tile deleted meanwhile simply falls through to the next format.
                return new MapTile(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), contentType);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // This format is absent; try the next one.
            }
        }

        return null;
    }
}
