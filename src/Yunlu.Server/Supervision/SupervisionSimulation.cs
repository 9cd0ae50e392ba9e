using Microsoft.Extensions.Logging;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Sites;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Server.Api;
using Yunlu.Server.Hosting;
using Yunlu.Storage;
using Yunlu.Supervision;
using Yunlu.Supervision.Simulation;

namespace Yunlu.Server.Supervision;

/// <summary>Why a simulation could not start.</summary>
/// <param name="Field">The field at fault.</param>
/// <param name="Rule">The rule code.</param>
/// <param name="Message">The explanation.</param>
/// <param name="Unprocessable">True when the request was well-formed but the data cannot serve it (422).</param>
public sealed record SimulationError(string Field, string Rule, string Message, bool Unprocessable);

/// <summary>
/// The server-side <see cref="TrafficSimulator"/>: drones fly the stored sites' logistics (hub → drop point) and
/// sightseeing (vertiport → point of interest) routes in real time, one report per drone per second, through the same
/// ingestion queue as every other source; with faults, some go off-plan, fly into Prohibited or authorisation-required
/// zones, go silent, or converge in pairs. Their corridor intents are supervised (as external intents) so off-plan
/// drones become nonconforming. One simulation at a time; starting another replaces it.
/// </summary>
public sealed partial class SupervisionSimulation(
    SupervisionRuntime runtime,
    StartupState state,
    TimeProvider time,
    SupervisionServerOptions serverOptions,
    ILogger<SupervisionSimulation> logger) : IAsyncDisposable
{
    /// <summary>The external-intents tag of the simulation.</summary>
    public const string IntentTag = "simulation";

    /// <summary>Cruise of the logistics routes, metres AMSL (as <c>yunlu simulate</c>).</summary>
    public const double LogisticsCruiseAmslM = 1300;

    /// <summary>Cruise of the sightseeing routes, metres AMSL (as <c>yunlu simulate</c>).</summary>
    public const double SightseeingCruiseAmslM = 1320;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Running? _running;

    /// <summary>The running simulation, or null.</summary>
    public SimulationDto? Current => _running is { } r && !r.Task.IsCompleted ? r.ToDto(true) : null;

    /// <summary>Checks a request; null when valid.</summary>
    public static SimulationError? Validate(SimulationRequestDto request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Drones is { } d && d is < 1 or > 100_000)
        {
            return new SimulationError("drones", "drones-range", "drones: must be 1–100000", false);
        }

        if (request.Seconds is { } s && s is < 1 or > 86_400)
        {
            return new SimulationError("seconds", "seconds-range", "seconds: must be 1–86400", false);
        }

        return null;
    }

    /// <summary>Starts (or restarts) a simulation.</summary>
    /// <returns>The simulation, or the error.</returns>
    public async Task<(SimulationDto? Simulation, SimulationError? Error)> StartAsync(SimulationRequestDto request, CancellationToken cancellationToken)
    {
        if (Validate(request) is { } invalid)
        {
            return (null, invalid);
        }

        int drones = request.Drones ?? 200, seconds = request.Seconds ?? 600;
        bool faults = request.Faults ?? true;
        IYunluStore store = state.Store;
        IReadOnlyList<Site> sites = await store.ListSitesAsync(cancellationToken).ConfigureAwait(false);
        List<SimRoute> routes = Routes(sites);
        if (routes.Count == 0)
        {
            return (null, new SimulationError("drones", "routes-none", "the stored sites have no logistics hub with drop points nor vertiport with points of interest to fly between (load the demo data or import sites)", true));
        }

        List<GeoPoint> targets = [];
        if (faults)
        {
            foreach (StoredZone z in await ApiSupport.AllZonesAsync(store, null, cancellationToken).ConfigureAwait(false))
            {
                if (IncursionTarget(z.Zone) is { } p)
                {
                    targets.Add(p);
                }
            }
        }

        int per = faults ? Math.Max(1, drones / 20) : 0;
        int lost = per, offPlan = per, incursions = targets.Count > 0 ? per : 0;
        while (offPlan + incursions + lost > drones)
        {
            (lost, offPlan, incursions) = (Math.Max(0, lost - 1), offPlan > lost ? offPlan - 1 : offPlan, incursions > offPlan ? incursions - 1 : incursions);
        }

        DateTimeOffset start = time.GetUtcNow();
        var options = new SimulatorOptions
        {
            Drones = drones,
            Seed = request.Seed ?? 1,
            Start = start,
            OffPlan = offPlan,
            Incursions = incursions,
            IncursionTargets = targets,
            LostLinks = lost,
            ConvergingPairs = faults ? Math.Max(1, drones / 40) : 0,
            FaultWindowS = Math.Min(120, Math.Max(1, seconds / 2.0)),
            IntentHours = Math.Max(1, (seconds / 3600.0) + 0.5),
        };
        var sim = new TrafficSimulator(routes, options);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await StopCoreAsync().ConfigureAwait(false);
            runtime.SetExternalIntents(IntentTag, sim.Intents());
            var cts = new CancellationTokenSource();
            var running = new Running(sim, routes.Count, faults, seconds, start, cts);
            running.Task = Task.Run(() => RunAsync(running, cts.Token), CancellationToken.None);
            _running = running;
            LogStarted(logger, sim.Count, routes.Count, seconds, faults);
            return (running.ToDto(true), null);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the simulation.</summary>
    /// <returns>False when none was running.</returns>
    public async Task<bool> StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await StopCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopCoreAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    /// <summary>The demo routes from sites: each drop point from its nearest logistics hub, each point of interest from
    /// its nearest vertiport, ordered by site id.</summary>
    public static List<SimRoute> Routes(IReadOnlyList<Site> sites)
    {
        ArgumentNullException.ThrowIfNull(sites);
        var routes = new List<SimRoute>();
        AddRoutes(sites, SiteKind.LogisticsHub, SiteKind.DropPoint, "logistics", Altitude.Amsl(LogisticsCruiseAmslM), routes);
        AddRoutes(sites, SiteKind.Vertiport, SiteKind.PointOfInterest, "sightseeing", Altitude.Amsl(SightseeingCruiseAmslM), routes);
        return routes;
    }

    private static void AddRoutes(IReadOnlyList<Site> sites, SiteKind fromKind, SiteKind toKind, string prefix, Altitude cruise, List<SimRoute> routes)
    {
        var from = new List<Site>();
        var to = new List<Site>();
        foreach (Site s in sites)
        {
            if (s.Kind == fromKind)
            {
                from.Add(s);
            }
            else if (s.Kind == toKind)
            {
                to.Add(s);
            }
        }

        if (from.Count == 0)
        {
            return;
        }

        from.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        to.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        foreach (Site dest in to)
        {
            Site nearest = from[0];
            double best = double.MaxValue;
            foreach (Site f in from)
            {
                double d = Distance2(f.Position, dest.Position);
                if (d < best)
                {
                    (best, nearest) = (d, f);
                }
            }

            if (best > 0)
            {
                routes.Add(new SimRoute($"{prefix} {nearest.Id}-{dest.Id}", [nearest.Position, dest.Position], cruise));
            }
        }
    }

    private static double Distance2(GeoPoint a, GeoPoint b)
    {
        double dx = (a.LonDeg - b.LonDeg) * Math.Cos((a.LatDeg + b.LatDeg) * Math.PI / 360), dy = a.LatDeg - b.LatDeg;
        return (dx * dx) + (dy * dy);
    }

    private static GeoPoint? IncursionTarget(Zone z)
    {
        if (z.Restriction is not (ZoneRestriction.Prohibited or ZoneRestriction.ReqAuthorisation))
        {
            return null;
        }

        return z.Footprint switch
        {
            CircleFootprint c => c.Center,
            PolygonFootprint p => p.Polygon.InteriorPoint is Point inside ? new GeoPoint(inside.X, inside.Y) : null,
            _ => null,
        };
    }

    private async Task<bool> StopCoreAsync()
    {
        Running? r = _running;
        _running = null;
        if (r is null)
        {
            return false;
        }

        await r.Cts.CancelAsync().ConfigureAwait(false);
        try
        {
            await r.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        r.Cts.Dispose();
        runtime.SetExternalIntents(IntentTag, []);
        return true;
    }

    /// <summary>Steps the running simulation once at the clock's time (as its timer does every
    /// <see cref="SupervisionServerOptions.SimulationStepInterval"/>): for tools and tests that drive the clock.</summary>
    /// <returns>The reports queued, or -1 when no simulation runs or it has ended.</returns>
    internal int StepNow()
    {
        if (_running is not { } r || r.Task.IsCompleted)
        {
            return -1;
        }

        DateTimeOffset now = time.GetUtcNow();
        if (now > r.Start.AddSeconds(r.Seconds))
        {
            return -1;
        }

        var batch = new List<PositionReport>(r.Simulator.Count);
        r.Simulator.Step(now, batch);
        foreach (PositionReport p in batch)
        {
            runtime.TryIngest(p, IngestSource.Simulator);
        }

        Interlocked.Add(ref r.Reports, batch.Count);
        return batch.Count;
    }

    private async Task RunAsync(Running r, CancellationToken stop)
    {
        var batch = new List<PositionReport>(r.Simulator.Count);
        using var timer = new PeriodicTimer(serverOptions.SimulationStepInterval, time);
        DateTimeOffset end = r.Start.AddSeconds(r.Seconds);
        try
        {
            do
            {
                DateTimeOffset now = time.GetUtcNow();
                if (now > end)
                {
                    break;
                }

                batch.Clear();
                r.Simulator.Step(now, batch);
                foreach (PositionReport p in batch)
                {
                    runtime.TryIngest(p, IngestSource.Simulator);
                }

                Interlocked.Add(ref r.Reports, batch.Count);
            }
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        LogEnded(logger, Interlocked.Read(ref r.Reports));
    }

    [LoggerMessage(1330, LogLevel.Information, "Supervision simulation: {Drones} drones on {Routes} routes for {Seconds} s (faults: {Faults})")]
    private static partial void LogStarted(ILogger logger, int drones, int routes, int seconds, bool faults);

    [LoggerMessage(1331, LogLevel.Information, "Supervision simulation ended after {Reports} reports")]
    private static partial void LogEnded(ILogger logger, long reports);

    private sealed class Running(TrafficSimulator simulator, int routes, bool faults, int seconds, DateTimeOffset start, CancellationTokenSource cts)
    {
#pragma warning disable CA1051, SA1401 // A counter updated with Interlocked.
        public long Reports;
#pragma warning restore CA1051, SA1401

        public TrafficSimulator Simulator { get; } = simulator;

        public int Routes { get; } = routes;

        public bool Faults { get; } = faults;

        public int Seconds { get; } = seconds;

        public DateTimeOffset Start { get; } = start;

        public CancellationTokenSource Cts { get; } = cts;

        public Task Task { get; set; } = Task.CompletedTask;

        public SimulationDto ToDto(bool running) => new(running, Simulator.Count, Routes, Faults, Seconds, Start, Interlocked.Read(ref Reports));
    }
}
