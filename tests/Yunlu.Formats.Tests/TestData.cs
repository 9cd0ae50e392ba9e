using System.Text;
using Yunlu.Airspace.Zones;

namespace Yunlu.Formats.Tests;

internal static class TestData
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    public static ImportResult<Zone> ReadZones(string name, ZoneFileFormat? format = null)
    {
        using FileStream s = File.OpenRead(PathOf(name));
        return ZoneFiles.Read(s, name, format);
    }

    public static ImportResult<Zone> ReadZonesText(string text, string fileName = "zones.json", ZoneFileFormat? format = null, ImportLimits? limits = null)
    {
        using var s = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return ZoneFiles.Read(s, fileName, format, limits);
    }

    public static string Describe<T>(ImportResult<T> r) => string.Join("\n", r.Errors);
}
