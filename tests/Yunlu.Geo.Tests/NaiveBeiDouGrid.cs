using System.Globalization;

namespace Yunlu.Geo.Tests;

/// <summary>
/// An independent, deliberately naive floating-point reference: repeated remainders in seconds of arc and string
/// concatenation, straight from the table in GB/T 39409-2020.
/// </summary>
internal static class NaiveBeiDouGrid
{
    public static string Encode(double lonDeg, double latDeg, int level)
    {
        double lonSec = Math.Abs(lonDeg) * 3600;
        double latSec = Math.Abs(latDeg) * 3600;
        int col = lonDeg >= 0 ? 31 + (int)Math.Floor(lonSec / 21600) : 30 - (int)Math.Floor(lonSec / 21600);
        if (col > 60)
        {
            col = 60;
        }

        if (col < 1)
        {
            col = 1;
        }

        string code = (latDeg >= 0 ? "N" : "S") + col.ToString("00", CultureInfo.InvariantCulture) + (char)('A' + (int)Math.Floor(latSec / 14400));
        double rl = lonSec % 21600, rb = latSec % 14400;
        double[] lonSizes = [1800, 900, 60, 4, 2, 0.25, 0.25 / 8, 0.25 / 64, 0.25 / 512];
        double[] latSizes = [1800, 600, 60, 4, 2, 0.25, 0.25 / 8, 0.25 / 64, 0.25 / 512];
        for (int lv = 2; lv <= level; lv++)
        {
            int x = (int)Math.Floor(rl / lonSizes[lv - 2]);
            int y = (int)Math.Floor(rb / latSizes[lv - 2]);
            rl -= x * lonSizes[lv - 2];
            rb -= y * latSizes[lv - 2];
            code += lv is 3 or 6
                ? ((2 * y) + x).ToString(CultureInfo.InvariantCulture)
                : x.ToString("X", CultureInfo.InvariantCulture) + y.ToString("X", CultureInfo.InvariantCulture);
        }

        return code;
    }
}
