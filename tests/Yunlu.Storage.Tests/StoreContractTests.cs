using System.Collections.Concurrent;
using CsCheck;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using static Yunlu.Storage.Tests.TestData;

namespace Yunlu.Storage.Tests;

/// <summary>
/// The store contract, run against every implementation (see <see cref="SqliteStoreContractTests"/> and
/// <see cref="PostgresStoreContractTests"/>). Each test gets a fresh, empty database.
/// </summary>
public abstract class StoreContractTests(TestDatabaseKind kind) : FreshDatabaseTest(kind), IAsyncLifetime
{
    private readonly List<IYunluStore> _opened = [];
    private string? _connection;

    /// <summary>The connection string or path of this test's fresh database.</summary>
    protected string Connection => _connection ?? throw new InvalidOperationException("not initialised");

    public async ValueTask InitializeAsync() => _connection = await CreateDatabaseAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        if (_connection is not null)
        {
            await DropDatabaseAsync(_connection);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Opens (and migrates) a store on this test's database; disposed after the test.</summary>
    protected async Task<IYunluStore> OpenAsync(YunluStoreOptions? options = null)
    {
        var store = await YunluStoreFactory.OpenAsync(Connection, options, Ct);
        _opened.Add(store);
        return store;
    }

    protected IYunluStore CreateUnmigrated()
    {
        var store = YunluStoreFactory.Create(Connection);
        _opened.Add(store);
        return store;
    }

    private static Task<int> MigrateToAsync(IYunluStore store, int version) => store switch
    {
        SqliteYunluStore s => s.MigrateAsync(version, Ct),
        PostgresYunluStore p => p.MigrateAsync(version, Ct),
        _ => throw new InvalidOperationException(store.GetType().Name),
    };

    // ---- migrations ----

    [Fact]
    public async Task MigrateAsync_EmptyDatabase_ReachesLatestVersion()
    {
        var store = CreateUnmigrated();
        var version = await store.MigrateAsync(Ct);
        Assert.Equal(SqliteMigrations.All[^1].Version, version);
        Assert.Empty(await store.ListZonesAsync(new ZoneQuery(), Ct));
        Assert.Empty(await store.ListRasterDatasetsAsync(Ct));
    }

    [Fact]
    public async Task MigrateAsync_Twice_IsIdempotentAndKeepsData()
    {
        var store = await OpenAsync();
        await store.UpsertZoneAsync(Zone("Z1"), "tester", null, Ct);
        Assert.Equal(SqliteMigrations.All[^1].Version, await store.MigrateAsync(Ct));
        Assert.Equal(SqliteMigrations.All[^1].Version, await store.MigrateAsync(Ct));
        var zone = await store.GetZoneAsync("Z1", Ct);
        Assert.Equal(1, zone!.Version);
    }

    [Fact]
    public async Task MigrateAsync_FromPreviousVersion_KeepsDataAndAddsRasterTables()
    {
        var old = CreateUnmigrated();
        Assert.Equal(2, await MigrateToAsync(old, 2));
        await old.UpsertZoneAsync(Zone("OLD1"), "v2", null, Ct);
        await old.CommitImportAsync(
            new ImportBatch(Record(Guid.NewGuid(), T0), [], [Obstacle("B1", 106.7, 26.5)], [Site("S1", 106.7, 26.5)]), Ct);
        await Assert.ThrowsAnyAsync<Exception>(() => old.ListRasterDatasetsAsync(Ct)); // not there yet at version 2

        var store = CreateUnmigrated();
        Assert.Equal(SqliteMigrations.All[^1].Version, await store.MigrateAsync(Ct));
        Assert.Equal(1, (await store.GetZoneAsync("OLD1", Ct))!.Version);
        Assert.Single(await store.ListObstaclesAsync(null, Ct));
        Assert.Single(await store.ListSitesAsync(Ct));
        await store.SaveRasterDatasetAsync(Dataset("dem", 1), [new RasterTileBlob(0, 0, new byte[] { 1, 2, 3 })], Ct);
        Assert.Single(await store.ListRasterDatasetsAsync(Ct));
    }

    // ---- zones ----

    [Fact]
    public async Task UpsertZoneAsync_NewZone_GetReturnsItAtVersion1()
    {
        var store = await OpenAsync();
        var zone = Zone("ZUGY01");
        var stored = await store.UpsertZoneAsync(zone, "规划员", null, Ct);
        Assert.Equal(1, stored.Version);
        Assert.Equal("规划员", stored.UpdatedBy);

        var got = await store.GetZoneAsync("ZUGY01", Ct);
        Assert.NotNull(got);
        AssertSameZone(zone, got.Zone);
        Assert.Equal(1, got.Version);
        Assert.Equal(stored.UpdatedAt, got.UpdatedAt);
        Assert.Equal("规划员", got.UpdatedBy);
        Assert.Null(await store.GetZoneAsync("nope", Ct));
    }

    [Fact]
    public async Task UpsertZoneAsync_CircleAndChineseText_RoundTripsExactly()
    {
        var store = await OpenAsync();
        var zone = Circle("圆形区", 106.630153, 26.647661, 1234.5678) with { Name = "贵阳北站 🚄 禁飞区", Message = "请联系：０８５１" };
        await store.UpsertZoneAsync(zone, "张三", null, Ct);
        var got = await store.GetZoneAsync("圆形区", Ct);
        AssertSameZone(zone, got!.Zone);
        var circle = Assert.IsType<CircleFootprint>(got.Zone.Footprint);
        Assert.Equal(1234.5678, circle.RadiusM);
        Assert.Equal(26.647661, circle.Center.LatDeg);
        Assert.Equal("张三", got.UpdatedBy);
    }

    [Fact]
    public async Task UpsertZoneAsync_ExpectedVersions_IncrementOrConflict()
    {
        var store = await OpenAsync();
        Assert.Equal(1, (await store.UpsertZoneAsync(Zone("Z"), "a", 0, Ct)).Version);
        Assert.Equal(2, (await store.UpsertZoneAsync(Zone("Z") with { Name = "v2" }, "b", 1, Ct)).Version);
        Assert.Equal(3, (await store.UpsertZoneAsync(Zone("Z") with { Name = "v3" }, "c", null, Ct)).Version);

        var stale = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.UpsertZoneAsync(Zone("Z") with { Name = "lost" }, "d", 2, Ct));
        Assert.Contains("3", stale.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.UpsertZoneAsync(Zone("Z"), "d", 0, Ct));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.UpsertZoneAsync(Zone("missing"), "d", 4, Ct));

