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

/// <summary>
/// Parsing one WebSocket message of 1 000 positions (the platform's JSON, as the simulator client writes it) into a
/// pooled batch with <see cref="Yunlu.Server.Supervision.PositionJson.ReadMessage"/>; baseline: the source-generated
/// System.Text.Json deserialiser into DTOs (what a plain implementation does), over the same bytes.
/// </summary>
[MemoryDiagnoser]
public class TelemetryJsonBenchmarks
{
    private const int Positions = 1000;
    private readonly Yunlu.Server.Supervision.PositionJson _parser = new(TimeProvider.System);
    private byte[] _message = [];

    [GlobalSetup]
    public void Setup()
    {
        var sb = new System.Text.StringBuilder("[");
        var rng = new Random(3);
        for (int i = 0; i < Positions; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{{\"aircraftId\":\"SIM{i:00000}\",\"timeUtc\":\"2026-11-27T08:00:00.500Z\",\"latDeg\":{26.35 + (rng.NextDouble() * 0.6):0.0000000},\"lonDeg\":{106.35 + (rng.NextDouble() * 0.6):0.0000000},\"altM\":1340.00,\"altRef\":\"AMSL\",\"vnMps\":{(rng.NextDouble() * 20) - 10:0.00},\"veMps\":{(rng.NextDouble() * 20) - 10:0.00},\"vuMps\":0.00}}");
        }

        _message = System.Text.Encoding.UTF8.GetBytes(sb.Append(']').ToString());
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Positions)]
    public int DeserializeDtos() =>
        System.Text.Json.JsonSerializer.Deserialize(_message, Yunlu.Server.Supervision.SupervisionJsonContext.Default.PositionDtoArray)!.Length;

    [Benchmark(OperationsPerInvoke = Positions)]
    public int ReadMessageIntoBatch()
    {
        Yunlu.Server.Supervision.PositionBatch batch = Yunlu.Server.Supervision.PositionBatch.Rent(Yunlu.Server.Supervision.IngestSource.WebSocket);
        _parser.ReadMessage(_message, batch, 10_000);
        int n = batch.Count;
        Yunlu.Server.Supervision.PositionBatch.Return(batch);
        return n;
    }
}
