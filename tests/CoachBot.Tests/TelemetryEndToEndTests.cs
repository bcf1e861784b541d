namespace CoachBot.Tests;

/// <summary>Metrics leave the process when an exporter is configured, with ids and categories but never the rep's words.</summary>
public sealed class TelemetryEndToEndTests
{
    [Fact]
    public async Task Coaching_is_counted_by_channel_and_category_without_message_text_in_any_output()
    {
        using var slack = new FakeSlackApi();
        await using var host = await SlackBotHost.StartAsync(slack, settings: new Dictionary<string, string>
        {
            ["Telemetry__Console"] = "true",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        });
        const string Secret = "Zanzibar purchasing process question";

        await host.PostEventAsync(SlackBotHost.DmEvent("EvT1", "1700000020.000100", $"What does your {Secret} look like?"));
        await slack.WaitForPostsAsync(1, TimeSpan.FromSeconds(30));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!host.Output.Any(l => l.Contains("coachbot.findings", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var output = string.Join('\n', host.Output);
        Assert.Contains("coachbot.messages.coached", output, StringComparison.Ordinal);
        Assert.Contains("channel: slack", output, StringComparison.Ordinal);
        Assert.Contains("category: self-serving", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Zanzibar", output, StringComparison.Ordinal);
        Assert.DoesNotContain(SlackBotHost.BotToken, output, StringComparison.Ordinal);
        Assert.DoesNotContain(SlackBotHost.Secret, output, StringComparison.Ordinal);
    }
}
