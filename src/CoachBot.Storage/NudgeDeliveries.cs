using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace CoachBot.Storage;

/// <summary>
/// The once-a-day guard for nudges and their history: a sender reserves (subscription, local date) before posting and
/// records the outcome after. One instance per <see cref="CoachBotDbContext"/> (scoped).
/// </summary>
/// <remarks>
/// The unique row per (subscription, date) makes a second reservation impossible, whichever replica's scheduler
/// fires. Sent, Failed and Skipped are final: a failed nudge is not retried later that day, because a post that timed
/// out may have landed, and a duplicate nudge costs more than a missing one.
/// </remarks>
public sealed class NudgeDeliveries(CoachBotDbContext db, TimeProvider time)
{
    /// <summary>
    /// True when this caller may send the day's nudge: it inserted the reservation, or took over a Reserved one whose
    /// lease ran out (its host died mid-send). False when the day is done (Sent, Failed, Skipped), someone else holds
    /// a live reservation, or the subscription no longer exists.
    /// </summary>
    public async Task<bool> TryReserveAsync(
        long subscriptionId, DateOnly localDate, string owner, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ShortCodes.CheckId(owner, nameof(owner));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);

        var now = Now();
        var until = now + lease;
        const string Reserved = nameof(NudgeDeliveryState.Reserved);
        try
        {
            // ON CONFLICT DO NOTHING rather than catching the violation: on PostgreSQL the loser simply waits for the
            // winner's commit and inserts nothing.
            var inserted = await db.Database.ExecuteSqlAsync(
                    $"""
                    INSERT INTO nudge_deliveries ("SubscriptionId", "LocalDate", "State", "Owner", "LeaseUntil", "ReservedAt")
                    VALUES ({subscriptionId}, {localDate}, {Reserved}, {owner}, {until}, {now})
                    ON CONFLICT ("SubscriptionId", "LocalDate") DO NOTHING
                    """,
                    cancellationToken)
                .ConfigureAwait(false);
            if (inserted == 1)
            {
                return true;
            }
        }
        catch (DbException e) when (DbErrors.IsForeignKeyViolation(e))
        {
            return false; // Unsubscribed between the scheduler firing and now.
        }

