namespace Yunlu.Geo;

/// <summary>A <see cref="Volume3D"/> during a half-open <see cref="TimeWindow"/> (ASTM F3548 Volume4D).</summary>
/// <param name="Volume">The volume.</param>
/// <param name="Time">When it is in use: [Start, End).</param>
public sealed record Volume4D(Volume3D Volume, TimeWindow Time)
{
    /// <summary>The volume.</summary>
    public Volume3D Volume { get; } = Volume ?? throw new ArgumentNullException(nameof(Volume));

    /// <summary>
    /// True when the two share a point in space and time: the half-open time windows overlap (touching windows do not)
    /// and the volumes intersect (see <see cref="Volume3D.Intersects"/>).
    /// </summary>
    /// <param name="other">The other volume; must use the same altitude reference.</param>
    public bool Intersects(Volume4D other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Time.Overlaps(other.Time) && Volume.Intersects(other.Volume);
    }
}
