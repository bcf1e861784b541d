using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Identity.Client;

namespace CoachBot.Teams.Tests;

/// <summary>
/// Stands in for login.microsoftonline.com inside MSAL's HttpClient: answers instance discovery,
/// OpenID configuration and the token endpoint, and records the token requests MSAL makes.
/// </summary>
internal sealed class FakeEntra : HttpMessageHandler, IMsalHttpClientFactory
{
    private readonly ConcurrentQueue<TokenRequest> _tokenRequests = new();
    private readonly ConcurrentQueue<Uri> _requests = new();
    private readonly HttpClient _client;

    public FakeEntra() => _client = new HttpClient(this);

    public IReadOnlyList<TokenRequest> TokenRequests => [.. _tokenRequests];

    /// <summary>Every address MSAL asked for, in order (discovery included).</summary>
    public IReadOnlyList<Uri> Requests => [.. _requests];

    public HttpClient GetHttpClient() => _client;

    /// <summary>How long the token endpoint takes to answer (a real one takes tens of milliseconds).</summary>
    public TimeSpan TokenDelay { get; init; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        _requests.Enqueue(uri);
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        var tenant = segments[0];
        if (uri.AbsolutePath.EndsWith("/discovery/instance", StringComparison.Ordinal))
        {
            return Json(new JsonObject
            {
                ["tenant_discovery_endpoint"] = $"https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration",
                ["api-version"] = "1.1",
                ["metadata"] = new JsonArray(new JsonObject
                {
                    ["preferred_network"] = "login.microsoftonline.com",
                    ["preferred_cache"] = "login.windows.net",
                    ["aliases"] = new JsonArray("login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"),
                }),
            });
        }

        if (uri.AbsolutePath.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal))
        {
            return Json(new JsonObject
            {
                ["issuer"] = $"https://login.microsoftonline.com/{tenant}/v2.0",
                ["authorization_endpoint"] = $"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
                ["token_endpoint"] = $"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
            });
        }

        if (uri.AbsolutePath.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal) && request.Method == HttpMethod.Post)
        {
            await Task.Delay(TokenDelay, cancellationToken);
            var form = await request.Content!.ReadAsStringAsync(cancellationToken);
            var fields = form.Split('&').Select(p => p.Split('=', 2))
                .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p.Length > 1 ? p[1] : ""), StringComparer.Ordinal);
            _tokenRequests.Enqueue(new TokenRequest(uri, fields));
            return Json(new JsonObject
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = 3600,
                ["ext_expires_in"] = 3600,
                ["access_token"] = $"access-token-{_tokenRequests.Count}",
            });
        }

        return new HttpResponseMessage(HttpStatusCode.NotFound);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _client.Dispose();
        }

        base.Dispose(disposing);
    }

    private static HttpResponseMessage Json(JsonObject body) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
    };
}

internal sealed record TokenRequest(Uri Uri, IReadOnlyDictionary<string, string> Form);
