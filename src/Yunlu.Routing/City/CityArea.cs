using System.Runtime.CompilerServices;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Corridors;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Terrain;

namespace Yunlu.Routing.City;

/// <summary>The static data of a planning area: bounds, the ground, the obstacles, corridors and an optional risk layer.</summary>
/// <param name="Bounds">The area (lon/lat degrees); routes stay inside it.</param>
/// <param name="Ground">Bare-earth heights, metres AMSL (e.g. an <see cref="ElevationModel"/>).</param>
/// <param name="Surface">Buildings and other obstacles over the ground, or null for none.</param>
/// <param name="Corridors">Corridors preferred by the planner (cost discount inside them), or null.</param>
/// <param name="Risk">Ground risk in [0, 1] at a point (population, roads), or null for none.</param>
/// <param name="Geoid">Geoid for W84 heights; EGM96 when null.</param>
public sealed record CityAreaData(
    GeoBounds Bounds,
    IGroundElevation Ground,
    SurfaceModel? Surface = null,
    IReadOnlyList<Corridor>? Corridors = null,
    Func<GeoPoint, double>? Risk = null,
    IGeoid? Geoid = null);

/// <summary>How the area is rasterised.</summary>
public sealed record CityAreaOptions
{
    /// <summary>Horizontal cell edge, metres. Default 5.</summary>
    public double CellSizeM { get; init; } = 5;

    /// <summary>Extra horizontal distance kept from obstacles, metres, on top of the one-cell guard band that absorbs
    /// the misalignment between the obstacle raster and the planning grid. Default 5.</summary>
    public double ObstacleLateralClearanceM { get; init; } = 5;

    /// <summary>Edge of the coarse wind cells, metres (the wind is sampled once per cell and layer). Default 500.</summary>
    public double WindCellSizeM { get; init; } = 500;
}

/// <summary>
/// The planning area rasterised once: a grid of square cells in a <see cref="LocalTangentPlane"/> at the area's centre
/// (x east, y north; the map is affine in lon/lat so zone edges stay straight), holding per cell the tallest obstacle
/// (decimetres, rounded up) over the cell and its neighbours within the lateral clearance, the corridor that covers it and
/// the ground risk. Zones are rasterised lazily and cached per zone (conservatively: every cell whose square comes within
/// the requested lateral margin of the footprint).
/// </summary>
/// <remarks>
/// Memory: 2 bytes per cell for obstacles, plus 2 per cell when corridors exist and 1 per cell with a risk layer
/// (a 30 × 30 km area at 5 m: 36 M cells, 72–180 MB). Building it samples the surface model 9 times per cell.
/// Thread-safe once built; <see cref="CityPlanner"/> searches over it concurrently.
/// </remarks>
public sealed class CityArea
{
    /// <summary>Most cells an area may have (the search packs (cell, layer) into an int).</summary>
    public const long MaxCells = 300_000_000;

    /// <summary>Planning cells per coarse cell edge of the free-space pyramid (40 m coarse cells at 5 m).</summary>
    public const int CoarseFactor = 8;

    /// <summary>log2 of <see cref="CoarseFactor"/>.</summary>
    public const int CoarseShift = 3;

    private readonly ushort[] _obstacleDm;
    private readonly ushort[] _coarseMaxDm;
    private readonly ushort[] _coarseMinDm;
    private readonly ushort[]? _corridorIndex;
    private readonly byte[]? _risk;
    private readonly ConditionalWeakTable<Zone, Dictionary<int, ZoneRaster>> _zoneRasters = [];
    private readonly Lock _zoneLock = new();
    private readonly List<ZoneMask> _zoneMasks = [];
    private readonly System.Collections.Concurrent.ConcurrentBag<CitySearch> _searches = [];

