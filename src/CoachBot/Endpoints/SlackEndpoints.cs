using Microsoft.AspNetCore.Http.HttpResults;
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
    // The request URLs in manifest/slack/manifest.json; a test keeps the two in step.
    public const string EventsPath = "/slack/events";
    public const string CommandsPath = "/slack/commands";
    public const string InteractivePath = "/slack/interactive";

    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app)
    {
        app.MapPost(EventsPath, HandleEventAsync);
        app.MapPost(CommandsPath, HandleCommandAsync);
        app.MapPost(InteractivePath, HandleInteractionAsync);
        return app;
    }

    private static async Task<IResult> HandleEventAsync(
        HttpRequest request, SlackSignatureVerifier verifier, InboxSignal signal, RecentDeliveries recent, CancellationToken cancellationToken)
    {
        var (body, refusal) = await ReadVerifiedAsync(request, verifier, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
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
                await AcceptAsync(request.HttpContext.RequestServices, signal, recent, delivery.EventId, $"{message.Channel}:{message.MessageId}", body, cancellationToken).ConfigureAwait(false);
                return TypedResults.Ok();
            case SlackEvent.AppHomeOpened { Delivery: var delivery }:
                await AcceptAsync(request.HttpContext.RequestServices, signal, recent, delivery.EventId, null, body, cancellationToken).ConfigureAwait(false);
                return TypedResults.Ok();
            case SlackEvent.AppUninstalled { Delivery: var delivery }:
                await AcceptAsync(request.HttpContext.RequestServices, signal, recent, delivery.EventId, null, body, cancellationToken).ConfigureAwait(false);
                return TypedResults.Ok();
            case SlackEvent.TokensRevoked { Delivery: var delivery }:
                await AcceptAsync(request.HttpContext.RequestServices, signal, recent, delivery.EventId, null, body, cancellationToken).ConfigureAwait(false);
                return TypedResults.Ok();
            default:
                return TypedResults.Ok();
        }
    }

    private static async Task<IResult> HandleCommandAsync(
        HttpRequest request, SlackSignatureVerifier verifier, InboxSignal signal, RecentDeliveries recent, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        // Slack's certificate probe is unsigned; Bolt answers it 200 before verifying, and so do we.
        if (SlackCommandParser.IsSslCheck(request.ContentType, body))
        {
            return TypedResults.Ok();
        }

        if (Verify(request, verifier, body) is { } refusal)
        {
            return refusal;
        }

        switch (SlackCommandParser.Parse(body))
        {
            case SlackCommand.SlashCommand command:
                // The answer goes to response_url from the worker; this 200 only tells Slack the command arrived.
                await AcceptAsync(request.HttpContext.RequestServices, signal, recent, "cmd:" + (command.TriggerId ?? Hash(body)), null, body, cancellationToken).ConfigureAwait(false);
                return TypedResults.Ok();
            case SlackCommand.SslCheck:
                return TypedResults.Ok();
            default:
                return TypedResults.BadRequest();
        }
    }

    private static async Task<IResult> HandleInteractionAsync(
        HttpRequest request, SlackSignatureVerifier verifier, InboxSignal signal, RecentDeliveries recent, CancellationToken cancellationToken)
    {
        var (body, refusal) = await ReadVerifiedAsync(request, verifier, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        switch (SlackInteractionParser.Parse(body))
        {
            case SlackInteraction.BlockActions action:
                await AcceptAsync(request.HttpContext.RequestServices, signal, recent, "act:" + (action.TriggerId ?? Hash(body)), null, body, cancellationToken).ConfigureAwait(false);
                return TypedResults.Ok();
            case SlackInteraction.Ignored:
                return TypedResults.Ok();
            default:
                return TypedResults.BadRequest();
        }
    }

    private static async Task<(byte[] Body, IResult? Refusal)> ReadVerifiedAsync(
        HttpRequest request, SlackSignatureVerifier verifier, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        return body is null
            ? ([], TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge))
            : (body, Verify(request, verifier, body));
    }

    private static UnauthorizedHttpResult? Verify(HttpRequest request, SlackSignatureVerifier verifier, byte[] body) =>
        verifier.Verify(body, request.Headers["X-Slack-Request-Timestamp"], request.Headers["X-Slack-Signature"]) == SlackSignatureResult.Valid
            ? null
            : TypedResults.Unauthorized();

    private static string Hash(byte[] body) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(body));

    // Retries (X-Slack-Retry-Num) and a message re-sent under a new event id are both duplicates in
    // the inbox's unique keys, so they are acknowledged without a second reply.
    private static async Task AcceptAsync(
        IServiceProvider services, InboxSignal signal, RecentDeliveries recent, string deliveryKey, string? messageKey, byte[] body, CancellationToken cancellationToken)
    {
        if (recent.Contains(InboxItem.Slack, deliveryKey) || recent.Contains(InboxItem.Slack, messageKey))
        {
            return;
        }

        // Resolved only now: a retry answered from memory never builds a database context.
        var inbox = services.GetRequiredService<Inbox>();
        var result = await inbox.AcceptAsync(
            new InboxItem
            {
                Channel = InboxItem.Slack,
                DeliveryKey = deliveryKey,
                DedupeKey = messageKey,
                Payload = System.Text.Encoding.UTF8.GetString(body),
            },
            cancellationToken).ConfigureAwait(false);
        recent.Remember(InboxItem.Slack, deliveryKey);
        recent.Remember(InboxItem.Slack, messageKey);
        if (result == AcceptResult.Accepted)
        {
            signal.Notify();
        }
    }
}
