using Quartz;

namespace CoachBot.Nudges;

/// <summary>
/// The scheduler's tick. Quartz keeps it in the bot's database; on PostgreSQL the store is clustered, so each tick
/// runs on exactly one replica, and a tick cut short by a dying replica is recovered by another.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class NudgeDispatchJob(NudgeDispatcher dispatcher, ILogger<NudgeDispatchJob> logger) : IJob
{
    public static readonly JobKey Key = new("nudge-dispatch", "coachbot");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settled = await dispatcher.DispatchDueAsync(cancellationToken).ConfigureAwait(false);
        if (settled > 0)
        {
            LogTick(logger, settled, context.Scheduler.SchedulerInstanceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Nudge tick settled {Count} subscriptions on {Instance}")]
    private static partial void LogTick(ILogger logger, int count, string instance);
}
