using CoachBot.Coaching;
using CoachBot.Slack;
using CoachBot.Storage;

namespace CoachBot.Processing;

/// <summary>
/// Works through the durable inbox: claims an item, coaches it, replies through the channel's API,
/// then marks it done. An item whose reply failed is retried with backoff; one accepted before a
/// crash is still there after restart, because its lease runs out.
/// </summary>
internal sealed partial class InboxProcessor(
    IServiceScopeFactory scopes,
    InboxSignal signal,
    Coach coach,
    ILogger<InboxProcessor> logger) : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(2);
    private readonly string _worker = $"{Environment.MachineName}:{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await ProcessOneAsync(stoppingToken).ConfigureAwait(false))
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

    private async Task<bool> ProcessOneAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var inbox = scope.ServiceProvider.GetRequiredService<Inbox>();
        var item = await inbox.ClaimNextAsync(_worker, Lease, cancellationToken).ConfigureAwait(false);
        if (item is null)
        {
            return false;
        }

        try
        {
            var outcome = item.Channel switch
            {
                InboxItem.Slack => await HandleSlackAsync(scope.ServiceProvider, item.Payload ?? "", cancellationToken).ConfigureAwait(false),
                _ => "unknown_channel",
            };
            await inbox.CompleteAsync(item.Id, cancellationToken).ConfigureAwait(false);
            LogDone(logger, item.Id, item.Channel, outcome);
        }
        catch (SlackApiException ex)
        {
            var state = await inbox.FailAsync(item.Id, ex.Error, null, cancellationToken).ConfigureAwait(false);
            LogFailed(logger, item.Id, item.Channel, ex.Method, ex.Error, state);
        }
        catch (HttpRequestException ex)
        {
            var state = await inbox.FailAsync(item.Id, "http_unreachable", null, cancellationToken).ConfigureAwait(false);
            LogFailed(logger, item.Id, item.Channel, "http", ex.HttpRequestError.ToString(), state);
        }

        return true;
    }

    private async Task<string> HandleSlackAsync(IServiceProvider services, string payload, CancellationToken cancellationToken)
    {
        var slack = services.GetRequiredService<SlackWebApiClient>();
        switch (SlackEventParser.Parse(System.Text.Encoding.UTF8.GetBytes(payload)))
        {
            case SlackEvent.MessageReceived { Message: var message, IsMention: var mention }:
                var reply = Reply(message.Text);

                // A mention is answered in its thread; a DM in the conversation itself.
                if (mention)
                {
                    reply["thread_ts"] = message.ThreadId ?? message.MessageId;
                }
                else if (message.ThreadId is { } thread)
                {
                    reply["thread_ts"] = thread;
                }

                reply["channel"] = message.Channel;
                await slack.PostMessageAsync(reply, cancellationToken).ConfigureAwait(false);
                return mention ? "coached_mention" : "coached_dm";
            case SlackEvent.Ignored or SlackEvent.Malformed or SlackEvent.UrlVerification:
                return "ignored";
            default:
                // App Home, uninstall and token revocation arrive with the rest of issue 3.
                return "not_handled_yet";
        }
    }

    private System.Text.Json.Nodes.JsonObject Reply(string text)
    {
        try
        {
            return BlockKitRenderer.Render(coach.Review(text));
        }
        catch (CoachingInputException ex)
        {
            return new System.Text.Json.Nodes.JsonObject { ["text"] = ex.Message };
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbox item {Id} ({Channel}) done: {Outcome}")]
    private static partial void LogDone(ILogger logger, long id, string channel, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox item {Id} ({Channel}) failed in {Method}: {Error}; now {State}")]
    private static partial void LogFailed(ILogger logger, long id, string channel, string method, string error, InboxState state);

    [LoggerMessage(Level = LogLevel.Error, Message = "The inbox could not be read ({Error}); retrying")]
    private static partial void LogStoreFailure(ILogger logger, string error);
}
