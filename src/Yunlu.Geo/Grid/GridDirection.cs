namespace Yunlu.Geo.Grid;

/// <summary>A direction to a neighbouring grid cell at the same level.</summary>
public enum GridDirection
{
    /// <summary>Towards increasing longitude (wraps at 180°).</summary>
    East,

    /// <summary>Towards decreasing longitude (wraps at −180°).</summary>
    West,

    /// <summary>Towards increasing latitude (none beyond 88° N).</summary>
    North,

    /// <summary>Towards decreasing latitude (none beyond 88° S).</summary>
    South,

    /// <summary>The next height layer up (3-D cells only).</summary>
    Up,

    /// <summary>The next height layer down (3-D cells only).</summary>
    Down,
}
