using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace Yunlu.Server.Hosting;

/// <summary>Posts one JSON payload to a webhook, retrying with doubling delays; shared by the operations notifier and
/// the supervision alert push. Failures are logged, never thrown; cancellation ends the delivery quietly.</summary>
internal static partial class WebhookDelivery
{
    /// <summary>Posts <paramref name="payload"/> to <paramref name="url"/> up to <paramref name="attempts"/> times
    /// (at least once), waiting <paramref name="firstDelay"/> after the first failure and twice as long after each next.</summary>
    public static async Task PostAsync<T>(
        HttpClient http,
        string url,
        T payload,
        JsonTypeInfo<T> type,
        int attempts,
        TimeSpan firstDelay,
        TimeProvider time,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var delay = firstDelay;
        var total = Math.Max(1, attempts);
        for (var attempt = 1; attempt <= total; attempt++)
        {
            try
            {
                using var response = await http.PostAsJsonAsync(url, payload, type, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
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
                return;
            }

            if (attempt < total)
            {
                try
                {
                    await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay *= 2;
            }
        }
    }

    [LoggerMessage(1101, LogLevel.Warning, "Webhook {Url} answered {Status} (attempt {Attempt})")]
    private static partial void LogStatus(ILogger logger, string url, int status, int attempt);

    [LoggerMessage(1102, LogLevel.Warning, "Webhook {Url} failed: {Message} (attempt {Attempt})")]
    private static partial void LogError(ILogger logger, string url, string message, int attempt);
}
