using System.Globalization;
using System.Text.Json.Nodes;

namespace CoachBot.Slack;

/// <summary>
/// Message <c>metadata</c> naming what a post is for (an inbox item's reply, a nudge day), so that a retry can look
/// in the conversation for the first attempt before posting again: a post whose answer never came (a timeout, a
/// dropped connection, a 5xx, a crash) may still have landed.
/// </summary>
/// <param name="EventType">Slack's <c>event_type</c>: letters, digits and underscores.</param>
/// <param name="Key">The one <c>event_payload</c> field.</param>
/// <param name="Value">Its value, unique to the post it marks.</param>
public sealed record SlackMessageMark(string EventType, string Key, string Value)
{
    /// <summary>The reply to inbox item <paramref name="inboxItemId"/>.</summary>
    public static SlackMessageMark Reply(long inboxItemId) =>
        new("coachbot_reply", "inbox_item", inboxItemId.ToString(CultureInfo.InvariantCulture));

    /// <summary>Subscription <paramref name="subscriptionId"/>'s nudge for <paramref name="localDate"/>.</summary>
    public static SlackMessageMark Nudge(long subscriptionId, DateOnly localDate) =>
        new("coachbot_nudge", "nudge_day", subscriptionId.ToString(CultureInfo.InvariantCulture) + "/" + localDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>Sets <paramref name="message"/>'s <c>metadata</c> to this mark.</summary>
    public void StampOn(JsonObject message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message["metadata"] = new JsonObject
        {
            ["event_type"] = EventType,
            ["event_payload"] = new JsonObject { [Key] = Value },
        };
    }

    /// <summary>True when <paramref name="message"/> (as <c>conversations.history</c> returns it) carries this mark.</summary>
    public bool IsOn(JsonNode? message) =>
        message?["metadata"] is JsonObject metadata
        && SlackWebApiClient.Text(metadata, "event_type") == EventType
        && SlackWebApiClient.Text(metadata["event_payload"], Key) == Value;

    /// <summary>A Slack timestamp (<c>1700000000.000000</c>) for <paramref name="time"/>, as <c>oldest</c> takes it.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000m).ToString("0.000000", CultureInfo.InvariantCulture);
}
