using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using NetTopologySuite.Geometries;
using Yunlu.Airspace.Sites;
using Yunlu.Airspace.Zones;
using Yunlu.Geo;
using Yunlu.Terrain;

namespace Yunlu.Storage;

/// <summary>
/// Input checks shared by both stores. Every check runs before anything touches the database, and each error names
/// the field (as the <see cref="ArgumentException.ParamName"/>, e.g. <c>batch.Zones[3].Footprint</c>) and the rule.
/// </summary>
internal static class StoreValidation
{
    /// <summary>Longest accepted identifier (zones, obstacles, sites, datasets).</summary>
    public const int MaxIdentifierLength = 128;

    /// <summary>Longest accepted zone identifier (ED-269 allows 7; Yunlu accepts up to 64).</summary>
    public const int MaxZoneIdentifierLength = 64;

    /// <summary>Largest accepted page size of a zone listing.</summary>
    public const int MaxZoneLimit = 100_000;

    [DoesNotReturn]
    private static void Fail(string field, string message) => throw new ArgumentException($"{field}: {message}", field);

    public static void Identifier(string? value, string field, int maxLength = MaxIdentifierLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Fail(field, "must not be empty");
        }

        if (value.Length > maxLength)
        {
            Fail(field, string.Create(CultureInfo.InvariantCulture, $"must be at most {maxLength} characters (was {value.Length})"));
        }

