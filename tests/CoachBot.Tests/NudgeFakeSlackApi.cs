using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CoachBot.Tests;

/// <summary>Slack's Web API on loopback for load: <c>chat.postMessage</c> answered after a delay, and <c>auth.test</c>.</summary>
internal sealed class NudgeFakeSlackApi(TimeSpan delay) : FakePostingApi(delay)
{
    public string BaseUrl => $"http://127.0.0.1:{Port}/api/";

    protected override (string? Conversation, string Answer)? Route(HttpRequest request, JsonObject body) => request.Path.Value switch
    {
        "/api/chat.postMessage" => (body["channel"]?.GetValue<string>() ?? "?", $$"""{"ok":true,"channel":"{{body["channel"]}}","ts":"1700000000.000001"}"""),
        "/api/auth.test" => ("auth.test", """{"ok":true,"user_id":"U0BOT","bot_id":"B0BOT","team_id":"T0001"}"""),

        // A sender that takes over a dead one's day looks first; a post whose caller died is not kept here, so nothing is found.
        "/api/conversations.history" => (null, """{"ok":true,"messages":[],"has_more":false}"""),
        _ => null,
    };
}
