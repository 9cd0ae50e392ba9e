using Yunlu.Geo;

namespace Yunlu.DemoGen;

/// <summary>
/// A local east/north frame in metres around the demo region (equirectangular about 26.525° N). Exact enough for
/// laying out synthetic features over 70 km; the constants are literals (not Math.Cos) so the output is the same on
/// every platform.
/// </summary>
internal static class LocalFrame
{
    /// <summary>Origin longitude, degrees.</summary>
    public const double OriginLonDeg = 106.725;

    /// <summary>Origin latitude, degrees.</summary>
    public const double OriginLatDeg = 26.525;

    /// <summary>Metres per degree of longitude at 26.525° N (111 320 m × cos 26.525°).</summary>
    public const double MetresPerDegLon = 99_603.0;

    /// <summary>Metres per degree of latitude at 26.525° N.</summary>
    public const double MetresPerDegLat = 110_786.0;

    public static double X(double lonDeg) => (lonDeg - OriginLonDeg) * MetresPerDegLon;

    public static double Y(double latDeg) => (latDeg - OriginLatDeg) * MetresPerDegLat;

    public static double Lon(double xM) => OriginLonDeg + xM / MetresPerDegLon;

    public static double Lat(double yM) => OriginLatDeg + yM / MetresPerDegLat;

    public static GeoPoint ToGeo(double xM, double yM) => new(Lon(xM), Lat(yM));
}

/// <summary>A direction given by its cosine and sine (literals, so layouts do not depend on Math.Sin).</summary>
internal readonly record struct Rotation(double Cos, double Sin)
{
    public static Rotation None => new(1, 0);

    /// <summary>10° anticlockwise.</summary>
    public static Rotation Deg10 => new(0.98480775301220806, 0.17364817766693035);

    /// <summary>20° anticlockwise.</summary>
    public static Rotation Deg20 => new(0.93969262078590838, 0.34202014332566873);

    /// <summary>8° clockwise.</summary>
    public static Rotation DegMinus8 => new(0.99026806874157032, -0.13917310096006544);

    /// <summary>Rotates a local (u, v) offset into east/north.</summary>
    public (double X, double Y) Apply(double u, double v) => (u * Cos - v * Sin, u * Sin + v * Cos);

    /// <summary>The inverse of <see cref="Apply"/>.</summary>
    public (double U, double V) Unapply(double x, double y) => (x * Cos + y * Sin, -x * Sin + y * Cos);
}

/// <summary>A river: a polyline from upstream to downstream with nominal water levels (m AMSL) at its vertices.</summary>
internal sealed record River(string Name, GeoPoint[] Course, double[] NominalLevelM, double ValleyHalfWidthM);

/// <summary>A lake: an axis-aligned ellipse in the local frame.</summary>
internal sealed record Lake(string Name, GeoPoint Center, double RadiusEastM, double RadiusNorthM);

/// <summary>An urban district: a rotated rectangle of street blocks.</summary>
/// <param name="Id">Short id used in building ids.</param>
/// <param name="Name">Chinese name.</param>
/// <param name="NameEn">English name.</param>
/// <param name="Center">Centre.</param>
/// <param name="HalfWidthM">Half extent along the district's own east axis, metres.</param>
/// <param name="HalfHeightM">Half extent along its own north axis, metres.</param>
/// <param name="Rotation">Street-grid orientation.</param>
internal sealed record District(string Id, string Name, string NameEn, GeoPoint Center, double HalfWidthM, double HalfHeightM, Rotation Rotation);

/// <summary>The fixed places the synthetic demo is laid out around (approximate real positions, WGS84).</summary>
internal static class Guiyang
{
    /// <summary>West, south, east, north bounds of the demo DEM, degrees.</summary>
    public const double WestDeg = 106.40, SouthDeg = 26.30, EastDeg = 107.05, NorthDeg = 26.75;

    /// <summary>Longdongbao International Airport (ZUGY) aerodrome reference point.</summary>
    public static readonly GeoPoint Airport = new(106.8008, 26.5385);

    /// <summary>Aerodrome elevation used for the flattened airfield, m AMSL.</summary>
    public const double AirportElevationM = 1140;

    /// <summary>Runway direction (true bearing 17.5°, runway 02/20): unit vector (east, north) = (sin, cos).</summary>
    public const double RunwayDirEast = 0.30070579950427306, RunwayDirNorth = 0.95371695074822693;

    /// <summary>Runway length, metres.</summary>
    public const double RunwayLengthM = 3200;

    /// <summary>Half-length and half-width of the levelled airfield (runway, strips, aprons), metres.</summary>
    public const double AirfieldHalfLengthM = 2000, AirfieldHalfWidthM = 450;

    public static readonly GeoPoint JiaxiuPavilion = new(106.7131, 26.5716);

    public static readonly GeoPoint QianlingPeak = new(106.6920, 26.6000);

    public static readonly River Nanming = new(
        "南明河 Nanming River",
        [
            new(106.600, 26.000), new(106.612, 26.160), new(106.628, 26.330), new(106.650, 26.372), new(106.668, 26.410), new(106.676, 26.450),
            new(106.690, 26.495), new(106.700, 26.535), new(106.706, 26.560), new(106.7131, 26.5710),
            new(106.725, 26.5750), new(106.740, 26.583), new(106.760, 26.598), new(106.790, 26.615),
            new(106.820, 26.640), new(106.850, 26.672), new(106.880, 26.710), new(106.900, 26.760),
            new(106.930, 26.860), new(106.960, 27.010),
        ],
        [1150, 1130, 1115, 1108, 1100, 1090, 1075, 1062, 1055, 1050, 1047, 1043, 1036, 1025, 1012, 998, 985, 970, 950, 930],
        650);

    public static readonly River Maotiao = new(
        "猫跳河 Maotiao River",
        [
            new(106.250, 26.300), new(106.330, 26.380), new(106.400, 26.470), new(106.415, 26.500), new(106.425, 26.530), new(106.440, 26.560),
            new(106.470, 26.600), new(106.500, 26.640), new(106.525, 26.670), new(106.540, 26.710),
            new(106.560, 26.760), new(106.590, 26.850), new(106.620, 27.010),
        ],
        [1270, 1262, 1255, 1248, 1242, 1240, 1225, 1205, 1195, 1170, 1150, 1120, 1090],
        520);

    public static readonly Lake[] Lakes =
    [
        new("红枫湖 Hongfeng Lake", new(106.425, 26.535), 1500, 3200),
        new("百花湖 Baihua Lake", new(106.522, 26.665), 1000, 2000),
        new("阿哈湖 Aha Lake", new(106.665, 26.555), 550, 850),
        new("观山湖 Guanshan Lake", new(106.6175, 26.6060), 330, 230),
    ];

    public static readonly District HighTech = new("HT", "贵阳高新区", "Guiyang High-tech Zone", new(106.600, 26.632), 1000, 800, Rotation.Deg10);

    public static readonly District Guanshanhu = new("GSH", "观山湖区", "Guanshanhu", new(106.639, 26.614), 1300, 1000, Rotation.None);

    public static readonly District OldCity = new("OC", "老城区（云岩·南明）", "Old city (Yunyan, Nanming)", new(106.712, 26.580), 1250, 1050, Rotation.DegMinus8);

    public static readonly District GuiAn = new("GA", "贵安新区", "Gui'an New Area", new(106.430, 26.420), 1300, 1000, Rotation.Deg20);

    public static readonly District[] Districts = [HighTech, Guanshanhu, OldCity, GuiAn];
}
