using Microsoft.Extensions.Logging;
using Yunlu.Airspace.Validation;
using Yunlu.Server.Hosting;
using Yunlu.Storage.Airspace;
using Yunlu.Terrain.Weather;

namespace Yunlu.Server.Airspace;

/// <summary>The demo seeder with the airspace additions: runs the folder seeder (terrain, zones, buildings, sites), then
/// loads the demo folder's <c>corridors.geojson</c> (airway nodes and corridors) and <c>weather-stations.csv</c>
/// (station observations) into the airspace store. Runs on first start only, like the folder seeder.</summary>
public sealed partial class AirspaceDemoSeeder(
    FolderDemoSeeder inner, YunluServerOptions options, IAirspaceStore airspace, ILogger<AirspaceDemoSeeder> logger) : IDemoSeeder
{
    /// <summary>The demo airway file's name.</summary>
    public const string CorridorsFile = "corridors.geojson";

    /// <summary>The demo weather file's name.</summary>
    public const string WeatherFile = "weather-stations.csv";

    /// <inheritdoc />
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        await inner.SeedAsync(cancellationToken).ConfigureAwait(false);
        if (FolderDemoSeeder.ResolveFolder(options) is not { } folder)
        {
            return;
        }

        string corridors = Path.Combine(folder, CorridorsFile);
        if (File.Exists(corridors))
        {
            byte[] bytes = await File.ReadAllBytesAsync(corridors, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<ValidationError> errors = AirwaysGeoJson.Read(bytes, out var nodes, out var list);
            if (errors.Count > 0)
            {
                Rejected(logger, CorridorsFile, errors[0].ToString());
            }
            else
            {
                await airspace.ImportAirwaysAsync(nodes, list, FolderDemoSeeder.Actor, cancellationToken).ConfigureAwait(false);
                Imported(logger, CorridorsFile, nodes.Count + list.Count);
            }
        }

        string weather = Path.Combine(folder, WeatherFile);
        if (File.Exists(weather))
        {
            WeatherReadResult read;
            await using (FileStream stream = File.OpenRead(weather))
            {
                read = WeatherObservationReader.ReadCsv(stream);
            }

            if (!read.Ok)
            {
                Rejected(logger, WeatherFile, read.Errors[0].ToString());
            }
            else
            {
                await airspace.AddWeatherObservationsAsync(read.Observations, FolderDemoSeeder.Actor, cancellationToken).ConfigureAwait(false);
                Imported(logger, WeatherFile, read.Observations.Count);
            }
        }
    }

    [LoggerMessage(1100, LogLevel.Information, "Demo data: imported {File} ({Count} items)")]
    private static partial void Imported(ILogger logger, string file, int count);

    [LoggerMessage(1101, LogLevel.Warning, "Demo data: {File} rejected: {FirstError}")]
    private static partial void Rejected(ILogger logger, string file, string firstError);
}
