using System.CommandLine;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Yunlu.Formats.Routes;
using Yunlu.Geo.Diagnostics;
using Yunlu.Geo;
using Yunlu.Routing.City;
using Yunlu.Server;
using Yunlu.Server.Airspace;
using Yunlu.Server.Hosting;
using Yunlu.Server.Imports;
using Yunlu.Server.Routing;
using Yunlu.Storage;
using Yunlu.Storage.Airspace;

namespace Yunlu.Cli.Commands;

/// <summary><c>yunlu plan</c> (a city route on the data folder's terrain, buildings, zones, corridors and wind, written
/// as JSON, GeoJSON, KML, a QGroundControl plan or a DJI WPML KMZ) and <c>yunlu bench city</c> (the city planner on a
/// generated 30 × 30 km area, with the plain baseline in the same run).</summary>
public static class PlanCommands
{
    /// <summary>Exit code when no route meets the constraints (the message names the field and rule).</summary>
    public const int NoRoute = 12;

    /// <summary>Adds <c>plan</c> to the root and <c>city</c> to the <c>bench</c> group (created when missing).</summary>
    /// <param name="root">The root command.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    public static void AddTo(RootCommand root, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Subcommands.Add(Plan(stdout, stderr));
        Command? bench = root.Subcommands.FirstOrDefault(c => string.Equals(c.Name, "bench", StringComparison.Ordinal));
        if (bench is null)
        {
            bench = new Command("bench", "Benchmarks.");
            root.Subcommands.Add(bench);
        }

