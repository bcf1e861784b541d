namespace CoachBot.Slack;

/// <summary>The "Add to Slack" side of OAuth v2: the bot scopes CoachBot asks for and the authorize URL.</summary>
public static class SlackOAuth
{
    public static readonly Uri AuthorizeEndpoint = new("https://slack.com/oauth/v2/authorize");

    /// <summary>
    /// The bot scopes, and only these: <c>manifest/slack/manifest.json</c> must list the same (a test checks).
    /// Events that need no scope (app_home_opened, app_uninstalled, tokens_revoked) and <c>views.publish</c> add none.
    /// </summary>
    public static IReadOnlyList<string> BotScopes { get; } =
    [
        // The app_mention event: coaching when someone writes @CoachBot in a channel the bot is in.
        "app_mentions:read",

        // conversations.history / conversations.replies in public channels, private channels and group DMs: before a
        // reply or nudge is sent again after a failure that may have hidden its landing, the bot looks for the first
        // one by its metadata. No message events are subscribed to with these; only the bot's own posts are looked for.
        "channels:history",

        // chat.postMessage / chat.postEphemeral / chat.update: every reply and daily nudge.
        "chat:write",

        // The /coach slash command.
        "commands",

        "groups:history",

        // The message.im event: reps' direct messages to the bot, the main way to ask for coaching; and the look-up
        // of the bot's own replies in DMs, as above.
        "im:history",

        "mpim:history",

        // users.info for the rep's time zone (user.tz), so "nudge on 09:00" means 09:00 where the rep is.
        "users:read",

        // Not asked for: channels:read (no member_joined_channel handling), im:write (replies go to the DM the rep
        // opened, or to the user id, which chat:write allows), message.channels and the other message events (only
        // mentions are read in channels).
    ];

    /// <summary>
    /// <c>https://slack.com/oauth/v2/authorize?client_id=…&amp;scope=…&amp;state=…&amp;redirect_uri=…</c>, where the
    /// "Add to Slack" button sends the browser. Scopes are comma-separated, as Slack expects.
    /// </summary>
    /// <param name="state">The one-time anti-CSRF value the redirect must bring back.</param>
    /// <param name="redirectUri">Optional; if sent, the code exchange must send the same value.</param>
    public static Uri AuthorizeUrl(string clientId, IEnumerable<string> scopes, string state, string? redirectUri)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentException.ThrowIfNullOrWhiteSpace(state);

        var query = $"client_id={Uri.EscapeDataString(clientId)}&scope={Uri.EscapeDataString(string.Join(',', scopes))}"
            + $"&user_scope=&state={Uri.EscapeDataString(state)}";
        if (!string.IsNullOrEmpty(redirectUri))
        {
            query += "&redirect_uri=" + Uri.EscapeDataString(redirectUri);
        }

        return new UriBuilder(AuthorizeEndpoint) { Query = query }.Uri;
    }
}
