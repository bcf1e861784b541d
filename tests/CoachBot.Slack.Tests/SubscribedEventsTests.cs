using System.Text;

namespace CoachBot.Slack.Tests;

public sealed class SubscribedEventsTests
{
    private static readonly Dictionary<string, string> Samples = new()
    {
        ["app_home_opened"] = """{"type":"app_home_opened","user":"U1","channel":"D1","tab":"home","event_ts":"1.0"}""",
        ["app_mention"] = """{"type":"app_mention","channel":"C1","user":"U1","text":"<@U0BOT> hi","ts":"1.0","event_ts":"1.0"}""",
        ["message.im"] = """{"type":"message","channel":"D1","channel_type":"im","user":"U1","text":"hi","ts":"1.0","event_ts":"1.0"}""",
        ["app_uninstalled"] = """{"type":"app_uninstalled","event_ts":"1.0"}""",
        ["tokens_revoked"] = """{"type":"tokens_revoked","tokens":{"bot":["U0BOT"]},"event_ts":"1.0"}""",
    };

    [Fact]
    public void Every_subscribed_event_parses_to_something_the_host_acts_on()
    {
        Assert.Equal(new SortedSet<string>(Samples.Keys), new SortedSet<string>(SlackEventParser.SubscribedEvents));
        foreach (var (name, inner) in Samples)
        {
            var body = $$"""{"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":"Ev{{name.Length}}","event_time":1,"event":{{inner}}}""";
            var parsed = SlackEventParser.Parse(Encoding.UTF8.GetBytes(body), "U0BOT");
            Assert.False(parsed is SlackEvent.Ignored or SlackEvent.Malformed, $"{name} parsed as {parsed}");
        }
    }
}
