namespace CoachBot.SlackChannel;

/// <summary>
/// Which Slack request an inbox payload is. The raw body is stored as received, so its shape says:
/// Events API bodies are JSON, slash commands and interactions are forms (an interaction's one field is <c>payload</c>).
/// </summary>
internal static class SlackInbound
{
    public const string Event = "event";
    public const string Command = "command";
    public const string Interaction = "interaction";

    public static string KindOf(ReadOnlySpan<byte> body)
    {
        var trimmed = body.TrimStart(" \t\r\n"u8);
        if (trimmed.Length > 0 && trimmed[0] == (byte)'{')
        {
            return Event;
        }

        return trimmed.StartsWith("payload="u8) || trimmed.IndexOf("&payload="u8) >= 0 ? Interaction : Command;
    }
}
