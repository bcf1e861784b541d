using System.Security.Claims;

namespace CoachBot.Teams;

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

/// <summary>
/// The signing keys could not be had (the OpenID metadata or key set is unreachable and none was ever fetched): our
/// outage, not the caller's fault, so answer 503 with <c>Retry-After</c> <paramref name="RetryAfter"/>.
/// <paramref name="FirstOfOutage"/> is true for exactly one request per outage, so the host logs each outage once.
/// </summary>
public sealed record KeysUnavailable(TimeSpan RetryAfter, bool FirstOfOutage) : AuthenticationResult;
