using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CoachBot.Teams.Tests;

/// <summary>Mints Bot Framework channel tokens the way Azure Bot Service shapes them, with any one thing changed.</summary>
internal static class Tokens
{
    public const string AppId = "5f0b7c2e-0000-4000-8000-00000000b0a7";
    public const string ServiceUrl = "https://smba.trafficmanager.net/amer/";

    public static string Mint(
        SecurityKey key,
        string algorithm = SecurityAlgorithms.RsaSha256,
        string issuer = TeamsRequestAuthenticator.BotFrameworkIssuer,
        string audience = AppId,
        string? serviceUrl = ServiceUrl,
        DateTimeOffset? now = null,
        TimeSpan? lifetime = null)
    {
        var issuedAt = (now ?? DateTimeOffset.UtcNow).UtcDateTime;
        var claims = new Dictionary<string, object>();
        if (serviceUrl is not null)
        {
            claims["serviceurl"] = serviceUrl;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + (lifetime ?? TimeSpan.FromHours(1)),
            SigningCredentials = new SigningCredentials(key, algorithm),
        });
    }

    /// <summary>A token with <c>alg: none</c> and an empty signature, otherwise valid.</summary>
    public static string Unsigned(string kid)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = "none", ["typ"] = "JWT", ["kid"] = kid };
        var payload = new JsonObject
        {
            ["iss"] = TeamsRequestAuthenticator.BotFrameworkIssuer,
            ["aud"] = AppId,
            ["serviceurl"] = ServiceUrl,
            ["nbf"] = now,
            ["exp"] = now + 3600,
        };
        return $"{Encode(header)}.{Encode(payload)}.";
    }

    private static string Encode(JsonObject json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
