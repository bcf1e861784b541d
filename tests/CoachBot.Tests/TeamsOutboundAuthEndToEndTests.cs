using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CoachBot.Tests;

/// <summary>
/// The real host with Teams auth on, replying through its real outbound path: MSAL asks a token endpoint over HTTPS for
/// an app-only token, and the Bot Connector client posts the coaching card with it. Microsoft's side is
/// <see cref="TeamsCloudPeer"/> on 127.0.0.1, reached through the <c>Teams:AuthorityHost</c> setting that sovereign
/// clouds use; its self-signed certificate is trusted the way an operator would trust a private CA on Linux
/// (<c>SSL_CERT_FILE</c>), never by a switch in the product.
/// </summary>
public sealed class TeamsOutboundAuthEndToEndTests
{
    private const string AppId = "7d1c2b3a-0000-4000-8000-00000000e2e2";
    private const string AppPassword = "outbound-e2e-secret";

    [Fact]
    public async Task A_signed_activity_is_coached_with_a_card_posted_under_the_token_the_login_endpoint_issued()
    {
        using var key = new TeamsSigningKey("e2e-key", "msteams");
        using var metadata = TeamsMetadataServer.Start(key);
        await using var cloud = await TeamsCloudPeer.StartAsync();
        await using var host = await StartHostAsync(metadata, cloud, trustPeerCertificate: true);
        var inbound = TeamsTokens.Mint(key.SecurityKey, AppId, cloud.ServiceUrl);

        using var first = await PostAsync(host, Message("m-1", "a:chat-1", cloud.ServiceUrl), inbound);
        using var second = await PostAsync(host, Message("m-2", "a:chat-2", cloud.ServiceUrl), inbound);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await cloud.WaitForConnectorCallsAsync(2, TimeSpan.FromSeconds(60), () => "Host log:\n" + TeamsBotHost.Tail(host.Log));

        // One client-credentials request, for this bot, from the multi-tenant authority on the configured host.
        var (tokenPath, form) = Assert.Single(cloud.TokenRequests);
        Assert.Equal("/botframework.com/oauth2/v2.0/token", tokenPath);
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal(AppId, form["client_id"]);
        Assert.Equal(AppPassword, form["client_secret"]);
        Assert.Equal("https://api.botframework.com/.default", form["scope"]);
        var issued = Assert.Single(cloud.IssuedTokens);

        // Each coaching card went to its own conversation, in reply to its activity, under that token (MSAL cached it).
        var calls = cloud.ConnectorCalls.OrderBy(c => c.Path, StringComparer.Ordinal).ToList();
        Assert.Equal(["/amer/v3/conversations/a:chat-1/activities/m-1", "/amer/v3/conversations/a:chat-2/activities/m-2"], calls.Select(c => c.Path));
        Assert.All(calls, call =>
        {
            Assert.Equal("POST", call.Method);
            Assert.Equal("Bearer " + issued, call.Authorization);
            Assert.Equal("application/vnd.microsoft.card.adaptive", call.Body["attachments"]?[0]?["contentType"]?.GetValue<string>());
        });
        Assert.Equal("m-1", calls[0].Body["replyToId"]?.GetValue<string>());

        await host.WaitForAsync("SELECT COUNT(*) FROM inbox WHERE State = 'Done'", 2, TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(issued, host.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(AppPassword, host.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_trusting_the_login_hosts_certificate_the_bot_sends_it_nothing()
    {
        // The control for the test above: certificate checks are on, so the peer is reached only because it is trusted.
        using var key = new TeamsSigningKey("e2e-key", "msteams");
        using var metadata = TeamsMetadataServer.Start(key);
        await using var cloud = await TeamsCloudPeer.StartAsync();
        await using var host = await StartHostAsync(metadata, cloud, trustPeerCertificate: false);

        using var response = await PostAsync(host, Message("m-untrusted", "a:chat-1", cloud.ServiceUrl), TeamsTokens.Mint(key.SecurityKey, AppId, cloud.ServiceUrl));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The worker's token request fails in the TLS handshake: no token request and no card ever reach the peer.
        await host.WaitForAsync(
            "SELECT COUNT(*) FROM inbox WHERE State = 'Failed' AND LastError = 'http_secureconnectionerror'", 1, TimeSpan.FromSeconds(30));
        Assert.Empty(cloud.TokenRequests);
        Assert.Empty(cloud.ConnectorCalls);
    }

    [Fact]
    public async Task Start_up_stops_and_names_an_authority_host_that_is_not_https()
    {
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var process = CoachBotProcess.StartHost(
            Loopback.FreePort(),
            new Dictionary<string, string>
            {
                ["Teams__AppId"] = AppId,
                ["Teams__AppPassword"] = AppPassword,
                ["Teams__AuthorityHost"] = "http://login.microsoftonline.us",
            },
            output: output);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains(output, line => line.Contains("CoachBot cannot start: Teams:AuthorityHost must be an absolute https URL", StringComparison.Ordinal));
    }

    private static Task<TeamsBotHost> StartHostAsync(TeamsMetadataServer metadata, TeamsCloudPeer cloud, bool trustPeerCertificate)
    {
        var settings = new Dictionary<string, string>
        {
            ["Teams__AppId"] = AppId,
            ["Teams__AppPassword"] = AppPassword,
            ["Teams__OpenIdMetadataUrl"] = metadata.MetadataUrl.AbsoluteUri,
            ["Teams__AuthorityHost"] = cloud.AuthorityHost.AbsoluteUri,
        };
        if (trustPeerCertificate)
        {
            // Read by OpenSSL when the process starts: the host's only trusted root is the peer's certificate.
            settings["SSL_CERT_FILE"] = cloud.CertificateFile;
        }

        return TeamsBotHost.StartAsync(settings);
    }

    private static async Task<HttpResponseMessage> PostAsync(TeamsBotHost host, string body, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/messages", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return await host.Http.SendAsync(request);
    }

    /// <summary>A 1:1 message as Teams sends it.</summary>
    private static string Message(string id, string conversation, string serviceUrl) => new JsonObject
    {
        ["type"] = "message",
        ["id"] = id,
        ["text"] = "What does your purchasing process look like?",
        ["channelId"] = "msteams",
        ["serviceUrl"] = serviceUrl,
        ["from"] = new JsonObject { ["id"] = "29:user-1", ["aadObjectId"] = "00000000-0000-0000-0000-0000000000aa" },
        ["recipient"] = new JsonObject { ["id"] = "28:" + AppId, ["name"] = "CoachBot" },
        ["conversation"] = new JsonObject { ["id"] = conversation, ["conversationType"] = "personal", ["tenantId"] = "tenant-1" },
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "tenant-1" } },
    }.ToJsonString();
}
