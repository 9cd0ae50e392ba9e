using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Yunlu.Server.Auth;
using Yunlu.Server.Contracts;
using Yunlu.Server.Hosting;
using Yunlu.Server.Imports;
using Yunlu.Server.Problems;
using Yunlu.Storage;

namespace Yunlu.Server.Api;

/// <summary>Imports (raw file body or multipart) and the import records; zone exports.</summary>
public static class ImportsApi
{
    /// <summary>Maps <c>POST /imports/{kind}</c> and <c>GET /imports</c>.</summary>
    public static RouteGroupBuilder MapImportsApi(this RouteGroupBuilder v1)
    {
        var options = ((IEndpointRouteBuilder)v1).ServiceProvider.GetRequiredService<YunluServerOptions>();
        var imports = v1.MapGroup("/imports").WithTags("Imports");
        imports.MapPost("/{kind}", ImportAsync).WithName("Import")
            .WithSummary("Imports a file (body = the raw file as application/octet-stream, or multipart/form-data with one file). " +
                "kind: zones|buildings|sites|dem|orthophoto. dryRun=true only checks. Any error → 422 and nothing stored.")
            .Accepts<byte[]>("application/octet-stream", "multipart/form-data")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithMetadata(new BodySizeLimit(options.Limits.MaxImportBytes))
            .DisableAntiforgery()
            .RequireAuthorization(YunluRoles.ManagePolicy);
        imports.MapGet("", ListAsync).WithName("ListImports").WithSummary("Import records, newest first.")
            .RequireAuthorization(YunluRoles.OperatePolicy);
        return v1;
    }

    /// <summary>Maps <c>GET /exports/zones</c>.</summary>
    public static RouteGroupBuilder MapExportsApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/exports/zones", ExportZonesAsync).WithTags("Exports").WithName("ExportZones")
            .WithSummary("All zones as format=geojson|ed269|ed318|kml|kmz (a download).")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .RequireAuthorization(YunluRoles.OperatePolicy);
        return v1;
    }

    private static async Task<Results<Ok<ImportOutcomeDto>, ValidationProblem, ProblemHttpResult>> ImportAsync(
        string kind,
        string? fileName,
        bool? dryRun,
        HttpRequest request,
        ClaimsPrincipal user,
        ImportService imports,
        YunluServerOptions options,
        CancellationToken cancellationToken)
    {
        if (!ImportService.TryParseKind(kind, out var importKind))
        {
            return Violations.Single("kind", "kind-unknown", $"'{kind}' is not one of {string.Join(", ", ImportService.KindNames)}");
        }

        byte[] content;
        var name = fileName;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            if (form.Files.Count != 1)
            {
                return Violations.Single("file", "file-count", "a multipart import carries exactly one file");
            }

            var file = form.Files[0];
            name ??= file.FileName;
            using var buffer = new MemoryStream((int)Math.Min(file.Length, int.MaxValue));
            await file.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            content = buffer.ToArray();
        }
        else
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            content = buffer.ToArray();
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return Violations.Single("fileName", "field-missing", "give the file's name (query fileName=…): its extension tells the format");
        }

        if (name.Length > 255 || name.IndexOfAny(['/', '\\', '\0']) >= 0)
        {
            return Violations.Single("fileName", "file-name-invalid", "a file name (no folders), at most 255 characters");
        }

        if (content.Length == 0)
        {
            return Violations.Single("body", "body-empty", "the request body (the file) is empty");
        }

        var outcome = await imports.ImportAsync(importKind, name, content, ApiSupport.Actor(user), dryRun ?? false, cancellationToken).ConfigureAwait(false);
        if (outcome.Errors.Count > 0)
        {
            return TypedResults.Problem(
                detail: $"{name}: {outcome.Errors[0]}{(outcome.Errors.Count > 1 ? $" (and {outcome.Errors.Count - 1} more)" : "")}; nothing was stored.",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The file has errors; nothing was stored.",
                type: ProblemTypes.ImportFailed,
                extensions: new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["featureErrors"] = outcome.Errors,
                    ["kind"] = outcome.Kind,
                    ["fileName"] = name,
                });
        }

        return TypedResults.Ok(outcome);
    }

    private static async Task<Ok<IReadOnlyList<ImportRecord>>> ListAsync(IYunluStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListImportsAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Results<FileContentHttpResult, ValidationProblem>> ExportZonesAsync(IYunluStore store, string? format, CancellationToken cancellationToken)
    {
        var name = format ?? "geojson";
        if (!ZoneExport.TryParse(name, out var fmt))
        {
            return Violations.Single("format", "value-unknown", $"'{name}' is not one of {string.Join(", ", ZoneExport.FormatNames)}");
        }

        var zones = await ApiSupport.AllZonesAsync(store, null, cancellationToken).ConfigureAwait(false);
        var bytes = ZoneExport.Write(zones.Select(z => z.Zone).ToList(), name);
        var (contentType, extension) = ZoneExport.MediaOf(fmt);
        return TypedResults.File(bytes, contentType, "zones" + extension);
    }
}
