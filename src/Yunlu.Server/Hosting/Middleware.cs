using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Yunlu.Server.Problems;

namespace Yunlu.Server.Hosting;

/// <summary>Endpoint metadata: the largest request body this endpoint accepts, in bytes.</summary>
/// <param name="MaxBytes">The limit.</param>
public sealed record BodySizeLimit(long MaxBytes);

/// <summary>Applies the endpoint's <see cref="BodySizeLimit"/> (default: the JSON limit) to the request: a declared
/// Content-Length above it is answered 413 at once, a chunked body that grows past it fails while being read (Kestrel
/// enforces the per-request limit, and the exception handler turns that into 413 too).</summary>
internal sealed class BodySizeLimitMiddleware(RequestDelegate next, YunluServerOptions options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<BodySizeLimit>()?.MaxBytes ?? options.Limits.MaxJsonBytes;
        if (context.Request.ContentLength is { } length && length > limit)
        {
            context.Response.Headers.Connection = "close";
            return ProblemWriter.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge,
                "The request body is too large.",
                string.Create(CultureInfo.InvariantCulture, $"{length} bytes sent; this endpoint accepts at most {limit} bytes."),
                context.RequestAborted,
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["maxBytes"] = limit });
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        return next(context);
    }
}

/// <summary>Logs one line per request: method, path, status, elapsed time (source-generated logging).</summary>
internal sealed class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                Log.Request(logger, context.Request.Method, context.Request.Path, context.Response.StatusCode, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
    }
}