    /// <summary>Rasterises the area.</summary>
    /// <param name="data">The data.</param>
    /// <param name="options">Rasterisation options.</param>
    /// <param name="cancellationToken">Cancels the build.</param>
    /// <exception cref="ArgumentException">Bounds empty, too many cells or a bad option.</exception>
    public CityArea(CityAreaData data, CityAreaOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(data.Ground);
        Options = options ?? new CityAreaOptions();
        if (!(Options.CellSizeM >= 0.5 && Options.CellSizeM <= 200))
        {
            throw new ArgumentException("cellSizeM must be 0.5 to 200 m", nameof(options));
        }

        if (!(Options.ObstacleLateralClearanceM >= 0 && Options.ObstacleLateralClearanceM <= 500))
        {
            throw new ArgumentException("obstacleLateralClearanceM must be 0 to 500 m", nameof(options));
        }

        if (!(Options.WindCellSizeM >= Options.CellSizeM))
        {
            throw new ArgumentException("windCellSizeM must be at least the cell size", nameof(options));
        }

        GeoBounds b = data.Bounds;
        if (!(b.EastLonDeg > b.WestLonDeg && b.NorthLatDeg > b.SouthLatDeg) || !new GeoPoint(b.WestLonDeg, b.SouthLatDeg).IsValid || !new GeoPoint(b.EastLonDeg, b.NorthLatDeg).IsValid)
        {
            throw new ArgumentException("bounds must be a non-empty lon/lat box", nameof(data));
        }

        Data = data;
        Geoid = data.Geoid ?? Egm96Geoid.Instance;
        CellSizeM = Options.CellSizeM;
        Plane = new LocalTangentPlane(new GeoPoint((b.WestLonDeg + b.EastLonDeg) / 2, (b.SouthLatDeg + b.NorthLatDeg) / 2));
        PlanarPoint sw = Plane.Forward(b.WestLonDeg, b.SouthLatDeg);
        PlanarPoint ne = Plane.Forward(b.EastLonDeg, b.NorthLatDeg);
        OriginEastM = sw.EastM;
        OriginNorthM = sw.NorthM;
        Width = Math.Max(1, (int)Math.Floor((ne.EastM - sw.EastM) / CellSizeM));
        Height = Math.Max(1, (int)Math.Floor((ne.NorthM - sw.NorthM) / CellSizeM));
        if ((long)Width * Height > MaxCells)
        {
            throw new ArgumentException($"the area has {(long)Width * Height} cells; at most {MaxCells} are allowed (use a larger cell size)", nameof(data));
        }

        WindCellCells = Math.Max(1, (int)Math.Round(Options.WindCellSizeM / CellSizeM));
        WindWidth = (Width + WindCellCells - 1) / WindCellCells;
        WindHeight = (Height + WindCellCells - 1) / WindCellCells;
        _obstacleDm = new ushort[(long)Width * Height];
        if (data.Surface is not null)
        {
            RasteriseObstacles(data.Surface, cancellationToken);
        }

        CoarseWidth = (Width + CoarseFactor - 1) >> CoarseShift;
        CoarseHeight = (Height + CoarseFactor - 1) >> CoarseShift;
        _coarseMaxDm = new ushort[CoarseWidth * CoarseHeight];
        _coarseMinDm = new ushort[_coarseMaxDm.Length];
        BuildPyramid(cancellationToken);

        if (data.Corridors is { Count: > 0 } corridors)
        {
            Corridors = [.. corridors];
            _corridorIndex = new ushort[_obstacleDm.Length];
            RasteriseCorridors(cancellationToken);
        }
        else
        {
            Corridors = [];
        }

        if (data.Risk is not null)
        {
            _risk = new byte[_obstacleDm.Length];
            RasteriseRisk(data.Risk, cancellationToken);
        }
    }

    /// <summary>The data the area was built from.</summary>
    public CityAreaData Data { get; }

    /// <summary>The options.</summary>
    public CityAreaOptions Options { get; }

    /// <summary>The geoid.</summary>
    public IGeoid Geoid { get; }

    /// <summary>The local plane (centre of the bounds).</summary>
    public LocalTangentPlane Plane { get; }

    /// <summary>Cell edge, metres.</summary>
    public double CellSizeM { get; }

