using System.Diagnostics;
using System.Globalization;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using Yunlu.Airspace.Operations;
using Yunlu.Geo;

namespace Yunlu.Benchmarks;

/// <summary>
/// The PostGIS baseline of <c>ops-index</c> (issue 4): the same corridor volumes loaded (binary COPY) into a table
/// with a multicolumn GiST index on (footprint geometry, altitude numrange, time tstzrange) (btree_gist), the same
/// queries run against both, the answers compared for identity (same intent ids per query; any mismatch fails the
/// run), p50/p99 side by side. Query: <c>alt &amp;&amp; numrange(lo, hi, '[)') AND during &amp;&amp; tstzrange(s, e, '[)')
/// AND ST_Intersects(footprint, q)</c> — the same half-open altitude/time and closed-footprint semantics as
/// <see cref="Volume4D.Intersects"/>.
/// </summary>
internal static class OperationsPostgisBaseline
{
    private const string Table = "ops_bench_volumes";

    /// <summary>Loads the first <paramref name="rows"/> volumes, runs <paramref name="queries"/> queries against
    /// PostGIS and the index, and reports. Returns the number of mismatching queries.</summary>
    public static int Run(string connectionString, IntentIndex index, Volume4D[] volumes, Guid[] ids, int rows, Volume4D[] qs, int queries)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseNetTopologySuite();
        builder.ConnectionStringBuilder.CommandTimeout = 0;
        using NpgsqlDataSource ds = builder.Build();
        using NpgsqlConnection conn = ds.OpenConnection();
        Exec(conn, "CREATE EXTENSION IF NOT EXISTS postgis");
        Exec(conn, "CREATE EXTENSION IF NOT EXISTS btree_gist");
        conn.ReloadTypes();
        Exec(conn, $"DROP TABLE IF EXISTS {Table}");
        Exec(conn, $"CREATE UNLOGGED TABLE {Table} (id uuid NOT NULL, footprint geometry(Polygon, 4326) NOT NULL, alt numrange NOT NULL, during tstzrange NOT NULL)");

        var sw = Stopwatch.StartNew();
        using (NpgsqlBinaryImporter copy = conn.BeginBinaryImport($"COPY {Table} (id, footprint, alt, during) FROM STDIN (FORMAT BINARY)"))
        {
            for (int i = 0; i < rows; i++)
            {
                Volume4D v = volumes[i];
                copy.StartRow();
                copy.Write(ids[i], NpgsqlDbType.Uuid);
                copy.Write(((PolygonFootprint)v.Volume.Footprint).Polygon, NpgsqlDbType.Geometry);
                copy.Write(AltRange(v), NpgsqlDbType.NumericRange);
                copy.Write(TimeRange(v.Time), NpgsqlDbType.TimestampTzRange);
            }

            copy.Complete();
        }

