using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Yunlu.Geo;
using Yunlu.Server.Api;
using Yunlu.Server.Contracts;
using Yunlu.Server.Problems;
using Yunlu.Storage;
using Yunlu.Storage.Airspace;

namespace Yunlu.Server.Airspace;

/// <summary>Zones as versioned objects: the history of one zone (who changed what, when) and the airspace as it was
/// recorded at any instant (<c>GET /api/v1/zones?asOf=</c>).</summary>
public static class ZoneHistoryApi
{
    private static readonly string[] TopLevelFields = ["name", "country", "restriction", "reasons", "footprint", "lower", "upper", "applicability", "authority", "message"];

    internal static void Map(RouteGroupBuilder v1, YunluServerOptions options)
    {
        v1.MapGet("/zones/{identifier}/history", HistoryAsync).WithTags("Zones").WithName("ZoneHistory")
            .WithSummary("Every version of a zone, oldest first, with who changed which fields when (deletions included).")
            .ProducesProblem(StatusCodes.Status404NotFound).PublicRead(options);
    }

    /// <summary>The page of zones as recorded at <paramref name="asOfText"/> (RFC 3339), filtered by <paramref name="box"/>
    /// and paged; a violation when the time is malformed. Used by <c>GET /api/v1/zones?asOf=</c>.</summary>
    public static async Task<Results<Ok<ZonePage>, ValidationProblem>> ListAsOfAsync(
        HttpContext http, string asOfText, BoundingBox? box, int limit, int offset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var violations = new Violations();
        DateTimeOffset asOf = GridApi.ParseTime(asOfText, "asOf", TimeProvider.System, violations);
        if (!violations.IsEmpty)
        {
            return violations.ToProblem();
        }

        var store = http.RequestServices.GetRequiredService<IAirspaceStore>();
        var entries = await store.ListZonesAsOfAsync(asOf, cancellationToken).ConfigureAwait(false);
        var items = entries
            .Where(e => box is not { } b || Meets(e.Zone.Footprint.BoundingBox(), b))
            .Skip(offset)
            .Take(limit)
            .Select(e => new StoredZoneDto(ZoneMapping.ToDto(e.Zone), e.Version, e.ChangedAt, e.Actor))
            .ToList();
        return TypedResults.Ok(new ZonePage(items, limit, offset));
    }

    private static bool Meets(Yunlu.Geo.GeoBounds a, BoundingBox b) =>
        a.EastLonDeg >= b.WestDeg && a.WestLonDeg <= b.EastDeg && a.NorthLatDeg >= b.SouthDeg && a.SouthLatDeg <= b.NorthDeg;

    private static async Task<Results<Ok<IReadOnlyList<ZoneHistoryEntryDto>>, ProblemHttpResult>> HistoryAsync(string identifier, IYunluStore store, CancellationToken cancellationToken)
    {
        var history = await store.ListZoneHistoryAsync(identifier, cancellationToken).ConfigureAwait(false);
        if (history.Count == 0)
        {
            return TypedResults.Problem(detail: $"Zone '{identifier}' was never stored.", statusCode: StatusCodes.Status404NotFound, title: "No such zone.", type: ProblemTypes.NotFound);
        }

        var result = new List<ZoneHistoryEntryDto>(history.Count);
        JsonElement? previous = null;
        foreach (ZoneHistoryEntry e in history)
        {
            ZoneDto dto = ZoneMapping.ToDto(e.Zone);
            JsonElement now = JsonSerializer.SerializeToElement(dto, YunluJsonContext.Default.ZoneDto);
            var changed = new List<string>();
            foreach (string field in TopLevelFields)
            {
                if (previous is not { } prev || !string.Equals(Raw(prev, field), Raw(now, field), StringComparison.Ordinal))
                {
                    changed.Add(field);
                }
            }

            result.Add(new ZoneHistoryEntryDto(e.Version, e.Deleted, e.ChangedAt, e.Actor, e.Deleted ? [] : changed, dto));
            previous = now;
        }

        return TypedResults.Ok<IReadOnlyList<ZoneHistoryEntryDto>>(result);

        static string Raw(JsonElement o, string name) => o.TryGetProperty(name, out JsonElement v) ? v.GetRawText() : "";
    }
}
