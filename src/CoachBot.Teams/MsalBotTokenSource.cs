using System.Security.Cryptography.X509Certificates;
using Microsoft.Identity.Client;

namespace CoachBot.Teams;

/// <summary>
/// Outbound tokens by the client-credentials flow through MSAL, with a client secret or a certificate,
/// for scope <c>https://api.botframework.com/.default</c>.
/// </summary>
/// <remarks>
/// Make one per process (a singleton): the MSAL app inside keeps its in-memory app token cache, so a
/// token is reused until close to expiry and the token endpoint sees one request an hour, not one per
/// message. Tokens and secrets are never logged or put into exception messages here.
/// </remarks>
public sealed class MsalBotTokenSource : IBotTokenSource, IDisposable
{
    public const string Scope = "https://api.botframework.com/.default";

    /// <summary>The tenant multi-tenant bots get tokens from; single-tenant bots use their own (<see cref="TeamsOptions.TenantId"/>).</summary>
    public const string MultiTenantAuthority = "https://login.microsoftonline.com/botframework.com";

    private static readonly string[] Scopes = [Scope];

    private readonly IConfidentialClientApplication _app;
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

        var builder = ConfidentialClientApplicationBuilder.Create(options.AppId)
            .WithAuthority(AuthorityFor(options));
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

    /// <summary>The authority tokens come from: the bot's own tenant when set, else the Bot Framework's multi-tenant one.</summary>
    public static string AuthorityFor(TeamsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Asking botframework.com for a single-tenant app's token fails with AADSTS700016 (teams-protocol.md §6).
        return string.IsNullOrWhiteSpace(options.TenantId)
            ? MultiTenantAuthority
            : $"https://login.microsoftonline.com/{Uri.EscapeDataString(options.TenantId.Trim())}";
    }

    public async Task<string?> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        // MSAL answers from its cache while the token is fresh and asks Entra only near expiry.
        var result = await _app.AcquireTokenForClient(Scopes).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return result.AccessToken;
    }

    public void Dispose() => _certificate?.Dispose();

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
