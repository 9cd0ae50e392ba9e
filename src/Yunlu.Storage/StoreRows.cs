using System.Globalization;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Storage.Serialization;

namespace Yunlu.Storage;

/// <summary>Values both stores derive from domain objects before writing them.</summary>
internal static class StoreRows
{
    /// <summary>Timestamps are kept at microsecond precision in UTC (PostgreSQL timestamptz's precision), so both
    /// stores return identical values.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset t)
    {
        var utc = t.UtcTicks;
        return new DateTimeOffset(utc - (utc % 10), TimeSpan.Zero);
    }

    public static long ToUnixMicroseconds(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromUnixMicroseconds(long us) => new(DateTimeOffset.UnixEpoch.UtcTicks + (us * 10), TimeSpan.Zero);

    public static string FormatDouble(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static double ParseDouble(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static string ConflictMessage(string identifier, long expected, long? stored) =>
        stored is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"zone '{identifier}': expected version {expected} but the stored version is {s}")
            : string.Create(CultureInfo.InvariantCulture, $"zone '{identifier}': expected version {expected} but the zone does not exist");
}

/// <summary>The indexed columns and the JSON snapshot of one zone.</summary>
internal readonly record struct ZoneRow(Zone Zone, string Json, BoundingBox Box)
{
    public static ZoneRow Of(Zone zone) => new(zone, ZoneJson.Serialize(zone), GeoBounds.Of(zone.Footprint));

    public string Restriction => Zone.Restriction.ToString();

    public string LowerRef => Zone.Lower.Reference.ToString();

    public string UpperRef => Zone.Upper.Reference.ToString();

    public CircleFootprint? Circle => Zone.Footprint as CircleFootprint;
}
