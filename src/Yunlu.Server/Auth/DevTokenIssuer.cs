using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Yunlu.Server.Auth;

/// <summary>The local development issuer: signs RS256 JWTs with a 2048-bit RSA key generated on first start and kept
/// as PKCS#8 PEM under the data folder (<c>keys/dev-issuer.pem</c>), so tokens survive restarts.</summary>
public sealed class DevTokenIssuer : IDisposable
{
    private readonly RSA _rsa;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TimeProvider _time;

    /// <summary>Loads the key from <paramref name="keyPath"/>, creating it when missing.</summary>
    public DevTokenIssuer(string keyPath, string issuer, string audience, TimeSpan lifetime, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lifetime, TimeSpan.FromHours(1));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        Issuer = issuer;
        Audience = audience;
        Lifetime = lifetime;
        _time = time;
        _rsa = LoadOrCreate(keyPath);
        var parameters = _rsa.ExportParameters(false);
        // Own provider factory: the default one caches signature providers process-wide by key id, so a second
        // issuer on the same key file (a second in-process server) would sign with the first one's disposed RSA.
        SigningKey = new RsaSecurityKey(_rsa) { KeyId = KeyIdOf(parameters), CryptoProviderFactory = new CryptoProviderFactory() };
        ValidationKey = new RsaSecurityKey(parameters) { KeyId = SigningKey.KeyId };
    }

    /// <summary>The <c>iss</c> of the tokens.</summary>
    public string Issuer { get; }

    /// <summary>The <c>aud</c> of the tokens.</summary>
    public string Audience { get; }

    /// <summary>Token lifetime (≤ 1 h).</summary>
    public TimeSpan Lifetime { get; }

    /// <summary>The private signing key.</summary>
    public RsaSecurityKey SigningKey { get; }

    /// <summary>The public key validators trust.</summary>
    public RsaSecurityKey ValidationKey { get; }

    /// <summary>Signs a token for <paramref name="subject"/> with <paramref name="roles"/> and <paramref name="scopes"/>.</summary>
    public IssuedToken Issue(string subject, IReadOnlyList<string> roles, IReadOnlyList<string> scopes, TimeSpan? lifetime = null)
    {
        var now = _time.GetUtcNow();
        var life = lifetime is { } l && l > TimeSpan.Zero && l < Lifetime ? l : Lifetime;
        var expires = now + life;
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Sub] = subject,
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            [YunluRoles.RoleClaim] = roles.ToArray(),
            ["scope"] = string.Join(' ', scopes),
        };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.RsaSha256),
        };
        return new IssuedToken(_handler.CreateToken(descriptor), expires, (int)life.TotalSeconds);
    }

    /// <inheritdoc />
    public void Dispose() => _rsa.Dispose();

    private static RSA LoadOrCreate(string keyPath)
    {
        var rsa = RSA.Create();
        if (File.Exists(keyPath))
        {
            rsa.ImportFromPem(File.ReadAllText(keyPath));
            return rsa;
        }

        rsa.KeySize = 2048;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyPath))!);
        var pem = rsa.ExportPkcs8PrivateKeyPem();
        var temp = keyPath + ".tmp";
        File.WriteAllText(temp, pem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            File.Move(temp, keyPath, overwrite: false);
        }
        catch (IOException) when (File.Exists(keyPath))
        {
            // Another server on the same data folder created it first: use theirs.
            File.Delete(temp);
            rsa.ImportFromPem(File.ReadAllText(keyPath));
        }

        return rsa;
    }

    private static string KeyIdOf(RSAParameters p)
    {
        var bytes = SHA256.HashData([.. p.Modulus!, .. p.Exponent!]);
        return Base64UrlEncoder.Encode(bytes.AsSpan(0, 12).ToArray());
    }
}

/// <summary>A signed token.</summary>
/// <param name="AccessToken">The compact JWS.</param>
/// <param name="ExpiresAt">Expiry.</param>
/// <param name="ExpiresInS">Seconds until expiry.</param>
public sealed record IssuedToken(string AccessToken, DateTimeOffset ExpiresAt, int ExpiresInS);

/// <summary>Loads trusted signing keys from PEM public keys and JSON Web Key Set files.</summary>
public static class TrustedKeys
{
    /// <summary>The keys in <paramref name="path"/>: a JWKS (<c>.json</c>, <c>.jwks</c>) or PEM (RSA or EC public key or certificate).</summary>
    public static IReadOnlyList<SecurityKey> Load(string path)
    {
        var text = File.ReadAllText(path);
        if (text.TrimStart().StartsWith('{'))
        {
            return new JsonWebKeySet(text).GetSigningKeys().ToList();
        }

        if (text.Contains("CERTIFICATE", StringComparison.Ordinal))
        {
            var cert = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(text);
            return [new X509SecurityKey(cert)];
        }

        try
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(text);
            return [new RsaSecurityKey(rsa.ExportParameters(false))];
        }
        catch (ArgumentException)
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(text);
            return [new ECDsaSecurityKey(ec)];
        }
    }
}
