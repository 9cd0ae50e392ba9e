using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Sites;
using Yunlu.Airspace.Zones;
using Yunlu.Formats;
using Yunlu.Formats.Raster;
using Yunlu.Formats.Telemetry;
using Yunlu.Geo;
using Yunlu.Server;
using Yunlu.Supervision;
using Yunlu.Supervision.Checks;
using Yunlu.Supervision.Simulation;
using Yunlu.Terrain;

namespace Yunlu.Cli.Commands;

/// <summary>
/// <c>yunlu supervise replay</c> (the live checks over a recorded telemetry CSV, alerts as JSONL) and
/// <c>yunlu simulate</c> (drones flying the demo's routes with injected faults, written as telemetry CSV that
/// <c>supervise replay</c> reads directly).
/// </summary>
public static class SuperviseCommands
{
    /// <summary>The fault names <c>--faults</c> accepts.</summary>
    public static readonly IReadOnlyList<string> FaultNames = ["off-plan", "incursion", "lost-link", "converging"];

    /// <summary>Cruise altitude of simulated logistics routes (hub → drop point), metres AMSL.</summary>
    public const double LogisticsCruiseAmslM = 1300;

    /// <summary>Cruise altitude of simulated sightseeing routes (vertiport → point of interest), metres AMSL.</summary>
    public const double SightseeingCruiseAmslM = 1320;

    /// <summary>Adds <c>supervise</c> and <c>simulate</c> to <paramref name="root"/>.</summary>
    public static void AddTo(RootCommand root, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Subcommands.Add(CreateSupervise(stdout, stderr));
        root.Subcommands.Add(CreateSimulate(stdout, stderr));
    }

    /// <summary>The <c>supervise</c> command group.</summary>
    public static Command CreateSupervise(TextWriter stdout, TextWriter stderr)
    {
        var supervise = new Command("supervise", "Supervision: run the live checks (conformance, zones, separation, lost link) over recorded telemetry.");
        supervise.Subcommands.Add(Replay(stdout, stderr));
        return supervise;
    }

