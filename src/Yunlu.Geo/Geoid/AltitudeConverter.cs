namespace Yunlu.Geo;

/// <summary>Ground elevation under a point, supplied by the terrain layer.</summary>
public interface IGroundElevation
{
    /// <summary>
    /// The terrain surface height (bare earth, without buildings) at <paramref name="p"/> in metres above mean sea
    /// level (EGM96). Returns false where no elevation data covers the point.
    /// </summary>
    /// <param name="p">The position (WGS84 lon/lat degrees).</param>
    /// <param name="groundAmslM">Ground height, metres AMSL.</param>
    bool TryGetGroundAmslM(GeoPoint p, out double groundAmslM);
}

/// <summary>
/// Converts altitudes between the three references: AGL (true height 真高) = AMSL − ground, W84 (ellipsoidal) =
/// AMSL + N (geoid undulation).
/// </summary>
/// <remarks>
/// Conversions are exact sums of the stated quantities at the given point (no rounding beyond floating point); a
/// round trip returns the input to within 1e-9 m. Conversions that involve AGL need <see cref="IGroundElevation"/>
/// data at the point. Allocation-free.
/// </remarks>
public sealed class AltitudeConverter
{
    private readonly IGeoid _geoid;
    private readonly IGroundElevation? _ground;

    /// <summary>Creates a converter.</summary>
    /// <param name="geoid">The geoid model, normally <see cref="Egm96Geoid.Instance"/>.</param>
    /// <param name="ground">Ground elevations for AGL conversions, or null when only AMSL ↔ W84 is needed.</param>
    public AltitudeConverter(IGeoid geoid, IGroundElevation? ground)
    {
        ArgumentNullException.ThrowIfNull(geoid);
        _geoid = geoid;
        _ground = ground;
    }

    /// <summary>A converter on EGM96 without ground data (AMSL ↔ W84 only).</summary>
    public static AltitudeConverter Egm96Only { get; } = new(Egm96Geoid.Instance, null);

    /// <summary>Converts <paramref name="a"/> measured at <paramref name="at"/> into reference <paramref name="to"/>.</summary>
    /// <param name="a">The altitude to convert.</param>
    /// <param name="at">Where the altitude is (the ground and the geoid are sampled here).</param>
    /// <param name="to">The wanted reference.</param>
    /// <returns>The same physical height expressed in <paramref name="to"/>.</returns>
    /// <exception cref="InvalidOperationException">AGL is involved and no ground elevation is available at the point.</exception>
    public Altitude Convert(Altitude a, GeoPoint at, AltitudeReference to)
    {
        if (!TryConvert(a, at, to, out Altitude result))
        {
            ThrowNoGround(a, at, to);
        }

        return result;
    }

    /// <summary>Converts like <see cref="Convert"/>, returning false instead of throwing when ground data is missing.</summary>
    /// <param name="a">The altitude to convert.</param>
    /// <param name="at">Where the altitude is.</param>
    /// <param name="to">The wanted reference.</param>
    /// <param name="result">The converted altitude, or default when false is returned.</param>
    /// <returns>False only when AGL is involved and no ground elevation is available at <paramref name="at"/>.</returns>
    public bool TryConvert(Altitude a, GeoPoint at, AltitudeReference to, out Altitude result)
    {
        if (a.Reference == to)
        {
            result = a;
            return true;
        }

        if (!double.IsFinite(a.ValueM))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(a), "altitude value must be finite");
        }

        // Go through AMSL: first to AMSL, then from AMSL.
        double amslM;
        switch (a.Reference)
        {
            case AltitudeReference.Amsl:
                amslM = a.ValueM;
                break;
            case AltitudeReference.W84:
                amslM = a.ValueM - _geoid.UndulationM(at);
                break;
            case AltitudeReference.Agl:
                if (!TryGround(at, out double groundFrom))
                {
                    result = default;
                    return false;
                }

                amslM = a.ValueM + groundFrom;
                break;
            default:
                ThrowHelper.ThrowArgumentOutOfRange(nameof(a), "unknown altitude reference");
                amslM = 0;
                break;
        }

        switch (to)
        {
            case AltitudeReference.Amsl:
                result = Altitude.Amsl(amslM);
                return true;
            case AltitudeReference.W84:
                result = Altitude.W84(amslM + _geoid.UndulationM(at));
                return true;
            case AltitudeReference.Agl:
                if (!TryGround(at, out double groundTo))
                {
                    result = default;
                    return false;
                }

                result = Altitude.Agl(amslM - groundTo);
                return true;
            default:
                ThrowHelper.ThrowArgumentOutOfRange(nameof(to), "unknown altitude reference");
                result = default;
                return false;
        }
    }

    private bool TryGround(GeoPoint at, out double groundAmslM)
    {
        if (_ground is null)
        {
            groundAmslM = 0;
            return false;
        }

        return _ground.TryGetGroundAmslM(at, out groundAmslM);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowNoGround(Altitude a, GeoPoint at, AltitudeReference to) =>
        throw new InvalidOperationException(_ground is null
            ? $"cannot convert {a} to {to.ToString().ToUpperInvariant()}: AGL conversion needs ground elevation data and this converter has none"
            : $"cannot convert {a} to {to.ToString().ToUpperInvariant()}: no ground elevation at {at}");
}
