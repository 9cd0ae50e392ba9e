using BenchmarkDotNet.Attributes;
using Yunlu.Supervision;

namespace Yunlu.Benchmarks;

/// <summary>MAVLink stream decoding throughput (GLOBAL_POSITION_INT frames); baseline: the CRC alone over the same bytes.</summary>
[MemoryDiagnoser]
public class TelemetryMavlinkBenchmarks
{
    private const int Frames = 10_000;
    private readonly List<PositionReport> _out = new(Frames);
    private byte[] _stream = [];

    [GlobalSetup]
    public void Setup()
    {
        using var ms = new MemoryStream();
        for (int i = 0; i < Frames; i++)
        {
            byte[] p = Yunlu.Formats.Telemetry.MavlinkFrame.GlobalPositionIntPayload((uint)i, 265385000 + i, 1068008000 - i, 1_200_000, 120_000, 500, -250, -10, 9000);
            ms.Write(Yunlu.Formats.Telemetry.MavlinkFrame.WriteV2(33, p, (byte)i, (byte)(1 + (i % 200)), 1));
        }

        _stream = ms.ToArray();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Frames)]
    public ushort CrcOnly() => Yunlu.Formats.Telemetry.MavlinkFrame.Crc(_stream);

    [Benchmark(OperationsPerInvoke = Frames)]
    public int Decode()
    {
        _out.Clear();
        new Yunlu.Formats.Telemetry.MavlinkDecoder().Push(_stream, T0, _out);
        return _out.Count;
    }

    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);
}