        // The same conditions inside the UPDATE: of two hosts taking over one expired lease, only one changes the row.
        var takenOver = await ExpiredReservation(subscriptionId, localDate, now)
            .ExecuteUpdateAsync(
                s => s.SetProperty(d => d.Owner, owner)
                    .SetProperty(d => d.LeaseUntil, until)
                    .SetProperty(d => d.ReservedAt, now),
                cancellationToken)
            .ConfigureAwait(false);
        return takenOver == 1;
    }

    /// <summary>Records that the nudge went out with <paramref name="tipId"/>; false unless the day was Reserved.</summary>
    public async Task<bool> MarkSentAsync(long subscriptionId, DateOnly localDate, string tipId, CancellationToken cancellationToken = default)
    {
        ShortCodes.CheckId(tipId, nameof(tipId));
        var now = Now();
        return await Reservation(subscriptionId, localDate)
            .ExecuteUpdateAsync(
                s => s.SetProperty(d => d.State, NudgeDeliveryState.Sent)
                    .SetProperty(d => d.TipId, tipId)
                    .SetProperty(d => d.CompletedAt, now)
                    .SetProperty(d => d.LeaseUntil, (DateTime?)null)
                    .SetProperty(d => d.Error, (string?)null),
                cancellationToken)
            .ConfigureAwait(false) == 1;
    }

    /// <summary>Records that the nudge could not be sent; final for the day. False unless the day was Reserved.</summary>
    /// <param name="errorCode">A short code such as <c>teams.forbidden</c>; never message text.</param>
    public async Task<bool> MarkFailedAsync(long subscriptionId, DateOnly localDate, string errorCode, CancellationToken cancellationToken = default)
    {
        ShortCodes.CheckCode(errorCode, nameof(errorCode));
        var now = Now();
        return await Reservation(subscriptionId, localDate)
            .ExecuteUpdateAsync(
                s => s.SetProperty(d => d.State, NudgeDeliveryState.Failed)
                    .SetProperty(d => d.CompletedAt, now)
                    .SetProperty(d => d.LeaseUntil, (DateTime?)null)
                    .SetProperty(d => d.Error, errorCode),
                cancellationToken)
            .ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Records that the day's nudge will not go out (the trigger fired too late, the day was skipped), inserting the
    /// row if there is none, or closing a reservation whose lease ran out. False when the day already has an
    /// outcome, someone holds a live reservation, or the subscription no longer exists.
    /// </summary>
    /// <param name="reasonCode">A short code such as <c>too_late</c> or <c>skip_date</c>.</param>
    public async Task<bool> MarkSkippedAsync(long subscriptionId, DateOnly localDate, string reasonCode, CancellationToken cancellationToken = default)
    {
        ShortCodes.CheckCode(reasonCode, nameof(reasonCode));
        var now = Now();
        const string Skipped = nameof(NudgeDeliveryState.Skipped);
        try
        {
            var inserted = await db.Database.ExecuteSqlAsync(
                    $"""
                    INSERT INTO nudge_deliveries ("SubscriptionId", "LocalDate", "State", "ReservedAt", "CompletedAt", "Error")
                    VALUES ({subscriptionId}, {localDate}, {Skipped}, {now}, {now}, {reasonCode})
                    ON CONFLICT ("SubscriptionId", "LocalDate") DO NOTHING
                    """,
                    cancellationToken)
                .ConfigureAwait(false);
            if (inserted == 1)
            {
                return true;
            }
        }
        catch (DbException e) when (DbErrors.IsForeignKeyViolation(e))
        {
            return false;
        }

        return await ExpiredReservation(subscriptionId, localDate, now)
            .ExecuteUpdateAsync(
                s => s.SetProperty(d => d.State, NudgeDeliveryState.Skipped)
                    .SetProperty(d => d.CompletedAt, now)
                    .SetProperty(d => d.LeaseUntil, (DateTime?)null)
                    .SetProperty(d => d.Error, reasonCode),
                cancellationToken)
            .ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// The day's state, or null when it has no row (or the subscription is gone): after a refused
    /// <see cref="TryReserveAsync"/>, Reserved means someone else is sending it now (or died doing so and their lease
    /// has not run out yet), so the day is not settled.
    /// </summary>
    public async Task<NudgeDeliveryState?> StateAsync(long subscriptionId, DateOnly localDate, CancellationToken cancellationToken = default) =>
        await db.NudgeDeliveries.AsNoTracking()
            .Where(d => d.SubscriptionId == subscriptionId && d.LocalDate == localDate)
            .Select(d => (NudgeDeliveryState?)d.State)
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);

    /// <summary>The subscription's latest <paramref name="take"/> days, newest first.</summary>
    public async Task<IReadOnlyList<NudgeDelivery>> HistoryAsync(long subscriptionId, int take = 30, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        return await db.NudgeDeliveries.AsNoTracking()
            .Where(d => d.SubscriptionId == subscriptionId)
            .OrderByDescending(d => d.LocalDate)
            .Take(take)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    private IQueryable<NudgeDelivery> Reservation(long subscriptionId, DateOnly localDate) =>
        db.NudgeDeliveries.Where(d =>
            d.SubscriptionId == subscriptionId && d.LocalDate == localDate && d.State == NudgeDeliveryState.Reserved);

    private IQueryable<NudgeDelivery> ExpiredReservation(long subscriptionId, DateOnly localDate, DateTime now) =>
        Reservation(subscriptionId, localDate).Where(d => d.LeaseUntil == null || d.LeaseUntil <= now);

    // UTC DateTime, as in Inbox: SQLite compares EF's DateTime text in SQL; Npgsql maps it to timestamptz.
    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
