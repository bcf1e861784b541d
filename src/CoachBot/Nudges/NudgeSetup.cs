using CoachBot.Storage;
using Quartz;

namespace CoachBot.Nudges;

/// <summary>Daily nudges: the commands, the sender, and Quartz with its job store in the bot's own database.</summary>
internal static class NudgeSetup
{
    public static IServiceCollection AddNudges(this IServiceCollection services, IConfiguration configuration, StorageOptions storage)
    {
        services.AddScoped<NudgeCommands>();
        services.AddScoped<NudgeSender>();
        services.AddSingleton<NudgeDispatcher>();

        // A tick a minute is enough for HH:MM schedules; tests shorten it.
        var tick = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Nudges:TickSeconds", 60), 1, 3600));
        services.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                // Quartz creates its qrtz_ tables beside ours on first start (it never alters or drops them).
                store.ProvisionSchema();
                store.UseSystemTextJsonSerializer();
                if (storage.Provider == StorageProvider.PostgreSql)
                {
                    store.UsePostgres(storage.ConnectionString);

                    // Replicas share the store; each tick runs on one of them, and another recovers it if that one dies.
                    // Quartz counts a replica dead once a check-in is later than the interval plus the threshold, so a
                    // killed replica's tick runs again on a survivor within about 9 s, by when the nudge leases it held
                    // (short and renewed, see LeaseTimes) are running out. A live replica wrongly counted dead (a long
                    // pause) costs nothing: the days it holds are renewed, so the recovered run waits for them.
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = TimeSpan.FromSeconds(2);
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(5);
                    });
                }
                else
                {
                    store.UseSqlite(storage.ConnectionString);
                }
            });
            q.ScheduleJob<NudgeDispatchJob>(
                trigger => trigger
                    .WithIdentity("nudge-dispatch-tick", "coachbot")
                    .StartNow()

                    // Missed ticks are not replayed one by one: the next tick sends everything still due, late ones included.
                    .WithSimpleSchedule(s => s.WithInterval(tick).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)),
                job => job.WithIdentity(NudgeDispatchJob.Key).StoreDurably().RequestRecovery().DisallowConcurrentExecution());
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
