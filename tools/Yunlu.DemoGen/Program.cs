using System.Globalization;
using Yunlu.DemoGen;

// Usage: dotnet run --project tools/Yunlu.DemoGen -- --out data/demo [--seed 1140]
string? outDir = null;
var seed = DemoGenerator.DefaultSeed;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--out" when i + 1 < args.Length:
            outDir = args[++i];
            break;
        case "--seed" when i + 1 < args.Length:
            if (!ulong.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out seed))
            {
                await Console.Error.WriteLineAsync("--seed: expected a non-negative integer");
                return 2;
            }

            break;
        default:
            await Console.Error.WriteLineAsync($"unknown argument '{args[i]}'. Usage: Yunlu.DemoGen --out <folder> [--seed <n>]");
            return 2;
    }
}

if (outDir is null)
{
    await Console.Error.WriteLineAsync("Usage: Yunlu.DemoGen --out <folder> [--seed <n>]");
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};
foreach (var path in DemoGenerator.Generate(outDir, seed, cts.Token, Console.Error.WriteLine))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{new FileInfo(path).Length,12:N0}  {path}"));
}

return 0;
