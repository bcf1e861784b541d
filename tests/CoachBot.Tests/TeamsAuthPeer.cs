using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CoachBot.Teams;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CoachBot.Tests;

/// <summary>An RSA signing key as the Bot Framework publishes it: a key id and the channels it may sign for.</summary>
internal sealed class TeamsSigningKey(string kid, params string[] endorsements) : IDisposable
{
    public string Kid { get; } = kid;

    public RSA Rsa { get; } = RSA.Create(2048);

    public RsaSecurityKey SecurityKey => new(Rsa) { KeyId = Kid };

    public JsonObject Jwk()
    {
        var parameters = Rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = Kid,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            ["endorsements"] = new JsonArray([.. endorsements.Select(e => (JsonNode)e)]),
        };
    }

    public void Dispose() => Rsa.Dispose();
}

/// <summary>
/// The Bot Framework's OpenID metadata and key set served over real HTTP on 127.0.0.1, so the host fetches and caches
/// keys exactly as in production (copied from the Teams library's tests, which this project may not reference).
/// </summary>
internal sealed class TeamsMetadataServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly string _keys;
    private volatile bool _down;
    private int _requests;

    private TeamsMetadataServer(HttpListener listener, Uri baseUrl, TeamsSigningKey[] keys)
    {
        _listener = listener;
        MetadataUrl = new Uri(baseUrl, "v1/.well-known/openidconfiguration");
        KeysUrl = new Uri(baseUrl, "v1/.well-known/keys");
        _keys = new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)k.Jwk())]) }.ToJsonString();
        _loop = Task.Run(ServeAsync);
    }

    public Uri MetadataUrl { get; }

    public Uri KeysUrl { get; }

    /// <summary>While true every request gets 503, as an unreachable or failing Bot Framework login service does.</summary>
    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    /// <summary>Every request served, down or up.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static TeamsMetadataServer Start(params TeamsSigningKey[] keys)
    {
        // HttpListener cannot bind port 0: borrow a free port first, and retry if someone takes it meanwhile.
        for (var attempt = 0; ; attempt++)
        {
            var baseUrl = new Uri($"http://127.0.0.1:{Loopback.FreePort()}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(baseUrl.AbsoluteUri);
            try
            {
                listener.Start();
                return new TeamsMetadataServer(listener, baseUrl, keys);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.GetAwaiter().GetResult();
        }
        catch (ObjectDisposedException)
        {
            // Closing the listener is how the loop is told to stop.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _requests);
            if (_down)
            {
                context.Response.StatusCode = 503;
                context.Response.Close();
                continue;
            }

            var path = context.Request.Url?.AbsolutePath;
            var body = path == MetadataUrl.AbsolutePath
                ? new JsonObject
                {
                    ["issuer"] = TeamsRequestAuthenticator.BotFrameworkIssuer,
                    ["authorization_endpoint"] = "https://invalid.example/authorize",
                    ["jwks_uri"] = KeysUrl.AbsoluteUri,
                    ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                    ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
                }.ToJsonString()
                : path == KeysUrl.AbsolutePath ? _keys : null;
            context.Response.StatusCode = body is null ? 404 : 200;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body ?? "{}"));
            context.Response.Close();
        }
    }
}

/// <summary>Mints Bot Framework channel tokens the way Azure Bot Service shapes them, with any one thing changed.</summary>
internal static class TeamsTokens
{
    public static string Mint(
        SecurityKey key,
        string audience,
        string? serviceUrl,
        DateTimeOffset? now = null,
        TimeSpan? lifetime = null,
        string issuer = TeamsRequestAuthenticator.BotFrameworkIssuer)
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
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A token with <c>alg: none</c> and an empty signature, otherwise valid.</summary>
    public static string Unsigned(string kid, string audience, string serviceUrl)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = "none", ["typ"] = "JWT", ["kid"] = kid };
        var payload = new JsonObject
        {
            ["iss"] = TeamsRequestAuthenticator.BotFrameworkIssuer,
            ["aud"] = audience,
            ["serviceurl"] = serviceUrl,
            ["nbf"] = now,
            ["exp"] = now + 3600,
        };
        return $"{Encode(header)}.{Encode(payload)}.";
    }

    private static string Encode(JsonObject json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
