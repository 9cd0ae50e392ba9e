using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Yunlu.Formats.Telemetry;
using Yunlu.Server.Api;
using Yunlu.Server.Auth;
using Yunlu.Server.Hosting;
using Yunlu.Server.Problems;
using Yunlu.Storage.Supervision;
using Yunlu.Supervision;

namespace Yunlu.Server.Supervision;

/// <summary>The live supervision API under <c>/api/v1/supervision</c>: ingestion (HTTP batch, WebSocket, Remote ID
/// payloads), the live picture and alerts, acknowledgement, status, time travel over the recording, and the
/// server-side simulation.</summary>
public static class SupervisionApi
{
    /// <summary>Most points one history answer holds.</summary>
    public const int MaxHistoryPoints = 100_000;

    /// <summary>Most aircraft one recorded picture holds.</summary>
    public const int MaxPictureTracks = 200_000;

    /// <summary>Longest history window.</summary>
    public static readonly TimeSpan MaxHistorySpan = TimeSpan.FromHours(24);

    internal static RouteGroupBuilder MapSupervisionEndpoints(this RouteGroupBuilder v1, YunluServerOptions server, SupervisionServerOptions options)
    {
        var sup = v1.MapGroup("/supervision").WithTags("Supervision");
        sup.MapPost("/positions", PostPositionsAsync).WithName("PostPositions")
            .WithSummary("Queues a batch of positions {\"positions\":[…]} for supervision: 202 with accepted/rejected counts and the errors naming each field; 413 above the body or count limit; 422 when no position is valid.")
            .Accepts<PositionBatchDto>("application/json").Produces<IngestResultDto>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithMetadata(new BodySizeLimit(options.MaxBatchBytes)).RequireAuthorization(YunluRoles.OperatePolicy);
        sup.MapGet("/ws", WebSocketAsync).WithName("PositionsWebSocket")
            .WithSummary("WebSocket ingestion: each text message is one position object or an array of them (the POST /positions item shape). Bad messages are counted (GET /status), never answered.")
            .RequireAuthorization(YunluRoles.OperatePolicy);
        sup.MapPost("/remoteid", PostRemoteId).WithName("PostRemoteId")
            .WithSummary("Broadcast Remote ID payloads heard by a receiver {\"messages\":[{\"format\":\"astm|gb\",\"payload\":base64,\"receivedUtc\",\"transmitter\"}]}: accepted = messages decoded.")
            .Produces<IngestResultDto>(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .RequireAuthorization(YunluRoles.OperatePolicy);
        sup.MapGet("/tracks", GetTracks).WithName("GetTracks")
            .WithSummary("The live tracks (as of the last cycle), optionally inside bbox=minLon,minLat,maxLon,maxLat.")
            .ProducesValidationProblem().PublicRead(server);
        sup.MapGet("/tracks/{aircraftId}/history", GetHistoryAsync).WithName("GetTrackHistory")
            .WithSummary("The recorded positions of one aircraft between from and to (ISO 8601; default the last 10 minutes; at most 24 h).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).PublicRead(server);
        sup.MapGet("/picture", GetPictureAsync).WithName("GetPicture")
            .WithSummary("Time travel: the last recorded state of each aircraft within windowS (default 60 s) before at.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).PublicRead(server);
        sup.MapGet("/alerts", GetAlerts).WithName("GetAlerts")
            .WithSummary("The alerts: open=true only the active ones; otherwise also the recently cleared ones. Newest update first.")
            .PublicRead(server);
        sup.MapGet("/alerts/history", GetAlertHistoryAsync).WithName("GetAlertHistory")
            .WithSummary("Recorded alert lifecycle events between from and to (ISO 8601; at most 24 h).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).PublicRead(server);
        sup.MapPost("/alerts/{id:long}/ack", Acknowledge).WithName("AcknowledgeAlert")
            .WithSummary("A supervisor acknowledges an alert (active or recently cleared); it stays active until its cause clears.")
            .ProducesProblem(StatusCodes.Status404NotFound).RequireAuthorization(YunluRoles.SupervisePolicy);
        sup.MapGet("/status", GetStatus).WithName("GetSupervisionStatus")
            .WithSummary("Tracks, active alerts, positions per second, dropped frames and counters per source.")
            .PublicRead(server);
        sup.MapPost("/simulation", StartSimulationAsync).WithName("StartSimulation")
            .WithSummary("Starts (or restarts) server-side simulated traffic {\"drones\":200,\"faults\":true,\"seconds\":600} over the stored sites, through the same ingestion path.")
            .Produces<SimulationDto>(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .RequireAuthorization(YunluRoles.SupervisePolicy);
        sup.MapGet("/simulation", GetSimulation).WithName("GetSimulation")
            .WithSummary("The running simulation.").ProducesProblem(StatusCodes.Status404NotFound).PublicRead(server);
        sup.MapDelete("/simulation", StopSimulationAsync).WithName("StopSimulation")
            .WithSummary("Stops the simulation.").ProducesProblem(StatusCodes.Status404NotFound).RequireAuthorization(YunluRoles.SupervisePolicy);
        return v1;
    }

    private static async Task<IResult> PostPositionsAsync(HttpRequest request, SupervisionRuntime runtime, PositionJsonPool pool, TimeProvider time, CancellationToken ct)
    {
        SupervisionServerOptions o = runtime.Options;
        (byte[]? body, int length) = await ReadBodyAsync(request, o.MaxBatchBytes, ct).ConfigureAwait(false);
        if (body is null)
        {
            return TooLarge("body", "body-too-large", string.Create(CultureInfo.InvariantCulture, $"body: more than {o.MaxBatchBytes} bytes; send smaller batches"));
        }

        PositionJson parser = pool.Rent();
        SupervisionStages.Mark parseMark = SupervisionStages.Begin();
        var reports = new List<PositionReport>();
        var errors = new List<ItemErrorDto>();
        try
        {
            var reader = new Utf8JsonReader(body.AsSpan(0, length), new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Violations.Single("body", "object-required", "body: must be a JSON object {\"positions\":[…]}");
            }

            bool seen = false;
            int count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                bool isPositions = reader.ValueTextEquals("positions"u8);
                reader.Read();
                if (!isPositions)
                {
                    reader.Skip();
                    continue;
                }

                seen = true;
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return Violations.Single("positions", "array-required", "positions: must be an array of positions");
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (++count > o.MaxBatchPositions)
                    {
                        return TooLarge("positions", "batch-too-large", string.Create(CultureInfo.InvariantCulture, $"positions: at most {o.MaxBatchPositions} per request; nothing was queued"));
                    }

                    string prefix = string.Create(CultureInfo.InvariantCulture, $"positions[{count - 1}]");
                    if (parser.TryRead(ref reader, prefix, count - 1, PositionSourceKind.Network, out PositionReport r, out ItemErrorDto? error))
                    {
                        reports.Add(r);
                    }
                    else
                    {
                        errors.Add(error!);
                    }
                }
            }

            if (!seen)
            {
                return Violations.Single("positions", "required", "positions: required (an array of positions)");
            }
        }
        catch (JsonException ex)
        {
            return Violations.Single("body", "json-invalid", string.Create(CultureInfo.InvariantCulture, $"body: not valid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}"));
        }
        finally
        {
            runtime.Stages.End(SupervisionStage.Parse, parseMark, reports.Count + errors.Count);
            pool.Return(parser);
            ArrayPool<byte>.Shared.Return(body);
        }

        runtime.Counters.Rejected(IngestSource.Http, errors.Count);
        if (reports.Count == 0 && errors.Count > 0)
        {
            var violations = new List<Violation>(Math.Min(errors.Count, 100));
            foreach (ItemErrorDto e in errors.Count > 100 ? errors[..100] : errors)
            {
                violations.Add(new Violation(e.Field, e.Rule, e.Message));
            }

            return Unprocessable("No position in the batch is valid.", violations);
        }

        PositionBatch batch = PositionBatch.Rent(IngestSource.Http);
        foreach (PositionReport r in reports)
        {
            batch.Add(r);
        }

        int dropped = runtime.TryIngest(batch) ? 0 : reports.Count;

        _ = time;
        return TypedResults.Json(new IngestResultDto(reports.Count - dropped, errors.Count + dropped, errors.Count > 100 ? errors[..100] : errors, dropped),
            SupervisionJsonContext.Default.IngestResultDto, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task WebSocketAsync(HttpContext http, SupervisionRuntime runtime, PositionJsonPool pool)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await ProblemWriter.WriteAsync(http, StatusCodes.Status400BadRequest, ProblemTypes.Validation, "A WebSocket upgrade is required.",
                "GET /api/v1/supervision/ws must be a WebSocket request (Upgrade: websocket).", http.RequestAborted).ConfigureAwait(false);
            return;
        }

        int max = runtime.Options.MaxBatchBytes;
        using WebSocket socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        PositionJson parser = new(http.RequestServices.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        CancellationToken ct = http.RequestAborted;
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                int length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= max)
                        {
                            runtime.Counters.BadFrames(IngestSource.WebSocket);
                            await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, string.Create(CultureInfo.InvariantCulture, $"message larger than {max} bytes"), ct).ConfigureAwait(false);
                            return;
                        }

                        byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Min(max, buffer.Length * 2));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct).ConfigureAwait(false);
                    return;
                }

