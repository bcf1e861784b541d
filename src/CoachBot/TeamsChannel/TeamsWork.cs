using System.Globalization;
using System.Text.Json.Nodes;
using CoachBot.Coaching.Commands;
using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Nudges;
using CoachBot.Conversations;
using CoachBot.Hosting;
using CoachBot.Processing;
using CoachBot.Storage;
using CoachBot.Teams;

namespace CoachBot.TeamsChannel;

/// <summary>
/// Does the work for Teams: the activities taken from the inbox (messages, card submits, installs) and, inline,
/// the card button invokes. Returns a short outcome for the log; throws <see cref="TeamsApiException"/> when the
/// Bot Connector refused a call.
/// </summary>
internal sealed class TeamsWork(
    BotConnectorClient connector,
    TrustedServiceUrls trusted,
    CommandHandler commands,
    CardPresses presses,
    Feedback feedback,
    NudgeLibrary nudges,
    ConversationReferences references,
    ConversationPacer pacer,
    TimeProvider time)
{
    public async Task<string> HandleAsync(InboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var activity = TeamsActivityParser.Parse(System.Text.Encoding.UTF8.GetBytes(item.Payload ?? ""));

        // Only authenticated activities reach the inbox, so their service URL was vouched for (also before a restart).
        if (activity.ServiceUrl is { } serviceUrl)
        {
            trusted.Add(serviceUrl);
        }

        try
        {
            return activity switch
            {
                MessageReceived message => await AnswerMessageAsync(message, cancellationToken).ConfigureAwait(false),
                CardSubmitted submitted => await AnswerSubmitAsync(submitted, cancellationToken).ConfigureAwait(false),
                BotInstalled installed => await InstallAsync(installed.Address, cancellationToken).ConfigureAwait(false),
                BotUninstalled removed => await references.RemoveAsync(removed.Address.ConversationId, cancellationToken).ConfigureAwait(false)
                    ? "uninstalled" : "uninstalled_unknown",
                _ => "ignored",
            };
        }
        catch (TeamsApiException ex) when (ex.IsPermanent && activity is MessageReceived or CardSubmitted or BotInstalled)
        {
            // Removed from the team, or blocked by the user: nothing will ever get through, so forget the conversation.
            var address = activity switch
            {
                MessageReceived m => m.Address,
                CardSubmitted c => c.Address,
                BotInstalled i => i.Address,
                _ => throw new InvalidOperationException(),
            };
            await references.RemoveAsync(address.ConversationId, cancellationToken).ConfigureAwait(false);
            return "gone_" + (ex.ErrorCode ?? ((int)ex.Status).ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The invoke response for an <c>Action.Execute</c> press: the card that replaces the pressed one.</summary>
    public async Task<JsonObject> AnswerInvokeAsync(CardActionInvoked invoked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoked);
        var card = await FollowUpCardAsync(invoked.Address, invoked.ActivityId, invoked.Verb, invoked.Data, cancellationToken).ConfigureAwait(false);
        return AdaptiveCardHelp.InvokeResponse(card);
    }

    private async Task<string> AnswerMessageAsync(MessageReceived message, CancellationToken cancellationToken)
    {
        var address = message.Address;
        var context = new ConversationContext(InboxItem.Teams, address.TenantId ?? "", address.ConversationId, address.UserId ?? "");

        // Teams does not tell a bot the user's time zone in a way it can rely on; nudges default to UTC unless one is given.
        var answer = await commands.AnswerAsync(context, message.Text, _ => Task.FromResult<string?>(null), cancellationToken).ConfigureAwait(false);
        var activity = answer switch
        {
            BotAnswer.Coaching { Reply: var reply } => AdaptiveCardRenderer.Activity(reply),
            BotAnswer.Help => TeamsActivities.Card(AdaptiveCardHelp.Attachment(AdaptiveCardHelp.HelpCard()), HelpContent.Title),
            BotAnswer.Note { Text: var text } => TeamsActivities.Message(text),
            _ => throw new InvalidOperationException("Unknown answer."),
        };
        await ReplyAsync(address, message.ActivityId, activity, cancellationToken).ConfigureAwait(false);
        return answer switch
        {
            BotAnswer.Coaching { Reply: var coached } => Coached(coached),
            BotAnswer.Help => "help",
            _ => "note",
        };
    }

    private async Task<string> AnswerSubmitAsync(CardSubmitted submitted, CancellationToken cancellationToken)
    {
        // Action.Submit (clients without Universal Actions) can't swap the card, so the answer is a new message in the thread.
        var card = await FollowUpCardAsync(submitted.Address, submitted.ActivityId, submitted.Verb, submitted.Data, cancellationToken).ConfigureAwait(false);
        await ReplyAsync(submitted.Address, submitted.ActivityId, TeamsActivities.Card(AdaptiveCardHelp.Attachment(card), "CoachBot"), cancellationToken).ConfigureAwait(false);
        return "submit_" + submitted.Verb;
    }

    private async Task<JsonObject> FollowUpCardAsync(
        TeamsAddress address, string activityId, string verb, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken)
    {
        // The card's own activity id identifies the message; the voter is the person who pressed.
        var messageKey = address.ConversationId + ":" + (data.GetValueOrDefault("message") ?? activityId);
        var rule = data.GetValueOrDefault("rule") ?? "";
        if (rule.StartsWith(NudgeFeedback.Prefix, StringComparison.Ordinal))
        {
            return await NudgeFeedbackCardAsync(address, messageKey, verb, rule, data, cancellationToken).ConfigureAwait(false);
        }

        if (verb is not (CoachingActions.Another or CoachingActions.Why or CoachingActions.More or CoachingActions.Helpful
            or CoachingActions.NotHelpful or CoachingActions.Reason or CoachingActions.ChangeFeedback) || rule.Length == 0)
        {
            return AdaptiveCardHelp.HelpCard();
        }

        var card = await presses.PressAsync(InboxItem.Teams, messageKey, address.UserId ?? "", verb, data, cancellationToken).ConfigureAwait(false);
        return card is null ? AdaptiveCardHelp.NoteCard(Gone) : AdaptiveCardRenderer.Card(card);
    }

    private async Task<JsonObject> NudgeFeedbackCardAsync(
        TeamsAddress address, string messageKey, string verb, string rule, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken)
    {
        if (nudges.Find(rule[NudgeFeedback.Prefix.Length..]) is not { } nudge || verb is not (CoachingActions.Helpful or CoachingActions.NotHelpful))
        {
            return AdaptiveCardHelp.NoteCard(Gone);
        }

        var helpful = verb == CoachingActions.Helpful;
        await feedback.RecordAsync(InboxItem.Teams, messageKey, address.UserId ?? "", rule, helpful, cancellationToken: cancellationToken).ConfigureAwait(false);
        var question = int.TryParse(data.GetValueOrDefault("q"), NumberStyles.None, CultureInfo.InvariantCulture, out var q) && q < QuestionOfTheDay.Prompts.Count
            ? QuestionOfTheDay.Prompts[q]
            : null;
        return AdaptiveCardHelp.NudgeCard(nudge, question, helpful);
    }

    private static string Coached(CoachingReply reply)
    {
        CoachBotTelemetry.RecordCoached(InboxItem.Teams, reply);
        return "coached";
    }

    private const string Gone = "That advice is no longer in the rule packs; send the question again for fresh coaching.";

    private async Task<string> InstallAsync(TeamsAddress address, CancellationToken cancellationToken)
    {
        await references.UpsertAsync(
            new ConversationReference
            {
                ConversationId = address.ConversationId,
                TenantId = address.TenantId ?? "",
                ServiceUrl = address.ServiceUrl,
                BotId = address.BotId,
                ConversationType = address.Scope.ToString(),
                TeamId = address.TeamId,
                ChannelId = address.TeamChannelId,
                UserId = address.UserId,
                InstalledAt = time.GetUtcNow(),
            },
            cancellationToken).ConfigureAwait(false);
        if (!await references.TryMarkWelcomedAsync(address.ConversationId, cancellationToken).ConfigureAwait(false))
        {
            return "installed_again";
        }

        await pacer.WaitTurnAsync("teams:" + address.ConversationId, cancellationToken).ConfigureAwait(false);
        await connector.SendToConversationAsync(
            address.ServiceUrl,
            address.ConversationId,
            TeamsActivities.Card(AdaptiveCardHelp.Attachment(AdaptiveCardHelp.HelpCard(welcome: true)), "Hi! I'm CoachBot. " + HelpContent.Intro),
            cancellationToken).ConfigureAwait(false);
        return "installed_welcomed";
    }

    private async Task ReplyAsync(TeamsAddress address, string activityId, JsonObject activity, CancellationToken cancellationToken)
    {
        await pacer.WaitTurnAsync("teams:" + address.ConversationId, cancellationToken).ConfigureAwait(false);
        await connector.ReplyToActivityAsync(address.ServiceUrl, address.ConversationId, activityId, activity, cancellationToken).ConfigureAwait(false);
    }
}
