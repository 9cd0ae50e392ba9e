using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using Yunlu.Formats;
using Yunlu.Server;
using Yunlu.Server.Api;
using Yunlu.Server.Auth;
using Yunlu.Server.Contracts;
using Yunlu.Server.Hosting;
using Yunlu.Server.Imports;
using Yunlu.Storage;

namespace Yunlu.Cli;

/// <summary>The <c>yunlu</c> command line: serve, import, export, info, token. Every command has <c>--help</c>; exit
/// codes are in <see cref="ExitCodes"/>.</summary>
public static class YunluCli
{
    /// <summary>Parses and runs <paramref name="args"/>, writing to <paramref name="stdout"/>/<paramref name="stderr"/>.
    /// Returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var root = BuildRootCommand(stdout, stderr);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync($"yunlu: {error.Message}".AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("Run 'yunlu --help' for usage.".AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("yunlu: interrupted".AsMemory(), CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>Builds the command tree (exposed for tests and documentation).</summary>
    public static RootCommand BuildRootCommand(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("yunlu — the Yunlu (云路) low-altitude airspace platform: server, imports, exports, tokens.");
        root.Subcommands.Add(ServeCommand(stdout, stderr));
        root.Subcommands.Add(ImportCommand(stdout, stderr));
        root.Subcommands.Add(ExportCommand(stdout, stderr));
        root.Subcommands.Add(InfoCommand(stdout, stderr));
        root.Subcommands.Add(TokenCommand(stdout, stderr));
        root.Subcommands.Add(Commands.GridCommands.Create(stdout, stderr));
        root.Subcommands.Add(Commands.BenchCommands.Create(stdout, stderr));
        root.Subcommands.Add(Commands.AirspaceCommands.Create(stdout, stderr));
        Commands.SuperviseCommands.AddTo(root, stdout, stderr);
        root.Subcommands.Add(Commands.OpsCommands.Create(stdout, stderr));
        Commands.PlanCommands.AddTo(root, stdout, stderr);
        root.Subcommands.Add(Commands.NetworkCommands.Create(stdout, stderr));
        return root;
    }

    private static Option<string> DataOption() => new("--data", "-d")
    {
        Description = "Data folder (SQLite file yunlu.db, keys, caches). Default: .yunlu-data",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("YUNLU_DATA") is { Length: > 0 } d ? d : ".yunlu-data",
    };

    private static Option<string?> PostgresOption() => new("--postgres")
    {
        Description = "PostgreSQL (+PostGIS) connection string; when given, the store is PostgreSQL instead of SQLite.",
    };

