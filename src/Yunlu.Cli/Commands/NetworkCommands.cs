using System.CommandLine;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Yunlu.Airspace.Sites;
using Yunlu.Airspace.Zones;
using Yunlu.Formats;
using Yunlu.Routing.Network;
using Yunlu.Server;
using Yunlu.Server.Hosting;
using Yunlu.Server.Network;
using Yunlu.Server.Problems;
using Yunlu.Storage;
using Yunlu.Storage.Airspace;

namespace Yunlu.Cli.Commands;

/// <summary><c>yunlu network</c>: generates an airway network joining vertiports (GeoJSON + report), optionally stores it
/// as corridors; <c>yunlu network bench</c>: the seeded 100-vertiport benchmark with its MST baseline.</summary>
public static class NetworkCommands
{
    /// <summary>The <c>network</c> command.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var sites = new Option<string>("--sites") { Description = "Sites GeoJSON (Yunlu sites format) or 'demo' for data/demo/sites.geojson.", Required = true };
        var kinds = new Option<string>("--kinds")
        {
            Description = "Site kinds joined, comma-separated (vertiport, logistics_hub, drop_point, point_of_interest, training_area, airport).",
            DefaultValueFactory = _ => "vertiport,logistics_hub",
        };
        var zones = new Option<string?>("--zones") { Description = "Zones file (ED-269, ED-318, KML); its prohibited zones are avoided. Default with --sites demo: data/demo/zones-ed269.json; 'none' for no zones." };
        var demand = new Option<FileInfo?>("--demand") { Description = "Origin–destination demand CSV: header, then origin,destination,flights per line." };
        var output = new Option<FileInfo?>("--out") { Description = "Write the network GeoJSON here (default: standard output)." };
        var store = new Option<bool>("--store") { Description = "Also store the network as airway nodes and corridors in the data folder's store." };
        var detour = new Option<double>("--detour") { Description = "Detour target per pair (network/free-route distance).", DefaultValueFactory = _ => new NetworkOptions().DetourTarget };
        var layers = new Option<int>("--layers") { Description = "Heading layers (even, 2–8).", DefaultValueFactory = _ => new NetworkOptions().HeadingLayers };
        var separation = new Option<double>("--separation-m") { Description = "Same-layer lateral separation, metres.", DefaultValueFactory = _ => new NetworkOptions().LateralSeparationM };
        var clearance = new Option<double>("--clearance-m") { Description = "Lateral clearance from prohibited zones, metres.", DefaultValueFactory = _ => new NetworkOptions().LateralClearanceM };
        var prefix = new Option<string>("--id-prefix") { Description = "Prefix of generated node and corridor ids.", DefaultValueFactory = _ => new NetworkOptions().IdPrefix };
        var data = new Option<string>("--data", "-d")
        {
            Description = "Data folder (SQLite file yunlu.db) for --store. Default: .yunlu-data",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("YUNLU_DATA") is { Length: > 0 } d ? d : ".yunlu-data",
        };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL (+PostGIS) connection string instead of the SQLite file (with --store)." };
        var command = new Command("network",
            "Generates an airway network joining the vertiports among the sites: corridors avoiding prohibited zones, detour per pair within the target, " +
            "no same-layer crossing outside junctions, opposing headings on separated layers below 120 m true height. Writes GeoJSON with the report; " +
            "exit 0, 1 invalid input, 3 store unavailable, 5 I/O error.")
        {
            sites, kinds, zones, demand, output, store, detour, layers, separation, clearance, prefix, data, postgres,
        };
        command.SetAction(async (parse, ct) =>
        {
            string? root = RepoPaths.FindRepoRoot();
            string sitesArg = parse.GetValue(sites)!;
            bool demo = string.Equals(sitesArg, "demo", StringComparison.OrdinalIgnoreCase);
            string? sitesPath = demo ? (root is null ? null : Path.Combine(root, "data", "demo", "sites.geojson")) : sitesArg;
            if (sitesPath is null || !File.Exists(sitesPath))
            {
                return await FailAsync(stderr, $"--sites: {sitesPath ?? "the demo data (data/demo/sites.geojson)"} not found [file-missing]", ExitCodes.InvalidInput, ct).ConfigureAwait(false);
            }

            var wanted = new HashSet<SiteKind>();
            foreach (string k in parse.GetValue(kinds)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Yunlu.Server.Contracts.WireNames.TryParse(k, out SiteKind kind))
                {
                    return await FailAsync(stderr, $"--kinds: '{k}' is not a site kind [unknown-value]", ExitCodes.InvalidInput, ct).ConfigureAwait(false);
                }

                wanted.Add(kind);
            }

            var vertiports = new List<NetworkVertiport>();
            var keepOuts = new List<NetworkKeepOut>();
            var od = new List<OdDemand>();
            try
            {
                ImportResult<Site> read;
                await using (FileStream fs = File.OpenRead(sitesPath))
                {
                    read = SiteFiles.Read(fs, Path.GetFileName(sitesPath));
                }

                if (!read.Ok)
                {
                    return await FailAsync(stderr, $"--sites: {read.Errors[0]}", ExitCodes.InvalidInput, ct).ConfigureAwait(false);
                }

                foreach (Site s in read.Items)
                {
                    if (wanted.Contains(s.Kind))
                    {
                        vertiports.Add(new NetworkVertiport(s.Id, s.Name, s.Position));
                    }
                }

                string? zonesArg = parse.GetValue(zones) ?? (demo && root is not null ? Path.Combine(root, "data", "demo", "zones-ed269.json") : null);
                if (zonesArg is not null && !string.Equals(zonesArg, "none", StringComparison.OrdinalIgnoreCase))
                {
                    if (!File.Exists(zonesArg))
                    {
                        return await FailAsync(stderr, $"--zones: {zonesArg} not found [file-missing]", ExitCodes.InvalidInput, ct).ConfigureAwait(false);
                    }

                    ImportResult<Zone> zr;
                    await using (FileStream zs = File.OpenRead(zonesArg))
                    {
                        zr = ZoneFiles.Read(zs, Path.GetFileName(zonesArg));
                    }

                    if (!zr.Ok)
                    {
                        return await FailAsync(stderr, $"--zones: {zr.Errors[0]}", ExitCodes.InvalidInput, ct).ConfigureAwait(false);
                    }

                    keepOuts.AddRange(NetworkKeepOut.FromZones(zr.Items));
                }

                if (parse.GetValue(demand) is { } demandFile)
                {
                    if (!demandFile.Exists)
                    {
                        return await FailAsync(stderr, $"--demand: {demandFile.FullName} not found [file-missing]", ExitCodes.InvalidInput, ct).ConfigureAwait(false);
                    }

                    var errors = new List<string>();
                    using var reader = new StreamReader(demandFile.FullName);
                    od = NetworkExport.ReadDemandCsv(reader, errors);
                    if (errors.Count > 0)
                    {
                        return await FailAsync(stderr, "--demand: " + errors[0], ExitCodes.InvalidInput, ct).ConfigureAwait(false);
                    }
                }
            }
            catch (InvalidFileException ex)
            {
                return await FailAsync(stderr, $"{ex.Message} [{ex.Rule}]", ExitCodes.InvalidInput, ct).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                return await FailAsync(stderr, ex.Message, ExitCodes.IoError, ct).ConfigureAwait(false);
            }

            var options = new NetworkOptions
            {
                DetourTarget = parse.GetValue(detour),
                HeadingLayers = parse.GetValue(layers),
                LateralSeparationM = parse.GetValue(separation),
                LateralClearanceM = parse.GetValue(clearance),
                IdPrefix = parse.GetValue(prefix)!,
            };
            AirwayNetwork network;
            var clock = Stopwatch.StartNew();
            try
            {
                using var progress = new StageProgress(stderr, "yunlu network");
                var input = new NetworkInput(vertiports, keepOuts, od);
                network = await Task.Run(() => AirwayNetworkGenerator.Generate(input, options, progress, ct), ct).ConfigureAwait(false);
            }
            catch (NetworkInputException ex)
            {
                foreach (string e in ex.Errors)
                {
                    await stderr.WriteLineAsync($"yunlu network: {e}".AsMemory(), ct).ConfigureAwait(false);
                }

                return ExitCodes.InvalidInput;
            }

            double seconds = clock.Elapsed.TotalSeconds;
            bool stored = false;
            if (parse.GetValue(store))
            {
                var serverOptions = new YunluServerOptions { DataFolder = parse.GetValue(data)!, PostgresConnectionString = parse.GetValue(postgres), LoadDemo = false };
                IYunluStore? core = null;
                try
                {
                    core = await StoreOpener.OpenAsync(serverOptions, ct).ConfigureAwait(false);
                    await core.MigrateAsync(ct).ConfigureAwait(false);
                    await using IAirspaceStore airspace = AirspaceStoreFactory.Create(
                        string.IsNullOrWhiteSpace(serverOptions.PostgresConnectionString) ? serverOptions.SqlitePath : serverOptions.PostgresConnectionString);
                    var errors = await NetworkApi.StoreAsync(airspace, network, Environment.UserName, ct).ConfigureAwait(false);
                    if (errors.Count > 0)
                    {
                        return await FailAsync(stderr, $"--store: {errors[0].Field}: {errors[0].Message} [{errors[0].Rule}]; nothing was stored", ExitCodes.InvalidInput, ct).ConfigureAwait(false);
                    }

                    stored = true;
                }
                catch (Exception ex) when (ex is DbException or TimeoutException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
                {
                    return await FailAsync(stderr, $"store unavailable: {ex.Message}", ExitCodes.StoreUnavailable, ct).ConfigureAwait(false);
                }
                finally
                {
                    if (core is not null)
                    {
                        await core.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }

            try
            {
                byte[] geojson = GeoJson(network, stored);
                FileInfo? outFile = parse.GetValue(output);
                if (outFile is not null)
                {
                    await File.WriteAllBytesAsync(outFile.FullName, geojson, ct).ConfigureAwait(false);
                    await stdout.WriteLineAsync(Summary(network.Report, seconds, outFile.FullName, stored).AsMemory(), ct).ConfigureAwait(false);
                }
                else
                {
                    await stdout.WriteLineAsync(System.Text.Encoding.UTF8.GetString(geojson).AsMemory(), ct).ConfigureAwait(false);
                    await stderr.WriteLineAsync(Summary(network.Report, seconds, null, stored).AsMemory(), ct).ConfigureAwait(false);
                }
            }
            catch (IOException ex)
            {
                return await FailAsync(stderr, $"--out: {ex.Message}", ExitCodes.IoError, ct).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        command.Subcommands.Add(Bench(stdout, stderr));
        return command;
    }

    private static Command Bench(TextWriter stdout, TextWriter stderr)
    {
        var count = new Option<int>("--vertiports") { Description = "Vertiport count.", DefaultValueFactory = _ => 100 };
        var side = new Option<double>("--side-km") { Description = "Side of the square area, km.", DefaultValueFactory = _ => 30 };
        var zones = new Option<int>("--zones") { Description = "Prohibited areas (circles and L-shaped blocks).", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var runs = new Option<int>("--runs") { Description = "Seeds run: seed, seed+1, …", DefaultValueFactory = _ => 1 };
        var command = new Command("bench",
            "Seeded benchmark: random vertiports over a square with prohibited areas; prints one JSON line per run with the generated network's figures " +
            "and the same-run MST baseline (length, detours), then a summary line.")
        {
            count, side, zones, seed, runs,
        };
        command.SetAction(async (parse, ct) =>
        {
            int n = parse.GetValue(count), z = parse.GetValue(zones), s0 = parse.GetValue(seed), r = parse.GetValue(runs);
            double sideKm = parse.GetValue(side);
            if (n is < 2 or > 2000 || z is < 0 or > 100 || !(sideKm >= 1 && sideKm <= 500) || r is < 1 or > 100)
            {
                return await FailAsync(stderr, "--vertiports 2–2000, --zones 0–100, --side-km 1–500, --runs 1–100 [range]", ExitCodes.InvalidInput, ct).ConfigureAwait(false);
            }

            var options = new NetworkOptions();
            double worstSeconds = 0, worstMean = 0, worstP95 = 0;
            int crossings = 0;
            for (int k = 0; k < r; k++)
            {
                NetworkInput input = NetworkScenario.Random(n, sideKm * 1000, z, s0 + k, options.LateralClearanceM);
                var clock = Stopwatch.StartNew();
                AirwayNetwork net = await Task.Run(() => AirwayNetworkGenerator.Generate(input, options, null, ct), ct).ConfigureAwait(false);
                double seconds = clock.Elapsed.TotalSeconds;
                clock.Restart();
                AirwayNetwork mst = await Task.Run(() => AirwayNetworkGenerator.GenerateMinimumSpanningTree(input, options, ct), ct).ConfigureAwait(false);
                double mstSeconds = clock.Elapsed.TotalSeconds;
                worstSeconds = Math.Max(worstSeconds, seconds);
                worstMean = Math.Max(worstMean, net.Report.MeanDetour);
                worstP95 = Math.Max(worstP95, net.Report.P95Detour);
                crossings += net.Report.SameLayerCrossings;
                string line = string.Create(CultureInfo.InvariantCulture,
                    $"{{\"seed\":{s0 + k},\"vertiports\":{n},\"zones\":{z},\"sideKm\":{sideKm},\"seconds\":{seconds:0.###},\"lengthKm\":{net.Report.NetworkLengthM / 1000:0.#},\"mstKm\":{net.Report.MstLengthM / 1000:0.#},\"lengthVsMst\":{net.Report.LengthVsMst:0.###},\"meanDetour\":{net.Report.MeanDetour:0.####},\"p95Detour\":{net.Report.P95Detour:0.####},\"maxDetour\":{net.Report.MaxDetour:0.####},\"crossings\":{net.Report.SameLayerCrossings},\"separationViolations\":{net.Report.SeparationViolations},\"junctions\":{net.Report.Junctions},\"corridors\":{net.Report.Corridors},\"baseline\":{{\"kind\":\"mst\",\"seconds\":{mstSeconds:0.###},\"lengthKm\":{mst.Report.NetworkLengthM / 1000:0.#},\"meanDetour\":{mst.Report.MeanDetour:0.####},\"p95Detour\":{mst.Report.P95Detour:0.####},\"maxDetour\":{mst.Report.MaxDetour:0.####}}}}}");
                await stdout.WriteLineAsync(line.AsMemory(), ct).ConfigureAwait(false);
            }

            string summary = string.Create(CultureInfo.InvariantCulture,
                $"{{\"runs\":{r},\"maxSeconds\":{worstSeconds:0.###},\"worstMeanDetour\":{worstMean:0.####},\"worstP95Detour\":{worstP95:0.####},\"crossings\":{crossings}}}");
            await stdout.WriteLineAsync(summary.AsMemory(), ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static byte[] GeoJson(AirwayNetwork network, bool stored)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            NetworkExport.WriteGeoJson(network, writer, stored);
        }

        return buffer.ToArray();
    }

    private static string Summary(NetworkReport r, double seconds, string? file, bool stored)
    {
        var sb = new System.Text.StringBuilder();
        CultureInfo ci = CultureInfo.InvariantCulture;
        sb.Append(ci, $"network: {r.Vertiports} vertiports, {r.Corridors} one-way corridors, {r.Junctions} junctions; length {r.NetworkLengthM / 1000:0.0} km = {r.LengthVsMst:0.00}× MST; ");
        sb.Append(ci, $"detour mean {r.MeanDetour:0.000}, p95 {r.P95Detour:0.000}, max {r.MaxDetour:0.000}; same-layer crossings {r.SameLayerCrossings}; separation violations {r.SeparationViolations}; ");
        sb.Append(ci, $"capacity {r.CorridorCapacityPerHour}/h per corridor; {seconds:0.00} s");
        if (file is not null)
        {
            sb.Append("; written to ").Append(file);
        }

        if (stored)
        {
            sb.Append("; stored");
        }

        return sb.ToString();
    }

    private static async Task<int> FailAsync(TextWriter stderr, string message, int code, CancellationToken ct)
    {
        await stderr.WriteLineAsync($"yunlu network: {message}".AsMemory(), ct).ConfigureAwait(false);
        return code;
    }

    /// <summary>A progress display on standard error: a self-overwriting line on a terminal, one line per stage otherwise.
    /// Reports arrive on the generator's threads; writes are serialised.</summary>
    private sealed class StageProgress(TextWriter stderr, string label) : IProgress<NetworkProgress>, IDisposable
    {
        private readonly Lock _gate = new();
        private readonly bool _terminal = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
        private string _stage = "";
        private int _percent = -1;

        public void Report(NetworkProgress value)
        {
            lock (_gate)
            {
                int percent = (int)Math.Clamp(value.Fraction * 100, 0, 100);
                bool newStage = !string.Equals(value.Stage, _stage, StringComparison.Ordinal);
                if (_terminal && (newStage || percent >= _percent + 2))
                {
                    stderr.Write(string.Create(CultureInfo.InvariantCulture, $"\r{label}: {value.Stage,-12} {percent,3}%   "));
                    _percent = percent;
                }
                else if (!_terminal && newStage)
                {
                    stderr.WriteLine($"{label}: {value.Stage}");
                }

                _stage = value.Stage;
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_terminal && _stage.Length > 0)
                {
                    stderr.Write('\r');
                    stderr.Write(new string(' ', label.Length + 24));
                    stderr.Write('\r');
                }
            }
        }
    }
}
