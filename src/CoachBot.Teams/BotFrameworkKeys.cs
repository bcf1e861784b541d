using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CoachBot.Teams;

/// <summary>
/// The Bot Framework's signing keys: the OpenID metadata and its key set, fetched over https (plain http only on
/// loopback), cached and refreshed every 12 hours, and on demand when a token names an unknown key (at most every
/// 5 minutes). Each key carries the channels it may sign for (its <c>endorsements</c>).
/// </summary>
/// <remarks>
/// Once a key set has been fetched, a failed refresh keeps serving it (the metadata library holds the last good one),
/// so an outage matters only while none was ever fetched. Then <see cref="GetAsync"/> answers null at once for
/// <see cref="RetryDelay"/> after each failed attempt, instead of making every request wait for the network.
/// </remarks>
internal sealed class BotFrameworkKeys
{
    /// <summary>How long after a failed fetch the next one is tried; the <c>Retry-After</c> callers are given.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(10);

    // How long one request may wait for an on-demand key refresh to land before giving up on it (real time: a network wait).
    private static readonly TimeSpan RefreshWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RefreshPoll = TimeSpan.FromMilliseconds(25);

    private readonly ConfigurationManager<OpenIdConnectConfiguration> _metadata;
    private readonly Func<ICollection<SecurityKey>, TokenValidationParameters> _parametersFor;
    private readonly Action _keySetChanged;

    // One per metadata document seen, so the validation parameters and endorsements are built once per key set, not per request.
    private readonly ConditionalWeakTable<OpenIdConnectConfiguration, SigningKeySet> _keySets = [];
    private SigningKeySet? _current;
    private long _lastRefreshRequestMs = long.MinValue;

    // Machine clock (Environment.TickCount64): these gates are about network waits, not token lifetimes.
    private long _retryAtMs = long.MinValue;
    private long _outageSinceMs;

    /// <param name="parametersFor">The validation parameters for a key set's keys (built once per key set).</param>
    /// <param name="keySetChanged">Called once each time a key set is seen for the first time.</param>
    public BotFrameworkKeys(
        Uri metadataUrl, HttpClient httpClient, Func<ICollection<SecurityKey>, TokenValidationParameters> parametersFor, Action keySetChanged)
    {
        if (!LoopbackOrHttpsRetriever.IsAllowed(metadataUrl))
        {
            throw new ArgumentException(
                $"The Teams OpenID metadata URL must be an absolute https URL (plain http is accepted only for a loopback host such as 127.0.0.1): {metadataUrl}",
                nameof(metadataUrl));
        }

        _parametersFor = parametersFor;
        _keySetChanged = keySetChanged;
        _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(
            metadataUrl.AbsoluteUri,
            new OpenIdConnectConfigurationRetriever(),
            new LoopbackOrHttpsRetriever(httpClient));
    }

    /// <summary>The key set tokens are judged on now; null until one has been fetched.</summary>
    public SigningKeySet? Current => Volatile.Read(ref _current);

    /// <summary>True while no key set has ever been fetched and the last attempt failed.</summary>
    public bool InOutage => Current is null && Interlocked.Read(ref _outageSinceMs) != 0;

    /// <summary>
    /// The current key set (fetching it the first time), or null when it cannot be had; FirstOfOutage
    /// is true for the one call that found the key source down after it was last fine (or at start).
    /// </summary>
    public async Task<(SigningKeySet? Keys, bool FirstOfOutage)> GetAsync(CancellationToken cancellationToken)
    {
        if (Current is null && Environment.TickCount64 < Interlocked.Read(ref _retryAtMs))
        {
            return (null, false);
        }

        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await _metadata.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The library keeps serving the last good key set through failed refreshes, so this is normally reached only
            // with none ever fetched (IDX20803: unreachable, timed out, not JSON, no keys).
            if (Current is { } stale)
            {
                return (stale, false);
            }

            var now = Environment.TickCount64;
            Interlocked.Exchange(ref _retryAtMs, now + (long)RetryDelay.TotalMilliseconds);
            return (null, Interlocked.CompareExchange(ref _outageSinceMs, now, 0) == 0);
        }

        Interlocked.Exchange(ref _outageSinceMs, 0);
        return (KeySetFor(configuration), false);
    }

    /// <summary>
    /// Asks for new metadata and waits briefly for it. The library refreshes in the background and
    /// ignores requests within 5 minutes of the last one, so we only wait when ours will be honoured;
    /// otherwise a stream of made-up key ids would make every request wait. Null when nothing new arrived.
    /// </summary>
    public async Task<SigningKeySet?> RefreshAsync(SigningKeySet stale, CancellationToken cancellationToken)
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
                if (!ReferenceEquals(current, stale.Configuration))
                {
                    return KeySetFor(current);
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
    /// The key set for one metadata document, built the first time it is seen. A document seen for the first time is
    /// a refresh: it becomes current, and the owner hears of it (to forget tokens verified under the old one).
    /// </summary>
    private SigningKeySet KeySetFor(OpenIdConnectConfiguration configuration)
    {
        var current = Current;
        if (current is not null && ReferenceEquals(current.Configuration, configuration))
        {
            return current;
        }

        var keys = _keySets.GetValue(configuration, c => new SigningKeySet(c, _parametersFor(c.SigningKeys), ReadEndorsements(c)));
        if (keys.FirstSeen)
        {
            keys.FirstSeen = false;
            Volatile.Write(ref _current, keys);
            _keySetChanged();
        }

        return keys;
    }

    private static FrozenDictionary<string, FrozenSet<string>> ReadEndorsements(OpenIdConnectConfiguration configuration)
    {
        // A key set should never repeat a key id; if one does, the first key published under it is the one that counts.
        var endorsements = new Dictionary<string, FrozenSet<string>>(StringComparer.Ordinal);
        foreach (var key in configuration.JsonWebKeySet?.Keys ?? [])
        {
            if (!string.IsNullOrEmpty(key.Kid))
            {
                endorsements.TryAdd(key.Kid, ReadEndorsements(key));
            }
        }

        return endorsements.ToFrozenDictionary(StringComparer.Ordinal);
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

/// <summary>One metadata document's keys, ready to validate with, and each key's endorsements.</summary>
internal sealed class SigningKeySet(
    OpenIdConnectConfiguration configuration, TokenValidationParameters parameters, FrozenDictionary<string, FrozenSet<string>> endorsements)
{
    public OpenIdConnectConfiguration Configuration { get; } = configuration;

    public TokenValidationParameters Parameters { get; } = parameters;

    /// <summary>True until the key source has made this the current key set (and said so).</summary>
    public bool FirstSeen { get; set; } = true;

    public FrozenSet<string> EndorsementsOf(string? kid) =>
        kid is not null && endorsements.TryGetValue(kid, out var channels) ? channels : FrozenSet<string>.Empty;
}