                if (result.MessageType != WebSocketMessageType.Text)
                {
                    runtime.Counters.BadFrames(IngestSource.WebSocket);
                    continue;
                }

                IngestMessage(buffer.AsSpan(0, length), parser, runtime);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (WebSocketException)
        {
            // The connection broke; the client reconnects.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _ = pool;
    }

    /// <summary>Ingests one WebSocket message (an object or an array of objects) as one batch; malformed JSON counts as
    /// a bad frame and queues nothing of the message.</summary>
    internal static void IngestMessage(ReadOnlySpan<byte> message, PositionJson parser, SupervisionRuntime runtime)
    {
        SupervisionStages.Mark mark = SupervisionStages.Begin();
        PositionBatch batch = PositionBatch.Rent(IngestSource.WebSocket);
        int rejected;
        try
        {
            rejected = parser.ReadMessage(message, batch, runtime.Options.MaxBatchPositions);
        }
        catch (JsonException)
        {
            PositionBatch.Return(batch);
            runtime.Counters.BadFrames(IngestSource.WebSocket);
            return;
        }

        runtime.Stages.End(SupervisionStage.Parse, mark, batch.Count + rejected);
        if (rejected > 0)
        {
            runtime.Counters.Rejected(IngestSource.WebSocket, rejected);
        }

        runtime.TryIngest(batch);
    }

