using System.Collections.Concurrent;
using Yunlu.Geo;

namespace Yunlu.Airspace.Operations;

/// <summary>Tuning of <see cref="IntentBook"/>.</summary>
public sealed record IntentBookOptions
{
    /// <summary>The defaults.</summary>
    public static IntentBookOptions Default { get; } = new();

    /// <summary>Edge of a booking lock cell, degrees (default 0.02° ≈ 2 km).</summary>
    public double LockCellDeg { get; init; } = 0.02;

    /// <summary>Length of a booking lock time bucket (default 30 min).</summary>
    public TimeSpan LockBucket { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Number of in-process lock stripes (keys are hashed onto them). Default 1024.</summary>
    public int Stripes { get; init; } = 1024;

    /// <summary>Validation limits.</summary>
    public IntentLimits Limits { get; init; } = IntentLimits.Default;
}

/// <summary>The outcome kind of a booking request.</summary>
public enum BookingStatus
{
    /// <summary>Accepted: conflict-free, stored and in the index.</summary>
    Accepted,

    /// <summary>Rejected with reasons (the report lists the conflicts); stored as Rejected.</summary>
    Rejected,

    /// <summary>Conflict-free but waiting for a manager's decision (stays Submitted, blocks nobody).</summary>
    PendingApproval,

    /// <summary>Input broke a rule; nothing stored.</summary>
    Invalid,

    /// <summary>The OVN given is stale (HTTP 409); nothing changed.</summary>
    Stale,

    /// <summary>The state does not allow the request (HTTP 409); nothing changed.</summary>
    InvalidTransition,

    /// <summary>No such intent (HTTP 404).</summary>
    NotFound,

    /// <summary>An intent with this id exists already (HTTP 409).</summary>
    Duplicate,
}

/// <summary>The answer to a booking request.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Intent">The intent's version after the request (null when nothing was stored).</param>
/// <param name="Report">The conflicts found (null when no check ran).</param>
/// <param name="Errors">Input or state errors.</param>
public sealed record BookingResult(BookingStatus Status, OperationalIntent? Intent, DeconflictionReport? Report, IReadOnlyList<IntentError> Errors);

/// <summary>What the shared store said about a new version.</summary>
/// <param name="Committed">True when stored.</param>
/// <param name="Reasons">Why not (e.g. another server booked a conflicting intent first).</param>
public sealed record CommitOutcome(bool Committed, IReadOnlyList<string> Reasons)
{
    /// <summary>Stored.</summary>
    public static CommitOutcome Ok { get; } = new(true, []);
}

/// <summary>
/// Persists new intent versions while the booking locks are held. For one server it just writes the store; for
/// several servers on one PostgreSQL it also takes the advisory locks on the lock keys inside the
/// writing transaction and re-checks Accepted versions against the intents in the database (ADR 0006,
/// <see cref="BookingSql"/>).
/// </summary>
public interface IIntentCommitter
{
    /// <summary>Stores <paramref name="next"/> if the stored version is still <paramref name="previous"/>'s OVN (or
    /// absent when null).</summary>
    /// <param name="next">The new version.</param>
    /// <param name="previous">The version it replaces, or null for a new intent.</param>
    /// <param name="lockKeys">The booking lock keys of <paramref name="next"/>'s volumes (sorted ascending; contains
    /// <see cref="LockKeys.GlobalKey"/> when the intent needs the global lock).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask<CommitOutcome> CommitAsync(OperationalIntent next, OperationalIntent? previous, IReadOnlyList<long> lockKeys, CancellationToken cancellationToken);
}

/// <summary>
/// A committer whose writes become durable in the order they were queued (one writer, FIFO, group commit), so the
/// book may release its booking locks as soon as a NEW intent's write is queued and acknowledge only once it is
/// durable ("early lock release"): a later booking that saw the new intent in the index is queued after it, hence
/// never durable without it; if the write fails, the intent leaves the index again, which only frees space. Not used
/// for changes of existing intents (their old volumes would be freed before the change is durable).
/// </summary>
public interface IOrderedIntentCommitter : IIntentCommitter
{
    /// <summary>Queues the write of a new intent behind every write queued before this call returns.</summary>
    /// <param name="next">The new intent's first version.</param>
    /// <param name="lockKeys">Its booking lock keys (sorted ascending).</param>
    /// <returns>Completes when the write is durable (or refused); faults when the batch could not be written.</returns>
    Task<CommitOutcome> EnqueueNew(OperationalIntent next, IReadOnlyList<long> lockKeys);
}

/// <summary>
/// The booking desk: holds the current version of every live intent and decides acceptances with no double booking
/// in one process. Each request takes the locks of the booking-grid cells (and capacity cells) its volumes cover,
/// in ascending stripe order (so no deadlock), then checks, commits and updates the index before releasing them;
/// two intents that could conflict share a cell, hence a stripe, so their decisions are serialised and the second
/// sees the first.
/// </summary>
public sealed class IntentBook : IDisposable
{
    private readonly StrategicChecker _checker;
    private readonly IntentBookOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim[] _stripes;
    private readonly ConcurrentDictionary<Guid, OperationalIntent> _intents = new();

