namespace Yunlu.Supervision.Alerts;

/// <summary>
/// The set of active alerts and their lifecycle: checks re-assert every alert that still holds on each cycle; an
/// alert asserted for the first time is raised, one whose level or advisory changed is updated, and one not asserted
/// in a cycle is cleared. A person may acknowledge an active alert.
/// </summary>
/// <remarks>Not thread-safe: one supervision loop owns it. Events are appended to the list given to each call.</remarks>
public sealed class AlertBook
{
    private readonly Dictionary<AlertKey, Entry> _active = [];
    private readonly Dictionary<long, AlertKey> _byId = [];
    private readonly List<AlertKey> _sweep = [];
    private long _nextId = 1;

    /// <summary>Number of active alerts.</summary>
    public int Count => _active.Count;

    /// <summary>A snapshot of the active alerts, ordered by id.</summary>
    public IReadOnlyList<ActiveAlert> Active()
    {
        var list = new List<ActiveAlert>(_active.Count);
        foreach (KeyValuePair<AlertKey, Entry> kv in _active)
        {
            list.Add(ToActive(kv.Key, kv.Value));
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
        if (!_byId.TryGetValue(alertId, out AlertKey key) || !_active.TryGetValue(key, out Entry? e))
        {
            return false;
        }

        e.AcknowledgedBy = by;
        events.Add(Make(key, e, at, AlertEventType.Acknowledged));
        return true;
    }

    /// <summary>Asserts that an alert holds in cycle <paramref name="cycle"/>.</summary>
    internal void Assert(in AlertKey key, AlertLevel level, double? timeToEventS, ResolutionAdvisory? advisory, long cycle, DateTimeOffset now, List<AlertEvent> events)
    {
        if (_active.TryGetValue(key, out Entry? e))
        {
            e.LastCycle = cycle;
            e.TimeToEventS = timeToEventS;
            bool changed = e.Level != level || !Equals(e.Advisory, advisory);
            if (changed)
            {
                e.Level = level;
                e.Advisory = advisory;
                e.UpdatedAt = now;
                events.Add(Make(key, e, now, AlertEventType.Updated));
            }

            return;
        }

        var entry = new Entry
        {
            Id = _nextId++,
            Level = level,
            TimeToEventS = timeToEventS,
            Advisory = advisory,
            LastCycle = cycle,
            RaisedAt = now,
            UpdatedAt = now,
        };
        _active.Add(key, entry);
        _byId.Add(entry.Id, key);
        events.Add(Make(key, entry, now, AlertEventType.Raised));
    }

    /// <summary>Clears every alert not asserted in <paramref name="cycle"/>, in the order they were raised.</summary>
    internal void Sweep(long cycle, DateTimeOffset now, List<AlertEvent> events)
    {
        _sweep.Clear();
        foreach (KeyValuePair<AlertKey, Entry> kv in _active)
        {
            if (kv.Value.LastCycle != cycle)
            {
                _sweep.Add(kv.Key);
            }
        }

        if (_sweep.Count == 0)
        {
            return;
        }

        _sweep.Sort((a, b) => _active[a].Id.CompareTo(_active[b].Id));
        foreach (AlertKey key in _sweep)
        {
            Entry e = _active[key];
            _active.Remove(key);
            _byId.Remove(e.Id);
            events.Add(Make(key, e, now, AlertEventType.Cleared));
        }
    }

    private static AlertEvent Make(in AlertKey key, Entry e, DateTimeOffset at, AlertEventType type) =>
        new(e.Id, at, key.Kind, type, e.Level, key.Aircraft, key.Other, key.Zone, key.Intent,
            type == AlertEventType.Cleared ? null : e.TimeToEventS, e.Advisory, e.AcknowledgedBy);

    private static ActiveAlert ToActive(in AlertKey key, Entry e) =>
        new(e.Id, key.Kind, e.Level, key.Aircraft, key.Other, key.Zone, key.Intent, e.RaisedAt, e.UpdatedAt, e.TimeToEventS, e.Advisory, e.AcknowledgedBy);

    private sealed class Entry
    {
        public long Id { get; init; }

        public AlertLevel Level { get; set; }

        public double? TimeToEventS { get; set; }

        public ResolutionAdvisory? Advisory { get; set; }

        public long LastCycle { get; set; }

        public DateTimeOffset RaisedAt { get; init; }

        public DateTimeOffset UpdatedAt { get; set; }

        public string? AcknowledgedBy { get; set; }
    }
}

/// <summary>What identifies one alert: its kind and the aircraft, other aircraft, zone and intent it concerns.</summary>
internal readonly record struct AlertKey(AlertKind Kind, string Aircraft, string? Other, string? Zone, string? Intent);
