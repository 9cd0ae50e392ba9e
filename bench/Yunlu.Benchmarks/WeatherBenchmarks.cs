using BenchmarkDotNet.Attributes;
using Yunlu.Geo;
using Yunlu.Terrain.Weather;

namespace Yunlu.Benchmarks;

/// <summary>Wind queries at random 4-D points over a 100 × 100 node field with 24 hourly steps built from 30 stations;
/// baseline: the naive method (inverse-distance weighting over all station observations at query time, with the
/// log profile and time interpolation done per query).</summary>
[MemoryDiagnoser]
public class WeatherWindQueryBenchmarks
{
    private const int N = 4096;
    private readonly GeoPoint[] _p = new GeoPoint[N];
    private readonly double[] _h = new double[N];
    private readonly DateTimeOffset[] _t = new DateTimeOffset[N];
    private WindField _field = null!;
    private WeatherObservation[] _obs = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        var t0 = new DateTimeOffset(2025, 6, 10, 0, 0, 0, TimeSpan.Zero);
        var obs = new List<WeatherObservation>();
        for (int s = 0; s < 30; s++)
        {
            var pos = new GeoPoint(106.5 + (rng.NextDouble() * 0.5), 26.3 + (rng.NextDouble() * 0.5));
            for (int h = 0; h <= 24; h++)
            {
                obs.Add(new WeatherObservation($"S{s}", t0.AddHours(h), pos, 10, rng.NextDouble() * 12, rng.NextDouble() * 360, null, null, null, null));
            }
        }

        _obs = [.. obs];
        var spec = new WindGridSpec(106.5, 26.3, 0.005, 0.005, 101, 101);
        _field = WindField.FromObservations(_obs, spec, t0, TimeSpan.FromHours(1), 25,
            p => p.LonDeg < 106.7 ? LandUseClass.Urban : LandUseClass.Open);
        for (int i = 0; i < N; i++)
        {
            _p[i] = new GeoPoint(106.5 + (rng.NextDouble() * 0.5), 26.3 + (rng.NextDouble() * 0.5));
            _h[i] = 5 + (rng.NextDouble() * 200);
            _t[i] = t0.AddMinutes(rng.NextDouble() * 24 * 60);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public double NaiveIdwFromStations()
    {
        double sum = 0;
        for (int i = 0; i < N; i++)
        {
            sum += NaiveWind(_p[i], _h[i], _t[i]);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public double WindFieldQuery()
    {
        double sum = 0;
        for (int i = 0; i < N; i++)
        {
            _field.TryQuery(_p[i], _h[i], _t[i], out WindVector w);
            sum += w.EastMps;
        }

        return sum;
    }

    private double NaiveWind(GeoPoint p, double h, DateTimeOffset t)
    {
        // For each station: bracket t among its observations (linear scan), interpolate, scale, weight by 1/d².
        double wsum = 0, u = 0;
        string? current = null;
        WeatherObservation? before = null, after = null;
        for (int i = 0; i <= _obs.Length; i++)
        {
            WeatherObservation? o = i < _obs.Length ? _obs[i] : null;
            if (o is null || !string.Equals(o.StationId, current, StringComparison.Ordinal))
            {
                if (before is not null && after is not null)
                {
                    double f = (t - before.Time) / (after.Time - before.Time);
                    double speed = before.WindSpeedMps + (f * (after.WindSpeedMps - before.WindSpeedMps));
                    double z0 = before.Position.LonDeg < 106.7 ? 1.5 : 0.03;
                    double scaled = LogWindProfile.Scale(speed, 10, h, z0);
                    double d = Geodesic.HaversineM(p, before.Position);
                    double w = 1 / Math.Max(1, d * d);
                    wsum += w;
                    u += w * -scaled * Math.Sin(before.WindFromDeg * Math.PI / 180);
                }

                current = o?.StationId;
                before = after = null;
            }

            if (o is null)
            {
                break;
            }

            if (o.Time <= t)
            {
                before = o;
            }
            else
            {
                after ??= o;
            }
        }

        return wsum > 0 ? u / wsum : 0;
    }
}
