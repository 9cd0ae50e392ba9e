using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Yunlu.Airspace.Checks;
using Yunlu.Airspace.Rules;
using Yunlu.Server;
using Yunlu.Server.Airspace;
using Yunlu.Server.Contracts;
using Yunlu.Server.Hosting;
using Yunlu.Server.Imports;
using Yunlu.Server.Problems;
using Yunlu.Storage;
using Yunlu.Storage.Airspace;

namespace Yunlu.Cli.Commands;

/// <summary><c>yunlu check</c>: "can I fly here?" against the data folder's (or PostgreSQL's) airspace, terrain and
/// weather. Exit 0 green, <see cref="NeedsAuthorisation"/> needs authorisation, <see cref="Prohibited"/> prohibited.</summary>
public static class AirspaceCommands
{
    /// <summary>Exit code of <c>yunlu check</c> when the flight needs an application / authorisation.</summary>
    public const int NeedsAuthorisation = 10;

    /// <summary>Exit code of <c>yunlu check</c> when the flight is prohibited.</summary>
    public const int Prohibited = 11;

    /// <summary>The <c>check</c> command.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var lon = new Option<double?>("--lon") { Description = "Longitude, degrees (a point check)." };
        var lat = new Option<double?>("--lat") { Description = "Latitude, degrees (a point check)." };
        var alt = new Option<double?>("--alt") { Description = "Altitude, metres in --ref (point; route points without a third coordinate)." };
        var reference = new Option<string>("--ref") { Description = "Altitude reference: AGL (true height), AMSL or W84.", DefaultValueFactory = _ => "AGL" };
        var route = new Option<FileInfo?>("--route") { Description = "A GeoJSON LineString (Feature, FeatureCollection or bare geometry) with [lon, lat(, alt)] positions." };
        var from = new Option<string>("--from") { Description = "Start of the time window, RFC 3339 (e.g. 2026-06-10T09:00:00+08:00).", Required = true };
        var to = new Option<string>("--to") { Description = "End of the time window, RFC 3339.", Required = true };
        var cls = new Option<string?>("--class") { Description = "Aircraft class: micro, light, small, medium or large." };
        var empty = new Option<double?>("--empty-mass-kg") { Description = "Empty mass, kg (instead of --class)." };
        var mtom = new Option<double?>("--mtom-kg") { Description = "Maximum take-off mass, kg." };
        var speed = new Option<double?>("--max-speed-kmh") { Description = "Maximum level speed, km/h." };
        var wind = new Option<double?>("--wind-limit-mps") { Description = "Rated sustained wind, m/s (default from the rules)." };
        var json = new Option<bool>("--json") { Description = "Print the full answer as JSON instead of text." };
        var data = new Option<string>("--data", "-d")
        {
            Description = "Data folder (SQLite file yunlu.db). Default: .yunlu-data",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("YUNLU_DATA") is { Length: > 0 } d ? d : ".yunlu-data",
        };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL (+PostGIS) connection string instead of the SQLite file." };
        var command = new Command("check",
            "Can I fly here? Grades a point (--lon --lat --alt) or a route (--route) over [--from, --to) for an aircraft: exit 0 green, 4 needs authorisation, 5 prohibited, 1 invalid input, 3 store unavailable.")
        {
            lon, lat, alt, reference, route, from, to, cls, empty, mtom, speed, wind, json, data, postgres,
        };
        command.SetAction(async (parse, ct) =>
        {
            var violations = new Violations();
            var altitude = new AltitudeDto(parse.GetValue(alt), parse.GetValue(reference));
            CheckPointDto? point = null;
            IReadOnlyList<CheckPointDto>? routePoints = null;
            if (parse.GetValue(route) is { } file)
            {
                if (!file.Exists)
                {
                    await stderr.WriteLineAsync($"yunlu check: --route: {file.FullName}: no such file [file-missing]".AsMemory(), ct).ConfigureAwait(false);
                    return ExitCodes.InvalidInput;
                }

                routePoints = ReadRoute(await File.ReadAllBytesAsync(file.FullName, ct).ConfigureAwait(false), altitude, violations);
            }
            else
            {
                point = new CheckPointDto(parse.GetValue(lon), parse.GetValue(lat), altitude);
            }

            var request = new CheckRequestDto(point, routePoints, null, null,
                ParseTime(parse.GetValue(from), "--from", violations), ParseTime(parse.GetValue(to), "--to", violations),
                new AircraftDto(parse.GetValue(cls), parse.GetValue(empty), parse.GetValue(mtom), parse.GetValue(speed), parse.GetValue(wind)));
            CheckRequest? domain = violations.IsEmpty ? AirspaceMapping.ToDomain(request, DateTimeOffset.UtcNow, violations) : null;
            if (domain is null)
            {
                Violation v = violations.Items[0];
                await stderr.WriteLineAsync($"yunlu check: {Option(v.Field)}: {v.Message} [{v.Rule}]".AsMemory(), ct).ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            var options = new YunluServerOptions { DataFolder = parse.GetValue(data)!, PostgresConnectionString = parse.GetValue(postgres), LoadDemo = false };
            CheckResult result;
            IYunluStore? store = null;
            try
            {
                store = await StoreOpener.OpenAsync(options, ct).ConfigureAwait(false);
                await store.MigrateAsync(ct).ConfigureAwait(false);
                await using IAirspaceStore airspace = AirspaceStoreFactory.Create(
                    string.IsNullOrWhiteSpace(options.PostgresConnectionString) ? options.SqlitePath : options.PostgresConnectionString);
                using var terrain = new TerrainService(store);
                result = await new AirspaceService(store, airspace, terrain).CheckAsync(domain, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DbException or TimeoutException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
            {
                await stderr.WriteLineAsync($"yunlu check: store unavailable: {ex.Message}".AsMemory(), ct).ConfigureAwait(false);
                return ExitCodes.StoreUnavailable;
            }
            catch (ArgumentException ex)
            {
                await stderr.WriteLineAsync($"yunlu check: {ex.Message} [check-invalid]".AsMemory(), ct).ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
            finally
            {
                if (store is not null)
                {
                    await store.DisposeAsync().ConfigureAwait(false);
                }
            }

            CheckResultDto dto = AirspaceMapping.ToDto(result);
            string text = parse.GetValue(json) ? JsonSerializer.Serialize(dto, AirspaceJsonContext.Default.CheckResultDto) : Describe(dto);
            await stdout.WriteLineAsync(text.AsMemory(), ct).ConfigureAwait(false);
            return result.Verdict switch
            {
                Verdict.Green => ExitCodes.Ok,
                Verdict.NeedsAuthorisation => NeedsAuthorisation,
                _ => Prohibited,
            };
        });
        return command;
    }

    /// <summary>The answer as text: the verdict, then one line per reason, then the zones and corridors with their
    /// floors and ceilings in the caller's reference.</summary>
    public static string Describe(CheckResultDto r)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"verdict: {r.Verdict}\n");
        foreach (CheckReasonDto reason in r.Reasons)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  [{reason.Verdict}] {reason.Kind} {reason.Code}{(reason.SubjectId is null ? "" : " " + reason.SubjectId)}: {reason.Message}\n");
        }

        foreach (ZoneCrossingDto z in r.Zones)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  zone {z.ZoneId} ({z.Restriction}): {Alt(z.Floor)} – {Alt(z.Ceiling)}; in your reference {Alt(z.FloorInCallerReference)} – {Alt(z.CeilingInCallerReference)}\n");
        }

