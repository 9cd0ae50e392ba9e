using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Yunlu.Cli.Commands;

/// <summary>
/// <c>yunlu ops submit|list|show|activate|end</c>: operational intents through a running server's API
/// (<c>--server</c>, <c>--token</c> or <c>$YUNLU_TOKEN</c>). Exit codes: 0 done (submit: ACCEPTED, PENDING_APPROVAL or
/// DRAFT), <see cref="Rejected"/> submitted but REJECTED (conflicts and resolutions printed), 1 invalid input (the server
/// named the field and rule), <see cref="Conflict"/> stale OVN or state does not allow it, 4 server unreachable or
/// refused the token, 5 the file cannot be read.
/// </summary>
public static class OpsCommands
{
    /// <summary>Exit code: the intent was stored but REJECTED by strategic deconfliction.</summary>
    public const int Rejected = 20;

    /// <summary>Exit code: 409 (stale OVN, state does not allow the change, duplicate id) or 404.</summary>
    public const int Conflict = 21;

    /// <summary>The <c>ops</c> command and its subcommands.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var ops = new Command("ops", "Flight operations through a running server: submit, list, show, activate, end operational intents.");

        var file = new Argument<FileInfo>("intent") { Description = "Intent JSON (POST /api/v1/operations body: operatorId, aircraftId, pilotId, volumes, priority)." };
        var resolve = new Option<bool>("--resolve") { Description = "Ask for resolutions (time shift, altitude layer) when rejected." };
        var submit = new Command("submit", "Submits an intent; prints the outcome, conflicts and resolutions. Exit 0 accepted/pending, 20 rejected.") { file, resolve };
        AddServerOptions(submit, out var server, out var token, out var json);
        submit.SetAction(async (parse, ct) =>
        {
            string body;
            try
            {
                body = await File.ReadAllTextAsync(parse.GetValue(file)!.FullName, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"yunlu ops submit: cannot read {parse.GetValue(file)!.FullName}: {ex.Message}".AsMemory(), ct).ConfigureAwait(false);
                return ExitCodes.IoError;
            }

            var path = "/api/v1/operations" + (parse.GetValue(resolve) ? "?resolve=true" : "");
            var (code, doc) = await CallAsync(HttpMethod.Post, path, body, parse.GetValue(server)!, parse.GetValue(token), stderr, ct).ConfigureAwait(false);
            if (doc is null)
            {
                return code;
            }

            using (doc)
            {
                await PrintOutcomeAsync(doc.RootElement, parse.GetValue(json), stdout, ct).ConfigureAwait(false);
                return doc.RootElement.GetProperty("outcome").GetString() == "REJECTED" ? Rejected : ExitCodes.Ok;
            }
        });
        ops.Subcommands.Add(submit);

        var state = new Option<string?>("--state") { Description = "Only this state (ACCEPTED, SUBMITTED, …)." };
        var list = new Command("list", "Lists intents (yours; managers see all).") { state };
        AddServerOptions(list, out var lServer, out var lToken, out var lJson);
        list.SetAction(async (parse, ct) =>
        {
            var path = "/api/v1/operations" + (parse.GetValue(state) is { } s ? "?state=" + Uri.EscapeDataString(s) : "");
            var (code, doc) = await CallAsync(HttpMethod.Get, path, null, parse.GetValue(lServer)!, parse.GetValue(lToken), stderr, ct).ConfigureAwait(false);
            if (doc is null)
            {
                return code;
            }

            using (doc)
            {
                if (parse.GetValue(lJson))
                {
                    await stdout.WriteLineAsync(doc.RootElement.GetRawText().AsMemory(), ct).ConfigureAwait(false);
                    return ExitCodes.Ok;
                }

                foreach (var i in doc.RootElement.GetProperty("items").EnumerateArray())
                {
                    await stdout.WriteLineAsync(Line(i).AsMemory(), ct).ConfigureAwait(false);
                }
            }

            return ExitCodes.Ok;
        });
        ops.Subcommands.Add(list);

