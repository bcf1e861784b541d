namespace CoachBot.Processing;

/// <summary>Slack <c>ok:false</c> errors that will fail the same way every time, so the inbox stops retrying.</summary>
internal static class SlackErrors
{
    private static readonly HashSet<string> Permanent = new(StringComparer.Ordinal)
    {
        "channel_not_found", "not_in_channel", "is_archived", "invalid_auth", "not_authed", "account_inactive",
        "token_revoked", "token_expired", "no_permission", "missing_scope", "invalid_blocks", "msg_too_long",
        "restricted_action", "user_not_found", "expired_url", "used_url", "not_allowed_token_type", "no_installation",
        "untrusted_response_url",

        // Not here: timeout, http_5xx, invalid_response. The post may have landed, but the retry looks for it first.
    };

    /// <summary>The channel is gone for the bot: its nudge subscription should end, not be retried forever.</summary>
    public static bool IsChannelGone(string error) => error is "channel_not_found" or "not_in_channel" or "is_archived";

    public static bool IsPermanent(string error) => Permanent.Contains(error);
}
