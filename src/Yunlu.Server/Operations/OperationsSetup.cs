using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Yunlu.Server.Auth;

namespace Yunlu.Server.Operations;

/// <summary>Registers and maps the operations area (registry, intents, deconfliction, notifications).</summary>
public static class OperationsSetup
{
    /// <summary>The SignalR hub path.</summary>
    public const string HubPath = "/hubs/operations";

    /// <summary>Registers the operations services: options (<c>Yunlu:Operations</c>), the runtime (store, index, book,
    /// checker, registry), the start-up loader and loops, the notifier, SignalR, and JWT from <c>?access_token=</c> on the hub.</summary>
    public static IServiceCollection AddYunluOperations(this IServiceCollection services, YunluServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddOptions<OperationsOptions>().BindConfiguration(YunluServerOptions.SectionName + ":Operations");
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<OperationsOptions>>().Value);
        services.AddSingleton<OperationsRuntime>();
        services.AddHostedService<OperationsStartup>();
        services.AddSingleton<OperationsNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<OperationsNotifier>());
        services.AddSignalR().AddJsonProtocol(j => j.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, OperationsJsonContext.Default));
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, OperationsJsonContext.Default));
        services.AddAuthorizationBuilder()
            .AddPolicy(OperationsApi.ApprovePolicy, p => p.RequireRole(YunluRoles.Manager, YunluRoles.Supervisor, YunluRoles.Admin));
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            jwt.Events ??= new JwtBearerEvents();
            var previous = jwt.Events.OnMessageReceived;
            jwt.Events.OnMessageReceived = async ctx =>
            {
                await previous(ctx).ConfigureAwait(false);
                if (ctx.Token is null && ctx.HttpContext.Request.Path.StartsWithSegments(HubPath, StringComparison.Ordinal) &&
                    ctx.Request.Query.TryGetValue("access_token", out var token))
                {
                    ctx.Token = token.ToString();
                }
            };
        });
        return services;
    }

    /// <summary>Maps <c>/api/v1/registry/*</c>, <c>/api/v1/operations*</c> and the hub <c>/hubs/operations</c>.</summary>
    public static IEndpointRouteBuilder MapYunluOperations(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var v1 = app.MapGroup("/api/v1");
        v1.MapRegistryEndpoints();
        v1.MapOperationsEndpoints();
        app.MapHub<OperationsHub>(HubPath);
        return app;
    }
}
