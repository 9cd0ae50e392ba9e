using System.Text.Json;

namespace Yunlu.Airspace.Tests;

internal static class TestData
{
    public static string PathOf(string relative) => Path.Combine(AppContext.BaseDirectory, relative);

    public static JsonDocument Load(string name) => JsonDocument.Parse(File.ReadAllText(PathOf(Path.Combine("data", name))));
}
