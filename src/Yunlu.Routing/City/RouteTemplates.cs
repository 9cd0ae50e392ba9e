using System.Globalization;
using Yunlu.Geo;

namespace Yunlu.Routing.City;

/// <summary>Scenario templates that expand into the stops of a route.</summary>
public enum RouteTemplate
{
    /// <summary>From → via … → to.</summary>
    PointToPoint,

    /// <summary>Logistics: hub (from) → drop points (via …, then to) → back to the hub.</summary>
    Logistics,

    /// <summary>Sightseeing loop: from → points of interest (via …, then to if given) → back to from.</summary>
    Sightseeing,

    /// <summary>Linear inspection: from → along the line through via … → to (e.g. a power line or a road).</summary>
    Inspection,

    /// <summary>Training area: from → around a square circuit centred on to (or on from) → back to from.</summary>
    Training,
}

/// <summary>Expands <see cref="RouteTemplate"/>s into stops.</summary>
public static class RouteTemplates
{
    /// <summary>Default side of the training circuit, metres.</summary>
    public const double DefaultTrainingSideM = 400;

    /// <summary>Parses a wire name: point-to-point, logistics, sightseeing, inspection, training.</summary>
    /// <param name="name">The name (case-insensitive).</param>
    /// <param name="template">The template.</param>
    /// <returns>False for an unknown name.</returns>
    public static bool TryParse(string? name, out RouteTemplate template)
    {
        switch (name?.ToLowerInvariant())
        {
            case null or "" or "point-to-point":
                template = RouteTemplate.PointToPoint;
                return true;
            case "logistics":
                template = RouteTemplate.Logistics;
                return true;
            case "sightseeing":
                template = RouteTemplate.Sightseeing;
                return true;
            case "inspection":
                template = RouteTemplate.Inspection;
                return true;
            case "training":
                template = RouteTemplate.Training;
                return true;
            default:
                template = default;
                return false;
        }
    }

    /// <summary>The stops of a template.</summary>
    /// <param name="template">The template.</param>
    /// <param name="from">Take-off (hub, pad).</param>
    /// <param name="to">Landing / last drop / last point of interest / circuit centre; may be null for loops.</param>
    /// <param name="via">Intermediate points.</param>
    /// <param name="trainingSideM">Side of the training circuit, metres.</param>
    /// <exception cref="CityPlanningException">A stop the template needs is missing.</exception>
    public static IReadOnlyList<GeoPoint> Expand(RouteTemplate template, GeoPoint from, GeoPoint? to, IReadOnlyList<GeoPoint>? via, double trainingSideM = DefaultTrainingSideM)
    {
        via ??= [];
        var stops = new List<GeoPoint> { from };
        switch (template)
        {
            case RouteTemplate.PointToPoint:
            case RouteTemplate.Inspection:
                if (to is null)
                {
                    throw new CityPlanningException("to", "required", $"the {Name(template)} template needs a destination");
                }

                stops.AddRange(via);
                stops.Add(to.Value);
                break;
            case RouteTemplate.Logistics:
            case RouteTemplate.Sightseeing:
                stops.AddRange(via);
                if (to is { } t)
                {
                    stops.Add(t);
                }

                if (stops.Count < 2)
                {
                    throw new CityPlanningException("to", "required", $"the {Name(template)} template needs at least one drop point or point of interest (to or via)");
                }

                stops.Add(from);
                break;
            case RouteTemplate.Training:
            {
                if (!(trainingSideM >= 20 && trainingSideM <= 20_000))
                {
                    throw new CityPlanningException("trainingSideM", "out-of-range", "the training circuit's side must be 20 to 20000 m");
                }

                GeoPoint centre = to ?? from;
                var plane = new LocalTangentPlane(centre);
                double h = trainingSideM / 2;
                stops.Add(plane.Inverse(new PlanarPoint(-h, -h)));
                stops.Add(plane.Inverse(new PlanarPoint(h, -h)));
                stops.Add(plane.Inverse(new PlanarPoint(h, h)));
                stops.Add(plane.Inverse(new PlanarPoint(-h, h)));
                stops.Add(plane.Inverse(new PlanarPoint(-h, -h)));
                stops.Add(from);
                break;
            }

            default:
                throw new CityPlanningException("template", "unknown", string.Create(CultureInfo.InvariantCulture, $"unknown template {template}"));
        }

        return stops;
    }

    /// <summary>The wire name of a template.</summary>
    /// <param name="template">The template.</param>
    public static string Name(RouteTemplate template) => template switch
    {
        RouteTemplate.PointToPoint => "point-to-point",
        RouteTemplate.Logistics => "logistics",
        RouteTemplate.Sightseeing => "sightseeing",
        RouteTemplate.Inspection => "inspection",
        _ => "training",
    };
}
