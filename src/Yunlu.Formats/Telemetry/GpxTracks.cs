using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Yunlu.Formats.Internal;
using Yunlu.Geo;
using Yunlu.Supervision;

namespace Yunlu.Formats.Telemetry;

/// <summary>
/// GPX 1.0/1.1 tracks as position reports: every <c>trk/trkseg/trkpt</c> with <c>lat</c>, <c>lon</c>, <c>ele</c>
/// and <c>time</c>. The aircraft id is the track's <c>name</c>, else the one given. GPX elevation is taken as AMSL
/// (what GNSS receivers write there); points without an elevation or a time are reported as errors.
/// </summary>
public static class GpxTracks
{
    /// <summary>Reads a GPX file; a file with any error must not be used.</summary>
    /// <param name="stream">The file.</param>
    /// <param name="defaultAircraftId">The id for tracks without a name.</param>
    /// <param name="limits">Limits; default when null.</param>
    /// <exception cref="InvalidFileException">The XML is malformed or not GPX.</exception>
    public static ImportResult<PositionReport> Read(Stream stream, string defaultAircraftId, ImportLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(defaultAircraftId);
        limits ??= ImportLimits.Default;
        byte[] bytes = BoundedInput.ReadAll(stream, limits.MaxBytes, "the GPX file");
        XDocument doc;
        try
        {
            using var ms = new MemoryStream(bytes);
            using var xr = XmlReader.Create(ms, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            doc = XDocument.Load(xr);
        }
        catch (XmlException ex)
        {
            throw new InvalidFileException(ImportRules.XmlMalformed, $"the GPX is not well-formed XML: {ex.Message}");
        }

        if (doc.Root is null || doc.Root.Name.LocalName != "gpx")
        {
            throw new InvalidFileException(ImportRules.StructureInvalid, "the root element must be <gpx>");
        }

        var reports = new List<PositionReport>();
        var errors = new List<FeatureError>();
        int index = 0;
        foreach (XElement trk in doc.Root.Elements().Where(e => e.Name.LocalName == "trk"))
        {
            string id = trk.Elements().FirstOrDefault(e => e.Name.LocalName == "name")?.Value.Trim() is { Length: > 0 } nm ? nm : defaultAircraftId;
            foreach (XElement pt in trk.Descendants().Where(e => e.Name.LocalName == "trkpt"))
            {
                if (errors.Count >= limits.MaxErrors)
                {
                    break;
                }

                ReadPoint(pt, id, index, reports, errors);
                index++;
            }
        }

        if (index == 0)
        {
            errors.Add(new FeatureError(-1, null, "trk", TelemetryRules.NoPoints, "the GPX has no track point (trk/trkseg/trkpt)"));
        }

        return new ImportResult<PositionReport>(reports, errors);
    }

    private static void ReadPoint(XElement pt, string id, int index, List<PositionReport> reports, List<FeatureError> errors)
    {
        int before = errors.Count;
        double lat = Attr(pt, "lat", index, id, errors), lon = Attr(pt, "lon", index, id, errors);
        string? ele = pt.Elements().FirstOrDefault(e => e.Name.LocalName == "ele")?.Value;
        string? time = pt.Elements().FirstOrDefault(e => e.Name.LocalName == "time")?.Value;
        double alt = double.NaN;
        if (ele is null || !double.TryParse(ele, NumberStyles.Float, CultureInfo.InvariantCulture, out alt) || !double.IsFinite(alt))
        {
            errors.Add(new FeatureError(index, id, "ele", TelemetryRules.NumberInvalid, "a track point needs a finite <ele> (metres)"));
        }

        DateTimeOffset t = default;
        if (time is null || !TimeText.TryParse(time.Trim(), out t))
        {
            errors.Add(new FeatureError(index, id, "time", TelemetryRules.TimeInvalid, "a track point needs an ISO 8601 UTC <time>"));
        }

        if (lat is < -90 or > 90)
        {
            errors.Add(new FeatureError(index, id, "lat", TelemetryRules.LatRange, "lat outside [-90, 90]"));
        }

        if (lon is < -180 or > 180)
        {
            errors.Add(new FeatureError(index, id, "lon", TelemetryRules.LonRange, "lon outside [-180, 180]"));
        }

        if (errors.Count == before)
        {
            reports.Add(new PositionReport(t, new AircraftIdentity(IdentityKind.Platform, id), PositionSourceKind.Gpx, new GeoPoint(lon, lat), Altitude.Amsl(alt)));
        }
    }

    private static double Attr(XElement e, string name, int index, string id, List<FeatureError> errors)
    {
        string? s = e.Attribute(name)?.Value;
        if (s is null || !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
        {
            errors.Add(new FeatureError(index, id, name, TelemetryRules.NumberInvalid, $"attribute '{name}' must be a finite number"));
            return 0;
        }

        return v;
    }
}
