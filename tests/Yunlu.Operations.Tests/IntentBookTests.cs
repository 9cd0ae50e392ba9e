using System.Collections.Concurrent;
using Yunlu.Airspace.Operations;
using Yunlu.Geo;

namespace Yunlu.Operations.Tests;

public sealed class IntentBookTests
{
    [Fact]
    public async Task SubmitAsync_ManyParallelPairwiseConflicting_NoTwoAcceptedConflict()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var index = new IntentIndex();
        using var book = new IntentBook(new StrategicChecker(index), new FixedClock());
        var committer = new YieldingCommitter();
        var rnd = new Random(11);
        // 400 intents in a 2 × 2 km square over two hours: many pairs conflict, from several lock cells.
        List<OperationalIntent> intents = [.. Enumerable.Range(0, 400).Select(_ => TestData.Intent(Guid.NewGuid(), IntentPriority.Normal, TestData.RandomVolume(rnd), TestData.RandomVolume(rnd)))];
        var acknowledged = new ConcurrentDictionary<Guid, BookingStatus>();
        await Parallel.ForEachAsync(intents, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (intent, token) =>
        {
            BookingResult r = await book.SubmitAsync(intent, committer: committer, cancellationToken: token);
            acknowledged[intent.Id] = r.Status;
        });

        List<OperationalIntent> accepted = [.. book.Snapshot().Where(i => i.State == IntentState.Accepted)];
        Assert.InRange(accepted.Count, 2, 399);
        for (int a = 0; a < accepted.Count; a++)
        {
            for (int b = a + 1; b < accepted.Count; b++)
            {
                Assert.False(accepted[a].Volumes.Any(va => accepted[b].Volumes.Any(va.Intersects)), $"{accepted[a].Id} and {accepted[b].Id} both accepted but conflict");
            }
        }

