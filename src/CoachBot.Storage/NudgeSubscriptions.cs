using CoachBot.Coaching.Nudges;
using Microsoft.EntityFrameworkCore;

namespace CoachBot.Storage;

/// <summary>
/// Which conversations get a daily nudge, when, and which tip comes next. One instance per
/// <see cref="CoachBotDbContext"/> (scoped).
/// </summary>
public sealed class NudgeSubscriptions(CoachBotDbContext db, TimeProvider time)
{
    /// <summary>Tries of <see cref="TakeNextTipAsync"/> before it gives up on a subscription that others keep changing.</summary>
    private const int MaxTipTries = 10;

    /// <summary>
    /// Subscribes the conversation, or changes its schedule when it already is; the rotation state, skip date and
    /// creator stay, so changing the time does not restart the tips. Returns the stored subscription.
    /// </summary>
    /// <param name="workspace">The Slack team id or Teams tenant id, to find the token that posts.</param>
    /// <param name="timeZoneId">An IANA id; the caller has checked that it exists.</param>
    /// <param name="createdBy">The subscriber's user id; kept on later changes.</param>
    /// <param name="nextDueAt">The first nudge under the new schedule, computed by the caller.</param>
    public async Task<NudgeSubscription> UpsertAsync(
        string channel,
        string workspace,
        string conversationId,
        TimeOnly localTime,
        string timeZoneId,
        NudgeDays days,
        bool withQuestion,
        string? createdBy,
        DateTimeOffset nextDueAt,
        CancellationToken cancellationToken = default)
    {
        ShortCodes.CheckChannel(channel, nameof(channel));
        ShortCodes.CheckId(workspace, nameof(workspace), 64);
        ShortCodes.CheckId(conversationId, nameof(conversationId));
        ShortCodes.CheckId(timeZoneId, nameof(timeZoneId), 64);
        if (!Enum.IsDefined(days))
        {
            throw new ArgumentOutOfRangeException(nameof(days));
        }

        var now = time.GetUtcNow();
        // Update first, insert when absent, update again if another caller inserted in between: race-free on both
        // providers without a transaction.
        for (var attempt = 0; ; attempt++)
        {
            var updated = await Conversation(channel, conversationId)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(n => n.Workspace, workspace)
                        .SetProperty(n => n.LocalTime, localTime)
                        .SetProperty(n => n.TimeZoneId, timeZoneId)
                        .SetProperty(n => n.Days, days)
                        .SetProperty(n => n.WithQuestion, withQuestion)
                        .SetProperty(n => n.NextDueAt, nextDueAt)
                        .SetProperty(n => n.UpdatedAt, now),
                    cancellationToken)
                .ConfigureAwait(false);
            if (updated == 0)
            {
                var row = new NudgeSubscription
                {
                    Channel = channel,
                    Workspace = workspace,
                    ConversationId = conversationId,
                    LocalTime = localTime,
                    TimeZoneId = timeZoneId,
                    Days = days,
                    WithQuestion = withQuestion,
                    NextDueAt = nextDueAt,
                    CreatedBy = createdBy,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                db.NudgeSubscriptions.Add(row);
                try
                {
                    await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (DbUpdateException e) when (attempt == 0 && DbErrors.IsUniqueViolation(e))
                {
                    continue; // Subscribed from two places at once; update the row the other one made.
                }
                finally
                {
                    db.Entry(row).State = EntityState.Detached;
                }
            }

            return await Conversation(channel, conversationId)
                .AsNoTracking()
                .SingleAsync(cancellationToken)
                .ConfigureAwait(false);
        }
    }

    public Task<NudgeSubscription?> FindAsync(string channel, string conversationId, CancellationToken cancellationToken = default) =>
        Conversation(channel, conversationId).AsNoTracking().FirstOrDefaultAsync(cancellationToken);

    public Task<NudgeSubscription?> FindByIdAsync(long id, CancellationToken cancellationToken = default) =>
        db.NudgeSubscriptions.AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, cancellationToken);