        foreach (var ch in value)
        {
            if (char.IsControl(ch))
            {
                Fail(field, "must not contain control characters");
            }
        }
    }

    public static void Actor(string? actor, string field) => Identifier(actor, field, 256);

    public static void Box(BoundingBox box, string field)
    {
        if (!double.IsFinite(box.WestDeg) || !double.IsFinite(box.EastDeg) || !double.IsFinite(box.SouthDeg) || !double.IsFinite(box.NorthDeg))
        {
            Fail(field, "all four edges must be finite numbers");
        }

        if (box.WestDeg < -180 || box.EastDeg > 180 || box.SouthDeg < -90 || box.NorthDeg > 90)
        {
            Fail(field, "longitudes must be within [-180, 180] and latitudes within [-90, 90] degrees");
        }

        if (box.WestDeg > box.EastDeg)
        {
            Fail(field, "WestDeg must not be greater than EastDeg (boxes crossing the antimeridian are not supported)");
        }

        if (box.SouthDeg > box.NorthDeg)
        {
            Fail(field, "SouthDeg must not be greater than NorthDeg");
        }
    }

    public static void Query(ZoneQuery? query, string field)
    {
        if (query is null)
        {
            Fail(field, "must not be null");
        }

        if (query.Limit < 1 || query.Limit > MaxZoneLimit)
        {
            Fail(field + ".Limit", string.Create(CultureInfo.InvariantCulture, $"must be within [1, {MaxZoneLimit}]"));
        }

        if (query.Offset < 0)
        {
            Fail(field + ".Offset", "must not be negative");
        }

        if (query.Box is { } box)
        {
            Box(box, field + ".Box");
        }
    }

    public static void Zone(Zone? zone, string field)
    {
        if (zone is null)
        {
            Fail(field, "must not be null");
        }

        Identifier(zone.Identifier, field + ".Identifier", MaxZoneIdentifierLength);
        if (zone.Name is null)
        {
            Fail(field + ".Name", "must not be null");
        }

        if (zone.Country is null)
        {
            Fail(field + ".Country", "must not be null");
        }

        if (!Enum.IsDefined(zone.Restriction))
        {
            Fail(field + ".Restriction", "is not a defined ZoneRestriction");
        }

        if (zone.Reasons is null || zone.Reasons.Count == 0)
        {
            Fail(field + ".Reasons", "needs at least one reason");
        }

        for (var i = 0; i < zone.Reasons.Count; i++)
        {
            if (!Enum.IsDefined(zone.Reasons[i]))
            {
                Fail(string.Create(CultureInfo.InvariantCulture, $"{field}.Reasons[{i}]"), "is not a defined ZoneReason");
            }
        }

        Footprint(zone.Footprint, field + ".Footprint");
        Altitude(zone.Lower, field + ".Lower");
        Altitude(zone.Upper, field + ".Upper");
        if (zone.Lower.Reference == zone.Upper.Reference && zone.Upper.ValueM <= zone.Lower.ValueM)
        {
            Fail(field + ".Upper", "the ceiling must be above the floor");
        }

        if (zone.Applicability is null || zone.Applicability.Count == 0)
        {
            Fail(field + ".Applicability", "needs at least one entry");
        }

        for (var i = 0; i < zone.Applicability.Count; i++)
        {
            var a = zone.Applicability[i];
            var f = string.Create(CultureInfo.InvariantCulture, $"{field}.Applicability[{i}]");
            if (a is null)
            {
                Fail(f, "must not be null");
            }

            if (a.Weekly is null)
            {
                Fail(f + ".Weekly", "must not be null (use an empty list)");
            }

            if (a.Start is { } s && a.End is { } e && e <= s)
            {
                Fail(f + ".End", "must be after Start");
            }
        }
    }

    private static void Altitude(Altitude altitude, string field)
    {
        if (!double.IsFinite(altitude.ValueM))
        {
            Fail(field + ".ValueM", "must be a finite number of metres");
        }

        if (!Enum.IsDefined(altitude.Reference))
        {
            Fail(field + ".Reference", "is not a defined AltitudeReference");
        }
    }

    public static void Footprint(Footprint? footprint, string field)
    {
        switch (footprint)
        {
            case null:
                Fail(field, "must not be null");
                break;
            case PolygonFootprint p:
                Polygon(p.Polygon, field + ".Polygon");
                break;
            case CircleFootprint c:
                Point(c.Center, field + ".Center");
                if (!double.IsFinite(c.RadiusM) || c.RadiusM <= 0)
                {
                    Fail(field + ".RadiusM", "must be a finite number of metres greater than 0");
                }

                break;
            default:
                Fail(field, $"footprint type {footprint.GetType().Name} is not supported");
                break;
        }
    }

    public static void Polygon(Polygon? polygon, string field)
    {
        if (polygon is null || polygon.IsEmpty)
        {
            Fail(field, "must be a non-empty polygon");
        }

        var coords = polygon.Coordinates;
        for (var i = 0; i < coords.Length; i++)
        {
            var c = coords[i];
            if (!double.IsFinite(c.X) || !double.IsFinite(c.Y) || c.X < -180 || c.X > 180 || c.Y < -90 || c.Y > 90)
            {
                Fail(field, string.Create(CultureInfo.InvariantCulture,
                    $"vertex {i} ({c.X}, {c.Y}) is outside lon [-180, 180] / lat [-90, 90] degrees"));
            }
        }

        if (!polygon.IsValid)
        {
            var error = new NetTopologySuite.Operation.Valid.IsValidOp(polygon).ValidationError;
            Fail(field, $"is not a valid polygon ({error?.Message ?? "invalid"})");
        }
    }

    public static void Point(GeoPoint point, string field)
    {
        if (!point.IsValid)
        {
            Fail(field, "must have a finite longitude within [-180, 180] and latitude within [-90, 90] degrees");
        }
    }

    public static void Obstacle(Obstacle? obstacle, string field)
    {
        if (obstacle is null)
        {
            Fail(field, "must not be null");
        }

        Identifier(obstacle.Id, field + ".Id");
        Polygon(obstacle.Footprint, field + ".Footprint");
        if (!double.IsFinite(obstacle.HeightM) || obstacle.HeightM <= 0)
        {
            Fail(field + ".HeightM", "must be a finite number of metres greater than 0");
        }

        Identifier(obstacle.Kind, field + ".Kind");
    }

    public static void Site(Site? site, string field)
    {
        if (site is null)
        {
            Fail(field, "must not be null");
        }

        Identifier(site.Id, field + ".Id");
        if (site.Name is null)
        {
            Fail(field + ".Name", "must not be null");
        }

        if (!Enum.IsDefined(site.Kind))
        {
            Fail(field + ".Kind", "is not a defined SiteKind");
        }

        Point(site.Position, field + ".Position");
    }

    public static void Record(ImportRecord? record, string field)
    {
        if (record is null)
        {
            Fail(field, "must not be null");
        }

        if (record.Id == Guid.Empty)
        {
            Fail(field + ".Id", "must not be the empty GUID");
        }

        Identifier(record.Kind, field + ".Kind");
        if (record.FileName is null)
        {
            Fail(field + ".FileName", "must not be null");
        }

        if (record.Sha256Hex is null)
        {
            Fail(field + ".Sha256Hex", "must not be null");
        }

        if (record.FeatureCount < 0)
        {
            Fail(field + ".FeatureCount", "must not be negative");
        }

        Actor(record.Actor, field + ".Actor");
    }

    /// <summary>Checks the whole batch, including duplicate identifiers within it, before anything is written.</summary>
    public static void Batch(ImportBatch? batch)
    {
        if (batch is null)
        {
            Fail("batch", "must not be null");
        }

        Record(batch.Record, "batch.Record");
        if (batch.Zones is null || batch.Obstacles is null || batch.Sites is null)
        {
            Fail("batch", "Zones, Obstacles and Sites must not be null (use empty lists)");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Zones.Count; i++)
        {
            var f = string.Create(CultureInfo.InvariantCulture, $"batch.Zones[{i}]");
            Zone(batch.Zones[i], f);
            if (!seen.Add(batch.Zones[i].Identifier))
            {
                Fail(f + ".Identifier", $"'{batch.Zones[i].Identifier}' appears more than once in the batch");
            }
        }

        seen.Clear();
        for (var i = 0; i < batch.Obstacles.Count; i++)
        {
            var f = string.Create(CultureInfo.InvariantCulture, $"batch.Obstacles[{i}]");
            Obstacle(batch.Obstacles[i], f);
            if (!seen.Add(batch.Obstacles[i].Id))
            {
                Fail(f + ".Id", $"'{batch.Obstacles[i].Id}' appears more than once in the batch");
            }
        }

        seen.Clear();
        for (var i = 0; i < batch.Sites.Count; i++)
        {
            var f = string.Create(CultureInfo.InvariantCulture, $"batch.Sites[{i}]");
            Site(batch.Sites[i], f);
            if (!seen.Add(batch.Sites[i].Id))
            {
                Fail(f + ".Id", $"'{batch.Sites[i].Id}' appears more than once in the batch");
            }
        }
    }

    public static void Dataset(RasterDataset? dataset, string field)
    {
        if (dataset is null)
        {
            Fail(field, "must not be null");
        }

        Identifier(dataset.Id, field + ".Id");
        Identifier(dataset.Kind, field + ".Kind");
        if (dataset.Name is null)
        {
            Fail(field + ".Name", "must not be null");
        }

        Box(dataset.Bounds, field + ".Bounds");
        if (dataset.Width <= 0)
        {
            Fail(field + ".Width", "must be greater than 0");
        }

        if (dataset.Height <= 0)
        {
            Fail(field + ".Height", "must be greater than 0");
        }

        if (dataset.TileSize <= 0)
        {
            Fail(field + ".TileSize", "must be greater than 0");
        }

        Identifier(dataset.SampleType, field + ".SampleType");
        if (dataset.NoData is { } nd && double.IsInfinity(nd))
        {
            Fail(field + ".NoData", "must be finite or NaN");
        }
    }

    /// <summary>Checks one tile against its dataset's tile grid (rows × cols = ceil(H/T) × ceil(W/T)).</summary>
    public static void Tile(RasterDataset dataset, RasterTileBlob tile, int index)
    {
        var rows = (dataset.Height + dataset.TileSize - 1) / dataset.TileSize;
        var cols = (dataset.Width + dataset.TileSize - 1) / dataset.TileSize;
        if (tile.Row < 0 || tile.Row >= rows || tile.Col < 0 || tile.Col >= cols)
        {
            var f = string.Create(CultureInfo.InvariantCulture, $"tiles[{index}]");
            Fail(f, string.Create(CultureInfo.InvariantCulture,
                $"tile ({tile.Row}, {tile.Col}) is outside the dataset's {rows} × {cols} tile grid"));
        }

        if (tile.Bytes.IsEmpty)
        {
            Fail(string.Create(CultureInfo.InvariantCulture, $"tiles[{index}].Bytes"), "must not be empty");
        }
    }
}
