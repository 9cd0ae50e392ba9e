using System.Globalization;
using System.Text;
using Yunlu.Formats.Internal;
using Yunlu.Geo;
using Yunlu.Supervision;

namespace Yunlu.Formats.Telemetry;

/// <summary>
/// Telemetry CSV, the replay format of <c>yunlu supervise replay</c>: header
/// <c>time_utc,aircraft_id,lat_deg,lon_deg,alt_m,alt_ref,vn_mps,ve_mps,vu_mps</c>; one position per row; alt_ref one
/// of AGL, AMSL, W84; the three velocities (north, east, up; m/s) all given or all empty. Plain comma separation (no
/// quoting); blank lines are skipped.
/// </summary>
public static class TelemetryCsv
{
    /// <summary>The header line, exactly.</summary>
    public const string Header = "time_utc,aircraft_id,lat_deg,lon_deg,alt_m,alt_ref,vn_mps,ve_mps,vu_mps";

    /// <summary>
    /// Reads a whole file. Every bad row is reported (line number as the feature index, 1-based, the field and the
    /// rule); a file with any error must not be used (<see cref="ImportResult{T}.Ok"/> false).
    /// </summary>
    /// <param name="stream">The CSV (UTF-8), read to its end (at most <see cref="ImportLimits.MaxBytes"/>).</param>
    /// <param name="limits">Limits (size, error count); default when null.</param>
    /// <returns>The reports in file order and the errors.</returns>
    public static ImportResult<PositionReport> Read(Stream stream, ImportLimits? limits = null)
    {
        limits ??= ImportLimits.Default;
        byte[] bytes = BoundedInput.ReadAll(stream, limits.MaxBytes, "the telemetry file");
        string text = new UTF8Encoding(false, false).GetString(bytes);
        var reports = new List<PositionReport>();
        var errors = new List<FeatureError>();
        int lineNo = 0;
        bool headerSeen = false;
        foreach (ReadOnlySpan<char> raw in text.AsSpan().EnumerateLines())
        {
            lineNo++;
            ReadOnlySpan<char> line = raw.Trim();
            if (lineNo == 1 && line.Length > 0 && line[0] == '\uFEFF')
            {
                line = line[1..];
            }

            if (line.IsEmpty)
            {
                continue;
            }

            if (!headerSeen)
            {
                headerSeen = true;
                if (!line.SequenceEqual(Header))
                {
                    errors.Add(new FeatureError(lineNo, null, "header", TelemetryRules.HeaderInvalid, $"the first line must be exactly '{Header}'"));
                    break;
                }

                continue;
            }

            if (errors.Count >= limits.MaxErrors)
            {
                break;
            }

            if (TryParseRow(line, lineNo, errors, out PositionReport r))
            {
                reports.Add(r);
            }
        }

        if (!headerSeen)
        {
            errors.Add(new FeatureError(-1, null, "header", TelemetryRules.HeaderInvalid, "the file is empty; it must start with the header line"));
        }

        return new ImportResult<PositionReport>(reports, errors);
    }

