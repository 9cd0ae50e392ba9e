using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Yunlu.Server.Tests.Supervision;

/// <summary>One POST a <see cref="WebhookReceiver"/> received: its headers of interest and raw body.</summary>
public sealed record ReceivedHook(string? Event, string? Delivery, int Attempt, string? Timestamp, string? Signature, byte[] Body, int AnsweredStatus)
{
    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>A webhook receiver on loopback (Kestrel, port 0) that records every POST and answers with the status the
/// test's <c>answer</c> function gives for the n-th call (1-based) and its <c>X-Yunlu-Event</c>.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedHook> _calls = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url => _app.Urls.First() + "/hook";

    public IReadOnlyList<ReceivedHook> Calls => [.. _calls];

    public static async Task<WebhookReceiver> StartAsync(Func<int, string, int> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        int calls = 0;
        app.MapPost("/hook", async (HttpContext ctx) =>
        {
            using var buffer = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(buffer);
            var h = ctx.Request.Headers;
            int status = answer(Interlocked.Increment(ref calls), h["X-Yunlu-Event"].ToString());
            receiver._calls.Enqueue(new ReceivedHook(h["X-Yunlu-Event"].ToString(), h["X-Yunlu-Delivery"].ToString(),
                int.TryParse(h["X-Yunlu-Attempt"].ToString(), out int attempt) ? attempt : 0, h["X-Yunlu-Timestamp"].ToString(),
                h["X-Yunlu-Signature"].ToString(), buffer.ToArray(), status));
            return Results.StatusCode(status);
        });
        await app.StartAsync(SupervisionHost.Ct);
        return receiver;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

/// <summary>Keeps every log message (formatted) of a server, for assertions on logged failures.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, int EventId, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, int EventId, string Message)> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner._entries.Enqueue((logLevel, eventId.Id, formatter(state, exception)));
            }
        }
    }
}
