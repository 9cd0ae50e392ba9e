using System.Globalization;
using System.Text;
using System.Text.Json;
using Yunlu.Geo;

namespace Yunlu.Terrain.Weather;

/// <summary>
/// Reads weather-station observations from CSV or JSON, checking every row and reporting each problem with its row,
/// field and rule (nothing is returned as usable when any row fails: check <see cref="WeatherReadResult.Ok"/>).
/// </summary>
/// <remarks>
/// <para>CSV: UTF-8, comma-separated, first line a header naming the columns in any order:
/// <c>station_id, time, lon, lat, height_agl_m, wind_speed_mps, wind_from_deg</c> (required) and
/// <c>gust_mps, temperature_c, visibility_m, precipitation_mm_h</c> (optional; empty cell = unknown). Times are
/// ISO 8601 with an offset (e.g. 2025-06-10T08:00:00+08:00 or …Z). Fields may be double-quoted.</para>
/// <para>JSON: <c>{"observations": [ {stationId, time, lon, lat, heightAglM, windSpeedMps, windFromDeg, gustMps?,
/// temperatureC?, visibilityM?, precipitationMmPerH?}, … ]}</c> or the bare array.</para>
/// <para>Ranges: lon/lat valid WGS84; anemometer height (0, 500] m; speed [0, 100] m/s; direction [0, 360]°; gust
/// [speed, 150] m/s; temperature [−80, 60] °C; visibility [0, 100 000] m; precipitation [0, 500] mm/h.</para>
/// </remarks>
public static class WeatherObservationReader
{
    /// <summary>Most rows read from one file.</summary>
    public const int MaxRows = 1_000_000;

    /// <summary>Most errors collected before the reader stops.</summary>
    public const int MaxErrors = 100;

    private static readonly string[] Required = ["station_id", "time", "lon", "lat", "height_agl_m", "wind_speed_mps", "wind_from_deg"];
    private static readonly string[] Optional = ["gust_mps", "temperature_c", "visibility_m", "precipitation_mm_h"];

    /// <summary>Reads CSV.</summary>
    /// <param name="stream">UTF-8 CSV with a header line.</param>
    public static WeatherReadResult ReadCsv(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var obs = new List<WeatherObservation>();
        var errors = new List<WeatherRowError>();
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        string? header = reader.ReadLine();
        if (header is null)
        {
            errors.Add(new WeatherRowError(0, "header", "header", "the file is empty; the first line must name the columns"));
            return new WeatherReadResult(obs, errors);
        }

        List<string> names = SplitCsv(header);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            string n = names[i].Trim().ToLowerInvariant();
            if (Array.IndexOf(Required, n) < 0 && Array.IndexOf(Optional, n) < 0)
            {
                errors.Add(new WeatherRowError(1, n, "header", $"unknown column '{n}' (known: {string.Join(", ", Required)}, {string.Join(", ", Optional)})"));
            }
            else if (!index.TryAdd(n, i))
            {
                errors.Add(new WeatherRowError(1, n, "header", $"column '{n}' appears twice"));
            }
        }

        foreach (string r in Required)
        {
            if (!index.ContainsKey(r))
            {
                errors.Add(new WeatherRowError(1, r, "missing", $"required column '{r}' is missing from the header"));
            }
        }

        if (errors.Count > 0)
        {
            return new WeatherReadResult([], errors);
        }

        int line = 1;
        string? text;
        while ((text = reader.ReadLine()) is not null)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            if (obs.Count >= MaxRows)
            {
                errors.Add(new WeatherRowError(line, "file", "range", $"more than {MaxRows} rows"));
                break;
            }

            List<string> cells = SplitCsv(text);
            string? Cell(string name) => index.TryGetValue(name, out int i) && i < cells.Count && cells[i].Trim().Length > 0 ? cells[i].Trim() : null;
            var row = new RowValues(
                Cell("station_id"), Cell("time"), Cell("lon"), Cell("lat"), Cell("height_agl_m"), Cell("wind_speed_mps"), Cell("wind_from_deg"),
                Cell("gust_mps"), Cell("temperature_c"), Cell("visibility_m"), Cell("precipitation_mm_h"));
            if (Build(line, row, ("station_id", "time", "lon", "lat", "height_agl_m", "wind_speed_mps", "wind_from_deg", "gust_mps", "temperature_c", "visibility_m", "precipitation_mm_h"), errors) is { } o)
            {
                obs.Add(o);
            }

