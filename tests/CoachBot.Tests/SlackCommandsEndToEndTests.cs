using System.Net;

namespace CoachBot.Tests;

/// <summary>/coach, the buttons and the App Home over real HTTP: signed requests in, calls on the fake Slack out.</summary>
public sealed class SlackCommandsEndToEndTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Coach_command_answers_privately_through_response_url()
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack);

        var response = await host.CommandAsync(slack, "What does your purchasing process look like?", "r1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = Assert.Single(await slack.WaitForAsync("response_url", 1, Wait));
        Assert.Equal("r1", answer["response_url_id"]!.GetValue<string>());
        Assert.Equal("ephemeral", answer["response_type"]!.GetValue<string>());
        Assert.Contains("coach_another", answer["blocks"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(slack.Posts());
    }

    [Theory]
    [InlineData("help")]
    [InlineData("")]
    public async Task Coach_help_and_an_empty_coach_explain_the_bot_with_examples(string text)
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack);

        await host.CommandAsync(slack, text, "help");

        var answer = Assert.Single(await slack.WaitForAsync("response_url", 1, Wait));
        var blocks = answer["blocks"]!.ToJsonString();
        Assert.Contains("What does your purchasing process look like?", blocks, StringComparison.Ordinal);
        Assert.Contains("/coach nudge on", blocks, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ssl_check_is_answered_without_a_signature_and_does_nothing()
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack);
        using var content = new StringContent("ssl_check=1&token=x", System.Text.Encoding.UTF8);
        content.Headers.ContentType = new("application/x-www-form-urlencoded");

        var response = await host.Http.PostAsync(new Uri("/slack/commands", UriKind.Relative), content);
        var unsigned = await host.Http.PostAsync(
            new Uri("/slack/commands", UriKind.Relative),
            new FormUrlEncodedContent([new("command", "/coach"), new("text", "help")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        await Task.Delay(1000);
        Assert.Empty(slack.Calls);
    }

    [Fact]
    public async Task Why_is_answered_in_the_replys_thread_and_feedback_is_counted_once_per_person()
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack);

        await host.PressAsync(slack, "coach_why", "self-serving.buying-process", "1700000000.000001", "w1");
        await host.PressAsync(slack, "coach_helpful", "self-serving.buying-process", "1700000000.000001", "h1");
        await host.PressAsync(slack, "coach_helpful", "self-serving.buying-process", "1700000000.000001", "h2");

        var why = Assert.Single(await slack.WaitForPostsAsync(1, Wait));
        Assert.Equal("1700000000.000001", why["thread_ts"]!.GetValue<string>());
        Assert.Contains("Why it matters", why["blocks"]!.ToJsonString(), StringComparison.Ordinal);
        var thanks = await slack.WaitForAsync("response_url", 2, Wait);
        Assert.All(thanks, t => Assert.Contains("Thanks", t["text"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Equal(1L, await host.ScalarAsync("SELECT COUNT(*) FROM feedback_votes WHERE Helpful = 1"));
    }

    [Fact]
    public async Task Another_suggestion_shows_the_rules_next_rewrite()
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack);

        await host.PressAsync(slack, "coach_another", "self-serving.buying-process", "1700000000.000002", "a1");

        var post = Assert.Single(await slack.WaitForPostsAsync(1, Wait));
        Assert.Contains("Another way to put it (2 of", post["blocks"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("self-serving.buying-process#1", post["blocks"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opening_the_app_home_publishes_the_home_view()
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack);

        await host.PostEventAsync(SlackBotHost.Envelope("EvHome", """{"type":"app_home_opened","user":"U2147483697","channel":"D024BE91L","tab":"home","event_ts":"1700000000.1"}"""));

        var publish = Assert.Single(await slack.WaitForAsync("views.publish", 1, Wait));
        Assert.Equal("U2147483697", publish["user_id"]!.GetValue<string>());
        Assert.Equal("home", publish["view"]!["type"]!.GetValue<string>());
        Assert.Contains("Calling Acme tomorrow", publish["view"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_accepted_before_a_crash_is_sent_after_restart()
    {
        // Slack's API is down, so the first attempt fails; then the host dies before it can try again.
        using var slack = new FakeSlackApi(start: false);
        await using var host = await SlackBotHost.StartAsync(slack);
        var response = await host.PostEventAsync(SlackBotHost.DmEvent("EvCrash", "1700000009.000900", "Do you have budget for this?"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Kill only once the failed attempt is on record; a kill during the attempt leaves the item leased, and it is
        // then retried when the lease runs out (two minutes), which this test does not wait for.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!host.Output.Any(line => line.Contains("failed in", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Contains(host.Output, line => line.Contains("failed in", StringComparison.Ordinal));
        await host.KillAsync();

        slack.Start();
        await host.RestartAsync();

        var post = Assert.Single(await slack.WaitForPostsAsync(1, TimeSpan.FromSeconds(60)));
        Assert.Equal("D024BE91L", post["channel"]!.GetValue<string>());
        await Task.Delay(1000);
        Assert.Single(slack.Posts());
    }
}
