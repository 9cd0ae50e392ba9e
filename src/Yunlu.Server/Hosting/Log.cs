using Microsoft.Extensions.Logging;

namespace Yunlu.Server.Hosting;

/// <summary>Source-generated log messages of the server (event ids 1000–1099).</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "{Method} {Path} → {Status} in {ElapsedMs:0.0} ms")]
    public static partial void Request(ILogger logger, string method, string path, int status, double elapsedMs);

    [LoggerMessage(1001, LogLevel.Information, "Store ready: {StoreKind}, schema version {SchemaVersion}")]
    public static partial void StoreReady(ILogger logger, string storeKind, int schemaVersion);

    [LoggerMessage(1002, LogLevel.Information, "Demo data: imported {Kind} from {File} ({FeatureCount} features)")]
    public static partial void DemoImported(ILogger logger, string kind, string file, int featureCount);

    [LoggerMessage(1003, LogLevel.Warning, "Demo data: {File} rejected: {FirstError}")]
    public static partial void DemoRejected(ILogger logger, string file, string firstError);

    [LoggerMessage(1004, LogLevel.Information, "Demo data: skipped {File} (no importer for this kind of file)")]
    public static partial void DemoSkipped(ILogger logger, string file);

    [LoggerMessage(1005, LogLevel.Information, "Import {Kind} {File} by {Actor}: {FeatureCount} features, stored={Stored}, {ErrorCount} errors")]
    public static partial void Imported(ILogger logger, string kind, string file, string actor, int featureCount, bool stored, int errorCount);

    [LoggerMessage(1006, LogLevel.Error, "Unhandled exception on {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(1007, LogLevel.Warning, "Store unavailable on {Method} {Path}: {Message}")]
    public static partial void StoreUnavailable(ILogger logger, string method, string path, string message);

    [LoggerMessage(1008, LogLevel.Information, "Web console served from {WebRoot}")]
    public static partial void WebRoot(ILogger logger, string webRoot);

    [LoggerMessage(1009, LogLevel.Warning, "No web console found (looked for wwwroot and web/dist)")]
    public static partial void NoWebRoot(ILogger logger);

    [LoggerMessage(1010, LogLevel.Information, "Zone {Identifier} {Action} by {Actor}, version {Version}")]
    public static partial void ZoneChanged(ILogger logger, string identifier, string action, string actor, long version);

    [LoggerMessage(1011, LogLevel.Error, "Demo data loading failed")]
    public static partial void DemoFailed(ILogger logger, Exception exception);

    [LoggerMessage(1012, LogLevel.Warning, "Rate limit hit for {Partition} on {Path}")]
    public static partial void RateLimited(ILogger logger, string partition, string path);
}
