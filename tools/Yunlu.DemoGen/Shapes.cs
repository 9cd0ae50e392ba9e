using Yunlu.Geo;

namespace Yunlu.DemoGen;

/// <summary>Simple anticlockwise rings built in the local metric frame and returned as lon/lat (open: first ≠ last).</summary>
internal static class Shapes
{
    // cos/sin of 10°, for arcs without Math.Sin/Math.Cos.
    private const double Cos10 = 0.98480775301220806, Sin10 = 0.17364817766693035;

    /// <summary>A rectangle centred on <paramref name="center"/>, half sizes along its own axes, rotated.</summary>
    public static List<GeoPoint> Rectangle(GeoPoint center, double halfU, double halfV, Rotation rotation)
    {
        var cx = LocalFrame.X(center.LonDeg);
        var cy = LocalFrame.Y(center.LatDeg);
        var ring = new List<GeoPoint>(4);
        foreach (var (u, v) in new[] { (-halfU, -halfV), (halfU, -halfV), (halfU, halfV), (-halfU, halfV) })
        {
            var (dx, dy) = rotation.Apply(u, v);
            ring.Add(LocalFrame.ToGeo(cx + dx, cy + dy));
        }

        return ring;
    }

    /// <summary>
    /// A capsule ("runway-shaped" area): all points within <paramref name="radiusM"/> of the segment through
    /// <paramref name="center"/> along unit direction (<paramref name="dirEast"/>, <paramref name="dirNorth"/>) with
    /// half length <paramref name="halfLengthM"/>; each end cap has 19 vertices (10° steps).
    /// </summary>
    public static List<GeoPoint> Capsule(GeoPoint center, double dirEast, double dirNorth, double halfLengthM, double radiusM)
    {
        var cx = LocalFrame.X(center.LonDeg);
        var cy = LocalFrame.Y(center.LatDeg);
        var ring = new List<GeoPoint>(38);
        // Normal to the left of the direction.
        var nx = -dirNorth;
        var ny = dirEast;
        foreach (var sign in new[] { 1.0, -1.0 })
        {
            var px = cx + (sign * dirEast * halfLengthM);
            var py = cy + (sign * dirNorth * halfLengthM);
            // Start on the right of the travel direction at this end and sweep 180° anticlockwise.
            var vx = -sign * nx;
            var vy = -sign * ny;
            for (var k = 0; k <= 18; k++)
            {
                ring.Add(LocalFrame.ToGeo(px + (radiusM * vx), py + (radiusM * vy)));
                (vx, vy) = ((vx * Cos10) - (vy * Sin10), (vx * Sin10) + (vy * Cos10));
            }
        }

        return ring;
    }

    /// <summary>A polygon given as local offsets (metres east, north) from <paramref name="center"/>, in order.</summary>
    public static List<GeoPoint> Offsets(GeoPoint center, params (double EastM, double NorthM)[] offsets)
    {
        var cx = LocalFrame.X(center.LonDeg);
        var cy = LocalFrame.Y(center.LatDeg);
        var ring = new List<GeoPoint>(offsets.Length);
        foreach (var (e, n) in offsets)
        {
            ring.Add(LocalFrame.ToGeo(cx + e, cy + n));
        }

        return ring;
    }

    /// <summary>Twice the signed area (m²) of a ring in the local frame: positive when anticlockwise.</summary>
    public static double SignedArea2(IReadOnlyList<GeoPoint> ring)
    {
        var s = 0.0;
        for (var i = 0; i < ring.Count; i++)
        {
            var a = ring[i];
            var b = ring[(i + 1) % ring.Count];
            s += (LocalFrame.X(a.LonDeg) * LocalFrame.Y(b.LatDeg)) - (LocalFrame.X(b.LonDeg) * LocalFrame.Y(a.LatDeg));
        }

        return s;
    }
}
