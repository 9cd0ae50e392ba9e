using System.Numerics;
using CsCheck;
using Yunlu.Routing.Grid;

namespace Yunlu.Routing.Tests;

public sealed class GridStrictPruningTests
{
    /// <summary>Independent brute force: shortest path inside a 3 × 3 × 3 block from a to b that never visits the centre.</summary>
    private static double AroundCentre(VoxelGrid block, GridPoint a, GridPoint b)
    {
        var centre = new GridPoint(1, 1, 1);
        var dist = new Dictionary<GridPoint, double> { [a] = 0 };
        var queue = new PriorityQueue<GridPoint, double>();
        queue.Enqueue(a, 0);
        while (queue.TryDequeue(out GridPoint p, out double dp))
        {
            if (dp > dist[p]) continue;
            if (p == b) return dp;
            for (int dz = -1; dz <= 1; dz++)
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        var q = new GridPoint(p.X + dx, p.Y + dy, p.Z + dz);
                        if (q == centre || !block.Contains(q) || !Reference.MoveAllowed(block, p, q)) continue;
                        double nd = dp + Reference.StepCost(p, q);
                        if (!dist.TryGetValue(q, out double old) || nd < old)
                        {
                            dist[q] = nd;
                            queue.Enqueue(q, nd);
                        }
                    }
        }

        return double.PositiveInfinity;
    }

    private static VoxelGrid Block(int free)
    {
        var block = new VoxelGrid(3, 3, 3);
        for (int c = 0; c < 27; c++)
            if ((free & (1 << c)) == 0) block.SetBlocked(c % 3, (c / 3) % 3, c / 9);
        return block;
    }

    [Fact]
    public void Get_AllFree_Keeps9StraightOr5TwoAxisOr7ThreeAxis()
    {
        for (int d = 0; d < 26; d++)
        {
            int kept = BitOperations.PopCount((uint)StrictPruning.Get(d, StrictPruning.AllFree));
            int axes = Math.Abs(GridMoves.Dx[d]) + Math.Abs(GridMoves.Dy[d]) + Math.Abs(GridMoves.Dz[d]);
            Assert.Equal(axes switch { 1 => 9, 2 => 5, _ => 7 }, kept);
        }

        Assert.Equal((1 << 26) - 1, StrictPruning.Get(26, StrictPruning.AllFree));
    }

    [Fact]
    public void Compute_RandomBlocks_PrunedMovesHaveStrictlyShorterWayAroundAndKeptAreLegal()
    {
        Gen.Select(Gen.Int[0, 25], Gen.Int[0, (1 << 27) - 1], Gen.Double[0, 0.4]).Sample((d, bits, density) =>
        {
            var rng = new Random(bits);
            int free = StrictPruning.AllFree;
            for (int c = 0; c < 27; c++)
                if (c != 13 && rng.NextDouble() < density) free &= ~(1 << c);
            var p = new GridPoint(1 - GridMoves.Dx[d], 1 - GridMoves.Dy[d], 1 - GridMoves.Dz[d]);
            if ((free & (1 << (p.X + (3 * p.Y) + (9 * p.Z)))) == 0) return; // the parent must be free
            VoxelGrid block = Block(free);
            var centre = new GridPoint(1, 1, 1);
            if (!Reference.MoveAllowed(block, p, centre)) return; // d itself must be a legal move
            int kept = StrictPruning.Compute(d, free);
            int got = StrictPruning.Get(d, free);
            Assert.Equal(kept, kept & got); // Get prunes no more than Compute
            kept = got; // and each move Get prunes needs its own shorter way around
            for (int e = 0; e < 26; e++)
            {
                var m = new GridPoint(1 + GridMoves.Dx[e], 1 + GridMoves.Dy[e], 1 + GridMoves.Dz[e]);
                bool legal = Reference.MoveAllowed(block, centre, m);
                if ((got & (1 << e)) != 0) Assert.True(legal);
                if (!legal || (kept & (1 << e)) != 0) continue;
                double viaCentre = Reference.StepCost(p, centre) + Reference.StepCost(centre, m);
                Assert.True(AroundCentre(block, p, m) < viaCentre - 1e-9, $"move {e} after {d} pruned without a shorter way");
            }
        }, iter: 3000);
    }
}
