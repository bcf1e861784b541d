using System.Net;

namespace CoachBot.Teams;

/// <summary>
/// A Bot Connector call failed after any retries. Carries the HTTP status and the Teams error code
/// (e.g. <c>BotNotInConversationRoster</c>), never the message that was being sent.
/// </summary>
public sealed class TeamsApiException : Exception
{
    public TeamsApiException(string operation, HttpStatusCode status, string? errorCode)
        : base($"Teams {operation} failed: HTTP {(int)status} {errorCode ?? "(no error code)"}")
    {
        Operation = operation;
        Status = status;
        ErrorCode = errorCode;
    }

    /// <summary>Which call failed: reply, send, update or create-conversation.</summary>
    public string Operation { get; }

    public HttpStatusCode Status { get; }

    /// <summary>The <c>error.code</c> of the response body, when it had one.</summary>
    public string? ErrorCode { get; }

    /// <summary>
    /// The bot can never post to this conversation again (uninstalled, blocked, deleted): forget its
    /// conversation reference and do not retry (teams-protocol.md §4.4).
    /// </summary>
    public bool IsPermanent => (Status, ErrorCode) switch
    {
        (HttpStatusCode.Forbidden, "BotNotInConversationRoster" or "ConversationBlockedByUser") => true,
        (HttpStatusCode.NotFound, "ConversationNotFound") => true,
        _ => false,
    };
}

/// <summary>A send was refused before any request because its service URL is not trusted (see <see cref="TrustedServiceUrls"/>).</summary>
public sealed class UntrustedServiceUrlException : Exception
{
    public UntrustedServiceUrlException(string serviceUrl)
        : base($"Refusing to call the Bot Connector at an untrusted service URL ({Describe(serviceUrl)}): "
            + "only service URLs vouched for by a validated inbound token, or the configured playground URL, get the bot's token.")
    {
    }

    // The URL comes from an activity body: bound what it can write into the logs.
    private static string Describe(string serviceUrl) =>
        serviceUrl.Length > 100 ? serviceUrl[..100] + "…" : serviceUrl;
}
