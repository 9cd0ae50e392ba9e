namespace Yunlu.Supervision.Alerts;

/// <summary>
/// The set of active alerts and their lifecycle: checks re-assert every alert that still holds on each cycle; an
/// alert asserted for the first time is raised, one whose level or advisory changed is updated, and one not asserted
/// in a cycle is cleared. A person may acknowledge an active alert.
/// </summary>
/// <remarks>Not thread-safe: one supervision loop owns it. Events are appended to the list given to each call.</remarks>
public sealed class AlertBook
{
    private readonly Dictionary<long, Entry> _active = new(AlertKeys.Comparer);
    private readonly Dictionary<long, long> _byId = [];
    private readonly List<Entry> _sweep = [];
    private long _nextId = 1;

    /// <summary>Number of active alerts.</summary>
    public int Count => _active.Count;

    /// <summary>A snapshot of the active alerts, ordered by id.</summary>
    public IReadOnlyList<ActiveAlert> Active()
    {
        var list = new List<ActiveAlert>(_active.Count);
        foreach (Entry e in _active.Values)
        {
            list.Add(ToActive(e));
        }

        list.Sort(static (a, b) => a.AlertId.CompareTo(b.AlertId));
        return list;
    }

    /// <summary>Acknowledges an active alert.</summary>
    /// <param name="alertId">The alert.</param>
    /// <param name="by">Who (a user name); required.</param>
    /// <param name="at">When.</param>
    /// <param name="events">Receives the acknowledged event.</param>
    /// <returns>False when no such alert is active.</returns>
    public bool Acknowledge(long alertId, string by, DateTimeOffset at, List<AlertEvent> events)
    {
        ArgumentException.ThrowIfNullOrEmpty(by);
        ArgumentNullException.ThrowIfNull(events);
        if (!_byId.TryGetValue(alertId, out long key) || !_active.TryGetValue(key, out Entry? e))
        {
            return false;
        }

        e.AcknowledgedBy = by;
        events.Add(Make(e, at, AlertEventType.Acknowledged));
        return true;
    }

    /// <summary>The aircraft of an active alert by key (no allocation), for callers that need its stored order.</summary>
    internal bool TryGetAircraft(long key, out string? aircraft)
    {
        if (_active.TryGetValue(key, out Entry? e))
        {
            aircraft = e.Aircraft;
            return true;
        }

        aircraft = null;
        return false;
    }

    /// <summary>Asserts that an alert holds in cycle <paramref name="cycle"/>.</summary>
    /// <param name="key">The alert's packed key (<see cref="AlertKeys"/>): the dictionary key, no strings hashed.</param>
    /// <param name="kind">Its kind.</param>
    /// <param name="aircraft">The aircraft's track id.</param>
    /// <param name="other">The other aircraft, or null.</param>
    /// <param name="zone">The zone, or null.</param>
    /// <param name="intent">The intent, or null.</param>
    /// <param name="level">Urgency now.</param>
    /// <param name="timeToEventS">Seconds to the predicted event, or null.</param>
    /// <param name="advisory">The advisory as a value; a <see cref="ResolutionAdvisory"/> is allocated only when it changes.</param>
    /// <param name="cycle">The cycle number.</param>
    /// <param name="now">The cycle time.</param>
    /// <param name="events">Receives raised / updated events.</param>
    /// <param name="holdUntilTicks">The alert is not swept before this time (UTC ticks; 0 = no hold): an alert raised
    /// ahead of its predicted onset holds until the onset, when the cycle's checks assert it themselves.</param>
    internal void Assert(long key, AlertKind kind, string aircraft, string? other, string? zone, string? intent, AlertLevel level, double? timeToEventS,
        in AdvisoryValue advisory, long cycle, DateTimeOffset now, List<AlertEvent> events, long holdUntilTicks = 0)
    {
        if (_active.TryGetValue(key, out Entry? e))
        {
            e.LastCycle = cycle;
            e.HoldUntilTicks = Math.Max(e.HoldUntilTicks, holdUntilTicks);
            e.TimeToEventS = timeToEventS;
            bool sameAdvisory = advisory.Aircraft is null
                ? e.Advisory is null
                : e.Advisory is { } a && a.Maneuver == advisory.Maneuver && string.Equals(a.Aircraft, advisory.Aircraft, StringComparison.Ordinal) &&
                  string.Equals(a.Reason, advisory.Reason, StringComparison.Ordinal);
            if (e.Level != level || !sameAdvisory)
            {
                e.Level = level;
                e.Advisory = advisory.ToRecord();
                e.UpdatedAt = now;
                events.Add(Make(e, now, AlertEventType.Updated));
            }

            return;
        }

        var entry = new Entry
        {
            Id = _nextId++,
            Key = key,
            Kind = kind,
            Aircraft = aircraft,
            Other = other,
            Zone = zone,
            Intent = intent,
            Level = level,
            TimeToEventS = timeToEventS,
            Advisory = advisory.ToRecord(),
            LastCycle = cycle,
            HoldUntilTicks = holdUntilTicks,
            RaisedAt = now,
            UpdatedAt = now,
        };
        _active.Add(key, entry);
        _byId.Add(entry.Id, key);
        events.Add(Make(entry, now, AlertEventType.Raised));
    }

