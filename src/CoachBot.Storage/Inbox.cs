using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CoachBot.Storage;

public enum AcceptResult
{
    Accepted,

    /// <summary>The delivery key or dedupe key is already in the inbox; answer the channel as if accepted, do nothing.</summary>
    Duplicate,
}

/// <summary>Pending items and how long the oldest has waited, for the inbox metrics.</summary>
public readonly record struct InboxDepth(int Pending, TimeSpan OldestAge);

/// <summary>
/// The durable inbox behind "accept, persist, then process": an endpoint accepts a delivery before answering the
/// channel, a worker claims it, replies, and completes it.
/// </summary>
/// <remarks>
/// Exactly one reply per message rests on three things: unique keys (a retry or re-delivery is a
/// <see cref="AcceptResult.Duplicate"/>), claims made by a conditional UPDATE (two workers never hold one item),
/// and completed rows staying (without their payload, until <see cref="PruneAsync"/>) so later duplicates still
/// find them. A lease must outlast processing: once it expires the item can be claimed again, which is how work
/// survives a crash; a worker's Complete or Fail then changes nothing unless it still holds the lease.
/// One instance per <see cref="CoachBotDbContext"/> (scoped); not thread-safe. On SQLite every write waits its turn at
/// the process's <see cref="WriteGate"/>.
/// </remarks>
public sealed class Inbox(CoachBotDbContext db, TimeProvider time, WriteGate? gate = null)
{
    /// <summary>Claims an item gets before it is marked Failed.</summary>
    public const int MaxAttempts = 5;

