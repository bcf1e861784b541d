using System.Net;
using CoachBot.Storage;
using CoachBot.Teams;
using CoachBot.TeamsChannel;

namespace CoachBot.Endpoints;

/// <summary>
/// The Bot Framework messaging endpoint. Every activity is authenticated before anything acts on it; messages and
/// installs are persisted to the inbox and acknowledged at once; card button invokes are answered in the response,
/// because Teams shows whatever card the response carries.
/// </summary>
internal static partial class TeamsEndpoints
{
    public const string Path = "/api/messages";

    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, HandleAsync);

        // The Agents Playground and uptime checks probe with HEAD.
        app.MapMethods(Path, [HttpMethods.Head], () => TypedResults.Ok());
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpRequest request,
        TeamsOptions options,
        TrustedServiceUrls trusted,
        InboxAcceptance inbox,
        ILogger<TeamsOptions> logger,
        CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var activity = TeamsActivityParser.Parse(body);
        if (!await IsAuthenticAsync(request, options, activity, logger, cancellationToken).ConfigureAwait(false))
        {
            return TypedResults.Unauthorized();
        }

        switch (activity)
        {
            case MalformedActivity:
                return TypedResults.BadRequest();
            case IgnoredActivity:
                return TypedResults.Ok();
            case CardActionInvoked invoked:
                trusted.Add(invoked.Address.ServiceUrl);
                var work = request.HttpContext.RequestServices.GetRequiredService<TeamsWork>();
                return TypedResults.Json(await work.AnswerInvokeAsync(invoked, cancellationToken).ConfigureAwait(false));
            case MessageReceived { Address: var address, ActivityId: var id }:
                await AcceptAsync(inbox, trusted, address, id, body).ConfigureAwait(false);
                return TypedResults.Ok();
            case CardSubmitted { Address: var address, ActivityId: var id }:
                await AcceptAsync(inbox, trusted, address, id, body).ConfigureAwait(false);
                return TypedResults.Ok();
            case BotInstalled { Address: var address }:
                // Teams sends installationUpdate and conversationUpdate for one install; both are stored (the reference
                // update is idempotent) and the worker's welcomed-once flag keeps it to one welcome, also across reinstalls.
                await AcceptAsync(inbox, trusted, address, NewKey("install", address), body).ConfigureAwait(false);
                return TypedResults.Ok();
            case BotUninstalled { Address: var address }:
                await AcceptAsync(inbox, trusted, address, NewKey("uninstall", address), body).ConfigureAwait(false);
                return TypedResults.Ok();
            default:
                return TypedResults.Ok();
        }
    }

    private static async Task<bool> IsAuthenticAsync(
        HttpRequest request, TeamsOptions options, TeamsActivity activity, ILogger logger, CancellationToken cancellationToken)
    {
        if (!options.AuthEnabled)
        {
            // Auth off is for the local playground only: the caller and the service it names must both be this machine.
            var local = request.HttpContext.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
                && (activity.ServiceUrl is null || (Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var url) && url.IsLoopback));
            if (!local)
            {
                LogRefused(logger, "unauthenticated request from a non-local client");
            }

            return local;
        }

        var authenticator = request.HttpContext.RequestServices.GetRequiredService<TeamsRequestAuthenticator>();
        var result = await authenticator.AuthenticateAsync(
            request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null,
            activity.ChannelId,
            activity.ServiceUrl,
            cancellationToken).ConfigureAwait(false);
        if (result is Refused refused)
        {
            LogRefused(logger, refused.Reason);
            return false;
        }

        return true;
    }

    private static Task AcceptAsync(InboxAcceptance inbox, TrustedServiceUrls trusted, TeamsAddress address, string deliveryKey, byte[] body)
    {
        // The token vouched for this service URL; replies may go there.
        trusted.Add(address.ServiceUrl);
        return inbox.AcceptAsync(InboxItem.Teams, deliveryKey, null, body);
    }

    private static string NewKey(string kind, TeamsAddress address) => $"{kind}:{address.ConversationId}:{Guid.NewGuid():N}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams request refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
