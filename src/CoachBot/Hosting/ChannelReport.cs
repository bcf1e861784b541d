using CoachBot.Endpoints;
using CoachBot.Slack;
using CoachBot.Teams;

namespace CoachBot.Hosting;

/// <summary>What the start-up log and <c>/readyz</c> say about the channels: which are on, at which routes.</summary>
internal static partial class ChannelReport
{
    public const string NoneConfigured =
        "no channel is configured: set Slack:SigningSecret (with Slack:BotToken or Slack:ClientId and Slack:ClientSecret) or Teams:AppId";

    public static string Describe(SlackOptions slack, TeamsOptions teams)
    {
        var parts = new List<string>();
        if (slack.Enabled)
        {
            var oauth = slack is { ClientId.Length: > 0, ClientSecret.Length: > 0 }
                ? $", {SlackOAuthEndpoints.InstallPath}, {SlackOAuthEndpoints.RedirectPath} (multi-workspace)"
                : " (single workspace)";
            parts.Add($"Slack at {SlackEndpoints.EventsPath}, {SlackEndpoints.CommandsPath}, {SlackEndpoints.InteractivePath}{oauth}");
        }

        if (teams.Enabled)
        {
            parts.Add(teams.AuthEnabled
                ? $"Teams at {TeamsEndpoints.Path} (Bot Service tokens checked)"
                : $"Teams at {TeamsEndpoints.Path} (UNAUTHENTICATED, loopback clients only: the local Agents Playground)");
        }

        return parts.Count == 0 ? NoneConfigured : string.Join("; ", parts);
    }

    public static void Log(ILogger logger, SlackOptions slack, TeamsOptions teams)
    {
        if (slack.Enabled || teams.Enabled)
        {
            var channels = Describe(slack, teams);
            LogChannels(logger, channels);
        }
        else
        {
            LogNoChannel(logger, NoneConfigured);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Channels on: {Channels}")]
    private static partial void LogChannels(ILogger logger, string channels);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CoachBot will answer nobody: {Problem}")]
    private static partial void LogNoChannel(ILogger logger, string problem);
}
