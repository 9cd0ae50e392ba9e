using System.Globalization;
using Yunlu.Geo;

namespace Yunlu.DemoGen;

/// <summary>One generated building: an anticlockwise ring (open), its height and attributes.</summary>
internal sealed record DemoBuilding(
    string Id,
    IReadOnlyList<GeoPoint> Ring,
    double? HeightM,
    int? Levels,
    string Kind,
    string? Name,
    string District);

/// <summary>How a district's blocks are built up.</summary>
internal sealed record DistrictStyle(
    double BlockU,
    double BlockV,
    double StreetM,
    double ParcelM,
    double SetbackMinM,
    double SetbackMaxM,
    double Occupancy,
    double MaxGroundRangeM,
    string[] Kinds);

/// <summary>
/// Lays out building footprints district by district: a street grid of blocks (rotated with the district), each
/// block split guillotine-wise into parcels (random cut at 35–65 % of the longer side until parcels reach the
/// district's size), each parcel built on with the district's occupancy as a rectangle, or an L-shape, set back from
/// the parcel edge. Parcels on water, on ground that varies more than a few metres (cone hills), or under a landmark
/// stay empty, so no two footprints overlap and none self-intersects. Heights follow each district's character.
/// </summary>
internal static class Buildings
{
    private static readonly Dictionary<string, DistrictStyle> Styles = new(StringComparer.Ordinal)
    {
        ["HT"] = new(220, 170, 32, 46, 8, 14, 0.82, 14, ["office", "commercial", "office", "residential"]),
        ["GSH"] = new(200, 160, 28, 40, 7, 12, 0.78, 10, ["residential", "residential", "commercial", "office"]),
        ["OC"] = new(105, 88, 14, 30, 1.5, 4, 0.8, 12, ["residential", "residential", "commercial", "retail", "residential"]),
        ["GA"] = new(260, 200, 36, 80, 12, 22, 0.55, 8, ["data_center", "industrial", "office", "school", "residential"]),
    };

    /// <summary>Named landmark buildings (approximate positions; footprints and heights are illustrative).</summary>
    public static IReadOnlyList<DemoBuilding> Landmarks() =>
    [
        Landmark("LM-JXL", "甲秀楼 Jiaxiu Pavilion", "historic", Guiyang.JiaxiuPavilion, 8, 8, Rotation.DegMinus8, 22, 3, "OC"),
        Landmark("LM-WCG", "文昌阁 Wenchang Pavilion", "historic", new GeoPoint(106.7195, 26.5822), 9, 9, Rotation.None, 20, 3, "OC"),
        Landmark("LM-HGY1", "花果园双子塔（北塔） Huaguoyuan Twin Towers (north)", "office", new GeoPoint(106.6905, 26.5652), 26, 26, Rotation.Deg10, 335, 74, "OC"),
        Landmark("LM-HGY2", "花果园双子塔（南塔） Huaguoyuan Twin Towers (south)", "office", new GeoPoint(106.6915, 26.5636), 26, 26, Rotation.Deg10, 335, 74, "OC"),
        Landmark("LM-ECC", "贵阳国际生态会议中心 Guiyang International Eco-Conference Center", "conference_centre", new GeoPoint(106.6445, 26.6215), 120, 70, Rotation.None, 45, 6, "GSH"),
        Landmark("LM-IFC1", "贵阳国际金融中心 T1 Guiyang International Financial Center T1", "office", new GeoPoint(106.6355, 26.6110), 24, 24, Rotation.None, 200, 48, "GSH"),
        Landmark("LM-IFC2", "贵阳国际金融中心 T2 Guiyang International Financial Center T2", "office", new GeoPoint(106.6372, 26.6098), 22, 22, Rotation.None, 160, 38, "GSH"),
        Landmark("LM-GZM", "贵州省博物馆 Guizhou Provincial Museum", "museum", new GeoPoint(106.6300, 26.6240), 75, 55, Rotation.None, 32, 4, "GSH"),
        Landmark("LM-HTD", "高新区数字经济大厦（示例） High-tech Zone Digital Economy Tower (example)", "office", Guiyang.HighTech.Center, 25, 25, Rotation.Deg10, 188, 45, "HT"),
        Landmark("LM-GADC", "贵安数据中心（示例） Gui'an Data Centre (example)", "data_center", new GeoPoint(106.4200, 26.4150), 95, 32, Rotation.Deg20, 24, 4, "GA"),
    ];

    /// <summary>All buildings: the landmarks, then each district's generated blocks.</summary>
    public static List<DemoBuilding> Generate(KarstTerrain terrain, ulong seed)
    {
        var result = new List<DemoBuilding>(Landmarks());
        var keepOut = new List<(double X, double Y, double R)>();
        foreach (var b in result)
        {
            var (x, y, r) = Circumcircle(b.Ring);
            keepOut.Add((x, y, r + 15));
        }

        ulong stream = 1;
        foreach (var district in Guiyang.Districts)
        {
            var rng = new Pcg32(seed, stream++);
            GenerateDistrict(district, Styles[district.Id], terrain, rng, keepOut, result);
        }

        return result;
    }