    private static IResult PostRemoteId(RemoteIdBatchDto? body, RemoteIdGateway gateway)
    {
        if (body?.Messages is null)
        {
            return Violations.Single("messages", "required", "messages: required (an array of {format, payload, receivedUtc, transmitter})");
        }

        if (body.Messages.Count > RemoteIdGateway.MaxMessages)
        {
            return TooLarge("messages", "batch-too-large", string.Create(CultureInfo.InvariantCulture, $"messages: at most {RemoteIdGateway.MaxMessages} per request"));
        }

        IngestResultDto result = gateway.Ingest(body);
        return TypedResults.Json(result, SupervisionJsonContext.Default.IngestResultDto, statusCode: StatusCodes.Status202Accepted);
    }

    private static IResult GetTracks(string? bbox, SupervisionRuntime runtime)
    {
        if (!TryArea(bbox, out SubscriptionArea? area, out IResult? problem))
        {
            return problem!;
        }

        SupervisionSnapshot s = runtime.Snapshot;
        IReadOnlyList<TrackDto> tracks = s.Tracks;
        if (area is not null)
        {
            var inside = new List<TrackDto>();
            foreach (TrackDto t in s.Tracks)
            {
                if (area.Contains(t.LonDeg, t.LatDeg))
                {
                    inside.Add(t);
                }
            }

            tracks = inside;
        }

        return TypedResults.Json(new TracksDto(s.TimeUtc, tracks), SupervisionJsonContext.Default.TracksDto);
    }