    /// <summary>Columns (x, eastward).</summary>
    public int Width { get; }

    /// <summary>Rows (y, northward; row 0 is the southern edge).</summary>
    public int Height { get; }

    /// <summary>Cells.</summary>
    public long CellCount => (long)Width * Height;

    /// <summary>Planning cells per wind cell edge.</summary>
    public int WindCellCells { get; }

    /// <summary>Wind cells along x.</summary>
    public int WindWidth { get; }

    /// <summary>Wind cells along y.</summary>
    public int WindHeight { get; }

    /// <summary>The corridors, indexed as in <see cref="CorridorAt"/>.</summary>
    public IReadOnlyList<Corridor> Corridors { get; }

    /// <summary>True when a risk layer is present.</summary>
    public bool HasRisk => _risk is not null;

    /// <summary>East of the grid's south-west corner in <see cref="Plane"/>, metres.</summary>
    public double OriginEastM { get; }

    /// <summary>North of the grid's south-west corner in <see cref="Plane"/>, metres.</summary>
    public double OriginNorthM { get; }

    /// <summary>Coarse cells along x (<see cref="CoarseFactor"/> planning cells each; the last may be narrower).</summary>
    public int CoarseWidth { get; }

    /// <summary>Coarse cells along y.</summary>
    public int CoarseHeight { get; }

    /// <summary>Approximate bytes held by the rasters (fine and coarse).</summary>
    public long EstimateBytes() => (_obstacleDm.LongLength * 2) + (_coarseMaxDm.LongLength * 4) + ((_corridorIndex?.LongLength ?? 0) * 2) + (_risk?.LongLength ?? 0);

    /// <summary>The tallest obstacle (decimetres, as in <see cref="ObstacleHeightM"/>) over the planning cells of coarse
    /// cell (cx, cy): with the clearance, the coarse cell's minimum safe true height.</summary>
    /// <param name="cx">Coarse column.</param>
    /// <param name="cy">Coarse row.</param>
    public double CoarseMaxObstacleHeightM(int cx, int cy) => _coarseMaxDm[(cy * CoarseWidth) + cx] * 0.1;

    /// <summary>The continuous grid coordinates (cells; cell (i, j) spans [i, i+1) × [j, j+1)) of a point.</summary>
    /// <param name="p">The point.</param>
    public (double X, double Y) ToGrid(GeoPoint p)
    {
        PlanarPoint q = Plane.Forward(p);
        return ((q.EastM - OriginEastM) / CellSizeM, (q.NorthM - OriginNorthM) / CellSizeM);
    }

    /// <summary>The point at continuous grid coordinates.</summary>
    /// <param name="x">Cells east of the south-west corner.</param>
    /// <param name="y">Cells north of the south-west corner.</param>
    public GeoPoint ToGeo(double x, double y) =>
        Plane.Inverse(new PlanarPoint(OriginEastM + (x * CellSizeM), OriginNorthM + (y * CellSizeM)));

    /// <summary>True when the point lies inside the grid.</summary>
    /// <param name="p">The point.</param>
    public bool Contains(GeoPoint p)
    {
        (double x, double y) = ToGrid(p);
        return x >= 0 && y >= 0 && x < Width && y < Height;
    }

    /// <summary>The obstacle height (metres above ground) used for cell (x, y): the tallest obstacle over the cell and
    /// its guard band, rounded up to a decimetre.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    public double ObstacleHeightM(int x, int y) => _obstacleDm[((long)y * Width) + x] * 0.1;

    /// <summary>The corridor covering cell (x, y) (index into <see cref="Corridors"/>), or −1.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    public int CorridorAt(int x, int y) => _corridorIndex is null ? -1 : _corridorIndex[((long)y * Width) + x] - 1;

    /// <summary>The ground risk of cell (x, y) in [0, 1] (0 without a risk layer).</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    public double RiskAt(int x, int y) => _risk is null ? 0 : _risk[((long)y * Width) + x] / 255.0;

