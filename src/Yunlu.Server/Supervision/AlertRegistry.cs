using System.Globalization;
using System.Text;
using Yunlu.Supervision.Alerts;

namespace Yunlu.Server.Supervision;

/// <summary>
/// The server's view of the alerts: stable server ids over engine rebuilds (an alert the rebuilt engine raises again
/// with the same kind, aircraft, other, zone and intent keeps its id), acknowledgements by people, and the recently
/// cleared alerts. Thread-safe (one lock): the cycle loop applies events, HTTP readers list and acknowledge.
/// </summary>
public sealed class AlertRegistry
{
    /// <summary>Cleared alerts kept for <c>GET /alerts</c> and acknowledgement.</summary>
    public const int ClearedKept = 2000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Entry> _byEngineId = [];
    private readonly Dictionary<long, Entry> _byId = [];
    private readonly Queue<Entry> _cleared = new();
    private readonly HashSet<string> _carried = new(StringComparer.Ordinal);
    private long _nextId;

    /// <summary>Creates a registry whose ids continue after <paramref name="lastId"/> (the largest recorded).</summary>
    public AlertRegistry(long lastId = 0) => _nextId = lastId;

    /// <summary>Continues the ids after <paramref name="lastId"/> (the largest recorded), unless they are already past it.</summary>
    public void ContinueAfter(long lastId)
    {
        lock (_gate)
        {
            _nextId = Math.Max(_nextId, lastId);
        }
    }

    /// <summary>Alerts not cleared.</summary>
    public int OpenCount
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>The wire name of a level.</summary>
    public static string Severity(AlertLevel level) => level switch
    {
        AlertLevel.Advisory => "advisory",
        AlertLevel.Caution => "caution",
        _ => "warning",
    };

    /// <summary>The wire name of an advisory manoeuvre.</summary>
    public static string Maneuver(AdvisoryManeuver m) => m switch
    {
        AdvisoryManeuver.Climb => "climb",
        AdvisoryManeuver.Descend => "descend",
        AdvisoryManeuver.TurnRight => "turn_right",
        _ => "hold",
    };

    /// <summary>A new engine starts: its alert ids are new; open alerts wait to be asserted again by it
    /// (<see cref="FinishCarry"/> clears the ones it did not).</summary>
    public void NewGeneration()
    {
        lock (_gate)
        {
            _byEngineId.Clear();
            _carried.Clear();
            foreach (string key in _open.Keys)
            {
                _carried.Add(key);
            }
        }
    }

    /// <summary>Clears the open alerts of the previous engine that the new one did not raise again.</summary>
    /// <param name="at">The cycle time.</param>
    /// <param name="published">Receives the cleared alerts.</param>
    public void FinishCarry(DateTimeOffset at, List<AlertDto> published)
    {
        lock (_gate)
        {
            foreach (string key in _carried)
            {
                if (_open.Remove(key, out Entry? e))
                {
                    Clear(e, at);
                    published.Add(e.Dto!);
                }
            }

            _carried.Clear();
        }
    }

