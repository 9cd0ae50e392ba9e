namespace Yunlu.Cli;

/// <summary>The exit codes of <c>yunlu</c> (documented in docs/guide/cli.md).</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Invalid input: a file was rejected (one line on stderr names the feature and the rule) or an argument
    /// value broke a rule.</summary>
    public const int InvalidInput = 1;

    /// <summary>Usage error: unknown command or option, missing argument.</summary>
    public const int Usage = 2;

    /// <summary>The store (SQLite file or PostgreSQL) cannot be opened or reached.</summary>
    public const int StoreUnavailable = 3;

    /// <summary>The server (<c>--server</c>) cannot be reached, refused the token, or answered an unexpected error.</summary>
    public const int ServerError = 4;

    /// <summary>A file could not be read or written (missing, no permission).</summary>
    public const int IoError = 5;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Interrupted = 130;
}
