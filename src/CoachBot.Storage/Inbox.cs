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
/// One instance per <see cref="CoachBotDbContext"/> (scoped); not thread-safe.
/// </remarks>
public sealed class Inbox(CoachBotDbContext db, TimeProvider time)
{
    /// <summary>Claims an item gets before it is marked Failed.</summary>
    public const int MaxAttempts = 5;

    /// <summary>Retries wait 5 s, 10 s, 20 s … up to <see cref="LongestBackoff"/>, unless the far side asked for longer.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan LongestBackoff = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Persists one item on this context's connection. The endpoints go through <see cref="InboxWriter"/> instead,
    /// which commits many accepts at once; both write with <see cref="InboxInsert"/>.
    /// </summary>
    public async Task<AcceptResult> AcceptAsync(InboxItem item, CancellationToken cancellationToken = default)
    {
        InboxInsert.Validate(item);
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var insert = new InboxInsert(db.Database.GetDbConnection());
            return await insert.WriteAsync(item, Now(), db.Database.CurrentTransaction?.GetDbTransaction(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
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
    public async Task<IReadOnlyList<InboxItem>> ClaimAsync(string workerId, TimeSpan lease, int max, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);

        while (true)
        {
            var now = Now();
            var candidates = await Claimable(now)
                .OrderBy(i => i.ReceivedAt)
                .ThenBy(i => i.Id)
                .Select(i => new { i.Id, i.Attempts })
                .Take(max)
                .ToListAsync(cancellationToken)
                .ConfigureAwait(false);
            if (candidates.Count == 0)
            {
                return [];
            }

            var worn = candidates.Where(c => c.Attempts >= MaxAttempts).Select(c => c.Id).ToList();
            if (worn.Count > 0)
            {
                // Every claim so far ended with the lease running out (the worker crashed or hung on these items):
                // give up on them rather than crash-loop.
                await Claimable(now)
                    .Where(i => worn.Contains(i.Id))
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(i => i.State, InboxState.Failed)
                            .SetProperty(i => i.Payload, (string?)null)
                            .SetProperty(i => i.LastError, "lease_expired"),
                        cancellationToken)
                    .ConfigureAwait(false);
            }

            var ids = candidates.Where(c => c.Attempts < MaxAttempts).Select(c => c.Id).ToList();
            if (ids.Count == 0)
            {
                continue;
            }

            // The same conditions as the SELECT, checked again inside the UPDATE: an item another worker claimed in
            // between is left to it, and we get the rest (or look again when it took them all).
            var until = now + lease;
            var changed = await Claimable(now)
                .Where(i => ids.Contains(i.Id))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(i => i.LeaseUntil, until)
                        .SetProperty(i => i.LeaseOwner, workerId)
                        .SetProperty(i => i.Attempts, i => i.Attempts + 1),
                    cancellationToken)
                .ConfigureAwait(false);
            if (changed > 0)
            {
                return await db.InboxItems.AsNoTracking()
                    .Where(i => ids.Contains(i.Id) && i.State == InboxState.Pending && i.LeaseOwner == workerId)
                    .OrderBy(i => i.ReceivedAt)
                    .ThenBy(i => i.Id)
                    .ToListAsync(cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Marks the item Done and deletes its payload; the row stays so that duplicates are still recognised. False when
    /// the item is no longer <paramref name="workerId"/>'s: its lease ran out and another worker claimed it, and that
    /// worker's claim must not be ended by this one.
    /// </summary>
    public async Task<bool> CompleteAsync(long id, string workerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        return await Held(id, workerId)
            .ExecuteUpdateAsync(
                s => s.SetProperty(i => i.State, InboxState.Done)
                    .SetProperty(i => i.Payload, (string?)null)
                    .SetProperty(i => i.LeaseUntil, (DateTime?)null)
                    .SetProperty(i => i.LeaseOwner, (string?)null)
                    .SetProperty(i => i.LastError, (string?)null),
                cancellationToken)
            .ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Records a failed attempt: the item waits (at least <paramref name="retryAfter"/> when the far side gave one)
    /// and is claimed again, or is marked Failed after <see cref="MaxAttempts"/>, or at once when
    /// <paramref name="permanent"/> (retrying could post twice, or can never succeed). Returns the item's state after,
    /// or null when the item is no longer <paramref name="workerId"/>'s (taken over, or already finished) and was
    /// left alone.
    /// </summary>
    /// <param name="errorCode">A short code such as <c>slack.rate_limited</c>; never message text.</param>
    public async Task<InboxState?> FailAsync(
        long id,
        string workerId,
        string errorCode,
        TimeSpan? retryAfter = null,
        bool permanent = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ShortCodes.CheckCode(errorCode, nameof(errorCode));

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
        return db.InboxItems
            .Where(i => i.State != InboxState.Pending && i.ReceivedAt < cutoff)
            .ExecuteDeleteAsync(cancellationToken);
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

    private IQueryable<InboxItem> Held(long id, string workerId) =>
        db.InboxItems.Where(i => i.Id == id && i.State == InboxState.Pending && i.LeaseOwner == workerId);

    private IQueryable<InboxItem> Claimable(DateTime now) =>
        db.InboxItems.Where(i =>
            i.State == InboxState.Pending && i.NextAttemptAt <= now && (i.LeaseUntil == null || i.LeaseUntil <= now));

    // UTC DateTime rather than DateTimeOffset: SQLite stores it as sortable text that EF can compare in SQL,
    // and Npgsql maps a UTC DateTime to timestamptz.
    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
