using System.Diagnostics;
using Yunlu.Cli;

namespace Yunlu.Server.Tests;

/// <summary>The <c>yunlu</c> command, run in-process (root command with captured output) and once as a real process.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TempFolder _data = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _data.Dispose();

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await YunluCli.RunAsync(args, stdout, stderr, Ct);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    [Theory]
    [InlineData("--help")]
    [InlineData("serve", "--help")]
    [InlineData("import", "--help")]
    [InlineData("export", "--help")]
    [InlineData("info", "--help")]
    [InlineData("token", "--help")]
    public async Task Help_EveryCommand_ExitsZeroAndDescribes(params string[] args)
    {
        var (code, output, _) = await RunAsync(args);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("import", "zones")]
    [InlineData("import", "rivers", "x.json")]
    [InlineData("info", "--bogus")]
    public async Task BadUsage_ExitsTwo(params string[] args)
    {
        var (code, _, err) = await RunAsync(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.False(string.IsNullOrWhiteSpace(err));
    }

    [Fact]
    public async Task Import_BadFile_ExitsOneWithOneLineNamingFeatureAndRule_StoresNothing()
    {
        var (code, _, err) = await RunAsync("import", "zones", Data("bad-ed269.json"), "--data", _data.Path);
        Assert.Equal(ExitCodes.InvalidInput, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("feature 0 (B0)", line, StringComparison.Ordinal);
        Assert.Contains("[restriction-unknown]", line, StringComparison.Ordinal);
        var (_, info, _) = await RunAsync("info", "--data", _data.Path, "--json");
        Assert.Contains("\"zones\":0", info, StringComparison.Ordinal);
        Assert.Contains("\"imports\":0", info, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_DryRunThenReal_OnlyRealStores()
    {
        var (dry, dryOut, _) = await RunAsync("import", "zones", Data("guiyang-ed269.json"), "--data", _data.Path, "--dry-run");
        Assert.Equal(ExitCodes.Ok, dry);
        Assert.Contains("would import 4", dryOut, StringComparison.Ordinal);
        Assert.Contains("\"zones\":0", (await RunAsync("info", "--data", _data.Path, "--json")).Out, StringComparison.Ordinal);

        var (code, output, _) = await RunAsync("import", "zones", Data("guiyang-ed269.json"), "--data", _data.Path);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("imported 4", output, StringComparison.Ordinal);
        Assert.Contains("\"zones\":4", (await RunAsync("info", "--data", _data.Path, "--json")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_Kml_WritesAFileTheReaderAccepts()
    {
        Assert.Equal(ExitCodes.Ok, (await RunAsync("import", "zones", Data("guiyang-ed269.json"), "--data", _data.Path)).Code);
        var file = Path.Combine(_data.Path, "out.kml");
        var (code, _, _) = await RunAsync("export", "zones", "--format", "kml", "--out", file, "--data", _data.Path);
        Assert.Equal(ExitCodes.Ok, code);
        using var stream = File.OpenRead(file);
        var read = Yunlu.Formats.ZoneFiles.Read(stream, "out.kml");
        Assert.True(read.Ok);
        Assert.Equal(4, read.Items.Count);
    }

    [Fact]
    public async Task Token_PrintsJwtWithRoles_UnknownRoleExitsOne()
    {
        var (code, output, _) = await RunAsync("token", "--roles", "manager,admin", "--data", _data.Path);
        Assert.Equal(ExitCodes.Ok, code);
        var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(output.Trim());
        Assert.Equal(["admin", "manager"], jwt.Claims.Where(c => c.Type == "roles").Select(c => c.Value).Order(StringComparer.Ordinal));
        Assert.Equal(ExitCodes.InvalidInput, (await RunAsync("token", "--roles", "pilot", "--data", _data.Path)).Code);
    }

    [Fact]
    public async Task Info_UnreachablePostgres_ExitsThree()
    {
        var (code, _, err) = await RunAsync("info", "--data", _data.Path, "--postgres", "Host=127.0.0.1;Port=1;Username=x;Database=x;Timeout=2");
        Assert.Equal(ExitCodes.StoreUnavailable, code);
        Assert.Contains("store unavailable", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RealProcess_ImportBadFile_ExitsOne()
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "yunlu.dll"), "import", "zones", Data("bad-ed269.json"), "--data", _data.Path },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var err = await process.StandardError.ReadToEndAsync(Ct);
        _ = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.Equal(ExitCodes.InvalidInput, process.ExitCode);
        Assert.Contains("[restriction-unknown]", err, StringComparison.Ordinal);
    }
}
