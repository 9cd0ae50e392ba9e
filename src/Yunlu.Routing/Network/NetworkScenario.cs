using System.Globalization;
using NetTopologySuite.Geometries;
using Yunlu.Geo;

namespace Yunlu.Routing.Network;

/// <summary>Seeded random scenarios for benchmarks and demonstrations: vertiports spread over a square with some
/// prohibited areas (circles and rotated L-shaped blocks).</summary>
public static class NetworkScenario
{
    /// <summary>Centre of the default scenario (Guiyang), lon/lat degrees.</summary>
    public static GeoPoint GuiyangCentre { get; } = new(106.70, 26.55);

    /// <summary>Builds a scenario. Same arguments, same scenario (System.Random with a seed is stable across runs of one
    /// .NET version).</summary>
    /// <param name="vertiports">Vertiport count (2 to 2000).</param>
    /// <param name="sideM">Side of the square, metres (≥ 1000).</param>
    /// <param name="keepOuts">Prohibited areas (0 to 100).</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="clearanceM">Vertiports are placed at least this plus 20 m outside every area.</param>
    /// <param name="centre">Centre of the square; null for <see cref="GuiyangCentre"/>.</param>
    public static NetworkInput Random(int vertiports, double sideM, int keepOuts, int seed, double clearanceM = 100, GeoPoint? centre = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vertiports, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(vertiports, 2000);
        ArgumentOutOfRangeException.ThrowIfLessThan(sideM, 1000);
        ArgumentOutOfRangeException.ThrowIfNegative(keepOuts);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keepOuts, 100);
        var rng = new Random(seed);
        var plane = new LocalTangentPlane(centre ?? GuiyangCentre);
        double half = sideM / 2;
        var areas = new List<NetworkKeepOut>();
        var planar = new List<Geometry>();
        var factory = new GeometryFactory();
        for (int k = 0; k < keepOuts; k++)
        {
            double cx = (rng.NextDouble() - 0.5) * sideM * 0.8, cy = (rng.NextDouble() - 0.5) * sideM * 0.8;
            string id = "PZ-" + (k + 1).ToString("D2", CultureInfo.InvariantCulture);
            if (k % 2 == 0)
            {
                double r = sideM * (0.015 + (0.03 * rng.NextDouble()));
                areas.Add(new NetworkKeepOut(id, new CircleFootprint(plane.Inverse(new PlanarPoint(cx, cy)), r)));
                planar.Add(factory.CreatePoint(new Coordinate(cx, cy)).Buffer(r));
            }
            else
            {
                // An L-shaped block, rotated.
                double a = sideM * (0.03 + (0.04 * rng.NextDouble())), b = a * (0.3 + (0.3 * rng.NextDouble()));
                double rot = rng.NextDouble() * Math.PI;
                (double X, double Y)[] shape = [(0, 0), (a, 0), (a, b), (b, b), (b, a), (0, a)];
                var ring = new Coordinate[shape.Length + 1];
                var geo = new Coordinate[shape.Length + 1];
                for (int i = 0; i < shape.Length; i++)
                {
                    double x = shape[i].X - (a / 2), y = shape[i].Y - (a / 2);
                    double px = cx + (x * Math.Cos(rot)) - (y * Math.Sin(rot)), py = cy + (x * Math.Sin(rot)) + (y * Math.Cos(rot));
                    ring[i] = new Coordinate(px, py);
                    GeoPoint g = plane.Inverse(new PlanarPoint(px, py));
                    geo[i] = new Coordinate(g.LonDeg, g.LatDeg);
                }

                ring[^1] = ring[0].Copy();
                geo[^1] = geo[0].Copy();
                areas.Add(new NetworkKeepOut(id, new PolygonFootprint(FootprintGeometry.Factory.CreatePolygon(geo))));
                planar.Add(factory.CreatePolygon(ring));
            }
        }

        var list = new List<NetworkVertiport>(vertiports);
        var placed = new List<(double X, double Y)>();
        int attempts = 0;
        while (list.Count < vertiports)
        {
            if (++attempts > vertiports * 1000)
            {
                throw new InvalidOperationException("could not place the vertiports outside the keep-out areas; use fewer or smaller areas");
            }

            double x = (rng.NextDouble() - 0.5) * sideM, y = (rng.NextDouble() - 0.5) * sideM;
            var p = factory.CreatePoint(new Coordinate(x, y));
            bool ok = true;
            foreach (Geometry g in planar)
            {
                if (g.Distance(p) < clearanceM + 20)
                {
                    ok = false;
                    break;
                }
            }

            foreach ((double X, double Y) q in placed)
            {
                if (Math.Abs(q.X - x) < 50 && Math.Abs(q.Y - y) < 50)
                {
                    ok = false;
                    break;
                }
            }

            if (!ok)
            {
                continue;
            }

            placed.Add((x, y));
            string id = "VP-" + (list.Count + 1).ToString("D3", CultureInfo.InvariantCulture);
            list.Add(new NetworkVertiport(id, "Vertiport " + id, plane.Inverse(new PlanarPoint(x, y))));
        }

        return new NetworkInput(list, areas, []);
    }
}
