using CoachBot.Storage;

namespace CoachBot.Leases;

/// <summary>
/// Keeps this process's leases short and alive. At start-up it ends the leases this node's earlier processes held
/// (they died with them: see <see cref="NodeIdentity"/>), so a restart picks their work up at once; then, every
/// <see cref="LeaseTimes.RenewEvery"/>, it extends the leases of the work in progress (<see cref="HeldLeases"/>).
/// </summary>
/// <remarks>
/// Short leases are what let a surviving replica take over a dead one's work within seconds: the lease of an item in
/// flight is never more than <see cref="LeaseTimes.Inbox"/> ahead, and it stops moving the moment its holder dies.
/// A renewal that fails (the database is briefly away) is tried again at the next beat; a lease that runs out
/// meanwhile is taken over, and the Slack read-back keeps that from posting twice.
/// </remarks>
internal sealed partial class LeaseHeartbeat(
    IServiceScopeFactory scopes,
    NodeIdentity node,
    HeldLeases held,
    LeaseTimes times,
    ILogger<LeaseHeartbeat> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (node.Lasting)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var inbox = await scope.ServiceProvider.GetRequiredService<Inbox>()
                    .ExpireLeasesOfAsync(node.OwnerPrefix, node.Worker, cancellationToken).ConfigureAwait(false);
                var nudges = await scope.ServiceProvider.GetRequiredService<NudgeDeliveries>()
                    .ExpireLeasesOfAsync(node.OwnerPrefix, node.Worker, cancellationToken).ConfigureAwait(false);
                if (inbox + nudges > 0)
                {
                    LogTakenBack(logger, inbox, nudges, node.Node);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                // Not fatal: the leases run out on their own.
                LogRenewFailed(logger, ex.GetType().Name);
            }
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(times.RenewEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RenewAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Extends every lease held now; public so a test can beat without waiting for the timer.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            if (held.InboxItems is { Count: > 0 } items)
            {
                await scope.ServiceProvider.GetRequiredService<Inbox>().RenewAsync(node.Worker, items, times.Inbox, cancellationToken).ConfigureAwait(false);
            }

            if (held.Nudges is { Count: > 0 } nudges)
            {
                await scope.ServiceProvider.GetRequiredService<NudgeDeliveries>().RenewAsync(node.Worker, nudges, times.Nudge, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            LogRenewFailed(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Took back {Inbox} inbox items and {Nudges} nudge days that node {Node} held when it stopped")]
    private static partial void LogTakenBack(ILogger logger, int inbox, int nudges, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Leases could not be renewed ({Error}); trying again at the next beat")]
    private static partial void LogRenewFailed(ILogger logger, string error);
}
