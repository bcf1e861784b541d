using Microsoft.IdentityModel.JsonWebTokens;

namespace CoachBot.Teams;

/// <summary>
/// Checks the <c>Authorization: Bearer</c> token Azure Bot Service sends with every activity, as the Bot Framework
/// requires for channel tokens (<see cref="ChannelTokenRules"/>), against the keys from its OpenID metadata
/// (<see cref="BotFrameworkKeys"/>), remembering verified tokens for a while (<see cref="VerifiedTokenCache"/>).
/// </summary>
/// <remarks>
/// <para>Make one per process: it caches the metadata, the keys and verified tokens. <see cref="AuthenticateAsync"/>
/// never throws for a request: a bad one is <see cref="Refused"/> (401), and when the keys cannot be had the answer
/// is <see cref="KeysUnavailable"/> (503), which is our outage rather than the caller's fault. Text that is not a
/// well-formed JWT is refused before any key is fetched.</para>
/// <para>Bot Service sends the same token with many activities (it lives an hour), and the RSA signature check is most
/// of the cost of a request. So a token whose signature, issuer, audience and lifetime passed is remembered by its
/// exact text for a while (<see cref="DefaultCacheEntryLifetime"/>, never past its expiry, at most
/// <see cref="DefaultCacheCapacity"/> tokens). A remembered token skips only the signature; everything that depends
/// on the clock or the request is checked again every time: its lifetime, its <c>serviceurl</c> against this
/// activity, and this activity's channel against the endorsements of the key that signed it. Any other text, even
/// one differing only in the signature, is checked in full. When the key set is refreshed, every remembered token is
/// forgotten, so a key the Bot Framework withdrew is not honoured from the cache.</para>
/// </remarks>
public sealed class TeamsRequestAuthenticator
{
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    /// <summary>The public cloud's metadata for channel tokens (the documented spelling).</summary>
    public static readonly Uri DefaultMetadataUrl = new("https://login.botframework.com/v1/.well-known/openidconfiguration");

    /// <summary>
    /// How long a verified token is honoured without checking its signature again. The same as the
    /// shortest gap the metadata library allows between key refreshes: a withdrawn key could not be
    /// noticed sooner than that anyway, so the cache adds at most this much to how long one is honoured.
    /// </summary>
    public static readonly TimeSpan DefaultCacheEntryLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How many verified tokens are remembered at once. Bot Service reuses one token for many
    /// activities, so a bot sees a handful at a time; the bound only caps memory.
    /// </summary>
    public const int DefaultCacheCapacity = 4096;

    private const string BearerPrefix = "Bearer ";

    private readonly TimeProvider _timeProvider;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly BotFrameworkKeys _keys;
    private readonly VerifiedTokenCache _cache;
    private long _signatureChecks;

    /// <param name="botAppId">The bot's Microsoft App ID: the audience every token must carry.</param>
    /// <param name="httpClient">Fetches the metadata and the key set; share one per process.</param>
    /// <param name="timeProvider">The clock token lifetimes are checked against.</param>
    /// <param name="metadataUrl">
    /// The OpenID metadata; <see cref="DefaultMetadataUrl"/> when null. Must be https, except on a
    /// loopback host (tests and local fakes).
    /// </param>
    /// <param name="issuer">
    /// The channel tokens' issuer; <see cref="BotFrameworkIssuer"/> when null. A sovereign cloud has its own
    /// (US Gov: <c>https://api.botframework.us</c>), published beside its own metadata.
    /// </param>
    public TeamsRequestAuthenticator(
        string botAppId, HttpClient httpClient, TimeProvider timeProvider, Uri? metadataUrl = null, string? issuer = null)
        : this(botAppId, httpClient, timeProvider, metadataUrl, DefaultCacheEntryLifetime, DefaultCacheCapacity, issuer)
    {
    }

    /// <summary>Tests shrink the cache's bounds to reach them.</summary>
    internal TeamsRequestAuthenticator(
        string botAppId,
        HttpClient httpClient,
        TimeProvider timeProvider,
        Uri? metadataUrl,
        TimeSpan cacheEntryLifetime,
        int cacheCapacity,
        string? issuer = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(botAppId);
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _cache = new VerifiedTokenCache(cacheEntryLifetime, cacheCapacity);
        var rules = new ChannelTokenRules(botAppId, string.IsNullOrWhiteSpace(issuer) ? BotFrameworkIssuer : issuer.Trim(), timeProvider);
        _keys = new BotFrameworkKeys(metadataUrl ?? DefaultMetadataUrl, httpClient, rules.ParametersFor, _cache.Clear);
    }

    /// <summary>True while the signing keys cannot be had (none was ever fetched and the last attempt failed); for health checks.</summary>
    public bool KeysUnavailable => _keys.InOutage;

    /// <summary>How many tokens had their signature checked (the rest were answered from the cache); for tests.</summary>
    internal long SignatureChecks => Interlocked.Read(ref _signatureChecks);

    /// <summary>How many verified tokens are remembered now; for tests.</summary>
    internal int CachedTokens => _cache.Count;

