using NetTopologySuite.Geometries;

namespace Yunlu.Geo;

/// <summary>
/// The horizontal shape of a volume: a polygon (NetTopologySuite, X = lon, Y = lat degrees) or a circle
/// (centre and radius in metres on the ground).
/// </summary>
public abstract record Footprint;

/// <summary>A polygon footprint. The polygon is in lon/lat degrees (SRID 4326), valid and non-empty.</summary>
/// <param name="Polygon">The polygon; its shell is closed, holes allowed.</param>
public sealed record PolygonFootprint(Polygon Polygon) : Footprint;

/// <summary>A circle footprint: all points within <paramref name="RadiusM"/> metres (geodesic) of the centre.</summary>
/// <param name="Center">The centre.</param>
/// <param name="RadiusM">The radius in metres, &gt; 0.</param>
public sealed record CircleFootprint(GeoPoint Center, double RadiusM) : Footprint;
