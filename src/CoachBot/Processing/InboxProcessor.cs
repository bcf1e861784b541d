using System.Net;
using CoachBot.Slack;
using CoachBot.SlackChannel;
using CoachBot.Storage;
using CoachBot.Teams;
using CoachBot.TeamsChannel;

namespace CoachBot.Processing;

/// <summary>
/// Works through the durable inbox: claims an item, hands it to its channel's work, then marks it done.
/// An item whose reply failed is retried with backoff; one accepted before a crash is still there after restart,
/// because its lease runs out.
/// </summary>
/// <remarks>
/// Several loops run side by side (<c>Inbox:Workers</c>, default 4), each claiming up to <see cref="BatchSize"/>
/// items at once and working on them in parallel, so one channel's pacing or a slow API doesn't hold up the rest and
/// a backlog costs one claim per batch; claims are atomic in the database, so loops and replicas never share an item.
/// Each item is marked done as soon as its reply is out, not with its batch, which keeps the window in which a
/// crash could repeat a reply as short as it was with single claims.
/// </remarks>
internal sealed partial class InboxProcessor(
    IServiceScopeFactory scopes,
    InboxSignal signal,
    IConfiguration configuration,
    ILogger<InboxProcessor> logger) : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(2);

    internal const int BatchSize = 16;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = Math.Clamp(configuration.GetValue("Inbox:Workers", 4), 1, 64);
        return Task.WhenAll(Enumerable.Range(0, workers).Select(i => RunAsync($"{Environment.MachineName}:{Environment.ProcessId}:{i}", stoppingToken)));
    }

    private async Task RunAsync(string worker, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await ProcessBatchAsync(worker, stoppingToken).ConfigureAwait(false))
                {
                    await signal.WaitAsync(IdlePoll, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The store itself failed (disk, database); back off rather than spin.
                LogStoreFailure(logger, ex.GetType().Name);
                await Task.Delay(IdlePoll, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> ProcessBatchAsync(string worker, CancellationToken cancellationToken)
    {
        IReadOnlyList<InboxItem> items;
        using (var scope = scopes.CreateScope())
        {
            items = await scope.ServiceProvider.GetRequiredService<Inbox>().ClaimAsync(worker, Lease, BatchSize, cancellationToken).ConfigureAwait(false);
        }

        if (items.Count == 0)
        {
            return false;
        }

        await Task.WhenAll(items.Select(item => ProcessAsync(item, worker, cancellationToken))).ConfigureAwait(false);
        return true;
    }

    private async Task ProcessAsync(InboxItem item, string worker, CancellationToken cancellationToken)
    {
        // A scope per item: the channel work and its database context are not shared between parallel items.
        using var scope = scopes.CreateScope();
        var inbox = scope.ServiceProvider.GetRequiredService<Inbox>();
        using var activity = Hosting.CoachBotTelemetry.Source.StartActivity("inbox.process");
        activity?.SetTag("coachbot.channel", item.Channel);
        activity?.SetTag("coachbot.inbox.id", item.Id);
        string error;
        TimeSpan? retryAfter = null;
        string method;

        // Retrying is right only when the channel surely did nothing. After a timeout or a 5xx the post may have
        // landed, and a second attempt could post twice; a refusal that will never change is not worth repeating.
        bool permanent;
        try
        {
            var payload = item.Payload ?? "";
            var outcome = item.Channel switch
            {
                InboxItem.Slack => await scope.ServiceProvider.GetRequiredService<SlackWork>().HandleAsync(payload, cancellationToken).ConfigureAwait(false),
                InboxItem.Teams => await scope.ServiceProvider.GetRequiredService<TeamsWork>().HandleAsync(payload, cancellationToken).ConfigureAwait(false),
                _ => "unknown_channel",
            };
            await inbox.CompleteAsync(item.Id, worker, cancellationToken).ConfigureAwait(false);
            LogDone(logger, item.Id, item.Channel, outcome);
            activity?.SetTag("coachbot.outcome", outcome);
            return;
        }
        catch (SlackApiException ex)
        {
            (method, error) = (ex.Method, "slack." + ex.Error);
            permanent = ex.Error.StartsWith("http_5", StringComparison.Ordinal) || SlackErrors.IsPermanent(ex.Error);
        }
        catch (TeamsApiException ex)
        {
            (method, error) = (ex.Operation, ex.ErrorCode is { } code ? "teams." + code : "http_" + (int)ex.Status);
            retryAfter = ex.Status == HttpStatusCode.TooManyRequests ? TimeSpan.FromSeconds(30) : null;
            permanent = ex.IsPermanent || (int)ex.Status is >= 400 and < 500 and not 429 and not 412;
        }
        catch (UntrustedServiceUrlException)
        {
            (method, error) = ("send", "untrusted_service_url");
            permanent = true;
        }
        catch (HttpRequestException ex)
        {
            (method, error) = ("http", "http_" + ex.HttpRequestError.ToString().ToLowerInvariant());

            // Only a refused connection proves nothing was sent.
            permanent = ex.HttpRequestError != HttpRequestError.ConnectionError;
            LogHttp(logger, item.Id, ex.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            (method, error) = ("http", "timeout");
            permanent = true;
        }

        activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, error);
        var state = await inbox.FailAsync(item.Id, worker, error, permanent ? null : retryAfter, permanent, cancellationToken).ConfigureAwait(false);
        LogFailed(logger, item.Id, item.Channel, method, error, state);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbox item {Id} ({Channel}) done: {Outcome}")]
    private static partial void LogDone(ILogger logger, long id, string channel, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox item {Id} ({Channel}) failed in {Method}: {Error}; now {State}")]
    private static partial void LogFailed(ILogger logger, long id, string channel, string method, string error, InboxState? state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox item {Id}: channel API unreachable ({Error})")]
    private static partial void LogHttp(ILogger logger, long id, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The inbox could not be read ({Error}); retrying")]
    private static partial void LogStoreFailure(ILogger logger, string error);
}
