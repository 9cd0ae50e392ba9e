using System.Globalization;
using Yunlu.Geo;
using Yunlu.Supervision;

namespace Yunlu.Formats.Telemetry;

/// <summary>
/// ADS-B from an SBS-1 (BaseStation) feed, TCP port 30003: CSV lines
/// <c>MSG,type,session,aircraft,hexIdent,flight,dateGen,timeGen,dateLog,timeLog,callsign,altitude ft,ground speed kt,
/// track,lat,lon,vertical rate ft/min,squawk,alert,emergency,SPI,onGround</c>. Parsed leniently: fields may be empty,
/// lines may be short; state is kept per ICAO address, so a position (MSG 3) gets the latest speed, track and
/// vertical rate (MSG 4) and callsign (MSG 1).
/// </summary>
/// <remarks>
/// The altitude is the barometric (pressure) altitude, used as AMSL (the QNH correction is not in the feed: expect
/// tens of metres of error; manned minima are sized for that). Times are the generated date/time as UTC (dump1090
/// writes UTC), else the receive time. Manned traffic: source <see cref="PositionSourceKind.AdsB"/>.
/// </remarks>
public sealed class Sbs1Decoder
{
    private const double FeetToM = 0.3048;
    private const double KnotsToMps = 1852.0 / 3600.0;
    private const double FpmToMps = FeetToM / 60.0;
    private readonly Dictionary<string, State> _state = new(StringComparer.Ordinal);

    /// <summary>Counters (a frame = a line).</summary>
    public DecoderStats Stats { get; } = new();

    /// <summary>The last callsign of an ICAO address, if seen.</summary>
    public string? Callsign(string icao) => _state.TryGetValue(icao, out State? s) ? s.Callsign : null;

    /// <summary>Decodes one line; anything malformed is counted and dropped.</summary>
    /// <param name="line">One line (without its newline).</param>
    /// <param name="receivedAt">When it arrived.</param>
    /// <param name="output">Receives a report for a line with a position.</param>
    public void DecodeLine(ReadOnlySpan<char> line, DateTimeOffset receivedAt, List<PositionReport> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        line = line.Trim();
        if (line.IsEmpty)
        {
            return;
        }

        Span<Range> f = stackalloc Range[23];
        int n = line.Split(f, ',');
        if (n < 5 || !line[f[0]].SequenceEqual("MSG"))
        {
            Stats.BadFrames++;
            return;
        }

        string hex = line[f[4]].Trim().ToString().ToUpperInvariant();
        if (hex.Length != 6 || !int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out _))
        {
            Stats.BadFrames++;
            return;
        }

        Stats.Frames++;
        if (!_state.TryGetValue(hex, out State? s))
        {
            if (_state.Count > 100_000)
            {
                _state.Clear();
            }

            s = new State();
            _state[hex] = s;
        }

        if (!Field(line, f, n, 10).IsEmpty)
        {
            s.Callsign = Field(line, f, n, 10).ToString();
        }

        if (Num(Field(line, f, n, 11)) is { } altFt)
        {
            s.AltitudeM = altFt * FeetToM;
        }

        if (Num(Field(line, f, n, 12)) is { } gsKt)
        {
            s.SpeedMps = gsKt * KnotsToMps;
        }

        if (Num(Field(line, f, n, 13)) is { } trk && trk >= 0 && trk < 360)
        {
            s.TrackDeg = trk;
        }

        if (Num(Field(line, f, n, 16)) is { } vr)
        {
            s.VerticalMps = vr * FpmToMps;
        }

        double? lat = Num(Field(line, f, n, 14)), lon = Num(Field(line, f, n, 15));
        if (lat is null || lon is null)
        {
            return;
        }

        if (s.AltitudeM is not { } alt)
        {
            return;
        }

        DateTimeOffset t = receivedAt;
        if (!Field(line, f, n, 6).IsEmpty && !Field(line, f, n, 7).IsEmpty &&
            DateTime.TryParseExact(Field(line, f, n, 6).ToString() + " " + Field(line, f, n, 7).ToString(), ["yyyy/MM/dd HH:mm:ss.fff", "yyyy/MM/dd HH:mm:ss"], CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTime gen))
        {
            t = new DateTimeOffset(gen, TimeSpan.Zero);
        }

        VelocityNed? v = null;
        if (s.SpeedMps is { } sp && s.TrackDeg is { } tr)
        {
            double rad = tr * Math.PI / 180;
            v = new VelocityNed(sp * Math.Cos(rad), sp * Math.Sin(rad), -(s.VerticalMps ?? 0));
        }

        var r = new PositionReport(t, new AircraftIdentity(IdentityKind.IcaoAddress, hex), PositionSourceKind.AdsB,
            new GeoPoint(lon.Value, lat.Value), Altitude.Amsl(alt), v, s.TrackDeg);
        if (r.Validate() is not null)
        {
            Stats.BadFrames++;
            return;
        }

        Stats.Reports++;
        output.Add(r);
    }

    private static ReadOnlySpan<char> Field(ReadOnlySpan<char> line, ReadOnlySpan<Range> f, int n, int i) => i < n ? line[f[i]].Trim() : [];

    private static double? Num(ReadOnlySpan<char> s) =>
        !s.IsEmpty && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : null;

    private sealed class State
    {
        public string? Callsign { get; set; }

        public double? AltitudeM { get; set; }

        public double? SpeedMps { get; set; }

        public double? TrackDeg { get; set; }

        public double? VerticalMps { get; set; }
    }
}
