using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yunlu.Formats.Telemetry;
using Yunlu.Supervision;

namespace Yunlu.Server.Supervision;

/// <summary>
/// The socket sources: a MAVLink v1/v2 UDP listener (GLOBAL_POSITION_INT, GPS_RAW_INT, HEARTBEAT, ADSB_VEHICLE, CRC
/// checked; one decoder per sender) and an SBS-1 BaseStation ADS-B feed, as a TCP client of a receiver (reconnecting)
/// and/or a TCP listener receivers push to. Both are off unless configured. Undecodable datagrams, frames and lines
/// are counted (<c>GET /status</c>) and dropped; nothing a peer sends stops a listener.
/// </summary>
public sealed partial class SupervisionListeners(SupervisionRuntime runtime, SupervisionServerOptions options, TimeProvider time, ILogger<SupervisionListeners> logger) : BackgroundService
{
    /// <summary>Longest SBS-1 line, bytes (real lines are under 200).</summary>
    public const int MaxSbsLineBytes = 1024;

    /// <summary>MAVLink senders with a decoder kept; beyond this the decoders are reset.</summary>
    public const int MaxMavlinkSenders = 4096;

    private UdpClient? _udp;
    private TcpListener? _sbsListener;

    /// <summary>The bound MAVLink UDP port, or null when off.</summary>
    public int? MavlinkUdpPort { get; private set; }