    private static async Task<IResult> GetHistoryAsync(string aircraftId, string? from, string? to, SupervisionRuntime runtime, TimeProvider time, CancellationToken ct)
    {
        if (runtime.Recording is not { } recording)
        {
            return RecordingOff();
        }

        DateTimeOffset end = time.GetUtcNow(), start;
        if (to is not null && !TimeText.TryParse(to, out end))
        {
            return Violations.Single("to", "time-invalid", "to: must be an ISO 8601 time with Z or an offset");
        }

        start = end - TimeSpan.FromMinutes(10);
        if (from is not null && !TimeText.TryParse(from, out start))
        {
            return Violations.Single("from", "time-invalid", "from: must be an ISO 8601 time with Z or an offset");
        }

        if (start > end)
        {
            return Violations.Single("from", "range-order", "from: must not be after to");
        }

        if (end - start > MaxHistorySpan)
        {
            return Violations.Single("to", "range-too-long", "to: at most 24 h after from");
        }

        IReadOnlyList<RecordedPosition> rows = await recording.HistoryAsync(aircraftId, Micros.From(start), Micros.From(end), MaxHistoryPoints, ct).ConfigureAwait(false);
        var points = new List<HistoryPointDto>(rows.Count);
        foreach (RecordedPosition r in rows)
        {
            points.Add(new HistoryPointDto(Micros.To(r.TimeUs), r.LatDeg, r.LonDeg, Finite(r.AltW84M), Finite(r.AltAmslM), Finite(r.AltAglM), r.VnMps, r.VeMps, r.VuMps,
                PositionJson.SourceNames(r.Sources), Conformance(r.Flags)));
        }

        return TypedResults.Json(new TrackHistoryDto(aircraftId, points), SupervisionJsonContext.Default.TrackHistoryDto);
    }

    private static async Task<IResult> GetPictureAsync(string? at, double? windowS, string? bbox, SupervisionRuntime runtime, CancellationToken ct)
    {
        if (runtime.Recording is not { } recording)
        {
            return RecordingOff();
        }

        if (at is null)
        {
            return Violations.Single("at", "required", "at: required (ISO 8601 time of the picture)");
        }

        if (!TimeText.TryParse(at, out DateTimeOffset when))
        {
            return Violations.Single("at", "time-invalid", "at: must be an ISO 8601 time with Z or an offset");
        }

        double window = windowS ?? runtime.Options.PictureWindow.TotalSeconds;
        if (!double.IsFinite(window) || window <= 0 || window > 3600)
        {
            return Violations.Single("windowS", "window-range", "windowS: must be in (0, 3600] seconds");
        }

        if (!TryArea(bbox, out SubscriptionArea? area, out IResult? problem))
        {
            return problem!;
        }

        long atUs = Micros.From(when);
        IReadOnlyList<RecordedPosition> rows = await recording.PictureAsync(atUs, atUs - (long)(window * 1e6), MaxPictureTracks, ct).ConfigureAwait(false);
        var tracks = new List<TrackDto>(rows.Count);
        foreach (RecordedPosition r in rows)
        {
            if (area is not null && !area.Contains(r.LonDeg, r.LatDeg))
            {
                continue;
            }

            DateTimeOffset last = Micros.To(r.TimeUs);
            double heading = Math.Atan2(r.VeMps, r.VnMps) * 180 / Math.PI;
            double speed = Math.Sqrt((r.VnMps * r.VnMps) + (r.VeMps * r.VeMps));
            tracks.Add(new TrackDto(r.AircraftId, PositionJson.SourceNames(r.Sources), r.LatDeg, r.LonDeg, Finite(r.AltW84M), Finite(r.AltAmslM), Finite(r.AltAglM),
                r.VnMps, r.VeMps, r.VuMps, speed, speed > 0.1 ? (heading + 360) % 360 : null, (when - last).TotalSeconds, null, Conformance(r.Flags), (r.Flags & 1) != 0, last, null));
        }

        return TypedResults.Json(new TracksDto(when, tracks), SupervisionJsonContext.Default.TracksDto);
    }

