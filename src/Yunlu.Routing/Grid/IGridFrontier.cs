namespace Yunlu.Routing.Grid;

/// <summary>One exact A* search under the Warframe rule that runs in slices of expansions (see <see cref="GridAStar"/>).</summary>
internal interface IGridFrontier
{
    /// <summary>Expansions since <see cref="Begin"/>.</summary>
    long Expansions { get; }

    /// <summary>Starts a search; both voxels must be free and inside the box.</summary>
    void Begin(GridPoint start, GridPoint goal);

    /// <summary>Runs at most <paramref name="budget"/> expansions.</summary>
    FrontierStatus Run(long budget, CancellationToken ct);

    /// <summary>The path found (start to goal, or goal to start when <paramref name="reversed"/>); call after
    /// <see cref="FrontierStatus.Found"/>.</summary>
    GridPath Path(bool reversed, long expansions);

    /// <summary>Releases search memory beyond what is kept for reuse between searches.</summary>
    void Trim();
}
