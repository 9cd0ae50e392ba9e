using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;
using Yunlu.Cli;
using Yunlu.Cli.Commands;
using static Yunlu.Server.Tests.Operations.OpsClient;

namespace Yunlu.Server.Tests.Operations;

/// <summary>Push notifications (SignalR hub and webhook) and the <c>yunlu ops</c> commands against a real server.</summary>
public sealed class NotificationAndCliTests : IDisposable
{
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task EmergencyOverlapsAcceptedIntent_OwnerNotifiedBySignalRAndWebhook()
    {
        await using var host = await YunluTestHost.StartAsync(_data.Path, null);
        var token = await host.TokenAsync("operator");
        using var op = host.Authorized(token);
        await RegisterFleetAsync(op);

        // A webhook receiver on loopback: answers 500 once (the notifier must retry), then records the body.
        var received = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var receiverBuilder = WebApplication.CreateSlimBuilder();
        receiverBuilder.Logging.ClearProviders();
        receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/hook", async (HttpContext ctx) =>
        {
            var doc = await JsonDocument.ParseAsync(ctx.Request.Body);
            if (Interlocked.Increment(ref calls) == 1)
            {
                return Results.StatusCode(500);
            }

            received.TrySetResult(doc.RootElement.Clone());
            return Results.Ok();
        });
        await receiver.StartAsync(Ct);
        var (hs, _) = await SendAsync(op, HttpMethod.Put, "/api/v1/operations/webhook", new JsonObject { ["url"] = receiver.Urls.First() + "/hook" });
        Assert.Equal(200, hs);

        var pushed = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(host.BaseAddress, "/hubs/operations"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        hub.On<JsonElement>("notification", n =>
        {
            if (n.GetProperty("kind").GetString() == "INTENT_AFFECTED")
            {
                pushed.TrySetResult(n);
            }
        });
        await hub.StartAsync(Ct);

        var t = DateTimeOffset.UtcNow.AddHours(2);
        var (_, normal) = await PostAsync(op, "/api/v1/operations", Intent(Volume(0, 0, 5, 5, 0, t, t.AddMinutes(30))));
        var normalId = normal.GetProperty("intent").GetProperty("id").GetGuid();
        var (_, emergency) = await PostAsync(op, "/api/v1/operations", Intent(Volume(2, 2, 3, 3, 0, t.AddMinutes(5), t.AddMinutes(10)), priority: "EMERGENCY"));
        Assert.Equal("ACCEPTED", emergency.GetProperty("outcome").GetString());
        var emergencyId = emergency.GetProperty("intent").GetProperty("id").GetGuid();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var viaHub = await pushed.Task.WaitAsync(timeout.Token);
        Assert.Equal(normalId, viaHub.GetProperty("intentId").GetGuid());
        Assert.Equal(emergencyId.ToString("D"), viaHub.GetProperty("causedBy").GetString());

        JsonElement viaHook;
        do
        {
            viaHook = await received.Task.WaitAsync(timeout.Token);
        }
        while (viaHook.GetProperty("kind").GetString() != "INTENT_CHANGED" && viaHook.GetProperty("kind").GetString() != "INTENT_AFFECTED");
        Assert.True(calls >= 2, "the webhook was retried after its 500");
    }

    [Fact]
    public async Task OpsCommands_SubmitConflictListShowActivateEnd_ExitCodes()
    {
        await using var host = await YunluTestHost.StartAsync(_data.Path, null);
        var token = await host.TokenAsync("operator");
        using var op = host.Authorized(token);
        await RegisterFleetAsync(op);
        var t = DateTimeOffset.UtcNow.AddSeconds(20);
        var first = Path.Combine(_data.Path, "first.json");
        var second = Path.Combine(_data.Path, "second.json");
        await File.WriteAllTextAsync(first, Intent(Volume(0, 0, 4, 4, 0, t, t.AddMinutes(20))).ToJsonString(), Ct);
        await File.WriteAllTextAsync(second, Intent(Volume(2, 2, 6, 6, 0, t.AddMinutes(5), t.AddMinutes(15))).ToJsonString(), Ct);
        string[] server = ["--server", host.BaseAddress.ToString(), "--token", token];

        var (c1, o1, _) = await RunAsync(["ops", "submit", first, .. server]);
        Assert.Equal(ExitCodes.Ok, c1);
        Assert.StartsWith("ACCEPTED", o1, StringComparison.Ordinal);
        var id = o1.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];

        var (c2, o2, _) = await RunAsync(["ops", "submit", second, "--resolve", .. server]);
        Assert.Equal(OpsCommands.Rejected, c2);
        Assert.Contains("conflict:", o2, StringComparison.Ordinal);
        Assert.Contains("resolution START_TIME_SHIFT", o2, StringComparison.Ordinal);

        var (c3, o3, _) = await RunAsync(["ops", "list", "--state", "ACCEPTED", .. server]);
        Assert.Equal(ExitCodes.Ok, c3);
        Assert.Contains(id, o3, StringComparison.Ordinal);
        var (c4, o4, _) = await RunAsync(["ops", "show", id, .. server]);
        Assert.Equal(ExitCodes.Ok, c4);
        Assert.Contains("\"ACCEPTED\"", o4, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, (await RunAsync(["ops", "activate", id, .. server])).Code);
        var (c6, o6, _) = await RunAsync(["ops", "end", id, .. server]);
        Assert.Equal(ExitCodes.Ok, c6);
        Assert.Contains("ENDED", o6, StringComparison.Ordinal);
        var (c7, _, e7) = await RunAsync(["ops", "end", id, .. server]);
        Assert.Equal(OpsCommands.Conflict, c7);
        Assert.Contains("409", e7, StringComparison.Ordinal);
        var (c8, _, _) = await RunAsync(["ops", "submit", Path.Combine(_data.Path, "missing.json"), .. server]);
        Assert.Equal(ExitCodes.IoError, c8);
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var code = await YunluCli.RunAsync(args, stdout, stderr, Ct);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
