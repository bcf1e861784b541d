using System.Diagnostics;
using System.Net;
using System.Text;
using CoachBot.Slack;

namespace CoachBot.Tests;

/// <summary>The running host on 127.0.0.1, fed signed Slack events, replying through a fake Slack Web API.</summary>
public sealed class SlackEventsEndToEndTests
{
    private const string Secret = "e2e-signing-secret";

    [Fact]
    public async Task A_signed_dm_gets_exactly_one_coaching_reply_however_often_slack_retries()
    {
        using var slack = new FakeSlackApi();
        await using var host = await BotHost.StartAsync(slack.BaseUrl);
        var body = DmEvent("Ev001", "1700000001.000100", "What does your purchasing process look like?");

        for (var attempt = 0; attempt < 4; attempt++)
        {
            var response = await host.PostSignedAsync(body, retry: attempt);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The same message under a new event id is the same message.
        Assert.Equal(HttpStatusCode.OK, (await host.PostSignedAsync(DmEvent("Ev002", "1700000001.000100", "What does your purchasing process look like?"))).StatusCode);

        var posts = await slack.WaitForPostsAsync(1, TimeSpan.FromSeconds(30));
        await Task.Delay(1500);
        var post = Assert.Single(slack.Posts());
        Assert.Equal("D024BE91L", post["channel"]?.GetValue<string>());
        Assert.Contains("coach_another", post["blocks"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("Bearer e2e-bot-token", slack.Calls.Single().Authorization);
        Assert.NotEmpty(posts);
    }

    [Fact]
    public async Task A_mention_is_answered_in_its_thread_after_a_rate_limit_is_waited_out()
    {
        using var slack = new FakeSlackApi(rateLimitFirst: 1);
        await using var host = await BotHost.StartAsync(slack.BaseUrl);

        var response = await host.PostSignedAsync(MentionEvent("Ev010", "1700000002.000200", "<@U0BOT> Calling Acme tomorrow to check in."));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var post = Assert.Single(await slack.WaitForPostsAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal("1700000002.000200", post["thread_ts"]?.GetValue<string>());
        Assert.Equal(1, slack.RateLimited);
    }

    [Fact]
    public async Task Forged_stale_malformed_and_oversized_requests_change_nothing()
    {
        using var slack = new FakeSlackApi();
        await using var host = await BotHost.StartAsync(slack.BaseUrl);
        var body = DmEvent("Ev020", "1700000003.000300", "Do you have budget?");

        var forged = await host.PostAsync(body, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "v0=" + new string('0', 64));
        var stale = await host.PostSignedAsync(body, at: DateTimeOffset.UtcNow.AddMinutes(-6));
        var malformed = await host.PostSignedAsync("{not json");
        var oversized = await host.PostSignedAsync("{\"type\":\"event_callback\",\"pad\":\"" + new string('x', 1024 * 1024) + "\"}");
        var challenge = await host.PostSignedAsync("{\"type\":\"url_verification\",\"challenge\":\"abc123\",\"token\":\"t\"}");

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        Assert.Contains("abc123", await challenge.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Task.Delay(2500);
        Assert.Empty(slack.Posts());
    }

    private static string DmEvent(string eventId, string ts, string text) => Envelope(eventId,
        $$"""{"type":"message","channel":"D024BE91L","channel_type":"im","user":"U2147483697","text":{{System.Text.Json.JsonSerializer.Serialize(text)}},"ts":"{{ts}}","event_ts":"{{ts}}"}""");

    private static string MentionEvent(string eventId, string ts, string text) => Envelope(eventId,
        $$"""{"type":"app_mention","channel":"C024BE91L","user":"U2147483697","text":{{System.Text.Json.JsonSerializer.Serialize(text)}},"ts":"{{ts}}","event_ts":"{{ts}}"}""");

    private static string Envelope(string eventId, string inner) =>
        $$"""{"token":"x","team_id":"T0001","api_app_id":"A0001","type":"event_callback","event_id":"{{eventId}}","event_time":1700000000,"authorizations":[{"team_id":"T0001","user_id":"U0BOT","is_bot":true}],"event":{{inner}}}""";

    private sealed class BotHost : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _dataDirectory;
        private readonly HttpClient _http;
        private readonly SlackSignatureVerifier _signer = new(Secret, TimeProvider.System);

        private BotHost(Process process, string dataDirectory, HttpClient http)
        {
            _process = process;
            _dataDirectory = dataDirectory;
            _http = http;
        }

        public static async Task<BotHost> StartAsync(string slackApi)
        {
            var port = Loopback.FreePort();
            var data = Directory.CreateTempSubdirectory("coachbot-e2e-").FullName;
            var process = CoachBotProcess.StartHost(port, new Dictionary<string, string>
            {
                ["Slack__SigningSecret"] = Secret,
                ["Slack__BotToken"] = "e2e-bot-token",
                ["Slack__ApiBaseUrl"] = slackApi,
                ["Storage__DataDirectory"] = data,
            });
            var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    if ((await http.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException) when (attempt < 300 && !process.HasExited)
                {
                    await Task.Delay(100);
                }
            }

            return new BotHost(process, data, http);
        }

        public Task<HttpResponseMessage> PostSignedAsync(string body, int retry = 0, DateTimeOffset? at = null)
        {
            var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
            return PostAsync(body, timestamp, _signer.Sign(Encoding.UTF8.GetBytes(body), timestamp), retry);
        }

        public async Task<HttpResponseMessage> PostAsync(string body, long timestamp, string signature, int retry = 0)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/slack/events", UriKind.Relative))
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Slack-Request-Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Signature", signature);
            if (retry > 0)
            {
                request.Headers.Add("X-Slack-Retry-Num", retry.ToString(System.Globalization.CultureInfo.InvariantCulture));
                request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
            }

            return await _http.SendAsync(request);
        }

        public async ValueTask DisposeAsync()
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
            _http.Dispose();
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
