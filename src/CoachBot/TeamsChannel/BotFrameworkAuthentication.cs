using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using CoachBot.Endpoints;
using CoachBot.Teams;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace CoachBot.TeamsChannel;

/// <summary>
/// The <c>BotFramework</c> authentication scheme for the Teams messaging endpoint. A Bot Service token is checked
/// against the activity it came with (its channel and serviceUrl), so the handler reads the body (at most
/// <see cref="RequestBody.MaxBytes"/>), parses it once and leaves both for the endpoint as a
/// <see cref="TeamsInboundRequest"/> feature. Refusals answer 401 (413 for an oversized body), and an outage of the
/// key source 503 with <c>Retry-After</c>; every refusal is logged with its reason, an outage once.
/// </summary>
internal sealed partial class BotFrameworkAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    TeamsOptions teams,
    IServiceProvider services)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "BotFramework";

    /// <summary>The policy <c>/api/messages</c> requires: an activity this scheme authenticated.</summary>
    public static readonly AuthorizationPolicy Policy =
        new AuthorizationPolicyBuilder(SchemeName).RequireAuthenticatedUser().Build();

    private readonly ILogger _log = loggerFactory.CreateLogger<BotFrameworkAuthenticationHandler>();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var body = await RequestBody.ReadAsync(Request, Context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, "body over the size limit");
        }

        var activity = TeamsActivityParser.Parse(body);
        Context.Features.Set(new TeamsInboundRequest(body, activity));
        if (!teams.AuthEnabled)
        {
            return LocalPlayground(activity);
        }

        var authenticator = services.GetRequiredService<TeamsRequestAuthenticator>();
        var result = await authenticator.AuthenticateAsync(
            Request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null,
            activity.ChannelId,
            activity.ServiceUrl,
            Context.RequestAborted).ConfigureAwait(false);
        switch (result)
        {
            case Authenticated { Identity: var identity }:
                return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
            case KeysUnavailable unavailable:
                if (unavailable.FirstOfOutage)
                {
                    TeamsKeysLog.Unavailable(_log, teams);
                }

                return AuthenticateResult.Fail(new Refusal(StatusCodes.Status503ServiceUnavailable, "signing keys unavailable", unavailable.RetryAfter));
            case Refused { Reason: var reason }:
                return Refuse(StatusCodes.Status401Unauthorized, reason);
            default:
                return Refuse(StatusCodes.Status401Unauthorized, "unexpected authentication result");
        }
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var refusal = result.Failure as Refusal;
        Response.StatusCode = refusal?.StatusCode ?? StatusCodes.Status401Unauthorized;
        if (refusal?.RetryAfter is { } retryAfter)
        {
            Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
    }

    private AuthenticateResult LocalPlayground(TeamsActivity activity)
    {
        // Auth off is for the local playground only: the caller and the service it names must both be this machine.
        var local = Context.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
            && (activity.ServiceUrl is null || (Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var url) && url.IsLoopback));
        return local
            ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(SchemeName)), SchemeName))
            : Refuse(StatusCodes.Status401Unauthorized, "unauthenticated request from a non-local client");
    }

    private AuthenticateResult Refuse(int statusCode, string reason)
    {
        LogRefused(_log, reason);
        return AuthenticateResult.Fail(new Refusal(statusCode, reason, null));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams request refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    /// <summary>Why the request was not authenticated and the status that says so; the reason never holds the token.</summary>
    private sealed class Refusal(int statusCode, string reason, TimeSpan? retryAfter) : Exception(reason)
    {
        public int StatusCode { get; } = statusCode;

        public TimeSpan? RetryAfter { get; } = retryAfter;
    }
}

/// <summary>The body of a Teams request and the activity it holds, read once by the authentication handler.</summary>
internal sealed record TeamsInboundRequest(byte[] Body, TeamsActivity Activity);
