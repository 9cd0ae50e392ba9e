using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Yunlu.Server.Supervision;

/// <summary>Registers and maps the live supervision area.</summary>
public static class SupervisionSetup
{
    /// <summary>The SignalR hub path.</summary>
    public const string HubPath = "/hubs/supervision";

    /// <summary>The WebSocket ingestion path.</summary>
    public const string WebSocketPath = "/api/v1/supervision/ws";

    /// <summary>Registers the supervision services: options (<c>Yunlu:Supervision</c>), the runtime (queue, engine
    /// loop, recording), the broadcaster (SignalR, webhooks), the socket listeners, the Remote ID gateway, the
    /// simulation, and JWT from <c>?access_token=</c> on the hub and the WebSocket.</summary>
    public static IServiceCollection AddYunluSupervision(this IServiceCollection services, YunluServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddOptions<SupervisionServerOptions>().BindConfiguration(SupervisionServerOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SupervisionServerOptions>>().Value);
        services.AddSingleton<SupervisionSubscriptions>();
        services.AddSingleton<SupervisionBroadcast>();
        services.AddSingleton<SupervisionRuntime>();
        services.AddSingleton<SupervisionListeners>();
        services.AddSingleton<RemoteIdGateway>();
        services.AddSingleton<SupervisionSimulation>();
        services.AddSingleton<PositionJsonPool>();
        services.AddHostedService(sp => sp.GetRequiredService<SupervisionBroadcast>());
        services.AddHostedService(sp => sp.GetRequiredService<SupervisionRuntime>());
        services.AddHostedService(sp => sp.GetRequiredService<SupervisionListeners>());
        services.AddHostedService<SupervisionStartupSimulation>();
        services.AddSignalR().AddJsonProtocol(j => j.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, SupervisionJsonContext.Default));
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, SupervisionJsonContext.Default));
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            jwt.Events ??= new JwtBearerEvents();
            var previous = jwt.Events.OnMessageReceived;
            jwt.Events.OnMessageReceived = async ctx =>
            {
                await previous(ctx).ConfigureAwait(false);
                var path = ctx.HttpContext.Request.Path;
                if (ctx.Token is null && (path.StartsWithSegments(HubPath, StringComparison.Ordinal) || path.StartsWithSegments(WebSocketPath, StringComparison.Ordinal)) &&
                    ctx.Request.Query.TryGetValue("access_token", out var token))
                {
                    ctx.Token = token.ToString();
                }
            };
        });
        return services;
    }

    /// <summary>Maps <c>/api/v1/supervision/*</c>, the WebSocket and the hub <c>/hubs/supervision</c>.</summary>
    public static WebApplication MapYunluSupervision(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        var server = app.Services.GetRequiredService<YunluServerOptions>();
        var options = app.Services.GetRequiredService<SupervisionServerOptions>();
        app.MapGroup("/api/v1").MapSupervisionEndpoints(server, options);
        app.MapHub<SupervisionHub>(HubPath);
        return app;
    }
}

/// <summary>Starts the configured start-up simulation (<see cref="SupervisionServerOptions.SimulateDrones"/>) once the
/// demo data is in.</summary>
internal sealed class SupervisionStartupSimulation(SupervisionSimulation simulation, SupervisionServerOptions options, Hosting.StartupState state) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.SimulateDrones <= 0)
        {
            return;
        }

        await state.Seeded.WaitAsync(stoppingToken).ConfigureAwait(false);
        await simulation.StartAsync(new SimulationRequestDto(options.SimulateDrones, true, options.SimulateSeconds, 1), stoppingToken).ConfigureAwait(false);
    }
}
