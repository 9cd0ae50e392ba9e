namespace Yunlu.Geo;

/// <summary>What an altitude is measured from. An altitude value never travels without one.</summary>
public enum AltitudeReference
{
    /// <summary>True height (真高): metres above the ground (terrain surface, without buildings) directly below.</summary>
    Agl,

    /// <summary>Metres above mean sea level, realised by the EGM96 geoid.</summary>
    Amsl,

    /// <summary>Metres above the WGS84 ellipsoid (GNSS height; the reference of ASTM F3548 and the BeiDou grid).</summary>
    W84,
}

/// <summary>An altitude in metres with the reference it is measured from.</summary>
/// <param name="ValueM">Metres above <paramref name="Reference"/>.</param>
/// <param name="Reference">The reference surface.</param>
public readonly record struct Altitude(double ValueM, AltitudeReference Reference)
{
    /// <summary>Metres above ground level (true height).</summary>
    public static Altitude Agl(double valueM) => new(valueM, AltitudeReference.Agl);

    /// <summary>Metres above mean sea level (EGM96).</summary>
    public static Altitude Amsl(double valueM) => new(valueM, AltitudeReference.Amsl);

    /// <summary>Metres above the WGS84 ellipsoid.</summary>
    public static Altitude W84(double valueM) => new(valueM, AltitudeReference.W84);

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{ValueM:0.###} m {Reference.ToString().ToUpperInvariant()}");
}
