using Yunlu.Airspace.Corridors;
using Yunlu.Geo;
using Yunlu.Storage.Airspace;
using Yunlu.Terrain.Weather;
using static Yunlu.Storage.Tests.TestData;

namespace Yunlu.Storage.Tests.Airspace;

/// <summary>The <see cref="IAirspaceStore"/> contract (migration 4), run against SQLite and PostgreSQL on a fresh database each test.</summary>
public abstract class AirspaceStoreContractTests(TestDatabaseKind kind) : FreshStoreTest(kind)
{
    private IAirspaceStore? _airspace;

    private IAirspaceStore Air => _airspace!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _airspace = AirspaceStoreFactory.Create(Connection);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_airspace is not null)
        {
            await _airspace.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    private static readonly AirwayNode A = new("A", "Vertiport A", AirwayNodeKind.Vertiport, new GeoPoint(106.60, 26.60));
    private static readonly AirwayNode B = new("B", "Junction B", AirwayNodeKind.Junction, new GeoPoint(106.70, 26.60));

    private static Corridor Corridor(string id, int capacity = 30) => new(id, "A–B", "A", "B", [A.Position, new GeoPoint(106.65, 26.61), B.Position], 100,
        Altitude.Agl(60), Altitude.Amsl(1400.25), CorridorDirection.OneWay, new SpeedBand(2.5, 18), capacity);

    [Fact]
    public async Task Airways_ImportUpsertDelete_RoundTripExactlyWithVersions()
    {
        var before = await Air.GetStampAsync(Ct);
        await Air.ImportAirwaysAsync([A, B], [Corridor("C1")], "importer", Ct);
        Assert.Equal([A, B], await Air.ListAirwayNodesAsync(Ct));
        var stored = Assert.Single(await Air.ListCorridorsAsync(Ct));
        Assert.Equal(1, stored.Version);
        Assert.Equal("importer", stored.UpdatedBy);
        var c = stored.Corridor;
        Assert.Equal(Corridor("C1").CentreLine, c.CentreLine);
        Assert.Equal((Altitude.Agl(60), Altitude.Amsl(1400.25), CorridorDirection.OneWay, new SpeedBand(2.5, 18)), (c.Floor, c.Ceiling, c.Direction, c.Speed));

        var second = await Air.UpsertCorridorAsync(Corridor("C1", 45), "manager", Ct);
        Assert.Equal(2, second.Version);
        Assert.Equal(45, (await Air.GetCorridorAsync("C1", Ct))!.Corridor.CapacityPerHour);
        Assert.NotEqual(before, await Air.GetStampAsync(Ct));
        Assert.True(await Air.DeleteCorridorAsync("C1", Ct));
        Assert.False(await Air.DeleteCorridorAsync("C1", Ct));
        Assert.Null(await Air.GetCorridorAsync("C1", Ct));
    }

    [Fact]
    public async Task GridOverrides_UpsertListDelete()
    {
        await Air.UpsertGridOverrideAsync(new StoredGridOverride("N48G0095010", 5, "closed", null, "crane", default, "m1"), Ct);
        await Air.UpsertGridOverrideAsync(new StoredGridOverride("N48G00950103", 6, null, 5, null, default, "m1"), Ct);
        await Air.UpsertGridOverrideAsync(new StoredGridOverride("N48G0095010", 5, "restricted", 10, "crane gone", default, "m2"), Ct);
        var all = await Air.ListGridOverridesAsync(null, Ct);
        Assert.Equal(2, all.Count);
        var five = Assert.Single(await Air.ListGridOverridesAsync(5, Ct));
        Assert.Equal(("restricted", (int?)10, "crane gone", "m2"), (five.Status, five.CapacityPerHour, five.Note, five.UpdatedBy));
        Assert.Null(Assert.Single(await Air.ListGridOverridesAsync(6, Ct)).Status);
        Assert.True(await Air.DeleteGridOverrideAsync("N48G0095010", Ct));
        Assert.Single(await Air.ListGridOverridesAsync(null, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Air.UpsertGridOverrideAsync(new StoredGridOverride("N48G0095010", 5, null, null, null, default, "m"), Ct));
    }

    [Fact]
    public async Task WeatherObservations_RoundTripAndFilterByTime()
    {
        var t = new DateTimeOffset(2026, 6, 10, 1, 0, 0, TimeSpan.Zero);
        WeatherObservation[] obs =
        [
            new("S2", t, new GeoPoint(106.7, 26.5), 10, 4.5, 270, 6.25, 21.5, 15000, 0),
            new("S1", t.AddHours(1), new GeoPoint(106.6, 26.4), 12.5, 3, 90, null, null, null, null),
            new("S1", t, new GeoPoint(106.6, 26.4), 12.5, 2, 80, null, 20, null, 1.5),
        ];
        Assert.Equal(3, await Air.AddWeatherObservationsAsync(obs, "feed", Ct));
        var all = await Air.ListWeatherObservationsAsync(null, null, Ct);
        Assert.Equal([obs[2], obs[1], obs[0]], all);
        Assert.Equal(2, (await Air.ListWeatherObservationsAsync(null, t, Ct)).Count);
        Assert.Equal(obs[1], Assert.Single(await Air.ListWeatherObservationsAsync(t.AddMinutes(1), null, Ct)));
    }

    [Fact]
    public async Task ListZonesAsOf_AnswersTheAirspaceAsRecordedThen()
    {
        var clock = new SteppingClock(T0);
        await using var store = await YunluStoreFactory.OpenAsync(Connection, new YunluStoreOptions { TimeProvider = clock }, Ct);
        await store.UpsertZoneAsync(Zone("Z1", name: "first"), "a", null, Ct);      // T0
        await store.UpsertZoneAsync(Zone("Z2"), "a", null, Ct);                     // T0 + 1 min
        await store.UpsertZoneAsync(Zone("Z1", name: "second"), "b", null, Ct);     // T0 + 2 min
        await store.DeleteZoneAsync("Z2", "c", null, Ct);                           // T0 + 3 min

        Assert.Empty(await Air.ListZonesAsOfAsync(T0.AddSeconds(-1), Ct));
        var atStart = Assert.Single(await Air.ListZonesAsOfAsync(T0, Ct));
        Assert.Equal(("Z1", "first", 1L), (atStart.Zone.Identifier, atStart.Zone.Name, atStart.Version));
        var mid = await Air.ListZonesAsOfAsync(T0.AddMinutes(1.5), Ct);
        Assert.Equal(["Z1", "Z2"], mid.Select(e => e.Zone.Identifier));
        Assert.Equal("first", mid[0].Zone.Name);
        var late = Assert.Single(await Air.ListZonesAsOfAsync(T0.AddMinutes(10), Ct));
        Assert.Equal(("second", 2L, "b"), (late.Zone.Name, late.Version, late.Actor));
    }

    /// <summary>A clock that advances one minute after every read.</summary>
    private sealed class SteppingClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _next = start;

        public override DateTimeOffset GetUtcNow()
        {
            var now = _next;
            _next = _next.AddMinutes(1);
            return now;
        }
    }
}

public sealed class SqliteAirspaceStoreContractTests() : AirspaceStoreContractTests(TestDatabaseKind.Sqlite);

public sealed class PostgresAirspaceStoreContractTests() : AirspaceStoreContractTests(TestDatabaseKind.Postgres);
