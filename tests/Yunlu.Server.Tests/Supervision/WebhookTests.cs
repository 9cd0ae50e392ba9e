using System.Globalization;
using System.Net.Http.Json;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Yunlu.Server.Hosting;
using Yunlu.Server.Supervision;
using static Yunlu.Server.Tests.Operations.OpsClient;

namespace Yunlu.Server.Tests.Supervision;

/// <summary>Webhook delivery (shared by operations notifications and supervision alerts) against real loopback receivers.</summary>
public sealed class WebhookTests : IDisposable
{
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    /// <summary>Records the delays asked of it and fires them at once (so retries are fast and their delays checkable).</summary>
    private sealed class RecordingTime : TimeProvider
    {
        private readonly List<TimeSpan> _delays = [];

        public IReadOnlyList<TimeSpan> Delays
        {
            get
            {
                lock (_delays)
                {
                    return [.. _delays];
                }
            }
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_delays)
            {
                _delays.Add(dueTime);
            }

            return System.CreateTimer(callback, state, TimeSpan.Zero, period);
        }
    }

    [Fact]
    public async Task PostAsync_FailsTwiceThenOk_RetriesWithDoublingDelaySameDeliverySignedAndLogged()
    {
        await using var receiver = await WebhookReceiver.StartAsync((n, _) => n <= 2 ? 500 : 200);
        var time = new RecordingTime();
        var logs = new CapturingLoggerProvider();
        using var http = new HttpClient();
        var alert = new AlertDto(7, "nonconforming", "warning", "raised", "D1", null, null, "I1", 26.6, 106.7, DateTimeOffset.UnixEpoch,
            DateTimeOffset.UnixEpoch, null, null, null, null, "D1 is outside its intent I1", null, null);
        bool ok = await WebhookDelivery.PostAsync(http, receiver.Url, alert, SupervisionJsonContext.Default.AlertDto, 4, TimeSpan.FromMilliseconds(250), time,
            logs.CreateLogger("test"), Ct, "supervision.alert.raised", "s3cret");

        Assert.True(ok);
        Assert.Equal([TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500)], time.Delays);
        IReadOnlyList<ReceivedHook> calls = receiver.Calls;
        Assert.Equal([1, 2, 3], calls.Select(c => c.Attempt));
        Assert.Single(calls.Select(c => c.Delivery).Distinct());
        Assert.True(Guid.TryParse(calls[0].Delivery, out _));
        Assert.All(calls, c => Assert.Equal("supervision.alert.raised", c.Event));
        foreach (ReceivedHook c in calls)
        {
            Assert.Equal(WebhookDelivery.Sign("s3cret", c.Timestamp!, c.Body), c.Signature);
            Assert.NotEqual(WebhookDelivery.Sign("other", c.Timestamp!, c.Body), c.Signature);
        }

        using JsonDocument body = JsonDocument.Parse(calls[2].Body);
        Assert.Equal(7, body.RootElement.GetProperty("id").GetInt64());
        Assert.Equal(["Webhook " + receiver.Url + " answered 500 (attempt 1)", "Webhook " + receiver.Url + " answered 500 (attempt 2)"],
            logs.Entries.Select(e => e.Message));
    }

    [Fact]
    public async Task PostAsync_AlwaysFailing_GivesUpAfterTheAttemptsAndLogsEach()
    {
        await using var receiver = await WebhookReceiver.StartAsync((_, _) => 503);
        var time = new RecordingTime();
        var logs = new CapturingLoggerProvider();
        using var http = new HttpClient();
        bool ok = await WebhookDelivery.PostAsync(http, receiver.Url, new Yunlu.Server.Operations.WebhookDto("x"), Yunlu.Server.Operations.OperationsJsonContext.Default.WebhookDto, 3,
            TimeSpan.FromSeconds(1), time, logs.CreateLogger("test"), Ct);

        Assert.False(ok);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], time.Delays);
        Assert.Equal(3, receiver.Calls.Count);
        Assert.All(receiver.Calls, c => Assert.True(string.IsNullOrEmpty(c.Signature)));
        Assert.Equal([1101, 1101, 1101, 1103], logs.Entries.Select(e => e.EventId));
        Assert.EndsWith("gave up after 3 attempts", logs.Entries[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertWebhooks_OwnerGetsSignedRaisedAndCleared_DeadReceiversLoggedAndDoNotBlock()
    {
        // A black hole (accepts, never answers) and a closed port as supervisor hooks, the owner's hook fails once.
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var held = new List<TcpClient>();
        Task accept = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    held.Add(await blackHole.AcceptTcpClientAsync(Ct));
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
            }
        }, Ct);
        int closedPort;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        string refused = $"http://127.0.0.1:{closedPort}/hook";
        int alertCalls = 0;
        await using var owner = await WebhookReceiver.StartAsync((_, e) =>
            e.StartsWith("supervision.alert.", StringComparison.Ordinal) && Interlocked.Increment(ref alertCalls) == 1 ? 502 : 200);
        var logs = new CapturingLoggerProvider();
        var clock = new ManualClock(ManualClock.StartOfTest());
        DateTimeOffset t0 = clock.Now;
        await using var host = await ClockedHost.StartAsync(_data.Path, clock, new Dictionary<string, string?>
        {
            ["Webhooks:0"] = $"http://127.0.0.1:{((IPEndPoint)blackHole.LocalEndpoint).Port}/hook",
            ["Webhooks:1"] = refused,
            ["WebhookSecret"] = "s3cret",
            ["WebhookAttempts"] = "3",
            ["WebhookFirstRetry"] = "00:00:00.050",
        }, logs);
        using var op = await host.AuthorizedAsync("operator");
        await RegisterFleetAsync(op);
        var (hs, _) = await SendAsync(op, HttpMethod.Put, "/api/v1/operations/webhook", new System.Text.Json.Nodes.JsonObject { ["url"] = owner.Url });
        Assert.Equal(200, hs);
        var (id, _) = await ClockedHost.ActivatedIntentAsync(op, t0.AddSeconds(30), t0.AddMinutes(30));

        // Out, then back in: nonconforming raised and cleared (the only alerts); other drones, 1 km apart, report meanwhile.
        DateTimeOffset t = t0.AddSeconds(40);
        await host.StepAsync(op, t, ("AC-LIGHT", 26.555, 106.715, 1015));
        for (int s = 1; s <= 10; s++)
        {
            await host.StepAsync(op, t.AddSeconds(s), ("AC-LIGHT", 26.555, 106.715, 1015), ("OTHER" + s.ToString(CultureInfo.InvariantCulture), 26.60 + (s * 0.01), 106.60, 1015));
        }

        await host.StepAsync(op, t.AddSeconds(11), ("AC-LIGHT", 26.555, 106.705, 1015));
        Assert.Equal(22, (await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/supervision/status", Ct)).GetProperty("sources").GetProperty("http").GetProperty("received").GetInt64());

        await SupervisionHost.WaitUntilAsync(
            () => owner.Calls.Count(c => c.Event == "supervision.alert.cleared" && c.AnsweredStatus == 200) == 1 &&
                  owner.Calls.Count(c => c.Event == "supervision.alert.raised" && c.AnsweredStatus == 200) == 1,
            "the owner's raised and cleared alerts");
        List<ReceivedHook> alerts = [.. owner.Calls.Where(c => c.Event!.StartsWith("supervision.alert.", StringComparison.Ordinal))];
        foreach (ReceivedHook c in alerts)
        {
            Assert.Equal(WebhookDelivery.Sign("s3cret", c.Timestamp!, c.Body), c.Signature);
            using JsonDocument doc = JsonDocument.Parse(c.Body);
            Assert.Equal("nonconforming", doc.RootElement.GetProperty("kind").GetString());
            Assert.Equal(id.ToString("D"), doc.RootElement.GetProperty("intent").GetString());
            Assert.Equal(c.Event!["supervision.alert.".Length..], doc.RootElement.GetProperty("state").GetString());
        }

        // The first call failed (502) and was retried as the same delivery.
        ReceivedHook first = alerts[0];
        Assert.Equal(502, first.AnsweredStatus);
        Assert.Contains(alerts.Skip(1), c => c.Delivery == first.Delivery && c.Attempt == 2 && c.AnsweredStatus == 200);

        // The closed port: every attempt of both alerts logged, then given up.
        await SupervisionHost.WaitUntilAsync(() => logs.Entries.Count(e => e.EventId == 1103 && e.Message.Contains(refused, StringComparison.Ordinal)) == 2,
            "the refused hook to give up twice; logged: " + string.Join(" | ", logs.Entries.Select(e => e.EventId + " " + e.Message)));
        Assert.Equal(6, logs.Entries.Count(e => e.EventId == 1102 && e.Message.Contains(refused, StringComparison.Ordinal)));

        blackHole.Stop();
        await accept;
        foreach (TcpClient c in held)
        {
            c.Dispose();
        }
    }
}