    /// <summary>Creates a book.</summary>
    /// <param name="checker">The checker (and through it the index).</param>
    /// <param name="time">The clock, or null for the system clock.</param>
    /// <param name="options">Tuning, or null for the defaults.</param>
    public IntentBook(StrategicChecker checker, TimeProvider? time = null, IntentBookOptions? options = null)
    {
        _checker = checker ?? throw new ArgumentNullException(nameof(checker));
        _options = options ?? IntentBookOptions.Default;
        _time = time ?? TimeProvider.System;
        if (_options.Stripes is < 1 or > 65536 || !(_options.LockCellDeg > 0) || _options.LockBucket <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Stripes must be 1–65536, LockCellDeg > 0, LockBucket > 0");
        }

        _stripes = new SemaphoreSlim[_options.Stripes];
        for (int i = 0; i < _stripes.Length; i++)
        {
            _stripes[i] = new SemaphoreSlim(1, 1);
        }
    }

    /// <summary>The checker.</summary>
    public StrategicChecker Checker => _checker;

    /// <summary>The index of blocking intents.</summary>
    public IntentIndex Index => _checker.Index;

    /// <summary>Number of intents held (all states).</summary>
    public int Count => _intents.Count;

    /// <summary>The current version of an intent, or null.</summary>
    /// <param name="id">The intent.</param>
    public OperationalIntent? Get(Guid id) => _intents.TryGetValue(id, out OperationalIntent? i) ? i : null;

    /// <summary>A snapshot of every intent held.</summary>
    public IReadOnlyList<OperationalIntent> Snapshot() => [.. _intents.Values];

    /// <summary>Loads a stored intent at start-up (no check): kept, and indexed when blocking. Not for use while
    /// requests are served.</summary>
    /// <param name="intent">The stored version.</param>
    public void Load(OperationalIntent intent)
    {
        ArgumentNullException.ThrowIfNull(intent);
        _intents[intent.Id] = intent;
        if (intent.IsBlocking)
        {
            Index.Add(intent.Id, intent.Priority, intent.Volumes);
        }
        else
        {
            Index.Remove(intent.Id);
        }
    }

