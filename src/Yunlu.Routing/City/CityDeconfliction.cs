using Yunlu.Airspace.Operations;
using Yunlu.Geo;

namespace Yunlu.Routing.City;

/// <summary>
/// Strategic deconfliction of a planned route against approved flights (<see cref="StrategicChecker"/>): when its
/// volumes conflict, tries in order (1) the earliest start-time shift within the limit that the checker finds clear,
/// re-planned at the new departure so that zones and wind of the new window apply; (2) another cruise layer (true
/// heights 30 and 60 m from the cruise height, nearest first, within the ceiling), re-planned on that layer only; (3) a
/// detour: re-planned with the conflicting regions (boxes around the shared parts) blocked, up to three rounds. The
/// first result that checks clear is returned; otherwise the original route with the conflicts left.
/// </summary>
internal static class CityDeconfliction
{
    private const string Planner = "planner";

    public static CityRoute Apply(CityPlanner planner, CityRouteRequest request, CityRoute route, CancellationToken cancellationToken)
    {
        StrategicChecker checker = request.Deconfliction!;
        OperationalIntent intent = Intent(request, route);
        DeconflictionReport report = checker.Check(intent);
        if (report.IsClear)
        {
            return route with { Deconfliction = new DeconflictionOutcome(true, 0, 0, false, 0) };
        }

        if (request.MaxStartShift > TimeSpan.Zero && checker.FindEarliestStartShift(intent, request.MaxStartShift) is { StartShift: { } shift })
        {
            CityRoute? shifted = TryPlan(planner, request with { DepartureUtc = request.DepartureUtc + shift, Deconfliction = null }, checker, cancellationToken);
            if (shifted is not null)
            {
                return shifted with { Deconfliction = new DeconflictionOutcome(true, shift.TotalSeconds, 0, false, 0) };
            }
        }

        double cruise = request.CruiseAltitudeAglM;
        foreach (double delta in (double[])[30, -30, 60, -60])
        {
            double alt = cruise + delta;
            if (alt <= request.ClearanceM || alt > request.Rules.ControlledAboveTrueHeightM - 1)
            {
                continue;
            }

            CityRoute? layered;
            try
            {
                layered = TryPlan(planner, request with { CruiseAltitudeAglM = alt, LayersAglM = [alt], Deconfliction = null }, checker, cancellationToken);
            }
            catch (CityPlanningException)
            {
                continue;
            }

            if (layered is not null)
            {
                return layered with { Deconfliction = new DeconflictionOutcome(true, 0, delta, false, 0) };
            }
        }

        var blocked = new List<Footprint>(request.ExtraBlocked);
        IReadOnlyList<Conflict> conflicts = report.Blocking;
        for (int round = 0; round < 3 && conflicts.Count > 0; round++)
        {
            foreach (Conflict c in conflicts)
            {
                blocked.Add(CityRerouter.Box(c.Where));
            }

            CityRoute detour;
            try
            {
                detour = planner.PlanOnce(request with { ExtraBlocked = blocked, Deconfliction = null }, cancellationToken);
            }
            catch (CityPlanningException)
            {
                break;
            }

            DeconflictionReport again = checker.Check(Intent(request, detour));
            if (again.IsClear)
            {
                return detour with { Deconfliction = new DeconflictionOutcome(true, 0, 0, true, 0) };
            }

            conflicts = again.Blocking;
        }

        return route with { Deconfliction = new DeconflictionOutcome(true, 0, 0, false, report.Blocking.Count) };
    }

    /// <summary>The route as a submitted intent (for checking only).</summary>
    internal static OperationalIntent Intent(CityRouteRequest request, CityRoute route) => new()
    {
        Id = Guid.NewGuid(),
        OwnerId = Planner,
        OperatorId = Planner,
        AircraftId = Planner,
        PilotId = Planner,
        Priority = request.Priority,
        Volumes = route.Volumes,
        ZoneAuthorisations = request.ZoneAuthorisations,
        State = IntentState.Submitted,
        Ovn = Ovn.New(),
        UpdatedAt = request.DepartureUtc,
    };

    private static CityRoute? TryPlan(CityPlanner planner, CityRouteRequest request, StrategicChecker checker, CancellationToken cancellationToken)
    {
        CityRoute candidate = planner.PlanOnce(request, cancellationToken);
        return checker.Check(Intent(request, candidate)).IsClear ? candidate : null;
    }
}
