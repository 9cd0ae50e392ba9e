using Yunlu.Airspace.Checks;
using Yunlu.Airspace.Corridors;
using Yunlu.Airspace.Grid;
using Yunlu.Airspace.Rules;
using Yunlu.Airspace.Validation;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Server.Api;
using Yunlu.Server.Imports;
using Yunlu.Storage;
using Yunlu.Storage.Airspace;
using Yunlu.Terrain.Weather;

namespace Yunlu.Server.Airspace;

/// <summary>Everything the airspace answers are derived from, as of one <see cref="AirspaceStamp"/>.</summary>
public sealed class AirspaceData
{
    private readonly Lazy<WindField?> _wind;

    internal AirspaceData(AirspaceStamp stamp, IReadOnlyList<Zone> zones, IReadOnlyList<AirwayNode> nodes, IReadOnlyList<StoredCorridor> corridors,
        AirwayGraph? graph, IReadOnlyList<StoredGridOverride> overrides, IReadOnlyList<WeatherObservation> observations)
    {
        Stamp = stamp;
        Zones = zones;
        Nodes = nodes;
        Corridors = corridors;
        Graph = graph;
        Overrides = overrides;
        Observations = observations;
        _wind = new Lazy<WindField?>(() => AirspaceService.BuildWind(observations), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The stamp the data was read at.</summary>
    public AirspaceStamp Stamp { get; }

    /// <summary>Every stored zone.</summary>
    public IReadOnlyList<Zone> Zones { get; }

    /// <summary>Airway nodes.</summary>
    public IReadOnlyList<AirwayNode> Nodes { get; }

    /// <summary>Stored corridors.</summary>
    public IReadOnlyList<StoredCorridor> Corridors { get; }

    /// <summary>The airway graph (null when the stored network does not validate).</summary>
    public AirwayGraph? Graph { get; }

    /// <summary>Managers' grid overrides at every level.</summary>
    public IReadOnlyList<StoredGridOverride> Overrides { get; }

    /// <summary>Weather-station observations.</summary>
    public IReadOnlyList<WeatherObservation> Observations { get; }

    /// <summary>The wind field interpolated from <see cref="Observations"/> (null when there are none).</summary>
    public WindField? Wind => _wind.Value;
}

/// <summary>
/// The server's airspace model: reads zones, the airway graph, grid overrides and observations from the stores, caches
/// what is derived from them (gridded airspace, wind field, checker) until the store's <see cref="AirspaceStamp"/> or
/// the terrain changes — so several servers over one database agree — and answers "can I fly here?".
/// </summary>
public sealed class AirspaceService(IYunluStore store, IAirspaceStore airspace, TerrainService terrain)
{
    /// <summary>The grid level the check reports cells at (level 6: 2″ × 2″ ≈ 55 × 62 m at Guiyang).</summary>
    public const int CheckGridLevel = 6;

    /// <summary>Wind-field node spacing upper bound: at most this many nodes per side.</summary>
    public const int MaxWindNodesPerSide = 40;

    /// <summary>Most time steps of the wind field.</summary>
    public const int MaxWindSteps = 145;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, object> _derived = new(StringComparer.Ordinal);
    private volatile AirspaceData? _data;

    /// <summary>The rule set in force.</summary>
    public static RuleSet Rules => RuleSet.China2024;

    /// <summary>The airspace store.</summary>
    public IAirspaceStore Store => airspace;

    /// <summary>The current data, re-read when the stamp changed.</summary>
    public async Task<AirspaceData> GetDataAsync(CancellationToken cancellationToken)
    {
        AirspaceStamp stamp = await airspace.GetStampAsync(cancellationToken).ConfigureAwait(false);
        AirspaceData? current = _data;
        if (current is not null && current.Stamp == stamp)
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = _data;
            if (current is not null && current.Stamp == stamp)
            {
                return current;
            }

            IReadOnlyList<StoredZone> zones = await ApiSupport.AllZonesAsync(store, null, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<AirwayNode> nodes = await airspace.ListAirwayNodesAsync(cancellationToken).ConfigureAwait(false);
            IReadOnlyList<StoredCorridor> corridors = await airspace.ListCorridorsAsync(cancellationToken).ConfigureAwait(false);
            IReadOnlyList<StoredGridOverride> overrides = await airspace.ListGridOverridesAsync(null, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<WeatherObservation> observations = await airspace.ListWeatherObservationsAsync(null, null, cancellationToken).ConfigureAwait(false);
            AirwayGraph? graph;
            try
            {
                graph = AirwayGraph.Create(nodes, corridors.Select(c => c.Corridor).ToList());
            }
            catch (AirspaceValidationException)
            {
                graph = null;
            }

            var data = new AirspaceData(stamp, zones.Select(z => z.Zone).ToList(), nodes, corridors, graph, overrides, observations);
            lock (_derived)
            {
                _derived.Clear();
            }

            _data = data;
            return data;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The gridded airspace at <paramref name="level"/> with zones active at <paramref name="at"/>, corridors and
    /// the overrides of that level.</summary>
    public async Task<GriddedAirspace> GridAsync(int level, DateTimeOffset at, CancellationToken cancellationToken)
    {
        AirspaceData data = await GetDataAsync(cancellationToken).ConfigureAwait(false);
        return Grid(data, level, at);
    }

    /// <summary>Answers "can I fly here?" over the stored airspace, the terrain and the wind.</summary>
    /// <exception cref="ArgumentException">The request is malformed (the message names the field).</exception>
    public async Task<CheckResult> CheckAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        AirspaceData data = await GetDataAsync(cancellationToken).ConfigureAwait(false);
        TerrainSnapshot snapshot = await terrain.GetAsync(cancellationToken).ConfigureAwait(false);
        GriddedAirspace grid = Grid(data, CheckGridLevel, request.Time.Start);
        string key = "checker|" + snapshot.Signature + "|" + GridKey(data, CheckGridLevel, request.Time.Start);
        AirspaceChecker checker = Derived(key, () => new AirspaceChecker(
            data.Zones,
            Rules,
            new CheckContext(
                snapshot.HasDem ? snapshot.Ground : null,
                snapshot.HasDem ? snapshot.Surface.SurfaceAmslM : null,
                data.Graph,
                grid,
                data.Wind)));
        return checker.Check(request);
    }

    /// <summary>Builds the wind field over the stations' box (padded by 0.05°, at most
    /// <see cref="MaxWindNodesPerSide"/>² nodes) from 30 min before the first observation to 30 min after the last (at most
    /// <see cref="MaxWindSteps"/> steps of at least 10 min). Null without observations.</summary>
    public static WindField? BuildWind(IReadOnlyList<WeatherObservation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.Count == 0)
        {
            return null;
        }

        double w = double.MaxValue, s = double.MaxValue, e = double.MinValue, n = double.MinValue;
        DateTimeOffset t0 = DateTimeOffset.MaxValue, t1 = DateTimeOffset.MinValue;
        foreach (WeatherObservation o in observations)
        {
            (w, s) = (Math.Min(w, o.Position.LonDeg), Math.Min(s, o.Position.LatDeg));
            (e, n) = (Math.Max(e, o.Position.LonDeg), Math.Max(n, o.Position.LatDeg));
            t0 = o.Time < t0 ? o.Time : t0;
            t1 = o.Time > t1 ? o.Time : t1;
        }

        const double Pad = 0.05;
        (w, s, e, n) = (w - Pad, s - Pad, e + Pad, n + Pad);
        double cell = Math.Max(0.005, Math.Max(e - w, n - s) / (MaxWindNodesPerSide - 1));
        int cols = Math.Min(MaxWindNodesPerSide, (int)Math.Ceiling((e - w) / cell) + 1);
        int rows = Math.Min(MaxWindNodesPerSide, (int)Math.Ceiling((n - s) / cell) + 1);
        DateTimeOffset start = t0 - TimeSpan.FromMinutes(30);
        TimeSpan span = t1 + TimeSpan.FromMinutes(30) - start;
        TimeSpan step = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(10).Ticks, (span.Ticks / (MaxWindSteps - 1)) + 1));
        int steps = Math.Max(2, (int)(span.Ticks / step.Ticks) + 2);
        return WindField.FromObservations(observations, new WindGridSpec(w, s, cell, cell, cols, rows), start, step, Math.Min(steps, MaxWindSteps));
    }

    private GriddedAirspace Grid(AirspaceData data, int level, DateTimeOffset at)
    {
        string key = "grid|" + GridKey(data, level, at);
        return Derived(key, () => GriddedAirspace.Build(
            level,
            data.Zones,
            data.Corridors.Select(c => c.Corridor),
            at,
            null,
            data.Overrides.Where(o => o.Level == level).Select(AirspaceMapping.ToDomain)));
    }

    private static string GridKey(AirspaceData data, int level, DateTimeOffset at)
    {
        // Zones' schedules make the grid time-dependent: the set of active zones is the key, not the instant.
        var active = new System.Text.StringBuilder(256);
        active.Append(level).Append('|');
        foreach (Zone z in data.Zones)
        {
            if (z.IsActiveAt(at))
            {
                active.Append(z.Identifier).Append(',');
            }
        }

        return active.ToString();
    }

    private T Derived<T>(string key, Func<T> build)
        where T : class
    {
        lock (_derived)
        {
            if (_derived.TryGetValue(key, out object? found))
            {
                return (T)found;
            }
        }

        T value = build();
        lock (_derived)
        {
            if (_derived.Count > 64)
            {
                _derived.Clear();
            }

            _derived[key] = value;
        }

        return value;
    }
}