    /// <summary>Unsubscribes; the delivery history goes with it. False when the conversation was not subscribed.</summary>
    public async Task<bool> RemoveAsync(string channel, string conversationId, CancellationToken cancellationToken = default)
    {
        // Deliveries first, explicitly: a cascade would do it too, but this way no provider setting is relied on.
        var ids = Conversation(channel, conversationId).Select(n => n.Id);
        await db.NudgeDeliveries.Where(d => ids.Contains(d.SubscriptionId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return await Conversation(channel, conversationId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Every subscription, oldest first: what the scheduler loads at start-up.</summary>
    public async Task<IReadOnlyList<NudgeSubscription>> ListAsync(CancellationToken cancellationToken = default) =>
        await db.NudgeSubscriptions.AsNoTracking().OrderBy(n => n.Id).ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Subscriptions whose next nudge is due at or before <paramref name="now"/>, most overdue first, at most
    /// <paramref name="take"/>: what the dispatcher settles on each tick.
    /// </summary>
    public async Task<IReadOnlyList<NudgeSubscription>> DueAsync(DateTimeOffset now, int take, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        return await db.NudgeSubscriptions.AsNoTracking()
            .Where(n => n.NextDueAt <= now)
            .OrderBy(n => n.NextDueAt)
            .ThenBy(n => n.Id)
            .Take(take)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Moves the subscription on to its next due time once a day is settled; false when it no longer exists.</summary>
    public async Task<bool> SetNextDueAsync(long id, DateTimeOffset nextDueAt, CancellationToken cancellationToken = default) =>
        await db.NudgeSubscriptions
            .Where(n => n.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.NextDueAt, nextDueAt), cancellationToken)
            .ConfigureAwait(false) > 0;

    /// <summary>
    /// Sets (or with null clears) the one local date to skip, with the due time that follows from it, in one
    /// statement so the dispatcher never sees one without the other. False when the subscription no longer exists.
    /// </summary>
    public async Task<bool> SetSkipDateAsync(
        long id, DateOnly? skipDate, DateTimeOffset nextDueAt, CancellationToken cancellationToken = default) =>
        await db.NudgeSubscriptions
            .Where(n => n.Id == id)
            .ExecuteUpdateAsync(
                s => s.SetProperty(n => n.SkipDate, skipDate).SetProperty(n => n.NextDueAt, nextDueAt),
                cancellationToken)
            .ConfigureAwait(false) > 0;

    /// <summary>
    /// The tip to send next: no tip repeats until every one in <paramref name="allTipIds"/> has gone out, then a new
    /// round starts. The order is shuffled per subscription but fixed (seeded by its id), so every replica computes the
    /// same one. For a subscription removed meanwhile it still answers (the first tip of that order) and stores nothing,
    /// so a send already under way need not handle a missing tip.
    /// </summary>
    /// <remarks>
    /// The stored rotation state is its own concurrency token: the UPDATE only applies if the state is still what was
    /// read, so two racing callers get two different tips (or one retries). Tips added to the library join the
    /// current round; tips removed from it are forgotten.
    /// </remarks>
    public async Task<string> TakeNextTipAsync(long subscriptionId, IReadOnlyList<string> allTipIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(allTipIds);
        if (allTipIds.Count == 0)
        {
            throw new ArgumentException("There is no tip to choose from.", nameof(allTipIds));
        }

        foreach (var tip in allTipIds)
        {
            ShortCodes.CheckId(tip, nameof(allTipIds));
            if (tip.Contains(TipRotation.Separator, StringComparison.Ordinal))
            {
                throw new ArgumentException($"A tip id cannot contain '{TipRotation.Separator}'.", nameof(allTipIds));
            }
        }

        for (var attempt = 0; attempt < MaxTipTries; attempt++)
        {
            var used = await db.NudgeSubscriptions
                .Where(n => n.Id == subscriptionId)
                .Select(n => n.UsedTipIds)
                .FirstOrDefaultAsync(cancellationToken)
                .ConfigureAwait(false);
            if (used is null)
            {
                return TipRotation.Order(subscriptionId, allTipIds)[0];
            }

            var (tip, nextUsed) = TipRotation.Next(subscriptionId, allTipIds, used);
            var changed = await db.NudgeSubscriptions
                .Where(n => n.Id == subscriptionId && n.UsedTipIds == used)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.UsedTipIds, nextUsed), cancellationToken)
                .ConfigureAwait(false);
            if (changed == 1)
            {
                return tip;
            }
        }

        throw new InvalidOperationException($"Nudge subscription {subscriptionId}'s tip rotation kept changing under this caller.");
    }

    private IQueryable<NudgeSubscription> Conversation(string channel, string conversationId) =>
        db.NudgeSubscriptions.Where(n => n.Channel == channel && n.ConversationId == conversationId);
}
