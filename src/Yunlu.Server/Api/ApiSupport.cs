using System.Globalization;
using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Yunlu.Server.Auth;
using Yunlu.Storage;

namespace Yunlu.Server.Api;

/// <summary>Helpers the API areas share: public-read policy, caller identity, bbox parsing.</summary>
public static class ApiSupport
{
    /// <summary>The server's informational version.</summary>
    public static string Version { get; } =
        typeof(YunluServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Every zone whose box meets <paramref name="box"/> (all when null), paging through the store.</summary>
    public static async Task<IReadOnlyList<StoredZone>> AllZonesAsync(IYunluStore store, BoundingBox? box, CancellationToken cancellationToken)
    {
        const int Page = 10_000;
        var all = new List<StoredZone>();
        while (true)
        {
            var page = await store.ListZonesAsync(new ZoneQuery(box, Page, all.Count), cancellationToken).ConfigureAwait(false);
            all.AddRange(page);
            if (page.Count < Page)
            {
                return all;
            }
        }
    }

    /// <summary>Anonymous when <see cref="YunluServerOptions.PublicReads"/>, else any authenticated user.</summary>
    public static TBuilder PublicRead<TBuilder>(this TBuilder builder, YunluServerOptions options)
        where TBuilder : IEndpointConventionBuilder =>
        options.PublicReads ? builder.AllowAnonymous() : builder.RequireAuthorization(YunluRoles.AnyUserPolicy);

    /// <summary>The caller's subject (<c>sub</c>), or <c>anonymous</c>.</summary>
    public static string Actor(ClaimsPrincipal user) => user.FindFirstValue("sub") ?? "anonymous";

    /// <summary>Parses <c>w,s,e,n</c> degrees. Null text → null box. Reports the rule broken.</summary>
    public static bool TryParseBbox(string? text, out BoundingBox? box, out string rule, out string message)
    {
        box = null;
        rule = "";
        message = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var parts = text.Split(',');
        var v = new double[4];
        if (parts.Length != 4)
        {
            (rule, message) = ("bbox-format", "bbox is west,south,east,north in degrees");
            return false;
        }

        for (var i = 0; i < 4; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) || !double.IsFinite(v[i]))
            {
                (rule, message) = ("bbox-format", $"'{parts[i]}' is not a finite number");
                return false;
            }
        }

        if (v[0] < -180 || v[2] > 180 || v[0] > 180 || v[2] < -180)
        {
            (rule, message) = ("lon-range", "bbox longitudes must be within [-180, 180]");
            return false;
        }

        if (v[1] < -90 || v[3] > 90 || v[1] > 90 || v[3] < -90)
        {
            (rule, message) = ("lat-range", "bbox latitudes must be within [-90, 90]");
            return false;
        }

        if (v[2] < v[0] || v[3] < v[1])
        {
            (rule, message) = ("bbox-inverted", "bbox east must be ≥ west and north ≥ south");
            return false;
        }

        box = new BoundingBox(v[0], v[1], v[2], v[3]);
        return true;
    }
}
