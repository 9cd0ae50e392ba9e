using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Supervision;
using Yunlu.Supervision.Alerts;
using Yunlu.Supervision.Checks;
using Yunlu.Supervision.Replay;
using Yunlu.Supervision.Tracks;

namespace Yunlu.Formats.Telemetry;

/// <summary>What a replay did.</summary>
/// <param name="Errors">Input problems (file, feature/line, field, rule); when any, nothing was written.</param>
/// <param name="Reports">Position reports replayed.</param>
/// <param name="Cycles">Check cycles run.</param>
/// <param name="EventsWritten">JSONL lines written.</param>
/// <param name="Zones">Zones loaded.</param>
/// <param name="Intents">Intents loaded.</param>
public sealed record ReplayResult(IReadOnlyList<string> Errors, long Reports, long Cycles, long EventsWritten, int Zones, int Intents)
{
    /// <summary>True when the inputs were valid and the output was written.</summary>
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// <c>yunlu supervise replay --zones &lt;geojson&gt; [--intents &lt;json&gt;] --telemetry &lt;csv&gt; --out &lt;alerts.jsonl&gt;</c>:
/// runs the live checks over a recorded telemetry file as fast as possible and writes one JSON line per raised or
/// cleared alert.
/// </summary>
public static class SupervisionReplay
{
    /// <summary>Runs a replay from files.</summary>
    /// <param name="zonesPath">Zones file (GeoJSON, ED-269, ED-318 or KML; read by <see cref="ZoneFiles.Read"/>).</param>
    /// <param name="intentsPath">Intents file (<see cref="IntentFiles"/>), or null: then no intent is required (no no_intent alerts).</param>
    /// <param name="telemetryPath">Telemetry CSV (<see cref="TelemetryCsv"/>).</param>
    /// <param name="outPath">Output JSONL, written only when every input is valid (replaced if present).</param>
    /// <param name="options">Check thresholds; defaults when null (RequireIntent follows whether intents were given).</param>
    /// <param name="ground">Ground elevations for AGL conversions (e.g. the demo DEM), or null.</param>
    /// <param name="cancellationToken">Stops the replay between cycles.</param>
    /// <returns>What happened; <see cref="ReplayResult.Errors"/> lists every input problem.</returns>
    public static ReplayResult Run(string zonesPath, string? intentsPath, string telemetryPath, string outPath,
        SupervisionOptions? options = null, IGroundElevation? ground = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(zonesPath);
        ArgumentException.ThrowIfNullOrEmpty(telemetryPath);
        ArgumentException.ThrowIfNullOrEmpty(outPath);
        var errors = new List<string>();
        IReadOnlyList<Zone> zones = [];
        IReadOnlyList<SupervisedIntent> intents = [];
        IReadOnlyList<PositionReport> reports = [];
        Load(zonesPath, "zones", errors, s =>
        {
            ImportResult<Zone> r = ZoneFiles.Read(s, Path.GetFileName(zonesPath));
            zones = r.Items;
            return r.Errors;
        });
        if (intentsPath is not null)
        {
            Load(intentsPath, "intents", errors, s =>
            {
                ImportResult<SupervisedIntent> r = IntentFiles.Read(s);
                intents = r.Items;
                return r.Errors;
            });
        }

        Load(telemetryPath, "telemetry", errors, s =>
        {
            ImportResult<PositionReport> r = TelemetryCsv.Read(s);
            reports = r.Items;
            return r.Errors;
        });
        if (errors.Count > 0)
        {
            return new ReplayResult(errors, 0, 0, 0, zones.Count, intents.Count);
        }

        SupervisionOptions o = options ?? new SupervisionOptions { RequireIntent = intentsPath is not null };
        using var output = new MemoryStream();
        long written = 0;
        long cycles = Replay(zones, intents, reports, o, ground, e =>
        {
            if (AlertJsonl.IsWritten(e))
            {
                AlertJsonl.WriteLine(output, e);
                written++;
            }
        }, cancellationToken);

        string? dir = Path.GetDirectoryName(Path.GetFullPath(outPath));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        File.WriteAllBytes(outPath, output.ToArray());
        return new ReplayResult([], reports.Count, cycles, written, zones.Count, intents.Count);
    }

    /// <summary>Replays in-memory inputs (the core of <see cref="Run"/>; also used by the simulator and tests).</summary>
    /// <param name="zones">Zones.</param>
    /// <param name="intents">Intents.</param>
    /// <param name="reports">Reports (any order; sorted by time).</param>
    /// <param name="options">Thresholds.</param>
    /// <param name="ground">Ground elevations, or null.</param>
    /// <param name="sink">Receives every alert event (raised, updated, cleared).</param>
    /// <param name="cancellationToken">Stops between cycles.</param>
    /// <returns>The number of cycles run.</returns>
    public static long Replay(IReadOnlyList<Zone> zones, IReadOnlyList<SupervisedIntent> intents, IReadOnlyList<PositionReport> reports,
        SupervisionOptions options, IGroundElevation? ground, Action<AlertEvent> sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var store = new TrackStore(FrameOrigin(reports), new AltitudeConverter(Egm96Geoid.Instance, ground));
        var engine = new SupervisionEngine(store, zones, intents, options);
        return ReplayRunner.Run(engine, reports, sink, null, cancellationToken);
    }

    private static GeoPoint FrameOrigin(IReadOnlyList<PositionReport> reports)
    {
        if (reports.Count == 0)
        {
            return new GeoPoint(0, 0);
        }

        double w = double.MaxValue, e = double.MinValue, s = double.MaxValue, n = double.MinValue;
        foreach (PositionReport r in reports)
        {
            w = Math.Min(w, r.Position.LonDeg);
            e = Math.Max(e, r.Position.LonDeg);
            s = Math.Min(s, r.Position.LatDeg);
            n = Math.Max(n, r.Position.LatDeg);
        }

        return new GeoPoint((w + e) / 2, (s + n) / 2);
    }

    private static void Load(string path, string what, List<string> errors, Func<Stream, IReadOnlyList<FeatureError>> read)
    {
        try
        {
            using FileStream s = File.OpenRead(path);
            foreach (FeatureError fe in read(s))
            {
                errors.Add($"{what} {Path.GetFileName(path)}: {fe}");
            }
        }
        catch (InvalidFileException ex)
        {
            errors.Add($"{what} {Path.GetFileName(path)}: {ex.Message} [{ex.Rule}]");
        }
        catch (IOException ex)
        {
            errors.Add($"{what} {path}: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            errors.Add($"{what} {path}: {ex.Message}");
        }
    }
}
