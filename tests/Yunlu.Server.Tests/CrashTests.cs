using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Yunlu.Server.Tests;

/// <summary>Durability across SIGKILL: every zone write the real server acknowledged (2xx) is there after a restart.</summary>
public sealed class CrashTests : IDisposable
{
    private const int Writes = 400;
    private const int KillAfterAcknowledged = 60;
    private const int Parallelism = 16;

    private readonly TempFolder _data = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task KillDuringWriteBurst_Restart_EveryAcknowledgedWriteIsPresent()
    {
        var port = FreePort();
        var server = await StartServerAsync(port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var tokenResponse = await http.PostAsJsonAsync("/api/v1/auth/token", new { subject = "crash", roles = new[] { "manager" } }, Ct);
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var acknowledged = new ConcurrentBag<string>();
        var killed = 0;
        var ids = Enumerable.Range(0, Writes).Select(i => $"CRASH{i:D4}").ToArray();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = Ct }, async (id, ct) =>
        {
            if (Volatile.Read(ref killed) == 1)
            {
                return;
            }

            try
            {
                using var content = new StringContent(Zones.Json(id), Encoding.UTF8, "application/json");
                using var response = await http.PutAsync($"/api/v1/zones/{id}", content, ct);
                if ((int)response.StatusCode is >= 200 and < 300)
                {
                    acknowledged.Add(id);
                    if (acknowledged.Count >= KillAfterAcknowledged && Interlocked.Exchange(ref killed, 1) == 0)
                    {
                        server.Kill(entireProcessTree: true);
                    }
                }
            }
            catch (HttpRequestException)
            {
                // The server died mid-request: this write was never acknowledged.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // Timed out because the server died.
            }
        });

        await server.WaitForExitAsync(Ct);
        server.Dispose();
        Assert.Equal(1, killed);
        Assert.True(acknowledged.Count >= KillAfterAcknowledged);

        var restarted = await StartServerAsync(port);
        try
        {
            foreach (var id in acknowledged)
            {
                using var response = await http.GetAsync($"/api/v1/zones/{id}", Ct);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"acknowledged write {id} is missing after kill -9 and restart ({(int)response.StatusCode})");
            }

            using var ready = await http.GetAsync("/health/ready", Ct);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        finally
        {
            restarted.Kill(entireProcessTree: true);
            await restarted.WaitForExitAsync(Ct);
            restarted.Dispose();
        }
    }

    private async Task<Process> StartServerAsync(int port)
    {
        var process = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "yunlu.dll"), "serve", "--urls", $"http://127.0.0.1:{port}", "--data", _data.Path, "--no-demo",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["Logging__LogLevel__Default"] = "Warning" },
        })!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();

        // The server prints "Yunlu listening on …" once it accepts requests; wait for that line (bounded).
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Contains("Yunlu listening on", StringComparison.Ordinal))
            {
                _ = DrainAsync(process.StandardOutput);
                return process;
            }
        }

        throw new InvalidOperationException($"yunlu serve exited with {(process.HasExited ? process.ExitCode : -1)} before listening");
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is not null)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
