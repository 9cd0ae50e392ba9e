namespace Yunlu.Server.Problems;

/// <summary>The <c>type</c> URIs of Yunlu's RFC 9457 problem details. Each names one kind of failure; the same URI
/// always comes with the same status code.</summary>
public static class ProblemTypes
{
    private const string Base = "https://yunlu.dev/problems/";

    /// <summary>400: the request (body, query or route) broke a rule; <c>errors</c> maps each field to its rules.</summary>
    public const string Validation = Base + "validation";

    /// <summary>422: an imported file has errors; <c>featureErrors</c> lists them and nothing was stored.</summary>
    public const string ImportFailed = Base + "import-failed";

    /// <summary>412: <c>If-Match</c> named a version that is no longer the stored one.</summary>
    public const string VersionConflict = Base + "version-conflict";

    /// <summary>413: the request body is larger than the endpoint accepts.</summary>
    public const string PayloadTooLarge = Base + "payload-too-large";

    /// <summary>429: too many requests from this user or address.</summary>
    public const string RateLimited = Base + "rate-limited";

    /// <summary>404: no such resource.</summary>
    public const string NotFound = Base + "not-found";

    /// <summary>401: no valid bearer token.</summary>
    public const string Unauthorized = Base + "unauthorized";

    /// <summary>403: the token lacks the role this call needs.</summary>
    public const string Forbidden = Base + "forbidden";

    /// <summary>503: the store cannot be reached.</summary>
    public const string StoreUnavailable = Base + "store-unavailable";

    /// <summary>415: the body's content type is not accepted.</summary>
    public const string UnsupportedMediaType = Base + "unsupported-media-type";

    /// <summary>500: an unexpected server error.</summary>
    public const string Internal = Base + "internal";

    /// <summary>Any other HTTP status without a more specific type.</summary>
    public const string Http = Base + "http";

    /// <summary>The type URI for a status code produced by the framework (status-code pages).</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => Validation,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        412 => VersionConflict,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        422 => ImportFailed,
        429 => RateLimited,
        503 => StoreUnavailable,
        >= 500 => Internal,
        _ => Http,
    };
}
