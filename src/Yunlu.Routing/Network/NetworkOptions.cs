using System.Globalization;

namespace Yunlu.Routing.Network;

/// <summary>
/// Settings of the airway-network generator. Distances are horizontal metres in the local tangent plane; heights are
/// true heights (AGL, 真高) because the layers follow the terrain.
/// </summary>
public sealed record NetworkOptions
{
    /// <summary>Greatest network/free-route distance ratio wanted for a pair without demand (the spanner's stretch t).</summary>
    public double DetourTarget { get; init; } = 1.2;

    /// <summary>Stretch wanted for pairs with demand &gt; 0 in the demand matrix (demand-driven shortcuts).</summary>
    public double DemandDetourTarget { get; init; } = 1.05;

    /// <summary>Least horizontal distance, metres, between a corridor centre-line and any node of the same layer it does
    /// not end at (and so, for non-crossing segments, between any two same-layer centre-lines away from their shared nodes).</summary>
    public double LateralSeparationM { get; init; } = 150;

    /// <summary>Least vertical gap between two altitude layers, metres.</summary>
    public double VerticalSeparationM { get; init; } = 10;

    /// <summary>Horizontal clearance kept from prohibited zones and tall obstacles, metres (the zones are buffered by it).</summary>
    public double LateralClearanceM { get; init; } = 100;

    /// <summary>Vertical clearance kept above obstacles, metres: an obstacle taller than the lowest floor minus this blocks
    /// the corridors horizontally.</summary>
    public double VerticalClearanceM { get; init; } = 20;

    /// <summary>Number of heading layers, even, 2 to 8: a segment flown on heading h (degrees from north) uses layer
    /// ⌊h / (360 / n)⌋; h and h + 180° always fall into different layers (2 = east-bound / west-bound bands).</summary>
    public int HeadingLayers { get; init; } = 2;

    /// <summary>Floor of the lowest layer, metres true height (AGL).</summary>
    public double LowestFloorAglM { get; init; } = 60;

    /// <summary>Thickness of one layer, metres.</summary>
    public double LayerThicknessM { get; init; } = 20;

    /// <summary>True-height ceiling no layer may exceed, metres (120 m: the controlled-airspace limit of the 2024
    /// Interim Regulations; see <c>RuleSet.ControlledAboveTrueHeightM</c>).</summary>
    public double CeilingAglM { get; init; } = 120;

    /// <summary>Corridor width written to the corridor model, metres (≤ <see cref="LateralSeparationM"/> keeps
    /// same-layer corridor volumes apart).</summary>
    public double CorridorWidthM { get; init; } = 100;

    /// <summary>Cruise (greatest) ground speed in the corridors, m/s.</summary>
    public double CruiseSpeedMps { get; init; } = 15;

    /// <summary>Least along-track spacing between two aircraft in one corridor, metres (capacity = 3600 · speed / spacing per hour).</summary>
    public double LongitudinalSeparationM { get; init; } = 300;

    /// <summary>Prefix of generated node and corridor ids (vertiports keep their own ids).</summary>
    public string IdPrefix { get; init; } = "GEN";

    /// <summary>Most clean-up rounds (crossing split, separation snap, short-leg merge) before giving up.</summary>
    public int MaxCleanupRounds { get; init; } = 60;

    /// <summary>The layer count.</summary>
    internal double LayerStepM => LayerThicknessM + VerticalSeparationM;

    /// <summary>Floor of layer <paramref name="layer"/>, metres AGL.</summary>
    /// <param name="layer">Layer index, 0-based.</param>
    public double LayerFloorAglM(int layer) => LowestFloorAglM + (layer * LayerStepM);

    /// <summary>Ceiling of layer <paramref name="layer"/>, metres AGL.</summary>
    /// <param name="layer">Layer index, 0-based.</param>
    public double LayerCeilingAglM(int layer) => LayerFloorAglM(layer) + LayerThicknessM;

    /// <summary>Flights per hour one one-way corridor takes: ⌊3600 · <see cref="CruiseSpeedMps"/> / <see cref="LongitudinalSeparationM"/>⌋.</summary>
    public int CorridorCapacityPerHour => (int)Math.Floor(3600 * CruiseSpeedMps / LongitudinalSeparationM);

    /// <summary>Checks the options; each error names the field and the rule. Empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(DetourTarget >= 1.0 && DetourTarget <= 10))
        {
            errors.Add($"detourTarget: must be 1 to 10 (got {Num(DetourTarget)}) [range]");
        }

        if (!(DemandDetourTarget >= 1.0 && DemandDetourTarget <= 10))
        {
            errors.Add($"demandDetourTarget: must be 1 to 10 (got {Num(DemandDetourTarget)}) [range]");
        }

        Positive(errors, "lateralSeparationM", LateralSeparationM, 1, 10_000);
        Positive(errors, "verticalSeparationM", VerticalSeparationM, 0, 1_000);
        Positive(errors, "lateralClearanceM", LateralClearanceM, 0, 10_000);
        Positive(errors, "verticalClearanceM", VerticalClearanceM, 0, 1_000);
        Positive(errors, "layerThicknessM", LayerThicknessM, 1, 1_000);
        Positive(errors, "lowestFloorAglM", LowestFloorAglM, 0, 10_000);
        Positive(errors, "ceilingAglM", CeilingAglM, 1, 10_000);
        Positive(errors, "corridorWidthM", CorridorWidthM, 1, 10_000);
        Positive(errors, "cruiseSpeedMps", CruiseSpeedMps, 0.1, 500);
        Positive(errors, "longitudinalSeparationM", LongitudinalSeparationM, 1, 100_000);
        if (HeadingLayers is < 2 or > 8 || HeadingLayers % 2 != 0)
        {
            errors.Add($"headingLayers: must be an even number from 2 to 8 (got {HeadingLayers}) [even-2-to-8]");
        }
        else if (LayerCeilingAglM(HeadingLayers - 1) > CeilingAglM + 1e-9)
        {
            errors.Add($"headingLayers: {HeadingLayers} layers of {Num(LayerThicknessM)} m from {Num(LowestFloorAglM)} m AGL with {Num(VerticalSeparationM)} m gaps reach {Num(LayerCeilingAglM(HeadingLayers - 1))} m, above the {Num(CeilingAglM)} m true-height ceiling [ceiling]");
        }

        if (string.IsNullOrWhiteSpace(IdPrefix) || IdPrefix.Length > 32)
        {
            errors.Add("idPrefix: must be 1 to 32 characters [length]");
        }

        if (MaxCleanupRounds is < 1 or > 1000)
        {
            errors.Add($"maxCleanupRounds: must be 1 to 1000 (got {MaxCleanupRounds}) [range]");
        }

        return errors;
    }

    private static void Positive(List<string> errors, string name, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            errors.Add($"{name}: must be {Num(min)} to {Num(max)} (got {Num(value)}) [range]");
        }
    }

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
