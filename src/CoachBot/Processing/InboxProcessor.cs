using CoachBot.Leases;
using CoachBot.SlackChannel;
using CoachBot.Storage;
using CoachBot.TeamsChannel;

namespace CoachBot.Processing;

/// <summary>
/// Works through the durable inbox: claims items, hands each to its channel's work, then marks it done.
/// An item whose reply failed is retried with backoff, also when the reply may have landed (a timeout, a dropped
/// connection, a 5xx): the retry is told so (<see cref="InboxItem.Attempts"/> above 1) and the Slack work looks for
/// the first reply before sending another. One accepted before a crash is still there after restart: a restarted
/// node frees its dead leases at once, and another replica takes them over when they run out, within
/// <see cref="LeaseTimes.Inbox"/> (10 s), because the leases of items in progress are short and renewed
/// (<see cref="LeaseHeartbeat"/>).
/// </summary>
/// <remarks>
/// One loop claims as many items as there are free places (<c>Inbox:Concurrency</c>, default 64) and starts each on
/// its own, so one channel's pacing or a slow API holds up only its own items, and a backlog costs one claim per
/// batch rather than per item. Before each claim it watches the accepts for 20 ms, so that a burst is claimed together,
/// and while they arrive faster than 1,000 a second, and for 2 s after, it holds back (up to a second a batch, 8
/// items at a time): acknowledgements keep their latency under a burst and the backlog is coached after it. Each item is
/// marked done as soon as its reply is out (through <see cref="InboxWriter"/>, where completions go before accepts and
/// share a commit only with each other), which keeps the window in which a crash could repeat a reply short. Claims are atomic in the database, so replicas never share an item.
/// </remarks>
internal sealed partial class InboxProcessor(
    IServiceScopeFactory scopes,
    InboxSignal signal,
    InboxWriter writer,
    NodeIdentity node,
    HeldLeases held,
    LeaseTimes leases,
    IConfiguration configuration,
    ILogger<InboxProcessor> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(2);
    // Acknowledgements first. Before each claim the loop watches the accepts for a moment (which also lets a burst
    // gather into one claim); while they arrive faster than BusyAccepts a step, claiming and coaching would take the
    // CPU the channels' 200s need (Slack gives 3 s, and retries what it doesn't get), so it waits. The deliveries are
    // durable and can wait, but never longer than YieldAtMost a batch, so a sustained flood still gets answers.
    private static readonly TimeSpan YieldStep = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan YieldAtMost = TimeSpan.FromSeconds(1);
    private const long BusyAccepts = 20; // in one YieldStep: 1,000 a second
    private const int FloodBatch = 8;
    private static readonly TimeSpan FloodMemory = TimeSpan.FromSeconds(2);

    private readonly string _worker = node.Worker;
    private long _lastBusy; // when a YieldStep last saw a flood (Stopwatch timestamp; 0: never)

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var limit = Math.Clamp(configuration.GetValue("Inbox:Concurrency", 64), 0, 1024);
        if (limit == 0)
        {
            // An accept-only replica: it persists deliveries and another replica (on the same PostgreSQL) answers them.
            LogAcceptOnly(logger);
            return;
        }

        using var free = new SemaphoreSlim(limit, limit);
        var running = new HashSet<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await free.WaitAsync(stoppingToken).ConfigureAwait(false);
                // Under a flood only a trickle is claimed, so each second's coaching is a small bite, not a 64-item stall.
                var most = await YieldToAcceptsAsync(stoppingToken).ConfigureAwait(false) ? Math.Min(limit, FloodBatch) : limit;
                var places = 1;
                while (places < most && free.Wait(0, CancellationToken.None))
                {
                    places++;
                }

                var items = await ClaimAsync(places, stoppingToken).ConfigureAwait(false);
                if (places > items.Count)
                {
                    free.Release(places - items.Count);
                }

                lock (running)
                {
                    running.RemoveWhere(t => t.IsCompleted);
                    foreach (var item in items)
                    {
                        running.Add(RunItemAsync(item, free, stoppingToken));
                    }
                }

                if (items.Count < places)
                {
                    // The inbox is empty for now: sleep until an accept.
                    await signal.WaitAsync(IdlePoll, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The store itself failed (disk, database); back off rather than spin.
                LogStoreFailure(logger, ex.GetType().Name);
                await Task.Delay(IdlePoll, stoppingToken).ConfigureAwait(false);
            }
        }

        Task[] unfinished;
        lock (running)
        {
            unfinished = [.. running];
        }

        // Items cut short by the shutdown keep their lease and are claimed again after it runs out.
        await Task.WhenAll(unfinished).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits while accepts are busy, up to <see cref="YieldAtMost"/>; true when they still are, or were within
    /// <see cref="FloodMemory"/>.
    /// </summary>
    /// <remarks>
    /// One quiet step in a flood (a GC pause, wrk reconnecting) must not let a full claim in: 64 items of coaching
    /// at once stall the acknowledgements for tens of milliseconds on one core, which makes the next steps quiet
    /// too, and the loop would feed itself. So a flood is remembered for a moment after it last showed.
    /// </remarks>
    private async Task<bool> YieldToAcceptsAsync(CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        bool busy;
        do
        {
            var before = writer.Accepts;
            await Task.Delay(YieldStep, cancellationToken).ConfigureAwait(false);
            waited += YieldStep;
            busy = writer.Accepts - before > BusyAccepts;
            if (busy)
            {
                _lastBusy = TimeProvider.System.GetTimestamp();
            }
        }
        while (busy && waited < YieldAtMost);
        return busy || (_lastBusy != 0 && TimeProvider.System.GetElapsedTime(_lastBusy) < FloodMemory);
    }

    private async Task<IReadOnlyList<InboxItem>> ClaimAsync(int max, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<Inbox>().ClaimAsync(_worker, leases.Inbox, max, cancellationToken).ConfigureAwait(false);
    }

    private async Task RunItemAsync(InboxItem item, SemaphoreSlim free, CancellationToken cancellationToken)
    {
        var lease = held.HoldInboxItem(item.Id); // Renewed by the heartbeat until this item is finished with.
        try
        {
            await Task.Yield(); // Off the claiming loop at once: it goes on claiming while this item works.
            await ProcessAsync(item, _worker, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Not a channel error (those are handled in ProcessAsync): the item keeps its lease, no longer renewed, and
            // is tried again when it runs out, up to the inbox's attempt limit.
            LogItemCrashed(logger, item.Id, item.Channel, ex.GetType().Name);
        }
        finally
        {
            lease.Dispose();
            free.Release();
        }
    }

    private async Task ProcessAsync(InboxItem item, string worker, CancellationToken cancellationToken)
    {
        // A scope per item: the channel work and its database context are not shared between parallel items.
        using var scope = scopes.CreateScope();
        using var activity = Hosting.CoachBotTelemetry.Source.StartActivity("inbox.process");
        activity?.SetTag("coachbot.channel", item.Channel);
        activity?.SetTag("coachbot.inbox.id", item.Id);
        ChannelFailure failure;
        try
        {
            var outcome = item.Channel switch
            {
                InboxItem.Slack => await scope.ServiceProvider.GetRequiredService<SlackWork>().HandleAsync(item, cancellationToken).ConfigureAwait(false),
                InboxItem.Teams => await scope.ServiceProvider.GetRequiredService<TeamsWork>().HandleAsync(item, cancellationToken).ConfigureAwait(false),
                _ => "unknown_channel",
            };

            // Recorded at once, ahead of any accepts: until this commit a crash would send the reply again.
            await writer.CompleteAsync(item.Id, worker).ConfigureAwait(false);
            LogDone(logger, item.Id, item.Channel, outcome);
            activity?.SetTag("coachbot.outcome", outcome);
            return;
        }
        catch (Exception ex) when (ChannelFailure.From(ex, cancellationToken) is { } known)
        {
            failure = known;
            if (ex is HttpRequestException http)
            {
                LogHttp(logger, item.Id, http.HttpRequestError.ToString());
            }
        }

        activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, failure.Error);
        var state = await scope.ServiceProvider.GetRequiredService<Inbox>()
            .FailAsync(item.Id, worker, failure.Error, failure.Permanent ? null : failure.RetryAfter, failure.Permanent, cancellationToken)
            .ConfigureAwait(false);
        LogFailed(logger, item.Id, item.Channel, failure.Method, failure.Error, state);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbox item {Id} ({Channel}) done: {Outcome}")]
    private static partial void LogDone(ILogger logger, long id, string channel, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox item {Id} ({Channel}) failed in {Method}: {Error}; now {State}")]
    private static partial void LogFailed(ILogger logger, long id, string channel, string method, string error, InboxState? state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox item {Id}: channel API unreachable ({Error})")]
    private static partial void LogHttp(ILogger logger, long id, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbox:Concurrency is 0: this process accepts deliveries but leaves answering them to other replicas")]
    private static partial void LogAcceptOnly(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbox item {Id} ({Channel}) crashed: {Error}; it is retried when its lease runs out")]
    private static partial void LogItemCrashed(ILogger logger, long id, string channel, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The inbox could not be read ({Error}); retrying")]
    private static partial void LogStoreFailure(ILogger logger, string error);
}
