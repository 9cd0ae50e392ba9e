using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace Yunlu.Server.Hosting;

/// <summary>Posts one JSON payload to a webhook, retrying with doubling delays; shared by the operations notifier and
/// the supervision alert push. Failures are logged, never thrown; cancellation ends the delivery quietly.</summary>
/// <remarks>
/// <para>Every attempt carries the same identification headers so that a receiver can de-duplicate retries and verify
/// the sender: <c>X-Yunlu-Event</c> (what, e.g. <c>supervision.alert.raised</c>), <c>X-Yunlu-Delivery</c> (one id per
/// delivery, the same on every retry), <c>X-Yunlu-Attempt</c> (1, 2, …) and <c>X-Yunlu-Timestamp</c> (Unix seconds of
/// the attempt). With a secret, <c>X-Yunlu-Signature: sha256=&lt;hex&gt;</c> is the HMAC-SHA256 (RFC 2104) under the
/// secret's UTF-8 bytes of <c>"&lt;timestamp&gt;.&lt;body&gt;"</c> — the scheme of GitHub's and Stripe's webhooks: a
/// receiver recomputes it over the raw body and rejects stale timestamps to stop replays.</para>
/// </remarks>
internal static partial class WebhookDelivery
{
    /// <summary>The event header.</summary>
    public const string EventHeader = "X-Yunlu-Event";

    /// <summary>The delivery id header (a GUID, the same on every retry of one delivery).</summary>
    public const string DeliveryHeader = "X-Yunlu-Delivery";

    /// <summary>The attempt number header (1 for the first attempt).</summary>
    public const string AttemptHeader = "X-Yunlu-Attempt";

    /// <summary>The timestamp header (Unix seconds of the attempt).</summary>
    public const string TimestampHeader = "X-Yunlu-Timestamp";

    /// <summary>The signature header (<c>sha256=</c> and the lower-case hex HMAC).</summary>
    public const string SignatureHeader = "X-Yunlu-Signature";

    /// <summary>Posts <paramref name="payload"/> to <paramref name="url"/> up to <paramref name="attempts"/> times
    /// (at least once), waiting <paramref name="firstDelay"/> after the first failure and twice as long after each next.</summary>
    /// <param name="http">The client (its timeout bounds each attempt).</param>
    /// <param name="url">The receiver.</param>
    /// <param name="payload">The body, serialised once.</param>
    /// <param name="type">The payload's JSON type info.</param>
    /// <param name="attempts">Most attempts (at least 1).</param>
    /// <param name="firstDelay">Delay after the first failed attempt; doubled after each next.</param>
    /// <param name="time">The clock (delays and timestamps).</param>
    /// <param name="logger">Receives one warning per failed attempt.</param>
    /// <param name="cancellationToken">Ends the delivery quietly.</param>
    /// <param name="eventName">The <c>X-Yunlu-Event</c> value, e.g. <c>operations.notification</c>.</param>
    /// <param name="secret">The signing secret, or null/empty for no signature.</param>
    /// <returns>True when a receiver answered 2xx.</returns>
    public static async Task<bool> PostAsync<T>(
        HttpClient http,
        string url,
        T payload,
        JsonTypeInfo<T> type,
        int attempts,
        TimeSpan firstDelay,
        TimeProvider time,
        ILogger logger,
        CancellationToken cancellationToken,
        string eventName = "yunlu.notification",
        string? secret = null)
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(payload, type);
        string delivery = Guid.NewGuid().ToString("D");
        var delay = firstDelay;
        var total = Math.Max(1, attempts);
        for (var attempt = 1; attempt <= total; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                string timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                request.Headers.TryAddWithoutValidation(EventHeader, eventName);
                request.Headers.TryAddWithoutValidation(DeliveryHeader, delivery);
                request.Headers.TryAddWithoutValidation(AttemptHeader, attempt.ToString(CultureInfo.InvariantCulture));
                request.Headers.TryAddWithoutValidation(TimestampHeader, timestamp);
                if (!string.IsNullOrEmpty(secret))
                {
                    request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(secret, timestamp, body));
                }

                using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }

                LogStatus(logger, url, (int)response.StatusCode, attempt);
            }
            catch (HttpRequestException ex)
            {
                LogError(logger, url, ex.Message, attempt);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                LogError(logger, url, "timed out", attempt);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            if (attempt < total)
            {
                try
                {
                    await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }

                delay *= 2;
            }
        }

        LogGaveUp(logger, url, total);
        return false;
    }

    /// <summary>The <c>X-Yunlu-Signature</c> value: <c>sha256=</c> and the hex HMAC-SHA256 of <c>"&lt;timestamp&gt;.&lt;body&gt;"</c>.</summary>
    /// <param name="secret">The shared secret (UTF-8).</param>
    /// <param name="timestamp">The <c>X-Yunlu-Timestamp</c> value.</param>
    /// <param name="body">The raw body.</param>
    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(timestamp);
        byte[] prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        byte[] message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    [LoggerMessage(1101, LogLevel.Warning, "Webhook {Url} answered {Status} (attempt {Attempt})")]
    private static partial void LogStatus(ILogger logger, string url, int status, int attempt);

    [LoggerMessage(1102, LogLevel.Warning, "Webhook {Url} failed: {Message} (attempt {Attempt})")]
    private static partial void LogError(ILogger logger, string url, string message, int attempt);

    [LoggerMessage(1103, LogLevel.Warning, "Webhook {Url} gave up after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, string url, int attempts);
}
