using Yunlu.Geo;

namespace Yunlu.Airspace.Operations;

/// <summary>
/// The re-route hook of strategic deconfliction (contract between the operations and routing modules): given the
/// volumes of an intent that was refused, its conflicts and the time window it wants, plans another route and returns
/// it as volumes, or null when there is none. The routing module implements it and registers it as an optional DI
/// service; the operations server then offers a <see cref="ResolutionKind.Reroute"/> resolution, but only after
/// re-checking the proposed volumes against the index, zones and capacity (a proposal that still conflicts is
/// dropped, never offered).
/// </summary>
/// <remarks>
/// Implementations must be thread-safe (called concurrently from request handlers), must not book anything, and
/// should honour the cancellation token promptly (a submission waits for the resolutions).
/// </remarks>
public interface IIntentRerouter
{
    /// <summary>Plans alternative volumes for a refused intent.</summary>
    /// <param name="volumes">The intent's volumes as submitted (W84 altitudes, half-open time windows), in flight order:
    /// the first volume's footprint holds the departure, the last one's the destination.</param>
    /// <param name="conflicts">The conflicts found for those volumes (intents, zones, full cells, with where and when);
    /// <see cref="Conflict.VolumeIndex"/> indexes <paramref name="volumes"/>.</param>
    /// <param name="window">The time window the flight wants: from its first volume's start to its last volume's end.
    /// The alternative should depart at <see cref="TimeWindow.Start"/> (a later start is the start-shift resolution's
    /// job).</param>
    /// <param name="cancellationToken">Cancels the planning.</param>
    /// <returns>The alternative (volumes in the same altitude reference, a route identifier and a readable
    /// description), or null when no route avoids the conflicts.</returns>
    ValueTask<RerouteProposal?> RerouteAsync(IReadOnlyList<Volume4D> volumes, IReadOnlyList<Conflict> conflicts, TimeWindow window, CancellationToken cancellationToken);
}
