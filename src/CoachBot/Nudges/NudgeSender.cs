using CoachBot.Coaching.Nudges;
using CoachBot.Processing;
using CoachBot.Slack;
using CoachBot.SlackChannel;
using CoachBot.Storage;
using CoachBot.Teams;

namespace CoachBot.Nudges;

/// <summary>What became of one channel's nudge for one day.</summary>
internal enum NudgeOutcome
{
    Sent,

    /// <summary>The day's guard row says it is settled already: sent, failed or skipped.</summary>
    AlreadyHandled,

    /// <summary>
    /// Another sender holds a live reservation for the day: it is posting now, or died doing so and its lease has not
    /// run out. The day is not settled; once the lease runs out, a later try takes it over.
    /// </summary>
    InProgress,

    /// <summary>The bot can no longer post there; the subscription was ended.</summary>
    Unsubscribed,

    Failed,
}

/// <summary>
/// Posts one channel's nudge for one local date. The unique guard row (subscription, date) is taken first, so
/// whatever the scheduler or a second replica does, a channel never gets the same day's nudge twice.
/// </summary>
internal sealed partial class NudgeSender(
    IServiceProvider services,
    NudgeLibrary library,
    NudgeSubscriptions subscriptions,
    NudgeDeliveries deliveries,
    ConversationPacer pacer,
    IConfiguration configuration,
    ILogger<NudgeSender> logger)
{
    /// <summary>
    /// How long a replica may hold a day's guard before another may take over (it died mid-send): a minute unless
    /// <c>Nudges:LeaseSeconds</c> says otherwise. It must stay well above a post's worst-case duration.
    /// </summary>
    private readonly TimeSpan _lease = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Nudges:LeaseSeconds", 60), 5, 3600));

    private static readonly string Owner = $"{Environment.MachineName}:{Environment.ProcessId}";

    public async Task<NudgeOutcome> SendAsync(NudgeSubscription subscription, DateOnly localDate, CancellationToken cancellationToken)
    {
        if (!await deliveries.TryReserveAsync(subscription.Id, localDate, Owner, _lease, cancellationToken).ConfigureAwait(false))
        {
            return await deliveries.StateAsync(subscription.Id, localDate, cancellationToken).ConfigureAwait(false) == NudgeDeliveryState.Reserved
                ? NudgeOutcome.InProgress
                : NudgeOutcome.AlreadyHandled;
        }

        var tipId = await subscriptions.TakeNextTipAsync(subscription.Id, [.. library.All.Select(n => n.Id)], cancellationToken).ConfigureAwait(false);
        var nudge = library.Find(tipId) ?? library.All[0];
        var question = subscription.WithQuestion ? QuestionOfTheDay.For(localDate) : null;
        string? gone = null;
        try
        {
            gone = subscription.Channel == InboxItem.Slack
                ? await PostToSlackAsync(subscription, nudge, question, cancellationToken).ConfigureAwait(false)
                : await PostToTeamsAsync(subscription, nudge, question, cancellationToken).ConfigureAwait(false);
        }
        catch (SlackApiException ex)
        {
            if (!SlackErrors.IsChannelGone(ex.Error) && ex.Error != "no_installation")
            {
                return await FailAsync(subscription, localDate, "slack." + ex.Error, cancellationToken).ConfigureAwait(false);
            }

            gone = "slack." + ex.Error;
        }
        catch (TeamsApiException ex)
        {
            if (!ex.IsPermanent)
            {
                return await FailAsync(subscription, localDate, "teams." + (ex.ErrorCode ?? ((int)ex.Status).ToString(System.Globalization.CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
            }

            gone = "teams." + ex.ErrorCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UntrustedServiceUrlException && !cancellationToken.IsCancellationRequested)
        {
            // Not retried: after a timeout the post may have landed, and the guard exists to prevent a second one.
            return await FailAsync(subscription, localDate, "http." + ex.GetType().Name, cancellationToken).ConfigureAwait(false);
        }

        if (gone is not null)
        {
            await deliveries.MarkFailedAsync(subscription.Id, localDate, gone, cancellationToken).ConfigureAwait(false);
            await subscriptions.RemoveAsync(subscription.Channel, subscription.ConversationId, cancellationToken).ConfigureAwait(false);
            LogUnsubscribed(logger, subscription.Id, subscription.Channel, gone);
            return NudgeOutcome.Unsubscribed;
        }

        await deliveries.MarkSentAsync(subscription.Id, localDate, nudge.Id, cancellationToken).ConfigureAwait(false);
        LogSent(logger, subscription.Id, subscription.Channel, localDate, nudge.Id);
        return NudgeOutcome.Sent;
    }

    private async Task<NudgeOutcome> FailAsync(NudgeSubscription subscription, DateOnly localDate, string code, CancellationToken cancellationToken)
    {
        await deliveries.MarkFailedAsync(subscription.Id, localDate, code, cancellationToken).ConfigureAwait(false);
        LogFailed(logger, subscription.Id, subscription.Channel, localDate, code);
        return NudgeOutcome.Failed;
    }

    /// <returns>Why the channel is gone for the bot, or null when the nudge was posted.</returns>
    private async Task<string?> PostToSlackAsync(NudgeSubscription subscription, Nudge nudge, string? question, CancellationToken cancellationToken)
    {
        var tokens = services.GetRequiredService<SlackTokens>();
        if (await tokens.ForAsync(subscription.Workspace, null, cancellationToken).ConfigureAwait(false) is not { } token)
        {
            return "slack.no_installation";
        }

        var message = BlockKitHelp.Nudge(nudge, question);
        message["channel"] = subscription.ConversationId;
        await pacer.WaitTurnAsync("slack:" + subscription.ConversationId, cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<SlackWebApiClient>().PostMessageAsync(token, message, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task<string?> PostToTeamsAsync(NudgeSubscription subscription, Nudge nudge, string? question, CancellationToken cancellationToken)
    {
        var references = services.GetRequiredService<ConversationReferences>();
        if (await references.FindAsync(subscription.ConversationId, cancellationToken).ConfigureAwait(false) is not { } reference)
        {
            return "teams.no_conversation_reference";
        }

        // The reference was stored from an authenticated install, so its service URL is one the Bot Service vouched for.
        services.GetRequiredService<TrustedServiceUrls>().Add(reference.ServiceUrl);
        var connector = services.GetRequiredService<BotConnectorClient>();
        var activity = TeamsActivities.Card(AdaptiveCardHelp.Attachment(AdaptiveCardHelp.NudgeCard(nudge, question)), "Today's coaching tip: " + nudge.Title);
        await pacer.WaitTurnAsync("teams:" + reference.ConversationId, cancellationToken).ConfigureAwait(false);
        try
        {
            if (reference.ChannelId is { Length: > 0 } teamChannel && reference.ConversationType == nameof(TeamsScope.Channel))
            {
                // A new top-level post in the channel, so replies to the tip form their own thread.
                await connector.CreateConversationAsync(reference.ServiceUrl, reference.TenantId, teamChannel, activity, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await connector.SendToConversationAsync(reference.ServiceUrl, reference.ConversationId, activity, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (TeamsApiException ex) when (ex.IsPermanent)
        {
            await references.RemoveAsync(reference.ConversationId, cancellationToken).ConfigureAwait(false);
            throw;
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Nudge for subscription {Id} ({Channel}) on {Date} sent: tip {Tip}")]
    private static partial void LogSent(ILogger logger, long id, string channel, DateOnly date, string tip);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Nudge for subscription {Id} ({Channel}) on {Date} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, long id, string channel, DateOnly date, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {Id} ({Channel}) ended: the bot can no longer post there ({Reason})")]
    private static partial void LogUnsubscribed(ILogger logger, long id, string channel, string reason);
}
