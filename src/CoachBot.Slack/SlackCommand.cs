namespace CoachBot.Slack;

/// <summary>
/// What one slash-command request asks of us: a closed set, so a <c>switch</c> over it lists every case.
/// The host answers <see cref="Malformed"/> with 400 and the others with an empty 200.
/// </summary>
public abstract record SlackCommand
{
    // Only the nested records below can derive, which keeps the set closed.
    private SlackCommand()
    {
    }

    /// <summary>A rep typed a command, e.g. <c>/coach What is your budget?</c>.</summary>
    /// <param name="Text">Everything after the command, as typed (Slack trims it); may be empty.</param>
    /// <param name="EnterpriseId">Set in Enterprise Grid workspaces; with <see cref="TeamId"/> it finds the installation.</param>
    /// <param name="ResponseUrl">Where the answer goes (up to five times within 30 minutes); no token needed.</param>
    /// <param name="TriggerId">Opens a modal within 3 seconds; unique per invocation, so also a dedupe key.</param>
    public sealed record SlashCommand(
        string Command,
        string Text,
        string TeamId,
        string? EnterpriseId,
        string ChannelId,
        string UserId,
        Uri ResponseUrl,
        string? TriggerId) : SlackCommand;

    /// <summary>Slack checking the command URL's certificate (<c>ssl_check=1</c>); answer 200 and do nothing.</summary>
    public sealed record SslCheck : SlackCommand;

    /// <summary>Not a slash command Slack would send.</summary>
    /// <param name="Reason">Names fields only, never their values, so it is safe to log.</param>
    public sealed record Malformed(string Reason) : SlackCommand;
}
