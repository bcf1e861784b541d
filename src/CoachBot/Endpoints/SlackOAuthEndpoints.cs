using Microsoft.AspNetCore.Http.HttpResults;
using System.Net;
using CoachBot.Slack;
using CoachBot.SlackChannel;
using CoachBot.Storage;

namespace CoachBot.Endpoints;

/// <summary>
/// Multi-workspace installs through Slack's OAuth v2: <c>/slack/install</c> sends the browser to Slack with a fresh
/// <c>state</c>; <c>/slack/oauth_redirect</c> checks it, trades the code for a bot token and stores it encrypted.
/// </summary>
internal static partial class SlackOAuthEndpoints
{
    public const string InstallPath = "/slack/install";
    public const string RedirectPath = "/slack/oauth_redirect";

    public static IEndpointRouteBuilder MapSlackOAuth(this IEndpointRouteBuilder app)
    {
        app.MapGet(InstallPath, Install);
        app.MapGet(RedirectPath, CompleteAsync);
        return app;
    }

    private static RedirectHttpResult Install(HttpContext context, SlackOptions options, SlackOAuthState states)
    {
        var state = states.Issue();
        context.Response.Cookies.Append(SlackOAuthState.CookieName, state, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            MaxAge = SlackOAuthState.Lifetime,
        });
        return TypedResults.Redirect(SlackOAuth.AuthorizeUrl(options.ClientId!, SlackOAuth.BotScopes, state, RedirectUri(context.Request)).AbsoluteUri);
    }

    private static async Task<IResult> CompleteAsync(
        HttpContext context,
        SlackOptions options,
        SlackOAuthState states,
        SlackWebApiClient slack,
        SlackTokens tokens,
        SlackInstallations installations,
        TimeProvider time,
        ILogger<SlackOAuthState> logger,
        CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var cookie = context.Request.Cookies[SlackOAuthState.CookieName];
        context.Response.Cookies.Delete(SlackOAuthState.CookieName);
        if (query["error"].ToString() is { Length: > 0 } error)
        {
            LogRefused(logger, "slack_error");
            return Page(HttpStatusCode.OK, "Install cancelled", $"Slack said: {error}. Nothing was installed; you can start again from the install link.");
        }

        switch (states.Consume(query["state"], cookie))
        {
            case OAuthStateCheck.InvalidBrowser:
                LogRefused(logger, "invalid_browser");
                return Page(HttpStatusCode.BadRequest, "Install could not be completed", "Finish the install in the same browser you started it in, within ten minutes.");
            case OAuthStateCheck.InvalidState:
                LogRefused(logger, "invalid_state");
                return Page(HttpStatusCode.Unauthorized, "Install link expired", "This install link has expired or was already used. Start again from the install link.");
        }

        if (query["code"].ToString() is not { Length: > 0 } code)
        {
            LogRefused(logger, "missing_code");
            return Page(HttpStatusCode.BadRequest, "Install could not be completed", "Slack did not send an authorization code. Start again from the install link.");
        }

        SlackOAuthAccess access;
        try
        {
            access = await slack.OAuthV2AccessAsync(options.ClientId!, options.ClientSecret!, code, RedirectUri(context.Request), cancellationToken).ConfigureAwait(false);
        }
        catch (SlackApiException ex)
        {
            LogRefused(logger, "invalid_code:" + ex.Error);
            return Page(HttpStatusCode.BadRequest, "Install could not be completed", "Slack did not accept the authorization code. Start again from the install link.");
        }

        var now = time.GetUtcNow();
        await installations.SaveAsync(
            new SlackInstallation
            {
                TeamId = access.IsEnterpriseInstall ? "" : access.TeamId ?? "",
                EnterpriseId = access.EnterpriseId,
                BotUserId = access.BotUserId,
                BotId = access.BotId,
                AppId = access.AppId,
                Scopes = access.Scope,
                ProtectedBotToken = tokens.Protect(access.AccessToken),
                InstalledAt = now,
                UpdatedAt = now,
            },
            cancellationToken).ConfigureAwait(false);
        LogInstalled(logger, access.TeamId ?? "", access.EnterpriseId ?? "");
        return Page(HttpStatusCode.OK, "CoachBot is installed",
            $"CoachBot is now in {access.TeamName ?? "your workspace"}. Open Slack, find CoachBot under Apps, and send it a question you plan to ask a customer.");
    }

    // The redirect URI must be the same in the authorize URL and the code exchange; both come from here.
    private static string RedirectUri(HttpRequest request) => $"{request.Scheme}://{request.Host}{RedirectPath}";

    private static ContentHttpResult Page(HttpStatusCode status, string title, string text) =>
        TypedResults.Content(
            $"<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title>"
            + $"<body style=\"font-family:sans-serif;max-width:40em;margin:4em auto\"><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(text)}</p></body></html>",
            "text/html; charset=utf-8",
            statusCode: (int)status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack install refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack installed for team {Team} enterprise {Enterprise}")]
    private static partial void LogInstalled(ILogger logger, string team, string enterprise);
}
