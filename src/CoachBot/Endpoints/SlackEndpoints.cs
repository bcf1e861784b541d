using CoachBot.Processing;
using CoachBot.Slack;
using CoachBot.Storage;

namespace CoachBot.Endpoints;

/// <summary>
/// Slack's request URLs. Each request is verified on its raw bytes before anything parses it, then
/// persisted to the inbox before the 200 goes back: accept, persist, then process.
/// </summary>
internal static class SlackEndpoints
{
    /// <summary>Slack never sends more; anything larger is refused before it is read whole.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app)
    {
        app.MapPost("/slack/events", HandleEventAsync);
        return app;
    }

    private static async Task<IResult> HandleEventAsync(
        HttpRequest request, SlackSignatureVerifier verifier, InboxSignal signal, RecentDeliveries recent, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var verdict = verifier.Verify(body, request.Headers["X-Slack-Request-Timestamp"], request.Headers["X-Slack-Signature"]);
        if (verdict != SlackSignatureResult.Valid)
        {
            return TypedResults.Unauthorized();
        }

        switch (SlackEventParser.Parse(body))
        {
            case SlackEvent.Malformed:
                return TypedResults.BadRequest();
            case SlackEvent.UrlVerification { Challenge: var challenge }:
                return TypedResults.Ok(new { challenge });
            case SlackEvent.Ignored:
                return TypedResults.Ok();
            case SlackEvent.MessageReceived { Delivery: var delivery, Message: var message }:
                await AcceptAsync(request.HttpContext.RequestServices, signal, recent, delivery, $"{message.Channel}:{message.MessageId}", body, cancellationToken).ConfigureAwait(false);
                return TypedResults.Ok();
            case SlackEvent.AppHomeOpened { Delivery: var delivery }:
                await AcceptAsync(request.HttpContext.RequestServices, signal, recent, delivery, null, body, cancellationToken).ConfigureAwait(false);
                return TypedResults.Ok();
            case SlackEvent.AppUninstalled { Delivery: var delivery }:
                await AcceptAsync(request.HttpContext.RequestServices, signal, recent, delivery, null, body, cancellationToken).ConfigureAwait(false);
                return TypedResults.Ok();
            case SlackEvent.TokensRevoked { Delivery: var delivery }:
                await AcceptAsync(request.HttpContext.RequestServices, signal, recent, delivery, null, body, cancellationToken).ConfigureAwait(false);
                return TypedResults.Ok();
            default:
                return TypedResults.Ok();
        }
    }

    // Retries (X-Slack-Retry-Num) and a message re-sent under a new event id are both duplicates in
    // the inbox's unique keys, so they are acknowledged without a second reply.
    private static async Task AcceptAsync(
        IServiceProvider services, InboxSignal signal, RecentDeliveries recent, EventDelivery delivery, string? messageKey, byte[] body, CancellationToken cancellationToken)
    {
        if (recent.Contains(InboxItem.Slack, delivery.EventId) || recent.Contains(InboxItem.Slack, messageKey))
        {
            return;
        }

        // Resolved only now: a retry answered from memory never builds a database context.
        var inbox = services.GetRequiredService<Inbox>();
        var result = await inbox.AcceptAsync(
            new InboxItem
            {
                Channel = InboxItem.Slack,
                DeliveryKey = delivery.EventId,
                DedupeKey = messageKey,
                Payload = System.Text.Encoding.UTF8.GetString(body),
            },
            cancellationToken).ConfigureAwait(false);
        recent.Remember(InboxItem.Slack, delivery.EventId);
        recent.Remember(InboxItem.Slack, messageKey);
        if (result == AcceptResult.Accepted)
        {
            signal.Notify();
        }
    }

    /// <summary>The raw body, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
