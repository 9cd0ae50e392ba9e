using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Yunlu.Server.Operations;
using static Yunlu.Server.Tests.Operations.OpsClient;

namespace Yunlu.Server.Tests.Supervision;

/// <summary>
/// Conformance monitoring through a real server: an Activated intent from <c>/api/v1/operations</c>, positions posted
/// with data time (the server's clock is set to each batch's time, no sleeps), the alerts and the intent's state in the
/// operations API (ASTM F3548-21: Nonconforming declared within 5 s, Contingent after 60 s).
/// </summary>
public sealed class ConformanceServerTests : IDisposable
{
    private const string Aircraft = "AC-LIGHT";
    private const double InLat = 26.555;
    private const double InLon = 106.705;
    private const double OutLon = 106.715;
    private const double AltW84 = 1015;
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    private static JsonElement? Find(List<JsonElement> alerts, string kind) =>
        alerts.Where(a => a.GetProperty("kind").GetString() == kind && a.GetProperty("aircraft").GetString() == Aircraft)
            .Select(a => (JsonElement?)a).FirstOrDefault();

    private static DateTimeOffset Time(JsonElement alert, string property) => alert.GetProperty(property).GetDateTimeOffset();

    private static readonly Dictionary<string, string?> ToleranceS30 = new(StringComparer.Ordinal) { ["ConformanceTimeToleranceS"] = "30" };

