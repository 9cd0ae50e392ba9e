using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Yunlu.Airspace.Corridors;
using Yunlu.Airspace.Sites;
using Yunlu.Airspace.Validation;
using Yunlu.Geo;
using Yunlu.Routing.Network;
using Yunlu.Server.Api;
using Yunlu.Server.Auth;
using Yunlu.Server.Problems;
using Yunlu.Storage;
using Yunlu.Storage.Airspace;

namespace Yunlu.Server.Network;

/// <summary>Airway network generation: <c>POST /api/v1/airways/generate</c> (manager/admin).</summary>
public static class NetworkApi
{
    /// <summary>Most vertiports one request may join.</summary>
    public const int MaxVertiports = 300;

    /// <summary>Registers the network API's JSON metadata.</summary>
    public static IServiceCollection AddYunluNetwork(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, NetworkJsonContext.Default));
        return services;
    }

    /// <summary>Maps <c>POST /airways/generate</c> under <paramref name="v1"/> (<c>/api/v1</c>).</summary>
    public static RouteGroupBuilder MapNetworkApi(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapPost("/airways/generate", GenerateAsync).WithTags("Corridors").WithName("GenerateAirways")
            .WithSummary("Generates an airway network joining vertiports (stored site ids and/or points): corridors avoiding prohibited zones and tall obstacles, " +
                         "detour per pair within the target, no same-layer crossing outside junctions, opposing headings on vertically separated layers below the " +
                         "true-height ceiling. Returns GeoJSON (airway nodes, one-way corridors) with the report; \"store\": true also stores the corridors.")
            .Accepts<NetworkGenerateRequestDto>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "application/geo+json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization(YunluRoles.ManagePolicy);
        return v1;
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem>> GenerateAsync(
        NetworkGenerateRequestDto request, ClaimsPrincipal user, IYunluStore store, IAirspaceStore airspace, CancellationToken cancellationToken)
    {
        var violations = new Violations();
        NetworkOptions options = ToOptions(request.Options);
        var vertiports = new List<NetworkVertiport>();
        int siteCount = request.SiteIds?.Count ?? 0, pointCount = request.Points?.Count ?? 0;
        if (siteCount + pointCount < 2)
        {
            violations.Add("siteIds", "count", "give at least two vertiports in siteIds and/or points");
        }
        else if (siteCount + pointCount > MaxVertiports)
        {
            violations.Add("siteIds", "count", $"at most {MaxVertiports} vertiports per request (got {siteCount + pointCount})");
        }

        if (siteCount > 0)
        {
            var sites = (await store.ListSitesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Id, StringComparer.Ordinal);
            for (int i = 0; i < siteCount; i++)
            {
                string id = request.SiteIds![i];
                if (id is null || !sites.TryGetValue(id, out Site? site))
                {
                    violations.Add($"siteIds[{i}]", "unknown-site", $"there is no stored site '{id}'");
                    continue;
                }

                vertiports.Add(new NetworkVertiport(site.Id, site.Name, site.Position));
            }
        }

        for (int i = 0; i < pointCount; i++)
        {
            NetworkPointDto? p = request.Points![i];
            if (p is null || string.IsNullOrWhiteSpace(p.Id))
            {
                violations.Add($"points[{i}].id", "required", "a point needs an id");
                continue;
            }

            var position = new GeoPoint(p.Lon, p.Lat);
            if (!position.IsValid)
            {
                violations.Add($"points[{i}]", "position", $"lon {p.Lon}, lat {p.Lat} is not a valid WGS84 position");
                continue;
            }

            vertiports.Add(new NetworkVertiport(p.Id, string.IsNullOrWhiteSpace(p.Name) ? p.Id : p.Name, position));
        }

        var demand = new List<OdDemand>();
        if (request.Demand is { } d)
        {
            for (int i = 0; i < d.Count; i++)
            {
                if (d[i] is null)
                {
                    violations.Add($"demand[{i}]", "required", "a demand entry is null");
                    continue;
                }

                demand.Add(new OdDemand(d[i].Origin, d[i].Destination, d[i].Flights));
            }
        }

        if (!violations.IsEmpty)
        {
            return violations.ToProblem("The network request is invalid; nothing was generated.");
        }

        var keepOuts = new List<NetworkKeepOut>();
        BoundingBox box = Around(vertiports);
        if (request.AvoidStoredZones ?? true)
        {
            var near = new GeoBounds(box.WestDeg, box.SouthDeg, box.EastDeg, box.NorthDeg);
            keepOuts.AddRange(NetworkKeepOut.FromZones(await ListZonesAsync(store, cancellationToken).ConfigureAwait(false))
                .Where(k => k.Footprint.BoundingBox().Intersects(near)));
        }

        if (request.AvoidStoredObstacles ?? true)
        {
            keepOuts.AddRange(NetworkKeepOut.FromObstacles(await store.ListObstaclesAsync(box, cancellationToken).ConfigureAwait(false), options));
        }

        AirwayNetwork network;
        try
        {
            var input = new NetworkInput(vertiports, keepOuts, demand);
            network = await Task.Run(() => AirwayNetworkGenerator.Generate(input, options, null, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (NetworkInputException ex)
        {
            AddErrors(violations, ex.Errors);
            return violations.ToProblem("The network cannot be generated; nothing was stored.");
        }

        bool stored = false;
        if (request.Store ?? false)
        {
            IReadOnlyList<ValidationError> errors = await StoreAsync(airspace, network, ApiSupport.Actor(user), cancellationToken).ConfigureAwait(false);
            foreach (ValidationError e in errors)
            {
                violations.Add(e.Field, e.Rule, e.Message);
            }

            if (!violations.IsEmpty)
            {
                return violations.ToProblem("The generated network would break the stored airway graph; nothing was stored.");
            }

            stored = true;
        }

        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            NetworkExport.WriteGeoJson(network, writer, stored);
        }

        return TypedResults.File(buffer.ToArray(), "application/geo+json");
    }

    /// <summary>Stores a network as airway nodes and corridors in one transaction, after checking that the stored graph
    /// with them added (nodes with the same id replaced) still validates. Returns the errors; nothing is stored when
    /// there are any.</summary>
    /// <param name="airspace">The airspace store.</param>
    /// <param name="network">The network.</param>
    /// <param name="actor">Who stores it.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public static async Task<IReadOnlyList<ValidationError>> StoreAsync(IAirspaceStore airspace, AirwayNetwork network, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(airspace);
        ArgumentNullException.ThrowIfNull(network);
        NetworkExport.ToAirways(network, out List<AirwayNode> nodes, out List<Corridor> corridors);
        var newIds = new HashSet<string>(nodes.Select(n => n.Id), StringComparer.Ordinal);
        var newCorridorIds = new HashSet<string>(corridors.Select(c => c.Id), StringComparer.Ordinal);
        var allNodes = (await airspace.ListAirwayNodesAsync(cancellationToken).ConfigureAwait(false)).Where(n => !newIds.Contains(n.Id)).Concat(nodes).ToList();
        var allCorridors = (await airspace.ListCorridorsAsync(cancellationToken).ConfigureAwait(false)).Select(s => s.Corridor)
            .Where(c => !newCorridorIds.Contains(c.Id)).Concat(corridors).ToList();
        IReadOnlyList<ValidationError> errors = AirwayGraph.Validate(allNodes, allCorridors);
        if (errors.Count > 0)
        {
            return errors;
        }

        await airspace.ImportAirwaysAsync(nodes, corridors, actor, cancellationToken).ConfigureAwait(false);
        return [];
    }

    /// <summary>Every stored zone (all pages).</summary>
    /// <param name="store">The store.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public static async Task<List<Yunlu.Airspace.Zones.Zone>> ListZonesAsync(IYunluStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var zones = new List<Yunlu.Airspace.Zones.Zone>();
        const int page = 1000;
        for (int offset = 0; ; offset += page)
        {
            IReadOnlyList<StoredZone> batch = await store.ListZonesAsync(new ZoneQuery(null, page, offset), cancellationToken).ConfigureAwait(false);
            zones.AddRange(batch.Select(z => z.Zone));
            if (batch.Count < page)
            {
                return zones;
            }
        }
    }

    /// <summary>Turns the generator's errors (<c>field: message [rule]</c>) into violations.</summary>
    /// <param name="violations">Receives them.</param>
    /// <param name="errors">The errors.</param>
    public static void AddErrors(Violations violations, IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(violations);
        ArgumentNullException.ThrowIfNull(errors);
        foreach (string e in errors)
        {
            int colon = e.IndexOf(": ", StringComparison.Ordinal);
            int open = e.LastIndexOf(" [", StringComparison.Ordinal);
            string field = colon > 0 ? e[..colon] : "$";
            string rule = open > 0 && e.EndsWith(']') ? e[(open + 2)..^1] : "invalid";
            string message = colon > 0 ? e[(colon + 2)..(open > colon ? open : e.Length)] : e;
            violations.Add(field, rule, message);
        }
    }

    /// <summary>Options from the request; the generator validates the values.</summary>
    /// <param name="dto">The request's options (may be null).</param>
    public static NetworkOptions ToOptions(NetworkOptionsDto? dto)
    {
        var o = new NetworkOptions();
        if (dto is null)
        {
            return o;
        }

        return o with
        {
            DetourTarget = dto.DetourTarget ?? o.DetourTarget,
            DemandDetourTarget = dto.DemandDetourTarget ?? o.DemandDetourTarget,
            LateralSeparationM = dto.LateralSeparationM ?? o.LateralSeparationM,
            VerticalSeparationM = dto.VerticalSeparationM ?? o.VerticalSeparationM,
            LateralClearanceM = dto.LateralClearanceM ?? o.LateralClearanceM,
            VerticalClearanceM = dto.VerticalClearanceM ?? o.VerticalClearanceM,
            HeadingLayers = dto.HeadingLayers ?? o.HeadingLayers,
            LowestFloorAglM = dto.LowestFloorAglM ?? o.LowestFloorAglM,
            LayerThicknessM = dto.LayerThicknessM ?? o.LayerThicknessM,
            CeilingAglM = dto.CeilingAglM ?? o.CeilingAglM,
            CorridorWidthM = dto.CorridorWidthM ?? o.CorridorWidthM,
            CruiseSpeedMps = dto.CruiseSpeedMps ?? o.CruiseSpeedMps,
            LongitudinalSeparationM = dto.LongitudinalSeparationM ?? o.LongitudinalSeparationM,
            IdPrefix = dto.IdPrefix ?? o.IdPrefix,
        };
    }

    private static BoundingBox Around(List<NetworkVertiport> vertiports)
    {
        double w = 180, s = 90, e = -180, n = -90;
        foreach (NetworkVertiport v in vertiports)
        {
            w = Math.Min(w, v.Position.LonDeg);
            e = Math.Max(e, v.Position.LonDeg);
            s = Math.Min(s, v.Position.LatDeg);
            n = Math.Max(n, v.Position.LatDeg);
        }

        // About 5 km around: corridors bend around keep-outs outside the vertiports' box.
        const double padDeg = 0.05;
        return new BoundingBox(Math.Max(-180, w - padDeg), Math.Max(-90, s - padDeg), Math.Min(180, e + padDeg), Math.Min(90, n + padDeg));
    }
}
