using System.Security.Cryptography.X509Certificates;
using Microsoft.Identity.Client;

namespace CoachBot.Teams;

/// <summary>
/// Outbound tokens by the client-credentials flow through MSAL, with a client secret or a certificate,
/// for scope <c>https://api.botframework.com/.default</c> (or <see cref="TeamsOptions.OAuthScope"/>), from
/// <c>https://login.microsoftonline.com</c> (or <see cref="TeamsOptions.AuthorityHost"/>, for sovereign clouds).
/// </summary>
/// <remarks>
/// Make one per process (a singleton): the MSAL app inside keeps its in-memory app token cache, so a
/// token is reused until close to expiry and the token endpoint sees one request an hour, not one per
/// message. Tokens and secrets are never logged or put into exception messages here.
/// </remarks>
public sealed class MsalBotTokenSource : IBotTokenSource, IDisposable
{
    /// <summary>The public cloud's Bot Connector scope (US Gov: <c>https://api.botframework.us/.default</c>).</summary>
    public const string DefaultScope = "https://api.botframework.com/.default";

    /// <summary>The tenant multi-tenant bots get tokens from; single-tenant bots use their own (<see cref="TeamsOptions.TenantId"/>).</summary>
    public const string MultiTenant = "botframework.com";

    /// <summary>The public cloud's Entra login host (Bot Framework's <c>ToChannelFromBotLoginUrl</c> without the tenant).</summary>
    public static readonly Uri DefaultAuthorityHost = new("https://login.microsoftonline.com");

    private readonly IConfidentialClientApplication _app;
    private readonly string[] _scopes;

    // MSAL does not merge concurrent requests for a token it has not cached: with several inbox workers replying at
    // once (start-up, or when the hourly token runs out) each would go to the token endpoint. One at a time, the
    // others then find the token in MSAL's cache.
    private readonly SemaphoreSlim _oneRequestAtATime = new(1, 1);
    private readonly X509Certificate2? _certificate;

    /// <param name="options">Needs an app id and a secret or certificate (see <see cref="TeamsOptions.Problem"/>).</param>
    /// <param name="httpClientFactory">
    /// Where MSAL's HTTP goes; MSAL's own default when null. Tests pass a fake; a host may pass
    /// <see cref="MsalHttpClient"/> over a named HttpClient.
    /// </param>
    public MsalBotTokenSource(TeamsOptions options, IMsalHttpClientFactory? httpClientFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.AuthEnabled)
        {
            throw new ArgumentException("Teams:AppId is not set, so there is no app to get tokens for.", nameof(options));
        }

        _scopes = [string.IsNullOrWhiteSpace(options.OAuthScope) ? DefaultScope : options.OAuthScope.Trim()];
        var builder = ConfidentialClientApplicationBuilder.Create(options.AppId)
            .WithAuthority(AuthorityFor(options));
        if (!IsDefaultHost(options))
        {
            // MSAL checks a login host it does not know by asking login.microsoftonline.com about it (a sovereign host it
            // knows is asked about itself). The host here comes from our own configuration, not from a caller, so the check
            // protects nothing, and a token service on an isolated network must not depend on reaching the public cloud.
            builder = builder.WithInstanceDiscovery(false);
        }

        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            _certificate = LoadCertificate(options.CertificatePath, options.CertificatePassword);
            // sendX5C lets Entra accept the certificate by subject name and issuer (rollover without re-uploading).
            builder = builder.WithCertificate(_certificate, sendX5C: true);
        }
        else if (!string.IsNullOrEmpty(options.AppPassword))
        {
            builder = builder.WithClientSecret(options.AppPassword);
        }
        else
        {
            throw new ArgumentException("Teams:AppId is set but neither Teams:AppPassword nor Teams:CertificatePath is.", nameof(options));
        }

        if (httpClientFactory is not null)
        {
            builder = builder.WithHttpClientFactory(httpClientFactory);
        }

        _app = builder.Build();
    }

    /// <summary>The same as the constructor; reads well in a service registration.</summary>
    public static MsalBotTokenSource Create(TeamsOptions options, IMsalHttpClientFactory? httpClientFactory = null) =>
        new(options, httpClientFactory);

    /// <summary>
    /// The authority tokens come from: the login host (<see cref="TeamsOptions.AuthorityHost"/>) and the bot's own tenant
    /// when set, else the Bot Framework's multi-tenant one.
    /// </summary>
    public static string AuthorityFor(TeamsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = (options.AuthorityHost ?? DefaultAuthorityHost).GetLeftPart(UriPartial.Authority);

        // Asking botframework.com for a single-tenant app's token fails with AADSTS700016 (teams-protocol.md §6).
        var tenant = string.IsNullOrWhiteSpace(options.TenantId) ? MultiTenant : Uri.EscapeDataString(options.TenantId.Trim());
        return $"{host}/{tenant}";
    }

    public async Task<string?> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        // MSAL answers from its cache while the token is fresh and asks Entra only near expiry.
        await _oneRequestAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await _app.AcquireTokenForClient(_scopes).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            return result.AccessToken;
        }
        finally
        {
            _oneRequestAtATime.Release();
        }
    }

    public void Dispose()
    {
        _certificate?.Dispose();
        _oneRequestAtATime.Dispose();
    }

    private static bool IsDefaultHost(TeamsOptions options) =>
        options.AuthorityHost is null
        || string.Equals(options.AuthorityHost.GetLeftPart(UriPartial.Authority), DefaultAuthorityHost.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);

    private static X509Certificate2 LoadCertificate(string path, string? password)
    {
        // PEM for files made with openssl; PKCS#12 is what Azure Key Vault and Windows export.
        var extension = Path.GetExtension(path);
        if (extension.Equals(".pem", StringComparison.OrdinalIgnoreCase) || extension.Equals(".crt", StringComparison.OrdinalIgnoreCase))
        {
            return string.IsNullOrEmpty(password)
                ? X509Certificate2.CreateFromPemFile(path)
                : X509Certificate2.CreateFromEncryptedPemFile(path, password);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(path, password);
    }
}

/// <summary>Hands MSAL one HttpClient the host made (so its handler, proxy and timeouts apply to token requests too).</summary>
public sealed class MsalHttpClient(HttpClient httpClient) : IMsalHttpClientFactory
{
    public HttpClient GetHttpClient() => httpClient;
}
