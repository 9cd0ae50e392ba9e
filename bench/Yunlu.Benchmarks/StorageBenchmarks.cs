using BenchmarkDotNet.Attributes;
using NetTopologySuite.Geometries;
using Npgsql;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Storage;

namespace Yunlu.Benchmarks;

/// <summary>
/// The two stores side by side: SQLite (embedded, WAL, synchronous=FULL: one fsync per commit) is the baseline,
/// PostgreSQL + PostGIS the scale-out store. PostgreSQL comes from <c>YUNLU_BENCH_PG</c> (or <c>YUNLU_TEST_PG</c>):
/// a server where the user may CREATE DATABASE; a throw-away database is created and dropped.
/// </summary>
public abstract class StorageBenchmarkBase
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    private string _folder = null!;
    private string _pgConnection = null!;

    protected IYunluStore Sqlite { get; private set; } = null!;

    protected IYunluStore Postgres { get; private set; } = null!;

    protected static Zone MakeZone(int i, Random random)
    {
        var west = 106.3 + (random.NextDouble() * 1.0);
        var south = 26.2 + (random.NextDouble() * 0.8);
        var size = 0.001 + (random.NextDouble() * 0.02);
        Footprint footprint = i % 4 == 0
            ? new CircleFootprint(new GeoPoint(west, south), 100 + (random.NextDouble() * 2_000))
            : new PolygonFootprint(Factory.CreatePolygon(
            [
                new Coordinate(west, south), new Coordinate(west + size, south), new Coordinate(west + size, south + size),
                new Coordinate(west, south + size), new Coordinate(west, south),
            ]));
        return new Zone(
            "Z" + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture), "基准区域 " + i, "CHN", ZoneRestriction.ReqAuthorisation,
            [ZoneReason.Infrastructure], footprint, Altitude.Agl(0), Altitude.Agl(120), [ZoneApplicability.Always], null, null);
    }

    protected async Task OpenStoresAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "yunlu-bench-" + Guid.NewGuid().ToString("N"));
        Sqlite = await YunluStoreFactory.OpenAsync(Path.Combine(_folder, "yunlu.db"), null, CancellationToken.None);

        var admin = Environment.GetEnvironmentVariable("YUNLU_BENCH_PG") ?? Environment.GetEnvironmentVariable("YUNLU_TEST_PG")
            ?? throw new InvalidOperationException("set YUNLU_BENCH_PG (or YUNLU_TEST_PG) to a PostgreSQL+PostGIS connection string");
        var name = "yunlu_bench_" + Guid.NewGuid().ToString("N");
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name};", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        _pgConnection = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        Postgres = await YunluStoreFactory.OpenAsync(_pgConnection, null, CancellationToken.None);
    }

    protected async Task CloseStoresAsync()
    {
        await Sqlite.DisposeAsync();
        await Postgres.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
        var builder = new NpgsqlConnectionStringBuilder(_pgConnection);
        var name = builder.Database;
        builder.Database = "postgres";
        await using var conn = new NpgsqlConnection(builder.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE);", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}

/// <summary>One zone upsert (replace of one of 1 000 existing zones: version +1, history row, index update), each its
/// own durable transaction.</summary>
public class StorageZoneUpsertBenchmarks : StorageBenchmarkBase
{
    private const int ZoneCount = 1_000;
    private Zone[] _zones = null!;
    private int _next;

    [GlobalSetup]
    public async Task Setup()
    {
        await OpenStoresAsync();
        var random = new Random(42);
        _zones = new Zone[ZoneCount];
        for (var i = 0; i < ZoneCount; i++)
        {
            _zones[i] = MakeZone(i, random);
        }

        var batch = new ImportBatch(new ImportRecord(Guid.NewGuid(), "bench", "bench", new string('0', 64), ZoneCount, "bench", DateTimeOffset.UtcNow), _zones, [], []);
        await Sqlite.CommitImportAsync(batch, CancellationToken.None);
        await Postgres.CommitImportAsync(batch, CancellationToken.None);
    }

    [GlobalCleanup]
    public Task Cleanup() => CloseStoresAsync();

    /// <summary>Baseline: SQLite.</summary>
    [Benchmark(Baseline = true)]
    public Task<StoredZone> Sqlite_UpsertZone() => Sqlite.UpsertZoneAsync(_zones[_next++ % ZoneCount], "bench", null, CancellationToken.None);

    /// <summary>PostgreSQL + PostGIS (footprint geometry, GiST maintenance).</summary>
    [Benchmark]
    public Task<StoredZone> Postgres_UpsertZone() => Postgres.UpsertZoneAsync(_zones[_next++ % ZoneCount], "bench", null, CancellationToken.None);
}

/// <summary>A bounding-box listing (about 0.1° × 0.1°, ~1 % of the area) over 10 000 zones around Guiyang.</summary>
public class StorageBboxQueryBenchmarks : StorageBenchmarkBase
{
    private const int ZoneCount = 10_000;
    private static readonly ZoneQuery Query = new(new BoundingBox(106.75, 26.55, 106.85, 26.65));

    [GlobalSetup]
    public async Task Setup()
    {
        await OpenStoresAsync();
        var random = new Random(7);
        var zones = new Zone[ZoneCount];
        for (var i = 0; i < ZoneCount; i++)
        {
            zones[i] = MakeZone(i, random);
        }

        var batch = new ImportBatch(new ImportRecord(Guid.NewGuid(), "bench", "bench", new string('0', 64), ZoneCount, "bench", DateTimeOffset.UtcNow), zones, [], []);
        await Sqlite.CommitImportAsync(batch, CancellationToken.None);
        await Postgres.CommitImportAsync(batch, CancellationToken.None);
        var a = await Sqlite.ListZonesAsync(Query, CancellationToken.None);
        var b = await Postgres.ListZonesAsync(Query, CancellationToken.None);
        if (a.Count != b.Count || a.Count == 0)
        {
            throw new InvalidOperationException($"stores disagree or the box is empty: SQLite {a.Count}, PostgreSQL {b.Count}");
        }

        Console.WriteLine($"// bbox query returns {a.Count} of {ZoneCount} zones");
    }

    [GlobalCleanup]
    public Task Cleanup() => CloseStoresAsync();

    /// <summary>Baseline: SQLite R*Tree + exact refinement, JSON decode of each hit.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> Sqlite_BboxQuery() => (await Sqlite.ListZonesAsync(Query, CancellationToken.None)).Count;

    /// <summary>PostgreSQL GiST expression index on the box + exact refinement, JSON decode of each hit.</summary>
    [Benchmark]
    public async Task<int> Postgres_BboxQuery() => (await Postgres.ListZonesAsync(Query, CancellationToken.None)).Count;
}