        double loadS = sw.Elapsed.TotalSeconds;
        sw.Restart();
        Exec(conn, $"CREATE INDEX {Table}_gist ON {Table} USING gist (footprint, alt, during)");
        double indexS = sw.Elapsed.TotalSeconds;
        Exec(conn, $"VACUUM ANALYZE {Table}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"postgis: {rows:N0} rows loaded (binary COPY) in {loadS:0.0} s, multicolumn GiST (footprint, alt numrange, during tstzrange) built in {indexS:0.0} s"));

        using var cmd = new NpgsqlCommand(
            $"SELECT id FROM {Table} WHERE footprint && $1 AND alt && $2 AND during && $3 AND ST_Intersects(footprint, $1)", conn);
        var pGeom = new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Geometry, Value = ((PolygonFootprint)qs[0].Volume.Footprint).Polygon };
        var pAlt = new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.NumericRange, Value = AltRange(qs[0]) };
        var pTime = new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTzRange, Value = TimeRange(qs[0].Time) };
        cmd.Parameters.Add(pGeom);
        cmd.Parameters.Add(pAlt);
        cmd.Parameters.Add(pTime);
        cmd.Prepare();
        using (var explain = new NpgsqlCommand("EXPLAIN " + cmd.CommandText, conn))
        {
            explain.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Geometry, Value = pGeom.Value });
            explain.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.NumericRange, Value = pAlt.Value });
            explain.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTzRange, Value = pTime.Value });
            using NpgsqlDataReader r = explain.ExecuteReader();
            Console.WriteLine("  plan:");
            while (r.Read())
            {
                Console.WriteLine("    " + r.GetString(0));
            }
        }

        // With a subset loaded, the index's answer restricted to the loaded ids is the subset's exact answer.
        HashSet<Guid>? loaded = rows < ids.Length ? [.. ids.AsSpan(0, rows).ToArray()] : null;
        var pg = new double[queries];
        var ix = new double[queries];
        var fromPg = new List<Guid>();
        var fromIndex = new List<Guid>();
        var hits = new List<IndexHit>();
        int mismatches = 0;
        long total = 0;
        for (int i = 0; i < queries + 50; i++)
        {
            Volume4D q = qs[i % qs.Length];
            pGeom.Value = ((PolygonFootprint)q.Volume.Footprint).Polygon;
            pAlt.Value = AltRange(q);
            pTime.Value = TimeRange(q.Time);
            fromPg.Clear();
            long t0 = Stopwatch.GetTimestamp();
            using (NpgsqlDataReader r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    fromPg.Add(r.GetGuid(0));
                }
            }

            double pgUs = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            hits.Clear();
            t0 = Stopwatch.GetTimestamp();
            index.Query(q, hits);
            double ixUs = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            fromIndex.Clear();
            foreach (IndexHit h in hits)
            {
                if (loaded is null || loaded.Contains(h.IntentId))
                {
                    fromIndex.Add(h.IntentId);
                }
            }

            fromPg.Sort();
            fromIndex.Sort();
            if (i < 50)
            {
                continue; // warm-up (plan cache, buffers)
            }

            pg[i - 50] = pgUs;
            ix[i - 50] = ixUs;
            total += fromPg.Count;
            if (!fromPg.SequenceEqual(fromIndex))
            {
                mismatches++;
                if (mismatches <= 5)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  MISMATCH query {i}: postgis {fromPg.Count} ids, index {fromIndex.Count} ids; only postgis [{string.Join(", ", fromPg.Except(fromIndex))}], only index [{string.Join(", ", fromIndex.Except(fromPg))}]"));
                }
            }
        }

        double pg50 = Pct(pg, 0.5), pg99 = Pct(pg, 0.99), ix50 = Pct(ix, 0.5), ix99 = Pct(ix, 0.99);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"postgis vs index, {queries} queries over {rows:N0} volumes ({total / (double)queries:0.00} hits/query), identical answers {queries - mismatches}/{queries}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  postgis (GiST, prepared, one connection): p50={pg50:0.0} µs p95={Pct(pg, 0.95):0.0} µs p99={pg99:0.0} µs mean={pg.Average():0.0} µs"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  index (same queries, interleaved):        p50={ix50:0.0} µs p95={Pct(ix, 0.95):0.0} µs p99={ix99:0.0} µs mean={ix.Average():0.0} µs"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  ratio postgis/index: p50 {pg50 / ix50:0.0}x, p99 {pg99 / ix99:0.0}x (issue 4 asks >= 20x)"));
        Exec(conn, $"DROP TABLE IF EXISTS {Table}");
        return mismatches;
    }

    private static NpgsqlRange<decimal> AltRange(Volume4D v) =>
        new((decimal)v.Volume.Lower.ValueM, true, false, (decimal)v.Volume.Upper.ValueM, false, false);

    private static NpgsqlRange<DateTime> TimeRange(TimeWindow w) =>
        new(w.Start.UtcDateTime, true, false, w.End.UtcDateTime, false, false);

    private static double Pct(double[] us, double p)
    {
        double[] s = [.. us];
        Array.Sort(s);
        return s[Math.Min(s.Length - 1, (int)Math.Ceiling(p * s.Length) - 1)];
    }

    private static void Exec(NpgsqlConnection conn, string sql)
    {
        using var c = new NpgsqlCommand(sql, conn);
        c.ExecuteNonQuery();
    }
}
