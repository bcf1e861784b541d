namespace CoachBot.Slack;

/// <summary>
/// What one Events API request asks of us: a closed set, so a <c>switch</c> over it lists every case.
/// The host answers <see cref="Malformed"/> with 400 and everything else with 200.
/// </summary>
public abstract record SlackEvent
{
    // Only the nested records below can derive, which keeps the set closed.
    private SlackEvent()
    {
    }

    /// <summary>Slack checking the Request URL; answer with the challenge.</summary>
    public sealed record UrlVerification(string Challenge) : SlackEvent;

    /// <summary>A direct message to the bot, or a mention of it in a conversation it is in.</summary>
    public sealed record MessageReceived(EventDelivery Delivery, IncomingMessage Message, bool IsMention) : SlackEvent;

    /// <summary>The rep opened the app's Home or Messages tab; fires on every visit.</summary>
    /// <param name="Tab"><c>home</c> or <c>messages</c>.</param>
    public sealed record AppHomeOpened(EventDelivery Delivery, string User, string Channel, string Tab) : SlackEvent;

    /// <summary>The workspace removed the app: everything stored for the team goes.</summary>
    public sealed record AppUninstalled(EventDelivery Delivery) : SlackEvent;

    /// <summary>Tokens were revoked for these user ids (<c>tokens.oauth</c>) and bot user ids (<c>tokens.bot</c>).</summary>
    public sealed record TokensRevoked(EventDelivery Delivery, IReadOnlyList<string> Users, IReadOnlyList<string> Bots) : SlackEvent;

    /// <summary>A well-formed request we deliberately do nothing with; acknowledge it so Slack doesn't retry.</summary>
    /// <param name="Reason">Names event types and subtypes only, never message text, so it is safe to log.</param>
    public sealed record Ignored(string Reason) : SlackEvent;

    /// <summary>Not JSON, or an envelope missing what every envelope has.</summary>
    public sealed record Malformed(string Reason) : SlackEvent;
}

/// <summary>The envelope fields every handled event carries.</summary>
/// <param name="EventId">The same across Slack's retries of one delivery: the dedupe key.</param>
public sealed record EventDelivery(string EventId, string Team, string ApiAppId);
