namespace Yunlu.Storage.Supervision;

/// <summary>One recorded position: the track's state right after a report was taken in (compact row).</summary>
/// <param name="AircraftId">The track id.</param>
/// <param name="TimeUs">Report time, microseconds since the Unix epoch (UTC).</param>
/// <param name="LatDeg">Latitude, degrees.</param>
/// <param name="LonDeg">Longitude, degrees.</param>
/// <param name="AltW84M">Height above the WGS84 ellipsoid, metres, or NaN.</param>
/// <param name="AltAmslM">Height above mean sea level, metres, or NaN.</param>
/// <param name="AltAglM">Height above the ground, metres, or NaN.</param>
/// <param name="VnMps">North speed, m/s.</param>
/// <param name="VeMps">East speed, m/s.</param>
/// <param name="VuMps">Up speed, m/s.</param>
/// <param name="Sources">Bit mask of the sources that fed the track (bit = source kind).</param>
/// <param name="Flags">Bit 0: manned; bits 1–2: conformance (0 none, 1 conforming, 2 nonconforming, 3 contingent).</param>
public readonly record struct RecordedPosition(
    string AircraftId,
    long TimeUs,
    double LatDeg,
    double LonDeg,
    double AltW84M,
    double AltAmslM,
    double AltAglM,
    double VnMps,
    double VeMps,
    double VuMps,
    int Sources,
    int Flags);

/// <summary>One recorded alert lifecycle event.</summary>
/// <param name="AlertId">The alert id.</param>
/// <param name="TimeUs">When, microseconds since the Unix epoch (UTC).</param>
/// <param name="Kind">The wire kind, e.g. <c>zone_incursion</c>.</param>
/// <param name="Event">raised, updated, cleared or acknowledged.</param>
/// <param name="Severity">advisory, caution or warning.</param>
/// <param name="Aircraft">The aircraft.</param>
/// <param name="Other">The other aircraft, or null.</param>
/// <param name="Zone">The zone, or null.</param>
/// <param name="Intent">The intent, or null.</param>
/// <param name="LatDeg">Where, degrees.</param>
/// <param name="LonDeg">Where, degrees.</param>
/// <param name="Advisory">The resolution advisory, or null.</param>
/// <param name="AcknowledgedBy">Who acknowledged, or null.</param>
/// <param name="Message">A readable summary.</param>
public sealed record RecordedAlertEvent(
    long AlertId,
    long TimeUs,
    string Kind,
    string Event,
    string Severity,
    string Aircraft,
    string? Other,
    string? Zone,
    string? Intent,
    double LatDeg,
    double LonDeg,
    string? Advisory,
    string? AcknowledgedBy,
    string Message);

/// <summary>
/// The supervision recording (schema migrations 6 and 7): positions appended in batches, alert events, and the time-travel
/// queries over them. Implementations are thread-safe; appends are meant for one writer loop.
/// </summary>
public interface ISupervisionStore : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgres".</summary>
    string Kind { get; }

    /// <summary>Appends positions in one transaction.</summary>
    Task AppendPositionsAsync(ReadOnlyMemory<RecordedPosition> rows, CancellationToken cancellationToken);

    /// <summary>Appends alert events in one transaction.</summary>
    Task AppendAlertEventsAsync(IReadOnlyList<RecordedAlertEvent> events, CancellationToken cancellationToken);

    /// <summary>The last recorded position of each aircraft in (<paramref name="fromUs"/>, <paramref name="atUs"/>].</summary>
    /// <param name="atUs">The picture time, µs since the epoch.</param>
    /// <param name="fromUs">The window start (exclusive), µs since the epoch.</param>
    /// <param name="limit">Most aircraft returned.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>One row per aircraft, ordered by aircraft id.</returns>
    Task<IReadOnlyList<RecordedPosition>> PictureAsync(long atUs, long fromUs, int limit, CancellationToken cancellationToken);

    /// <summary>The recorded positions of one aircraft in [<paramref name="fromUs"/>, <paramref name="toUs"/>], oldest first.</summary>
    Task<IReadOnlyList<RecordedPosition>> HistoryAsync(string aircraftId, long fromUs, long toUs, int limit, CancellationToken cancellationToken);

    /// <summary>Alert events in [<paramref name="fromUs"/>, <paramref name="toUs"/>], oldest first.</summary>
    Task<IReadOnlyList<RecordedAlertEvent>> AlertEventsAsync(long fromUs, long toUs, int limit, CancellationToken cancellationToken);

    /// <summary>The largest alert id recorded, or 0.</summary>
    Task<long> MaxAlertIdAsync(CancellationToken cancellationToken);

    /// <summary>Records when the aircraft of a Nonconforming intent left its volumes (the start of its ASTM F3548
    /// contingent clock; table <c>sup_conformance</c>, migration 7), or forgets it with null (back inside, Contingent
    /// or ended).</summary>
    /// <param name="intentId">The intent id (as supervision names it).</param>
    /// <param name="sinceUs">The moment, µs since the epoch (UTC), or null to forget.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task SetNonconformingSinceAsync(string intentId, long? sinceUs, CancellationToken cancellationToken);

    /// <summary>Every recorded nonconforming moment by intent id (µs since the epoch), read when supervision starts.</summary>
    Task<IReadOnlyDictionary<string, long>> NonconformingSinceAsync(CancellationToken cancellationToken);

    /// <summary>Deletes positions and alert events older than <paramref name="beforeUs"/>.</summary>
    /// <returns>Rows deleted.</returns>
    Task<long> PurgeAsync(long beforeUs, CancellationToken cancellationToken);
}

/// <summary>Creates the supervision store for the main store's connection string or path.</summary>
public static class SupervisionStoreFactory
{
    /// <summary>Creates the store (no connection opened; the schema comes with <see cref="IYunluStore.MigrateAsync"/>).</summary>
    /// <param name="connectionStringOrPath">The same string the main store was opened with.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    public static ISupervisionStore Create(string connectionStringOrPath, YunluStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionStringOrPath);
        if (YunluStoreFactory.Detect(connectionStringOrPath) == YunluStoreKind.Postgres)
        {
            return new PostgresSupervisionStore(connectionStringOrPath, options);
        }

        var s = connectionStringOrPath.Trim();
        if (!s.Contains('=', StringComparison.Ordinal) && Directory.Exists(s))
        {
            s = Path.Combine(s, YunluStoreFactory.DefaultSqliteFileName);
        }

        return new SqliteSupervisionStore(s, options);
    }
}
