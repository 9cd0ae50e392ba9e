using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yunlu.Airspace.Operations;
using Yunlu.Airspace.Zones;
using Yunlu.Geo.Diagnostics;
using Yunlu.Geo;
using Yunlu.Server.Api;
using Yunlu.Server.Hosting;
using Yunlu.Server.Imports;
using Yunlu.Server.Operations;
using Yunlu.Storage;
using Yunlu.Storage.Supervision;
using Yunlu.Supervision;
using Yunlu.Supervision.Alerts;
using Yunlu.Supervision.Checks;
using Yunlu.Supervision.Tracks;

namespace Yunlu.Server.Supervision;

/// <summary>The live picture published after each cycle (immutable; readers share it).</summary>
/// <param name="TimeUtc">The cycle time.</param>
/// <param name="Tracks">Every track.</param>
/// <param name="PositionsPerSecond">Positions taken in per second since the previous cycle.</param>
/// <param name="Cycles">Cycles so far.</param>
/// <param name="LastCycleMs">Duration of the checks of this cycle, ms.</param>
public sealed record SupervisionSnapshot(DateTimeOffset TimeUtc, TrackDto[] Tracks, double PositionsPerSecond, long Cycles, double LastCycleMs);

/// <summary>
/// The hosted supervision runtime: one bounded ingestion queue (full = counted drops) fed by every transport, and one
/// loop that owns the <see cref="SupervisionEngine"/>: it takes positions into tracks as they arrive and runs the checks
/// every <see cref="SupervisionServerOptions.CycleInterval"/> against the stored zones and the Activated intents of the
/// operations runtime, then publishes the picture, pushes alert events (SignalR, webhooks), records, and moves intents
/// to Nonconforming / Contingent (and back to Activated) through the operations state machine.
/// </summary>
/// <remarks>The engine is rebuilt when the stored zones or the terrain change and when silent tracks are forgotten;
/// alerts keep their ids over a rebuild (<see cref="AlertRegistry"/>), and a nonconforming intent's contingent clock
/// keeps running over a rebuild and a restart (its start is handed to the new engine and stored, migration 7).</remarks>
public sealed partial class SupervisionRuntime : BackgroundService
{
    private readonly SupervisionServerOptions _o;
    private readonly YunluServerOptions _server;
    private readonly StartupState _state;
    private readonly TimeProvider _time;
    private readonly IServiceProvider _services;
    private readonly SupervisionBroadcast _broadcast;
    private readonly ILogger<SupervisionRuntime> _logger;
    private readonly Channel<Queued> _queue;
    private readonly Channel<PositionBatch> _batches = Channel.CreateUnbounded<PositionBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private long _batchedPositions;
    private long _lastCheckTimestamp;
    private long _lastCheckTicks;
    private long _lastCheckCpuNs;
    private long _takenSinceCheck;
    private readonly Channel<Command> _commands = Channel.CreateUnbounded<Command>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<(Guid Id, IntentState To, string Reason)> _intentChanges = Channel.CreateUnbounded<(Guid, IntentState, string)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<Guid> _pendingChanges = [];
    private readonly Lock _pendingGate = new();
    private readonly List<AlertEvent> _events = [];
    private readonly List<AlertDto> _published = [];
    private readonly List<RecordedAlertEvent> _recordedEvents = [];
    private readonly Dictionary<string, IntentLink> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IntentLink> _byAircraft = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SupervisedIntent>> _external = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seenIntents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _nonconformingSince = new(StringComparer.Ordinal);
    private readonly Channel<(string IntentId, long? SinceUs)> _sinceWrites = Channel.CreateUnbounded<(string, long?)>(new UnboundedChannelOptions { SingleReader = true });
    private ISupervisionStore? _store;
    private Task _sinceWriter = Task.CompletedTask;
    private IReadOnlyList<Zone> _zones = [];
    private string _zoneSignature = "";
    private string _terrainSignature = "";
    private AltitudeConverter? _converter;
    private TrackStore? _tracks;
    private SupervisionEngine? _engine;
    private SupervisionRecorder? _recorder;
    private ISupervisionStore? _recording;
    private long[] _lastRecordedTicks = [];
    private byte[] _conformance = [];
    private bool _carryPending;
    private long _ingestedSinceCycle;
    private long _lastCycleTimestamp;
    private DateTimeOffset _lastForget;
    private DateTimeOffset _lastSeal;
    private volatile SupervisionSnapshot _snapshot;

