using System.Text.Json.Nodes;

namespace CoachBot.Slack.Tests;

/// <summary>The look-up a retry makes before posting again: message metadata found through history and replies.</summary>
public sealed class SlackReadBackTests : IDisposable
{
    private const string Token = "xoxb-fake-T1";
    private readonly LoopbackSlack _slack = new();

    public void Dispose() => _slack.Dispose();

    [Fact]
    public void Stamps_a_reply_with_metadata_naming_its_inbox_item()
    {
        var message = new JsonObject { ["channel"] = "D1" };

        SlackMessageMark.Reply(42).StampOn(message);

        Assert.Equal("coachbot_reply", message["metadata"]!["event_type"]!.GetValue<string>());
        Assert.Equal("42", message["metadata"]!["event_payload"]!["inbox_item"]!.GetValue<string>());
    }

    [Fact]
    public async Task Finds_a_marked_reply_in_the_dm_history_from_the_question_on()
    {
        _slack.Then(200, """{"ok":true,"messages":[{"ts":"1.2","text":"other"},{"ts":"1.3","metadata":{"event_type":"coachbot_reply","event_payload":{"inbox_item":"42"}}}],"has_more":false}""");

        var found = await _slack.Client().FindMarkedAsync(Token, "D1", null, "1700000000.000100", SlackMessageMark.Reply(42), CancellationToken.None);

        Assert.True(found);
        var request = Assert.Single(_slack.Requests);
        Assert.Equal("/api/conversations.history", request.RawUrl);
        Assert.Equal("D1", request.Form["channel"]);
        Assert.Equal("1700000000.000100", request.Form["oldest"]);
        Assert.Equal("true", request.Form["include_all_metadata"]);
    }

    [Fact]
    public async Task Looks_in_the_thread_through_replies_and_pages_on_until_the_mark_or_the_end()
    {
        _slack.Then(200, """{"ok":true,"messages":[{"ts":"1.2","metadata":{"event_type":"coachbot_reply","event_payload":{"inbox_item":"41"}}}],"has_more":true,"response_metadata":{"next_cursor":"page2"}}""")
            .Then(200, """{"ok":true,"messages":[{"ts":"1.4"}],"has_more":false,"response_metadata":{"next_cursor":""}}""");

        var found = await _slack.Client().FindMarkedAsync(Token, "C1", "1.1", "1.1", SlackMessageMark.Reply(42), CancellationToken.None);

        Assert.False(found);
        Assert.Equal(["/api/conversations.replies", "/api/conversations.replies"], _slack.Requests.Select(r => r.RawUrl));
        Assert.Equal("1.1", _slack.Requests[0].Form["ts"]);
        Assert.Equal("page2", _slack.Requests[1].Form["cursor"]);
    }

    [Fact]
    public async Task Cannot_tell_without_the_history_scope_so_the_caller_falls_back_to_sending()
    {
        _slack.Then(200, """{"ok":false,"error":"missing_scope","needed":"im:history"}""");

        Assert.Null(await _slack.Client().FindMarkedAsync(Token, "D1", null, "1.0", SlackMessageMark.Reply(42), CancellationToken.None));
    }

    [Fact]
    public async Task Another_refusal_is_thrown_like_any_call()
    {
        _slack.Then(200, """{"ok":false,"error":"channel_not_found"}""");

        var error = await Assert.ThrowsAsync<SlackApiException>(
            () => _slack.Client().FindMarkedAsync(Token, "D1", null, "1.0", SlackMessageMark.Reply(42), CancellationToken.None));
        Assert.Equal("channel_not_found", error.Error);
    }
}
