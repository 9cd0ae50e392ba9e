using NetTopologySuite.Geometries;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;

namespace Yunlu.Airspace.Tests;

internal static class ZoneTestData
{
    public static Polygon Box(double west, double south, double east, double north) =>
        FootprintGeometry.Factory.CreatePolygon(
        [
            new Coordinate(west, south), new Coordinate(east, south), new Coordinate(east, north), new Coordinate(west, north), new Coordinate(west, south),
        ]);

    public static Zone Zone(
        string id,
        Footprint footprint,
        ZoneRestriction restriction = ZoneRestriction.Prohibited,
        Altitude? lower = null,
        Altitude? upper = null,
        IReadOnlyList<ZoneApplicability>? applicability = null) =>
        new(id, "zone " + id, "CHN", restriction, [ZoneReason.Airport], footprint,
            lower ?? Altitude.Agl(0), upper ?? Altitude.Agl(500), applicability ?? [ZoneApplicability.Always], null, null);
}