        var got = await store.GetZoneAsync("Z", Ct);
        Assert.Equal(3, got!.Version);
        Assert.Equal("v3", got.Zone.Name);
        Assert.Equal("c", got.UpdatedBy);
        Assert.Null(await store.GetZoneAsync("missing", Ct));
    }

    [Fact]
    public async Task DeleteZoneAsync_VersionChecks_DeleteOnlyWhenCurrent()
    {
        var store = await OpenAsync();
        await store.UpsertZoneAsync(Zone("D"), "a", null, Ct);
        await store.UpsertZoneAsync(Zone("D"), "a", null, Ct);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.DeleteZoneAsync("D", "b", 1, Ct));
        Assert.NotNull(await store.GetZoneAsync("D", Ct));
        Assert.True(await store.DeleteZoneAsync("D", "b", 2, Ct));
        Assert.Null(await store.GetZoneAsync("D", Ct));
        Assert.False(await store.DeleteZoneAsync("D", "b", null, Ct));
        Assert.False(await store.DeleteZoneAsync("never", "b", 1, Ct));
        Assert.Empty(await store.ListZonesAsync(new ZoneQuery(), Ct));
    }

    [Fact]
    public async Task ListZoneHistoryAsync_AfterChangesAndDelete_HasEverySnapshotInOrder()
    {
        var store = await OpenAsync();
        await store.UpsertZoneAsync(Zone("H") with { Name = "一" }, "甲", null, Ct);
        await store.UpsertZoneAsync(Zone("H") with { Name = "二" }, "乙", 1, Ct);
        await store.DeleteZoneAsync("H", "丙", 2, Ct);
        await store.UpsertZoneAsync(Zone("H") with { Name = "三" }, "丁", null, Ct);

        var history = await store.ListZoneHistoryAsync("H", Ct);
        Assert.Equal(4, history.Count);
        Assert.Equal(["一", "二", "二", "三"], history.Select(h => h.Zone.Name));
        Assert.Equal([1L, 2L, 3L, 1L], history.Select(h => h.Version));
        Assert.Equal([false, false, true, false], history.Select(h => h.Deleted));
        Assert.Equal(["甲", "乙", "丙", "丁"], history.Select(h => h.Actor));
        Assert.True(history.Zip(history.Skip(1)).All(p => p.First.ChangedAt <= p.Second.ChangedAt));
        Assert.Empty(await store.ListZoneHistoryAsync("other", Ct));
        Assert.Equal(1, (await store.GetZoneAsync("H", Ct))!.Version);
    }

    [Fact]
    public async Task UpsertZoneAsync_PinnedClock_StampsThatTime()
    {
        var clock = new FixedClock(T0.AddTicks(1234567));
        var store = await OpenAsync(new YunluStoreOptions { TimeProvider = clock });
        var stored = await store.UpsertZoneAsync(Zone("T"), "a", null, Ct);
        var expected = T0.AddTicks(1234560); // microsecond precision
        Assert.Equal(expected, stored.UpdatedAt);
        Assert.Equal(expected, (await store.GetZoneAsync("T", Ct))!.UpdatedAt);
        Assert.Equal(expected, (await store.ListZoneHistoryAsync("T", Ct))[0].ChangedAt);
    }

    [Fact]
    public async Task UpsertZoneAsync_InvalidZone_ThrowsNamingFieldAndStoresNothing()
    {
        var store = await OpenAsync();
        var bowtie = Factory.CreatePolygon(
        [
            new NetTopologySuite.Geometries.Coordinate(106.7, 26.5), new NetTopologySuite.Geometries.Coordinate(106.8, 26.6),
            new NetTopologySuite.Geometries.Coordinate(106.8, 26.5), new NetTopologySuite.Geometries.Coordinate(106.7, 26.6),
            new NetTopologySuite.Geometries.Coordinate(106.7, 26.5),
        ]);
        var e1 = await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertZoneAsync(Zone("BAD", new PolygonFootprint(bowtie)), "a", null, Ct));
        Assert.Equal("zone.Footprint.Polygon", e1.ParamName);
        var e2 = await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertZoneAsync(Zone("BAD") with { Upper = Altitude.Agl(-5) }, "a", null, Ct));
        Assert.Equal("zone.Upper", e2.ParamName);
        var e3 = await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertZoneAsync(Circle("BAD", 106.7, 26.5, 0), "a", null, Ct));
        Assert.Equal("zone.Footprint.RadiusM", e3.ParamName);
        var e4 = await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertZoneAsync(Zone(""), "a", null, Ct));
        Assert.Equal("zone.Identifier", e4.ParamName);
        Assert.Empty(await store.ListZonesAsync(new ZoneQuery(), Ct));
    }

    [Fact]
    public async Task ListZonesAsync_BoxLimitOffset_FiltersAndOrdersByIdentifier()
    {
        var store = await OpenAsync();
        await store.UpsertZoneAsync(Zone("c", new PolygonFootprint(Rect(106.70, 26.50, 106.71, 26.51))), "a", null, Ct);
        await store.UpsertZoneAsync(Zone("a", new PolygonFootprint(Rect(106.80, 26.60, 106.81, 26.61))), "a", null, Ct);
        await store.UpsertZoneAsync(Zone("b", new PolygonFootprint(Rect(106.90, 26.70, 106.91, 26.71))), "a", null, Ct);
        await store.UpsertZoneAsync(Circle("d", 106.705, 26.505, 100), "a", null, Ct);

        Assert.Equal(["a", "b", "c", "d"], (await store.ListZonesAsync(new ZoneQuery(), Ct)).Select(z => z.Zone.Identifier));
        Assert.Equal(["b", "c"], (await store.ListZonesAsync(new ZoneQuery(Limit: 2, Offset: 1), Ct)).Select(z => z.Zone.Identifier));
        var box = new BoundingBox(106.705, 26.505, 106.8, 26.6); // touches "a" at its corner, overlaps "c" and "d"
        Assert.Equal(["a", "c", "d"], (await store.ListZonesAsync(new ZoneQuery(box), Ct)).Select(z => z.Zone.Identifier));
        Assert.Empty(await store.ListZonesAsync(new ZoneQuery(new BoundingBox(100, 20, 101, 21)), Ct));

        var bad = await Assert.ThrowsAsync<ArgumentException>(() => store.ListZonesAsync(new ZoneQuery(new BoundingBox(107, 26, 106, 27)), Ct));
        Assert.Equal("query.Box", bad.ParamName);
        await Assert.ThrowsAsync<ArgumentException>(() => store.ListZonesAsync(new ZoneQuery(Limit: 0), Ct));
    }

    [Fact]
    public async Task ListZonesAsync_RandomZonesAndBoxes_EqualsBruteForce()
    {
        var store = await OpenAsync();
        var model = new Dictionary<string, Zone>(StringComparer.Ordinal);
        var gen = Gen.Select(Gen.Select(Gen.Int[0, 400], GenFootprint).Array[1, 25], GenBox.Array[1, 8]);
        await gen.SampleAsync(
            async (zones, boxes) =>
            {
                foreach (var (n, fp) in zones)
                {
                    var zone = Zone("R" + n.ToString("D4", System.Globalization.CultureInfo.InvariantCulture), fp);
                    await store.UpsertZoneAsync(zone, "prop", null, Ct);
                    model[zone.Identifier] = zone;
                }

                foreach (var box in boxes)
                {
                    var expected = model.Values
                        .Where(z => GeoBounds.Intersects(GeoBounds.Of(z.Footprint), box))
                        .Select(z => z.Identifier)
                        .Order(StringComparer.Ordinal)
                        .ToList();
                    var actual = (await store.ListZonesAsync(new ZoneQuery(box, Limit: 10_000), Ct)).Select(z => z.Zone.Identifier).ToList();
                    Assert.Equal(expected, actual);
                }
            },
            iter: 12,
            threads: 1);
    }

    [Fact]
    public async Task UpsertZoneAsync_ManyConcurrentWritersWithExpectedVersions_LoseNoUpdate()
    {
        var store = await OpenAsync();
        await store.UpsertZoneAsync(Zone("C"), "init", 0, Ct);
        const int writers = 6;
        const int incrementsEach = 8;
        var won = new ConcurrentBag<long>();
        var conflicts = 0;
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var done = 0; done < incrementsEach;)
            {
                var current = (await store.GetZoneAsync("C", Ct))!;
                try
                {
                    var stored = await store.UpsertZoneAsync(current.Zone with { Message = $"w{w}-{done}" }, $"w{w}", current.Version, Ct);
                    Assert.Equal(current.Version + 1, stored.Version);
                    won.Add(stored.Version);
                    done++;
                }
                catch (ConcurrencyConflictException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        }, Ct)).ToArray();
        await Task.WhenAll(tasks);

        const long total = writers * incrementsEach;
        Assert.Equal(1 + total, (await store.GetZoneAsync("C", Ct))!.Version);
        Assert.Equal(Enumerable.Range(2, (int)total).Select(i => (long)i), won.Order());
        var history = await store.ListZoneHistoryAsync("C", Ct);
        Assert.Equal(Enumerable.Range(1, (int)total + 1).Select(i => (long)i), history.Select(h => h.Version));
    }

    [Fact]
    public async Task Store_CloseAndReopen_KeepsEverything()
    {
        var first = YunluStoreFactory.Create(Connection);
        await first.MigrateAsync(Ct);
        await first.UpsertZoneAsync(Zone("P1"), "a", null, Ct);
        var id = Guid.NewGuid();
        await first.CommitImportAsync(new ImportBatch(Record(id, T0), [Zone("P2")], [Obstacle("O1", 106.7, 26.5)], [Site("S1", 106.7, 26.5)]), Ct);
        await first.SaveRasterDatasetAsync(Dataset("dem", 1), [new RasterTileBlob(0, 0, new byte[] { 9, 8, 7 })], Ct);
        await first.DisposeAsync();

        var second = await OpenAsync();
        Assert.Equal(["P1", "P2"], (await second.ListZonesAsync(new ZoneQuery(), Ct)).Select(z => z.Zone.Identifier));
        Assert.Single(await second.ListObstaclesAsync(null, Ct));
        Assert.Single(await second.ListSitesAsync(Ct));
        Assert.Equal(id, Assert.Single(await second.ListImportsAsync(Ct)).Id);
        Assert.Equal(new byte[] { 9, 8, 7 }, await second.GetRasterTileAsync("dem", 0, 0, Ct));
    }

    // ---- imports ----

    [Fact]
    public async Task CommitImportAsync_ValidBatch_StoresEverythingAndRecord()
    {
        var store = await OpenAsync();
        var id = Guid.NewGuid();
        var obstacles = new[] { Obstacle("B1", 106.70, 26.50, 120.5), Obstacle("B2", 106.72, 26.52) with { Name = null } };
        var sites = new[] { Site("V2", 106.71, 26.58), Site("V1", 106.62, 26.40) with { Description = null } };
        var record = await store.CommitImportAsync(new ImportBatch(Record(id, T0.AddTicks(17), 6), [Zone("I1"), Circle("I2", 106.7, 26.6, 500)], obstacles, sites), Ct);
        Assert.Equal(T0.AddTicks(10), record.ImportedAt);

        Assert.Equal(["I1", "I2"], (await store.ListZonesAsync(new ZoneQuery(), Ct)).Select(z => z.Zone.Identifier));
        Assert.Equal("导入员", (await store.GetZoneAsync("I1", Ct))!.UpdatedBy);
        var storedObstacles = await store.ListObstaclesAsync(null, Ct);
        Assert.Equal(2, storedObstacles.Count);
        AssertSameObstacle(obstacles[0], storedObstacles[0]);
        AssertSameObstacle(obstacles[1], storedObstacles[1]);
        Assert.Equal(["B1"], (await store.ListObstaclesAsync(new BoundingBox(106.695, 26.495, 106.7005, 26.5005), Ct)).Select(o => o.Id));
        var storedSites = await store.ListSitesAsync(Ct);
        Assert.Equal(["V1", "V2"], storedSites.Select(s => s.Id));
        Assert.Equal(sites[1], storedSites[0]);
        Assert.Equal(sites[0], storedSites[1]);
        Assert.Equal(record, Assert.Single(await store.ListImportsAsync(Ct)));
    }

    [Fact]
    public async Task CommitImportAsync_LaterInsertFails_LeavesNothingStored()
    {
        var store = await OpenAsync();
        var id = Guid.NewGuid();
        await store.CommitImportAsync(new ImportBatch(Record(id, T0), [Zone("FIRST")], [], []), Ct);

        // Same import id again: the zones, obstacles and sites go in first, the import row last and fails.
        var again = new ImportBatch(Record(id, T0.AddHours(1)), [Zone("X1"), Zone("FIRST") with { Name = "changed" }],
            [Obstacle("XB", 106.7, 26.5)], [Site("XS", 106.7, 26.5)]);
        await Assert.ThrowsAsync<StoreConstraintException>(() => store.CommitImportAsync(again, Ct));

        Assert.Null(await store.GetZoneAsync("X1", Ct));
        var first = (await store.GetZoneAsync("FIRST", Ct))!;
        Assert.Equal(1, first.Version);
        Assert.NotEqual("changed", first.Zone.Name);
        Assert.Empty(await store.ListZoneHistoryAsync("X1", Ct));
        Assert.Single(await store.ListZoneHistoryAsync("FIRST", Ct));
        Assert.Empty(await store.ListObstaclesAsync(null, Ct));
        Assert.Empty(await store.ListSitesAsync(Ct));
        Assert.Single(await store.ListImportsAsync(Ct));
    }

    [Fact]
    public async Task CommitImportAsync_InvalidOrDuplicateItem_ThrowsNamingFieldAndStoresNothing()
    {
        var store = await OpenAsync();
        var badHeight = new ImportBatch(Record(Guid.NewGuid(), T0), [Zone("Y1")],
            [Obstacle("O1", 106.7, 26.5), Obstacle("O2", 106.8, 26.5), Obstacle("O3", 106.9, 26.5, heightM: -1)], []);
        var e1 = await Assert.ThrowsAsync<ArgumentException>(() => store.CommitImportAsync(badHeight, Ct));
        Assert.Equal("batch.Obstacles[2].HeightM", e1.ParamName);

        var duplicate = new ImportBatch(Record(Guid.NewGuid(), T0), [Zone("Y1")],
            [Obstacle("O1", 106.7, 26.5), Obstacle("O1", 106.8, 26.5)], []);
        var e2 = await Assert.ThrowsAsync<ArgumentException>(() => store.CommitImportAsync(duplicate, Ct));
        Assert.Equal("batch.Obstacles[1].Id", e2.ParamName);

        Assert.Empty(await store.ListZonesAsync(new ZoneQuery(), Ct));
        Assert.Empty(await store.ListObstaclesAsync(null, Ct));
        Assert.Empty(await store.ListImportsAsync(Ct));
    }

    [Fact]
    public async Task CommitImportAsync_SameObstacleIdLater_ReplacesIt()
    {
        var store = await OpenAsync();
        await store.CommitImportAsync(new ImportBatch(Record(Guid.NewGuid(), T0), [], [Obstacle("O", 106.7, 26.5, 50)], []), Ct);
        await store.CommitImportAsync(new ImportBatch(Record(Guid.NewGuid(), T0.AddHours(1)), [], [Obstacle("O", 106.8, 26.6, 70)], []), Ct);
        var o = Assert.Single(await store.ListObstaclesAsync(null, Ct));
        Assert.Equal(70, o.HeightM);
        Assert.Empty(await store.ListObstaclesAsync(new BoundingBox(106.69, 26.49, 106.702, 26.502), Ct));
    }

    [Fact]
    public async Task ListImportsAsync_SeveralImports_NewestFirst()
    {
        var store = await OpenAsync();
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        var c = Guid.NewGuid();
        await store.CommitImportAsync(new ImportBatch(Record(a, T0.AddHours(1)), [], [], []), Ct);
        await store.CommitImportAsync(new ImportBatch(Record(b, T0), [], [], []), Ct);
        await store.CommitImportAsync(new ImportBatch(Record(c, T0.AddHours(2)), [], [], []), Ct);
        Assert.Equal([c, a, b], (await store.ListImportsAsync(Ct)).Select(r => r.Id));
    }

    // ---- rasters ----

    private static RasterDataset Dataset(string id, int version, double? noData = -32768) => new(
        id, "dem", "贵阳 DEM v" + version, new BoundingBox(106.5, 26.3, 107.0, 26.8), 300, 400, 256, "int16", noData, T0.AddMinutes(version));

    [Fact]
    public async Task SaveRasterDatasetAsync_SaveThenReplace_ReplacesMetadataAndAllTiles()
    {
        var store = await OpenAsync();
        var big = new byte[256 * 256 * 2];
        new Random(7).NextBytes(big);
        await store.SaveRasterDatasetAsync(Dataset("dem", 1),
        [
            new RasterTileBlob(0, 0, big), new RasterTileBlob(0, 1, new byte[] { 1 }),
            new RasterTileBlob(1, 0, new byte[] { 2 }), new RasterTileBlob(1, 1, new ReadOnlyMemory<byte>(new byte[] { 0, 3, 4, 0 }, 1, 2)),
        ], Ct);
        Assert.Equal(big, await store.GetRasterTileAsync("dem", 0, 0, Ct));
        Assert.Equal(new byte[] { 3, 4 }, await store.GetRasterTileAsync("dem", 1, 1, Ct));
        Assert.Null(await store.GetRasterTileAsync("dem", 2, 0, Ct));
        Assert.Null(await store.GetRasterTileAsync("other", 0, 0, Ct));
        Assert.Equal(Dataset("dem", 1), Assert.Single(await store.ListRasterDatasetsAsync(Ct)));

        await store.SaveRasterDatasetAsync(Dataset("dem", 2, double.NaN), [new RasterTileBlob(1, 0, new byte[] { 42 })], Ct);
        var meta = Assert.Single(await store.ListRasterDatasetsAsync(Ct));
        Assert.Equal("贵阳 DEM v2", meta.Name);
        Assert.True(double.IsNaN(meta.NoData!.Value));
        Assert.Null(await store.GetRasterTileAsync("dem", 0, 0, Ct));
        Assert.Equal(new byte[] { 42 }, await store.GetRasterTileAsync("dem", 1, 0, Ct));
    }

    [Fact]
    public async Task SaveRasterDatasetAsync_DuplicateTile_KeepsPreviousDatasetIntact()
    {
        var store = await OpenAsync();
        await store.SaveRasterDatasetAsync(Dataset("dem", 1, null), [new RasterTileBlob(0, 0, new byte[] { 1 })], Ct);
        await Assert.ThrowsAsync<StoreConstraintException>(() => store.SaveRasterDatasetAsync(Dataset("dem", 2),
            [new RasterTileBlob(0, 1, new byte[] { 5 }), new RasterTileBlob(0, 1, new byte[] { 6 })], Ct));
        Assert.Equal(Dataset("dem", 1, null), Assert.Single(await store.ListRasterDatasetsAsync(Ct)));
        Assert.Equal(new byte[] { 1 }, await store.GetRasterTileAsync("dem", 0, 0, Ct));
        Assert.Null(await store.GetRasterTileAsync("dem", 0, 1, Ct));
    }

    [Fact]
    public async Task SaveRasterDatasetAsync_TileOutsideGrid_ThrowsNamingTile()
    {
        var store = await OpenAsync();
        var e = await Assert.ThrowsAsync<ArgumentException>(() => store.SaveRasterDatasetAsync(Dataset("dem", 1),
            [new RasterTileBlob(0, 0, new byte[] { 1 }), new RasterTileBlob(0, 2, new byte[] { 1 })], Ct));
        Assert.Equal("tiles[1]", e.ParamName);
        Assert.Empty(await store.ListRasterDatasetsAsync(Ct));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

/// <summary>The contract on SQLite: a fresh file in a fresh temp folder per test.</summary>
public sealed class SqliteStoreContractTests() : StoreContractTests(TestDatabaseKind.Sqlite)
{
    [Fact]
    public async Task Open_NewFile_UsesWalJournal()
    {
        var store = await OpenAsync();
        await store.UpsertZoneAsync(Zone("W"), "a", null, Ct);
        await using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Connection};Pooling=False");
        await conn.OpenAsync(Ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await cmd.ExecuteScalarAsync(Ct));
        Assert.True(File.Exists(Connection + "-wal"));
    }

    [Fact]
    public async Task Open_FolderPath_CreatesDefaultFileInside()
    {
        var folder = Path.GetDirectoryName(Connection)! + Path.DirectorySeparatorChar + "data" + Path.DirectorySeparatorChar;
        await using var store = await YunluStoreFactory.OpenAsync(folder, null, Ct);
        await store.UpsertZoneAsync(Zone("F"), "a", null, Ct);
        Assert.True(File.Exists(Path.Combine(folder, YunluStoreFactory.DefaultSqliteFileName)));
    }
}

