using System.Text;

namespace CoachBot.Slack;

/// <summary>An installation, as <c>oauth.v2.access</c> returned it for an authorization code.</summary>
/// <param name="AccessToken">The bot token (<c>xoxb-</c>). Left out of <see cref="ToString"/>, so logging the record never leaks it.</param>
/// <param name="BotId">
/// Not part of Slack's answer: filled in from <c>auth.test</c> with the new token, as Bolt does; null if that call failed.
/// </param>
/// <param name="TeamId">Null for an org-wide (Enterprise Grid) install, which belongs to <see cref="EnterpriseId"/>.</param>
/// <param name="Scope">The bot scopes granted, comma-separated as Slack sends them.</param>
public sealed record SlackOAuthAccess(
    string AccessToken,
    string BotUserId,
    string? BotId,
    string AppId,
    string? TeamId,
    string? TeamName,
    string? EnterpriseId,
    bool IsEnterpriseInstall,
    string Scope)
{
    // The compiler-made ToString prints every property; this one prints all but the token.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"BotUserId = {BotUserId}, BotId = {BotId}, AppId = {AppId}, TeamId = {TeamId}, TeamName = {TeamName}, ")
            .Append($"EnterpriseId = {EnterpriseId}, IsEnterpriseInstall = {IsEnterpriseInstall}, Scope = {Scope}");
        return true;
    }
}