    /// <summary>Retries wait 5 s, 10 s, 20 s … up to <see cref="LongestBackoff"/>, unless the far side asked for longer.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan LongestBackoff = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Persists one item on this context's connection. The endpoints go through <see cref="InboxWriter"/> instead,
    /// which commits many accepts at once; both write with <see cref="InboxCommands"/>.
    /// </summary>
    public Task<AcceptResult> AcceptAsync(InboxItem item, CancellationToken cancellationToken = default)
    {
        InboxCommands.Validate(item);
        return WithCommandsAsync((commands, transaction) => commands.AcceptAsync(item, Now(), transaction, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Claims the oldest pending item that is due and not leased, for <paramref name="lease"/>; null when there is none.
    /// </summary>
    public async Task<InboxItem?> ClaimNextAsync(string workerId, TimeSpan lease, CancellationToken cancellationToken = default) =>
        (await ClaimAsync(workerId, lease, 1, cancellationToken).ConfigureAwait(false)) is [var item] ? item : null;

    /// <summary>
    /// Claims up to <paramref name="max"/> of the oldest pending items that are due and not leased, oldest first, for
    /// <paramref name="lease"/>; empty when there are none. One claim for many items keeps a backlog from costing a
    /// commit per item.
    /// </summary>
    public Task<IReadOnlyList<InboxItem>> ClaimAsync(string workerId, TimeSpan lease, int max, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return GatedAsync(() => ClaimUngatedAsync(workerId, lease, max, cancellationToken), cancellationToken);
    }

    private async Task<IReadOnlyList<InboxItem>> ClaimUngatedAsync(string workerId, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = Now();
            var claimed = await UsingCommandsAsync(
                (commands, transaction) => commands.ClaimAsync(workerId, now, now + lease, max, transaction, cancellationToken),
                cancellationToken).ConfigureAwait(false);

            var worn = claimed.Where(i => i.Attempts > MaxAttempts).Select(i => i.Id).ToList();
            if (worn.Count == 0)
            {
                return claimed;
            }

            // Every claim before this one ended with the lease running out (the worker crashed or hung on these items):
            // give up on them rather than crash-loop, and hand out the rest.
            await db.InboxItems
                .Where(i => worn.Contains(i.Id) && i.LeaseOwner == workerId)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(i => i.State, InboxState.Failed)
                        .SetProperty(i => i.Payload, (string?)null)
                        .SetProperty(i => i.LeaseUntil, (DateTime?)null)
                        .SetProperty(i => i.LeaseOwner, (string?)null)
                        .SetProperty(i => i.LastError, "lease_expired"),
                    cancellationToken)
                .ConfigureAwait(false);
            claimed.RemoveAll(i => i.Attempts > MaxAttempts);
            if (claimed.Count > 0)
            {
                return claimed;
            }
        }
    }

    /// <summary>
    /// Extends the leases <paramref name="workerId"/> holds on <paramref name="ids"/> to <paramref name="lease"/> from
    /// now: the heartbeat of work in progress, which lets leases be short, so a dead worker's items are taken over
    /// within one lease. Items no longer the worker's are left alone. Returns how many were extended.
    /// </summary>
    public Task<int> RenewAsync(string workerId, IReadOnlyCollection<long> ids, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        if (ids.Count == 0)
        {
            return Task.FromResult(0);
        }

        var held = ids.ToArray();
        return GatedAsync(
            () =>
            {
                var until = Now() + lease;
                return db.InboxItems
                    .Where(i => held.Contains(i.Id) && i.State == InboxState.Pending && i.LeaseOwner == workerId)
                    .ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseUntil, until), cancellationToken);
            },
            cancellationToken);
    }

    /// <summary>
    /// Ends the live leases held by earlier processes of this node (owners starting with <paramref name="ownerPrefix"/>,
    /// other than <paramref name="currentWorker"/>): a restarted node knows they died with it, so their items are
    /// claimed again at once rather than when the leases run out. Returns how many were freed.
    /// </summary>
    public Task<int> ExpireLeasesOfAsync(string ownerPrefix, string currentWorker, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerPrefix);
        ArgumentException.ThrowIfNullOrWhiteSpace(currentWorker);
        return GatedAsync(
            () =>
            {
                var now = Now();
                return db.InboxItems
                    .Where(i => i.State == InboxState.Pending && i.LeaseOwner != null && i.LeaseOwner.StartsWith(ownerPrefix)
                        && i.LeaseOwner != currentWorker && i.LeaseUntil > now)
                    .ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseUntil, now), cancellationToken);
            },
            cancellationToken);
    }

    /// <summary>
    /// Marks the item Done and deletes its payload; the row stays so that duplicates are still recognised. False when
    /// the item is no longer <paramref name="workerId"/>'s: its lease ran out and another worker claimed it, and that
    /// worker's claim must not be ended by this one.
    /// </summary>
    public Task<bool> CompleteAsync(long id, string workerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        return WithCommandsAsync((commands, transaction) => commands.CompleteAsync(id, workerId, transaction, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Records a failed attempt: the item waits (at least <paramref name="retryAfter"/> when the far side gave one)
    /// and is claimed again, or is marked Failed after <see cref="MaxAttempts"/>, or at once when
    /// <paramref name="permanent"/> (retrying could post twice, or can never succeed). Returns the item's state after,
    /// or null when the item is no longer <paramref name="workerId"/>'s (taken over, or already finished) and was
    /// left alone.
    /// </summary>
    /// <param name="errorCode">A short code such as <c>slack.rate_limited</c>; never message text.</param>
    public Task<InboxState?> FailAsync(
        long id,
        string workerId,
        string errorCode,
        TimeSpan? retryAfter = null,
        bool permanent = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ShortCodes.CheckCode(errorCode, nameof(errorCode));
        return GatedAsync(() => FailUngatedAsync(id, workerId, errorCode, retryAfter, permanent, cancellationToken), cancellationToken);
    }

    private async Task<InboxState?> FailUngatedAsync(
        long id, string workerId, string errorCode, TimeSpan? retryAfter, bool permanent, CancellationToken cancellationToken)
    {

        var current = await db.InboxItems
            .Where(i => i.Id == id)
            .Select(i => new { i.State, i.Attempts, i.LeaseOwner })
            .SingleOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Inbox item {id} does not exist.");
        if (current.State != InboxState.Pending || current.LeaseOwner != workerId)
        {
            return null;
        }

        // Held() repeats the owner check inside each UPDATE: the lease may be taken over between the read and here.
        if (permanent || current.Attempts >= MaxAttempts)
        {
            // Failed is final, so the payload goes now, as it would on success: message text is not kept.
            var failed = await Held(id, workerId)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(i => i.State, InboxState.Failed)
                        .SetProperty(i => i.Payload, (string?)null)
                        .SetProperty(i => i.LeaseUntil, (DateTime?)null)
                        .SetProperty(i => i.LastError, errorCode),
                    cancellationToken)
                .ConfigureAwait(false);
            return failed == 1 ? InboxState.Failed : null;
        }

        var wait = Backoff(current.Attempts);
        if (retryAfter > wait)
        {
            wait = retryAfter.Value;
        }

        var next = Now() + wait;
        var retried = await Held(id, workerId)
            .ExecuteUpdateAsync(
                s => s.SetProperty(i => i.NextAttemptAt, next)
                    .SetProperty(i => i.LeaseUntil, (DateTime?)null)
                    .SetProperty(i => i.LeaseOwner, (string?)null)
                    .SetProperty(i => i.LastError, errorCode),
                cancellationToken)
            .ConfigureAwait(false);
        return retried == 1 ? InboxState.Pending : null;
    }

    /// <summary>
    /// Deletes Done and Failed items received more than <paramref name="keepFinishedFor"/> ago and returns how many.
    /// Finished rows are kept only so that late duplicates (Slack retries for up to about an hour) are still caught;
    /// keep them comfortably longer than any channel retries.
    /// </summary>
    public Task<int> PruneAsync(TimeSpan keepFinishedFor, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keepFinishedFor, TimeSpan.Zero);
        var cutoff = Now() - keepFinishedFor;
        return GatedAsync(
            () => db.InboxItems
                .Where(i => i.State != InboxState.Pending && i.ReceivedAt < cutoff)
                .ExecuteDeleteAsync(cancellationToken),
            cancellationToken);
    }

    public async Task<InboxDepth> DepthAsync(CancellationToken cancellationToken = default)
    {
        var pending = db.InboxItems.Where(i => i.State == InboxState.Pending);
        var count = await pending.CountAsync(cancellationToken).ConfigureAwait(false);
        var oldest = await pending
            .OrderBy(i => i.ReceivedAt)
            .Select(i => (DateTime?)i.ReceivedAt)
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        return new InboxDepth(count, oldest is { } received ? Now() - received : TimeSpan.Zero);
    }

    /// <summary>The wait after the <paramref name="attempts"/>th failed attempt: doubling from <see cref="FirstBackoff"/>.</summary>
    internal static TimeSpan Backoff(int attempts)
    {
        var doublings = Math.Clamp(attempts - 1, 0, 20); // 5 s × 2^20 is far past the cap; no overflow.
        var wait = FirstBackoff * (1L << doublings);
        return wait < LongestBackoff ? wait : LongestBackoff;
    }

    private async Task<T> GatedAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        if (gate is null)
        {
            return await write().ConfigureAwait(false);
        }

        await gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await write().ConfigureAwait(false);
        }
        finally
        {
            gate.Exit();
        }
    }

    private Task<T> WithCommandsAsync<T>(Func<InboxCommands, DbTransaction?, Task<T>> write, CancellationToken cancellationToken) =>
        GatedAsync(() => UsingCommandsAsync(write, cancellationToken), cancellationToken);

    private async Task<T> UsingCommandsAsync<T>(Func<InboxCommands, DbTransaction?, Task<T>> run, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var commands = new InboxCommands(db.Database.GetDbConnection());
            return await run(commands, db.Database.CurrentTransaction?.GetDbTransaction()).ConfigureAwait(false);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private IQueryable<InboxItem> Held(long id, string workerId) =>
        db.InboxItems.Where(i => i.Id == id && i.State == InboxState.Pending && i.LeaseOwner == workerId);

    // UTC DateTime rather than DateTimeOffset: SQLite stores it as sortable text that EF can compare in SQL,
    // and Npgsql maps a UTC DateTime to timestamptz.
    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