    /// <summary>Ground height at a point, metres AMSL; NaN where unknown.</summary>
    /// <param name="p">The point.</param>
    public double GroundAmslM(GeoPoint p) => Data.Ground.TryGetGroundAmslM(p, out double g) ? g : double.NaN;

    internal ushort[] ObstacleDm => _obstacleDm;

    internal ushort[] CoarseMaxDm => _coarseMaxDm;

    internal ushort[] CoarseMinDm => _coarseMinDm;

    internal System.Collections.Concurrent.ConcurrentBag<CityCoarseSearch> CoarseSearches { get; } = [];

    internal ushort[]? CorridorIndex => _corridorIndex;

    internal byte[]? Risk => _risk;

    internal CitySearch RentSearch() => _searches.TryTake(out CitySearch? s) ? s : new CitySearch(this);

    internal void ReturnSearch(CitySearch search) => _searches.Add(search);

    /// <summary>Zone masks kept per area (most recently used first): one per distinct set of blocking zone rasters.</summary>
    internal const int ZoneMaskCacheSize = 4;

    /// <summary>
    /// The union of <paramref name="rasters"/> as a bitmap of planning cells (bit y × <see cref="Width"/> + x) and a
    /// coarse cover (0 untouched, 1 touched, 2 wholly covered by one raster). With <paramref name="cache"/>, masks are
    /// kept for the last <see cref="ZoneMaskCacheSize"/> raster sets (same rasters in the same order, by reference; the
    /// rasters themselves are cached per zone and margin), so flights that block the same zones share one read-only
    /// mask instead of stamping 4.5 MB per flight on a 30 km area.
    /// </summary>
    internal ZoneMask ZoneMaskFor(List<ZoneRaster> rasters, bool cache)
    {
        if (cache)
        {
            lock (_zoneLock)
            {
                for (int i = 0; i < _zoneMasks.Count; i++)
                {
                    if (_zoneMasks[i].Matches(rasters))
                    {
                        ZoneMask hit = _zoneMasks[i];
                        _zoneMasks.RemoveAt(i);
                        _zoneMasks.Insert(0, hit);
                        return hit;
                    }
                }
            }
        }

        var mask = ZoneMask.Build(this, rasters);
        if (cache)
        {
            lock (_zoneLock)
            {
                _zoneMasks.Insert(0, mask);
                if (_zoneMasks.Count > ZoneMaskCacheSize)
                {
                    _zoneMasks.RemoveAt(_zoneMasks.Count - 1);
                }
            }
        }

        return mask;
    }

    /// <summary>The cells a zone blocks with a lateral margin of <paramref name="marginCells"/> cells (cached).</summary>
    internal ZoneRaster ZoneCells(Zone zone, int marginCells)
    {
        Dictionary<int, ZoneRaster> byMargin = _zoneRasters.GetValue(zone, static _ => []);
        lock (_zoneLock)
        {
            if (byMargin.TryGetValue(marginCells, out ZoneRaster? cached))
            {
                return cached;
            }
        }

        ZoneRaster raster = ZoneRaster.Build(this, zone.Footprint, marginCells);
        lock (_zoneLock)
        {
            byMargin[marginCells] = raster;
        }

        return raster;
    }

    /// <summary>Max- and min-pools the obstacle raster into coarse cells (conservative: a coarse cell is free in a layer
    /// only when all its planning cells are, and wholly blocked only when all are blocked).</summary>
    private void BuildPyramid(CancellationToken cancellationToken)
    {
        int w = Width, h = Height, cw = CoarseWidth;
        Parallel.For(0, CoarseHeight, new ParallelOptions { CancellationToken = cancellationToken }, cy =>
        {
            int y0 = cy << CoarseShift, y1 = Math.Min(h, y0 + CoarseFactor);
            for (int cx = 0; cx < cw; cx++)
            {
                int x0 = cx << CoarseShift, x1 = Math.Min(w, x0 + CoarseFactor);
                ushort max = 0, min = ushort.MaxValue;
                for (int y = y0; y < y1; y++)
                {
                    long row = (long)y * w;
                    for (int x = x0; x < x1; x++)
                    {
                        ushort v = _obstacleDm[row + x];
                        max = Math.Max(max, v);
                        min = Math.Min(min, v);
                    }
                }

                _coarseMaxDm[(cy * cw) + cx] = max;
                _coarseMinDm[(cy * cw) + cx] = min;
            }
        });
    }