        var id = new Argument<Guid>("id") { Description = "The intent's id." };
        var show = new Command("show", "Shows one intent (state, OVN, volumes).") { id };
        AddServerOptions(show, out var sServer, out var sToken, out _);
        show.SetAction(async (parse, ct) =>
        {
            var (code, doc) = await CallAsync(HttpMethod.Get, "/api/v1/operations/" + parse.GetValue(id).ToString("D"), null, parse.GetValue(sServer)!, parse.GetValue(sToken), stderr, ct).ConfigureAwait(false);
            if (doc is null)
            {
                return code;
            }

            using (doc)
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(doc.RootElement, Indented).AsMemory(), ct).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        ops.Subcommands.Add(show);
        ops.Subcommands.Add(TransitionCommand("activate", "Activates an accepted intent (the flight starts).", stdout, stderr));
        ops.Subcommands.Add(TransitionCommand("end", "Ends an activated intent (the flight is over).", stdout, stderr));
        return ops;
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static Command TransitionCommand(string verb, string description, TextWriter stdout, TextWriter stderr)
    {
        var id = new Argument<Guid>("id") { Description = "The intent's id." };
        var ovn = new Option<string?>("--ovn") { Description = "The OVN you read (default: the current one, fetched first)." };
        var command = new Command(verb, description) { id, ovn };
        AddServerOptions(command, out var server, out var token, out _);
        command.SetAction(async (parse, ct) =>
        {
            string baseUri = parse.GetValue(server)!;
            string path = "/api/v1/operations/" + parse.GetValue(id).ToString("D");
            string? version = parse.GetValue(ovn);
            if (version is null)
            {
                var (code, current) = await CallAsync(HttpMethod.Get, path, null, baseUri, parse.GetValue(token), stderr, ct).ConfigureAwait(false);
                if (current is null)
                {
                    return code;
                }

                using (current)
                {
                    version = current.RootElement.GetProperty("ovn").GetString();
                }
            }

            var body = JsonSerializer.Serialize(new Dictionary<string, string?>(StringComparer.Ordinal) { ["ovn"] = version });
            var (result, doc) = await CallAsync(HttpMethod.Post, path + "/" + verb, body, baseUri, parse.GetValue(token), stderr, ct).ConfigureAwait(false);
            if (doc is null)
            {
                return result;
            }

            using (doc)
            {
                await stdout.WriteLineAsync(Line(doc.RootElement).AsMemory(), ct).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void AddServerOptions(Command command, out Option<string> server, out Option<string?> token, out Option<bool> json)
    {
        server = new Option<string>("--server")
        {
            Description = "The server, e.g. http://127.0.0.1:5080 (default $YUNLU_SERVER or that).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("YUNLU_SERVER") is { Length: > 0 } s ? s : "http://127.0.0.1:5080",
        };
        server.Validators.Add(r =>
        {
            if (!Uri.TryCreate(r.GetValueOrDefault<string>(), UriKind.Absolute, out _))
            {
                r.AddError("--server must be an absolute URL, e.g. http://127.0.0.1:5080");
            }
        });
        token = new Option<string?>("--token") { Description = "Bearer token (operator role); default $YUNLU_TOKEN." };
        json = new Option<bool>("--json") { Description = "Print the server's JSON answer." };
        command.Options.Add(server);
        command.Options.Add(token);
        command.Options.Add(json);
    }

    private static string Line(JsonElement i) => string.Create(CultureInfo.InvariantCulture,
        $"{i.GetProperty("id").GetGuid():D}  {i.GetProperty("state").GetString(),-14} {i.GetProperty("priority").GetString(),-14} v{i.GetProperty("version").GetInt64()}  ovn={i.GetProperty("ovn").GetString()}");

    private static async Task PrintOutcomeAsync(JsonElement outcome, bool json, TextWriter stdout, CancellationToken ct)
    {
        if (json)
        {
            await stdout.WriteLineAsync(outcome.GetRawText().AsMemory(), ct).ConfigureAwait(false);
            return;
        }

        var sb = new StringBuilder();
        sb.Append(outcome.GetProperty("outcome").GetString()).Append("  ").AppendLine(Line(outcome.GetProperty("intent")));
        foreach (var c in outcome.GetProperty("conflicts").EnumerateArray())
        {
            sb.Append(c.GetProperty("blocking").GetBoolean() ? "  conflict: " : "  note: ").AppendLine(c.GetProperty("reason").GetString());
        }

        if (outcome.TryGetProperty("resolutions", out var rs) && rs.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in rs.EnumerateArray())
            {
                sb.Append("  resolution ").Append(r.GetProperty("kind").GetString()).Append(": ").AppendLine(r.GetProperty("description").GetString());
            }
        }

        await stdout.WriteAsync(sb.ToString().AsMemory(), ct).ConfigureAwait(false);
    }

    private static async Task<(int Code, JsonDocument? Doc)> CallAsync(HttpMethod method, string path, string? body, string server, string? token, TextWriter stderr, CancellationToken ct)
    {
        token ??= Environment.GetEnvironmentVariable("YUNLU_TOKEN");
        using var http = new HttpClient { BaseAddress = new Uri(server), Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(method, path);
        if (!string.IsNullOrWhiteSpace(token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            await stderr.WriteLineAsync($"yunlu ops: cannot reach {server}: {ex.Message}".AsMemory(), ct).ConfigureAwait(false);
            return (ExitCodes.ServerError, null);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return (ExitCodes.Ok, JsonDocument.Parse(text));
            }

            int status = (int)response.StatusCode;
            string detail = text;
            try
            {
                using var problem = JsonDocument.Parse(text);
                detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? text : text;
            }
            catch (JsonException)
            {
                // Not a problem document: print the text as is.
            }

            await stderr.WriteLineAsync($"yunlu ops: {status} {detail}".AsMemory(), ct).ConfigureAwait(false);
            return (status switch
            {
                400 or 422 => ExitCodes.InvalidInput,
                404 or 409 or 412 => Conflict,
                _ => ExitCodes.ServerError,
            }, null);
        }
    }
}
