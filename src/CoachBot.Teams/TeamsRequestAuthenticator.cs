using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CoachBot.Teams;

/// <summary>
/// Checks the <c>Authorization: Bearer</c> token Azure Bot Service sends with every activity, as the
/// Bot Framework requires for channel tokens: signed with RS256/384/512 by a key from the Bot
/// Framework's OpenID metadata, issuer <c>https://api.botframework.com</c>, audience the bot's app
/// id, within its lifetime (5 minutes' skew), its <c>serviceurl</c> claim equal to the activity's
/// serviceUrl, and its signing key endorsed for the activity's channel.
/// </summary>
/// <remarks>
/// Make one per process: it caches the metadata and keys (refreshed every 12 hours, and on demand
/// when a token names an unknown key, at most every 5 minutes). <see cref="AuthenticateAsync"/>
/// answers <see cref="Refused"/> for every bad request and never throws for one; it throws only
/// when the metadata could never be fetched, which is our outage rather than the caller's fault.
/// </remarks>
public sealed class TeamsRequestAuthenticator
{
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    /// <summary>The public cloud's metadata for channel tokens (the documented spelling).</summary>
    public static readonly Uri DefaultMetadataUrl = new("https://login.botframework.com/v1/.well-known/openidconfiguration");

    // How long one request may wait for an on-demand key refresh to land before giving up on it (real time: a network wait).
    private static readonly TimeSpan RefreshWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RefreshPoll = TimeSpan.FromMilliseconds(25);

    private readonly ConfigurationManager<OpenIdConnectConfiguration> _metadata;
    private readonly TokenValidationParameters _parameters;
    private readonly TimeProvider _timeProvider;
    private readonly JsonWebTokenHandler _handler = new();
    private long _lastRefreshRequestMs = long.MinValue;