    private static void GenerateDistrict(District district, DistrictStyle style, KarstTerrain terrain, Pcg32 rng, List<(double X, double Y, double R)> keepOut, List<DemoBuilding> into)
    {
        var geometry = new KarstTerrain.DistrictGeometry(district);
        var pitchU = style.BlockU + style.StreetM;
        var pitchV = style.BlockV + style.StreetM;
        var nU = (int)Math.Floor(2 * district.HalfWidthM / pitchU);
        var nV = (int)Math.Floor(2 * district.HalfHeightM / pitchV);
        var u0 = -nU * pitchU / 2;
        var v0 = -nV * pitchV / 2;
        var count = 0;
        for (var j = 0; j < nV; j++)
        {
            for (var i = 0; i < nU; i++)
            {
                // A few blocks are parks or squares.
                if (rng.Chance(0.07))
                {
                    continue;
                }

                var bu = u0 + (i * pitchU) + (style.StreetM / 2);
                var bv = v0 + (j * pitchV) + (style.StreetM / 2);
                var parcels = new List<(double U0, double V0, double U1, double V1)>();
                Split((bu, bv, bu + style.BlockU, bv + style.BlockV), style.ParcelM, rng, parcels);
                foreach (var p in parcels)
                {
                    if (!rng.Chance(style.Occupancy))
                    {
                        continue;
                    }

                    var setback = rng.Range(style.SetbackMinM, style.SetbackMaxM);
                    var (a0, b0, a1, b1) = (p.U0 + setback, p.V0 + setback, p.U1 - setback, p.V1 - setback);
                    if (a1 - a0 < 8 || b1 - b0 < 8)
                    {
                        continue;
                    }

                    var localRing = Footprint(a0, b0, a1, b1, rng);
                    var ring = new List<GeoPoint>(localRing.Count);
                    var ground = new double[localRing.Count + 1];
                    var onWater = false;
                    for (var k = 0; k < localRing.Count; k++)
                    {
                        var (x, y) = geometry.ToLocal(localRing[k].U, localRing[k].V);
                        ring.Add(LocalFrame.ToGeo(x, y));
                        ground[k] = terrain.HeightAt(x, y);
                        onWater |= terrain.IsWater(x, y);
                    }

                    var (cx, cy) = geometry.ToLocal((a0 + a1) / 2, (b0 + b1) / 2);
                    ground[localRing.Count] = terrain.HeightAt(cx, cy);
                    onWater |= terrain.IsWater(cx, cy);
                    if (onWater || Range(ground) > style.MaxGroundRangeM || UnderLandmark(cx, cy, a1 - a0, b1 - b0, keepOut))
                    {
                        continue;
                    }

                    // Draw the attributes in a fixed order whatever is used, so one choice does not shift the rest.
                    var r1 = rng.NextDouble();
                    var r2 = rng.NextDouble();
                    var r3 = rng.NextDouble();
                    var kind = style.Kinds[(int)(r2 * style.Kinds.Length)];
                    var heightM = Height(district.Id, kind, r1, r3, a1 - a0, b1 - b0);
                    var levels = Math.Max(1, (int)Math.Round(heightM / (kind is "data_center" or "industrial" ? 6.0 : Yunlu.Formats.ObstacleFiles.MetresPerLevel), MidpointRounding.AwayFromZero));
                    double? height = Math.Round(heightM, 1, MidpointRounding.AwayFromZero);
                    int? levelsOut = levels;
                    if (district.Id == "OC" && r3 < 0.3)
                    {
                        height = null; // Only building:levels, as much of OpenStreetMap's data has it.
                    }
                    else if (district.Id is "GA" or "OC")
                    {
                        levelsOut = null;
                    }

                    count++;
                    into.Add(new DemoBuilding(
                        string.Create(CultureInfo.InvariantCulture, $"B-{district.Id}-{count:00000}"),
                        ring, height, levelsOut, kind, null, district.Id));
                }
            }
        }
    }

    private static double Height(string districtId, string kind, double r, double r3, double sizeU, double sizeV)
    {
        var small = Math.Min(sizeU, sizeV);
        return districtId switch
        {
            // Towers 60–200 m, slimmer footprints a little lower.
            "HT" => 60 + (140 * r * Math.Sqrt(r) * Math.Min(1, small / 30)),
            "GSH" => kind == "residential" ? 33 + (66 * r) : 24 + (96 * r * r),
            // Old city: mostly 4–18 storeys, one in ten a taller residential tower.
            "OC" => r3 > 0.9 ? 60 + (40 * r) : 12 + (45 * r * r),
            _ => kind switch
            {
                "data_center" => 18 + (12 * r),
                "industrial" => 9 + (9 * r),
                "school" => 12 + (10 * r),
                _ => 9 + (21 * r),
            },
        };
    }

