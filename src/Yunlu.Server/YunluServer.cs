using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Scalar.AspNetCore;
using Yunlu.Server.Airspace;
using Yunlu.Server.Api;
using Yunlu.Server.Auth;
using Yunlu.Server.Contracts;
using Yunlu.Server.Hosting;
using Yunlu.Server.Imports;
using Yunlu.Server.Network;
using Yunlu.Server.Operations;
using Yunlu.Server.Problems;
using Yunlu.Server.Supervision;
using Yunlu.Storage;

namespace Yunlu.Server;

/// <summary>
/// Composes the Yunlu server: one entry that <c>yunlu serve</c>, <c>Program.cs</c> and the tests share.
/// <c>CreateBuilder</c> registers the services (store, auth, problem details, rate limits, OpenAPI);
/// <c>BuildApp</c> builds the app and maps the pipeline and every API area.
/// </summary>
public static class YunluServer
{
    /// <summary>Creates a builder configured from <paramref name="options"/>. Settings under the <c>Yunlu</c> section of
    /// configuration (appsettings, <c>Yunlu__DataFolder</c> environment variables, …) fill what the options leave at their
    /// defaults only when <paramref name="bindConfiguration"/> is true.</summary>
    /// <param name="options">The server options (kept; later changes are seen by the services).</param>
    /// <param name="args">Command-line arguments for the host (may be empty).</param>
    /// <param name="bindConfiguration">Bind the <c>Yunlu</c> configuration section onto <paramref name="options"/>.</param>
    public static WebApplicationBuilder CreateBuilder(YunluServerOptions options, string[]? args = null, bool bindConfiguration = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (bindConfiguration && string.IsNullOrWhiteSpace(options.WebRootPath))
        {
            // The web root is fixed when the builder is created, before its configuration can be bound: read the
            // setting from the same sources (appsettings, environment, command line) first.
            options.WebRootPath = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
                .AddEnvironmentVariables()
                .AddCommandLine(args ?? [])
                .Build()[YunluServerOptions.SectionName + ":" + nameof(YunluServerOptions.WebRootPath)];
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args ?? [],
            ApplicationName = typeof(YunluServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = ResolveWebRoot(options),
        });
        if (bindConfiguration)
        {
            builder.Configuration.GetSection(YunluServerOptions.SectionName).Bind(options);
        }

        if (options.Urls.Count > 0)
        {
            builder.WebHost.UseUrls([.. options.Urls]);
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = Math.Max(options.Limits.MaxImportBytes, options.Limits.MaxJsonBytes);
            k.AddServerHeader = false;
        });

