namespace CoachBot.Slack;

/// <summary>A Web API call that Slack answered with <c>ok: false</c>, or could not be made; carries the method and Slack's error code, never message text.</summary>
public sealed class SlackApiException : Exception
{
    public SlackApiException()
    {
    }

    public SlackApiException(string message)
        : base(message)
    {
    }

    public SlackApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SlackApiException(string method, string error)
        : base($"Slack {method} failed: {error}")
    {
        Method = method;
        Error = error;
    }

    /// <summary>A call that failed before Slack answered (timeout, open circuit); the cause is kept for the log, never the body.</summary>
    public SlackApiException(string method, string error, Exception innerException)
        : base($"Slack {method} failed: {error}", innerException)
    {
        Method = method;
        Error = error;
    }

    public string Method { get; } = "";

    public string Error { get; } = "";
}
