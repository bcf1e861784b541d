using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace CoachBot.Storage;

/// <summary>
/// The once-a-day guard for nudges and their history: a sender reserves (subscription, local date) before posting and
/// records the outcome after. One instance per <see cref="CoachBotDbContext"/> (scoped).
/// </summary>
/// <remarks>
/// The unique row per (subscription, date) makes a second reservation impossible, whichever replica's scheduler
/// fires. Sent, Failed and Skipped are final. A post that timed out may have landed, so it is not marked Failed:
/// the day stays Reserved with its lease ended (<see cref="ReleaseForRetryAsync"/>), and the sender that takes it over
/// first looks for the earlier post in the channel.
/// </remarks>
public sealed class NudgeDeliveries(CoachBotDbContext db, TimeProvider time)
{
    /// <summary>
    /// True when this caller may send the day's nudge: it inserted the reservation, or took over a Reserved one whose
    /// lease ran out (its host died mid-send). False when the day is done (Sent, Failed, Skipped), someone else holds
    /// a live reservation, or the subscription no longer exists.
    /// </summary>
    public async Task<bool> TryReserveAsync(
        long subscriptionId, DateOnly localDate, string owner, TimeSpan lease, CancellationToken cancellationToken = default) =>
        await ReserveAsync(subscriptionId, localDate, owner, lease, cancellationToken).ConfigureAwait(false) != NudgeReservation.Refused;

    /// <summary>
    /// As <see cref="TryReserveAsync"/>, telling a fresh reservation from a taken-over one: after a takeover an earlier
    /// attempt may have reached the channel, so the sender looks for it before posting again.
    /// </summary>
    public async Task<NudgeReservation> ReserveAsync(
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
                return NudgeReservation.Fresh;
            }
        }
        catch (DbException e) when (DbErrors.IsForeignKeyViolation(e))
        {
            return NudgeReservation.Refused; // Unsubscribed between the scheduler firing and now.
        }

        // The same conditions inside the UPDATE: of two hosts taking over one expired lease, only one changes the row.
        var takenOver = await ExpiredReservation(subscriptionId, localDate, now)
            .ExecuteUpdateAsync(
                s => s.SetProperty(d => d.Owner, owner)
                    .SetProperty(d => d.LeaseUntil, until)
                    .SetProperty(d => d.ReservedAt, now),
                cancellationToken)
            .ConfigureAwait(false);
        return takenOver == 1 ? NudgeReservation.TakenOver : NudgeReservation.Refused;
    }

    /// <summary>
    /// Extends the reservations <paramref name="owner"/> holds for <paramref name="subscriptionIds"/> to
    /// <paramref name="lease"/> from now, while their posts run (a heartbeat), so that a lease can be short and a dead
    /// host's day is taken over soon. Returns how many were extended.
    /// </summary>
    public Task<int> RenewAsync(string owner, IReadOnlyCollection<long> subscriptionIds, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptionIds);
        if (subscriptionIds.Count == 0)
        {
            return Task.FromResult(0);
        }

        var until = Now() + lease;
        var ids = subscriptionIds.ToArray();
        return db.NudgeDeliveries
            .Where(d => ids.Contains(d.SubscriptionId) && d.State == NudgeDeliveryState.Reserved && d.Owner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, until), cancellationToken);
    }

    /// <summary>
    /// Ends the live leases of reservations held by earlier processes of this node (owners starting with
    /// <paramref name="ownerPrefix"/>, other than <paramref name="currentOwner"/>): a restarted node knows they are dead,
    /// so their days are taken over at once rather than when the leases run out.
    /// </summary>
    public Task<int> ExpireLeasesOfAsync(string ownerPrefix, string currentOwner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerPrefix);
        var now = Now();
        return db.NudgeDeliveries
            .Where(d => d.State == NudgeDeliveryState.Reserved && d.Owner != null && d.Owner.StartsWith(ownerPrefix) && d.Owner != currentOwner
                && d.LeaseUntil > now)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, now), cancellationToken);
    }

    /// <summary>
    /// Gives the day back after an attempt that may or may not have reached the channel (a timeout, a dropped
    /// connection, a 5xx): it stays Reserved with its lease ended, so a later try takes it over, looks for the first
    /// post, and sends only if it did not land. False unless <paramref name="owner"/> held it.
    /// </summary>
    public async Task<bool> ReleaseForRetryAsync(
        long subscriptionId, DateOnly localDate, string owner, string errorCode, CancellationToken cancellationToken = default)
    {
        ShortCodes.CheckCode(errorCode, nameof(errorCode));
        var now = Now();
        return await Reservation(subscriptionId, localDate)
            .Where(d => d.Owner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, now).SetProperty(d => d.Error, errorCode), cancellationToken)
            .ConfigureAwait(false) == 1;
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

    /// <summary>When the soonest of these days' reservations runs out (UTC), or null when none of them is Reserved.</summary>
    public async Task<DateTime?> SoonestLeaseEndAsync(IReadOnlyCollection<(long SubscriptionId, DateOnly LocalDate)> days, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(days);
        var ids = days.Select(d => d.SubscriptionId).Distinct().ToArray();
        var reserved = await db.NudgeDeliveries.AsNoTracking()
            .Where(d => ids.Contains(d.SubscriptionId) && d.State == NudgeDeliveryState.Reserved)
            .Select(d => new { d.SubscriptionId, d.LocalDate, d.LeaseUntil })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var wanted = days.ToHashSet();
        DateTime? soonest = null;
        foreach (var row in reserved.Where(r => wanted.Contains((r.SubscriptionId, r.LocalDate))))
        {
            // No lease at all is as good as an expired one.
            var until = row.LeaseUntil is { } lease ? DateTime.SpecifyKind(lease, DateTimeKind.Utc) : DateTime.MinValue;
            if (soonest is null || until < soonest)
            {
                soonest = until;
            }
        }

        return soonest;
    }

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
