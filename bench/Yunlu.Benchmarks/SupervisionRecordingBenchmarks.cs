using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Yunlu.Storage;
using Yunlu.Storage.Supervision;

namespace Yunlu.Benchmarks;

/// <summary>
/// The supervision recording on SQLite: one batch of <see cref="BatchRows"/> positions (divide by it for the cost per row) (20 200 aircraft in
/// turn, one row per aircraft per second, as the live recorder writes them) appended to a recording that already
/// holds <see cref="PrefillRows"/> rows. Baseline: the previous write (one prepared single-row INSERT re-bound per row,
/// the default page cache, rows in arrival order); against it the store's <see cref="SqliteSupervisionStore.AppendPositionsAsync"/>
/// (the same single-row INSERT, rows in (aircraft, time) order, 64 MiB page cache).
/// </summary>
[MemoryDiagnoser]
public class SupervisionRecordingBenchmarks
{
    private const int Aircraft = 20_200;
    private const long T0Us = 1_764_000_000_000_000;
    private string _folder = "";
    private string _path = "";
    private ISupervisionStore? _store;
    private RecordedPosition[] _batch = [];
    private long _next;

    /// <summary>Rows already recorded before the measured appends.</summary>
    [Params(2_000_000)]
    public int PrefillRows { get; set; }

    /// <summary>Rows per appended batch: 8 192 (the recorder's old batch, under half a second of 20 200 aircraft) or
    /// 101 000 (five seconds: five rows per aircraft per commit).</summary>
    [Params(8192, 101_000)]
    public int BatchRows { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "yunlu-recbench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _path = Path.Combine(_folder, "rec.db");
        IYunluStore migrated = await YunluStoreFactory.OpenAsync(_path, null, CancellationToken.None);
        await migrated.DisposeAsync();
        _store = SupervisionStoreFactory.Create(_path);
        _batch = new RecordedPosition[BatchRows];
        while (_next < PrefillRows)
        {
            Fill();
            await _store.AppendPositionsAsync(_batch, CancellationToken.None);
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private void Fill()
    {
        for (int i = 0; i < BatchRows; i++, _next++)
        {
            int a = (int)(_next % Aircraft);
            long second = _next / Aircraft;
            _batch[i] = new RecordedPosition("SIM-" + a.ToString("D5", CultureInfo.InvariantCulture), T0Us + (second * 1_000_000) + a, 26.6 + (a * 1e-5), 106.7,
                double.NaN, 1300, 120, 1, 2, 0, 1 << 9, 0);
        }
    }

    [Benchmark(Baseline = true)]
    public async Task SingleRowInserts()
    {
        Fill();
        await using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = true }.ToString());
        await conn.OpenAsync();
        await using (var pragma = conn.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=NORMAL;";
            await pragma.ExecuteNonQueryAsync();
        }

        await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync();
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO sup_positions (aircraft_id, t_us, lat, lon, alt_w84, alt_amsl, alt_agl, vn, ve, vu, sources, flags) " +
                          "VALUES (@id, @t, @lat, @lon, @w84, @amsl, @agl, @vn, @ve, @vu, @src, @flags);";
        SqliteParameter id = cmd.Parameters.Add("@id", SqliteType.Text), t = cmd.Parameters.Add("@t", SqliteType.Integer);
        SqliteParameter lat = cmd.Parameters.Add("@lat", SqliteType.Real), lon = cmd.Parameters.Add("@lon", SqliteType.Real);
        SqliteParameter w84 = cmd.Parameters.Add("@w84", SqliteType.Real), amsl = cmd.Parameters.Add("@amsl", SqliteType.Real);
        SqliteParameter agl = cmd.Parameters.Add("@agl", SqliteType.Real), vn = cmd.Parameters.Add("@vn", SqliteType.Real);
        SqliteParameter ve = cmd.Parameters.Add("@ve", SqliteType.Real), vu = cmd.Parameters.Add("@vu", SqliteType.Real);
        SqliteParameter src = cmd.Parameters.Add("@src", SqliteType.Integer), flags = cmd.Parameters.Add("@flags", SqliteType.Integer);
        await cmd.PrepareAsync();
        foreach (RecordedPosition r in _batch)
        {
            id.Value = r.AircraftId;
            t.Value = r.TimeUs;
            lat.Value = r.LatDeg;
            lon.Value = r.LonDeg;
            w84.Value = double.IsNaN(r.AltW84M) ? DBNull.Value : r.AltW84M;
            amsl.Value = double.IsNaN(r.AltAmslM) ? DBNull.Value : r.AltAmslM;
            agl.Value = double.IsNaN(r.AltAglM) ? DBNull.Value : r.AltAglM;
            vn.Value = r.VnMps;
            ve.Value = r.VeMps;
            vu.Value = r.VuMps;
            src.Value = r.Sources;
            flags.Value = r.Flags;
            await cmd.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
    }

    [Benchmark]
    public Task StoreAppend()
    {
        Fill();
        return _store!.AppendPositionsAsync(_batch, CancellationToken.None);
    }
}
