using System.Text.Json.Nodes;

namespace CoachBot.Teams;

/// <summary>Builds the outbound activities CoachBot sends: plain text, or one card with a notification summary.</summary>
/// <remarks>
/// Only what the Bot Connector needs: the service fills in <c>from</c>, <c>recipient</c> and
/// <c>conversation</c> from the route. <see cref="BotConnectorClient.ReplyToActivityAsync"/> adds
/// <c>replyToId</c> itself; pass it here when sending a reply another way.
/// </remarks>
public static class TeamsActivities
{
    public static JsonObject Message(string text, string? replyToId = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var activity = new JsonObject { ["type"] = "message", ["text"] = text, ["textFormat"] = "plain" };
        return WithReplyTo(activity, replyToId);
    }

    /// <param name="attachment">E.g. <see cref="AdaptiveCardRenderer.Attachment(CoachBot.Coaching.Messages.CoachingReply)"/>; copied, so one card can go to many conversations.</param>
    /// <param name="summary">The notification preview. The card carries its own <c>fallbackText</c> for clients that cannot draw it.</param>
    public static JsonObject Card(JsonObject attachment, string summary, string? replyToId = null)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        ArgumentNullException.ThrowIfNull(summary);
        var activity = new JsonObject
        {
            ["type"] = "message",
            // No "text": Teams draws text and card as two messages, so the reply would show twice. "summary" is what
            // notifications and the chat list show for a card-only message.
            ["summary"] = summary,
            ["attachments"] = new JsonArray(attachment.DeepClone()),
        };
        return WithReplyTo(activity, replyToId);
    }

    private static JsonObject WithReplyTo(JsonObject activity, string? replyToId)
    {
        if (!string.IsNullOrEmpty(replyToId))
        {
            activity["replyToId"] = replyToId;
        }

        return activity;
    }
}
