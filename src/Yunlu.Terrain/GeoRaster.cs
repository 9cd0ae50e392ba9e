using Yunlu.Geo;

namespace Yunlu.Terrain;

/// <summary>The type a raster's samples had in its source file (values are held as <see cref="float"/> in memory).</summary>
public enum RasterSampleType
{
    /// <summary>Unsigned 8-bit (orthophoto RGB(A)).</summary>
    UInt8,

    /// <summary>Signed 16-bit (SRTM, most DEMs).</summary>
    Int16,

    /// <summary>Unsigned 16-bit.</summary>
    UInt16,

    /// <summary>Signed 32-bit (exact in memory up to ±2^24).</summary>
    Int32,

    /// <summary>IEEE 754 single precision.</summary>
    Float32,

    /// <summary>IEEE 754 double precision (rounded to single precision in memory).</summary>
    Float64,
}

/// <summary>
/// A north-up, unrotated affine transform from raster space to lon/lat degrees (EPSG:4326).
/// Pixel-is-area convention: (<see cref="WestDeg"/>, <see cref="NorthDeg"/>) is the outer corner of the
/// top-left pixel, so the centre of pixel (col, row) is (West + (col + ½)·dLon, North − (row + ½)·dLat).
/// A pixel-is-point source (SRTM .hgt, GeoTIFF RasterPixelIsPoint) is converted to this convention on reading
/// by moving the corner half a pixel outwards (GDAL's convention).
/// </summary>
/// <param name="WestDeg">Longitude of the west edge of column 0, degrees.</param>
/// <param name="NorthDeg">Latitude of the north edge of row 0, degrees.</param>
/// <param name="PixelSizeLonDeg">Pixel width in degrees of longitude, &gt; 0.</param>
/// <param name="PixelSizeLatDeg">Pixel height in degrees of latitude, &gt; 0 (rows go south).</param>
public readonly record struct GeoTransform(double WestDeg, double NorthDeg, double PixelSizeLonDeg, double PixelSizeLatDeg)
{
    /// <summary>The centre of pixel (<paramref name="col"/>, <paramref name="row"/>).</summary>
    public GeoPoint PixelCenter(int col, int row) =>
        new(WestDeg + ((col + 0.5) * PixelSizeLonDeg), NorthDeg - ((row + 0.5) * PixelSizeLatDeg));

    /// <summary>The east edge of a raster <paramref name="width"/> pixels wide, degrees.</summary>
    public double EastDeg(int width) => WestDeg + (width * PixelSizeLonDeg);

    /// <summary>The south edge of a raster <paramref name="height"/> pixels high, degrees.</summary>
    public double SouthDeg(int height) => NorthDeg - (height * PixelSizeLatDeg);

    /// <summary>Fractional column of <paramref name="lonDeg"/> measured between pixel centres (0 = centre of column 0).</summary>
    public double ColumnOf(double lonDeg) => ((lonDeg - WestDeg) / PixelSizeLonDeg) - 0.5;

    /// <summary>Fractional row of <paramref name="latDeg"/> measured between pixel centres (0 = centre of row 0).</summary>
    public double RowOf(double latDeg) => ((NorthDeg - latDeg) / PixelSizeLatDeg) - 0.5;
}

/// <summary>
/// A georeferenced raster in EPSG:4326 held in memory: one <see cref="float"/> array per band, row-major, row 0 north.
/// Samples equal to <see cref="NoData"/> (or NaN) mean "no data". Read by <c>GeoTiffReader</c> / <c>HgtReader</c>,
/// written by <c>GeoTiffWriter</c>, tiled by <see cref="DemTiler"/>.
/// </summary>
public sealed class GeoRaster
{
    private readonly float[][] _bands;

    /// <summary>Creates a raster over existing band arrays (not copied).</summary>
    /// <param name="width">Columns, &gt; 0.</param>
    /// <param name="height">Rows, &gt; 0.</param>
    /// <param name="sampleType">The sample type it came from / should be written as.</param>
    /// <param name="transform">Georeferencing (pixel-is-area).</param>
    /// <param name="noData">The no-data value, or null.</param>
    /// <param name="bands">One array of width·height samples per band (1 to 4 bands).</param>
    public GeoRaster(int width, int height, RasterSampleType sampleType, GeoTransform transform, double? noData, params float[][] bands)
    {
        ArgumentNullException.ThrowIfNull(bands);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (bands.Length is < 1 or > 4)
        {
            throw new ArgumentException("a raster has 1 to 4 bands", nameof(bands));
        }

        foreach (var band in bands)
        {
            if (band is null || band.LongLength != (long)width * height)
            {
                throw new ArgumentException("every band must hold width × height samples", nameof(bands));
            }
        }

        if (!(transform.PixelSizeLonDeg > 0) || !(transform.PixelSizeLatDeg > 0) ||
            !double.IsFinite(transform.WestDeg) || !double.IsFinite(transform.NorthDeg) ||
            !double.IsFinite(transform.PixelSizeLonDeg) || !double.IsFinite(transform.PixelSizeLatDeg))
        {
            throw new ArgumentException("the transform must be finite with positive pixel sizes", nameof(transform));
        }

        Width = width;
        Height = height;
        SampleType = sampleType;
        Transform = transform;
        NoData = noData;
        _bands = bands;
    }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Number of bands (1 for a DEM, 3 or 4 for an RGB(A) orthophoto).</summary>
    public int BandCount => _bands.Length;

    /// <summary>The sample type in the source file.</summary>
    public RasterSampleType SampleType { get; }

    /// <summary>Georeferencing (pixel-is-area).</summary>
    public GeoTransform Transform { get; }

    /// <summary>The no-data value (GDAL_NODATA, SRTM −32768), or null.</summary>
    public double? NoData { get; }

    /// <summary>The bands, each width·height samples, row-major, row 0 north.</summary>
    public IReadOnlyList<float[]> Bands => _bands;

    /// <summary>Band 0 (the DEM heights).</summary>
    public float[] Data => _bands[0];

    /// <summary>West edge, degrees.</summary>
    public double WestDeg => Transform.WestDeg;

    /// <summary>North edge, degrees.</summary>
    public double NorthDeg => Transform.NorthDeg;

    /// <summary>East edge, degrees.</summary>
    public double EastDeg => Transform.EastDeg(Width);

    /// <summary>South edge, degrees.</summary>
    public double SouthDeg => Transform.SouthDeg(Height);

    /// <summary>The sample of <paramref name="band"/> at (<paramref name="col"/>, <paramref name="row"/>).</summary>
    public float GetSample(int band, int col, int row)
    {
        if ((uint)col >= (uint)Width || (uint)row >= (uint)Height)
        {
            throw new ArgumentOutOfRangeException(nameof(col), "pixel outside the raster");
        }

        return _bands[band][(row * Width) + col];
    }

    /// <summary>True when <paramref name="value"/> means "no data" (equals <see cref="NoData"/>, or is NaN).</summary>
    public bool IsNoData(float value) => float.IsNaN(value) || (NoData is { } nd && (value == (float)nd || (double.IsNaN(nd) && float.IsNaN(value))));
}