    private static IResult GetAlerts(bool? open, SupervisionRuntime runtime) =>
        TypedResults.Json(new AlertsDto(runtime.Alerts.List(open ?? false)), SupervisionJsonContext.Default.AlertsDto);

    private static async Task<IResult> GetAlertHistoryAsync(string? from, string? to, SupervisionRuntime runtime, TimeProvider time, CancellationToken ct)
    {
        if (runtime.Recording is not { } recording)
        {
            return RecordingOff();
        }

        DateTimeOffset end = time.GetUtcNow(), start;
        if (to is not null && !TimeText.TryParse(to, out end))
        {
            return Violations.Single("to", "time-invalid", "to: must be an ISO 8601 time with Z or an offset");
        }

        start = end - TimeSpan.FromHours(1);
        if (from is not null && !TimeText.TryParse(from, out start))
        {
            return Violations.Single("from", "time-invalid", "from: must be an ISO 8601 time with Z or an offset");
        }

        if (start > end || end - start > MaxHistorySpan)
        {
            return Violations.Single("from", "range-invalid", "from: must not be after to, and at most 24 h before it");
        }

        IReadOnlyList<RecordedAlertEvent> events = await recording.AlertEventsAsync(Micros.From(start), Micros.From(end), MaxHistoryPoints, ct).ConfigureAwait(false);
        var alerts = new List<AlertDto>(events.Count);
        foreach (RecordedAlertEvent e in events)
        {
            DateTimeOffset t = Micros.To(e.TimeUs);
            alerts.Add(new AlertDto(e.AlertId, e.Kind, e.Severity, e.Event, e.Aircraft, e.Other, e.Zone, e.Intent, e.LatDeg, e.LonDeg, t, t,
                e.Event == "cleared" ? t : null, e.AcknowledgedBy, null, e.Advisory, e.Message, null, null));
        }

        return TypedResults.Json(new AlertsDto(alerts), SupervisionJsonContext.Default.AlertsDto);
    }

    private static IResult Acknowledge(long id, ClaimsPrincipal user, SupervisionRuntime runtime, SupervisionBroadcast broadcast, TimeProvider time)
    {
        AlertDto? alert = runtime.Alerts.Acknowledge(id, ApiSupport.Actor(user), time.GetUtcNow());
        if (alert is null)
        {
            return TypedResults.Problem(string.Create(CultureInfo.InvariantCulture, $"no alert {id} (active or recently cleared)"), statusCode: StatusCodes.Status404NotFound,
                title: "Not found.", type: ProblemTypes.NotFound);
        }

        broadcast.Alert(alert, null);
        runtime.Recorder?.AddAcknowledgement(new RecordedAlertEvent(alert.Id, Micros.From(alert.AcknowledgedUtc!.Value), alert.Kind, "acknowledged", alert.Severity,
            alert.Aircraft, alert.Other, alert.Zone, alert.Intent, alert.LatDeg, alert.LonDeg, alert.Advisory, alert.AcknowledgedBy, alert.Message));
        return TypedResults.Json(alert, SupervisionJsonContext.Default.AlertDto);
    }

    private static IResult GetStatus(SupervisionRuntime runtime, SupervisionSimulation simulation, SupervisionListeners listeners)
    {
        SupervisionSnapshot s = runtime.Snapshot;
        var status = new StatusDto(s.Tracks.Length, runtime.Alerts.OpenCount, s.PositionsPerSecond, runtime.Counters.TotalDropped(), runtime.Counters.Snapshot(),
            s.Cycles, s.LastCycleMs, runtime.QueueDepth, runtime.Recorder?.Recorded ?? 0, runtime.Recorder?.Dropped ?? 0, simulation.Current,
            listeners.MavlinkUdpPort, listeners.SbsListenPort);
        return TypedResults.Json(status, SupervisionJsonContext.Default.StatusDto);
    }

