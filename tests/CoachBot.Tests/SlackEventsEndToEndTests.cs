using System.Net;

namespace CoachBot.Tests;

/// <summary>The running host on 127.0.0.1, fed signed Slack events, replying through a fake Slack Web API.</summary>
public sealed class SlackEventsEndToEndTests
{
        [Fact]
    public async Task A_signed_dm_gets_exactly_one_coaching_reply_however_often_slack_retries()
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack);
        var body = SlackBotHost.DmEvent("Ev001", "1700000001.000100", "What does your purchasing process look like?");

        for (var attempt = 0; attempt < 4; attempt++)
        {
            var response = await host.PostEventAsync(body, retry: attempt);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The same message under a new event id is the same message.
        Assert.Equal(HttpStatusCode.OK, (await host.PostEventAsync(SlackBotHost.DmEvent("Ev002", "1700000001.000100", "What does your purchasing process look like?"))).StatusCode);

        var posts = await slack.WaitForPostsAsync(1, TimeSpan.FromSeconds(30));
        await Task.Delay(1500);
        var post = Assert.Single(slack.Posts());
        Assert.Equal("D024BE91L", post["channel"]?.GetValue<string>());
        Assert.Contains("coach_another", post["blocks"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("Bearer " + SlackBotHost.BotToken, slack.Calls.Single().Authorization);
        Assert.NotEmpty(posts);
    }

    [Fact]
    public async Task A_mention_is_answered_in_its_thread_after_a_rate_limit_is_waited_out()
    {
        using var slack = new FakeSlackApi(rateLimitFirst: 1);
        await using var host = await SlackBotHost.StartAsync(slack);

        var response = await host.PostEventAsync(SlackBotHost.MentionEvent("Ev010", "1700000002.000200", "<@U0BOT> Calling Acme tomorrow to check in."));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var post = Assert.Single(await slack.WaitForPostsAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal("1700000002.000200", post["thread_ts"]?.GetValue<string>());
        Assert.Equal(1, slack.RateLimited);
    }

    [Fact]
    public async Task Forged_stale_malformed_and_oversized_requests_change_nothing()
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack);
        var body = SlackBotHost.DmEvent("Ev020", "1700000003.000300", "Do you have budget?");

        var forged = await host.PostForgedAsync(body);
        var stale = await host.PostEventAsync(body, at: DateTimeOffset.UtcNow.AddMinutes(-6));
        var malformed = await host.PostEventAsync("{not json");
        var oversized = await host.PostEventAsync("{\"type\":\"event_callback\",\"pad\":\"" + new string('x', 1024 * 1024) + "\"}");
        var challenge = await host.PostEventAsync("{\"type\":\"url_verification\",\"challenge\":\"abc123\",\"token\":\"t\"}");

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        Assert.Contains("abc123", await challenge.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Task.Delay(2500);
        Assert.Empty(slack.Posts());
    }
}
