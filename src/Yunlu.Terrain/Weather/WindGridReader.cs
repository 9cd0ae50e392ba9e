using System.Globalization;
using System.Text.Json;

namespace Yunlu.Terrain.Weather;

/// <summary>
/// Reads a gridded wind field (e.g. exported from a numerical weather model) in Yunlu's JSON grid format.
/// </summary>
/// <remarks>
/// <code>
/// {
///   "west": 106.5, "south": 26.3, "dLonDeg": 0.01, "dLatDeg": 0.01, "columns": 40, "rows": 30,
///   "referenceHeightAglM": 10,
///   "start": "2025-06-10T00:00:00Z", "stepMinutes": 60, "steps": 3,
///   "east":  [steps × rows × columns numbers: step-major, then rows south→north, then columns west→east],
///   "north": [same layout],
///   "gust":  [same layout, optional],
///   "landUse": [rows × columns of "water" | "open" | "suburban" | "urban", optional (open)],
///   "roughness": { "waterM": 0.0002, "openM": 0.03, "suburbanM": 0.5, "urbanM": 1.5 }   (optional)
/// }
/// </code>
/// Errors name the member and the rule (<see cref="WeatherRowError"/> with row 0, or the array index + 1 for
/// element errors).
/// </remarks>
public static class WindGridReader
{
    /// <summary>Reads the JSON grid.</summary>
    /// <param name="stream">UTF-8 JSON.</param>
    /// <param name="field">The field, or null when there are errors.</param>
    /// <returns>Every error found (empty on success).</returns>
    public static IReadOnlyList<WeatherRowError> ReadJson(Stream stream, out WindField? field)
    {
        ArgumentNullException.ThrowIfNull(stream);
        field = null;
        var errors = new List<WeatherRowError>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            errors.Add(new WeatherRowError(0, "$", "syntax", $"not valid JSON (line {ex.LineNumber + 1}): {ex.Message}"));
            return errors;
        }

