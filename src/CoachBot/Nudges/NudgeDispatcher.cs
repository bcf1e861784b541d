using CoachBot.Coaching.Commands;
using CoachBot.Coaching.Nudges;
using CoachBot.Storage;

namespace CoachBot.Nudges;

/// <summary>
/// Sends every nudge that is due: called by the scheduler's tick (<see cref="NudgeDispatchJob"/>), or directly by
/// tests with a fake clock. Late ones go out if at most <see cref="NudgeSchedule.LateWindow"/> late; later than that
/// the day is skipped and logged. Each subscription's next due time moves on only once its day is settled, so a
/// replica killed mid-run leaves the rest due for the next tick, on whichever replica runs it.
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
        while (!cancellationToken.IsCancellationRequested)
        {
            IReadOnlyList<NudgeSubscription> due;
            using (var scope = scopes.CreateScope())
            {
                due = await scope.ServiceProvider.GetRequiredService<NudgeSubscriptions>()
                    .DueAsync(now, Batch, cancellationToken).ConfigureAwait(false);
            }

            if (due.Count == 0)
            {
                break;
            }

            await Parallel.ForEachAsync(
                due,
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                async (subscription, ct) =>
                {
                    await SettleAsync(subscription, ct).ConfigureAwait(false);
                    Interlocked.Increment(ref settled);
                }).ConfigureAwait(false);
        }

        return settled;
    }

    private async Task SettleAsync(NudgeSubscription subscription, CancellationToken cancellationToken)
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
            var outcome = await services.GetRequiredService<NudgeSender>().SendAsync(subscription, localDate, cancellationToken).ConfigureAwait(false);
            if (outcome == NudgeOutcome.Unsubscribed)
            {
                return;
            }
        }
        else
        {
            await services.GetRequiredService<NudgeDeliveries>().MarkSkippedAsync(subscription.Id, localDate, "too_late", cancellationToken).ConfigureAwait(false);
            LogSkipped(logger, subscription.Id, localDate, (int)(now - dueAt).TotalMinutes);
        }

        // After a long outage, days that are already too late are not queued one by one: the next is the first still worth sending.
        var from = dueAt > now - NudgeSchedule.LateWindow ? dueAt : now - NudgeSchedule.LateWindow;
        var next = schedule.Next(from, subscription.SkipDate);
        await subscriptions.SetNextDueAsync(subscription.Id, next.At, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Nudge for subscription {Id} on {Date} skipped: {MinutesLate} minutes late is too late for a morning tip")]
    private static partial void LogSkipped(ILogger logger, long id, DateOnly date, int minutesLate);
}
