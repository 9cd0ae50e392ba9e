using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Yunlu.Server.Problems;

/// <summary>Writes an RFC 9457 problem through the registered <see cref="IProblemDetailsService"/>.</summary>
public static class ProblemWriter
{
    /// <summary>Writes a problem with <paramref name="status"/>, <paramref name="type"/>, <paramref name="title"/>.</summary>
    public static async Task WriteAsync(HttpContext http, int status, string type, string title, string? detail, CancellationToken cancellationToken, IDictionary<string, object?>? extensions = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        http.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail };
        if (extensions is not null)
        {
            foreach (var (k, v) in extensions)
            {
                problem.Extensions[k] = v;
            }
        }

        var service = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }).ConfigureAwait(false))
        {
            await http.Response.WriteAsJsonAsync(problem, cancellationToken).ConfigureAwait(false);
        }
    }
}
