using NetTopologySuite.Geometries;

namespace Yunlu.Terrain;

/// <summary>
/// A building or other obstacle: a footprint (lon/lat degrees) standing <see cref="HeightM"/> metres above the ground
/// under it. Together with the DEM it forms the surface-height field routing and checks use.
/// </summary>
/// <param name="Id">Stable identifier (from the source file, or generated).</param>
/// <param name="Footprint">Footprint polygon, lon/lat degrees, valid.</param>
/// <param name="HeightM">Height above ground in metres, &gt; 0.</param>
/// <param name="Kind">building, tower, mast, chimney, power_line, other.</param>
/// <param name="Name">Optional name.</param>
public sealed record Obstacle(string Id, Polygon Footprint, double HeightM, string Kind, string? Name);