    private static async Task<IResult> StartSimulationAsync(SimulationRequestDto? body, SupervisionSimulation simulation, CancellationToken ct)
    {
        var (started, error) = await simulation.StartAsync(body ?? new SimulationRequestDto(null, null, null, null), ct).ConfigureAwait(false);
        if (error is not null)
        {
            return error.Unprocessable
                ? Unprocessable("The simulation cannot start.", [new Violation(error.Field, error.Rule, error.Message)])
                : Violations.Single(error.Field, error.Rule, error.Message);
        }

        return TypedResults.Json(started!, SupervisionJsonContext.Default.SimulationDto, statusCode: StatusCodes.Status202Accepted);
    }

    private static IResult GetSimulation(SupervisionSimulation simulation) => simulation.Current is { } s
        ? TypedResults.Json(s, SupervisionJsonContext.Default.SimulationDto)
        : TypedResults.Problem("no simulation is running", statusCode: StatusCodes.Status404NotFound, title: "Not found.", type: ProblemTypes.NotFound);

    private static async Task<IResult> StopSimulationAsync(SupervisionSimulation simulation, CancellationToken ct) =>
        await simulation.StopAsync(ct).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : TypedResults.Problem("no simulation is running", statusCode: StatusCodes.Status404NotFound, title: "Not found.", type: ProblemTypes.NotFound);

    private static bool TryArea(string? bbox, out SubscriptionArea? area, out IResult? problem)
    {
        area = null;
        problem = null;
        if (!ApiSupport.TryParseBbox(bbox, out var box, out string rule, out string message))
        {
            problem = Violations.Single("bbox", rule, message);
            return false;
        }

        if (box is { } b)
        {
            area = new SubscriptionArea(b.WestDeg, b.SouthDeg, b.EastDeg, b.NorthDeg);
        }

        return true;
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static string Conformance(int flags) => ((flags >> 1) & 3) switch
    {
        1 => "conforming",
        2 => "nonconforming",
        3 => "contingent",
        _ => "none",
    };

    private static ProblemHttpResult RecordingOff() =>
        TypedResults.Problem("the supervision recording is off (Yunlu:Supervision:Record=false)", statusCode: StatusCodes.Status404NotFound, title: "Not found.", type: ProblemTypes.NotFound);

    private static ProblemHttpResult TooLarge(string field, string rule, string message) =>
        TypedResults.Problem(message, statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request is too large.", type: ProblemTypes.PayloadTooLarge,
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["violations"] = new[] { new Violation(field, rule, message) } });

    private static ProblemHttpResult Unprocessable(string title, IReadOnlyList<Violation> violations)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var g in violations.GroupBy(v => v.Field, StringComparer.Ordinal))
        {
            errors[g.Key] = [.. g.Select(v => $"{v.Rule}: {v.Message}")];
        }

        return TypedResults.Problem(violations.Count == 1 ? $"{violations[0].Message} [{violations[0].Rule}]" : $"{violations.Count} rules broken; see errors.",
            statusCode: StatusCodes.Status422UnprocessableEntity, title: title, type: ProblemTypes.Validation,
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["errors"] = errors, ["violations"] = violations });
    }

    private static async Task<(byte[]? Body, int Length)> ReadBodyAsync(HttpRequest request, int max, CancellationToken ct)
    {
        if (request.ContentLength is { } declared && declared > max)
        {
            return (null, 0);
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(max + 1L, Math.Max(4096, request.ContentLength ?? 65536)));
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > max)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, 0);
                }

                byte[] bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(max + 1L, buffer.Length * 2L));
                buffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = bigger;
            }

            int n = await request.Body.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            length += n;
            if (length > max)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return (null, 0);
            }
        }

        return (buffer, length);
    }
}

/// <summary>A small pool of <see cref="PositionJson"/> readers for HTTP requests (each keeps its id cache).</summary>
public sealed class PositionJsonPool(TimeProvider time)
{
    private readonly System.Collections.Concurrent.ConcurrentBag<PositionJson> _items = [];

    /// <summary>Takes a reader.</summary>
    public PositionJson Rent() => _items.TryTake(out PositionJson? p) ? p : new PositionJson(time);

    /// <summary>Gives a reader back.</summary>
    public void Return(PositionJson parser)
    {
        if (_items.Count < 64)
        {
            _items.Add(parser);
        }
    }
}
