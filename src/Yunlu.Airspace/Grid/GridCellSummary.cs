using Yunlu.Geo;
using Yunlu.Geo.Grid;

namespace Yunlu.Airspace.Grid;

/// <summary>
/// A BeiDou grid cell as plain data (the JSON answer of <c>yunlu grid encode|decode</c> and the grid API): code,
/// level, lon/lat bounds in degrees, centre, and for 3-D cells the ellipsoidal height band [lower, upper) in metres.
/// </summary>
/// <param name="Code">The code (2-D, or interleaved 3-D).</param>
/// <param name="Level">Level 1–10.</param>
/// <param name="WestLonDeg">Western edge, degrees.</param>
/// <param name="SouthLatDeg">Southern edge, degrees.</param>
/// <param name="EastLonDeg">Eastern edge, degrees.</param>
/// <param name="NorthLatDeg">Northern edge, degrees.</param>
/// <param name="Centre">Centre.</param>
/// <param name="LowerHeightW84M">Lower height bound (W84, inclusive), or null for a 2-D cell.</param>
/// <param name="UpperHeightW84M">Upper height bound (W84, exclusive), or null for a 2-D cell.</param>
public sealed record GridCellSummary(
    string Code,
    int Level,
    double WestLonDeg,
    double SouthLatDeg,
    double EastLonDeg,
    double NorthLatDeg,
    GeoPoint Centre,
    double? LowerHeightW84M,
    double? UpperHeightW84M)
{
    /// <summary>Summarises a cell.</summary>
    /// <param name="cell">The cell.</param>
    public static GridCellSummary From(BeiDouGridCell cell) => new(
        cell.Code,
        cell.Level,
        cell.WestLonDeg,
        cell.SouthLatDeg,
        cell.EastLonDeg,
        cell.NorthLatDeg,
        cell.Center,
        cell.HasHeight ? cell.LowerHeightW84M : null,
        cell.HasHeight ? cell.UpperHeightW84M : null);

    /// <summary>Decodes a code (throws <see cref="GridCodeFormatException"/> naming the position and rule).</summary>
    /// <param name="code">2-D or 3-D code.</param>
    public static GridCellSummary Decode(string code) => From(BeiDouGrid.Decode(code));

    /// <summary>Encodes a position (and optionally an ellipsoidal height) at a level.</summary>
    /// <param name="p">Position.</param>
    /// <param name="heightW84M">Ellipsoidal height, metres, or null for a 2-D code.</param>
    /// <param name="level">Level 1–10.</param>
    public static GridCellSummary Encode(GeoPoint p, double? heightW84M, int level) =>
        From(heightW84M is { } h ? BeiDouGrid.Locate3D(p, h, level) : BeiDouGrid.Locate(p, level));
}
