using CoachBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace CoachBot.Hosting;

/// <summary>
/// Keeps coached message text off the SQLite files. A coached item's payload is set to NULL, and secure_delete zeroes
/// the bytes that frees; but the WAL still holds the frames written when the item arrived until a checkpoint copies
/// them into the database and the WAL is truncated. This runs that checkpoint every <see cref="Interval"/>, so
/// payload text outlives its coaching on disk by at most about that long.
/// </summary>
internal sealed partial class SqliteScrub(IServiceScopeFactory scopes, TimeProvider time, ILogger<SqliteScrub> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<CoachBotDbContext>();

                // TRUNCATE waits (busy_timeout) for writers, copies every frame into the database and empties the WAL;
                // when a reader holds an old snapshot it stops short and the next tick tries again.
                await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQLite checkpoint failed ({Error}); retried in 10 s")]
    private static partial void LogFailed(ILogger logger, string error);
}
