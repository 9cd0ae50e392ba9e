using System.Globalization;
using Yunlu.Geo;

namespace Yunlu.Terrain.Weather;

/// <summary>A wind vector: where the air goes, east and north components, plus the gust speed.</summary>
/// <param name="EastMps">Eastward component (u), m/s.</param>
/// <param name="NorthMps">Northward component (v), m/s.</param>
/// <param name="GustMps">Gust speed, m/s (≥ the mean speed when known; 0 when unknown).</param>
public readonly record struct WindVector(double EastMps, double NorthMps, double GustMps)
{
    /// <summary>Mean wind speed, m/s.</summary>
    public double SpeedMps => Math.Sqrt((EastMps * EastMps) + (NorthMps * NorthMps));

    /// <summary>Meteorological direction the wind blows FROM, degrees clockwise from north, [0, 360).</summary>
    public double FromDeg
    {
        get
        {
            double d = Math.Atan2(-EastMps, -NorthMps) * 180 / Math.PI;
            return d < 0 ? d + 360 : d >= 360 ? d - 360 : d;
        }
    }

    /// <summary>Builds a vector from speed and the direction the wind blows from.</summary>
    /// <param name="speedMps">Speed, m/s.</param>
    /// <param name="fromDeg">Direction it blows from, degrees clockwise from north.</param>
    /// <param name="gustMps">Gust, m/s.</param>
    public static WindVector FromSpeedDirection(double speedMps, double fromDeg, double gustMps)
    {
        (double s, double c) = Math.SinCos(fromDeg * Math.PI / 180);
        return new WindVector(-speedMps * s, -speedMps * c, gustMps);
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{SpeedMps:0.0} m/s from {FromDeg:0}° (gust {GustMps:0.0} m/s)");
}

/// <summary>Something that forecasts wind at a 4-D point.</summary>
public interface IWindForecast
{
    /// <summary>The wind at a position, height above ground and time.</summary>
    /// <param name="p">Position (WGS84).</param>
    /// <param name="heightAglM">Height above the ground, metres.</param>
    /// <param name="t">Time.</param>
    /// <param name="wind">The wind, or default when false is returned.</param>
    /// <returns>False outside the forecast's coverage in space or time.</returns>
    bool TryQuery(GeoPoint p, double heightAglM, DateTimeOffset t, out WindVector wind);
}

/// <summary>One weather-station observation.</summary>
/// <param name="StationId">Station identifier.</param>
/// <param name="Time">Observation time.</param>
/// <param name="Position">Station position.</param>
/// <param name="AnemometerHeightAglM">Height of the anemometer above ground, metres (&gt; 0; 10 m is standard).</param>
/// <param name="WindSpeedMps">Mean wind speed, m/s (≥ 0).</param>
/// <param name="WindFromDeg">Direction the wind blows from, degrees clockwise from north, [0, 360].</param>
/// <param name="GustMps">Gust speed, m/s, or null.</param>
/// <param name="TemperatureC">Air temperature, °C, or null.</param>
/// <param name="VisibilityM">Visibility, metres, or null.</param>
/// <param name="PrecipitationMmPerH">Precipitation rate, mm/h, or null.</param>
public sealed record WeatherObservation(
    string StationId,
    DateTimeOffset Time,
    GeoPoint Position,
    double AnemometerHeightAglM,
    double WindSpeedMps,
    double WindFromDeg,
    double? GustMps,
    double? TemperatureC,
    double? VisibilityM,
    double? PrecipitationMmPerH);

/// <summary>A problem with one row (CSV line or JSON array element) of a weather file.</summary>
/// <param name="Row">1-based data row (CSV: line number; JSON: element index + 1); 0 for the file as a whole.</param>
/// <param name="Field">The field.</param>
/// <param name="Rule">Stable rule code: <c>missing</c>, <c>number</c>, <c>range</c>, <c>time</c>, <c>syntax</c>, <c>header</c>.</param>
/// <param name="Message">Readable explanation.</param>
public sealed record WeatherRowError(int Row, string Field, string Rule, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Row == 0 ? $"file: {Field}: {Message} [{Rule}]" : $"row {Row}: {Field}: {Message} [{Rule}]";
}

/// <summary>The rows read and every error found; a file with errors should not be used.</summary>
/// <param name="Observations">Valid rows.</param>
/// <param name="Errors">Every error.</param>
public sealed record WeatherReadResult(IReadOnlyList<WeatherObservation> Observations, IReadOnlyList<WeatherRowError> Errors)
{
    /// <summary>True when there is no error.</summary>
    public bool Ok => Errors.Count == 0;
}

/// <summary>Land-use classes that set the aerodynamic roughness length z0.</summary>
public enum LandUseClass
{
    /// <summary>Open water.</summary>
    Water,

    /// <summary>Open flat terrain, grass, few isolated obstacles.</summary>
    Open,

    /// <summary>Suburbs, villages, forest edges.</summary>
    Suburban,

    /// <summary>City centre with tall buildings.</summary>
    Urban,
}

/// <summary>Roughness length z0 (metres) per land-use class; the defaults follow the Davenport–Wieringa
/// classification (WMO Guide to Instruments, CIMO, Annex 5.B): water 0.0002, open 0.03, suburban 0.5, urban 1.5
/// (1.0–2.0 in the literature).</summary>
/// <param name="WaterM">Water, m.</param>
/// <param name="OpenM">Open, m.</param>
/// <param name="SuburbanM">Suburban, m.</param>
/// <param name="UrbanM">Urban, m.</param>
public sealed record RoughnessTable(double WaterM = 0.0002, double OpenM = 0.03, double SuburbanM = 0.5, double UrbanM = 1.5)
{
    /// <summary>The default table.</summary>
    public static RoughnessTable Default { get; } = new();

    /// <summary>z0 for a class, metres.</summary>
    /// <param name="c">The class.</param>
    public double RoughnessM(LandUseClass c) => c switch
    {
        LandUseClass.Water => WaterM,
        LandUseClass.Open => OpenM,
        LandUseClass.Suburban => SuburbanM,
        _ => UrbanM,
    };

    /// <summary>Throws when a length is not finite or not in (0, 5] m.</summary>
    public void Validate()
    {
        foreach ((string name, double v) in new[] { ("waterM", WaterM), ("openM", OpenM), ("suburbanM", SuburbanM), ("urbanM", UrbanM) })
        {
            if (!double.IsFinite(v) || v <= 0 || v > 5)
            {
                throw new ArgumentOutOfRangeException(name, $"roughness length {name} = {v.ToString(CultureInfo.InvariantCulture)} m must be in (0, 5]");
            }
        }
    }
}

/// <summary>The logarithmic wind profile of the neutral surface layer.</summary>
/// <remarks>u(z) = u(zr)·ln(z/z0)/ln(zr/z0) (e.g. Stull, <i>An Introduction to Boundary Layer Meteorology</i>, 1988,
/// §9.7). Valid above the roughness sublayer; heights at or below z0 give 0.</remarks>
public static class LogWindProfile
{
    /// <summary>Scales a wind speed measured at <paramref name="fromHeightM"/> to <paramref name="toHeightM"/>.</summary>
    /// <param name="speed">Speed (or a component) at the measuring height.</param>
    /// <param name="fromHeightM">Measuring height above ground, m (&gt; z0).</param>
    /// <param name="toHeightM">Wanted height above ground, m.</param>
    /// <param name="z0M">Roughness length, m.</param>
    public static double Scale(double speed, double fromHeightM, double toHeightM, double z0M)
    {
        if (toHeightM <= z0M)
        {
            return 0;
        }

        return speed * Math.Log(toHeightM / z0M) / Math.Log(fromHeightM / z0M);
    }
}
