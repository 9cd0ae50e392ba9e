using System.Globalization;
using Yunlu.Formats.Telemetry;
using Yunlu.Supervision;

namespace Yunlu.Server.Supervision;

/// <summary>
/// Decodes broadcast Remote ID payloads posted by receivers (ASTM F3411 / ASD-STAN single messages and message packs,
/// GB 46750-2025 messages) into positions for the ingestion queue. The F3411 decoder keeps each transmitter's last
/// Basic ID, so one gateway serves all receivers (serialised by a lock). Bad payloads are counted, never thrown.
/// </summary>
public sealed class RemoteIdGateway(SupervisionRuntime runtime)
{
    /// <summary>Largest payload, bytes (a full F3411 message pack is 3 + 9 × 25 = 228).</summary>
    public const int MaxPayloadBytes = 512;

    /// <summary>Most messages per request.</summary>
    public const int MaxMessages = 10_000;

    private readonly Lock _gate = new();
    private readonly AstmRemoteIdDecoder _astm = new();
    private readonly GbRemoteIdDecoder _gb = new();
    private readonly List<PositionReport> _reports = [];

    /// <summary>Decodes a batch; returns the per-message outcome.</summary>
    public IngestResultDto Ingest(RemoteIdBatchDto batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        IReadOnlyList<RemoteIdPayloadDto> messages = batch.Messages ?? [];
        var errors = new List<ItemErrorDto>();
        int accepted = 0, dropped = 0;
        byte[] bytes = new byte[MaxPayloadBytes];
        for (int i = 0; i < messages.Count; i++)
        {
            RemoteIdPayloadDto m = messages[i];
            string prefix = string.Create(CultureInfo.InvariantCulture, $"messages[{i}]");
            if (m is null)
            {
                errors.Add(new ItemErrorDto(i, prefix, "required", $"{prefix}: must be an object"));
                continue;
            }

            bool astm = string.Equals(m.Format, "astm", StringComparison.Ordinal);
            if (!astm && !string.Equals(m.Format, "gb", StringComparison.Ordinal))
            {
                errors.Add(new ItemErrorDto(i, prefix + ".format", "format-unknown", $"{prefix}.format: must be astm (ASTM F3411) or gb (GB 46750-2025)"));
                continue;
            }

            if (m.ReceivedUtc is not { } received)
            {
                errors.Add(new ItemErrorDto(i, prefix + ".receivedUtc", "required", $"{prefix}.receivedUtc: required (when the receiver heard it)"));
                continue;
            }

            if (m.Payload is null || !Convert.TryFromBase64String(m.Payload, bytes, out int n) || n == 0)
            {
                errors.Add(new ItemErrorDto(i, prefix + ".payload", "base64-invalid", $"{prefix}.payload: must be 1–{MaxPayloadBytes} bytes in base64"));
                runtime.Counters.BadFrames(IngestSource.RemoteId);
                continue;
            }

            ReadOnlySpan<byte> data = bytes.AsSpan(0, n);
            lock (_gate)
            {
                _reports.Clear();
                long badBefore = astm ? _astm.Stats.BadFrames : _gb.Stats.BadFrames;
                if (astm)
                {
                    _astm.Decode(data, m.Transmitter is { Length: > 0 } tx ? tx : "unknown", received.ToUniversalTime(), _reports);
                }
                else
                {
                    _gb.Decode(data, received.ToUniversalTime(), _reports);
                }

                long bad = (astm ? _astm.Stats.BadFrames : _gb.Stats.BadFrames) - badBefore;
                if (bad > 0)
                {
                    runtime.Counters.BadFrames(IngestSource.RemoteId, bad);
                    errors.Add(new ItemErrorDto(i, prefix + ".payload", "frame-invalid", $"{prefix}.payload: not a valid {(astm ? "ASTM F3411 message or message pack" : "GB 46750 message")}"));
                    continue;
                }

                accepted++;
                foreach (PositionReport r in _reports)
                {
                    if (!runtime.TryIngest(r, IngestSource.RemoteId))
                    {
                        dropped++;
                    }
                }
            }
        }

        return new IngestResultDto(accepted, messages.Count - accepted, errors.Count > 100 ? errors[..100] : errors, dropped);
    }
}
