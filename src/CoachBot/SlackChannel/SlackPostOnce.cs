using System.Text.Json.Nodes;
using CoachBot.Slack;

namespace CoachBot.SlackChannel;

/// <summary>
/// <c>chat.postMessage</c> that does not post twice: every post carries its <see cref="SlackMessageMark"/>, and a
/// retry (an earlier attempt may have landed) first looks for that mark in the conversation.
/// </summary>
internal static class SlackPostOnce
{
    /// <summary>
    /// Posts <paramref name="message"/> (which carries <c>channel</c>, and <c>thread_ts</c> for a thread reply) marked
    /// with <paramref name="mark"/>. When <paramref name="lookFrom"/> is given (a Slack timestamp no later than the
    /// first attempt), the conversation is searched from there first, and nothing is posted if the mark is found;
    /// a token without the history scopes cannot search, and the message is posted.
    /// </summary>
    /// <returns>True when posted now, false when the earlier attempt had landed.</returns>
    public static async Task<bool> PostOnceAsync(
        this SlackWebApiClient slack, string token, JsonObject message, SlackMessageMark mark, string? lookFrom, CancellationToken cancellationToken)
    {
        mark.StampOn(message);
        if (lookFrom is not null
            && Field(message, "channel") is { } channel
            && await slack.FindMarkedAsync(token, channel, Field(message, "thread_ts"), lookFrom, mark, cancellationToken).ConfigureAwait(false) == true)
        {
            return false;
        }

        await slack.PostMessageAsync(token, message, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static string? Field(JsonObject message, string name) =>
        message[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
