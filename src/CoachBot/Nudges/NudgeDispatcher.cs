using CoachBot.Coaching.Commands;
using CoachBot.Coaching.Nudges;
using CoachBot.Leases;
using CoachBot.Storage;

namespace CoachBot.Nudges;

/// <summary>
/// Sends every nudge that is due: called by the scheduler's tick (<see cref="NudgeDispatchJob"/>), or directly by
/// tests with a fake clock. Late ones go out if at most <see cref="NudgeSchedule.LateWindow"/> late; later than that
/// the day is skipped and logged. Each subscription's next due time moves on only once its day is settled, so a
/// replica killed mid-run leaves the rest due for the next tick, on whichever replica runs it (on PostgreSQL the
/// clustered scheduler hands the interrupted tick to a survivor). A day whose guard a dead replica still holds is
/// waited for within the same run when that short lease runs out within one lease from now, and taken over then,
/// rather than left for a later tick.
/// </summary>
internal sealed partial class NudgeDispatcher(
    IServiceScopeFactory scopes, TimeProvider time, IConfiguration configuration, LeaseTimes leases, ILogger<NudgeDispatcher> logger)
{
    /// <summary>How often one run waits for held days' leases to run out before leaving them to the next tick.</summary>
    private const int HeldRounds = 3;

    private const int Batch = 500;

    /// <returns>How many subscriptions were settled (sent, already handled, skipped, failed or unsubscribed).</returns>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var parallelism = Math.Clamp(configuration.GetValue("Nudges:Parallelism", 32), 1, 256);
        var settled = 0;
        var now = time.GetUtcNow();

        // Subscriptions this run has already tried but could not settle (another sender holds the day, or an error):
        // they stay due for the next tick, and this run must not pick them up again and again.
        var unsettled = new HashSet<long>();

        // Of those, the ones another sender holds, with their day: worth waiting for when the lease is about to end.
        var held = new Dictionary<long, (NudgeSubscription Subscription, DateOnly Day)>();
        while (!cancellationToken.IsCancellationRequested)
        {
            IReadOnlyList<NudgeSubscription> due;
            using (var scope = scopes.CreateScope())
            {
                due = await scope.ServiceProvider.GetRequiredService<NudgeSubscriptions>()
                    .DueAsync(now, Batch + unsettled.Count, cancellationToken).ConfigureAwait(false);
            }

            var fresh = due.Where(s => !unsettled.Contains(s.Id)).ToList();
            if (fresh.Count == 0)
            {
                break;
            }

            await Parallel.ForEachAsync(
                fresh,
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                async (subscription, ct) =>
                {
                    var outcome = await SettleAsync(subscription, ct).ConfigureAwait(false);
                    lock (unsettled)
                    {
                        if (outcome.Settled)
                        {
                            settled++;
                        }
                        else
                        {
                            unsettled.Add(subscription.Id);
                            if (outcome.HeldDay is { } day)
                            {
                                held[subscription.Id] = (subscription, day);
                            }
                        }
                    }
                }).ConfigureAwait(false);
        }

        return settled + await SettleHeldAsync(held, parallelism, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for the leases of days held by other senders when they end within one lease from now (their holder died:
    /// a live one renews them), then takes those days over; the rest stay due for the next tick.
    /// </summary>
    private async Task<int> SettleHeldAsync(
        Dictionary<long, (NudgeSubscription Subscription, DateOnly Day)> held, int parallelism, CancellationToken cancellationToken)
    {
        var settled = 0;
        for (var round = 0; round < HeldRounds && held.Count > 0 && !cancellationToken.IsCancellationRequested; round++)
        {
            DateTime? soonest;
            using (var scope = scopes.CreateScope())
            {
                soonest = await scope.ServiceProvider.GetRequiredService<NudgeDeliveries>()
                    .SoonestLeaseEndAsync([.. held.Values.Select(h => (h.Subscription.Id, h.Day))], cancellationToken).ConfigureAwait(false);
            }

            var wait = soonest is { } end ? end - time.GetUtcNow().UtcDateTime : TimeSpan.Zero;
            if (wait > leases.Nudge)
            {
                break; // A live holder's lease, or one too far off: the next tick will see.
            }

            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait + TimeSpan.FromMilliseconds(100), time, cancellationToken).ConfigureAwait(false);
            }

            await Parallel.ForEachAsync(
                held.ToList(),
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                async (entry, ct) =>
                {
                    var outcome = await SettleAsync(entry.Value.Subscription, ct).ConfigureAwait(false);
                    lock (held)
                    {
                        if (outcome.HeldDay is null)
                        {
                            held.Remove(entry.Key);
                        }

                        if (outcome.Settled)
                        {
                            settled++;
                        }
                    }
                }).ConfigureAwait(false);
        }

        return settled;
    }

    /// <summary>Settled false: the day is not settled and the subscription stays due; HeldDay: another sender holds that day.</summary>
    private readonly record struct Settling(bool Settled, DateOnly? HeldDay = null);

    private async Task<Settling> SettleAsync(NudgeSubscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var subscriptions = services.GetRequiredService<NudgeSubscriptions>();
            var zone = CommandRouter.FindTimeZone(subscription.TimeZoneId) ?? TimeZoneInfo.Utc;
            var schedule = new NudgeSchedule(subscription.LocalTime, zone, subscription.Days);
            var dueAt = subscription.NextDueAt;
            var localDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(dueAt, zone).DateTime);
            var now = time.GetUtcNow();
            if (NudgeSchedule.StillWorthSending(dueAt, now))
            {
                switch (await services.GetRequiredService<NudgeSender>().SendAsync(subscription, localDate, cancellationToken).ConfigureAwait(false))
                {
                    case NudgeOutcome.Unsubscribed:
                        return new(true);
                    case NudgeOutcome.InProgress:
                        LogInProgress(logger, subscription.Id, localDate);
                        return new(false, localDate);
                    case NudgeOutcome.Retry:
                        return new(false);
                }
            }
            else if (await services.GetRequiredService<NudgeDeliveries>().MarkSkippedAsync(subscription.Id, localDate, "too_late", cancellationToken).ConfigureAwait(false))
            {
                LogSkipped(logger, subscription.Id, localDate, (int)(now - dueAt).TotalMinutes);
            }
            else if (await services.GetRequiredService<NudgeDeliveries>().StateAsync(subscription.Id, localDate, cancellationToken).ConfigureAwait(false) == NudgeDeliveryState.Reserved)
            {
                // Someone is still sending it (a live lease); the skip can wait for their outcome or their lease.
                return new(false, localDate);
            }

            // After a long outage, days that are already too late are not queued one by one: the next is the first still worth sending.
            var from = dueAt > now - NudgeSchedule.LateWindow ? dueAt : now - NudgeSchedule.LateWindow;
            var next = schedule.Next(from, subscription.SkipDate);
            await subscriptions.SetNextDueAsync(subscription.Id, next.At, cancellationToken).ConfigureAwait(false);
            return new(true);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // One subscription's trouble (a database hiccup, a bad row) must not stop everyone else's nudge.
            LogError(logger, ex, subscription.Id);
            return new(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Nudge for subscription {Id} on {Date} skipped: {MinutesLate} minutes late is too late for a morning tip")]
    private static partial void LogSkipped(ILogger logger, long id, DateOnly date, int minutesLate);

    [LoggerMessage(Level = LogLevel.Information, Message = "Nudge for subscription {Id} on {Date} is held by another sender; it stays due")]
    private static partial void LogInProgress(ILogger logger, long id, DateOnly date);

    [LoggerMessage(Level = LogLevel.Error, Message = "Nudge for subscription {Id} could not be settled; it stays due for the next tick")]
    private static partial void LogError(ILogger logger, Exception exception, long id);
}
