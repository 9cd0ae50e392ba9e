namespace Yunlu.Airspace.Operations;

/// <summary>
/// The allowed state changes of an operational intent. Pure: no clock, no storage.
/// </summary>
/// <remarks>
/// Draft → Submitted → Accepted | Rejected; Accepted → Activated → Nonconforming | Contingent → Ended;
/// Nonconforming → Activated (back inside its volumes); Rejected → Submitted (resubmitted, e.g. with a resolution);
/// the owner withdraws (Draft, Submitted, Rejected, Accepted → Withdrawn); a manager cancels
/// (Submitted, Accepted → Cancelled). Ended, Withdrawn and Cancelled are terminal.
/// </remarks>
public static class IntentStateMachine
{
    private static readonly IntentState[][] Allowed = BuildTable();

    /// <summary>True when <paramref name="from"/> → <paramref name="to"/> is allowed.</summary>
    /// <param name="from">Current state.</param>
    /// <param name="to">Wanted state.</param>
    public static bool CanTransition(IntentState from, IntentState to)
    {
        if ((uint)from >= (uint)Allowed.Length)
        {
            return false;
        }

        return Array.IndexOf(Allowed[(int)from], to) >= 0;
    }

    /// <summary>The states reachable from <paramref name="from"/> in one step (empty for terminal states).</summary>
    /// <param name="from">Current state.</param>
    public static IReadOnlyList<IntentState> NextStates(IntentState from) =>
        (uint)from < (uint)Allowed.Length ? Allowed[(int)from] : [];

    /// <summary>True for Ended, Withdrawn and Cancelled.</summary>
    /// <param name="state">The state.</param>
    public static bool IsTerminal(IntentState state) => state is IntentState.Ended or IntentState.Withdrawn or IntentState.Cancelled;

    /// <summary>True in the states in which an intent occupies its volumes and blocks others (Accepted, Activated,
    /// Nonconforming, Contingent).</summary>
    /// <param name="state">The state.</param>
    public static bool IsBlocking(IntentState state) =>
        state is IntentState.Accepted or IntentState.Activated or IntentState.Nonconforming or IntentState.Contingent;

    /// <summary>Throws <see cref="InvalidOperationException"/> naming both states and the allowed ones when the change is not allowed.</summary>
    /// <param name="from">Current state.</param>
    /// <param name="to">Wanted state.</param>
    public static void EnsureCanTransition(IntentState from, IntentState to)
    {
        if (!CanTransition(from, to))
        {
            throw new InvalidOperationException(Describe(from, to));
        }
    }

    internal static string Describe(IntentState from, IntentState to)
    {
        IReadOnlyList<IntentState> next = NextStates(from);
        string allowed = next.Count == 0 ? "none (terminal state)" : string.Join(", ", next);
        return $"state: cannot go from {from} to {to}; allowed from {from}: {allowed}";
    }

    private static IntentState[][] BuildTable()
    {
        var t = new IntentState[Enum.GetValues<IntentState>().Length][];
        t[(int)IntentState.Draft] = [IntentState.Submitted, IntentState.Withdrawn];
        t[(int)IntentState.Submitted] = [IntentState.Accepted, IntentState.Rejected, IntentState.Withdrawn, IntentState.Cancelled];
        t[(int)IntentState.Accepted] = [IntentState.Activated, IntentState.Withdrawn, IntentState.Cancelled];
        t[(int)IntentState.Rejected] = [IntentState.Submitted, IntentState.Withdrawn];
        t[(int)IntentState.Activated] = [IntentState.Nonconforming, IntentState.Contingent, IntentState.Ended];
        t[(int)IntentState.Nonconforming] = [IntentState.Activated, IntentState.Contingent, IntentState.Ended];
        t[(int)IntentState.Contingent] = [IntentState.Ended];
        t[(int)IntentState.Ended] = [];
        t[(int)IntentState.Withdrawn] = [];
        t[(int)IntentState.Cancelled] = [];
        return t;
    }
}