    /// <summary>
    /// Fetches the signing keys unless they are at hand: null when they are, else why not (as a request would be
    /// told). Readiness probes call this, so a host whose key source is down says so before the first activity arrives.
    /// </summary>
    public async Task<KeysUnavailable?> EnsureKeysAsync(CancellationToken cancellationToken = default) =>
        await _keys.GetAsync(cancellationToken).ConfigureAwait(false) is { Keys: null, FirstOfOutage: var first }
            ? new KeysUnavailable(BotFrameworkKeys.RetryDelay, first)
            : null;

    /// <param name="authorizationHeader">The raw <c>Authorization</c> header value; null when absent.</param>
    /// <param name="channelId">The activity's <c>channelId</c> (see <see cref="TeamsActivity.ChannelId"/>).</param>
    /// <param name="serviceUrl">The activity's <c>serviceUrl</c> (see <see cref="TeamsActivity.ServiceUrl"/>).</param>
    public Task<AuthenticationResult> AuthenticateAsync(
        string? authorizationHeader, string? channelId, string? serviceUrl, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(authorizationHeader))
        {
            return Task.FromResult<AuthenticationResult>(new Refused("no Authorization header"));
        }

        // Exactly "Bearer <token>", as the Bot Framework sends it: one space, the scheme compared case-sensitively.
        var token = authorizationHeader.AsSpan();
        if (!token.StartsWith(BearerPrefix, StringComparison.Ordinal)
            || token.Length == BearerPrefix.Length
            || token[BearerPrefix.Length..].Contains(' '))
        {
            return Task.FromResult<AuthenticationResult>(new Refused("Authorization header is not 'Bearer <token>'"));
        }

        token = token[BearerPrefix.Length..];

        // An empty channelId would skip the endorsement check in the SDK's rules; Teams always sends one.
        if (string.IsNullOrEmpty(channelId) || string.IsNullOrEmpty(serviceUrl))
        {
            return Task.FromResult<AuthenticationResult>(new Refused("activity has no channelId or serviceUrl to check the token against"));
        }

        var now = _timeProvider.GetUtcNow();
        if (_cache.TryGet(token, _keys.Current, now, out var verified))
        {
            return Judge(verified, channelId, serviceUrl, now);
        }

        var text = token.ToString();
        return ChannelTokenRules.ParseWellFormed(text) is { } jwt
            ? AuthenticateInFullAsync(text, jwt, channelId, serviceUrl, cancellationToken)
            : Task.FromResult<AuthenticationResult>(new Refused("token is malformed"));
    }

    private async Task<AuthenticationResult> AuthenticateInFullAsync(
        string text, JsonWebToken token, string channelId, string serviceUrl, CancellationToken cancellationToken)
    {
        var (keys, firstOfOutage) = await _keys.GetAsync(cancellationToken).ConfigureAwait(false);
        if (keys is null)
        {
            return new KeysUnavailable(BotFrameworkKeys.RetryDelay, firstOfOutage);
        }

        var result = await ValidateAsync(token, keys).ConfigureAwait(false);
        if (result.Exception is Microsoft.IdentityModel.Tokens.SecurityTokenSignatureKeyNotFoundException)
        {
            // Keys roll over: fetch the key set again (rate-limited) and try once more with it.
            if (await _keys.RefreshAsync(keys, cancellationToken).ConfigureAwait(false) is { } refreshed)
            {
                keys = refreshed;
                result = await ValidateAsync(token, keys).ConfigureAwait(false);
            }
        }

        if (!result.IsValid)
        {
            return new Refused(ChannelTokenRules.ReasonFor(result.Exception));
        }

        var now = _timeProvider.GetUtcNow();
        var expires = new DateTimeOffset(token.ValidTo, TimeSpan.Zero);
        var verified = new VerifiedToken(
            keys,
            token.ValidFrom == DateTime.MinValue ? null : new DateTimeOffset(token.ValidFrom, TimeSpan.Zero),
            expires,
            token.TryGetPayloadValue<string>("serviceurl", out var claimed) ? claimed : null,
            keys.EndorsementsOf(token.Kid),
            Task.FromResult<AuthenticationResult>(new Authenticated(result.ClaimsIdentity)),
            _cache.HonourUntil(now, expires));
        _cache.Remember(text, verified, now);
        return await Judge(verified, channelId, serviceUrl, now).ConfigureAwait(false);
    }

    private static Task<AuthenticationResult> Judge(VerifiedToken token, string channelId, string serviceUrl, DateTimeOffset now) =>
        ChannelTokenRules.RequestProblem(token, channelId, serviceUrl, now) is { } problem
            ? Task.FromResult<AuthenticationResult>(new Refused(problem))
            // The same completed task every time: an accepted cache hit allocates nothing.
            : token.Accepted;

    private Task<Microsoft.IdentityModel.Tokens.TokenValidationResult> ValidateAsync(JsonWebToken token, SigningKeySet keys)
    {
        Interlocked.Increment(ref _signatureChecks);
        return _handler.ValidateTokenAsync(token, keys.Parameters);
    }
}
