namespace Yunlu.Geo.Grid;

/// <summary>A BeiDou grid location code that does not follow GB/T 39409-2020.</summary>
public sealed class GridCodeFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public GridCodeFormatException()
        : this("invalid BeiDou grid code", -1, "invalid code")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public GridCodeFormatException(string message)
        : this(message, -1, message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public GridCodeFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Position = -1;
        Rule = message;
    }

    /// <summary>Creates the exception naming the offending position and the rule broken.</summary>
    /// <param name="message">The full message.</param>
    /// <param name="position">Zero-based character position, or −1 when the whole code is at fault (e.g. its length).</param>
    /// <param name="rule">The rule broken, e.g. "level 2 longitude digit must be 0–B".</param>
    public GridCodeFormatException(string message, int position, string rule)
        : base(message)
    {
        Position = position;
        Rule = rule;
    }

    /// <summary>Zero-based character position of the error, or −1 when the code as a whole is at fault.</summary>
    public int Position { get; }

    /// <summary>The rule the code breaks.</summary>
    public string Rule { get; }
}
