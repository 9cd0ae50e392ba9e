namespace Yunlu.Formats.Internal;

/// <summary>
/// Collects <see cref="FeatureError"/>s for one file (up to a limit) and the coordinate statistics the
/// lat/lon-order heuristic needs.
/// </summary>
internal sealed class ImportErrors(ImportLimits limits)
{
    // China's bounding box, used by the swapped-coordinate heuristic: lon 73..136 E, lat 3..54 N.
    private const double ChinaMinLatDeg = 3;
    private const double ChinaMaxLatDeg = 54;
    private const double ChinaMinLonDeg = 73;
    private const double ChinaMaxLonDeg = 136;

    private readonly List<FeatureError> _errors = [];
    private long _pairs;
    private long _pairsLookingSwapped;

    public ImportLimits Limits { get; } = limits;

    /// <summary>The feature being read (-1 = the file).</summary>
    public int FeatureIndex { get; set; } = -1;

    /// <summary>The identifier of the feature being read, once known.</summary>
    public string? FeatureId { get; set; }

    public int Count => _errors.Count;

    public bool IsFull => _errors.Count >= Limits.MaxErrors;

    public void BeginFeature(int index)
    {
        FeatureIndex = index;
        FeatureId = null;
    }

    public void Add(string field, string rule, string message)
    {
        if (!IsFull)
        {
            _errors.Add(new FeatureError(FeatureIndex, FeatureId, field, rule, message));
        }
    }

    public void AddFileError(string field, string rule, string message)
    {
        if (!IsFull)
        {
            _errors.Add(new FeatureError(-1, null, field, rule, message));
        }
    }

    /// <summary>Counts one (first, second) coordinate pair as written in the file, before any interpretation.</summary>
    public void CountPair(double first, double second)
    {
        _pairs++;
        if (first >= ChinaMinLatDeg && first <= ChinaMaxLatDeg && second >= ChinaMinLonDeg && second <= ChinaMaxLonDeg)
        {
            _pairsLookingSwapped++;
        }
    }

    /// <summary>The errors, with the lat/lon-order verdict applied: when every pair looked like (lat, lon) in China,
    /// one file-level <see cref="ImportRules.LatLonOrder"/> error replaces the many lat-range errors it explains.</summary>
    public List<FeatureError> Finish()
    {
        if (_pairs > 0 && _pairsLookingSwapped == _pairs)
        {
            _errors.RemoveAll(static e => string.Equals(e.Rule, ImportRules.LatRange, StringComparison.Ordinal));
            _errors.Insert(0, new FeatureError(
                -1,
                null,
                "coordinates",
                ImportRules.LatLonOrder,
                "every coordinate pair looks like (lat, lon) in China (first value within 3..54, second within 73..136); " +
                "GeoJSON, ED-269, ED-318 and KML all write longitude first"));
            if (_errors.Count > Limits.MaxErrors)
            {
                _errors.RemoveRange(Limits.MaxErrors, _errors.Count - Limits.MaxErrors);
            }
        }

        return _errors;
    }
}
