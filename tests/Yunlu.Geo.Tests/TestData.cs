using System.Globalization;
using System.Text.Json;

namespace Yunlu.Geo.Tests;

internal static class TestData
{
    public static JsonDocument Load(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", name)));

    /// <summary>Parses "39 59 35.38 N" into signed decimal degrees.</summary>
    public static double Dms(string text)
    {
        string[] parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        double v = double.Parse(parts[0], CultureInfo.InvariantCulture) +
            (double.Parse(parts[1], CultureInfo.InvariantCulture) / 60) +
            (double.Parse(parts[2], CultureInfo.InvariantCulture) / 3600);
        return parts[3] is "S" or "W" ? -v : v;
    }
}
