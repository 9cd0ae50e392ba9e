using Yunlu.Geo;
using Yunlu.Geo.Grid;
using Yunlu.Terrain.Weather;

namespace Yunlu.Airspace.Grid;

/// <summary>A BeiDou grid cell whose forecast wind exceeds a limit.</summary>
/// <param name="Code">2-D cell code.</param>
/// <param name="Centre">Cell centre, where the wind was evaluated.</param>
/// <param name="Wind">The wind there.</param>
public sealed record WindCellFlag(string Code, GeoPoint Centre, WindVector Wind);

/// <summary>Flags grid cells by forecast wind.</summary>
public static class GridWind
{
    /// <summary>
    /// The cells of <paramref name="cover"/> where the wind at the cell centre, <paramref name="heightAglM"/> and
    /// <paramref name="t"/> exceeds <paramref name="limitMps"/> (or its gust exceeds limit × <paramref name="gustFactor"/>).
    /// Cells outside the forecast are skipped.
    /// </summary>
    /// <param name="cover">The cells to look at (e.g. a zone's or a city's cover).</param>
    /// <param name="wind">The forecast.</param>
    /// <param name="heightAglM">Height, metres AGL.</param>
    /// <param name="t">Time.</param>
    /// <param name="limitMps">Sustained-wind limit, m/s.</param>
    /// <param name="gustFactor">Gust allowance (1.5: gusts up to 50 % above the limit are tolerated).</param>
    public static IReadOnlyList<WindCellFlag> CellsAboveLimit(GridCover cover, IWindForecast wind, double heightAglM, DateTimeOffset t, double limitMps, double gustFactor = 1.5)
    {
        ArgumentNullException.ThrowIfNull(cover);
        ArgumentNullException.ThrowIfNull(wind);
        var result = new List<WindCellFlag>();
        foreach (GridRowSpan s in cover.Spans)
        {
            double lat = (GridMath.SouthDeg(cover.Level, s.LatIndex) + GridMath.SouthDeg(cover.Level, s.LatIndex + 1L)) / 2;
            for (int i = s.FirstLonIndex; i <= s.LastLonIndex; i++)
            {
                var centre = new GeoPoint((GridMath.WestDeg(cover.Level, i) + GridMath.WestDeg(cover.Level, i + 1L)) / 2, lat);
                if (wind.TryQuery(centre, heightAglM, t, out WindVector w) && (w.SpeedMps > limitMps || w.GustMps > limitMps * gustFactor))
                {
                    result.Add(new WindCellFlag(GridMath.Cell(cover.Level, i, s.LatIndex).Code, centre, w));
                }
            }
        }

        return result;
    }
}
