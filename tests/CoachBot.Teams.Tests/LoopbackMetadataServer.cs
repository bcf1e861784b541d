using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace CoachBot.Teams.Tests;

/// <summary>
/// RSA key pairs for the test run. Making a 2048-bit key costs a few hundred milliseconds, so tests
/// share these three and never change them; what a test publishes is its own <see cref="TestKey"/>.
/// </summary>
internal static class RsaKeys
{
    private static readonly Lazy<RSA> LazyFirst = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> LazySecond = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> LazyThird = new(() => RSA.Create(2048));

    public static RSA First => LazyFirst.Value;

    public static RSA Second => LazySecond.Value;

    public static RSA Third => LazyThird.Value;
}

/// <summary>An RSA signing key as the Bot Framework publishes it: a key id and the channels it may sign for.</summary>
internal sealed class TestKey(string kid, RSA rsa, params string[] endorsements)
{
    public string Kid { get; } = kid;

    public string[] Endorsements { get; } = endorsements;

    public RSA Rsa { get; } = rsa;

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
            ["endorsements"] = new JsonArray([.. Endorsements.Select(e => (JsonNode)e)]),
        };
    }
}

/// <summary>
/// The Bot Framework's OpenID metadata and key set, served over real HTTP on 127.0.0.1, so the
/// authenticator's fetching, caching and refresh run exactly as in production.
/// </summary>
internal sealed class LoopbackMetadataServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private volatile string _keys = """{"keys":[]}""";
    private int _keyRequests;
    private int _requests;

    private LoopbackMetadataServer(HttpListener listener, Uri baseUrl)
    {
        _listener = listener;
        MetadataUrl = new Uri(baseUrl, "v1/.well-known/openidconfiguration");
        KeysUrl = new Uri(baseUrl, "v1/.well-known/keys");
        _loop = Task.Run(ServeAsync);
    }

    public Uri MetadataUrl { get; }

    public Uri KeysUrl { get; }

    public int KeyRequests => Volatile.Read(ref _keyRequests);

    /// <summary>Every request served, whatever its path (a missing one included).</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static LoopbackMetadataServer Start(params TestKey[] keys)
    {
        var (listener, baseUrl) = Loopback.Listen();
        var server = new LoopbackMetadataServer(listener, baseUrl);
        server.Publish(keys);
        return server;
    }

    /// <summary>Replaces the published key set, as a key rollover does.</summary>
    public void Publish(params TestKey[] keys) =>
        _keys = new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)k.Jwk())]) }.ToJsonString();

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
            var path = context.Request.Url?.AbsolutePath;
            string? body = null;
            if (path == MetadataUrl.AbsolutePath)
            {
                body = new JsonObject
                {
                    ["issuer"] = "https://api.botframework.com",
                    ["authorization_endpoint"] = "https://invalid.example/authorize",
                    ["jwks_uri"] = KeysUrl.AbsoluteUri,
                    ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                    ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
                }.ToJsonString();
            }
            else if (path == KeysUrl.AbsolutePath)
            {
                Interlocked.Increment(ref _keyRequests);
                body = _keys;
            }

            context.Response.StatusCode = body is null ? 404 : 200;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(body ?? "{}");
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
