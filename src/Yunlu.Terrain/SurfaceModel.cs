using NetTopologySuite.Geometries;
using Yunlu.Geo;

namespace Yunlu.Terrain;

/// <summary>
/// The surface-height field: ground (a DEM) plus obstacles. Obstacle footprints are rasterised once onto a lon/lat
/// grid whose cells are about <see cref="CellSizeM"/> metres square at the obstacles' mean latitude; a cell takes the
/// greatest height of the obstacles whose footprint contains its centre (even–odd rule, holes respected; scanline
/// polygon filling, Foley et al., "Computer Graphics", §3.6). Cells are stored in 64×64 chunks allocated only where
/// there are obstacles, so sparse city blocks over a large area stay small.
/// Queries are O(1) and allocation-free.
/// </summary>
public sealed class SurfaceModel
{
    /// <summary>Default cell size, metres.</summary>
    public const double DefaultCellSizeM = 5;

    private const int ChunkShift = 6;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    private readonly IGroundElevation _ground;
    private readonly float[]?[] _chunks;
    private readonly int _chunkCols;
    private readonly double _west;
    private readonly double _north;
    private readonly double _dLon;
    private readonly double _dLat;

    /// <summary>Rasterises <paramref name="obstacles"/> over <paramref name="ground"/>.</summary>
    /// <param name="ground">The bare-earth heights (e.g. an <see cref="ElevationModel"/>).</param>
    /// <param name="obstacles">Obstacles with lon/lat footprints and heights above ground.</param>
    /// <param name="cellSizeM">Grid cell edge, metres (0.5 to 100).</param>
    public SurfaceModel(IGroundElevation ground, IReadOnlyList<Obstacle> obstacles, double cellSizeM = DefaultCellSizeM)
    {
        ArgumentNullException.ThrowIfNull(ground);
        ArgumentNullException.ThrowIfNull(obstacles);
        if (!(cellSizeM >= 0.5 && cellSizeM <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(cellSizeM), "cell size must be 0.5 to 100 m");
        }

        _ground = ground;
        CellSizeM = cellSizeM;
        var box = new Envelope();
        foreach (var o in obstacles)
        {
            if (!(o.HeightM > 0) || !double.IsFinite(o.HeightM))
            {
                throw new ArgumentException($"obstacle {o.Id}: HeightM must be a finite number > 0", nameof(obstacles));
            }

            box.ExpandToInclude(o.Footprint.EnvelopeInternal);
        }

        if (box.IsNull)
        {
            box = new Envelope(0, 0, 0, 0);
        }

        var plane = new LocalTangentPlane(new GeoPoint(box.Centre.X, box.Centre.Y));
        _dLon = cellSizeM / plane.MetresPerDegreeLon;
        _dLat = cellSizeM / plane.MetresPerDegreeLat;
        _west = box.MinX - _dLon;
        _north = box.MaxY + _dLat;
        Columns = Math.Max(1, (int)Math.Ceiling((box.MaxX + _dLon - _west) / _dLon));
        Rows = Math.Max(1, (int)Math.Ceiling((_north - (box.MinY - _dLat)) / _dLat));
        if ((long)Columns * Rows > 1L << 34)
        {
            throw new ArgumentException("the obstacles spread over too large an area for this cell size", nameof(obstacles));
        }

        _chunkCols = (Columns + ChunkSize - 1) >> ChunkShift;
        var chunkRows = (Rows + ChunkSize - 1) >> ChunkShift;
        _chunks = new float[]?[(long)_chunkCols * chunkRows];
        var crossings = new List<double>();
        foreach (var o in obstacles)
        {
            Rasterise(o.Footprint, (float)o.HeightM, crossings);
        }
    }

    /// <summary>The cell edge, metres.</summary>
    public double CellSizeM { get; }

    /// <summary>Grid columns.</summary>
    public int Columns { get; }

    /// <summary>Grid rows (row 0 north).</summary>
    public int Rows { get; }

    /// <summary>The centre of cell (<paramref name="col"/>, <paramref name="row"/>).</summary>
    public GeoPoint CellCenter(int col, int row) => new(_west + ((col + 0.5) * _dLon), _north - ((row + 0.5) * _dLat));

    /// <summary>The height of the tallest obstacle over the grid cell containing <paramref name="p"/>, metres above
    /// ground; 0 where there is none.</summary>
    public double ObstacleHeightM(GeoPoint p)
    {
        var fx = (p.LonDeg - _west) / _dLon;
        var fy = (_north - p.LatDeg) / _dLat;
        if (!(fx >= 0 && fy >= 0 && fx < Columns && fy < Rows))
        {
            return 0;
        }

        var col = (int)fx;
        var row = (int)fy;
        var chunk = _chunks[((row >> ChunkShift) * _chunkCols) + (col >> ChunkShift)];
        return chunk is null ? 0 : chunk[((row & ChunkMask) << ChunkShift) + (col & ChunkMask)];
    }

    /// <summary>Top of the surface at <paramref name="p"/>: ground + obstacle, metres AMSL; null where the ground is
    /// unknown.</summary>
    public double? SurfaceAmslM(GeoPoint p) =>
        _ground.TryGetGroundAmslM(p, out var ground) ? ground + ObstacleHeightM(p) : null;

    private void Rasterise(Polygon polygon, float heightM, List<double> crossings)
    {
        var env = polygon.EnvelopeInternal;
        var rowStart = Math.Max(0, (int)Math.Floor(((_north - env.MaxY) / _dLat) - 0.5));
        var rowEnd = Math.Min(Rows - 1, (int)Math.Ceiling(((_north - env.MinY) / _dLat) - 0.5));
        for (var row = rowStart; row <= rowEnd; row++)
        {
            var y = _north - ((row + 0.5) * _dLat);
            crossings.Clear();
            AddCrossings(polygon.Shell.CoordinateSequence, y, crossings);
            foreach (var hole in polygon.Holes)
            {
                AddCrossings(hole.CoordinateSequence, y, crossings);
            }

            crossings.Sort();
            for (var k = 0; k + 1 < crossings.Count; k += 2)
            {
                // Cells whose centre x satisfies crossings[k] <= x < crossings[k+1].
                var c0 = Math.Max(0, (int)Math.Ceiling(((crossings[k] - _west) / _dLon) - 0.5));
                var c1 = Math.Min(Columns - 1, (int)Math.Ceiling(((crossings[k + 1] - _west) / _dLon) - 0.5) - 1);
                for (var col = c0; col <= c1; col++)
                {
                    Raise(col, row, heightM);
                }
            }
        }
    }

    private static void AddCrossings(CoordinateSequence ring, double y, List<double> crossings)
    {
        var n = ring.Count;
        for (var i = 0; i + 1 < n; i++)
        {
            var ay = ring.GetY(i);
            var by = ring.GetY(i + 1);
            if ((ay > y) != (by > y))
            {
                var ax = ring.GetX(i);
                var bx = ring.GetX(i + 1);
                crossings.Add(ax + ((y - ay) / (by - ay) * (bx - ax)));
            }
        }
    }

    private void Raise(int col, int row, float heightM)
    {
        var ci = ((row >> ChunkShift) * _chunkCols) + (col >> ChunkShift);
        var chunk = _chunks[ci] ??= new float[ChunkSize * ChunkSize];
        ref var cell = ref chunk[((row & ChunkMask) << ChunkShift) + (col & ChunkMask)];
        if (heightM > cell)
        {
            cell = heightM;
        }
    }
}
