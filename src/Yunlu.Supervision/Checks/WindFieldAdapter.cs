using Yunlu.Geo;
using Yunlu.Terrain.Weather;

namespace Yunlu.Supervision.Checks;

/// <summary>
/// The wind-limit check's <see cref="IWindField"/> over the weather layer's forecast (<see cref="WindField"/> or any
/// <see cref="IWindForecast"/>): the aircraft's W84 height is turned into a height above ground with the altitude
/// converter's ground data, and the forecast gives the sustained wind there (logarithmic profile, bilinear in space,
/// linear in time — see <see cref="WindField"/>).
/// </summary>
/// <remarks>
/// Without ground data at the position the height above ground is unknown: the adapter then uses
/// <see cref="FallbackHeightAglM"/> when set, else reports no data (no alert). Heights below 1 m AGL are taken as 1 m
/// (the profile is undefined at and below the roughness length). Thread-safe when the forecast is.
/// </remarks>
public sealed class WindFieldAdapter : IWindField
{
    private readonly IWindForecast _forecast;
    private readonly AltitudeConverter _converter;

    /// <summary>Creates the adapter.</summary>
    /// <param name="forecast">The wind forecast (e.g. <see cref="WindField.FromObservations"/>).</param>
    /// <param name="converter">Altitude converter with ground data (the same as the track store's).</param>
    /// <param name="useGust">Compare the gust instead of the mean wind with the limit.</param>
    /// <param name="fallbackHeightAglM">Height above ground to use where there is no ground data, metres, or null.</param>
    public WindFieldAdapter(IWindForecast forecast, AltitudeConverter converter, bool useGust = false, double? fallbackHeightAglM = null)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        ArgumentNullException.ThrowIfNull(converter);
        if (fallbackHeightAglM is { } f && (!(f > 0) || !double.IsFinite(f)))
        {
            throw new ArgumentOutOfRangeException(nameof(fallbackHeightAglM), "fallback height must be a finite number of metres > 0");
        }

        _forecast = forecast;
        _converter = converter;
        UseGust = useGust;
        FallbackHeightAglM = fallbackHeightAglM;
    }

    /// <summary>True when the gust, not the mean wind, is compared with the limit.</summary>
    public bool UseGust { get; }

    /// <summary>Height above ground used without ground data, metres, or null (then no data).</summary>
    public double? FallbackHeightAglM { get; }

    /// <inheritdoc />
    public bool TryGetWindSpeedMps(GeoPoint p, double altitudeW84M, DateTimeOffset at, out double speedMps)
    {
        double agl;
        if (_converter.TryConvert(Altitude.W84(altitudeW84M), p, AltitudeReference.Agl, out Altitude a))
        {
            agl = a.ValueM;
        }
        else if (FallbackHeightAglM is { } f)
        {
            agl = f;
        }
        else
        {
            speedMps = 0;
            return false;
        }

        if (!_forecast.TryQuery(p, Math.Max(1, agl), at, out WindVector w))
        {
            speedMps = 0;
            return false;
        }

        speedMps = UseGust ? Math.Max(w.GustMps, w.SpeedMps) : w.SpeedMps;
        return true;
    }
}
