using CoachBot.Slack;
using CoachBot.Storage;
using Microsoft.AspNetCore.DataProtection;

namespace CoachBot.SlackChannel;

/// <summary>
/// The bot token for a workspace: the configured one in single-workspace mode, otherwise the one its
/// OAuth install stored, decrypted here and only here (tokens are encrypted at rest with Data Protection).
/// </summary>
internal sealed class SlackTokens(SlackOptions options, SlackInstallations installations, IDataProtectionProvider protection)
{
    private const string Purpose = "CoachBot.Slack.BotToken.v1";

    /// <summary>Null when the workspace has no installation (uninstalled, or never installed).</summary>
    public async Task<string?> ForAsync(string teamId, string? enterpriseId, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.BotToken))
        {
            return options.BotToken;
        }

        var installation = await installations.FindAsync(teamId, enterpriseId, cancellationToken).ConfigureAwait(false);
        return installation is null ? null : protection.CreateProtector(Purpose).Unprotect(installation.ProtectedBotToken);
    }

    public string Protect(string token) => protection.CreateProtector(Purpose).Protect(token);
}
