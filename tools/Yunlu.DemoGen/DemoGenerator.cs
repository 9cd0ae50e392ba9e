namespace Yunlu.DemoGen;

/// <summary>Writes every file of the Guiyang demo data set into a folder. Same seed, same bytes.</summary>
internal static class DemoGenerator
{
    /// <summary>The seed the committed data/demo was generated with (the airport's elevation in metres).</summary>
    public const ulong DefaultSeed = 1140;

    /// <summary>The demo GeoTIFF's file name.</summary>
    public const string DemFileName = "guiyang-dem-1arcsec.tif";

    /// <summary>The SRTM3 tile's file name (the 1° square 106–107° E, 26–27° N).</summary>
    public static readonly string HgtFileName = DemFiles.HgtName(106, 26);

    /// <summary>Every file the generator writes.</summary>
    public static IReadOnlyList<string> FileNames =>
    [
        DemFileName,
        HgtFileName,
        "buildings.geojson",
        "zones-ed269.json",
        "zones-ed318.geojson",
        "zones.kml",
        "sites.geojson",
    ];

    /// <summary>Generates all demo files into <paramref name="outDir"/> (created when missing) and returns their paths.</summary>
    public static IReadOnlyList<string> Generate(string outDir, ulong seed, CancellationToken cancellationToken, Action<string>? log = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Directory.CreateDirectory(outDir);
        var terrain = new KarstTerrain(seed);
        var written = new List<string>();
        string PathOf(string name)
        {
            var p = Path.Combine(outDir, name);
            log?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds,6:0.0} s  writing {name}"));
            written.Add(p);
            return p;
        }

        var dem = DemFiles.SampleRegion(terrain, cancellationToken);
        DemFiles.WriteGeoTiff(PathOf(DemFileName), dem, DemFiles.Description(seed));
        DemFiles.WriteHgt(PathOf(HgtFileName), terrain, 106, 26, cancellationToken);

        cancellationToken.ThrowIfCancellationRequested();
        Buildings.Write(PathOf("buildings.geojson"), Buildings.Generate(terrain, seed));
        ZoneFiles.WriteEd269(PathOf("zones-ed269.json"), ZoneFiles.Ed269Zones());
        ZoneFiles.WriteEd318(PathOf("zones-ed318.geojson"), ZoneFiles.Ed318Zones());
        ZoneFiles.WriteKml(PathOf("zones.kml"), ZoneFiles.KmlZones());
        Sites.Write(PathOf("sites.geojson"), Sites.All(), terrain);
        return written;
    }
}
