using Yunlu.Airspace.Validation;
using Yunlu.Airspace.Zones;
using Yunlu.Server.Problems;

namespace Yunlu.Server.Airspace;

/// <summary>Runs the airspace model's <see cref="ZoneValidator"/> (the one place that decides whether a zone is
/// acceptable: ceiling under the floor — also AMSL against W84 through the geoid —, unknown references, schedules that
/// never apply, radius ≤ 0) on a zone built from the wire, reporting with the wire's field names.</summary>
public static class ZoneRules
{
    /// <summary>Adds every <see cref="ZoneValidator"/> error of <paramref name="zone"/> to <paramref name="violations"/>,
    /// skipping fields the wire mapping has already reported.</summary>
    /// <param name="zone">The zone.</param>
    /// <param name="violations">Receives the errors.</param>
    public static void AddViolations(Zone zone, Violations violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        foreach (ValidationError e in ZoneValidator.Validate(zone))
        {
            string field = e.Field.Replace(".valueM", ".value", StringComparison.Ordinal);
            if (!violations.Items.Any(v => string.Equals(v.Field, field, StringComparison.Ordinal)))
            {
                violations.Add(field, e.Rule, e.Message);
            }
        }
    }
}
