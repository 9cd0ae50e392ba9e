using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Yunlu.Server.Problems;

/// <summary>One broken rule: the field (JSON-path-like, e.g. <c>footprint.polygon[0][3]</c>), a stable rule code and
/// a readable message.</summary>
/// <param name="Field">The field.</param>
/// <param name="Rule">The rule code, e.g. <c>lat-range</c>, <c>self-intersection</c>, <c>required</c>.</param>
/// <param name="Message">A readable explanation.</param>
public sealed record Violation(string Field, string Rule, string Message);

/// <summary>Collects <see cref="Violation"/>s and turns them into an RFC 9457 validation problem whose <c>errors</c>
/// map names each field with <c>"rule: message"</c> entries, plus a structured <c>violations</c> list.</summary>
public sealed class Violations
{
    private readonly List<Violation> _items = [];

    /// <summary>True when nothing was reported.</summary>
    public bool IsEmpty => _items.Count == 0;

    /// <summary>The violations so far.</summary>
    public IReadOnlyList<Violation> Items => _items;

    /// <summary>Reports one violation.</summary>
    public void Add(string field, string rule, string message) => _items.Add(new Violation(field, rule, message));

    /// <summary>The 400 validation problem for the collected violations.</summary>
    public ValidationProblem ToProblem(string title = "The request is invalid.") => ToProblem(_items, title);

    /// <summary>The 400 validation problem for <paramref name="items"/>.</summary>
    public static ValidationProblem ToProblem(IReadOnlyList<Violation> items, string title = "The request is invalid.")
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var group in items.GroupBy(v => v.Field, StringComparer.Ordinal))
        {
            errors[group.Key] = group.Select(v => $"{v.Rule}: {v.Message}").ToArray();
        }

        return TypedResults.ValidationProblem(
            errors,
            detail: items.Count == 1 ? $"{items[0].Field}: {items[0].Message} [{items[0].Rule}]" : $"{items.Count} rules broken; see errors.",
            title: title,
            type: ProblemTypes.Validation,
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["violations"] = items });
    }

    /// <summary>A validation problem for a single field.</summary>
    public static ValidationProblem Single(string field, string rule, string message) => ToProblem([new Violation(field, rule, message)]);
}