            if (errors.Count >= MaxErrors)
            {
                break;
            }
        }

        return new WeatherReadResult(obs, errors);
    }

    /// <summary>Reads JSON.</summary>
    /// <param name="stream">UTF-8 JSON.</param>
    public static WeatherReadResult ReadJson(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var obs = new List<WeatherObservation>();
        var errors = new List<WeatherRowError>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            errors.Add(new WeatherRowError(0, "$", "syntax", $"not valid JSON (line {ex.LineNumber + 1}): {ex.Message}"));
            return new WeatherReadResult(obs, errors);
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            JsonElement arr = root;
            if (root.ValueKind == JsonValueKind.Object && !root.TryGetProperty("observations", out arr))
            {
                errors.Add(new WeatherRowError(0, "observations", "missing", "expected an 'observations' array"));
                return new WeatherReadResult(obs, errors);
            }

            if (arr.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new WeatherRowError(0, "observations", "syntax", "expected an array of observations"));
                return new WeatherReadResult(obs, errors);
            }

            int row = 0;
            foreach (JsonElement e in arr.EnumerateArray())
            {
                row++;
                if (row > MaxRows)
                {
                    errors.Add(new WeatherRowError(row, "observations", "range", $"more than {MaxRows} rows"));
                    break;
                }

                if (e.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new WeatherRowError(row, "observation", "syntax", "expected an object"));
                    continue;
                }

                string? Val(string name)
                {
                    if (!e.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null)
                    {
                        return null;
                    }

                    return v.ValueKind switch
                    {
                        JsonValueKind.String => v.GetString(),
                        JsonValueKind.Number => v.GetRawText(),
                        _ => "\u0000" + v.ValueKind.ToString(),
                    };
                }

                var values = new RowValues(Val("stationId"), Val("time"), Val("lon"), Val("lat"), Val("heightAglM"), Val("windSpeedMps"), Val("windFromDeg"),
                    Val("gustMps"), Val("temperatureC"), Val("visibilityM"), Val("precipitationMmPerH"));
                if (Build(row, values, ("stationId", "time", "lon", "lat", "heightAglM", "windSpeedMps", "windFromDeg", "gustMps", "temperatureC", "visibilityM", "precipitationMmPerH"), errors) is { } o)
                {
                    obs.Add(o);
                }

                if (errors.Count >= MaxErrors)
                {
                    break;
                }
            }
        }

        return new WeatherReadResult(obs, errors);
    }

    private static WeatherObservation? Build(
        int row,
        RowValues v,
        (string Station, string Time, string Lon, string Lat, string Height, string Speed, string Dir, string Gust, string Temp, string Vis, string Precip) f,
        List<WeatherRowError> errors)
    {
        int before = errors.Count;
        string? station = v.Station;
        if (string.IsNullOrWhiteSpace(station))
        {
            errors.Add(new WeatherRowError(row, f.Station, "missing", "station id is required"));
        }

        DateTimeOffset time = default;
        if (v.Time is null)
        {
            errors.Add(new WeatherRowError(row, f.Time, "missing", "time is required"));
        }
        else if (!DateTimeOffset.TryParse(v.Time, CultureInfo.InvariantCulture, DateTimeStyles.None, out time) || !HasOffset(v.Time))
        {
            errors.Add(new WeatherRowError(row, f.Time, "time", $"'{v.Time}' is not an ISO 8601 time with an offset, e.g. 2025-06-10T08:00:00+08:00"));
        }

        double lon = Req(row, v.Lon, f.Lon, -180, 180, "°", errors);
        double lat = Req(row, v.Lat, f.Lat, -90, 90, "°", errors);
        double height = Req(row, v.Height, f.Height, double.Epsilon, 500, " m", errors);
        double speed = Req(row, v.Speed, f.Speed, 0, 100, " m/s", errors);
        double dir = Req(row, v.Dir, f.Dir, 0, 360, "°", errors);
        double? gust = Opt(row, v.Gust, f.Gust, 0, 150, " m/s", errors);
        double? temp = Opt(row, v.Temp, f.Temp, -80, 60, " °C", errors);
        double? vis = Opt(row, v.Vis, f.Vis, 0, 100_000, " m", errors);
        double? precip = Opt(row, v.Precip, f.Precip, 0, 500, " mm/h", errors);
        if (gust is { } g && double.IsFinite(speed) && g < speed)
        {
            errors.Add(new WeatherRowError(row, f.Gust, "range", $"gust {Num(g)} m/s is below the mean speed {Num(speed)} m/s"));
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new WeatherObservation(station!, time, new GeoPoint(lon, lat), height, speed, dir, gust, temp, vis, precip);
    }

    private static bool HasOffset(string s) =>
        s.EndsWith('Z') || s.EndsWith('z') || (s.Length > 6 && (s[^6] == '+' || s[^6] == '-') && s[^3] == ':');

    private static double Req(int row, string? text, string field, double min, double max, string unit, List<WeatherRowError> errors)
    {
        if (text is null)
        {
            errors.Add(new WeatherRowError(row, field, "missing", $"{field} is required"));
            return double.NaN;
        }

        return Parse(row, text, field, min, max, unit, errors) ?? double.NaN;
    }

    private static double? Opt(int row, string? text, string field, double min, double max, string unit, List<WeatherRowError> errors) =>
        text is null ? null : Parse(row, text, field, min, max, unit, errors);

    private static double? Parse(int row, string text, string field, double min, double max, string unit, List<WeatherRowError> errors)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !double.IsFinite(d))
        {
            errors.Add(new WeatherRowError(row, field, "number", $"'{(text.StartsWith('\u0000') ? text[1..] : text)}' is not a finite number"));
            return null;
        }

        if (d < min || d > max)
        {
            string lo = min == double.Epsilon ? "> 0" : $"≥ {Num(min)}";
            errors.Add(new WeatherRowError(row, field, "range", $"{Num(d)}{unit} is out of range ({lo} and ≤ {Num(max)}{unit})"));
            return null;
        }

        return d;
    }

    private static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var sb = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"')
                    {
                        sb.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    sb.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(sb.ToString());
                sb.Clear();
            }
            else
            {
                sb.Append(c);
            }
        }

        cells.Add(sb.ToString());
        return cells;
    }

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private readonly record struct RowValues(
        string? Station, string? Time, string? Lon, string? Lat, string? Height, string? Speed, string? Dir,
        string? Gust, string? Temp, string? Vis, string? Precip);
}
