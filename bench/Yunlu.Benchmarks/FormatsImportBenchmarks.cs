using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Zones;
using Yunlu.Formats;
using Yunlu.Geo;

namespace Yunlu.Benchmarks;

/// <summary>Imports a 10 000-zone ED-269 file; the baseline only parses the JSON (no validation, no geometry).</summary>
[MemoryDiagnoser]
public class FormatsEd269ImportBenchmarks
{
    private byte[] _file = [];

    [GlobalSetup]
    public void Setup()
    {
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        var zones = new List<Zone>(10_000);
        var rng = new Random(42);
        for (int i = 0; i < 10_000; i++)
        {
            double lon = 106.5 + rng.NextDouble() * 0.5, lat = 26.4 + rng.NextDouble() * 0.4;
            Footprint footprint;
            if (i % 4 == 0)
            {
                footprint = new CircleFootprint(new GeoPoint(lon, lat), 200 + rng.NextDouble() * 3000);
            }
            else
            {
                const int N = 12;
                var ring = new Coordinate[N + 1];
                for (int k = 0; k < N; k++)
                {
                    double a = 2 * Math.PI * k / N, r = 0.002 + rng.NextDouble() * 0.01;
                    ring[k] = new Coordinate(lon + r * Math.Cos(a), lat + r * Math.Sin(a));
                }

                ring[N] = ring[0];
                footprint = new PolygonFootprint(factory.CreatePolygon(ring));
            }

            zones.Add(new Zone(
                string.Create(CultureInfo.InvariantCulture, $"GY{i:D5}"), $"贵阳管控区 {i}", "CHN", (ZoneRestriction)(i % 4), [ZoneReason.AirTraffic, ZoneReason.Airport],
                footprint, Altitude.Agl(0), Altitude.Agl(120), [ZoneApplicability.Always], new ZoneAuthority("贵阳市公安局", null, null, null, null, "AUTHORIZATION"), null));
        }

        using var ms = new MemoryStream();
        ZoneFiles.Write(ms, zones, ZoneFileFormat.Ed269);
        _file = ms.ToArray();
        Console.WriteLine($"// ED-269 file: {_file.Length} bytes, {zones.Count} zones");
    }

    [Benchmark(Baseline = true)]
    public int ParseOnly()
    {
        using JsonDocument doc = JsonDocument.Parse(_file);
        return doc.RootElement.GetProperty("features").GetArrayLength();
    }

    [Benchmark]
    public int ImportWithValidation()
    {
        using var ms = new MemoryStream(_file, writable: false);
        ImportResult<Zone> r = ZoneFiles.Read(ms, "zones.json", ZoneFileFormat.Ed269);
        return r.Ok ? r.Items.Count : -1;
    }
}

/// <summary>Imports 100 000 building footprints from GeoJSON; the baseline only parses the JSON.</summary>
[MemoryDiagnoser]
public class FormatsBuildingImportBenchmarks
{
    private byte[] _file = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(7);
        var sb = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        for (int i = 0; i < 100_000; i++)
        {
            double lon = 106.55 + (i % 400) * 0.0005, lat = 26.50 + (i / 400) * 0.0005;
            double w = 0.0001 + rng.NextDouble() * 0.0002;
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append(CultureInfo.InvariantCulture,
                $"{{\"type\":\"Feature\",\"id\":\"way/{i}\",\"properties\":{{\"building\":\"yes\",\"height\":{3 + rng.Next(90)}}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[[{lon:F7},{lat:F7}],[{lon + w:F7},{lat:F7}],[{lon + w:F7},{lat + w:F7}],[{lon:F7},{lat + w:F7}],[{lon:F7},{lat:F7}]]]}}}}");
        }

        sb.Append("]}");
        _file = Encoding.UTF8.GetBytes(sb.ToString());
        Console.WriteLine($"// buildings file: {_file.Length} bytes, 100000 features");
    }

    [Benchmark(Baseline = true)]
    public int ParseOnly()
    {
        using JsonDocument doc = JsonDocument.Parse(_file);
        return doc.RootElement.GetProperty("features").GetArrayLength();
    }

    [Benchmark]
    public int ImportWithValidation()
    {
        using var ms = new MemoryStream(_file, writable: false);
        ImportResult<Yunlu.Terrain.Obstacle> r = ObstacleFiles.Read(ms, "buildings.geojson");
        return r.Ok ? r.Items.Count : -1;
    }
}