        using (doc)
        {
            JsonElement r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new WeatherRowError(0, "$", "syntax", "the grid must be a JSON object"));
                return errors;
            }

            double west = Num(r, "west", errors), south = Num(r, "south", errors);
            double dLon = Num(r, "dLonDeg", errors), dLat = Num(r, "dLatDeg", errors);
            int cols = Int(r, "columns", errors), rows = Int(r, "rows", errors), steps = Int(r, "steps", errors);
            double zr = r.TryGetProperty("referenceHeightAglM", out _) ? Num(r, "referenceHeightAglM", errors) : 10;
            double stepMin = r.TryGetProperty("stepMinutes", out _) ? Num(r, "stepMinutes", errors) : 60;
            DateTimeOffset start = default;
            if (!r.TryGetProperty("start", out JsonElement st) || st.ValueKind != JsonValueKind.String)
            {
                errors.Add(new WeatherRowError(0, "start", "missing", "'start' (ISO 8601 time with offset) is required"));
            }
            else if (!DateTimeOffset.TryParse(st.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out start))
            {
                errors.Add(new WeatherRowError(0, "start", "time", $"'{st.GetString()}' is not an ISO 8601 time"));
            }

            if (errors.Count > 0)
            {
                return errors;
            }

            if (cols < 2 || rows < 2 || steps < 1 || (long)cols * rows * steps > 50_000_000)
            {
                errors.Add(new WeatherRowError(0, "columns", "range", "columns and rows must be ≥ 2, steps ≥ 1, and steps × rows × columns ≤ 50 000 000"));
                return errors;
            }

            int n = cols * rows;
            double[] east = Arr(r, "east", (long)n * steps, required: true, errors);
            double[] north = Arr(r, "north", (long)n * steps, required: true, errors);
            double[] gust = Arr(r, "gust", (long)n * steps, required: false, errors);
            RoughnessTable table = RoughnessTable.Default;
            if (r.TryGetProperty("roughness", out JsonElement rough))
            {
                double Get(string name, double d) => rough.TryGetProperty(name, out JsonElement x) && x.ValueKind == JsonValueKind.Number ? x.GetDouble() : d;
                table = new RoughnessTable(Get("waterM", table.WaterM), Get("openM", table.OpenM), Get("suburbanM", table.SuburbanM), Get("urbanM", table.UrbanM));
                try
                {
                    table.Validate();
                }
                catch (ArgumentOutOfRangeException ex)
                {
                    errors.Add(new WeatherRowError(0, "roughness." + ex.ParamName, "range", ex.Message));
                }
            }

            var z0 = new double[n];
            Array.Fill(z0, table.OpenM);
            if (r.TryGetProperty("landUse", out JsonElement lu))
            {
                if (lu.ValueKind != JsonValueKind.Array || lu.GetArrayLength() != n)
                {
                    errors.Add(new WeatherRowError(0, "landUse", "range", $"'landUse' must be an array of rows × columns = {n} class names"));
                }
                else
                {
                    int i = 0;
                    foreach (JsonElement e in lu.EnumerateArray())
                    {
                        LandUseClass? c = e.ValueKind == JsonValueKind.String ? e.GetString() switch
                        {
                            "water" => LandUseClass.Water,
                            "open" => LandUseClass.Open,
                            "suburban" => LandUseClass.Suburban,
                            "urban" => LandUseClass.Urban,
                            _ => null,
                        } : null;
                        if (c is null)
                        {
                            errors.Add(new WeatherRowError(i + 1, "landUse", "range", "must be water, open, suburban or urban"));
                        }
                        else
                        {
                            z0[i] = table.RoughnessM(c.Value);
                        }

                        i++;
                    }
                }
            }

            if (errors.Count > 0)
            {
                return errors;
            }

            try
            {
                field = new WindField(new WindGridSpec(west, south, dLon, dLat, cols, rows), start, TimeSpan.FromMinutes(stepMin), steps, east, north, gust, z0, zr);
            }
            catch (ArgumentException ex)
            {
                errors.Add(new WeatherRowError(0, ex.ParamName ?? "$", "range", ex.Message));
            }
        }

        return errors;
    }

    private static double Num(JsonElement r, string name, List<WeatherRowError> errors)
    {
        if (!r.TryGetProperty(name, out JsonElement v) || v.ValueKind != JsonValueKind.Number || !double.IsFinite(v.GetDouble()))
        {
            errors.Add(new WeatherRowError(0, name, "missing", $"'{name}' must be a finite number"));
            return double.NaN;
        }

        return v.GetDouble();
    }

    private static int Int(JsonElement r, string name, List<WeatherRowError> errors)
    {
        if (!r.TryGetProperty(name, out JsonElement v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int i))
        {
            errors.Add(new WeatherRowError(0, name, "missing", $"'{name}' must be an integer"));
            return 0;
        }

        return i;
    }

    private static double[] Arr(JsonElement r, string name, long count, bool required, List<WeatherRowError> errors)
    {
        if (!r.TryGetProperty(name, out JsonElement a))
        {
            if (required)
            {
                errors.Add(new WeatherRowError(0, name, "missing", $"'{name}' is required"));
            }

            return [];
        }

        if (a.ValueKind != JsonValueKind.Array || a.GetArrayLength() != count)
        {
            errors.Add(new WeatherRowError(0, name, "range", $"'{name}' must be an array of steps × rows × columns = {count} numbers"));
            return [];
        }

        var result = new double[count];
        int i = 0;
        foreach (JsonElement e in a.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !double.IsFinite(e.GetDouble()) || Math.Abs(e.GetDouble()) > 150)
            {
                errors.Add(new WeatherRowError(i + 1, name, "range", "must be a finite number of m/s within ±150"));
                if (errors.Count > 100)
                {
                    break;
                }
            }
            else
            {
                result[i] = e.GetDouble();
            }

            i++;
        }

        return result;
    }
}