    /// <summary>The bound SBS-1 listener port, or null when off.</summary>
    public int? SbsListenPort { get; private set; }

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.MavlinkUdp.Port is { } port)
        {
            _udp = new UdpClient(new IPEndPoint(IPAddress.Parse(options.MavlinkUdp.Address), port));
            MavlinkUdpPort = ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;
            LogListening(logger, "MAVLink UDP", MavlinkUdpPort.Value);
        }

        if (options.Sbs.ListenPort is { } listen)
        {
            _sbsListener = new TcpListener(IPAddress.Parse(options.Sbs.ListenAddress), listen);
            _sbsListener.Start();
            SbsListenPort = ((IPEndPoint)_sbsListener.LocalEndpoint).Port;
            LogListening(logger, "SBS-1 TCP", SbsListenPort.Value);
        }

        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _udp?.Dispose();
        _sbsListener?.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = new List<Task>();
        if (_udp is not null)
        {
            loops.Add(Task.Run(() => MavlinkLoopAsync(_udp, stoppingToken), CancellationToken.None));
        }

        if (_sbsListener is not null)
        {
            loops.Add(Task.Run(() => SbsAcceptLoopAsync(_sbsListener, stoppingToken), CancellationToken.None));
        }

        if (!string.IsNullOrWhiteSpace(options.Sbs.Host))
        {
            loops.Add(Task.Run(() => SbsClientLoopAsync(options.Sbs.Host!, options.Sbs.Port, stoppingToken), CancellationToken.None));
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
        _sbsListener?.Stop();
    }

    private async Task MavlinkLoopAsync(UdpClient udp, CancellationToken stop)
    {
        var decoders = new Dictionary<IPEndPoint, MavlinkDecoder>();
        var reports = new List<PositionReport>();
        while (!stop.IsCancellationRequested)
        {
            UdpReceiveResult datagram;
            try
            {
                datagram = await udp.ReceiveAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // E.g. ICMP port unreachable reported on the socket: keep listening.
                LogSocketError(logger, "MAVLink UDP", ex.Message);
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            if (!decoders.TryGetValue(datagram.RemoteEndPoint, out MavlinkDecoder? decoder))
            {
                if (decoders.Count >= MaxMavlinkSenders)
                {
                    decoders.Clear();
                }

                decoder = new MavlinkDecoder();
                decoders[datagram.RemoteEndPoint] = decoder;
            }

            Decode(decoder, datagram.Buffer, reports);
        }
    }

    /// <summary>Decodes one datagram and queues its positions; bad frames and skipped bytes are counted.</summary>
    private void Decode(MavlinkDecoder decoder, byte[] data, List<PositionReport> reports)
    {
        reports.Clear();
        long bad = decoder.Stats.BadFrames, skipped = decoder.Stats.SkippedBytes;
        try
        {
            decoder.Push(data, time.GetUtcNow(), reports);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            runtime.Counters.BadFrames(IngestSource.Mavlink);
            return;
        }

        long newBad = decoder.Stats.BadFrames - bad;
        if (newBad == 0 && decoder.Stats.SkippedBytes > skipped)
        {
            // Garbage without a frame start still counts once per datagram.
            newBad = 1;
        }

        if (newBad > 0)
        {
            runtime.Counters.BadFrames(IngestSource.Mavlink, newBad);
        }

        foreach (PositionReport r in reports)
        {
            runtime.TryIngest(r, IngestSource.Mavlink);
        }
    }

    private async Task SbsAcceptLoopAsync(TcpListener listener, CancellationToken stop)
    {
        var connections = new List<Task>();
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException ex)
            {
                LogSocketError(logger, "SBS-1 listener", ex.Message);
                continue;
            }
            catch (ObjectDisposedException)
            {
                break;
            }

            connections.RemoveAll(static t => t.IsCompleted);
            connections.Add(Task.Run(async () =>
            {
                using (client)
                {
                    await ReadSbsAsync(client.GetStream(), stop).ConfigureAwait(false);
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    private async Task SbsClientLoopAsync(string host, int port, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(host, port, stop).ConfigureAwait(false);
                LogConnected(logger, host, port);
                await ReadSbsAsync(client.GetStream(), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is SocketException or IOException)
            {
                LogSocketError(logger, "SBS-1 client", ex.Message);
            }

            try
            {
                await Task.Delay(options.Sbs.ReconnectDelay, time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads SBS-1 lines until the peer closes: each complete line is decoded; an over-long line is counted
    /// as bad and skipped up to its end.</summary>
    internal async Task ReadSbsAsync(Stream stream, CancellationToken stop)
    {
        var decoder = new Sbs1Decoder();
        var reports = new List<PositionReport>();
        byte[] buffer = new byte[16 * 1024];
        byte[] line = new byte[MaxSbsLineBytes];
        char[] chars = new char[MaxSbsLineBytes];
        int lineLength = 0;
        bool overflow = false;
        try
        {
            while (true)
            {
                int n = await stream.ReadAsync(buffer, stop).ConfigureAwait(false);
                if (n == 0)
                {
                    return;
                }

                for (int i = 0; i < n; i++)
                {
                    byte b = buffer[i];
                    if (b == (byte)'\n')
                    {
                        if (overflow)
                        {
                            runtime.Counters.BadFrames(IngestSource.Adsb);
                        }
                        else if (lineLength > 0)
                        {
                            DecodeLine(decoder, line.AsSpan(0, lineLength), chars, reports);
                        }

                        lineLength = 0;
                        overflow = false;
                    }
                    else if (b != (byte)'\r' && !overflow)
                    {
                        if (lineLength == line.Length)
                        {
                            overflow = true;
                        }
                        else
                        {
                            line[lineLength++] = b;
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (IOException)
        {
            // The peer dropped the connection.
        }
    }

    private void DecodeLine(Sbs1Decoder decoder, ReadOnlySpan<byte> bytes, char[] chars, List<PositionReport> reports)
    {
        reports.Clear();
        long bad = decoder.Stats.BadFrames;
        int n = Encoding.Latin1.GetChars(bytes, chars);
        decoder.DecodeLine(chars.AsSpan(0, n), time.GetUtcNow(), reports);
        if (decoder.Stats.BadFrames > bad)
        {
            runtime.Counters.BadFrames(IngestSource.Adsb, decoder.Stats.BadFrames - bad);
        }

        foreach (PositionReport r in reports)
        {
            runtime.TryIngest(r, IngestSource.Adsb);
        }
    }

    [LoggerMessage(1340, LogLevel.Information, "Supervision: {What} listening on port {Port}")]
    private static partial void LogListening(ILogger logger, string what, int port);

    [LoggerMessage(1341, LogLevel.Information, "Supervision: SBS-1 feed {Host}:{Port} connected")]
    private static partial void LogConnected(ILogger logger, string host, int port);

    [LoggerMessage(1342, LogLevel.Warning, "Supervision: {What}: {Message}")]
    private static partial void LogSocketError(ILogger logger, string what, string message);
}
