namespace CoachBot.Slack;

/// <summary>Turns a slash-command form body into a <see cref="SlackCommand"/>.</summary>
/// <remarks>
/// Call <see cref="IsSslCheck"/> first, before signature verification; call <see cref="Parse"/> only after
/// <see cref="SlackSignatureVerifier"/> said <see cref="SlackSignatureResult.Valid"/> on the same bytes. Never throws for bad input.
/// </remarks>
public static class SlackCommandParser
{
    /// <summary>The only content type for which Bolt lets an <c>ssl_check</c> skip verification, compared exactly as Bolt does.</summary>
    public const string FormContentType = "application/x-www-form-urlencoded";

    /// <summary>
    /// True when this request is Slack's unsigned certificate probe, to be answered 200 with an empty body before
    /// signature verification. The same rule as Bolt's HTTPReceiver (<c>parseAndVerifyHTTPRequest</c>): the content type
    /// is exactly <see cref="FormContentType"/> and the form's one <c>ssl_check</c> field is exactly <c>1</c>.
    /// </summary>
    /// <remarks>
    /// Bolt also rewrites such a body to <c>ssl_check=1</c> so that no smuggled field is processed unsigned; the caller
    /// gets the same guarantee by answering at once and handing the body to nothing else.
    /// </remarks>
    public static bool IsSslCheck(string? contentType, ReadOnlySpan<byte> formBody) =>
        string.Equals(contentType, FormContentType, StringComparison.Ordinal) && HasSslCheckField(FormBody.Parse(formBody));

    public static SlackCommand Parse(ReadOnlySpan<byte> formBody)
    {
        var form = FormBody.Parse(formBody);
        if (HasSslCheckField(form))
        {
            return new SlackCommand.SslCheck();
        }

        if (form.NonEmpty("command") is not { } command || !command.StartsWith('/'))
        {
            return new SlackCommand.Malformed("no command starting with '/'");
        }

        if (form.NonEmpty("team_id") is not { } team || form.NonEmpty("channel_id") is not { } channel || form.NonEmpty("user_id") is not { } user)
        {
            return new SlackCommand.Malformed("missing team_id, channel_id or user_id");
        }

        // The URL is only parsed here; whether the bot will call it is RespondAsync's decision.
        if (HttpUrl(form.NonEmpty("response_url")) is not { } responseUrl)
        {
            return new SlackCommand.Malformed("response_url missing or not an http(s) URL");
        }

        return new SlackCommand.SlashCommand(
            command, form.Single("text") ?? "", team, form.NonEmpty("enterprise_id"), channel, user, responseUrl, form.NonEmpty("trigger_id"));
    }

    private static bool HasSslCheckField(FormBody form) => form.Single("ssl_check") == "1";

    // Scheme checked explicitly: on Unix "/path" parses as an absolute file:// URI.
    internal static Uri? HttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp) ? url : null;
}