    /// <summary>Creates the runtime (it starts with the host).</summary>
    public SupervisionRuntime(YunluServerOptions server, SupervisionServerOptions options, StartupState state, TimeProvider time, IServiceProvider services,
        SupervisionBroadcast broadcast, ILogger<SupervisionRuntime> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _server = server;
        _o = options;
        _state = state;
        _time = time;
        _services = services;
        _broadcast = broadcast;
        _logger = logger;
        _queue = Channel.CreateBounded<Queued>(new BoundedChannelOptions(Math.Max(1024, options.QueueCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        _snapshot = new SupervisionSnapshot(time.GetUtcNow(), [], 0, 0, 0);
        _lastForget = time.GetUtcNow();
    }

    /// <summary>The options.</summary>
    public SupervisionServerOptions Options => _o;

    /// <summary>Counters per transport.</summary>
    public IngestCounters Counters { get; } = new();

    /// <summary>The alerts.</summary>
    public AlertRegistry Alerts { get; } = new();

    /// <summary>The recording, or null when recording is off or the runtime has not started.</summary>
    public ISupervisionStore? Recording => _recording;

    /// <summary>The recorder, or null.</summary>
    public SupervisionRecorder? Recorder => _recorder;

    /// <summary>The latest published picture.</summary>
    public SupervisionSnapshot Snapshot => _snapshot;

    /// <summary>Positions waiting in the ingestion queue (single positions and batches).</summary>
    public int QueueDepth => (_queue.Reader.CanCount ? _queue.Reader.Count : 0) + (int)Math.Min(int.MaxValue, Interlocked.Read(ref _batchedPositions));

    /// <summary>Per-stage cost counters of the pipeline (parse, track update, checks, alerts, publish, recorder, push).</summary>
    public SupervisionStages Stages => _broadcast.Stages;

    /// <summary>Check runs so far (triggered by positions or by the cycle timer).</summary>
    public long CheckRuns { get; private set; }

    /// <summary>
    /// Queues a whole batch (one WebSocket message or HTTP batch) for the engine loop as one item. Never blocks: when
    /// the positions waiting would exceed <see cref="SupervisionServerOptions.QueueCapacity"/> the whole batch is
    /// dropped and counted. The runtime owns the batch afterwards (it returns it to the pool).
    /// </summary>
    /// <param name="batch">The positions (validated by the engine; invalid ones are counted as rejected).</param>
    /// <returns>False when dropped.</returns>
    public bool TryIngest(PositionBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int n = batch.Count;
        IngestSource source = batch.Source;
        if (n == 0)
        {
            PositionBatch.Return(batch);
            return true;
        }

        if (Interlocked.Add(ref _batchedPositions, n) > Math.Max(1024, _o.QueueCapacity) || !_batches.Writer.TryWrite(batch))
        {
            Interlocked.Add(ref _batchedPositions, -n);
            PositionBatch.Return(batch);
            Counters.Dropped(source, n);
            return false;
        }

        Counters.Received(source, n);
        return true;
    }

    /// <summary>Queues a position for supervision. Never blocks: when the queue is full the position is dropped and counted.</summary>
    /// <param name="report">The position (validated by the engine; invalid ones are counted as rejected).</param>
    /// <param name="source">The transport, for the counters.</param>
    /// <returns>False when dropped.</returns>
    public bool TryIngest(in PositionReport report, IngestSource source)
    {
        if (_queue.Writer.TryWrite(new Queued(report, source)))
        {
            Counters.Received(source);
            return true;
        }

        Counters.Dropped(source);
        return false;
    }

    /// <summary>Takes everything queued so far into tracks and, when asked, runs a cycle and/or waits until the
    /// recording holds everything taken in (tests, tools, shutdown).</summary>
    public Task SyncAsync(bool runCycle, bool flushRecording, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _commands.Writer.TryWrite(new SyncCommand(done, runCycle, flushRecording));
        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Re-reads the stored zones and the terrain now (rebuilding the engine when they changed).</summary>
    public Task RefreshZonesAsync(CancellationToken cancellationToken) => PollZonesAsync(force: false, cancellationToken);

    /// <summary>Supervises extra intents under a tag (e.g. the simulator's corridors), replacing that tag's previous ones.</summary>
    public void SetExternalIntents(string tag, IReadOnlyList<SupervisedIntent> intents) =>
        _commands.Writer.TryWrite(new ExternalIntentsCommand(tag, intents));

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        string target = string.IsNullOrWhiteSpace(_server.PostgresConnectionString) ? _server.SqlitePath : _server.PostgresConnectionString;
        ISupervisionStore store = SupervisionStoreFactory.Create(target, YunluStoreOptions.Default with { TimeProvider = _time, Migrate = false });
        _store = store;
        foreach (KeyValuePair<string, long> since in await store.NonconformingSinceAsync(cancellationToken).ConfigureAwait(false))
        {
            _nonconformingSince[since.Key] = since.Value;
        }

        _sinceWriter = Task.Run(() => WriteNonconformingSinceAsync(store), CancellationToken.None);
        if (_o.Record)
        {
            _recording = store;
            Alerts.ContinueAfter(await _recording.MaxAlertIdAsync(cancellationToken).ConfigureAwait(false));
            _recorder = new SupervisionRecorder(_recording, _o.RecordRetention, _time, _logger) { Stages = _broadcast.Stages };
        }

        await PollZonesAsync(force: true, cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_recorder is not null)
        {
            // Once the loop has ended (it owns the buffer), write the positions gathered since the last batch.
            if (ExecuteTask is null || ExecuteTask.IsCompleted)
            {
                _recorder.Seal();
            }

            await _recorder.DisposeAsync().ConfigureAwait(false);
        }

        _sinceWrites.Writer.TryComplete();
        await _sinceWriter.ConfigureAwait(false);
        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Writes the contingent clocks' starts (<see cref="ISupervisionStore.SetNonconformingSinceAsync"/>) in
    /// order, off the engine loop, until the runtime stops.</summary>
    private async Task WriteNonconformingSinceAsync(ISupervisionStore store)
    {
        await foreach (var (intentId, sinceUs) in _sinceWrites.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await store.SetNonconformingSinceAsync(intentId, sinceUs, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogSinceWriteFailed(_logger, ex, intentId);
            }
        }
    }

    /// <summary>Keeps the stored contingent clocks in step with the engine: each ops intent's nonconforming moment is
    /// written when it starts and forgotten when the intent conforms again, becomes Contingent or leaves supervision.</summary>
    private void PersistNonconformingSince()
    {
        foreach (IntentLink link in _links.Values)
        {
            if (link.OpsId is null)
            {
                continue;
            }

            long? since = _engine!.NonconformingSince(link.IntentId) is { } t ? Micros.From(t) : null;
            bool known = _nonconformingSince.TryGetValue(link.IntentId, out long stored);
            if (since is { } us ? known && stored == us : !known)
            {
                continue;
            }

            if (since is { } value)
            {
                _nonconformingSince[link.IntentId] = value;
            }
            else
            {
                _nonconformingSince.Remove(link.IntentId);
            }

            _sinceWrites.Writer.TryWrite((link.IntentId, since));
        }
    }

    /// <summary>The contingent clock's start to hand to the engine for an intent: the running engine's, else the stored one.</summary>
    private DateTimeOffset? SinceOf(string intentId) =>
        _engine?.NonconformingSince(intentId) ?? (_nonconformingSince.TryGetValue(intentId, out long us) ? Micros.To(us) : null);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task ticker = Task.Run(() => TickLoopAsync(stoppingToken), CancellationToken.None);
        Task zones = Task.Run(() => ZoneLoopAsync(stoppingToken), CancellationToken.None);
        Task intents = Task.Run(() => IntentChangeLoopAsync(stoppingToken), CancellationToken.None);
        _lastCycleTimestamp = Stopwatch.GetTimestamp();
        try
        {
            await LoopAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        _intentChanges.Writer.TryComplete();
        await Task.WhenAll(ticker, zones, intents).ConfigureAwait(false);
    }

    private async Task LoopAsync(CancellationToken stop)
    {
        ChannelReader<Queued> queue = _queue.Reader;
        ChannelReader<PositionBatch> batches = _batches.Reader;
        ChannelReader<Command> commands = _commands.Reader;
        while (!stop.IsCancellationRequested)
        {
            bool busy = false;
            while (commands.TryRead(out Command? command))
            {
                busy = true;
                await HandleAsync(command).ConfigureAwait(false);
            }

            int n = DrainQueues(_o.StepChecks ? Math.Max(1, _o.StepPositions) : 65_536);
            if (n > 0 && _o.StepChecks)
            {
                RunStep(_time.GetUtcNow());
            }

            if (_takenSinceCheck > 0)
            {
                TimeSpan wait = CheckDueIn();
                if (wait <= TimeSpan.Zero)
                {
                    RunChecks(_time.GetUtcNow());
                    continue;
                }

                if (n > 0 || busy)
                {
                    continue;
                }

                // Positions taken in but the checks are not due yet: wake up for them or for new input.
                using var due = CancellationTokenSource.CreateLinkedTokenSource(stop);
                due.CancelAfter(wait);
                await WaitForInputAsync(queue, batches, commands, due.Token).ConfigureAwait(false);
                stop.ThrowIfCancellationRequested();
                continue;
            }

            if (n > 0 || busy)
            {
                continue;
            }

            await WaitForInputAsync(queue, batches, commands, stop).ConfigureAwait(false);
            stop.ThrowIfCancellationRequested();
        }
    }

    private static async Task WaitForInputAsync(ChannelReader<Queued> queue, ChannelReader<PositionBatch> batches, ChannelReader<Command> commands, CancellationToken token)
    {
        Task a = queue.WaitToReadAsync(token).AsTask();
        Task b = commands.WaitToReadAsync(token).AsTask();
        Task c = batches.WaitToReadAsync(token).AsTask();
        await Task.WhenAny(a, b, c).ConfigureAwait(false);
    }

    /// <summary>Time until the checks may run again after new positions (zero or less = now).</summary>
    private TimeSpan CheckDueIn()
    {
        // The checks' own CPU time (not wall time, which a busy machine inflates) sets the back-off.
        TimeSpan min = _o.CheckInterval;
        TimeSpan busy = TimeSpan.FromTicks(Math.Max(_lastCheckCpuNs, 0) / 100 * 4);
        if (busy > min)
        {
            min = busy;
        }

        return min - Stopwatch.GetElapsedTime(_lastCheckTimestamp);
    }

    /// <summary>Takes up to about <paramref name="max"/> queued positions (single ones and whole batches) into tracks.</summary>
    private int DrainQueues(int max)
    {
        SupervisionStages.Mark mark = SupervisionStages.Begin();
        int n = 0;
        while (n < max && _queue.Reader.TryRead(out Queued q))
        {
            Take(q.Report, q.Source);
            n++;
        }

        while (n < max && _batches.Reader.TryRead(out PositionBatch? batch))
        {
            ReadOnlySpan<PositionReport> items = batch.Items;
            for (int i = 0; i < items.Length; i++)
            {
                Take(items[i], batch.Source);
            }

            n += items.Length;
            Interlocked.Add(ref _batchedPositions, -items.Length);
            PositionBatch.Return(batch);
        }

        if (n > 0)
        {
            Stages.End(SupervisionStage.TrackUpdate, mark, n);
        }

        return n;
    }

    private void Take(in PositionReport report, IngestSource source)
    {
        SupervisionEngine engine = _engine!;
        Track? t = engine.Ingest(report);
        if (t is null)
        {
            Counters.Rejected(source);
            return;
        }

        _ingestedSinceCycle++;
        _takenSinceCheck++;
        if (_recorder is null)
        {
            return;
        }

        int i = t.Index;
        if (i >= _lastRecordedTicks.Length)
        {
            Grow(i + 1);
        }

        long ticks = report.Time.UtcTicks;
        if (ticks - _lastRecordedTicks[i] < (long)(_o.RecordIntervalS * TimeSpan.TicksPerSecond) && ticks >= _lastRecordedTicks[i])
        {
            return;
        }

        _lastRecordedTicks[i] = ticks;
        _recorder.Add(new RecordedPosition(t.Id, Micros.From(report.Time), t.Position.LatDeg, t.Position.LonDeg, t.AltW84M, t.AltAmslM, t.AltAglM,
            t.VelNorthMps, t.VelEastMps, t.VelUpMps, t.SourcesMask, (t.IsManned ? 1 : 0) | (_conformance[i] << 1)));
    }

    private void Grow(int n)
    {
        int cap = Math.Max(n, _lastRecordedTicks.Length * 2);
        Array.Resize(ref _lastRecordedTicks, cap);
        Array.Resize(ref _conformance, cap);
    }

    private async Task HandleAsync(Command command)
    {
        switch (command)
        {
            case TickCommand:
                Cycle();
                break;
            case SyncCommand sync:
                try
                {
                    while (DrainQueues(int.MaxValue) > 0)
                    {
                    }

                    if (sync.RunCycle)
                    {
                        Cycle();
                    }

                    if (sync.Flush && _recorder is not null)
                    {
                        await _recorder.FlushAsync().ConfigureAwait(false);
                    }

                    sync.Done.TrySetResult();
                }
                catch (Exception ex)
                {
                    sync.Done.TrySetException(ex);
                    throw;
                }

                break;
            case RebuildCommand rebuild:
                _zones = rebuild.Zones;
                _zoneSignature = rebuild.ZoneSignature;
                bool newTerrain = !string.Equals(_terrainSignature, rebuild.TerrainSignature, StringComparison.Ordinal);
                _terrainSignature = rebuild.TerrainSignature;
                _converter = rebuild.Converter;
                Rebuild(newTracks: newTerrain || _tracks is null, forgetBefore: null);
                rebuild.Done?.TrySetResult();
                break;
            case ExternalIntentsCommand external:
                if (_external.TryGetValue(external.Tag, out List<SupervisedIntent>? old))
                {
                    foreach (SupervisedIntent i in old)
                    {
                        Unlink(i.Id);
                    }
                }

                _external[external.Tag] = [.. external.Intents];
                foreach (SupervisedIntent i in external.Intents)
                {
                    Link(new IntentLink(i.Id, null, i.AircraftId, null, i.Volumes), i.State);
                }

                break;
        }
    }

    private void Rebuild(bool newTracks, DateTimeOffset? forgetBefore)
    {
        TrackStore? old = _tracks;
        if (newTracks || forgetBefore is not null || old is null)
        {
            var store = new TrackStore(new GeoPoint(_o.FrameOriginLonDeg, _o.FrameOriginLatDeg), _converter!);
            if (old is not null)
            {
                foreach (Track t in old.All)
                {
                    if (forgetBefore is { } cut && t.LastTime < cut)
                    {
                        continue;
                    }

                    store.Ingest(Reseed(t));
                }
            }

            _tracks = store;
            Array.Fill(_lastRecordedTicks, 0L);
        }

        var intents = new List<SupervisedIntent>(_links.Count);
        foreach (IntentLink link in _links.Values)
        {
            SupervisedIntentState state = _engine?.IntentState(link.IntentId) ?? link.InitialState;
            intents.Add(new SupervisedIntent(link.IntentId, link.AircraftId, state, link.Volumes) { NonconformingSince = SinceOf(link.IntentId) });
        }

        var checks = new SupervisionOptions { RequireIntent = _o.RequireIntent, LostLinkS = _o.LostLinkS, ConformanceTimeToleranceS = _o.ConformanceTimeToleranceS };
        _engine = new SupervisionEngine(_tracks!, _zones, intents, checks);
        if (old is not null)
        {
            Alerts.NewGeneration();
            _carryPending = true;
        }

        LogRebuilt(_logger, _zones.Count, intents.Count, _tracks!.Count);
    }

    private static PositionReport Reseed(Track t)
    {
        PositionSourceKind source = t.IsManned ? PositionSourceKind.AdsB : LowestSource(t.SourcesMask);
        return new PositionReport(t.LastTime, new AircraftIdentity(IdentityKind.Platform, t.Id), source, t.Position, t.ReportedAltitude,
            new VelocityNed(t.VelNorthMps, t.VelEastMps, -t.VelUpMps), double.IsNaN(t.HeadingDeg) ? null : t.HeadingDeg % 360,
            t.LinkQuality is >= 0 and <= 1 ? t.LinkQuality : null);
    }

    private static PositionSourceKind LowestSource(int mask)
    {
        for (int b = 0; b < 31; b++)
        {
            if ((mask & (1 << b)) != 0)
            {
                return (PositionSourceKind)b;
            }
        }

        return PositionSourceKind.Network;
    }

    private void Cycle()
    {
        DateTimeOffset now = _time.GetUtcNow();
        SupervisionStages.Mark sync = SupervisionStages.Begin();
        SyncOperationsIntents(now);
        Stages.End(SupervisionStage.Publish, sync, 0);
        double cycleMs = RunChecks(now);

        SupervisionStages.Mark publish = SupervisionStages.Begin();
        PublishSnapshot(now, cycleMs);
        if (_recorder is not null && now - _lastSeal >= _o.RecordBatchInterval)
        {
            _lastSeal = now;
            _recorder.Seal();
        }

        ForgetSilent(now);
        Stages.End(SupervisionStage.Publish, publish, _engine!.Tracks.Count);
    }

    /// <summary>
    /// Runs the checks over the current tracks at <paramref name="now"/> and pushes, records and applies (intent
    /// states) the resulting alert events; runs after new positions (at most every
    /// <see cref="SupervisionServerOptions.CheckInterval"/>) and on every cycle.
    /// </summary>
    /// <returns>The duration of the checks, ms.</returns>
    private double RunChecks(DateTimeOffset now)
    {
        SupervisionEngine engine = _engine!;
        _takenSinceCheck = 0;
        _events.Clear();
        SupervisionStages.Mark checks = SupervisionStages.Begin();
        long t0 = Stopwatch.GetTimestamp();
        engine.RunCycle(now, _events);
        _lastCheckTimestamp = Stopwatch.GetTimestamp();
        _lastCheckTicks = Stopwatch.GetElapsedTime(t0, _lastCheckTimestamp).Ticks;
        _lastCheckCpuNs = ThreadCpu.NowNs() - checks.CpuNs;
        double cycleMs = _lastCheckTicks / (double)TimeSpan.TicksPerMillisecond;
        CheckRuns++;
        Stages.End(SupervisionStage.Checks, checks, engine.Tracks.Count);
        PublishEvents(now, fullCycle: true);
        return cycleMs;
    }

    /// <summary>
    /// Checks the aircraft taken in since the last check (<see cref="SupervisionEngine.RunStep"/>) and pushes and
    /// records the alerts they raise at once; clearing and the time-driven checks stay with <see cref="RunChecks"/>.
    /// </summary>
    private void RunStep(DateTimeOffset now)
    {
        SupervisionEngine engine = _engine!;
        _events.Clear();
        SupervisionStages.Mark mark = SupervisionStages.Begin();
        int checkedTracks = engine.RunStep(now, _events);
        Stages.End(SupervisionStage.StepChecks, mark, checkedTracks);
        if (_events.Count > 0)
        {
            PublishEvents(now, fullCycle: false);
        }
    }

    /// <summary>Turns the engine's events into registry alerts, pushes and records them; after a full cycle also
    /// finishes a rebuild's carried alerts and drives the intents' states.</summary>
    private void PublishEvents(DateTimeOffset now, bool fullCycle)
    {
        SupervisionEngine engine = _engine!;
        SupervisionStages.Mark alerts = SupervisionStages.Begin();
        _published.Clear();
        _recordedEvents.Clear();
        foreach (AlertEvent e in _events)
        {
            Track? t = engine.Tracks.Find(e.Aircraft);
            string? owner = _byAircraft.TryGetValue(e.Aircraft, out IntentLink? link) ? link.Owner : null;
            AlertDto? dto = Alerts.Apply(e, t?.Position.LatDeg ?? 0, t?.Position.LonDeg ?? 0, owner);
            if (dto is not null)
            {
                _published.Add(dto);
            }
        }

        if (_carryPending && fullCycle)
        {
            _carryPending = false;
            Alerts.FinishCarry(now, _published);
        }

        foreach (AlertDto dto in _published)
        {
            _broadcast.Alert(dto, Alerts.OwnerOf(dto.Id));
            _recordedEvents.Add(new RecordedAlertEvent(dto.Id, Micros.From(dto.UpdatedUtc), dto.Kind, dto.State, dto.Severity, dto.Aircraft, dto.Other, dto.Zone,
                dto.Intent, dto.LatDeg, dto.LonDeg, dto.Advisory, dto.AcknowledgedBy, dto.Message));
        }

        if (fullCycle)
        {
            DriveIntentStates();
        }

        _recorder?.AddAlertEvents(_recordedEvents);
        Stages.End(SupervisionStage.Alerts, alerts, _published.Count);
    }

    private void PublishSnapshot(DateTimeOffset now, double cycleMs)
    {
        SupervisionEngine engine = _engine!;
        IReadOnlyList<Track> tracks = engine.Tracks.All;
        if (_conformance.Length < tracks.Count)
        {
            Grow(tracks.Count);
        }

        var dtos = new TrackDto[tracks.Count];
        for (int i = 0; i < dtos.Length; i++)
        {
            Track t = tracks[i];
            string? intentId = null;
            string conformance = "none";
            byte code = 0;
            if (_byAircraft.TryGetValue(t.Id, out IntentLink? link))
            {
                intentId = link.IntentId;
                (conformance, code) = engine.IntentState(link.IntentId) switch
                {
                    SupervisedIntentState.Activated => ("conforming", (byte)1),
                    SupervisedIntentState.Nonconforming => ("nonconforming", (byte)2),
                    SupervisedIntentState.Contingent => ("contingent", (byte)3),
                    _ => ("none", (byte)0),
                };
            }

            _conformance[t.Index] = code;
            dtos[i] = ToDto(t, now, intentId, conformance);
        }

        double elapsedS = Stopwatch.GetElapsedTime(_lastCycleTimestamp).TotalSeconds;
        _lastCycleTimestamp = Stopwatch.GetTimestamp();
        double rate = elapsedS > 0 ? _ingestedSinceCycle / elapsedS : 0;
        _ingestedSinceCycle = 0;
        var snapshot = new SupervisionSnapshot(now, dtos, rate, engine.Cycles, cycleMs);
        _snapshot = snapshot;
        _broadcast.Tracks(snapshot);
    }

    private TrackDto ToDto(Track t, DateTimeOffset now, string? intentId, string conformance)
    {
        double vn = t.VelNorthMps, ve = t.VelEastMps;
        return new TrackDto(t.Id, SourceName(t.SourcesMask), t.Position.LatDeg, t.Position.LonDeg, Finite(t.AltW84M), Finite(t.AltAmslM), Finite(t.AltAglM),
            vn, ve, t.VelUpMps, Math.Sqrt((vn * vn) + (ve * ve)), Finite(t.HeadingDeg), Math.Max(0, (now - t.LastTime).TotalSeconds), intentId, conformance,
            t.IsManned, t.LastTime, t.LinkQuality);
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static string SourceName(int mask) => PositionJson.SourceNames(mask);

    private void ForgetSilent(DateTimeOffset now)
    {
        if (now - _lastForget < _o.ForgetAfter / 2)
        {
            return;
        }

        _lastForget = now;
        DateTimeOffset cut = now - _o.ForgetAfter;
        bool any = false;
        foreach (Track t in _tracks!.All)
        {
            if (t.LastTime < cut)
            {
                any = true;
                break;
            }
        }

        if (any)
        {
            Rebuild(newTracks: true, forgetBefore: cut);
        }
    }

    private void SyncOperationsIntents(DateTimeOffset now)
    {
        if (_services.GetService(typeof(OperationsRuntime)) is not OperationsRuntime ops)
        {
            return;
        }

        _seenIntents.Clear();
        foreach (OperationalIntent i in ops.Book.Snapshot())
        {
            // An intent whose volumes ended stays supervised (while the book holds it, at most ForgetAfter): a flight
            // still airborne after its end, beyond the conformance tolerance, is late, i.e. nonconforming.
            if (i.State is not (IntentState.Activated or IntentState.Nonconforming or IntentState.Contingent) || i.Volumes.Count == 0 ||
                i.Span.End + _o.ForgetAfter <= now)
            {
                continue;
            }

            string id = i.Id.ToString("D");
            _seenIntents.Add(id);
            if (_links.TryGetValue(id, out IntentLink? link) && ReferenceEquals(link.Volumes, i.Volumes) &&
                string.Equals(link.AircraftId, i.AircraftId, StringComparison.Ordinal))
            {
                continue;
            }

            SupervisedIntentState state = i.State switch
            {
                IntentState.Nonconforming => SupervisedIntentState.Nonconforming,
                IntentState.Contingent => SupervisedIntentState.Contingent,
                _ => SupervisedIntentState.Activated,
            };
            Link(new IntentLink(id, i.Id, i.AircraftId, i.OwnerId, i.Volumes), state);
        }

        List<string>? gone = null;
        foreach (IntentLink link in _links.Values)
        {
            if (link.OpsId is not null && !_seenIntents.Contains(link.IntentId))
            {
                (gone ??= []).Add(link.IntentId);
            }
        }

        if (gone is not null)
        {
            foreach (string id in gone)
            {
                Unlink(id);
            }
        }
    }

    private void Link(IntentLink link, SupervisedIntentState state)
    {
        if (_links.TryGetValue(link.IntentId, out IntentLink? previous) &&
            _byAircraft.TryGetValue(previous.AircraftId, out IntentLink? current) && ReferenceEquals(current, previous))
        {
            _byAircraft.Remove(previous.AircraftId);
        }

        link.InitialState = state;
        _links[link.IntentId] = link;
        _byAircraft[link.AircraftId] = link;
        _engine!.UpsertIntent(new SupervisedIntent(link.IntentId, link.AircraftId, state, link.Volumes)
        {
            NonconformingSince = state == SupervisedIntentState.Nonconforming ? SinceOf(link.IntentId) : null,
        });
    }

    private void Unlink(string intentId)
    {
        if (_links.Remove(intentId, out IntentLink? link))
        {
            if (_byAircraft.TryGetValue(link.AircraftId, out IntentLink? current) && ReferenceEquals(current, link))
            {
                _byAircraft.Remove(link.AircraftId);
            }

            _engine!.RemoveIntent(intentId);
            if (_nonconformingSince.Remove(intentId))
            {
                _sinceWrites.Writer.TryWrite((intentId, null));
            }
        }
    }

    private void DriveIntentStates()
    {
        PersistNonconformingSince();
        if (!_o.UpdateIntentStates || _services.GetService(typeof(OperationsRuntime)) is not OperationsRuntime ops)
        {
            return;
        }

        foreach (IntentLink link in _links.Values)
        {
            if (link.OpsId is not { } guid || _engine!.IntentState(link.IntentId) is not { } seen || ops.Book.Get(guid) is not { } current)
            {
                continue;
            }

            IntentState? to = (seen, current.State) switch
            {
                (SupervisedIntentState.Nonconforming, IntentState.Activated) => IntentState.Nonconforming,
                (SupervisedIntentState.Contingent, IntentState.Activated or IntentState.Nonconforming) => IntentState.Contingent,
                (SupervisedIntentState.Activated, IntentState.Nonconforming) => IntentState.Activated,
                _ => null,
            };
            if (to is { } target)
            {
                lock (_pendingGate)
                {
                    if (!_pendingChanges.Add(guid))
                    {
                        continue;
                    }
                }

                string reason = target == IntentState.Activated
                    ? "supervision: back inside its volumes"
                    : target == IntentState.Contingent ? "supervision: outside its volumes for the contingent time" : "supervision: outside its volumes";
                _intentChanges.Writer.TryWrite((guid, target, reason));
            }
        }
    }

    private async Task IntentChangeLoopAsync(CancellationToken stop)
    {
        await foreach (var (id, to, reason) in _intentChanges.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                if (_services.GetService(typeof(OperationsRuntime)) is OperationsRuntime ops && ops.Book.Get(id) is { } current &&
                    IntentStateMachine.CanTransition(current.State, to))
                {
                    IntentChangeResult result = await ops.Book.TransitionAsync(id, current.Ovn, to, [reason], ops.Store, stop).ConfigureAwait(false);
                    if (result.IsOk)
                    {
                        _services.GetService<OperationsNotifier>()?.IntentCommitted(result.Intent!, null);
                        LogIntentState(_logger, id, to);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogIntentStateFailed(_logger, ex, id, to);
            }
            finally
            {
                lock (_pendingGate)
                {
                    _pendingChanges.Remove(id);
                }
            }
        }
    }

    private async Task TickLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_o.CycleInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                _commands.Writer.TryWrite(TickCommand.Instance);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task ZoneLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_o.ZonePollInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    await PollZonesAsync(force: false, stop).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogZonePollFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task PollZonesAsync(bool force, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredZone> stored = await ApiSupport.AllZonesAsync(_state.Store, null, cancellationToken).ConfigureAwait(false);
        TerrainSnapshot terrain = await ((TerrainService)_services.GetService(typeof(TerrainService))!).GetAsync(cancellationToken).ConfigureAwait(false);
        var sb = new StringBuilder();
        var zones = new List<Zone>(stored.Count);
        foreach (StoredZone z in stored)
        {
            sb.Append(z.Zone.Identifier).Append('@').Append(z.Version).Append(';');
            zones.Add(z.Zone);
        }

        string signature = sb.ToString();
        if (!force && string.Equals(signature, Volatile.Read(ref _zoneSignature), StringComparison.Ordinal) &&
            string.Equals(terrain.Signature, Volatile.Read(ref _terrainSignature), StringComparison.Ordinal))
        {
            return;
        }

        var command = new RebuildCommand(zones, signature, terrain.Converter, terrain.Signature, force ? null : new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (force)
        {
            // Before the loop starts: build directly.
            await HandleAsync(command).ConfigureAwait(false);
            return;
        }

        _commands.Writer.TryWrite(command);
        await command.Done!.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(1310, LogLevel.Information, "Supervision: engine built with {Zones} zones, {Intents} intents, {Tracks} tracks")]
    private static partial void LogRebuilt(ILogger logger, int zones, int intents, int tracks);

    [LoggerMessage(1311, LogLevel.Warning, "Supervision: zone poll failed")]
    private static partial void LogZonePollFailed(ILogger logger, Exception exception);

    [LoggerMessage(1312, LogLevel.Information, "Supervision: intent {Id} is now {State}")]
    private static partial void LogIntentState(ILogger logger, Guid id, IntentState state);

    [LoggerMessage(1313, LogLevel.Warning, "Supervision: intent {Id} could not move to {State}")]
    private static partial void LogIntentStateFailed(ILogger logger, Exception exception, Guid id, IntentState state);

    [LoggerMessage(1314, LogLevel.Warning, "Supervision: the contingent clock of intent {Id} could not be stored")]
    private static partial void LogSinceWriteFailed(ILogger logger, Exception exception, string id);

    private readonly record struct Queued(PositionReport Report, IngestSource Source);

    private abstract record Command;

    private sealed record TickCommand : Command
    {
        public static readonly TickCommand Instance = new();
    }

    private sealed record SyncCommand(TaskCompletionSource Done, bool RunCycle, bool Flush) : Command;

    private sealed record RebuildCommand(IReadOnlyList<Zone> Zones, string ZoneSignature, AltitudeConverter Converter, string TerrainSignature, TaskCompletionSource? Done) : Command;

    private sealed record ExternalIntentsCommand(string Tag, IReadOnlyList<SupervisedIntent> Intents) : Command;

    private sealed class IntentLink(string intentId, Guid? opsId, string aircraftId, string? owner, IReadOnlyList<Volume4D> volumes)
    {
        public string IntentId { get; } = intentId;

        public Guid? OpsId { get; } = opsId;

        public string AircraftId { get; } = aircraftId;

        public string? Owner { get; } = owner;

        public IReadOnlyList<Volume4D> Volumes { get; } = volumes;

        public SupervisedIntentState InitialState { get; set; }
    }
}
