using System.Text.Json.Nodes;
using CoachBot.Coaching;
using CoachBot.Coaching.Commands;
using CoachBot.Coaching.Messages;
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
internal sealed class SlackWork(
    SlackWebApiClient slack,
    SlackTokens tokens,
    CommandHandler commands,
    Coach coach,
    Feedback feedback,
    SlackInstallations installations,
    ConversationPacer pacer)
{
    public Task<string> HandleAsync(string payload, CancellationToken cancellationToken)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(payload);
        return SlackInbound.KindOf(body) switch
        {
            SlackInbound.Event => HandleEventAsync(body, cancellationToken),
            SlackInbound.Command => HandleCommandAsync(body, cancellationToken),
            _ => HandleInteractionAsync(body, cancellationToken),
        };
    }

    private async Task<string> HandleEventAsync(byte[] body, CancellationToken cancellationToken)
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

                await pacer.WaitTurnAsync("slack:" + message.Channel, cancellationToken).ConfigureAwait(false);
                await slack.PostMessageAsync(token, reply, cancellationToken).ConfigureAwait(false);
                return (mention ? "mention_" : "dm_") + Outcome(answer);
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

        var (rule, shown) = ButtonValue.Parse(action.Value);
        JsonObject? reply;
        string outcome;
        switch (action.ActionId)
        {
            case CoachingActions.Another:
                reply = FollowUps.Another(coach.Engine, rule, shown) is { } another ? BlockKitHelp.Another(another) : Gone();
                outcome = "another";
                break;
            case CoachingActions.Why:
                reply = FollowUps.Why(coach.Engine, rule) is { } why ? BlockKitHelp.Why(why) : Gone();
                outcome = "why";
                break;
            case CoachingActions.Helpful or CoachingActions.NotHelpful when rule.Length > 0:
                var helpful = action.ActionId == CoachingActions.Helpful;
                var messageKey = $"{action.ChannelId}:{action.MessageTs}";
                await feedback.RecordAsync(InboxItem.Slack, messageKey, action.UserId, rule, helpful, cancellationToken).ConfigureAwait(false);
                reply = BlockKitHelp.Note(helpful
                    ? "Thanks! Knowing what helps lets us keep the advice that lands."
                    : "Thanks for saying so. We look at advice marked not helpful and rework it.");
                outcome = helpful ? "helpful" : "not_helpful";
                break;
            default:
                return "ignored";
        }

        // Follow-ups go to whoever pressed, in the thread of the reply; an ephemeral reply has no thread, so it is answered in place.
        if (action.ContainerIsEphemeral || action.ChannelId is null || action.MessageTs is null || outcome is "helpful" or "not_helpful")
        {
            if (action.ResponseUrl is null)
            {
                return "no_response_url";
            }

            reply["response_type"] = "ephemeral";
            reply["replace_original"] = false;
            await slack.RespondAsync(action.ResponseUrl, reply, cancellationToken).ConfigureAwait(false);
            return outcome;
        }

        if (await tokens.ForAsync(action.TeamId, action.EnterpriseId, cancellationToken).ConfigureAwait(false) is not { } token)
        {
            return "no_installation";
        }

        reply["channel"] = action.ChannelId;
        reply["thread_ts"] = action.ThreadTs ?? action.MessageTs;
        await pacer.WaitTurnAsync("slack:" + action.ChannelId, cancellationToken).ConfigureAwait(false);
        await slack.PostMessageAsync(token, reply, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

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
