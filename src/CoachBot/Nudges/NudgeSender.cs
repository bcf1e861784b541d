using CoachBot.Coaching.Nudges;
using CoachBot.Leases;
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

    /// <summary>
    /// The post may or may not have landed (a timeout, a dropped connection, a 5xx): the day is given back unsettled,
    /// and the next try looks for the post on Slack before sending again.
    /// </summary>
    Retry,
}

/// <summary>
/// Posts one channel's nudge for one local date. The unique guard row (subscription, date) is taken first, so
/// whatever the scheduler or a second replica does, two senders never post the same day's nudge at once. A sender
/// that dies mid-post loses its reservation within one lease (renewed while the post runs, see
/// <see cref="LeaseHeartbeat"/>); whoever takes the day over first looks on Slack for the day's
/// <see cref="SlackMessageMark.Nudge"/> and posts only if the first attempt did not land. Teams has no such
/// look-up: there a post whose answer was lost can go out twice.
/// </summary>
internal sealed partial class NudgeSender(
    IServiceProvider services,
    NudgeLibrary library,
    NudgeSubscriptions subscriptions,
    NudgeDeliveries deliveries,
    ConversationPacer pacer,
    NodeIdentity node,
    HeldLeases held,
    LeaseTimes leases,
    ILogger<NudgeSender> logger)
{
    // Slack timestamps and our clock may differ a little; the search for an earlier post starts this much before due.
    private static readonly TimeSpan ClockSlack = TimeSpan.FromMinutes(5);

    public async Task<NudgeOutcome> SendAsync(NudgeSubscription subscription, DateOnly localDate, CancellationToken cancellationToken)
    {
        var reservation = await deliveries.ReserveAsync(subscription.Id, localDate, node.Worker, leases.Nudge, cancellationToken).ConfigureAwait(false);
        if (reservation == NudgeReservation.Refused)
        {
            return await deliveries.StateAsync(subscription.Id, localDate, cancellationToken).ConfigureAwait(false) == NudgeDeliveryState.Reserved
                ? NudgeOutcome.InProgress
                : NudgeOutcome.AlreadyHandled;
        }

        using var lease = held.HoldNudge(subscription.Id);

        var tipId = await subscriptions.TakeNextTipAsync(subscription.Id, [.. library.All.Select(n => n.Id)], cancellationToken).ConfigureAwait(false);
        var nudge = library.Find(tipId) ?? library.All[0];
        var question = subscription.WithQuestion ? QuestionOfTheDay.For(localDate) : null;
        string? gone = null;
        try
        {
            // After a takeover the dead sender's post may have landed; on Slack it is looked for first.
            var lookFrom = reservation == NudgeReservation.TakenOver ? SlackMessageMark.Timestamp(subscription.NextDueAt - ClockSlack) : null;
            gone = subscription.Channel == InboxItem.Slack
                ? await PostToSlackAsync(subscription, localDate, nudge, question, lookFrom, cancellationToken).ConfigureAwait(false)
                : await PostToTeamsAsync(subscription, nudge, question, cancellationToken).ConfigureAwait(false);
        }
        catch (SlackApiException ex) when (SlackErrors.IsChannelGone(ex.Error) || ex.Error == "no_installation")
        {
            gone = "slack." + ex.Error;
        }
        catch (TeamsApiException ex) when (ex.IsPermanent)
        {
            gone = "teams." + ex.ErrorCode;
        }
        catch (Exception ex) when (ChannelFailure.From(ex, cancellationToken) is { } failure)
        {
            if (failure.Permanent)
            {
                return await FailAsync(subscription, localDate, failure.Error, cancellationToken).ConfigureAwait(false);
            }

            await deliveries.ReleaseForRetryAsync(subscription.Id, localDate, node.Worker, failure.Error, cancellationToken).ConfigureAwait(false);
            LogRetry(logger, subscription.Id, subscription.Channel, localDate, failure.Error);
            return NudgeOutcome.Retry;
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
    private async Task<string?> PostToSlackAsync(
        NudgeSubscription subscription, DateOnly localDate, Nudge nudge, string? question, string? lookFrom, CancellationToken cancellationToken)
    {
        var tokens = services.GetRequiredService<SlackTokens>();
        if (await tokens.ForAsync(subscription.Workspace, null, cancellationToken).ConfigureAwait(false) is not { } token)
        {
            return "slack.no_installation";
        }

        var message = BlockKitHelp.Nudge(nudge, question);
        message["channel"] = subscription.ConversationId;
        await pacer.WaitTurnAsync("slack:" + subscription.ConversationId, cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<SlackWebApiClient>()
            .PostOnceAsync(token, message, SlackMessageMark.Nudge(subscription.Id, localDate), lookFrom, cancellationToken).ConfigureAwait(false);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Nudge for subscription {Id} ({Channel}) on {Date} may not have gone out ({Error}); it is tried again, after a look for it on Slack")]
    private static partial void LogRetry(ILogger logger, long id, string channel, DateOnly date, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {Id} ({Channel}) ended: the bot can no longer post there ({Reason})")]
    private static partial void LogUnsubscribed(ILogger logger, long id, string channel, string reason);
}