    /// <summary>Applies one engine event.</summary>
    /// <param name="e">The event.</param>
    /// <param name="latDeg">The aircraft's latitude now.</param>
    /// <param name="lonDeg">The aircraft's longitude now.</param>
    /// <param name="owner">The owner of the aircraft's intent (for webhooks), or null.</param>
    /// <returns>The alert to publish, or null when nothing a person sees changed.</returns>
    public AlertDto? Apply(AlertEvent e, double latDeg, double lonDeg, string? owner)
    {
        ArgumentNullException.ThrowIfNull(e);
        lock (_gate)
        {
            switch (e.Event)
            {
                case AlertEventType.Raised:
                {
                    string key = Key(e);
                    if (_open.TryGetValue(key, out Entry? carried) && _carried.Remove(key))
                    {
                        _byEngineId[e.AlertId] = carried;
                        bool changed = Update(carried, e, latDeg, lonDeg);
                        return changed ? carried.Dto : null;
                    }

                    var entry = new Entry
                    {
                        Id = ++_nextId,
                        Key = key,
                        Kind = e.Kind.WireName(),
                        Aircraft = e.Aircraft,
                        Other = e.Other,
                        Zone = e.Zone,
                        Intent = e.Intent,
                        RaisedUtc = e.Time,
                        Owner = owner,
                    };
                    entry.Severity = Severity(e.Level);
                    entry.State = "raised";
                    Fill(entry, e, latDeg, lonDeg);
                    _open[key] = entry;
                    _byEngineId[e.AlertId] = entry;
                    _byId[entry.Id] = entry;
                    return entry.Dto;
                }

                case AlertEventType.Updated:
                    if (_byEngineId.TryGetValue(e.AlertId, out Entry? u))
                    {
                        return Update(u, e, latDeg, lonDeg) ? u.Dto : null;
                    }

                    return null;
                case AlertEventType.Cleared:
                    if (_byEngineId.Remove(e.AlertId, out Entry? c))
                    {
                        _open.Remove(c.Key);
                        c.LatDeg = latDeg;
                        c.LonDeg = lonDeg;
                        Clear(c, e.Time);
                        return c.Dto;
                    }

                    return null;
                default:
                    return null;
            }
        }
    }

