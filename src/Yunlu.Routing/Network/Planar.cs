namespace Yunlu.Routing.Network;

/// <summary>Planar predicates on metre coordinates (local tangent plane). Allocation-free.</summary>
internal static class Planar
{
    /// <summary>Twice the signed area of (a, b, c): &gt; 0 when c is left of a→b.</summary>
    public static double Orient(double ax, double ay, double bx, double by, double cx, double cy) =>
        ((bx - ax) * (cy - ay)) - ((by - ay) * (cx - ax));

    /// <summary>True when the open segments cross at one interior point of both (no touching, no collinear overlap).</summary>
    public static bool CrossProperly(double ax, double ay, double bx, double by, double cx, double cy, double dx, double dy)
    {
        double o1 = Orient(ax, ay, bx, by, cx, cy);
        double o2 = Orient(ax, ay, bx, by, dx, dy);
        if (!((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)))
        {
            return false;
        }

        double o3 = Orient(cx, cy, dx, dy, ax, ay);
        double o4 = Orient(cx, cy, dx, dy, bx, by);
        return (o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0);
    }

    /// <summary>True when the closed segments share at least one point (touching and collinear overlap count).</summary>
    public static bool Intersect(double ax, double ay, double bx, double by, double cx, double cy, double dx, double dy)
    {
        if (Math.Max(ax, bx) < Math.Min(cx, dx) || Math.Max(cx, dx) < Math.Min(ax, bx) ||
            Math.Max(ay, by) < Math.Min(cy, dy) || Math.Max(cy, dy) < Math.Min(ay, by))
        {
            return false;
        }

        double o1 = Orient(ax, ay, bx, by, cx, cy);
        double o2 = Orient(ax, ay, bx, by, dx, dy);
        double o3 = Orient(cx, cy, dx, dy, ax, ay);
        double o4 = Orient(cx, cy, dx, dy, bx, by);
        if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)))
        {
            return true;
        }

        return (o1 == 0 && OnSegment(ax, ay, bx, by, cx, cy)) || (o2 == 0 && OnSegment(ax, ay, bx, by, dx, dy)) ||
               (o3 == 0 && OnSegment(cx, cy, dx, dy, ax, ay)) || (o4 == 0 && OnSegment(cx, cy, dx, dy, bx, by));
    }

    /// <summary>The parameter along a→b of the crossing with c→d (lines assumed not parallel).</summary>
    public static double CrossingParameter(double ax, double ay, double bx, double by, double cx, double cy, double dx, double dy)
    {
        double rx = bx - ax, ry = by - ay, sx = dx - cx, sy = dy - cy;
        double denom = (rx * sy) - (ry * sx);
        return (((cx - ax) * sy) - ((cy - ay) * sx)) / denom;
    }

    /// <summary>Distance from p to the closed segment a–b, and the clamped parameter of the nearest point.</summary>
    public static double PointSegmentDistance(double px, double py, double ax, double ay, double bx, double by, out double t)
    {
        double dx = bx - ax, dy = by - ay;
        double len2 = (dx * dx) + (dy * dy);
        t = len2 > 0 ? (((px - ax) * dx) + ((py - ay) * dy)) / len2 : 0;
        t = Math.Clamp(t, 0, 1);
        double x = ax + (t * dx) - px, y = ay + (t * dy) - py;
        return Math.Sqrt((x * x) + (y * y));
    }

    /// <summary>Heading of a→b, degrees clockwise from north (east = 90), in [0, 360).</summary>
    public static double HeadingDeg(double ax, double ay, double bx, double by)
    {
        double h = Math.Atan2(bx - ax, by - ay) * (180 / Math.PI);
        if (h < 0)
        {
            h += 360;
        }

        return h >= 360 ? 0 : h;
    }

    /// <summary>The heading layer of a segment flown a→b (see <see cref="NetworkOptions.HeadingLayers"/>).</summary>
    public static int Layer(double ax, double ay, double bx, double by, int layers)
    {
        double h = HeadingDeg(ax, ay, bx, by);
        int l = (int)(h / (360.0 / layers));
        return Math.Min(l, layers - 1);
    }

    private static bool OnSegment(double ax, double ay, double bx, double by, double px, double py) =>
        px >= Math.Min(ax, bx) && px <= Math.Max(ax, bx) && py >= Math.Min(ay, by) && py <= Math.Max(ay, by);
}