    /// <summary>The <c>simulate</c> command.</summary>
    public static Command CreateSimulate(TextWriter stdout, TextWriter stderr)
    {
        var drones = new Option<int>("--drones") { Description = "Number of route drones (converging pairs come on top).", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed and options give the same file.", DefaultValueFactory = _ => 1 };
        var duration = new Option<int>("--duration") { Description = "Simulated time, seconds (one report per drone per second).", DefaultValueFactory = _ => 600 };
        var faults = new Option<string[]>("--faults")
        {
            Description = "Faults to inject, comma-separated or repeated: off-plan, incursion, lost-link, converging. Each takes max(1, drones/20) drones (converging: max(1, drones/40) extra pairs).",
            DefaultValueFactory = _ => [],
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string>("--out") { Description = "Telemetry CSV to write (time_utc,aircraft_id,lat_deg,lon_deg,alt_m,alt_ref,vn_mps,ve_mps,vu_mps).", Required = true };
        var intentsOut = new Option<string?>("--intents-out") { Description = "Also write each route drone's Activated corridor intent (the --intents file of 'supervise replay')." };
        var sites = new Option<string?>("--sites") { Description = "Sites GeoJSON giving the routes (default: data/demo/sites.geojson of the repository)." };
        var zones = new Option<string?>("--zones") { Description = "Zones file whose Prohibited / authorisation-required zones are the incursion targets (default: data/demo/zones-ed269.json)." };
        var command = new Command("simulate",
            "Simulates drones flying the demo's logistics (hub → drop point) and sightseeing (vertiport → point of interest) routes, with injected faults, and writes telemetry CSV for 'supervise replay'.")
        {
            drones, seed, duration, faults, output, intentsOut, sites, zones,
        };
        command.SetAction(async (parse, ct) =>
        {
            int n = parse.GetValue(drones), s = parse.GetValue(seed), seconds = parse.GetValue(duration);
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            foreach (string f in (parse.GetValue(faults) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                if (!FaultNames.Contains(f, StringComparer.Ordinal))
                {
                    return await FailAsync(stderr, "simulate", $"--faults: '{f}' is not one of {string.Join(", ", FaultNames)} [fault-unknown]", ExitCodes.InvalidInput, ct).ConfigureAwait(false);
                }

                wanted.Add(f);
            }

            int per = Math.Max(1, n / 20);
            int offPlan = wanted.Contains("off-plan") ? per : 0, incursions = wanted.Contains("incursion") ? per : 0, lost = wanted.Contains("lost-link") ? per : 0;
            string? error =
                n < 0 ? "--drones: must be at least 0 [drones-range]" :
                seconds < 1 ? "--duration: must be at least 1 second [duration-range]" :
                offPlan + incursions + lost > n ? $"--drones: {n} drones cannot carry {offPlan + incursions + lost} faulty ones; give more drones or fewer faults [faults-too-many]" :
                null;
            if (error is not null)
            {
                return await FailAsync(stderr, "simulate", error, ExitCodes.InvalidInput, ct).ConfigureAwait(false);
            }

            string? root = RepoPaths.FindRepoRoot();
            string? sitesPath = parse.GetValue(sites) ?? (root is null ? null : Path.Combine(root, "data", "demo", "sites.geojson"));
            if (sitesPath is null)
            {
                return await FailAsync(stderr, "simulate", "--sites: not given and the demo data (data/demo/sites.geojson) is not found", ExitCodes.Usage, ct).ConfigureAwait(false);
            }

            var problems = new List<string>();
            IReadOnlyList<Site> siteList = LoadFile(sitesPath, "sites", problems, st => SiteFiles.Read(st, Path.GetFileName(sitesPath)));
            List<GeoPoint> targets = [];
            if (incursions > 0)
            {
                string? zonesPath = parse.GetValue(zones) ?? (root is null ? null : Path.Combine(root, "data", "demo", "zones-ed269.json"));
                if (zonesPath is null)
                {
                    return await FailAsync(stderr, "simulate", "--zones: not given and the demo data (data/demo/zones-ed269.json) is not found", ExitCodes.Usage, ct).ConfigureAwait(false);
                }

                targets = IncursionTargets(LoadFile(zonesPath, "zones", problems, st => ZoneFiles.Read(st, Path.GetFileName(zonesPath))));
                if (problems.Count == 0 && targets.Count == 0)
                {
                    problems.Add($"zones {Path.GetFileName(zonesPath)}: no Prohibited or authorisation-required zone to fly into [incursion-no-target]");
                }
            }

            List<SimRoute> routes = problems.Count == 0 ? DemoRoutes(siteList) : [];
            if (routes.Count > 0 && targets.Count > 1)
            {
                // Nearest the middle of the route network first, so that incursion drones reach their zone soonest.
                var mid = new GeoPoint(routes.Average(r => r.Waypoints.Average(w => w.LonDeg)), routes.Average(r => r.Waypoints.Average(w => w.LatDeg)));
                targets = [.. targets.OrderBy(t => ApproxDistanceSquared(t, mid))];
            }

            if (problems.Count == 0 && routes.Count == 0)
            {
                problems.Add($"sites {Path.GetFileName(sitesPath)}: no logistics hub with drop points nor vertiport with points of interest to make routes [routes-none]");
            }

            if (problems.Count > 0)
            {
                foreach (string p in problems)
                {
                    await stderr.WriteLineAsync($"yunlu simulate: {p}".AsMemory(), ct).ConfigureAwait(false);
                }

                return problems.Exists(p => p.EndsWith("[io]", StringComparison.Ordinal)) ? ExitCodes.IoError : ExitCodes.InvalidInput;
            }

            var options = new SimulatorOptions
            {
                Drones = n,
                Seed = s,
                OffPlan = offPlan,
                Incursions = incursions,
                IncursionTargets = targets,
                LostLinks = lost,
                ConvergingPairs = wanted.Contains("converging") ? Math.Max(1, n / 40) : 0,
                FaultWindowS = Math.Min(120, Math.Max(1, seconds / 2.0)),
            };
            var sim = new TrafficSimulator(routes, options);
            string outPath = parse.GetValue(output)!;
            string? intentsPath = parse.GetValue(intentsOut);
            long written;
            try
            {
                written = WriteTelemetry(sim, options.Start, seconds, outPath, ct);
                if (intentsPath is not null)
                {
                    WriteIntents(sim.Intents(), intentsPath);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return await FailAsync(stderr, "simulate", ex.Message, ExitCodes.IoError, ct).ConfigureAwait(false);
            }

            await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"yunlu simulate: {sim.Count} aircraft on {routes.Count} routes for {seconds} s: {written} reports → {outPath}{(intentsPath is null ? "" : $", intents → {intentsPath}")}").AsMemory(), ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Replay(TextWriter stdout, TextWriter stderr)
    {
        var zones = new Option<string>("--zones") { Description = "Zones file (GeoJSON, ED-269, ED-318 or KML).", Required = true };
        var intents = new Option<string?>("--intents") { Description = "Intents JSON (ASTM F3548 Volume4D); when given, drones without an Activated intent raise no_intent." };
        var telemetry = new Option<string>("--telemetry") { Description = "Telemetry CSV: time_utc,aircraft_id,lat_deg,lon_deg,alt_m,alt_ref,vn_mps,ve_mps,vu_mps.", Required = true };
        var output = new Option<string>("--out") { Description = "Alerts JSONL to write: one line per raised or cleared alert (replaced if present).", Required = true };
        var dem = new Option<string?>("--dem") { Description = "GeoTIFF DEM (metres AMSL) for AGL conversions and the true-height ceiling check." };
        var command = new Command("replay",
            "Runs the live checks over a recorded telemetry file as fast as possible and writes the alert events as JSONL. Any input error: one line each on stderr, exit 1, nothing written.")
        {
            zones, intents, telemetry, output, dem,
        };
        command.SetAction(async (parse, ct) =>
        {
            IGroundElevation? ground = null;
            if (parse.GetValue(dem) is { } demPath)
            {
                try
                {
                    await using FileStream fs = File.OpenRead(demPath);
                    ground = ElevationModel.FromRaster(GeoTiffReader.Read(fs));
                }
                catch (InvalidFileException ex)
                {
                    return await FailAsync(stderr, "supervise replay", $"dem {Path.GetFileName(demPath)}: {ex.Message} [{ex.Rule}]", ExitCodes.InvalidInput, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    return await FailAsync(stderr, "supervise replay", $"dem {demPath}: {ex.Message}", ExitCodes.IoError, ct).ConfigureAwait(false);
                }
            }

            string outPath = parse.GetValue(output)!;
            ReplayResult result;
            try
            {
                result = SupervisionReplay.Run(parse.GetValue(zones)!, parse.GetValue(intents), parse.GetValue(telemetry)!, outPath, null, ground, ct);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return await FailAsync(stderr, "supervise replay", $"{outPath}: {ex.Message}", ExitCodes.IoError, ct).ConfigureAwait(false);
            }

            if (!result.Ok)
            {
                foreach (string e in result.Errors)
                {
                    await stderr.WriteLineAsync($"yunlu supervise replay: {e}".AsMemory(), ct).ConfigureAwait(false);
                }

                return ExitCodes.InvalidInput;
            }

            await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"yunlu supervise replay: {result.Reports} reports, {result.Cycles} cycles, {result.EventsWritten} alert events ({result.Zones} zones, {result.Intents} intents) → {outPath}").AsMemory(), ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The demo's routes from its sites: each drop point from its nearest logistics hub
    /// (<see cref="LogisticsCruiseAmslM"/>) and each point of interest from its nearest vertiport
    /// (<see cref="SightseeingCruiseAmslM"/>), ordered by site id.</summary>
    /// <param name="sites">The sites.</param>
    /// <returns>The routes (empty when the sites have no such pairs).</returns>
    public static List<SimRoute> DemoRoutes(IReadOnlyList<Site> sites)
    {
        ArgumentNullException.ThrowIfNull(sites);
        var routes = new List<SimRoute>();
        AddRoutes(sites, SiteKind.LogisticsHub, SiteKind.DropPoint, "logistics", Altitude.Amsl(LogisticsCruiseAmslM), routes);
        AddRoutes(sites, SiteKind.Vertiport, SiteKind.PointOfInterest, "sightseeing", Altitude.Amsl(SightseeingCruiseAmslM), routes);
        return routes;
    }

    private static void AddRoutes(IReadOnlyList<Site> sites, SiteKind fromKind, SiteKind toKind, string prefix, Altitude cruise, List<SimRoute> routes)
    {
        Site[] from = [.. sites.Where(x => x.Kind == fromKind).OrderBy(x => x.Id, StringComparer.Ordinal)];
        if (from.Length == 0)
        {
            return;
        }

        foreach (Site to in sites.Where(x => x.Kind == toKind).OrderBy(x => x.Id, StringComparer.Ordinal))
        {
            Site nearest = from.MinBy(f => ApproxDistanceSquared(f.Position, to.Position))!;
            if (ApproxDistanceSquared(nearest.Position, to.Position) > 0)
            {
                routes.Add(new SimRoute($"{prefix} {nearest.Id}-{to.Id}", [nearest.Position, to.Position], cruise));
            }
        }
    }

    private static double ApproxDistanceSquared(GeoPoint a, GeoPoint b)
    {
        double dx = (a.LonDeg - b.LonDeg) * Math.Cos((a.LatDeg + b.LatDeg) * Math.PI / 360), dy = a.LatDeg - b.LatDeg;
        return (dx * dx) + (dy * dy);
    }

    private static List<GeoPoint> IncursionTargets(IReadOnlyList<Zone> zones)
    {
        var targets = new List<GeoPoint>();
        foreach (Zone z in zones)
        {
            if (z.Restriction is not (ZoneRestriction.Prohibited or ZoneRestriction.ReqAuthorisation))
            {
                continue;
            }

            switch (z.Footprint)
            {
                case CircleFootprint c:
                    targets.Add(c.Center);
                    break;
                case PolygonFootprint p:
                    Point inside = p.Polygon.InteriorPoint;
                    targets.Add(new GeoPoint(inside.X, inside.Y));
                    break;
            }
        }

        return targets;
    }

    private static IReadOnlyList<T> LoadFile<T>(string path, string what, List<string> problems, Func<Stream, ImportResult<T>> read)
    {
        try
        {
            using FileStream s = File.OpenRead(path);
            ImportResult<T> r = read(s);
            foreach (FeatureError fe in r.Errors)
            {
                problems.Add($"{what} {Path.GetFileName(path)}: {fe}");
            }

            return r.Items;
        }
        catch (InvalidFileException ex)
        {
            problems.Add($"{what} {Path.GetFileName(path)}: {ex.Message} [{ex.Rule}]");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{what} {path}: {ex.Message} [io]");
        }

        return [];
    }

    private static long WriteTelemetry(TrafficSimulator sim, DateTimeOffset start, int seconds, string outPath, CancellationToken ct)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(outPath));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        long count = 0;
        string temp = outPath + ".part";
        using (var writer = new StreamWriter(temp, false, new System.Text.UTF8Encoding(false), 1 << 16))
        {
            TelemetryCsv.Write(writer, Reports(sim, start, seconds, c => count += c, ct));
        }

        File.Move(temp, outPath, true);
        return count;
    }

    private static IEnumerable<PositionReport> Reports(TrafficSimulator sim, DateTimeOffset start, int seconds, Action<int> counted, CancellationToken ct)
    {
        var batch = new List<PositionReport>(sim.Count);
        for (int s = 0; s <= seconds; s++)
        {
            ct.ThrowIfCancellationRequested();
            batch.Clear();
            sim.Step(start.AddSeconds(s), batch);
            counted(batch.Count);
            foreach (PositionReport r in batch)
            {
                yield return r;
            }
        }
    }

    /// <summary>Writes intents in the format <see cref="IntentFiles.Read"/> reads (ASTM F3548 Volume4D, metres).</summary>
    private static void WriteIntents(IReadOnlyList<SupervisedIntent> intents, string path)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        using FileStream fs = File.Create(path);
        using var w = new Utf8JsonWriter(fs, new JsonWriterOptions { Indented = false });
        w.WriteStartArray();
        foreach (SupervisedIntent intent in intents)
        {
            w.WriteStartObject();
            w.WriteString("id", intent.Id);
            w.WriteString("aircraft", intent.AircraftId);
            w.WriteString("state", intent.State.ToString());
            w.WriteStartArray("volumes");
            foreach (Volume4D v in intent.Volumes)
            {
                w.WriteStartObject();
                w.WriteStartObject("volume");
                switch (v.Volume.Footprint)
                {
                    case PolygonFootprint p:
                        w.WriteStartObject("outline_polygon");
                        w.WriteStartArray("vertices");
                        Coordinate[] shell = p.Polygon.Shell.Coordinates;
                        for (int i = 0; i + 1 < shell.Length; i++)
                        {
                            w.WriteStartObject();
                            w.WriteNumber("lat", shell[i].Y);
                            w.WriteNumber("lng", shell[i].X);
                            w.WriteEndObject();
                        }

                        w.WriteEndArray();
                        w.WriteEndObject();
                        break;
                    case CircleFootprint c:
                        w.WriteStartObject("outline_circle");
                        w.WriteStartObject("center");
                        w.WriteNumber("lat", c.Center.LatDeg);
                        w.WriteNumber("lng", c.Center.LonDeg);
                        w.WriteEndObject();
                        w.WriteStartObject("radius");
                        w.WriteNumber("value", c.RadiusM);
                        w.WriteString("units", "M");
                        w.WriteEndObject();
                        w.WriteEndObject();
                        break;
                }

                WriteAltitude(w, "altitude_lower", v.Volume.Lower);
                WriteAltitude(w, "altitude_upper", v.Volume.Upper);
                w.WriteEndObject();
                WriteTime(w, "time_start", v.Time.Start);
                WriteTime(w, "time_end", v.Time.End);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteAltitude(Utf8JsonWriter w, string name, Altitude a)
    {
        w.WriteStartObject(name);
        w.WriteNumber("value", a.ValueM);
        w.WriteString("reference", a.Reference switch
        {
            AltitudeReference.Agl => "AGL",
            AltitudeReference.Amsl => "AMSL",
            _ => "W84",
        });
        w.WriteString("units", "M");
        w.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset t)
    {
        w.WriteStartObject(name);
        w.WriteString("value", TimeText.Format(t));
        w.WriteString("format", "RFC3339");
        w.WriteEndObject();
    }

    private static async Task<int> FailAsync(TextWriter stderr, string command, string message, int code, CancellationToken ct)
    {
        await stderr.WriteLineAsync($"yunlu {command}: {message}".AsMemory(), ct).ConfigureAwait(false);
        return code;
    }
}
