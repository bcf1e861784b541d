using CoachBot.Storage;

namespace CoachBot.Hosting;

/// <summary>Samples the inbox's depth and oldest age for the metrics, every 10 seconds (a gauge callback can't query a database).</summary>
internal sealed class InboxGauge(IServiceScopeFactory scopes) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var depth = await scope.ServiceProvider.GetRequiredService<Inbox>().DepthAsync(stoppingToken).ConfigureAwait(false);
                CoachBotTelemetry.RecordInbox(depth.Pending, depth.OldestAge);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A missed sample only leaves the gauge at its last value; the inbox worker reports store failures.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
