using Microsoft.AspNetCore.Http.HttpResults;
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
        HttpRequest request, SlackSignatureVerifier verifier, InboxAcceptance inbox, CancellationToken cancellationToken)
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
                await inbox.AcceptAsync(InboxItem.Slack, delivery.EventId, $"{message.Channel}:{message.MessageId}", body).ConfigureAwait(false);
                return TypedResults.Ok();
            case SlackEvent.AppHomeOpened { Delivery: var delivery }:
                await inbox.AcceptAsync(InboxItem.Slack, delivery.EventId, null, body).ConfigureAwait(false);
                return TypedResults.Ok();
            case SlackEvent.AppUninstalled { Delivery: var delivery }:
                await inbox.AcceptAsync(InboxItem.Slack, delivery.EventId, null, body).ConfigureAwait(false);
                return TypedResults.Ok();
            case SlackEvent.TokensRevoked { Delivery: var delivery }:
                await inbox.AcceptAsync(InboxItem.Slack, delivery.EventId, null, body).ConfigureAwait(false);
                return TypedResults.Ok();
            default:
                return TypedResults.Ok();
        }
    }

    private static async Task<IResult> HandleCommandAsync(
        HttpRequest request, SlackSignatureVerifier verifier, InboxAcceptance inbox, CancellationToken cancellationToken)
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
                await inbox.AcceptAsync(InboxItem.Slack, "cmd:" + (command.TriggerId ?? Hash(body)), null, body).ConfigureAwait(false);
                return TypedResults.Ok();
            case SlackCommand.SslCheck:
                return TypedResults.Ok();
            default:
                return TypedResults.BadRequest();
        }
    }

    private static async Task<IResult> HandleInteractionAsync(
        HttpRequest request, SlackSignatureVerifier verifier, InboxAcceptance inbox, CancellationToken cancellationToken)
    {
        var (body, refusal) = await ReadVerifiedAsync(request, verifier, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        switch (SlackInteractionParser.Parse(body))
        {
            case SlackInteraction.BlockActions action:
                await inbox.AcceptAsync(InboxItem.Slack, "act:" + (action.TriggerId ?? Hash(body)), null, body).ConfigureAwait(false);
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
}