    [Fact]
    public async Task LeavesVolumes_NonconformingAtOnceContingentAfter60s_IntentStatesFollowAndEndClears()
    {
        await using ConformanceRun run = await SupervisionTestKit.StartConformanceAsync(_data.Path);
        var (host, op, id, ovn) = (run.Host, run.Op, run.IntentId, run.Ovn);
        DateTimeOffset t = run.T0.AddSeconds(30);
        await host.StepAsync(op, t, (Aircraft, InLat, InLon, AltW84));
        Assert.Empty(await host.AlertsAsync(openOnly: true));
        JsonElement track = (await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/supervision/tracks", Ct)).GetProperty("tracks")[0];
        Assert.Equal("conforming", track.GetProperty("conformance").GetString());
        Assert.Equal(id.ToString("D"), track.GetProperty("intentId").GetString());

        // Out of its volume: nonconforming in the first cycle with the data (data time = raised time, well within 5 s).
        DateTimeOffset left = t.AddSeconds(5);
        await host.StepAsync(op, left, (Aircraft, InLat, OutLon, AltW84));
        JsonElement nonconforming = Find(await host.AlertsAsync(openOnly: true), "nonconforming")!.Value;
        Assert.Equal(left, Time(nonconforming, "raisedUtc"));
        Assert.Equal(id.ToString("D"), nonconforming.GetProperty("intent").GetString());
        Assert.Equal("warning", nonconforming.GetProperty("severity").GetString());
        JsonElement intent = await ClockedHost.IntentInStateAsync(op, id, "NONCONFORMING");
        Assert.NotEqual(ovn, intent.GetProperty("ovn").GetString());

        // Out for 55 s: still only nonconforming.
        for (int s = 5; s <= 55; s += 5)
        {
            await host.StepAsync(op, left.AddSeconds(s), (Aircraft, InLat, OutLon, AltW84));
        }

        List<JsonElement> open = await host.AlertsAsync(openOnly: true);
        Assert.NotNull(Find(open, "nonconforming"));
        Assert.Null(Find(open, "contingent"));

        // 60 s out: Contingent, the nonconforming alert cleared in the same cycle.
        DateTimeOffset contingentAt = left.AddSeconds(60);
        await host.StepAsync(op, contingentAt, (Aircraft, InLat, OutLon, AltW84));
        List<JsonElement> all = await host.AlertsAsync(openOnly: false);
        JsonElement contingent = Find(all, "contingent")!.Value;
        Assert.Equal(contingentAt, Time(contingent, "raisedUtc"));
        JsonElement cleared = Find(all, "nonconforming")!.Value;
        Assert.Equal("cleared", cleared.GetProperty("state").GetString());
        Assert.Equal(contingentAt, Time(cleared, "clearedUtc"));
        intent = await ClockedHost.IntentInStateAsync(op, id, "CONTINGENT");
        track = (await host.Client.GetFromJsonAsync<JsonElement>("/api/v1/supervision/tracks", Ct)).GetProperty("tracks")[0];
        Assert.Equal("contingent", track.GetProperty("conformance").GetString());

        // Back inside: Contingent → Activated is not allowed (only Ended), so the alert stays.
        await host.StepAsync(op, contingentAt.AddSeconds(5), (Aircraft, InLat, InLon, AltW84));
        Assert.NotNull(Find(await host.AlertsAsync(openOnly: true), "contingent"));
        Assert.Equal("CONTINGENT", (await op.GetFromJsonAsync<JsonElement>($"/api/v1/operations/{id}", Ct)).GetProperty("state").GetString());

        // The operator ends the intent: the contingent alert clears at the next cycle.
        var (se, ended) = await PostAsync(op, $"/api/v1/operations/{id}/end", new JsonObject { ["ovn"] = intent.GetProperty("ovn").GetString() });
        Assert.True(se == 200, ended.ToString());
        DateTimeOffset endedAt = contingentAt.AddSeconds(10);
        await host.StepAsync(op, endedAt, (Aircraft, InLat, InLon, AltW84));
        Assert.Empty(await host.AlertsAsync(openOnly: true));
        JsonElement gone = Find(await host.AlertsAsync(openOnly: false), "contingent")!.Value;
        Assert.Equal(endedAt, Time(gone, "clearedUtc"));
    }

    [Fact]
    public async Task BackInsideBefore60s_ActivatedAgainAndAlertCleared()
    {
        await using ConformanceRun run = await SupervisionTestKit.StartConformanceAsync(_data.Path);
        var (host, op, id) = (run.Host, run.Op, run.IntentId);
        DateTimeOffset t = run.T0.AddSeconds(40);
        await host.StepAsync(op, t, (Aircraft, InLat, OutLon, AltW84));
        string ovnNonconforming = (await ClockedHost.IntentInStateAsync(op, id, "NONCONFORMING")).GetProperty("ovn").GetString()!;

        await host.StepAsync(op, t.AddSeconds(30), (Aircraft, InLat, InLon, AltW84));
        JsonElement alert = Find(await host.AlertsAsync(openOnly: false), "nonconforming")!.Value;
        Assert.Equal("cleared", alert.GetProperty("state").GetString());
        Assert.Equal(t.AddSeconds(30), Time(alert, "clearedUtc"));
        JsonElement intent = await ClockedHost.IntentInStateAsync(op, id, "ACTIVATED");
        Assert.NotEqual(ovnNonconforming, intent.GetProperty("ovn").GetString());

        // Out again later: a new excursion starts a new 60 s clock.
        DateTimeOffset again = t.AddSeconds(45);
        await host.StepAsync(op, again, (Aircraft, InLat, OutLon, AltW84));
        await host.StepAsync(op, again.AddSeconds(10), (Aircraft, InLat, OutLon, AltW84));
        await host.StepAsync(op, again.AddSeconds(20), (Aircraft, InLat, OutLon, AltW84));
        await host.StepAsync(op, again.AddSeconds(30), (Aircraft, InLat, OutLon, AltW84));
        await host.StepAsync(op, again.AddSeconds(40), (Aircraft, InLat, OutLon, AltW84));
        await host.StepAsync(op, again.AddSeconds(50), (Aircraft, InLat, OutLon, AltW84));
        Assert.Null(Find(await host.AlertsAsync(openOnly: true), "contingent"));
        await host.StepAsync(op, again.AddSeconds(60), (Aircraft, InLat, OutLon, AltW84));
        Assert.Equal(again.AddSeconds(60), Time(Find(await host.AlertsAsync(openOnly: true), "contingent")!.Value, "raisedUtc"));
    }

    [Fact]
    public async Task EarlyBeyondTolerance_Nonconforming_WithinTolerance_Conforming()
    {
        await using ConformanceRun run = await SupervisionTestKit.StartConformanceAsync(_data.Path, 120, 720, ToleranceS30);
        var (host, op, id) = (run.Host, run.Op, run.IntentId);
        DateTimeOffset start = run.T0.AddMinutes(2);

        // 40 s early (beyond the 30 s tolerance), inside the footprint and band: nonconforming.
        await host.StepAsync(op, start.AddSeconds(-40), (Aircraft, InLat, InLon, AltW84));
        JsonElement early = Find(await host.AlertsAsync(openOnly: true), "nonconforming")!.Value;
        Assert.Equal(start.AddSeconds(-40), Time(early, "raisedUtc"));
        await ClockedHost.IntentInStateAsync(op, id, "NONCONFORMING");

        // 25 s early (within the tolerance): conforming again.
        await host.StepAsync(op, start.AddSeconds(-25), (Aircraft, InLat, InLon, AltW84));
        Assert.Null(Find(await host.AlertsAsync(openOnly: true), "nonconforming"));
        await ClockedHost.IntentInStateAsync(op, id, "ACTIVATED");
    }

    [Fact]
    public async Task LateBeyondTolerance_Nonconforming()
    {
        await using ConformanceRun run = await SupervisionTestKit.StartConformanceAsync(_data.Path, 30, 90, ToleranceS30);
        var (host, op, id) = (run.Host, run.Op, run.IntentId);
        DateTimeOffset end = run.T0.AddSeconds(90);
        await host.StepAsync(op, end.AddSeconds(-5), (Aircraft, InLat, InLon, AltW84));
        await host.StepAsync(op, end.AddSeconds(20), (Aircraft, InLat, InLon, AltW84));
        Assert.Empty(await host.AlertsAsync(openOnly: true));

        // Still flying 35 s after its intent ended: late beyond the tolerance.
        await host.StepAsync(op, end.AddSeconds(35), (Aircraft, InLat, InLon, AltW84));
        JsonElement late = Find(await host.AlertsAsync(openOnly: true), "nonconforming")!.Value;
        Assert.Equal(end.AddSeconds(35), Time(late, "raisedUtc"));
        await ClockedHost.IntentInStateAsync(op, id, "NONCONFORMING");
    }

    [Fact]
    public async Task ContingentClock_SurvivesEngineRebuildAndServerRestart_SameSqliteFile()
    {
        ManualClock clock;
        DateTimeOffset left;
        Guid id;
        await using (ConformanceRun run = await SupervisionTestKit.StartConformanceAsync(_data.Path))
        {
            var (host, op) = (run.Host, run.Op);
            (clock, left, id) = (run.Clock, run.T0.AddSeconds(40), run.IntentId);
            await host.StepAsync(op, left.AddSeconds(-5), (Aircraft, InLat, InLon, AltW84));
            await host.StepAsync(op, left, (Aircraft, InLat, OutLon, AltW84));
            await ClockedHost.IntentInStateAsync(op, id, "NONCONFORMING");
            await host.StepAsync(op, left.AddSeconds(10), (Aircraft, InLat, OutLon, AltW84));

            // A zone is stored: the engine is rebuilt (new tracks, new intents), the clock must keep running.
            using var manager = await host.AuthorizedAsync("manager");
            await SupervisionTestKit.PutZoneAsync(manager, host.Runtime, 106.80, 26.70);
            await host.StepAsync(op, left.AddSeconds(20), (Aircraft, InLat, OutLon, AltW84));
            await host.StepAsync(op, left.AddSeconds(30), (Aircraft, InLat, OutLon, AltW84));
            Assert.Null(Find(await host.AlertsAsync(openOnly: true), "contingent"));
        }

        // The server restarts on the same SQLite file 10 s later.
        await using (var host = await ClockedHost.StartAsync(_data.Path, clock))
        {
            using var op = await host.AuthorizedAsync("operator");
            await host.StepAsync(op, left.AddSeconds(40), (Aircraft, InLat, OutLon, AltW84));
            await host.StepAsync(op, left.AddSeconds(50), (Aircraft, InLat, OutLon, AltW84));
            await host.StepAsync(op, left.AddSeconds(59), (Aircraft, InLat, OutLon, AltW84));
            Assert.Null(Find(await host.AlertsAsync(openOnly: true), "contingent"));
            await host.StepAsync(op, left.AddSeconds(60), (Aircraft, InLat, OutLon, AltW84));
            JsonElement contingent = Find(await host.AlertsAsync(openOnly: true), "contingent")!.Value;
            Assert.Equal(left.AddSeconds(60), Time(contingent, "raisedUtc"));
            await ClockedHost.IntentInStateAsync(op, id, "CONTINGENT");
        }
    }

    [Fact]
    public async Task LateBeyondTolerance_IntentEndedAndEvicted_StillSupervisedNonconformingThenContingent()
    {
        // Operations drops ended intents from the index at their end, from memory only after EndedRetention (5 min):
        // a flight still airborne after its end + tolerance must still be seen as late.
        await using ConformanceRun run = await SupervisionTestKit.StartConformanceAsync(_data.Path, 30, 90, ToleranceS30);
        var (host, op, id) = (run.Host, run.Op, run.IntentId);
        OperationsRuntime ops = host.Operations;
        DateTimeOffset end = run.T0.AddSeconds(90);
        await host.StepAsync(op, end.AddSeconds(-5), (Aircraft, InLat, InLon, AltW84));

        // The eviction pass right after the end (as the 30 s eviction timer would run it).
        host.Clock.Set(end.AddSeconds(31));
        ops.Book.EvictEnded(ops.Options.EndedRetention);
        Assert.NotNull(ops.Book.Get(id));
        await host.StepAsync(op, end.AddSeconds(31), (Aircraft, InLat, InLon, AltW84));
        JsonElement late = Find(await host.AlertsAsync(openOnly: true), "nonconforming")!.Value;
        Assert.Equal(end.AddSeconds(31), Time(late, "raisedUtc"));
        await ClockedHost.IntentInStateAsync(op, id, "NONCONFORMING");

        // Still flying 60 s later: Contingent, and the ops intent follows.
        host.Clock.Set(end.AddSeconds(91));
        ops.Book.EvictEnded(ops.Options.EndedRetention);
        await host.StepAsync(op, end.AddSeconds(91), (Aircraft, InLat, InLon, AltW84));
        JsonElement contingent = Find(await host.AlertsAsync(openOnly: true), "contingent")!.Value;
        Assert.Equal(end.AddSeconds(91), Time(contingent, "raisedUtc"));
        await ClockedHost.IntentInStateAsync(op, id, "CONTINGENT");

        // After the retention the intent leaves memory; the flight is then one without an intent.
        host.Clock.Set(end + ops.Options.EndedRetention);
        ops.Book.EvictEnded(ops.Options.EndedRetention);
        Assert.Null(ops.Book.Get(id));
    }
}
