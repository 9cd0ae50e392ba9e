using System.Security.Cryptography;

namespace Yunlu.Airspace.Operations;

/// <summary>
/// Opaque version numbers (OVN, ASTM F3548): 16–128 URL-safe characters, a new random one on every change. An
/// update names the OVN it changes; a different current OVN means someone changed the intent meanwhile (stale →
/// HTTP 409).
/// </summary>
public static class Ovn
{
    /// <summary>Shortest accepted OVN.</summary>
    public const int MinLength = 16;

    /// <summary>Longest accepted OVN.</summary>
    public const int MaxLength = 128;

    /// <summary>A new OVN: 24 random bytes (192 bits, cryptographic RNG) as 32 base64url characters.</summary>
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[24];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>True when <paramref name="ovn"/> has 16–128 characters from <c>[A-Za-z0-9._~-]</c> (RFC 3986 unreserved).</summary>
    /// <param name="ovn">The text.</param>
    public static bool IsWellFormed(string? ovn)
    {
        if (ovn is null || ovn.Length < MinLength || ovn.Length > MaxLength)
        {
            return false;
        }

        foreach (char c in ovn)
        {
            bool ok = c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
