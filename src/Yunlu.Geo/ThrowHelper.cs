using System.Diagnostics.CodeAnalysis;

namespace Yunlu.Geo;

/// <summary>Throw helpers kept out of line so hot methods stay small (as in Npgsql).</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgument(string paramName, string message) => throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, string message) =>
        throw new ArgumentOutOfRangeException(paramName, message);
}