    private void RasteriseObstacles(SurfaceModel surface, CancellationToken cancellationToken)
    {
        // 3 × 3 samples per cell at 1/6, 1/2, 5/6, then a max filter over the guard band (one cell + lateral clearance):
        // every obstacle cell of the surface model that meets a planning cell is seen by that cell or a neighbour.
        int w = Width, h = Height;
        var raw = new ushort[_obstacleDm.Length];
        Parallel.For(0, h, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, y =>
        {
            for (int x = 0; x < w; x++)
            {
                double best = 0;
                for (int sy = 0; sy < 3; sy++)
                {
                    for (int sx = 0; sx < 3; sx++)
                    {
                        GeoPoint p = ToGeo(x + ((1 + (2 * sx)) / 6.0), y + ((1 + (2 * sy)) / 6.0));
                        double o = surface.ObstacleHeightM(p);
                        if (o > best)
                        {
                            best = o;
                        }
                    }
                }

                raw[((long)y * w) + x] = (ushort)Math.Min(ushort.MaxValue, Math.Ceiling(best * 10));
            }
        });

        int r = 1 + (int)Math.Ceiling(Options.ObstacleLateralClearanceM / CellSizeM);
        MaxFilter(raw, _obstacleDm, w, h, r);
    }

    private static void MaxFilter(ushort[] src, ushort[] dst, int w, int h, int r)
    {
        // Separable square max filter (Chebyshev radius r): rows, then columns.
        var tmp = new ushort[src.Length];
        Parallel.For(0, h, y =>
        {
            long row = (long)y * w;
            for (int x = 0; x < w; x++)
            {
                ushort m = 0;
                int x0 = Math.Max(0, x - r), x1 = Math.Min(w - 1, x + r);
                for (int k = x0; k <= x1; k++)
                {
                    m = Math.Max(m, src[row + k]);
                }

                tmp[row + x] = m;
            }
        });
        Parallel.For(0, w, x =>
        {
            for (int y = 0; y < h; y++)
            {
                ushort m = 0;
                int y0 = Math.Max(0, y - r), y1 = Math.Min(h - 1, y + r);
                for (int k = y0; k <= y1; k++)
                {
                    m = Math.Max(m, tmp[((long)k * w) + x]);
                }

                dst[((long)y * w) + x] = m;
            }
        });
    }

    private void RasteriseCorridors(CancellationToken cancellationToken)
    {
        for (int i = 0; i < Corridors.Count && i < ushort.MaxValue - 1; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var geometry = new CorridorGeometry(Corridors[i]);
            Polygon footprint = geometry.FootprintPolygon();
            Envelope env = footprint.EnvelopeInternal;
            (double x0, double y0) = ToGrid(new GeoPoint(env.MinX, env.MinY));
            (double x1, double y1) = ToGrid(new GeoPoint(env.MaxX, env.MaxY));
            int cx0 = Math.Max(0, (int)Math.Floor(x0)), cy0 = Math.Max(0, (int)Math.Floor(y0));
            int cx1 = Math.Min(Width - 1, (int)Math.Ceiling(x1)), cy1 = Math.Min(Height - 1, (int)Math.Ceiling(y1));
            for (int y = cy0; y <= cy1; y++)
            {
                for (int x = cx0; x <= cx1; x++)
                {
                    // A cell counts as in the corridor when its centre is (the discount is a preference, not a guarantee).
                    if (geometry.ContainsHorizontally(ToGeo(x + 0.5, y + 0.5)))
                    {
                        _corridorIndex![((long)y * Width) + x] = (ushort)(i + 1);
                    }
                }
            }
        }
    }

