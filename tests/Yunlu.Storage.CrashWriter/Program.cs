using System.Globalization;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Storage;

// Usage: Yunlu.Storage.CrashWriter <connection string or SQLite path> <identifier prefix> <max zones>
// Writes zones one by one; after each write is acknowledged (the upsert returned) prints its identifier and flushes.
if (args.Length != 3)
{
    await Console.Error.WriteLineAsync("usage: Yunlu.Storage.CrashWriter <connection string or path> <prefix> <max zones>");
    return 2;
}

var max = int.Parse(args[2], CultureInfo.InvariantCulture);
await using var store = await YunluStoreFactory.OpenAsync(args[0], null, CancellationToken.None);
var stdout = Console.Out;
await stdout.WriteLineAsync("ready");
await stdout.FlushAsync();
for (var i = 0; i < max; i++)
{
    var id = string.Create(CultureInfo.InvariantCulture, $"{args[1]}-{i}");
    var zone = new Zone(
        id, "崩溃测试 " + id, "CHN", ZoneRestriction.Prohibited, [ZoneReason.Other],
        new CircleFootprint(new GeoPoint(106.7 + (i % 100 * 0.001), 26.5 + (i / 100 % 100 * 0.001)), 150),
        Altitude.Agl(0), Altitude.Agl(120), [ZoneApplicability.Always], null, null);
    await store.UpsertZoneAsync(zone, "crash-writer", null, CancellationToken.None);
    await stdout.WriteLineAsync(id);
    await stdout.FlushAsync();
}

return 0;
