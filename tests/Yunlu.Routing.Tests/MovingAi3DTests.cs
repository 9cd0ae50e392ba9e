using Yunlu.Routing.Grid;

namespace Yunlu.Routing.Tests;

public sealed class MovingAi3DTests
{
    private static VoxelGrid Map(string text) => MovingAi3D.ReadMap(new StringReader(text), "t.3dmap");

    private static List<ScenarioProblem> Scen(string text) => [.. MovingAi3D.ReadScenario(new StringReader(text), "t.3dscen")];

    [Fact]
    public void ReadMap_Valid_SetsSizeAndBlockedVoxels()
    {
        VoxelGrid grid = Map("voxel 4 3 2\n0 0 0\n3 2 1\n\n");
        Assert.Equal((4, 3, 2), (grid.Width, grid.Height, grid.Depth));
        Assert.Equal(2, grid.BlockedCount);
        Assert.True(grid.IsBlocked(3, 2, 1));
        Assert.False(grid.IsBlocked(1, 1, 1));
    }

    [Fact]
    public void ReadMap_SimpleMap_MatchesHeader()
    {
        VoxelGrid grid = MovingAi3D.LoadMap(Reference.DataPath("Simple.3dmap"));
        Assert.Equal((105, 132, 105), (grid.Width, grid.Height, grid.Depth));
        Assert.Equal(File.ReadLines(Reference.DataPath("Simple.3dmap")).Count() - 1, grid.BlockedCount);
    }

    [Theory]
    [InlineData("", "line 1: field 'header'")]
    [InlineData("grid 4 3 2\n", "line 1: field 'header'")]
    [InlineData("voxel 4 0 2\n", "line 1: field 'H'")]
    [InlineData("voxel 4 x 2\n", "line 1: field 'H'")]
    [InlineData("voxel 4 3 2\n0 0\n", "line 2: field 'voxel'")]
    [InlineData("voxel 4 3 2\n0 0 0\n4 0 0\n", "line 3: field 'x' must be in [0, 4)")]
    [InlineData("voxel 4 3 2\n0 -1 0\n", "line 2: field 'y'")]
    [InlineData("voxel 4 3 2\n0 0 z\n", "line 2: field 'z' must be an integer")]
    public void ReadMap_Malformed_ThrowsNamingLineAndField(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => Map(text));
        Assert.Contains("t.3dmap " + expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadScenario_Valid_StreamsProblems()
    {
        List<ScenarioProblem> problems = Scen("version 1\nm.3dmap\n1 2 3 4 5 6 7.5 1.25\n\n0 0 0 1 1 1 1.73205081 1.000\n");
        Assert.Equal(2, problems.Count);
        Assert.Equal(new ScenarioProblem(0, new GridPoint(1, 2, 3), new GridPoint(4, 5, 6), 7.5, 1.25), problems[0]);
        Assert.Equal(1, problems[1].Index);
    }

    [Theory]
    [InlineData("", "line 1: field 'version'")]
    [InlineData("vers 1\nm\n", "line 1: field 'version'")]
    [InlineData("version 1\n", "line 2: field 'map'")]
    [InlineData("version 1\nm\n1 2 3 4 5 6 7\n", "line 3: field 'problem' expected 8 fields")]
    [InlineData("version 1\nm\n1 2 3 4 5 6 7 1 9\n", "line 3: field 'problem'")]
    [InlineData("version 1\nm\n1 2 3 4 5 -6 7 1\n", "line 3: field 'gz'")]
    [InlineData("version 1\nm\n1 2 3 4 5 6 -7 1\n", "line 3: field 'optimal_length'")]
    [InlineData("version 1\nm\n1 2 3 4 5 6 7 1\n1 2 3 4 5 6 7 NaN\n", "line 4: field 'difficulty_ratio'")]
    public void ReadScenario_Malformed_ThrowsNamingLineAndField(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => Scen(text));
        Assert.Contains("t.3dscen " + expected, e.Message, StringComparison.Ordinal);
    }
}
