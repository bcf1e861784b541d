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
    private readonly ConcurrentDictionary<string, byte> _urls = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Trusts a service URL. Refuses (false) anything but absolute https, or http on a loopback host.</summary>
    public bool Add(string serviceUrl)
    {
        if (Normalize(serviceUrl) is not { } key)
        {
            return false;
        }

        _urls.TryAdd(key, 0);
        return true;
    }

    public bool IsTrusted(string serviceUrl) =>
        Normalize(serviceUrl) is { } key && _urls.ContainsKey(key);

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
