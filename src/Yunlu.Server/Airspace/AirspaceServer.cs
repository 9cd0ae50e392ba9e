using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yunlu.Server.Hosting;
using Yunlu.Storage.Airspace;

namespace Yunlu.Server.Airspace;

/// <summary>Wires airspace planning into the server: the airspace store, the airspace service, the demo additions and
/// the endpoint groups (grid, corridors, airway nodes, rules, weather, zone history, "can I fly here?").</summary>
public static class AirspaceServer
{
    /// <summary>Registers the airspace services (call after the core registrations).</summary>
    public static IServiceCollection AddYunluAirspace(this IServiceCollection services, YunluServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<IAirspaceStore>(_ => AirspaceStoreFactory.Create(
            string.IsNullOrWhiteSpace(options.PostgresConnectionString) ? options.SqlitePath : options.PostgresConnectionString));
        services.AddSingleton<AirspaceService>();
        services.AddSingleton<FolderDemoSeeder>();
        services.Replace(ServiceDescriptor.Singleton<IDemoSeeder, AirspaceDemoSeeder>());
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, AirspaceJsonContext.Default));
        return services;
    }

    /// <summary>Maps every airspace endpoint under <paramref name="v1"/> (<c>/api/v1</c>).</summary>
    public static RouteGroupBuilder MapAirspaceApi(this RouteGroupBuilder v1)
    {
        var options = ((IEndpointRouteBuilder)v1).ServiceProvider.GetRequiredService<YunluServerOptions>();
        GridApi.Map(v1, options);
        CorridorsApi.Map(v1, options);
        RulesApi.Map(v1, options);
        WeatherApi.Map(v1, options);
        ZoneHistoryApi.Map(v1, options);
        CheckApi.Map(v1, options);
        return v1;
    }
}