    private void RasteriseRisk(Func<GeoPoint, double> risk, CancellationToken cancellationToken)
    {
        int w = Width;
        Parallel.For(0, Height, new ParallelOptions { CancellationToken = cancellationToken }, y =>
        {
            for (int x = 0; x < w; x++)
            {
                double v = risk(ToGeo(x + 0.5, y + 0.5));
                v = double.IsFinite(v) ? Math.Clamp(v, 0, 1) : 0;
                _risk![((long)y * w) + x] = (byte)Math.Round(v * 255);
            }
        });
    }
}

/// <summary>The coarse cells a zone raster touches and those it covers wholly.</summary>
/// <param name="Touched">Coarse cell indices (cy × coarse width + cx) holding at least one covered cell.</param>
/// <param name="Full">Coarse cell indices whose every planning cell is covered.</param>
internal sealed record CoarseCover(int[] Touched, int[] Full);

/// <summary>The cells a zone footprint covers, as row spans: (row, firstColumn, lastColumn) triples, inclusive.</summary>
internal sealed class ZoneRaster
{
    private ZoneRaster(int width, int[] spans, double minGroundAmslM, double maxGroundAmslM)
    {
        Width = width;
        Spans = spans;
        MinGroundAmslM = minGroundAmslM;
        MaxGroundAmslM = maxGroundAmslM;
    }

    /// <summary>The grid width the spans index into.</summary>
    public int Width { get; }

    /// <summary>Triples (row, x0, x1).</summary>
    public int[] Spans { get; }

    /// <summary>Lowest ground sampled under the zone, metres AMSL (NaN when none was known).</summary>
    public double MinGroundAmslM { get; }

    /// <summary>Highest ground sampled under the zone, metres AMSL (NaN when none was known).</summary>
    public double MaxGroundAmslM { get; }

    private CoarseCover? _coarse;

    /// <summary>The coarse cells (index cy × <see cref="CityArea.CoarseWidth"/> + cx) the raster touches and those it
    /// covers wholly (computed once).</summary>
    public CoarseCover Coarse(CityArea area)
    {
        if (Volatile.Read(ref _coarse) is { } done)
        {
            return done;
        }

        var counts = new Dictionary<int, int>();
        int[] s = Spans;
        for (int i = 0; i < s.Length; i += 3)
        {
            int cy = s[i] >> CityArea.CoarseShift, x0 = s[i + 1], x1 = s[i + 2];
            for (int cx = x0 >> CityArea.CoarseShift; cx <= x1 >> CityArea.CoarseShift; cx++)
            {
                int a = Math.Max(x0, cx << CityArea.CoarseShift), b = Math.Min(x1, (cx << CityArea.CoarseShift) + CityArea.CoarseFactor - 1);
                int key = (cy * area.CoarseWidth) + cx;
                counts[key] = counts.GetValueOrDefault(key) + (b - a + 1);
            }
        }

        var touched = new int[counts.Count];
        var full = new List<int>();
        int n = 0;
        foreach ((int key, int count) in counts)
        {
            touched[n++] = key;
            int cx = key % area.CoarseWidth, cy = key / area.CoarseWidth;
            int cells = Math.Min(CityArea.CoarseFactor, area.Width - (cx << CityArea.CoarseShift)) * Math.Min(CityArea.CoarseFactor, area.Height - (cy << CityArea.CoarseShift));
            if (count >= cells)
            {
                full.Add(key);
            }
        }

        var result = new CoarseCover(touched, [.. full]);
        Volatile.Write(ref _coarse, result);
        return result;
    }

