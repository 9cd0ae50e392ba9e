var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/health/live", () => "ok");
await app.RunAsync().ConfigureAwait(false);