        bench.Subcommands.Add(BenchCity(stdout, stderr));
    }

    private static Command Plan(TextWriter stdout, TextWriter stderr)
    {
        var from = new Option<string>("--from") { Description = "Take-off: lon,lat (degrees).", Required = true };
        var to = new Option<string?>("--to") { Description = "Landing (loops: last drop / point of interest; training: circuit centre): lon,lat." };
        var via = new Option<string[]>("--via") { Description = "Pass-through point lon,lat (repeatable, in order).", DefaultValueFactory = _ => [], AllowMultipleArgumentsPerToken = true };
        var template = new Option<string?>("--template") { Description = "point-to-point (default), logistics, sightseeing, inspection or training." };
        var depart = new Option<string?>("--depart") { Description = "Departure, ISO-8601 (default now)." };
        var format = new Option<string>("--format") { Description = "json, geojson, kml, qgc or wpml.", DefaultValueFactory = _ => "json" };
        var qgcFrame = new Option<string>("--qgc-frame") { Description = "QGC altitude frame: amsl or relative (to home).", DefaultValueFactory = _ => "amsl" };
        var output = new Option<FileInfo>("--out") { Description = "Output file.", Required = true };
        var cruise = new Option<double?>("--cruise-agl") { Description = "Cruise true height, metres (default 80)." };
        var clearance = new Option<double?>("--clearance") { Description = "Least height above terrain and buildings, metres (default 30)." };
        var cls = new Option<string?>("--class") { Description = "Aircraft class: micro, light (default), small, medium, large." };
        var authorisations = new Option<string[]>("--authorised-zone") { Description = "A zone id the operator holds an authorisation for (repeatable).", DefaultValueFactory = _ => [] };
        var data = new Option<string>("--data", "-d")
        {
            Description = "Data folder (SQLite yunlu.db with the imported demo or other data). Default: .yunlu-data",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("YUNLU_DATA") is { Length: > 0 } d ? d : ".yunlu-data",
        };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string instead of the SQLite data folder." };
        var command = new Command("plan", "Plans a city route on the loaded data (terrain, buildings, zones active in the flight's window, the 120 m ceiling, corridors, wind) and writes it. Exit 0 planned, 12 no feasible route, 1 bad input.")
        {
            from, to, via, template, depart, format, qgcFrame, output, cruise, clearance, cls, authorisations, data, postgres,
        };
        command.SetAction(async (parse, ct) =>
        {
            string fmt = parse.GetValue(format)!.ToLowerInvariant();
            if (fmt is not ("json" or "geojson" or "kml" or "qgc" or "wpml"))
            {
                return await Fail(stderr, "--format", "unknown-format", $"'{fmt}' is not one of json, geojson, kml, qgc, wpml", ExitCodes.InvalidInput, ct).ConfigureAwait(false);
            }

            string frame = parse.GetValue(qgcFrame)!.ToLowerInvariant();
            if (frame is not ("amsl" or "relative"))
            {
                return await Fail(stderr, "--qgc-frame", "unknown-frame", $"'{frame}' is not amsl or relative", ExitCodes.InvalidInput, ct).ConfigureAwait(false);
            }

            DateTimeOffset? departure = null;
            if (parse.GetValue(depart) is { } d)
            {
                if (!DateTimeOffset.TryParse(d, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset t))
                {
                    return await Fail(stderr, "--depart", "invalid-time", $"'{d}' is not an ISO-8601 time", ExitCodes.InvalidInput, ct).ConfigureAwait(false);
                }

                departure = t;
            }

            RoutePointDto? fromPoint, toPoint;
            var viaPoints = new List<RoutePointDto>();
            try
            {
                fromPoint = ParsePoint(parse.GetValue(from)!, "--from");
                toPoint = parse.GetValue(to) is { } ts ? ParsePoint(ts, "--to") : null;
                string[] vias = parse.GetValue(via)!;
                for (int i = 0; i < vias.Length; i++)
                {
                    viaPoints.Add(ParsePoint(vias[i], string.Create(CultureInfo.InvariantCulture, $"--via[{i}]")));
                }
            }
            catch (FormatException ex)
            {
                return await Fail(stderr, ex.Source ?? "--from", "invalid-position", ex.Message, ExitCodes.InvalidInput, ct).ConfigureAwait(false);
            }

            var request = new RoutePlanRequestDto(fromPoint, toPoint, viaPoints, departure, parse.GetValue(template), null, parse.GetValue(cruise), parse.GetValue(clearance), false,
                parse.GetValue(cls), ZoneAuthorisations: parse.GetValue(authorisations));
            var options = new YunluServerOptions { DataFolder = parse.GetValue(data)!, PostgresConnectionString = parse.GetValue(postgres), LoadDemo = false };
            IYunluStore? store = null;
            CityRoute route;
            string routeId;
            RouteTemplate used;
            try
            {
                store = await StoreOpener.OpenAsync(options, ct).ConfigureAwait(false);
                await store.MigrateAsync(ct).ConfigureAwait(false);
                await using IAirspaceStore airspace = AirspaceStoreFactory.Create(
                    string.IsNullOrWhiteSpace(options.PostgresConnectionString) ? options.SqlitePath : options.PostgresConnectionString);
                using var terrain = new TerrainService(store);
                var routing = new RoutingService(terrain, new AirspaceService(store, airspace, terrain), new CityRouteRegistry(), new ServiceCollection().BuildServiceProvider());
                (route, routeId, used) = await Task.Run(() => routing.PlanAsync(request, DateTimeOffset.UtcNow, ct), ct).ConfigureAwait(false);
            }
            catch (CityPlanningException ex)
            {
                return await Fail(stderr, Option(ex.Field), ex.Rule, ex.Message, ex.Rule is "required" or "out-of-range" or "unknown-template" or "unknown-class" or "invalid-position" ? ExitCodes.InvalidInput : NoRoute, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DbException or TimeoutException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
            {
                await stderr.WriteLineAsync($"yunlu plan: store unavailable: {ex.Message}".AsMemory(), ct).ConfigureAwait(false);
                return ExitCodes.StoreUnavailable;
            }
            finally
            {
                if (store is not null)
                {
                    await store.DisposeAsync().ConfigureAwait(false);
                }
            }

            FileInfo file = parse.GetValue(output)!;
            try
            {
                if (file.Directory is { Exists: false } dir)
                {
                    dir.Create();
                }

                // Written to a temporary file first and moved, so a failure leaves no half-written route.
                string temp = file.FullName + ".tmp";
                await using (FileStream fs = File.Create(temp))
                {
                    RouteDocument doc = RoutingService.ToDocument(route, "Yunlu " + RouteTemplates.Name(used) + " " + routeId);
                    switch (fmt)
                    {
                        case "json":
                            await JsonSerializer.SerializeAsync(fs, RoutingService.ToDto(route, routeId, used), RoutingJsonContext.Default.RoutePlanDto, ct).ConfigureAwait(false);
                            break;
                        case "geojson":
                            RouteWriters.WriteGeoJson(doc, fs);
                            break;
                        case "kml":
                            RouteWriters.WriteKml(doc, fs);
                            break;
                        case "qgc":
                            RouteWriters.WriteQgcPlan(doc, fs, frame == "amsl" ? QgcAltitudeFrame.Amsl : QgcAltitudeFrame.RelativeToHome);
                            break;
                        default:
                            RouteWriters.WriteWpmlKmz(doc, fs, DateTimeOffset.UtcNow);
                            break;
                    }
                }

                File.Move(temp, file.FullName, overwrite: true);
            }
            catch (IOException ex)
            {
                await stderr.WriteLineAsync($"yunlu plan: --out: {ex.Message}".AsMemory(), ct).ConfigureAwait(false);
                return ExitCodes.IoError;
            }

            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"planned {RouteTemplates.Name(used)} route {routeId}: {route.LengthM / 1000:0.000} km, {route.DurationS / 60:0.0} min, {route.Waypoints.Count} waypoints, {route.Volumes.Count} volumes -> {file.FullName} ({fmt})").AsMemory(), ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command BenchCity(TextWriter stdout, TextWriter stderr)
    {
        var size = new Option<double>("--size-km") { Description = "Side of the generated square area, km.", DefaultValueFactory = _ => 30 };
        var cell = new Option<double>("--cell-m") { Description = "Cell edge, metres.", DefaultValueFactory = _ => 5 };
        var routes = new Option<int>("--routes") { Description = "Route pairs.", DefaultValueFactory = _ => 20 };
        var length = new Option<double>("--length-km") { Description = "Straight distance between the ends, km.", DefaultValueFactory = _ => 20 };
        var zones = new Option<int>("--zones") { Description = "Zones.", DefaultValueFactory = _ => 50 };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var baselineRoutes = new Option<int>("--baseline-routes") { Description = "Routes (the first ones) also planned by the previous flat planner (Fast) and by the Exact reference, for the time and quality ratios.", DefaultValueFactory = _ => 3 };
        var noBaseline = new Option<bool>("--no-baseline") { Description = "Skip the baseline and the reference (same as --baseline-routes 0)." };
        var command = new Command("city", "The city planner on a generated area (terrain, buildings, zones, corridors, wind): one JSON line per route of the " +
            "default (hierarchical) planner, one summary line per mode {\"mode\",\"routes\",\"failed\",\"p50_ms\",\"p95_ms\",\"max_ms\",\"cpu_p50_ms\",\"cpu_p95_ms\",\"cpu_max_ms\",\"mean_expansions\",\"mean_length_m\"}, " +
            "the ratios to the Exact reference on the baseline routes and a final line with the build time and peak memory.")
        {
            size, cell, routes, length, zones, seed, baselineRoutes, noBaseline,
        };
        command.SetAction(async (parse, ct) =>
        {
            double sizeKm = parse.GetValue(size), cellM = parse.GetValue(cell), lengthKm = parse.GetValue(length);
            int n = parse.GetValue(routes);
            int nb = parse.GetValue(noBaseline) ? 0 : parse.GetValue(baselineRoutes);
            if (!(sizeKm >= 1 && sizeKm <= 60) || !(cellM >= 1 && cellM <= 100) || !(lengthKm > 0 && lengthKm < sizeKm) || n < 1 || nb < 0)
            {
                return await Fail(stderr, "--size-km", "out-of-range", "need 1 ≤ size-km ≤ 60, 1 ≤ cell-m ≤ 100, 0 < length-km < size-km, routes ≥ 1, baseline-routes ≥ 0", ExitCodes.InvalidInput, ct).ConfigureAwait(false);
            }

            await Task.Run(async () =>
            {
                var sw = Stopwatch.StartNew();
                double cpu0 = ThreadCpu.NowMs();
                TimeSpan proc0 = Process.GetCurrentProcess().TotalProcessorTime;
                int buildings = (int)(60_000 * sizeKm * sizeKm / 900);
                SyntheticCity city = SyntheticCity.Generate(parse.GetValue(seed), sizeKm * 1000, parse.GetValue(zones), buildings);
                CityArea area = city.BuildArea(cellM, ct);
                double buildMs = sw.Elapsed.TotalMilliseconds;
                double buildCpuMs = (Process.GetCurrentProcess().TotalProcessorTime - proc0).TotalMilliseconds;
                _ = cpu0;
                var planner = new CityPlanner(area);
                IReadOnlyList<(GeoPoint From, GeoPoint To)> pairs = city.RoutePairs(parse.GetValue(seed) + 1, n, lengthKm * 1000);
                var departure = new DateTimeOffset(2026, 6, 10, 2, 0, 0, TimeSpan.Zero);
                CityBenchFigures main = CityBenchmark.Run(planner, city, pairs, CitySearchMode.Hierarchical, true, departure, ct);
                foreach (CityBenchRoute r in main.PerRoute)
                {
                    CityPlanStages st = r.Stages ?? new CityPlanStages(0, 0, 0, 0, 0, 0);
                    await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{{\"route\":{r.Pair},\"ok\":{(r.Ok ? "true" : "false")},\"wall_ms\":{r.WallMs:0.###},\"cpu_ms\":{r.CpuMs:0.###},\"expansions\":{r.Expansions},\"length_m\":{r.LengthM:0.#},\"duration_s\":{r.DurationS:0.#},\"prepare_ms\":{st.PrepareMs:0.##},\"coarse_ms\":{st.CoarseMs:0.##},\"fine_ms\":{st.FineMs:0.##},\"smooth_ms\":{st.SmoothMs:0.##},\"build_ms\":{st.BuildMs:0.##},\"fallbacks\":{st.Fallbacks}}}").AsMemory(), ct).ConfigureAwait(false);
                }

                await Line(stdout, "hierarchical", main, ct).ConfigureAwait(false);
                if (nb > 0)
                {
                    var sub = new List<(GeoPoint From, GeoPoint To)>();
                    for (int i = 0; i < Math.Min(nb, pairs.Count); i++)
                    {
                        sub.Add(pairs[i]);
                    }

                    CityBenchFigures flat = CityBenchmark.Run(planner, city, sub, CitySearchMode.Fast, true, departure, ct);
                    await Line(stdout, "baseline-flat-fast", flat, ct).ConfigureAwait(false);
                    CityBenchFigures exact = CityBenchmark.Run(planner, city, sub, CitySearchMode.Exact, true, departure, ct);
                    await Line(stdout, "reference-exact", exact, ct).ConfigureAwait(false);
                    double sumL = 0, sumT = 0, maxL = 0, maxT = 0, sumSpeed = 0;
                    int m = 0;
                    for (int i = 0; i < sub.Count; i++)
                    {
                        CityBenchRoute h = main.PerRoute[i], e = exact.PerRoute[i], f = flat.PerRoute[i];
                        if (!h.Ok || !e.Ok || !f.Ok)
                        {
                            continue;
                        }

                        double rl = h.LengthM / e.LengthM, rt = h.DurationS / e.DurationS;
                        sumL += rl;
                        sumT += rt;
                        maxL = Math.Max(maxL, rl);
                        maxT = Math.Max(maxT, rt);
                        sumSpeed += f.WallMs / h.WallMs;
                        m++;
                        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{{\"ratio_route\":{i},\"length_vs_exact\":{rl:0.0000},\"time_vs_exact\":{rt:0.0000},\"flat_fast_wall_ms\":{f.WallMs:0.#},\"exact_wall_ms\":{e.WallMs:0.#},\"hierarchical_wall_ms\":{h.WallMs:0.###}}}").AsMemory(), ct).ConfigureAwait(false);
                    }

                    if (m > 0)
                    {
                        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{{\"ratios\":{m},\"mean_length_vs_exact\":{sumL / m:0.0000},\"max_length_vs_exact\":{maxL:0.0000},\"mean_time_vs_exact\":{sumT / m:0.0000},\"max_time_vs_exact\":{maxT:0.0000},\"mean_speedup_vs_flat_fast\":{sumSpeed / m:0.0}}}").AsMemory(), ct).ConfigureAwait(false);
                    }
                }

                long peak = Process.GetCurrentProcess().PeakWorkingSet64;
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"cells\":{area.CellCount},\"width\":{area.Width},\"height\":{area.Height},\"buildings\":{buildings},\"build_ms\":{buildMs:0},\"build_cpu_ms\":{buildCpuMs:0},\"raster_mb\":{area.EstimateBytes() / 1e6:0.0},\"peak_working_set_mb\":{peak / 1e6:0},\"gc_heap_mb\":{GC.GetTotalMemory(false) / 1e6:0}}}").AsMemory(), ct).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Task Line(TextWriter stdout, string mode, CityBenchFigures f, CancellationToken ct) =>
        stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{{\"mode\":\"{mode}\",\"routes\":{f.Routes},\"failed\":{f.Failed},\"p50_ms\":{f.P50Ms:0.###},\"p95_ms\":{f.P95Ms:0.###},\"max_ms\":{f.MaxMs:0.###},\"cpu_p50_ms\":{f.CpuP50Ms:0.###},\"cpu_p95_ms\":{f.CpuP95Ms:0.###},\"cpu_max_ms\":{f.CpuMaxMs:0.###},\"mean_expansions\":{f.MeanExpansions:0},\"mean_length_m\":{f.MeanLengthM:0}}}").AsMemory(), ct);

    private static RoutePointDto ParsePoint(string text, string option)
    {
        string[] parts = text.Split(',');
        if (parts.Length != 2 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double lon) || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double lat))
        {
            throw new FormatException($"'{text}' is not lon,lat in degrees") { Source = option };
        }

        return new RoutePointDto(lon, lat);
    }

    private static string Option(string field) => field switch
    {
        "from" => "--from",
        "to" => "--to",
        "template" => "--template",
        "aircraftClass" => "--class",
        "cruiseAltitudeAglM" => "--cruise-agl",
        "clearanceM" => "--clearance",
        _ when field.StartsWith("via[", StringComparison.Ordinal) => "--" + field,
        _ => field,
    };

    private static async Task<int> Fail(TextWriter stderr, string field, string rule, string message, int code, CancellationToken ct)
    {
        await stderr.WriteLineAsync($"yunlu plan: {field}: {message} [{rule}]".AsMemory(), ct).ConfigureAwait(false);
        return code;
    }
}