    public static ZoneRaster Build(CityArea area, Footprint footprint, int marginCells)
    {
        // Every cell whose centre is within (half a diagonal + margin) of the footprint: such a cell's square may meet
        // the footprint (or come within the margin of it); no cell that does is left out.
        double reachCells = (Math.Sqrt(2) / 2) + marginCells;
        var spans = new List<int>();
        switch (footprint)
        {
            case CircleFootprint c:
                CircleSpans(area, c, reachCells, spans);
                break;
            case PolygonFootprint p:
                PolygonSpans(area, p.Polygon, reachCells, spans);
                break;
            default:
                throw new ArgumentException("unknown footprint type", nameof(footprint));
        }

        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        int step = Math.Max(1, spans.Count / 3 / 64) * 3;
        for (int i = 0; i < spans.Count; i += step)
        {
            int y = spans[i];
            for (int x = spans[i + 1]; x <= spans[i + 2]; x += Math.Max(1, (spans[i + 2] - spans[i + 1]) / 8))
            {
                double g = area.GroundAmslM(area.ToGeo(x + 0.5, y + 0.5));
                if (double.IsFinite(g))
                {
                    min = Math.Min(min, g);
                    max = Math.Max(max, g);
                }
            }
        }

        return new ZoneRaster(area.Width, [.. spans], double.IsFinite(min) ? min : double.NaN, double.IsFinite(max) ? max : double.NaN);
    }

    private static void CircleSpans(CityArea area, CircleFootprint c, double reachCells, List<int> spans)
    {
        // The plane's scale drifts by ~d·tan φ / R across the area (≤ 0.2 % here); widen the radius to stay outside.
        (double cx, double cy) = area.ToGrid(c.Center);
        double r = (c.RadiusM * 1.003 / area.CellSizeM) + reachCells + 0.05;
        int y0 = Math.Max(0, (int)Math.Floor(cy - r)), y1 = Math.Min(area.Height - 1, (int)Math.Ceiling(cy + r));
        for (int y = y0; y <= y1; y++)
        {
            double dy = y + 0.5 - cy;
            double half2 = (r * r) - (dy * dy);
            if (half2 < 0)
            {
                continue;
            }

            double half = Math.Sqrt(half2);
            int x0 = Math.Max(0, (int)Math.Ceiling(cx - half - 0.5)), x1 = Math.Min(area.Width - 1, (int)Math.Floor(cx + half - 0.5));
            if (x0 <= x1)
            {
                spans.Add(y);
                spans.Add(x0);
                spans.Add(x1);
            }
        }
    }

    private static void PolygonSpans(CityArea area, Polygon polygon, double reachCells, List<int> spans)
    {
        // To grid coordinates (affine in lon/lat, so edges stay straight), buffer outward (circumscribed arcs), fill the
        // cell centres inside by scanline (even–odd over all rings).
        Polygon gridPolygon = (Polygon)polygon.Copy();
        gridPolygon.Apply(new ToGridFilter(area));
        gridPolygon.GeometryChanged();
        const int quadrantSegments = 8;
        double circumscribe = 1 / Math.Cos(Math.PI / (4 * quadrantSegments));
        Geometry buffered = gridPolygon.Buffer((reachCells * circumscribe) + 0.01, quadrantSegments);
        var rings = new List<CoordinateSequence>();
        for (int i = 0; i < buffered.NumGeometries; i++)
        {
            if (buffered.GetGeometryN(i) is Polygon part)
            {
                rings.Add(part.Shell.CoordinateSequence);
                foreach (LinearRing hole in part.Holes)
                {
                    rings.Add(hole.CoordinateSequence);
                }
            }
        }

        Envelope env = buffered.EnvelopeInternal;
        int y0 = Math.Max(0, (int)Math.Floor(env.MinY - 0.5)), y1 = Math.Min(area.Height - 1, (int)Math.Ceiling(env.MaxY));
        var xs = new List<double>();
        for (int y = y0; y <= y1; y++)
        {
            double yc = y + 0.5;
            xs.Clear();
            foreach (CoordinateSequence ring in rings)
            {
                int n = ring.Count;
                for (int i = 0; i + 1 < n; i++)
                {
                    double ay = ring.GetY(i), by = ring.GetY(i + 1);
                    if ((ay > yc) != (by > yc))
                    {
                        double ax = ring.GetX(i), bx = ring.GetX(i + 1);
                        xs.Add(ax + ((yc - ay) / (by - ay) * (bx - ax)));
                    }
                }
            }

            xs.Sort();
            for (int k = 0; k + 1 < xs.Count; k += 2)
            {
                int x0 = Math.Max(0, (int)Math.Ceiling(xs[k] - 0.5)), x1 = Math.Min(area.Width - 1, (int)Math.Floor(xs[k + 1] - 0.5));
                if (x0 <= x1)
                {
                    spans.Add(y);
                    spans.Add(x0);
                    spans.Add(x1);
                }
            }
        }
    }

