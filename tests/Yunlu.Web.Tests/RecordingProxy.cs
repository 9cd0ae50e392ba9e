using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Yunlu.Web.Tests;

/// <summary>
/// An HTTP proxy on 127.0.0.1 for Chromium: every request of what it serves — pages, dedicated and service workers (whose
/// module imports page-level interception does not see), or the browser process itself — comes here and is recorded.
/// Requests to the one allowed origin are forwarded to it; anything else (another host, a CONNECT tunnel for HTTPS or
/// WebSockets) is answered 403 and never leaves the machine.
/// </summary>
/// <remarks>HTTP/1.1 only, one request per connection (the forwarded request asks <c>Connection: close</c>, so the
/// server's answer tells Chromium to open a new connection), request bodies by <c>Content-Length</c>.</remarks>
public sealed class RecordingProxy : IAsyncDisposable
{
    private const int MaxHeadBytes = 64 * 1024;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ProxiedRequest> _requests = new();
    private readonly Uri? _upstream;
    private readonly Task _accepting;

    /// <summary>Starts a proxy that forwards to <paramref name="upstream"/> (an <c>http://host:port/</c> origin), or
    /// refuses every request when it is null.</summary>
    public RecordingProxy(Uri? upstream)
    {
        _upstream = upstream;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The proxy's address for Chromium's <c>--proxy-server</c>.</summary>
    public string Address => "http://" + _listener.LocalEndpoint;

    /// <summary>How many requests were recorded so far (a mark for <see cref="Since"/>).</summary>
    public int Count => _requests.Count;

    /// <summary>The requests recorded after the first <paramref name="mark"/> ones.</summary>
    public IReadOnlyList<ProxiedRequest> Since(int mark) => [.. _requests.Skip(mark)];

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        try
        {
            var (head, rest) = await ReadHeadAsync(stream, _stop.Token);
            if (head is null)
            {
                return;
            }

            var lines = head.Split("\r\n");
            var parts = lines[0].Split(' ');
            if (parts.Length != 3)
            {
                await RefuseAsync(stream, 400, _stop.Token);
                return;
            }

            var (method, target) = (parts[0], parts[1]);
            if (method == "CONNECT" && _upstream is not null && target == _upstream.Authority)
            {
                await TunnelAsync(stream, target, rest, _stop.Token);
                return;
            }

            if (method == "CONNECT")
            {
                _requests.Enqueue(new ProxiedRequest(method, target, "https://" + target + "/", Forwarded: false));
                await RefuseAsync(stream, 403, _stop.Token);
                return;
            }

            if (!Uri.TryCreate(target, UriKind.Absolute, out var url) || url.Scheme != "http")
            {
                _requests.Enqueue(new ProxiedRequest(method, target, target, Forwarded: false));
                await RefuseAsync(stream, 400, _stop.Token);
                return;
            }

            var allowed = _upstream is not null && url.Authority == _upstream.Authority;
            _requests.Enqueue(new ProxiedRequest(method, url.Authority, url.ToString(), allowed));
            if (!allowed)
            {
                await RefuseAsync(stream, 403, _stop.Token);
                return;
            }

            await ForwardAsync(stream, method, url, lines, rest, _stop.Token);
        }
        catch (IOException)
        {
            // The browser dropped the connection (a cancelled tile request): nothing to record beyond what was.
        }
        catch (SocketException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ForwardAsync(NetworkStream client, string method, Uri url, string[] lines, byte[] rest, CancellationToken ct)
    {
        var head = new StringBuilder();
        head.Append(method).Append(' ').Append(url.PathAndQuery).Append(" HTTP/1.1\r\n");
        long contentLength = 0;
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            if (name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase) ||
                name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                await RefuseAsync(client, 501, ct);
                return;
            }

            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = long.Parse(line[(colon + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }

            head.Append(line).Append("\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        using var upstream = new TcpClient();
        await upstream.ConnectAsync(_upstream!.Host, _upstream.Port, ct);
        var server = upstream.GetStream();
        await server.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), ct);
        var fromHead = (int)Math.Min(rest.Length, contentLength);
        await server.WriteAsync(rest.AsMemory(0, fromHead), ct);
        var remaining = contentLength - fromHead;
        var buffer = new byte[16 * 1024];
        while (remaining > 0)
        {
            var n = await client.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), ct);
            if (n == 0)
            {
                return;
            }

            await server.WriteAsync(buffer.AsMemory(0, n), ct);
            remaining -= n;
        }

        // The server closes after its answer (Connection: close) and says so in it, so the browser closes too.
        await server.CopyToAsync(client, ct);
    }

    /// <summary>A CONNECT to the allowed origin (how Chromium sends a <c>ws://</c> WebSocket through a proxy): the
    /// request inside the tunnel is read and recorded with its path (as <c>ws://host:port/path</c>), then bytes are
    /// copied both ways until either side closes.</summary>
    private async Task TunnelAsync(NetworkStream client, string target, byte[] early, CancellationToken ct)
    {
        await client.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), ct);
        var (head, rest) = early.Length > 0 ? (null, early) : await ReadHeadAsync(client, ct);
        if (head is null)
        {
            return;
        }

        var parts = head.Split("\r\n")[0].Split(' ');
        _requests.Enqueue(new ProxiedRequest("CONNECT", target, "ws://" + target + (parts.Length == 3 ? parts[1] : "/"), Forwarded: true));
        using var upstream = new TcpClient();
        await upstream.ConnectAsync(_upstream!.Host, _upstream.Port, ct);
        var server = upstream.GetStream();
        await server.WriteAsync(Encoding.ASCII.GetBytes(head + "\r\n\r\n"), ct);
        await server.WriteAsync(rest, ct);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var up = client.CopyToAsync(server, done.Token);
        var down = server.CopyToAsync(client, done.Token);
        await Task.WhenAny(up, down);
        await done.CancelAsync();
    }

    private static async Task<(string? Head, byte[] Body)> ReadHeadAsync(NetworkStream stream, CancellationToken ct)
    {
        var buffer = new byte[MaxHeadBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(length), ct);
            if (n == 0)
            {
                return (null, []);
            }

            length += n;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return (Encoding.ASCII.GetString(buffer, 0, end), buffer[(end + 4)..length]);
            }
        }

        return (null, []);
    }

    private static async Task RefuseAsync(NetworkStream stream, int status, CancellationToken ct)
    {
        var body = "Yunlu test proxy: refused"u8.ToArray();
        var head = $"HTTP/1.1 {status} Refused\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
        await stream.WriteAsync(body, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}

/// <summary>One request the browser sent through the proxy: its method, authority (<c>host:port</c>), URL, and whether
/// it was forwarded to the test server.</summary>
public sealed record ProxiedRequest(string Method, string Authority, string Url, bool Forwarded);
