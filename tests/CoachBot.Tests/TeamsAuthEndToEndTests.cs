using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CoachBot.Tests;

/// <summary>
/// The real host with Teams auth on (an app id), its signing keys served from a loopback OpenID metadata endpoint.
/// Only what the endpoint accepts is asserted (status and the inbox); the replies, with an outbound token, are
/// <see cref="TeamsOutboundAuthEndToEndTests"/>' subject.
/// </summary>
public sealed class TeamsAuthEndToEndTests
{
    private const string AppId = "7d1c2b3a-0000-4000-8000-00000000e2e1";
    private const string ServiceUrl = "https://smba.trafficmanager.net/amer/";

    [Fact]
    public async Task Only_a_properly_signed_activity_is_accepted_and_every_refusal_leaves_the_inbox_untouched()
    {
        using var key = new TeamsSigningKey("e2e-key", "msteams");
        using var stranger = new TeamsSigningKey("e2e-key");
        using var otherChannel = new TeamsSigningKey("e2e-slack-key", "slack");
        using var metadata = TeamsMetadataServer.Start(key, otherChannel);
        await using var host = await StartHostAsync(metadata);
        var signing = key.SecurityKey;
        var valid = TeamsTokens.Mint(signing, AppId, ServiceUrl);

        var refusals = new (string Case, string? Authorization, string Body)[]
        {
            ("no Authorization header", null, Message("m-1")),
            ("not a bearer token", "Basic " + valid, Message("m-2")),
            ("alg none", "Bearer " + TeamsTokens.Unsigned(key.Kid, AppId, ServiceUrl), Message("m-3")),
            ("expired", "Bearer " + TeamsTokens.Mint(signing, AppId, ServiceUrl, DateTimeOffset.UtcNow.AddHours(-2)), Message("m-4")),
            ("another bot's audience", "Bearer " + TeamsTokens.Mint(signing, "00000000-0000-4000-8000-000000000000", ServiceUrl), Message("m-5")),
            ("serviceurl claim for another service", "Bearer " + TeamsTokens.Mint(signing, AppId, "https://evil.example/"), Message("m-6")),
            ("no serviceurl claim", "Bearer " + TeamsTokens.Mint(signing, AppId, serviceUrl: null), Message("m-7")),
            ("not the Bot Framework issuer", "Bearer " + TeamsTokens.Mint(signing, AppId, ServiceUrl, issuer: "https://sts.windows.net/x/"), Message("m-8")),
            ("signed by a key with the published id but other bits", "Bearer " + TeamsTokens.Mint(stranger.SecurityKey, AppId, ServiceUrl), Message("m-9")),
            ("key endorsed for another channel", "Bearer " + TeamsTokens.Mint(otherChannel.SecurityKey, AppId, ServiceUrl), Message("m-10")),
            ("activity names another serviceUrl than the token", "Bearer " + valid, Message("m-11", serviceUrl: "https://evil.example/")),
            ("a card button press with a bad token", "Bearer " + TeamsTokens.Mint(signing, AppId, "https://evil.example/"), Invoke("i-1")),
        };

        foreach (var (what, authorization, body) in refusals)
        {
            using var response = await PostAsync(host, body, authorization);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: expected 401, got {(int)response.StatusCode}.");
        }

        Assert.Equal(0, await host.ScalarAsync("SELECT COUNT(*) FROM inbox"));

        using var accepted = await PostAsync(host, Message("m-ok"), "Bearer " + valid);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        // Exactly the valid request's own work was stored: nothing a refused request carried got in.
        Assert.Equal(1, await host.ScalarAsync("SELECT COUNT(*) FROM inbox"));
        Assert.Equal(1, await host.ScalarAsync("SELECT COUNT(*) FROM inbox WHERE Channel = 'teams' AND DeliveryKey LIKE '%m-ok%'"));
        Assert.DoesNotContain("e2e-key", host.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(valid, host.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_button_press_is_answered_inline_with_the_new_card()
    {
        using var key = new TeamsSigningKey("e2e-key", "msteams");
        using var metadata = TeamsMetadataServer.Start(key);
        await using var host = await StartHostAsync(metadata);

        using var response = await PostAsync(host, Invoke("i-ok"), "Bearer " + TeamsTokens.Mint(key.SecurityKey, AppId, ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(200, answer["statusCode"]?.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", answer["type"]?.GetValue<string>());
        // The whole card comes back with the reasons added under the rewrite.
        var body = answer["value"]!["body"]!.ToJsonString();
        Assert.Contains("**Try", body, StringComparison.Ordinal);
        Assert.Contains("**Why it matters:**", body, StringComparison.Ordinal);

        // Invokes are answered in the response, never queued.
        Assert.Equal(0, await host.ScalarAsync("SELECT COUNT(*) FROM inbox"));
    }

    [Fact]
    public async Task With_an_app_id_the_playground_switch_does_not_let_unsigned_loopback_requests_in()
    {
        using var key = new TeamsSigningKey("e2e-key", "msteams");
        using var metadata = TeamsMetadataServer.Start(key);
        await using var host = await StartHostAsync(metadata, allowLocal: true);

        using var response = await PostAsync(host, Message("m-local", serviceUrl: "http://localhost:56150/_connector"), authorization: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await host.ScalarAsync("SELECT COUNT(*) FROM inbox"));
    }

    [Fact]
    public async Task A_sovereign_cloud_bot_accepts_its_clouds_tokens_and_refuses_public_cloud_ones()
    {
        const string GovIssuer = "https://api.botframework.us";
        using var key = new TeamsSigningKey("e2e-key", "msteams");
        using var metadata = TeamsMetadataServer.Start(key);
        await using var host = await StartHostAsync(metadata, issuer: GovIssuer);

        using var publicCloud = await PostAsync(host, Message("m-public"), "Bearer " + TeamsTokens.Mint(key.SecurityKey, AppId, ServiceUrl));
        using var gov = await PostAsync(host, Message("m-gov"), "Bearer " + TeamsTokens.Mint(key.SecurityKey, AppId, ServiceUrl, issuer: GovIssuer));

        Assert.Equal(HttpStatusCode.Unauthorized, publicCloud.StatusCode);
        Assert.Equal(HttpStatusCode.OK, gov.StatusCode);
        Assert.Equal(1, await host.ScalarAsync("SELECT COUNT(*) FROM inbox WHERE DeliveryKey LIKE '%m-gov%'"));
        Assert.Equal(0, await host.ScalarAsync("SELECT COUNT(*) FROM inbox WHERE DeliveryKey LIKE '%m-public%'"));
    }

    [Fact]
    public async Task While_the_signing_keys_cannot_be_had_tokens_get_503_with_retry_after_garbage_401_and_readyz_says_so_until_they_return()
    {
        using var key = new TeamsSigningKey("e2e-key", "msteams");
        using var metadata = TeamsMetadataServer.Start(key);
        metadata.Down = true;
        await using var host = await TeamsBotHost.StartAsync(Settings(metadata), waitFor: "/healthz");

        using (var ready = await host.Http.GetAsync(new Uri("/readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var report = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
            Assert.Equal("Unhealthy", report["status"]?.GetValue<string>());
            Assert.Equal("Unhealthy", report["entries"]?["teams-signing-keys"]?["status"]?.GetValue<string>());
            Assert.Equal("Healthy", report["entries"]?["database"]?["status"]?.GetValue<string>());
        }

        // Text that could never be a token is the caller's fault whatever the key source's state: 401, and no key fetch.
        var fetches = metadata.Requests;
        foreach (var garbage in new[] { "Bearer garbage", "Bearer a.b.c", "Bearer e30.e30", "Bearer ...", "Bearer " + new string('x', 20_000), "Bearer e30.%%%.x" })
        {
            using var refused = await PostAsync(host, Message("g-1"), garbage);
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{garbage[..Math.Min(20, garbage.Length)]}: {(int)refused.StatusCode}");
        }

        Assert.Equal(fetches, metadata.Requests);

        // A well-formed token cannot be judged without keys: our outage, 503 with Retry-After, never 500 or 401.
        var valid = "Bearer " + TeamsTokens.Mint(key.SecurityKey, AppId, ServiceUrl);
        for (var i = 0; i < 3; i++)
        {
            using var unavailable = await PostAsync(host, Message("u-" + i), valid);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
            Assert.True(unavailable.Headers.RetryAfter?.Delta > TimeSpan.Zero, "503 without a Retry-After in seconds");
        }

        Assert.Equal(0, await host.ScalarAsync("SELECT COUNT(*) FROM inbox"));
        Assert.Single(Regex.Matches(host.Log, "Teams signing keys cannot be fetched"));
        Assert.DoesNotContain("IDX", host.Log, StringComparison.Ordinal);

        // The key source comes back: ready again within its retry delay, and the same token is accepted.
        metadata.Down = false;
        await WaitUntilReadyAsync(host, TimeSpan.FromSeconds(30));
        using var accepted = await PostAsync(host, Message("m-back"), valid);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Single(Regex.Matches(host.Log, "Teams signing keys cannot be fetched"));
    }

    private static async Task WaitUntilReadyAsync(TeamsBotHost host, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!(await host.Http.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode)
        {
            Assert.True(DateTime.UtcNow < deadline, $"/readyz did not recover within {timeout.TotalSeconds} s. Host log:\n{TeamsBotHost.Tail(host.Log)}");
            await Task.Delay(200);
        }
    }

    private static Dictionary<string, string> Settings(TeamsMetadataServer metadata) => new()
    {
        ["Teams__AppId"] = AppId,
        ["Teams__AppPassword"] = "x",
        ["Teams__OpenIdMetadataUrl"] = metadata.MetadataUrl.AbsoluteUri,
    };

    private static Task<TeamsBotHost> StartHostAsync(TeamsMetadataServer metadata, bool allowLocal = false, string? issuer = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Teams__AppId"] = AppId,
            ["Teams__AppPassword"] = "x",
            ["Teams__OpenIdMetadataUrl"] = metadata.MetadataUrl.AbsoluteUri,
            ["Teams__AllowUnauthenticatedLocalClients"] = allowLocal ? "true" : "false",
        };
        if (issuer is not null)
        {
            settings["Teams__TokenIssuer"] = issuer;
        }

        return TeamsBotHost.StartAsync(settings);
    }

    private static async Task<HttpResponseMessage> PostAsync(TeamsBotHost host, string body, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/messages", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await host.Http.SendAsync(request);
    }

    /// <summary>A 1:1 message as Teams sends it.</summary>
    private static string Message(string id, string serviceUrl = ServiceUrl) => new JsonObject
    {
        ["type"] = "message",
        ["id"] = id,
        ["text"] = "What does your purchasing process look like?",
        ["channelId"] = "msteams",
        ["serviceUrl"] = serviceUrl,
        ["from"] = new JsonObject { ["id"] = "29:user-1", ["aadObjectId"] = "00000000-0000-0000-0000-0000000000aa" },
        ["recipient"] = new JsonObject { ["id"] = "28:" + AppId, ["name"] = "CoachBot" },
        ["conversation"] = new JsonObject { ["id"] = "a:personal-chat-1", ["conversationType"] = "personal", ["tenantId"] = "tenant-1" },
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "tenant-1" } },
    }.ToJsonString();

    /// <summary>"Why does this matter?" pressed on a coaching card (Action.Execute).</summary>
    private static string Invoke(string id)
    {
        var activity = JsonNode.Parse(Message(id))!.AsObject();
        activity["type"] = "invoke";
        activity["name"] = "adaptiveCard/action";
        activity.Remove("text");
        activity["replyToId"] = "card-1";
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject
            {
                ["type"] = "Action.Execute",
                ["verb"] = "coach_why",
                ["data"] = new JsonObject { ["rule"] = "self-serving.buying-process", ["suggestion"] = "0" },
            },
        };
        return activity.ToJsonString();
    }
}
