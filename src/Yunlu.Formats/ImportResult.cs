namespace Yunlu.Formats;

/// <summary>
/// One problem with one feature of an imported file: which feature, which field, which rule it broke.
/// Importers collect all of them (up to a limit) instead of stopping at the first.
/// </summary>
/// <param name="FeatureIndex">0-based index of the feature in the file, or -1 for the file as a whole.</param>
/// <param name="FeatureId">The feature's identifier when it has one.</param>
/// <param name="Field">The field (JSON path-like, e.g. <c>geometry[0].upperLimit</c>).</param>
/// <param name="Rule">A stable rule code, e.g. <c>self-intersection</c>, <c>lat-range</c>, <c>altitude-reference-missing</c>.</param>
/// <param name="Message">A readable explanation.</param>
public sealed record FeatureError(int FeatureIndex, string? FeatureId, string Field, string Rule, string Message)
{
    /// <inheritdoc />
    public override string ToString() =>
        FeatureIndex < 0
            ? $"file: {Field}: {Message} [{Rule}]"
            : $"feature {FeatureIndex}{(FeatureId is null ? "" : $" ({FeatureId})")}: {Field}: {Message} [{Rule}]";
}

/// <summary>The outcome of reading a file: the items read and every error found. A file with any error must not be
/// stored at all (<see cref="Ok"/> is false).</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">Items that passed validation.</param>
/// <param name="Errors">Every error found (the file fails when there is any).</param>
public sealed record ImportResult<T>(IReadOnlyList<T> Items, IReadOnlyList<FeatureError> Errors)
{
    /// <summary>True when the file has no error and may be stored.</summary>
    public bool Ok => Errors.Count == 0;
}

/// <summary>Limits every importer enforces.</summary>
/// <param name="MaxFeatures">Maximum features per file.</param>
/// <param name="MaxVerticesPerFeature">Maximum vertices in one feature's geometry.</param>
/// <param name="MaxErrors">Errors collected before the importer stops looking.</param>
/// <param name="MaxBytes">Maximum input size in bytes (uncompressed, for KMZ the entry too).</param>
public sealed record ImportLimits(int MaxFeatures = 100_000, int MaxVerticesPerFeature = 10_000, int MaxErrors = 100, long MaxBytes = 64L * 1024 * 1024)
{
    /// <summary>The defaults.</summary>
    public static ImportLimits Default { get; } = new();
}

/// <summary>A file that cannot be read at all (truncated, wrong magic, unsupported compression): names the rule.</summary>
/// <param name="rule">A stable rule code, e.g. <c>tiff-truncated</c>.</param>
/// <param name="message">A readable explanation.</param>
public sealed class InvalidFileException(string rule, string message) : Exception(message)
{
    /// <summary>The stable rule code.</summary>
    public string Rule { get; } = rule;
}
