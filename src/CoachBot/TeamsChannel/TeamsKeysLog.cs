using CoachBot.Teams;

namespace CoachBot.TeamsChannel;

/// <summary>The one line an outage of Teams' signing keys writes, whether a request or the readiness probe found it.</summary>
internal static partial class TeamsKeysLog
{
    public static void Unavailable(ILogger logger, TeamsOptions teams) =>
        LogUnavailable(logger, (teams.OpenIdMetadataUrl ?? TeamsRequestAuthenticator.DefaultMetadataUrl).AbsoluteUri);

    [LoggerMessage(Level = LogLevel.Error, Message = "Teams signing keys cannot be fetched from {MetadataUrl}: Teams activities get 503 until they can (logged once per outage; /readyz reports it)")]
    private static partial void LogUnavailable(ILogger logger, string metadataUrl);
}
