using NetTopologySuite.Geometries;
using Yunlu.Airspace.Operations;
using Yunlu.Geo;

namespace Yunlu.Operations.Tests;

internal static class TestData
{
    public static readonly DateTimeOffset T0 = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    public static Polygon Rect(double w, double s, double e, double n) =>
        FootprintGeometry.Factory.CreatePolygon(
        [
            new Coordinate(w, s), new Coordinate(e, s), new Coordinate(e, n), new Coordinate(w, n), new Coordinate(w, s),
        ]);

    /// <summary>A corridor of the given width (m) between two points, as a 4-vertex polygon in lon/lat.</summary>
    public static Polygon Corridor(GeoPoint a, GeoPoint b, double widthM)
    {
        var plane = new LocalTangentPlane(a);
        PlanarPoint pb = plane.Forward(b);
        double len = Math.Sqrt((pb.EastM * pb.EastM) + (pb.NorthM * pb.NorthM));
        double nx = -pb.NorthM / len * widthM / 2, ny = pb.EastM / len * widthM / 2;
        GeoPoint c1 = plane.Inverse(new PlanarPoint(nx, ny));
        GeoPoint c2 = plane.Inverse(new PlanarPoint(pb.EastM + nx, pb.NorthM + ny));
        GeoPoint c3 = plane.Inverse(new PlanarPoint(pb.EastM - nx, pb.NorthM - ny));
        GeoPoint c4 = plane.Inverse(new PlanarPoint(-nx, -ny));
        return FootprintGeometry.Factory.CreatePolygon(
        [
            new Coordinate(c1.LonDeg, c1.LatDeg), new Coordinate(c4.LonDeg, c4.LatDeg), new Coordinate(c3.LonDeg, c3.LatDeg),
            new Coordinate(c2.LonDeg, c2.LatDeg), new Coordinate(c1.LonDeg, c1.LatDeg),
        ]);
    }

    public static Volume4D Vol(Footprint f, double lower, double upper, DateTimeOffset start, DateTimeOffset end) =>
        new(new Volume3D(f, Altitude.W84(lower), Altitude.W84(upper)), new TimeWindow(start, end));

    public static Volume4D Box(double w, double s, double e, double n, double lower, double upper, int startMin, int endMin) =>
        Vol(new PolygonFootprint(Rect(w, s, e, n)), lower, upper, T0.AddMinutes(startMin), T0.AddMinutes(endMin));

    public static OperationalIntent Intent(Guid id, IntentPriority priority, params Volume4D[] volumes) => new()
    {
        Id = id,
        OwnerId = "owner",
        OperatorId = "op",
        AircraftId = "ac",
        PilotId = "pilot",
        Priority = priority,
        Volumes = volumes,
        Ovn = Ovn.New(),
    };

    /// <summary>A random volume on a coarse lattice (0.001° steps, 30 m layers, 5 min steps) so that touching in
    /// space, altitude and time happens often: lattice rectangles, triangles, corridors, a polygon with a hole, circles.</summary>
    public static Volume4D RandomVolume(Random r, double lon0 = 106.70, double lat0 = 26.60)
    {
        double Lat(int k) => lat0 + (k * 0.001);
        double Lon(int k) => lon0 + (k * 0.001);
        int x = r.Next(0, 20), y = r.Next(0, 20);
        Footprint f;
        switch (r.Next(6))
        {
            case 0:
            case 1:
                f = new PolygonFootprint(Rect(Lon(x), Lat(y), Lon(x + 1 + r.Next(4)), Lat(y + 1 + r.Next(4))));
                break;
            case 2:
            {
                int dx = 1 + r.Next(4), dy = 1 + r.Next(4);
                f = new PolygonFootprint(FootprintGeometry.Factory.CreatePolygon(
                [
                    new Coordinate(Lon(x), Lat(y)), new Coordinate(Lon(x + dx), Lat(y)), new Coordinate(Lon(x), Lat(y + dy)), new Coordinate(Lon(x), Lat(y)),
                ]));
                break;
            }

            case 3:
                f = new PolygonFootprint(Corridor(new GeoPoint(Lon(x), Lat(y)), new GeoPoint(Lon(x + r.Next(-5, 6)) + 0.0003, Lat(y + r.Next(-5, 6)) + 0.0002), 100));
                break;
            case 4:
            {
                LinearRing shell = FootprintGeometry.Factory.CreateLinearRing(Rect(Lon(x), Lat(y), Lon(x + 5), Lat(y + 5)).Shell.Coordinates);
                LinearRing hole = FootprintGeometry.Factory.CreateLinearRing(Rect(Lon(x + 1), Lat(y + 1), Lon(x + 4), Lat(y + 4)).Shell.Coordinates.Reverse().ToArray());
                f = new PolygonFootprint(FootprintGeometry.Factory.CreatePolygon(shell, [hole]));
                break;
            }

            default:
                f = new CircleFootprint(new GeoPoint(Lon(x), Lat(y)), 50 + r.Next(400));
                break;
        }

        int layer = r.Next(4), layers = 1 + r.Next(2);
        int start = r.Next(0, 24) * 5, dur = (1 + r.Next(6)) * 5;
        return Vol(f, 1000 + (30 * layer), 1000 + (30 * (layer + layers)), T0.AddMinutes(start), T0.AddMinutes(start + dur));
    }
}