    /// <summary>Writes reports as telemetry CSV (altitude with its reference; velocities empty when unknown).</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="reports">The reports.</param>
    public static void Write(TextWriter writer, IEnumerable<PositionReport> reports)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(reports);
        writer.Write(Header);
        writer.Write('\n');
        foreach (PositionReport r in reports)
        {
            string v = r.Velocity is { } vel
                ? string.Create(CultureInfo.InvariantCulture, $"{NoNegativeZero(vel.NorthMps):R},{NoNegativeZero(vel.EastMps):R},{NoNegativeZero(-vel.DownMps):R}")
                : ",,";
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{TimeText.Format(r.Time)},{r.Aircraft.Value},{NoNegativeZero(r.Position.LatDeg):R},{NoNegativeZero(r.Position.LonDeg):R},{NoNegativeZero(r.Altitude.ValueM):R},{RefName(r.Altitude.Reference)},{v}\n"));
        }
    }

    /// <summary>Maps IEEE negative zero to zero, so that the round-trip format never writes "-0" (e.g. the upward
    /// speed of a level aircraft, the negation of a zero down component).</summary>
    internal static double NoNegativeZero(double v) => v == 0 ? 0 : v;

    internal static string RefName(AltitudeReference r) => r switch
    {
        AltitudeReference.Agl => "AGL",
        AltitudeReference.Amsl => "AMSL",
        _ => "W84",
    };

    private static bool TryParseRow(ReadOnlySpan<char> line, int lineNo, List<FeatureError> errors, out PositionReport report)
    {
        report = default;
        Span<Range> cols = stackalloc Range[10];
        int n = line.Split(cols, ',');
        if (n != 9)
        {
            errors.Add(new FeatureError(lineNo, null, "row", TelemetryRules.ColumnCount, $"line {lineNo} has {n} columns, 9 expected"));
            return false;
        }

        string id = line[cols[1]].Trim().ToString();
        int before = errors.Count;
        if (id.Length == 0)
        {
            errors.Add(new FeatureError(lineNo, null, "aircraft_id", TelemetryRules.FieldMissing, $"line {lineNo}: aircraft_id is empty"));
        }

        string? fid = id.Length == 0 ? null : id;
        if (!TimeText.TryParse(line[cols[0]].Trim(), out DateTimeOffset time))
        {
            errors.Add(new FeatureError(lineNo, fid, "time_utc", TelemetryRules.TimeInvalid, $"line {lineNo}: time_utc '{line[cols[0]].ToString()}' is not an ISO 8601 UTC time such as 2025-06-01T08:00:00Z"));
        }

        double lat = Number(line[cols[2]], "lat_deg", lineNo, fid, errors, required: true);
        double lon = Number(line[cols[3]], "lon_deg", lineNo, fid, errors, required: true);
        double alt = Number(line[cols[4]], "alt_m", lineNo, fid, errors, required: true);
        if (lat is < -90 or > 90)
        {
            errors.Add(new FeatureError(lineNo, fid, "lat_deg", TelemetryRules.LatRange, $"line {lineNo}: lat_deg {lat.ToString(CultureInfo.InvariantCulture)} is outside [-90, 90]"));
        }

        if (lon is < -180 or > 180)
        {
            errors.Add(new FeatureError(lineNo, fid, "lon_deg", TelemetryRules.LonRange, $"line {lineNo}: lon_deg {lon.ToString(CultureInfo.InvariantCulture)} is outside [-180, 180]"));
        }

        AltitudeReference? reference = line[cols[5]].Trim() switch
        {
            "AGL" => AltitudeReference.Agl,
            "AMSL" => AltitudeReference.Amsl,
            "W84" => AltitudeReference.W84,
            _ => null,
        };
        if (reference is null)
        {
            errors.Add(new FeatureError(lineNo, fid, "alt_ref", TelemetryRules.AltitudeReferenceUnknown, $"line {lineNo}: alt_ref '{line[cols[5]].ToString()}' must be AGL, AMSL or W84"));
        }

        int given = (line[cols[6]].Trim().IsEmpty ? 0 : 1) + (line[cols[7]].Trim().IsEmpty ? 0 : 1) + (line[cols[8]].Trim().IsEmpty ? 0 : 1);
        VelocityNed? velocity = null;
        if (given == 3)
        {
            double vn = Number(line[cols[6]], "vn_mps", lineNo, fid, errors, required: true);
            double ve = Number(line[cols[7]], "ve_mps", lineNo, fid, errors, required: true);
            double vu = Number(line[cols[8]], "vu_mps", lineNo, fid, errors, required: true);
            velocity = new VelocityNed(vn, ve, -vu);
        }
        else if (given != 0)
        {
            errors.Add(new FeatureError(lineNo, fid, "vn_mps", TelemetryRules.VelocityPartial, $"line {lineNo}: give all three of vn_mps, ve_mps, vu_mps or none"));
        }

        if (errors.Count != before)
        {
            return false;
        }

        report = new PositionReport(time, new AircraftIdentity(IdentityKind.Platform, id), PositionSourceKind.Network,
            new GeoPoint(lon, lat), new Altitude(alt, reference!.Value), velocity);
        return true;
    }

    private static double Number(ReadOnlySpan<char> s, string field, int lineNo, string? fid, List<FeatureError> errors, bool required)
    {
        s = s.Trim();
        if (s.IsEmpty && required)
        {
            errors.Add(new FeatureError(lineNo, fid, field, TelemetryRules.FieldMissing, $"line {lineNo}: {field} is empty"));
            return double.NaN;
        }

        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
        {
            errors.Add(new FeatureError(lineNo, fid, field, TelemetryRules.NumberInvalid, $"line {lineNo}: {field} '{s.ToString()}' is not a finite number"));
            return double.NaN;
        }

        return v;
    }
}

/// <summary>UTC instants as text: parse RFC 3339 / ISO 8601 (must carry Z or an offset), format with a Z.</summary>
public static class TimeText
{
    /// <summary>Parses an instant that carries its offset (Z or ±hh:mm).</summary>
    public static bool TryParse(ReadOnlySpan<char> s, out DateTimeOffset t)
    {
        t = default;
        if (s.Length < 20 || !(s[^1] == 'Z' || s[^1] == 'z' || s[^6] == '+' || s[^6] == '-'))
        {
            return false;
        }

        if (!DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out t))
        {
            return false;
        }

        t = t.ToUniversalTime();
        return true;
    }

    /// <summary>Formats as <c>yyyy-MM-ddTHH:mm:ss[.fffffff]Z</c> (fraction only when non-zero).</summary>
    public static string Format(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
