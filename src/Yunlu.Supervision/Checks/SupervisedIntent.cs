using Yunlu.Geo;

namespace Yunlu.Supervision.Checks;

/// <summary>The states of an operational intent that supervision knows (ASTM F3548-21; Ended = removed).</summary>
public enum SupervisedIntentState
{
    /// <summary>Accepted: planned, not yet flying.</summary>
    Accepted,

    /// <summary>Activated: flying and expected to stay within its volumes.</summary>
    Activated,

    /// <summary>Nonconforming: the aircraft left its volumes (declared within 5 s).</summary>
    Nonconforming,

    /// <summary>Contingent: nonconforming for 60 s or more; stays Contingent until the intent is ended.</summary>
    Contingent,
}

/// <summary>
/// The minimal view of an operational intent that conformance monitoring needs: who flies it, its state and its 4D
/// volumes. Built from the airspace model or from a replay's intents file.
/// </summary>
/// <param name="Id">The intent id.</param>
/// <param name="AircraftId">The track id of the aircraft flying it (after identity fusion).</param>
/// <param name="State">The state when handed to supervision; supervision moves it through Nonconforming and Contingent.</param>
/// <param name="Volumes">The 4D volumes (half-open time windows); the aircraft conforms while inside any volume active at the time.</param>
public sealed record SupervisedIntent(string Id, string AircraftId, SupervisedIntentState State, IReadOnlyList<Volume4D> Volumes)
{
    /// <summary>
    /// When the aircraft left its volumes (UTC), for an intent handed over in <see cref="SupervisedIntentState.Nonconforming"/>:
    /// the contingent clock (<see cref="SupervisionOptions.ContingentAfterS"/>) runs from this moment instead of
    /// restarting at the next cycle, so that an engine rebuilt (zones reloaded, server restarted) keeps the ASTM F3548
    /// 60 s. Null = unknown (the clock starts at the first cycle that finds the aircraft outside). Ignored in other states.
    /// </summary>
    public DateTimeOffset? NonconformingSince { get; init; }

    /// <summary>Checks the fields.</summary>
    /// <returns>Null when valid, else the offending field and rule.</returns>
    public string? Validate()
    {
        if (string.IsNullOrEmpty(Id))
        {
            return "id: required";
        }

        if (string.IsNullOrEmpty(AircraftId))
        {
            return "aircraft: required";
        }

        if (Volumes is null || Volumes.Count == 0)
        {
            return "volumes: at least one Volume4D is required";
        }

        for (int i = 0; i < Volumes.Count; i++)
        {
            if (Volumes[i] is null)
            {
                return $"volumes[{i}]: must not be null";
            }
        }

        return null;
    }
}