    private static Command ServeCommand(TextWriter stdout, TextWriter stderr)
    {
        var urls = new Option<string[]>("--urls")
        {
            Description = "URL(s) to listen on, e.g. http://127.0.0.1:5080 (port 0 picks a free port).",
            DefaultValueFactory = _ => ["http://127.0.0.1:5080"],
            AllowMultipleArgumentsPerToken = true,
        };
        var data = DataOption();
        var postgres = PostgresOption();
        var noDemo = new Option<bool>("--no-demo") { Description = "Do not load the Guiyang demo data on first start." };
        var webRoot = new Option<string?>("--web-root") { Description = "Folder of the web console (default: wwwroot beside the binaries, else web/dist)." };
        var noDevIssuer = new Option<bool>("--no-dev-issuer") { Description = "Disable POST /api/v1/auth/token (production)." };
        var privateReads = new Option<bool>("--private-reads") { Description = "Require a token for map reads too." };
        var trustedKeys = new Option<string[]>("--trusted-key")
        {
            Description = "PEM public key or JWKS file of a trusted token issuer (repeatable).",
            DefaultValueFactory = _ => [],
        };
        var trustedIssuers = new Option<string[]>("--trusted-issuer")
        {
            Description = "An 'iss' value to accept besides the development issuer (repeatable).",
            DefaultValueFactory = _ => [],
        };
        var command = new Command("serve", "Runs the server: REST API /api/v1, OpenAPI /openapi/v1.json, Scalar /scalar, the web console.")
        {
            urls, data, postgres, noDemo, webRoot, noDevIssuer, privateReads, trustedKeys, trustedIssuers,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new YunluServerOptions
            {
                DataFolder = parse.GetValue(data)!,
                PostgresConnectionString = parse.GetValue(postgres),
                LoadDemo = !parse.GetValue(noDemo),
                WebRootPath = parse.GetValue(webRoot),
                PublicReads = !parse.GetValue(privateReads),
            };
            foreach (var u in parse.GetValue(urls) ?? [])
            {
                options.Urls.Add(u);
            }

            options.Auth.DevIssuerEnabled = !parse.GetValue(noDevIssuer);
            foreach (var k in parse.GetValue(trustedKeys) ?? [])
            {
                options.Auth.TrustedKeyFiles.Add(k);
            }

            foreach (var i in parse.GetValue(trustedIssuers) ?? [])
            {
                options.Auth.TrustedIssuers.Add(i);
            }

            WebApplication app;
            try
            {
                app = YunluServer.Create(options);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"yunlu serve: {ex.Message}".AsMemory(), ct).ConfigureAwait(false);
                return ExitCodes.IoError;
            }

            await using (app.ConfigureAwait(false))
            {
                try
                {
                    await app.StartAsync(ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsStoreFailure(ex))
                {
                    await stderr.WriteLineAsync($"yunlu serve: store unavailable: {ex.Message}".AsMemory(), ct).ConfigureAwait(false);
                    return ExitCodes.StoreUnavailable;
                }
                catch (IOException ex)
                {
                    await stderr.WriteLineAsync($"yunlu serve: {ex.Message}".AsMemory(), ct).ConfigureAwait(false);
                    return ExitCodes.IoError;
                }

                await stdout.WriteLineAsync($"Yunlu listening on {string.Join(", ", app.Urls)} (data: {Path.GetFullPath(options.DataFolder)})".AsMemory(), ct).ConfigureAwait(false);
                await stdout.FlushAsync(ct).ConfigureAwait(false);
                try
                {
                    await app.WaitForShutdownAsync(ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C: stop gracefully below.
                }

                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ImportCommand(TextWriter stdout, TextWriter stderr)
    {
        var kind = new Argument<string>("kind") { Description = "What the file holds: zones, buildings, sites, dem or orthophoto." };
        kind.AcceptOnlyFromAmong(ImportService.KindNames.ToArray());
        var file = new Argument<FileInfo>("file") { Description = "The file to import (ED-269/ED-318/GeoJSON/KML/KMZ, GeoJSON, GeoTIFF, .hgt)." };
        var data = DataOption();
        var postgres = PostgresOption();
        var dryRun = new Option<bool>("--dry-run") { Description = "Check the file and show what would be imported; store nothing." };
        var server = new Option<Uri?>("--server") { Description = "Import through a running server's API instead of the data folder, e.g. http://127.0.0.1:5080." };
        var token = new Option<string?>("--token") { Description = "Bearer token for --server (manager or admin role); default $YUNLU_TOKEN." };
        var actor = new Option<string>("--actor")
        {
            Description = "Who is recorded as importing (direct mode).",
            DefaultValueFactory = _ => Environment.UserName is { Length: > 0 } u ? "cli:" + u : "cli",
        };
        var command = new Command("import", "Imports a file into the store. A file with any error is rejected whole: nothing is stored.")
        {
            kind, file, data, postgres, dryRun, server, token, actor,
        };
        command.SetAction(async (parse, ct) =>
        {
            var kindName = parse.GetValue(kind)!;
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                await stderr.WriteLineAsync($"yunlu import: {path.FullName}: no such file".AsMemory(), ct).ConfigureAwait(false);
                return ExitCodes.IoError;
            }

            ImportOutcomeDto outcome;
            if (parse.GetValue(server) is { } serverUri)
            {
                var bearer = parse.GetValue(token) ?? Environment.GetEnvironmentVariable("YUNLU_TOKEN");
                var (code, remote) = await RemoteImportAsync(serverUri, bearer, kindName, path, parse.GetValue(dryRun), stderr, ct).ConfigureAwait(false);
                if (remote is null)
                {
                    return code;
                }

                outcome = remote;
            }
            else
            {
                var options = StoreOptions(parse.GetValue(data)!, parse.GetValue(postgres));
                var opened = await OpenStoreAsync(options, stderr, ct).ConfigureAwait(false);
                if (opened is null)
                {
                    return ExitCodes.StoreUnavailable;
                }

                await using (opened.ConfigureAwait(false))
                {
                    var bytes = await File.ReadAllBytesAsync(path.FullName, ct).ConfigureAwait(false);
                    var service = new ImportService(opened, TimeProvider.System, NullLogger<ImportService>.Instance);
                    _ = ImportService.TryParseKind(kindName, out var importKind);
                    outcome = await WithProgressAsync(stdout, $"Importing {path.Name}", () =>
                        service.ImportAsync(importKind, path.Name, bytes, parse.GetValue(actor)!, parse.GetValue(dryRun), ct)).ConfigureAwait(false);
                }
            }

            return await ReportAsync(outcome, path.Name, stdout, stderr, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> ReportAsync(ImportOutcomeDto outcome, string fileName, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (outcome.Errors.Count > 0)
        {
            var first = outcome.Errors[0];
            var more = outcome.Errors.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" (and {outcome.Errors.Count - 1} more)") : "";
            await stderr.WriteLineAsync($"yunlu import: {fileName}: {first}{more}; nothing stored".AsMemory(), ct).ConfigureAwait(false);
            for (var i = 1; i < outcome.Errors.Count; i++)
            {
                await stdout.WriteLineAsync($"  {outcome.Errors[i]}".AsMemory(), ct).ConfigureAwait(false);
            }

            return ExitCodes.InvalidInput;
        }

        var what = outcome.DryRun ? "would import" : "imported";
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{fileName}: {what} {outcome.FeatureCount} {outcome.Kind} item(s){(outcome.DatasetId is null ? "" : $" as dataset {outcome.DatasetId}")}{(outcome.Record is null ? "" : $" (import {outcome.Record.Id})")}").AsMemory(), ct).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static async Task<(int Code, ImportOutcomeDto? Outcome)> RemoteImportAsync(Uri server, string? token, string kind, FileInfo file, bool dryRun, TextWriter stderr, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(10) };
        if (!string.IsNullOrEmpty(token))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var url = $"api/v1/imports/{kind}?fileName={Uri.EscapeDataString(file.Name)}&dryRun={(dryRun ? "true" : "false")}";
        var stream = file.OpenRead();
        await using (stream.ConfigureAwait(false))
        {
            using var content = new StreamContent(stream);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            HttpResponseMessage response;
            try
            {
                response = await http.PostAsync(new Uri(url, UriKind.Relative), content, ct).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                await stderr.WriteLineAsync($"yunlu import: cannot reach {server}: {ex.Message}".AsMemory(), ct).ConfigureAwait(false);
                return (ExitCodes.ServerError, null);
            }

            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return (ExitCodes.Ok, JsonSerializer.Deserialize(body, YunluJsonContext.Default.ImportOutcomeDto));
                }

                using var doc = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
                if ((int)response.StatusCode == 422 && doc.RootElement.TryGetProperty("featureErrors", out var errors))
                {
                    var list = errors.Deserialize(YunluJsonContext.Default.FeatureErrorArray) ?? [];
                    return (ExitCodes.InvalidInput, new ImportOutcomeDto(kind, file.Name, dryRun, false, 0, list, null, null));
                }

                var detail = doc.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : doc.RootElement.TryGetProperty("title", out var t) ? t.GetString() : body;
                await stderr.WriteLineAsync($"yunlu import: server answered {(int)response.StatusCode}: {detail}".AsMemory(), ct).ConfigureAwait(false);
                return ((int)response.StatusCode == 400 ? ExitCodes.InvalidInput : ExitCodes.ServerError, null);
            }
        }
    }

    private static Command ExportCommand(TextWriter stdout, TextWriter stderr)
    {
        var what = new Argument<string>("what") { Description = "What to export: zones." };
        what.AcceptOnlyFromAmong("zones");
        var format = new Option<string>("--format", "-f")
        {
            Description = "geojson, ed269, ed318, kml or kmz.",
            DefaultValueFactory = _ => "geojson",
        };
        format.AcceptOnlyFromAmong(ZoneExport.FormatNames.ToArray());
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Output file (default: standard output; kmz needs --out)." };
        var data = DataOption();
        var postgres = PostgresOption();
        var command = new Command("export", "Exports stored zones in a standard format.") { what, format, output, data, postgres };
        command.SetAction(async (parse, ct) =>
        {
            var fmt = parse.GetValue(format)!;
            var outFile = parse.GetValue(output);
            if (outFile is null && string.Equals(fmt, "kmz", StringComparison.Ordinal))
            {
                await stderr.WriteLineAsync("yunlu export: kmz is binary; give --out <file>".AsMemory(), ct).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var store = await OpenStoreAsync(StoreOptions(parse.GetValue(data)!, parse.GetValue(postgres)), stderr, ct).ConfigureAwait(false);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }

            await using (store.ConfigureAwait(false))
            {
                var zones = await ApiSupport.AllZonesAsync(store, null, ct).ConfigureAwait(false);
                var bytes = ZoneExport.Write(zones.Select(z => z.Zone).ToList(), fmt);
                if (outFile is null)
                {
                    await stdout.WriteLineAsync(System.Text.Encoding.UTF8.GetString(bytes).AsMemory(), ct).ConfigureAwait(false);
                }
                else
                {
                    await File.WriteAllBytesAsync(outFile.FullName, bytes, ct).ConfigureAwait(false);
                    await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"exported {zones.Count} zone(s) to {outFile.FullName}").AsMemory(), ct).ConfigureAwait(false);
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command InfoCommand(TextWriter stdout, TextWriter stderr)
    {
        var data = DataOption();
        var postgres = PostgresOption();
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var command = new Command("info", "Shows what the store holds: zones, obstacles, sites, datasets, imports.") { data, postgres, json };
        command.SetAction(async (parse, ct) =>
        {
            var options = StoreOptions(parse.GetValue(data)!, parse.GetValue(postgres));
            var store = await OpenStoreAsync(options, stderr, ct).ConfigureAwait(false);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }

            await using (store.ConfigureAwait(false))
            {
                var version = await store.MigrateAsync(ct).ConfigureAwait(false);
                var kind = string.IsNullOrWhiteSpace(options.PostgresConnectionString) ? "sqlite" : "postgres";
                var info = await InfoApi.InfoOf(store, kind, version, options, ct).ConfigureAwait(false);
                var text = parse.GetValue(json)
                    ? JsonSerializer.Serialize(info, YunluJsonContext.Default.InfoDto)
                    : string.Create(CultureInfo.InvariantCulture,
                        $"yunlu {info.Version}\nstore:     {info.StoreKind} (schema {info.SchemaVersion}){(kind == "sqlite" ? " " + options.SqlitePath : "")}\nzones:     {info.Zones}\nobstacles: {info.Obstacles}\nsites:     {info.Sites}\ndatasets:  {info.Datasets}\nimports:   {info.Imports}");
                await stdout.WriteLineAsync(text.AsMemory(), ct).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command TokenCommand(TextWriter stdout, TextWriter stderr)
    {
        var roles = new Option<string[]>("--roles", "-r")
        {
            Description = "Roles: operator, manager, supervisor, admin (repeatable or comma-separated).",
            DefaultValueFactory = _ => [YunluRoles.Operator],
            AllowMultipleArgumentsPerToken = true,
        };
        var subject = new Option<string>("--subject", "-s")
        {
            Description = "The token's subject (sub).",
            DefaultValueFactory = _ => Environment.UserName is { Length: > 0 } u ? u : "cli",
        };
        var scopes = new Option<string[]>("--scopes") { Description = "ASTM scopes to include (repeatable).", DefaultValueFactory = _ => [], AllowMultipleArgumentsPerToken = true };
        var lifetime = new Option<int>("--lifetime") { Description = "Lifetime in seconds (1–3600).", DefaultValueFactory = _ => 3600 };
        var data = DataOption();
        var command = new Command("token", "Prints a development token signed with the data folder's development issuer key (the one 'yunlu serve' trusts).")
        {
            roles, subject, scopes, lifetime, data,
        };
        command.SetAction(async (parse, ct) =>
        {
            var roleList = (parse.GetValue(roles) ?? []).SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            foreach (var r in roleList)
            {
                if (!YunluRoles.All.Contains(r, StringComparer.Ordinal))
                {
                    await stderr.WriteLineAsync($"yunlu token: --roles: '{r}' is not one of {string.Join(", ", YunluRoles.All)} [enum]".AsMemory(), ct).ConfigureAwait(false);
                    return ExitCodes.InvalidInput;
                }
            }

            var life = parse.GetValue(lifetime);
            if (life is < 1 or > 3600)
            {
                await stderr.WriteLineAsync("yunlu token: --lifetime: 1–3600 seconds [lifetime-range]".AsMemory(), ct).ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            var options = new YunluServerOptions { DataFolder = parse.GetValue(data)! };
            var keyPath = Path.Combine(Path.GetFullPath(options.DataFolder), "keys", "dev-issuer.pem");
            using var issuer = new DevTokenIssuer(keyPath, options.Auth.DevIssuer, options.Auth.Audience, options.Auth.TokenLifetime, TimeProvider.System);
            var token = issuer.Issue(parse.GetValue(subject)!, roleList, parse.GetValue(scopes) ?? [], TimeSpan.FromSeconds(life));
            await stdout.WriteLineAsync(token.AccessToken.AsMemory(), ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static YunluServerOptions StoreOptions(string data, string? postgres) => new() { DataFolder = data, PostgresConnectionString = postgres, LoadDemo = false };

    private static async Task<IYunluStore?> OpenStoreAsync(YunluServerOptions options, TextWriter stderr, CancellationToken ct)
    {
        IYunluStore? store = null;
        try
        {
            store = await StoreOpener.OpenAsync(options, ct).ConfigureAwait(false);
            await store.MigrateAsync(ct).ConfigureAwait(false);
            return store;
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            if (store is not null)
            {
                await store.DisposeAsync().ConfigureAwait(false);
            }

            await stderr.WriteLineAsync($"yunlu: store unavailable: {ex.Message}".AsMemory(), ct).ConfigureAwait(false);
            return null;
        }
    }

    private static bool IsStoreFailure(Exception ex) =>
        ex is DbException or TimeoutException or UnauthorizedAccessException or System.Net.Sockets.SocketException ||
        (ex is InvalidOperationException && ex.InnerException is not null && IsStoreFailure(ex.InnerException)) ||
        (ex is AggregateException agg && agg.InnerExceptions.Any(IsStoreFailure));

    private static async Task<T> WithProgressAsync<T>(TextWriter stdout, string label, Func<Task<T>> work)
    {
        if (!ReferenceEquals(stdout, Console.Out) || Console.IsOutputRedirected)
        {
            return await work().ConfigureAwait(false);
        }

        T result = default!;
        await AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new SpinnerColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(label)).IsIndeterminate();
                result = await work().ConfigureAwait(false);
                task.Value = task.MaxValue;
                task.StopTask();
            }).ConfigureAwait(false);
        return result;
    }
}
