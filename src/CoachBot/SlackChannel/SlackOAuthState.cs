using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace CoachBot.SlackChannel;

/// <summary>Why an OAuth callback's <c>state</c> was refused, in Bolt's words.</summary>
internal enum OAuthStateCheck
{
    Valid,

    /// <summary>The browser finishing the install is not the one that started it (no cookie, or a different one).</summary>
    InvalidBrowser,

    /// <summary>Forged, expired (10 minutes) or already used.</summary>
    InvalidState,
}

/// <summary>
/// The OAuth <c>state</c>: a random nonce, encrypted and time-limited with Data Protection so it can't be forged,
/// bound to the browser by a cookie holding the same value, and consumed on first use so it can't be replayed.
/// </summary>
/// <remarks>
/// Consumed nonces are remembered in this process only: a replay that lands on another replica within the
/// ten minutes would still need the victim's cookie, which the attacker does not have.
/// </remarks>
internal sealed class SlackOAuthState(IDataProtectionProvider protection, TimeProvider time)
{
    public const string CookieName = "slack-app-oauth-state";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("CoachBot.Slack.OAuthState.v1").ToTimeLimitedDataProtector();

    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);

    /// <summary>A new state, to put in the authorize URL and in the cookie.</summary>
    public string Issue() =>
        _protector.Protect(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), time.GetUtcNow() + Lifetime);

    public OAuthStateCheck Consume(string? state, string? cookie)
    {
        if (string.IsNullOrEmpty(cookie) || !string.Equals(state, cookie, StringComparison.Ordinal))
        {
            return OAuthStateCheck.InvalidBrowser;
        }

        string nonce;
        try
        {
            nonce = _protector.Unprotect(state!, out _);
        }
        catch (CryptographicException)
        {
            return OAuthStateCheck.InvalidState;
        }

        var now = time.GetUtcNow();
        foreach (var (key, expires) in _used)
        {
            if (expires < now)
            {
                _used.TryRemove(key, out _);
            }
        }

        return _used.TryAdd(nonce, now + Lifetime) ? OAuthStateCheck.Valid : OAuthStateCheck.InvalidState;
    }
}
