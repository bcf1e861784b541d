using System.Net;
using CoachBot.Slack;
using CoachBot.Teams;

namespace CoachBot.Processing;

/// <summary>
/// What a channel call's exception means for the inbox item: its log code, and whether trying again can help.
/// </summary>
/// <remarks>
/// A retry is right also when the first attempt may have landed (a timeout, a dropped connection, a 5xx): dropping the
/// item would leave the message unanswered for good, while the retry is marked (<see cref="Storage.InboxItem.Attempts"/>
/// above 1) and, on Slack, first looks for the earlier reply by its metadata. Only a refusal that will come back the
/// same every time is permanent.
/// </remarks>
/// <param name="Method">The call that failed (<c>chat.postMessage</c>, <c>reply</c>, <c>http</c>).</param>
/// <param name="Error">A short code for the log and the inbox row, never message text.</param>
/// <param name="RetryAfter">How long the far side asked to wait, when it did.</param>
internal sealed record ChannelFailure(string Method, string Error, bool Permanent, TimeSpan? RetryAfter = null)
{
    /// <summary>The failure <paramref name="exception"/> stands for, or null when it is not a channel failure.</summary>
    public static ChannelFailure? From(Exception exception, CancellationToken stopping) => exception switch
    {
        SlackApiException ex => new(ex.Method, "slack." + ex.Error, SlackErrors.IsPermanent(ex.Error)),
        TeamsApiException ex => new(
            ex.Operation,
            ex.ErrorCode is { } code ? "teams." + code : "http_" + (int)ex.Status,
            ex.IsPermanent || (int)ex.Status is >= 400 and < 500 and not 429 and not 412,
            ex.Status == HttpStatusCode.TooManyRequests ? TimeSpan.FromSeconds(30) : null),
        UntrustedServiceUrlException => new("send", "untrusted_service_url", Permanent: true),
        // A certificate this host does not trust stays untrusted; any other transport failure is worth another try.
        HttpRequestException ex => new(
            "http", "http_" + ex.HttpRequestError.ToString().ToLowerInvariant(), Permanent: ex.HttpRequestError == HttpRequestError.SecureConnectionError),
        TaskCanceledException when !stopping.IsCancellationRequested => new("http", "timeout", Permanent: false),
        _ => null,
    };
}
