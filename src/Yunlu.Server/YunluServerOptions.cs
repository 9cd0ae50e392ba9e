namespace Yunlu.Server;

/// <summary>Everything that configures one Yunlu server. Bound from the <c>Yunlu</c> configuration section and/or set
/// by the CLI (<c>yunlu serve</c>) and tests.</summary>
public sealed class YunluServerOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Yunlu";

    /// <summary>URLs Kestrel listens on (e.g. <c>http://127.0.0.1:5080</c>; port 0 picks a free port). Empty: the
    /// ASP.NET Core default (<c>ASPNETCORE_URLS</c> / <c>--urls</c>).</summary>
    public IList<string> Urls { get; } = [];

    /// <summary>The data folder: SQLite file <c>yunlu.db</c>, the development issuer's key, tile caches.
    /// Created when missing. Default <c>.yunlu-data</c> under the current directory.</summary>
    public string DataFolder { get; set; } = ".yunlu-data";

    /// <summary>PostgreSQL (+ PostGIS) connection string; when set, the store is PostgreSQL instead of SQLite.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>Folder of the web console's static files. Null: <c>&lt;AppContext.BaseDirectory&gt;/wwwroot</c> when it
    /// exists, else the repository's <c>web/dist</c> (found by walking up to <c>Yunlu.slnx</c>), else none.</summary>
    public string? WebRootPath { get; set; }

    /// <summary>True (default): the GETs of zones, sites, obstacles, terrain, tiles and info need no token.</summary>
    public bool PublicReads { get; set; } = true;

    /// <summary>Load the demo data on first start (when the store has no import yet).</summary>
    public bool LoadDemo { get; set; } = true;

    /// <summary>Folder of the demo files. Null: the repository's <c>data/demo</c> or <c>&lt;AppContext.BaseDirectory&gt;/demo</c>.</summary>
    public string? DemoFolder { get; set; }

    /// <summary>Authentication settings.</summary>
    public YunluAuthOptions Auth { get; } = new();

    /// <summary>Request limits.</summary>
    public YunluLimitOptions Limits { get; } = new();

    /// <summary>The full path of the SQLite database file under <see cref="DataFolder"/>.</summary>
    public string SqlitePath => Path.Combine(Path.GetFullPath(DataFolder), "yunlu.db");
}

/// <summary>Authentication: the local development issuer and the trusted issuers/keys for JWT bearer validation.</summary>
public sealed class YunluAuthOptions
{
    /// <summary>True (default): <c>POST /api/v1/auth/token</c> issues RS256 tokens signed with a key kept under the data
    /// folder. Turn off in production and trust a real issuer instead.</summary>
    public bool DevIssuerEnabled { get; set; } = true;

    /// <summary>The <c>iss</c> claim of tokens the development issuer signs.</summary>
    public string DevIssuer { get; set; } = "yunlu-dev";

    /// <summary>The audience every accepted token must carry in <c>aud</c>.</summary>
    public string Audience { get; set; } = "yunlu";

    /// <summary>Issuers accepted besides the development issuer.</summary>
    public IList<string> TrustedIssuers { get; } = [];

    /// <summary>Files with trusted signing keys: PEM public keys (<c>.pem</c>) or JSON Web Key Sets (<c>.json</c>/<c>.jwks</c>).</summary>
    public IList<string> TrustedKeyFiles { get; } = [];

    /// <summary>Lifetime of development tokens; at most one hour (ASTM F3548).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Request body and rate limits.</summary>
public sealed class YunluLimitOptions
{
    /// <summary>Largest import body in bytes (default 64 MiB).</summary>
    public long MaxImportBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest JSON body in bytes (default 1 MiB).</summary>
    public long MaxJsonBytes { get; set; } = 1024 * 1024;

    /// <summary>Requests one user (token subject) or client IP may make per <see cref="RateWindow"/> (default 1200).</summary>
    public int RatePermits { get; set; } = 1200;

    /// <summary>The rate-limit window (default one minute).</summary>
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most vertices one zone footprint may have (default 10 000, as ASTM F3548).</summary>
    public int MaxVertices { get; set; } = 10_000;
}