    /// <summary>Records that a person acknowledged an alert (active or recently cleared).</summary>
    /// <returns>The alert, or null when the id is unknown.</returns>
    public AlertDto? Acknowledge(long id, string by, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (!_byId.TryGetValue(id, out Entry? e))
            {
                return null;
            }

            e.AcknowledgedBy = by;
            e.AcknowledgedUtc = at;
            e.Dto = ToDto(e);
            return e.Dto;
        }
    }

    /// <summary>One alert by id, or null.</summary>
    public AlertDto? Get(long id)
    {
        lock (_gate)
        {
            return _byId.TryGetValue(id, out Entry? e) ? e.Dto : null;
        }
    }

    /// <summary>The owner of an alert's aircraft intent, or null.</summary>
    public string? OwnerOf(long id)
    {
        lock (_gate)
        {
            return _byId.TryGetValue(id, out Entry? e) ? e.Owner : null;
        }
    }

    /// <summary>The alerts, newest update first: only the open ones, or those and the recently cleared.</summary>
    public List<AlertDto> List(bool openOnly)
    {
        lock (_gate)
        {
            var list = new List<AlertDto>(_open.Count + (openOnly ? 0 : _cleared.Count));
            foreach (Entry e in _open.Values)
            {
                list.Add(e.Dto!);
            }

            if (!openOnly)
            {
                foreach (Entry e in _cleared)
                {
                    list.Add(e.Dto!);
                }
            }

            list.Sort(static (a, b) => b.UpdatedUtc != a.UpdatedUtc ? b.UpdatedUtc.CompareTo(a.UpdatedUtc) : b.Id.CompareTo(a.Id));
            return list;
        }
    }

    private void Clear(Entry e, DateTimeOffset at)
    {
        e.State = "cleared";
        e.ClearedUtc = at;
        e.UpdatedUtc = at;
        e.Dto = ToDto(e);
        _cleared.Enqueue(e);
        while (_cleared.Count > ClearedKept)
        {
            Entry old = _cleared.Dequeue();
            _byId.Remove(old.Id);
        }
    }

    private static bool Update(Entry entry, AlertEvent e, double latDeg, double lonDeg)
    {
        string severity = Severity(e.Level);
        string? advisory = e.Advisory is null ? null : Maneuver(e.Advisory.Maneuver);
        bool changed = !string.Equals(severity, entry.Severity, StringComparison.Ordinal) || !string.Equals(advisory, entry.Advisory, StringComparison.Ordinal) ||
            !string.Equals(e.Advisory?.Aircraft, entry.AdvisoryAircraft, StringComparison.Ordinal);
        entry.Severity = severity;
        if (changed)
        {
            entry.State = "updated";
        }

        Fill(entry, e, latDeg, lonDeg);
        return changed;
    }

    private static void Fill(Entry entry, AlertEvent e, double latDeg, double lonDeg)
    {
        entry.Advisory = e.Advisory is null ? null : Maneuver(e.Advisory.Maneuver);
        entry.AdvisoryAircraft = e.Advisory?.Aircraft;
        entry.AdvisoryReason = e.Advisory?.Reason;
        entry.TimeToEventS = e.TimeToEventS;
        entry.LatDeg = latDeg;
        entry.LonDeg = lonDeg;
        entry.UpdatedUtc = e.Time;
        entry.Dto = ToDto(entry);
    }

    private static string Key(AlertEvent e) =>
        string.Join('\u001f', e.Kind.WireName(), e.Aircraft, e.Other ?? "", e.Zone ?? "", e.Intent ?? "");

    private static AlertDto ToDto(Entry e) => new(e.Id, e.Kind, e.Severity, e.State, e.Aircraft, e.Other, e.Zone, e.Intent, e.LatDeg, e.LonDeg,
        e.RaisedUtc, e.UpdatedUtc, e.ClearedUtc, e.AcknowledgedBy, e.AcknowledgedUtc, e.Advisory, Message(e), e.AdvisoryAircraft, e.TimeToEventS);

    private static string Message(Entry e)
    {
        var sb = new StringBuilder();
        sb.Append(e.Kind switch
        {
            "zone_incursion" => $"{e.Aircraft} is inside zone {e.Zone}",
            "zone_incursion_predicted" => $"{e.Aircraft} will enter zone {e.Zone}",
            "separation_loss" => $"{e.Aircraft} and {e.Other} are closer than the separation minima",
            "separation_predicted" => $"{e.Aircraft} and {e.Other} will lose separation",
            "nonconforming" => $"{e.Aircraft} is outside its intent {e.Intent}",
            "contingent" => $"{e.Aircraft} has been outside its intent {e.Intent} for the contingent time",
            "lost_link" => $"no data from {e.Aircraft}",
            "ceiling" => $"{e.Aircraft} is above the true-height ceiling",
            "wind_limit" => $"wind at {e.Aircraft} exceeds its limit",
            "no_intent" => $"{e.Aircraft} flies without an Activated intent",
            _ => $"{e.Kind} {e.Aircraft}",
        });
        if (e.TimeToEventS is { } tte && tte > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $" in {tte:0.#} s");
        }

        if (e.Advisory is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"; advisory: {e.AdvisoryAircraft} {e.Advisory} ({e.AdvisoryReason})");
        }

        if (e.State == "cleared")
        {
            sb.Append(" (cleared)");
        }

        return sb.ToString();
    }

    private sealed class Entry
    {
        public long Id { get; init; }

        public required string Key { get; init; }

        public required string Kind { get; init; }

        public required string Aircraft { get; init; }

        public string? Other { get; init; }

        public string? Zone { get; init; }

        public string? Intent { get; init; }

        public string? Owner { get; init; }

        public string Severity { get; set; } = "";

        public string State { get; set; } = "";

        public double LatDeg { get; set; }

        public double LonDeg { get; set; }

        public DateTimeOffset RaisedUtc { get; init; }

        public DateTimeOffset UpdatedUtc { get; set; }

        public DateTimeOffset? ClearedUtc { get; set; }

        public string? AcknowledgedBy { get; set; }

        public DateTimeOffset? AcknowledgedUtc { get; set; }

        public string? Advisory { get; set; }

        public string? AdvisoryAircraft { get; set; }

        public string? AdvisoryReason { get; set; }

        public double? TimeToEventS { get; set; }

        public AlertDto? Dto { get; set; }
    }
}
