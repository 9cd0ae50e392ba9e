using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Operations;
using Yunlu.Airspace.Zones;
using Yunlu.Formats;
using Yunlu.Formats.Raster;
using Yunlu.Geo;
using Yunlu.Terrain;

namespace Yunlu.Server.Operations;

/// <summary>One volume of a demo flight: a closed lon/lat ring, a W84 band and a window in seconds after the demo
/// day's local (UTC+8) midnight.</summary>
/// <param name="Ring">The footprint's shell, lon/lat degrees, closed.</param>
/// <param name="LowerW84M">Floor, metres above the WGS84 ellipsoid.</param>
/// <param name="UpperW84M">Ceiling, metres above the WGS84 ellipsoid.</param>
/// <param name="StartS">Start, seconds after local midnight (inclusive).</param>
/// <param name="EndS">End, seconds after local midnight (exclusive).</param>
public sealed record DemoVolume(IReadOnlyList<GeoPoint> Ring, double LowerW84M, double UpperW84M, int StartS, int EndS);

/// <summary>One flight of the demo day.</summary>
/// <param name="Id">The intent id (fixed, so a re-seed is idempotent).</param>
/// <param name="Kind">logistics or sightseeing.</param>
/// <param name="Name">Readable name (from/to sites).</param>
/// <param name="OperatorId">Operator.</param>
/// <param name="AircraftId">Aircraft.</param>
/// <param name="PilotId">Pilot.</param>
/// <param name="RouteRef">The route's identifier.</param>
/// <param name="Volumes">Volumes in flight order.</param>
public sealed record DemoFlight(Guid Id, string Kind, string Name, string OperatorId, string AircraftId, string PilotId, string RouteRef, IReadOnlyList<DemoVolume> Volumes);

/// <summary>The demo day as read from <see cref="OperationsDemoDay.FileName"/>.</summary>
/// <param name="Operators">Operator id → document (registry JSON, without expiry dates).</param>
/// <param name="Aircraft">Aircraft id → document.</param>
/// <param name="Pilots">Pilot id → document.</param>
/// <param name="Flights">The day's flights, mutually clear and clear of every demo zone.</param>
/// <param name="Contested">A late request that conflicts with one of <paramref name="Flights"/>: refused, then accepted with the
/// resolution the server returns.</param>
public sealed record DemoDay(
    IReadOnlyList<KeyValuePair<string, OperatorDto>> Operators,
    IReadOnlyList<KeyValuePair<string, AircraftDto>> Aircraft,
    IReadOnlyList<KeyValuePair<string, PilotDto>> Pilots,
    IReadOnlyList<DemoFlight> Flights,
    DemoFlight Contested);

/// <summary>
/// The Guiyang demo's day of logistics and sightseeing flights (<c>data/demo/operations-day.json</c>, SYNTHETIC):
/// written deterministically by <see cref="Generate"/> from the demo's sites, zones and DEM, and loaded when the demo
/// is seeded (first start with <c>LoadDemo</c>), mapped onto the next local day.
/// </summary>
/// <remarks>
/// <para><b>Generation.</b> Logistics: out-and-back flights from each logistics hub to the drop points within 12 km,
/// 60–90 m above the highest ground under each leg (DEM, EGM96 to W84), 12 m/s; sightseeing: loops from the
/// vertiports to the sightseeing points within 10 km, 90–120 m above ground, 8 m/s. Each leg is cut into ≤ 1 km
/// corridor volumes 120 m wide whose windows run from one minute before the aircraft enters to one minute after it
/// leaves. Routes whose 700 m wide band meets any demo zone are dropped, so zone schedules never matter. Departures
/// every 45 min (logistics) or 60 min (sightseeing) from 07:00 to 19:00 local; a departure that would meet an already
/// planned flight is delayed in 2 min steps (up to 40 min), as a planner would. The contested flight is a second
/// aircraft asking for the exact volumes of one planned sightseeing flight.</para>
/// <para>The file is JSON, UTF-8, coordinates rounded to 1e-7°, heights to 0.1 m, times in whole seconds.</para>
/// </remarks>
public static class OperationsDemoDay
{
    /// <summary>The file name in the demo folder.</summary>
    public const string FileName = "operations-day.json";

