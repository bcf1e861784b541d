using System.Net;

namespace CoachBot.Tests;

/// <summary>The running host's answers to Slack requests it does not act on, and what it logs about them.</summary>
public sealed class SlackRefusalsEndToEndTests
{
    [Fact]
    public async Task Unknown_event_types_are_acknowledged_whatever_their_envelope_and_refusals_log_their_reason_but_never_the_body()
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack);
        var marker = "zq" + Guid.NewGuid().ToString("N");

        // Thin envelopes (no event_id, team_id or api_app_id) of types the bot does not subscribe to: 200, or Slack retries.
        var unknown = new[]
        {
            $$$"""{"type":"event_callback","event":{"type":"member_joined_channel","user":"U1","channel":"C1"}}""",
            """{"type":"event_callback","team_id":"T0001","event":{"type":"user_change","user":{"id":"U1","name":"MARKER"}}}""".Replace("MARKER", marker, StringComparison.Ordinal),
            $$$"""{"type":"event_callback","event_id":"Ev9","event":{"type":"reaction_added","reaction":"{{{marker}}}"}}""",
            """{"type":"app_rate_limited","team_id":"T0001","minute_rate_limited":1518467820,"api_app_id":"A0001"}""",
        };
        foreach (var body in unknown)
        {
            using var response = await host.PostEventAsync(body);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} for {body}");
        }

        // Refusals: a forged signature (401) and a subscribed event type without the ids retries are deduped on (400).
        using var forged = await host.PostForgedAsync(SlackBotHost.DmEvent("Ev31", "1700000201.000100", "Do you have budget? " + marker));
        using var thinDm = await host.PostEventAsync(
            $$$"""{"type":"event_callback","event":{"type":"message","channel_type":"im","channel":"D1","user":"U1","ts":"1.2","text":"{{{marker}}}"}}""");
        using var notJson = await host.PostFormAsync("/slack/interactive", "payload=" + marker);

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, thinDm.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        var log = await WaitForLinesAsync(host, "refused", 3);
        Assert.Contains(log, l => l.Contains("/slack/events refused (401): signature check said BadSignature", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("/slack/events refused (400): event_callback without event_id", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("/slack/interactive refused (400)", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Output, l => l.Contains(marker, StringComparison.Ordinal));
        Assert.Equal(0, await host.ScalarAsync("SELECT COUNT(*) FROM inbox"));
    }

    private static async Task<string[]> WaitForLinesAsync(SlackBotHost host, string word, int count)
    {
        // Log lines reach the pipe after the response; wait for them rather than for a fixed time.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string[] lines;
        while ((lines = host.Output.Where(l => l.Contains(word, StringComparison.Ordinal)).ToArray()).Length < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Expected {count} lines with '{word}'; log:\n{string.Join('\n', host.Output)}");
            await Task.Delay(50);
        }

        return lines;
    }
}
