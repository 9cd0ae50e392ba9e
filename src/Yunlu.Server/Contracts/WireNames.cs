using System.Globalization;
using System.Text;

namespace Yunlu.Server.Contracts;

/// <summary>Enum values on the wire are UPPER_SNAKE_CASE, as in ED-269 (<c>REQ_AUTHORISATION</c>, <c>AIR_TRAFFIC</c>).</summary>
public static class WireNames
{
    /// <summary>The wire name of an enum value: <c>ReqAuthorisation</c> → <c>REQ_AUTHORISATION</c>.</summary>
    public static string ToWire<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var name = value.ToString();
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (i > 0 && char.IsUpper(c))
            {
                sb.Append('_');
            }

            sb.Append(char.ToUpperInvariant(c));
        }

        return sb.ToString();
    }

    /// <summary>Parses a wire name (case-insensitive, with or without underscores). False when unknown or numeric.</summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var compact = text.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim();
        if (compact.Length == 0 || char.IsDigit(compact[0]) || compact[0] == '-')
        {
            return false;
        }

        return Enum.TryParse(compact, ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    /// <summary>All wire names of an enum, comma-separated (for error messages).</summary>
    public static string List<TEnum>()
        where TEnum : struct, Enum =>
        string.Join(", ", Enum.GetValues<TEnum>().Select(v => ToWire(v)));

    /// <summary>Invariant formatting of a double for messages.</summary>
    public static string Num(double v) => v.ToString("0.########", CultureInfo.InvariantCulture);
}