    private sealed class ToGridFilter(CityArea area) : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            (double x, double y) = area.ToGrid(new GeoPoint(seq.GetX(i), seq.GetY(i)));
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}

/// <summary>The read-only union of a set of zone rasters: planning-cell bitmap and coarse cover (see
/// <see cref="CityArea.ZoneMaskFor"/>).</summary>
internal sealed class ZoneMask
{
    private readonly ZoneRaster[] _key;

    private ZoneMask(ZoneRaster[] key, ulong[] bits, byte[] coarse)
    {
        _key = key;
        Bits = bits;
        Coarse = coarse;
    }

    /// <summary>Bit y × width + x set when the cell is blocked.</summary>
    public ulong[] Bits { get; }

    /// <summary>Per coarse cell: 0 no raster touches it, 1 touched, 2 wholly covered.</summary>
    public byte[] Coarse { get; }

    private readonly List<(ushort[] ThresholdDm, CityCoarseGrid Grid)> _coarseGrids = [];
    private readonly Lock _coarseLock = new();

    /// <summary>
    /// The coarse states of a flight over this mask whose wind blocks no cell: they depend only on the mask and the
    /// layers' obstacle thresholds, so flights with the same layers and clearance share them (the last four threshold
    /// sets are kept).
    /// </summary>
    public CityCoarseGrid CoarseGridFor(CityFlightGrid grid)
    {
        ushort[] thr = grid.ThresholdDm;
        lock (_coarseLock)
        {
            foreach ((ushort[] t, CityCoarseGrid g) in _coarseGrids)
            {
                if (t.AsSpan().SequenceEqual(thr))
                {
                    return g;
                }
            }
        }

        var built = new CityCoarseGrid(grid);
        lock (_coarseLock)
        {
            _coarseGrids.Insert(0, ((ushort[])thr.Clone(), built));
            if (_coarseGrids.Count > 4)
            {
                _coarseGrids.RemoveAt(_coarseGrids.Count - 1);
            }
        }

        return built;
    }

    public bool Matches(List<ZoneRaster> rasters)
    {
        if (rasters.Count != _key.Length)
        {
            return false;
        }

        for (int i = 0; i < _key.Length; i++)
        {
            if (!ReferenceEquals(rasters[i], _key[i]))
            {
                return false;
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ZoneMask Build(CityArea area, List<ZoneRaster> rasters)
    {
        var bits = new ulong[(area.CellCount + 63) >> 6];
        var coarse = new byte[area.CoarseWidth * area.CoarseHeight];
        foreach (ZoneRaster raster in rasters)
        {
            int[] s = raster.Spans;
            for (int i = 0; i < s.Length; i += 3)
            {
                StampRow(bits, s[i], s[i + 1], s[i + 2], raster.Width);
            }

            CoarseCover cover = raster.Coarse(area);
            foreach (int i in cover.Touched)
            {
                coarse[i] = Math.Max(coarse[i], (byte)1);
            }

            foreach (int i in cover.Full)
            {
                coarse[i] = 2;
            }
        }

        return new ZoneMask([.. rasters], bits, coarse);
    }

    private static void StampRow(ulong[] bits, int row, int x0, int x1, int width)
    {
        long a = ((long)row * width) + x0, b = ((long)row * width) + x1;
        for (long i = a; i <= b;)
        {
            if ((i & 63) == 0 && i + 63 <= b)
            {
                bits[i >> 6] = ulong.MaxValue;
                i += 64;
            }
            else
            {
                bits[i >> 6] |= 1UL << (int)(i & 63);
                i++;
            }
        }
    }
}
