using System.CommandLine;
using System.Text.Json;
using Yunlu.Geo;
using Yunlu.Geo.Grid;
using Yunlu.Server.Airspace;

namespace Yunlu.Cli.Commands;

/// <summary><c>yunlu grid encode|decode</c>: the BeiDou grid location code (GB/T 39409-2020), JSON out.</summary>
public static class GridCommands
{
    /// <summary>The <c>grid</c> command group.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var grid = new Command("grid", "The BeiDou grid location code (GB/T 39409-2020): encode a position, decode a code (JSON out).");
        grid.Subcommands.Add(Encode(stdout, stderr));
        grid.Subcommands.Add(Decode(stdout, stderr));
        return grid;
    }

    private static Command Encode(TextWriter stdout, TextWriter stderr)
    {
        var lat = new Option<double>("--lat") { Description = "Latitude, degrees (CGCS2000 ≈ WGS84, never GCJ-02), |lat| < 88.", Required = true };
        var lon = new Option<double>("--lon") { Description = "Longitude, degrees.", Required = true };
        var height = new Option<double?>("--height") { Description = "Height above the WGS84 ellipsoid, metres (gives a 3-D code); convert MSL/AGL first." };
        var level = new Option<int>("--level") { Description = "Level 1–10 (10 ≈ 1.5 cm cells).", Required = true };
        var command = new Command("encode", "Prints the cell containing a point: level, code, bounds, height band (3-D), centre.") { lat, lon, height, level };
        command.SetAction(async (parse, ct) =>
        {
            double la = parse.GetValue(lat), lo = parse.GetValue(lon);
            int lv = parse.GetValue(level);
            double? h = parse.GetValue(height);
            string? error =
                !double.IsFinite(la) || Math.Abs(la) >= BeiDouGrid.MaxAbsLatDeg ? "--lat: must be a latitude with |lat| < 88 degrees [lat-range]" :
                !double.IsFinite(lo) || lo < -180 || lo > 180 ? "--lon: must be within [-180, 180] degrees [lon-range]" :
                lv is < BeiDouGrid.MinLevel or > BeiDouGrid.MaxLevel ? "--level: must be 1–10 [level-range]" :
                h is { } hh && (!double.IsFinite(hh) || hh <= -BeiDouGrid.HeightR0M || hh > 1e8) ? "--height: metres above the ellipsoid, above -6378137 and at most 1e8 [height-range]" :
                null;
            if (error is not null)
            {
                await stderr.WriteLineAsync($"yunlu grid encode: {error}".AsMemory(), ct).ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            var p = new GeoPoint(lo, la);
            BeiDouGridCell cell = h is { } z ? BeiDouGrid.Locate3D(p, z, lv) : BeiDouGrid.Locate(p, lv);
            await WriteAsync(stdout, cell, ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Decode(TextWriter stdout, TextWriter stderr)
    {
        var code = new Argument<string>("code") { Description = "A 2-D code (e.g. N50J47539B82) or a 3-D code (32-character interleaved, or the 20 + 12 appended form)." };
        var command = new Command("decode", "Prints a code's cell: level, bounds, height band (3-D), centre. Exit 1 naming the position and rule when invalid.") { code };
        command.SetAction(async (parse, ct) =>
        {
            string text = parse.GetValue(code)!;
            BeiDouGridCell cell;
            try
            {
                cell = BeiDouGrid.Decode(text);
            }
            catch (GridCodeFormatException ex)
            {
                await stderr.WriteLineAsync($"yunlu grid decode: {ex.Message}".AsMemory(), ct).ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            await WriteAsync(stdout, cell, ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task WriteAsync(TextWriter stdout, BeiDouGridCell cell, CancellationToken ct)
    {
        string json = JsonSerializer.Serialize(AirspaceMapping.ToDto(cell), AirspaceJsonContext.Default.GridCellDto);
        await stdout.WriteLineAsync(json.AsMemory(), ct).ConfigureAwait(false);
    }
}