    /// <param name="botAppId">The bot's Microsoft App ID: the audience every token must carry.</param>
    /// <param name="httpClient">Fetches the metadata and the key set; share one per process.</param>
    /// <param name="timeProvider">The clock token lifetimes are checked against.</param>
    /// <param name="metadataUrl">
    /// The OpenID metadata; <see cref="DefaultMetadataUrl"/> when null. Must be https, except on a
    /// loopback host (tests and local fakes).
    /// </param>
    public TeamsRequestAuthenticator(string botAppId, HttpClient httpClient, TimeProvider timeProvider, Uri? metadataUrl = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(botAppId);
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(timeProvider);
        metadataUrl ??= DefaultMetadataUrl;
        if (!LoopbackOrHttpsRetriever.IsAllowed(metadataUrl))
        {
            throw new ArgumentException(
                $"The Teams OpenID metadata URL must be an absolute https URL (plain http is accepted only for a loopback host such as 127.0.0.1): {metadataUrl}",
                nameof(metadataUrl));
        }

        _timeProvider = timeProvider;
        _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(
            metadataUrl.AbsoluteUri,
            new OpenIdConnectConfigurationRetriever(),
            new LoopbackOrHttpsRetriever(httpClient));
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = BotFrameworkIssuer,
            ValidAudience = botAppId,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512],
            ClockSkew = TimeSpan.FromMinutes(5),
            // IdentityModel reads the system clock itself; this validator puts the injected one in its place.
            LifetimeValidator = ValidateLifetime,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuerSigningKey = true,
            // The key must be the one the token names: the endorsement check below is per key id.
            TryAllIssuerSigningKeys = false,
        };
    }

    /// <param name="authorizationHeader">The raw <c>Authorization</c> header value; null when absent.</param>
    /// <param name="channelId">The activity's <c>channelId</c> (see <see cref="TeamsActivity.ChannelId"/>).</param>
    /// <param name="serviceUrl">The activity's <c>serviceUrl</c> (see <see cref="TeamsActivity.ServiceUrl"/>).</param>
    public async Task<AuthenticationResult> AuthenticateAsync(
        string? authorizationHeader, string? channelId, string? serviceUrl, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(authorizationHeader))
        {
            return new Refused("no Authorization header");
        }

        // Exactly "Bearer <token>", as the Bot Framework sends it.
        var parts = authorizationHeader.Split(' ');
        if (parts.Length != 2 || !string.Equals(parts[0], "Bearer", StringComparison.Ordinal) || parts[1].Length == 0)
        {
            return new Refused("Authorization header is not 'Bearer <token>'");
        }

        // An empty channelId would skip the endorsement check in the SDK's rules; Teams always sends one.
        if (string.IsNullOrEmpty(channelId) || string.IsNullOrEmpty(serviceUrl))
        {
            return new Refused("activity has no channelId or serviceUrl to check the token against");
        }

        var configuration = await _metadata.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        var result = await ValidateAsync(parts[1], configuration).ConfigureAwait(false);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // Keys roll over: fetch the key set again (rate-limited) and try once more with it.
            var refreshed = await RefreshAsync(configuration, cancellationToken).ConfigureAwait(false);
            if (refreshed is not null)
            {
                configuration = refreshed;
                result = await ValidateAsync(parts[1], configuration).ConfigureAwait(false);
            }
        }

        if (!result.IsValid)
        {
            return new Refused(ReasonFor(result.Exception));
        }

        var token = (JsonWebToken)result.SecurityToken;
        if (!Endorsements(configuration, token.Kid).Contains(channelId, StringComparer.Ordinal))
        {
            // The channel id comes from the body: bound what it can write into the logs.
            return new Refused($"signing key is not endorsed for channel {(channelId.Length > 32 ? channelId[..32] + "…" : channelId)}");
        }

        // The token vouches for one serviceUrl; replies must never go anywhere else (teams-protocol.md §2.3).
        if (!token.TryGetPayloadValue<string>("serviceurl", out var claimed) || string.IsNullOrEmpty(claimed))
        {
            return new Refused("token has no serviceurl claim");
        }

        if (!string.Equals(claimed, serviceUrl, StringComparison.OrdinalIgnoreCase))
        {
            return new Refused("serviceurl claim does not match the activity's serviceUrl");
        }

        return new Authenticated(result.ClaimsIdentity);
    }

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }

        if (notBefore > now + parameters.ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("The token is not yet valid.") { NotBefore = notBefore.Value };
        }

        if (expires < now - parameters.ClockSkew)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = expires.Value };
        }

        return true;
    }

    private Task<TokenValidationResult> ValidateAsync(string token, OpenIdConnectConfiguration configuration)
    {
        var parameters = _parameters.Clone();
        parameters.IssuerSigningKeys = configuration.SigningKeys;
        return _handler.ValidateTokenAsync(token, parameters);
    }

    /// <summary>
    /// Asks for new metadata and waits briefly for it. The library refreshes in the background and
    /// ignores requests within 5 minutes of the last one, so we only wait when ours will be honoured;
    /// otherwise a stream of made-up key ids would make every request wait.
    /// </summary>
    private async Task<OpenIdConnectConfiguration?> RefreshAsync(OpenIdConnectConfiguration stale, CancellationToken cancellationToken)
    {
        // The library rate-limits on the machine's clock, not the injected one, so this gate does too.
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastRefreshRequestMs);
        if ((last != long.MinValue && now - last < (long)_metadata.RefreshInterval.TotalMilliseconds)
            || Interlocked.CompareExchange(ref _lastRefreshRequestMs, now, last) != last)
        {
            return null;
        }

        _metadata.RequestRefresh();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(RefreshWait);
        try
        {
            while (true)
            {
                var current = await _metadata.GetConfigurationAsync(wait.Token).ConfigureAwait(false);
                if (!ReferenceEquals(current, stale))
                {
                    return current;
                }

                await Task.Delay(RefreshPoll, wait.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The refresh did not land in time (metadata down or slow): judge the token on the keys we have.
            return null;
        }
    }

    /// <summary>
    /// The channels a key may sign for: the JWKS gives each key an extra <c>endorsements</c> array,
    /// which Microsoft.IdentityModel keeps in <see cref="JsonWebKey.AdditionalData"/>.
    /// </summary>
    private static IEnumerable<string> Endorsements(OpenIdConnectConfiguration configuration, string? kid)
    {
        var key = configuration.JsonWebKeySet?.Keys.FirstOrDefault(k => string.Equals(k.Kid, kid, StringComparison.Ordinal));
        if (key is null || !key.AdditionalData.TryGetValue("endorsements", out var value))
        {
            return [];
        }

        return value switch
        {
            JsonElement { ValueKind: JsonValueKind.Array } array =>
                array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!),
            IEnumerable<string> strings => strings,
            _ => [],
        };
    }

    // Our own words: IdentityModel's messages can quote token parts, and these reasons go to the logs.
    private static string ReasonFor(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "token expired",
        SecurityTokenNotYetValidException => "token not yet valid",
        SecurityTokenInvalidAudienceException => "token audience is not this bot",
        SecurityTokenInvalidIssuerException => "token issuer is not the Bot Framework",
        SecurityTokenInvalidAlgorithmException => "token algorithm is not RS256, RS384 or RS512",
        SecurityTokenSignatureKeyNotFoundException => "token signing key is unknown",
        SecurityTokenInvalidSignatureException => "token signature is invalid",
        SecurityTokenMalformedException => "token is malformed",
        SecurityTokenNoExpirationException => "token has no expiry",
        null => "token rejected",
        _ => $"token rejected ({exception.GetType().Name})",
    };

    /// <summary>
    /// Fetches metadata and keys over https only, with plain http allowed for loopback hosts. The check
    /// runs on every address, so a metadata document cannot point the key fetch at plain http elsewhere.
    /// </summary>
    private sealed class LoopbackOrHttpsRetriever(HttpClient httpClient) : IDocumentRetriever
    {
        // RequireHttps is off because this class makes the decision, loopback included.
        private readonly HttpDocumentRetriever _inner = new(httpClient) { RequireHttps = false };

        public static bool IsAllowed(Uri address) =>
            address.IsAbsoluteUri
            && (address.Scheme == Uri.UriSchemeHttps || (address.Scheme == Uri.UriSchemeHttp && address.IsLoopback));

        public Task<string> GetDocumentAsync(string address, CancellationToken cancel) =>
            Uri.TryCreate(address, UriKind.Absolute, out var uri) && IsAllowed(uri)
                ? _inner.GetDocumentAsync(address, cancel)
                : throw new InvalidOperationException($"Refusing to fetch Teams signing metadata over plain http from a non-loopback host: {address}");
    }
}

/// <summary>The outcome of <see cref="TeamsRequestAuthenticator.AuthenticateAsync"/>.</summary>
public abstract record AuthenticationResult
{
    private protected AuthenticationResult()
    {
    }
}

/// <summary>The token is good for this activity; <paramref name="Identity"/> holds its claims.</summary>
public sealed record Authenticated(ClaimsIdentity Identity) : AuthenticationResult;

/// <summary>Answer 401. <paramref name="Reason"/> is for the logs only: it never contains the token.</summary>
public sealed record Refused(string Reason) : AuthenticationResult;
