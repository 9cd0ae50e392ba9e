using System.Buffers.Binary;

namespace Yunlu.Geo;

/// <summary>
/// The EGM96 geoid from the NGA 15′ × 15′ undulation grid (WW15MGH.GRD as a binary raster), bilinearly interpolated.
/// </summary>
/// <remarks>
/// <para>Source: NGA/NASA EGM96, grid "WW15MGH" (public domain). 721 rows from 90° N to 90° S × 1440 columns from
/// 0° E eastward, 0.25° spacing, int16 big-endian centimetres, embedded in this assembly (2 MB, loaded on first use).</para>
/// <para>Accuracy: bilinear interpolation of the 15′ grid adds an interpolation error of centimetres in most places and
/// up to decimetres where the gravity field is rough (GeographicLib's geoid documentation tabulates it per grid);
/// EGM96 itself is good to about ±0.5–1 m. Longitude wraps at 360°; the pole rows are constant, so the poles need no
/// special case beyond clamping the row index.</para>
/// </remarks>
public sealed class Egm96Geoid : IGeoid
{
    /// <summary>Rows in the grid (90° N … 90° S).</summary>
    public const int Rows = 721;

    /// <summary>Columns in the grid (0° E … 359.75° E).</summary>
    public const int Columns = 1440;

    /// <summary>Grid spacing in degrees.</summary>
    public const double SpacingDeg = 0.25;

    private const string ResourceName = "Yunlu.Geo.Geoid.egm96-15.bin";

    private static readonly Lazy<Egm96Geoid> LazyInstance = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly short[] _cm;

    private Egm96Geoid(short[] cm) => _cm = cm;

    /// <summary>The process-wide instance; the grid is read from the embedded resource on first access.</summary>
    public static Egm96Geoid Instance => LazyInstance.Value;

    /// <summary>The raw grid value at row <paramref name="row"/> (0 = 90° N) and column <paramref name="col"/> (0 = 0° E), metres.</summary>
    /// <param name="row">Row, 0–720.</param>
    /// <param name="col">Column, 0–1439.</param>
    public double NodeUndulationM(int row, int col)
    {
        if ((uint)row >= Rows)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(row), "row must be in 0..720");
        }

        if ((uint)col >= Columns)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(col), "col must be in 0..1439");
        }

        return _cm[(row * Columns) + col] * 0.01;
    }

    /// <inheritdoc />
    /// <remarks>Bilinear in (lon, lat) between the four surrounding grid nodes. Allocation-free, O(1).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The point is not finite or outside lon/lat ranges.</exception>
    public double UndulationM(GeoPoint p)
    {
        if (!p.IsValid)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(p), "point must have finite lon in [-180, 180] and lat in [-90, 90]");
        }

        double y = (90.0 - p.LatDeg) / SpacingDeg;
        int r0 = (int)Math.Floor(y);
        if (r0 >= Rows - 1)
        {
            r0 = Rows - 2;
        }

        double ty = y - r0;

        double lon = p.LonDeg < 0 ? p.LonDeg + 360.0 : p.LonDeg;
        double x = lon / SpacingDeg;
        int c0 = (int)Math.Floor(x);
        double tx = x - c0;
        if (c0 >= Columns)
        {
            c0 -= Columns;
        }

        int c1 = c0 + 1 == Columns ? 0 : c0 + 1;
        int i0 = r0 * Columns;
        int i1 = i0 + Columns;
        double top = (_cm[i0 + c0] * (1 - tx)) + (_cm[i0 + c1] * tx);
        double bottom = (_cm[i1 + c0] * (1 - tx)) + (_cm[i1 + c1] * tx);
        return ((top * (1 - ty)) + (bottom * ty)) * 0.01;
    }

    private static Egm96Geoid Load()
    {
        using Stream stream = typeof(Egm96Geoid).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource '{ResourceName}' is missing from {typeof(Egm96Geoid).Assembly.GetName().Name}");
        const int count = Rows * Columns;
        if (stream.Length != count * 2L)
        {
            throw new InvalidOperationException($"EGM96 grid has {stream.Length} bytes, expected {count * 2L}");
        }

        byte[] bytes = new byte[count * 2];
        stream.ReadExactly(bytes);
        var cm = new short[count];
        for (int i = 0; i < count; i++)
        {
            cm[i] = BinaryPrimitives.ReadInt16BigEndian(bytes.AsSpan(i * 2, 2));
        }

        return new Egm96Geoid(cm);
    }
}
