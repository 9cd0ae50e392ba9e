using System.Diagnostics;

namespace Yunlu.Storage.Tests;

/// <summary>
/// An acknowledged write survives kill -9 of the writing process: a child process (Yunlu.Storage.CrashWriter) writes
/// zones in a loop and prints each identifier after its upsert returned; the test kills it with SIGKILL mid-burst,
/// reopens the database and requires every printed identifier to be there.
/// </summary>
public sealed class CrashDurabilityTests
{
    private const int AcksBeforeKill = 150;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sqlite_KilledMidBurst_KeepsEveryAcknowledgedZone()
    {
        var folder = Path.Combine(Path.GetTempPath(), "yunlu-crash-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            await RunAndVerifyAsync(Path.Combine(folder, "yunlu.db"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Postgres_KilledMidBurst_KeepsEveryAcknowledgedZone()
    {
        var connection = await PostgresTestServer.CreateDatabaseAsync(Ct);
        try
        {
            await RunAndVerifyAsync(connection);
        }
        finally
        {
            await PostgresTestServer.DropDatabaseAsync(connection, CancellationToken.None);
        }
    }

    private static async Task RunAndVerifyAsync(string connection)
    {
        var acknowledged = await RunWriterAndKillAsync(connection);
        Assert.True(acknowledged.Count >= AcksBeforeKill, $"the writer acknowledged only {acknowledged.Count} zones");

        await using var store = await YunluStoreFactory.OpenAsync(connection, null, Ct);
        var stored = (await store.ListZonesAsync(new ZoneQuery(Limit: 100_000), Ct)).Select(z => z.Zone.Identifier).ToHashSet(StringComparer.Ordinal);
        var missing = acknowledged.Where(id => !stored.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged zones lost after kill -9, e.g. {string.Join(", ", missing.Take(5))}");
        // At most the one write in flight at the kill may have committed without its acknowledgement being printed.
        Assert.InRange(stored.Count, acknowledged.Count, acknowledged.Count + 1);
    }

    private static async Task<List<string>> RunWriterAndKillAsync(string connection)
    {
        var writerDll = Path.Combine(AppContext.BaseDirectory, "Yunlu.Storage.CrashWriter.dll");
        Assert.True(File.Exists(writerDll), $"crash writer not built next to the tests: {writerDll}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(writerDll);
        start.ArgumentList.Add(connection);
        start.ArgumentList.Add("crash");
        start.ArgumentList.Add("1000000");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        var acknowledged = new List<string>();
        try
        {
            var ready = await process.StandardOutput.ReadLineAsync(Ct);
            if (ready != "ready")
            {
                await process.WaitForExitAsync(Ct);
                Assert.Fail($"crash writer did not start: {ready} {await stderr}");
            }

            while (acknowledged.Count < AcksBeforeKill && await process.StandardOutput.ReadLineAsync(Ct) is { } line)
            {
                acknowledged.Add(line);
            }

            process.Kill(entireProcessTree: true); // SIGKILL on Unix: no flush, no dispose, no finally blocks
            // Lines printed (acknowledged) before the kill are still in the pipe.
            while (await process.StandardOutput.ReadLineAsync(Ct) is { } line)
            {
                acknowledged.Add(line);
            }

            await process.WaitForExitAsync(Ct);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.NotEqual(0, process.ExitCode); // killed, not finished
        return acknowledged;
    }
}