    private static void Split((double U0, double V0, double U1, double V1) rect, double target, Pcg32 rng, List<(double, double, double, double)> into)
    {
        var du = rect.U1 - rect.U0;
        var dv = rect.V1 - rect.V0;
        var longer = Math.Max(du, dv);
        var f = rng.Range(0.35, 0.65);
        if (longer <= target * 1.4 || (longer <= target * 2.2 && rng.Chance(0.35)))
        {
            into.Add(rect);
            return;
        }

        if (du >= dv)
        {
            var cut = rect.U0 + (du * f);
            Split((rect.U0, rect.V0, cut, rect.V1), target, rng, into);
            Split((cut, rect.V0, rect.U1, rect.V1), target, rng, into);
        }
        else
        {
            var cut = rect.V0 + (dv * f);
            Split((rect.U0, rect.V0, rect.U1, cut), target, rng, into);
            Split((rect.U0, cut, rect.U1, rect.V1), target, rng, into);
        }
    }

    /// <summary>A rectangle, or (one time in five, when both sides exceed 30 m) an L-shape: anticlockwise, open.</summary>
    private static List<(double U, double V)> Footprint(double a0, double b0, double a1, double b1, Pcg32 rng)
    {
        var lShape = rng.Chance(0.2);
        var fu = rng.Range(0.4, 0.6);
        var fv = rng.Range(0.4, 0.6);
        var corner = rng.Next(0, 4);
        if (!lShape || a1 - a0 < 30 || b1 - b0 < 30)
        {
            return [(a0, b0), (a1, b0), (a1, b1), (a0, b1)];
        }

        var cu = a0 + ((a1 - a0) * fu);
        var cv = b0 + ((b1 - b0) * fv);
        return corner switch
        {
            // Cut away the north-east quadrant, and so on anticlockwise.
            0 => [(a0, b0), (a1, b0), (a1, cv), (cu, cv), (cu, b1), (a0, b1)],
            1 => [(a0, b0), (a1, b0), (a1, b1), (cu, b1), (cu, cv), (a0, cv)],
            2 => [(cu, b0), (a1, b0), (a1, b1), (a0, b1), (a0, cv), (cu, cv)],
            _ => [(a0, b0), (cu, b0), (cu, cv), (a1, cv), (a1, b1), (a0, b1)],
        };
    }

    private static bool UnderLandmark(double x, double y, double sizeU, double sizeV, List<(double X, double Y, double R)> keepOut)
    {
        var half = 0.5 * Math.Sqrt((sizeU * sizeU) + (sizeV * sizeV));
        foreach (var (kx, ky, kr) in keepOut)
        {
            var d = kr + half;
            if (((x - kx) * (x - kx)) + ((y - ky) * (y - ky)) < d * d)
            {
                return true;
            }
        }

        return false;
    }

    private static double Range(double[] values)
    {
        double min = double.MaxValue, max = double.MinValue;
        foreach (var v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        return max - min;
    }

    private static (double X, double Y, double R) Circumcircle(IReadOnlyList<GeoPoint> ring)
    {
        double sx = 0, sy = 0;
        foreach (var p in ring)
        {
            sx += LocalFrame.X(p.LonDeg);
            sy += LocalFrame.Y(p.LatDeg);
        }

        sx /= ring.Count;
        sy /= ring.Count;
        var r = 0.0;
        foreach (var p in ring)
        {
            var dx = LocalFrame.X(p.LonDeg) - sx;
            var dy = LocalFrame.Y(p.LatDeg) - sy;
            r = Math.Max(r, Math.Sqrt((dx * dx) + (dy * dy)));
        }

        return (sx, sy, r);
    }

    private static DemoBuilding Landmark(string id, string name, string kind, GeoPoint center, double halfU, double halfV, Rotation rotation, double heightM, int levels, string district) =>
        new(id, Shapes.Rectangle(center, halfU, halfV, rotation), heightM, levels, kind, name, district);

    /// <summary>Writes the buildings as a GeoJSON FeatureCollection (OpenStreetMap-style properties).</summary>
    public static void Write(string path, IReadOnlyList<DemoBuilding> buildings)
    {
        using var file = new FeatureFileWriter(path, w =>
        {
            w.WriteString("type", "FeatureCollection");
            w.WriteString("name", "Yunlu Guiyang demo buildings (SYNTHETIC)");
            w.WriteString("description", "Procedurally generated footprints and heights (metres above ground) for the Yunlu demo; not surveyed data. Landmark names mark approximate real places. Generated by tools/Yunlu.DemoGen; CC0-1.0.");
        });
        foreach (var b in buildings)
        {
            file.Feature(w =>
            {
                w.WriteStartObject();
                w.WriteString("type", "Feature");
                w.WriteString("id", b.Id);
                w.WriteStartObject("properties");
                w.WriteString("id", b.Id);
                w.WriteString("building", b.Kind);
                if (b.HeightM is { } h)
                {
                    w.WriteNumber("height", h);
                }

                if (b.Levels is { } l)
                {
                    w.WriteNumber("building:levels", l);
                }

                if (b.Name is not null)
                {
                    w.WriteString("name", b.Name);
                }

                w.WriteString("district", b.District);
                w.WriteEndObject();
                w.WritePropertyName("geometry");
                FeatureFileWriter.PolygonGeometry(w, b.Ring);
                w.WriteEndObject();
            });
        }
    }
}
