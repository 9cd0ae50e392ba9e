using System.Globalization;
using Yunlu.Airspace.Operations;
using Yunlu.Airspace.Rules;
using Yunlu.Geo;
using Yunlu.Server.Api;
using Yunlu.Server.Contracts;
using Yunlu.Server.Imports;
using Yunlu.Server.Problems;
using Yunlu.Storage;
using Yunlu.Storage.Operations;

namespace Yunlu.Server.Operations;

/// <summary>Tuning of the operations area (bound from configuration section <c>Yunlu:Operations</c>).</summary>
public sealed class OperationsOptions
{
    /// <summary>How often intents that ended leave the index and memory (default 30 s).</summary>
    public TimeSpan EvictionInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an intent stays in memory after its last volume ended (default 5 min; it leaves the index,
    /// i.e. stops blocking airspace, at its end). Supervision monitors an ended intent only while it is in memory: keep
    /// this above the conformance time tolerance plus the 60 s to Contingent (the supervision runtime itself supervises
    /// an ended intent for at most its <c>ForgetAfter</c>, also 5 min by default).</summary>
    public TimeSpan EndedRetention { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often stored zones are compared with the checker's snapshot (default 2 s); a change rebuilds the
    /// snapshot and notifies the owners of intents under the changed zones.</summary>
    public TimeSpan ZonePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Webhook delivery attempts per notification (default 4: at once, then after 0.5, 1 and 2 s).</summary>
    public int WebhookAttempts { get; set; } = 4;

    /// <summary>Delay before the first webhook retry; doubled for each further one (default 0.5 s).</summary>
    public TimeSpan WebhookFirstRetry { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest start-time shift a resolution may propose (default 6 h).</summary>
    public TimeSpan MaxResolutionShift { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Intents per BeiDou level-4 cell at one instant, or 0 for unlimited (default).</summary>
    public int CellCapacity { get; set; }
}

/// <summary>
/// The operations area of one server: the operations store (also the committer), the in-memory index and intent book
/// (rebuilt from the store at start-up), the strategic checker over the index and the stored zones, and the registry.
/// </summary>
public sealed class OperationsRuntime : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly OperationsOptions _options;
    private readonly IServiceProvider _services;
    private readonly SemaphoreSlim _zoneGate = new(1, 1);
    private readonly TaskCompletionSource<DemoDaySeedResult?> _demoDay = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Dictionary<string, List<ZoneConstraint>> _zoneConstraints = new(StringComparer.Ordinal);

    /// <summary>Creates the runtime for the store named by <paramref name="server"/>.</summary>
    public OperationsRuntime(YunluServerOptions server, OperationsOptions options, TimeProvider time, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(server);
        _time = time;
        _options = options;
        _services = services;
        var target = string.IsNullOrWhiteSpace(server.PostgresConnectionString) ? server.SqlitePath : server.PostgresConnectionString;
        Store = OperationsStoreFactory.Create(target, YunluStoreOptions.Default with { TimeProvider = time, Migrate = false });
        Zones = new StoredZoneConstraints();
        Index = new IntentIndex();
        Checker = new StrategicChecker(Index, Zones, options.CellCapacity > 0 ? new UniformCellCapacity(4, options.CellCapacity) : null);
        Book = new IntentBook(Checker, time);
        Registry = new RegistryService(Store, time);
    }

    // Resolved on use: the terrain service needs the main store, which is opened only after the hosted services are built.
    private TerrainService Terrain => (TerrainService)_services.GetService(typeof(TerrainService))!;

    /// <summary>Completes when the demo day of flights (<see cref="OperationsDemoDay"/>) is loaded: with what was
    /// loaded, or null when the demo is off, has no such file, or was loaded before.</summary>
    public Task<DemoDaySeedResult?> DemoDaySeeded => _demoDay.Task;

    /// <summary>The store and committer.</summary>
    public IOperationsStore Store { get; }

    /// <summary>The zones the checker sees.</summary>
    public StoredZoneConstraints Zones { get; }

    /// <summary>The 4D index of blocking intents.</summary>
    public IntentIndex Index { get; }

    /// <summary>The checker.</summary>
    public StrategicChecker Checker { get; }

    /// <summary>The booking desk.</summary>
    public IntentBook Book { get; }

    /// <summary>The registry.</summary>
    public RegistryService Registry { get; }

    /// <summary>The options.</summary>
    public OperationsOptions Options => _options;

    /// <summary>The current version of an intent: from memory, else from the store (and then held, when live).</summary>
    public async Task<OperationalIntent?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Book.Get(id) is { } held)
        {
            return held;
        }

        OperationalIntent? stored = await Store.GetIntentAsync(id, cancellationToken).ConfigureAwait(false);
        if (stored is not null && !IntentStateMachine.IsTerminal(stored.State) && stored.Span.End > _time.GetUtcNow())
        {
            Book.Load(stored);
        }

        return stored;
    }

    /// <summary>Loads an intent another server committed (PostgreSQL NOTIFY), unless this server holds that version or a newer one.</summary>
    public async Task RefreshFromStoreAsync(Guid id, CancellationToken cancellationToken)
    {
        OperationalIntent? stored = await Store.GetIntentAsync(id, cancellationToken).ConfigureAwait(false);
        if (stored is null || (Book.Get(id) is { } held && held.Version >= stored.Version))
        {
            return;
        }

        Book.Load(stored);
    }

    /// <summary>
    /// Checks what an intent refers to: the operator (exists; insurance and licences valid until the intent ends),
    /// the aircraft (exists, belongs to the operator, endurance covers the flight) and the pilot (exists, licensed for
    /// the aircraft's class when the rules require a licence). Returns whether the rules send the intent to a manager
    /// (medium and large aircraft always need approval).
    /// </summary>
    public async Task<bool> CheckReferencesAsync(OperationalIntent intent, Violations violations, CancellationToken cancellationToken)
    {
        DateTimeOffset end = intent.Volumes.Count > 0 ? intent.Span.End : _time.GetUtcNow();
        RegistryEntry? op = await Registry.GetAsync(RegistryKinds.Operator, intent.OperatorId, cancellationToken).ConfigureAwait(false);
        if (op is null)
        {
            violations.Add("operatorId", "unknown-operator", $"no registered operator '{intent.OperatorId}' (PUT /api/v1/registry/operators/{{id}})");
        }
        else
        {
            OperatorDto o = RegistryService.Read<OperatorDto>(op);
            if (o.Insurance?.ValidUntil is { } until && until < end)
            {
                violations.Add("operatorId", "insurance-expired", string.Create(CultureInfo.InvariantCulture, $"operator '{intent.OperatorId}': insurance ends {until:O}, before the flight ends {end:O}"));
            }
        }

        RegistryEntry? ac = await Registry.GetAsync(RegistryKinds.Aircraft, intent.AircraftId, cancellationToken).ConfigureAwait(false);
        AircraftClass? cls = null;
        if (ac is null)
        {
            violations.Add("aircraftId", "unknown-aircraft", $"no registered aircraft '{intent.AircraftId}' (PUT /api/v1/registry/aircraft/{{id}})");
        }
        else
        {
            AircraftDto a = RegistryService.Read<AircraftDto>(ac);
            if (!string.Equals(a.OperatorId, intent.OperatorId, StringComparison.Ordinal))
            {
                violations.Add("aircraftId", "aircraft-operator-mismatch", $"aircraft '{intent.AircraftId}' belongs to operator '{a.OperatorId}', not '{intent.OperatorId}'");
            }

            if (a.EnduranceMin is { } endurance && intent.Volumes.Count > 0)
            {
                TimeWindow span = intent.Span;
                double minutes = (span.End - span.Start).TotalMinutes;
                if (minutes > endurance)
                {
                    violations.Add("volumes", "endurance-exceeded", string.Create(CultureInfo.InvariantCulture, $"the flight lasts {minutes:0.#} min, aircraft '{intent.AircraftId}' flies at most {endurance:0.#} min"));
                }
            }

            if (WireNames.TryParse<AircraftClass>(a.Class, out var c))
            {
                cls = c;
            }
        }

        RegistryEntry? pi = await Registry.GetAsync(RegistryKinds.Pilot, intent.PilotId, cancellationToken).ConfigureAwait(false);
        if (pi is null)
        {
            violations.Add("pilotId", "unknown-pilot", $"no registered pilot '{intent.PilotId}' (PUT /api/v1/registry/pilots/{{id}})");
        }
        else if (cls is { } k && RegistryService.Rules.Rules.RuleFor(k).PilotLicenceRequired)
        {
            PilotDto p = RegistryService.Read<PilotDto>(pi);
            string wire = WireNames.ToWire(k);
            if (p.LicenceClasses is null || !p.LicenceClasses.Contains(wire, StringComparer.Ordinal))
            {
                violations.Add("pilotId", "licence-missing", $"pilot '{intent.PilotId}' holds no licence for {wire} aircraft, which the rules require ({RegistryService.Rules.Rules.RuleFor(k).Label})");
            }
            else if (p.LicenceValidUntil is { } until && until < end)
            {
                violations.Add("pilotId", "licence-expired", string.Create(CultureInfo.InvariantCulture, $"pilot '{intent.PilotId}': licence ends {until:O}, before the flight ends {end:O}"));
            }
        }

        return cls is { } kc && RegistryService.Rules.Rules.RuleFor(kc).AlwaysNeedsApproval;
    }

    /// <summary>Resolutions for a rejected intent: the earliest start shift, with a DEM the nearest clear altitude layer,
    /// and, when an <see cref="IIntentRerouter"/> is registered in DI (optional; the routing module registers one), a
    /// re-route checked clear before it is offered.</summary>
    public async Task<IReadOnlyList<Resolution>> ResolveAsync(OperationalIntent intent, CancellationToken cancellationToken)
    {
        TerrainSnapshot terrain = await Terrain.GetAsync(cancellationToken).ConfigureAwait(false);
        Func<GeoPoint, double>? ground = null;
        if (terrain.HasDem)
        {
            ground = p => terrain.Converter.TryConvert(Altitude.Agl(0), p, AltitudeReference.W84, out Altitude g) ? g.ValueM : double.NaN;
        }

        var options = new ResolutionOptions
        {
            MaxStartShift = _options.MaxResolutionShift,
            GroundHeightW84M = ground,
            Reroute = (IIntentRerouter?)_services.GetService(typeof(IIntentRerouter)),
        };
        IReadOnlyList<Resolution> found = await Checker.ResolveAsync(intent, options, cancellationToken).ConfigureAwait(false);
        var clean = new List<Resolution>(found.Count);
        foreach (Resolution r in found)
        {
            bool finite = true;
            foreach (Volume4D v in r.Volumes)
            {
                finite &= double.IsFinite(v.Volume.Lower.ValueM) && double.IsFinite(v.Volume.Upper.ValueM);
            }

            if (finite)
            {
                clean.Add(r);
            }
        }

        return clean;
    }

    internal void CompleteDemoDay(DemoDaySeedResult? result, Exception? error)
    {
        if (error is null)
        {
            _demoDay.TrySetResult(result);
        }
        else
        {
            _demoDay.TrySetException(error);
        }
    }

    /// <summary>Loads every live intent from the store into the book and index.</summary>
    /// <returns>How many were loaded.</returns>
    public async Task<int> LoadAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<OperationalIntent> live = await Store.LoadLiveAsync(_time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        foreach (OperationalIntent i in live)
        {
            Book.Load(i);
        }

        return live.Count;
    }

    /// <summary>Compares the stored zones with the checker's snapshot; on any change (or when the snapshot is an hour
    /// old) rebuilds it and, when <paramref name="notifier"/> is given, notifies the owners of intents under the
    /// created, changed or deleted zones. Serialised: one refresh at a time.</summary>
    public async Task RefreshZonesAsync(IYunluStore store, OperationsNotifier? notifier, CancellationToken cancellationToken)
    {
        await _zoneGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RefreshZonesCoreAsync(store, notifier, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _zoneGate.Release();
        }
    }

    private async Task RefreshZonesCoreAsync(IYunluStore store, OperationsNotifier? notifier, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredZone> zones = await ApiSupport.AllZonesAsync(store, null, cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _time.GetUtcNow();
        IReadOnlyDictionary<string, long> before = Zones.Versions;
        bool changed = zones.Count != before.Count || now - Zones.BuiltAt > TimeSpan.FromHours(1);
        foreach (StoredZone z in zones)
        {
            changed |= !before.TryGetValue(z.Zone.Identifier, out long v) || v != z.Version;
        }

        if (!changed)
        {
            return;
        }

        TerrainSnapshot terrainNow = await Terrain.GetAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<ZoneConstraint> all = Zones.Rebuild(zones, terrainNow, now);
        var byZone = new Dictionary<string, List<ZoneConstraint>>(StringComparer.Ordinal);
        foreach (ZoneConstraint c in all)
        {
            if (!byZone.TryGetValue(c.ZoneId, out var list))
            {
                byZone[c.ZoneId] = list = [];
            }

            list.Add(c);
        }

        Dictionary<string, List<ZoneConstraint>> previous = _zoneConstraints;
        _zoneConstraints = byZone;
        if (notifier is null)
        {
            return;
        }

        foreach (StoredZone z in zones)
        {
            string id = z.Zone.Identifier;
            bool isNew = !before.TryGetValue(id, out long v);
            if (isNew || v != z.Version)
            {
                var affected = new List<ZoneConstraint>(byZone.GetValueOrDefault(id) ?? []);
                affected.AddRange(previous.GetValueOrDefault(id) ?? []);
                notifier.ZoneChanged(id, isNew ? "created" : "changed", affected);
            }
        }

        foreach (var (id, old) in previous)
        {
            if (!byZone.ContainsKey(id) && !ContainsZone(zones, id))
            {
                notifier.ZoneChanged(id, "deleted", old);
            }
        }
    }

    private static bool ContainsZone(IReadOnlyList<StoredZone> zones, string id)
    {
        foreach (StoredZone z in zones)
        {
            if (string.Equals(z.Zone.Identifier, id, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Book.Dispose();
        Index.Dispose();
        _zoneGate.Dispose();
        await Store.DisposeAsync().ConfigureAwait(false);
    }
}
