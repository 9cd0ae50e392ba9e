using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Corridors;
using Yunlu.Airspace.Validation;
using Yunlu.Server.Api;
using Yunlu.Server.Auth;
using Yunlu.Server.Contracts;
using Yunlu.Server.Problems;
using Yunlu.Storage.Airspace;

namespace Yunlu.Server.Airspace;

/// <summary>Corridors (airway segments) and airway nodes: the airway graph managers edit.</summary>
public static class CorridorsApi
{
    internal static void Map(RouteGroupBuilder v1, YunluServerOptions options)
    {
        var corridors = v1.MapGroup("/corridors").WithTags("Corridors");
        corridors.MapGet("", ListAsync).WithName("ListCorridors").WithSummary("Every corridor, ordered by id.").PublicRead(options);
        v1.MapGet("/corridors.geojson", GeoJsonAsync).WithTags("Corridors").WithName("CorridorsGeoJson")
            .WithSummary("Corridors as a GeoJSON FeatureCollection of their footprint polygons (width around the centre-line).")
            .Produces(StatusCodes.Status200OK, contentType: "application/geo+json").PublicRead(options);
        corridors.MapGet("/{id}", GetAsync).WithName("GetCorridor").WithSummary("One corridor.").ProducesProblem(StatusCodes.Status404NotFound).PublicRead(options);
        corridors.MapPut("/{id}", PutAsync).WithName("PutCorridor")
            .WithSummary("Creates or replaces a corridor; it must join existing airway nodes (ends within 50 m of them).")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).RequireAuthorization(YunluRoles.ManagePolicy);
        corridors.MapDelete("/{id}", DeleteAsync).WithName("DeleteCorridor").WithSummary("Deletes a corridor.")
            .ProducesProblem(StatusCodes.Status404NotFound).RequireAuthorization(YunluRoles.ManagePolicy);
        var nodes = v1.MapGroup("/airway-nodes").WithTags("Corridors");
        nodes.MapGet("", NodesAsync).WithName("ListAirwayNodes").WithSummary("Airway nodes (vertiports, junctions), ordered by id.").PublicRead(options);
        nodes.MapPut("/{id}", PutNodeAsync).WithName("PutAirwayNode").WithSummary("Creates or replaces an airway node.")
            .ProducesProblem(StatusCodes.Status401Unauthorized).RequireAuthorization(YunluRoles.ManagePolicy);
    }

    private static async Task<Ok<IReadOnlyList<StoredCorridorDto>>> ListAsync(IAirspaceStore store, CancellationToken cancellationToken)
    {
        var list = await store.ListCorridorsAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<StoredCorridorDto>>(list.Select(AirspaceMapping.ToDto).ToArray());
    }

    private static async Task<Results<Ok<StoredCorridorDto>, ProblemHttpResult>> GetAsync(string id, IAirspaceStore store, CancellationToken cancellationToken) =>
        await store.GetCorridorAsync(id, cancellationToken).ConfigureAwait(false) is { } c ? TypedResults.Ok(AirspaceMapping.ToDto(c)) : NotFound(id);

    private static async Task<Results<Ok<StoredCorridorDto>, Created<StoredCorridorDto>, ValidationProblem>> PutAsync(
        string id, CorridorDto corridor, ClaimsPrincipal user, IAirspaceStore store, CancellationToken cancellationToken)
    {
        var violations = new Violations();
        Corridor? domain = AirspaceMapping.ToDomain(corridor, id, violations);
        if (domain is null)
        {
            return violations.ToProblem("The corridor is invalid; nothing was stored.");
        }

        // The corridor must fit the stored graph: nodes exist, ends near them, legs long enough.
        var nodes = await store.ListAirwayNodesAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<ValidationError> errors = AirwayGraph.Validate(nodes, [domain]);
        foreach (ValidationError e in errors)
        {
            violations.Add(e.Field.Replace("corridors[0].", "", StringComparison.Ordinal), e.Rule, e.Message);
        }

        if (!violations.IsEmpty)
        {
            return violations.ToProblem("The corridor is invalid; nothing was stored.");
        }

        StoredCorridor stored = await store.UpsertCorridorAsync(domain, ApiSupport.Actor(user), cancellationToken).ConfigureAwait(false);
        var dto = AirspaceMapping.ToDto(stored);
        return stored.Version == 1 ? TypedResults.Created($"/api/v1/corridors/{Uri.EscapeDataString(id)}", dto) : TypedResults.Ok(dto);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, IAirspaceStore store, CancellationToken cancellationToken) =>
        await store.DeleteCorridorAsync(id, cancellationToken).ConfigureAwait(false) ? TypedResults.NoContent() : NotFound(id);

    private static async Task<Ok<IReadOnlyList<AirwayNodeDto>>> NodesAsync(IAirspaceStore store, CancellationToken cancellationToken)
    {
        var list = await store.ListAirwayNodesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<AirwayNodeDto>>(list.Select(AirspaceMapping.ToDto).ToArray());
    }

    private static async Task<Results<Ok<AirwayNodeDto>, ValidationProblem>> PutNodeAsync(
        string id, AirwayNodeDto node, ClaimsPrincipal user, IAirspaceStore store, CancellationToken cancellationToken)
    {
        var violations = new Violations();
        AirwayNode? domain = AirspaceMapping.ToDomain(node, id, violations);
        if (domain is null)
        {
            return violations.ToProblem("The airway node is invalid; nothing was stored.");
        }

        // Moving a node must not leave a corridor's end more than 50 m away from it.
        var nodes = (await store.ListAirwayNodesAsync(cancellationToken).ConfigureAwait(false)).Where(n => !string.Equals(n.Id, id, StringComparison.Ordinal)).Append(domain).ToList();
        var corridors = (await store.ListCorridorsAsync(cancellationToken).ConfigureAwait(false)).Select(c => c.Corridor).ToList();
        foreach (ValidationError e in AirwayGraph.Validate(nodes, corridors))
        {
            violations.Add(e.Field, e.Rule, e.Message);
        }

        if (!violations.IsEmpty)
        {
            return violations.ToProblem("The airway node would break the network; nothing was stored.");
        }

        await store.ImportAirwaysAsync([domain], [], ApiSupport.Actor(user), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(AirspaceMapping.ToDto(domain));
    }

    private static async Task<FileContentHttpResult> GeoJsonAsync(IAirspaceStore store, CancellationToken cancellationToken)
    {
        var list = await store.ListCorridorsAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "FeatureCollection");
            w.WriteStartArray("features");
            foreach (StoredCorridor s in list)
            {
                Corridor c = s.Corridor;
                Polygon poly = new CorridorGeometry(c).FootprintPolygon();
                w.WriteStartObject();
                w.WriteString("type", "Feature");
                w.WriteString("id", c.Id);
                w.WriteStartObject("properties");
                w.WriteString("id", c.Id);
                w.WriteString("name", c.Name);
                w.WriteString("from", c.FromNodeId);
                w.WriteString("to", c.ToNodeId);
                w.WriteNumber("widthM", c.WidthM);
                w.WriteNumber("floorM", c.Floor.ValueM);
                w.WriteString("floorReference", WireNames.ToWire(c.Floor.Reference));
                w.WriteNumber("ceilingM", c.Ceiling.ValueM);
                w.WriteString("ceilingReference", WireNames.ToWire(c.Ceiling.Reference));
                w.WriteString("direction", WireNames.ToWire(c.Direction));
                w.WriteNumber("capacityPerHour", c.CapacityPerHour);
                w.WriteNumber("version", s.Version);
                w.WriteEndObject();
                w.WriteStartObject("geometry");
                w.WriteString("type", "Polygon");
                w.WriteStartArray("coordinates");
                foreach (var ring in ZoneMapping.PolygonRings(poly))
                {
                    w.WriteStartArray();
                    foreach (var pos in ring)
                    {
                        w.WriteStartArray();
                        w.WriteNumberValue(pos[0]);
                        w.WriteNumberValue(pos[1]);
                        w.WriteEndArray();
                    }

                    w.WriteEndArray();
                }

                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return TypedResults.File(buffer.ToArray(), "application/geo+json");
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(detail: $"There is no corridor '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "No such corridor.", type: ProblemTypes.NotFound);
}
