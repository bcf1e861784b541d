using Microsoft.AspNetCore.Http.HttpResults;
using CoachBot.Slack;
using CoachBot.Storage;

namespace CoachBot.Endpoints;

/// <summary>
/// Slack's request URLs. Each request is verified on its raw bytes before anything parses it, then
/// persisted to the inbox before the 200 goes back: accept, persist, then process.
/// </summary>
internal static partial class SlackEndpoints
{
    // The request URLs in manifest/slack/manifest.json; a test keeps the two in step.
    public const string EventsPath = "/slack/events";
    public const string CommandsPath = "/slack/commands";
    public const string InteractivePath = "/slack/interactive";

    // Refusals are logged with their reason (a signature check's outcome, a parser's field names), never the body.
    private const string LogCategory = "CoachBot.Endpoints.SlackEndpoints";

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
            case SlackEvent.Malformed { Reason: var reason }:
                LogMalformed(Logger(request), EventsPath, reason);
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
            LogTooLarge(Logger(request), request.Path);
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
            case SlackCommand.Malformed { Reason: var reason }:
                LogMalformed(Logger(request), CommandsPath, reason);
                return TypedResults.BadRequest();
            default:
                LogMalformed(Logger(request), CommandsPath, "not a slash command");
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
            case SlackInteraction.Malformed { Reason: var reason }:
                LogMalformed(Logger(request), InteractivePath, reason);
                return TypedResults.BadRequest();
            default:
                LogMalformed(Logger(request), InteractivePath, "not a block action");
                return TypedResults.BadRequest();
        }
    }

    private static async Task<(byte[] Body, IResult? Refusal)> ReadVerifiedAsync(
        HttpRequest request, SlackSignatureVerifier verifier, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            LogTooLarge(Logger(request), request.Path);
            return ([], TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge));
        }

        return (body, Verify(request, verifier, body));
    }

    private static UnauthorizedHttpResult? Verify(HttpRequest request, SlackSignatureVerifier verifier, byte[] body)
    {
        var result = verifier.Verify(body, request.Headers["X-Slack-Request-Timestamp"], request.Headers["X-Slack-Signature"]);
        if (result == SlackSignatureResult.Valid)
        {
            return null;
        }

        LogUnverified(Logger(request), request.Path, result);
        return TypedResults.Unauthorized();
    }

    private static ILogger Logger(HttpRequest request) =>
        request.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack request to {Path} refused (401): signature check said {Result}")]
    private static partial void LogUnverified(ILogger logger, PathString path, SlackSignatureResult result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack request to {Path} refused (400): {Reason}")]
    private static partial void LogMalformed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack request to {Path} refused (413): body over the size limit")]
    private static partial void LogTooLarge(ILogger logger, PathString path);

    private static string Hash(byte[] body) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(body));
}
