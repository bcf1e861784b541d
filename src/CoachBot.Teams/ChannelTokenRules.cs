using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CoachBot.Teams;

/// <summary>
/// What a Bot Framework channel token must be, apart from where its keys come from: a well-formed JWT, signed with
/// RS256/384/512, issued by the channel's issuer for this bot, within its lifetime (5 minutes' skew either way,
/// judged on the injected clock), its signing key endorsed for the activity's channel and its <c>serviceurl</c>
/// claim equal to the activity's serviceUrl.
/// </summary>
internal sealed class ChannelTokenRules
{
    /// <summary>The Bot Framework's allowance for clocks that disagree, either way.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly string _botAppId;
    private readonly string _issuer;
    private readonly TimeProvider _timeProvider;

    public ChannelTokenRules(string botAppId, string issuer, TimeProvider timeProvider)
    {
        _botAppId = botAppId;
        _issuer = issuer;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// The token parsed, or null when it is not a JWS in compact form with JSON header and payload. Checked before any
    /// key is fetched: text that could never be a token is the caller's fault, whatever state the key source is in.
    /// </summary>
    public static JsonWebToken? ParseWellFormed(string token)
    {
        // Three base64url segments with JSON in the first two; anything else (JWE's five, "garbage") is refused here.
        if (token.Length > TokenValidationParameters.DefaultMaximumTokenSizeInBytes || token.AsSpan().Count('.') != 2)
        {
            return null;
        }

        try
        {
            return new JsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The parameters for one key set; the handler only reads them, so one instance serves every request.</summary>
    public TokenValidationParameters ParametersFor(ICollection<SecurityKey> signingKeys) => new()
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
        IssuerSigningKeys = signingKeys,
    };

    /// <summary>
    /// Everything that depends on the clock or on this request, run on every request, whether the signature was
    /// just checked or the token came from the cache; null when the token is good for this activity.
    /// </summary>
    public static string? RequestProblem(VerifiedToken token, string channelId, string serviceUrl, DateTimeOffset now)
    {
        if (LifetimeProblem(token.NotBefore, token.Expires, now) is { } problem)
        {
            return problem;
        }

        if (!token.Endorsements.Contains(channelId))
        {
            // The channel id comes from the body: bound what it can write into the logs.
            return $"signing key is not endorsed for channel {(channelId.Length > 32 ? channelId[..32] + "…" : channelId)}";
        }

        // The token vouches for one serviceUrl; replies must never go anywhere else.
        if (string.IsNullOrEmpty(token.ServiceUrl))
        {
            return "token has no serviceurl claim";
        }

        return string.Equals(token.ServiceUrl, serviceUrl, StringComparison.OrdinalIgnoreCase)
            ? null
            : "serviceurl claim does not match the activity's serviceUrl";
    }

    // Our own words: IdentityModel's messages can quote token parts, and these reasons go to the logs.
    public static string ReasonFor(Exception? exception) => exception switch
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

    /// <summary>The token's lifetime with 5 minutes of skew either way; null when it holds.</summary>
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

    private enum Lifetime
    {
        Valid,
        NoExpiry,
        NotYetValid,
        Expired,
    }
}
