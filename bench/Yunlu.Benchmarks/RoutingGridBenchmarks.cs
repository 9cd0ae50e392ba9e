using BenchmarkDotNet.Attributes;
using Yunlu.Routing.Grid;

namespace Yunlu.Benchmarks;

/// <summary>
/// Exact 3D grid planning on the first problems of the Warframe "Complex" map: the engine (<see cref="GridAStar"/>,
/// forward and backward A* racing, then meeting in the middle), the same engine on two threads, the same engine
/// forward-only, and the jump point search (<see cref="JumpPointSearch3D"/>) against the textbook baseline (<see cref="PlainGridAStar"/>). The data folder is
/// <c>$YUNLU_WARFRAME_DIR</c> or /work/shared/bench-data/warframe.
/// </summary>
[MemoryDiagnoser]
public class RoutingGridBenchmarks
{
    private VoxelGrid _grid = null!;
    private ScenarioProblem[] _problems = [];
    private GridAStar _engine = null!;
    private GridAStar _forward = null!;
    private GridAStar _twoThreads = null!;
    private PlainGridAStar _plain = null!;
    private JumpPointSearch3D _jps = null!;

    [Params(20)]
    public int Problems { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string dir = Environment.GetEnvironmentVariable("YUNLU_WARFRAME_DIR") ?? "/work/shared/bench-data/warframe";
        _grid = MovingAi3D.LoadMap(Path.Combine(dir, "Complex.3dmap"));
        _problems = [.. MovingAi3D.ReadScenario(Path.Combine(dir, "Complex.3dmap.3dscen")).Take(Problems)];
        _engine = new GridAStar(_grid);
        _forward = new GridAStar(_grid) { Bidirectional = false };
        _twoThreads = new GridAStar(_grid) { Threads = 2 };
        _plain = new PlainGridAStar(_grid);
        _jps = new JumpPointSearch3D(_grid);
    }

    [Benchmark(Baseline = true)]
    public double PlainAStar()
    {
        double sum = 0;
        foreach (ScenarioProblem p in _problems) sum += _plain.FindPath(p.Start, p.Goal).LengthVoxels;
        return sum;
    }

    [Benchmark]
    public double EngineAStar()
    {
        double sum = 0;
        foreach (ScenarioProblem p in _problems) sum += _engine.FindPath(p.Start, p.Goal).LengthVoxels;
        return sum;
    }

    [Benchmark]
    public double EngineTwoThreads()
    {
        double sum = 0;
        foreach (ScenarioProblem p in _problems) sum += _twoThreads.FindPath(p.Start, p.Goal).LengthVoxels;
        return sum;
    }

    [Benchmark]
    public double EngineForwardOnly()
    {
        double sum = 0;
        foreach (ScenarioProblem p in _problems) sum += _forward.FindPath(p.Start, p.Goal).LengthVoxels;
        return sum;
    }

    [Benchmark]
    public double JumpPointSearch()
    {
        double sum = 0;
        foreach (ScenarioProblem p in _problems) sum += _jps.FindPath(p.Start, p.Goal).LengthVoxels;
        return sum;
    }

    [Benchmark]
    public double EngineAnyAngle()
    {
        double sum = 0;
        foreach (ScenarioProblem p in _problems) sum += AnyAnglePlanner.Smooth(_grid, _engine.FindPath(p.Start, p.Goal)).LengthVoxels;
        return sum;
    }
}