        Assert.Equal(accepted.Select(i => i.Id).Order(), acknowledged.Where(kv => kv.Value == BookingStatus.Accepted).Select(kv => kv.Key).Order());
        Assert.Equal(accepted.Select(i => i.Id).Order(), committer.Committed.Where(kv => kv.Value == IntentState.Accepted).Select(kv => kv.Key).Order());
        Assert.Equal(accepted.Count, index.IntentCount);
    }

    [Fact]
    public async Task SubmitAsync_OrderedCommitterManyParallel_NoTwoAcceptedConflictAllDurable()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var index = new IntentIndex();
        using var book = new IntentBook(new StrategicChecker(index), new FixedClock());
        var committer = new FifoCommitter();
        var rnd = new Random(12);
        List<OperationalIntent> intents = [.. Enumerable.Range(0, 400).Select(_ => TestData.Intent(Guid.NewGuid(), IntentPriority.Normal, TestData.RandomVolume(rnd), TestData.RandomVolume(rnd)))];
        var acknowledged = new ConcurrentDictionary<Guid, BookingStatus>();
        await Parallel.ForEachAsync(intents, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (intent, token) =>
        {
            BookingResult r = await book.SubmitAsync(intent, committer: committer, cancellationToken: token);
            acknowledged[intent.Id] = r.Status;
        });

        List<OperationalIntent> accepted = [.. book.Snapshot().Where(i => i.State == IntentState.Accepted)];
        Assert.InRange(accepted.Count, 2, 399);
        for (int a = 0; a < accepted.Count; a++)
        {
            for (int b = a + 1; b < accepted.Count; b++)
            {
                Assert.False(accepted[a].Volumes.Any(va => accepted[b].Volumes.Any(va.Intersects)), $"{accepted[a].Id} and {accepted[b].Id} both accepted but conflict");
            }
        }

        // Every acknowledged acceptance is durable, and nothing else was stored as accepted.
        Assert.Equal(accepted.Select(i => i.Id).Order(), acknowledged.Where(kv => kv.Value == BookingStatus.Accepted).Select(kv => kv.Key).Order());
        Assert.Equal(accepted.Select(i => i.Id).Order(), committer.Committed.Where(kv => kv.Value == IntentState.Accepted).Select(kv => kv.Key).Order());
    }

    [Fact]
    public async Task SubmitAsync_OrderedCommitFails_IntentLeavesBookAndIndex()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var index = new IntentIndex();
        using var book = new IntentBook(new StrategicChecker(index), new FixedClock());
        Volume4D v = TestData.Box(106.70, 26.60, 106.701, 26.601, 1000, 1030, 0, 10);
        OperationalIntent first = TestData.Intent(Guid.NewGuid(), IntentPriority.Normal, v);
        var committer = new FifoCommitter { Refuse = first.Id };
        BookingResult r1 = await book.SubmitAsync(first, committer: committer, cancellationToken: ct);
        Assert.Equal(BookingStatus.Stale, r1.Status);
        Assert.Null(book.Get(first.Id));
        Assert.False(index.Contains(first.Id));
        BookingResult r2 = await book.SubmitAsync(TestData.Intent(Guid.NewGuid(), IntentPriority.Normal, v), committer: committer, cancellationToken: ct);
        Assert.Equal(BookingStatus.Accepted, r2.Status);
    }

    [Fact]
    public async Task SubmitAsync_AllSameVolumeInParallel_ExactlyOneAccepted()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var index = new IntentIndex();
        using var book = new IntentBook(new StrategicChecker(index), new FixedClock());
        Volume4D v = TestData.Box(106.70, 26.60, 106.701, 26.601, 1000, 1030, 0, 10);
        BookingResult[] results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ =>
            Task.Run(async () => await book.SubmitAsync(TestData.Intent(Guid.NewGuid(), IntentPriority.Normal, v), committer: new YieldingCommitter(), cancellationToken: ct), ct)));
        Assert.Single(results, r => r.Status == BookingStatus.Accepted);
        Assert.All(results.Where(r => r.Status != BookingStatus.Accepted), r =>
        {
            Assert.Equal(BookingStatus.Rejected, r.Status);
            Assert.NotEmpty(r.Intent!.Reasons);
        });
    }

    [Fact]
    public async Task ModifyAsync_RejectedThenResolution_Accepted()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var index = new IntentIndex();
        using var book = new IntentBook(new StrategicChecker(index), new FixedClock());
        await book.SubmitAsync(TestData.Intent(Guid.NewGuid(), IntentPriority.Normal, TestData.Box(106.70, 26.60, 106.72, 26.62, 1000, 1030, 0, 20)), cancellationToken: ct);
        BookingResult rejected = await book.SubmitAsync(TestData.Intent(Guid.NewGuid(), IntentPriority.Normal, TestData.Box(106.71, 26.61, 106.73, 26.63, 1000, 1030, 5, 15)), cancellationToken: ct);
        Assert.Equal(BookingStatus.Rejected, rejected.Status);
        Resolution shift = book.Checker.FindEarliestStartShift(rejected.Intent!, TimeSpan.FromHours(1))!;
        Assert.Equal(TimeSpan.FromMinutes(15), shift.StartShift);
        BookingResult stale = await book.ModifyAsync(rejected.Intent!.Id, Ovn.New(), shift.Volumes, cancellationToken: ct);
        Assert.Equal(BookingStatus.Stale, stale.Status);
        BookingResult accepted = await book.ModifyAsync(rejected.Intent!.Id, rejected.Intent.Ovn, shift.Volumes, cancellationToken: ct);
        Assert.Equal(BookingStatus.Accepted, accepted.Status);
        Assert.True(index.Contains(rejected.Intent.Id));
    }

    [Fact]
    public async Task TransitionAsync_Lifecycle_IndexFollowsBlockingStates()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var index = new IntentIndex();
        using var book = new IntentBook(new StrategicChecker(index), new FixedClock());
        BookingResult r = await book.SubmitAsync(TestData.Intent(Guid.NewGuid(), IntentPriority.Normal, TestData.Box(106.70, 26.60, 106.72, 26.62, 1000, 1030, 0, 20)), cancellationToken: ct);
        Guid id = r.Intent!.Id;
        IntentChangeResult act = await book.TransitionAsync(id, r.Intent.Ovn, IntentState.Activated, cancellationToken: ct);
        Assert.True(act.IsOk);
        Assert.True(index.Contains(id));
        IntentChangeResult bad = await book.TransitionAsync(id, act.Intent!.Ovn, IntentState.Withdrawn, cancellationToken: ct);
        Assert.Equal(IntentChangeStatus.InvalidTransition, bad.Status);
        IntentChangeResult end = await book.TransitionAsync(id, act.Intent.Ovn, IntentState.Ended, cancellationToken: ct);
        Assert.True(end.IsOk);
        Assert.False(index.Contains(id));
    }

    [Fact]
    public async Task SubmitAsync_InvalidIntent_NothingStored()
    {
        using var index = new IntentIndex();
        using var book = new IntentBook(new StrategicChecker(index), new FixedClock());
        BookingResult r = await book.SubmitAsync(TestData.Intent(Guid.NewGuid(), IntentPriority.Normal), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(BookingStatus.Invalid, r.Status);
        Assert.Equal(0, book.Count);
        Assert.Equal(0, index.IntentCount);
    }

    [Fact]
    public async Task SubmitAsync_ManualApproval_PendingThenApprovedUnderCheck()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var index = new IntentIndex();
        using var book = new IntentBook(new StrategicChecker(index), new FixedClock());
        Volume4D v = TestData.Box(106.70, 26.60, 106.72, 26.62, 1000, 1030, 0, 20);
        BookingResult pending = await book.SubmitAsync(TestData.Intent(Guid.NewGuid(), IntentPriority.Normal, v), autoApprove: false, cancellationToken: ct);
        Assert.Equal(BookingStatus.PendingApproval, pending.Status);
        Assert.False(index.Contains(pending.Intent!.Id));
        await book.SubmitAsync(TestData.Intent(Guid.NewGuid(), IntentPriority.Normal, v), cancellationToken: ct);
        BookingResult approved = await book.ApproveAsync(pending.Intent.Id, pending.Intent.Ovn, cancellationToken: ct);
        Assert.Equal(BookingStatus.Rejected, approved.Status);
    }

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => TestData.T0.AddMinutes(-5);
    }

    private sealed class YieldingCommitter : IIntentCommitter
    {
        public ConcurrentDictionary<Guid, IntentState> Committed { get; } = new();

        public async ValueTask<CommitOutcome> CommitAsync(OperationalIntent next, OperationalIntent? previous, IReadOnlyList<long> lockKeys, CancellationToken cancellationToken)
        {
            Assert.NotEmpty(lockKeys);
            await Task.Yield();
            Committed[next.Id] = next.State;
            return CommitOutcome.Ok;
        }
    }

    /// <summary>An ordered committer: writes complete later, on another thread; one id can be refused.</summary>
    private sealed class FifoCommitter : IOrderedIntentCommitter
    {
        public ConcurrentDictionary<Guid, IntentState> Committed { get; } = new();

        public Guid Refuse { get; init; }

        public Task<CommitOutcome> EnqueueNew(OperationalIntent next, IReadOnlyList<long> lockKeys)
        {
            Assert.NotEmpty(lockKeys);
            return Task.Run(async () =>
            {
                await Task.Yield();
                if (next.Id == Refuse)
                {
                    return new CommitOutcome(false, ["refused by the test"]);
                }

                Committed[next.Id] = next.State;
                return CommitOutcome.Ok;
            });
        }

        public async ValueTask<CommitOutcome> CommitAsync(OperationalIntent next, OperationalIntent? previous, IReadOnlyList<long> lockKeys, CancellationToken cancellationToken)
        {
            await Task.Yield();
            Committed[next.Id] = next.State;
            return CommitOutcome.Ok;
        }
    }
}
