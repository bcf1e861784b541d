using System.Text.Json.Nodes;

namespace CoachBot.Teams;

/// <summary>Builds the outbound activities CoachBot sends: plain text, or a card with a text fallback.</summary>
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

    /// <param name="attachment">E.g. <see cref="AdaptiveCardRenderer.Attachment"/>; copied, so one card can go to many conversations.</param>
    /// <param name="fallbackText">Shown in notifications and by clients that cannot draw the card.</param>
    public static JsonObject Card(JsonObject attachment, string fallbackText, string? replyToId = null)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        ArgumentNullException.ThrowIfNull(fallbackText);
        var activity = new JsonObject
        {
            ["type"] = "message",
            // Teams uses text as the notification preview and as the message where cards are not shown.
            ["text"] = fallbackText,
            ["textFormat"] = "plain",
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
