namespace CoachBot.Teams;

/// <summary>Gives the bearer token for calls to the Bot Connector (replies, proactive posts).</summary>
public interface IBotTokenSource
{
    /// <summary>The access token, or null when auth is off (no app id: the local playground takes calls without one).</summary>
    Task<string?> GetTokenAsync(CancellationToken cancellationToken = default);
}

/// <summary>The token source for a bot with no app id: calls go out without an Authorization header.</summary>
public sealed class NoBotTokenSource : IBotTokenSource
{
    public static readonly NoBotTokenSource Instance = new();

    private NoBotTokenSource()
    {
    }

    public Task<string?> GetTokenAsync(CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);
}