    /// <summary>The owner of the demo's intents (token subject).</summary>
    public const string Actor = "demo-operations";

    /// <summary>The demo's local time offset (China Standard Time).</summary>
    public static readonly TimeSpan LocalOffset = TimeSpan.FromHours(8);

    private const double CorridorWidthM = 120;
    private const double ZoneMarginWidthM = 700;
    private const double SegmentM = 1000;
    private const int PadS = 60;

    /// <summary>The UTC instant of local midnight of the day after <paramref name="now"/>'s local day: the demo day.</summary>
    public static DateTimeOffset DemoDayStart(DateTimeOffset now)
    {
        DateTime local = now.ToOffset(LocalOffset).Date.AddDays(1);
        return new DateTimeOffset(local, LocalOffset).ToUniversalTime();
    }

    /// <summary>Writes the demo day from the demo folder's <c>sites.geojson</c>, zone files and DEM.</summary>
    /// <param name="demoFolder">The demo folder (e.g. <c>data/demo</c>).</param>
    /// <returns>The file's bytes (UTF-8 JSON, LF line ends).</returns>
    public static byte[] Generate(string demoFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(demoFolder);
        List<(string Id, string Name, string Kind, GeoPoint At)> sites = ReadSites(Path.Combine(demoFolder, "sites.geojson"));
        List<Zone> zones = ReadZones(demoFolder);
        ElevationModel dem;
        using (FileStream s = File.OpenRead(Path.Combine(demoFolder, "guiyang-dem-1arcsec.tif")))
        {
            dem = ElevationModel.FromRaster(GeoTiffReader.Read(s));
        }

        var planned = new List<DemoFlight>();
        using var index = new IntentIndex();
        var hubs = sites.Where(s => s.Kind == "logistics_hub").ToList();
        var drops = sites.Where(s => s.Kind == "drop_point").ToList();
        var ports = sites.Where(s => s.Kind == "vertiport").ToList();
        var pois = sites.Where(s => s.Kind == "poi").ToList();
        var routes = new List<(string Kind, string Name, GeoPoint[] Path, double SpeedMps, double AglLowM)>();
        foreach (var h in hubs)
        {
            foreach (var d in drops)
            {
                if (Distance(h.At, d.At) <= 12_000)
                {
                    routes.Add(("logistics", $"{h.Id} → {d.Id} → {h.Id}", [h.At, d.At, h.At], 12, 60));
                }
            }
        }

        foreach (var p in ports)
        {
            foreach (var poi in pois)
            {
                if (Distance(p.At, poi.At) <= 10_000)
                {
                    routes.Add(("sightseeing", $"{p.Id} → {poi.Id} → {p.Id}", [p.At, poi.At, p.At], 8, 90));
                }
            }
        }

        // Keep routes clear of every zone (with margin), whatever its schedule.
        routes = [.. routes.Where(r => !MeetsZone(r.Path, zones))];
        int logisticsAircraft = 0, tourAircraft = 0, n = 0;
        foreach (var r in routes)
        {
            bool logistics = r.Kind == "logistics";
            int everyS = logistics ? 45 * 60 : 60 * 60;
            string aircraft = logistics ? $"GY-LOGI-{(logisticsAircraft++ % 8) + 1:00}" : $"GY-TOUR-{(tourAircraft++ % 6) + 1:00}";
            for (int dep = 7 * 3600 + ((n * 7 * 60) % everyS); dep <= 19 * 3600; dep += everyS)
            {
                for (int delay = 0; delay <= 40 * 60; delay += 120)
                {
                    IReadOnlyList<DemoVolume> vols = Volumes(r.Path, dep + delay, r.SpeedMps, r.AglLowM, dem);
                    Volume4D[] v4 = [.. vols.Select(v => ToVolume(v, DateTimeOffset.UnixEpoch))];
                    var probe = new List<IndexHit>();
                    bool clear = true;
                    foreach (Volume4D v in v4)
                    {
                        index.Query(v, probe);
                        clear &= probe.Count == 0;
                    }

                    if (clear)
                    {
                        var id = DeterministicId("flight", n);
                        index.Add(id, IntentPriority.Normal, v4);
                        planned.Add(new DemoFlight(id, r.Kind, r.Name, logistics ? "GY-LOGI" : "GY-TOUR", aircraft,
                            logistics ? "P-LOGI-" + ((n % 4) + 1).ToString("00", CultureInfo.InvariantCulture) : "P-TOUR-" + ((n % 3) + 1).ToString("00", CultureInfo.InvariantCulture),
                            "demo-route-" + n.ToString(CultureInfo.InvariantCulture), vols));
                        n++;
                        break;
                    }
                }
            }
        }

        planned.Sort((a, b) => a.Volumes[0].StartS != b.Volumes[0].StartS ? a.Volumes[0].StartS.CompareTo(b.Volumes[0].StartS) : a.Id.CompareTo(b.Id));
        DemoFlight target = planned.First(f => f.Kind == "sightseeing" && f.Volumes[0].StartS >= 10 * 3600);
        var contested = target with
        {
            Id = DeterministicId("contested", 0),
            Name = "late request: " + target.Name,
            AircraftId = "GY-TOUR-07",
            PilotId = "P-TOUR-04",
            RouteRef = "demo-route-late",
        };
        return Write(planned, contested);
    }

