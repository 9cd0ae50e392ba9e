using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yunlu.Formats;
using Yunlu.Server.Hosting;
using Yunlu.Storage;

namespace Yunlu.Server.Problems;

/// <summary>Maps exceptions that escape an endpoint to problem details with Yunlu's type URIs: oversized bodies → 413,
/// malformed requests → 400, stale versions → 412, unreadable files → 422, store outages → 503, the rest → 500.</summary>
internal sealed class YunluExceptionHandler(ILogger<YunluExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, type, title, detail, extensions) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (413, ProblemTypes.PayloadTooLarge, "The request body is too large.", exception.Message, null),
            BadHttpRequestException { InnerException: JsonException json } =>
                (400, ProblemTypes.Validation, "The request body is not valid JSON.", json.Message, FieldError(json.Path ?? "$", "json-syntax", json.Message)),
            BadHttpRequestException bad =>
                (bad.StatusCode, ProblemTypes.ForStatus(bad.StatusCode), "The request is malformed.", bad.Message, null),
            ConcurrencyConflictException =>
                (412, ProblemTypes.VersionConflict, "The stored version differs from If-Match.", exception.Message, null),
            InvalidFileException file =>
                (422, ProblemTypes.ImportFailed, "The file cannot be read.", exception.Message,
                    new Dictionary<string, object?>(StringComparer.Ordinal) { ["featureErrors"] = new[] { new FeatureError(-1, null, "file", file.Rule, file.Message) } }),
            StoreConstraintException =>
                (409, ProblemTypes.ForStatus(409), "The write conflicts with stored data; nothing was stored.", exception.Message, null),
            System.Data.Common.DbException or TimeoutException =>
                (503, ProblemTypes.StoreUnavailable, "The store is unavailable.", exception.Message, null),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested =>
                (499, ProblemTypes.Http, "The client closed the request.", null, null),
            _ => (500, ProblemTypes.Internal, "An unexpected error occurred.", null, null),
        };

        if (status >= 500 && status != 503)
        {
            Log.Unhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }
        else if (status == 503)
        {
            Log.StoreUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        }

        if (httpContext.Response.HasStarted || status == 499)
        {
            return status == 499;
        }

        await ProblemWriter.WriteAsync(httpContext, status, type, title, detail, cancellationToken, extensions).ConfigureAwait(false);
        return true;
    }

    private static Dictionary<string, object?> FieldError(string field, string rule, string message) =>
        new(StringComparer.Ordinal)
        {
            ["errors"] = new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [$"{rule}: {message}"] },
            ["violations"] = new[] { new Violation(field, rule, message) },
        };
}
