using System.Collections.Concurrent;

namespace CoachBot.Teams;

/// <summary>
/// The service URLs the bot may send its bearer token to: those a validated inbound token vouched
/// for (its <c>serviceurl</c> claim) and a configured local playground URL.
/// </summary>
/// <remarks>
/// A forged activity can name any serviceUrl; without this set the bot would post its token there.
/// Thread-safe: the inbound endpoint adds while background senders check. URLs are compared after
/// trimming a trailing slash, ignoring case (as the inbound check compares claim and activity).
/// </remarks>
public sealed class TrustedServiceUrls
{
    // Enough for every spelling of every service URL a bot sees; past it, new spellings are simply parsed each time.
    private const int MaxSpellings = 1024;

    private readonly ConcurrentDictionary<string, byte> _urls = new(StringComparer.OrdinalIgnoreCase);

    // The exact strings already trusted. Every activity names its service URL and the endpoint adds it each time, so a
    // string seen before is answered by one lock-free lookup instead of parsing a Uri (and allocating) per request.
    private readonly ConcurrentDictionary<string, byte> _trustedSpellings = new(StringComparer.Ordinal);
    private int _spellings;

    /// <summary>Trusts a service URL. Refuses (false) anything but absolute https, or http on a loopback host.</summary>
    public bool Add(string serviceUrl)
    {
        if (serviceUrl is not null && _trustedSpellings.ContainsKey(serviceUrl))
        {
            return true;
        }

        if (Normalize(serviceUrl) is not { } key)
        {
            return false;
        }

        _urls.TryAdd(key, 0);

        // Counted on the side: ConcurrentDictionary.Count takes every lock. Racing adds may pass the bound by a few.
        if (Volatile.Read(ref _spellings) < MaxSpellings && _trustedSpellings.TryAdd(serviceUrl!, 0))
        {
            Interlocked.Increment(ref _spellings);
        }

        return true;
    }

    public bool IsTrusted(string serviceUrl) =>
        (serviceUrl is not null && _trustedSpellings.ContainsKey(serviceUrl))
        || (Normalize(serviceUrl) is { } key && _urls.ContainsKey(key));

    public int Count => _urls.Count;

    private static string? Normalize(string? serviceUrl)
    {
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return null;
        }

        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }
}
