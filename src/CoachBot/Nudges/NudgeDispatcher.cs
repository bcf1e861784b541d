using CoachBot.Coaching.Commands;
using CoachBot.Coaching.Nudges;
using CoachBot.Storage;

namespace CoachBot.Nudges;

/// <summary>
/// Sends every nudge that is due: called by the scheduler's tick (<see cref="NudgeDispatchJob"/>), or directly by
/// tests with a fake clock. Late ones go out if at most <see cref="NudgeSchedule.LateWindow"/> late; later than that
/// the day is skipped and logged. Each subscription's next due time moves on only once its day is settled, so a
/// replica killed mid-run leaves the rest due for the next tick, on whichever replica runs it; a day whose guard a
/// dead replica still holds stays due until that lease runs out and a later tick takes it over.
/// </summary>
internal sealed partial class NudgeDispatcher(IServiceScopeFactory scopes, TimeProvider time, IConfiguration configuration, ILogger<NudgeDispatcher> logger)
{
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
                    if (await SettleAsync(subscription, ct).ConfigureAwait(false))
                    {
                        Interlocked.Increment(ref settled);
                    }
                    else
                    {
                        lock (unsettled)
                        {
                            unsettled.Add(subscription.Id);
                        }
                    }
                }).ConfigureAwait(false);
        }

        return settled;
    }

    /// <returns>False when the day is not settled and the subscription stays due.</returns>
    private async Task<bool> SettleAsync(NudgeSubscription subscription, CancellationToken cancellationToken)
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
                        return true;
                    case NudgeOutcome.InProgress:
                        LogInProgress(logger, subscription.Id, localDate);
                        return false;
                }
            }
            else if (await services.GetRequiredService<NudgeDeliveries>().MarkSkippedAsync(subscription.Id, localDate, "too_late", cancellationToken).ConfigureAwait(false))
            {
                LogSkipped(logger, subscription.Id, localDate, (int)(now - dueAt).TotalMinutes);
            }
            else if (await services.GetRequiredService<NudgeDeliveries>().StateAsync(subscription.Id, localDate, cancellationToken).ConfigureAwait(false) == NudgeDeliveryState.Reserved)
            {
                // Someone is still sending it (a live lease); the skip can wait for their outcome or their lease.
                return false;
            }

            // After a long outage, days that are already too late are not queued one by one: the next is the first still worth sending.
            var from = dueAt > now - NudgeSchedule.LateWindow ? dueAt : now - NudgeSchedule.LateWindow;
            var next = schedule.Next(from, subscription.SkipDate);
            await subscriptions.SetNextDueAsync(subscription.Id, next.At, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // One subscription's trouble (a database hiccup, a bad row) must not stop everyone else's nudge.
            LogError(logger, ex, subscription.Id);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Nudge for subscription {Id} on {Date} skipped: {MinutesLate} minutes late is too late for a morning tip")]
    private static partial void LogSkipped(ILogger logger, long id, DateOnly date, int minutesLate);

    [LoggerMessage(Level = LogLevel.Information, Message = "Nudge for subscription {Id} on {Date} is held by another sender; it stays due")]
    private static partial void LogInProgress(ILogger logger, long id, DateOnly date);

    [LoggerMessage(Level = LogLevel.Error, Message = "Nudge for subscription {Id} could not be settled; it stays due for the next tick")]
    private static partial void LogError(ILogger logger, Exception exception, long id);
}