/// <summary>The contract on PostgreSQL + PostGIS: a fresh database per test (fails when YUNLU_TEST_PG is missing).</summary>
public sealed class PostgresStoreContractTests() : StoreContractTests(TestDatabaseKind.Postgres)
{
    [Fact]
    public async Task UpsertZoneAsync_Circle_StoresGeodesicBufferGeometry()
    {
        var store = await OpenAsync();
        await store.UpsertZoneAsync(Circle("C", 106.7, 26.5, 1_000), "a", null, Ct);
        await using var conn = new Npgsql.NpgsqlConnection(Connection);
        await conn.OpenAsync(Ct);
        await using var cmd = new Npgsql.NpgsqlCommand(
            "SELECT ST_GeometryType(footprint), ST_SRID(footprint), ST_Area(footprint::geography) FROM zones WHERE identifier = 'C';", conn);
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal("ST_Polygon", reader.GetString(0));
        Assert.Equal(4326, reader.GetInt32(1));
        var area = reader.GetDouble(2);
        Assert.InRange(area, 0.97 * Math.PI * 1e6, Math.PI * 1e6); // inscribed polygon: slightly under πr²
    }

    [Fact]
    public async Task Open_TwoStoresOnOneDatabase_SeeEachOthersWritesAndConflicts()
    {
        var a = await OpenAsync();
        var b = await OpenAsync();
        await a.UpsertZoneAsync(Zone("S"), "server-a", 0, Ct);
        Assert.Equal(1, (await b.GetZoneAsync("S", Ct))!.Version);
        await b.UpsertZoneAsync(Zone("S"), "server-b", 1, Ct);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => a.UpsertZoneAsync(Zone("S"), "server-a", 1, Ct));
    }
}