        Directory.CreateDirectory(Path.GetFullPath(options.DataFolder));
        AddYunlu(builder.Services, options);
        return builder;
    }

    /// <summary>Registers the Yunlu services on <paramref name="services"/>.</summary>
    public static IServiceCollection AddYunlu(IServiceCollection services, YunluServerOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<StartupState>();
        services.AddSingleton(sp => sp.GetRequiredService<StartupState>().Store);
        services.AddSingleton<ImportService>();
        services.AddSingleton<TerrainService>();
        services.AddSingleton<ImageryService>();
        services.TryAddSingleton<IDemoSeeder, FolderDemoSeeder>();
        services.AddHostedService<StoreStartup>();

        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, YunluJsonContext.Default);
            json.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });

        // Malformed JSON and wrong types throw, so the exception handler can name the field ($.path) and the rule.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<ExceptionHandlerOptions>(o => o.SuppressDiagnosticsCallback = ctx => ctx.Exception is BadHttpRequestException or ConcurrencyConflictException);
        services.AddProblemDetails(pd => pd.CustomizeProblemDetails = ctx =>
        {
            var problem = ctx.ProblemDetails;
            var status = problem.Status ?? ctx.HttpContext.Response.StatusCode;
            if (problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
            {
                problem.Type = ProblemTypes.ForStatus(status);
            }

            problem.Instance ??= ctx.HttpContext.Request.Path;
            problem.Extensions.TryAdd("traceId", ctx.HttpContext.TraceIdentifier);
        });
        services.AddExceptionHandler<YunluExceptionHandler>();

        // Authentication: the development issuer's key plus any trusted issuers/keys.
        var auth = options.Auth;
        var keyPath = Path.Combine(Path.GetFullPath(options.DataFolder), "keys", "dev-issuer.pem");
        services.AddSingleton(sp => new DevTokenIssuer(keyPath, auth.DevIssuer, auth.Audience, auth.TokenLifetime, sp.GetRequiredService<TimeProvider>()));
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<DevTokenIssuer>((jwt, issuer) =>
        {
            jwt.MapInboundClaims = false;
            jwt.RequireHttpsMetadata = false;
            var keys = new List<SecurityKey>();
            var issuers = new List<string>(auth.TrustedIssuers);
            if (auth.DevIssuerEnabled)
            {
                keys.Add(issuer.ValidationKey);
                issuers.Add(auth.DevIssuer);
            }

            foreach (var file in auth.TrustedKeyFiles)
            {
                keys.AddRange(TrustedKeys.Load(file));
            }

            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuers = issuers,
                ValidAudience = auth.Audience,
                IssuerSigningKeys = keys,
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384],
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidateLifetime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = "sub",
                RoleClaimType = YunluRoles.RoleClaim,
            };
        });
        services.AddTransient<Microsoft.AspNetCore.Authentication.IClaimsTransformation, ScopeRoleClaimsTransformation>();
        services.AddAuthorizationBuilder()
            .AddPolicy(YunluRoles.AnyUserPolicy, p => p.RequireAuthenticatedUser())
            .AddPolicy(YunluRoles.ManagePolicy, p => p.RequireRole(YunluRoles.Manager, YunluRoles.Admin))
            .AddPolicy(YunluRoles.SupervisePolicy, p => p.RequireRole(YunluRoles.Supervisor, YunluRoles.Admin))
            .AddPolicy(YunluRoles.OperatePolicy, p => p.RequireRole(YunluRoles.Operator, YunluRoles.Manager, YunluRoles.Supervisor, YunluRoles.Admin))
            .AddPolicy(YunluRoles.AdminPolicy, p => p.RequireRole(YunluRoles.Admin));

        services.AddRateLimiter(rl =>
        {
            rl.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx =>
            {
                if (ctx.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                {
                    return RateLimitPartition.GetNoLimiter("health");
                }

                var key = ctx.User.FindFirstValue("sub") is { } sub ? "user:" + sub : "ip:" + (ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown");
                return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.Limits.RatePermits,
                    Window = options.Limits.RateWindow,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            rl.OnRejected = async (ctx, ct) =>
            {
                var http = ctx.HttpContext;
                Log.RateLimited(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Yunlu.Server.RateLimit"), http.User.FindFirstValue("sub") ?? "anonymous", http.Request.Path);
                if (ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await ProblemWriter.WriteAsync(http, StatusCodes.Status429TooManyRequests, ProblemTypes.RateLimited, "Too many requests.",
                    $"At most {options.Limits.RatePermits} requests per {options.Limits.RateWindow.TotalSeconds:0} s per user or address.", ct).ConfigureAwait(false);
            };
        });

        services.AddOpenApi("v1", OpenApiSetup.Configure);
        services.AddYunluAirspace(options);
        services.AddYunluNetwork();
        Yunlu.Server.Routing.RoutingApi.AddYunluRouting(services);
        services.AddYunluOperations(options);
        services.AddYunluSupervision(options);
        return services;
    }

    /// <summary>Builds the app from <paramref name="builder"/> and maps the pipeline: problem details, request logging,
    /// body limits, auth, rate limits, <c>/health</c>, <c>/api/v1</c>, <c>/openapi/v1.json</c>, <c>/scalar</c> and the web console.</summary>
    public static WebApplication BuildApp(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        var options = app.Services.GetRequiredService<YunluServerOptions>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Yunlu.Server");

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestLoggingMiddleware>();

        var webRoot = app.Environment.WebRootPath;
        var hasConsole = !string.IsNullOrEmpty(webRoot) && File.Exists(Path.Combine(webRoot, "index.html"));
        if (hasConsole)
        {
            Log.WebRoot(logger, webRoot);
            app.UseDefaultFiles();
            app.UseStaticFiles();
        }
        else
        {
            Log.NoWebRoot(logger);
        }

        app.UseRouting();
        app.UseMiddleware<BodySizeLimitMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapHealthApi();
        var v1 = app.MapGroup("/api/v1");
        v1.MapInfoApi();
        v1.MapAuthApi();
        v1.MapZonesApi();
        v1.MapImportsApi();
        v1.MapExportsApi();
        v1.MapObstaclesApi();
        v1.MapSitesApi();
        v1.MapTerrainApi();
        Yunlu.Server.Layers.LayersApi.MapLayersApi(v1);
        v1.MapAirspaceApi();
        v1.MapNetworkApi();
        Yunlu.Server.Routing.RoutingApi.MapRoutingApi(v1);
        app.MapYunluOperations();
        app.MapYunluSupervision();

        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/scalar", s => s.WithTitle("Yunlu API").AddDocument("v1")).AllowAnonymous();

        if (hasConsole)
        {
            // The console's client-side routes; never for the API, health, OpenAPI or Scalar paths.
            var index = Path.Combine(webRoot, "index.html");
            app.MapFallback(async (HttpContext http) =>
            {
                var path = http.Request.Path;
                var isGet = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
                if (!isGet || path.StartsWithSegments("/api", StringComparison.Ordinal) || path.StartsWithSegments("/health", StringComparison.Ordinal) ||
                    path.StartsWithSegments("/openapi", StringComparison.Ordinal) || path.StartsWithSegments("/scalar", StringComparison.Ordinal))
                {
                    await ProblemWriter.WriteAsync(http, StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found.", $"No endpoint {http.Request.Method} {path}.", http.RequestAborted).ConfigureAwait(false);
                    return;
                }

                http.Response.ContentType = "text/html; charset=utf-8";
                await http.Response.SendFileAsync(index, http.RequestAborted).ConfigureAwait(false);
            }).AllowAnonymous().ExcludeFromDescription();
        }

        _ = options;
        return app;
    }

    /// <summary>Creates, builds and maps the app in one call.</summary>
    public static WebApplication Create(YunluServerOptions options, string[]? args = null) => BuildApp(CreateBuilder(options, args));

    /// <summary>The web console folder: the option, else <c>wwwroot</c> beside the binaries, else the repository's
    /// <c>web/dist</c>; null when none has an <c>index.html</c>.</summary>
    public static string? ResolveWebRoot(YunluServerOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.WebRootPath))
        {
            return Path.GetFullPath(options.WebRootPath);
        }

        var local = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (File.Exists(Path.Combine(local, "index.html")))
        {
            return local;
        }

        return RepoPaths.FindRepoRoot() is { } root && File.Exists(Path.Combine(root, "web", "dist", "index.html"))
            ? Path.Combine(root, "web", "dist")
            : null;
    }
}

/// <summary>Finds the repository (the folder holding <c>Yunlu.slnx</c>) by walking up from the binaries or the
/// current directory.</summary>
public static class RepoPaths
{
    /// <summary>The repository root, or null when the binaries do not run from inside the repository.</summary>
    public static string? FindRepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Yunlu.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }
}
