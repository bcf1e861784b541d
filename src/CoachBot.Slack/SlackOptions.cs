namespace CoachBot.Slack;

/// <summary>The <c>Slack</c> configuration section. Slack is off when <see cref="SigningSecret"/> is empty.</summary>
public sealed class SlackOptions
{
    public const string Section = "Slack";

    public string? SigningSecret { get; set; }

    /// <summary>The bot token (xoxb-) for a single workspace.</summary>
    public string? BotToken { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Where the Web API lives; tests and air-gapped installs point it elsewhere.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    public bool Enabled => !string.IsNullOrWhiteSpace(SigningSecret);

    /// <summary>Returns the missing setting's name, or null when the options can run.</summary>
    public string? Problem()
    {
        if (!Enabled)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(BotToken) && (string.IsNullOrWhiteSpace(ClientId) || string.IsNullOrWhiteSpace(ClientSecret)))
        {
            return "Slack:SigningSecret is set, so Slack is on, but there is no way to reply: set Slack:BotToken (one workspace) "
                + "or Slack:ClientId and Slack:ClientSecret (install through OAuth).";
        }

        return ApiBaseUrl.IsAbsoluteUri && ApiBaseUrl.AbsoluteUri.EndsWith('/')
            ? null
            : "Slack:ApiBaseUrl must be an absolute URL ending in '/', such as https://slack.com/api/.";
    }
}