        foreach (CorridorCrossingDto c in r.Corridors)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  corridor {c.CorridorId} ({c.Direction}, {c.CapacityPerHour}/h): {Alt(c.Floor)} – {Alt(c.Ceiling)}\n");
        }

        return sb.ToString().TrimEnd('\n');

        static string Alt(AltitudeDto? a) => a?.Value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0.#} m {a.Reference}") : "?";
    }

    private static List<CheckPointDto>? ReadRoute(byte[] bytes, AltitudeDto altitude, Violations violations)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(bytes);
            JsonElement g = doc.RootElement;
            if (g.TryGetProperty("features", out JsonElement features) && features.GetArrayLength() > 0)
            {
                g = features[0];
            }

            if (g.TryGetProperty("geometry", out JsonElement geometry))
            {
                g = geometry;
            }

            if (!g.TryGetProperty("type", out JsonElement type) || type.GetString() != "LineString")
            {
                violations.Add("--route", "linestring-required", "the file must hold a GeoJSON LineString");
                return null;
            }

            var list = new List<CheckPointDto>();
            foreach (JsonElement c in g.GetProperty("coordinates").EnumerateArray())
            {
                double? z = c.GetArrayLength() > 2 ? c[2].GetDouble() : altitude.Value;
                list.Add(new CheckPointDto(c[0].GetDouble(), c[1].GetDouble(), new AltitudeDto(z, altitude.Reference)));
            }

            return list;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException)
        {
            violations.Add("--route", "geojson-invalid", ex.Message);
            return null;
        }
    }

    private static DateTimeOffset? ParseTime(string? text, string field, Violations violations)
    {
        if (text is not null && text.Contains('T', StringComparison.OrdinalIgnoreCase) &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset t))
        {
            return t;
        }

        violations.Add(field, "time-format", $"'{text}' is not an RFC 3339 date-time such as 2026-06-10T09:00:00+08:00");
        return null;
    }

    private static string Option(string field) => field switch
    {
        "point" or "point.lon" => "--lon",
        "point.lat" => "--lat",
        "point.altitude" or "point.altitude.value" => "--alt",
        "point.altitude.reference" => "--ref",
        "timeStart" => "--from",
        "timeEnd" => "--to",
        "aircraft" or "aircraft.class" => "--class",
        _ => field,
    };
}