    /// <summary>Reads the file written by <see cref="Generate"/>.</summary>
    /// <param name="json">The file's bytes.</param>
    /// <exception cref="JsonException">Malformed.</exception>
    public static DemoDay Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using JsonDocument doc = JsonDocument.ParseValue(ref reader);
        JsonElement root = doc.RootElement;
        JsonElement reg = root.GetProperty("registry");
        return new DemoDay(
            Entries<OperatorDto>(reg.GetProperty("operators")),
            Entries<AircraftDto>(reg.GetProperty("aircraft")),
            Entries<PilotDto>(reg.GetProperty("pilots")),
            [.. root.GetProperty("flights").EnumerateArray().Select(ReadFlight)],
            ReadFlight(root.GetProperty("contested")));

        static List<KeyValuePair<string, T>> Entries<T>(JsonElement obj)
            where T : class =>
            [.. obj.EnumerateObject().Select(p => new KeyValuePair<string, T>(p.Name, (T)JsonSerializer.Deserialize(p.Value.GetRawText(), typeof(T), OperationsJsonContext.Default)!))];
    }

    /// <summary>The wire body of a flight on the demo day starting at <paramref name="dayStartUtc"/>.</summary>
    public static IntentRequestDto ToRequest(DemoFlight flight, DateTimeOffset dayStartUtc)
    {
        ArgumentNullException.ThrowIfNull(flight);
        var vols = new List<VolumeDto>(flight.Volumes.Count);
        foreach (DemoVolume v in flight.Volumes)
        {
            vols.Add(new VolumeDto(
                new Contracts.FootprintDto([[.. v.Ring.Select(p => (IReadOnlyList<double>)[p.LonDeg, p.LatDeg])]], null),
                v.LowerW84M, v.UpperW84M, dayStartUtc.AddSeconds(v.StartS), dayStartUtc.AddSeconds(v.EndS)));
        }

        return new IntentRequestDto(flight.Id, null, flight.OperatorId, flight.AircraftId, flight.PilotId, vols, flight.RouteRef, null, true);
    }

    /// <summary>The volumes of a flight on the demo day starting at <paramref name="dayStartUtc"/>.</summary>
    public static Volume4D ToVolume(DemoVolume v, DateTimeOffset dayStartUtc)
    {
        ArgumentNullException.ThrowIfNull(v);
        Polygon p = FootprintGeometry.Factory.CreatePolygon([.. v.Ring.Select(q => new Coordinate(q.LonDeg, q.LatDeg))]);
        return new Volume4D(new Volume3D(new PolygonFootprint(p), Altitude.W84(v.LowerW84M), Altitude.W84(v.UpperW84M)),
            new TimeWindow(dayStartUtc.AddSeconds(v.StartS), dayStartUtc.AddSeconds(v.EndS)));
    }

    private static DemoFlight ReadFlight(JsonElement f)
    {
        var vols = new List<DemoVolume>();
        foreach (JsonElement v in f.GetProperty("volumes").EnumerateArray())
        {
            var ring = new List<GeoPoint>();
            foreach (JsonElement p in v.GetProperty("ring").EnumerateArray())
            {
                ring.Add(new GeoPoint(p[0].GetDouble(), p[1].GetDouble()));
            }

            vols.Add(new DemoVolume(ring, v.GetProperty("lowerW84M").GetDouble(), v.GetProperty("upperW84M").GetDouble(),
                v.GetProperty("startS").GetInt32(), v.GetProperty("endS").GetInt32()));
        }

        return new DemoFlight(f.GetProperty("id").GetGuid(), f.GetProperty("kind").GetString()!, f.GetProperty("name").GetString()!,
            f.GetProperty("operatorId").GetString()!, f.GetProperty("aircraftId").GetString()!, f.GetProperty("pilotId").GetString()!,
            f.GetProperty("routeRef").GetString()!, vols);
    }

    private static Guid DeterministicId(string kind, int n)
    {
        // A name-based id: the first 16 bytes of SHA-256("yunlu-demo-day/<kind>/<n>") with the version nibble 8 (RFC 9562 custom).
        byte[] hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("yunlu-demo-day/" + kind + "/" + n.ToString(CultureInfo.InvariantCulture)));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    private static double Distance(GeoPoint a, GeoPoint b) => Geodesic.Wgs84.Inverse(a, b).DistanceM;

    private static IReadOnlyList<DemoVolume> Volumes(GeoPoint[] path, int departS, double speedMps, double aglLowM, ElevationModel dem)
    {
        var vols = new List<DemoVolume>();
        double t = departS;
        for (int leg = 0; leg + 1 < path.Length; leg++)
        {
            GeodesicInverseResult inv = Geodesic.Wgs84.Inverse(path[leg], path[leg + 1]);
            int pieces = Math.Max(1, (int)Math.Ceiling(inv.DistanceM / SegmentM));
            double piece = inv.DistanceM / pieces;
            for (int k = 0; k < pieces; k++)
            {
                GeoPoint a = Geodesic.Wgs84.Direct(path[leg], inv.InitialAzimuthDeg, k * piece).Destination;
                GeoPoint b = Geodesic.Wgs84.Direct(path[leg], inv.InitialAzimuthDeg, (k + 1) * piece).Destination;
                double ground = MaxGroundW84(a, b, dem);
                double lower = Math.Round(ground + aglLowM, 1);
                int start = (int)Math.Floor(t) - PadS;
                t += piece / speedMps;
                if (k == pieces - 1 && leg + 1 < path.Length - 1)
                {
                    t += 180; // three minutes at the turn-around point (drop-off or viewing)
                }

                int end = (int)Math.Ceiling(t) + PadS;
                vols.Add(new DemoVolume(Corridor(a, b, CorridorWidthM), lower, lower + 30, start, end));
            }
        }

        return vols;
    }

    private static double MaxGroundW84(GeoPoint a, GeoPoint b, ElevationModel dem)
    {
        double max = double.NegativeInfinity;
        for (int i = 0; i <= 20; i++)
        {
            var p = new GeoPoint(a.LonDeg + ((b.LonDeg - a.LonDeg) * i / 20), a.LatDeg + ((b.LatDeg - a.LatDeg) * i / 20));
            double amsl = dem.HeightAmslM(p) ?? 1100;
            max = Math.Max(max, amsl + Egm96Geoid.Instance.UndulationM(p));
        }

        return Math.Ceiling(max);
    }

    private static GeoPoint[] Corridor(GeoPoint a, GeoPoint b, double widthM)
    {
        var plane = new LocalTangentPlane(a);
        PlanarPoint pb = plane.Forward(b);
        double len = Math.Sqrt((pb.EastM * pb.EastM) + (pb.NorthM * pb.NorthM));
        double ux = pb.EastM / len, uy = pb.NorthM / len, h = widthM / 2;
        // A rectangle around the segment, extended by half the width at both ends (so consecutive pieces overlap).
        GeoPoint P(double e, double n) => Round(plane.Inverse(new PlanarPoint(e, n)));
        GeoPoint c1 = P((-ux * h) - (uy * h), (-uy * h) + (ux * h));
        GeoPoint c2 = P(pb.EastM + (ux * h) - (uy * h), pb.NorthM + (uy * h) + (ux * h));
        GeoPoint c3 = P(pb.EastM + (ux * h) + (uy * h), pb.NorthM + (uy * h) - (ux * h));
        GeoPoint c4 = P((-ux * h) + (uy * h), (-uy * h) - (ux * h));
        return [c1, c4, c3, c2, c1];
    }

    private static GeoPoint Round(GeoPoint p) => new(Math.Round(p.LonDeg, 7), Math.Round(p.LatDeg, 7));

    private static bool MeetsZone(GeoPoint[] path, List<Zone> zones)
    {
        for (int leg = 0; leg + 1 < path.Length; leg++)
        {
            GeoPoint[] ring = Corridor(path[leg], path[leg + 1], ZoneMarginWidthM);
            var band = new Volume3D(new PolygonFootprint(FootprintGeometry.Factory.CreatePolygon([.. ring.Select(q => new Coordinate(q.LonDeg, q.LatDeg))])), Altitude.W84(0), Altitude.W84(1));
            foreach (Zone z in zones)
            {
                var zv = new Volume3D(z.Footprint, Altitude.W84(0), Altitude.W84(1));
                if (band.FootprintsIntersect(zv))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static List<(string Id, string Name, string Kind, GeoPoint At)> ReadSites(string path)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var list = new List<(string, string, string, GeoPoint)>();
        foreach (JsonElement f in doc.RootElement.GetProperty("features").EnumerateArray())
        {
            JsonElement p = f.GetProperty("properties");
            JsonElement c = f.GetProperty("geometry").GetProperty("coordinates");
            list.Add((p.GetProperty("id").GetString()!, p.GetProperty("name").GetString()!, p.GetProperty("kind").GetString()!, new GeoPoint(c[0].GetDouble(), c[1].GetDouble())));
        }

        return list;
    }

    private static List<Zone> ReadZones(string folder)
    {
        var zones = new List<Zone>();
        foreach (string name in new[] { "zones-ed269.json", "zones-ed318.geojson", "zones.kml" })
        {
            string path = Path.Combine(folder, name);
            if (!File.Exists(path))
            {
                continue;
            }

            using FileStream s = File.OpenRead(path);
            ImportResult<Zone> read = ZoneFiles.Read(s, name);
            zones.AddRange(read.Items);
        }

        return zones;
    }

    private static byte[] Write(List<DemoFlight> flights, DemoFlight contested)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("description", "Yunlu Guiyang demo: a day of logistics and sightseeing flights (SYNTHETIC). Times are seconds after local (UTC+8) midnight of the demo day, which the server maps to the day after it seeds. Every flight is clear of the others and of every demo zone; 'contested' asks for the volumes of one of them and is refused, then accepted with the resolution the server returns. Generated by OperationsDemoDay.Generate (src/Yunlu.Server/Operations); CC0-1.0.");
            w.WriteStartObject("registry");
            w.WriteStartObject("operators");
            w.WritePropertyName("GY-LOGI");
            w.WriteRawValue("""{"name":"贵阳云递低空物流 (demo)","category":"SPECIFIC","insurance":{"policy":"DEMO-LOGI-1","insurer":"PICC","coverageCny":5000000},"contact":"ops@logi.example"}""");
            w.WritePropertyName("GY-TOUR");
            w.WriteRawValue("""{"name":"筑城低空观光 (demo)","category":"SPECIFIC","insurance":{"policy":"DEMO-TOUR-1","insurer":"CPIC","coverageCny":10000000},"contact":"ops@tour.example"}""");
            w.WriteEndObject();
            w.WriteStartObject("aircraft");
            for (int i = 1; i <= 8; i++)
            {
                w.WritePropertyName($"GY-LOGI-{i:00}");
                w.WriteRawValue($$"""{"operatorId":"GY-LOGI","registrationNumber":"UAS-GY-L{{i:000}}","remoteIdSerial":"1581F-DEMO-L{{i:000}}","model":"demo cargo hexacopter","emptyMassKg":9,"maxTakeOffMassKg":22,"maxSpeedKmh":72,"windLimitMps":12,"cruiseSpeedMps":12,"enduranceMin":90}""");
            }

            for (int i = 1; i <= 7; i++)
            {
                w.WritePropertyName($"GY-TOUR-{i:00}");
                w.WriteRawValue($$"""{"operatorId":"GY-TOUR","registrationNumber":"UAS-GY-T{{i:000}}","remoteIdSerial":"1581F-DEMO-T{{i:000}}","model":"demo camera quadcopter","emptyMassKg":3,"maxTakeOffMassKg":6,"maxSpeedKmh":65,"windLimitMps":10,"cruiseSpeedMps":8,"enduranceMin":60}""");
            }

            w.WriteEndObject();
            w.WriteStartObject("pilots");
            for (int i = 1; i <= 4; i++)
            {
                w.WritePropertyName($"P-LOGI-{i:00}");
                w.WriteRawValue($$"""{"name":"物流飞手 {{i}}","operatorId":"GY-LOGI","licenceNumber":"CAAC-UAS-DEMO-L{{i}}","licenceClasses":["LIGHT","SMALL"]}""");
            }

            for (int i = 1; i <= 4; i++)
            {
                w.WritePropertyName($"P-TOUR-{i:00}");
                w.WriteRawValue($$"""{"name":"观光飞手 {{i}}","operatorId":"GY-TOUR","licenceNumber":"CAAC-UAS-DEMO-T{{i}}","licenceClasses":["LIGHT","SMALL"]}""");
            }

            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartArray("flights");
            foreach (DemoFlight f in flights)
            {
                WriteFlight(w, f);
            }

            w.WriteEndArray();
            w.WritePropertyName("contested");
            WriteFlight(w, contested);
            w.WriteEndObject();
        }

        byte[] bytes = [.. buffer.WrittenSpan, (byte)'\n'];
        return bytes;
    }

    private static void WriteFlight(Utf8JsonWriter w, DemoFlight f)
    {
        w.WriteStartObject();
        w.WriteString("id", f.Id);
        w.WriteString("kind", f.Kind);
        w.WriteString("name", f.Name);
        w.WriteString("operatorId", f.OperatorId);
        w.WriteString("aircraftId", f.AircraftId);
        w.WriteString("pilotId", f.PilotId);
        w.WriteString("routeRef", f.RouteRef);
        w.WriteStartArray("volumes");
        foreach (DemoVolume v in f.Volumes)
        {
            w.WriteStartObject();
            w.WriteStartArray("ring");
            foreach (GeoPoint p in v.Ring)
            {
                w.WriteStartArray();
                w.WriteRawValue(p.LonDeg.ToString("0.0######", CultureInfo.InvariantCulture));
                w.WriteRawValue(p.LatDeg.ToString("0.0######", CultureInfo.InvariantCulture));
                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WritePropertyName("lowerW84M");
            w.WriteRawValue(v.LowerW84M.ToString("0.0", CultureInfo.InvariantCulture));
            w.WritePropertyName("upperW84M");
            w.WriteRawValue(v.UpperW84M.ToString("0.0", CultureInfo.InvariantCulture));
            w.WriteNumber("startS", v.StartS);
            w.WriteNumber("endS", v.EndS);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