    /// <summary>Clears every alert not asserted in <paramref name="cycle"/> and not held past <paramref name="now"/>, in the order they were raised.</summary>
    internal void Sweep(long cycle, DateTimeOffset now, List<AlertEvent> events)
    {
        _sweep.Clear();
        long nowTicks = now.UtcTicks;
        foreach (KeyValuePair<long, Entry> kv in _active)
        {
            if (kv.Value.LastCycle != cycle && kv.Value.HoldUntilTicks <= nowTicks)
            {
                _sweep.Add(kv.Value);
            }
        }

        if (_sweep.Count == 0)
        {
            return;
        }

        _sweep.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        foreach (Entry e in _sweep)
        {
            _active.Remove(e.Key);
            _byId.Remove(e.Id);
            events.Add(Make(e, now, AlertEventType.Cleared));
        }

        _sweep.Clear();
    }

    private static AlertEvent Make(Entry e, DateTimeOffset at, AlertEventType type) =>
        new(e.Id, at, e.Kind, type, e.Level, e.Aircraft, e.Other, e.Zone, e.Intent,
            type == AlertEventType.Cleared ? null : e.TimeToEventS, e.Advisory, e.AcknowledgedBy);

    private static ActiveAlert ToActive(Entry e) =>
        new(e.Id, e.Kind, e.Level, e.Aircraft, e.Other, e.Zone, e.Intent, e.RaisedAt, e.UpdatedAt, e.TimeToEventS, e.Advisory, e.AcknowledgedBy);

    private sealed class Entry
    {
        public long Id { get; init; }

        public long Key { get; init; }

        public AlertKind Kind { get; init; }

        public required string Aircraft { get; init; }

        public string? Other { get; init; }

        public string? Zone { get; init; }

        public string? Intent { get; init; }

        public AlertLevel Level { get; set; }

        public double? TimeToEventS { get; set; }

        public ResolutionAdvisory? Advisory { get; set; }

        public long LastCycle { get; set; }

        public long HoldUntilTicks { get; set; }

        public DateTimeOffset RaisedAt { get; init; }

        public DateTimeOffset UpdatedAt { get; set; }

        public string? AcknowledgedBy { get; set; }
    }
}

/// <summary>
/// Alert keys packed into one long: kind (4 bits), the aircraft's stable track serial (30 bits) and a second 30-bit
/// number — the other aircraft's serial, the zone's index or the intent's number, by kind — so that re-asserting an
/// alert hashes one long instead of strings.
/// </summary>
internal static class AlertKeys
{
    public const int Bits = 30;

    /// <summary>Hashes keys by a Fibonacci multiply (the default long hash, high ^ low word, collides for packed pairs).</summary>
    public static IEqualityComparer<long> Comparer { get; } = new KeyComparer();

    public static long Make(AlertKind kind, int aircraft, int second) =>
        ((long)kind << (2 * Bits)) | ((long)aircraft << Bits) | (uint)second;

    private sealed class KeyComparer : IEqualityComparer<long>
    {
        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long obj) => (int)((ulong)obj * 0x9E3779B97F4A7C15UL >> 32);
    }
}

/// <summary>A resolution advisory as a value (no allocation per cycle); <see cref="Aircraft"/> null = none.</summary>
/// <param name="Aircraft">The aircraft that gives way.</param>
/// <param name="Maneuver">What it does.</param>
/// <param name="Reason">The rule that decided (a constant string).</param>
internal readonly record struct AdvisoryValue(string? Aircraft, AdvisoryManeuver Maneuver, string? Reason)
{
    public ResolutionAdvisory? ToRecord() => Aircraft is null ? null : new ResolutionAdvisory(Aircraft, Maneuver, Reason!);
}
