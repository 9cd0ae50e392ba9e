using System.Data;
using System.Data.Common;
using Yunlu.Airspace.Operations;
using Yunlu.Storage.Operations;
using Yunlu.Storage.Serialization;
using Yunlu.Airspace.Sites;
using Yunlu.Geo;

namespace Yunlu.Storage;

/// <summary>
/// Row mapping and parameter binding that the SQLite and the PostgreSQL stores share. Both providers derive from
/// ADO.NET's <see cref="DbCommand"/> and <see cref="DbDataReader"/>, so one function reads a row of the same columns
/// on either database; the stores differ only where the column types do (times, ids), and those values are handed in.
/// Parameter names are bound with the <c>@</c> prefix the SQL text uses, which both providers accept.
/// </summary>
internal static class DbRows
{
    /// <summary>The columns <see cref="ReadSite"/> expects, in order.</summary>
    public const string SiteColumns = "id, name, kind, lon, lat, description";

    /// <summary>The columns <see cref="ReadRasterDataset"/> expects first, in order (then the no-data value and the
    /// import time, whose column types differ).</summary>
    public const string RasterDatasetColumns = "id, kind, name, west, south, east, north, width, height, tile_size, sample_type";

    /// <summary>Executes <paramref name="cmd"/> and maps every row.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(DbCommand cmd, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var result = new List<T>();
        await using DbDataReader reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(map(reader));
        }

        return result;
    }

    /// <summary>Binds <c>@name</c> to <paramref name="value"/> (null as SQL NULL).</summary>
    public static DbParameter Add(DbCommand cmd, string name, object? value)
    {
        DbParameter p = cmd.CreateParameter();
        p.ParameterName = "@" + name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
        return p;
    }

    /// <summary>Binds <c>@w @s @e @n</c> when a box is given.</summary>
    public static void AddBox(DbCommand cmd, BoundingBox? box)
    {
        if (box is { } b)
        {
            Add(cmd, "w", b.WestDeg);
            Add(cmd, "s", b.SouthDeg);
            Add(cmd, "e", b.EastDeg);
            Add(cmd, "n", b.NorthDeg);
        }
    }

    /// <summary>A site from the columns <see cref="SiteColumns"/>.</summary>
    public static Site ReadSite(DbDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        Enum.Parse<SiteKind>(r.GetString(2), ignoreCase: false),
        new GeoPoint(r.GetDouble(3), r.GetDouble(4)),
        r.GetValue(5) as string);

    /// <summary>Binds the raster dataset's columns (<c>@id @kind @name @w @s @e @n @width @height @tile @sample</c>) plus
    /// <c>@nodata</c> and <c>@at</c> in the database's own representation.</summary>
    public static void AddRasterDataset(DbCommand cmd, RasterDataset d, object? noData, object importedAt)
    {
        Add(cmd, "id", d.Id);
        Add(cmd, "kind", d.Kind);
        Add(cmd, "name", d.Name);
        Add(cmd, "w", d.Bounds.WestDeg);
        Add(cmd, "s", d.Bounds.SouthDeg);
        Add(cmd, "e", d.Bounds.EastDeg);
        Add(cmd, "n", d.Bounds.NorthDeg);
        Add(cmd, "width", d.Width);
        Add(cmd, "height", d.Height);
        Add(cmd, "tile", d.TileSize);
        Add(cmd, "sample", d.SampleType);
        // Typed, so that a missing value is a typed NULL on PostgreSQL too; SQLite keeps the value as text.
        Add(cmd, "nodata", noData).DbType = noData is string ? DbType.String : DbType.Double;
        Add(cmd, "at", importedAt);
    }

    /// <summary>A raster dataset from <see cref="RasterDatasetColumns"/>, with the two values whose types differ.</summary>
    public static RasterDataset ReadRasterDataset(DbDataReader r, double? noData, DateTimeOffset importedAt) => new(
        r.GetString(0), r.GetString(1), r.GetString(2),
        new BoundingBox(r.GetDouble(3), r.GetDouble(4), r.GetDouble(5), r.GetDouble(6)),
        r.GetInt32(7), r.GetInt32(8), r.GetInt32(9), r.GetString(10),
        noData,
        importedAt);

    /// <summary>A zone history entry from <c>(zone_json, version, deleted, changed-at, actor)</c>, with the deleted flag and
    /// the time already converted.</summary>
    public static ZoneHistoryEntry ReadZoneHistory(DbDataReader r, bool deleted, DateTimeOffset changedAt) =>
        new(ZoneJson.Deserialize(r.GetString(0)), r.GetInt64(1), deleted, changedAt, r.GetString(4));

    /// <summary>An import record from <c>(id, kind, file_name, sha256_hex, feature_count, actor, time)</c>, with the id and
    /// time already converted.</summary>
    public static ImportRecord ReadImport(DbDataReader r, Guid id, DateTimeOffset importedAt) =>
        new(id, r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetString(5), importedAt);

    /// <summary>
    /// Binds the filters of an intent listing and returns its <c>WHERE … ORDER BY … LIMIT … OFFSET</c> tail. The two
    /// schemas name and type the time columns differently, so the caller names them and converts times.
    /// </summary>
    public static string IntentFilter(
        DbCommand cmd, IntentQuery query, string startColumn, string endColumn, Func<DateTimeOffset, object> time)
    {
        var where = new List<string>(5);
        if (query.State is { } state)
        {
            where.Add("state = @state");
            Add(cmd, "state", state.ToString());
        }

        if (query.OwnerId is { } owner)
        {
            where.Add("owner_id = @owner");
            Add(cmd, "owner", owner);
        }

        if (query.OperatorId is { } op)
        {
            where.Add("operator_id = @operator");
            Add(cmd, "operator", op);
        }

        if (query.From is { } from)
        {
            where.Add(endColumn + " > @from");
            Add(cmd, "from", time(from));
        }

        if (query.To is { } to)
        {
            where.Add(startColumn + " < @to");
            Add(cmd, "to", time(to));
        }

        Add(cmd, "limit", query.Limit);
        Add(cmd, "offset", query.Offset);
        return (where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where)) +
            " ORDER BY " + startColumn + ", id LIMIT @limit OFFSET @offset";
    }
}
