using System.Net.WebSockets;
using Yunlu.Server.Supervision;
using static Yunlu.Server.Tests.Operations.OpsClient;

namespace Yunlu.Server.Tests.Supervision;

/// <summary>The set-up steps the supervision server tests share: a zone the runtime guards, the ingest WebSocket, and
/// a clocked server with an operator and an Activated intent for the conformance tests.</summary>
public static class SupervisionTestKit
{
    /// <summary>Stores a Prohibited zone (<see cref="Zones.Json"/>) around the point as a manager and waits until the
    /// runtime guards it.</summary>
    /// <returns>The zone id.</returns>
    public static async Task<string> PutZoneAsync(HttpClient manager, SupervisionRuntime runtime, double lon, double lat)
    {
        string zoneId = Zones.NewId();
        using (var put = await manager.PutAsync($"/api/v1/zones/{zoneId}", SupervisionHost.Json(Zones.Json(zoneId, lon: lon, lat: lat)), SupervisionHost.Ct))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync(SupervisionHost.Ct));
        }

        await runtime.RefreshZonesAsync(SupervisionHost.Ct);
        return zoneId;
    }

    /// <summary>Opens the position WebSocket (<c>/api/v1/supervision/ws</c>) with a token, or without one when null.</summary>
    public static async Task<ClientWebSocket> ConnectIngestAsync(Uri baseAddress, string? token)
    {
        var ws = new ClientWebSocket();
        try
        {
            var uri = new UriBuilder(baseAddress) { Scheme = "ws", Path = "/api/v1/supervision/ws", Query = token is null ? "" : "access_token=" + token }.Uri;
            await ws.ConnectAsync(uri, SupervisionHost.Ct);
            return ws;
        }
        catch
        {
            ws.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A clocked server (<see cref="ClockedHost"/>) on a fresh clock, an operator with the fleet registered and, when
    /// <paramref name="intentStartS"/> is given, AC-LIGHT's intent activated from t0 + start to t0 + end.
    /// </summary>
    public static async Task<ConformanceRun> StartConformanceAsync(string dataFolder, double? intentStartS = 30, double intentEndS = 1800,
        IDictionary<string, string?>? settings = null)
    {
        var clock = new ManualClock(ManualClock.StartOfTest());
        DateTimeOffset t0 = clock.Now;
        ClockedHost host = await ClockedHost.StartAsync(dataFolder, clock, settings);
        HttpClient? op = null;
        try
        {
            op = await host.AuthorizedAsync("operator");
            await RegisterFleetAsync(op);
            (Guid id, string ovn) = intentStartS is { } start
                ? await ClockedHost.ActivatedIntentAsync(op, t0.AddSeconds(start), t0.AddSeconds(intentEndS))
                : (Guid.Empty, "");
            return new ConformanceRun(host, op, clock, t0, id, ovn);
        }
        catch
        {
            op?.Dispose();
            await host.DisposeAsync();
            throw;
        }
    }
}

/// <summary>What <see cref="SupervisionTestKit.StartConformanceAsync"/> set up; disposing stops the server.</summary>
/// <param name="Host">The server.</param>
/// <param name="Op">An operator's client.</param>
/// <param name="Clock">The server's clock.</param>
/// <param name="T0">The clock's start.</param>
/// <param name="IntentId">The Activated intent (empty when none was asked for).</param>
/// <param name="Ovn">Its OVN after activation.</param>
public sealed record ConformanceRun(ClockedHost Host, HttpClient Op, ManualClock Clock, DateTimeOffset T0, Guid IntentId, string Ovn) : IAsyncDisposable
{
    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Op.Dispose();
        await Host.DisposeAsync();
    }
}
