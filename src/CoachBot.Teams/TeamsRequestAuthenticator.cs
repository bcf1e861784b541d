using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;
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
/// Framework's OpenID metadata, issuer <c>https://api.botframework.com</c> (a sovereign cloud's own when configured), audience the bot's app
/// id, within its lifetime (5 minutes' skew), its <c>serviceurl</c> claim equal to the activity's
/// serviceUrl, and its signing key endorsed for the activity's channel.
/// </summary>
/// <remarks>
/// <para>Make one per process: it caches the metadata and keys (refreshed every 12 hours, and on demand
/// when a token names an unknown key, at most every 5 minutes). <see cref="AuthenticateAsync"/>
/// answers <see cref="Refused"/> for every bad request and never throws for one; it throws only
/// when the metadata could never be fetched, which is our outage rather than the caller's fault.</para>
/// <para>Bot Service sends the same token with many activities (it lives an hour), and the RSA
/// signature check is most of the cost of a request. So a token whose signature, issuer, audience
/// and lifetime passed is remembered by its exact text for a while (<see cref="DefaultCacheEntryLifetime"/>,
/// never past its expiry, at most <see cref="DefaultCacheCapacity"/> tokens). A remembered token skips
/// only the signature; everything that depends on the clock or the request is checked again every
/// time: its lifetime, its <c>serviceurl</c> against this activity, and this activity's channel
/// against the endorsements of the key that signed it. Any other text, even one differing only in
/// the signature, is checked in full. When the key set is refreshed, every remembered token is
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

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    // When the cache is full, expired entries are swept out at most this often; in between, new tokens
    // are checked in full but not remembered, so a full cache costs no more than no cache.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    // How long one request may wait for an on-demand key refresh to land before giving up on it (real time: a network wait).
    private static readonly TimeSpan RefreshWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RefreshPoll = TimeSpan.FromMilliseconds(25);

    private readonly ConfigurationManager<OpenIdConnectConfiguration> _metadata;
    private readonly string _botAppId;
    private readonly string _issuer;
    private readonly TimeProvider _timeProvider;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly TimeSpan _cacheEntryLifetime;
    private readonly int _cacheCapacity;
    private readonly ConcurrentDictionary<string, VerifiedToken> _verified = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, VerifiedToken>.AlternateLookup<ReadOnlySpan<char>> _verifiedBySpan;

    // One per metadata document seen, so the validation parameters and endorsements are built once per key set, not per request.
    private readonly ConditionalWeakTable<OpenIdConnectConfiguration, KeySet> _keySets = [];
    private KeySet? _currentKeySet;
    private long _lastRefreshRequestMs = long.MinValue;
    private long _nextSweepTicks;
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
        ArgumentOutOfRangeException.ThrowIfLessThan(cacheEntryLifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(cacheCapacity);
        metadataUrl ??= DefaultMetadataUrl;
        if (!LoopbackOrHttpsRetriever.IsAllowed(metadataUrl))
        {
            throw new ArgumentException(
                $"The Teams OpenID metadata URL must be an absolute https URL (plain http is accepted only for a loopback host such as 127.0.0.1): {metadataUrl}",
                nameof(metadataUrl));
        }

        _botAppId = botAppId;
        _issuer = string.IsNullOrWhiteSpace(issuer) ? BotFrameworkIssuer : issuer.Trim();
        _timeProvider = timeProvider;
        _cacheEntryLifetime = cacheEntryLifetime;
        _cacheCapacity = cacheCapacity;
        _verifiedBySpan = _verified.GetAlternateLookup<ReadOnlySpan<char>>();
        _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(
            metadataUrl.AbsoluteUri,
            new OpenIdConnectConfigurationRetriever(),
            new LoopbackOrHttpsRetriever(httpClient));
    }

    /// <summary>How many tokens had their signature checked (the rest were answered from the cache); for tests.</summary>
    internal long SignatureChecks => Interlocked.Read(ref _signatureChecks);

    /// <summary>How many verified tokens are remembered now; for tests.</summary>
    internal int CachedTokens => _verified.Count;

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

        // Looked up by span: a hit allocates nothing, not even the token's string.
        var now = _timeProvider.GetUtcNow();
        if (_verifiedBySpan.TryGetValue(token, out var verified)
            && ReferenceEquals(verified.KeySet, Volatile.Read(ref _currentKeySet))
            && now < verified.HonouredUntil)
        {
            return CheckAgainstRequest(verified, channelId, serviceUrl, now);
        }

        return AuthenticateInFullAsync(token.ToString(), channelId, serviceUrl, cancellationToken);
    }

    private async Task<AuthenticationResult> AuthenticateInFullAsync(
        string token, string channelId, string serviceUrl, CancellationToken cancellationToken)
    {
        var configuration = await _metadata.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        var keys = KeySetFor(configuration);
        var result = await ValidateAsync(token, keys).ConfigureAwait(false);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // Keys roll over: fetch the key set again (rate-limited) and try once more with it.
            var refreshed = await RefreshAsync(configuration, cancellationToken).ConfigureAwait(false);
            if (refreshed is not null)
            {
                keys = KeySetFor(refreshed);
                result = await ValidateAsync(token, keys).ConfigureAwait(false);
            }
        }

        if (!result.IsValid)
        {
            return new Refused(ReasonFor(result.Exception));
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        var now = _timeProvider.GetUtcNow();
        var expires = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        var verified = new VerifiedToken(
            keys,
            jwt.ValidFrom == DateTime.MinValue ? null : new DateTimeOffset(jwt.ValidFrom, TimeSpan.Zero),
            expires,
            jwt.TryGetPayloadValue<string>("serviceurl", out var claimed) ? claimed : null,
            keys.EndorsementsOf(jwt.Kid),
            Task.FromResult<AuthenticationResult>(new Authenticated(result.ClaimsIdentity)),
            Min(now + _cacheEntryLifetime, expires + ClockSkew));
        Remember(token, verified, now);
        return await CheckAgainstRequest(verified, channelId, serviceUrl, now).ConfigureAwait(false);
    }

    /// <summary>
    /// Everything that depends on the clock or on this request, run on every request, whether the
    /// signature was just checked or the token came from the cache.
    /// </summary>
    private static Task<AuthenticationResult> CheckAgainstRequest(VerifiedToken token, string channelId, string serviceUrl, DateTimeOffset now)
    {
        if (LifetimeProblem(token.NotBefore, token.Expires, now) is { } problem)
        {
            return Task.FromResult<AuthenticationResult>(new Refused(problem));
        }

        if (!token.Endorsements.Contains(channelId))
        {
            // The channel id comes from the body: bound what it can write into the logs.
            return Task.FromResult<AuthenticationResult>(
                new Refused($"signing key is not endorsed for channel {(channelId.Length > 32 ? channelId[..32] + "…" : channelId)}"));
        }

        // The token vouches for one serviceUrl; replies must never go anywhere else (teams-protocol.md §2.3).
        if (string.IsNullOrEmpty(token.ServiceUrl))
        {
            return Task.FromResult<AuthenticationResult>(new Refused("token has no serviceurl claim"));
        }

        if (!string.Equals(token.ServiceUrl, serviceUrl, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult<AuthenticationResult>(new Refused("serviceurl claim does not match the activity's serviceUrl"));
        }

        // The same completed task every time: an accepted cache hit allocates nothing.
        return token.Accepted;
    }

    /// <summary>The token's lifetime with the Bot Framework's 5 minutes of skew either way; null when it holds.</summary>
    private static string? LifetimeProblem(DateTimeOffset? notBefore, DateTimeOffset? expires, DateTimeOffset now) =>
        Judge(notBefore, expires, now) switch
        {
            Lifetime.NoExpiry => "token has no expiry",
            Lifetime.NotYetValid => "token not yet valid",
            Lifetime.Expired => "token expired",
            _ => null,
        };

    private static Lifetime Judge(DateTimeOffset? notBefore, DateTimeOffset? expires, DateTimeOffset now) =>
        expires is null ? Lifetime.NoExpiry
        : notBefore > now + ClockSkew ? Lifetime.NotYetValid
        : expires < now - ClockSkew ? Lifetime.Expired
        : Lifetime.Valid;

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        // IdentityModel reads the system clock itself; this puts the injected one in its place, with the rule cache hits use.
        var lifetime = Judge(
            notBefore is { } nbf ? new DateTimeOffset(DateTime.SpecifyKind(nbf, DateTimeKind.Utc)) : null,
            expires is { } exp ? new DateTimeOffset(DateTime.SpecifyKind(exp, DateTimeKind.Utc)) : null,
            _timeProvider.GetUtcNow());
        return lifetime switch
        {
            Lifetime.NoExpiry => throw new SecurityTokenNoExpirationException("The token has no expiry."),
            Lifetime.NotYetValid => throw new SecurityTokenNotYetValidException("The token is not yet valid.") { NotBefore = notBefore!.Value },
            Lifetime.Expired => throw new SecurityTokenExpiredException("The token has expired.") { Expires = expires!.Value },
            _ => true,
        };
    }

    private Task<TokenValidationResult> ValidateAsync(string token, KeySet keys)
    {
        Interlocked.Increment(ref _signatureChecks);
        return _handler.ValidateTokenAsync(token, keys.Parameters);
    }

    /// <summary>
    /// The validation parameters and endorsements for one metadata document, built the first time it is
    /// seen. A document seen for the first time is a refresh: every token remembered under the old key set
    /// stops being honoured (the hit path compares key sets), and the cache is emptied to free them.
    /// </summary>
    private KeySet KeySetFor(OpenIdConnectConfiguration configuration)
    {
        var current = Volatile.Read(ref _currentKeySet);
        if (current is not null && ReferenceEquals(current.Configuration, configuration))
        {
            return current;
        }

        var keys = _keySets.GetValue(configuration, c => NewKeySet(c));
        if (keys.FirstSeen)
        {
            keys.FirstSeen = false;
            Volatile.Write(ref _currentKeySet, keys);
            _verified.Clear();
        }

        return keys;
    }

    private KeySet NewKeySet(OpenIdConnectConfiguration configuration)
    {
        // Shared by every validation under this key set: the handler only reads it, so no per-request copy is needed.
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = _issuer,
            ValidAudience = _botAppId,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512],
            ClockSkew = ClockSkew,
            LifetimeValidator = ValidateLifetime,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuerSigningKey = true,
            // The key must be the one the token names: the endorsement check is per key id.
            TryAllIssuerSigningKeys = false,
            IssuerSigningKeys = configuration.SigningKeys,
        };
        // A key set should never repeat a key id; if one does, the first key published under it is the one that counts.
        var endorsements = new Dictionary<string, FrozenSet<string>>(StringComparer.Ordinal);
        foreach (var key in configuration.JsonWebKeySet?.Keys ?? [])
        {
            if (!string.IsNullOrEmpty(key.Kid))
            {
                endorsements.TryAdd(key.Kid, ReadEndorsements(key));
            }
        }

        return new KeySet(configuration, parameters, endorsements.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>
    /// The channels a key may sign for: the JWKS gives each key an extra <c>endorsements</c> array,
    /// which Microsoft.IdentityModel keeps in <see cref="JsonWebKey.AdditionalData"/>.
    /// </summary>
    private static FrozenSet<string> ReadEndorsements(JsonWebKey key)
    {
        if (!key.AdditionalData.TryGetValue("endorsements", out var value))
        {
            return FrozenSet<string>.Empty;
        }

        IEnumerable<string> channels = value switch
        {
            JsonElement { ValueKind: JsonValueKind.Array } array =>
                array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!),
            IEnumerable<string> strings => strings,
            _ => [],
        };
        return channels.ToFrozenSet(StringComparer.Ordinal);
    }

    private void Remember(string token, VerifiedToken verified, DateTimeOffset now)
    {
        if (_cacheEntryLifetime <= TimeSpan.Zero || _cacheCapacity == 0 || verified.HonouredUntil <= now)
        {
            return;
        }

        if (_verified.Count >= _cacheCapacity && !Sweep(now))
        {
            return;
        }

        // Racing inserts may overshoot the capacity by the number of concurrent misses; the next sweep takes it back.
        _verified[token] = verified;
    }

    /// <summary>Drops entries no longer honoured; false when the cache is still full (or was swept too recently to try).</summary>
    private bool Sweep(DateTimeOffset now)
    {
        var next = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks, next) != next)
        {
            return false;
        }

        var current = Volatile.Read(ref _currentKeySet);
        foreach (var (token, entry) in _verified)
        {
            if (entry.HonouredUntil <= now || !ReferenceEquals(entry.KeySet, current))
            {
                _verified.TryRemove(KeyValuePair.Create(token, entry));
            }
        }

        return _verified.Count < _cacheCapacity;
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

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private enum Lifetime
    {
        Valid,
        NoExpiry,
        NotYetValid,
        Expired,
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

    /// <summary>One metadata document's keys, ready to validate with, and each key's endorsements.</summary>
    private sealed class KeySet(
        OpenIdConnectConfiguration configuration, TokenValidationParameters parameters, FrozenDictionary<string, FrozenSet<string>> endorsements)
    {
        public OpenIdConnectConfiguration Configuration { get; } = configuration;

        public TokenValidationParameters Parameters { get; } = parameters;

        /// <summary>True until the authenticator has made this the current key set (and emptied the cache for it).</summary>
        public bool FirstSeen { get; set; } = true;

        public FrozenSet<string> EndorsementsOf(string? kid) =>
            kid is not null && endorsements.TryGetValue(kid, out var channels) ? channels : FrozenSet<string>.Empty;
    }

    /// <summary>
    /// A token whose signature, issuer, audience and lifetime passed under <paramref name="KeySet"/>, with what the
    /// per-request checks need. <paramref name="Accepted"/> is handed to every request it authenticates; its
    /// identity is shared, so callers read it and never change it.
    /// </summary>
    private sealed record VerifiedToken(
        KeySet KeySet,
        DateTimeOffset? NotBefore,
        DateTimeOffset Expires,
        string? ServiceUrl,
        FrozenSet<string> Endorsements,
        Task<AuthenticationResult> Accepted,
        DateTimeOffset HonouredUntil);

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

/// <summary>
/// The token is good for this activity; <paramref name="Identity"/> holds its claims. The same identity is
/// handed to every request that carries the same token: read it, never change it.
/// </summary>
public sealed record Authenticated(ClaimsIdentity Identity) : AuthenticationResult;

/// <summary>Answer 401. <paramref name="Reason"/> is for the logs only: it never contains the token.</summary>
public sealed record Refused(string Reason) : AuthenticationResult;
