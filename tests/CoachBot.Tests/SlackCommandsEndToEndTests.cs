using System.Net;
using System.Text.Json.Nodes;

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
    public async Task Buttons_redraw_the_pressed_message_with_chat_update_and_never_take_the_rewrite_away()
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack);
        await host.PostEventAsync(SlackBotHost.DmEvent("EvButtons", "1700000000.000100", "What does your purchasing process look like?"));
        var post = Assert.Single(await slack.WaitForPostsAsync(1, Wait));
        var rewrite = Section(post, "coach_rewrite");
        const string Ts = "1700000000.000777";

        await host.PressAsync(slack, "coach_why", Value(post, "coach_why"), Ts, "w1");
        var why = Assert.Single(await slack.WaitForAsync("chat.update", 1, Wait));
        await host.PressAsync(slack, "coach_another", Value(why, "coach_another"), Ts, "a1");
        var another = (await slack.WaitForAsync("chat.update", 2, Wait))[1];
        await host.PressAsync(slack, "coach_helpful", Value(another, "coach_helpful"), Ts, "h1");
        await host.PressAsync(slack, "coach_helpful", Value(another, "coach_helpful"), Ts, "h2");
        var helpful = (await slack.WaitForAsync("chat.update", 4, Wait))[3];

        // "Why" adds the reasons under the same rewrite, in the same message.
        Assert.Equal(("D024BE91L", Ts), (why["channel"]!.GetValue<string>(), why["ts"]!.GetValue<string>()));
        Assert.Equal(rewrite, Section(why, "coach_rewrite"));
        Assert.Contains("Why it matters", why["blocks"]!.ToJsonString(), StringComparison.Ordinal);
        // "Another" swaps only the rewrite and keeps the reasons.
        Assert.Contains("(2 of 2)", Section(another, "coach_rewrite"), StringComparison.Ordinal);
        Assert.NotEqual(rewrite, Section(another, "coach_rewrite"));
        Assert.Contains("Why it matters", another["blocks"]!.ToJsonString(), StringComparison.Ordinal);
        // "Helpful" keeps everything and turns the two buttons into a quiet line; two presses count once.
        Assert.Equal(Section(another, "coach_rewrite"), Section(helpful, "coach_rewrite"));
        Assert.Contains("Marked helpful", helpful["blocks"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(slack.Posts().Skip(1));
        Assert.Equal(1L, await host.ScalarAsync("SELECT COUNT(*) FROM feedback_votes WHERE Helpful = 1"));
    }

    [Fact]
    public async Task Not_helpful_with_a_reason_moves_the_vote_and_counts_the_reason_without_any_text()
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack);
        await host.PostEventAsync(SlackBotHost.DmEvent("EvReason", "1700000000.000200", "What does your purchasing process look like?"));
        var post = Assert.Single(await slack.WaitForPostsAsync(1, Wait));
        const string Ts = "1700000000.000888";

        await host.PressAsync(slack, "coach_helpful", Value(post, "coach_helpful"), Ts, "h1");
        var helpful = Assert.Single(await slack.WaitForAsync("chat.update", 1, Wait));
        await host.PressAsync(slack, "coach_change_feedback", Value(helpful, "coach_change_feedback"), Ts, "c1");
        var changed = (await slack.WaitForAsync("chat.update", 2, Wait))[1];
        await host.PressAsync(slack, "coach_not_helpful", Value(changed, "coach_not_helpful"), Ts, "n1");
        var notHelpful = (await slack.WaitForAsync("chat.update", 3, Wait))[2];
        var tone = notHelpful["blocks"]!.AsArray().Single(b => (string?)b!["block_id"] == "coach_reason")!["elements"]!.AsArray()
            .Single(e => (string?)e!["text"]!["text"] == "Tone")!["value"]!.GetValue<string>();
        await host.PressAsync(slack, "coach_reason", tone, Ts, "r1");
        var answered = (await slack.WaitForAsync("chat.update", 4, Wait))[3];

        Assert.Contains("Marked not helpful (tone)", answered["blocks"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(Section(post, "coach_rewrite"), Section(answered, "coach_rewrite"));
        Assert.Equal(0L, await host.ScalarAsync("SELECT COUNT(*) FROM feedback_votes WHERE Helpful = 1"));
        Assert.Equal(1L, await host.ScalarAsync("SELECT COUNT(*) FROM feedback_votes WHERE Helpful = 0 AND Reason = 'tone' AND RuleId = 'self-serving.buying-process'"));
    }

    [Fact]
    public async Task A_press_on_an_ephemeral_reply_redraws_it_through_the_response_url()
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack);
        await host.CommandAsync(slack, "What does your purchasing process look like?", "cmd1");
        var answer = Assert.Single(await slack.WaitForAsync("response_url", 1, Wait));

        await host.PressAsync(slack, "coach_why", Value(answer, "coach_why"), "1700000000.000999", "eph1", channel: "C024BE91L", ephemeral: true);

        var redrawn = (await slack.WaitForAsync("response_url", 2, Wait))[1];
        Assert.Equal("eph1", redrawn["response_url_id"]!.GetValue<string>());
        Assert.True(redrawn["replace_original"]!.GetValue<bool>());
        Assert.Equal(Section(answer, "coach_rewrite"), Section(redrawn, "coach_rewrite"));
        Assert.Contains("Why it matters", redrawn["blocks"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(slack.Bodies("chat.update"));
    }

    private static string Section(JsonObject message, string blockId) =>
        message["blocks"]!.AsArray().Single(b => (string?)b!["block_id"] == blockId)!["text"]!["text"]!.GetValue<string>();

    private static string Value(JsonObject message, string actionId) =>
        message["blocks"]!.AsArray().SelectMany(b => b!["elements"]?.AsArray() ?? [])
            .Single(e => (string?)e!["action_id"] == actionId)!["value"]!.GetValue<string>();

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
