namespace Yunlu.Geo;

/// <summary>
/// A half-open time interval [Start, End): an instant equal to <see cref="End"/> is outside, so two windows that
/// touch do not overlap.
/// </summary>
public readonly record struct TimeWindow
{
    /// <summary>Creates a window; <paramref name="end"/> must be after <paramref name="start"/>.</summary>
    public TimeWindow(DateTimeOffset start, DateTimeOffset end)
    {
        if (end <= start)
        {
            ThrowHelper.ThrowArgument(nameof(end), "time window end must be after its start");
        }

        Start = start;
        End = end;
    }

    /// <summary>Inclusive start.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Exclusive end.</summary>
    public DateTimeOffset End { get; }

    /// <summary>The length of the window.</summary>
    public TimeSpan Duration => End - Start;

    /// <summary>True when <paramref name="t"/> is in [Start, End).</summary>
    public bool Contains(DateTimeOffset t) => t >= Start && t < End;

    /// <summary>True when the two half-open windows share an instant.</summary>
    public bool Overlaps(TimeWindow other) => Start < other.End && other.Start < End;
}