    /// <summary>
    /// Submits a new intent: validates it (nothing stored when invalid), moves it to Submitted and checks it; when
    /// clear it is Accepted (or left Submitted for a manager when <paramref name="autoApprove"/> is false), else
    /// Rejected with the conflicts as reasons.
    /// </summary>
    /// <param name="intent">The new intent (any state; its id must be new).</param>
    /// <param name="autoApprove">True to accept a clear intent at once.</param>
    /// <param name="committer">Persists the outcome inside the locks, or null for in-memory only.</param>
    /// <param name="cancellationToken">Cancels waiting for locks and the commit.</param>
    public async ValueTask<BookingResult> SubmitAsync(OperationalIntent intent, bool autoApprove = true, IIntentCommitter? committer = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(intent);
        DateTimeOffset now = _time.GetUtcNow();
        IntentChangeResult draft = IntentChanges.CreateDraft(intent, now, _options.Limits);
        if (!draft.IsOk)
        {
            return new BookingResult(BookingStatus.Invalid, null, null, draft.Errors);
        }

        OperationalIntent submitted = draft.Intent! with { State = IntentState.Submitted };
        return await DecideAsync(submitted, previous: null, autoApprove, committer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Changes the volumes of a Rejected, Submitted or Accepted intent and re-checks them. A Rejected intent is
    /// resubmitted (e.g. with a <see cref="Resolution"/> applied); an Accepted one stays Accepted when the new volumes
    /// are clear, and keeps its old volumes (result Rejected, intent unchanged) when not.
    /// </summary>
    /// <param name="id">The intent.</param>
    /// <param name="expectedOvn">The OVN the caller read.</param>
    /// <param name="volumes">The new volumes.</param>
    /// <param name="autoApprove">True to accept a clear intent at once.</param>
    /// <param name="committer">Persists the outcome inside the locks, or null.</param>
    /// <param name="cancellationToken">Cancels waiting for locks and the commit.</param>
    public async ValueTask<BookingResult> ModifyAsync(Guid id, string expectedOvn, IReadOnlyList<Volume4D> volumes, bool autoApprove = true, IIntentCommitter? committer = null, CancellationToken cancellationToken = default)
    {
        if (!_intents.TryGetValue(id, out OperationalIntent? current))
        {
            return NotFound(id);
        }

        IntentChangeResult? ovn = IntentChanges.CheckOvn(current, expectedOvn);
        if (ovn is not null)
        {
            return new BookingResult(ovn.Status == IntentChangeStatus.Stale ? BookingStatus.Stale : BookingStatus.Invalid, current, null, ovn.Errors);
        }

        if (current.State is not (IntentState.Rejected or IntentState.Submitted or IntentState.Accepted))
        {
            return new BookingResult(BookingStatus.InvalidTransition, current, null,
                [new IntentError("state", IntentRules.InvalidTransition, $"state: the volumes of a {current.State} intent cannot change")]);
        }

        IReadOnlyList<IntentError> errors = IntentValidator.Validate(volumes, _time.GetUtcNow(), _options.Limits);
        if (errors.Count > 0)
        {
            return new BookingResult(BookingStatus.Invalid, current, null, errors);
        }

        OperationalIntent next = current with
        {
            Volumes = volumes,
            State = current.State == IntentState.Accepted ? IntentState.Accepted : IntentState.Submitted,
        };
        return await DecideAsync(next, current, autoApprove, committer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A manager's approval of a Submitted intent: re-checked under the locks, then Accepted or Rejected.</summary>
    /// <param name="id">The intent.</param>
    /// <param name="expectedOvn">The OVN the manager read.</param>
    /// <param name="committer">Persists the outcome inside the locks, or null.</param>
    /// <param name="cancellationToken">Cancels waiting for locks and the commit.</param>
    public async ValueTask<BookingResult> ApproveAsync(Guid id, string expectedOvn, IIntentCommitter? committer = null, CancellationToken cancellationToken = default)
    {
        if (!_intents.TryGetValue(id, out OperationalIntent? current))
        {
            return NotFound(id);
        }

        IntentChangeResult? ovn = IntentChanges.CheckOvn(current, expectedOvn);
        if (ovn is not null)
        {
            return new BookingResult(ovn.Status == IntentChangeStatus.Stale ? BookingStatus.Stale : BookingStatus.Invalid, current, null, ovn.Errors);
        }

        if (current.State != IntentState.Submitted)
        {
            return new BookingResult(BookingStatus.InvalidTransition, current, null,
                [new IntentError("state", IntentRules.InvalidTransition, IntentStateMachine.Describe(current.State, IntentState.Accepted))]);
        }

        return await DecideAsync(current, current, autoApprove: true, committer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Any other state change (reject by a manager, activate, nonconforming, contingent, end, withdraw,
    /// cancel): OVN and state machine checked, stored, and the index updated (terminal states leave it). Accepting
    /// goes through <see cref="ApproveAsync"/>.</summary>
    /// <param name="id">The intent.</param>
    /// <param name="expectedOvn">The OVN the caller read.</param>
    /// <param name="to">The new state (not Accepted).</param>
    /// <param name="reasons">Reasons (for Rejected and Cancelled).</param>
    /// <param name="committer">Persists the change inside the locks, or null.</param>
    /// <param name="cancellationToken">Cancels waiting for locks and the commit.</param>
    public async ValueTask<IntentChangeResult> TransitionAsync(Guid id, string expectedOvn, IntentState to, IReadOnlyList<string>? reasons = null, IIntentCommitter? committer = null, CancellationToken cancellationToken = default)
    {
        if (!_intents.TryGetValue(id, out OperationalIntent? current))
        {
            return new IntentChangeResult(IntentChangeStatus.NotFound, null, [new IntentError("id", IntentRules.Required, $"no intent {id}")]);
        }

        if (to == IntentState.Accepted)
        {
            return new IntentChangeResult(IntentChangeStatus.InvalidTransition, current,
                [new IntentError("state", IntentRules.InvalidTransition, "state: accept through approval, which re-checks conflicts")]);
        }

        (int[] stripes, long[] keys) = LocksFor(current.Volumes);
        await AcquireAsync(stripes, cancellationToken).ConfigureAwait(false);
        try
        {
            current = _intents[id];
            IntentChangeResult result = IntentChanges.Transition(current, expectedOvn, to, _time.GetUtcNow(), reasons);
            if (!result.IsOk)
            {
                return result;
            }

            OperationalIntent next = result.Intent!;
            if (committer is not null)
            {
                CommitOutcome outcome = await committer.CommitAsync(next, current, keys, cancellationToken).ConfigureAwait(false);
                if (!outcome.Committed)
                {
                    return new IntentChangeResult(IntentChangeStatus.Stale, current, [.. outcome.Reasons.Select(r => new IntentError("ovn", IntentRules.OvnStale, r))]);
                }
            }

            _intents[id] = next;
            if (!next.IsBlocking)
            {
                Index.Remove(id);
            }

            return result;
        }
        finally
        {
            Release(stripes);
        }
    }

    /// <summary>Drops intents whose last volume ended at or before now from the index and from memory (the store
    /// keeps their history).</summary>
    /// <returns>How many intents left the index.</returns>
    public int EvictEnded() => EvictEnded(TimeSpan.Zero);

    /// <summary>Drops intents whose last volume ended at or before now from the index (they no longer block
    /// airspace), and from memory once <paramref name="keepAfterEnd"/> has passed since that end, so that supervision
    /// still sees the intent of a flight that is late (conformance: still flying after the end plus its tolerance is
    /// Nonconforming, 60 s later Contingent). The store keeps their history.</summary>
    /// <param name="keepAfterEnd">How long an ended intent stays in memory (≥ 0).</param>
    /// <returns>How many intents left the index.</returns>
    public int EvictEnded(TimeSpan keepAfterEnd)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keepAfterEnd, TimeSpan.Zero);
        DateTimeOffset now = _time.GetUtcNow();
        int removed = Index.EvictEndedBefore(now);
        foreach (KeyValuePair<Guid, OperationalIntent> kv in _intents)
        {
            if (kv.Value.Span.End + keepAfterEnd <= now)
            {
                _intents.TryRemove(kv);
            }
        }

        return removed;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (SemaphoreSlim s in _stripes)
        {
            s.Dispose();
        }
    }

    private static BookingResult NotFound(Guid id) =>
        new(BookingStatus.NotFound, null, null, [new IntentError("id", IntentRules.Required, $"no intent {id}")]);

    private async ValueTask<BookingResult> DecideAsync(OperationalIntent candidate, OperationalIntent? previous, bool autoApprove, IIntentCommitter? committer, CancellationToken cancellationToken)
    {
        (int[] stripes, long[] keys) = LocksFor(previous is null ? candidate.Volumes : [.. candidate.Volumes, .. previous.Volumes]);
        await AcquireAsync(stripes, cancellationToken).ConfigureAwait(false);
        bool held = true;
        try
        {
            if (previous is null)
            {
                if (_intents.ContainsKey(candidate.Id))
                {
                    return new BookingResult(BookingStatus.Duplicate, _intents[candidate.Id], null,
                        [new IntentError("id", IntentRules.Required, $"intent {candidate.Id} exists already")]);
                }
            }
            else if (!ReferenceEquals(_intents.GetValueOrDefault(candidate.Id), previous))
            {
                OperationalIntent now = _intents[candidate.Id];
                return new BookingResult(BookingStatus.Stale, now, null,
                    [new IntentError("ovn", IntentRules.OvnStale, $"the intent was changed meanwhile (current version {now.Version})")]);
            }

            DeconflictionReport report = _checker.Check(candidate);
            DateTimeOffset at = _time.GetUtcNow();
            OperationalIntent next;
            BookingStatus status;
            if (!report.IsClear)
            {
                if (previous is { State: IntentState.Accepted })
                {
                    // A booked intent keeps its old volumes when the change would conflict.
                    return new BookingResult(BookingStatus.Rejected, previous, report, []);
                }

                next = IntentChanges.Next(candidate, at) with { State = IntentState.Rejected, Reasons = report.BlockingReasons };
                status = BookingStatus.Rejected;
            }
            else if (autoApprove || candidate.State == IntentState.Accepted)
            {
                next = IntentChanges.Next(candidate, at) with { State = IntentState.Accepted, Reasons = [] };
                status = BookingStatus.Accepted;
            }
            else
            {
                next = IntentChanges.Next(candidate, at) with { State = IntentState.Submitted, Reasons = [] };
                status = BookingStatus.PendingApproval;
            }

            if (previous is null)
            {
                next = next with { Version = 1 };
            }

            if (previous is null && committer is IOrderedIntentCommitter ordered)
            {
                // Early lock release: queue, publish, release, then wait for durability before acknowledging.
                Task<CommitOutcome> durable = ordered.EnqueueNew(next, keys);
                Publish(next);
                Release(stripes);
                held = false;
                CommitOutcome outcome;
                try
                {
                    outcome = await durable.ConfigureAwait(false);
                }
                catch
                {
                    await UnpublishAsync(next, stripes).ConfigureAwait(false);
                    throw;
                }

                if (outcome.Committed)
                {
                    return new BookingResult(status, next, report, []);
                }

                await UnpublishAsync(next, stripes).ConfigureAwait(false);
                return new BookingResult(BookingStatus.Stale, null, report, [.. outcome.Reasons.Select(r => new IntentError("id", IntentRules.OvnStale, r))]);
            }

            if (committer is not null)
            {
                CommitOutcome outcome = await committer.CommitAsync(next, previous, keys, cancellationToken).ConfigureAwait(false);
                if (!outcome.Committed)
                {
                    if (status != BookingStatus.Accepted)
                    {
                        return new BookingResult(BookingStatus.Stale, previous, report,
                            [.. outcome.Reasons.Select(r => new IntentError("ovn", IntentRules.OvnStale, r))]);
                    }

                    // Another server booked a conflicting intent first: store the rejection instead.
                    if (previous is { State: IntentState.Accepted })
                    {
                        return new BookingResult(BookingStatus.Rejected, previous, report, [.. outcome.Reasons.Select(r => new IntentError("volumes", "conflict", r))]);
                    }

                    next = next with { State = IntentState.Rejected, Reasons = outcome.Reasons, Ovn = Ovn.New() };
                    status = BookingStatus.Rejected;
                    CommitOutcome second = await committer.CommitAsync(next, previous, keys, cancellationToken).ConfigureAwait(false);
                    if (!second.Committed)
                    {
                        return new BookingResult(BookingStatus.Stale, previous, report, [.. second.Reasons.Select(r => new IntentError("ovn", IntentRules.OvnStale, r))]);
                    }
                }
            }

            Publish(next);
            return new BookingResult(status, next, report, []);
        }
        finally
        {
            if (held)
            {
                Release(stripes);
            }
        }
    }

    private void Publish(OperationalIntent next)
    {
        _intents[next.Id] = next;
        if (next.IsBlocking)
        {
            Index.Add(next.Id, next.Priority, next.Volumes);
        }
        else
        {
            Index.Remove(next.Id);
        }
    }

    /// <summary>Takes a new intent whose write failed out of the book and index again (unless changed since).</summary>
    private async ValueTask UnpublishAsync(OperationalIntent next, int[] stripes)
    {
        await AcquireAsync(stripes, CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (ReferenceEquals(_intents.GetValueOrDefault(next.Id), next))
            {
                _intents.TryRemove(next.Id, out _);
                Index.Remove(next.Id);
            }
        }
        finally
        {
            Release(stripes);
        }
    }

    private (int[] Stripes, long[] Keys) LocksFor(IReadOnlyList<Volume4D> volumes)
    {
        var keys = new HashSet<long>();
        if (!_checker.CollectLockKeys(volumes, _options.LockCellDeg, _options.LockBucket, keys))
        {
            var all = new int[_stripes.Length];
            for (int i = 0; i < all.Length; i++)
            {
                all[i] = i;
            }

            return (all, [LockKeys.GlobalKey]);
        }

        var stripes = new SortedSet<int>();
        foreach (long k in keys)
        {
            stripes.Add((int)((ulong)k % (ulong)_stripes.Length));
        }

        long[] sortedKeys = [.. keys];
        Array.Sort(sortedKeys);
        return ([.. stripes], sortedKeys);
    }

    private async ValueTask AcquireAsync(int[] stripes, CancellationToken cancellationToken)
    {
        int taken = 0;
        try
        {
            for (; taken < stripes.Length; taken++)
            {
                await _stripes[stripes[taken]].WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            for (int i = taken - 1; i >= 0; i--)
            {
                _stripes[stripes[i]].Release();
            }

            throw;
        }
    }

    private void Release(int[] stripes)
    {
        for (int i = stripes.Length - 1; i >= 0; i--)
        {
            _stripes[stripes[i]].Release();
        }
    }
}
