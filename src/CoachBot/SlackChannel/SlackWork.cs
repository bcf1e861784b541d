using System.Text.Json.Nodes;
using System.Globalization;
using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Nudges;
using CoachBot.Conversations;
using CoachBot.Hosting;
using CoachBot.Processing;
using CoachBot.Slack;
using CoachBot.Storage;

namespace CoachBot.SlackChannel;

/// <summary>
/// Does the work for one Slack delivery taken from the inbox: an event, a slash command or a button press.
/// Returns a short outcome for the log; throws <see cref="SlackApiException"/> when Slack refused a call.
/// </summary>
/// <remarks>
/// Every <c>chat.postMessage</c> is marked with the inbox item it answers (<see cref="SlackMessageMark.Reply"/>); when
/// the item was claimed before (an earlier attempt may have landed), the conversation is searched for that mark first.
/// Answers through a <c>response_url</c> cannot be looked up: they are ephemeral, and a retry may show one twice.
/// </remarks>
internal sealed class SlackWork(
    SlackWebApiClient slack,
    SlackTokens tokens,
    CommandHandler commands,
    CardPresses presses,
    Feedback feedback,
    NudgeLibrary nudges,
    SlackInstallations installations,
    ConversationPacer pacer)
{
    public Task<string> HandleAsync(InboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var body = System.Text.Encoding.UTF8.GetBytes(item.Payload ?? "");
        return SlackInbound.KindOf(body) switch
        {
            SlackInbound.Event => HandleEventAsync(item, body, cancellationToken),
            SlackInbound.Command => HandleCommandAsync(body, cancellationToken),
            _ => HandleInteractionAsync(body, cancellationToken),
        };
    }

    private async Task<string> HandleEventAsync(InboxItem item, byte[] body, CancellationToken cancellationToken)
    {
        switch (SlackEventParser.Parse(body))
        {
            case SlackEvent.MessageReceived { Message: var message, IsMention: var mention, Delivery: var delivery }:
            {
                if (await tokens.ForAsync(delivery.Team, null, cancellationToken).ConfigureAwait(false) is not { } token)
                {
                    return "no_installation";
                }

                var context = new ConversationContext(InboxItem.Slack, delivery.Team, message.Channel, message.User);
                var answer = await commands.AnswerAsync(
                    context, message.Text, ct => slack.UsersInfoTimeZoneAsync(token, message.User, ct), cancellationToken).ConfigureAwait(false);
                var reply = Render(answer, mention ? "@CoachBot " : "");
                reply["channel"] = message.Channel;

                // A mention is answered in its thread; a DM in the conversation itself (or the thread it came from).
                if (mention || message.ThreadId is not null)
                {
                    reply["thread_ts"] = message.ThreadId ?? message.MessageId;
                }

                // The reply comes after the message it answers, so the search starts there.
                await pacer.WaitTurnAsync("slack:" + message.Channel, cancellationToken).ConfigureAwait(false);
                var posted = await PostOnceAsync(token, reply, item, message.MessageId, cancellationToken).ConfigureAwait(false);
                return (mention ? "mention_" : "dm_") + (posted ? Outcome(answer) : "already_posted");
            }

            case SlackEvent.AppHomeOpened { Delivery: var delivery, User: var user, Tab: "home" }:
            {
                if (await tokens.ForAsync(delivery.Team, null, cancellationToken).ConfigureAwait(false) is not { } token)
                {
                    return "no_installation";
                }

                await slack.PublishViewAsync(token, user, BlockKitHelp.HomeView(), cancellationToken).ConfigureAwait(false);
                return "home_published";
            }

            case SlackEvent.AppUninstalled { Delivery: var delivery }:
                return $"uninstalled_{await installations.DeleteAsync(delivery.Team, null, cancellationToken).ConfigureAwait(false)}_deleted";

            case SlackEvent.TokensRevoked { Delivery: var delivery, Bots.Count: > 0 }:
                return $"revoked_{await installations.DeleteAsync(delivery.Team, null, cancellationToken).ConfigureAwait(false)}_deleted";

            default:
                return "ignored";
        }
    }

    private async Task<string> HandleCommandAsync(byte[] body, CancellationToken cancellationToken)
    {
        if (SlackCommandParser.Parse(body) is not SlackCommand.SlashCommand command)
        {
            return "ignored";
        }

        var context = new ConversationContext(InboxItem.Slack, command.TeamId, command.ChannelId, command.UserId);
        var answer = await commands.AnswerAsync(
            context,
            command.Text,
            async ct => await tokens.ForAsync(command.TeamId, command.EnterpriseId, ct).ConfigureAwait(false) is { } token
                ? await slack.UsersInfoTimeZoneAsync(token, command.UserId, ct).ConfigureAwait(false)
                : null,
            cancellationToken).ConfigureAwait(false);
        var reply = Render(answer, command.Command + " ");
        reply["response_type"] = "ephemeral";
        await slack.RespondAsync(command.ResponseUrl, reply, cancellationToken).ConfigureAwait(false);
        return "command_" + Outcome(answer);
    }

    private async Task<string> HandleInteractionAsync(byte[] body, CancellationToken cancellationToken)
    {
        if (SlackInteractionParser.Parse(body) is not SlackInteraction.BlockActions action)
        {
            return "ignored";
        }

        var data = ButtonValue.Parse(action.Value);
        var rule = data.GetValueOrDefault("rule") ?? "";
        if (rule.Length == 0 || action.ActionId is not (CoachingActions.Another or CoachingActions.Why or CoachingActions.More
            or CoachingActions.Helpful or CoachingActions.NotHelpful or CoachingActions.Reason or CoachingActions.ChangeFeedback))
        {
            return "ignored";
        }

        var messageKey = $"{action.ChannelId}:{action.MessageTs}";
        JsonObject message;
        if (rule.StartsWith(NudgeFeedback.Prefix, StringComparison.Ordinal))
        {
            if (nudges.Find(rule[NudgeFeedback.Prefix.Length..]) is not { } nudge || action.ActionId is not (CoachingActions.Helpful or CoachingActions.NotHelpful))
            {
                return "ignored";
            }

            var helpful = action.ActionId == CoachingActions.Helpful;
            await feedback.RecordAsync(InboxItem.Slack, messageKey, action.UserId, rule, helpful, cancellationToken: cancellationToken).ConfigureAwait(false);
            var question = int.TryParse(data.GetValueOrDefault("q"), NumberStyles.None, CultureInfo.InvariantCulture, out var q) && q < QuestionOfTheDay.Prompts.Count
                ? QuestionOfTheDay.Prompts[q]
                : null;
            message = BlockKitHelp.Nudge(nudge, question, helpful);
        }
        else
        {
            var card = await presses.PressAsync(InboxItem.Slack, messageKey, action.UserId, action.ActionId, data, cancellationToken).ConfigureAwait(false);
            message = card is null ? Gone() : BlockKitRenderer.Render(card);
        }

        var outcome = action.ActionId switch
        {
            CoachingActions.Helpful => "helpful",
            CoachingActions.NotHelpful => "not_helpful",
            CoachingActions.Reason => "reason",
            CoachingActions.ChangeFeedback => "change_feedback",
            var other => other["coach_".Length..],
        };

        // The pressed message itself is redrawn: chat.update for a message in a channel (no limit on presses), the
        // response_url for an ephemeral one, which chat.update cannot reach.
        if (!action.ContainerIsEphemeral && action.ChannelId is { } channel && action.MessageTs is { } ts
            && await tokens.ForAsync(action.TeamId, action.EnterpriseId, cancellationToken).ConfigureAwait(false) is { } token)
        {
            await pacer.WaitTurnAsync("slack:" + channel, cancellationToken).ConfigureAwait(false);
            await slack.UpdateAsync(token, channel, ts, message, cancellationToken).ConfigureAwait(false);
            return outcome;
        }

        if (action.ResponseUrl is null)
        {
            return "no_response_url";
        }

        message["replace_original"] = true;
        await slack.RespondAsync(action.ResponseUrl, message, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <param name="after">The timestamp of the message being answered: the reply can only have landed after it.</param>
    private Task<bool> PostOnceAsync(string token, JsonObject reply, InboxItem item, string after, CancellationToken cancellationToken) =>
        slack.PostOnceAsync(token, reply, SlackMessageMark.Reply(item.Id), item.Attempts > 1 ? after : null, cancellationToken);

    private static string Coached(CoachingReply reply)
    {
        CoachBotTelemetry.RecordCoached(InboxItem.Slack, reply);
        return "coached";
    }

    private static JsonObject Gone() => BlockKitHelp.Note("That advice is no longer in the rule packs; send the question again for fresh coaching.");

    private static JsonObject Render(BotAnswer answer, string commandPrefix) => answer switch
    {
        BotAnswer.Coaching { Reply: var reply } => BlockKitRenderer.Render(reply),
        BotAnswer.Help => BlockKitHelp.Help(commandPrefix),
        BotAnswer.Note { Text: var text } => BlockKitHelp.Note(text),
        _ => throw new ArgumentOutOfRangeException(nameof(answer)),
    };

    private static string Outcome(BotAnswer answer) => answer switch
    {
        BotAnswer.Coaching { Reply: var reply } => Coached(reply),
        BotAnswer.Help => "help",
        _ => "note",
    };
}
