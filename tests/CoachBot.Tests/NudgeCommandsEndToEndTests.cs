using System.Text.Json.Nodes;

namespace CoachBot.Tests;

/// <summary><c>/coach nudge …</c> over real HTTP against the real host: signed slash commands in, calls on the fake Slack out.</summary>
public sealed class NudgeCommandsEndToEndTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Nudge_on_status_now_and_off_answer_through_response_url_and_post_one_tip()
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack);

        var on = await AnswerAsync(host, slack, "nudge on 08:30 Europe/Berlin", "on");
        Assert.Contains("08:30", on, StringComparison.Ordinal);
        Assert.Contains("Europe/Berlin", on, StringComparison.Ordinal);
        Assert.Contains("Next one:", on, StringComparison.Ordinal);
        Assert.Equal(1L, await host.ScalarAsync("SELECT COUNT(*) FROM nudge_subscriptions WHERE ConversationId = 'C024BE91L' AND TimeZoneId = 'Europe/Berlin'"));

        var status = await AnswerAsync(host, slack, "nudge status", "status");
        Assert.Contains("Daily coaching tips are on", status, StringComparison.Ordinal);
        Assert.Contains("08:30 Europe/Berlin", status, StringComparison.Ordinal);

        var now = await AnswerAsync(host, slack, "nudge now", "now");
        Assert.Contains("Here's today's tip", now, StringComparison.Ordinal);
        var post = Assert.Single(await slack.WaitForPostsAsync(1, Wait));
        Assert.Equal("C024BE91L", post["channel"]!.GetValue<string>());
        Assert.NotEmpty(post["blocks"]!.AsArray());

        var again = await AnswerAsync(host, slack, "nudge now", "again");
        Assert.Contains("already", again, StringComparison.Ordinal);
        Assert.Single(slack.Posts());

        var off = await AnswerAsync(host, slack, "nudge off", "off");
        Assert.Contains("off", off, StringComparison.Ordinal);
        Assert.Equal(0L, await host.ScalarAsync("SELECT COUNT(*) FROM nudge_subscriptions"));
        Assert.Contains("no daily coaching tips", await AnswerAsync(host, slack, "nudge status", "status2"), StringComparison.Ordinal);
        Assert.Single(slack.Posts());
    }

    [Theory]
    [InlineData("nudge on 25:00")]
    [InlineData("nudge on 08:30 Mars/Olympus")]
    public async Task Nudge_on_with_a_bad_value_explains_with_an_example_and_stores_nothing(string text)
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack);

        var answer = await AnswerAsync(host, slack, text, "bad");

        Assert.Contains("couldn't read", answer, StringComparison.Ordinal);
        Assert.Contains("nudge on 08:30 Europe/Berlin", answer, StringComparison.Ordinal);
        Assert.Equal(0L, await host.ScalarAsync("SELECT COUNT(*) FROM nudge_subscriptions"));
        Assert.Empty(slack.Posts());
    }

    [Fact]
    public async Task A_channel_slack_says_is_gone_is_unsubscribed()
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack);
        await AnswerAsync(host, slack, "nudge on 08:30 Europe/Berlin", "on");
        slack.Errors["chat.postMessage"] = "channel_not_found";

        var answer = await AnswerAsync(host, slack, "nudge now", "now");

        Assert.Contains("can't post in this channel", answer, StringComparison.Ordinal);
        Assert.Equal(0L, await host.ScalarAsync("SELECT COUNT(*) FROM nudge_subscriptions"));
    }

    /// <summary>Sends the command and returns the text of its answer on the response_url.</summary>
    private static async Task<string> AnswerAsync(SlackBotHost host, FakeSlackApi slack, string text, string responseId)
    {
        var response = await host.CommandAsync(slack, text, responseId);
        Assert.True(response.IsSuccessStatusCode, $"/slack/commands answered {(int)response.StatusCode}");
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            if (slack.Bodies("response_url").FirstOrDefault(b => b["response_url_id"]?.GetValue<string>() == responseId) is { } answer)
            {
                return Text(answer);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No answer on response_url '{responseId}' for '{text}'.");
    }

    private static string Text(JsonObject answer) =>
        (answer["text"]?.GetValue<string>() ?? "") + "\n" + (answer["blocks"]?.ToJsonString() ?? "");
}
