using CoachBot.Storage;
using CoachBot.Teams;
using CoachBot.TeamsChannel;
using Microsoft.AspNetCore.Http.Features;

namespace CoachBot.Endpoints;

/// <summary>
/// The Bot Framework messaging endpoint. Every activity is authenticated (<see cref="BotFrameworkAuthenticationHandler"/>) before anything acts on it; messages and
/// installs are persisted to the inbox and acknowledged at once; card button invokes are answered in the response,
/// because Teams shows whatever card the response carries.
/// </summary>
internal static class TeamsEndpoints
{
    public const string Path = "/api/messages";

    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder app)
    {
        // The BotFramework scheme has read, parsed and authenticated the activity before this runs (401/413/503 otherwise).
        app.MapPost(Path, HandleAsync).RequireAuthorization(BotFrameworkAuthenticationHandler.Policy);

        // The Agents Playground and uptime checks probe with HEAD.
        app.MapMethods(Path, [HttpMethods.Head], () => TypedResults.Ok());
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context,
        TrustedServiceUrls trusted,
        InboxAcceptance inbox,
        CancellationToken cancellationToken)
    {
        var (body, activity) = context.Features.GetRequiredFeature<TeamsInboundRequest>();
        switch (activity)
        {
            case MalformedActivity:
                return TypedResults.BadRequest();
            case IgnoredActivity:
                return TypedResults.Ok();
            case CardActionInvoked invoked:
                trusted.Add(invoked.Address.ServiceUrl);
                var work = context.RequestServices.GetRequiredService<TeamsWork>();
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

    private static Task AcceptAsync(InboxAcceptance inbox, TrustedServiceUrls trusted, TeamsAddress address, string deliveryKey, byte[] body)
    {
        // The token vouched for this service URL; replies may go there.
        trusted.Add(address.ServiceUrl);
        return inbox.AcceptAsync(InboxItem.Teams, deliveryKey, null, body);
    }

    private static string NewKey(string kind, TeamsAddress address) => $"{kind}:{address.ConversationId}:{Guid.NewGuid():N}";
}
