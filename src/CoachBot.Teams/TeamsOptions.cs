namespace CoachBot.Teams;

/// <summary>The <c>Teams</c> configuration section: the bot's Entra app registration and local-testing switches.</summary>
/// <remarks>
/// Auth follows the app id alone: with an app id configured, inbound tokens are checked and outbound
/// calls carry a token, whatever <see cref="AllowUnauthenticatedLocalClients"/> says. Only with no
/// app id at all (the local Agents Playground) does the bot run unauthenticated.
/// </remarks>
public sealed class TeamsOptions
{
    public const string Section = "Teams";

    /// <summary>The bot's Microsoft App ID (Entra client id): the audience of inbound tokens and the outbound client id.</summary>
    public string? AppId { get; set; }

    /// <summary>The client secret for outbound tokens; or use <see cref="CertificatePath"/>.</summary>
    public string? AppPassword { get; set; }

    /// <summary>A PKCS#12 (.pfx/.p12) or PEM file holding the client certificate and its private key.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Set for a single-tenant bot: tokens then come from this tenant instead of <c>botframework.com</c>.</summary>
    public string? TenantId { get; set; }

    /// <summary>
    /// The Entra login host outbound tokens come from: the public cloud's by default; a sovereign cloud's
    /// (US Gov: <c>https://login.microsoftonline.us</c>) otherwise. The tenant goes after it.
    /// </summary>
    public Uri? AuthorityHost { get; set; } = MsalBotTokenSource.DefaultAuthorityHost;

    /// <summary>The scope outbound tokens are asked for (US Gov: <c>https://api.botframework.us/.default</c>).</summary>
    public string? OAuthScope { get; set; } = MsalBotTokenSource.DefaultScope;

    /// <summary>
    /// The issuer inbound channel tokens must carry: the public cloud's by default; a sovereign cloud's
    /// (US Gov: <c>https://api.botframework.us</c>) otherwise, with that cloud's <see cref="OpenIdMetadataUrl"/>.
    /// </summary>
    public string? TokenIssuer { get; set; } = TeamsRequestAuthenticator.BotFrameworkIssuer;

    /// <summary>Where inbound token keys are published; tests point it at a loopback server.</summary>
    public Uri? OpenIdMetadataUrl { get; set; } = TeamsRequestAuthenticator.DefaultMetadataUrl;

    /// <summary>Lets the local Agents Playground talk to the bot without tokens when no app id is set.</summary>
    public bool AllowUnauthenticatedLocalClients { get; set; }

    public bool Enabled => AuthEnabled || AllowUnauthenticatedLocalClients;

    public bool AuthEnabled => !string.IsNullOrWhiteSpace(AppId);

    /// <summary>What is wrong with these settings, naming the setting to fix; null when they can be used.</summary>
    public string? Problem()
    {
        if (AuthEnabled && string.IsNullOrEmpty(AppPassword) && string.IsNullOrWhiteSpace(CertificatePath))
        {
            return "Teams:AppId is set but neither Teams:AppPassword nor Teams:CertificatePath is: "
                + "the bot could not get a token to reply with. Set one of them (or remove Teams:AppId for local testing).";
        }

        if (!string.IsNullOrWhiteSpace(CertificatePath) && !File.Exists(CertificatePath))
        {
            return $"Teams:CertificatePath names a file that does not exist: {CertificatePath}";
        }

        if (OpenIdMetadataUrl is { } url
            && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))))
        {
            return $"Teams:OpenIdMetadataUrl must be an absolute https URL (plain http only for a loopback host): {url}";
        }

        // Compared with the token's iss exactly: a trailing slash or a path would pass here and refuse every token.
        // Blank means the public cloud's, as in TeamsRequestAuthenticator.
        if (!string.IsNullOrWhiteSpace(TokenIssuer) && !IsBareHttpsOrigin(TokenIssuer.Trim()))
        {
            return $"Teams:TokenIssuer must be an https URI with no path or trailing slash, such as https://api.botframework.us: {TokenIssuer}";
        }

        if (AuthorityHost is { } host
            && (!host.IsAbsoluteUri || host.Scheme != Uri.UriSchemeHttps || host.AbsolutePath != "/"
                || host.Query.Length > 0 || host.Fragment.Length > 0 || host.UserInfo.Length > 0))
        {
            return $"Teams:AuthorityHost must be an absolute https URL naming only the login host, such as https://login.microsoftonline.us: {host}";
        }

        // The client-credentials flow takes only a resource's .default scope; Entra refuses anything else at the first reply.
        if (OAuthScope is { } scope
            && (!Uri.TryCreate(scope, UriKind.Absolute, out _) || !scope.EndsWith("/.default", StringComparison.Ordinal)))
        {
            return $"Teams:OAuthScope must be an absolute URI ending in /.default, such as https://api.botframework.us/.default: {scope}";
        }

        return null;
    }

    private static bool IsBareHttpsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttps
        && uri.AbsolutePath == "/"
        && !value.EndsWith('/')
        && uri.Query.Length == 0
        && uri.Fragment.Length == 0
        && uri.UserInfo.Length == 0;
}
