using System.Globalization;

namespace Yunlu.Routing.Grid;

/// <summary>One problem of a MovingAI 3D scenario (.3dscen) line.</summary>
/// <param name="Index">0-based position of the problem in the file.</param>
/// <param name="Start">Start voxel.</param>
/// <param name="Goal">Goal voxel.</param>
/// <param name="OptimalLength">Published optimal length in voxel edge lengths.</param>
/// <param name="DifficultyRatio">Published optimal length divided by the octile-3D distance.</param>
public readonly record struct ScenarioProblem(
    int Index, GridPoint Start, GridPoint Goal, double OptimalLength, double DifficultyRatio);

/// <summary>
/// Readers for the MovingAI 3D voxel benchmark files (Brewer &amp; Sturtevant, "Benchmarks for Pathfinding in 3D
/// Voxel Space", SoCS 2018): <c>.3dmap</c> (line 1 <c>voxel W H D</c>, then <c>x y z</c> per blocked voxel) and
/// <c>.3dscen</c> (line 1 <c>version 1</c>, line 2 the map file name, then
/// <c>sx sy sz gx gy gz optimal_length difficulty_ratio</c> per problem). Both are read line by line; a malformed
/// line raises a <see cref="FormatException"/> naming the source, the line number, the field and the rule.
/// </summary>
public static class MovingAi3D
{
    private static readonly char[] Separators = [' ', '\t'];

    /// <summary>Reads a .3dmap file.</summary>
    public static VoxelGrid LoadMap(string path)
    {
        using var reader = new StreamReader(path);
        return ReadMap(reader, Path.GetFileName(path));
    }

    /// <summary>Reads a .3dmap from a reader; <paramref name="sourceName"/> is used in error messages.</summary>
    /// <exception cref="FormatException">The header or a voxel line is malformed or a voxel lies outside the box.</exception>
    public static VoxelGrid ReadMap(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string? header = reader.ReadLine();
        if (header is null) throw Error(sourceName, 1, "header", "the file is empty; expected 'voxel W H D'");
        string[] h = header.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        if (h.Length != 4 || !string.Equals(h[0], "voxel", StringComparison.OrdinalIgnoreCase))
        {
            throw Error(sourceName, 1, "header", $"expected 'voxel W H D', got '{Clip(header)}'");
        }

        int w = ParseSize(h[1], sourceName, "W");
        int hgt = ParseSize(h[2], sourceName, "H");
        int d = ParseSize(h[3], sourceName, "D");
        VoxelGrid grid;
        try
        {
            grid = new VoxelGrid(w, hgt, d);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw Error(sourceName, 1, "header", e.Message);
        }

        int lineNo = 1;
        string? line;
        Span<Range> parts = stackalloc Range[4];
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            ReadOnlySpan<char> span = line.AsSpan().Trim();
            if (span.IsEmpty) continue;
            int n = span.SplitAny(parts, " \t", StringSplitOptions.RemoveEmptyEntries);
            if (n != 3) throw Error(sourceName, lineNo, "voxel", $"expected three integers 'x y z', got '{Clip(line)}'");
            int x = ParseCoordinate(span[parts[0]], w, sourceName, lineNo, "x");
            int y = ParseCoordinate(span[parts[1]], hgt, sourceName, lineNo, "y");
            int z = ParseCoordinate(span[parts[2]], d, sourceName, lineNo, "z");
            grid.SetBlocked(x, y, z);
        }

        return grid;
    }

    /// <summary>Streams the problems of a .3dscen file (the file stays open until enumeration ends).</summary>
    public static IEnumerable<ScenarioProblem> ReadScenario(string path)
    {
        using var reader = new StreamReader(path);
        foreach (var p in ReadScenario(reader, Path.GetFileName(path))) yield return p;
    }

    /// <summary>Streams the problems of a .3dscen text; <paramref name="sourceName"/> is used in error messages.</summary>
    /// <exception cref="FormatException">The version line or a problem line is malformed (raised when reached).</exception>
    public static IEnumerable<ScenarioProblem> ReadScenario(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string? version = reader.ReadLine();
        if (version is null) throw Error(sourceName, 1, "version", "the file is empty; expected 'version 1'");
        string[] v = version.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        if (v.Length != 2 || !string.Equals(v[0], "version", StringComparison.OrdinalIgnoreCase))
        {
            throw Error(sourceName, 1, "version", $"expected 'version N', got '{Clip(version)}'");
        }

        if (reader.ReadLine() is null) throw Error(sourceName, 2, "map", "expected the map file name on line 2");
        int lineNo = 2;
        int index = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (line.AsSpan().Trim().IsEmpty) continue;
            yield return ParseProblem(line, index++, sourceName, lineNo);
        }
    }

    private static ScenarioProblem ParseProblem(string line, int index, string source, int lineNo)
    {
        Span<Range> parts = stackalloc Range[9];
        ReadOnlySpan<char> span = line.AsSpan().Trim();
        int n = span.SplitAny(parts, " \t", StringSplitOptions.RemoveEmptyEntries);
        if (n != 8)
        {
            throw Error(source, lineNo, "problem",
                $"expected 8 fields 'sx sy sz gx gy gz optimal_length difficulty_ratio', got {n} in '{Clip(line)}'");
        }

        int sx = ParseIndex(span[parts[0]], source, lineNo, "sx");
        int sy = ParseIndex(span[parts[1]], source, lineNo, "sy");
        int sz = ParseIndex(span[parts[2]], source, lineNo, "sz");
        int gx = ParseIndex(span[parts[3]], source, lineNo, "gx");
        int gy = ParseIndex(span[parts[4]], source, lineNo, "gy");
        int gz = ParseIndex(span[parts[5]], source, lineNo, "gz");
        double optimal = ParseNonNegative(span[parts[6]], source, lineNo, "optimal_length");
        double ratio = ParseNonNegative(span[parts[7]], source, lineNo, "difficulty_ratio");
        return new ScenarioProblem(index, new GridPoint(sx, sy, sz), new GridPoint(gx, gy, gz), optimal, ratio);
    }

    private static int ParseSize(string text, string source, string field)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v < 1)
        {
            throw Error(source, 1, field, $"must be a positive integer, got '{Clip(text)}'");
        }

        return v;
    }

    private static int ParseCoordinate(ReadOnlySpan<char> text, int size, string source, int lineNo, string field)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v))
        {
            throw Error(source, lineNo, field, $"must be an integer, got '{Clip(text.ToString())}'");
        }

        if ((uint)v >= (uint)size) throw Error(source, lineNo, field, $"must be in [0, {size}), got {v}");
        return v;
    }

    private static int ParseIndex(ReadOnlySpan<char> text, string source, int lineNo, string field)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) || v < 0)
        {
            throw Error(source, lineNo, field, $"must be a non-negative integer, got '{Clip(text.ToString())}'");
        }

        return v;
    }

    private static double ParseNonNegative(ReadOnlySpan<char> text, string source, int lineNo, string field)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ||
            !double.IsFinite(v) || v < 0)
        {
            throw Error(source, lineNo, field, $"must be a finite non-negative number, got '{Clip(text.ToString())}'");
        }

        return v;
    }

    private static string Clip(string s) => s.Length <= 80 ? s : string.Concat(s.AsSpan(0, 80), "…");

    private static FormatException Error(string source, int line, string field, string rule) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{source} line {line}: field '{field}' {rule}."));
}
