using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Yunlu.Server.Hosting;

/// <summary>The OpenAPI document: title, version, the bearer scheme, and no <c>servers</c> (so the committed document
/// does not depend on the host and port it was generated on).</summary>
internal static class OpenApiSetup
{
    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Yunlu API",
                Version = "v1",
                Description = "Yunlu (云路) low-altitude airspace platform: zones, imports/exports, obstacles, sites, terrain and tiles. " +
                    "Errors are RFC 9457 problem details with https://yunlu.dev/problems/* types.",
            };
            document.Servers = [];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
            document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "RS256 JWT with roles (operator, manager, supervisor, admin) or ASTM scopes.",
            };
            return Task.CompletedTask;
        });
    }
}
